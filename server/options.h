/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the command line: every option, its range and its help text (server/options.c).
 * main.c sets the defaults in a silkd_config_t, then lets the options override them. */
#ifndef SILKD_OPTIONS_H
#define SILKD_OPTIONS_H

#include "state.h"

#define SILKD_MAX_THREADS 64 /* --threads accepts 1..this */

/* Parses argv into *cfg (whose defaults the caller has set); returns the --socket argument
 * (or NULL; it points into argv) and sets *print_socket for --print-socket. Prints the help
 * and exits 0 on --help; prints why and exits 2 on a bad option or value. */
const char *silkd_options_parse(int argc, char **argv, silkd_config_t *cfg, int *print_socket);

#endif
