/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The one hash (include/silk/hash.h): 64-bit FNV-1a. Its values are part of the index
 * format (file hashes in the metadata, shard placement), so the published test vectors
 * pin them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "silk/hash.h"

static void test_vectors(void **state)
{
    (void)state;
    assert_true(SILK_FNV_OFFSET == 0xcbf29ce484222325ull);
    assert_true(SILK_FNV_PRIME == 0x100000001b3ull);
    assert_true(silk_hash("", 0) == 0xcbf29ce484222325ull);
    assert_true(silk_hash("a", 1) == 0xaf63dc4c8601ec8cull);
    assert_true(silk_hash("foobar", 6) == 0x85944171f73967e8ull);
}

static void test_incremental(void **state)
{
    (void)state;
    uint64_t h = silk_hash_add(SILK_FNV_OFFSET, "foo", 3);
    assert_true(silk_hash_add(h, "bar", 3) == silk_hash("foobar", 6));
    assert_true(silk_hash_add(h, "", 0) == h); /* no bytes, no change */
    uint64_t byte_by_byte = SILK_FNV_OFFSET;
    for (const char *p = "foobar"; *p; p++)
        byte_by_byte = silk_hash_add(byte_by_byte, p, 1);
    assert_true(byte_by_byte == silk_hash("foobar", 6));
}

static void test_bytes(void **state)
{
    (void)state;
    /* Every byte counts, NUL and high bytes included. */
    assert_true(silk_hash("a\0b", 3) != silk_hash("a", 1));
    assert_true(silk_hash("\xff", 1) != silk_hash("\x7f", 1));
    assert_true(silk_hash("ab", 2) != silk_hash("ba", 2));
    /* The loop is FNV-1a (xor, then multiply), not FNV-1 (multiply, then xor). */
    uint64_t h = (SILK_FNV_OFFSET ^ 'a') * SILK_FNV_PRIME;
    assert_true(silk_hash("a", 1) == h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_incremental),
        cmocka_unit_test(test_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
