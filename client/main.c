/* silk — the command-line client: sends a query to silkd over its Unix socket and prints the
 * hits.
 *
 * The client is deliberately small (connect, write, read, print) because its start-up cost
 * is what a person at a terminal feels on every query: it links only jansson and utf8proc,
 * uses plain blocking sockets and poll(2), and holds no state between runs. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "render.h"

#define SILK_VERSION "0.1.0"

enum {
    EXIT_HITS = 0,    /* like grep: something was found */
    EXIT_NO_HITS = 1, /* nothing was found */
    EXIT_ERROR = 2,   /* anything went wrong */
};

/* Bounds of the client's own buffers and waits. */
#define MAX_QUERY_BYTES    65536                /* a batch line longer than this is refused */
#define MAX_REQUEST_BYTES  65536                /* silkd's default line limit (--max-line) */
#define MAX_RESPONSE_BYTES (256u * 1024 * 1024) /* one answer line; more is a protocol error */
#define WINDOW_REQUESTS    32                   /* pipelined requests in flight at most */
#define WINDOW_BYTES       (128 * 1024)         /* request bytes in flight at most */
#define ANSWER_TIMEOUT_MS  30000                /* silence from silkd longer than this fails */
#define START_TIMEOUT_MS   10000                /* how long --start waits for the socket */

/* What the user asked for. */
typedef enum { OP_SEARCH, OP_PING, OP_STATS, OP_REINDEX } op_t;

typedef struct options {
    op_t op;            /* the request to send */
    long long limit;    /* hits per query */
    long long offset;   /* hits to skip */
    bool any;           /* mode "any" instead of "all" */
    bool json;          /* print the daemon's lines as they are */
    bool start;         /* start silkd when nobody answers */
    bool color;         /* ANSI bold and colour on stdout */
    bool batch;         /* queries come from stdin, one per line */
    int width;          /* columns of stdout; 0: do not wrap */
    const char *socket; /* --socket, or NULL for the default */
    char *query;        /* the words of the command line joined by spaces (owned) */
} options_t;

/* A request sent (or refused before sending) and waiting for its turn to be printed. */
typedef struct pending {
    char *query;          /* query text (owned), NULL for ping/stats/reindex */
    long line;            /* input line in batch mode, 0 otherwise */
    char *local_err;      /* set when the request was never sent; printed in its turn (owned) */
    size_t bytes;         /* bytes of the request line, for the in-flight window */
    long long id;         /* request id */
    struct timespec sent; /* when it was written, for --ping's round trip */
} pending_t;

/* A growable byte buffer with a hard cap. */
typedef struct buf {
    char *data;   /* bytes [0, len) (owned) */
    size_t len;   /* bytes held */
    size_t cap;   /* bytes allocated */
    size_t limit; /* cap that may never be exceeded */
} buf_t;

/* The state of one run: the connection, what is in flight, what was found. */
typedef struct run {
    const options_t *opt;         /* what the user asked for */
    const char *sock_path;        /* the socket we talk to */
    int fd;                       /* connected socket */
    pending_t q[WINDOW_REQUESTS]; /* ring of requests in flight, oldest first */
    size_t q_head, q_count;       /* ring position and size */
    size_t inflight_bytes;        /* bytes of requests in the ring */
    long long next_id;            /* id of the next request */
    buf_t in;                     /* bytes read from stdin (batch mode) */
    bool in_eof;                  /* stdin reached its end */
    bool in_discard;              /* skipping the rest of an overlong line */
    long in_line;                 /* lines of stdin consumed */
    bool single_sent;             /* the one request of a non-batch run went out */
    buf_t resp;                   /* bytes read from the socket */
    bool any_hits, any_error;     /* for the exit status */
    long answered;                /* responses printed (for batch separators) */
} run_t;

static void errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void errorf(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("silk: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

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
          "      --socket PATH    silkd's socket; default $SILK_SOCKET, else\n"
          "                       $XDG_RUNTIME_DIR/silk.sock, else /tmp/silk-$UID/silk.sock\n"
          "      --start          if no silkd answers, start one in the background (the\n"
          "                       silkd beside this program, on its default index, logging\n"
          "                       to the socket's path + .log) and retry once\n"
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

/* ---- small helpers ------------------------------------------------------------------- */

static bool buf_reserve(buf_t *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return true;
    if (b->len + extra > b->limit)
        return false;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra)
        cap *= 2;
    if (cap > b->limit)
        cap = b->limit;
    char *p = realloc(b->data, cap);
    if (!p)
        return false;
    b->data = p;
    b->cap = cap;
    return true;
}

/* Drops the first n bytes of b. */
static void buf_consume(buf_t *b, size_t n)
{
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

static long long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000LL + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Parses a non-negative decimal number for option name; exits 2 on anything else. */
static long long parse_count(const char *name, const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < 0 || v > 1000000000LL) {
        errorf("%s wants a number from 0, got '%s' (see silk --help)", name, s);
        exit(EXIT_ERROR);
    }
    return v;
}

/* The socket silkd uses by default: $SILK_SOCKET, $XDG_RUNTIME_DIR/silk.sock, else
 * /tmp/silk-$UID/silk.sock, exactly as silkd resolves it. Returns a malloc'ed string. */
static char *default_socket(void)
{
    const char *env = getenv("SILK_SOCKET");
    char *path = NULL;
    if (env && *env)
        return strdup(env);
    env = getenv("XDG_RUNTIME_DIR");
    if (env && *env) {
        if (asprintf(&path, "%s/silk.sock", env) < 0)
            return NULL;
        return path;
    }
    if (asprintf(&path, "/tmp/silk-%u/silk.sock", (unsigned)getuid()) < 0)
        return NULL;
    return path;
}

/* ---- connecting and starting silkd --------------------------------------------------- */

/* Connects to the Unix socket at path. Returns the descriptor, or -1 with errno set. */
static int connect_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    while (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        if (errno == EINTR)
            continue;
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* True when errno after connect_unix means "nobody serves there" (as opposed to, say, a
 * permission problem that starting another daemon would not fix). */
static bool nobody_there(int err)
{
    return err == ENOENT || err == ECONNREFUSED || err == ENOTDIR;
}

/* The silkd beside this program (argv[0] resolved through /proc/self/exe), or NULL to look
 * it up in PATH. Returns a malloc'ed string or NULL. */
static char *silkd_beside_me(void)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char *path = NULL;
    if (asprintf(&path, "%s/silkd", self) < 0)
        return NULL;
    if (access(path, X_OK) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* Starts silkd in the background on sock (its default index and corpus, in the current
 * folder's terms), its output appended to sock + ".log", and waits until the socket
 * accepts a connection. Returns the connected descriptor, or -1 after printing why. */
static int start_daemon(const char *sock)
{
    char *silkd = silkd_beside_me();
    char *log = NULL;
    int fd = -1;
    pid_t pid;

    if (asprintf(&log, "%s.log", sock) < 0) {
        log = NULL;
        errorf("out of memory");
        goto out;
    }
    /* silkd creates the socket's folder itself (0700); the log lives there too, so make
     * the folder now with the same mode. */
    char *dir = strdup(sock);
    if (dir) {
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                /* Not fatal: silkd will say what is wrong with the folder. */
            }
        }
        free(dir);
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        errorf("cannot start silkd: fork: %s", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        /* The daemon must outlive this client and the terminal: its own session, no
         * terminal on stdin, output to its log. */
        setsid();
        int nul = open("/dev/null", O_RDONLY);
        int lf = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (lf < 0)
            lf = open("/dev/null", O_WRONLY);
        if (nul >= 0)
            dup2(nul, 0);
        if (lf >= 0) {
            dup2(lf, 1);
            dup2(lf, 2);
        }
        /* Nothing else of ours (or of the shell that ran us, such as the pipe of a
         * `$(silk --start ...)`) may stay open in a process that runs for months. */
        close_range(3, ~0U, 0);
        if (silkd)
            execl(silkd, "silkd", "--socket", sock, (char *)NULL);
        else
            execlp("silkd", "silkd", "--socket", sock, (char *)NULL);
        fprintf(stderr, "silk: cannot run %s: %s\n", silkd ? silkd : "silkd", strerror(errno));
        _exit(127);
    }
    fprintf(stderr, "silk: started %s (pid %ld) on %s, log in %s\n", silkd ? silkd : "silkd",
            (long)pid, sock, log);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        fd = connect_unix(sock);
        if (fd >= 0)
            break;
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            errorf("silkd exited (%s %d) before it was ready; see %s",
                   WIFEXITED(status) ? "status" : "signal",
                   WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), log);
            goto out;
        }
        if (ms_since(&t0) > START_TIMEOUT_MS) {
            errorf("silkd (pid %ld) did not open %s within %d s; see %s", (long)pid, sock,
                   START_TIMEOUT_MS / 1000, log);
            goto out;
        }
        usleep(10000);
    }
out:
    free(silkd);
    free(log);
    return fd;
}

/* Connects to silkd, starting it first with --start. Returns the descriptor or -1 after
 * printing a one-line explanation. */
static int connect_daemon(const options_t *opt, const char *sock)
{
    int fd = connect_unix(sock);
    if (fd >= 0)
        return fd;
    int err = errno;
    if (err == ENAMETOOLONG) {
        errorf("socket path too long for a Unix socket: %s", sock);
        return -1;
    }
    if (!nobody_there(err)) {
        errorf("cannot connect to silkd at %s: %s", sock, strerror(err));
        return -1;
    }
    if (opt->start)
        return start_daemon(sock);
    errorf("no silkd running at %s (start one with `silkd`, `make run` in the silk repo, or "
           "`silk --start`)",
           sock);
    return -1;
}

/* ---- requests -------------------------------------------------------------------------- */

/* Writes all of data to the socket. */
static bool send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* The request line (with its newline) for op, or NULL when out of memory. */
static char *encode_request(const options_t *opt, long long id, const char *q, size_t qlen)
{
    json_t *req = NULL;
    char *line = NULL, *out = NULL;
    switch (opt->op) {
    case OP_SEARCH:
        req = json_pack("{s:I,s:s,s:s%,s:s,s:I,s:I}", "id", (json_int_t)id, "op", "search", "q", q,
                        qlen, "mode", opt->any ? "any" : "all", "limit", (json_int_t)opt->limit,
                        "offset", (json_int_t)opt->offset);
        break;
    case OP_PING:
        req = json_pack("{s:I,s:s}", "id", (json_int_t)id, "op", "ping");
        break;
    case OP_STATS:
        req = json_pack("{s:I,s:s}", "id", (json_int_t)id, "op", "stats");
        break;
    case OP_REINDEX:
        req = json_pack("{s:I,s:s}", "id", (json_int_t)id, "op", "reindex");
        break;
    }
    if (!req)
        goto out;
    line = json_dumps(req, JSON_COMPACT);
    if (!line)
        goto out;
    if (asprintf(&out, "%s\n", line) < 0)
        out = NULL;
out:
    free(line);
    json_decref(req);
    return out;
}

/* Queues a request for query q[0..qlen) (ignored unless searching) and sends it; a request
 * that cannot be made is queued as a local error, printed in its turn. Returns false when
 * the socket failed. */
static bool submit(run_t *r, const char *q, size_t qlen, long line, char *local_err)
{
    pending_t *p = &r->q[(r->q_head + r->q_count) % WINDOW_REQUESTS];
    memset(p, 0, sizeof *p);
    p->line = line;
    p->id = r->next_id++;
    r->q_count++;
    if (r->opt->op == OP_SEARCH) {
        /* JSON strings must be valid UTF-8: invalid bytes become U+FFFD, as the index
         * itself decodes them. */
        size_t fixed_len;
        p->query = silk_utf8_fix(q, qlen, &fixed_len);
        if (!p->query && !local_err)
            local_err = strdup("out of memory");
        qlen = fixed_len;
    }
    if (local_err) {
        p->local_err = local_err;
        return true;
    }
    char *req = encode_request(r->opt, p->id, p->query, p->query ? qlen : 0);
    if (!req) {
        p->local_err = strdup("out of memory");
        return true;
    }
    if (strlen(req) > MAX_REQUEST_BYTES) {
        /* silkd answers a longer line with too_large and closes the connection, which
         * would cost the answers to every other query of a batch. */
        free(req);
        if (asprintf(&p->local_err, "query too long (silkd reads lines up to %d bytes)",
                     MAX_REQUEST_BYTES) < 0)
            p->local_err = strdup("query too long");
        return true;
    }
    p->bytes = strlen(req);
    r->inflight_bytes += p->bytes;
    clock_gettime(CLOCK_MONOTONIC, &p->sent);
    bool ok = send_all(r->fd, req, p->bytes);
    free(req);
    if (!ok) {
        errorf("cannot send to silkd at %s: %s", r->sock_path, strerror(errno));
        return false;
    }
    return true;
}

static void pop(run_t *r)
{
    pending_t *p = &r->q[r->q_head];
    r->inflight_bytes -= p->bytes;
    free(p->query);
    free(p->local_err);
    memset(p, 0, sizeof *p);
    r->q_head = (r->q_head + 1) % WINDOW_REQUESTS;
    r->q_count--;
}

/* ---- printing ------------------------------------------------------------------------- */

static const char *color(const run_t *r, const char *esc)
{
    return r->opt->color ? esc : "";
}

/* "line 3: " in batch mode, "" otherwise; points into a static buffer. */
static const char *where(const run_t *r, const pending_t *p)
{
    static char s[48];
    if (!r->opt->batch)
        return "";
    snprintf(s, sizeof s, "line %ld: ", p->line);
    return s;
}

/* Prints an error answer: `silk: bad query: unbalanced quote at 5`, and on a terminal the
 * query with a caret under the position. */
static void print_error(run_t *r, const pending_t *p, json_t *resp)
{
    json_t *err = json_object_get(resp, "error");
    const char *code = json_string_value(json_object_get(err, "code"));
    const char *msg = json_string_value(json_object_get(err, "message"));
    json_t *pos = json_object_get(err, "position");
    char what[64];

    snprintf(what, sizeof what, "%s", code ? code : "error");
    for (char *c = what; *c; c++)
        if (*c == '_')
            *c = ' ';
    errorf("%s%s: %s", where(r, p), what, msg ? msg : "(no message)");
    if (json_is_integer(pos) && p->query && isatty(2)) {
        size_t at = (size_t)json_integer_value(pos), qlen = strlen(p->query);
        if (at <= qlen) {
            fputs("  ", stderr);
            silk_render_cut(stderr, p->query, qlen, 0);
            fprintf(stderr, "\n  %*s^\n", (int)silk_text_width(p->query, at), "");
        }
    }
}

/* Writes a line of the footer wrapped at the width, bold from byte `bold_from` on (when
 * non-zero and colour is on). */
static void print_line(run_t *r, const char *text, size_t bold_from)
{
    silk_render_opts_t ro = {.width = r->opt->width, .color = r->opt->color};
    size_t len = strlen(text);
    silk_hl_t hl = {bold_from, len};
    silk_render_wrap(stdout, text, len, &hl, bold_from ? 1 : 0, &ro);
}

/* Writes a one-line header: rank, id, article › section, cut to the terminal width. */
static void print_hit_header(run_t *r, json_t *hit, int rank_cols)
{
    const char *id = json_string_value(json_object_get(hit, "id"));
    const char *article = json_string_value(json_object_get(hit, "article"));
    const char *section = json_string_value(json_object_get(hit, "section"));
    json_int_t rank = json_integer_value(json_object_get(hit, "rank"));
    int width = r->opt->width;
    char *title = NULL;

    printf("%*lld  ", rank_cols, (long long)rank);
    int col = rank_cols + 2;
    int left = width > 0 ? width - col : 0;
    if (width > 0 && left < 1)
        left = 1;
    fputs(color(r, SILK_ANSI_CYAN), stdout);
    int used = silk_render_cut(stdout, id ? id : "?", strlen(id ? id : "?"), left);
    fputs(color(r, SILK_ANSI_RESET), stdout);
    if (article && *article) {
        if (section && *section) {
            if (asprintf(&title, "%s › %s", article, section) < 0)
                title = NULL;
        } else {
            title = strdup(article);
        }
    }
    if (title && (width <= 0 || left - used > 3)) {
        fputs("  ", stdout);
        silk_render_cut(stdout, title, strlen(title), width > 0 ? left - used - 2 : 0);
    }
    fputc('\n', stdout);
    free(title);
}

/* Prints a search answer; returns its contribution to the exit status. */
static int print_search(run_t *r, const pending_t *p, json_t *resp)
{
    json_t *hits = json_object_get(resp, "hits");
    json_int_t total = json_integer_value(json_object_get(resp, "total"));
    json_int_t took = json_integer_value(json_object_get(resp, "took_us"));
    bool exact = !json_is_false(json_object_get(resp, "exact"));
    bool relaxed = json_is_true(json_object_get(resp, "relaxed"));
    const char *dym = json_string_value(json_object_get(resp, "did_you_mean"));
    size_t nhits = json_array_size(hits);
    int rank_cols = 1;

    if (r->opt->batch) {
        if (r->answered > 1)
            fputc('\n', stdout);
        printf("%squery:%s ", color(r, SILK_ANSI_BOLD), color(r, SILK_ANSI_RESET));
        silk_render_cut(stdout, p->query, strlen(p->query), 0);
        fputs("\n\n", stdout);
    }
    for (size_t i = 0; i < nhits; i++) {
        long long rank =
            (long long)json_integer_value(json_object_get(json_array_get(hits, i), "rank"));
        int cols = snprintf(NULL, 0, "%lld", rank);
        if (cols > rank_cols)
            rank_cols = cols;
    }
    for (size_t i = 0; i < nhits; i++) {
        json_t *hit = json_array_get(hits, i);
        const char *snippet = json_string_value(json_object_get(hit, "snippet"));
        json_t *hl = json_object_get(hit, "highlights");
        silk_hl_t ranges[64];
        size_t nr = 0;

        print_hit_header(r, hit, rank_cols);
        for (size_t k = 0; k < json_array_size(hl) && nr < 64; k++) {
            json_t *pair = json_array_get(hl, k);
            json_int_t s = json_integer_value(json_array_get(pair, 0));
            json_int_t e = json_integer_value(json_array_get(pair, 1));
            if (s >= 0 && e > s)
                ranges[nr++] = (silk_hl_t){(size_t)s, (size_t)e};
        }
        if (snippet) {
            silk_render_opts_t ro = {
                .width = r->opt->width, .indent = rank_cols + 2, .color = r->opt->color};
            silk_render_wrap(stdout, snippet, json_string_length(json_object_get(hit, "snippet")),
                             ranges, nr, &ro);
        }
        fputc('\n', stdout);
    }

    /* The footer: how many, how fast, and what silkd did to the query. */
    char count[96];
    long long first = r->opt->offset + 1, last = r->opt->offset + (long long)nhits;
    if (total <= 0 && nhits == 0)
        snprintf(count, sizeof count, "No hits");
    else if (r->opt->offset == 0 && (long long)nhits == total && exact)
        snprintf(count, sizeof count, "%lld hit%s", (long long)total, total == 1 ? "" : "s");
    else if (nhits == 0 && r->opt->limit == 0)
        snprintf(count, sizeof count, "%s%lld hit%s", exact ? "" : "about ", (long long)total,
                 total == 1 ? "" : "s");
    else if (nhits == 0)
        snprintf(count, sizeof count, "No hits past %lld of %s%lld", (long long)r->opt->offset,
                 exact ? "" : "about ", (long long)total);
    else
        snprintf(count, sizeof count, "Hits %lld–%lld of %s%lld", first, last,
                 exact ? "" : "about ", (long long)total);
    char *line = NULL;
    if (asprintf(&line, "%s · silkd took %.2f ms", count, (double)took / 1000.0) >= 0)
        print_line(r, line, 0);
    free(line);
    if (relaxed && (total > 0 || nhits > 0))
        print_line(r, "No document has every word; showing documents with any of them.", 0);
    if (dym && *dym) {
        line = NULL;
        if (asprintf(&line, "Did you mean: %s", dym) >= 0)
            print_line(r, line, strlen("Did you mean: "));
        free(line);
    }
    return (total > 0 || nhits > 0) ? EXIT_HITS : EXIT_NO_HITS;
}

/* Prints the fields of an object as `a.b: value` lines, for --stats and --reindex. */
static void print_fields(const char *prefix, json_t *obj)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (!*prefix && (!strcmp(key, "id") || !strcmp(key, "ok")))
            continue;
        char *name = NULL;
        if (asprintf(&name, "%s%s%s", prefix, *prefix ? "." : "", key) < 0)
            return;
        if (json_is_object(v) && json_object_size(v) > 0) {
            print_fields(name, v);
        } else if (json_is_string(v)) {
            printf("%s: ", name);
            silk_render_cut(stdout, json_string_value(v), json_string_length(v), 0);
            fputc('\n', stdout);
        } else if (json_is_real(v)) {
            printf("%s: %.6g\n", name, json_real_value(v)); /* not 221.19999999999999 */
        } else {
            char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            printf("%s: %s\n", name, s ? s : "?");
            free(s);
        }
        free(name);
    }
}

/* Prints the answer to --reindex as a sentence when it carries the indexer's summary, and
 * field by field otherwise. */
static void print_reindex(json_t *resp)
{
    json_t *sum = json_object_get(resp, "summary");
    if (!json_is_object(sum)) {
        print_fields("", resp);
        return;
    }
#define NUM(obj, key) ((long long)json_integer_value(json_object_get((obj), (key))))
    long long problems = NUM(sum, "problems_count");
    if (json_is_true(json_object_get(sum, "up_to_date")))
        printf("Index up to date: %lld documents, revision %lld", NUM(sum, "docs_total"),
               NUM(sum, "revision"));
    else
        printf("Re-indexed %lld changed, %lld new and %lld removed files: %lld documents added, "
               "%lld replaced, %lld deleted; %lld in all, revision %lld",
               NUM(sum, "files_changed"), NUM(sum, "files_added"), NUM(sum, "files_removed"),
               NUM(sum, "docs_added"), NUM(sum, "docs_replaced"), NUM(sum, "docs_deleted"),
               NUM(sum, "docs_total"), NUM(sum, "revision"));
    if (json_is_integer(json_object_get(resp, "took_ms")))
        printf(" (%lld ms)", NUM(resp, "took_ms"));
    printf(".\n");
    if (problems > 0)
        printf("The indexer reported %lld problem%s; `silk --reindex --json` lists them.\n",
               problems, problems == 1 ? "" : "s");
#undef NUM
}

/* Handles one answer line for the oldest request; returns false on a protocol error. */
static bool handle_answer(run_t *r, const char *line, size_t len)
{
    pending_t *p = &r->q[r->q_head];
    json_error_t jerr;
    json_t *resp = json_loadb(line, len, 0, &jerr);
    int status = EXIT_ERROR;

    r->answered++;
    if (!json_is_object(resp)) {
        errorf("%ssilkd at %s sent an answer that is not a JSON object: %s", where(r, p),
               r->sock_path, jerr.text);
        json_decref(resp);
        return false;
    }
    json_t *id = json_object_get(resp, "id");
    if (json_is_integer(id) && json_integer_value(id) != p->id) {
        errorf("silkd at %s answered request %lld when %lld was expected", r->sock_path,
               (long long)json_integer_value(id), p->id);
        json_decref(resp);
        return false;
    }
    bool ok = json_is_true(json_object_get(resp, "ok"));
    if (r->opt->json) {
        fwrite(line, 1, len, stdout);
        fputc('\n', stdout);
    }
    if (!ok) {
        print_error(r, p, resp);
    } else if (r->opt->op == OP_SEARCH) {
        status = r->opt->json ? ((json_integer_value(json_object_get(resp, "total")) > 0 ||
                                  json_array_size(json_object_get(resp, "hits")) > 0)
                                     ? EXIT_HITS
                                     : EXIT_NO_HITS)
                              : print_search(r, p, resp);
    } else {
        status = EXIT_HITS;
        if (!r->opt->json && r->opt->op == OP_PING) {
            struct timespec t;
            clock_gettime(CLOCK_MONOTONIC, &t);
            double ms = (double)(t.tv_sec - p->sent.tv_sec) * 1e3 +
                        (double)(t.tv_nsec - p->sent.tv_nsec) / 1e6;
            printf("silkd is up at %s (answered in %.2f ms)\n", r->sock_path, ms);
        } else if (!r->opt->json && r->opt->op == OP_REINDEX) {
            print_reindex(resp);
        } else if (!r->opt->json) {
            print_fields("", resp);
        }
    }
    if (status == EXIT_ERROR)
        r->any_error = true;
    else if (status == EXIT_HITS)
        r->any_hits = true;
    /* Flush per answer so that a pipeline reading our output sees each result as soon as
     * it is known, not when a stdio buffer fills. */
    fflush(stdout);
    json_decref(resp);
    pop(r);
    return true;
}

/* Prints the local errors at the head of the queue, in their turn. */
static void drain_local(run_t *r)
{
    while (r->q_count > 0 && r->q[r->q_head].local_err) {
        pending_t *p = &r->q[r->q_head];
        errorf("%s%s", where(r, p), p->local_err);
        r->any_error = true;
        r->answered++;
        pop(r);
    }
}

/* ---- the loop ------------------------------------------------------------------------- */

/* Takes the next query line from the stdin buffer, if a whole one is there (or the last,
 * unterminated one at end of input), and submits it. Returns 1 when it submitted, 0 when
 * no line is ready, -1 on a socket failure. */
static int next_batch_line(run_t *r)
{
    for (;;) {
        char *nl = r->in.len ? memchr(r->in.data, '\n', r->in.len) : NULL;
        size_t n;
        if (r->in_discard) {
            /* The rest of an overlong line, already reported: dropped as it arrives. */
            if (!nl) {
                r->in.len = 0;
                return 0;
            }
            buf_consume(&r->in, (size_t)(nl - r->in.data) + 1);
            r->in_discard = false;
            continue;
        }
        if (nl) {
            n = (size_t)(nl - r->in.data);
        } else if (r->in_eof && r->in.len > 0) {
            n = r->in.len;
        } else {
            if (!r->in_eof && r->in.len >= MAX_QUERY_BYTES) {
                /* A line this long is refused; its rest is skipped as it arrives. */
                r->in_line++;
                r->in_discard = true;
                r->in.len = 0;
                char *msg = NULL;
                if (asprintf(&msg, "query longer than %d bytes", MAX_QUERY_BYTES) < 0)
                    msg = NULL;
                return submit(r, "", 0, r->in_line, msg ? msg : strdup("query too long")) ? 1 : -1;
            }
            return 0;
        }
        size_t consumed = nl ? n + 1 : n;
        if (n > MAX_QUERY_BYTES) {
            r->in_line++;
            buf_consume(&r->in, consumed);
            char *msg = NULL;
            if (asprintf(&msg, "query longer than %d bytes", MAX_QUERY_BYTES) < 0)
                msg = NULL;
            return submit(r, "", 0, r->in_line, msg ? msg : strdup("query too long")) ? 1 : -1;
        }
        r->in_line++;
        size_t qlen = n;
        if (qlen > 0 && r->in.data[qlen - 1] == '\r')
            qlen--;
        size_t s = 0;
        while (s < qlen && (r->in.data[s] == ' ' || r->in.data[s] == '\t'))
            s++;
        if (s == qlen) { /* a blank line is no query */
            buf_consume(&r->in, consumed);
            continue;
        }
        bool ok = submit(r, r->in.data, qlen, r->in_line, NULL);
        buf_consume(&r->in, consumed);
        return ok ? 1 : -1;
    }
}

/* Submits what may go out now. Returns false on a socket failure. */
static bool fill(run_t *r)
{
    while (r->q_count < WINDOW_REQUESTS && (r->q_count == 0 || r->inflight_bytes < WINDOW_BYTES)) {
        if (!r->opt->batch) {
            if (r->single_sent)
                return true;
            r->single_sent = true;
            const char *q = r->opt->query ? r->opt->query : "";
            if (!submit(r, q, strlen(q), 0, NULL))
                return false;
            continue;
        }
        int got = next_batch_line(r);
        if (got < 0)
            return false;
        if (got == 0)
            return true;
    }
    return true;
}

static bool source_done(const run_t *r)
{
    return r->opt->batch ? (r->in_eof && r->in.len == 0) : r->single_sent;
}

/* Reads from the socket and handles every whole answer line. Returns false when the
 * connection failed or closed early. */
static bool read_answers(run_t *r)
{
    if (!buf_reserve(&r->resp, 65536)) {
        errorf("an answer from silkd at %s is longer than %u bytes", r->sock_path,
               MAX_RESPONSE_BYTES);
        return false;
    }
    ssize_t n = read(r->fd, r->resp.data + r->resp.len, r->resp.cap - r->resp.len);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return true;
        errorf("cannot read from silkd at %s: %s", r->sock_path, strerror(errno));
        return false;
    }
    if (n == 0) {
        errorf("silkd at %s closed the connection before answering", r->sock_path);
        return false;
    }
    size_t scanned = r->resp.len;
    r->resp.len += (size_t)n;
    char *nl;
    while ((nl = memchr(r->resp.data + scanned, '\n', r->resp.len - scanned)) != NULL) {
        size_t len = (size_t)(nl - r->resp.data);
        if (r->q_count == 0) {
            errorf("silkd at %s sent an answer nobody asked for", r->sock_path);
            return false;
        }
        if (!handle_answer(r, r->resp.data, len))
            return false;
        buf_consume(&r->resp, len + 1);
        scanned = 0;
        drain_local(r);
    }
    return true;
}

static bool read_stdin(run_t *r)
{
    if (!buf_reserve(&r->in, 65536)) {
        errorf("out of memory");
        return false;
    }
    ssize_t n = read(0, r->in.data + r->in.len, r->in.cap - r->in.len);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return true;
        errorf("cannot read standard input: %s", strerror(errno));
        return false;
    }
    if (n == 0)
        r->in_eof = true;
    r->in.len += (size_t)n;
    return true;
}

/* Sends every request and prints every answer in order. Returns false on a failure that
 * ends the run (the connection, not a bad query). */
static bool run_loop(run_t *r)
{
    for (;;) {
        if (!fill(r))
            return false;
        drain_local(r);
        if (r->q_count == 0 && source_done(r))
            return true;

        struct pollfd fds[2];
        nfds_t nfds = 0;
        int sock_i = -1, in_i = -1;
        if (r->q_count > 0) {
            sock_i = (int)nfds;
            fds[nfds++] = (struct pollfd){.fd = r->fd, .events = POLLIN};
        }
        if (r->opt->batch && !r->in_eof && r->q_count < WINDOW_REQUESTS) {
            in_i = (int)nfds;
            fds[nfds++] = (struct pollfd){.fd = 0, .events = POLLIN};
        }
        if (nfds == 0)
            return true; /* nothing left to wait for */
        int timeout = (r->q_count > 0 && r->opt->op != OP_REINDEX) ? ANSWER_TIMEOUT_MS : -1;
        int ready = poll(fds, nfds, timeout);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            errorf("poll: %s", strerror(errno));
            return false;
        }
        if (ready == 0) {
            errorf("no answer from silkd at %s within %d s", r->sock_path,
                   ANSWER_TIMEOUT_MS / 1000);
            return false;
        }
        if (in_i >= 0 && (fds[in_i].revents & (POLLIN | POLLHUP | POLLERR)) && !read_stdin(r))
            return false;
        if (sock_i >= 0 && (fds[sock_i].revents & (POLLIN | POLLHUP | POLLERR)) && !read_answers(r))
            return false;
    }
}

/* ---- options ------------------------------------------------------------------------- */

static void parse_options(int orig_argc, char **orig_argv, options_t *opt)
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
        O_START
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
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0},
    };
    const char *color_when = "auto";
    int ops = 0, c;

    int argc;
    char *why = NULL;
    char **argv = silk_args_reorder(orig_argc, orig_argv, "hn:", longs, &argc, &why);
    if (!argv) {
        errorf("%s (see silk --help)", why ? why : "out of memory");
        free(why);
        exit(EXIT_ERROR);
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
                errorf("--socket wants a path (see silk --help)");
                exit(EXIT_ERROR);
            }
            opt->socket = optarg;
            break;
        case O_STATS:
            opt->op = OP_STATS, ops++;
            break;
        case O_PING:
            opt->op = OP_PING, ops++;
            break;
        case O_REINDEX:
            opt->op = OP_REINDEX, ops++;
            break;
        case O_COLOR:
            if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never")) {
                errorf("--color wants auto, always or never, got '%s'", optarg);
                exit(EXIT_ERROR);
            }
            color_when = optarg;
            break;
        case O_START:
            opt->start = true;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case O_VERSION:
            printf("silk %s\n", SILK_VERSION);
            exit(0);
        case ':':
            errorf("option '%s' wants a value (see silk --help)", argv[optind - 1]);
            exit(EXIT_ERROR);
        default:
            if (optopt && optopt != '?' && optopt < 256)
                errorf("unknown option '-%c' (see silk --help)", optopt);
            else
                errorf("unknown option '%s' (see silk --help)", argv[optind - 1]);
            exit(EXIT_ERROR);
        }
    }
    if (ops > 1) {
        errorf("--ping, --stats and --reindex go one at a time");
        exit(EXIT_ERROR);
    }

    /* Join the remaining words into one query. */
    if (optind < argc) {
        if (opt->op != OP_SEARCH) {
            errorf("a query makes no sense with --ping, --stats or --reindex");
            exit(EXIT_ERROR);
        }
        size_t len = 0;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        opt->query = malloc(len);
        if (!opt->query) {
            errorf("out of memory");
            exit(EXIT_ERROR);
        }
        opt->query[0] = '\0';
        for (int i = optind; i < argc; i++) {
            if (i > optind)
                strcat(opt->query, " ");
            strcat(opt->query, argv[i]);
        }
    } else if (opt->op == OP_SEARCH) {
        if (!isatty(0)) {
            opt->batch = true;
        } else if (opt->start) {
            opt->op = OP_PING; /* `silk --start` alone: make sure silkd runs */
        } else {
            errorf("no query given (try: silk \"axis of evil\"; see silk --help)");
            exit(EXIT_ERROR);
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

int main(int argc, char **argv)
{
    options_t opt = {.op = OP_SEARCH, .limit = 10};
    run_t r = {.opt = &opt, .fd = -1, .next_id = 1};
    char *sock = NULL;
    int status = EXIT_ERROR;

    parse_options(argc, argv, &opt);
    /* jansson seeds its hash function from /dev/urandom on first use: an open, a read and
     * a close on every query. The client parses only its own daemon's answers, so a seed
     * from the clock is enough. */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    json_object_seed(((size_t)now.tv_nsec ^ (size_t)now.tv_sec ^ ((size_t)getpid() << 16)) | 1);
    r.in.limit = MAX_QUERY_BYTES + 65536;
    r.resp.limit = MAX_RESPONSE_BYTES;

    sock = opt.socket ? strdup(opt.socket) : default_socket();
    if (!sock) {
        errorf("out of memory");
        goto out;
    }
    r.sock_path = sock;
    r.fd = connect_daemon(&opt, sock);
    if (r.fd < 0)
        goto out;
    if (!run_loop(&r))
        goto out;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        errorf("cannot write the output: %s", strerror(errno));
        goto out;
    }
    status = r.any_error ? EXIT_ERROR : r.any_hits ? EXIT_HITS : EXIT_NO_HITS;
out:
    while (r.q_count > 0)
        pop(&r);
    if (r.fd >= 0)
        close(r.fd);
    free(r.in.data);
    free(r.resp.data);
    free(opt.query);
    free(sock);
    return status;
}
