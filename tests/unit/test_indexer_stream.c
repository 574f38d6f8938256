/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Documents handed on as they are built (silk_article_parse_to(), article.h's sink): the
 * same documents, in the same order, with the same stored data as the article that keeps
 * them all (silk_article_parse()), for every format, including references in the middle
 * of an article cited before and after them; a failing sink stops the parse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../indexer/corpus.h"
#include "support.h"

typedef struct {
    char **json; /* the stored data of each document handed on */
    size_t n, cap;
    size_t fail_at; /* 1-based document that fails (0: none) */
} sink_t;

static silk_status_t collect(const silk_corpus_doc_t *d, void *ud)
{
    sink_t *s = ud;
    if (s->fail_at && s->n + 1 == s->fail_at)
        return SILK_ERR_IO;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->json = realloc(s->json, s->cap * sizeof *s->json);
        assert_non_null(s->json);
    }
    size_t len = 0;
    s->json[s->n] = silk_corpus_doc_json(d, &len);
    assert_non_null(s->json[s->n]);
    s->n++;
    return SILK_OK;
}

static void sink_free(sink_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->json[i]);
    free(s->json);
}

static char *dup_bytes(const char *s, size_t n)
{
    char *c = malloc(n ? n : 1);
    assert_non_null(c);
    memcpy(c, s, n);
    return c;
}

/* Parses text both ways and checks that the documents and problems are the same. */
static void same_both_ways(silk_format_t fmt, const char *name, const char *text, size_t n,
                           size_t min_docs)
{
    silk_article_t *whole = NULL, *streamed = NULL;
    assert_int_equal(silk_article_parse(fmt, name, "f", text, n, &whole), SILK_OK);
    sink_t s = {0};
    assert_int_equal(
        silk_article_parse_to(fmt, name, "f", dup_bytes(text, n), n, collect, &s, &streamed),
        SILK_OK);
    assert_true(silk_article_count(whole) >= min_docs);
    assert_int_equal(silk_article_count(streamed), 0);
    assert_int_equal(s.n, silk_article_count(whole));
    for (size_t i = 0; i < s.n; i++) {
        size_t len = 0;
        char *j = silk_corpus_doc_json(silk_article_doc(whole, i), &len);
        assert_string_equal(s.json[i], j);
        free(j);
    }
    assert_string_equal(silk_article_title(streamed), silk_article_title(whole));
    assert_int_equal(silk_article_problem_count(streamed), silk_article_problem_count(whole));
    for (size_t i = 0; i < silk_article_problem_count(whole); i++)
        assert_string_equal(silk_article_problem(streamed, i), silk_article_problem(whole, i));
    sink_free(&s);
    silk_article_destroy(whole);
    silk_article_destroy(streamed);
}

static const char MIXED_TXT[] = "Mixed title\n"
                                "Lead cites one.[1] And two.[2]\n"
                                "| a | b |\n"
                                "| c | d[3] |\n"
                                "Early\n"
                                "Paragraph early[2][4].\n"
                                "Further reading\n"
                                "- Brown, Bob (1987). A reading before the references.\n"
                                "References\n"
                                "- Smith, John (1999). First ref.\n"
                                "- Doe, Jane (2001). Second ref.\n"
                                "- Third ref, 2002.\n"
                                "Late section\n"
                                "A late paragraph citing[1] and [3] and [9].\n"
                                "- a late list line[2]\n";

static const char MIXED_MD[] = "---\ntitle: \"Notes\"\n---\n# Field *notes*\n\nPara one.[1]\n\n"
                               "## References\n- Darwin, Charles (1862). *On orchids*.\n"
                               "- Second, Ref (1901).\n\n## After\nPara after[1][2].\n";

static const char JSONL[] = "{\"id\":\"docs#a\",\"text\":\"alpha\",\"title\":\"T1\"}\n"
                            "{\"id\":\"docs#b\",\"text\":\"beta\",\"cites\":[1]}\n"
                            "{\"id\":\"docs#a\",\"text\":\"duplicate\"}\n"
                            "not json\n"
                            "{\"id\":\"docs#c\",\"text\":\"gamma\",\"cited_by\":[\"x\"],"
                            "\"year\":2001,\"author\":\"A B\"}\n";

static void test_prose_formats(void **state)
{
    (void)state;
    same_both_ways(SILK_FORMAT_TXT, "mixed", MIXED_TXT, strlen(MIXED_TXT), 9);
    same_both_ways(SILK_FORMAT_MD, "notes", MIXED_MD, strlen(MIXED_MD), 4);
    same_both_ways(SILK_FORMAT_TXT, "empty", "", 0, 0);
    same_both_ways(SILK_FORMAT_TXT, "title", "Just a title\n", 13, 0);
}

static void test_jsonl(void **state)
{
    (void)state;
    same_both_ways(SILK_FORMAT_JSONL, "docs", JSONL, strlen(JSONL), 3);
}

static void test_corpus_files(void **state)
{
    (void)state;
    const char *root = getenv("SILK_ROOT");
    static const struct {
        const char *rel;
        silk_format_t fmt;
    } files[] = {
        {"corpus/iran-north-korea-relations.txt", SILK_FORMAT_TXT},
        {"corpus/iran-north-korea-relations.txt", SILK_FORMAT_MD},
        {"tests/data/formats/iran-north-korea-relations.html", SILK_FORMAT_HTML},
        {"tests/data/lang/corpus/korean.txt", SILK_FORMAT_TXT},
        {"tests/data/lang/corpus/persian.txt", SILK_FORMAT_TXT},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root ? root : ".", files[i].rel);
        size_t n = 0;
        char *text = silk_read_file(path, &n);
        assert_non_null(text);
        same_both_ways(files[i].fmt, "a", text, n, 1);
        free(text);
    }
}

static void test_failing_sink_stops_the_parse(void **state)
{
    (void)state;
    sink_t s = {.fail_at = 3};
    silk_article_t *a = NULL;
    size_t n = strlen(MIXED_TXT);
    assert_int_not_equal(silk_article_parse_to(SILK_FORMAT_TXT, "m", "f", dup_bytes(MIXED_TXT, n),
                                               n, collect, &s, &a),
                         SILK_OK);
    assert_null(a);
    assert_int_equal(s.n, 2);
    sink_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prose_formats),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_corpus_files),
        cmocka_unit_test(test_failing_sink_stops_the_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
