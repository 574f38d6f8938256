/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests of the query pipeline on real sentences in several scripts (issue 15): silk_search
 * (lib/search.c, lib/qbuild.c, lib/typo.c, lib/qmatch.c, lib/snippet.c) over an index of
 * tests/data/lang/corpus, built by the real indexer ($SILK_BIN/silk-index; tests run from
 * the repository root). The Korean and Persian paragraphs are verbatim KorQuAD and
 * PersianQA paragraphs (tests/data/lang/SOURCE.md).
 *
 * Covered: typo-tolerant matching (what is corrected, what stays exact, the option that
 * turns it off, the corrections reported, highlights of corrected words), relaxation
 * without stopwords, stopword-only queries, the closed kind field, synonyms written in
 * Hangul or with hyphens, multi-word synonyms not matched inside longer names, and Hangul
 * highlights merged into one range per word. */
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
#include "silk/typo.h"

typedef struct {
    char dir[256];      /* temporary folder */
    char index[300];    /* the index of tests/data/lang/corpus */
    silk_searcher_t *s; /* a searcher over it */
} fixture_t;

static fixture_t *F;

static const char *silk_bin(void)
{
    const char *b = getenv("SILK_BIN");
    return b && *b ? b : "bin";
}

static int group_setup(void **state)
{
    F = calloc(1, sizeof *F);
    const char *tmp = getenv("TMPDIR");
    snprintf(F->dir, sizeof F->dir, "%s/silk-test-lang.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(F->dir) == NULL)
        return -1;
    snprintf(F->index, sizeof F->index, "%s/index", F->dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/silk-index --corpus tests/data/lang/corpus --index %s --quiet",
             silk_bin(), F->index);
    if (system(cmd) != 0) {
        fprintf(stderr, "test_lang: %s failed\n", cmd);
        return -1;
    }
    if (silk_searcher_new(F->index, NULL, &F->s) != SILK_OK)
        return -1;
    *state = F;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[400];
    silk_searcher_destroy(F->s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", F->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "test_lang: could not remove %s\n", F->dir);
    free(F);
    return 0;
}

/* Runs q (all words, snippets on); fails the test on an error. */
static const silk_result_t *run(const char *q, silk_mode_t mode, int no_typos)
{
    silk_search_req_t r = {
        .q = q, .q_len = strlen(q), .mode = mode, .limit = 50, .snippets = 1, .no_typos = no_typos};
    const silk_result_t *res = NULL;
    silk_status_t st = silk_search(F->s, &r, &res);
    if (st != SILK_OK)
        fail_msg("[%s]: %s", q, silk_searcher_error(F->s));
    return res;
}

/* The hit with id `id`, or NULL. */
static const silk_hit_t *hit(const silk_result_t *r, const char *id)
{
    for (size_t i = 0; i < r->nhits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return &r->hits[i];
    return NULL;
}

/* Whether one highlight of h is exactly `text`. */
static int highlighted(const silk_hit_t *h, const char *text)
{
    for (size_t k = 0; k < h->nhighlights; k++) {
        uint32_t a = h->highlights[2 * k], b = h->highlights[2 * k + 1];
        if (b - a == strlen(text) && memcmp(h->snippet + a, text, b - a) == 0)
            return 1;
    }
    return 0;
}

/* Fails unless no two highlights of any hit overlap. */
static void no_overlap(const silk_result_t *r, const char *q)
{
    for (size_t i = 0; i < r->nhits; i++)
        for (size_t k = 1; k < r->hits[i].nhighlights; k++)
            if (r->hits[i].highlights[2 * k] < r->hits[i].highlights[2 * k - 1])
                fail_msg("[%s]: %s: highlights %zu and %zu overlap", q, r->hits[i].id, k - 1, k);
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(silk_typo_distance("misile", 6, "missile", 7, 1), 1);
    assert_int_equal(silk_typo_distance("hezbolah", 8, "hezbollah", 9, 1), 1);
    assert_int_equal(silk_typo_distance("missiel", 7, "missile", 7, 1), 1); /* transposed */
    assert_int_equal(silk_typo_distance("misl", 4, "missile", 7, 1), 2);    /* over max */
    assert_int_equal(silk_typo_distance("intercontinantel", 16, "intercontinental", 16, 2), 2);
    /* A Hangul syllable is one character: 대통령이 → 대통령은 is one edit. */
    assert_int_equal(
        silk_typo_distance("대통령이", strlen("대통령이"), "대통령은", strlen("대통령은"), 2), 1);
    assert_int_equal(silk_typo_chars("대통령이", strlen("대통령이")), 4);
    assert_int_equal(silk_typo_max_edits(4, 0), 0);
    assert_int_equal(silk_typo_max_edits(4, 1), 1);
    assert_int_equal(silk_typo_max_edits(5, 0), 1);
    assert_int_equal(silk_typo_max_edits(9, 0), 2);
}

static void test_typos(void **state)
{
    (void)state;
    /* misile (6 characters, not in the index) finds missile and missiles. */
    const silk_result_t *r = run("misile", SILK_MODE_ALL, 0);
    assert_true(r->nhits >= 3);
    assert_int_equal(r->relaxed, 0);
    assert_true(r->ncorrections >= 1);
    assert_string_equal(r->corrections[0].from, "misile");
    assert_string_equal(r->corrections[0].to, "missile");
    const silk_hit_t *h = hit(r, "english#p2");
    assert_non_null(h);
    assert_true(highlighted(h, "missile"));
    h = hit(r, "english#p6");
    assert_non_null(h);
    assert_true(highlighted(h, "missiles")); /* through missile's stem */
    /* Exact matches rank first: "missile" as typed beats the correction of "misile". */
    const silk_result_t *both = run("missile OR misile", SILK_MODE_ALL, 0);
    assert_true(both->nhits >= 3);

    /* Off: by the request, for quoted words, prefixes and fields. */
    r = run("misile", SILK_MODE_ALL, 1);
    assert_int_equal(r->nhits, 0);
    assert_int_equal(r->ncorrections, 0);
    assert_string_equal(r->did_you_mean, "missile");
    assert_int_equal(run("\"misile\"", SILK_MODE_ALL, 0)->nhits, 0);
    assert_int_equal(run("misil*", SILK_MODE_ALL, 0)->nhits, 0);
    assert_int_equal(run("title:misile", SILK_MODE_ALL, 0)->nhits, 0);
    /* A known word is not corrected; a short unknown word alone is not either. */
    r = run("missile", SILK_MODE_ALL, 0);
    assert_int_equal(r->ncorrections, 0);
    assert_int_equal(run("misl", SILK_MODE_ALL, 0)->nhits, 0);

    /* Persian: بارسلونا with a letter dropped. */
    r = run("بارسلنا", SILK_MODE_ALL, 0);
    assert_non_null(hit(r, "persian#p1"));
    assert_true(r->ncorrections >= 1);
    assert_string_equal(r->corrections[0].to, "بارسلونا");
}

static void test_relaxation(void **state)
{
    (void)state;
    /* evl: a short word corrected before relaxing, so all the words are found. */
    const silk_result_t *r = run("axis of evl", SILK_MODE_ALL, 0);
    assert_int_equal(r->relaxed, 0);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "english#p4");
    assert_true(highlighted(&r->hits[0], "evil"));
    /* Without typos it is relaxed, and "of" carries nothing: only axis matches. */
    r = run("axis of evl", SILK_MODE_ALL, 1);
    assert_int_equal(r->relaxed, 1);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].id, "english#p4");
    assert_false(highlighted(&r->hits[0], "of"));
    /* Stopwords alone are all the user asked for: they still match. */
    r = run("the who", SILK_MODE_ALL, 0);
    assert_true(r->nhits >= 1);
    assert_string_equal(r->hits[0].id, "english#p5");
    assert_true(highlighted(&r->hits[0], "Who"));
    r = run("to be or not to be", SILK_MODE_ALL, 0);
    assert_true(r->nhits >= 1);
}

static void test_kind(void **state)
{
    (void)state;
    silk_search_req_t req = {.q = "kind:bogus", .q_len = 10, .mode = SILK_MODE_ALL, .limit = 10};
    const silk_result_t *res = NULL;
    assert_int_equal(silk_search(F->s, &req, &res), SILK_ERR_BAD_QUERY);
    assert_non_null(strstr(silk_searcher_error(F->s), "lead, paragraph, infobox"));
    assert_int_equal(silk_searcher_error_pos(F->s), 5);
    assert_true(run("kind:lead missile", SILK_MODE_ALL, 0)->nhits >= 1);
}

static void test_synonyms(void **state)
{
    (void)state;
    /* kim jong-un = kim jong un = 김정은: each form finds the others. */
    static const char *forms[] = {"kim jong-un", "Kim Jong Un", "김정은"};
    for (size_t i = 0; i < 3; i++) {
        const silk_result_t *r = run(forms[i], SILK_MODE_ALL, 0);
        const silk_hit_t *ko = hit(r, "korean#p1"), *en = hit(r, "english#p1");
        if (ko == NULL || en == NULL || hit(r, "english#p3") == NULL)
            fail_msg("[%s]: the three forms are not all found", forms[i]);
        assert_true(highlighted(ko, "김정은"));
        assert_true(highlighted(en, "Kim Jong-un"));
        assert_true(highlighted(hit(r, "english#p3"), "Kim Jong Un"));
    }
    /* rok: republic of korea alone, not inside democratic people's republic of korea. */
    const silk_result_t *r = run("rok", SILK_MODE_ALL, 0);
    assert_non_null(hit(r, "english#p2"));
    assert_true(highlighted(hit(r, "english#p2"), "Republic of Korea"));
    assert_true(highlighted(hit(r, "english#p6"), "South Korea"));
    assert_non_null(hit(r, "korean#p2")); /* 대한민국 */
    assert_null(hit(r, "english#p1"));
    /* The Hangul member expands too. */
    r = run("대한민국", SILK_MODE_ALL, 0);
    assert_non_null(hit(r, "english#p2"));
    r = run("dprk", SILK_MODE_ALL, 0);
    assert_true(highlighted(hit(r, "english#p1"), "Democratic People's Republic of Korea"));
    assert_true(highlighted(hit(r, "english#p4"), "North Korea"));
}

/* An inflected Korean word matches the other forms of its stem in an all-words search,
 * without relaxing (the pieces of a word are no longer the only way), and is highlighted
 * whole; quoted, it is exact. */
static void test_korean_stems(void **state)
{
    (void)state;
    const silk_result_t *r = run("대통령이", SILK_MODE_ALL, 0);
    assert_int_equal(r->relaxed, 0);
    const silk_hit_t *h = hit(r, "korean#p3");
    assert_non_null(h);
    assert_true(highlighted(h, "대통령은")); /* the whole inflected word */
    r = run("천안함이 침몰했다", SILK_MODE_ALL, 0);
    assert_int_equal(r->relaxed, 0);
    const silk_result_t *plain = run("천안함 침몰", SILK_MODE_ALL, 0);
    assert_int_equal(r->nhits, plain->nhits);
    assert_non_null(hit(run("천안함이 침몰했다", SILK_MODE_ALL, 0), "korean#p2"));
    assert_null(hit(run("\"대통령이\"", SILK_MODE_ALL, 0), "korean#p3"));
    /* A compound still matches its parts (the bigram phrase): 인민공화국. */
    assert_non_null(hit(run("인민공화국", SILK_MODE_ALL, 0), "korean#p2"));
}

static void test_hangul_highlights(void **state)
{
    (void)state;
    static const char *qs[] = {"대통령이", "천안함이 침몰했다"};
    for (size_t i = 0; i < 2; i++) {
        for (int m = 0; m < 2; m++) {
            const silk_result_t *r = run(qs[i], m ? SILK_MODE_ANY : SILK_MODE_ALL, 0);
            assert_true(r->nhits >= 1);
            no_overlap(r, qs[i]);
        }
    }
    const silk_result_t *r = run("대통령이", SILK_MODE_ANY, 0);
    const silk_hit_t *h = hit(r, "korean#p3");
    assert_non_null(h);
    assert_true(highlighted(h, "대통령") || highlighted(h, "대통령은"));
    /* 했다 inside unrelated words is not highlighted for 침몰했다. */
    r = run("천안함이 침몰했다", SILK_MODE_ANY, 0);
    for (size_t k = 0; k < r->nhits; k++)
        assert_false(highlighted(&r->hits[k], "했다"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance),          cmocka_unit_test(test_typos),
        cmocka_unit_test(test_relaxation),        cmocka_unit_test(test_kind),
        cmocka_unit_test(test_synonyms),          cmocka_unit_test(test_korean_stems),
        cmocka_unit_test(test_hangul_highlights),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
