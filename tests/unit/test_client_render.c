/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the client's terminal text functions (client/render.c) and of the strict
 * UTF-8 decoding they rely on (include/silk/utf8.h): display widths, wrapping and cutting
 * by columns with highlights. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../client/render.h"
#include "silk/utf8.h"

/* Runs silk_render_wrap into a string the caller frees. */
static char *wrap(const char *text, const silk_hl_t *hl, size_t nhl, int width, int indent,
                  bool color, int *lines)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    silk_render_opts_t o = {.width = width, .indent = indent, .color = color};
    int n = silk_render_wrap(f, text, strlen(text), hl, nhl, &o);
    fclose(f);
    if (lines)
        *lines = n;
    return out;
}

static char *cut(const char *text, int max, int *cols)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    int c = silk_render_cut(f, text, strlen(text), max);
    fclose(f);
    if (cols)
        *cols = c;
    return out;
}

/* True when s is valid UTF-8 (silk_utf8_fix leaves it unchanged). */
static bool valid_utf8(const char *s, size_t len)
{
    size_t n;
    char *fixed = silk_utf8_fix(s, len, &n);
    bool same = fixed && n == len && memcmp(fixed, s, len) == 0;
    free(fixed);
    return same;
}

static void test_utf8_next(void **state)
{
    (void)state;
    int32_t cp;
    assert_int_equal(silk_utf8_decode("a", 1, &cp), 1);
    assert_int_equal(cp, 'a');
    assert_int_equal(silk_utf8_decode("é", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(silk_utf8_decode("한", 3, &cp), 3);
    assert_int_equal(cp, 0xD55C);
    assert_int_equal(silk_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);

    /* Every invalid form yields U+FFFD and advances by its maximal invalid subpart: one
     * byte, or the start of a sequence that was cut short (DESIGN.md, include/silk/utf8.h). */
    static const struct {
        const char *s;
        size_t advance;
    } bad[] = {
        {"\xC0\x80", 1},         /* overlong NUL */
        {"\xE0\x80\xAF", 1},     /* overlong '/' */
        {"\xED\xA0\x80", 1},     /* surrogate */
        {"\xF4\x90\x80\x80", 1}, /* beyond U+10FFFF */
        {"\xF5\x80\x80\x80", 1}, /* invalid lead */
        {"\x80", 1},             /* lone continuation */
        {"\xE3\x81", 2},         /* truncated: one subpart */
        {"\xE3\x41\x41", 1},     /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(silk_utf8_decode(bad[i].s, strlen(bad[i].s), &cp), bad[i].advance);
        assert_int_equal(cp, 0xFFFD);
    }
    /* A valid sequence cut short by the length is invalid too, as one subpart. */
    assert_int_equal(silk_utf8_decode("한", 2, &cp), 2);
    assert_int_equal(cp, 0xFFFD);
}

static void test_widths(void **state)
{
    (void)state;
    assert_int_equal(silk_cp_width('a'), 1);
    assert_int_equal(silk_cp_width(0xD55C), 2); /* 한 */
    assert_int_equal(silk_cp_width(0x4E2D), 2); /* 中 */
    assert_int_equal(silk_cp_width(0x0301), 0); /* combining acute */
    assert_int_equal(silk_cp_width(0x200C), 0); /* ZWNJ, inside Persian words */
    assert_int_equal(silk_cp_width(0x06CC), 1); /* Farsi yeh */
    assert_int_equal(silk_cp_width(0x1B), 1);   /* ESC is printed as a space */
    assert_int_equal(silk_text_width("Iran", 4), 4);
    assert_int_equal(silk_text_width("조선민주주의", strlen("조선민주주의")), 12);
    assert_int_equal(silk_text_width("ایران", strlen("ایران")), 5);
    assert_int_equal(silk_text_width("Bala\xCC\x81zs", 8), 6); /* a + U+0301 */
}

static void test_utf8_fix(void **state)
{
    (void)state;
    size_t n;
    char *s = silk_utf8_fix("ok 한", strlen("ok 한"), &n);
    assert_string_equal(s, "ok 한");
    free(s);
    s = silk_utf8_fix("a\xFF"
                      "b\xE3\x81",
                      5, &n);
    /* \xE3\x81 is one sequence cut short: one U+FFFD. */
    assert_string_equal(s, "a\xEF\xBF\xBD"
                           "b\xEF\xBF\xBD");
    assert_int_equal(n, 8);
    free(s);
    s = silk_utf8_fix("a\0b", 3, &n); /* NUL is kept, not an end */
    assert_int_equal(n, 3);
    assert_memory_equal(s, "a\0b", 3);
    free(s);
}

static void test_wrap_plain(void **state)
{
    (void)state;
    int lines;
    char *s = wrap("the axis of evil was named in 2002", NULL, 0, 12, 0, false, &lines);
    assert_string_equal(s, "the axis of\nevil was\nnamed in\n2002\n");
    assert_int_equal(lines, 4);
    free(s);
    /* Indent counts in the width; runs of spaces collapse; no wrapping at width 0. */
    s = wrap("  one   two  ", NULL, 0, 0, 3, false, &lines);
    assert_string_equal(s, "   one two\n");
    free(s);
    s = wrap("", NULL, 0, 10, 2, false, &lines);
    assert_string_equal(s, "");
    assert_int_equal(lines, 0);
    free(s);
}

static void test_wrap_hangul_double_width(void **state)
{
    (void)state;
    /* Width 7 with indent 2 leaves 5 columns: two syllables (4 columns) per line, never a
     * third (6), and never half a syllable. */
    char *s = wrap("조선민주주의인민공화국", NULL, 0, 7, 2, false, NULL);
    assert_string_equal(s, "  조선\n  민주\n  주의\n  인민\n  공화\n  국\n");
    free(s);
    /* Mixed: words move whole to the next line when they fit there. */
    s = wrap("Korean: 이란-조선민주주의인민공화국 관계; Persian", NULL, 0, 20, 0, false, NULL);
    assert_string_equal(s, "Korean:\n이란-조선민주주의인\n민공화국 관계;\nPersian\n");
    free(s);
}

static void test_wrap_combining_stays(void **state)
{
    (void)state;
    /* "Bala\u0301zs" at width 4: the accent must stay with its 'a'. */
    char *s = wrap("Bala\xCC\x81zs", NULL, 0, 4, 0, false, NULL);
    assert_string_equal(s, "Bala\xCC\x81\nzs\n");
    free(s);
}

static void test_wrap_highlights(void **state)
{
    (void)state;
    silk_hl_t hl[] = {{4, 16}};
    char *s = wrap("the axis of evil today", hl, 1, 0, 0, true, NULL);
    assert_string_equal(s, "the \033[1maxis of evil\033[0m today\n");
    free(s);
    /* Without colour the same text, no escapes. */
    s = wrap("the axis of evil today", hl, 1, 0, 0, false, NULL);
    assert_string_equal(s, "the axis of evil today\n");
    free(s);
    /* A highlight cut by a line break: normal weight before the newline and the indent,
     * bold again after it. */
    s = wrap("the axis of evil today", hl, 1, 11, 1, true, NULL);
    assert_string_equal(s, " the \033[1maxis\033[0m\n \033[1mof evil\033[0m\n today\n");
    free(s);
    /* Ranges out of the text or empty are ignored; unsorted ranges work. */
    silk_hl_t odd[] = {{17, 22}, {100, 200}, {3, 3}, {0, 3}};
    s = wrap("the axis of evil today", odd, 4, 0, 0, true, NULL);
    assert_string_equal(s, "\033[1mthe\033[0m axis of evil \033[1mtoday\033[0m\n");
    free(s);
    /* Hangul highlights by byte ranges (3 bytes a syllable). */
    silk_hl_t kh[] = {{3, 9}};
    s = wrap("이란조선", kh, 1, 0, 0, true, NULL);
    assert_string_equal(s, "이\033[1m란조\033[0m선\n");
    free(s);
}

static void test_wrap_controls_neutralized(void **state)
{
    (void)state;
    char *s = wrap("a\033[31mred\033[0m\tb\rc", NULL, 0, 0, 0, false, NULL);
    assert_null(strchr(s, '\033'));
    assert_null(strchr(s, '\r'));
    assert_string_equal(s, "a [31mred [0m b c\n");
    free(s);
    /* Invalid bytes come out as U+FFFD, never raw. */
    s = wrap("x\xFFy", NULL, 0, 0, 0, false, NULL);
    assert_string_equal(s, "x\xEF\xBF\xBDy\n");
    free(s);
}

static void test_cut(void **state)
{
    (void)state;
    int cols;
    char *s = cut("Iran–North Korea relations", 10, &cols);
    assert_string_equal(s, "Iran–Nort…");
    assert_int_equal(cols, 10);
    free(s);
    s = cut("한국어", 4, &cols); /* 한 (2) + … (1); 국 would make 5 */
    assert_string_equal(s, "한…");
    assert_int_equal(cols, 3);
    free(s);
    s = cut("한국어", 6, &cols); /* fits exactly */
    assert_string_equal(s, "한국어");
    assert_int_equal(cols, 6);
    free(s);
    s = cut("short", 0, &cols); /* no limit */
    assert_string_equal(s, "short");
    free(s);
    s = cut("a\nb", 0, NULL);
    assert_string_equal(s, "a b");
    free(s);
}

/* Property: for arbitrary bytes, every wrapped line fits the width, is valid UTF-8 and
 * holds no escape character. */
static void test_wrap_random(void **state)
{
    (void)state;
    static const char *pieces[] = {"a",        "word ",    "한",   "국어 ", "ی",
                                   "\xCC\x81", " ",        "\xFF", "\033",  "\n",
                                   "\xE3\x81", "Hwasong-", "…",    "中文 ", "\xF0\x9F\x98\x80"};
    unsigned seed = 7;
    for (int round = 0; round < 2000; round++) {
        char text[512];
        size_t len = 0;
        int n = (int)(rand_r(&seed) % 40);
        for (int i = 0; i < n; i++) {
            const char *p = pieces[rand_r(&seed) % (sizeof pieces / sizeof pieces[0])];
            memcpy(text + len, p, strlen(p));
            len += strlen(p);
        }
        text[len] = '\0';
        int width = 4 + (int)(rand_r(&seed) % 30), indent = (int)(rand_r(&seed) % 3);
        silk_hl_t hl = {rand_r(&seed) % (len + 1), rand_r(&seed) % (len + 2)};
        char *out = wrap(text, &hl, 1, width, indent, false, NULL);
        assert_true(valid_utf8(out, strlen(out)));
        assert_null(strchr(out, '\033'));
        for (char *line = out, *nl; (nl = strchr(line, '\n')); line = nl + 1)
            assert_true(silk_text_width(line, (size_t)(nl - line)) <= (size_t)width);
        free(out);
        int max = 1 + (int)(rand_r(&seed) % 20), cols;
        out = cut(text, max, &cols);
        assert_true(valid_utf8(out, strlen(out)));
        assert_true(cols <= max);
        assert_int_equal(silk_text_width(out, strlen(out)), (size_t)cols);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_next),
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_utf8_fix),
        cmocka_unit_test(test_wrap_plain),
        cmocka_unit_test(test_wrap_hangul_double_width),
        cmocka_unit_test(test_wrap_combining_stays),
        cmocka_unit_test(test_wrap_highlights),
        cmocka_unit_test(test_wrap_controls_neutralized),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_wrap_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
