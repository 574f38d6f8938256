/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the ranking parameters (include/silk/rank.h): one table of keys, each with its
 * type, bounds and field, used by set, merge and describe alike. */
#include "silk/rank.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { K_SCHEME, K_DOUBLE, K_UINT, K_BOOL } ktype_t;

typedef struct {
    const char *name;
    ktype_t type;
    size_t off;    /* offsetof the field in silk_rank_t */
    double lo, hi; /* bounds (inclusive; lo_open: lo excluded) */
    int lo_open;   /* lo itself is out of bounds */
} rkey_t;

#define F(f) offsetof(silk_rank_t, f)
static const rkey_t keys[] = {
    {"scheme", K_SCHEME, F(scheme), 0, 0, 0},
    {"k1", K_DOUBLE, F(k1), 0, 10, 0},
    {"b", K_DOUBLE, F(b), 0, 1, 0},
    {"delta", K_DOUBLE, F(delta), 0, 5, 0},
    {"c", K_DOUBLE, F(c), 0, 50, 1},
    {"stopwords", K_BOOL, F(stopwords), 0, 1, 0},
    {"phrase", K_DOUBLE, F(phrase), 0, 10, 0},
    {"proximity", K_DOUBLE, F(proximity), 0, 10, 0},
    {"window", K_UINT, F(window), 2, 50, 0},
    {"title", K_DOUBLE, F(title), 0, 10, 0},
    {"section", K_DOUBLE, F(section), 0, 10, 0},
    {"keyword_terms", K_UINT, F(keyword_terms), 0, 64, 0},
    {"fb_docs", K_UINT, F(fb_docs), 0, 20, 0},
    {"fb_terms", K_UINT, F(fb_terms), 1, 100, 0},
    {"fb_weight", K_DOUBLE, F(fb_weight), 0, 2, 0},
    {"fb_freeze", K_UINT, F(fb_freeze), 0, 20, 0},
    {"fb_min_docs", K_UINT, F(fb_min_docs), 1, 20, 0},
    {"fb_min_words", K_UINT, F(fb_min_words), 1, 64, 0},
};
#undef F
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *const schemes[SILK_WEIGHT_COUNT] = {
    [SILK_WEIGHT_BM25] = "bm25", [SILK_WEIGHT_BM25PLUS] = "bm25+", [SILK_WEIGHT_INEB2] = "ineb2",
    [SILK_WEIGHT_INL2] = "inl2", [SILK_WEIGHT_BB2] = "bb2",        [SILK_WEIGHT_PL2] = "pl2",
    [SILK_WEIGHT_DPH] = "dph",
};

/* Tuned on Cranfield only (bench/eval/tune.py, docs/benchmarks.md): IneB2 (c 0.5) was the
 * best bag-of-words scheme with stopwords left out, and feedback from the first 2 hits (50
 * terms at weight 0.5, the first 3 hits frozen) the best over it. The proximity bonus
 * (0.1, pairs within 8 positions) gained 0.0027 nDCG@10 over that at about three times the
 * cost of a long query: under the method's 0.003, so it is off. k1 and b are BM25's best
 * (used with scheme=bm25). The field weights are not tuned: Cranfield repeats the title
 * in every abstract, so it cannot tell what a title is worth (they apply to keyword
 * queries only). */
void silk_rank_defaults(silk_rank_t *r)
{
    *r = (silk_rank_t){
        .scheme = SILK_WEIGHT_INEB2,
        .k1 = 4.0,
        .b = 0.6,
        .delta = 1.0,
        .c = 0.5,
        .stopwords = 1,
        .phrase = 1.0,
        .proximity = 0,
        .window = 8,
        .title = 2.0,
        .section = 1.5,
        .keyword_terms = 6,
        .fb_docs = 2,
        .fb_terms = 50,
        .fb_weight = 0.5,
        .fb_freeze = 3,
        .fb_min_docs = 1,
        .fb_min_words = 5,
    };
}

const char *silk_rank_scheme_name(silk_weight_t w)
{
    return (unsigned)w < SILK_WEIGHT_COUNT ? schemes[w] : "?";
}

int silk_rank_is_key(const char *key)
{
    for (size_t i = 0; key != NULL && i < NKEYS; i++)
        if (strcmp(keys[i].name, key) == 0)
            return 1;
    return 0;
}

static silk_status_t bad(char *err, size_t cap, const char *fmt, const char *a, double lo,
                         double hi)
{
    if (err != NULL && cap > 0)
        snprintf(err, cap, fmt, a, lo, hi);
    return SILK_ERR_INVALID;
}

silk_status_t silk_rank_set(silk_rank_t *r, const char *key, const char *value, char *err,
                            size_t errcap)
{
    if (r == NULL || key == NULL || value == NULL)
        return bad(err, errcap, "%s: missing ranking parameter", "rank", 0, 0);
    const rkey_t *k = NULL;
    size_t idx = 0;
    for (; idx < NKEYS; idx++)
        if (strcmp(keys[idx].name, key) == 0) {
            k = &keys[idx];
            break;
        }
    if (k == NULL) {
        if (err != NULL && errcap > 0) {
            int n = snprintf(err, errcap, "unknown ranking parameter \"%.40s\" (one of", key);
            for (size_t i = 0; i < NKEYS && n > 0 && (size_t)n < errcap; i++)
                n += snprintf(err + n, errcap - (size_t)n, "%s %s", i ? "," : "", keys[i].name);
            if (n > 0 && (size_t)n < errcap)
                snprintf(err + n, errcap - (size_t)n, ")");
        }
        return SILK_ERR_INVALID;
    }
    char *field = (char *)r + k->off;
    switch (k->type) {
    case K_SCHEME:
        for (int w = 0; w < SILK_WEIGHT_COUNT; w++)
            if (strcmp(schemes[w], value) == 0) {
                *(silk_weight_t *)(void *)field = (silk_weight_t)w;
                r->set |= 1u << idx;
                return SILK_OK;
            }
        return bad(err, errcap,
                   "ranking parameter %s: one of bm25, bm25+, ineb2, inl2, bb2, pl2, dph", k->name,
                   0, 0);
    case K_BOOL:
        if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0 || strcmp(value, "yes") == 0)
            *(int *)(void *)field = 1;
        else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0 || strcmp(value, "no") == 0)
            *(int *)(void *)field = 0;
        else
            return bad(err, errcap, "ranking parameter %s: true or false", k->name, 0, 0);
        r->set |= 1u << idx;
        return SILK_OK;
    case K_DOUBLE:
    case K_UINT: {
        char *end = NULL;
        errno = 0;
        double v = strtod(value, &end);
        int ok = end != value && *end == '\0' && errno == 0 && isfinite(v) &&
                 (k->lo_open ? v > k->lo : v >= k->lo) && v <= k->hi;
        if (ok && k->type == K_UINT && v != floor(v))
            ok = 0;
        if (!ok)
            return bad(err, errcap,
                       k->type == K_UINT ? "ranking parameter %s: a whole number in [%g, %g]"
                       : k->lo_open      ? "ranking parameter %s: a number in (%g, %g]"
                                         : "ranking parameter %s: a number in [%g, %g]",
                       k->name, k->lo, k->hi);
        if (k->type == K_UINT)
            *(unsigned *)(void *)field = (unsigned)v;
        else
            *(double *)(void *)field = v;
        r->set |= 1u << idx;
        return SILK_OK;
    }
    }
    return SILK_ERR_INVALID;
}

void silk_rank_merge(silk_rank_t *dst, const silk_rank_t *over)
{
    if (dst == NULL || over == NULL)
        return;
    for (size_t i = 0; i < NKEYS; i++) {
        if (!(over->set & (1u << i)))
            continue;
        size_t sz = keys[i].type == K_DOUBLE   ? sizeof(double)
                    : keys[i].type == K_SCHEME ? sizeof(silk_weight_t)
                    : keys[i].type == K_BOOL   ? sizeof(int)
                                               : sizeof(unsigned);
        memcpy((char *)dst + keys[i].off, (const char *)over + keys[i].off, sz);
        dst->set |= 1u << i;
    }
}

void silk_rank_describe(const silk_rank_t *r, char *buf, size_t cap)
{
    if (buf == NULL || cap == 0)
        return;
    buf[0] = '\0';
    size_t n = 0;
    for (size_t i = 0; i < NKEYS && n < cap; i++) {
        const char *f = (const char *)r + keys[i].off;
        const char *sep = i ? " " : "";
        int w = 0;
        switch (keys[i].type) {
        case K_SCHEME:
            w = snprintf(buf + n, cap - n, "%s%s=%s", sep, keys[i].name,
                         silk_rank_scheme_name(*(const silk_weight_t *)(const void *)f));
            break;
        case K_BOOL:
            w = snprintf(buf + n, cap - n, "%s%s=%s", sep, keys[i].name,
                         *(const int *)(const void *)f ? "true" : "false");
            break;
        case K_DOUBLE:
            w = snprintf(buf + n, cap - n, "%s%s=%g", sep, keys[i].name,
                         *(const double *)(const void *)f);
            break;
        case K_UINT:
            w = snprintf(buf + n, cap - n, "%s%s=%u", sep, keys[i].name,
                         *(const unsigned *)(const void *)f);
            break;
        }
        if (w < 0)
            break;
        n += (size_t)w;
    }
    if (n >= cap)
        buf[cap - 1] = '\0';
}

void silk_rank_search_opts(const silk_rank_t *r, silk_search_opts_t *so)
{
    so->scheme = r->scheme;
    so->k1 = r->k1;
    so->b = r->b;
    so->delta = r->delta;
    so->c = r->c;
}
