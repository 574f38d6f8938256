/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — the one way the client reports a problem of its own on stderr. A leaf:
 * every other client module may use it, it uses none of them. */
#ifndef SILK_CLIENT_ERRMSG_H
#define SILK_CLIENT_ERRMSG_H

/* Prints "silk: " and the message on stderr, after flushing stdout so that the two stay
 * in order on a terminal. */
void silk_cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
