/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The reindex runner's bounds (server/rxbound.c): the child's summary keeps its counts
 * and the first N entries of each list whatever the size of the output, and the --watch
 * debounce has a ceiling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/rxbound.h"

/* Feeds text in pieces of `chunk` bytes (to cross every boundary) and finishes. */
static json_t *read_all(const char *text, size_t len, size_t chunk, size_t keep, size_t max)
{
    silkd_summary_t s = {0};
    silkd_summary_init(&s, keep, max);
    for (size_t i = 0; i < len; i += chunk)
        silkd_summary_feed(&s, text + i, len - i < chunk ? len - i : chunk);
    json_t *j = silkd_summary_finish(&s);
    silkd_summary_free(&s);
    return j;
}

/* 12,000 problems (about 1.3 MB, past the old 1 MB read bound): the counts survive, 20
 * problems are kept, the other 11,980 are counted in problems_more. */
static void test_many_problems(void **state)
{
    (void)state;
    silk_buf_t b = SILK_BUF_INIT;
    silk_buf_adds(&b, "progress line\n{\"ok\":true,\"files_skipped\":12000,\"problems\":[");
    for (int i = 0; i < 12000; i++) {
        char p[160];
        snprintf(p, sizeof p,
                 "%s\"a/rather/long/folder/name/of/the/corpus/dir/file-%05d.txt: skipped, "
                 "\\\"bad\\\" [x], {y}\"",
                 i ? "," : "", i);
        silk_buf_adds(&b, p);
    }
    silk_buf_adds(&b, "],\"docs_total\":7,\"nested\":{\"a\":[1,2,3]}}\n");
    assert_true(b.len > 1024 * 1024);
    size_t chunks[] = {1, 7, 4096, 65536};
    for (size_t k = 0; k < 4; k++) {
        json_t *j = read_all(b.data, b.len, chunks[k], 20, SILKD_SUMMARY_BYTES);
        assert_non_null(j);
        assert_true(json_is_true(json_object_get(j, "ok")));
        assert_int_equal(json_integer_value(json_object_get(j, "files_skipped")), 12000);
        assert_int_equal(json_integer_value(json_object_get(j, "docs_total")), 7);
        json_t *p = json_object_get(j, "problems");
        assert_int_equal(json_array_size(p), 20);
        assert_string_equal(json_string_value(json_array_get(p, 19)),
                            "a/rather/long/folder/name/of/the/corpus/dir/file-00019.txt: skipped, "
                            "\"bad\" [x], {y}");
        assert_int_equal(json_integer_value(json_object_get(j, "problems_more")), 11980);
        /* Only lists directly in the summary are cut. */
        assert_int_equal(json_array_size(json_object_get(json_object_get(j, "nested"), "a")), 3);
        char *text = json_dumps(j, JSON_COMPACT);
        assert_true(strlen(text) < 4096);
        free(text);
        json_decref(j);
    }
    silk_buf_free(&b);
}

/* A short list is kept whole with no _more member; the last object line wins; a final
 * line without a newline counts; an entry bigger than the byte bound is dropped, counted. */
static void test_lines_and_bounds(void **state)
{
    (void)state;
    const char *t = "{\"n\":1}\nnot json\n{\"n\":2,\"problems\":[\"a\", {\"b\":[1]} ]}";
    json_t *j = read_all(t, strlen(t), 3, 20, 1024);
    assert_int_equal(json_integer_value(json_object_get(j, "n")), 2);
    assert_int_equal(json_array_size(json_object_get(j, "problems")), 2);
    assert_null(json_object_get(j, "problems_more"));
    json_decref(j);

    char big[3000];
    memset(big, 'x', sizeof big);
    silk_buf_t b = SILK_BUF_INIT;
    silk_buf_adds(&b, "{\"problems\":[\"short\",\"");
    silk_buf_add(&b, big, sizeof big);
    silk_buf_adds(&b, "\",\"after\"],\"n\":3}\n");
    j = read_all(b.data, b.len, 100, 20, 1024);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "n")), 3);
    assert_int_equal(json_array_size(json_object_get(j, "problems")), 2);
    assert_int_equal(json_integer_value(json_object_get(j, "problems_more")), 1);
    json_decref(j);
    silk_buf_free(&b);

    /* A summary whose scalars alone pass the bound is reported lost, not dropped. */
    b = (silk_buf_t)SILK_BUF_INIT;
    silk_buf_adds(&b, "{\"corpus\":\"");
    silk_buf_add(&b, big, sizeof big);
    silk_buf_adds(&b, "\"}\n");
    j = read_all(b.data, b.len, 100, 20, 1024);
    assert_non_null(j);
    assert_non_null(json_object_get(j, "summary_lost"));
    json_decref(j);
    silk_buf_free(&b);

    assert_null(read_all("", 0, 1, 20, 1024));
    assert_null(read_all("plain text\n", 11, 1, 20, 1024));
}

/* The debounce waits for quiet, but never past the ceiling from the first change. */
static void test_watch_wait(void **state)
{
    (void)state;
    assert_int_equal(silkd_watch_wait(1000, 1000, 500, 5000), 500);
    assert_int_equal(silkd_watch_wait(5200, 1000, 500, 5000), 500);
    assert_int_equal(silkd_watch_wait(5800, 1000, 500, 5000), 200);
    assert_int_equal(silkd_watch_wait(6000, 1000, 500, 5000), 0);
    assert_int_equal(silkd_watch_wait(9000, 1000, 500, 5000), 0);
    assert_int_equal(silkd_watch_wait(900, 1000, 500, 5000), 500); /* clock before first */
    assert_int_equal(silkd_watch_wait(99999, 1000, 500, 0), 500);  /* no ceiling */
    /* A change every 100 ms with a 500 ms quiet time: the wait still reaches 0 by 5 s. */
    uint64_t due = 0;
    for (uint64_t t = 0; t <= 10000; t += 100) {
        due = t + silkd_watch_wait(t, 0, 500, 5000);
        if (due <= t + 100)
            break;
    }
    assert_true(due <= 5000);
}

/* The child's progress lines: the last object kept, other lines and long lines skipped,
 * a line split across reads joined. */
static void test_progress(void **state)
{
    (void)state;
    silkd_progress_t p = {0};
    silkd_progress_init(&p);
    assert_int_equal(silkd_progress_feed(&p, "silk-index: a note\n", 19), 0);
    assert_null(p.last);
    const char *l1 = "silk-index: progress {\"files_done\":1,\"files_total\":4}\n";
    assert_int_equal(silkd_progress_feed(&p, l1, 20), 0); /* half a line */
    assert_int_equal(silkd_progress_feed(&p, l1 + 20, strlen(l1) - 20), 1);
    assert_int_equal(json_integer_value(json_object_get(p.last, "files_done")), 1);
    /* Not an object, and a line past the bound: the last good one stays. */
    assert_int_equal(silkd_progress_feed(&p, "silk-index: progress [1]\n", 25), 0);
    char big[3 * SILKD_PROGRESS_LINE];
    memset(big, 'x', sizeof big);
    memcpy(big, "silk-index: progress {", 22);
    assert_int_equal(silkd_progress_feed(&p, big, sizeof big), 0);
    assert_int_equal(silkd_progress_feed(&p, "}\n", 2), 0);
    assert_int_equal(json_integer_value(json_object_get(p.last, "files_done")), 1);
    const char *l2 = "silk-index: progress {\"files_done\":4,\"files_total\":4}\n";
    assert_int_equal(silkd_progress_feed(&p, l2, strlen(l2)), 1);
    assert_int_equal(json_integer_value(json_object_get(p.last, "files_done")), 4);
    assert_true(silkd_progress_is_line("silk-index: progress {}", 23));
    assert_false(silkd_progress_is_line("silk-index: corpus gone", 23));
    silkd_progress_init(&p); /* restart: nothing kept */
    assert_null(p.last);
    silkd_progress_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_problems),
        cmocka_unit_test(test_lines_and_bounds),
        cmocka_unit_test(test_watch_wait),
        cmocka_unit_test(test_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
