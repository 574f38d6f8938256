/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — log lines to stderr with a UTC timestamp, one write(2) per line. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int silkd_log_level = SILKD_LOG_INFO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

int silkd_log_parse_level(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, level_names[i]))
            return i;
    return -1;
}

void silkd_log(int level, const char *fmt, ...)
{
    if (level > silkd_log_level)
        return;
    char line[1024];
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    size_t n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(line + n, sizeof line - n,
                          ".%03dZ silkd[%d] %s: ", (int)(tv.tv_usec / 1000), (int)getpid(),
                          level_names[level < 0   ? 0
                                      : level > 3 ? 3
                                                  : level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    n += (size_t)m < sizeof line - n - 1 ? (size_t)m : sizeof line - n - 2;
    line[n++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, n);
    (void)w;
}
