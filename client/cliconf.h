/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — the configuration file's part for the client: the file is found and loaded
 * before the command line is parsed, and its [client] keys become the defaults that the
 * options then override (flags > environment > file > built-in defaults). */
#ifndef SILK_CLIENT_CLICONF_H
#define SILK_CLIENT_CLICONF_H

#include "options.h"
#include "silk/config.h"

/* What the client keeps of the file. */
typedef struct {
    silk_config_t *conf; /* the loaded file (empty when there is none) */
    char *socket;        /* [paths] socket, made absolute, or NULL */
} silk_cli_conf_t;

/* Finds `--config PATH` (or `--config=PATH`) among the options of argv, before any `--`,
 * loads that file or the default one (silk_config_open), and sets opt's defaults from the
 * [client] keys: limit, color, any, json, start. Prints "FILE:LINE: why" and exits
 * SILK_EXIT_ERROR for a file that cannot be read or parsed, an unknown key, or a bad value.
 * Free *cc with silk_cli_conf_free. */
void silk_cli_conf_load(int argc, char **argv, silk_cli_opts_t *opt, silk_cli_conf_t *cc);

void silk_cli_conf_free(silk_cli_conf_t *cc);

#endif
