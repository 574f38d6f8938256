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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stub),
        cmocka_unit_test(test_doc_examples),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
