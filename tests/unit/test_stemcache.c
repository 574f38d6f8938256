/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The stem cache (include/silk/stemcache.h, lib/stemcache.c): it answers repeated words
 * from its slots, gives exactly the stemmer's stems with or without it, forgets on clear,
 * never caches what does not fit, and passes the stemmer's errors on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/stemcache.h"

typedef struct {
    silk_stemmer_t *st;   /* the English stemmer */
    silk_stem_cache_t *c; /* the cache under test */
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f || silk_stemmer_new("english", &f->st) != SILK_OK ||
        silk_stem_cache_new(&f->c) != SILK_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    silk_stem_cache_destroy(f->c);
    silk_stemmer_destroy(f->st);
    free(f);
    return 0;
}

/* Stems word through c (may be NULL); returns where the stem lives. */
static const char *stem(fixture_t *f, silk_stem_cache_t *c, const char *word, char *buf, size_t cap,
                        const char *want)
{
    const char *s = NULL;
    size_t len = 999;
    assert_int_equal(silk_stem_cache_stem(c, f->st, word, strlen(word), buf, cap, &s, &len),
                     SILK_OK);
    assert_non_null(s);
    assert_int_equal(len, strlen(want));
    assert_string_equal(s, want);
    return s;
}

static void test_hits(void **state)
{
    fixture_t *f = *state;
    char buf[256];
    /* The first lookup stems into buf; the second is answered from the cache. */
    assert_ptr_equal(stem(f, f->c, "relations", buf, sizeof buf, "relat"), buf);
    const char *cached = stem(f, f->c, "relations", buf, sizeof buf, "relat");
    assert_ptr_not_equal(cached, buf);
    memset(buf, 'x', sizeof buf); /* the cached stem does not depend on buf */
    assert_ptr_equal(stem(f, f->c, "relations", buf, sizeof buf, "relat"), cached);

    /* Clearing forgets. */
    silk_stem_cache_clear(f->c);
    assert_ptr_equal(stem(f, f->c, "relations", buf, sizeof buf, "relat"), buf);
    silk_stem_cache_clear(NULL);
}

static void test_same_stems(void **state)
{
    fixture_t *f = *state;
    static const char *const words[] = {
        "nuclear",  "weapons",   "relations", "missiles", "korea",   "iran",   "running",
        "bush's",   "agreed",    "agreement", "relation", "related", "nation", "nations",
        "national", "sanctions", "a",         "is",       "the",     "was",    "cooperation",
    };
    char b1[256], b2[256];
    /* Many rounds, so that slots are shared and replaced, in a shuffled order. */
    uint64_t x = 88172645463325252ull;
    for (int round = 0; round < 5000; round++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const char *w = words[x % (sizeof words / sizeof *words)];
        const char *s1, *s2;
        size_t l1, l2;
        assert_int_equal(silk_stem_cache_stem(f->c, f->st, w, strlen(w), b1, sizeof b1, &s1, &l1),
                         SILK_OK);
        assert_int_equal(silk_stem_cache_stem(NULL, f->st, w, strlen(w), b2, sizeof b2, &s2, &l2),
                         SILK_OK);
        assert_ptr_equal(s2, b2); /* without a cache: always the stemmer */
        assert_int_equal(l1, l2);
        assert_memory_equal(s1, s2, l1);
        assert_int_equal(s1[l1], '\0');
    }
}

static void test_long_words(void **state)
{
    fixture_t *f = *state;
    char word[SILK_STEM_CACHE_WORD_MAX + 2], buf[512];
    memset(word, 'a', sizeof word - 1);
    word[sizeof word - 1] = '\0'; /* one byte too long to be cached */
    const char *s;
    size_t len;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(
            silk_stem_cache_stem(f->c, f->st, word, strlen(word), buf, sizeof buf, &s, &len),
            SILK_OK);
        assert_ptr_equal(s, buf);
    }
    /* Exactly the longest cacheable word is cached. */
    word[SILK_STEM_CACHE_WORD_MAX] = '\0';
    assert_int_equal(
        silk_stem_cache_stem(f->c, f->st, word, strlen(word), buf, sizeof buf, &s, &len), SILK_OK);
    assert_int_equal(
        silk_stem_cache_stem(f->c, f->st, word, strlen(word), buf, sizeof buf, &s, &len), SILK_OK);
    assert_ptr_not_equal(s, buf);
    assert_int_equal(len, SILK_STEM_CACHE_WORD_MAX);
}

static void test_errors(void **state)
{
    fixture_t *f = *state;
    char buf[4];
    const char *s = NULL;
    size_t len;
    /* The stemmer's own error comes back, and nothing is cached. */
    assert_int_equal(
        silk_stem_cache_stem(f->c, f->st, "international", 13, buf, sizeof buf, &s, &len),
        SILK_ERR_TOO_LARGE);
    char big[256];
    assert_int_equal(
        silk_stem_cache_stem(f->c, f->st, "international", 13, big, sizeof big, &s, &len), SILK_OK);
    assert_ptr_equal(s, big);
    assert_int_equal(silk_stem_cache_new(NULL), SILK_ERR_INVALID);
    silk_stem_cache_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_stems, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
