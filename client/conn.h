/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — reaching silkd: connect to its Unix socket, and with --start run one in
 * the background when nobody answers there. */
#ifndef SILK_CLIENT_CONN_H
#define SILK_CLIENT_CONN_H

#include <stdbool.h>
#include <stddef.h>

/* Connects to silkd at sock; when nobody serves there and `start` is set, starts the
 * silkd beside this program (its output appended to sock + ".log"; given `--config config`
 * when config is not NULL) and waits for it; a started silkd that has no index to serve is
 * stopped again and -1 returned. Returns the connected descriptor, or -1 after printing a
 * one-line explanation. */
int silk_cli_connect(const char *sock, bool start, const char *config);

/* Writes all of data[0..len) to fd (retrying short writes, never raising SIGPIPE).
 * False with errno set when the socket failed. */
bool silk_cli_send_all(int fd, const char *data, size_t len);

#endif
