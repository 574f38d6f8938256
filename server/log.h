/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — logging: one line per message to stderr, safe from any thread.
 *
 * The leaf every other part of the daemon may call; it calls nothing of the daemon.
 */
#ifndef SILKD_LOG_H
#define SILKD_LOG_H

enum { SILKD_LOG_ERROR = 0, SILKD_LOG_WARN, SILKD_LOG_INFO, SILKD_LOG_DEBUG };

/* Messages above this level are dropped (written by main before threads start). */
extern int silkd_log_level;

/* One line "2026-11-28T07:05:02.123Z silkd[pid] level: message" to stderr, written with a
 * single write(2) so lines of different threads never interleave. */
void silkd_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "error" "warn" "info" "debug" → level, or -1. */
int silkd_log_parse_level(const char *name);

#endif
