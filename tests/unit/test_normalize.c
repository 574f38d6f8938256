/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The normalization of a word (include/silk/normalize.h, lib/normalize.c) against
 * DESIGN.md § Text: NFKC + case fold, accents stripped in Latin/Greek/Cyrillic only,
 * format characters and acronym dots dropped, jamo recomposed, the Arabic-script folds,
 * canonical order of marks (also for long runs), and buffers that grow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/buf.h"
#include "silk/normalize.h"
#include "silk/utf8.h"

typedef struct {
    const char *in;   /* what is normalized */
    const char *want; /* its normal form */
} ncase_t;

/* Spans that are one word each: silk_norm_word() and silk_norm_text() agree on them. */
static const ncase_t words[] = {
    {"Iran", "iran"},
    {"IRAN", "iran"},
    {"ＩＲＡＮ", "iran"},         /* fullwidth: NFKC */
    {"Balázs", "balazs"},         /* precomposed accent stripped */
    {"Bala\xcc\x81zs", "balazs"}, /* combining accent stripped */
    {"Pyŏngyang", "pyongyang"},
    {"Straße", "strasse"}, /* case fold */
    {"ﬁnance", "finance"}, /* ligature: NFKC */
    {"Ἀθῆναι", "αθηναι"},  /* Greek accents */
    {"Йошкар", "иошкар"},  /* Cyrillic breve */
    {"हिंदी", "हिंदी"},      /* Indic vowel signs are spelling: kept */
    {"U.S", "us"},         /* acronym dots dropped */
    {"Bush's", "bush's"},
    {"Bush\xe2\x80\x99s", "bush's"}, /* ’ is ' */
    {"1,600", "1,600"},              /* number separators kept */
    {"می\xe2\x80\x8cشود", "میشود"},  /* ZWNJ dropped: one term */
    {"می شود", "میشود"},             /* a verbal prefix joins across a space */
    {"نمی شود", "نمیشود"},
    {"مي شود", "میشود"},
    {"Søren", "soren"}, /* Latin letters that do not decompose: Latin-ASCII */
    {"ØRSTED", "orsted"},
    {"Łódź", "lodz"},
    {"encyclopædia", "encyclopaedia"},
    {"Þingvellir", "thingvellir"},
    {"Đorđe", "dorde"},
    {"Œuvre", "oeuvre"},
    {"Iıstanbul", "iistanbul"},
    {"ŀŉĸŋŧ", "lnqnt"},
    {"Ǿǣ", "oae"}, /* decomposes to ø + acute, æ + macron: folded too */
    {"ab\xc2\xad"
     "cd",
     "abcd"},           /* soft hyphen dropped */
    {"كتاب", "کتاب"},   /* Arabic kaf → keheh */
    {"علي", "علی"},     /* Arabic yeh → Farsi yeh */
    {"موسى", "موسی"},   /* alef maksura → Farsi yeh */
    {"مدرسة", "مدرسه"}, /* teh marbuta → heh */
    {"أحمد", "احمد"},   /* alef with hamza above → alef */
    {"إيران", "ایران"}, /* hamza below */
    {"آب", "اب"},       /* madda */
    {"ا\xd9\x94", "ا"}, /* alef + combining hamza composes, then folds */
    {"كـتـاب", "کتاب"}, /* tatweel removed */
    {"كِتَاب", "کتاب"},   /* harakat removed */
    {"۱۳۵۷", "1357"},   /* Persian digits */
    {"١٢٣", "123"},     /* Arabic-Indic digits */
    {"٣٫٥", "3.5"},     /* Arabic decimal separator */
    {"١٬٦٠٠", "1,600"}, /* Arabic thousands separator */
    {"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", "한"}, /* conjoining jamo recomposed */
    {"한국", "한국"},
    {"ｶﾞ", "ガ"}, /* halfwidth Katakana + sound mark */
    {"½", "1⁄2"}, /* compatibility mapping */
};

/* Any text: spaces and punctuation stay, words inside are found as the tokenizer does. */
static const ncase_t texts[] = {
    {"", ""},
    {"Hello, World!", "hello, world!"},
    {"the U.S. army", "the us. army"}, /* the dot after the acronym is not inside it */
    {"Kim Jong-un", "kim jong-un"},
    {"او نمی داند", "او نمیداند"}, /* the prefix joins, other spaces stay */
    {"می 5 و می", "می 5 و می"},
    {"Ħaż-Żebbuġ", "haz-zebbug"},
    {"3.5 km", "3.5 km"},
    {"Mr.Smith", "mr.smith"}, /* not an acronym: nothing dropped */
    {"a\xff"
     "b",
     "a\xef\xbf\xbd"
     "b"},         /* an invalid byte becomes U+FFFD */
    {"x\0y", "x"}, /* NUL is a character: compared with its length */
};

static void check(silk_norm_t *nm, bool word, const char *in, size_t n, const char *want,
                  size_t want_len)
{
    char *out = NULL;
    size_t len = 0;
    silk_status_t rc =
        word ? silk_norm_word(nm, in, n, &out, &len) : silk_norm_text(nm, in, n, &out, &len);
    assert_int_equal(rc, SILK_OK);
    assert_non_null(out);
    if (len != want_len || memcmp(out, want, len) != 0)
        fail_msg("%s \"%s\" gives \"%.*s\", want \"%s\"", word ? "word" : "text", in, (int)len, out,
                 want);
    assert_int_equal(out[len], '\0');
    assert_int_equal(silk_utf8_valid_prefix(out, len), len);

    /* A normal form is its own normal form. */
    char again[1024];
    assert_true(len < sizeof again);
    memcpy(again, out, len);
    assert_int_equal(silk_norm_text(nm, again, len, &out, &len), SILK_OK);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, len);
}

static void test_words(void **state)
{
    silk_norm_t *nm = *state;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i].in), wl = strlen(words[i].want);
        check(nm, true, words[i].in, n, words[i].want, wl);
        check(nm, false, words[i].in, n, words[i].want, wl);
    }
}

static void test_texts(void **state)
{
    silk_norm_t *nm = *state;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        check(nm, false, texts[i].in, strlen(texts[i].in), texts[i].want, strlen(texts[i].want));
    check(nm, false, "x\0Y", 3, "x\0y", 3);
    check(nm, false, "A\xe2\x80\x8f", 4, "a", 1); /* a bidi mark is dropped */
}

/* Combining marks are put in canonical order (by combining class) before anything else, so
 * both orders of two marks on a base that keeps them are one term. Hebrew alef keeps its
 * points: qamats (class 18) and hiriq (class 14). */
static void test_canonical_order(void **state)
{
    silk_norm_t *nm = *state;
    const char *want = "\xd7\x90\xd6\xb4\xd6\xb8"; /* alef, hiriq, qamats */
    check(nm, true, "\xd7\x90\xd6\xb8\xd6\xb4", 6, want, 6);
    check(nm, true, want, 6, want, 6);

    /* A run longer than the insertion sort takes (hostile input): the same order, stable. */
    silk_buf_t in = SILK_BUF_INIT, exp = SILK_BUF_INIT;
    assert_int_equal(silk_buf_add(&in, "\xd7\x90", 2), SILK_OK);
    assert_int_equal(silk_buf_add(&exp, "\xd7\x90", 2), SILK_OK);
    for (int i = 0; i < 50; i++)
        assert_int_equal(silk_buf_add(&in, "\xd6\xb8\xd6\xb4", 4), SILK_OK);
    for (int i = 0; i < 50; i++)
        assert_int_equal(silk_buf_add(&exp, "\xd6\xb4", 2), SILK_OK);
    for (int i = 0; i < 50; i++)
        assert_int_equal(silk_buf_add(&exp, "\xd6\xb8", 2), SILK_OK);
    char *out;
    size_t len;
    assert_int_equal(silk_norm_word(nm, in.data, in.len, &out, &len), SILK_OK);
    assert_int_equal(len, exp.len);
    assert_memory_equal(out, exp.data, len);
    silk_buf_free(&in);
    silk_buf_free(&exp);
}

static void test_arabic_fold(void **state)
{
    (void)state;
    assert_int_equal(silk_norm_arabic_fold(0x0640), -1); /* tatweel */
    for (int32_t cp = 0x064B; cp <= 0x0652; cp++)
        assert_int_equal(silk_norm_arabic_fold(cp), -1); /* harakat */
    assert_int_equal(silk_norm_arabic_fold(0x064A), 0x06CC);
    assert_int_equal(silk_norm_arabic_fold(0x0649), 0x06CC);
    assert_int_equal(silk_norm_arabic_fold(0x0643), 0x06A9);
    assert_int_equal(silk_norm_arabic_fold(0x0629), 0x0647);
    assert_int_equal(silk_norm_arabic_fold(0x0622), 0x0627);
    assert_int_equal(silk_norm_arabic_fold(0x0623), 0x0627);
    assert_int_equal(silk_norm_arabic_fold(0x0625), 0x0627);
    for (int32_t d = 0; d < 10; d++) {
        assert_int_equal(silk_norm_arabic_fold(0x0660 + d), '0' + d);
        assert_int_equal(silk_norm_arabic_fold(0x06F0 + d), '0' + d);
    }
    assert_int_equal(silk_norm_arabic_fold(0x066B), '.');
    assert_int_equal(silk_norm_arabic_fold(0x066C), ',');
    /* Everything else is itself: the targets, hamza on waw/yeh, Latin, CJK. */
    static const int32_t same[] = {0x0627, 0x06CC, 0x06A9, 0x0647, 0x0624, 0x0626,    0x0653,
                                   0x0621, 'a',    0xE9,   0xD55C, 0x06FA, 0x0621 - 1};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        assert_int_equal(silk_norm_arabic_fold(same[i]), same[i]);
}

/* A long span grows the buffers; the output is right and the normalizer stays usable. */
static void test_growth(void **state)
{
    silk_norm_t *nm = *state;
    size_t count = 100000;
    silk_buf_t in = SILK_BUF_INIT;
    for (size_t i = 0; i < count; i++)
        assert_int_equal(silk_buf_add(&in, "\xc3\x89", 2), SILK_OK); /* É */
    char *out;
    size_t len;
    assert_int_equal(silk_norm_word(nm, in.data, in.len, &out, &len), SILK_OK);
    assert_int_equal(len, count);
    for (size_t i = 0; i < count; i++)
        if (out[i] != 'e')
            fail_msg("byte %zu is 0x%02x", i, (unsigned char)out[i]);
    /* The output may be cut in place; the next call starts afresh. */
    out[3] = '\0';
    assert_int_equal(silk_norm_word(nm, "Ab", 2, &out, &len), SILK_OK);
    assert_int_equal(len, 2);
    assert_string_equal(out, "ab");
    silk_buf_free(&in);
}

static void test_lifecycle(void **state)
{
    (void)state;
    assert_int_equal(silk_norm_new(NULL), SILK_ERR_INVALID);
    silk_norm_destroy(NULL);
    silk_norm_t *a, *b;
    assert_int_equal(silk_norm_new(&a), SILK_OK);
    assert_int_equal(silk_norm_new(&b), SILK_OK);
    char *oa, *ob;
    size_t la, lb;
    /* Two normalizers have their own buffers. */
    assert_int_equal(silk_norm_word(a, "Iran", 4, &oa, &la), SILK_OK);
    assert_int_equal(silk_norm_word(b, "Korea", 5, &ob, &lb), SILK_OK);
    assert_string_equal(oa, "iran");
    assert_string_equal(ob, "korea");
    silk_norm_destroy(a);
    silk_norm_destroy(b);
}

static int setup(void **state)
{
    silk_norm_t *nm;
    if (silk_norm_new(&nm) != SILK_OK)
        return -1;
    *state = nm;
    return 0;
}

static int teardown(void **state)
{
    silk_norm_destroy(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_texts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_canonical_order, setup, teardown),
        cmocka_unit_test(test_arabic_fold),
        cmocka_unit_test_setup_teardown(test_growth, setup, teardown),
        cmocka_unit_test(test_lifecycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
