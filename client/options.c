/* silk client — the command line and the terminal's settings (client/options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
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
          "       silk [options] < queries.txt   (one query per line)\n"
          "\n"
          "Searches the corpus served by silkd and prints the hits: rank, id, article and\n"
          "section, and a snippet with the matching words in bold. The words of QUERY are\n"
          "joined into one query (see docs/query-syntax.md). After the first word of the\n"
          "query only long options and -n N are options, so `silk missile -nuclear` keeps\n"
          "-nuclear (NOT nuclear) in the query; `--` ends the options.\n"
          "\n"
          "  -n, --limit N        hits to show (default 10)\n"
          "      --offset N       hits to skip first (default 0), for paging\n"
          "      --any            match any word, ranked (default: all words, relaxed to\n"
          "                       any word when nothing has them all)\n"
          "      --json           print silkd's JSON answer line per query (for scripts, jq)\n"
          "      --color=WHEN     auto (default: on a terminal, unless NO_COLOR is set),\n"
          "                       always or never\n"
          "      --socket PATH    silkd's socket; default $SILK_SOCKET, else [paths] socket of\n"
          "                       the configuration file, else $XDG_RUNTIME_DIR/silk/silk.sock,\n"
          "                       else /tmp/silk-$UID/silk.sock\n"
          "      --config PATH    the configuration file (default $SILK_CONFIG, else\n"
          "                       $XDG_CONFIG_HOME/silk/silk.conf, else /etc/silk/silk.conf);\n"
          "                       its [client] keys (limit, color, any, json, start) are\n"
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
          "With no QUERY and standard input not a terminal, each input line is a query; the\n"
          "queries are pipelined and the results printed in input order.\n"
          "\n"
          "Exit status: 0 hits found, 1 no hits, 2 error (bad query, no daemon, ...).\n",
          out);
}

/* Parses a non-negative decimal number for option name; exits 2 on anything else. */
static long long parse_count(const char *name, const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < 0 || v > 1000000000LL) {
        silk_cli_errorf("%s wants a number from 0, got '%s' (see silk --help)", name, s);
        exit(SILK_EXIT_ERROR);
    }
    return v;
}

void silk_cli_parse(int orig_argc, char **orig_argv, silk_cli_opts_t *opt)
{
    enum {
        O_OFFSET = 256,
        O_ANY,
        O_JSON,
        O_SOCKET,
        O_STATS,
        O_PING,
        O_REINDEX,
        O_COLOR,
        O_VERSION,
        O_START,
        O_CONFIG
    };
    static const struct option longs[] = {
        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, O_OFFSET},
        {"any", no_argument, NULL, O_ANY},
        {"json", no_argument, NULL, O_JSON},
        {"socket", required_argument, NULL, O_SOCKET},
        {"stats", no_argument, NULL, O_STATS},
        {"ping", no_argument, NULL, O_PING},
        {"reindex", no_argument, NULL, O_REINDEX},
        {"color", required_argument, NULL, O_COLOR},
        {"colour", required_argument, NULL, O_COLOR},
        {"start", no_argument, NULL, O_START},
        {"config", required_argument, NULL, O_CONFIG}, /* read by client/cliconf.c */
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *color_when = opt->color_default ? opt->color_default : "auto";
    int ops = 0, c;

    int argc;
    char *why = NULL;
    char **argv = silk_args_reorder(orig_argc, orig_argv, "hn:", longs, &argc, &why);
    if (!argv) {
        silk_cli_errorf("%s (see silk --help)", why ? why : "out of memory");
        free(why);
        exit(SILK_EXIT_ERROR);
    }

    opterr = 0; /* our own messages, with a pointer to --help */
    /* "+": options end at "--", which silk_args_reorder put before the query's words. */
    while ((c = getopt_long(argc, argv, "+:n:h", longs, NULL)) != -1) {
        switch (c) {
        case 'n':
            opt->limit = parse_count("--limit", optarg);
            break;
        case O_OFFSET:
            opt->offset = parse_count("--offset", optarg);
            break;
        case O_ANY:
            opt->any = true;
            break;
        case O_JSON:
            opt->json = true;
            break;
        case O_SOCKET:
            if (!*optarg) {
                silk_cli_errorf("--socket wants a path (see silk --help)");
                exit(SILK_EXIT_ERROR);
            }
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
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never")) {
                silk_cli_errorf("--color wants auto, always or never, got '%s'", optarg);
                exit(SILK_EXIT_ERROR);
            }
            color_when = optarg;
            break;
        case O_START:
            opt->start = true;
            break;
        case O_CONFIG: /* loaded before the options (client/cliconf.c) */
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case O_VERSION:
            printf("silk %s\n", SILK_VERSION);
            exit(0);
        case ':':
            silk_cli_errorf("option '%s' wants a value (see silk --help)", argv[optind - 1]);
            exit(SILK_EXIT_ERROR);
        default:
            if (optopt && optopt != '?' && optopt < 256)
                silk_cli_errorf("unknown option '-%c' (see silk --help)", optopt);
            else
                silk_cli_errorf("unknown option '%s' (see silk --help)", argv[optind - 1]);
            exit(SILK_EXIT_ERROR);
        }
    }
    if (ops > 1) {
        silk_cli_errorf("--ping, --stats and --reindex go one at a time");
        exit(SILK_EXIT_ERROR);
    }

    /* Join the remaining words into one query. */
    if (optind < argc) {
        if (opt->op != SILK_REQ_SEARCH) {
            silk_cli_errorf("a query makes no sense with --ping, --stats or --reindex");
            exit(SILK_EXIT_ERROR);
        }
        size_t len = 0;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        opt->query = malloc(len);
        if (!opt->query) {
            silk_cli_errorf("out of memory");
            exit(SILK_EXIT_ERROR);
        }
        opt->query[0] = '\0';
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                strcat(opt->query, " ");
            strcat(opt->query, argv[i]);
        }
    } else if (opt->op == SILK_REQ_SEARCH) {
        if (!isatty(0)) {
            opt->batch = true;
        } else if (opt->start) {
            opt->op = SILK_REQ_PING; /* `silk --start` alone: make sure silkd runs */
        } else {
            silk_cli_errorf("no query given (try: silk \"axis of evil\"; see silk --help)");
            exit(SILK_EXIT_ERROR);
        }
    }

    free(argv); /* the vector only; its strings are the process's arguments */

    const char *no_color = getenv("NO_COLOR");
    const char *term = getenv("TERM");
    if (!strcmp(color_when, "always"))
        opt->color = true;
    else if (!strcmp(color_when, "never"))
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
