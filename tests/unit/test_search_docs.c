/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests of silk_search (lib/search.c) against the corpus article, moved out of
 * test_search.c (the 900-line bound): a stub database answers like the index it lists, and
 * the examples of docs/query-syntax.md find what the page says. The index is built by the
 * real indexer ($SILK_BIN/silk-index; tests run from the repository root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "silk/search.h"

#define ART "iran-north-korea-relations#"
#define ALL SILK_MODE_ALL

typedef struct {
    char dir[256];      /* temporary folder */
    char index[300];    /* the index of the corpus article */
    silk_searcher_t *s; /* a searcher over it */
} fixture_t;

static int group_setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR"), *bin = getenv("SILK_BIN");
    snprintf(f->dir, sizeof f->dir, "%s/silk-test-search-docs.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->index, sizeof f->index, "%s/index", f->dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/silk-index --corpus corpus --index %s --quiet",
             bin && *bin ? bin : "bin", f->index);
    if (system(cmd) != 0 || silk_searcher_new(f->index, NULL, &f->s) != SILK_OK)
        return -1;
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    fixture_t *f = *state;
    char cmd[400];
    silk_searcher_destroy(f->s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "test_search_docs: could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static const silk_result_t *search(silk_searcher_t *s, const char *q, silk_mode_t mode,
                                   uint32_t limit, uint32_t offset, silk_status_t *st)
{
    silk_search_req_t r = {
        .q = q, .q_len = strlen(q), .mode = mode, .limit = limit, .offset = offset, .snippets = 1};
    const silk_result_t *res = NULL;
    *st = silk_search(s, &r, &res);
    return res;
}

/* Whether `anchor` (without the article) is among the hits. */
static int has_hit(const silk_result_t *r, const char *anchor)
{
    char id[128];
    snprintf(id, sizeof id, ART "%s", anchor);
    for (size_t i = 0; i < r->nhits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return 1;
    return 0;
}

/* A stub database (how shards are listed) answers like the index it lists. */
static void test_stub(void **state)
{
    fixture_t *f = *state;
    char stub[400];
    snprintf(stub, sizeof stub, "%s/index.stub", f->dir);
    FILE *fp = fopen(stub, "w");
    assert_non_null(fp);
    fprintf(fp, "auto index\n");
    fclose(fp);
    silk_searcher_t *s = NULL;
    assert_int_equal(silk_searcher_new(stub, NULL, &s), SILK_OK);
    static const char *qs[] = {"dprk", "Hwasong-14", "nucler weapns", "조", "kind:reading"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        silk_status_t st;
        const silk_result_t *r = search(f->s, qs[i], ALL, 100, 0, &st);
        assert_int_equal(st, SILK_OK);
        uint64_t total = r->total;
        char first[128] = "";
        if (r->nhits > 0)
            snprintf(first, sizeof first, "%s", r->hits[0].id);
        int has_dym = r->did_you_mean != NULL;
        r = search(s, qs[i], ALL, 100, 0, &st);
        assert_int_equal(st, SILK_OK);
        assert_int_equal(r->total, total);
        if (r->nhits > 0)
            assert_string_equal(r->hits[0].id, first);
        assert_int_equal(r->did_you_mean != NULL, has_dym);
    }
    silk_searcher_destroy(s);
}

/* The examples of docs/query-syntax.md's "finds" table. */
static void test_doc_examples(void **state)
{
    fixture_t *f = *state;
    FILE *fp = fopen("docs/query-syntax.md", "r");
    assert_non_null(fp);
    char line[1024];
    int in = 0, checked = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        if (strncmp(line, "<!-- examples:search -->", 24) == 0) {
            in = 1;
            continue;
        }
        if (strncmp(line, "<!-- /examples -->", 18) == 0) {
            in = 0;
            continue;
        }
        if (!in || line[0] != '|' || strchr(line, '`') == NULL)
            continue;
        char *a = strchr(line, '`'), *b = strchr(a + 1, '`');
        assert_non_null(b);
        *b = '\0';
        const char *q = a + 1;
        silk_mode_t mode = strstr(b + 1, "| any |") ? SILK_MODE_ANY : SILK_MODE_ALL;
        char *c = strchr(b + 1, '`'), *d = c ? strchr(c + 1, '`') : NULL;
        assert_non_null(d);
        *d = '\0';
        silk_status_t st;
        const silk_result_t *r = search(f->s, q, mode, 100, 0, &st);
        if (st != SILK_OK)
            fail_msg("docs example [%s]: %s", q, silk_searcher_error(f->s));
        if (!has_hit(r, c + 1 + strlen(ART)))
            fail_msg("docs example [%s] should find %s", q, c + 1);
        checked++;
    }
    fclose(fp);
    assert_true(checked >= 5);
}

/* Facet counts through silk_search: over all matches (the page is one hit), equal to the
 * counts of the same query filtered by each value; bad facet requests refused. */
static void test_facets(void **state)
{
    fixture_t *f = *state;
    silk_search_req_t r = {.q = "korea", .q_len = 5, .mode = ALL, .limit = 1, .snippets = 0};
    r.facets = (silk_facet_req_t){.ids = {SILK_FACET_KIND, SILK_FACET_ARTICLE}, .n = 2};
    const silk_result_t *res = NULL;
    assert_int_equal(silk_search(f->s, &r, &res), SILK_OK);
    assert_int_equal(res->nhits, 1);
    assert_int_equal(res->nfacets, 2);
    assert_string_equal(res->facets[0].name, "kind");
    assert_string_equal(res->facets[1].name, "article");
    assert_int_equal(res->facets[1].nvalues, 1);
    assert_string_equal(res->facets[1].values[0].value, "iran-north-korea-relations");
    uint64_t total = res->total, sum = 0;
    assert_true(res->exact);
    char values[8][24];
    uint64_t counts[8];
    size_t nk = res->facets[0].nvalues;
    assert_true(nk >= 2 && nk <= 5);
    for (size_t i = 0; i < nk; i++) {
        snprintf(values[i], sizeof values[i], "%.23s", res->facets[0].values[i].value);
        counts[i] = res->facets[0].values[i].count;
        sum += counts[i];
        if (i)
            assert_true(counts[i] <= counts[i - 1]);
    }
    assert_int_equal(sum, total);
    assert_int_equal(res->facets[1].values[0].count, total);
    for (size_t i = 0; i < nk; i++) {
        char q[80];
        snprintf(q, sizeof q, "korea kind:%.24s", values[i]);
        silk_status_t st;
        const silk_result_t *k = search(f->s, q, ALL, 1000, 0, &st);
        assert_int_equal(st, SILK_OK);
        assert_int_equal(k->nhits, counts[i]);
        assert_int_equal(k->nfacets, 0);
    }
    r.facets = (silk_facet_req_t){.ids = {SILK_FACET_KIND, SILK_FACET_KIND}, .n = 2};
    assert_int_equal(silk_search(f->s, &r, &res), SILK_ERR_INVALID);
    r.facets = (silk_facet_req_t){.ids = {SILK_FACET_YEAR}, .n = 1, .limit = 101};
    assert_int_equal(silk_search(f->s, &r, &res), SILK_ERR_TOO_LARGE);
    r.facets = (silk_facet_req_t){.ids = {SILK_FACET_YEAR}, .n = 1, .limit = 2};
    assert_int_equal(silk_search(f->s, &r, &res), SILK_OK);
    assert_int_equal(res->facets[0].nvalues, 2);
    assert_true(res->facets[0].distinct > 2);
}

/* A path check that starts refusing: the next reopen drops the index, and searches answer
 * SILK_ERR_IO with the reason until it is trusted again. */
static int refusing;
static silk_status_t refuse_cb(void *ud, const char *what, const char *path, char **msg)
{
    (void)ud;
    if (!refusing)
        return SILK_OK;
    if (asprintf(msg, "refusing the %s: %s is writable by group (test)", what, path) < 0)
        *msg = NULL;
    return SILK_ERR_INVALID;
}

static void test_refused_on_reopen(void **state)
{
    fixture_t *f = *state;
    silk_searcher_opts_t o = {0};
    o.db_opts.check_path = refuse_cb;
    silk_searcher_t *s = NULL;
    assert_int_equal(silk_searcher_new(f->index, &o, &s), SILK_OK);
    silk_status_t st;
    search(s, "korea", ALL, 1, 0, &st);
    assert_int_equal(st, SILK_OK);
    refusing = 1;
    int changed = 0;
    assert_int_equal(silk_searcher_reopen(s, &changed), SILK_ERR_INVALID);
    search(s, "korea", ALL, 1, 0, &st);
    assert_int_equal(st, SILK_ERR_IO);
    assert_non_null(strstr(silk_searcher_error(s), "writable by group (test)"));
    refusing = 0;
    search(s, "korea", ALL, 1, 0, &st);
    assert_int_equal(st, SILK_OK);
    silk_searcher_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stub),
        cmocka_unit_test(test_doc_examples),
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_refused_on_reopen),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
