/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The HTML reader (indexer/read_html.c), through the corpus entry point: the corpus article
 * saved from Wikipedia gives the documents of its plain-text form; chrome is skipped;
 * text that looks like markup stays text; hostile pages stay bounded.
 *
 * "The same documents" means: the same ids in the same order, and per document the same
 * kind, title, section, cites, cited_by, year and authors, and the same text once runs of
 * white space are one space (HTML breaks lines where the .txt form does not). What a page
 * has beyond the .txt form is dropped (the infobox caption repeating the title, edit links,
 * navboxes, cite backlinks) or kept as text (link text, bold). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../indexer/corpus.h"
#include "../../indexer/read_html.h"
#include "silk/buf.h"
#include "silk/schema.h"
#include "support.h"

#define ARTICLE "iran-north-korea-relations"

static char *read_rel(const char *rel, size_t *len)
{
    const char *root = getenv("SILK_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    char *buf = silk_read_file(path, len);
    assert_non_null(buf);
    return buf;
}

static silk_article_t *parse_n(silk_format_t fmt, const char *text, size_t n)
{
    silk_article_t *a = NULL;
    assert_int_equal(silk_article_parse(fmt, ARTICLE, "f", text, n, &a), SILK_OK);
    assert_non_null(a);
    return a;
}

static silk_article_t *html(const char *text)
{
    return parse_n(SILK_FORMAT_HTML, text, strlen(text));
}

/* s with each run of white space as one space, trimmed; malloc'd. */
static char *squash(const char *s)
{
    char *o = malloc(strlen(s) + 1), *w = o;
    assert_non_null(o);
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n' || *s == '\t') {
            if (w > o && w[-1] != ' ')
                *w++ = ' ';
        } else {
            *w++ = *s;
        }
    }
    while (w > o && w[-1] == ' ')
        w--;
    *w = 0;
    return o;
}

static void test_wikipedia_page_matches_txt(void **state)
{
    (void)state;
    size_t tn, hn;
    char *txt = read_rel("corpus/" ARTICLE ".txt", &tn);
    char *page = read_rel("tests/data/formats/" ARTICLE ".html", &hn);
    silk_article_t *t = parse_n(SILK_FORMAT_TXT, txt, tn);
    silk_article_t *h = parse_n(SILK_FORMAT_HTML, page, hn);
    assert_string_equal(silk_article_title(h), silk_article_title(t));
    assert_int_equal(silk_article_problem_count(h), 0);
    assert_int_equal(silk_article_count(h), silk_article_count(t));
    for (size_t i = 0; i < silk_article_count(t); i++) {
        const silk_corpus_doc_t *a = silk_article_doc(t, i), *b = silk_article_doc(h, i);
        assert_string_equal(b->id, a->id);
        assert_string_equal(b->kind, a->kind);
        assert_string_equal(b->title, a->title);
        assert_string_equal(b->section, a->section);
        char *x = squash(a->text), *y = squash(b->text);
        if (strcmp(x, y) != 0)
            fail_msg("%s text:\n txt:  %s\n html: %s", a->id, x, y);
        free(x);
        free(y);
        assert_int_equal(b->ncites, a->ncites);
        for (size_t k = 0; k < a->ncites; k++)
            assert_int_equal(b->cites[k], a->cites[k]);
        assert_int_equal(b->ncited_by, a->ncited_by);
        for (size_t k = 0; k < a->ncited_by; k++)
            assert_string_equal(b->cited_by[k], a->cited_by[k]);
        assert_int_equal(b->year, a->year);
        assert_int_equal(b->nauthors, a->nauthors);
        for (size_t k = 0; k < a->nauthors; k++)
            assert_string_equal(b->authors[k], a->authors[k]);
    }
    silk_article_destroy(t);
    silk_article_destroy(h);
    free(txt);
    free(page);
}

static void test_script_text_stays_text(void **state)
{
    (void)state;
    silk_article_t *a = html("<html><head><title>Scripts - Wikipedia</title>"
                             "<script>var hidden = 1;</script></head><body>"
                             "<p>Write &lt;script&gt;alert(1)&lt;/script&gt; to test.</p>"
                             "<script>document.write('no')</script><style>p{}</style>"
                             "<noscript>enable js</noscript><p>Two <b>bold</b> <a "
                             "href='x'>links</a><br>here.</p></body></html>");
    assert_string_equal(silk_article_title(a), "Scripts");
    assert_int_equal(silk_article_count(a), 2);
    assert_string_equal(silk_article_doc(a, 0)->text, "Write <script>alert(1)</script> to test.");
    assert_string_equal(silk_article_doc(a, 1)->text, "Two bold links here.");
    silk_article_destroy(a);
}

static void test_structure(void **state)
{
    (void)state;
    /* No mw-parser-output: the body is read. Headings are flat (as in .txt); li under a
     * prose heading are paragraphs; a table after a heading is a paragraph; ol.references
     * holds references whatever the heading says. */
    silk_article_t *a = html("<h1>Plain</h1><p>Lead [1].</p><h2>Part <span>one</span></h2>"
                             "<h3>Sub</h3><ul><li>point a</li><li>point b<ul><li>inner</li>"
                             "</ul></li></ul><table><tr><th>k</th><td>v</td></tr></table>"
                             "<h2>Notes</h2><ol class='references'><li>Doe, Jane (2001). "
                             "Paper.</li></ol><div>loose text</div>");
    assert_string_equal(silk_article_title(a), "Plain");
    const silk_corpus_doc_t *d = silk_article_doc(a, 0);
    assert_string_equal(d->kind, SILK_KIND_LEAD);
    assert_int_equal(d->ncites, 1);
    assert_string_equal(silk_article_doc(a, 1)->text, "point a");
    assert_string_equal(silk_article_doc(a, 1)->section, "Sub");
    assert_string_equal(silk_article_doc(a, 2)->text, "point b");
    assert_string_equal(silk_article_doc(a, 3)->text, "inner");
    assert_string_equal(silk_article_doc(a, 4)->text, "k | v");
    assert_string_equal(silk_article_doc(a, 6)->text, "loose text");
    d = silk_article_doc(a, 5);
    assert_string_equal(d->id, ARTICLE "#ref-1");
    assert_int_equal(d->year, 2001);
    assert_int_equal(d->ncited_by, 1);
    assert_int_equal(silk_article_count(a), 7);
    silk_article_destroy(a);
    /* No title anywhere: the article name; an empty page: no documents. */
    a = html("");
    assert_string_equal(silk_article_title(a), ARTICLE);
    assert_int_equal(silk_article_count(a), 0);
    silk_article_destroy(a);
}

static void test_hostile(void **state)
{
    (void)state;
    /* Nesting deeper than any real page is refused before gumbo, whose time grows with the
     * cube of the depth; 400 levels are read, with no recursion in the reader. */
    size_t depths[] = {400, 100000};
    for (size_t k = 0; k < 2; k++) {
        size_t depth = depths[k];
        char *s = malloc(depth * 5 + 64), *w = s;
        assert_non_null(s);
        for (size_t i = 0; i < depth; i++)
            memcpy(w, "<div>", 5), w += 5;
        w += sprintf(w, "deep text");
        silk_article_t *a = parse_n(SILK_FORMAT_HTML, s, (size_t)(w - s));
        assert_int_equal(silk_article_count(a), k == 0 ? 1 : 0);
        assert_int_equal(silk_article_problem_count(a), k == 0 ? 0 : 1);
        if (k == 0)
            assert_string_equal(silk_article_doc(a, 0)->text, "deep text");
        silk_article_destroy(a);
        free(s);
    }
    /* Unclosed <p> and <li> do not nest, so they count no depth. */
    silk_buf_t many = SILK_BUF_INIT;
    for (int i = 0; i < 2000; i++)
        assert_int_equal(silk_buf_adds(&many, "<p>para <li>item "), SILK_OK);
    silk_article_t *a = parse_n(SILK_FORMAT_HTML, many.data, many.len);
    assert_int_equal(silk_article_count(a), 4000);
    silk_article_destroy(a);
    silk_buf_free(&many);
    /* Over the cap: a problem, no documents. */
    size_t n = SILK_HTML_MAX_BYTES + 1;
    char *s = malloc(n);
    assert_non_null(s);
    memset(s, 'a', n);
    a = parse_n(SILK_FORMAT_HTML, s, n);
    assert_int_equal(silk_article_count(a), 0);
    assert_int_equal(silk_article_problem_count(a), 1);
    silk_article_destroy(a);
    free(s);
}

static void test_format_by_extension(void **state)
{
    (void)state;
    assert_int_equal(silk_corpus_format("a/b.html"), SILK_FORMAT_HTML);
    assert_int_equal(silk_corpus_format("B.HTM"), SILK_FORMAT_HTML);
    assert_int_equal(silk_corpus_format("b.xhtml"), SILK_FORMAT_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wikipedia_page_matches_txt),
        cmocka_unit_test(test_script_text_stays_text),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_format_by_extension),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
