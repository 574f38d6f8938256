/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The benchmarks' shared helpers (bench/common.c): word joining, quantiles, clocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../bench/common.h"

static int alnum(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void test_join_words(void **state)
{
    (void)state;
    char *s = bench_join_words("  north, korea!  missile ", alnum, " OR ", "\"");
    assert_string_equal(s, "\"north\" OR \"korea\" OR \"missile\"");
    free(s);
    s = bench_join_words("a_b c", alnum, " ", "");
    assert_string_equal(s, "a b c");
    free(s);
    /* Non-ASCII bytes are word bytes: a Hangul word stays whole. */
    s = bench_join_words("조선 x", alnum, "+", "");
    assert_string_equal(s, "조선+x");
    free(s);
    /* The worst case for the buffer: one-byte words only. */
    s = bench_join_words("a b c d", alnum, " OR ", "\"");
    assert_string_equal(s, "\"a\" OR \"b\" OR \"c\" OR \"d\"");
    free(s);
    assert_null(bench_join_words("", alnum, " ", ""));
    assert_null(bench_join_words(" ,.; ", alnum, " ", ""));
}

static void test_quantiles(void **state)
{
    (void)state;
    double v[] = {5, 1, 4, 2, 3};
    qsort(v, 5, sizeof *v, bench_cmp_double);
    assert_true(v[0] == 1 && v[4] == 5);
    assert_true(bench_quantile_sorted(v, 5, 0.5) == 3);
    assert_true(bench_quantile_sorted(v, 5, 0.2) == 1);
    assert_true(bench_quantile_sorted(v, 5, 0.21) == 2);
    assert_true(bench_quantile_sorted(v, 5, 1.0) == 5);
    assert_true(bench_quantile_sorted(v, 0, 0.5) == 0);
}

static void test_clocks(void **state)
{
    (void)state;
    uint64_t t0 = bench_now_us();
    usleep(2000);
    assert_true(bench_now_us() >= t0 + 2000);
    /* Burn a little CPU so that both counters move past zero. */
    volatile double x = 0;
    for (long i = 0; i < 20000000 && bench_self_cpu() < 0.02; i++)
        x += (double)i;
    assert_true(bench_self_cpu() > 0);
    assert_true(bench_process_cpu((long)getpid()) >= 0);
    assert_true(bench_process_cpu(-1) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join_words),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_clocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
