/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Character classes and the word scanner (include/silk/charclass.h, lib/charclass.c):
 * the class of each kind of code point, the script tests, the CJK unit rules, and where
 * silk_cc_scan_word() ends a word (DESIGN.md § Text, "Words"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/charclass.h"

static void test_byte_table(void **state)
{
    (void)state;
    for (int b = 0; b < 256; b++) {
        int want = SILK_CC_SEP;
        if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))
            want = SILK_CC_LET;
        else if (b >= '0' && b <= '9')
            want = SILK_CC_DIG;
        else if (b == '\'')
            want = SILK_CC_APOS;
        else if (b == '.')
            want = SILK_CC_DOT;
        else if (b == ',')
            want = SILK_CC_COMMA;
        if (silk_cc_byte[b] != want)
            fail_msg("byte 0x%02x has class %d, want %d", b, silk_cc_byte[b], want);
        if (b < 0x80 && silk_cc_classify(b) != want)
            fail_msg("classify(0x%02x) = %d, want %d", b, silk_cc_classify(b), want);
    }
}

static void test_classify(void **state)
{
    (void)state;
    static const struct {
        int32_t cp;
        int cls;
    } cases[] = {
        {0x00E9, SILK_CC_LET},   /* é */
        {0x0411, SILK_CC_LET},   /* Cyrillic Б */
        {0x03B1, SILK_CC_LET},   /* Greek α */
        {0x0627, SILK_CC_LET},   /* Arabic alef */
        {0x0915, SILK_CC_LET},   /* Devanagari ka */
        {0x2160, SILK_CC_LET},   /* Roman numeral one: a letter number */
        {0x0663, SILK_CC_DIG},   /* Arabic-Indic three */
        {0x06F3, SILK_CC_DIG},   /* Persian three */
        {0x00BD, SILK_CC_DIG},   /* ½: other number */
        {0x0301, SILK_CC_MARK},  /* combining acute */
        {0x093F, SILK_CC_MARK},  /* Devanagari vowel sign i (spacing) */
        {0x064E, SILK_CC_MARK},  /* fatha */
        {0x200C, SILK_CC_FMT},   /* ZWNJ */
        {0x200D, SILK_CC_FMT},   /* ZWJ */
        {0x200F, SILK_CC_FMT},   /* right-to-left mark */
        {0x00AD, SILK_CC_FMT},   /* soft hyphen */
        {0x2019, SILK_CC_APOS},  /* ’ */
        {0x066B, SILK_CC_DOT},   /* Arabic decimal separator */
        {0x066C, SILK_CC_COMMA}, /* Arabic thousands separator */
        {0xD55C, SILK_CC_CJK},   /* 한 */
        {0x1100, SILK_CC_CJK},   /* Hangul choseong kiyeok */
        {0x4E2D, SILK_CC_CJK},   /* 中 */
        {0x30AB, SILK_CC_CJK},   /* カ */
        {0x3042, SILK_CC_CJK},   /* あ */
        {0x20000, SILK_CC_CJK},  /* Han extension B */
        {0x3001, SILK_CC_SEP},   /* ideographic comma: punctuation inside a CJK block */
        {0x3000, SILK_CC_SEP},   /* ideographic space */
        {0xFFFD, SILK_CC_SEP},   /* the replacement character */
        {0x1F600, SILK_CC_SEP},  /* emoji */
        {0x24B6, SILK_CC_SEP},   /* Ⓐ: a symbol */
        {0x2013, SILK_CC_SEP},   /* en dash */
        {0x00A0, SILK_CC_SEP},   /* no-break space */
        {0x060C, SILK_CC_SEP},   /* Arabic comma */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (silk_cc_classify(cases[i].cp) != cases[i].cls)
            fail_msg("U+%04X has class %d, want %d", (unsigned)cases[i].cp,
                     silk_cc_classify(cases[i].cp), cases[i].cls);
}

static void test_scripts(void **state)
{
    (void)state;
    assert_true(silk_cc_is_lgc('a') && silk_cc_is_lgc('Z'));
    assert_false(silk_cc_is_lgc('1') || silk_cc_is_lgc('@') || silk_cc_is_lgc('['));
    assert_true(silk_cc_is_lgc(0x00E9) && silk_cc_is_lgc(0x0142));  /* é ł */
    assert_true(silk_cc_is_lgc(0x03C9) && silk_cc_is_lgc(0x044F));  /* ω я */
    assert_true(silk_cc_is_lgc(0x1E9E) && silk_cc_is_lgc(0xFF21));  /* ẞ Ａ */
    assert_false(silk_cc_is_lgc(0x0627) || silk_cc_is_lgc(0x0915)); /* Arabic, Devanagari */
    assert_false(silk_cc_is_lgc(0xD55C) || silk_cc_is_lgc(0x4E2D));

    assert_true(silk_cc_is_cjk(0xAC00) && silk_cc_is_cjk(0xD7A3)); /* Hangul syllables */
    assert_true(silk_cc_is_cjk(0x3131));                           /* compatibility jamo */
    assert_true(silk_cc_is_cjk(0xFF76));                           /* halfwidth ｶ */
    assert_false(silk_cc_is_cjk('a') || silk_cc_is_cjk(0x0627) || silk_cc_is_cjk(0x0E01));

    assert_true(silk_cc_letter_cat(silk_cc_category('a')));
    assert_true(silk_cc_letter_cat(silk_cc_category(0x2160))); /* Nl */
    assert_false(silk_cc_letter_cat(silk_cc_category('1')));
    assert_true(silk_cc_mark_cat(silk_cc_category(0x0301)));  /* Mn */
    assert_true(silk_cc_mark_cat(silk_cc_category(0x093F)));  /* Mc */
    assert_true(silk_cc_mark_cat(silk_cc_category(0x20DD)));  /* Me */
    assert_false(silk_cc_mark_cat(silk_cc_category(0x200C))); /* Cf */
}

static void test_at(void **state)
{
    (void)state;
    const char s[] = "a\xc3\xa9\xff\xe1\x80";
    size_t n = sizeof s - 1, len;
    int32_t cp;
    assert_int_equal(silk_cc_at(s, n, 0, &len, &cp), SILK_CC_LET);
    assert_int_equal(len, 1);
    assert_int_equal(cp, 'a');
    assert_int_equal(silk_cc_at(s, n, 1, &len, &cp), SILK_CC_LET);
    assert_int_equal(len, 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(silk_cc_at(s, n, 3, &len, &cp), SILK_CC_SEP); /* invalid byte */
    assert_int_equal(len, 1);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(silk_cc_at(s, n, 4, &len, NULL), SILK_CC_SEP); /* truncated at end */
    assert_int_equal(len, 2);
    assert_int_equal(silk_cc_at(s, n, n, &len, &cp), SILK_CC_SEP); /* past the end */
    assert_int_equal(len, 0);
    assert_int_equal(cp, -1);
}

typedef struct {
    const char *in; /* the text; the word starts at byte 0 */
    size_t end;     /* where the word ends */
    bool ascii;     /* whether it took in only ASCII */
} scase_t;

static const scase_t scases[] = {
    {"iran", 4, true},
    {"Iran and", 4, true},
    {"Bush's house", 6, true},             /* ' between letters joins */
    {"Bush\xe2\x80\x99s house", 8, false}, /* so does ’ */
    {"Bush' house", 4, true},              /* not before a space */
    {"1990's", 6, true},                   /* after a digit, before a letter */
    {"12'3", 2, true},                     /* not before a digit */
    {"U.S. army", 3, true},                /* acronym dots join single letters */
    {"U.S.A.", 5, true},
    {"U.Sx.", 1, true},    /* the letter after the dot must stand alone */
    {"Mr.Smith", 2, true}, /* not an acronym: Mr is two letters */
    {"e.g.", 3, true},
    {"1,600 men", 5, true}, /* , and . between digits */
    {"3.5%", 3, true},
    {"1.", 1, true},
    {"a,b", 1, true},        /* , never joins letters */
    {"Hwasong-14", 7, true}, /* - splits */
    {"abc한국", 3, true},    /* CJK ends the word, not its ASCII-ness */
    {"Bal\xc3\xa1zs", 7, false},
    {"Bala\xcc\x81zs", 8, false},     /* a combining mark is part of the word */
    {"abc\xcc\x81", 5, false},        /* ... also at the end */
    {"می\xe2\x80\x8cشود", 13, false}, /* ZWNJ inside a word is skipped over */
    {"ab\xe2\x80\x8c", 2, false},     /* ... but not the end of it */
    {"می شود", 11, false},            /* a Persian verbal prefix joins across a space */
    {"نمی شود", 13, false},
    {"مي\xc2\xa0شود", 12, false}, /* Arabic yeh, no-break space */
    {"می شود می", 11, false},     /* only once: the word is no longer the prefix */
    {"ومی شود", 6, false},        /* not a prefix: part of a longer word */
    {"می  شود", 4, false},        /* one space only */
    {"می 5", 4, false},           /* an Arabic-script letter must follow */
    {"می x", 4, false},
    {"ab\xff"
     "cd",
     2, true},                   /* an invalid byte separates */
    {"x\xe2\x80\x93y", 1, true}, /* en dash */
    {"٣٫٥ تا", 6, false},        /* Arabic decimal separator between digits */
};

static void test_scan_word(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof scases / sizeof *scases; i++) {
        const scase_t *c = &scases[i];
        size_t n = strlen(c->in);
        bool ascii = !c->ascii;
        size_t end = silk_cc_scan_word(c->in, n, 0, &ascii);
        if (end != c->end || ascii != c->ascii)
            fail_msg("\"%s\": ends at %zu (ascii %d), want %zu (ascii %d)", c->in, end, ascii,
                     c->end, c->ascii);
        /* Scanning the word by itself finds the same word (silk_normalize relies on it). */
        assert_int_equal(silk_cc_scan_word(c->in, end, 0, NULL), end);
    }
    /* A word inside a longer text, from its first byte. */
    const char *s = "the U.S. and";
    assert_int_equal(silk_cc_scan_word(s, strlen(s), 4, NULL), 7);
}

static void test_cjk_units(void **state)
{
    (void)state;
    assert_true(silk_cc_cjk_plain(0xD55C));  /* 한 */
    assert_true(silk_cc_cjk_plain(0x4E2D));  /* 中 */
    assert_true(silk_cc_cjk_plain(0x30AB));  /* カ */
    assert_false(silk_cc_cjk_plain(0x1100)); /* a conjoining jamo composes */
    assert_false(silk_cc_cjk_plain(0xFF76)); /* halfwidth Katakana maps to fullwidth */
    assert_false(silk_cc_cjk_plain(0xF900)); /* compatibility ideographs map to others */

    /* Vowel and final jamo attach to an initial jamo or a syllable, not to Han. */
    assert_true(silk_cc_cjk_attaches(0x1161, SILK_CC_CJK, 0x1100));
    assert_true(silk_cc_cjk_attaches(0x11AB, SILK_CC_CJK, 0xD558));
    assert_true(silk_cc_cjk_attaches(0xD7B0, SILK_CC_CJK, 0xA960));
    assert_false(silk_cc_cjk_attaches(0x1161, SILK_CC_CJK, 0x4E2D));
    assert_false(silk_cc_cjk_attaches(0x1100, SILK_CC_CJK, 0xD55C)); /* an initial starts one */
    /* Marks always attach; half-width sound marks attach. */
    assert_true(silk_cc_cjk_attaches(0x3099, SILK_CC_MARK, 0x304B));
    assert_true(silk_cc_cjk_attaches(0xFF9E, SILK_CC_LET, 0xFF76));
    assert_false(silk_cc_cjk_attaches(0xD55C, SILK_CC_CJK, 0xD55C));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_byte_table), cmocka_unit_test(test_classify),
        cmocka_unit_test(test_scripts),    cmocka_unit_test(test_at),
        cmocka_unit_test(test_scan_word),  cmocka_unit_test(test_cjk_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
