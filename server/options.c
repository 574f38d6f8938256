/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the command line (server/options.h). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "silk/config.h"
#include "silk/fs.h"

/* ---- usage --------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: silkd [options]\n"
        "Serves a silk index over a local socket: newline-delimited JSON, one request per\n"
        "line, answers in order, or HTTP/1.1 on the same socket (GET /search?q=..., the\n"
        "search page at GET /; docs/protocol.md). Runs in the foreground; logs to stderr.\n"
        "\n"
        "  --config PATH        the configuration file ($SILK_CONFIG, else\n"
        "                       $XDG_CONFIG_HOME/silk/silk.conf, else /etc/silk/silk.conf);\n"
        "                       its [paths] and [daemon] keys are these options' long names\n"
        "  --index DIR          index to serve ($SILK_INDEX, else [paths] index, else\n"
        "                       $XDG_DATA_HOME/silk/index, i.e. ~/.local/share/silk/index);\n"
        "                       silkd starts without one and answers \"unavailable\" until\n"
        "                       it appears\n"
        "  --corpus DIR         corpus that reindex and --watch index ($SILK_CORPUS, else\n"
        "                       [paths] corpus, else $XDG_DATA_HOME/silk/corpus)\n"
        "  --socket PATH        Unix socket ($SILK_SOCKET, else [paths] socket, else\n"
        "                       $XDG_RUNTIME_DIR/silk/silk.sock, else /tmp/silk-$UID/silk.sock;\n"
        "                       the default's folder is created 0700 and must be private);\n"
        "                       mode 0600. Under systemd socket activation (LISTEN_FDS) the\n"
        "                       sockets systemd passes are served instead\n"
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
        "  --remote-timeout MS  connect and reply timeout of remote shards of a stub index,\n"
        "                       at most --query-time-limit (default: that limit, or 2000 to\n"
        "                       connect and 10000 to reply without one; docs/scale-out.md)\n"
        "  --allow-remote-programs  let the index's stub file run the program of a\n"
        "                       `remote :PROGRAM` line (refused by default: whoever can\n"
        "                       write the index would choose what silkd runs)\n"
        "  --log-level L        error, warn, info (default) or debug\n"
        "  --print-socket       print the socket path silkd would use, and exit\n"
        "  --help               this text\n"
        "\n"
        "Reindex runs $SILK_INDEXER, else [daemon] indexer, else the silk-index next to\n"
        "silkd, as a child process. Precedence: flags, then the environment, then the\n"
        "configuration file, then the defaults.\n"
        "Signals: SIGINT/SIGTERM finish the requests in flight and exit 0 (a second one exits\n"
        "at once, status 1); SIGHUP opens the index afresh on every worker.\n",
        SILKD_MAX_THREADS);
}

/* Where a value came from, for messages: "--max-line" for a flag, "FILE:LINE: max-line" for
 * the configuration file. */
static void die_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "silkd: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'silkd --help'.\n");
    exit(2);
}

static void die_conf(const char *where, const char *fmt, const char *arg)
{
    fprintf(stderr, "silkd: %s: ", where);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
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
    O_CONFIG,        /* the last of the fixed ones */
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

static void set_numeric(silkd_config_t *cfg, unsigned i, const char *arg, const char *label)
{
    uint64_t v = parse_num(label, arg, numeric[i].min, numeric[i].max) * numeric[i].scale;
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

/* Every long option; the numeric ones are appended from numeric[]. */
static struct option opts[NNUMERIC + 12] = {
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
    {"config", required_argument, NULL, O_CONFIG},
};
#define NFIXED 11

static void init_opts(void)
{
    for (unsigned i = 0; i < NNUMERIC; i++)
        opts[NFIXED + i] =
            (struct option){numeric[i].name, required_argument, NULL, O_NUMERIC + (int)i};
}

/* What one parse collects besides the fields of cfg. */
typedef struct {
    const char *socket; /* --socket */
    const char *config; /* --config */
    int print_socket;   /* --print-socket */
} extra_t;

/* Applies option c with value arg (NULL for a flag without one) to cfg. `label` names it in
 * messages: "--max-line", or "FILE:LINE: max-line" for the configuration file. */
static void apply(silkd_config_t *cfg, extra_t *x, int c, const char *arg, const char *label)
{
    switch (c) {
    case O_INDEX:
        cfg->index_path = arg;
        break;
    case O_CORPUS:
        cfg->corpus_path = arg;
        break;
    case O_SOCKET:
        x->socket = arg;
        break;
    case O_CONFIG:
        x->config = arg;
        break;
    case O_LISTEN:
        cfg->listen = arg;
        break;
    case O_TOKEN_FILE:
        cfg->token_file = arg;
        break;
    case O_WATCH:
        cfg->watch = 1;
        break;
    case O_ALLOW_PROGRAMS:
        cfg->db_opts.allow_programs = 1;
        break;
    case O_LOGLEVEL:
        silkd_log_level = silkd_log_parse_level(arg);
        if (silkd_log_level < 0) {
            fprintf(stderr, "silkd: %s must be error, warn, info or debug, not '%s'\n", label, arg);
            exit(2);
        }
        break;
    case O_PRINT:
        x->print_socket = 1;
        break;
    case O_HELP:
        usage(stdout);
        exit(0);
    default:
        set_numeric(cfg, (unsigned)(c - O_NUMERIC), arg, label);
    }
}

/* One pass of getopt over argv, from the start. */
static void parse_argv(int argc, char **argv, silkd_config_t *cfg, extra_t *x)
{
    opterr = 0;
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == ':')
            die_usage("%s needs a value", argv[optind - 1]);
        if (c < O_INDEX || (c >= O_NUMERIC + (int)NNUMERIC) || (c > O_CONFIG && c < O_NUMERIC))
            die_usage("unknown option '%s'", argv[optind - 1]);
        char label[64];
        snprintf(label, sizeof label, "--%s", c >= O_NUMERIC ? numeric[c - O_NUMERIC].name : "");
        if (c < O_NUMERIC)
            for (unsigned i = 0; i < NFIXED; i++)
                if (opts[i].val == c)
                    snprintf(label, sizeof label, "--%s", opts[i].name);
        apply(cfg, x, c, optarg, label);
    }
    if (optind < argc)
        die_usage("unexpected argument '%s'", argv[optind]);
}

/* A path of the configuration file, made absolute against the file's folder; exits 2 on a
 * bad one. The string lives as long as the process. */
static const char *conf_path(const silk_config_t *conf, const silk_config_entry_t *e)
{
    char *path = NULL, *why = NULL;
    if (silk_config_path(conf, e, &path, &why) != SILK_OK) {
        fprintf(stderr, "silkd: %s\n", why ? why : "out of memory");
        exit(2);
    }
    free(why);
    return path;
}

/* The [paths] and [daemon] entries of the file, each as the flag of the same name. */
static void apply_conf(silkd_config_t *cfg, extra_t *x)
{
    const silk_config_t *conf = cfg->conf;
    const silk_config_entry_t *e;
    char where[PATH_MAX + 32], label[PATH_MAX + 64];
    if ((e = silk_config_get(conf, "paths", "index")))
        cfg->index_path = conf_path(conf, e);
    if ((e = silk_config_get(conf, "paths", "corpus")))
        cfg->corpus_path = conf_path(conf, e);
    if ((e = silk_config_get(conf, "paths", "socket")))
        cfg->conf_socket = conf_path(conf, e);
    for (e = NULL; (e = silk_config_next(conf, "daemon", e));) {
        silk_config_where(conf, e, where, sizeof where);
        snprintf(label, sizeof label, "%s: %s", where, e->key);
        if (!strcmp(e->key, "indexer")) {
            cfg->indexer = conf_path(conf, e);
            continue;
        }
        const struct option *o = NULL;
        for (unsigned i = 0; i < NFIXED + NNUMERIC && !o; i++)
            if (!strcmp(opts[i].name, e->key))
                o = &opts[i];
        if (!o) /* the vocabulary of lib/config.c names a key this silkd does not have */
            die_conf(where, "'%s' is not a setting of this silkd", e->key);
        if (o->has_arg == no_argument) {
            int b = silk_config_bool(e->value);
            if (b < 0)
                die_conf(where, "%s wants true or false", e->key);
            if (b)
                apply(cfg, x, o->val, NULL, label);
            else if (o->val == O_WATCH)
                cfg->watch = 0;
            else if (o->val == O_ALLOW_PROGRAMS)
                cfg->db_opts.allow_programs = 0;
        } else if (o->val == O_TOKEN_FILE) {
            cfg->token_file = conf_path(conf, e);
        } else {
            apply(cfg, x, o->val, e->value, label);
        }
    }
}

/* The [ranking] entries of the file over silk's ranking defaults, each checked by the
 * searcher's own rules (rank.h); a bad one exits 2 naming FILE:LINE. */
static void apply_ranking(silkd_config_t *cfg)
{
    const silk_config_entry_t *e;
    char where[PATH_MAX + 32], err[256];
    silk_rank_defaults(&cfg->rank);
    for (e = NULL; (e = silk_config_next(cfg->conf, "ranking", e));) {
        char key[64]; /* the file writes keys with '-' (fb-docs), the protocol with '_' */
        snprintf(key, sizeof key, "%s", e->key);
        for (char *p = key; *p; p++)
            if (*p == '-')
                *p = '_';
        if (silk_rank_set(&cfg->rank, key, e->value, err, sizeof err) != SILK_OK) {
            silk_config_where(cfg->conf, e, where, sizeof where);
            die_conf(where, "%s", err);
        }
    }
    cfg->rank.set = 0; /* the daemon's defaults, not a request's overrides */
}

const char *silkd_options_parse(int argc, char **argv, silkd_config_t *cfg, int *print_socket)
{
    init_opts();
    /* Flags win over the environment, which wins over the file, which wins over the
     * built-in defaults: so the file is applied first, but --config must be known before
     * it, and a bad flag (or --help) acts before any file is read. A first pass over the
     * flags, into a copy, finds both. */
    silkd_config_t scratch = *cfg;
    extra_t x = {0};
    parse_argv(argc, argv, &scratch, &x);

    char *why = NULL;
    if (silk_config_open(x.config, &cfg->conf, &why) != SILK_OK) {
        fprintf(stderr, "silkd: %s\n", why ? why : "out of memory");
        exit(2);
    }
    free(why);
    cfg->config_path = silk_config_file(cfg->conf);
    extra_t from_file = {0};
    apply_conf(cfg, &from_file);
    apply_ranking(cfg);

    const char *env;
    if ((env = getenv("SILK_INDEX")) && *env)
        cfg->index_path = env;
    if ((env = getenv("SILK_CORPUS")) && *env)
        cfg->corpus_path = env;

    x = (extra_t){0};
    parse_argv(argc, argv, cfg, &x);
    *print_socket = x.print_socket;
    /* --remote-timeout bounds connecting to a shard as well as waiting for its reply, and
     * is at most --query-time-limit: the deadline inside the match cannot reach a remote
     * shard's match (a match spy is not sent to xapian-tcpsrv), so each wait for a shard
     * is what bounds a search there (0: db.h's 2000 to connect, 10000 to reply). */
    unsigned remote = cfg->db_opts.remote_timeout_ms;
    if (cfg->query_time_limit_ms > 0 && (remote == 0 || remote > cfg->query_time_limit_ms))
        remote = (unsigned)cfg->query_time_limit_ms;
    cfg->db_opts.remote_timeout_ms = remote;
    cfg->db_opts.connect_timeout_ms = remote;

    /* The XDG defaults, whatever the current folder: the index and the corpus in silk's
     * data folder. */
    static char index_buf[PATH_MAX], corpus_buf[PATH_MAX];
    if (!cfg->index_path && silk_data_path("index", index_buf, sizeof index_buf) == 0)
        cfg->index_path = index_buf;
    if (!cfg->corpus_path && silk_data_path("corpus", corpus_buf, sizeof corpus_buf) == 0)
        cfg->corpus_path = corpus_buf;
    if (!cfg->index_path || !cfg->corpus_path) {
        fprintf(stderr, "silkd: no --index or --corpus given, and neither $XDG_DATA_HOME nor "
                        "$HOME is set to find the default\n");
        exit(2);
    }
    return x.socket;
}
