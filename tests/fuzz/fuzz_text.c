/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target: tokenizes arbitrary bytes and checks the invariants of DESIGN.md § Text,
 * aborting on any violation: offsets in bounds, on UTF-8 boundaries and non-decreasing;
 * consecutive positions; terms non-empty, valid UTF-8 and at most SILK_TERM_MAX bytes;
 * words never overlap and normalizing a word's span gives its term back; a token lies in its
 * word's span, and a Korean stem is a prefix of its Hangul word, as silk_ko_stem() gives it. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "silk/kostem.h"
#include "silk/text.h"

typedef struct {
    const uint8_t *s;       /* the input */
    size_t n;               /* its length */
    const bool *inside;     /* inside[i]: byte i continues a valid UTF-8 sequence */
    silk_tokenizer_t *norm; /* a second tokenizer for silk_normalize */
    uint32_t next;          /* the position the next token must have */
    size_t prev_start;      /* the previous token's start */
    size_t prev_word_end;   /* the previous non-CJK token's end */
} check_t;

static bool valid_utf8(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0 || cp == 0xFFFD)
            return false;
        i += (size_t)l;
    }
    return true;
}

static int check(const silk_token_t *t, void *ud)
{
    check_t *c = ud;
    if (t->pos != c->next++)
        abort();
    if (t->start >= t->end || t->end > c->n || c->inside[t->start] || c->inside[t->end])
        abort();
    if (t->start < c->prev_start)
        abort();
    if (t->len == 0 || t->len > SILK_TERM_MAX || strlen(t->term) != t->len)
        abort();
    if (!valid_utf8((const uint8_t *)t->term, t->len) ||
        !valid_utf8(c->s + t->start, t->end - t->start))
        abort();
    if (t->stem && strlen(t->stem) != t->stem_len)
        abort();
    if (t->word_start > t->start || t->start >= t->word_end || t->word_end > c->n)
        abort();
    if (t->kind != SILK_TOK_CJK && (t->word_start != t->start || t->word_end != t->end))
        abort();
    if (t->stem && t->kind == SILK_TOK_CJK) {
        /* The first bigram of a Hangul word of 3+ syllables, at most a term long. */
        size_t wl = t->word_end - t->word_start;
        if (t->start != t->word_start || wl < 9 || wl > SILK_TERM_MAX ||
            silk_ko_stem((const char *)c->s + t->word_start, wl) != t->stem_len ||
            memcmp(t->stem, c->s + t->word_start, t->stem_len) != 0)
            abort();
    } else if (t->stem && t->kind != SILK_TOK_WORD) {
        abort();
    }
    const char *out = NULL;
    size_t olen = 0;
    if (silk_normalize(c->norm, (const char *)c->s + t->start, t->end - t->start, &out, &olen) !=
        SILK_OK)
        abort();
    if (t->kind == SILK_TOK_CJK) {
        if (olen < t->len || memcmp(out, t->term, t->len) != 0)
            abort();
    } else {
        if (t->start < c->prev_word_end)
            abort();
        c->prev_word_end = t->end;
        if (olen != t->len || memcmp(out, t->term, t->len) != 0)
            abort();
    }
    c->prev_start = t->start;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static silk_tokenizer_t *tok, *norm;
    static silk_stemmer_t *st;
    if (!tok) {
        if (silk_tokenizer_new(&tok) != SILK_OK || silk_tokenizer_new(&norm) != SILK_OK ||
            silk_stemmer_new("english", &st) != SILK_OK)
            abort();
    }
    /* Half the inputs go through the stemmer (and its cache) too. */
    silk_tokenizer_set_stemmer(tok, size % 2 ? st : NULL);
    bool *inside = calloc(size + 1, 1);
    if (!inside)
        abort();
    for (size_t i = 0; i < size;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate(data + i, (utf8proc_ssize_t)(size - i), &cp);
        if (l <= 0) {
            i++;
            continue;
        }
        for (utf8proc_ssize_t k = 1; k < l; k++)
            inside[i + (size_t)k] = true;
        i += (size_t)l;
    }
    check_t c = {data, size, inside, norm, 7, 0, 0};
    uint32_t next = 0;
    if (silk_tokenize(tok, (const char *)data, size, 7, check, &c, &next) != SILK_OK)
        abort();
    if (next != c.next)
        abort();
    /* silk_normalize over the whole input must not fail either. */
    const char *out = NULL;
    size_t olen = 0;
    if (silk_normalize(norm, (const char *)data, size, &out, &olen) != SILK_OK || out[olen] != 0)
        abort();
    free(inside);
    return 0;
}
