/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests of the ranking parameters in a search (lib/feedback.c, lib/rank.c through
 * lib/search.c) against the corpus article: pseudo-relevance feedback (the frozen first
 * hits, the page, the adaptive rule), a request's overrides, query-time stopwords, the
 * weighting schemes, and what explain reports. The index is built by the real indexer
 * ($SILK_BIN/silk-index; tests run from the repository root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "silk/feedback.h"
#include "silk/search.h"

#define LONGQ "nuclear missile cooperation between iran and the north korean government"

typedef struct {
    char dir[256];   /* temporary folder */
    char index[300]; /* the index of the corpus article */
} fixture_t;

static int group_setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR"), *bin = getenv("SILK_BIN");
    snprintf(f->dir, sizeof f->dir, "%s/silk-test-feedback.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->index, sizeof f->index, "%s/index", f->dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/silk-index --corpus corpus --index %s --quiet",
             bin && *bin ? bin : "bin", f->index);
    if (system(cmd) != 0)
        return -1;
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    fixture_t *f = *state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "test_feedback: could not remove %s\n", f->dir);
    free(f);
    return 0;
}

/* A searcher with the defaults and then `set` ("k=v,k=v", may be "") applied. */
static silk_searcher_t *searcher(void **state, const char *set)
{
    fixture_t *f = *state;
    silk_rank_t r;
    silk_rank_defaults(&r);
    char copy[256], *save = NULL;
    snprintf(copy, sizeof copy, "%s", set);
    for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        assert_non_null(eq);
        *eq = 0;
        assert_int_equal(silk_rank_set(&r, kv, eq + 1, NULL, 0), SILK_OK);
    }
    silk_searcher_opts_t o = {.rank = &r};
    silk_searcher_t *s = NULL;
    assert_int_equal(silk_searcher_new(f->index, &o, &s), SILK_OK);
    return s;
}

typedef struct {
    size_t n;
    char id[40][96];
    double score[40];
    uint64_t total;
    int relaxed;
    int feedback;
    char rank[SILK_RANK_DESCRIBE_MAX + 80];
} page_t;

static page_t run(silk_searcher_t *s, const char *q, silk_mode_t mode, uint32_t offset,
                  uint32_t limit, const silk_rank_t *over)
{
    silk_search_req_t req = {.q = q,
                             .q_len = strlen(q),
                             .mode = mode,
                             .limit = limit,
                             .offset = offset,
                             .explain = 1,
                             .rank = over};
    const silk_result_t *res = NULL;
    page_t p;
    memset(&p, 0, sizeof p);
    assert_int_equal(silk_search(s, &req, &res), SILK_OK);
    assert_true(res->nhits <= 40);
    p.n = res->nhits;
    for (size_t i = 0; i < res->nhits; i++) {
        snprintf(p.id[i], sizeof p.id[i], "%s", res->hits[i].id);
        p.score[i] = res->hits[i].score;
        assert_int_equal(res->hits[i].rank, offset + i + 1);
    }
    p.total = res->total;
    p.relaxed = res->relaxed;
    p.feedback = res->feedback;
    assert_non_null(res->rank);
    snprintf(p.rank, sizeof p.rank, "%s", res->rank);
    return p;
}

/* Feedback keeps the first fb_freeze hits in place, ranks the rest below them (scores do
 * not rise), pages consistently, and says so in explain. */
static void test_feedback_freeze_and_page(void **state)
{
    silk_searcher_t *plain = searcher(state, "stopwords=true,fb_docs=0");
    silk_searcher_t *fb = searcher(state, "stopwords=true,fb_docs=3,fb_terms=30,fb_freeze=3");
    page_t a = run(plain, LONGQ, SILK_MODE_ANY, 0, 20, NULL);
    page_t b = run(fb, LONGQ, SILK_MODE_ANY, 0, 20, NULL);
    assert_int_equal(a.feedback, 0);
    assert_non_null(strstr(a.rank, "feedback not applied"));
    assert_true(b.feedback > 0);
    assert_non_null(strstr(b.rank, "fb_docs=3"));
    assert_non_null(strstr(b.rank, "feedback applied ("));
    assert_true(a.n >= 5 && b.n >= a.n);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(a.id[i], b.id[i]);
    for (size_t i = 1; i < b.n; i++)
        assert_true(b.score[i] <= b.score[i - 1]);
    for (size_t i = 0; i < b.n; i++)
        for (size_t j = i + 1; j < b.n; j++)
            assert_string_not_equal(b.id[i], b.id[j]);
    /* The expanded query matches at least what the query did. */
    assert_true(b.total >= a.total);
    /* Pages: [2, 7) and [5, 10) are the same hits as the first page's. */
    page_t p1 = run(fb, LONGQ, SILK_MODE_ANY, 2, 5, NULL);
    page_t p2 = run(fb, LONGQ, SILK_MODE_ANY, 5, 5, NULL);
    assert_true(p1.feedback > 0 && p2.feedback > 0);
    for (size_t i = 0; i < p1.n; i++)
        assert_string_equal(p1.id[i], b.id[2 + i]);
    for (size_t i = 0; i < p2.n; i++)
        assert_string_equal(p2.id[i], b.id[5 + i]);
    silk_searcher_destroy(plain);
    silk_searcher_destroy(fb);
}

/* The adaptive rule: not for short queries (fb_min_words), not for an all-words answer
 * that found documents, not when fb_docs is 0; a request may turn it on or off. */
static void test_feedback_rule_and_request(void **state)
{
    silk_searcher_t *fb = searcher(state, "fb_docs=3,fb_min_words=5");
    page_t p = run(fb, "nuclear missile", SILK_MODE_ANY, 0, 10, NULL);
    assert_int_equal(p.feedback, 0);
    p = run(fb, "iran north korea nuclear missile", SILK_MODE_ALL, 0, 10, NULL);
    assert_true(p.n > 0);
    assert_int_equal(p.feedback, 0);
    assert_non_null(strstr(p.rank, "feedback not applied"));
    p = run(fb, LONGQ, SILK_MODE_ANY, 0, 10, NULL);
    assert_true(p.feedback > 0);
    silk_rank_t off;
    memset(&off, 0, sizeof off);
    assert_int_equal(silk_rank_set(&off, "fb_docs", "0", NULL, 0), SILK_OK);
    p = run(fb, LONGQ, SILK_MODE_ANY, 0, 10, &off);
    assert_int_equal(p.feedback, 0);
    assert_non_null(strstr(p.rank, "fb_docs=0"));
    /* The request's overrides do not stay: the next search has the searcher's again. */
    p = run(fb, LONGQ, SILK_MODE_ANY, 0, 10, NULL);
    assert_true(p.feedback > 0);
    silk_rank_t on;
    memset(&on, 0, sizeof on);
    assert_int_equal(silk_rank_set(&on, "fb_min_words", "2", NULL, 0), SILK_OK);
    p = run(fb, "nuclear missile", SILK_MODE_ANY, 0, 10, &on);
    assert_true(p.feedback > 0);
    silk_searcher_destroy(fb);
}

/* Query-time stopwords: left out of an any-word query (the ranking is that of its other
 * words), kept when the query has nothing else. */
static void test_stopwords(void **state)
{
    silk_searcher_t *on = searcher(state, "stopwords=true,fb_docs=0");
    silk_searcher_t *off = searcher(state, "stopwords=false,fb_docs=0");
    page_t a = run(on, "the missile of the north", SILK_MODE_ANY, 0, 10, NULL);
    page_t b = run(on, "missile north", SILK_MODE_ANY, 0, 10, NULL);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        assert_string_equal(a.id[i], b.id[i]);
    assert_int_equal(a.total, b.total);
    page_t c = run(off, "the missile of the north", SILK_MODE_ANY, 0, 10, NULL);
    assert_true(c.score[0] != a.score[0]); /* "the" and "of" weigh in */
    page_t d = run(on, "the who", SILK_MODE_ANY, 0, 10, NULL);
    assert_true(d.n > 0);
    d = run(on, "to be or not to be", SILK_MODE_ANY, 0, 10, NULL);
    assert_true(d.n > 0);
    silk_searcher_destroy(on);
    silk_searcher_destroy(off);
}

/* Every scheme ranks; the DFR ones differently from BM25; the proximity bonus of long
 * queries changes scores, not the matches. */
static void test_schemes_and_proximity(void **state)
{
    static const char *const schemes[] = {"bm25", "bm25+", "ineb2", "inl2", "bb2", "pl2", "dph"};
    silk_searcher_t *s = searcher(state, "fb_docs=0,scheme=bm25");
    page_t base = run(s, LONGQ, SILK_MODE_ANY, 0, 10, NULL);
    int differs = 0;
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
        silk_rank_t o;
        memset(&o, 0, sizeof o);
        assert_int_equal(silk_rank_set(&o, "scheme", schemes[i], NULL, 0), SILK_OK);
        page_t p = run(s, LONGQ, SILK_MODE_ANY, 0, 10, &o);
        assert_int_equal(p.total, base.total);
        assert_true(p.n == base.n && p.score[0] > 0);
        char want[40];
        snprintf(want, sizeof want, "scheme=%s ", schemes[i]);
        assert_non_null(strstr(p.rank, want));
        differs += p.score[0] != base.score[0];
    }
    assert_true(differs >= 5);
    silk_rank_t o;
    memset(&o, 0, sizeof o);
    assert_int_equal(silk_rank_set(&o, "proximity", "1", NULL, 0), SILK_OK);
    page_t p = run(s, LONGQ, SILK_MODE_ANY, 0, 10, &o);
    assert_int_equal(p.total, base.total);
    assert_true(p.score[0] > base.score[0]); /* the pairs add weight */
    /* Under an all-words query the pairs only add weight: they match no document that
     * lacks a word (else nothing would be relaxed, and more would match). */
    const char *allq = "iran north korea missile cooperation with syria and pakistan";
    page_t a0 = run(s, allq, SILK_MODE_ALL, 0, 10, NULL);
    page_t a1 = run(s, allq, SILK_MODE_ALL, 0, 10, &o);
    assert_int_equal(a0.relaxed, 1); /* no paragraph has every word */
    assert_int_equal(a1.relaxed, 1);
    assert_int_equal(a1.total, a0.total);
    assert_int_equal(a1.n, a0.n);
    silk_searcher_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feedback_freeze_and_page),
        cmocka_unit_test(test_feedback_rule_and_request),
        cmocka_unit_test(test_stopwords),
        cmocka_unit_test(test_schemes_and_proximity),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
