/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Regression tests of failures found by the fuzz targets (tests/fuzz/), one test each, so
 * they are checked by `make test`, `make asan` and `make valgrind`, not only by `make fuzz`.
 * The crashing inputs themselves are also kept in the seed corpora (tests/fuzz/seeds/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../indexer/corpus.h"
#include "silk/utf8.h"

/* 1 when s is valid UTF-8 (RFC 3629, strictly: silk_utf8_valid_prefix()). */
static int valid_utf8(const char *s)
{
    return silk_utf8_valid_prefix(s, strlen(s)) == strlen(s);
}

/* fuzz_corpus: a Markdown heading with no text ("###", "# **") left its stack entry as
 * unterminated fresh memory (buf_take on an empty buffer); md_path then read past it
 * (heap-buffer-overflow under ASan, garbage section paths otherwise). */
static void test_md_empty_heading(void **state)
{
    (void)state;
    /* Leave freed, non-zero memory of the size the parser asks for, so that without the
     * fix the unterminated heading shows as garbage even without a sanitizer. */
    for (int i = 0; i < 4; i++) {
        char *junk = malloc(64);
        assert_non_null(junk);
        memset(junk, 'x', 64);
        free(junk);
    }
    const char *md = "# Title\n\nLead.\n\n###\n\nunder an empty heading\n\n## **\n\nagain\n";
    silk_article_t *a = NULL;
    assert_int_equal(silk_article_parse(SILK_FORMAT_MD, "t", "t.md", md, strlen(md), &a), SILK_OK);
    assert_int_equal(silk_article_count(a), 3);
    const silk_corpus_doc_t *d = silk_article_doc(a, 1);
    assert_string_equal(d->text, "under an empty heading");
    assert_string_equal(d->section, "");
    d = silk_article_doc(a, 2);
    assert_string_equal(d->text, "again");
    /* CommonMark (md4c): a lone `**` opens no emphasis, so it is the heading's text. */
    assert_string_equal(d->section, "**");
    silk_article_destroy(a);
}

/* fuzz_jsonl: jansson's "near '...'" text of an invalid-JSON problem can end in the middle
 * of a UTF-8 character; the problem message was then not valid UTF-8 (and could not go
 * into the index metadata, which is JSON). */
static void test_jsonl_problem_cut_utf8(void **state)
{
    (void)state;
    const char *jl = "{\"id\":\"d\\u\xc3\xa9x\",\"text\":\"t\"}\n{\"id\":\"ok\",\"text\":\"t\"}\n";
    silk_article_t *a = NULL;
    assert_int_equal(silk_article_parse(SILK_FORMAT_JSONL, "t", "t.jsonl", jl, strlen(jl), &a),
                     SILK_OK);
    assert_int_equal(silk_article_count(a), 1);
    assert_int_equal(silk_article_problem_count(a), 1);
    const char *p = silk_article_problem(a, 0);
    assert_true(strncmp(p, "t.jsonl:1: invalid JSON", 23) == 0);
    assert_true(valid_utf8(p));
    silk_article_destroy(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md_empty_heading),
        cmocka_unit_test(test_jsonl_problem_cut_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
