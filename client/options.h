/* silk client — what the user asked for: the command line and the terminal's settings.
 *
 * silk_cli_parse reads the options (through client/args.c, which decides where the query
 * begins), the environment (NO_COLOR, TERM, COLUMNS) and the terminal, and leaves one
 * silk_cli_opts_t that every other part of the client reads and none changes. */
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

/* What the user asked for. */
typedef struct silk_cli_opts {
    silk_req_op_t op;          /* the request to send: search, ping, stats or reindex */
    long long limit;           /* hits per query */
    long long offset;          /* hits to skip */
    bool any;                  /* mode "any" instead of "all" */
    bool json;                 /* print the daemon's lines as they are */
    bool start;                /* start silkd when nobody answers */
    bool color;                /* ANSI bold and colour on stdout */
    bool batch;                /* queries come from stdin, one per line */
    int width;                 /* columns of stdout; 0: do not wrap */
    const char *socket;        /* --socket, or NULL for the default */
    const char *color_default; /* [client] color of the configuration file, or NULL: auto */
    char *query;               /* the words of the command line joined by spaces (owned) */
} silk_cli_opts_t;

/* Fills opt from the command line, the environment and the terminal. Prints and exits
 * (0 for --help and --version, SILK_EXIT_ERROR for a mistake) when there is nothing to
 * run. The caller frees opt->query. */
void silk_cli_parse(int argc, char **argv, silk_cli_opts_t *opt);

#endif
