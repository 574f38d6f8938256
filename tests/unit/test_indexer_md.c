/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Markdown reader (indexer/read_md.c), through the corpus entry point: front matter,
 * code blocks, tables, quotes, lists and headings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../indexer/corpus.h"
#include "silk/schema.h"

static silk_article_t *md(const char *name, const char *text)
{
    silk_article_t *a = NULL;
    assert_int_equal(silk_article_parse(SILK_FORMAT_MD, name, "x.md", text, strlen(text), &a),
                     SILK_OK);
    assert_non_null(a);
    return a;
}

static const silk_corpus_doc_t *doc(const silk_article_t *a, size_t i)
{
    const silk_corpus_doc_t *d = silk_article_doc(a, i);
    if (!d)
        fail_msg("no document %zu", i);
    return d;
}

static void test_front_matter(void **state)
{
    (void)state;
    silk_article_t *a = md("fm", "---\n"
                                 "layout: post\n"
                                 "title: \"From the front\"\n"
                                 "title: second\n"
                                 "---\n"
                                 "\n"
                                 "Body text.\n");
    assert_string_equal(silk_article_title(a), "From the front");
    assert_int_equal(silk_article_count(a), 1);
    assert_string_equal(doc(a, 0)->text, "Body text.");
    assert_string_equal(doc(a, 0)->title, "From the front");
    silk_article_destroy(a);
    /* A # heading wins over the front matter; an unclosed block is text. */
    a = md("fm", "---\ntitle: no\n---\n# Yes ##\nx\n");
    assert_string_equal(silk_article_title(a), "Yes");
    silk_article_destroy(a);
    a = md("fm", "---\ntitle: no\n");
    assert_string_equal(silk_article_title(a), "fm");
    silk_article_destroy(a);
}

static void test_blocks(void **state)
{
    (void)state;
    silk_article_t *a = md("b", "# T\n"
                                "\n"
                                "Lead with ![a map](m.png) and __bold__ text.\n"
                                "\n"
                                "```c\n"
                                "int x;\n"
                                "return x;\n"
                                "```\n"
                                "> A quoted line.\n"
                                "\n"
                                "Two lines\n"
                                "of prose.\n"
                                "***\n"
                                "3) third item\n"
                                "\n"
                                "   still the item\n"
                                "| a | b [5] |\n"
                                "|---|---|\n");
    assert_string_equal(doc(a, 0)->text, "Lead with a map and bold text.");
    assert_string_equal(doc(a, 0)->kind, SILK_KIND_LEAD);
    assert_string_equal(doc(a, 1)->text, "int x; return x;"); /* a code block is a paragraph */
    assert_string_equal(doc(a, 2)->text, "A quoted line.");
    assert_string_equal(doc(a, 3)->text, "Two lines of prose.");
    assert_string_equal(doc(a, 4)->text, "third item still the item");
    /* A table that does not follow the lead is a paragraph; its markers are dropped, not
     * counted. */
    const silk_corpus_doc_t *t = doc(a, 5);
    assert_string_equal(t->text, "a | b");
    assert_string_equal(strchr(t->id, '#'), "#p6");
    assert_int_equal(t->ncites, 0);
    assert_int_equal(silk_article_count(a), 6);
    silk_article_destroy(a);
}

static void test_sections(void **state)
{
    (void)state;
    silk_article_t *a = md("s", "Intro.\n"
                                "\n"
                                "## A\n"
                                "### B\n"
                                "text b [1]\n"
                                "## C\n"
                                "text c\n"
                                "## Bibliography\n"
                                "- Roe, Richard (1999). Book.\n"
                                "+ Second, Item (2000).\n"
                                "## Sources\n"
                                "* Doe, Jane (2001). Paper.\n");
    assert_string_equal(silk_article_title(a), "s");
    assert_string_equal(doc(a, 0)->kind, SILK_KIND_LEAD);
    assert_string_equal(doc(a, 1)->section, "A" SILK_SECTION_SEP "B");
    assert_string_equal(doc(a, 1)->kind, SILK_KIND_PARAGRAPH);
    assert_string_equal(doc(a, 2)->section, "C"); /* a level-2 heading closes level 3 */
    assert_string_equal(doc(a, 3)->id, "s#read-1");
    assert_string_equal(doc(a, 3)->authors[0], "Richard Roe");
    assert_string_equal(doc(a, 4)->id, "s#read-2");
    const silk_corpus_doc_t *r = doc(a, 5);
    assert_string_equal(r->id, "s#ref-1");
    assert_int_equal(r->year, 2001);
    assert_int_equal(r->ncited_by, 1);
    assert_string_equal(r->cited_by[0], "p2");
    silk_article_destroy(a);
}

static void test_infobox_after_lead_only(void **state)
{
    (void)state;
    silk_article_t *a = md("i", "# T\n\nLead.\n\n| k | v [2] |\n\nMore.\n\n| x | y |\n");
    assert_string_equal(doc(a, 1)->id, "i#infobox");
    assert_string_equal(doc(a, 1)->text, "k | v");
    assert_int_equal(doc(a, 1)->ncites, 1);
    assert_string_equal(doc(a, 3)->id, "i#p3");
    assert_string_equal(doc(a, 3)->text, "x | y");
    silk_article_destroy(a);
}

/* CommonMark inline markup (md4c) leaves only its text: emphasis, code, links, images,
 * inline HTML, entities, hard breaks; a raw HTML block leaves nothing. */
static void test_inline_markup(void **state)
{
    (void)state;
    silk_article_t *a = md("m", "# The *title* `x`\n"
                                "\n"
                                "An *italic*, **bold**, `code`, [link](http://e.org \"t\") and "
                                "![alt](i.png) <em>html</em> &amp; &#955; ~~gone~~\\\n"
                                "next.\n"
                                "\n"
                                "<script>\nvar x = 1;\n</script>\n"
                                "\n"
                                "- item with _emphasis_ [2]\n");
    assert_string_equal(silk_article_title(a), "The title x");
    assert_string_equal(doc(a, 0)->text,
                        "An italic, bold, code, link and alt html & \xce\xbb gone next.");
    assert_string_equal(doc(a, 1)->text, "item with emphasis");
    assert_int_equal(doc(a, 1)->ncites, 1);
    assert_int_equal(silk_article_count(a), 2);
    silk_article_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_front_matter),  cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_sections),      cmocka_unit_test(test_infobox_after_lead_only),
        cmocka_unit_test(test_inline_markup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
