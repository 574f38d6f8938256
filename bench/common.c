/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — shared helpers (see bench/common.h). */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

uint64_t bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

double bench_process_cpu(long pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* Fields after the command name (which may hold spaces) start after the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    unsigned long long utime = 0, stime = 0;
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return 0;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

double bench_self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_quantile_sorted(const double *v, size_t n, double q)
{
    if (n == 0)
        return 0.0;
    size_t k = (size_t)(q * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

char *bench_join_words(const char *text, int (*is_word)(unsigned char c), const char *sep,
                       const char *quote)
{
    size_t n = strlen(text), seplen = strlen(sep), qlen = strlen(quote);
    /* Worst case: every other byte a one-byte word. */
    char *out = malloc(n * (seplen + 2 * qlen + 1) + 1), *p = out;
    if (!out)
        return NULL;
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        while (i < n && !is_word(s[i]))
            i++;
        size_t start = i;
        while (i < n && is_word(s[i]))
            i++;
        if (i == start)
            break;
        if (p != out) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        memcpy(p, quote, qlen);
        p += qlen;
        memcpy(p, s + start, i - start);
        p += i - start;
        memcpy(p, quote, qlen);
        p += qlen;
    }
    *p = 0;
    if (p == out) {
        free(out);
        return NULL;
    }
    return out;
}
