/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd's server-wide state (server/state.c), linked alone: the latency histogram and its
 * quantiles, the index generation, connection admission against the bound, the counters of
 * every worker added up, the reindex text handed across, and the finished-worker count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/log.h"
#include "../../server/state.h"

/* The histogram's buckets are ordered and each value falls inside its bucket's range. */
static void test_histogram(void **state)
{
    (void)state;
    unsigned prev = 0;
    for (uint64_t v = 0; v < (1ull << 40); v = v < 64 ? v + 1 : v + v / 7) {
        unsigned b = silkd_hist_bucket(v);
        assert_true(b >= prev);
        assert_true(b < SILKD_HIST_BUCKETS);
        double mid = silkd_hist_value(b);
        if (v >= 16)
            assert_true(mid > (double)v * 0.93 && mid < (double)v * 1.07);
        else
            assert_true(mid == (double)v);
        prev = b;
    }
    assert_int_equal(silkd_hist_bucket(UINT64_MAX), SILKD_HIST_BUCKETS - 1);
}

static void test_quantiles(void **state)
{
    (void)state;
    static silkd_totals_t t;
    memset(&t, 0, sizeof t);
    assert_true(silkd_totals_quantile(&t, 0.5) == 0);
    /* 90 requests of 1 µs and 10 of 1 ms: p50 and p90 are 1 µs, p99 1 ms (within 7%). */
    t.hist[silkd_hist_bucket(1000)] = 90;
    t.hist[silkd_hist_bucket(1000000)] = 10;
    t.samples = 100;
    double p50 = silkd_totals_quantile(&t, 0.5), p90 = silkd_totals_quantile(&t, 0.9);
    double p99 = silkd_totals_quantile(&t, 0.99);
    assert_true(p50 > 930 && p50 < 1070);
    assert_true(p90 == p50);
    assert_true(p99 > 930000 && p99 < 1070000);
    assert_true(silkd_totals_quantile(&t, 1.0) == p99);
}

static silkd_config_t config(unsigned threads, unsigned max_connections)
{
    silkd_config_t cfg = {0};
    cfg.threads = threads;
    cfg.max_connections = max_connections;
    return cfg;
}

static void test_generation_and_connections(void **state)
{
    (void)state;
    silkd_config_t cfg = config(2, 2);
    silkd_server_t *s = NULL;
    assert_int_equal(silkd_server_new(&cfg, &s), SILK_OK);
    assert_ptr_equal(silkd_server_config(s), &cfg);
    assert_int_equal(silkd_server_generation(s), 0);
    silkd_server_bump(s, "test");
    silkd_server_bump(s, "test");
    assert_int_equal(silkd_server_generation(s), 2);

    /* Two fit; the third does not, and is not counted as refused until the main loop
     * refuses it (it may wait for a slot first); one closing makes room again. */
    assert_true(silkd_server_conn_admit(s));
    assert_true(silkd_server_conn_admit(s));
    assert_false(silkd_server_conn_admit(s));
    assert_int_equal(silkd_server_conns_open(s), 2);
    assert_int_equal(silkd_server_conns_rejected(s), 0);
    silkd_server_conn_refused(s);
    assert_int_equal(silkd_server_conns_rejected(s), 1);
    /* A close while connections wait for a slot wakes the main loop (no handle here: it
     * only must not crash), and a refusal is an overloaded error in the totals. */
    silkd_server_set_admit_waiting(s, 1);
    silkd_server_conn_closed(s);
    silkd_server_set_admit_waiting(s, 0);
    static silkd_totals_t t;
    silkd_server_totals(s, &t);
    assert_int_equal(t.errors[SILK_PROTO_OVERLOADED], 1);
    assert_true(silkd_server_conn_admit(s));
    assert_int_equal(silkd_server_conns_open(s), 2);
    assert_int_equal(silkd_server_conns_total(s), 3);
    silkd_server_destroy(s);
    silkd_server_destroy(NULL);
}

static void test_totals(void **state)
{
    (void)state;
    silkd_config_t cfg = config(3, 10);
    silkd_server_t *s = NULL;
    assert_int_equal(silkd_server_new(&cfg, &s), SILK_OK);
    for (unsigned w = 0; w < 3; w++) {
        silkd_counters_t *k = silkd_server_counters(s, w);
        for (unsigned i = 0; i <= w; i++) {
            silkd_count(&k->requests);
            silkd_count(&k->hist[silkd_hist_bucket(5000)]);
        }
        silkd_count(&k->queries);
        silkd_count(&k->errors[SILK_PROTO_BAD_QUERY]);
    }
    assert_ptr_not_equal(silkd_server_counters(s, 0), silkd_server_counters(s, 1));
    static silkd_totals_t t;
    silkd_server_totals(s, &t);
    assert_int_equal(t.requests, 6);
    assert_int_equal(t.queries, 3);
    assert_int_equal(t.errors[SILK_PROTO_BAD_QUERY], 3);
    assert_int_equal(t.errors[SILK_PROTO_INTERNAL], 0);
    assert_int_equal(t.samples, 6);
    assert_int_equal(t.hist[silkd_hist_bucket(5000)], 6);
    silkd_server_destroy(s);
}

/* The daemon-wide counter of unsent bytes is one shared atomic, the same for every caller. */
static void test_output_counter(void **state)
{
    (void)state;
    silkd_config_t cfg = config(2, 10);
    silkd_server_t *s = NULL;
    assert_int_equal(silkd_server_new(&cfg, &s), SILK_OK);
    _Atomic size_t *o = silkd_server_output(s);
    assert_ptr_equal(o, silkd_server_output(s));
    assert_int_equal(atomic_load(o), 0);
    atomic_fetch_add(o, 4096);
    assert_int_equal(atomic_load(silkd_server_output(s)), 4096);
    silkd_server_destroy(s);
}

static void test_reindex_text_and_workers(void **state)
{
    (void)state;
    silkd_config_t cfg = config(2, 10);
    silkd_server_t *s = NULL;
    assert_int_equal(silkd_server_new(&cfg, &s), SILK_OK);
    assert_null(silkd_server_reindex(s));
    silkd_server_set_reindex(s, strdup("{\"runs\":1}"));
    silkd_server_set_reindex(s, strdup("{\"runs\":2}")); /* the first is freed */
    char *copy = silkd_server_reindex(s);
    assert_string_equal(copy, "{\"runs\":2}");
    free(copy);

    /* Without a wake handle, finishing only counts. */
    assert_int_equal(silkd_server_workers_done(s), 0);
    silkd_server_worker_done(s);
    silkd_server_worker_done(s);
    assert_int_equal(silkd_server_workers_done(s), 2);
    assert_true(silkd_server_uptime_ns(s) < 60ull * 1000 * 1000 * 1000);
    silkd_server_destroy(s); /* frees the last text */
}

int main(void)
{
    silkd_log_level = -1; /* quiet: bumps log at info */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_histogram),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_generation_and_connections),
        cmocka_unit_test(test_totals),
        cmocka_unit_test(test_output_counter),
        cmocka_unit_test(test_reindex_text_and_workers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
