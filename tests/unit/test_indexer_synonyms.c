/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The synonym table (indexer/synonyms.c) on its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../indexer/synonyms.h"
#include "support.h"

static silk_synonyms_t *parse(const char *t, size_t len)
{
    silk_synonyms_t *s = NULL;
    assert_int_equal(silk_synonyms_parse("syn.txt", t, len, &s), SILK_OK);
    assert_non_null(s);
    return s;
}

static void test_groups(void **state)
{
    (void)state;
    /* A BOM, CRLF, tabs, empty members and repeated members. */
    const char *t = "\xef\xbb\xbf"
                    "dprk = north korea\r\n"
                    "\tun == united nations = un = \n"
                    "# a comment = not a group\n";
    silk_synonyms_t *s = parse(t, strlen(t));
    assert_int_equal(silk_synonyms_group_count(s), 2);
    assert_string_equal(silk_synonyms_member(s, 0, 0), "dprk");
    assert_string_equal(silk_synonyms_member(s, 0, 1), "north korea");
    assert_int_equal(silk_synonyms_member_count(s, 1), 2);
    assert_string_equal(silk_synonyms_member(s, 1, 1), "united nations");
    assert_int_equal(silk_synonyms_problem_count(s), 0);
    /* Out of range. */
    assert_null(silk_synonyms_member(s, 2, 0));
    assert_null(silk_synonyms_member(s, 0, 2));
    assert_int_equal(silk_synonyms_member_count(s, 9), 0);
    assert_null(silk_synonyms_problem(s, 0));
    silk_synonyms_destroy(s);
    silk_synonyms_destroy(NULL);
}

static void test_problems_and_bytes(void **state)
{
    (void)state;
    /* Invalid UTF-8 and a NUL become U+FFFD; a line of one member is a problem. */
    const char t[] = "a\xff = b\0c\nsolo\n= =\n";
    silk_synonyms_t *s = parse(t, sizeof t - 1);
    assert_int_equal(silk_synonyms_group_count(s), 1);
    assert_string_equal(silk_synonyms_member(s, 0, 0), "a\xef\xbf\xbd");
    assert_string_equal(silk_synonyms_member(s, 0, 1), "b\xef\xbf\xbd"
                                                       "c");
    assert_int_equal(silk_synonyms_problem_count(s), 2);
    assert_string_equal(silk_synonyms_problem(s, 0),
                        "syn.txt:2: a synonym group needs at least two members joined by '='");
    assert_string_equal(silk_synonyms_problem(s, 1),
                        "syn.txt:3: a synonym group needs at least two members joined by '='");
    silk_synonyms_destroy(s);
    /* An empty table. */
    s = parse("", 0);
    assert_int_equal(silk_synonyms_group_count(s), 0);
    silk_synonyms_destroy(s);
}

static void test_member_cap(void **state)
{
    (void)state;
    /* The first 64 members of a line are read, the rest ignored. */
    char line[2048];
    size_t k = 0;
    for (int i = 0; i < 70; i++)
        k += (size_t)snprintf(line + k, sizeof line - k, "%sw%d", i ? " = " : "", i);
    silk_synonyms_t *s = parse(line, k);
    assert_int_equal(silk_synonyms_member_count(s, 0), 64);
    assert_string_equal(silk_synonyms_member(s, 0, 63), "w63");
    silk_synonyms_destroy(s);
}

static void test_from_file(void **state)
{
    (void)state;
    silk_tmpdir_t d;
    assert_int_equal(silk_tmpdir_make(&d, "syn"), 0);
    char path[600];
    silk_tmpdir_path(&d, path, sizeof path, "synonyms.txt");
    silk_write_file(path, "iran = persia\n");
    size_t n = 0;
    char *t = silk_read_file(path, &n);
    assert_non_null(t);
    silk_synonyms_t *s = parse(t, n);
    assert_int_equal(silk_synonyms_group_count(s), 1);
    assert_string_equal(silk_synonyms_member(s, 0, 1), "persia");
    silk_synonyms_destroy(s);
    free(t);
    assert_int_equal(silk_tmpdir_remove(&d), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_problems_and_bytes),
        cmocka_unit_test(test_member_cap),
        cmocka_unit_test(test_from_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
