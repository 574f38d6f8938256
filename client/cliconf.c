/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — the configuration file's [client] defaults (client/cliconf.h). */
#include "cliconf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"

/* True when argv asks only for the help or the version: they work whatever the file holds,
 * as silkd's and silk-index's do. */
static int help_or_version(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") || !strcmp(argv[i], "--version"))
            return 1;
    return 0;
}

/* The value of --config in argv, or NULL. getopt_long accepts an unambiguous prefix of a
 * long option, so `--con`, `--conf`, ... are --config too (`--co` could be --color). */
static const char *find_config_arg(int argc, char **argv)
{
    const char *found = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--"))
            break;
        if (strncmp(a, "--con", 5) != 0)
            continue;
        const char *eq = strchr(a, '=');
        size_t n = eq ? (size_t)(eq - a) : strlen(a);
        if (n > strlen("--config") || strncmp(a, "--config", n) != 0)
            continue;
        if (eq)
            found = eq + 1;
        else if (i + 1 < argc)
            found = argv[++i];
    }
    return found;
}

static void die(const char *where, const char *fmt, const char *key, const char *value)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, key, value);
    silk_cli_errorf("%s: %s", where, msg);
    exit(SILK_EXIT_ERROR);
}

void silk_cli_conf_load(int argc, char **argv, silk_cli_opts_t *opt, silk_cli_conf_t *cc)
{
    char *why = NULL, where[PATH_MAX + 16];
    cc->conf = NULL;
    cc->socket = NULL;
    if (help_or_version(argc, argv))
        return;
    if (silk_config_open(find_config_arg(argc, argv), &cc->conf, &why) != SILK_OK) {
        silk_cli_errorf("%s", why ? why : "out of memory");
        exit(SILK_EXIT_ERROR);
    }
    free(why);
    const silk_config_entry_t *e = silk_config_get(cc->conf, "paths", "socket");
    if (e && silk_config_path(cc->conf, e, &cc->socket, &why) != SILK_OK) {
        silk_cli_errorf("%s", why ? why : "out of memory");
        exit(SILK_EXIT_ERROR);
    }
    for (e = NULL; (e = silk_config_next(cc->conf, "client", e));) {
        silk_config_where(cc->conf, e, where, sizeof where);
        const char *v = e->value;
        if (!strcmp(e->key, "limit")) {
            char *end;
            errno = 0;
            long long n = strtoll(v, &end, 10);
            if (!*v || *end || errno || n < 0 || n > 1000000000LL)
                die(where, "%s wants a number from 0, not '%s'", e->key, v);
            opt->limit = n;
        } else if (!strcmp(e->key, "color")) {
            if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
                die(where, "%s wants auto, always or never, not '%s'", e->key, v);
            opt->color_when = !strcmp(v, "always")  ? SILK_COLOR_ALWAYS
                              : !strcmp(v, "never") ? SILK_COLOR_NEVER
                                                    : SILK_COLOR_AUTO;
        } else if (!strcmp(e->key, "format")) {
            if (strcmp(v, "text") && strcmp(v, "json") && strcmp(v, "ids"))
                die(where, "%s wants text, json or ids, not '%s'", e->key, v);
            opt->format = !strcmp(v, "json")  ? SILK_FORMAT_JSON
                          : !strcmp(v, "ids") ? SILK_FORMAT_IDS
                                              : SILK_FORMAT_TEXT;
        } else {
            int b = silk_config_bool(v);
            if (b < 0)
                die(where, "%s wants true or false, not '%s'", e->key, v);
            if (!strcmp(e->key, "any"))
                opt->any = b;
            else if (!strcmp(e->key, "json"))
                opt->format = b ? SILK_FORMAT_JSON : SILK_FORMAT_TEXT;
            else if (!strcmp(e->key, "start"))
                opt->start = b;
            else /* the vocabulary of lib/config.c names a key this client does not have */
                die(where, "'%s' is not a setting of this silk%s", e->key, "");
        }
    }
}

void silk_cli_conf_free(silk_cli_conf_t *cc)
{
    silk_config_destroy(cc->conf);
    free(cc->socket);
    cc->conf = NULL;
    cc->socket = NULL;
}
