/* silkd's newline framing (server/conn.c silkd_frame_next): lines, "\r\n", partial lines,
 * the line bound exactly at and just past its edge, and a stream cut at every byte giving
 * the same lines as the whole stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../server/conn.h"

static silkd_frame_t frame(const char *s, size_t len, size_t max, size_t *ll, size_t *used)
{
    *ll = *used = 12345;
    return silkd_frame_next(s, len, max, ll, used);
}

static void test_lines(void **state)
{
    (void)state;
    size_t ll, used;
    assert_int_equal(frame("", 0, 16, &ll, &used), SILKD_FRAME_NEED_MORE);
    assert_int_equal(frame("abc", 3, 16, &ll, &used), SILKD_FRAME_NEED_MORE);
    assert_int_equal(frame("abc\ndef", 7, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 3);
    assert_int_equal(used, 4);
    assert_int_equal(frame("abc\r\ndef", 8, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 3);
    assert_int_equal(used, 5);
    assert_int_equal(frame("\n", 1, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 0);
    assert_int_equal(used, 1);
    assert_int_equal(frame("\r\n", 2, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 0);
    /* Only a final '\r' goes; one inside the line stays. */
    assert_int_equal(frame("a\rb\n", 4, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 3);
    /* NUL bytes are ordinary bytes. */
    assert_int_equal(frame("a\0b\n", 4, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 3);
}

static void test_bound(void **state)
{
    (void)state;
    char buf[64];
    size_t ll, used;
    memset(buf, 'x', sizeof buf);
    /* Exactly max bytes: complete with "\n" or "\r\n", waiting without. */
    buf[8] = '\n';
    assert_int_equal(frame(buf, 9, 8, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 8);
    buf[8] = '\r';
    buf[9] = '\n';
    assert_int_equal(frame(buf, 10, 8, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 8);
    assert_int_equal(used, 10);
    assert_int_equal(frame(buf, 9, 8, &ll, &used), SILKD_FRAME_NEED_MORE); /* "x8\r" */
    memset(buf, 'x', sizeof buf);
    assert_int_equal(frame(buf, 8, 8, &ll, &used), SILKD_FRAME_NEED_MORE);
    /* One byte over: too large, whether or not the newline has arrived. */
    assert_int_equal(frame(buf, 9, 8, &ll, &used), SILKD_FRAME_TOO_LARGE);
    buf[9] = '\n';
    assert_int_equal(frame(buf, 10, 8, &ll, &used), SILKD_FRAME_TOO_LARGE);
    buf[8] = '\r';
    buf[9] = 'x';
    assert_int_equal(frame(buf, 10, 8, &ll, &used), SILKD_FRAME_TOO_LARGE);
    /* A long buffer of short lines is fine: the bound is per line. */
    for (int i = 0; i < 64; i += 4)
        memcpy(buf + i, "abc\n", 4);
    size_t off = 0, lines = 0;
    while (frame(buf + off, sizeof buf - off, 8, &ll, &used) == SILKD_FRAME_LINE) {
        assert_int_equal(ll, 3);
        off += used;
        lines++;
    }
    assert_int_equal(lines, 16);
    assert_int_equal(off, 64);
}

/* Feeding a stream in pieces of every size gives the same lines as feeding it whole. */
static void test_pieces(void **state)
{
    (void)state;
    const char stream[] = "ping\r\n{\"q\":\"x\"}\n\n  a b  \nlast\r\n";
    const size_t n = sizeof stream - 1;
    const char *want[] = {"ping", "{\"q\":\"x\"}", "", "  a b  ", "last"};
    for (size_t piece = 1; piece <= n; piece++) {
        char buf[128];
        size_t have = 0, fed = 0, got = 0;
        while (fed < n || have > 0) {
            size_t take = n - fed < piece ? n - fed : piece;
            memcpy(buf + have, stream + fed, take);
            have += take;
            fed += take;
            size_t ll, used;
            silkd_frame_t f;
            while ((f = frame(buf, have, 32, &ll, &used)) == SILKD_FRAME_LINE) {
                assert_true(got < 5);
                assert_int_equal(ll, strlen(want[got]));
                assert_memory_equal(buf, want[got], ll);
                got++;
                memmove(buf, buf + used, have - used);
                have -= used;
            }
            assert_int_equal(f, SILKD_FRAME_NEED_MORE);
            if (fed == n)
                break;
        }
        assert_int_equal(got, 5);
        assert_int_equal(have, 0);
    }
}

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_histogram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
