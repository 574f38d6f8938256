/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The strict UTF-8 decoder and its helpers (include/silk/utf8.h, lib/utf8.c): every class
 * of invalid input decodes as U+FFFD, one replacement per maximal invalid subpart; valid
 * input decodes, measures and re-encodes exactly, for every scalar value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "silk/utf8.h"

#define RC 0xFFFD /* U+FFFD, the replacement character */

/* Decodes s[0..n) to code points and lengths (at most cap of each); returns the count. */
static size_t decode_all(const char *s, size_t n, int32_t *cps, size_t *lens, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; k++) {
        size_t len = silk_utf8_decode(s + i, n - i, &cps[k]);
        assert_true(len >= 1 && len <= 4 && len <= n - i); /* always advances, never past */
        lens[k] = len;
        i += len;
    }
    return k;
}

typedef struct {
    const char *name; /* what the case is about */
    const char *in;   /* the bytes */
    size_t n;         /* their count */
    size_t count;     /* how many code points they decode to */
    int32_t cps[6];   /* the code points */
    size_t lens[6];   /* the bytes each took */
} dcase_t;

#define S(lit) lit, sizeof lit - 1

static const dcase_t dcases[] = {
    {"ASCII", S("aZ\x7f"), 3, {'a', 'Z', 0x7F}, {1, 1, 1}},
    {"NUL is a character", S("a\0b"), 3, {'a', 0, 'b'}, {1, 1, 1}},
    {"2-byte bounds", S("\xc2\x80\xdf\xbf"), 2, {0x80, 0x7FF}, {2, 2}},
    {"3-byte bounds", S("\xe0\xa0\x80\xef\xbf\xbf"), 2, {0x800, 0xFFFF}, {3, 3}},
    {"around the surrogates", S("\xed\x9f\xbf\xee\x80\x80"), 2, {0xD7FF, 0xE000}, {3, 3}},
    {"4-byte bounds", S("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"), 2, {0x10000, 0x10FFFF}, {4, 4}},
    {"U+FFFD itself", S("\xef\xbf\xbd"), 1, {RC}, {3}},
    /* Overlong forms: C0 and C1 never begin a sequence; after E0 and F0 the second byte is
     * out of range, so the lead byte alone is the subpart and each byte is replaced. */
    {"overlong 2-byte", S("\xc0\x80"), 2, {RC, RC}, {1, 1}},
    {"overlong 2-byte C1", S("\xc1\xbf"), 2, {RC, RC}, {1, 1}},
    {"overlong 3-byte", S("\xe0\x80\x80"), 3, {RC, RC, RC}, {1, 1, 1}},
    {"overlong 3-byte top", S("\xe0\x9f\xbf"), 3, {RC, RC, RC}, {1, 1, 1}},
    {"overlong 4-byte", S("\xf0\x8f\xbf\xbf"), 4, {RC, RC, RC, RC}, {1, 1, 1, 1}},
    {"surrogate low", S("\xed\xa0\x80"), 3, {RC, RC, RC}, {1, 1, 1}},
    {"surrogate high", S("\xed\xbf\xbf"), 3, {RC, RC, RC}, {1, 1, 1}},
    {"above U+10FFFF", S("\xf4\x90\x80\x80"), 4, {RC, RC, RC, RC}, {1, 1, 1, 1}},
    {"F5 lead", S("\xf5\x80"), 2, {RC, RC}, {1, 1}},
    {"FF and FE", S("\xff\xfe"), 2, {RC, RC}, {1, 1}},
    {"stray continuation",
     S("a\x80\xbf"
       "b"),
     4,
     {'a', RC, RC, 'b'},
     {1, 1, 1, 1}},
    /* Truncated sequences: the valid prefix is one subpart, one replacement. */
    {"truncated 2 of 3 at end", S("\xe2\x82"), 1, {RC}, {2}},
    {"truncated 1 of 2 at end", S("\xc3"), 1, {RC}, {1}},
    {"truncated 3 of 4 at end", S("\xf0\x9f\x98"), 1, {RC}, {3}},
    {"truncated before ASCII",
     S("\xe2\x82"
       "A"),
     2,
     {RC, 'A'},
     {2, 1}},
    {"truncated before a valid sequence", S("\xf0\x9f\xc3\xa9"), 2, {RC, 0xE9}, {2, 2}},
    /* The maximal subpart rule. */
    {"E0 80 is two subparts", S("\xe0\x80"), 2, {RC, RC}, {1, 1}},
    {"E1 80 is one subpart", S("\xe1\x80"), 1, {RC}, {2}},
    {"ED A0 is two subparts", S("\xed\xa0"), 2, {RC, RC}, {1, 1}},
    {"F4 8F BF is one subpart", S("\xf4\x8f\xbf"), 1, {RC}, {3}},
};

static void test_decode(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof dcases / sizeof *dcases; c++) {
        const dcase_t *d = &dcases[c];
        int32_t cps[16];
        size_t lens[16];
        size_t k = decode_all(d->in, d->n, cps, lens, 16);
        if (k != d->count)
            fail_msg("%s: %zu code points, want %zu", d->name, k, d->count);
        for (size_t i = 0; i < k; i++)
            if (cps[i] != d->cps[i] || lens[i] != d->lens[i])
                fail_msg("%s: #%zu is U+%04X/%zu, want U+%04X/%zu", d->name, i, (unsigned)cps[i],
                         lens[i], (unsigned)d->cps[i], d->lens[i]);
    }
}

static void test_valid(void **state)
{
    (void)state;
    static const struct {
        const char *s; /* the bytes */
        size_t n;      /* their count */
        size_t valid;  /* silk_utf8_valid's answer */
        size_t bad;    /* the invalid subpart's length (when valid is 0) */
    } cases[] = {
        {S("a"), 1, 0},
        {S("\xc3\xa9"), 2, 0},
        {S("\xef\xbf\xbd"), 3, 0}, /* a real U+FFFD is valid */
        {S("\xe1\x80"), 0, 2},
        {S("\xe0\x80"), 0, 1},
        {S("\x80"), 0, 1},
        {S("\xed\xa0\x80"), 0, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t bad = 99;
        assert_int_equal(silk_utf8_valid(cases[i].s, cases[i].n, &bad), cases[i].valid);
        assert_int_equal(bad, cases[i].valid ? 99 : cases[i].bad); /* untouched when valid */
        assert_int_equal(silk_utf8_valid(cases[i].s, cases[i].n, NULL), cases[i].valid);
    }
}

static void test_valid_prefix(void **state)
{
    (void)state;
    assert_int_equal(silk_utf8_valid_prefix("", 0), 0);
    assert_int_equal(silk_utf8_valid_prefix("abc", 3), 3);
    assert_int_equal(silk_utf8_valid_prefix("a\0b", 3), 3);
    assert_int_equal(silk_utf8_valid_prefix("caf\xc3\xa9", 5), 5);
    assert_int_equal(silk_utf8_valid_prefix("caf\xc3", 4), 3); /* cut inside a character */
    assert_int_equal(silk_utf8_valid_prefix("ab\xff"
                                            "cd",
                                            5),
                     2);
    assert_int_equal(silk_utf8_valid_prefix("\xed\xa0\x80", 3), 0);
    assert_int_equal(silk_utf8_valid_prefix("\xf0\x9f\x98\x80!", 5), 5);
    assert_int_equal(silk_utf8_valid_prefix("\xef\xbf\xbd", 3), 3);
}

/* Every scalar value encodes to the bytes utf8proc gives, decodes back, and is valid. */
static void test_encode_round_trip(void **state)
{
    (void)state;
    for (int32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char out[4];
        utf8proc_uint8_t ref[4];
        size_t len = silk_utf8_encode(cp, out);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (len != want || (size_t)utf8proc_encode_char(cp, ref) != len ||
            memcmp(out, ref, len) != 0)
            fail_msg("U+%04X encodes wrong (%zu bytes)", (unsigned)cp, len);
        int32_t back = -1;
        if (silk_utf8_decode(out, len, &back) != len || back != cp)
            fail_msg("U+%04X decodes back as U+%04X", (unsigned)cp, (unsigned)back);
        if (silk_utf8_valid(out, len, NULL) != len || silk_utf8_valid_prefix(out, len) != len)
            fail_msg("U+%04X is not valid", (unsigned)cp);
        /* Every proper prefix of a multi-byte sequence is one truncated subpart. */
        for (size_t k = 1; k < len; k++) {
            size_t bad = 0;
            if (silk_utf8_decode(out, k, &back) != k || back != 0xFFFD ||
                silk_utf8_valid(out, k, &bad) != 0 || bad != k)
                fail_msg("U+%04X cut to %zu bytes", (unsigned)cp, k);
        }
    }
}

static void check_fix(const char *in, size_t n, const char *want, size_t want_len)
{
    size_t len = 12345;
    char *out = silk_utf8_fix(in, n, &len);
    assert_non_null(out);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, want_len);
    assert_int_equal(out[len], '\0');
    assert_int_equal(silk_utf8_valid_prefix(out, len), len);
    free(out);
}

static void test_fix(void **state)
{
    (void)state;
    check_fix("", 0, "", 0);
    check_fix(S("plain caf\xc3\xa9"), S("plain caf\xc3\xa9"));
    check_fix(S("a\0b"), S("a\0b")); /* NUL bytes are kept */
    check_fix(S("a\xff"
                "b"),
              S("a\xef\xbf\xbd"
                "b"));
    check_fix(S("\xe0\x80"), S("\xef\xbf\xbd\xef\xbf\xbd"));
    check_fix(S("\xe1\x80"), S("\xef\xbf\xbd"));
    check_fix(S("x\xed\xa0\x80y"), S("x\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdy"));
    check_fix(S("\xf0\x9f\x98"), S("\xef\xbf\xbd"));
    check_fix(S("\xef\xbf\xbd"), S("\xef\xbf\xbd")); /* a real U+FFFD stays one */
    char *out = silk_utf8_fix("ok", 2, NULL);        /* out_len may be NULL */
    assert_string_equal(out, "ok");
    free(out);

    /* Each replacement in fix() is what decode() gives: decoding the fixed copy gives the
     * same code points as decoding the broken input. */
    const char broken[] = "a\xc0\xe1\x80\xf4\x90\x80\x80z\xe2\x82";
    int32_t c1[32], c2[32];
    size_t l1[32], l2[32], len;
    size_t k1 = decode_all(broken, sizeof broken - 1, c1, l1, 32);
    char *fixed = silk_utf8_fix(broken, sizeof broken - 1, &len);
    assert_non_null(fixed);
    size_t k2 = decode_all(fixed, len, c2, l2, 32);
    assert_int_equal(k1, k2);
    assert_memory_equal(c1, c2, k1 * sizeof *c1);
    free(fixed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),       cmocka_unit_test(test_valid),
        cmocka_unit_test(test_valid_prefix), cmocka_unit_test(test_encode_round_trip),
        cmocka_unit_test(test_fix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
