/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The growable buffer and the array growth rule (include/silk/buf.h, lib/buf.c): appends,
 * the hard limit (an error that leaves the buffer as it was), consume, steal, and the
 * overflow checks of silk_grow_array(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/buf.h"

static void test_add(void **state)
{
    (void)state;
    silk_buf_t b = SILK_BUF_INIT;
    assert_null(b.data);
    assert_int_equal(silk_buf_reserve(&b, 10), SILK_OK);
    assert_non_null(b.data);
    assert_true(b.cap >= 10);
    assert_int_equal(b.len, 0);
    assert_int_equal(silk_buf_add(&b, "abc", 3), SILK_OK);
    assert_int_equal(silk_buf_add(&b, NULL, 0), SILK_OK); /* nothing to add */
    assert_int_equal(silk_buf_adds(&b, "def"), SILK_OK);
    assert_int_equal(silk_buf_addc(&b, 'g'), SILK_OK);
    assert_int_equal(silk_buf_add(&b, "\0h", 2), SILK_OK); /* bytes, not strings */
    assert_int_equal(b.len, 9);
    assert_memory_equal(b.data, "abcdefg\0h", 9);
    assert_int_equal(silk_buf_terminate(&b), SILK_OK);
    assert_int_equal(b.len, 9); /* the NUL is not counted */
    assert_int_equal(b.data[9], '\0');

    /* Growth keeps the bytes: 100 kB one byte at a time. */
    for (size_t i = 0; i < 100000; i++)
        assert_int_equal(silk_buf_addc(&b, (char)('a' + i % 26)), SILK_OK);
    assert_int_equal(b.len, 100009);
    assert_true(b.cap >= b.len);
    assert_memory_equal(b.data, "abcdefg\0h", 9);
    for (size_t i = 0; i < 100000; i++)
        assert_int_equal(b.data[9 + i], (char)('a' + i % 26));
    silk_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    silk_buf_free(NULL);
}

static void test_limit(void **state)
{
    (void)state;
    silk_buf_t b = SILK_BUF_INIT;
    b.limit = 10;
    assert_int_equal(silk_buf_add(&b, "12345678", 8), SILK_OK);
    char *data = b.data;
    size_t cap = b.cap;
    assert_true(cap <= b.limit); /* it never holds more than it may */

    /* Past the limit: an error, and the buffer is as it was. */
    assert_int_equal(silk_buf_add(&b, "abc", 3), SILK_ERR_TOO_LARGE);
    assert_int_equal(silk_buf_reserve(&b, 3), SILK_ERR_TOO_LARGE);
    assert_int_equal(silk_buf_adds(&b, "xyz"), SILK_ERR_TOO_LARGE);
    assert_int_equal(b.len, 8);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_memory_equal(b.data, "12345678", 8);

    /* Up to the limit exactly is fine. */
    assert_int_equal(silk_buf_add(&b, "9A", 2), SILK_OK);
    assert_int_equal(b.len, 10);
    assert_int_equal(silk_buf_addc(&b, 'B'), SILK_ERR_TOO_LARGE);
    assert_int_equal(b.len, 10);
    assert_memory_equal(b.data, "123456789A", 10);

    /* Consuming makes room again; freeing keeps the limit. */
    silk_buf_consume(&b, 4);
    assert_int_equal(silk_buf_add(&b, "BCDE", 4), SILK_OK);
    assert_memory_equal(b.data, "56789ABCDE", 10);
    silk_buf_free(&b);
    assert_int_equal(b.limit, 10);
    assert_int_equal(silk_buf_reserve(&b, 11), SILK_ERR_TOO_LARGE);
    assert_null(b.data);
    silk_buf_free(&b);
}

static void test_overflow(void **state)
{
    (void)state;
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_buf_add(&b, "abc", 3), SILK_OK);
    char *data = b.data;
    size_t cap = b.cap;
    assert_int_equal(silk_buf_reserve(&b, SIZE_MAX), SILK_ERR_NOMEM);
    assert_int_equal(silk_buf_reserve(&b, SIZE_MAX - 2), SILK_ERR_NOMEM);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "abc", 3);
    silk_buf_free(&b);
}

static void test_consume(void **state)
{
    (void)state;
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_buf_adds(&b, "abcdef"), SILK_OK);
    silk_buf_consume(&b, 0);
    assert_int_equal(b.len, 6);
    silk_buf_consume(&b, 2);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "cdef", 4);
    assert_int_equal(silk_buf_adds(&b, "gh"), SILK_OK);
    assert_memory_equal(b.data, "cdefgh", 6);
    silk_buf_consume(&b, 6);
    assert_int_equal(b.len, 0);
    assert_non_null(b.data); /* the memory is kept for reuse */
    assert_int_equal(silk_buf_adds(&b, "x"), SILK_OK);
    assert_memory_equal(b.data, "x", 1);
    silk_buf_free(&b);
}

static void test_steal(void **state)
{
    (void)state;
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_buf_adds(&b, "hello"), SILK_OK);
    size_t len = 0;
    char *s = silk_buf_steal(&b, &len);
    assert_non_null(s);
    assert_int_equal(len, 5);
    assert_string_equal(s, "hello");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(s);

    /* An empty buffer gives an empty string; the buffer can be used again. */
    s = silk_buf_steal(&b, NULL);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(silk_buf_adds(&b, "again"), SILK_OK);
    s = silk_buf_steal(&b, &len);
    assert_int_equal(len, 5);
    assert_string_equal(s, "again");
    free(s);
}

static void test_grow_array(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    assert_int_equal(SILK_GROW(a, cap, 0), SILK_OK); /* nothing needed */
    assert_null(a);
    assert_int_equal(SILK_GROW(a, cap, 1), SILK_OK);
    assert_non_null(a);
    assert_int_equal(cap, 16); /* SILK_GROW starts at 16 */
    for (int i = 0; i < 16; i++)
        a[i] = i;
    assert_int_equal(SILK_GROW(a, cap, 16), SILK_OK);
    assert_int_equal(cap, 16); /* enough already */
    assert_int_equal(SILK_GROW(a, cap, 17), SILK_OK);
    assert_int_equal(cap, 32); /* doubles */
    assert_int_equal(SILK_GROW(a, cap, 100), SILK_OK);
    assert_int_equal(cap, 128);
    for (int i = 0; i < 16; i++)
        assert_int_equal(a[i], i);

    /* Overflow of the count and of count * size: an error, nothing changed. */
    int *before = a;
    assert_int_equal(SILK_GROW(a, cap, SIZE_MAX), SILK_ERR_NOMEM);
    assert_int_equal(SILK_GROW(a, cap, SIZE_MAX / 2 + 2), SILK_ERR_NOMEM);
    assert_int_equal(SILK_GROW(a, cap, SIZE_MAX / sizeof *a + 1), SILK_ERR_NOMEM);
    assert_ptr_equal(a, before);
    assert_int_equal(cap, 128);
    for (int i = 0; i < 16; i++)
        assert_int_equal(a[i], i);
    free(a);

    /* The untyped form: `first` 0 starts at one element. */
    void *p = NULL;
    size_t pcap = 0;
    assert_int_equal(silk_grow_array(&p, &pcap, 3, 8, 0), SILK_OK);
    assert_int_equal(pcap, 4);
    assert_int_equal(silk_grow_array(&p, &pcap, SIZE_MAX / 8 + 1, 8, 0), SILK_ERR_NOMEM);
    assert_int_equal(pcap, 4);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add),      cmocka_unit_test(test_limit),
        cmocka_unit_test(test_overflow), cmocka_unit_test(test_consume),
        cmocka_unit_test(test_steal),    cmocka_unit_test(test_grow_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
