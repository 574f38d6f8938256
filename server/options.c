/* silkd — the command line (server/options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* ---- usage --------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: silkd [options]\n"
            "Serves a silk index over a local socket: newline-delimited JSON, one request per\n"
            "line, answers in order (docs/protocol.md). Runs in the foreground; logs to stderr.\n"
            "\n"
            "  --index DIR          index to serve ($SILK_INDEX, else ./var/index); silkd starts\n"
            "                       without one and answers \"unavailable\" until it appears\n"
            "  --corpus DIR         corpus that reindex and --watch index ($SILK_CORPUS, else\n"
            "                       ./corpus)\n"
            "  --socket PATH        Unix socket ($SILK_SOCKET, else $XDG_RUNTIME_DIR/silk.sock,\n"
            "                       else /tmp/silk-$UID/silk.sock in a 0700 folder); mode 0600\n"
            "  --listen HOST:PORT   also serve TCP; HOST defaults to 127.0.0.1 (\":7700\");\n"
            "                       a TCP client must first send {\"op\":\"auth\",\"token\":T}\n"
            "                       (HTTP: `Authorization: Bearer T` on every request)\n"
            "  --token-file PATH    TCP's token, created 0600 if missing (default\n"
            "                       <socket>.token)\n"
            "  --threads N          worker threads, 1..%d (default: the number of cores)\n"
            "  --watch              reindex when a file in the corpus changes\n"
            "  --watch-delay MS     quiet time after a change before reindexing (default 500)\n"
            "  --watch-max-delay MS longest a change waits for the corpus to go quiet, 0 none\n"
            "                       (default 10 times --watch-delay)\n"
            "  --reindex-timeout SEC  a silk-index child running longer is stopped (SIGCONT,\n"
            "                       SIGTERM, SIGKILL 3 s later) and its requests get an\n"
            "                       \"internal\" error; 0 no limit (default 600)\n"
            "  --shutdown-timeout SEC after SIGINT/SIGTERM, exit (status 1) after this long\n"
            "                       even if requests or the child have not finished (default 15)\n"
            "  --idle-timeout SEC   close connections idle this long, 0 never (default 300)\n"
            "  --max-connections N  connections at once; more get \"overloaded\" (default 1024)\n"
            "  --max-line BYTES     longest request line (default 65536)\n"
            "  --max-inflight N     unsent answers per connection before reading pauses\n"
            "                       (default 64)\n"
            "  --max-output BYTES   longest answer (longer: \"too_large\"); a connection with a\n"
            "                       quarter of it unsent is not read until it drains\n"
            "                       (default 4194304)\n"
            "  --max-output-total BYTES  unsent bytes of all connections; past it large answers\n"
            "                       get \"overloaded\" and readers wait (default 67108864)\n"
            "  --query-time-limit MS  time budget of a search, 0 none; past it the answer is\n"
            "                       flagged \"partial\" (default 2000)\n"
            "  --remote-timeout MS  connect and reply timeout of remote shards of a stub index\n"
            "                       (default 2000 to connect, 10000 to reply; docs/scale-out.md)\n"
            "  --allow-remote-programs  let the index's stub file run the program of a\n"
            "                       `remote :PROGRAM` line (refused by default: whoever can\n"
            "                       write the index would choose what silkd runs)\n"
            "  --log-level L        error, warn, info (default) or debug\n"
            "  --print-socket       print the socket path silkd would use, and exit\n"
            "  --help               this text\n"
            "\n"
            "Reindex runs $SILK_INDEXER, else the silk-index next to silkd, as a child process.\n"
            "Signals: SIGINT/SIGTERM finish the requests in flight and exit 0 (a second one exits\n"
            "at once, status 1); SIGHUP opens the index afresh on every worker.\n",
            SILKD_MAX_THREADS);
}

static void die_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "silkd: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'silkd --help'.\n");
    exit(2);
}

static uint64_t parse_num(const char *opt, const char *s, uint64_t min, uint64_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = s && *s >= '0' && *s <= '9' ? strtoull(s, &end, 10) : 0;
    if (!s || *s < '0' || *s > '9' || errno || *end || v < min || v > max) {
        fprintf(stderr, "silkd: %s must be a number from %llu to %llu, not '%s'\n", opt,
                (unsigned long long)min, (unsigned long long)max, s);
        exit(2);
    }
    return v;
}

/* ---- options ------------------------------------------------------------------------------ */

enum {
    O_INDEX = 256,
    O_CORPUS,
    O_SOCKET,
    O_LISTEN,
    O_WATCH,
    O_LOGLEVEL,
    O_PRINT,
    O_HELP,
    O_ALLOW_PROGRAMS,
    O_TOKEN_FILE,
    O_NUMERIC = 512, /* O_NUMERIC + i: numeric[i] */
};

/* The numeric options: parsed and range-checked the same way, stored in the cfg field at
 * `offset` (an unsigned, or a 64-bit size_t / uint64_t) after multiplying by `scale`. */
static const struct {
    const char *name;  /* the long option */
    uint64_t min, max; /* its range, as typed */
    uint64_t scale;    /* units of the field per unit typed */
    size_t offset;     /* the field in silkd_config_t */
    size_t size;       /* its size */
} numeric[] = {
#define FIELD(f) offsetof(silkd_config_t, f), sizeof(((silkd_config_t *)0)->f)
    {"threads", 1, SILKD_MAX_THREADS, 1, FIELD(threads)},
    {"watch-delay", 0, 600000, 1, FIELD(watch_delay_ms)},
    {"idle-timeout", 0, 86400 * 365, 1000, FIELD(idle_ms)},
    {"max-connections", 1, 1000000, 1, FIELD(max_connections)},
    {"max-line", 64, 64u << 20, 1, FIELD(max_line)},
    {"max-inflight", 1, 1000000, 1, FIELD(max_inflight)},
    {"max-output", 1024, 1ull << 34, 1, FIELD(max_output)},
    {"max-output-total", 1024, 1ull << 40, 1, FIELD(max_output_total)},
    {"query-time-limit", 0, 3600 * 1000, 1, FIELD(query_time_limit_ms)},
    {"remote-timeout", 1, 3600 * 1000, 1, FIELD(db_opts.remote_timeout_ms)},
    {"reindex-timeout", 0, 86400 * 7, 1000, FIELD(reindex_timeout_ms)},
    {"watch-max-delay", 0, 3600 * 1000, 1, FIELD(watch_max_ms)},
    {"shutdown-timeout", 1, 3600, 1000, FIELD(shutdown_max_ms)},
#undef FIELD
};
#define NNUMERIC (sizeof numeric / sizeof numeric[0])

static void set_numeric(silkd_config_t *cfg, unsigned i, const char *arg)
{
    char opt[32];
    snprintf(opt, sizeof opt, "--%s", numeric[i].name);
    uint64_t v = parse_num(opt, arg, numeric[i].min, numeric[i].max) * numeric[i].scale;
    char *field = (char *)cfg + numeric[i].offset;
    if (numeric[i].size == sizeof(unsigned)) {
        unsigned u = (unsigned)v;
        memcpy(field, &u, sizeof u);
    } else {
        _Static_assert(sizeof(size_t) == sizeof(uint64_t) || sizeof(size_t) == sizeof(unsigned),
                       "numeric option fields are unsigned, size_t or uint64_t");
        memcpy(field, &v, sizeof v);
    }
}

const char *silkd_options_parse(int argc, char **argv, silkd_config_t *cfg, int *print_socket)
{
    static struct option opts[NNUMERIC + 11] = {
        {"index", required_argument, NULL, O_INDEX},
        {"corpus", required_argument, NULL, O_CORPUS},
        {"socket", required_argument, NULL, O_SOCKET},
        {"listen", required_argument, NULL, O_LISTEN},
        {"watch", no_argument, NULL, O_WATCH},
        {"log-level", required_argument, NULL, O_LOGLEVEL},
        {"print-socket", no_argument, NULL, O_PRINT},
        {"help", no_argument, NULL, O_HELP},
        {"allow-remote-programs", no_argument, NULL, O_ALLOW_PROGRAMS},
        {"token-file", required_argument, NULL, O_TOKEN_FILE},
    };
    for (unsigned i = 0; i < NNUMERIC; i++)
        opts[10 + i] =
            (struct option){numeric[i].name, required_argument, NULL, O_NUMERIC + (int)i};
    const char *socket_arg = NULL;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case O_INDEX:
            cfg->index_path = optarg;
            break;
        case O_CORPUS:
            cfg->corpus_path = optarg;
            break;
        case O_SOCKET:
            socket_arg = optarg;
            break;
        case O_LISTEN:
            cfg->listen = optarg;
            break;
        case O_TOKEN_FILE:
            cfg->token_file = optarg;
            break;
        case O_WATCH:
            cfg->watch = 1;
            break;
        case O_ALLOW_PROGRAMS:
            cfg->db_opts.allow_programs = 1;
            break;
        case O_LOGLEVEL:
            silkd_log_level = silkd_log_parse_level(optarg);
            if (silkd_log_level < 0)
                die_usage("--log-level must be error, warn, info or debug, not '%s'", optarg);
            break;
        case O_PRINT:
            *print_socket = 1;
            break;
        case O_HELP:
            usage(stdout);
            exit(0);
        case ':':
            die_usage("%s needs a value", argv[optind - 1]);
            break;
        default:
            if (c >= O_NUMERIC && c < O_NUMERIC + (int)NNUMERIC)
                set_numeric(cfg, (unsigned)(c - O_NUMERIC), optarg);
            else
                die_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        die_usage("unexpected argument '%s'", argv[optind]);
    /* --remote-timeout bounds connecting to a shard as well as waiting for its reply. */
    cfg->db_opts.connect_timeout_ms = cfg->db_opts.remote_timeout_ms;
    return socket_arg;
}
