/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Tests of the ranking parameters (lib/rank.c): defaults, setting by name with types and
 * bounds, merging a request's overrides, the explain line and the search options. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "silk/rank.h"

static void test_defaults(void **state)
{
    (void)state;
    silk_rank_t r;
    memset(&r, 0x55, sizeof r);
    silk_rank_defaults(&r);
    assert_int_equal(r.set, 0);
    assert_int_equal(r.scheme, SILK_WEIGHT_INEB2);
    assert_true(r.stopwords == 1 && r.fb_docs > 0 && r.fb_freeze > 0);
    assert_true(r.k1 > 0 && r.b >= 0 && r.b <= 1 && r.c > 0);
    assert_true(r.fb_min_docs >= 1 && r.fb_terms >= 1 && r.window >= 2);
    /* Every default is within the bounds set() enforces: describing and setting back the
     * same text is accepted. */
    char d[SILK_RANK_DESCRIBE_MAX], err[200];
    silk_rank_describe(&r, d, sizeof d);
    silk_rank_t back;
    silk_rank_defaults(&back);
    char *save = NULL;
    for (char *kv = strtok_r(d, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(kv, '=');
        assert_non_null(eq);
        *eq = 0;
        if (silk_rank_set(&back, kv, eq + 1, err, sizeof err) != SILK_OK)
            fail_msg("default %s=%s refused: %s", kv, eq + 1, err);
    }
}

static void test_set_bounds(void **state)
{
    (void)state;
    silk_rank_t r;
    char err[300];
    silk_rank_defaults(&r);
    assert_int_equal(silk_rank_set(&r, "k1", "1.2", err, sizeof err), SILK_OK);
    assert_true(r.k1 == 1.2);
    assert_int_equal(silk_rank_set(&r, "scheme", "ineb2", err, sizeof err), SILK_OK);
    assert_int_equal(r.scheme, SILK_WEIGHT_INEB2);
    assert_int_equal(silk_rank_set(&r, "scheme", "bm25+", err, sizeof err), SILK_OK);
    assert_int_equal(r.scheme, SILK_WEIGHT_BM25PLUS);
    assert_int_equal(silk_rank_set(&r, "stopwords", "true", err, sizeof err), SILK_OK);
    assert_int_equal(r.stopwords, 1);
    assert_int_equal(silk_rank_set(&r, "stopwords", "no", err, sizeof err), SILK_OK);
    assert_int_equal(r.stopwords, 0);
    assert_int_equal(silk_rank_set(&r, "fb_docs", "3", err, sizeof err), SILK_OK);
    assert_int_equal(r.fb_docs, 3);
    /* Refused, with a message naming the key and its bounds; the field is unchanged. */
    static const char *const bad[][2] = {{"k1", "-1"},
                                         {"k1", "11"},
                                         {"k1", "nan"},
                                         {"k1", "inf"},
                                         {"k1", ""},
                                         {"k1", "1x"},
                                         {"b", "1.5"},
                                         {"c", "0"},
                                         {"fb_docs", "3.5"},
                                         {"fb_docs", "21"},
                                         {"fb_terms", "0"},
                                         {"window", "1"},
                                         {"stopwords", "2"},
                                         {"scheme", "lm"},
                                         {"scheme", "ifb2"},
                                         {"scheme", "BM25 "},
                                         {"fb_weight", "-0.1"},
                                         {"keyword_terms", "65"},
                                         {"fb_min_docs", "0"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        silk_rank_t before = r;
        err[0] = 0;
        if (silk_rank_set(&r, bad[i][0], bad[i][1], err, sizeof err) != SILK_ERR_INVALID)
            fail_msg("%s=%s accepted", bad[i][0], bad[i][1]);
        assert_memory_equal(&before, &r, sizeof r);
        assert_non_null(strstr(err, bad[i][0]));
    }
    assert_int_equal(silk_rank_set(&r, "k1", "-1", err, sizeof err), SILK_ERR_INVALID);
    assert_non_null(strstr(err, "[0, 10]"));
    assert_int_equal(silk_rank_set(&r, "bogus", "1", err, sizeof err), SILK_ERR_INVALID);
    assert_non_null(strstr(err, "unknown ranking parameter \"bogus\""));
    assert_non_null(strstr(err, "fb_min_words"));
    assert_int_equal(silk_rank_set(&r, "k1", "1", NULL, 0), SILK_OK);
    assert_int_equal(silk_rank_set(NULL, "k1", "1", err, sizeof err), SILK_ERR_INVALID);
    assert_int_equal(silk_rank_set(&r, NULL, "1", err, sizeof err), SILK_ERR_INVALID);
    assert_true(silk_rank_is_key("fb_freeze") && !silk_rank_is_key("fb") &&
                !silk_rank_is_key(NULL));
}

static void test_merge(void **state)
{
    (void)state;
    silk_rank_t base, over;
    silk_rank_defaults(&base);
    base.k1 = 3;
    memset(&over, 0, sizeof over); /* as a request holds it: only what it set counts */
    silk_rank_merge(&base, &over);
    assert_true(base.k1 == 3 && base.b == 0.6);
    assert_int_equal(silk_rank_set(&over, "b", "0.75", NULL, 0), SILK_OK);
    assert_int_equal(silk_rank_set(&over, "scheme", "dph", NULL, 0), SILK_OK);
    assert_int_equal(silk_rank_set(&over, "fb_docs", "0", NULL, 0), SILK_OK);
    base.fb_docs = 5;
    silk_rank_merge(&base, &over);
    assert_true(base.k1 == 3 && base.b == 0.75);
    assert_int_equal(base.scheme, SILK_WEIGHT_DPH);
    assert_int_equal(base.fb_docs, 0);
    silk_rank_merge(&base, NULL);
    silk_rank_merge(NULL, &over);
}

static void test_describe_and_opts(void **state)
{
    (void)state;
    silk_rank_t r;
    silk_rank_defaults(&r);
    assert_int_equal(silk_rank_set(&r, "scheme", "pl2", NULL, 0), SILK_OK);
    assert_int_equal(silk_rank_set(&r, "c", "2.5", NULL, 0), SILK_OK);
    char d[SILK_RANK_DESCRIBE_MAX];
    silk_rank_describe(&r, d, sizeof d);
    assert_true(strncmp(d, "scheme=pl2 ", 11) == 0);
    assert_non_null(strstr(d, " c=2.5 "));
    assert_non_null(strstr(d, " fb_min_words="));
    char small[16];
    silk_rank_describe(&r, small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
    silk_search_opts_t so;
    memset(&so, 0, sizeof so);
    silk_rank_search_opts(&r, &so);
    assert_int_equal(so.scheme, SILK_WEIGHT_PL2);
    assert_true(so.c == 2.5 && so.k1 == r.k1 && so.b == r.b && so.delta == r.delta);
    assert_string_equal(silk_rank_scheme_name(SILK_WEIGHT_BB2), "bb2");
    assert_string_equal(silk_rank_scheme_name(SILK_WEIGHT_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_set_bounds),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_describe_and_opts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
