/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The JSON writer (lib/jsonw.c): escapes, U+FFFD for broken UTF-8 (one per maximal invalid
 * subpart), numbers, and that a failed line leaves the buffer as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/jsonw.h"

/* Writes s as a JSON string and checks the text against want. */
static void check_string(const char *s, size_t len, const char *want)
{
    silk_buf_t b = SILK_BUF_INIT;
    silk_jsonw_t w;
    silk_jsonw_begin(&w, &b);
    silk_jsonw_string(&w, s, len);
    assert_int_equal(silk_jsonw_end(&w), SILK_OK);
    if (b.len != strlen(want) || memcmp(b.data, want, b.len))
        fail_msg("got %.*s, want %s", (int)b.len, b.data, want);
    silk_buf_free(&b);
}

static void test_strings(void **state)
{
    (void)state;
    check_string("plain", 5, "\"plain\"");
    check_string(NULL, 3, "\"\"");
    check_string("q\"b\\s/", 6, "\"q\\\"b\\\\s/\"");
    check_string("\n\t\r\x01\x1f\x7f", 6, "\"\\n\\t\\r\\u0001\\u001f\x7f\"");
    check_string("a\0b", 3, "\"a\\u0000b\"");
    check_string("é한😀", strlen("é한😀"), "\"é한😀\"");
    check_string("\xEF\xBF\xBD", 3, "\"\xEF\xBF\xBD\""); /* a real U+FFFD stays */
    /* One U+FFFD per maximal invalid subpart: \xE2\x82 is one, \xFF and \xC3 one each. */
    check_string("\xFF\xC3(\xE2\x82", 5, "\"\xEF\xBF\xBD\xEF\xBF\xBD(\xEF\xBF\xBD\"");
    check_string("\xED\xA0\x80", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); /* surrogate */
}

static void test_numbers_and_raw(void **state)
{
    (void)state;
    silk_buf_t b = SILK_BUF_INIT;
    silk_jsonw_t w;
    silk_jsonw_begin(&w, &b);
    silk_jsonw_u64(&w, 0);
    silk_jsonw_raw(&w, ",", 1);
    silk_jsonw_u64(&w, UINT64_MAX);
    silk_jsonw_lit(&w, ",");
    silk_jsonw_double(&w, 8.41);
    silk_jsonw_lit(&w, ",");
    silk_jsonw_double(&w, 1.0 / 0.0);
    silk_jsonw_lit(&w, ",");
    silk_jsonw_double(&w, 1e12);
    assert_int_equal(silk_jsonw_end(&w), SILK_OK);
    const char *want = "0,18446744073709551615,8.41,0,1e+12";
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    silk_buf_free(&b);
}

static void test_failure_rolls_back(void **state)
{
    (void)state;
    silk_buf_t b = {.limit = 16};
    assert_int_equal(silk_buf_adds(&b, "kept\n"), SILK_OK);
    silk_jsonw_t w;
    silk_jsonw_begin(&w, &b);
    silk_jsonw_lit(&w, "{\"x\":");
    silk_jsonw_string(&w, "far too long for the limit", 26);
    silk_jsonw_lit(&w, "}"); /* after a failure: nothing */
    assert_int_equal(silk_jsonw_end(&w), SILK_ERR_NOMEM);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "kept\n", 5);
    silk_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers_and_raw),
        cmocka_unit_test(test_failure_rolls_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
