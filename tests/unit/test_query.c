/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the query parser (lib/qparse.c, printed by lib/qast.c), the builder
 * (lib/qbuild.c) and its matcher (lib/qmatch.c): the AST printed for each syntax element,
 * and each error with its status, message and byte position. No index needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/db.h"
#include "silk/qast.h"
#include "silk/qbuild.h"
#include "silk/qmatch.h"
#include "silk/qparse.h"
#include "silk/text.h"

typedef struct {
    silk_tokenizer_t *tok;
    silk_stemmer_t *stem;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(silk_tokenizer_new(&f->tok), SILK_OK);
    assert_int_equal(silk_stemmer_new("english", &f->stem), SILK_OK);
    silk_tokenizer_set_stemmer(f->tok, f->stem);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    silk_tokenizer_destroy(f->tok);
    silk_stemmer_destroy(f->stem);
    free(f);
    return 0;
}

static char *print_of(fixture_t *f, const char *q)
{
    silk_qast_t *ast = NULL;
    silk_qerror_t err;
    silk_status_t st = silk_qparse(f->tok, q, strlen(q), &ast, &err);
    if (st != SILK_OK) {
        char *s = malloc(strlen(err.msg) + 16);
        sprintf(s, "ERROR %s", err.msg);
        return s;
    }
    char *s = silk_qast_print(ast);
    silk_qast_destroy(ast);
    return s;
}

static const struct {
    const char *q;
    const char *ast;
} prints[] = {
    {"iran", "(WORD iran)"},
    {"IRAN", "(WORD iran)"},
    {"\xef\xbc\xa9\xef\xbc\xb2\xef\xbc\xa1\xef\xbc\xae", "(WORD iran)"}, /* fullwidth ＩＲＡＮ */
    {"Balázs", "(WORD balazs)"},
    {"nuclear weapons", "(AND (WORD nuclear) (WORD weapons))"},
    {"iran \"axis of evil\" kind:reference",
     "(AND (WORD iran) (PHRASE \"axis of evil\") (FIELD kind reference))"},
    {"\"Axis of Evil\"", "(PHRASE \"axis of evil\")"},
    {"“Axis of Evil”", "(PHRASE \"axis of evil\")"},
    {"„Axis of Evil“ iran", "(AND (PHRASE \"axis of evil\") (WORD iran))"},
    {"section:“military weapons”", "(PHRASE section:\"military weapons\")"},
    {"\"weapon\"", "(WORD \"weapon\")"},
    {"iran OR syria", "(OR (WORD iran) (WORD syria))"},
    {"iran or syria", "(AND (WORD iran) (WORD or) (WORD syria))"},
    {"iran AND syria", "(AND (WORD iran) (WORD syria))"},
    {"missile -nuclear", "(AND (WORD missile) (NOT (WORD nuclear)))"},
    {"missile NOT nuclear", "(AND (WORD missile) (NOT (WORD nuclear)))"},
    {"missile NOT -nuclear", "(AND (WORD missile) (WORD nuclear))"},
    {"not iran", "(AND (WORD not) (WORD iran))"},
    {"(iran OR syria) arms", "(AND (OR (WORD iran) (WORD syria)) (WORD arms))"},
    {"a b OR c d", "(OR (AND (WORD a) (WORD b)) (AND (WORD c) (WORD d)))"},
    {"a OR b OR c", "(OR (WORD a) (WORD b) (WORD c))"},
    {"a -b OR c", "(OR (AND (WORD a) (NOT (WORD b))) (WORD c))"},
    {"-(iran OR syria) arms", "(AND (NOT (OR (WORD iran) (WORD syria))) (WORD arms))"},
    {"arms -\"north korea\"", "(AND (WORD arms) (NOT (PHRASE \"north korea\")))"},
    {"nucl*", "(PREFIX nucl*)"},
    {"Nucl*", "(PREFIX nucl*)"},
    {"title:nucl*", "(PREFIX title:nucl*)"},
    {"U.S.-le*", "(AND (WORD us) (PREFIX le*))"},
    {"Hwasong-14", "(PHRASE \"hwasong 14\")"},
    {"\"Hwasong-14\"", "(PHRASE \"hwasong 14\")"},
    {"U.S.-led", "(PHRASE \"us led\")"},
    {"title:relations", "(WORD title:relations)"},
    {"Title:Relations", "(WORD title:relations)"},
    {"section:history", "(WORD section:history)"},
    {"section:\"military weapons\"", "(PHRASE section:\"military weapons\")"},
    {"kind:reference", "(FIELD kind reference)"},
    {"kind:Reference", "(FIELD kind reference)"},
    {"article:iran-north-korea-relations", "(FIELD article iran-north-korea-relations)"},
    {"author:szalontai", "(FIELD author szalontai)"},
    {"author:Szalontai", "(FIELD author szalontai)"},
    {"author:\"Balázs Szalontai\"", "(AND (FIELD author balazs) (FIELD author szalontai))"},
    {"cites:27", "(FIELD cites 27)"},
    {"cites:027", "(FIELD cites 27)"},
    {"year:2007", "(FIELD year 2007)"},
    {"year:2010..2016", "(FIELD year 2010..2016)"},
    {"year:..2000", "(FIELD year ..2000)"},
    {"year:2010..", "(FIELD year 2010..)"},
    {"foo:bar", "(PHRASE \"foo bar\")"},
    {"iran:", "(WORD iran)"},
    {"title: relations", "(AND (WORD title) (WORD relations))"},
    {"kind:reference -year:2007", "(AND (FIELD kind reference) (NOT (FIELD year 2007)))"},
    {"조선", "(WORD 조선)"},
    {"민주주의", "(PHRASE \"민주 주주 주의\")"},
    {"ایران", "(WORD ایران)"},
    {"ايران", "(WORD ایران)"}, /* Arabic yeh folds to Farsi yeh */
    {"كره", "(WORD کره)"},     /* Arabic kaf folds to keheh */
    {"  iran   ", "(WORD iran)"},
    {"iran , & syria", "(AND (WORD iran) (WORD syria))"},
    {"((iran))", "(WORD iran)"},
    {"\"\" iran", "(WORD iran)"},
    {"iran\xe3\x80\x80korea", "(AND (WORD iran) (WORD korea))"}, /* ideographic space */
};

static void test_print(void **state)
{
    fixture_t *f = *state;
    for (size_t i = 0; i < sizeof prints / sizeof prints[0]; i++) {
        char *got = print_of(f, prints[i].q);
        assert_non_null(got);
        if (strcmp(got, prints[i].ast) != 0)
            fail_msg("query [%s]: expected %s, got %s", prints[i].q, prints[i].ast, got);
        free(got);
    }
}

static const struct {
    const char *q;
    silk_status_t st;
    long pos;
    const char *msg;
} errors[] = {
    {"", SILK_ERR_BAD_QUERY, 0, "empty query"},
    {"   ", SILK_ERR_BAD_QUERY, 0, "empty query"},
    {"&& !!", SILK_ERR_BAD_QUERY, 0, "empty query"},
    {"iran \"axis", SILK_ERR_BAD_QUERY, 5, "unbalanced quote at 5"},
    {"\"", SILK_ERR_BAD_QUERY, 0, "unbalanced quote at 0"},
    {"iran “axis", SILK_ERR_BAD_QUERY, 5, "unbalanced quote at 5"},
    {"section:\"military", SILK_ERR_BAD_QUERY, 8, "unbalanced quote at 8"},
    {"(iran", SILK_ERR_BAD_QUERY, 0, "unbalanced parenthesis at 0"},
    {"iran (syria OR iraq", SILK_ERR_BAD_QUERY, 5, "unbalanced parenthesis at 5"},
    {"iran)", SILK_ERR_BAD_QUERY, 4, "unbalanced parenthesis at 4"},
    {"iran ()", SILK_ERR_BAD_QUERY, 5, "empty parentheses at 5"},
    {"-iran", SILK_ERR_BAD_QUERY, 0, "only negative parts at 0"},
    {"NOT iran", SILK_ERR_BAD_QUERY, 0, "only negative parts at 0"},
    {"-iran -syria", SILK_ERR_BAD_QUERY, 0, "only negative parts at 0"},
    {"iran OR -syria", SILK_ERR_BAD_QUERY, 8, "only negative parts at 8"},
    {"iran (-syria)", SILK_ERR_BAD_QUERY, 6, "only negative parts at 6"},
    {"iran OR", SILK_ERR_BAD_QUERY, 5, "nothing after OR at 5"},
    {"OR iran", SILK_ERR_BAD_QUERY, 0, "nothing before OR at 0"},
    {"iran AND", SILK_ERR_BAD_QUERY, 5, "nothing after AND at 5"},
    {"AND iran", SILK_ERR_BAD_QUERY, 0, "nothing before AND at 0"},
    {"iran OR OR syria", SILK_ERR_BAD_QUERY, 5, "nothing after OR at 5"},
    {"iran NOT", SILK_ERR_BAD_QUERY, 5, "nothing after NOT at 5"},
    {"year:20x7", SILK_ERR_BAD_QUERY, 5, "malformed year at 5"},
    {"year:2016..2010", SILK_ERR_BAD_QUERY, 5, "malformed year range at 5"},
    {"iran year:..", SILK_ERR_BAD_QUERY, 10, "malformed year range at 10"},
    {"year:20a0..2016", SILK_ERR_BAD_QUERY, 5, "malformed year range at 5"},
    {"year:2010...2016", SILK_ERR_BAD_QUERY, 5, "malformed year range at 5"},
    {"cites:x", SILK_ERR_BAD_QUERY, 6, "malformed cites value at 6"},
    {"kind:\"\" x", SILK_ERR_BAD_QUERY, 6, "malformed kind value at 6"},
    {"kind:bogus", SILK_ERR_BAD_QUERY, 5,
     "unknown kind 'bogus' at 5 (valid: lead, paragraph, infobox, reference, reading)"},
    {"iran kind:Paragraphs", SILK_ERR_BAD_QUERY, 10,
     "unknown kind 'paragraphs' at 10 (valid: lead, paragraph, infobox, reference, reading)"},
    {"article:\"a\tb\"", SILK_ERR_BAD_QUERY, 9, "malformed article value at 9"},
    {"author:&", SILK_ERR_BAD_QUERY, 7, "malformed author value at 7"},
};

static void test_errors(void **state)
{
    fixture_t *f = *state;
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        silk_qast_t *ast = (silk_qast_t *)1;
        silk_qerror_t err;
        silk_status_t st = silk_qparse(f->tok, errors[i].q, strlen(errors[i].q), &ast, &err);
        if (st != errors[i].st || err.pos != errors[i].pos || strcmp(err.msg, errors[i].msg) != 0)
            fail_msg("query [%s]: expected %d at %ld '%s', got %d at %ld '%s'", errors[i].q,
                     errors[i].st, errors[i].pos, errors[i].msg, st, err.pos, err.msg);
        assert_null(ast);
    }
}

/* The bounds of search.h, each exceeded by one. */
static void test_bounds(void **state)
{
    fixture_t *f = *state;
    silk_qast_t *ast = NULL;
    silk_qerror_t err;
    char q[SILK_QUERY_MAX_BYTES + 2];

    /* Length: 4096 bytes parse, 4097 do not. */
    memset(q, 'a', sizeof q);
    for (size_t i = 1; i < sizeof q; i += 2)
        q[i] = ' ';
    assert_int_equal(silk_qparse(f->tok, q, 127, &ast, &err), SILK_OK);
    silk_qast_destroy(ast);
    assert_int_equal(silk_qparse(f->tok, q, SILK_QUERY_MAX_BYTES + 1, &ast, &err),
                     SILK_ERR_TOO_LARGE);
    assert_int_equal(err.pos, SILK_QUERY_MAX_BYTES);
    assert_string_equal(err.msg, "query longer than 4096 bytes at 4096");

    /* Terms: 64 words parse, the 65th word (at byte 128) does not. */
    assert_int_equal(silk_qparse(f->tok, q, 64 * 2 - 1, &ast, &err), SILK_OK);
    assert_int_equal(silk_qast_term_count(ast), 64);
    silk_qast_destroy(ast);
    assert_int_equal(silk_qparse(f->tok, q, 65 * 2 - 1, &ast, &err), SILK_ERR_TOO_LARGE);
    assert_int_equal(err.pos, 128);
    assert_string_equal(err.msg, "more than 64 terms at 128");

    /* A phrase counts each of its words. */
    char ph[400] = "\"";
    for (int i = 0; i < 70; i++)
        strcat(ph, "w ");
    strcat(ph, "\"");
    assert_int_equal(silk_qparse(f->tok, ph, strlen(ph), &ast, &err), SILK_ERR_TOO_LARGE);
    assert_int_equal(err.pos, 0);

    /* Depth: 32 nested parentheses parse, 33 do not (the 33rd opens at byte 32). */
    char d[200] = "";
    for (int i = 0; i < 32; i++)
        strcat(d, "(");
    strcat(d, "iran");
    for (int i = 0; i < 32; i++)
        strcat(d, ")");
    assert_int_equal(silk_qparse(f->tok, d, strlen(d), &ast, &err), SILK_OK);
    silk_qast_destroy(ast);
    memmove(d + 1, d, strlen(d) + 1);
    d[0] = '(';
    strcat(d, ")");
    assert_int_equal(silk_qparse(f->tok, d, strlen(d), &ast, &err), SILK_ERR_TOO_LARGE);
    assert_int_equal(err.pos, 32);
    assert_string_equal(err.msg, "nesting deeper than 32 at 32");

    /* A long run of NOT does not recurse. */
    char nots[SILK_QUERY_MAX_BYTES + 1] = "";
    while (strlen(nots) + 10 < SILK_QUERY_MAX_BYTES)
        strcat(nots, "NOT NOT ");
    strcat(nots, "iran");
    assert_int_equal(silk_qparse(f->tok, nots, strlen(nots), &ast, &err), SILK_OK);
    char *s = silk_qast_print(ast);
    assert_string_equal(s, "(WORD iran)");
    free(s);
    silk_qast_destroy(ast);
}

/* Spans let did-you-mean rewrite exactly the word the user typed. */
static void test_spans_and_plain(void **state)
{
    fixture_t *f = *state;
    silk_qast_t *ast = NULL;
    const char *q = "nucler  WEAPNS";
    assert_int_equal(silk_qparse(f->tok, q, strlen(q), &ast, NULL), SILK_OK);
    const silk_qnode_t *r = silk_qast_root(ast);
    assert_int_equal(r->type, SILK_QN_AND);
    assert_int_equal(r->nkids, 2);
    assert_int_equal(r->kids[0]->start, 0);
    assert_int_equal(r->kids[0]->end, 6);
    assert_int_equal(r->kids[1]->start, 8);
    assert_int_equal(r->kids[1]->end, 14);
    assert_string_equal(r->kids[1]->term, "weapns");
    assert_true(silk_qast_is_plain(ast));
    silk_qast_destroy(ast);

    static const struct {
        const char *q;
        int plain;
    } plain[] = {
        {"iran", 0},          {"iran korea", 1},          {"iran AND korea", 0},
        {"iran OR korea", 0}, {"iran -korea", 0},         {"\"iran korea\"", 0},
        {"iran nucl*", 0},    {"iran kind:reference", 0}, {"Hwasong-14 missile", 1},
        {"Hwasong-14", 1},    {"\"Hwasong-14\"", 0},      {"title:Hwasong-14", 0},
        {"북한의", 1},
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        assert_int_equal(silk_qparse(f->tok, plain[i].q, strlen(plain[i].q), &ast, NULL), SILK_OK);
        if (silk_qast_is_plain(ast) != plain[i].plain)
            fail_msg("is_plain(%s) should be %d", plain[i].q, plain[i].plain);
        silk_qast_destroy(ast);
    }
}

/* Without a database the builder still turns every AST into a Xapian query. */
static void test_build_without_db(void **state)
{
    fixture_t *f = *state;
    static const char *qs[] = {
        "iran",
        "nuclear weapons",
        "\"axis of evil\" iran",
        "iran OR syria",
        "missile -nuclear",
        "(iran OR syria) arms -\"north korea\"",
        "nucl*",
        "title:nucl* section:history",
        "kind:reference",
        "kind:reference -year:2007",
        "author:\"Balázs Szalontai\" cites:27 year:2010..2016 year:..2000 year:2010..",
        "iran OR kind:reading",
        "조선 민주주의",
        "ایران",
        "title:\"north korea\"",
    };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        for (int mode = 0; mode < 2; mode++) {
            silk_qast_t *ast = NULL;
            silk_qbuilt_t *b = NULL;
            silk_qbuild_opts_t o;
            silk_qerror_t err;
            silk_qbuild_opts_init(&o);
            o.mode = mode ? SILK_MODE_ANY : SILK_MODE_ALL;
            assert_int_equal(silk_qparse(f->tok, qs[i], strlen(qs[i]), &ast, NULL), SILK_OK);
            if (silk_qbuild(ast, NULL, f->tok, &o, &b, &err) != SILK_OK)
                fail_msg("build [%s]: %s", qs[i], err.msg);
            char *d = silk_query_describe(silk_qbuilt_query(b));
            assert_non_null(d);
            free(d);
            silk_qbuilt_destroy(b);
            silk_qast_destroy(ast);
        }
    }
}

/* The highlight matcher: words by stem, quoted words exactly, phrases as runs, nothing
 * from negated or fielded parts. */
static void test_match(void **state)
{
    fixture_t *f = *state;
    silk_qast_t *ast = NULL;
    silk_qbuilt_t *b = NULL;
    const char *q = "weapon \"axis of evil\" nucl* -iran title:korea";
    assert_int_equal(silk_qparse(f->tok, q, strlen(q), &ast, NULL), SILK_OK);
    assert_int_equal(silk_qbuild(ast, NULL, f->tok, NULL, &b, NULL), SILK_OK);
    const silk_qmatch_t *m = silk_qbuilt_match(b);
    assert_int_equal(silk_qmatch_ids(m), 3);
#define TOK(t, stem, p)                                                                            \
    {silk_qhash(t, strlen(t)), stem ? silk_qhash_stem(stem, strlen(stem)) : 0, t, strlen(t), p}
    silk_qtok_t toks[] = {
        TOK("weapons", "weapon", 1), TOK("axis", "axi", 2),        TOK("of", "of", 3),
        TOK("evil", "evil", 4),      TOK("nuclear", "nuclear", 5), TOK("iran", "iran", 6),
        TOK("korea", "korea", 7),    TOK("of", "of", 8),           TOK("evil", "evil", 10),
    };
    size_t n = sizeof toks / sizeof toks[0], nt = 0;
    assert_int_equal(silk_qmatch_at(m, toks, n, 0, &nt), 0);
    assert_int_equal(nt, 1);
    assert_int_equal(silk_qmatch_at(m, toks, n, 1, &nt), 1);
    assert_int_equal(nt, 3);
    assert_int_equal(silk_qmatch_at(m, toks, n, 4, &nt), 2);
    assert_int_equal(silk_qmatch_at(m, toks, n, 5, &nt), -1); /* negated */
    assert_int_equal(silk_qmatch_at(m, toks, n, 6, &nt), -1); /* title: only */
    assert_int_equal(silk_qmatch_at(m, toks, n, 7, &nt), -1); /* "of" alone is no phrase */
    silk_qbuilt_destroy(b);
    silk_qast_destroy(ast);
}

/* The next `code` span of line starting at *p: copies it into out (cap bytes). */
static int next_code(const char **p, char *out, size_t cap)
{
    const char *a = strchr(*p, '`');
    if (a == NULL)
        return 0;
    const char *b = strchr(a + 1, '`');
    if (b == NULL || (size_t)(b - a - 1) >= cap)
        return 0;
    memcpy(out, a + 1, (size_t)(b - a - 1));
    out[b - a - 1] = '\0';
    *p = b + 1;
    return 1;
}

/* Every example of the "parses as" tables of docs/query-syntax.md (tests run from the
 * repository root) parses as documented. */
static void test_doc_examples(void **state)
{
    fixture_t *f = *state;
    FILE *fp = fopen("docs/query-syntax.md", "r");
    assert_non_null(fp);
    char line[1024];
    int in = 0, checked = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        if (strncmp(line, "<!-- examples:ast -->", 21) == 0) {
            in = 1;
            continue;
        }
        if (strncmp(line, "<!-- /examples -->", 18) == 0) {
            in = 0;
            continue;
        }
        if (!in || line[0] != '|' || strstr(line, "`") == NULL)
            continue;
        const char *p = line;
        char q[256], want[512];
        assert_true(next_code(&p, q, sizeof q));
        int is_err = strstr(p, "error:") != NULL;
        assert_true(next_code(&p, want, sizeof want));
        char *got = print_of(f, q);
        char expect[600];
        snprintf(expect, sizeof expect, "%s%s", is_err ? "ERROR " : "", want);
        if (strcmp(got, expect) != 0)
            fail_msg("docs/query-syntax.md: [%s] documented as %s, parses as %s", q, expect, got);
        free(got);
        checked++;
    }
    fclose(fp);
    assert_true(checked >= 25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_print, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spans_and_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_without_db, setup, teardown),
        cmocka_unit_test_setup_teardown(test_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_doc_examples, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
