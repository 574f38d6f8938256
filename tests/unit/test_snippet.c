/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of snippets (lib/snippet.c) without an index: the tokens of a text with their
 * byte and character offsets, the scan bound, and the window, cuts, ellipses and highlights
 * of a snippet for a hand-made matcher. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/buf.h"
#include "silk/qmatch.h"
#include "silk/snippet.h"
#include "silk/text.h"

typedef struct {
    silk_tokenizer_t *tok;
    silk_stemmer_t *stem;
    silk_snippet_text_t d;
    silk_snippet_scratch_t sc;
    silk_buf_t out;
    silk_snippet_hl_t hl;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    assert_non_null(f);
    assert_int_equal(silk_tokenizer_new(&f->tok), SILK_OK);
    assert_int_equal(silk_stemmer_new("english", &f->stem), SILK_OK);
    silk_tokenizer_set_stemmer(f->tok, f->stem);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    silk_snippet_text_clear(&f->d);
    silk_snippet_scratch_free(&f->sc);
    silk_buf_free(&f->out);
    free(f->hl.v);
    silk_tokenizer_destroy(f->tok);
    silk_stemmer_destroy(f->stem);
    free(f);
    return 0;
}

static void test_tokenize(void **state)
{
    fixture_t *f = *state;
    const char *text = "Balázs wrote: Weapons";
    assert_int_equal(silk_snippet_text_tokenize(&f->d, f->tok, text, strlen(text), 1000), SILK_OK);
    assert_int_equal(f->d.ntoks, 3);
    assert_int_equal(f->d.scan_len, strlen(text));
    assert_int_equal(f->d.scan_chars, strlen(text) - 1); /* á is two bytes */
    assert_memory_equal(f->d.toks[0].term, "balazs", 6);
    assert_int_equal(f->d.toks[0].len, 6);
    assert_int_equal(f->d.span[0].start, 0);
    assert_int_equal(f->d.span[0].end, 7);
    assert_int_equal(f->d.span[0].cend, 6);
    assert_int_equal(f->d.span[2].start, 15);
    assert_int_equal(f->d.span[2].cstart, 14);
    assert_true(f->d.toks[2].h_term == silk_qhash("weapons", 7));
    assert_true(f->d.toks[2].h_stem == silk_qhash_stem("weapon", 6));
    assert_int_equal(f->d.toks[2].pos, f->d.toks[1].pos + 1);
    assert_true(f->d.bytes > 0);

    /* The scan bound is cut back to a character start: "aé" at 2 bytes is "a". */
    assert_int_equal(silk_snippet_text_tokenize(&f->d, f->tok, "a\xc3\xa9 b", 5, 2), SILK_OK);
    assert_int_equal(f->d.scan_len, 1);
    assert_int_equal(f->d.scan_chars, 1);
    assert_int_equal(f->d.ntoks, 1);

    silk_snippet_text_clear(&f->d);
    assert_int_equal(f->d.ntoks, 0);
    assert_null(f->d.toks);
    silk_snippet_text_clear(NULL);
}

/* The snippet of `text` for a matcher of the words `w`, into f->out / f->hl. */
static const char *snippet_of(fixture_t *f, const char *text, const char *const *w, size_t nw,
                              size_t width, size_t *hl0, size_t *nhl)
{
    silk_qmatch_t *m = silk_qmatch_new();
    assert_non_null(m);
    for (size_t i = 0; i < nw; i++)
        assert_int_equal(silk_qmatch_add_term(m, silk_qmatch_new_id(m), w[i]), SILK_OK);
    silk_qmatch_finish(m);
    assert_int_equal(silk_snippet_text_tokenize(&f->d, f->tok, text, strlen(text), 65536), SILK_OK);
    size_t off = 0;
    assert_int_equal(silk_snippet_make(&f->sc, &f->d, m, width, &f->out, &off, &f->hl, hl0, nhl),
                     SILK_OK);
    silk_qmatch_destroy(m);
    return f->out.data + off;
}

static void test_short_text(void **state)
{
    fixture_t *f = *state;
    const char *w[] = {"korea"};
    size_t hl0, nhl;
    const char *s = snippet_of(f, "Iran and\nNorth Korea.", w, 1, 200, &hl0, &nhl);
    assert_string_equal(s, "Iran and North Korea."); /* the line break is a space */
    assert_int_equal(nhl, 1);
    assert_int_equal(f->hl.v[hl0], 15);
    assert_int_equal(f->hl.v[hl0 + 1], 20);
}

static void test_window(void **state)
{
    fixture_t *f = *state;
    char text[2000];
    size_t at = 0;
    for (int i = 0; i < 100; i++)
        at += (size_t)snprintf(text + at, sizeof text - at, "word%d ", i);
    at += (size_t)snprintf(text + at, sizeof text - at, "missile tests and launches ");
    for (int i = 0; i < 100; i++)
        at += (size_t)snprintf(text + at, sizeof text - at, "more%d ", i);
    const char *w[] = {"missile", "launches"};
    size_t hl0, nhl;
    const char *s = snippet_of(f, text, w, 2, 60, &hl0, &nhl);
    /* Text left out on both sides, words never cut, both matches inside. */
    assert_memory_equal(s, "\xe2\x80\xa6", 3);
    assert_string_equal(s + strlen(s) - 3, "\xe2\x80\xa6");
    assert_non_null(strstr(s, "missile tests and launches"));
    assert_int_equal(s[3] == 'w' || s[3] == 'm', 1);
    assert_int_equal(nhl, 2);
    assert_memory_equal(s + f->hl.v[hl0], "missile", 7);
    assert_int_equal(f->hl.v[hl0 + 1] - f->hl.v[hl0], 7);
    assert_memory_equal(s + f->hl.v[hl0 + 2], "launches", 8);
    /* Highlights of several snippets accumulate in one list. */
    size_t hl0b, nhlb;
    snippet_of(f, "launches", w, 2, 60, &hl0b, &nhlb);
    assert_int_equal(hl0b, hl0 + 4);
    assert_int_equal(nhlb, 1);
}

static void test_no_match(void **state)
{
    fixture_t *f = *state;
    size_t hl0, nhl;
    const char *s = snippet_of(f, "nothing here matches", NULL, 0, 200, &hl0, &nhl);
    assert_string_equal(s, "nothing here matches");
    assert_int_equal(nhl, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tokenize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_match, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
