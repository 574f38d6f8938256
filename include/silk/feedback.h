/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — pseudo-relevance feedback: the expansion terms of a search's first hits, the
 * expanded query, and the rule deciding when feedback applies (rank.h's fb_* parameters).
 *
 * The searcher (search.c) runs the query, asks silk_feedback_applies, and when it does,
 * builds the expanded query here from the first run's hits and runs it: the first
 * `fb_freeze` hits of the first run keep their places and the expanded run ranks the rest
 * below them (the expanded query excludes the frozen hits by their unique terms).
 */
#ifndef SILK_FEEDBACK_H
#define SILK_FEEDBACK_H

#include <stddef.h>

#include "silk/db.h"
#include "silk/qast.h"
#include "silk/qdefs.h"
#include "silk/rank.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most expansion terms a query may get (rank.h bounds fb_terms the same). */
#define SILK_FEEDBACK_TERMS_MAX 100

/* Whether feedback may apply to ast before the first run (so that run keeps the first
 * hits it needs): fb_docs > 0, a plain query (qast.h) of at least fb_min_words words (a
 * Hangul word split into bigrams counts once). */
int silk_feedback_wanted(const silk_rank_t *r, const silk_qast_t *ast);

/* Whether it applies to a first run in `mode` (the mode it ran in: a relaxed all-words
 * query ran as any) that holds `nhits` hits: any-word runs only (an all-words answer keeps
 * every word required), with at least fb_docs (and fb_min_docs) hits to learn from. */
int silk_feedback_applies(const silk_rank_t *r, const silk_qast_t *ast, silk_mode_t mode,
                          size_t nhits);

/* The expanded query: (orig OR fb_weight × OR(expansion terms of the first fb_docs hits
 * of m)) AND_NOT the unique terms of the first nfrozen hits of m. *nterms gets the number
 * of expansion terms; with none, *out is NULL (no feedback) and SILK_OK is returned. */
silk_status_t silk_feedback_query(silk_mset_t *m, const silk_query_t *orig, const silk_rank_t *r,
                                  size_t nfrozen, silk_query_t **out, size_t *nterms);

/* Runs feedback when it applies to the first run m (`ran`: the mode it ran in; orig: its
 * query; m holds its first hits from 0): *m2 gets the expanded run from its first hit, at
 * least `want` - *nf hits of it, *nf the number of m's first hits kept in place (fb_freeze,
 * at most those m holds) and *nterms the expansion terms. When feedback does not apply
 * (or finds no expansion term) *m2 is NULL and SILK_OK is returned. */
silk_status_t silk_feedback_run(silk_db_t *db, const silk_rank_t *r, const silk_qast_t *ast,
                                silk_mode_t ran, const silk_query_t *orig, silk_mset_t *m,
                                size_t want, silk_mset_t **m2, size_t *nf, size_t *nterms);

/* Where the hit at a page position comes from: a run, its index there, and the factor of
 * its score. */
typedef struct {
    silk_mset_t *m;
    size_t i;
    double scale;
} silk_fbsrc_t;

/* The sources of the hits of the page [offset, offset + limit) into src (limit slots);
 * returns how many. Without m2: the hits of m, which starts at position m_offset. With
 * m2: m's first nf hits, then m2's, their scores scaled so that none ranks above the last
 * frozen hit. */
size_t silk_feedback_page(silk_mset_t *m, size_t m_offset, silk_mset_t *m2, size_t nf,
                          size_t offset, size_t limit, silk_fbsrc_t *src);

#ifdef __cplusplus
}
#endif

#endif
