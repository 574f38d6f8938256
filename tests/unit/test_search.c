/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests of silk_search (lib/search.c) against a real index of the corpus article, built by
 * the real indexer ($SILK_BIN/silk-index; tests run from the repository root).
 *
 * A table of queries with the expected ids at the top or in the result set and expected
 * counts covers every syntax element and mode, the relaxation of `all` to `any`,
 * did-you-mean, synonyms, Hangul, Persian, diacritics, stems, phrases across hyphens,
 * fields, years and citations; each error is checked with its position; snippets of
 * Latin, Hangul and Persian hits are checked highlight by highlight. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "silk/db.h"
#include "silk/search.h"
#include "silk/text.h"

#define ART "iran-north-korea-relations#"

typedef struct {
    char dir[256];         /* temporary folder: index/, corpus copies */
    char index[300];       /* the index of the corpus article */
    silk_searcher_t *s;    /* a searcher over it */
    silk_tokenizer_t *tok; /* to check highlighted words */
    silk_stemmer_t *stem;
} fixture_t;

static fixture_t *F;

static int run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static const char *silk_bin(void)
{
    const char *b = getenv("SILK_BIN");
    return b && *b ? b : "bin";
}

static int group_setup(void **state)
{
    F = calloc(1, sizeof *F);
    const char *tmp = getenv("TMPDIR");
    snprintf(F->dir, sizeof F->dir, "%s/silk-test-search.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(F->dir) == NULL)
        return -1;
    snprintf(F->index, sizeof F->index, "%s/index", F->dir);
    if (run("%s/silk-index --corpus corpus --index %s --quiet", silk_bin(), F->index) != 0) {
        fprintf(stderr, "test_search: %s/silk-index failed\n", silk_bin());
        return -1;
    }
    if (silk_searcher_new(F->index, NULL, &F->s) != SILK_OK)
        return -1;
    silk_tokenizer_new(&F->tok);
    silk_stemmer_new("english", &F->stem);
    silk_tokenizer_set_stemmer(F->tok, F->stem);
    *state = F;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    silk_searcher_destroy(F->s);
    silk_tokenizer_destroy(F->tok);
    silk_stemmer_destroy(F->stem);
    run("rm -rf '%s'", F->dir);
    free(F);
    return 0;
}

/* Typo tolerance off for the next search() calls (the did-you-mean cases). */
static int NO_TYPOS;

static const silk_result_t *search(silk_searcher_t *s, const char *q, silk_mode_t mode,
                                   uint32_t limit, uint32_t offset, silk_status_t *st)
{
    silk_search_req_t r = {.no_typos = NO_TYPOS,
                           .q = q,
                           .q_len = strlen(q),
                           .mode = mode,
                           .limit = limit,
                           .offset = offset,
                           .snippets = 1,
                           .explain = 1};
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

#define ANY_TOTAL -1L

typedef struct {
    const char *q;    /* the query */
    silk_mode_t mode; /* all or any */
    const char *top;  /* anchor of the first hit, or NULL */
    const char *in;   /* anchors (space-separated) among all hits, or NULL */
    const char *out;  /* anchors not among the hits, or NULL */
    long total;       /* exact total, or ANY_TOTAL */
    int relaxed;      /* expected relaxed flag */
    const char *dym;  /* expected did_you_mean, or NULL for none */
    int no_typos;     /* search with typo tolerance off */
} case_t;

#define ALL  SILK_MODE_ALL
#define ANYM SILK_MODE_ANY

static const case_t cases[] = {
    /* words, stems, exact words */
    {"weapon", ALL, NULL, "p1 p12 p13 p14 p15", "p2 ref-1", ANY_TOTAL, 0, NULL, 0},
    {"weapons", ALL, NULL, "p1 p12 p13 p14 p15", "p2 ref-1", ANY_TOTAL, 0, NULL, 0},
    {"\"weapon\"", ALL, NULL, NULL, NULL, 0, 0, NULL, 0},
    {"Hezbollah", ALL, "p7", NULL, NULL, 1, 0, NULL, 0},
    {"\xef\xbc\xa8\xef\xbc\xa5\xef\xbc\xba\xef\xbc\xa2\xef\xbc\xaf\xef\xbc\xac\xef\xbc\xac"
     "\xef\xbc\xa1\xef\xbc\xa8", /* fullwidth ＨＥＺＢＯＬＬＡＨ */
     ALL, "p7", NULL, NULL, 1, 0, NULL, 0},
    {"mosque", ALL, "p8", "ref-13", NULL, 2, 0, NULL, 0},
    {"kim yong nam", ALL, NULL, "ref-23 ref-25", NULL, 2, 0, NULL, 0},
    {"iran", ALL, NULL, "p1 ref-8 infobox read-2", NULL, 55, 0, NULL, 0},
    /* diacritics */
    {"Balazs", ALL, NULL, "ref-10 ref-11 ref-12 ref-14", NULL, 4, 0, NULL, 0},
    {"Balázs", ALL, NULL, "ref-10 ref-11 ref-12 ref-14", NULL, 4, 0, NULL, 0},
    {"BALÁZS szalontai", ALL, NULL, "ref-10 ref-14", NULL, 4, 0, NULL, 0},
    /* phrases, across hyphens */
    {"\"axis of evil\"", ALL, NULL, "p1 read-1 read-3", "ref-28 ref-10", 3, 0, NULL, 0},
    {"axis evil", ALL, NULL, "p1 read-1 read-3", "ref-28", 3, 0, NULL, 0},
    {"axis", ALL, NULL, "p1 ref-10 ref-28 read-1", NULL, 5, 0, NULL, 0},
    {"Hwasong-14", ALL, "p16", NULL, NULL, 1, 0, NULL, 0},
    {"\"Hwasong-14\"", ALL, "p16", NULL, NULL, 1, 0, NULL, 0},
    {"\"hwasong 14\"", ALL, "p16", NULL, NULL, 1, 0, NULL, 0},
    {"hwasong 14", ALL, "p16", NULL, NULL, 1, 0, NULL, 0},
    {"Hwasong-15", ALL, "p16", NULL, NULL, 1, 1, NULL, 0}, /* relaxed: hwasong or 15 */
    {"U.S.-led", ALL, "p5", NULL, NULL, 1, 0, NULL, 0},
    {"\"democratic people's republic of korea\"", ALL, "p5", NULL, NULL, 1, 0, NULL, 0},
    /* operators */
    {"iran OR syria", ALL, NULL, "ref-3 p15", NULL, 55, 0, NULL, 0},
    {"syria OR lebanon", ALL, NULL, "p7 p12 p15 ref-3 ref-33", "p1", 5, 0, NULL, 0},
    {"(syria OR lebanon) hezbollah", ALL, "p7", NULL, NULL, 1, 0, NULL, 0},
    {"hezbollah AND lebanon", ALL, "p7", NULL, NULL, 1, 0, NULL, 0},
    {"missile -nuclear", ALL, NULL, "p13 ref-8", "p1 ref-3 ref-27 ref-34", 2, 0, NULL, 0},
    {"missile NOT nuclear", ALL, NULL, "p13 ref-8", "p1 ref-3", 2, 0, NULL, 0},
    {"missile -\"surface-to-air\"", ALL, NULL, "ref-8", "p13", ANY_TOTAL, 0, NULL, 0},
    {"iran or syria", ALL, NULL, "ref-3 ref-33 p15", NULL, 55, 1, NULL, 0}, /* `or` is a word */
    {"nucl*", ALL, NULL, "p1 p9 p12 ref-2 ref-3 ref-27 ref-34", NULL, 7, 0, NULL, 0},
    {"nucl* -iranian", ALL, NULL, "ref-2 ref-3", "p1 p9", ANY_TOTAL, 0, NULL, 0},
    {"Hwasong:14", ALL, "p16", NULL, NULL, 1, 0, NULL, 0}, /* an unknown field is text */
    /* modes and relaxation */
    {"weapons lebanon", ALL, NULL, "p7 p12 p15", NULL, 7, 1, NULL, 0},
    {"weapons lebanon", ANYM, NULL, "p7 p12 p15", NULL, 7, 0, NULL, 0},
    {"hezbollah mosque", ANYM, NULL, "p7 p8 ref-13", NULL, 3, 0, NULL, 0},
    {"hezbollah lebanon", ALL, "p7", NULL, NULL, 1, 0, NULL, 0},
    {"hezbollah -lebanon", ALL, NULL, NULL, NULL, 0, 0, NULL, 0}, /* not plain: not relaxed */
    /* did you mean (typo tolerance off, as a request's "typos": false) */
    {"nucler weapns", ALL, NULL, NULL, NULL, 0, 1, "nuclear weapons", 1},
    {"hezbolah", ALL, NULL, NULL, NULL, 0, 0, "hezbollah", 1},
    /* at most three spelling lookups a query */
    {"nucler weapns hezbolah mosqe", ALL, NULL, NULL, NULL, 0, 1, "nuclear weapons hezbollah mosqe",
     1},
    {"nucler  weapons", ALL, NULL, "p1 p12 p16", NULL, 6, 1, "nuclear  weapons", 1},
    /* typo tolerance: the same queries find what was meant, and still suggest it */
    {"nucler weapns", ALL, "p12", "p1", NULL, 2, 0, "nuclear weapons", 0},
    {"hezbolah", ALL, "p7", NULL, NULL, 1, 0, "hezbollah", 0},
    {"misile", ALL, NULL, "p13 ref-8 ref-34", NULL, ANY_TOTAL, 0, "missile", 0},
    {"axis of evl", ALL, "read-1", "p1 read-3", "ref-28", 3, 0, "axis of evil", 0},
    /* relaxed ranking is not carried by stopwords; stopwords alone still match */
    {"axis of evl", ALL, NULL, "p1 read-1 read-3 ref-10 ref-28", NULL, 5, 1, "axis of evil", 1},
    {"kcna", ALL, NULL, "ref-15 p6", NULL, 8, 0, NULL, 0}, /* a synonym, not a misspelling */
    /* synonyms, both ways */
    {"dprk", ALL, NULL, "ref-17 ref-27 ref-15", NULL, ANY_TOTAL, 0, NULL, 0},
    {"icbm", ALL, "p16", NULL, NULL, 1, 0, NULL, 0},
    {"intercontinental ballistic missile", ALL, "p16", NULL, NULL, 1, 0, NULL, 0},
    {"democratic people's republic of korea", ALL, "p5", "ref-15 ref-17", NULL, 55, 0, NULL, 0},
    {"korean central news agency", ALL, NULL, "p6 ref-15 ref-25", NULL, 8, 0, NULL, 0},
    /* Hangul */
    {"조선", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"민주주의", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"인민공화국", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"조선민주주의인민공화국", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"관계", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"조", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"공화국 weapons", ALL, NULL, "p1", NULL, 1, 0, NULL, 0},
    /* a Hangul word with a particle: no exact phrase, found by its Korean stem */
    {"조선민주주의인민공화국의", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"민주주의를 인민공화국은", ANYM, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"\"민주주의를\"", ANYM, NULL, NULL, NULL, 0, 0, NULL, 0},
    /* Persian, and Persian typed with Arabic letters */
    {"ایران", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"ايران", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"کرهی", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"كرهي", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"کره", ALL, "p1", NULL, NULL, 1, 0, NULL, 0}, /* کرهی: the ezafe suffix */
    {"كره", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    {"\"کره\"", ALL, NULL, NULL, NULL, 0, 0, NULL, 0}, /* quoted: exactly کره */
    {"ايرا", ALL, NULL, NULL, NULL, 0, 0, "ایران", 0},
    {"روابط ایران", ALL, "p1", NULL, NULL, 1, 0, NULL, 0},
    /* fields */
    {"title:relations", ALL, NULL, "p1 ref-34", NULL, 55, 0, NULL, 0},
    {"title:hezbollah", ALL, NULL, NULL, NULL, 0, 0, NULL, 0},
    {"title:nucl*", ALL, NULL, NULL, NULL, 0, 0, NULL, 0},
    {"section:history", ALL, NULL, "p3 p4 p5 p6 p7 p8 p9", "p1 p12", 7, 0, NULL, 0},
    {"section:\"military weapons\"", ALL, NULL, "p12 p13 p14 p15 p16", NULL, 5, 0, NULL, 0},
    {"section:ambassadors", ALL, NULL, "p10 p11", NULL, 2, 0, NULL, 0},
    {"kind:reading", ALL, NULL, "read-1 read-2 read-3 read-4", NULL, 4, 0, NULL, 0},
    {"kind:infobox", ALL, "infobox", NULL, NULL, 1, 0, NULL, 0},
    {"kind:lead", ALL, NULL, "p1 p2", NULL, 2, 0, NULL, 0},
    {"kind:reference nuclear", ALL, NULL, "ref-2 ref-3 ref-27 ref-34", "p1", 4, 0, NULL, 0},
    {"nuclear -kind:reference", ALL, NULL, "p1 p9 p12", "ref-2", 3, 0, NULL, 0},
    {"article:iran-north-korea-relations kind:infobox", ALL, "infobox", NULL, NULL, 1, 0, NULL, 0},
    {"article:elsewhere", ALL, NULL, NULL, NULL, 0, 0, NULL, 0},
    {"author:szalontai", ALL, NULL, "ref-10 ref-11 ref-12 ref-14", NULL, 4, 0, NULL, 0},
    {"author:\"Balázs Szalontai\"", ALL, NULL, "ref-10 ref-11", NULL, 4, 0, NULL, 0},
    {"author:coughlin", ALL, "ref-2", NULL, NULL, 1, 0, NULL, 0},
    {"author:szalontai terrorism", ALL, NULL, "ref-11 ref-12", "ref-10", 2, 0, NULL, 0},
    /* years */
    {"year:2007", ALL, NULL, "ref-1 ref-2 ref-20 read-3", NULL, 4, 0, NULL, 0},
    {"kind:reference year:2007", ALL, NULL, "ref-1 ref-2 ref-20", "read-3", 3, 0, NULL, 0},
    {"year:2010..2016", ALL, NULL, "ref-3 ref-10 ref-21 ref-30", "ref-2", 13, 0, NULL, 0},
    {"year:..2000", ALL, NULL, "ref-9 ref-15 ref-18 ref-26", NULL, 4, 0, NULL, 0},
    {"year:2017..", ALL, NULL, "ref-4 ref-14 read-1 read-4", NULL, 4, 0, NULL, 0},
    {"szalontai year:2015..2015", ALL, NULL, "ref-11 ref-12", "ref-10", 2, 0, NULL, 0},
    /* citations */
    {"cites:27", ALL, NULL, "p12 p14", NULL, 2, 0, NULL, 0},
    {"cites:30", ALL, "p13", NULL, NULL, 1, 0, NULL, 0},
    {"cites:027 weapons", ALL, NULL, "p12 p14", NULL, 2, 0, NULL, 0},
    {"cites:99", ALL, NULL, NULL, NULL, 0, 0, NULL, 0},
};

static void test_table(void **state)
{
    fixture_t *f = *state;
    size_t n = sizeof cases / sizeof cases[0];
    assert_true(n >= 50);
    for (size_t i = 0; i < n; i++) {
        const case_t *c = &cases[i];
        silk_status_t st;
        NO_TYPOS = c->no_typos;
        const silk_result_t *r = search(f->s, c->q, c->mode, 100, 0, &st);
        NO_TYPOS = 0;
        if (st != SILK_OK)
            fail_msg("[%s]: %s", c->q, silk_searcher_error(f->s));
        char ids[4096] = "";
        for (size_t k = 0; k < r->nhits && strlen(ids) < 3900; k++) {
            strcat(ids, " ");
            strcat(ids, r->hits[k].id + strlen(ART));
        }
        if (c->total != ANY_TOTAL && (!r->exact || (long)r->total != c->total))
            fail_msg("[%s]: total %llu (exact %d), expected %ld; hits:%s", c->q,
                     (unsigned long long)r->total, r->exact, c->total, ids);
        if (c->total > 0 && (long)r->nhits != c->total)
            fail_msg("[%s]: %zu hits for a total of %ld", c->q, r->nhits, c->total);
        if (c->top != NULL && (r->nhits == 0 || strcmp(r->hits[0].id + strlen(ART), c->top) != 0))
            fail_msg("[%s]: first hit should be %s; hits:%s", c->q, c->top, ids);
        char buf[256], *save = NULL;
        if (c->in != NULL) {
            snprintf(buf, sizeof buf, "%s", c->in);
            for (char *a = strtok_r(buf, " ", &save); a; a = strtok_r(NULL, " ", &save))
                if (!has_hit(r, a))
                    fail_msg("[%s]: %s should be found; hits:%s", c->q, a, ids);
        }
        if (c->out != NULL) {
            snprintf(buf, sizeof buf, "%s", c->out);
            for (char *a = strtok_r(buf, " ", &save); a; a = strtok_r(NULL, " ", &save))
                if (has_hit(r, a))
                    fail_msg("[%s]: %s should not be found; hits:%s", c->q, a, ids);
        }
        if (r->relaxed != c->relaxed)
            fail_msg("[%s]: relaxed %d, expected %d", c->q, r->relaxed, c->relaxed);
        if ((c->dym == NULL) != (r->did_you_mean == NULL) ||
            (c->dym != NULL && strcmp(c->dym, r->did_you_mean) != 0))
            fail_msg("[%s]: did_you_mean '%s', expected '%s'", c->q,
                     r->did_you_mean ? r->did_you_mean : "(none)", c->dym ? c->dym : "(none)");
        /* Ranks count from 1 and scores never increase down the page. */
        for (size_t k = 0; k < r->nhits; k++) {
            assert_int_equal(r->hits[k].rank, k + 1);
            if (k > 0 && r->hits[k].score > r->hits[k - 1].score + 1e-9)
                fail_msg("[%s]: scores out of order at %zu", c->q, k);
        }
    }
}

static double score_of(const silk_result_t *r, const char *anchor)
{
    char id[128];
    snprintf(id, sizeof id, ART "%s", anchor);
    for (size_t i = 0; i < r->nhits; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return r->hits[i].score;
    fail_msg("%s not found", id);
    return 0;
}

/* Ranking: adjacent words above scattered ones, section matches above body-only ones. */
static void test_ranking(void **state)
{
    fixture_t *f = *state;
    silk_status_t st;
    /* The same two words, in the order of the text and reversed: BM25 gives both the
     * same weight, the phrase bonus only the first. */
    const silk_result_t *r = search(f->s, "nuclear crises", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    double adjacent = score_of(r, "p9");
    r = search(f->s, "crises nuclear", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    double apart = score_of(r, "p9");
    assert_true(adjacent > apart * 1.3);

    /* "ambassadors" is the section heading of p10 and p11: they come first, and their
     * weight depends on the section weight. */
    r = search(f->s, "ambassadors", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_true(r->nhits >= 3);
    assert_true(strcmp(r->hits[0].id, ART "p10") == 0 || strcmp(r->hits[0].id, ART "p11") == 0);
    assert_true(strcmp(r->hits[1].id, ART "p10") == 0 || strcmp(r->hits[1].id, ART "p11") == 0);
    double boosted = score_of(r, "p10"), ref = score_of(r, "ref-15");
    silk_searcher_opts_t o = {.section_weight = 1e-6};
    silk_searcher_t *s = NULL;
    assert_int_equal(silk_searcher_new(f->index, &o, &s), SILK_OK);
    r = search(s, "ambassadors", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_true(score_of(r, "p10") < boosted - 0.1);
    assert_true(score_of(r, "ref-15") > ref - 1e-9 && score_of(r, "ref-15") < ref + 1e-9);
    silk_searcher_destroy(s);
}

static void test_paging_and_explain(void **state)
{
    fixture_t *f = *state;
    silk_status_t st;
    const silk_result_t *r = search(f->s, "kind:reference", ALL, 5, 30, &st);
    assert_int_equal(st, SILK_OK);
    assert_int_equal(r->total, 34);
    assert_true(r->exact);
    assert_int_equal(r->nhits, 4);
    assert_int_equal(r->hits[0].rank, 31);
    assert_int_equal(r->hits[3].rank, 34);
    r = search(f->s, "kind:reference", ALL, 0, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_int_equal(r->nhits, 0);
    assert_int_equal(r->total, 34);
    r = search(f->s, "iran \"axis of evil\" kind:reference", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_string_equal(r->explain,
                        "(AND (WORD iran) (PHRASE \"axis of evil\") (FIELD kind reference))");
    /* Hit fields come from the stored document. */
    r = search(f->s, "Hwasong-14", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_int_equal(r->nhits, 1);
    assert_string_equal(r->hits[0].kind, "paragraph");
    assert_string_equal(r->hits[0].article, "Iran–North Korea relations");
    assert_string_equal(r->hits[0].section, "Military weapons");
    assert_non_null(strstr(r->hits[0].data, "\"cites\""));
    assert_int_equal(strlen(r->hits[0].data), r->hits[0].data_len);
    assert_true(r->took_us > 0 && r->took_us < 10000000);
}

typedef struct {
    const char *q;
    silk_mode_t mode;
    uint32_t limit, offset;
    silk_status_t st;
    long pos;
    const char *msg;
} err_case_t;

static void test_errors(void **state)
{
    fixture_t *f = *state;
    static char longq[SILK_QUERY_MAX_BYTES + 2], deep[100], many[300];
    memset(longq, 'a', sizeof longq - 1);
    for (int i = 0; i < 33; i++)
        deep[i] = '(';
    strcat(deep, "iran");
    for (int i = 0; i < 33; i++)
        strcat(deep, ")");
    for (int i = 0; i < 65; i++)
        strcat(many, "w ");
    const err_case_t errs[] = {
        {"", ALL, 10, 0, SILK_ERR_BAD_QUERY, 0, "empty query"},
        {"iran \"axis", ALL, 10, 0, SILK_ERR_BAD_QUERY, 5, "unbalanced quote at 5"},
        {"(iran", ALL, 10, 0, SILK_ERR_BAD_QUERY, 0, "unbalanced parenthesis at 0"},
        {"iran)", ALL, 10, 0, SILK_ERR_BAD_QUERY, 4, "unbalanced parenthesis at 4"},
        {"-iran", ALL, 10, 0, SILK_ERR_BAD_QUERY, 0, "only negative parts at 0"},
        {"iran OR -syria", ANYM, 10, 0, SILK_ERR_BAD_QUERY, 8, "only negative parts at 8"},
        {"year:2016..2010", ALL, 10, 0, SILK_ERR_BAD_QUERY, 5, "malformed year range at 5"},
        {"iran year:x..2010", ALL, 10, 0, SILK_ERR_BAD_QUERY, 10, "malformed year range at 10"},
        {"cites:x", ALL, 10, 0, SILK_ERR_BAD_QUERY, 6, "malformed cites value at 6"},
        {longq, ALL, 10, 0, SILK_ERR_TOO_LARGE, 4096, "query longer than 4096 bytes at 4096"},
        {deep, ALL, 10, 0, SILK_ERR_TOO_LARGE, 32, "nesting deeper than 32 at 32"},
        {many, ALL, 10, 0, SILK_ERR_TOO_LARGE, 128, "more than 64 terms at 128"},
        {"iran", ALL, 1001, 0, SILK_ERR_TOO_LARGE, -1, "limit 1001 is over the maximum of 1000"},
        {"iran", ALL, 10, 100001, SILK_ERR_TOO_LARGE, -1,
         "offset 100001 is over the maximum of 100000"},
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        silk_search_req_t r = {.q = errs[i].q,
                               .q_len = strlen(errs[i].q),
                               .mode = errs[i].mode,
                               .limit = errs[i].limit,
                               .offset = errs[i].offset,
                               .snippets = 1};
        const silk_result_t *res = (const silk_result_t *)1;
        silk_status_t st = silk_search(f->s, &r, &res);
        if (st != errs[i].st || silk_searcher_error_pos(f->s) != errs[i].pos ||
            strcmp(silk_searcher_error(f->s), errs[i].msg) != 0)
            fail_msg("[%.40s]: got %d at %ld '%s', expected %d at %ld '%s'", errs[i].q, st,
                     silk_searcher_error_pos(f->s), silk_searcher_error(f->s), errs[i].st,
                     errs[i].pos, errs[i].msg);
        assert_null(res);
    }
    /* The limits themselves are allowed. */
    silk_search_req_t ok = {
        .q = "iran", .q_len = 4, .limit = SILK_LIMIT_MAX, .offset = SILK_OFFSET_MAX};
    const silk_result_t *res;
    assert_int_equal(silk_search(f->s, &ok, &res), SILK_OK);
    assert_int_equal(res->nhits, 0);
}

/* A prefix that expands to more than SILK_WILDCARD_MAX terms, on an index of 1100 words
 * that start with "zq", and no index at all. */
static void test_too_broad_and_missing(void **state)
{
    fixture_t *f = *state;
    char corpus[400], index[400], path[500];
    snprintf(corpus, sizeof corpus, "%s/broad", f->dir);
    snprintf(index, sizeof index, "%s/broad-index", f->dir);
    assert_int_equal(run("mkdir -p '%s'", corpus), 0);
    snprintf(path, sizeof path, "%s/words.txt", corpus);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "Many words\n");
    for (int i = 0; i < 1100; i++)
        fprintf(fp, "zq%04d%s", i, i % 10 == 9 ? ".\n" : " ");
    fclose(fp);
    assert_int_equal(
        run("%s/silk-index --corpus '%s' --index '%s' --quiet", silk_bin(), corpus, index), 0);
    silk_searcher_t *s = NULL;
    assert_int_equal(silk_searcher_new(index, NULL, &s), SILK_OK);
    silk_status_t st;
    const silk_result_t *r = search(s, "many zq*", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_ERR_TOO_BROAD);
    assert_string_equal(silk_searcher_error(s),
                        "prefix 'zq*' is too broad (matches more than 1000 terms)");
    assert_int_equal(silk_searcher_error_pos(s), 5);
    /* 1000 terms each is fine, but not 5000 for one query. */
    r = search(s, "zq0* zq0* zq0* zq0* zq0*", ANYM, 10, 0, &st);
    assert_int_equal(st, SILK_ERR_TOO_BROAD);
    assert_string_equal(silk_searcher_error(s),
                        "prefixes are too broad (match more than 4000 terms together) at 20");
    assert_int_equal(silk_searcher_error_pos(s), 20);
    r = search(s, "zq0* zq0*", ANYM, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    r = search(s, "zq00*", ALL, 10, 0, &st); /* 100 terms: fine */
    assert_int_equal(st, SILK_OK);
    assert_true(r->total >= 1);
    silk_searcher_destroy(s);

    snprintf(path, sizeof path, "%s/no-such-index", f->dir);
    assert_int_equal(silk_searcher_new(path, NULL, &s), SILK_OK);
    r = search(s, "iran", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_ERR_NOT_FOUND);
    char want[600];
    snprintf(want, sizeof want, "no index at %s yet", path);
    assert_string_equal(silk_searcher_error(s), want);
    /* A query error is reported before the missing index. */
    r = search(s, "\"", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_ERR_BAD_QUERY);
    silk_searcher_destroy(s);
}

/* The searcher keeps its reader and picks up a new revision on reopen. */
static void test_reopen(void **state)
{
    fixture_t *f = *state;
    char corpus[400], index[400];
    snprintf(corpus, sizeof corpus, "%s/copy", f->dir);
    snprintf(index, sizeof index, "%s/copy-index", f->dir);
    assert_int_equal(run("mkdir -p '%s' && cp corpus/*.txt '%s'/", corpus, corpus), 0);
    assert_int_equal(
        run("%s/silk-index --corpus '%s' --index '%s' --quiet", silk_bin(), corpus, index), 0);
    silk_searcher_t *s = NULL;
    assert_int_equal(silk_searcher_new(index, NULL, &s), SILK_OK);
    silk_status_t st;
    const silk_result_t *r = search(s, "zanzibar", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_int_equal(r->total, 0);
    silk_index_stats_t stats;
    assert_int_equal(silk_searcher_stats(s, &stats), SILK_OK);
    assert_int_equal(stats.docs, 55);
    assert_true(stats.terms > 1000);
    uint64_t rev = stats.revision;
    int changed = -1;
    assert_int_equal(silk_searcher_reopen(s, &changed), SILK_OK);
    assert_int_equal(changed, 0);

    /* A new article: the old reader still answers, the reopened one finds it. */
    assert_int_equal(run("printf 'Zanzibar notes\\nThe spice islands of Zanzibar trade "
                         "with Iran.\\n' > '%s/zanzibar.txt'",
                         corpus),
                     0);
    assert_int_equal(
        run("%s/silk-index --corpus '%s' --index '%s' --quiet", silk_bin(), corpus, index), 0);
    assert_int_equal(silk_searcher_reopen(s, &changed), SILK_OK);
    assert_int_equal(changed, 1);
    r = search(s, "zanzibar", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_int_equal(r->total, 1);
    assert_string_equal(r->hits[0].id, "zanzibar#p1");
    /* Cached documents of the old revision are not served for the new one. */
    r = search(s, "iran spice", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_string_equal(r->hits[0].id, "zanzibar#p1");
    assert_int_equal(silk_searcher_stats(s, &stats), SILK_OK);
    assert_int_equal(stats.docs, 56);
    assert_true(stats.revision > rev);

    /* Commits under a reader that is never told: Xapian may throw DatabaseModifiedError
     * once the old revision's blocks are reused; silk_search then reopens and retries, so
     * every search still succeeds, and a retried one sees the new documents. */
    uint64_t most = 0;
    for (int i = 0; i < 6; i++) {
        assert_int_equal(run("printf 'Note %d\\nThe island of Zanzibar, note %d of many, "
                             "spice.\\n' > '%s/note%d.txt'",
                             i, i, corpus, i),
                         0);
        assert_int_equal(
            run("%s/silk-index --corpus '%s' --index '%s' --quiet", silk_bin(), corpus, index), 0);
        r = search(s, "zanzibar spice", ALL, 100, 0, &st);
        if (st != SILK_OK)
            fail_msg("search after commit %d: %s", i, silk_searcher_error(s));
        assert_true(r->total >= 1);
        most = r->total > most ? r->total : most;
    }
    /* Glass keeps one old revision: by the third commit the reader had to move on. */
    assert_true(most > 1);
    silk_searcher_destroy(s);

    /* A searcher opens lazily: reopen before any search opens and reports a change. */
    assert_int_equal(silk_searcher_new(index, NULL, &s), SILK_OK);
    assert_int_equal(silk_searcher_reopen(s, &changed), SILK_OK);
    assert_int_equal(changed, 1);
    r = search(s, "zanzibar spice", ALL, 100, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_int_equal(r->total, 7);
    silk_searcher_destroy(s);
}

/* Decodes one UTF-8 sequence strictly; returns its length or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    if (p[0] < 0x80)
        return 1;
    size_t l = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (l == 0 || l > n)
        return 0;
    for (size_t i = 1; i < l; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return l;
}

typedef struct {
    char terms[16][SILK_TERM_MAX + 1];
    char stems[16][SILK_TERM_MAX + 1];
    size_t n;
} toks_t;

static int collect(const silk_token_t *t, void *ud)
{
    toks_t *x = ud;
    if (x->n < 16) {
        snprintf(x->terms[x->n], sizeof x->terms[0], "%.*s", (int)t->len, t->term);
        /* Latin words compare by stem; a Hangul word's stem (on its first bigram, see
         * text.h) is not a bigram's text, so CJK tokens compare by their term. */
        int stem = t->stem && t->kind != SILK_TOK_CJK;
        snprintf(x->stems[x->n], sizeof x->stems[0], "%.*s", stem ? (int)t->stem_len : 0,
                 stem ? t->stem : "");
        x->n++;
    }
    return 0;
}

/* Text as its tokens' stems (or terms) joined by spaces: "Weapons" → "weapon". */
static void normalized(fixture_t *f, const char *text, size_t len, char *out, size_t cap)
{
    toks_t x = {.n = 0};
    silk_tokenize(f->tok, text, len, 1, collect, &x, NULL);
    out[0] = '\0';
    for (size_t t = 0; t < x.n; t++) {
        if (t > 0)
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, x.stems[t][0] ? x.stems[t] : x.terms[t], cap - strlen(out) - 1);
    }
}

/* Every hit of q: the snippet is valid UTF-8 of about SILK_SNIPPET_CHARS characters, every
 * highlight lies inside it on character boundaries, and the highlighted text is one of
 * `words` (normalized; for Latin words compared by stem). Returns the highlights seen. */
static size_t check_snippets_of(fixture_t *f, silk_searcher_t *s, const char *q,
                                const char *const *words, size_t nw)
{
    silk_status_t st;
    const silk_result_t *r = search(s, q, ALL, 100, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_true(r->nhits > 0);
    size_t seen = 0;
    for (size_t i = 0; i < r->nhits; i++) {
        const silk_hit_t *h = &r->hits[i];
        const unsigned char *sn = (const unsigned char *)h->snippet;
        size_t len = strlen(h->snippet), chars = 0;
        for (size_t k = 0; k < len;) {
            size_t l = utf8_len(sn + k, len - k);
            if (l == 0)
                fail_msg("[%s] %s: snippet is not UTF-8 at %zu", q, h->id, k);
            k += l;
            chars++;
        }
        if (chars > SILK_SNIPPET_CHARS + 2 + 8)
            fail_msg("[%s] %s: snippet of %zu characters", q, h->id, chars);
        uint32_t prev_end = 0;
        for (size_t k = 0; k < h->nhighlights; k++) {
            uint32_t a = h->highlights[2 * k], b = h->highlights[2 * k + 1];
            if (!(a < b && b <= len && a >= prev_end))
                fail_msg("[%s] %s: highlight [%u,%u) outside the snippet of %zu bytes", q, h->id, a,
                         b, len);
            if ((sn[a] & 0xC0) == 0x80 || (b < len && (sn[b] & 0xC0) == 0x80))
                fail_msg("[%s] %s: highlight [%u,%u) splits a character", q, h->id, a, b);
            prev_end = b;
            if (words == NULL) {
                seen++;
                continue;
            }
            /* The highlighted text normalizes to a query word. */
            char joined[256], want[256];
            normalized(f, h->snippet + a, b - a, joined, sizeof joined);
            int ok = 0;
            for (size_t w = 0; w < nw && !ok; w++) {
                normalized(f, words[w], strlen(words[w]), want, sizeof want);
                ok = strcmp(joined, want) == 0;
            }
            if (!ok)
                fail_msg("[%s] %s: highlighted '%.*s' (%s) is not a query word", q, h->id,
                         (int)(b - a), h->snippet + a, joined);
            seen++;
        }
    }
    return seen;
}

static size_t check_snippets(fixture_t *f, const char *q, const char *const *words, size_t nw)
{
    return check_snippets_of(f, f->s, q, words, nw);
}

static void test_snippets(void **state)
{
    fixture_t *f = *state;
    /* Latin: stems and diacritics. */
    const char *weapon[] = {"weapon"};
    assert_true(check_snippets(f, "weapon", weapon, 1) >= 6);
    const char *balazs[] = {"balazs"};
    assert_true(check_snippets(f, "Balazs", balazs, 1) >= 4);
    const char *nw[] = {"nuclear", "weapon"};
    assert_true(check_snippets(f, "nuclear weapons", nw, 2) >= 3);
    const char *axis[] = {"axis of evil"};
    assert_true(check_snippets(f, "\"axis of evil\"", axis, 1) >= 3);
    const char *hw[] = {"hwasong 14"};
    assert_int_equal(check_snippets(f, "Hwasong-14", hw, 1), 1);
    /* Hangul: a bigram, a phrase of bigrams, a lone syllable. */
    const char *joseon[] = {"조선"};
    assert_int_equal(check_snippets(f, "조선", joseon, 1), 1);
    const char *minju[] = {"민주 주주 주의", "민주주의"}; /* bigrams, or the word with its stem */
    assert_int_equal(check_snippets(f, "민주주의", minju, 2), 1);
    const char *jo[] = {"조선"};
    assert_int_equal(check_snippets(f, "조", jo, 1), 1);
    /* Persian, typed with Persian and with Arabic letters. */
    const char *iran_fa[] = {"ایران"};
    assert_int_equal(check_snippets(f, "ایران", iran_fa, 1), 1);
    assert_int_equal(check_snippets(f, "ايران", iran_fa, 1), 1);
    const char *korea_fa[] = {"کرهی"};
    assert_int_equal(check_snippets(f, "كرهي", korea_fa, 1), 1);
    assert_int_equal(check_snippets(f, "کره", korea_fa, 1), 1);
    /* Synonyms highlight what they matched. */
    const char *dprk[] = {"dprk", "north korea", "democratic people's republic of korea"};
    assert_true(check_snippets(f, "dprk", dprk, 3) >= 10);

    /* The best window: the snippet of p12 for "syria nuclear" shows both words. */
    silk_status_t st;
    const silk_result_t *r = search(f->s, "nuclear syria", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    const silk_hit_t *p12 = NULL;
    for (size_t i = 0; i < r->nhits; i++)
        if (strcmp(r->hits[i].id, ART "p12") == 0)
            p12 = &r->hits[i];
    assert_non_null(p12);
    assert_int_equal(p12->nhighlights, 2);
    assert_true(strncmp(p12->snippet, "\xe2\x80\xa6", 3) == 0); /* starts with … */

    /* Filters and fields only: the opening of the text, nothing highlighted. */
    r = search(f->s, "kind:lead", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_int_equal(r->nhits, 2);
    assert_true(strncmp(r->hits[0].snippet, "Iran–North Korea relations (Korean:", 36) == 0);
    assert_int_equal(r->hits[0].nhighlights, 0);
    assert_non_null(strstr(r->hits[0].snippet, "\xe2\x80\xa6")); /* cut at the end */
    r = search(f->s, "title:relations", ALL, 3, 0, &st);
    assert_int_equal(st, SILK_OK);
    for (size_t i = 0; i < r->nhits; i++)
        assert_int_equal(r->hits[i].nhighlights, 0);
    /* A short text is whole: no ellipsis. */
    r = search(f->s, "author:coughlin", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_null(strstr(r->hits[0].snippet, "\xe2\x80\xa6"));
    assert_true(strncmp(r->hits[0].snippet, "Coughlin, Con", 13) == 0);
    /* Negated words are not highlighted. */
    r = search(f->s, "missile -nuclear -iran", ALL, 10, 0, &st);
    assert_int_equal(st, SILK_OK);
    for (size_t i = 0; i < r->nhits; i++)
        for (size_t k = 0; k < r->hits[i].nhighlights; k++)
            assert_true(
                strncasecmp(r->hits[i].snippet + r->hits[i].highlights[2 * k], "missile", 7) == 0);
}

/* Snippets of awkward texts (a JSONL corpus): longer than the scan bound, NUL bytes and
 * line breaks, one huge word, only symbols, only Hangul, empty. */
static void test_snippet_edge_cases(void **state)
{
    fixture_t *f = *state;
    char corpus[400], index[400], path[500];
    snprintf(corpus, sizeof corpus, "%s/edge", f->dir);
    snprintf(index, sizeof index, "%s/edge-index", f->dir);
    assert_int_equal(run("mkdir -p '%s'", corpus), 0);
    snprintf(path, sizeof path, "%s/edge.jsonl", corpus);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "{\"id\":\"long\",\"text\":\"");
    for (int i = 0; i < 12000; i++)
        fprintf(fp, "alpha ");
    fprintf(fp, "zebraword omega\"}\n");
    fprintf(fp, "{\"id\":\"nul\",\"text\":\"before\\u0000after zebraword\\nline two\\t"
                "zebraword\"}\n");
    fprintf(fp, "{\"id\":\"word\",\"text\":\"");
    for (int i = 0; i < 400; i++)
        fputc('x', fp);
    fprintf(fp, " zebraword\"}\n");
    fprintf(fp, "{\"id\":\"symbols\",\"text\":\"");
    for (int i = 0; i < 300; i++)
        fprintf(fp, "%%\u2192");
    fprintf(fp, "\"}\n");
    fprintf(fp, "{\"id\":\"hangul\",\"text\":\"");
    for (int i = 0; i < 40; i++)
        fprintf(fp, "조선민주주의인민공화국 ");
    fprintf(fp, "\"}\n");
    fprintf(fp, "{\"id\":\"empty\",\"text\":\"\"}\n");
    fclose(fp);
    assert_int_equal(
        run("%s/silk-index --corpus '%s' --index '%s' --quiet", silk_bin(), corpus, index), 0);
    silk_searcher_t *s = NULL;
    assert_int_equal(silk_searcher_new(index, NULL, &s), SILK_OK);
    silk_status_t st;
    const silk_result_t *r = search(s, "kind:paragraph", ALL, 100, 0, &st);
    assert_int_equal(st, SILK_OK);
    assert_int_equal(r->nhits, 6);
    check_snippets_of(f, s, "kind:paragraph", NULL, 0);
    const char *zebra[] = {"zebraword"};
    /* The long text's only match lies beyond the scan bound: its opening is shown. */
    assert_int_equal(check_snippets_of(f, s, "zebraword", zebra, 1), 3);
    const char *minju[] = {"민주"};
    assert_true(check_snippets_of(f, s, "민주", minju, 1) >= 5);
    r = search(s, "zebraword", ALL, 100, 0, &st);
    for (size_t i = 0; i < r->nhits; i++) {
        assert_null(strchr(r->hits[i].snippet, '\n'));
        if (strcmp(r->hits[i].id, "edge#nul") == 0)
            assert_non_null(strstr(r->hits[i].snippet, "after zebraword line two zebraword"));
    }
    silk_searcher_destroy(s);
}

/* The document cache changes nothing but speed: a searcher whose cache holds a handful of
 * documents (evicting all the time) and one without a cache give the same hits, snippets
 * and highlights as the default one. */
static void test_cache_transparent(void **state)
{
    fixture_t *f = *state;
    silk_searcher_opts_t tiny = {.doc_cache_bytes = 8 * 1024}, none = {.doc_cache_bytes = -1};
    silk_searcher_t *a = NULL, *b = NULL;
    assert_int_equal(silk_searcher_new(f->index, &tiny, &a), SILK_OK);
    assert_int_equal(silk_searcher_new(f->index, &none, &b), SILK_OK);
    static const char *qs[] = {"iran",          "weapons",        "north korea", "kind:reference",
                               "조선",          "balazs",         "nucl*",       "dprk",
                               "iran OR syria", "year:2010..2016"};
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
            silk_status_t st;
            const silk_result_t *rs[3];
            silk_searcher_t *ss[3] = {f->s, a, b};
            char *snap[3];
            for (int k = 0; k < 3; k++) {
                rs[k] = search(ss[k], qs[i], ALL, 50, 0, &st);
                assert_int_equal(st, SILK_OK);
                /* Flatten the result: it lives only until the next search on ss[k]. */
                size_t cap = 1 << 16, len = 0;
                snap[k] = malloc(cap);
                for (size_t h = 0; h < rs[k]->nhits; h++) {
                    const silk_hit_t *x = &rs[k]->hits[h];
                    len += (size_t)snprintf(snap[k] + len, cap - len, "%s|%s|%.6f|", x->id,
                                            x->snippet, x->score);
                    for (size_t j = 0; j < x->nhighlights && len < cap; j++)
                        len += (size_t)snprintf(snap[k] + len, cap - len, "%u-%u,",
                                                x->highlights[2 * j], x->highlights[2 * j + 1]);
                    assert_true(len < cap);
                }
            }
            assert_string_equal(snap[0], snap[1]);
            assert_string_equal(snap[0], snap[2]);
            for (int k = 0; k < 3; k++)
                free(snap[k]);
        }
    }
    silk_searcher_destroy(a);
    silk_searcher_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_paging_and_explain),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_too_broad_and_missing),
        cmocka_unit_test(test_reopen),
        cmocka_unit_test(test_snippets),
        cmocka_unit_test(test_snippet_edge_cases),
        cmocka_unit_test(test_cache_transparent),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
