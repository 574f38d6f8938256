/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — typo-tolerant matching: the index terms a misspelt query word may have meant.
 *
 * As in Meilisearch and Typesense, a word of SILK_TYPO_MIN_CHARS characters or more that
 * the index does not know (or, with SILK_TYPO_RARE_FREQ_MAX, knows far more rarely than a
 * close neighbour) also matches
 * the index terms within one edit of it, two from SILK_TYPO_TWO_EDITS_CHARS characters.
 * Characters are code points of the normalized term, so a Hangul syllable is one and a
 * Persian word is compared after its letters were folded. An edit is an insertion, a
 * deletion, a substitution or the transposition of two neighbours (Damerau).
 *
 * The search is bounded three ways: only terms sharing the word's first character are
 * examined (Meilisearch counts a typo on the first letter as two, so that is no loss for
 * one edit), at most SILK_TYPO_EXAMINE_MAX of them per word, and for at most
 * SILK_TYPO_TIME_US microseconds; of the matches SILK_TYPO_KEEP_MAX are kept, the closest
 * and then the most frequent. The query builder (qbuild.h) ORs them into the word's
 * subquery, scaled by SILK_TYPO_WEIGHT so that exact matches rank first.
 */
#ifndef SILK_TYPO_H
#define SILK_TYPO_H

#include <stddef.h>
#include <stdint.h>

#include "silk/db.h"
#include "silk/qmatch.h"
#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_TYPO_MIN_CHARS       5 /* shorter words are exact: too many neighbours */
#define SILK_TYPO_TWO_EDITS_CHARS 9 /* from this length two edits are allowed */
/* When an all-words query found nothing, its words of this many characters (up to
 * SILK_TYPO_MIN_CHARS) that the index lacks get one edit too before the query is relaxed
 * to OR: `axis of evl` then finds "axis of evil". */
#define SILK_TYPO_SHORT_MIN_CHARS 3
#define SILK_TYPO_EXAMINE_MAX     5000 /* index terms compared per query word */
#define SILK_TYPO_KEEP_MAX        5    /* corrections kept per query word */
#define SILK_TYPO_TIME_US         5000 /* time spent walking the terms of one word */
#define SILK_TYPO_RARER                                                                            \
    50 /* a known word is a typo of a neighbour this many                                          \
          times more frequent */
/* A known word is looked at (for a neighbour SILK_TYPO_RARER times more frequent) only
 * when it is in at most this many documents. 0: never. At 3 the rule cost a term walk per
 * rare query word (+40 us on `weapons lebanon` in the article's mix) and changed no
 * nDCG@10 of Cranfield, KorQuAD or PersianQA, so only absent words are corrected. */
#define SILK_TYPO_RARE_FREQ_MAX 0
#define SILK_TYPO_WEIGHT        0.5 /* weight of the corrections beside the exact word */

/* An index term that a query word may have meant. */
typedef struct {
    char term[SILK_TERM_MAX + 1]; /* the index term, NUL-terminated */
    unsigned dist;                /* edits from the query word (1 or 2) */
    uint64_t freq;                /* documents indexed by it */
} silk_typo_cand_t;

/* Number of characters (code points) of s[0, len). */
size_t silk_typo_chars(const char *s, size_t len);

/* Edits allowed for a word of `chars` characters: 0 below SILK_TYPO_MIN_CHARS (below
 * SILK_TYPO_SHORT_MIN_CHARS when `short_ok`), 1, or 2 from SILK_TYPO_TWO_EDITS_CHARS. */
unsigned silk_typo_max_edits(size_t chars, int short_ok);

/* The Damerau (optimal string alignment) distance between a[0, alen) and b[0, blen) in
 * code points, or max + 1 as soon as it is known to exceed max (max <= 2). Words longer
 * than SILK_TERM_MAX bytes are cut there. */
unsigned silk_typo_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

/* The corrections of the normalized query term `term` (with its English stem `stem`, or
 * NULL) in db: none (*n = 0) when it is shorter than SILK_TYPO_MIN_CHARS characters (with
 * `short_ok`: shorter than SILK_TYPO_SHORT_MIN_CHARS, or short and known at all), or
 * known (as a term or through its stem) and not far rarer than its neighbours. out has
 * room for SILK_TYPO_KEEP_MAX candidates; *n receives how many were found, closest first,
 * then the most frequent. The database's errors are passed on. */
silk_status_t silk_typo_candidates(silk_db_t *db, const char *term, const char *stem, int short_ok,
                                   silk_typo_cand_t *out, size_t *n);

/* A correction made: query word `from` also matched index term `to`. */
typedef struct {
    char from[SILK_TERM_MAX + 1]; /* the normalized query word */
    char to[SILK_TERM_MAX + 1];   /* the index term it was taken to mean */
} silk_typo_fix_t;

/* The corrections of a query, growing. Zero-initialize; free with silk_typo_fixes_free(). */
typedef struct {
    silk_typo_fix_t *v; /* corrections [0, n) */
    size_t n;           /* how many */
    size_t cap;         /* allocated */
} silk_typo_fixes_t;

void silk_typo_fixes_free(silk_typo_fixes_t *f);

/* Expands a query word: when it has corrections, *body (owned) is replaced by *body OR the
 * OP_SYNONYM of its corrections scaled by SILK_TYPO_WEIGHT, each correction searched by its
 * stem when the tokenizer gives it one (so `misile` finds `missiles` through `missile`);
 * each is added to the highlight matcher m under `id` (unless id < 0) and appended to
 * fixes. `short_ok` as for silk_typo_candidates(). Without corrections nothing changes. On failure
 * *body is unchanged (still the caller's). */
silk_status_t silk_typo_expand(silk_db_t *db, silk_tokenizer_t *tok, const char *term,
                               const char *stem, int short_ok, silk_qmatch_t *m, int id,
                               silk_query_t **body, silk_typo_fixes_t *fixes);

#ifdef __cplusplus
}
#endif

#endif
