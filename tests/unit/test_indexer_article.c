/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The article builder (indexer/article.c) and the string helpers under it
 * (indexer/strutil.c), called directly as a reader calls them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../indexer/article.h"
#include "silk/schema.h"

static void test_builder_documents(void **state)
{
    (void)state;
    silk_builder_t *b = NULL;
    assert_int_equal(silk_builder_create("art", "art.txt", &b), SILK_OK);
    assert_string_equal(silk_builder_name(b), "art");
    assert_false(silk_builder_has_title(b));
    assert_int_equal(silk_builder_set_title(b, "The title!", 9), SILK_OK);
    assert_true(silk_builder_has_title(b));
    assert_int_equal(silk_builder_paragraph(b, "  First [1][2]. ", 16, NULL), SILK_OK);
    assert_int_equal(silk_builder_paragraph(b, " [3] ", 5, NULL), SILK_OK); /* empty: none */
    assert_int_equal(silk_builder_paragraph(b, "Still lead [2].", 15, NULL), SILK_OK);
    silk_builder_heading_seen(b);
    assert_int_equal(silk_builder_paragraph(b, "Body.", 5, "History"), SILK_OK);
    assert_int_equal(silk_builder_paragraphs(b), 3);
    silk_line_t rows[] = {{"| a | b |", 9, 1}, {"|---|---|", 9, 2}, {"| c [1] |", 9, 3}};
    assert_int_equal(silk_builder_table(b, rows, 3, 1, NULL), SILK_OK);
    assert_int_equal(silk_builder_item(b, 1, "Doe, Jane (1999). X.", 20, "References"), SILK_OK);
    assert_int_equal(silk_builder_item(b, 1, "[4]", 3, "References"), SILK_OK); /* empty */
    assert_int_equal(silk_builder_item(b, 1, "Second (2001).", 14, "References"), SILK_OK);
    assert_int_equal(silk_builder_item(b, 0, "Roe, Rick. Book.", 16, "Further reading"), SILK_OK);
    silk_article_t *a = NULL;
    assert_int_equal(silk_builder_finish(b, 1, &a), SILK_OK);
    assert_string_equal(silk_article_title(a), "The title");
    assert_int_equal(silk_article_count(a), 7);
    const char *ids[] = {"art#p1",    "art#p2",    "art#p3",    "art#infobox",
                         "art#ref-1", "art#ref-2", "art#read-1"};
    const char *kinds[] = {SILK_KIND_LEAD,    SILK_KIND_LEAD,      SILK_KIND_PARAGRAPH,
                           SILK_KIND_INFOBOX, SILK_KIND_REFERENCE, SILK_KIND_REFERENCE,
                           SILK_KIND_READING};
    for (size_t i = 0; i < 7; i++) {
        const silk_corpus_doc_t *d = silk_article_doc(a, i);
        assert_string_equal(d->id, ids[i]);
        assert_string_equal(d->kind, kinds[i]);
        assert_string_equal(d->article_name, "art");
        assert_string_equal(d->title, "The title");
        assert_string_equal(silk_corpus_doc_anchor(d), ids[i] + 4);
    }
    assert_null(silk_article_doc(a, 7));
    const silk_corpus_doc_t *p1 = silk_article_doc(a, 0);
    assert_string_equal(p1->text, "First.");
    assert_int_equal(p1->ncites, 2);
    assert_string_equal(p1->section, "");
    assert_string_equal(silk_article_doc(a, 2)->section, "History");
    const silk_corpus_doc_t *box = silk_article_doc(a, 3);
    assert_string_equal(box->text, "a | b; c");
    assert_int_equal(box->ncites, 1);
    const silk_corpus_doc_t *r1 = silk_article_doc(a, 4);
    assert_int_equal(r1->year, 1999);
    assert_string_equal(r1->authors[0], "Jane Doe");
    assert_int_equal(r1->ncited_by, 2);
    assert_string_equal(r1->cited_by[0], "p1");
    assert_string_equal(r1->cited_by[1], "infobox");
    const silk_corpus_doc_t *r2 = silk_article_doc(a, 5);
    assert_int_equal(r2->ncited_by, 2);
    assert_string_equal(r2->cited_by[1], "p2");
    assert_int_equal(silk_article_doc(a, 6)->nauthors, 1);
    assert_int_equal(silk_article_doc(a, 6)->ncited_by, 0);
    silk_article_destroy(a);
}

static void test_builder_raw_documents(void **state)
{
    (void)state;
    silk_builder_t *b = NULL;
    assert_int_equal(silk_builder_create("raw", "raw.jsonl", &b), SILK_OK);
    const char *ids[] = {"raw#a", "raw#b", "raw#a"};
    for (int i = 0; i < 3; i++) {
        silk_corpus_doc_t *d = silk_builder_raw_doc(b);
        assert_non_null(d);
        d->id = strdup(ids[i]);
        d->title = strdup(i ? "Other" : "First");
        int dup = -1;
        assert_int_equal(silk_builder_check_id(b, &dup), SILK_OK);
        assert_int_equal(dup, i == 2);
        if (dup) {
            silk_builder_drop_doc(b);
            assert_int_equal(silk_builder_problem(b, 3, "duplicate \xff id"), SILK_OK);
        }
    }
    silk_article_t *a = NULL;
    /* Without a title of its own, the article takes its first document's. */
    assert_int_equal(silk_builder_finish(b, 0, &a), SILK_OK);
    assert_string_equal(silk_article_title(a), "First");
    assert_int_equal(silk_article_count(a), 2);
    assert_int_equal(silk_article_problem_count(a), 1);
    assert_string_equal(silk_article_problem(a, 0), "raw.jsonl:3: duplicate \xef\xbf\xbd id");
    assert_null(silk_article_problem(a, 1));
    silk_article_destroy(a);
    /* An empty article has the title ""; destroying an unfinished builder frees all. */
    assert_int_equal(silk_builder_create("e", "e", &b), SILK_OK);
    assert_int_equal(silk_builder_finish(b, 1, &a), SILK_OK);
    assert_string_equal(silk_article_title(a), "");
    silk_article_destroy(a);
    assert_int_equal(silk_builder_create("e", "e", &b), SILK_OK);
    assert_int_equal(silk_builder_paragraph(b, "x", 1, NULL), SILK_OK);
    silk_builder_destroy(b);
    silk_builder_destroy(NULL);
    silk_article_destroy(NULL);
}

static void test_section_kind(void **state)
{
    (void)state;
    assert_int_equal(silk_section_kind("References", 10), SILK_SECTION_REFS);
    assert_int_equal(silk_section_kind("NOTES AND REFERENCES", 20), SILK_SECTION_REFS);
    assert_int_equal(silk_section_kind("Bibliography", 12), SILK_SECTION_READING);
    assert_int_equal(silk_section_kind("Further reading", 15), SILK_SECTION_READING);
    assert_int_equal(silk_section_kind("See also", 8), SILK_SECTION_PROSE);
    assert_int_equal(silk_section_kind("References and more", 19), SILK_SECTION_PROSE);
}

static int kind_of(const char *h)
{
    return (int)silk_section_kind(h, strlen(h));
}

/* Reference and further-reading headings of the other languages, compared after silk's
 * normalization: case, accents (Références, REFERENCES), Arabic-script folds. */
static void test_section_kind_languages(void **state)
{
    (void)state;
    static const char *const refs[] = {"منابع",       "참고 문헌",           "참고문헌",
                                       "각주",        "Références",          "references",
                                       "REFERENCES",  "Notes et références", "Notes et References",
                                       "Quellen",     "Einzelnachweise",     "Literatur",
                                       "Referencias", "REFERENCIAS",         "Источники",
                                       "ИСТОЧНИКИ",   "Примечания",          "Литература",
                                       "پانویس"};
    static const char *const reads[] = {"Lectures complémentaires",
                                        "Bibliographie",
                                        "Weiterführende Literatur",
                                        "Weiterfuhrende Literatur",
                                        "Lecturas adicionales",
                                        "Bibliografía",
                                        "Bibliografia",
                                        "더 읽을거리",
                                        "برای مطالعهٔ بیشتر",
                                        "برای مطالعه بیشتر",
                                        "Дополнительная литература"};
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
        if (kind_of(refs[i]) != SILK_SECTION_REFS)
            fail_msg("%s is not a references heading", refs[i]);
    }
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        if (kind_of(reads[i]) != SILK_SECTION_READING)
            fail_msg("%s is not a further-reading heading", reads[i]);
    }
    /* Only the whole heading: a longer one, or prose that starts alike, is prose. */
    assert_int_equal(kind_of("참고 문헌 목록과 설명"), SILK_SECTION_PROSE);
    assert_int_equal(kind_of("منابع انرژی"), SILK_SECTION_PROSE);
    assert_int_equal(kind_of("Quellen und Mündungen"), SILK_SECTION_PROSE);
    assert_int_equal(kind_of("역사"), SILK_SECTION_PROSE);
    assert_int_equal(kind_of(""), SILK_SECTION_PROSE);
}

static void test_strutil(void **state)
{
    (void)state;
    /* Clean text: one U+FFFD per maximal invalid subpart, and per NUL. */
    size_t n = 0;
    char *s = silk_corpus_clean_utf8("\xf0\x9f\x98"
                                     "a\0\0b\xe0\x80",
                                     9, &n);
    assert_string_equal(s, "\xef\xbf\xbd"
                           "a\xef\xbf\xbd\xef\xbf\xbd"
                           "b\xef\xbf\xbd\xef\xbf\xbd");
    assert_int_equal(n, strlen(s));
    free(s);
    s = silk_corpus_clean_utf8("", 0, &n);
    assert_string_equal(s, "");
    assert_int_equal(n, 0);
    free(s);
    /* Lines: LF and CRLF ends, a last line without one, numbering from 1. */
    const char *t = "one\r\n\ntwo\nthree";
    silk_line_t *lines = NULL;
    size_t nl = 0;
    assert_int_equal(silk_lines_split(t, strlen(t), &lines, &nl), SILK_OK);
    assert_int_equal(nl, 4);
    assert_int_equal(lines[0].n, 3);
    assert_int_equal(lines[1].n, 0);
    assert_int_equal(lines[3].lineno, 4);
    assert_memory_equal(lines[3].s, "three", 5);
    free(lines);
    /* Trimming: ASCII space both ends, no-break spaces at the end. */
    const char *p = " \t x y\xc2\xa0 \xc2\xa0";
    size_t pn = strlen(p);
    silk_str_trim(&p, &pn);
    assert_int_equal(pn, 3);
    assert_memory_equal(p, "x y", 3);
    assert_true(silk_str_starts("abc", 3, "ab"));
    assert_false(silk_str_starts("a", 1, "ab"));
    assert_true(silk_str_ends("abc", 3, "bc"));
    assert_true(silk_str_eq_nocase("ReFs", 4, "refs"));
    assert_false(silk_str_eq_nocase("refs", 3, "refs"));
    /* A list of owned strings. */
    silk_strvec_t sv = {0};
    assert_int_equal(silk_strvec_push(&sv, "alpha", 2), SILK_OK);
    assert_int_equal(silk_strvec_push_owned(&sv, strdup("beta")), SILK_OK);
    assert_int_equal(silk_strvec_push_owned(&sv, NULL), SILK_ERR_NOMEM);
    assert_true(silk_strvec_has(&sv, "al"));
    assert_false(silk_strvec_has(&sv, "alpha"));
    silk_strvec_truncate(&sv, 1);
    assert_int_equal(sv.n, 1);
    silk_strvec_free(&sv);
    assert_int_equal(sv.n, 0);
    /* A copy of a buffer as long as its text. */
    silk_buf_t b = SILK_BUF_INIT;
    s = silk_str_from_buf(&b, &n);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(silk_buf_adds(&b, "text"), SILK_OK);
    s = silk_str_from_buf(&b, &n);
    assert_string_equal(s, "text");
    assert_int_equal(n, 4);
    free(s);
    silk_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builder_documents), cmocka_unit_test(test_builder_raw_documents),
        cmocka_unit_test(test_section_kind),      cmocka_unit_test(test_section_kind_languages),
        cmocka_unit_test(test_strutil),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
