/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the ranking parameters of a search: the weighting scheme and its parameters,
 * query-time stopwords, the phrase and proximity bonuses, the field weights and
 * pseudo-relevance feedback, as one struct with defaults, set by name with validation
 * and bounds.
 *
 * The same names are used everywhere a parameter can be set: silkd's configuration file
 * (`[ranking]`), the `"rank":{…}` member of a search request (docs/protocol.md), and
 * `bench/tune`. The searcher (search.h) takes a silk_rank_t as its defaults and a request
 * may override some of them (silk_rank_merge); `explain` reports the values a search ran
 * with (silk_rank_describe). This module calls nothing (it is linked into the client).
 *
 * Keys (type, bounds, default; see docs/protocol.md for what each does):
 *   scheme        bm25 | bm25+ | ineb2 | inl2 | bb2 | pl2 | dph
 *   k1, b         BM25 / BM25+: k1 in [0, 10], b in [0, 1]
 *   delta         BM25+: [0, 5]
 *   c             the DFR schemes' normalization: (0, 50]
 *   stopwords     true: English stopwords are left out of an any-word query (and of the
 *                 relaxed retry of an all-words one) unless the query has nothing else
 *   phrase        weight of the whole-phrase bonus of keyword queries: [0, 10]
 *   proximity     weight of the word-pair bonus of longer queries: [0, 10] (0: none)
 *   window        positions within which a pair counts as near: [2, 50]
 *   title         weight of title matches of keyword queries: [0, 10] (0: none)
 *   section       weight of section-heading matches of keyword queries: [0, 10]
 *   keyword_terms queries of at most this many terms are keyword queries: [0, 64]
 *   fb_docs       feedback documents (0: no feedback): [0, 20]
 *   fb_terms      expansion terms: [1, 100]
 *   fb_weight     weight of the expansion terms: [0, 2]
 *   fb_freeze     the first hits kept in place by feedback: [0, 20]
 *   fb_min_docs   an expansion term is in at least this many feedback documents: [1, 20]
 *   fb_min_words  feedback only for queries of at least this many words: [1, 64]
 */
#ifndef SILK_RANK_H
#define SILK_RANK_H

#include <stddef.h>
#include <stdint.h>

#include "silk/db.h" /* silk_weight_t, silk_search_opts_t */
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    silk_weight_t scheme;   /* weighting scheme */
    double k1, b;           /* BM25 and BM25+ */
    double delta;           /* BM25+ */
    double c;               /* DFR normalization */
    int stopwords;          /* 1: query-time English stopwords left out (see above) */
    double phrase;          /* whole-phrase bonus of keyword queries */
    double proximity;       /* word-pair bonus of longer queries */
    unsigned window;        /* the pair window, positions */
    double title, section;  /* field weights of keyword queries */
    unsigned keyword_terms; /* the longest keyword query, in terms */
    unsigned fb_docs;       /* feedback documents (0: none) */
    unsigned fb_terms;      /* expansion terms */
    double fb_weight;       /* their weight */
    unsigned fb_freeze;     /* the first hits feedback leaves in place */
    unsigned fb_min_docs;   /* an expansion term is in this many feedback documents */
    unsigned fb_min_words;  /* feedback only for queries of this many words */
    uint32_t set;           /* bit i: key i was set (silk_rank_set), for silk_rank_merge */
} silk_rank_t;

/* The bound of the text silk_rank_describe writes. */
#define SILK_RANK_DESCRIBE_MAX 512

/* Fills r with silk's defaults (tuned on Cranfield, docs/benchmarks.md); r->set is 0. */
void silk_rank_defaults(silk_rank_t *r);

/* Sets the parameter `key` from its text `value` (a number, true/false, or a scheme
 * name), checking its type and bounds, and marks it set. SILK_ERR_INVALID for an unknown
 * key or a bad value, with a message (naming the key and its bounds) in err (may be NULL;
 * errcap bytes). */
silk_status_t silk_rank_set(silk_rank_t *r, const char *key, const char *value, char *err,
                            size_t errcap);

/* Copies into dst the parameters marked set in over (dst's own marks are kept). */
void silk_rank_merge(silk_rank_t *dst, const silk_rank_t *over);

/* Nonzero when the key is a ranking parameter's name. */
int silk_rank_is_key(const char *key);

/* The name of a scheme ("bm25", "bm25+", ...), or "?" */
const char *silk_rank_scheme_name(silk_weight_t w);

/* One line, "scheme=bm25 k1=1.2 ...": every parameter, into buf (cap bytes; cut at cap). */
void silk_rank_describe(const silk_rank_t *r, char *buf, size_t cap);

/* The weighting fields of a search's options from r. */
void silk_rank_search_opts(const silk_rank_t *r, silk_search_opts_t *so);

#ifdef __cplusplus
}
#endif

#endif
