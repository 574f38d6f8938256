/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — the command line and the terminal's settings (client/options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "args.h"
#include "errmsg.h"

static void usage(FILE *out)
{
    fputs("usage: silk [options] QUERY...\n"
          "       silk [options] show ID...\n"
          "       silk [options] < queries.txt   (one query per line)\n"
          "\n"
          "Searches the corpus served by silkd and prints the hits: rank, id, article and\n"
          "section, a snippet with the matching words in bold, and the references a\n"
          "paragraph cites or the paragraphs citing a reference. The words of QUERY are\n"
          "joined into one query (see silk-query(7)). `silk show ID` prints one document\n"
          "whole, with the texts of the references it cites and the paragraphs citing it.\n"
          "\n"
          "Options may come before or after the query; `--` ends them. A query word that\n"
          "starts with '-' (an exclusion) must follow `--`:  silk -- missile -nuclear\n"
          "\n"
          "  -n, --limit N        hits to show (default 10)\n"
          "      --offset N       hits to skip first (default 0), for paging\n"
          "      --mode MODE      all (default: every word, relaxed to any word when nothing\n"
          "                       has them all) or any (any word, ranked)\n"
          "      --any            the same as --mode any\n"
          "      --format FORMAT  text (default), json (silkd's answer line per query, for\n"
          "                       scripts and jq) or ids (one document id a line)\n"
          "      --json           the same as --format json\n"
          "      --facets LIST    also count the matches by facet, LIST a comma-separated\n"
          "                       choice of kind, year, article, section\n"
          "      --color=WHEN     auto (default: on a terminal, unless NO_COLOR is set),\n"
          "                       always or never\n"
          "      --socket PATH    silkd's socket; default $SILK_SOCKET, else [paths] socket of\n"
          "                       the configuration file, else $XDG_RUNTIME_DIR/silk/silk.sock,\n"
          "                       else /tmp/silk-$UID/silk.sock\n"
          "      --config PATH    the configuration file (default $SILK_CONFIG, else\n"
          "                       $XDG_CONFIG_HOME/silk/silk.conf, else /etc/silk/silk.conf);\n"
          "                       its [client] keys (limit, color, any, json, format, start) are\n"
          "                       defaults that the options override\n"
          "      --start          if no silkd answers, start one in the background (the\n"
          "                       silkd beside this program, on the index of the configuration\n"
          "                       file or ~/.local/share/silk/index, logging to the socket's\n"
          "                       path + .log) and retry once; a silkd that finds no index is\n"
          "                       stopped again (exit 2)\n"
          "      --ping           check that silkd answers\n"
          "      --stats          print silkd's statistics\n"
          "      --reindex        have silkd re-index its corpus now; waits until committed\n"
          "  -h, --help           this help\n"
          "      --version        print the version\n"
          "\n"
          "With no QUERY (or no ID after show) and standard input not a terminal, each input\n"
          "line is a query (or an id); the requests are pipelined and the results printed in\n"
          "input order.\n"
          "\n"
          "Exit status: 0 hits (or the document) found, 1 no hits (no such document),\n"
          "2 error (bad query, bad option, no daemon, ...).\n",
          out);
}

/* A mistake: the message in *why (malloc'ed). Always returns SILK_CLI_BAD. */
static silk_cli_parsed_t bad(char **why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static silk_cli_parsed_t bad(char **why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(why, fmt, ap) < 0)
        *why = NULL;
    va_end(ap);
    return SILK_CLI_BAD;
}

/* The hint added to a refused option that reads like an exclusion meant for the query. */
static const char *exclusion_hint(const char *arg)
{
    return arg && silk_args_looks_like_exclusion(arg)
               ? "; a query word starting with '-' goes after '--': silk -- missile -nuclear"
               : "";
}

/* Parses a non-negative decimal number for option `name`; false on anything else. */
static bool parse_count(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < 0 || v > 1000000000LL)
        return false;
    *out = v;
    return true;
}

/* The facet names the daemon counts (docs/protocol.md). */
static const char *const facet_names[SILK_CLI_FACETS_MAX] = {"kind", "year", "article", "section"};

/* --facets kind,year: each name once, from facet_names. */
static silk_cli_parsed_t parse_facets(const char *list, silk_cli_opts_t *opt, char **why)
{
    opt->nfacets = 0;
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, ",");
        size_t k;
        for (k = 0; k < SILK_CLI_FACETS_MAX; k++)
            if (strlen(facet_names[k]) == n && !strncmp(p, facet_names[k], n))
                break;
        if (k == SILK_CLI_FACETS_MAX)
            return bad(why, "--facets: unknown facet '%.*s' (facets: kind, year, article, section)",
                       (int)n, p);
        for (size_t j = 0; j < opt->nfacets; j++)
            if (opt->facets[j] == facet_names[k])
                return bad(why, "--facets: '%s' is named twice", facet_names[k]);
        opt->facets[opt->nfacets++] = facet_names[k];
        if (p[n] == '\0')
            return SILK_CLI_RUN;
        p += n + 1;
    }
}

/* Every option of the command line. A new one is a row here, a case below, a line in
 * usage(), a paragraph in docs/man/silk.1.scd and a line in each of dist/completions. */
enum {
    O_OFFSET = 256,
    O_MODE,
    O_ANY,
    O_FORMAT,
    O_JSON,
    O_FACETS,
    O_SOCKET,
    O_STATS,
    O_PING,
    O_REINDEX,
    O_COLOR,
    O_VERSION,
    O_START,
    O_CONFIG,
};
static const struct option long_options[] = {
    {"limit", required_argument, NULL, 'n'},
    {"offset", required_argument, NULL, O_OFFSET},
    {"mode", required_argument, NULL, O_MODE},
    {"any", no_argument, NULL, O_ANY},
    {"format", required_argument, NULL, O_FORMAT},
    {"json", no_argument, NULL, O_JSON},
    {"facets", required_argument, NULL, O_FACETS},
    {"socket", required_argument, NULL, O_SOCKET},
    {"stats", no_argument, NULL, O_STATS},
    {"ping", no_argument, NULL, O_PING},
    {"reindex", no_argument, NULL, O_REINDEX},
    {"color", required_argument, NULL, O_COLOR},
    {"colour", required_argument, NULL, O_COLOR},
    {"start", no_argument, NULL, O_START},
    {"config", required_argument, NULL, O_CONFIG}, /* read first, by client/cliconf.c */
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, O_VERSION},
    {NULL, 0, NULL, 0},
};

silk_cli_parsed_t silk_cli_parse_args(int argc, char **argv, bool stdin_tty, silk_cli_opts_t *opt,
                                      char **why)
{
    const char *color_when = NULL;
    int ops = 0, c;
    *why = NULL;

    opterr = 0; /* our own messages */
    optind = 0; /* a full restart of getopt_long (the unit tests parse many lines) */
    /* No '+' or '-' in front: getopt_long permutes, so options may follow the query. */
    while ((c = getopt_long(argc, argv, ":n:h", long_options, NULL)) != -1) {
        const char *arg = argv[optind - 1];
        switch (c) {
        case 'n':
        case O_OFFSET:
            if (!parse_count(optarg, c == 'n' ? &opt->limit : &opt->offset))
                return bad(why, "%s wants a number from 0, got '%s'%s",
                           c == 'n' ? "--limit" : "--offset", optarg, exclusion_hint(arg));
            break;
        case O_MODE:
            if (strcmp(optarg, "all") && strcmp(optarg, "any"))
                return bad(why, "--mode wants all or any, got '%s'", optarg);
            opt->any = !strcmp(optarg, "any");
            break;
        case O_ANY:
            opt->any = true;
            break;
        case O_FORMAT:
            if (!strcmp(optarg, "text"))
                opt->format = SILK_FORMAT_TEXT;
            else if (!strcmp(optarg, "json"))
                opt->format = SILK_FORMAT_JSON;
            else if (!strcmp(optarg, "ids"))
                opt->format = SILK_FORMAT_IDS;
            else
                return bad(why, "--format wants text, json or ids, got '%s'", optarg);
            break;
        case O_JSON:
            opt->format = SILK_FORMAT_JSON;
            break;
        case O_FACETS:
            if (parse_facets(optarg, opt, why) != SILK_CLI_RUN)
                return SILK_CLI_BAD;
            break;
        case O_SOCKET:
            if (!*optarg)
                return bad(why, "--socket wants a path");
            opt->socket = optarg;
            break;
        case O_STATS:
            opt->op = SILK_REQ_STATS, ops++;
            break;
        case O_PING:
            opt->op = SILK_REQ_PING, ops++;
            break;
        case O_REINDEX:
            opt->op = SILK_REQ_REINDEX, ops++;
            break;
        case O_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
                return bad(why, "--color wants auto, always or never, got '%s'", optarg);
            color_when = optarg;
            break;
        case O_START:
            opt->start = true;
            break;
        case O_CONFIG: /* loaded before the options (client/cliconf.c) */
            break;
        case 'h':
            return SILK_CLI_HELP;
        case O_VERSION:
            return SILK_CLI_VERSION;
        case ':':
            return bad(why, "option '%s' wants a value", arg);
        default:
            /* Unknown. A short one is named by its letter: it may sit in a cluster
             * (-kind:reference), and the hint names the word it came from. */
            if (optopt && optopt < 256) {
                const char *word = NULL;
                for (int i = 1; i < argc && !word; i++)
                    if (argv[i][0] == '-' && argv[i][1] == optopt &&
                        silk_args_looks_like_exclusion(argv[i]))
                        word = argv[i];
                return bad(why, "unknown option '-%c'%s", optopt, exclusion_hint(word));
            }
            return bad(why, "unknown option '%.*s'", (int)strcspn(arg, "="), arg);
        }
    }
    if (color_when)
        opt->color_when = !strcmp(color_when, "always")  ? SILK_COLOR_ALWAYS
                          : !strcmp(color_when, "never") ? SILK_COLOR_NEVER
                                                         : SILK_COLOR_AUTO;
    if (ops > 1)
        return bad(why, "--ping, --stats and --reindex go one at a time");

    char **words = argv + optind;
    int nwords = argc - optind;
    /* The command word: `show ID...`. A query that starts with the word show is one
     * quoted argument (silk 'show trial'). */
    if (nwords > 0 && !strcmp(words[0], "show")) {
        if (opt->op != SILK_REQ_SEARCH)
            return bad(why, "show makes no sense with --ping, --stats or --reindex");
        if (opt->nfacets > 0)
            return bad(why, "--facets counts the matches of a search, not of show");
        opt->op = SILK_REQ_DOC;
        opt->ids = words + 1;
        opt->nids = nwords - 1;
        if (opt->nids == 0) {
            if (stdin_tty)
                return bad(why, "show wants a document id (try: silk show "
                                "iran-north-korea-relations#p1)");
            opt->batch = true;
        }
        return SILK_CLI_RUN;
    }
    if (nwords > 0) {
        if (opt->op != SILK_REQ_SEARCH)
            return bad(why, "a query makes no sense with --ping, --stats or --reindex");
        if (!(opt->query = silk_args_join(nwords, words)))
            return bad(why, "out of memory");
    } else if (opt->op == SILK_REQ_SEARCH) {
        if (!stdin_tty)
            opt->batch = true;
        else if (opt->start)
            opt->op = SILK_REQ_PING; /* `silk --start` alone: make sure silkd runs */
        else
            return bad(why, "no query given (try: silk \"axis of evil\")");
    }
    return SILK_CLI_RUN;
}

void silk_cli_parse(int argc, char **argv, silk_cli_opts_t *opt)
{
    char *why = NULL;
    silk_cli_parsed_t got = silk_cli_parse_args(argc, argv, isatty(0), opt, &why);
    switch (got) {
    case SILK_CLI_HELP:
        usage(stdout);
        exit(0);
    case SILK_CLI_VERSION:
        printf("silk %s\n", SILK_VERSION);
        exit(0);
    case SILK_CLI_BAD:
        silk_cli_errorf("%s (see silk --help)", why ? why : "out of memory");
        free(why);
        free(opt->query);
        exit(SILK_EXIT_ERROR);
    case SILK_CLI_RUN:
        break;
    }

    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    if (opt->color_when == SILK_COLOR_ALWAYS)
        opt->color = true;
    else if (opt->color_when == SILK_COLOR_NEVER)
        opt->color = false;
    else
        opt->color = isatty(1) && !(no_color && *no_color) && !(term && !strcmp(term, "dumb"));

    /* Width: the terminal's; when not a terminal, $COLUMNS if set, else no wrapping, so
     * that piped output keeps one snippet per line for grep and friends. */
    struct winsize ws;
    const char *columns = getenv("COLUMNS");
    if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        opt->width = ws.ws_col;
    else if (columns && atoi(columns) > 0)
        opt->width = atoi(columns);
    else
        opt->width = isatty(1) ? 80 : 0;
}
