/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — `score QRELS RUN`: prints the run's MAP, nDCG@10, Recall@100 and MRR@10 as
 * one JSON object, for bench/run.sh to collect. */
#include <stdio.h>

#include "score.h"

int main(int argc, char **argv)
{
    silk_eval_t *ev = NULL;
    silk_eval_scores_t sc;
    int rc = 2;
    if (argc != 3) {
        fprintf(stderr, "usage: %s QRELS RUN\n", argv[0]);
        return 2;
    }
    if (silk_eval_new(&ev) != SILK_OK) {
        fprintf(stderr, "score: out of memory\n");
        return 2;
    }
    if (silk_eval_load_qrels(ev, argv[1]) != SILK_OK ||
        silk_eval_load_run(ev, argv[2]) != SILK_OK || silk_eval_score(ev, &sc) != SILK_OK) {
        fprintf(stderr, "score: %s\n", silk_eval_error(ev));
        goto fail;
    }
    printf("{\"map\":%.4f,\"ndcg10\":%.4f,\"recall100\":%.4f,\"mrr10\":%.4f,\"queries\":%zu,"
           "\"answered\":%zu}\n",
           sc.map, sc.ndcg10, sc.recall100, sc.mrr10, sc.queries, sc.answered);
    rc = 0;
fail:
    silk_eval_destroy(ev);
    return rc;
}
