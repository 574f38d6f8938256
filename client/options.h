/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — what the user asked for: the command line and the terminal's settings.
 *
 * silk_cli_parse reads the options (GNU style, with getopt_long: options anywhere, `--`
 * ends them, an unknown one is an error), the environment (NO_COLOR, TERM, COLUMNS) and
 * the terminal, and leaves one silk_cli_opts_t that every other part of the client reads
 * and none changes. The words that are not options are the query (client/args.c joins
 * them), or, after the command word `show`, document ids. */
#ifndef SILK_CLIENT_OPTIONS_H
#define SILK_CLIENT_OPTIONS_H

#include <stdbool.h>

#include "silk/proto.h"

#define SILK_VERSION "0.1.0"

/* The exit status, like grep's. */
enum {
    SILK_EXIT_HITS = 0,    /* something was found */
    SILK_EXIT_NO_HITS = 1, /* nothing was found */
    SILK_EXIT_ERROR = 2,   /* anything went wrong */
};

/* How answers are printed (--format). */
typedef enum {
    SILK_FORMAT_TEXT = 0, /* for a person: hits with snippets, a footer (the default) */
    SILK_FORMAT_JSON,     /* silkd's answer line per request, as it came (--json) */
    SILK_FORMAT_IDS,      /* one document id a line, for scripts */
} silk_cli_format_t;

/* --color. */
typedef enum {
    SILK_COLOR_AUTO = 0, /* on a terminal, unless NO_COLOR is set or TERM is dumb */
    SILK_COLOR_ALWAYS,
    SILK_COLOR_NEVER,
} silk_cli_color_t;

#define SILK_CLI_FACETS_MAX 4 /* kind, year, article, section */

/* What the user asked for. */
typedef struct silk_cli_opts {
    silk_req_op_t op;            /* the request to send: search, doc, ping, stats or reindex */
    long long limit;             /* hits per query */
    long long offset;            /* hits to skip */
    bool any;                    /* mode "any" instead of "all" */
    silk_cli_format_t format;    /* how answers are printed */
    bool start;                  /* start silkd when nobody answers */
    silk_cli_color_t color_when; /* --color as given */
    bool color;                  /* ANSI bold and colour on stdout (from color_when) */
    bool batch;                  /* queries (or, for show, ids) come from stdin, one a line */
    int width;                   /* columns of stdout; 0: do not wrap */
    const char *socket;          /* --socket, or NULL for the default */
    char *query;                 /* search: the words of the command line joined (owned) */
    char **ids;                  /* show: the document ids of the command line (argv's) */
    int nids;                    /* how many */
    const char *facets[SILK_CLI_FACETS_MAX]; /* --facets: the names, in order */
    size_t nfacets;                          /* how many */
} silk_cli_opts_t;

/* What silk_cli_parse_args found. */
typedef enum {
    SILK_CLI_RUN = 0, /* opt is filled in: run it */
    SILK_CLI_HELP,    /* --help: print the usage and exit 0 */
    SILK_CLI_VERSION, /* --version: print the version and exit 0 */
    SILK_CLI_BAD,     /* a mistake: *why says what (malloc'ed); exit SILK_EXIT_ERROR */
} silk_cli_parsed_t;

/* Reads the command line into opt (which the caller zeroed and gave its defaults), without
 * printing or exiting, and without looking at the environment or the terminal (except
 * whether standard input is one, given as stdin_tty). The caller frees opt->query and, for
 * SILK_CLI_BAD, *why. argv is permuted (getopt_long), and opt->ids point into it. */
silk_cli_parsed_t silk_cli_parse_args(int argc, char **argv, bool stdin_tty, silk_cli_opts_t *opt,
                                      char **why);

/* Fills opt from the command line, the environment and the terminal. Prints and exits
 * (0 for --help and --version, SILK_EXIT_ERROR for a mistake) when there is nothing to
 * run. The caller frees opt->query. */
void silk_cli_parse(int argc, char **argv, silk_cli_opts_t *opt);

#endif
