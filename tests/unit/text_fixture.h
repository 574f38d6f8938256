/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the text pipeline tests (test_text*.c): collecting the tokens of a run,
 * and reading the corpus article. Static inline, so a test file that does not use one
 * still compiles warning-free. */
#ifndef SILK_TEST_TEXT_FIXTURE_H
#define SILK_TEST_TEXT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "silk/text.h"

/* ---- collecting tokens ------------------------------------------------------------------ */

typedef struct {
    char term[SILK_TERM_MAX + 1];     /* the term */
    char stem[4 * SILK_TERM_MAX + 1]; /* its stem, "" when none */
    bool has_stem;                    /* a stem was reported */
    uint32_t pos;                     /* its position */
    size_t start, end;                /* its byte offsets */
    size_t word_start, word_end;      /* the offsets of its whole word */
    silk_tok_kind_t kind;             /* its kind */
} tok_t;

typedef struct {
    tok_t *v;          /* the tokens */
    size_t n, cap;     /* how many, room for */
    size_t stop_after; /* stop the run after this many (0: never) */
} toks_t;

static inline int collect(const silk_token_t *t, void *ud)
{
    toks_t *ts = ud;
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 64;
        ts->v = realloc(ts->v, ts->cap * sizeof *ts->v);
        assert_non_null(ts->v);
    }
    tok_t *k = &ts->v[ts->n++];
    assert_true(t->len <= SILK_TERM_MAX);
    assert_int_equal(strlen(t->term), t->len);
    memcpy(k->term, t->term, t->len + 1);
    k->has_stem = t->stem != NULL;
    k->stem[0] = 0;
    if (t->stem) {
        assert_true(t->stem_len < sizeof k->stem);
        memcpy(k->stem, t->stem, t->stem_len);
        k->stem[t->stem_len] = 0;
    }
    k->pos = t->pos;
    k->start = t->start;
    k->end = t->end;
    k->word_start = t->word_start;
    k->word_end = t->word_end;
    k->kind = t->kind;
    return ts->stop_after && ts->n >= ts->stop_after;
}

static inline toks_t tokenize(silk_tokenizer_t *tok, const char *s, size_t len)
{
    toks_t ts = {0};
    uint32_t next = 0;
    assert_int_equal(silk_tokenize(tok, s, len, 0, collect, &ts, &next), SILK_OK);
    assert_int_equal(next, ts.n);
    return ts;
}

/* ---- the table -------------------------------------------------------------------------- */

/* `expect` lists the tokens in order, separated by spaces: `term`, optionally followed by
 * `@start-end` (byte offsets) and `#K` (W word, N number, O other, C CJK). Positions must be
 * 0, 1, 2, ... in every case. `len` 0 means strlen(input). */
typedef struct {
    const char *name;
    const char *input;
    size_t len;
    const char *expect;
} tcase_t;

/* The corpus article of the repository (SILK_ROOT, else the current folder). */
static inline char *read_corpus(size_t *len)
{
    const char *root = getenv("SILK_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/iran-north-korea-relations.txt", root ? root : ".");
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repository root or set SILK_ROOT)", path);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

#endif
