/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the highlight matcher (lib/qmatch.c) through its own API, without the
 * builder: terms, stems, prefixes and phrases; the longest match wins; the indexed and the
 * scanning paths answer alike; the hashes are those of hash.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "silk/hash.h"
#include "silk/qmatch.h"

/* A document token of term t (stem may be NULL) at position p. */
static silk_qtok_t tok(const char *t, const char *stem, uint32_t p)
{
    silk_qtok_t q = {.h_term = silk_qhash(t, strlen(t)),
                     .h_stem = stem != NULL ? silk_qhash_stem(stem, strlen(stem)) : 0,
                     .term = t,
                     .len = (uint32_t)strlen(t),
                     .pos = p};
    return q;
}

static void test_hashes(void **state)
{
    (void)state;
    assert_true(silk_qhash("iran", 4) == silk_hash("iran", 4));
    assert_true(silk_qhash_stem("weapon", 6) == silk_qhash("Zweapon", 7));
    assert_true(silk_qhash("", 0) == SILK_FNV_OFFSET);
}

static void test_empty(void **state)
{
    (void)state;
    silk_qmatch_t *m = silk_qmatch_new();
    assert_non_null(m);
    silk_qtok_t toks[] = {tok("iran", NULL, 1)};
    size_t nt = 9;
    assert_int_equal(silk_qmatch_ids(m), 0);
    assert_int_equal(silk_qmatch_at(m, toks, 1, 0, &nt), -1);
    assert_int_equal(nt, 0);
    silk_qmatch_finish(m);
    assert_int_equal(silk_qmatch_at(m, toks, 1, 0, &nt), -1);
    silk_qmatch_destroy(m);
    silk_qmatch_destroy(NULL);
}

/* A matcher of: iran (term), weapon (stem), nucl* (prefix), "axis of evil" (phrase), and
 * "axis" (a term of the same id as the phrase). */
static silk_qmatch_t *sample(void)
{
    silk_qmatch_t *m = silk_qmatch_new();
    assert_non_null(m);
    int a = silk_qmatch_new_id(m), b = silk_qmatch_new_id(m), c = silk_qmatch_new_id(m),
        d = silk_qmatch_new_id(m);
    assert_int_equal(a, 0);
    assert_int_equal(d, 3);
    char *phrase[] = {"axis", "of", "evil"};
    assert_int_equal(silk_qmatch_add_term(m, a, "iran"), SILK_OK);
    assert_int_equal(silk_qmatch_add_stem(m, b, "weapon"), SILK_OK);
    assert_int_equal(silk_qmatch_add_prefix(m, c, "nucl"), SILK_OK);
    assert_int_equal(silk_qmatch_add_term(m, d, "axis"), SILK_OK);
    assert_int_equal(silk_qmatch_add_phrase(m, d, phrase, 3), SILK_OK);
    return m;
}

static void check_sample(const silk_qmatch_t *m)
{
    silk_qtok_t toks[] = {
        tok("iran", "iran", 1),        tok("weapons", "weapon", 2), tok("nuclear", "nuclear", 3),
        tok("axis", "axi", 4),         tok("of", "of", 5),          tok("evil", "evil", 6),
        tok("axis", "axi", 7),         tok("of", "of", 8),          tok("evil", "evil", 10),
        tok("iranian", "iranian", 11), tok("nu", NULL, 12),
    };
    size_t n = sizeof toks / sizeof toks[0], nt = 0;
    assert_int_equal(silk_qmatch_ids(m), 4);
    assert_int_equal(silk_qmatch_at(m, toks, n, 0, &nt), 0);
    assert_int_equal(nt, 1);
    assert_int_equal(silk_qmatch_at(m, toks, n, 1, &nt), 1); /* by its stem */
    assert_int_equal(nt, 1);
    assert_int_equal(silk_qmatch_at(m, toks, n, 2, &nt), 2); /* by the prefix */
    assert_int_equal(nt, 1);
    assert_int_equal(silk_qmatch_at(m, toks, n, 3, &nt), 3); /* the phrase beats the term */
    assert_int_equal(nt, 3);
    assert_int_equal(silk_qmatch_at(m, toks, n, 6, &nt), 3); /* a gap: only the term */
    assert_int_equal(nt, 1);
    assert_int_equal(silk_qmatch_at(m, toks, n, 9, &nt), -1);  /* a term is whole */
    assert_int_equal(silk_qmatch_at(m, toks, n, 10, &nt), -1); /* shorter than the prefix */
    /* A phrase that would run past the last token does not match. */
    assert_int_equal(silk_qmatch_at(m, toks, 5, 3, &nt), 3);
    assert_int_equal(nt, 1);
}

/* Unfinished, the matcher scans its entries; finished, it probes its hash index: the
 * answers are the same. */
static void test_scan_and_index(void **state)
{
    (void)state;
    silk_qmatch_t *m = sample();
    check_sample(m);
    silk_qmatch_finish(m);
    check_sample(m);
    silk_qmatch_destroy(m);
}

/* Many words: the index holds them all (probing past collisions). */
static void test_many(void **state)
{
    (void)state;
    silk_qmatch_t *m = silk_qmatch_new();
    char words[300][16];
    silk_qtok_t toks[300];
    for (int i = 0; i < 300; i++) {
        snprintf(words[i], sizeof words[i], "w%d", i);
        assert_int_equal(silk_qmatch_add_term(m, silk_qmatch_new_id(m), words[i]), SILK_OK);
    }
    silk_qmatch_finish(m);
    for (int i = 0; i < 300; i++)
        toks[i] = tok(words[i], NULL, (uint32_t)i + 1);
    for (int i = 0; i < 300; i++) {
        size_t nt = 0;
        assert_int_equal(silk_qmatch_at(m, toks, 300, (size_t)i, &nt), i);
        assert_int_equal(nt, 1);
    }
    silk_qmatch_destroy(m);
}

/* The bigrams of 대통령이 (a query word searched as an OR of its pieces) against the
 * document words 대통령은 (two pieces side by side: both match), 발표했다 (a lone 했다 inside
 * an unrelated word: no match, for 침몰했다's pieces) and 침몰 (a whole word that is one
 * piece: a match). Real words of tests/data/lang/corpus/korean.txt. */
static void test_pieces(void **state)
{
    (void)state;
    for (int indexed = 0; indexed < 2; indexed++) {
        silk_qmatch_t *m = silk_qmatch_new();
        int a = silk_qmatch_new_id(m), b = silk_qmatch_new_id(m);
        const char *p1[] = {"대통", "통령", "령이"}, *p2[] = {"침몰", "몰했", "했다"};
        for (int i = 0; i < 3; i++) {
            assert_int_equal(silk_qmatch_add_piece(m, a, p1[i]), SILK_OK);
            assert_int_equal(silk_qmatch_add_piece(m, b, p2[i]), SILK_OK);
        }
        if (indexed)
            silk_qmatch_finish(m);
        /* 대통령은 발표했다 침몰 */
        silk_qtok_t t[] = {tok("대통", NULL, 1), tok("통령", NULL, 2), tok("령은", NULL, 3),
                           tok("발표", NULL, 4), tok("표했", NULL, 5), tok("했다", NULL, 6),
                           tok("침몰", NULL, 7)};
        size_t n = sizeof t / sizeof t[0], k = 0;
        assert_int_equal(silk_qmatch_at(m, t, n, 0, &k), a);
        assert_int_equal(k, 1);
        assert_int_equal(silk_qmatch_at(m, t, n, 1, &k), a);
        assert_int_equal(silk_qmatch_at(m, t, n, 2, &k), -1);
        assert_int_equal(silk_qmatch_at(m, t, n, 5, &k), -1); /* 했다 of 발표했다 */
        assert_int_equal(silk_qmatch_at(m, t, n, 6, &k), b);  /* 침몰 alone */
        silk_qmatch_destroy(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashes),         cmocka_unit_test(test_empty),
        cmocka_unit_test(test_scan_and_index), cmocka_unit_test(test_many),
        cmocka_unit_test(test_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
