/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The corpus parser (indexer/corpus.h, through the readers below it) on the corpus article
 * and on small Markdown, JSONL and plain-text cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "../../indexer/corpus.h"
#include "silk/schema.h"
#include "support.h"

#define ARTICLE "iran-north-korea-relations"

static char *read_corpus_article(size_t *len)
{
    const char *root = getenv("SILK_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/" ARTICLE ".txt", root ? root : ".");
    char *buf = silk_read_file(path, len);
    assert_non_null(buf);
    return buf;
}

static silk_article_t *parse(silk_format_t fmt, const char *name, const char *text)
{
    silk_article_t *a = NULL;
    assert_int_equal(silk_article_parse(fmt, name, "f", text, strlen(text), &a), SILK_OK);
    assert_non_null(a);
    return a;
}

/* The document with id "<article>#<anchor>", or NULL. */
static const silk_corpus_doc_t *find(const silk_article_t *a, const char *anchor)
{
    for (size_t i = 0; i < silk_article_count(a); i++) {
        const silk_corpus_doc_t *d = silk_article_doc(a, i);
        const char *h = strchr(d->id, '#');
        if (h && strcmp(h + 1, anchor) == 0)
            return d;
    }
    return NULL;
}

static const silk_corpus_doc_t *must_find(const silk_article_t *a, const char *anchor)
{
    const silk_corpus_doc_t *d = find(a, anchor);
    if (!d)
        fail_msg("no document #%s", anchor);
    return d;
}

static int has_author(const silk_corpus_doc_t *d, const char *name)
{
    for (size_t i = 0; i < d->nauthors; i++)
        if (strcmp(d->authors[i], name) == 0)
            return 1;
    return 0;
}

static int setup_article(void **state)
{
    size_t len;
    char *buf = read_corpus_article(&len);
    silk_article_t *a = NULL;
    assert_int_equal(silk_article_parse(SILK_FORMAT_TXT, ARTICLE, ARTICLE ".txt", buf, len, &a),
                     SILK_OK);
    free(buf);
    *state = a;
    return 0;
}

static int teardown_article(void **state)
{
    silk_article_destroy(*state);
    return 0;
}

static void test_article_structure(void **state)
{
    const silk_article_t *a = *state;
    assert_string_equal(silk_article_title(a), "Iran\xe2\x80\x93North Korea relations");
    size_t para = 0, refs = 0, reads = 0, infobox = 0, lead = 0;
    for (size_t i = 0; i < silk_article_count(a); i++) {
        const silk_corpus_doc_t *d = silk_article_doc(a, i);
        assert_true(strncmp(d->id, ARTICLE "#", strlen(ARTICLE) + 1) == 0);
        assert_string_equal(d->article_name, ARTICLE);
        assert_string_equal(d->title, silk_article_title(a));
        assert_int_equal(strlen(d->text), d->text_len);
        assert_true(d->text_len > 0);
        if (strcmp(d->kind, SILK_KIND_REFERENCE) == 0) {
            refs++;
            assert_string_equal(d->section, "References");
        } else if (strcmp(d->kind, SILK_KIND_READING) == 0) {
            reads++;
            assert_string_equal(d->section, "Further reading");
        } else if (strcmp(d->kind, SILK_KIND_INFOBOX) == 0) {
            infobox++;
        } else if (strcmp(d->kind, SILK_KIND_LEAD) == 0) {
            lead++;
            para++;
            assert_string_equal(d->section, "");
        } else {
            assert_string_equal(d->kind, SILK_KIND_PARAGRAPH);
            para++;
        }
        /* No citation marker survives in any stored text. */
        for (const char *p = d->text; (p = strchr(p, '[')) != NULL; p++)
            assert_false(p[1] >= '0' && p[1] <= '9');
    }
    assert_int_equal(refs, 34);
    assert_int_equal(reads, 4);
    assert_int_equal(infobox, 1);
    assert_int_equal(para, 16);
    assert_int_equal(lead, 2); /* p1 and the paragraph after the infobox, before History */
    assert_int_equal(silk_article_count(a), 16 + 1 + 34 + 4);
    assert_non_null(find(a, "ref-34"));
    assert_null(find(a, "ref-35"));
    assert_null(find(a, "p17"));
    assert_string_equal(must_find(a, "p1")->kind, SILK_KIND_LEAD);
    assert_string_equal(must_find(a, "p3")->section, "History");
    assert_string_equal(must_find(a, "p9")->section, "History");
    /* "Ambassadors" is a heading; its two short lines are paragraphs of it. */
    assert_string_equal(must_find(a, "p10")->section, "Ambassadors");
    assert_string_equal(must_find(a, "p10")->text, "List of North Korean ambassadors to Iran");
    assert_string_equal(must_find(a, "p11")->section, "Ambassadors");
    assert_string_equal(must_find(a, "p12")->section, "Military weapons");
    assert_string_equal(must_find(a, "p16")->section, "Military weapons");
    assert_int_equal(silk_article_problem_count(a), 0);
}

static void test_article_lead_and_infobox(void **state)
{
    const silk_article_t *a = *state;
    const silk_corpus_doc_t *p1 = must_find(a, "p1");
    assert_non_null(strstr(p1->text, "cultural spheres. Some media reports claim this cooperation "
                                     "extends to nuclear cooperation, though official U.S. "
                                     "government publications and academic studies have "
                                     "disputed this. The United States"));
    assert_non_null(strstr(p1->text, "\xec\xa1\xb0\xec\x84\xa0"));                 /* 조선 */
    assert_non_null(strstr(p1->text, "\xd8\xa7\xdb\x8c\xd8\xb1\xd8\xa7\xd9\x86")); /* ایران */
    assert_true(strncmp(p1->text, "Iran\xe2\x80\x93North Korea relations (Korean:", 30) == 0);
    assert_int_equal(p1->ncites, 4);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(p1->cites[i], i + 1);
    const silk_corpus_doc_t *box = must_find(a, "infobox");
    assert_string_equal(box->section, "");
    assert_non_null(strstr(box->text, "North Korean Embassy, Tehran | Iranian Embassy, Pyongyang"));
    assert_non_null(strstr(box->text, "Ambassador Kang Sam-hyon | Ambassador Seyed Mohsen Emadi"));
    assert_null(strstr(box->text, "---"));
    assert_null(strstr(box->text, "| |"));
    /* The markers "[32]" right after a word, and "[11][12]", are gone too. */
    const silk_corpus_doc_t *p15 = must_find(a, "p15");
    assert_non_null(strstr(p15->text, "UN Arms Trade Treaty aimed at"));
    assert_int_equal(p15->ncites, 2);
    assert_int_equal(p15->cites[0], 32);
    assert_int_equal(p15->cites[1], 33);
    const silk_corpus_doc_t *p7 = must_find(a, "p7");
    assert_int_equal(p7->ncites, 2);
    assert_true(p7->text[p7->text_len - 1] == '.');
    /* [30] twice in p13: recorded once. */
    const silk_corpus_doc_t *p13 = must_find(a, "p13");
    assert_int_equal(p13->ncites, 3);
    assert_int_equal(p13->cites[0], 29);
    assert_int_equal(p13->cites[2], 31);
}

/* Every cite of a paragraph appears in the reference's cited_by and the other way round. */
static void test_article_cites_consistent(void **state)
{
    const silk_article_t *a = *state;
    size_t links = 0;
    for (size_t i = 0; i < silk_article_count(a); i++) {
        const silk_corpus_doc_t *d = silk_article_doc(a, i);
        const char *anchor = strchr(d->id, '#') + 1;
        for (size_t c = 0; c < d->ncites; c++) {
            char ref[32];
            snprintf(ref, sizeof ref, "ref-%u", d->cites[c]);
            const silk_corpus_doc_t *r = must_find(a, ref);
            int found = 0;
            for (size_t k = 0; k < r->ncited_by; k++)
                found |= strcmp(r->cited_by[k], anchor) == 0;
            assert_true(found);
            links++;
        }
        for (size_t k = 0; k < d->ncited_by; k++) {
            assert_string_equal(d->kind, SILK_KIND_REFERENCE);
            const silk_corpus_doc_t *p = must_find(a, d->cited_by[k]);
            unsigned num = (unsigned)atoi(strchr(d->id, '#') + 5);
            int found = 0;
            for (size_t c = 0; c < p->ncites; c++)
                found |= p->cites[c] == num;
            assert_true(found);
        }
    }
    /* [1]-[14] and [26]-[34] are cited in the article, [27] twice and [11][12] together. */
    assert_int_equal(links, 24);
    const silk_corpus_doc_t *r27 = must_find(a, "ref-27");
    assert_int_equal(r27->ncited_by, 2);
    assert_string_equal(r27->cited_by[0], "p12");
    assert_string_equal(r27->cited_by[1], "p14");
    assert_int_equal(must_find(a, "ref-20")->ncited_by, 0);
}

static void test_article_years_and_authors(void **state)
{
    const silk_article_t *a = *state;
    assert_int_equal(must_find(a, "ref-1")->year, 2007);
    assert_int_equal(must_find(a, "ref-2")->year, 2007); /* (26 January 2007), not Retrieved */
    assert_int_equal(must_find(a, "ref-4")->year, 2017);
    assert_int_equal(must_find(a, "ref-6")->year, 0); /* only "Retrieved 12 April 2017" */
    assert_int_equal(must_find(a, "ref-8")->year, 0); /* only "Retrieved 9 August 2023" */
    assert_int_equal(must_find(a, "ref-10")->year, 2014);
    assert_int_equal(must_find(a, "ref-29")->year, 0); /* 1984 is inside the quoted title */
    assert_int_equal(must_find(a, "read-1")->year, 2019);
    assert_int_equal(must_find(a, "read-3")->year, 2007); /* not the archive URL's digits */
    assert_int_equal(must_find(a, "read-4")->year, 2017); /* not the ISBN */

    const silk_corpus_doc_t *r2 = must_find(a, "ref-2");
    assert_int_equal(r2->nauthors, 1);
    assert_string_equal(r2->authors[0], "Con Coughlin");
    const silk_corpus_doc_t *r10 = must_find(a, "ref-10");
    assert_int_equal(r10->nauthors, 1);
    assert_string_equal(r10->authors[0], "Bal\xc3\xa1zs Szalontai");
    const silk_corpus_doc_t *r4 = must_find(a, "ref-4");
    assert_int_equal(r4->nauthors, 2);
    assert_true(has_author(r4, "Patrick McEachern"));
    assert_true(has_author(r4, "Jaclyn O'Brien McEachern"));
    const silk_corpus_doc_t *read1 = must_find(a, "read-1");
    assert_int_equal(read1->nauthors, 3);
    assert_string_equal(read1->authors[0], "Lyong Choi");
    assert_string_equal(read1->authors[1], "Jong-dae Shin");
    assert_string_equal(read1->authors[2], "Han-hyung Lee");
    const silk_corpus_doc_t *read4 = must_find(a, "read-4");
    assert_int_equal(read4->nauthors, 2);
    assert_string_equal(read4->authors[0], "Patrick McEachern");
    assert_string_equal(read4->authors[1], "Jaclyn O'Brien McEachern");
    assert_string_equal(must_find(a, "read-2")->authors[0], "Mark Fitzpatrick");
    const silk_corpus_doc_t *r28 = must_find(a, "ref-28");
    assert_int_equal(r28->nauthors, 2);
    assert_string_equal(r28->authors[1], "Donald Macintyre");
    assert_string_equal(must_find(a, "ref-3")->authors[0], "Congressional Research Service");
    /* A reference that starts with a quoted title, or has no author part, has none. */
    assert_int_equal(must_find(a, "ref-1")->nauthors, 0);
    assert_int_equal(must_find(a, "ref-8")->nauthors, 0);
    assert_int_equal(must_find(a, "ref-17")->nauthors, 0);
    assert_int_equal(must_find(a, "ref-34")->nauthors, 0);
    /* Publisher names stay in the text. */
    assert_non_null(strstr(must_find(a, "ref-15")->text, "Korean Central News Agency"));
}

static void test_doc_json(void **state)
{
    const silk_article_t *a = *state;
    size_t len = 0;
    char *j = silk_corpus_doc_json(must_find(a, "ref-2"), &len);
    assert_non_null(j);
    assert_int_equal(strlen(j), len);
    assert_non_null(strstr(j, "\"id\":\"" ARTICLE "#ref-2\",\"kind\":\"reference\","));
    assert_non_null(strstr(j, "\"section\":\"References\""));
    assert_non_null(strstr(j, "\"cited_by\":[\"p1\"]"));
    assert_non_null(strstr(j, "\"year\":2007"));
    assert_non_null(strstr(j, "\"authors\":[\"Con Coughlin\"]"));
    free(j);
    j = silk_corpus_doc_json(must_find(a, "p1"), &len);
    assert_non_null(strstr(j, "\"cites\":[1,2,3,4]"));
    assert_null(strstr(j, "\"year\""));
    assert_null(strstr(j, "\"cited_by\""));
    free(j);
}

static void test_txt_headings(void **state)
{
    (void)state;
    silk_article_t *a = parse(SILK_FORMAT_TXT, "t",
                              "Title\n"
                              "Lead paragraph with a sentence.[1]\n"
                              "\n"
                              "Background\n"
                              "A paragraph of prose under the background heading.\n"
                              "A short list line\n"
                              "Another short line\n"
                              "See also\n"
                              "Some other article\n"
                              "Yet another article\n"
                              "References\n"
                              "- Doe, Jane (3 March 1999). \"A title\". Retrieved 1 May 2020.\n"
                              "Last words\n");
    assert_int_equal(silk_article_problem_count(a), 0);
    assert_string_equal(must_find(a, "p1")->kind, SILK_KIND_LEAD);
    assert_string_equal(must_find(a, "p2")->section, "Background");
    assert_string_equal(must_find(a, "p2")->kind, SILK_KIND_PARAGRAPH);
    assert_string_equal(must_find(a, "p3")->text, "A short list line");
    assert_string_equal(must_find(a, "p3")->section, "Background");
    assert_string_equal(must_find(a, "p4")->section, "Background");
    assert_string_equal(must_find(a, "p5")->text, "Some other article");
    assert_string_equal(must_find(a, "p5")->section, "See also");
    assert_string_equal(must_find(a, "p6")->section, "See also");
    const silk_corpus_doc_t *r1 = must_find(a, "ref-1");
    assert_int_equal(r1->year, 1999);
    assert_string_equal(r1->authors[0], "Jane Doe");
    assert_string_equal(r1->cited_by[0], "p1");
    /* A short last line is a paragraph of its section, not a heading. */
    assert_string_equal(must_find(a, "p7")->text, "Last words");
    assert_string_equal(must_find(a, "p7")->section, "References");
    assert_null(find(a, "p8"));
    silk_article_destroy(a);

    /* Empty file, title only, CRLF and BOM. */
    a = parse(SILK_FORMAT_TXT, "e", "");
    assert_int_equal(silk_article_count(a), 0);
    silk_article_destroy(a);
    a = parse(SILK_FORMAT_TXT, "e", "Just a title\n");
    assert_int_equal(silk_article_count(a), 0);
    assert_string_equal(silk_article_title(a), "Just a title");
    silk_article_destroy(a);
    a = parse(SILK_FORMAT_TXT, "e", "\xef\xbb\xbfT\r\nBody text here.\r\n");
    assert_string_equal(silk_article_title(a), "T");
    assert_string_equal(must_find(a, "p1")->text, "Body text here.");
    silk_article_destroy(a);
}

static void test_markdown(void **state)
{
    (void)state;
    silk_article_t *a = parse(SILK_FORMAT_MD, "notes/md",
                              "# The **Title**\n"
                              "\n"
                              "A lead that wraps\n"
                              "onto a second line, see [the site](https://x.org).[2]\n"
                              "\n"
                              "| Capital | Seoul |\n"
                              "|---|---|\n"
                              "| Leader | Someone |\n"
                              "\n"
                              "## History\n"
                              "\n"
                              "### Early days\n"
                              "\n"
                              "Old things happened.\n"
                              "\n"
                              "- a bullet item\n"
                              "  continued here\n"
                              "- second item\n"
                              "\n"
                              "## References\n"
                              "\n"
                              "- Smith, John (2001). \"On things\".\n"
                              "- \"Second ref\". 5 May 2010.\n"
                              "\n"
                              "## Further reading\n"
                              "\n"
                              "1. Roe, Richard. A book (2015).\n");
    assert_string_equal(silk_article_title(a), "The Title");
    const silk_corpus_doc_t *p1 = must_find(a, "p1");
    assert_string_equal(p1->id, "notes/md#p1");
    assert_string_equal(p1->article_name, "notes/md");
    assert_string_equal(p1->text, "A lead that wraps onto a second line, see the site.");
    assert_string_equal(p1->kind, SILK_KIND_LEAD);
    assert_int_equal(p1->ncites, 1);
    const silk_corpus_doc_t *box = must_find(a, "infobox");
    assert_string_equal(box->text, "Capital | Seoul; Leader | Someone");
    const silk_corpus_doc_t *p2 = must_find(a, "p2");
    assert_string_equal(p2->section, "History" SILK_SECTION_SEP "Early days");
    assert_string_equal(p2->text, "Old things happened.");
    assert_string_equal(must_find(a, "p3")->text, "a bullet item continued here");
    assert_string_equal(must_find(a, "p4")->text, "second item");
    const silk_corpus_doc_t *r1 = must_find(a, "ref-1");
    assert_string_equal(r1->section, "References");
    assert_string_equal(r1->authors[0], "John Smith");
    assert_int_equal(r1->year, 2001);
    assert_int_equal(must_find(a, "ref-2")->year, 2010);
    assert_string_equal(must_find(a, "ref-2")->cited_by[0], "p1");
    assert_string_equal(must_find(a, "read-1")->authors[0], "Richard Roe");
    assert_null(find(a, "ref-3"));
    assert_int_equal(silk_article_count(a), 8);
    silk_article_destroy(a);

    /* Without a # title the article name is the title; setext headings nest too. */
    a = parse(SILK_FORMAT_MD, "plain", "Intro text.\n\nPart\n====\n\nSub\n---\n\nBody.\n");
    assert_string_equal(silk_article_title(a), "plain");
    assert_string_equal(must_find(a, "p2")->section, "Part" SILK_SECTION_SEP "Sub");
    silk_article_destroy(a);
}

static void test_jsonl(void **state)
{
    (void)state;
    silk_article_t *a =
        parse(SILK_FORMAT_JSONL, "coll",
              "{\"id\":\"d1\",\"title\":\"One\",\"text\":\"first text\"}\n"
              "{\"id\": \"broken\", \"text\": \n"
              "\n"
              "{\"id\":\"other#x\",\"title\":\"Two\",\"text\":\"t\",\"section\":"
              "[\"A\",\"B\"],\"kind\":\"reference\",\"year\":\"1999\","
              "\"author\":[\"Ann Lee\",\"Bo Kim\"],\"cites\":[3,3,4]}\n"
              "{\"id\":\"d1\",\"text\":\"duplicate\"}\n"
              "{\"id\":\"d3\",\"text\":\"x\",\"kind\":\"poem\"}\n"
              "{\"id\":\"d4\",\"text\":\"nul \\u0000 inside\",\"author\":\"Solo\"}\n"
              "[1,2]\n"
              "{\"id\":\"d5\",\"text\":5}\n");
    assert_int_equal(silk_article_count(a), 3);
    const silk_corpus_doc_t *d1 = silk_article_doc(a, 0);
    assert_string_equal(d1->id, "coll#d1");
    assert_string_equal(d1->article_name, "coll");
    assert_string_equal(d1->title, "One");
    assert_string_equal(d1->kind, SILK_KIND_PARAGRAPH);
    assert_string_equal(d1->section, "");
    const silk_corpus_doc_t *d2 = silk_article_doc(a, 1);
    assert_string_equal(d2->id, "other#x");
    assert_string_equal(d2->article_name, "other");
    assert_string_equal(d2->section, "A" SILK_SECTION_SEP "B");
    assert_string_equal(d2->kind, SILK_KIND_REFERENCE);
    assert_int_equal(d2->year, 1999);
    assert_int_equal(d2->nauthors, 2);
    assert_string_equal(d2->authors[1], "Bo Kim");
    assert_int_equal(d2->ncites, 2);
    const silk_corpus_doc_t *d4 = silk_article_doc(a, 2);
    assert_string_equal(d4->text, "nul \xef\xbf\xbd inside");
    assert_string_equal(d4->authors[0], "Solo");
    assert_string_equal(silk_article_title(a), "One");
    assert_int_equal(silk_article_problem_count(a), 5);
    assert_true(strncmp(silk_article_problem(a, 0), "f:2: invalid JSON", 17) == 0);
    assert_string_equal(silk_article_problem(a, 1), "f:5: duplicate id");
    assert_true(strncmp(silk_article_problem(a, 2), "f:6: \"kind\"", 11) == 0);
    assert_string_equal(silk_article_problem(a, 3), "f:8: not a JSON object");
    assert_string_equal(silk_article_problem(a, 4), "f:9: \"text\" must be a string");
    silk_article_destroy(a);
}

static void test_utf8_and_binary(void **state)
{
    (void)state;
    size_t n;
    char *s = silk_corpus_clean_utf8("a\xff"
                                     "b\0c\xe2\x82",
                                     7, &n);
    assert_string_equal(s, "a\xef\xbf\xbd"
                           "b\xef\xbf\xbd"
                           "c\xef\xbf\xbd");
    assert_int_equal(n, strlen(s));
    free(s);
    /* An encoded surrogate is three maximal subparts (Unicode's practice); an emoji stays. */
    s = silk_corpus_clean_utf8("\xed\xa0\x80ok\xf0\x9f\x98\x80", 9, &n);
    assert_string_equal(s, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdok\xf0\x9f\x98\x80");
    free(s);
    assert_false(silk_corpus_looks_binary("", 0));
    assert_false(silk_corpus_looks_binary("plain text\n", 11));
    char bin[400];
    memset(bin, 'a', sizeof bin);
    for (size_t i = 0; i < sizeof bin; i += 7)
        bin[i] = '\0';
    assert_true(silk_corpus_looks_binary(bin, sizeof bin));
    /* One stray NUL in a long text is still text. */
    memset(bin, 'a', sizeof bin);
    bin[100] = '\0';
    assert_false(silk_corpus_looks_binary(bin, sizeof bin));
    /* Invalid bytes in an article are decoded as U+FFFD, the rest kept. */
    silk_article_t *a = parse(SILK_FORMAT_TXT, "u", "T\nBad \xc3 byte here, then more.\n");
    assert_string_equal(must_find(a, "p1")->text, "Bad \xef\xbf\xbd byte here, then more.");
    silk_article_destroy(a);
}

/* Inputs that a naive parser handles in quadratic time: many distinct citation markers
 * in one paragraph, a Markdown line of '[' without ']', a reference full of unmatched
 * opening quotes. Each must parse in (near) linear time. */
static void test_hostile_inputs_are_linear(void **state)
{
    (void)state;
    enum { N = 200000 };
    char *big = malloc((size_t)N * 8 + 64);
    assert_non_null(big);
    clock_t t0 = clock();

    size_t k = (size_t)sprintf(big, "T\nword");
    for (unsigned i = 1; i <= N; i++)
        k += (size_t)sprintf(big + k, "[%u]", i % 9999 + 1); /* markers have 1-4 digits */
    big[k++] = '.';
    silk_article_t *a = NULL;
    assert_int_equal(silk_article_parse(SILK_FORMAT_TXT, "h", "h.txt", big, k, &a), SILK_OK);
    assert_int_equal(must_find(a, "p1")->ncites, 9999);
    assert_string_equal(must_find(a, "p1")->text, "word.");
    silk_article_destroy(a);

    k = (size_t)sprintf(big, "# T\n\n");
    memset(big + k, '[', (size_t)N * 4);
    k += (size_t)N * 4;
    assert_int_equal(silk_article_parse(SILK_FORMAT_MD, "h", "h.md", big, k, &a), SILK_OK);
    assert_int_equal(silk_article_count(a), 1);
    silk_article_destroy(a);

    k = (size_t)sprintf(big, "T\nReferences\n- ");
    for (unsigned i = 0; i < N; i++)
        k += (size_t)sprintf(big + k, "\xe2\x80\x9c\"x");
    k += (size_t)sprintf(big + k, " 2001.");
    assert_int_equal(silk_article_parse(SILK_FORMAT_TXT, "h", "h.txt", big, k, &a), SILK_OK);
    assert_int_equal(must_find(a, "ref-1")->year, 2001); /* after the last closed quote */
    silk_article_destroy(a);
    /* Many paragraphs citing one reference. */
    k = (size_t)sprintf(big, "T\n");
    for (unsigned i = 0; i < N / 2; i++)
        k += (size_t)sprintf(big + k, "Prose line.[1]\n");
    k += (size_t)sprintf(big + k, "References\n- The one.\n");
    assert_int_equal(silk_article_parse(SILK_FORMAT_TXT, "h", "h.txt", big, k, &a), SILK_OK);
    assert_int_equal(must_find(a, "ref-1")->ncited_by, N / 2);
    assert_string_equal(must_find(a, "ref-1")->cited_by[N / 2 - 1], "p100000");
    silk_article_destroy(a);
    free(big);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (secs > 5)
        fail_msg("hostile inputs took %.1f s of CPU", secs);
}

static void test_names_and_formats(void **state)
{
    (void)state;
    assert_int_equal(silk_corpus_format("a.txt"), SILK_FORMAT_TXT);
    assert_int_equal(silk_corpus_format("sub/B.MD"), SILK_FORMAT_MD);
    assert_int_equal(silk_corpus_format("x.jsonl"), SILK_FORMAT_JSONL);
    assert_int_equal(silk_corpus_format("synonyms.txt"), SILK_FORMAT_NONE);
    assert_int_equal(silk_corpus_format("sub/synonyms.txt"), SILK_FORMAT_TXT);
    assert_int_equal(silk_corpus_format("image.png"), SILK_FORMAT_NONE);
    assert_int_equal(silk_corpus_format(".txt"), SILK_FORMAT_NONE);
    char *n = silk_corpus_article_name("sub.d/deep/x.y.txt");
    assert_string_equal(n, "sub.d/deep/x.y");
    free(n);
    n = silk_corpus_article_name("top.md");
    assert_string_equal(n, "top");
    free(n);
}

static void test_synonyms(void **state)
{
    (void)state;
    const char *t = "# comment\n\ndprk = north korea = democratic people's republic of korea\n"
                    "  us=usa = united states \nlonely\nx = x\n";
    silk_synonyms_t *s = NULL;
    assert_int_equal(silk_synonyms_parse("syn", t, strlen(t), &s), SILK_OK);
    assert_int_equal(silk_synonyms_group_count(s), 2);
    assert_int_equal(silk_synonyms_member_count(s, 0), 3);
    assert_string_equal(silk_synonyms_member(s, 0, 2), "democratic people's republic of korea");
    assert_string_equal(silk_synonyms_member(s, 1, 2), "united states");
    assert_int_equal(silk_synonyms_problem_count(s), 2);
    assert_string_equal(silk_synonyms_problem(s, 0),
                        "syn:5: a synonym group needs at least two members joined by '='");
    silk_synonyms_destroy(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_article_structure, setup_article, teardown_article),
        cmocka_unit_test_setup_teardown(test_article_lead_and_infobox, setup_article,
                                        teardown_article),
        cmocka_unit_test_setup_teardown(test_article_cites_consistent, setup_article,
                                        teardown_article),
        cmocka_unit_test_setup_teardown(test_article_years_and_authors, setup_article,
                                        teardown_article),
        cmocka_unit_test_setup_teardown(test_doc_json, setup_article, teardown_article),
        cmocka_unit_test(test_txt_headings),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_utf8_and_binary),
        cmocka_unit_test(test_hostile_inputs_are_linear),
        cmocka_unit_test(test_names_and_formats),
        cmocka_unit_test(test_synonyms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
