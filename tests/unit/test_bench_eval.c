/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The benchmark's relevance scorer (bench/eval/score.c) against values computed by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../bench/eval/score.h"

#define EPS 1e-9

/* Ranked gains R,N,R,N,R (1 = relevant) with 4 relevant judged:
 * AP = (1/1 + 2/3 + 3/5) / 4 = 2.2666.../4 = 0.5666...; RR = 1; Recall@100 = 3/4. */
static void test_ap_rr_recall(void **state)
{
    (void)state;
    int gains[] = {1, 0, 1, 0, 1};
    int judged[] = {1, 1, 1, 1, 0, 0};
    assert_float_equal(silk_eval_ap(gains, 5, judged, 6), (1.0 + 2.0 / 3 + 3.0 / 5) / 4, EPS);
    assert_float_equal(silk_eval_rr(gains, 5, 10), 1.0, EPS);
    assert_float_equal(silk_eval_recall(gains, 5, judged, 6, 100), 0.75, EPS);
    assert_float_equal(silk_eval_recall(gains, 5, judged, 6, 2), 0.25, EPS);

    int late[] = {0, 0, 0, 2};
    assert_float_equal(silk_eval_rr(late, 4, 10), 0.25, EPS);
    assert_float_equal(silk_eval_rr(late, 4, 3), 0.0, EPS);
    assert_float_equal(silk_eval_ap(late, 4, judged, 6), (1.0 / 4) / 4, EPS);
    /* No relevant document judged: every measure is 0, not a division by zero. */
    int none[] = {0, 0};
    assert_float_equal(silk_eval_ap(gains, 5, none, 2), 0.0, EPS);
    assert_float_equal(silk_eval_recall(gains, 5, none, 2, 100), 0.0, EPS);
    assert_float_equal(silk_eval_ndcg(gains, 5, none, 2, 10), 0.0, EPS);
}

/* Graded: ranked gains 3,0,2 with judged gains {3,2,1}.
 * DCG = 3/log2(2) + 2/log2(4) = 3 + 1 = 4; IDCG = 3 + 2/log2(3) + 1/log2(4)
 *     = 3 + 1.2618595 + 0.5 = 4.7618595; nDCG = 0.8400080. */
static void test_ndcg_graded(void **state)
{
    (void)state;
    int gains[] = {3, 0, 2};
    int judged[] = {1, 3, 2};
    double idcg = 3.0 + 2.0 / 1.584962500721156 + 0.5;
    assert_float_equal(silk_eval_ndcg(gains, 3, judged, 3, 10), 4.0 / idcg, EPS);
    assert_float_equal(silk_eval_ndcg(gains, 3, judged, 3, 10), 0.8400080, 1e-6);
    /* The perfect order scores 1; cut at 1 only the first rank counts. */
    int ideal[] = {3, 2, 1};
    assert_float_equal(silk_eval_ndcg(ideal, 3, judged, 3, 10), 1.0, EPS);
    int second[] = {2, 3};
    assert_float_equal(silk_eval_ndcg(second, 2, judged, 3, 1), 2.0 / 3.0, EPS);
}

static char *write_tmp(const char *text)
{
    char *path = strdup("/tmp/silk-eval-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* Two judged queries, one unjudged query in the run, a duplicate hit, hits given out of
 * rank order, and a judged query the run never answers (it scores 0 and is counted). */
static void test_files(void **state)
{
    (void)state;
    char *qrels = write_tmp("1 0 d1 4\n1 0 d2 1\n1 0 d9 0\n"
                            "2 0 e1 2\n"
                            "3 0 f1 1\n"
                            "4 0 g1 0\n");
    char *run = write_tmp("1 Q0 d9 1 9.0 t\n1 Q0 d2 3 7.0 t\n1 Q0 d9 2 8.0 t\n"
                          "1 Q0 d1 4 6.0 t\n"
                          "2 Q0 e1 1 5.0 t\n"
                          "7 Q0 e1 1 5.0 t\n");
    silk_eval_t *ev = NULL;
    silk_eval_scores_t sc;
    assert_int_equal(silk_eval_new(&ev), SILK_OK);
    assert_int_equal(silk_eval_load_qrels(ev, qrels), SILK_OK);
    assert_int_equal(silk_eval_load_run(ev, run), SILK_OK);
    assert_int_equal(silk_eval_score(ev, &sc), SILK_OK);
    /* Query 4 has no relevant document: not averaged. Queries 1, 2, 3 are.
     * q1 after removing the duplicate d9: d9(0), d2(1), d1(4) at ranks 1..3.
     *   AP = (1/2 + 2/3) / 2 = 0.583333; RR = 1/2; recall = 1;
     *   DCG = 1/log2(3) + 4/log2(4) = 0.6309298 + 2 = 2.6309298; IDCG = 4 + 1/log2(3)
     *   = 4.6309298; nDCG = 0.5681216.
     * q2: perfect, every measure 1. q3: no hits, every measure 0. */
    assert_int_equal(sc.queries, 3);
    assert_int_equal(sc.answered, 2);
    assert_float_equal(sc.map, (0.5833333333333334 + 1.0) / 3, 1e-9);
    assert_float_equal(sc.mrr10, (0.5 + 1.0) / 3, 1e-9);
    assert_float_equal(sc.recall100, 2.0 / 3, 1e-9);
    assert_float_equal(sc.ndcg10, (0.5681216 + 1.0) / 3, 1e-6);
    silk_eval_destroy(ev);

    /* A malformed line is an error with its location, not a silent skip. */
    char *bad = write_tmp("1 0 d1 x\n");
    assert_int_equal(silk_eval_new(&ev), SILK_OK);
    assert_int_equal(silk_eval_load_qrels(ev, bad), SILK_ERR_INVALID);
    assert_non_null(strstr(silk_eval_error(ev), ":1:"));
    silk_eval_destroy(ev);
    silk_eval_destroy(NULL);
    unlink(qrels);
    unlink(run);
    unlink(bad);
    free(qrels);
    free(run);
    free(bad);
}

/* More than SILK_EVAL_DEPTH hits: the relevant hit at rank 101 does not count. */
static void test_depth(void **state)
{
    (void)state;
    silk_eval_t *ev = NULL;
    silk_eval_scores_t sc;
    char doc[32];
    assert_int_equal(silk_eval_new(&ev), SILK_OK);
    assert_int_equal(silk_eval_add_judgment(ev, "q", "rel", 1), SILK_OK);
    for (unsigned r = 1; r <= 100; r++) {
        snprintf(doc, sizeof doc, "x%u", r);
        assert_int_equal(silk_eval_add_hit(ev, "q", doc, r), SILK_OK);
    }
    assert_int_equal(silk_eval_add_hit(ev, "q", "rel", 101), SILK_OK);
    assert_int_equal(silk_eval_add_hit(ev, "q", "rel", 0), SILK_ERR_INVALID);
    assert_int_equal(silk_eval_score(ev, &sc), SILK_OK);
    assert_float_equal(sc.map, 0.0, EPS);
    assert_float_equal(sc.recall100, 0.0, EPS);
    silk_eval_destroy(ev);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ap_rr_recall),
        cmocka_unit_test(test_ndcg_graded),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
