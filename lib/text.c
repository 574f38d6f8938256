/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the tokenizer (include/silk/text.h, DESIGN.md § Text).
 *
 * The pipeline, per token:
 *   1. The scanner (silk_cc_scan_word, lib/charclass.c) finds a word's byte span in the
 *      input from the classes of its original code points, so a word's span is decided
 *      before any mapping.
 *   2. The span is normalized as a whole (silk_norm_word, lib/normalize.c). silk_normalize()
 *      runs the same normalization, so normalizing a word's [start,end) gives back its term.
 *   3. CJK runs (Hangul, Han, Kana) become overlapping bigrams of "units" (a character plus
 *      what attaches to it: conjoining vowel/final jamo, combining marks).
 *   4. A Latin, Greek or Cyrillic word gets its stem through the stem cache (lib/stemcache.c);
 *      a Hangul word of three or more syllables gets its Korean stem (lib/kostem.c) on its
 *      first bigram, and every bigram of it reports the word's whole span.
 *
 * ASCII words never reach utf8proc: the scanner reads a byte table and the term is a
 * lower-cased copy. Nothing is allocated per token: the normalizer's buffers are reused.
 */
#include "silk/text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "silk/charclass.h"
#include "silk/kostem.h"
#include "silk/normalize.h"
#include "silk/stemcache.h"
#include "silk/utf8.h"

/* A word is normalized from at most this many input bytes: long enough for 64 output bytes
 * of any script (with marks and format characters to drop), short enough that cutting a
 * 1 MB word costs nothing. */
#define WORD_RAW_MAX (4 * SILK_TERM_MAX)
/* A CJK unit (base character plus attached jamo and marks) spans at most this many bytes;
 * further marks are separators, so a flood of marks cannot make bigrams expensive. */
#define CJK_UNIT_MAX 32

struct silk_tokenizer {
    silk_stemmer_t *stemmer;          /* not owned; NULL: no stems */
    silk_stem_cache_t *stem_cache;    /* recent stems (owned); NULL: none (no memory) */
    silk_norm_t *norm;                /* normalizes non-ASCII words and silk_normalize() */
    char word[SILK_TERM_MAX + 1];     /* the term of an ASCII word or a plain CJK bigram */
    char stem[4 * SILK_TERM_MAX + 1]; /* the current token's stem */
};

static inline bool is_alnum(int c)
{
    return c == SILK_CC_LET || c == SILK_CC_DIG;
}

/* Cuts the term t[0..*len) to SILK_TERM_MAX bytes at a character boundary. */
static void cut_term(char *t, size_t *len)
{
    if (*len <= SILK_TERM_MAX)
        return;
    size_t n = SILK_TERM_MAX;
    while (n > 0 && ((uint8_t)t[n] & 0xC0) == 0x80)
        n--;
    t[n] = 0;
    *len = n;
}

/* What kind of token a normalized term is: digits only, Latin/Greek/Cyrillic letters (and
 * digits), or anything else. *has_digit says whether it holds a digit. */
static silk_tok_kind_t term_kind(const char *t, size_t len, bool *has_digit)
{
    bool lgc = false, other = false, digit = false;
    for (size_t i = 0; i < len;) {
        uint8_t b = (uint8_t)t[i];
        if (b < 0x80) {
            int c = silk_cc_byte[b];
            if (c == SILK_CC_LET)
                lgc = true;
            else if (c == SILK_CC_DIG)
                digit = true;
            i++;
            continue;
        }
        int32_t cp;
        i += silk_utf8_decode(t + i, len - i, &cp);
        int cat = silk_cc_category(cp);
        if (silk_cc_letter_cat(cat)) {
            if (silk_cc_is_lgc(cp))
                lgc = true;
            else
                other = true;
        } else if (cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NO) {
            digit = true;
        } else if (!silk_cc_mark_cat(cat)) {
            other = true; /* a symbol from a compatibility mapping (1⁄2) */
        }
    }
    *has_digit = digit;
    if (other)
        return SILK_TOK_OTHER;
    if (lgc)
        return SILK_TOK_WORD;
    return digit ? SILK_TOK_NUMBER : SILK_TOK_OTHER;
}

/* ---- tokenizing ------------------------------------------------------------------------- */

typedef struct {
    silk_tokenizer_t *tok; /* the tokenizer */
    const char *s;         /* the input */
    size_t n;              /* its length */
    silk_token_cb cb;      /* the caller's callback */
    void *ud;              /* its argument */
    uint32_t pos;          /* the next token's position */
    bool stopped;          /* the callback asked to stop */
} run_t;

/* What a CJK token reports about the word it belongs to. */
typedef struct {
    size_t start, end; /* the word's byte span in the input */
    const char *stem;  /* its Korean stem (NUL-terminated), NULL when none */
    size_t stem_len;   /* its length in bytes */
} word_t;

/* Reports the term[0..len) (NUL-terminated) of input bytes [start,end) to the callback,
 * with its stem when it is a word without digits and a stemmer is set. `w` (NULL: the
 * token is its own word) gives a CJK token's word and Korean stem. */
static silk_status_t emit(run_t *r, const char *term, size_t len, size_t start, size_t end,
                          silk_tok_kind_t kind, bool has_digit, const word_t *w)
{
    silk_tokenizer_t *tok = r->tok;
    silk_token_t t;
    if (len == 0)
        return SILK_OK; /* a word of tatweels: nothing left to index */
    t.term = term;
    t.len = len;
    t.stem = NULL;
    t.stem_len = 0;
    t.pos = r->pos++;
    t.start = start;
    t.end = end;
    t.kind = kind;
    t.word_start = w ? w->start : start;
    t.word_end = w ? w->end : end;
    if (w && w->stem) {
        t.stem = w->stem;
        t.stem_len = w->stem_len;
    } else if (kind == SILK_TOK_WORD && !has_digit && tok->stemmer) {
        silk_status_t rc = silk_stem_cache_stem(tok->stem_cache, tok->stemmer, term, len, tok->stem,
                                                sizeof tok->stem, &t.stem, &t.stem_len);
        if (rc != SILK_OK)
            return rc;
    }
    if (r->cb(&t, r->ud))
        r->stopped = true;
    return SILK_OK;
}

/* The last place at or before `limit` where the word s[start..end) may be cut: after a
 * letter, digit or mark, and (when `whole_clusters`) not before a mark. 0 when none. */
static size_t cut_point(const char *s, size_t start, size_t end, size_t limit, bool whole_clusters)
{
    size_t best = 0, i = start, len;
    int prev = SILK_CC_SEP;
    while (i <= limit) {
        bool after_base = is_alnum(prev) || prev == SILK_CC_MARK;
        if (i >= end) {
            if (after_base)
                best = i;
            break;
        }
        int c = silk_cc_at(s, end, i, &len, NULL);
        if (i > start && after_base && (!whole_clusters || c != SILK_CC_MARK))
            best = i;
        prev = c;
        i += len;
    }
    return best;
}

/* The same, falling back to a cut inside a cluster when no whole cluster fits. */
static size_t cut_word(const char *s, size_t start, size_t end, size_t limit)
{
    size_t cut = cut_point(s, start, end, limit, true);
    return cut ? cut : cut_point(s, start, end, limit, false);
}

/* Emits the ASCII word s[start..end): a lower-case copy without acronym dots (a dot after
 * a letter, inside a word), cut to SILK_TERM_MAX bytes after a letter or digit. */
static silk_status_t emit_ascii_word(run_t *r, size_t start, size_t end)
{
    const uint8_t *s = (const uint8_t *)r->s;
    char *o = r->tok->word;
    size_t lim = end, len = 0;
    if (lim - start > SILK_TERM_MAX) {
        lim = start + SILK_TERM_MAX;
        while (!is_alnum(silk_cc_byte[s[lim - 1]]))
            lim--;
    }
    bool letter = false, digit = false, prev_letter = false;
    for (size_t i = start; i < lim; i++) {
        uint8_t b = s[i];
        switch (silk_cc_byte[b]) {
        case SILK_CC_LET:
            letter = prev_letter = true;
            o[len++] = (char)(b | 0x20);
            break;
        case SILK_CC_DIG:
            digit = true;
            prev_letter = false;
            o[len++] = (char)b;
            break;
        case SILK_CC_DOT:
            if (!prev_letter)
                o[len++] = '.';
            break;
        default:
            o[len++] = (char)b;
            break;
        }
    }
    o[len] = 0;
    return emit(r, o, len, start, lim,
                letter ? SILK_TOK_WORD : (digit ? SILK_TOK_NUMBER : SILK_TOK_OTHER), digit, NULL);
}

/* Emits the word s[start..end): its normalized form, cut to SILK_TERM_MAX bytes. */
static silk_status_t emit_word(run_t *r, size_t start, size_t end, bool ascii)
{
    silk_tokenizer_t *tok = r->tok;
    const char *s = r->s;
    silk_status_t rc;
    char *term;
    size_t lim = end, len;

    if (ascii)
        return emit_ascii_word(r, start, end);
    if (end - start > WORD_RAW_MAX)
        lim = cut_word(s, start, end, start + WORD_RAW_MAX);
    /* A prefix of a word, cut after a letter, digit or mark, is still one word. */
    if ((rc = silk_norm_word(tok->norm, s + start, lim - start, &term, &len)) != SILK_OK)
        return rc;
    while (len > SILK_TERM_MAX) {
        /* Too long: cut where the output should fit, then step back until it does. */
        size_t target = start + (lim - start) * SILK_TERM_MAX / len;
        if (target >= lim)
            target = lim - 1;
        size_t cut = cut_word(s, start, lim, target);
        if (!cut) {
            size_t first;
            (void)silk_cc_at(s, lim, start, &first, NULL);
            cut = start + first; /* the first character alone */
        }
        if (cut >= lim)
            break;
        lim = cut;
        if ((rc = silk_norm_word(tok->norm, s + start, lim - start, &term, &len)) != SILK_OK)
            return rc;
    }
    /* One code point never expands beyond 54 bytes under NFKC, so this is a guard. */
    cut_term(term, &len);
    bool has_digit;
    silk_tok_kind_t kind = term_kind(term, len, &has_digit);
    return emit(r, term, len, start, lim, kind, has_digit, NULL);
}

/* Emits the CJK unit or bigram s[start..end); `plain` says it is its own normal form, `w`
 * (may be NULL) the Hangul word it starts in. */
static silk_status_t emit_cjk(run_t *r, size_t start, size_t end, bool plain, const word_t *w)
{
    silk_tokenizer_t *tok = r->tok;
    silk_status_t rc;
    size_t len = end - start;
    char *term;
    if (plain && len <= SILK_TERM_MAX) {
        term = tok->word;
        memcpy(term, r->s + start, len);
        term[len] = 0;
    } else {
        if ((rc = silk_norm_text(tok->norm, r->s + start, len, &term, &len)) != SILK_OK)
            return rc;
        cut_term(term, &len); /* only reachable with stacks of marks */
    }
    return emit(r, term, len, start, end, SILK_TOK_CJK, false, w);
}

/* The end of the Hangul word that starts at s[i], a precomposed syllable standing alone:
 * the syllables that follow it directly, each without a jamo or mark attached (such a unit
 * is not its own normal form, and a word is only what the stemmer can read as it is). */
static size_t hangul_word_end(const char *s, size_t n, size_t i)
{
    int32_t cp, next;
    (void)silk_utf8_decode(s + i, n - i, &cp);
    for (;;) {
        size_t k = i + SILK_KO_SYLLABLE_BYTES;
        if (k >= n || (uint8_t)s[k] < 0x80)
            return k;
        (void)silk_utf8_decode(s + k, n - k, &next);
        if (!silk_ko_is_syllable(next))
            return silk_cc_cjk_attaches(next, silk_cc_classify(next), cp) ? i : k;
        i = k;
        cp = next;
    }
}

/* Fills w, the Hangul word s[start..end) a bigram starts in; the word's first bigram also
 * gets its stem. A word of two syllables has no stem: it is one bigram, whose term already
 * is the word (and a query of one bigram is then searched as that term, as before). A word
 * longer than a term has none either. */
static void hangul_word(run_t *r, size_t start, size_t end, bool first, word_t *w)
{
    size_t len = end - start;
    w->start = start;
    w->end = end;
    w->stem = NULL;
    w->stem_len = 0;
    if (!first || len < 3 * SILK_KO_SYLLABLE_BYTES || len > SILK_TERM_MAX)
        return;
    char *stem = r->tok->stem;
    w->stem_len = silk_ko_stem(r->s + start, len);
    memcpy(stem, r->s + start, w->stem_len);
    stem[w->stem_len] = 0;
    w->stem = stem;
}

/* Tokenizes the CJK run that starts at s[i] (a CJK letter) and returns where it ends. */
static silk_status_t cjk_run(run_t *r, size_t i, size_t *next)
{
    const char *s = r->s;
    size_t n = r->n, len;
    size_t prev_start = 0, prev_end = 0, units = 0;
    bool prev_plain = false;
    size_t ws = 0, we = 0;    /* the current Hangul word (we = 0: none yet) */
    bool prev_hangul = false; /* the previous unit lies in that word */
    silk_status_t rc = SILK_OK;
    int32_t cp;
    int c = silk_cc_at(s, n, i, &len, &cp);

    while (c == SILK_CC_CJK) {
        size_t ustart = i;
        int32_t base = cp;
        bool plain = silk_cc_cjk_plain(cp);
        i += len;
        for (;;) {
            int32_t cp2;
            size_t l2;
            int c2 = silk_cc_at(s, n, i, &l2, &cp2);
            if (l2 == 0 || !silk_cc_cjk_attaches(cp2, c2, base) || i + l2 - ustart > CJK_UNIT_MAX)
                break;
            plain = false;
            i += l2;
        }
        if (units > 0) {
            /* The bigram belongs to the word of its first unit. */
            word_t w;
            if (prev_hangul)
                hangul_word(r, ws, we, prev_start == ws, &w);
            /* Raw bytes only when nothing (a bidi mark) sits between the two units. */
            rc = emit_cjk(r, prev_start, i, prev_plain && plain && prev_end == ustart,
                          prev_hangul ? &w : NULL);
            if (rc != SILK_OK || r->stopped)
                goto done;
        }
        /* A lone Hangul syllable begins a word that the stemmer may read; the word ends
         * where something else than such a syllable comes. */
        bool hangul = plain && silk_ko_is_syllable(base);
        if (hangul && ustart >= we) {
            ws = ustart;
            we = hangul_word_end(s, n, ustart);
        }
        prev_hangul = hangul && ustart < we;
        prev_start = ustart;
        prev_end = i;
        prev_plain = plain;
        units++;
        /* Format characters (bidi marks) between two CJK letters do not break the run. */
        size_t j = i;
        for (;;) {
            c = silk_cc_at(s, n, j, &len, &cp);
            if (c != SILK_CC_FMT)
                break;
            j += len;
        }
        if (c == SILK_CC_CJK)
            i = j;
    }
    if (units == 1)
        rc = emit_cjk(r, prev_start, prev_end, prev_plain, NULL);
done:
    *next = i;
    return rc;
}

silk_status_t silk_tokenize(silk_tokenizer_t *tok, const char *text, size_t len, uint32_t first_pos,
                            silk_token_cb cb, void *ud, uint32_t *next_pos)
{
    run_t r = {tok, text, len, cb, ud, first_pos, false};
    silk_status_t rc = SILK_OK;
    size_t i = 0;

    if (!tok || (!text && len) || !cb)
        return SILK_ERR_INVALID;
    while (i < len && !r.stopped) {
        uint8_t b = (uint8_t)text[i];
        int c;
        size_t clen;
        if (b < 0x80) {
            c = silk_cc_byte[b];
            clen = 1;
        } else {
            c = silk_cc_at(text, len, i, &clen, NULL);
        }
        if (is_alnum(c)) {
            bool ascii;
            size_t end = silk_cc_scan_word(text, len, i, &ascii);
            if ((rc = emit_word(&r, i, end, ascii)) != SILK_OK)
                break;
            i = end;
        } else if (c == SILK_CC_CJK) {
            if ((rc = cjk_run(&r, i, &i)) != SILK_OK)
                break;
        } else {
            i += clen;
        }
    }
    if (next_pos)
        *next_pos = r.pos;
    return rc;
}

silk_status_t silk_normalize(silk_tokenizer_t *tok, const char *text, size_t len, const char **out,
                             size_t *out_len)
{
    char *term;
    size_t olen = 0;
    silk_status_t rc;
    if (!tok || (!text && len) || !out)
        return SILK_ERR_INVALID;
    rc = silk_norm_text(tok->norm, text ? text : "", len, &term, &olen);
    if (rc != SILK_OK)
        return rc;
    *out = term;
    if (out_len)
        *out_len = olen;
    return SILK_OK;
}

silk_status_t silk_tokenizer_new(silk_tokenizer_t **out)
{
    silk_tokenizer_t *tok = NULL;
    if (!out)
        return SILK_ERR_INVALID;
    tok = calloc(1, sizeof *tok);
    if (!tok)
        goto fail;
    if (silk_norm_new(&tok->norm) != SILK_OK)
        goto fail;
    *out = tok;
    return SILK_OK;
fail:
    silk_tokenizer_destroy(tok);
    return SILK_ERR_NOMEM;
}

void silk_tokenizer_destroy(silk_tokenizer_t *tok)
{
    if (!tok)
        return;
    silk_norm_destroy(tok->norm);
    silk_stem_cache_destroy(tok->stem_cache);
    free(tok);
}

void silk_tokenizer_set_stemmer(silk_tokenizer_t *tok, silk_stemmer_t *st)
{
    if (!tok)
        return;
    /* Always forget cached stems: a new stemmer may sit at the address of a freed one. */
    silk_stem_cache_clear(tok->stem_cache);
    /* Without memory for the cache every word goes to the stemmer: slower, same stems. */
    if (st && !tok->stem_cache)
        (void)silk_stem_cache_new(&tok->stem_cache);
    tok->stemmer = st;
}
