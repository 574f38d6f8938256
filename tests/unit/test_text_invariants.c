/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text pipeline (lib/text.c): invariants every run must keep, over the corpus article
 * and over random bytes (offsets, positions, terms, normalizing a span gives its term). */
#include "text_fixture.h"

static bool *inside_map(const uint8_t *s, size_t n)
{
    bool *in = calloc(n + 1, 1);
    assert_non_null(in);
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0) {
            i++;
            continue;
        }
        for (utf8proc_ssize_t k = 1; k < l; k++)
            in[i + (size_t)k] = true;
        i += (size_t)l;
    }
    return in;
}

static bool valid_utf8(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (l <= 0 || cp == 0xFFFD)
            return false;
        i += (size_t)l;
    }
    return true;
}

/* Checks every invariant of DESIGN.md § Text over one input; returns the token count. */
static size_t check_invariants(silk_tokenizer_t *tok, silk_tokenizer_t *norm, const char *text,
                               size_t n, uint32_t first)
{
    toks_t ts = {0};
    uint32_t next = 0;
    assert_int_equal(silk_tokenize(tok, text, n, first, collect, &ts, &next), SILK_OK);
    assert_int_equal(next, first + ts.n);
    bool *in = inside_map((const uint8_t *)text, n);
    size_t prev_start = 0, prev_word_end = 0;
    for (size_t i = 0; i < ts.n; i++) {
        const tok_t *t = &ts.v[i];
        assert_int_equal(t->pos, first + i);
        assert_true(t->start < t->end && t->end <= n);
        assert_false(in[t->start]);
        assert_false(in[t->end]);
        assert_true(t->start >= prev_start);
        assert_true(t->word_start <= t->start && t->start < t->word_end && t->word_end <= n);
        if (t->kind != SILK_TOK_CJK)
            assert_true(t->word_start == t->start && t->word_end == t->end);
        assert_true(strlen(t->term) > 0);
        assert_true(valid_utf8((const uint8_t *)t->term, strlen(t->term)));
        assert_true(valid_utf8((const uint8_t *)text + t->start, t->end - t->start));
        const char *out = NULL;
        size_t olen = 0;
        assert_int_equal(silk_normalize(norm, text + t->start, t->end - t->start, &out, &olen),
                         SILK_OK);
        if (t->kind != SILK_TOK_CJK) {
            /* Words never overlap; normalizing the span gives the term back. */
            assert_true(t->start >= prev_word_end);
            prev_word_end = t->end;
            if (strcmp(out, t->term) != 0) {
                print_message("span [%zu,%zu) normalizes to '%s', term '%s'\n", t->start, t->end,
                              out, t->term);
                fail();
            }
        } else {
            /* A bigram's term is its span normalized (cut only by a flood of marks). */
            assert_true(olen >= strlen(t->term));
            assert_memory_equal(out, t->term, strlen(t->term));
        }
        prev_start = t->start;
    }
    free(in);
    free(ts.v);
    return ts.n;
}

static void test_corpus_invariants(void **state)
{
    (void)state;
    silk_tokenizer_t *tok = NULL, *norm = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    assert_int_equal(silk_tokenizer_new(&norm), SILK_OK);
    size_t len = 0;
    char *text = read_corpus(&len);
    assert_true(len > 10000);
    size_t n = check_invariants(tok, norm, text, len, 0);
    assert_true(n > 1500);
    /* Line by line too, with positions carried on. */
    uint32_t pos = 0;
    for (char *p = text, *e; p < text + len; p = e + 1) {
        e = memchr(p, '\n', (size_t)(text + len - p));
        if (!e)
            e = text + len;
        pos += (uint32_t)check_invariants(tok, norm, p, (size_t)(e - p), pos);
    }
    assert_int_equal(pos, n);
    free(text);
    silk_tokenizer_destroy(tok);
    silk_tokenizer_destroy(norm);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Random inputs built from the pieces that matter: letters of several scripts, joiners,
 * marks, format characters, digits, and broken or raw bytes. */
static void test_random_invariants(void **state)
{
    (void)state;
    static const char *pieces[] = {
        "a",
        "Z",
        "é",
        "e\xcc\x81",
        "\xcc\x81",
        "\xcc\xa3",
        "'",
        "’",
        ".",
        ",",
        "-",
        "–",
        " ",
        "1",
        "9",
        "۱",
        "٣",
        "U.S.",
        "ـ",
        "\xd9\x8e",
        "ي",
        "ك",
        "ة",
        "أ",
        "ی",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\u00ad",
        "한",
        "\u1112",
        "\u1161",
        "\u11ab",
        "ㄱ",
        "日",
        "ｶ",
        "ﾞ",
        "\u3099",
        "か",
        "\0",
        "\x80",
        "\xc0",
        "\xe2\x82",
        "\xed\xa0\x80",
        "\xf4\x90\x80\x80",
        "\xff",
        "😀",
        "ﷺ",
        "½",
        "①",
        "ß",
        "ø",
        "Æ",
        "ŀ",
        "می",
        "نمی",
        "م",
        "\u00a0",
        "İ",
        "Σ",
        "ﬁ",
        "ǅ",
        "\u0b95",
        "\u0bc6",
        "\u0bbe",
        "\u0915",
        "\u093f",
        "\u094d",
        "x",
        "\n",
        "Ⅻ",
        "²",
        "٬",
        "٫",
        "۱",
    };
    silk_tokenizer_t *tok = NULL, *norm = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    assert_int_equal(silk_tokenizer_new(&norm), SILK_OK);
    char buf[4096];
    for (int iter = 0; iter < 4000; iter++) {
        size_t n = 0, want = rnd() % 300;
        int mode = (int)(rnd() % 4);
        while (n < want) {
            if (mode == 0) {
                buf[n++] = (char)(rnd() & 0xff); /* raw bytes */
            } else {
                const char *p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];
                size_t l = p[0] ? strlen(p) : 1;
                /* Long words sometimes: repeat a letter. */
                size_t rep = (mode == 3 && rnd() % 8 == 0) ? 20 + rnd() % 60 : 1;
                for (size_t r = 0; r < rep && n + l < sizeof buf; r++) {
                    memcpy(buf + n, p, l);
                    n += l;
                }
                if (n + 8 >= sizeof buf)
                    break;
            }
        }
        check_invariants(tok, norm, buf, n, (uint32_t)(rnd() % 1000));
    }
    silk_tokenizer_destroy(tok);
    silk_tokenizer_destroy(norm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_invariants),
        cmocka_unit_test(test_random_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
