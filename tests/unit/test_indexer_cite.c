/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Citations and references (indexer/cite.c) on their own: marker stripping, the set of
 * cited numbers, years, authors, and reference numbering with cited_by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../indexer/cite.h"

/* The text of s without markers (a fresh string), numbers into cites (may be NULL). */
static char *strip(const char *s, silk_cites_t *cites)
{
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_cite_strip(s, strlen(s), &b, cites), SILK_OK);
    char *t = silk_buf_steal(&b, NULL);
    assert_non_null(t);
    return t;
}

static void test_strip(void **state)
{
    (void)state;
    silk_cites_t c = {0};
    char *t = strip("Treaty[32] was signed [citation needed] in 1990 [3][4]. [3]", &c);
    assert_string_equal(t, "Treaty was signed in 1990.");
    free(t);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.v[0], 32);
    assert_int_equal(c.v[1], 3);
    assert_int_equal(c.v[2], 4);
    silk_cites_free(&c);
    /* The text must go on after "[citation needed]" for it to be removed (as it always
     * was: a marker that ends the text stays). */
    t = strip("Fact.[citation needed]", &c);
    assert_string_equal(t, "Fact.[citation needed]");
    free(t);
    silk_cites_free(&c);
    /* Not markers: a link label, five digits, [0] (dropped but not counted), letters. */
    t = strip("see [1](url) and [12345] or [0] and [a]  ", &c);
    assert_string_equal(t, "see [1](url) and [12345] or and [a]");
    free(t);
    assert_int_equal(c.n, 0);
    silk_cites_free(&c);
    /* Without a set the markers still go. */
    t = strip("x [7], y", NULL);
    assert_string_equal(t, "x, y");
    free(t);
    /* Appending keeps what the buffer held, white space before the new text included. */
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_buf_adds(&b, "A; "), SILK_OK);
    assert_int_equal(silk_cite_strip("B[1]  ", 6, &b, NULL), SILK_OK);
    t = silk_buf_steal(&b, NULL);
    assert_string_equal(t, "A; B");
    free(t);
}

static void test_cites_set(void **state)
{
    (void)state;
    silk_cites_t c = {0};
    /* Past the linear-scan threshold the bitmap takes over; duplicates stay out either way,
     * also of numbers beyond the bitmap. */
    for (unsigned round = 0; round < 2; round++)
        for (unsigned x = 1; x <= 100; x++)
            assert_int_equal(silk_cites_add(&c, x * 37), SILK_OK);
    assert_int_equal(silk_cites_add(&c, 5000000), SILK_OK);
    assert_int_equal(silk_cites_add(&c, 5000000), SILK_OK);
    assert_int_equal(c.n, 101);
    assert_int_equal(c.v[0], 37);
    assert_int_equal(c.v[99], 3700);
    size_t n = 0;
    unsigned *v = silk_cites_steal(&c, &n);
    assert_int_equal(n, 101);
    assert_null(c.v);
    assert_null(c.seen);
    free(v);
    v = silk_cites_steal(&c, &n);
    assert_null(v);
    assert_int_equal(n, 0);
}

static void test_year(void **state)
{
    (void)state;
    const char *s = "Doe, Jane (3 March 1999). \"A title\". Retrieved 1 May 2020.";
    assert_int_equal(silk_cite_year(s, strlen(s)), 1999);
    /* A year inside a quoted title, or after Retrieved/Archived, is not the date. */
    s = "\"The 1950 war\". Archived 2015.";
    assert_int_equal(silk_cite_year(s, strlen(s)), 0);
    s = "\xe2\x80\x9c"
        "1984 again\xe2\x80\x9d, 2003.";
    assert_int_equal(silk_cite_year(s, strlen(s)), 2003);
    /* Not years: part of a longer number, outside 19xx/20xx. */
    s = "pages 12000, 1,950 and 1850, then 2021";
    assert_int_equal(silk_cite_year(s, strlen(s)), 2021);
    assert_int_equal(silk_cite_year("", 0), 0);
}

/* The authors of s, joined by "|". */
static void expect_authors(const char *s, const char *want)
{
    silk_strvec_t names = {0};
    assert_int_equal(silk_cite_authors(s, strlen(s), &names), SILK_OK);
    char got[512] = "";
    for (size_t i = 0; i < names.n; i++) {
        if (i)
            strcat(got, "|");
        strcat(got, names.v[i]);
    }
    assert_string_equal(got, want);
    silk_strvec_free(&names);
}

static void test_authors(void **state)
{
    (void)state;
    expect_authors("Coughlin, Con (2007). Title.", "Con Coughlin");
    expect_authors("Choi, Lyong; Shin, Jong-dae; and Lee, Han-hyung (2010). X.",
                   "Lyong Choi|Jong-dae Shin|Han-hyung Lee");
    expect_authors("McEachern, Patrick and Jaclyn O'Brien McEachern (2017). X.",
                   "Patrick McEachern|Jaclyn O'Brien McEachern");
    expect_authors("John Larkin and Donald Macintyre. A story.", "John Larkin|Donald Macintyre");
    expect_authors("Bal\xc3\xa1zs Szalontai, Cracks in the wall, 2005.", "Bal\xc3\xa1zs Szalontai");
    expect_authors("George W. Bush (2002). Speech.", "George W. Bush");
    expect_authors("Congressional Research Service, report.", "Congressional Research Service");
    /* Quoted titles first, lower-case text, and too many words name nobody. */
    expect_authors("\"A title\", by Someone Else.", "");
    expect_authors("the state of things, 2001.", "");
    expect_authors("One Two Three Four Five Six (2001).", "");
    /* A name said twice is kept once. */
    expect_authors("Kim, Ann and Ann Kim (2001).", "Ann Kim");
}

static silk_corpus_doc_t mkdoc(const char *id, unsigned *cites, size_t ncites)
{
    silk_corpus_doc_t d = {0};
    d.id = strdup(id);
    assert_non_null(d.id);
    if (ncites) {
        d.cites = malloc(ncites * sizeof *d.cites);
        assert_non_null(d.cites);
        memcpy(d.cites, cites, ncites * sizeof *cites);
        d.ncites = ncites;
    }
    return d;
}

static void test_refs_link(void **state)
{
    (void)state;
    unsigned c1[] = {2, 1, 9}, c2[] = {2};
    silk_corpus_doc_t docs[4];
    docs[0] = mkdoc("a#p1", c1, 3);
    docs[1] = mkdoc("a#infobox", c2, 1);
    docs[2] = mkdoc("a#ref-1", NULL, 0);
    docs[3] = mkdoc("a#ref-2", NULL, 0);
    silk_refs_t refs = {0};
    unsigned num = 0;
    assert_int_equal(silk_refs_add(&refs, 2, &num), SILK_OK);
    assert_int_equal(num, 1);
    assert_int_equal(silk_refs_add(&refs, 3, &num), SILK_OK);
    assert_int_equal(num, 2);
    assert_int_equal(silk_refs_link(&refs, docs, 4), SILK_OK);
    assert_int_equal(docs[2].ncited_by, 1);
    assert_string_equal(docs[2].cited_by[0], "p1");
    assert_int_equal(docs[3].ncited_by, 2);
    assert_string_equal(docs[3].cited_by[0], "p1");
    assert_string_equal(docs[3].cited_by[1], "infobox");
    assert_int_equal(docs[0].ncited_by, 0); /* [9] has no reference: nothing, no crash */
    for (int i = 0; i < 4; i++)
        silk_corpus_doc_clear(&docs[i]);
    silk_refs_free(&refs);
    /* No references: nothing to link. */
    assert_int_equal(silk_refs_link(&refs, NULL, 0), SILK_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strip),     cmocka_unit_test(test_cites_set),
        cmocka_unit_test(test_year),      cmocka_unit_test(test_authors),
        cmocka_unit_test(test_refs_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
