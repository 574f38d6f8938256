/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the command line: options, progress line, summary, exit status. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <math.h>

#include "build.h"
#include "index.h"
#include "shard.h"
#include "silk/config.h"
#include "silk/fs.h"
#include "silk/trust.h"

#define EXIT_DONE    0
#define EXIT_FATAL   1
#define EXIT_USAGE   2
#define EXIT_SKIPPED 3

static const char usage[] =
    "usage: silk-index [--corpus DIR] [--index DIR] [--full] [--quiet] [--json] [--no-wait]\n"
    "                  [--max-size BYTES] [--jobs N] [--flush-mb MB] [--progress[=json]]\n"
    "                  [--shards N | --shard K/N] [--config PATH] [--help]\n"
    "\n"
    "Indexes the articles of a corpus folder into a Xapian index, incrementally: only files\n"
    "whose content changed are read again, and all changes of a run are one transaction\n"
    "(a reader sees the old index or the new one, never a mix).\n"
    "\n"
    "  --corpus DIR     the corpus (default: $SILK_CORPUS, else [paths] corpus of the\n"
    "                   configuration file, else $XDG_DATA_HOME/silk/corpus, that is\n"
    "                   ~/.local/share/silk/corpus)\n"
    "  --index DIR      the index (default: $SILK_INDEX, else [paths] index, else\n"
    "                   $XDG_DATA_HOME/silk/index)\n"
    "  --full           rebuild from scratch into DIR.new-PID beside the index, then switch\n"
    "                   to it atomically (the old index serves until the switch)\n"
    "  --quiet          no progress, notes or summary (skipped files are still reported)\n"
    "  --progress       a progress bar on stderr (files, documents, MB, MB/s, ETA) even when\n"
    "                   stderr is not a terminal; by default it is shown on a terminal only.\n"
    "                   --progress=json: one JSON line a second on stderr instead,\n"
    "                   `silk-index: progress {\"files_done\":...}` (silkd reads it for stats)\n"
    "  --jobs N         a full build (--full, or the first build of an index) writes N parts\n"
    "                   of the corpus at once, one thread each, and merges them into one\n"
    "                   database with the same documents (default: the number of cores;\n"
    "                   1 to 64). Incremental runs and --shards use one writer per database.\n"
    "  --flush-mb MB    a full build commits every MB megabytes of document text (each\n"
    "                   document counted 256 bytes more), which bounds its memory\n"
    "                   (default 32; 1 to 4096)\n"
    "  --json           print the summary as one JSON object on stdout\n"
    "  --no-wait        fail at once when another silk-index is writing the index\n"
    "  --max-size N     skip files larger than N bytes (suffix K, M, G; default 256M)\n"
    "  --shards N       a sharded index: DIR/shard-0..N-1 (files spread by a hash of the\n"
    "                   article name), DIR/meta (spelling, synonyms) and the stub\n"
    "                   DIR/XAPIANDB; all shards commit together (docs/scale-out.md).\n"
    "                   Later runs on DIR find the shards by themselves.\n"
    "  --shard K/N      index only shard K (0-based) of N into DIR/shard-K, e.g. on the\n"
    "                   machine that serves it with xapian-tcpsrv\n"
    "  --config PATH    the configuration file (default: $SILK_CONFIG, else\n"
    "                   $XDG_CONFIG_HOME/silk/silk.conf, else /etc/silk/silk.conf); its\n"
    "                   [indexer] keys max-size, shards, quiet and no-wait are defaults of\n"
    "                   those options (flags > environment > file > defaults)\n"
    "  --help           this text\n"
    "\n"
    "Corpus files (subfolders included; hidden files ignored):\n"
    "  *.txt     an article: line 1 the title, then one paragraph a line; short lines\n"
    "            without final punctuation are headings; `- ` lines under References /\n"
    "            Further reading are references / readings; `[n]` markers are citations\n"
    "  *.md      a Markdown article (# headings nest, - lists)\n"
    "  *.jsonl   one document a line: {\"id\",\"text\"} and optional \"title\", \"section\",\n"
    "            \"kind\", \"year\", \"author\"; the document id is \"id\" when it contains\n"
    "            '#', else <article>#<id>; an invalid line is reported as FILE:LINE and\n"
    "            skipped\n"
    "  synonyms.txt (top level)  synonym groups, one a line: `dprk = north korea`\n"
    "  The article name is the path without extension (\"asia/korea\" for asia/korea.md);\n"
    "  documents are <article>#p<N>, #infobox, #ref-<N>, #read-<N>. Other files are ignored\n"
    "  with a note; binary files, files over the size cap, unreadable files and symlinks\n"
    "  leading outside the corpus are skipped (a skipped file keeps what was indexed).\n"
    "\n"
    "The corpus and the index must belong to you (or root) and not be writable by group or\n"
    "other, nor any folder above them (sticky folders such as /tmp excepted): silk-index\n"
    "refuses them otherwise, as OpenSSH's StrictModes. The index is made no more readable\n"
    "than the corpus folder.\n"
    "\n"
    "Environment: SILK_CORPUS, SILK_INDEX (defaults of --corpus, --index), SILK_CONFIG;\n"
    "XAPIAN_FLUSH_THRESHOLD (documents buffered between merges; default here 2500;\n"
    "--flush-mb bounds the bytes as well).\n"
    "\n"
    "Exit status: 0 done (also: up to date), 1 fatal error (nothing committed: missing\n"
    "corpus, index not writable, locked with --no-wait, ...), 2 bad command line,\n"
    "3 done but some files or lines were skipped (each named on stderr with the reason).\n";

/* What the callbacks need. */
typedef struct {
    int quiet;          /* no notes or summary */
    int bar;            /* progress: -1 on a terminal, 0 none, 1 a bar, 2 JSON lines */
    double last_json;   /* elapsed time of the last JSON progress line */
    int json;           /* summary as JSON */
    int tty;            /* stderr is a terminal: progress line allowed */
    int progress_shown; /* a progress line is on screen */
    json_t *problems;   /* problem messages for the JSON summary */
} ui_t;

static void clear_progress(ui_t *ui)
{
    if (ui->progress_shown) {
        fputs("\r\033[K", stderr);
        ui->progress_shown = 0;
    }
}

#define BAR_WIDTH 24 /* cells of the progress bar */

static void on_progress(const silk_index_progress_t *p, void *ud)
{
    ui_t *ui = ud;
    double t = p->elapsed;
    double mb = (double)p->bytes_done / 1e6, all = (double)p->bytes_total / 1e6;
    double rate = t > 0 ? mb / t : 0.0;
    if (ui->bar == 2) {
        /* For silkd's stats: one line a second and the last, complete and short. */
        if (t - ui->last_json < 1.0 && p->files_done < p->files_total)
            return;
        ui->last_json = t;
        fprintf(stderr,
                "silk-index: progress {\"files_done\":%llu,\"files_total\":%llu,\"docs\":%llu,"
                "\"bytes_done\":%llu,\"bytes_total\":%llu,\"elapsed_s\":%.1f}\n",
                (unsigned long long)p->files_done, (unsigned long long)p->files_total,
                (unsigned long long)p->docs, (unsigned long long)p->bytes_done,
                (unsigned long long)p->bytes_total, t);
        fflush(stderr);
        return;
    }
    /* The bar waits a second (a short run shows none), but a forced one also draws the
     * end of a short run. */
    int last = p->files_done >= p->files_total;
    if (ui->bar == 0 || (ui->bar < 0 && !ui->tty) || (t < 1.0 && !(ui->bar == 1 && last)))
        return;
    double frac = all > 0 ? fmin(mb / all, 1.0) : 0.0;
    char cells[BAR_WIDTH + 1];
    int full = (int)(frac * BAR_WIDTH);
    for (int i = 0; i < BAR_WIDTH; i++)
        cells[i] = i < full ? '#' : '.';
    cells[BAR_WIDTH] = '\0';
    char eta[32] = "--:--";
    if (rate > 0 && all > mb) {
        unsigned long s = (unsigned long)((all - mb) / rate);
        snprintf(eta, sizeof eta, "%lu:%02lu", s / 60, s % 60);
    } else if (all <= mb)
        snprintf(eta, sizeof eta, "0:00");
    fprintf(stderr,
            "\r\033[Ksilk-index [%s] %3.0f%% %llu/%llu files, %llu docs, %.1f/%.1f MB, %.1f MB/s, "
            "ETA %s",
            cells, frac * 100, (unsigned long long)p->files_done,
            (unsigned long long)p->files_total, (unsigned long long)p->docs, mb, all, rate, eta);
    fflush(stderr);
    ui->progress_shown = 1;
}

static void on_note(const char *msg, int skip, void *ud)
{
    ui_t *ui = ud;
    if (skip && ui->problems)
        json_array_append_new(ui->problems, json_string(msg));
    if (!skip && ui->quiet)
        return;
    clear_progress(ui);
    fprintf(stderr, "silk-index: %s\n", msg);
}

/* Parses "123", "64K", "256M", "1G". */
static int parse_size(const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || v == 0)
        return -1;
    uint64_t mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1024, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mul = 1024ULL * 1024 * 1024, end++;
    if (*end || v > UINT64_MAX / mul)
        return -1;
    *out = v * mul;
    return 0;
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static void print_summary(const silk_index_opts_t *o, const silk_index_summary_t *s)
{
    double mb = (double)s->bytes / 1e6;
    double rate = s->elapsed > 0 ? mb / s->elapsed : 0;
    if (s->up_to_date) {
        printf("silk-index: up to date: %llu %s scanned (%llu skipped, %llu ignored), %llu "
               "documents, revision %llu; %.2f s\n",
               (unsigned long long)s->files_scanned, plural(s->files_scanned, "file", "files"),
               (unsigned long long)s->files_skipped, (unsigned long long)s->files_ignored,
               (unsigned long long)s->docs_total, (unsigned long long)s->revision, s->elapsed);
        return;
    }
    printf("silk-index: %s %s into %s: %llu %s scanned (%llu added, %llu changed, %llu "
           "unchanged, %llu removed, %llu skipped, %llu ignored); documents: %llu added, %llu "
           "replaced, %llu deleted, %llu unchanged, %llu in the index; %srevision %llu; %.2f s, "
           "%.2f MB at "
           "%.1f MB/s\n",
           o->full ? "rebuilt" : "indexed", o->corpus, o->index,
           (unsigned long long)s->files_scanned, plural(s->files_scanned, "file", "files"),
           (unsigned long long)s->files_added, (unsigned long long)s->files_changed,
           (unsigned long long)s->files_unchanged, (unsigned long long)s->files_removed,
           (unsigned long long)s->files_skipped, (unsigned long long)s->files_ignored,
           (unsigned long long)s->docs_added, (unsigned long long)s->docs_replaced,
           (unsigned long long)s->docs_deleted, (unsigned long long)s->docs_unchanged,
           (unsigned long long)s->docs_total, s->synonyms_loaded ? "synonyms loaded; " : "",
           (unsigned long long)s->revision, s->elapsed, mb, rate);
}

static void print_json(const silk_index_opts_t *o, const silk_index_summary_t *s, json_t *problems)
{
    double mb = (double)s->bytes / 1e6;
    json_t *j = json_pack(
        "{s:b, s:b, s:b, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
        "s:I, s:I, s:b, s:f, s:I, s:f, s:O}",
        "ok", 1, "up_to_date", s->up_to_date, "full", o->full, "corpus", o->corpus, "index",
        o->index, "files_scanned", (json_int_t)s->files_scanned, "files_unchanged",
        (json_int_t)s->files_unchanged, "files_changed", (json_int_t)s->files_changed,
        "files_added", (json_int_t)s->files_added, "files_removed", (json_int_t)s->files_removed,
        "files_skipped", (json_int_t)s->files_skipped, "files_ignored",
        (json_int_t)s->files_ignored, "docs_added", (json_int_t)s->docs_added, "docs_replaced",
        (json_int_t)s->docs_replaced, "docs_deleted", (json_int_t)s->docs_deleted, "docs_unchanged",
        (json_int_t)s->docs_unchanged, "docs_total", (json_int_t)s->docs_total, "revision",
        (json_int_t)s->revision, "problems_count", (json_int_t)s->problems, "synonyms_loaded",
        s->synonyms_loaded, "elapsed_s", s->elapsed, "bytes", (json_int_t)s->bytes, "mb_per_s",
        s->elapsed > 0 ? mb / s->elapsed : 0.0, "problems", problems);
    if (j) {
        char *out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (out)
            puts(out);
        free(out);
        json_decref(j);
    }
}

/* What the command line and the configuration file set. */
typedef struct {
    silk_index_opts_t *o;
    ui_t *ui;
    unsigned nshards;   /* --shards N or the N of --shard K/N */
    int only;           /* K of --shard K/N, or -1 */
    const char *config; /* --config */
} args_t;

static const struct option longopts[] = {
    {"corpus", required_argument, NULL, 'c'},
    {"index", required_argument, NULL, 'i'},
    {"full", no_argument, NULL, 'f'},
    {"quiet", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, 'j'},
    {"no-wait", no_argument, NULL, 'n'},
    {"max-size", required_argument, NULL, 'm'},
    {"shards", required_argument, NULL, 'S'},
    {"jobs", required_argument, NULL, 'J'},
    {"flush-mb", required_argument, NULL, 'F'},
    {"progress", optional_argument, NULL, 'P'},
    {"shard", required_argument, NULL, 'K'},
    {"config", required_argument, NULL, 'C'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* Applies option c with value arg; `label` names it in messages ("--max-size", or
 * "FILE:LINE: max-size"). EXIT_USAGE after printing why, or 0. */
static int apply(args_t *a, int c, const char *arg, const char *label)
{
    switch (c) {
    case 'S':
    case 'K': {
        unsigned k = 0, n = 0;
        char end = 0;
        int ok = c == 'S' ? sscanf(arg, "%u%c", &n, &end) == 1
                          : sscanf(arg, "%u/%u%c", &k, &n, &end) == 2 && k < n;
        if (ok && a->nshards && a->nshards != n) {
            fprintf(stderr,
                    "silk-index: --shards and --shard name different numbers of "
                    "shards (%u and %u)\n",
                    a->nshards, n);
            return EXIT_USAGE;
        }
        if (!ok || n < 1 || n > SILK_SHARD_MAX) {
            fprintf(stderr, "silk-index: %s: expected %s (N from 1 to %d), not '%s'\n", label,
                    c == 'S' ? "N" : "K/N with K < N", SILK_SHARD_MAX, arg);
            return EXIT_USAGE;
        }
        a->nshards = n;
        if (c == 'K')
            a->only = (int)k;
        break;
    }
    case 'c':
        a->o->corpus = arg;
        break;
    case 'i':
        a->o->index = arg;
        break;
    case 'C':
        a->config = arg;
        break;
    case 'f':
        a->o->full = 1;
        break;
    case 'q':
        a->ui->quiet = 1;
        a->ui->bar = 0;
        break;
    case 'P':
        if (arg && strcmp(arg, "json") != 0) {
            fprintf(stderr, "silk-index: %s: expected nothing or 'json', not '%s'\n", label, arg);
            return EXIT_USAGE;
        }
        a->ui->bar = arg ? 2 : 1;
        break;
    case 'J':
    case 'F': {
        unsigned v = 0;
        char end = 0;
        unsigned max = c == 'J' ? 64 : 4096;
        if (sscanf(arg, "%u%c", &v, &end) != 1 || v < 1 || v > max) {
            fprintf(stderr, "silk-index: %s: expected a number from 1 to %u, not '%s'\n", label,
                    max, arg);
            return EXIT_USAGE;
        }
        if (c == 'J')
            a->o->jobs = v;
        else
            a->o->flush_bytes = (uint64_t)v * 1024 * 1024;
        break;
    }
    case 'j':
        a->ui->json = 1;
        break;
    case 'n':
        a->o->no_wait = 1;
        break;
    case 'm':
        if (parse_size(arg, &a->o->max_size) < 0) {
            fprintf(stderr, "silk-index: %s: not a size: '%s'\n", label, arg);
            return EXIT_USAGE;
        }
        break;
    case 'h':
        fputs(usage, stdout);
        exit(EXIT_DONE);
    }
    return 0;
}

/* One getopt pass over argv, from the start. */
static int parse_argv(int argc, char **argv, args_t *a)
{
    opterr = 0;
    optind = 0;
    int c, idx;
    while ((c = getopt_long(argc, argv, ":c:i:fqjnm:h", longopts, &idx)) != -1) {
        if (c == ':') {
            fprintf(stderr, "silk-index: option '%s' needs a value (see --help)\n",
                    argv[optind - 1]);
            return EXIT_USAGE;
        }
        if (c == '?') {
            fprintf(stderr, "silk-index: unknown option '%s' (see --help)\n", argv[optind - 1]);
            return EXIT_USAGE;
        }
        const char *name = "";
        for (const struct option *lo = longopts; lo->name; lo++)
            if (lo->val == c)
                name = lo->name;
        char label[48];
        snprintf(label, sizeof label, "--%s", name);
        int rc = apply(a, c, optarg, label);
        if (rc)
            return rc;
    }
    if (optind < argc) {
        fprintf(stderr, "silk-index: unexpected argument '%s' (see --help)\n", argv[optind]);
        return EXIT_USAGE;
    }
    return 0;
}

/* A path of the configuration file, absolute against its folder, or NULL after printing
 * why. Kept for the process in `keep`, a static, so leak checkers see it reachable. */
static const char *conf_path(const silk_config_t *conf, const silk_config_entry_t *e, char **keep)
{
    char *why = NULL;
    free(*keep);
    *keep = NULL;
    if (silk_config_path(conf, e, keep, &why) != SILK_OK)
        fprintf(stderr, "silk-index: %s\n", why ? why : "out of memory");
    free(why);
    return *keep;
}

/* The file's [paths] corpus and index and its [indexer] keys, each as its flag. */
static int apply_conf(const silk_config_t *conf, args_t *a)
{
    const silk_config_entry_t *e;
    char where[PATH_MAX + 32], label[PATH_MAX + 64];
    static char *corpus_kept, *index_kept;
    if ((e = silk_config_get(conf, "paths", "corpus")) &&
        !(a->o->corpus = conf_path(conf, e, &corpus_kept)))
        return EXIT_USAGE;
    if ((e = silk_config_get(conf, "paths", "index")) &&
        !(a->o->index = conf_path(conf, e, &index_kept)))
        return EXIT_USAGE;
    for (e = NULL; (e = silk_config_next(conf, "indexer", e));) {
        silk_config_where(conf, e, where, sizeof where);
        snprintf(label, sizeof label, "%s: %s", where, e->key);
        if (!strcmp(e->key, "max-size") || !strcmp(e->key, "shards") || !strcmp(e->key, "jobs") ||
            !strcmp(e->key, "flush-mb")) {
            int c = !strcmp(e->key, "max-size") ? 'm'
                    : !strcmp(e->key, "shards") ? 'S'
                    : !strcmp(e->key, "jobs")   ? 'J'
                                                : 'F';
            int rc = apply(a, c, e->value, label);
            if (rc)
                return rc;
            continue;
        }
        int b = silk_config_bool(e->value);
        if (b < 0) {
            fprintf(stderr, "silk-index: %s wants true or false, not '%s'\n", label, e->value);
            return EXIT_USAGE;
        }
        if (!strcmp(e->key, "quiet")) {
            a->ui->quiet = b;
            if (b)
                a->ui->bar = 0;
        } else if (!strcmp(e->key, "no-wait"))
            a->o->no_wait = b;
        else {
            fprintf(stderr, "silk-index: %s: not a setting of this silk-index\n", label);
            return EXIT_USAGE;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    silk_index_opts_t o = {0};
    ui_t ui = {0};
    ui.bar = -1;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = cores < 1 ? 1 : cores > 64 ? 64 : (unsigned)cores;
    args_t a = {.o = &o, .ui = &ui, .only = -1};
    /* Flags > environment > configuration file > defaults. A first pass over the flags, on
     * copies, finds --config (and acts on --help and on a bad flag before any file). */
    silk_index_opts_t o_scratch = o;
    ui_t ui_scratch = ui;
    args_t scratch = {.o = &o_scratch, .ui = &ui_scratch, .only = -1};
    int prc = parse_argv(argc, argv, &scratch);
    if (prc)
        return prc;
    silk_config_t *conf = NULL;
    char *why = NULL;
    if (silk_config_open(scratch.config, &conf, &why) != SILK_OK) {
        fprintf(stderr, "silk-index: %s\n", why ? why : "out of memory");
        free(why);
        return EXIT_USAGE;
    }
    free(why);
    if ((prc = apply_conf(conf, &a)) != 0) {
        silk_config_destroy(conf);
        return prc;
    }
    silk_config_destroy(conf); /* the paths taken from it are copies */
    const char *env;
    if ((env = getenv("SILK_CORPUS")) && *env)
        o.corpus = env;
    if ((env = getenv("SILK_INDEX")) && *env)
        o.index = env;
    /* Shards named in the file and on the command line are not "different numbers": the
     * command line's win. */
    unsigned conf_shards = a.nshards;
    a.nshards = 0;
    if ((prc = parse_argv(argc, argv, &a)) != 0)
        return prc;
    if (!a.nshards)
        a.nshards = conf_shards;
    unsigned nshards = a.nshards;
    int only = a.only;
    /* The XDG defaults, whatever the current folder. */
    static char corpus_buf[PATH_MAX], index_buf[PATH_MAX];
    if (!o.corpus && silk_data_path("corpus", corpus_buf, sizeof corpus_buf) == 0)
        o.corpus = corpus_buf;
    if (!o.index && silk_data_path("index", index_buf, sizeof index_buf) == 0)
        o.index = index_buf;
    if (!o.corpus || !o.index) {
        fprintf(stderr, "silk-index: no --corpus or --index given, and neither $XDG_DATA_HOME "
                        "nor $HOME is set to find the default\n");
        return EXIT_USAGE;
    }
    if (!*o.corpus || !*o.index) {
        fprintf(stderr, "silk-index: empty --corpus or --index\n");
        return EXIT_USAGE;
    }
    /* Xapian buffers this many documents' postings before merging them into its tables.
     * Our documents are paragraphs, so its default (10000) holds many more postings than
     * it was tuned for: 2500 measured ~10% less CPU and 40% less memory (100 MB corpus:
     * 114 s vs 125 s of CPU, 94 MB vs 152 MB). A value in the environment wins. */
    setenv("XAPIAN_FLUSH_THRESHOLD", "2500", 0);
    ui.tty = isatty(STDERR_FILENO);
    ui.problems = json_array();
    o.progress = on_progress;
    o.note = on_note;
    o.ud = &ui;

    silk_index_summary_t sum;
    char *msg = NULL;
    /* StrictModes (silk/trust.h): a corpus or index another user can write is refused
     * before anything is read or written. A missing corpus is left to the run's own message. */
    silk_status_t st = silk_trust_check("corpus", o.corpus, geteuid(), 0, &msg);
    if (st != SILK_ERR_INVALID) {
        free(msg);
        st = silk_trust_check("index", o.index, geteuid(), SILK_TRUST_MAY_BE_MISSING, &msg);
    }
    if (st != SILK_ERR_INVALID) {
        free(msg);
        msg = NULL;
        /* Privacy: everything the run creates (Xapian's files, the .new-PID folder of
         * --full, the stub) is no more readable than the corpus, and so is what an earlier
         * run left. */
        mode_t hide = silk_index_hidden_bits(o.corpus);
        mode_t old = umask(0);
        umask(old | hide);
        silk_index_restrict(o.index, hide);
        st = silk_build_run(&o, nshards, only, &sum, &msg);
    }
    clear_progress(&ui);
    int rc;
    if (st != SILK_OK) {
        fprintf(stderr, "silk-index: %s\n", msg ? msg : silk_status_to_string(st));
        if (ui.json) {
            json_t *j = json_pack("{s:b, s:s, s:s}", "ok", 0, "error",
                                  msg ? msg : silk_status_to_string(st), "status",
                                  silk_status_to_string(st));
            char *out = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            if (out)
                puts(out);
            free(out);
            json_decref(j);
        }
        rc = EXIT_FATAL;
    } else {
        if (ui.json)
            print_json(&o, &sum, ui.problems);
        else if (!ui.quiet)
            print_summary(&o, &sum);
        rc = sum.problems ? EXIT_SKIPPED : EXIT_DONE;
    }
    free(msg);
    json_decref(ui.problems);
    return rc;
}
