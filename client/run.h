/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — one run: send the request (or, in batch mode, one request per line of
 * standard input, pipelined within a bounded window) and print every answer in request
 * order. */
#ifndef SILK_CLIENT_RUN_H
#define SILK_CLIENT_RUN_H

#include "options.h"

/* Talks to silkd over the connected socket fd (at sock, for messages) until every request
 * is answered. Returns the exit status: SILK_EXIT_HITS, SILK_EXIT_NO_HITS, or
 * SILK_EXIT_ERROR when a query failed or the connection did. fd stays the caller's. */
int silk_cli_run(const silk_cli_opts_t *opt, const char *sock, int fd);

#endif
