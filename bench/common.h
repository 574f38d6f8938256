/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — helpers the load generators (bench/loadgen.c, bench/peers/peerload.c) and the
 * peer programs (bench/peers/peerutil.c) share: a clock, the CPU time of a process, latency
 * quantiles and splitting a query into words. Benchmark code, not part of the library. */
#ifndef SILK_BENCH_COMMON_H
#define SILK_BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Monotonic time in microseconds. */
uint64_t bench_now_us(void);

/* CPU time (user + system, all its threads) of process `pid` in seconds, from
 * /proc/PID/stat; 0 when it cannot be read. */
double bench_process_cpu(long pid);

/* CPU time (user + system) of this process in seconds. */
double bench_self_cpu(void);

/* qsort() comparator of doubles, ascending. */
int bench_cmp_double(const void *a, const void *b);

/* The q-quantile (0 < q <= 1) of the n sorted samples v: the smallest sample with at least
 * q * n samples at or below it (0 when n is 0). */
double bench_quantile_sorted(const double *v, size_t n, double q);

/* The words of text (maximal runs of bytes for which is_word(byte) is nonzero), each
 * between two `quote`s, joined by `sep`, in a new string (free()); NULL when text has no
 * word or out of memory. E.g. `"w1" OR "w2"` with sep " OR " and quote "\"". */
char *bench_join_words(const char *text, int (*is_word)(unsigned char c), const char *sep,
                       const char *quote);

#ifdef __cplusplus
}
#endif

#endif
