/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — a relevance scorer of our own: MAP, nDCG@10, Recall@100 and MRR@10 over
 * TREC-style judgments (qrels) and runs, the figures issue 8 reports for every engine.
 *
 * Definitions (the ones trec_eval uses, with linear gains):
 *   - A document is relevant when its judged gain is > 0; unjudged documents have gain 0.
 *   - AP = sum over relevant documents retrieved at rank r of (relevant in top r) / r,
 *     divided by the number of relevant documents judged for the query. The whole run
 *     (at most SILK_EVAL_DEPTH hits) counts.
 *   - nDCG@10 = DCG@10 / IDCG@10, DCG = sum over ranks r <= 10 of gain / log2(r + 1),
 *     IDCG the DCG of the judged gains sorted in decreasing order.
 *   - Recall@100 = relevant documents in the top 100 / relevant documents judged.
 *   - MRR@10 = 1 / rank of the first relevant document in the top 10, else 0.
 *   - A document retrieved twice for one query counts once, at its first rank.
 *   - Means are taken over the queries of the qrels that have at least one relevant
 *     document; such a query that is missing from the run scores 0 on every measure, so
 *     an engine cannot gain by failing on hard queries.
 */
#ifndef SILK_BENCH_SCORE_H
#define SILK_BENCH_SCORE_H

#include <stddef.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_EVAL_DEPTH 100 /* hits of a run that count (Recall@100, AP) */

typedef struct silk_eval silk_eval_t;

typedef struct {
    double map;       /* mean average precision */
    double ndcg10;    /* mean nDCG@10 */
    double recall100; /* mean Recall@100 */
    double mrr10;     /* mean reciprocal rank of the first relevant hit, cut at 10 */
    size_t queries;   /* queries averaged (judged, with >= 1 relevant document) */
    size_t answered;  /* of those, queries with at least one hit in the run */
} silk_eval_scores_t;

/* Per-query measures from the gains of a ranked list. `gains[i]` is the judged gain of
 * the document at rank i + 1 (0 when unjudged or not relevant), `n` the length of the
 * list; `judged` holds the gains of every judged document of the query (`njudged` of
 * them, any order, non-relevant ones included or not). These are the building blocks of
 * silk_eval_score() and are exported for the unit test. */
double silk_eval_ap(const int *gains, size_t n, const int *judged, size_t njudged);
double silk_eval_ndcg(const int *gains, size_t n, const int *judged, size_t njudged, size_t cutoff);
double silk_eval_recall(const int *gains, size_t n, const int *judged, size_t njudged,
                        size_t cutoff);
double silk_eval_rr(const int *gains, size_t n, size_t cutoff);

/* An empty set of judgments and runs. Free with silk_eval_destroy() (NULL is fine). */
silk_status_t silk_eval_new(silk_eval_t **out);
void silk_eval_destroy(silk_eval_t *ev);

/* Adds one judgment: query `qid`, document `docid`, graded `gain` (<= 0: not relevant).
 * The strings are copied. */
silk_status_t silk_eval_add_judgment(silk_eval_t *ev, const char *qid, const char *docid, int gain);

/* Adds one hit of the run: query `qid` retrieved `docid` at `rank` (1-based; hits of a
 * query are ordered by rank, any insertion order). The strings are copied. */
silk_status_t silk_eval_add_hit(silk_eval_t *ev, const char *qid, const char *docid, unsigned rank);

/* Reads a TREC qrels file ("qid iter docid gain" per line). */
silk_status_t silk_eval_load_qrels(silk_eval_t *ev, const char *path);

/* Reads a TREC run file ("qid Q0 docid rank score tag" per line). */
silk_status_t silk_eval_load_run(silk_eval_t *ev, const char *path);

/* Scores the run against the judgments (see the definitions at the top). */
silk_status_t silk_eval_score(silk_eval_t *ev, silk_eval_scores_t *out);

/* The message of the last failure on ev (file and line of a parse error), or "". */
const char *silk_eval_error(const silk_eval_t *ev);

#ifdef __cplusplus
}
#endif

#endif
