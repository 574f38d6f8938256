/* SPDX-License-Identifier: GPL-2.0-or-later */
/* loadgen — a load generator for silkd (libuv, one thread).
 *
 * Opens N connections to the daemon's socket, keeps `depth` requests in flight on each
 * (pipelined; the protocol answers in order, so the oldest send time belongs to the next
 * answer), cycles through a query mix, and after a warm-up measures for a fixed duration:
 * answers per second, latency percentiles from a log-linear histogram, errors, and the CPU
 * used by the server (from /proc/PID/stat) and by itself (getrusage).
 *
 * With --http the same load goes as HTTP/1.1 over the same socket: each query a keep-alive
 * `GET /search?q=...` (the answers read by http-parser in response mode), so the two
 * protocols can be compared on one daemon in one run.
 *
 *   loadgen --socket PATH [--connections N] [--depth D] [--duration S] [--warmup S]
 *           [--queries FILE] [--ping] [--raw] [--http] [--limit N] [--server-pid PID]
 *           [--json]
 */
#include <errno.h>
#include <getopt.h>
#include <http_parser.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <uv.h>

#include "common.h"

#define HIST_SUB     16
#define HIST_BUCKETS (16 + 44 * HIST_SUB)

typedef struct conn {
    uv_pipe_t pipe;     /* the socket */
    uv_connect_t creq;  /* connect request */
    uv_write_t wreq;    /* the write in progress */
    int writing;        /* wreq in use */
    char *wbuf;         /* bytes of the write in progress */
    size_t wcap;        /* its capacity */
    size_t want_send;   /* requests to send once the write in progress completes */
    uint64_t *sent_at;  /* ring of send times, depth entries */
    size_t head, count; /* oldest unanswered, number unanswered */
    size_t next_query;  /* index into the mix */
    char prefix[40];    /* the beginning of the current response line */
    size_t prefix_len;  /* bytes in prefix */
    http_parser hp;     /* --http: the responses */
    uint64_t now;       /* --http: when the bytes being parsed arrived */
    size_t done;        /* --http: responses completed in this read */
    char rbuf[65536];   /* read buffer */
} conn_t;

static struct {
    const char *socket;
    unsigned connections, depth, limit;
    double duration, warmup;
    const char *queries;
    int ping, raw, json, http;
    long server_pid;
} opt = {NULL, 8, 1, 10, 5.0, 1.0, NULL, 0, 0, 0, 0, 0};

static uv_loop_t *loop;
static conn_t *conns;
static char **mix;      /* request lines, each ending in '\n' */
static size_t *mix_len; /* their lengths */
static size_t nmix;
static int measuring, stopping;
static uint64_t t_start, t_end;
static uint64_t answered, errors, total_answered;
static uint64_t hist[HIST_BUCKETS];
static uint64_t max_ns;
static uv_timer_t phase_timer;
static double srv_cpu0, self_cpu0;
static unsigned connected, failed;

static const char *default_mix[] = {
    "iran",
    "north korea",
    "missile",
    "axis of evil",
    "nuclear weapons",
    "tehran",
    "silla",
    "kind:reference",
    "weapons OR arms",
    "\"north korea\"",
    "pyongyang",
    "syria -iran",
    "coughlin",
    "cooperation",
    "ballistic missile",
    "persia silk road",
    "embassy",
    "sanctions",
    "revolution 1979",
    "hwasong",
};

static unsigned bucket(uint64_t ns)
{
    if (ns < 16)
        return (unsigned)ns;
    unsigned e = 63u - (unsigned)__builtin_clzll(ns);
    unsigned sub = (unsigned)(ns >> (e - 4)) & (HIST_SUB - 1);
    unsigned b = 16 + (e - 4) * HIST_SUB + sub;
    return b < HIST_BUCKETS ? b : HIST_BUCKETS - 1;
}

static double bucket_value(unsigned b)
{
    if (b < 16)
        return b;
    unsigned e = (b - 16) / HIST_SUB + 4, sub = (b - 16) % HIST_SUB;
    double step = ldexp(1.0, (int)e - 4);
    return ldexp(1.0, (int)e) + sub * step + step / 2;
}

static double percentile(double q)
{
    uint64_t n = 0;
    for (unsigned b = 0; b < HIST_BUCKETS; b++)
        n += hist[b];
    if (!n)
        return 0;
    uint64_t want = (uint64_t)ceil(q * (double)n), cum = 0;
    for (unsigned b = 0; b < HIST_BUCKETS; b++) {
        cum += hist[b];
        if (cum >= want)
            return bucket_value(b) / 1000.0;
    }
    return 0;
}

/* CPU seconds of the server so far (0 without --server-pid). */
static double server_cpu(void)
{
    return opt.server_pid > 0 ? bench_process_cpu(opt.server_pid) : 0;
}

static void on_write(uv_write_t *req, int status);

/* Sends n more requests on c in one write (or remembers them while a write is busy). */
static void send_requests(conn_t *c, size_t n)
{
    if (stopping || n == 0)
        return;
    if (c->writing) {
        c->want_send += n;
        return;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += mix_len[(c->next_query + i) % nmix];
    if (len > c->wcap) {
        c->wcap = len * 2;
        c->wbuf = realloc(c->wbuf, c->wcap);
        if (!c->wbuf) {
            fprintf(stderr, "loadgen: out of memory\n");
            exit(1);
        }
    }
    uint64_t now = uv_hrtime();
    len = 0;
    for (size_t i = 0; i < n; i++) {
        size_t q = c->next_query++ % nmix;
        memcpy(c->wbuf + len, mix[q], mix_len[q]);
        len += mix_len[q];
        c->sent_at[(c->head + c->count) % opt.depth] = now;
        c->count++;
    }
    uv_buf_t b = uv_buf_init(c->wbuf, (unsigned)len);
    c->writing = 1;
    c->wreq.data = c;
    if (uv_write(&c->wreq, (uv_stream_t *)&c->pipe, &b, 1, on_write) != 0) {
        fprintf(stderr, "loadgen: write failed\n");
        exit(1);
    }
}

static void on_write(uv_write_t *req, int status)
{
    conn_t *c = req->data;
    c->writing = 0;
    if (status < 0 && !stopping) {
        fprintf(stderr, "loadgen: write: %s\n", uv_strerror(status));
        exit(1);
    }
    size_t n = c->want_send;
    c->want_send = 0;
    send_requests(c, n);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    conn_t *c = h->data;
    (void)suggested;
    *buf = uv_buf_init(c->rbuf, sizeof c->rbuf);
}

/* One answer arrived on c: its latency belongs to the oldest request in flight. */
static void answered_one(conn_t *c, uint64_t now, int is_error)
{
    if (c->count == 0) {
        fprintf(stderr, "loadgen: an answer nobody asked for\n");
        exit(1);
    }
    uint64_t ns = now - c->sent_at[c->head];
    c->head = (c->head + 1) % opt.depth;
    c->count--;
    total_answered++;
    if (measuring) {
        answered++;
        hist[bucket(ns)]++;
        if (ns > max_ns)
            max_ns = ns;
        if (is_error)
            errors++;
    }
}

static int on_http_complete(http_parser *p)
{
    conn_t *c = p->data;
    answered_one(c, c->now, p->status_code != 200);
    c->done++;
    return 0;
}

static const http_parser_settings http_settings = {.on_message_complete = on_http_complete};

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    conn_t *c = s->data;
    if (nread < 0) {
        if (!stopping) {
            fprintf(stderr, "loadgen: the daemon closed a connection: %s\n",
                    uv_strerror((int)nread));
            exit(1);
        }
        uv_read_stop(s);
        return;
    }
    uint64_t now = uv_hrtime();
    size_t done = 0;
    if (opt.http) {
        c->now = now;
        c->done = 0;
        size_t n = http_parser_execute(&c->hp, &http_settings, buf->base, (size_t)nread);
        if (n != (size_t)nread || HTTP_PARSER_ERRNO(&c->hp) != HPE_OK) {
            fprintf(stderr, "loadgen: a bad HTTP response: %s\n",
                    http_errno_description(HTTP_PARSER_ERRNO(&c->hp)));
            exit(1);
        }
        send_requests(c, c->done);
        return;
    }
    const char *p = buf->base, *end = buf->base + nread;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t take = (size_t)((nl ? nl : end) - p);
        if (c->prefix_len < sizeof c->prefix - 1) {
            size_t k = sizeof c->prefix - 1 - c->prefix_len;
            if (k > take)
                k = take;
            memcpy(c->prefix + c->prefix_len, p, k);
            c->prefix_len += k;
        }
        if (!nl)
            break;
        c->prefix[c->prefix_len] = '\0';
        answered_one(c, now, strstr(c->prefix, "\"ok\":false") != NULL);
        c->prefix_len = 0;
        done++;
        p = nl + 1;
    }
    send_requests(c, done);
}

static void on_phase(uv_timer_t *t)
{
    if (!measuring) {
        measuring = 1;
        t_start = uv_hrtime();
        srv_cpu0 = server_cpu();
        self_cpu0 = bench_self_cpu();
        uv_timer_start(t, on_phase, (uint64_t)(opt.duration * 1000), 0);
        return;
    }
    t_end = uv_hrtime();
    double secs = (double)(t_end - t_start) / 1e9;
    double srv = server_cpu() - srv_cpu0, self = bench_self_cpu() - self_cpu0;
    measuring = 0;
    stopping = 1;
    double qps = (double)answered / secs;
    if (opt.json) {
        printf("{\"protocol\":\"%s\",\"connections\":%u,\"depth\":%u,\"duration_s\":%.2f,"
               "\"requests\":%llu,"
               "\"errors\":%llu,\"qps\":%.0f,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
               "\"p999_us\":%.1f,\"max_us\":%.1f,\"server_cpu\":%.2f,\"loadgen_cpu\":%.2f}\n",
               opt.http ? "http" : "ndjson", opt.connections, opt.depth, secs,
               (unsigned long long)answered, (unsigned long long)errors, qps, percentile(0.5),
               percentile(0.9), percentile(0.99), percentile(0.999), (double)max_ns / 1000.0,
               opt.server_pid > 0 ? srv / secs : -1, self / secs);
    } else {
        printf("%s%s: %u connections x depth %u, %.1f s: %llu answers, %llu errors\n",
               opt.http ? "http " : "", opt.ping ? "ping" : "search", opt.connections, opt.depth,
               secs, (unsigned long long)answered, (unsigned long long)errors);
        printf("  %.0f answers/s   latency us: p50 %.1f  p90 %.1f  p99 %.1f  p999 %.1f  "
               "max %.1f\n",
               qps, percentile(0.5), percentile(0.9), percentile(0.99), percentile(0.999),
               (double)max_ns / 1000.0);
        if (opt.server_pid > 0)
            printf("  CPU: server %.0f%%   loadgen %.0f%%   (100%% = one core)\n", 100 * srv / secs,
                   100 * self / secs);
        else
            printf("  CPU: loadgen %.0f%% (give --server-pid for the server's)\n",
                   100 * self / secs);
    }
    fflush(stdout);
    /* Done: leave without waiting for the answers still in flight. */
    exit(errors ? 3 : 0);
}

static void on_connect(uv_connect_t *req, int status)
{
    conn_t *c = req->data;
    if (status < 0) {
        fprintf(stderr, "loadgen: cannot connect to %s: %s\n", opt.socket, uv_strerror(status));
        failed++;
        exit(1);
    }
    connected++;
    uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
    if (connected == opt.connections) {
        /* Everyone is connected: start the load and the warm-up clock together. */
        for (unsigned i = 0; i < opt.connections; i++)
            send_requests(&conns[i], opt.depth);
        uv_timer_start(&phase_timer, on_phase, (uint64_t)(opt.warmup * 1000), 0);
    }
}

/* Appends s[0, len) percent-encoded (RFC 3986 unreserved bytes as they are). */
static size_t url_escape(char *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~') {
            out[n++] = (char)ch;
        } else {
            out[n++] = '%';
            out[n++] = hex[ch >> 4];
            out[n++] = hex[ch & 15];
        }
    }
    return n;
}

/* --http: the mix line as a keep-alive GET /search (q, mode and limit of a JSON line; a
 * plain line is the query). */
static size_t http_line(char *buf, const char *line, size_t len)
{
    if (opt.ping)
        return (size_t)sprintf(buf, "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const char *q = line, *mode = NULL;
    size_t q_len = len;
    unsigned limit = opt.limit;
    json_t *o = len && line[0] == '{' ? json_loadb(line, len, 0, NULL) : NULL;
    if (o) {
        q = json_string_value(json_object_get(o, "q"));
        q_len = q ? strlen(q) : 0;
        mode = json_string_value(json_object_get(o, "mode"));
        if (json_is_integer(json_object_get(o, "limit")))
            limit = (unsigned)json_integer_value(json_object_get(o, "limit"));
    }
    size_t n = (size_t)sprintf(buf, "GET /search?q=");
    n += url_escape(buf + n, q ? q : "", q_len);
    if (mode)
        n += (size_t)sprintf(buf + n, "&mode=%.8s", mode);
    n += (size_t)sprintf(buf + n, "&limit=%u HTTP/1.1\r\nHost: localhost\r\n\r\n", limit);
    json_decref(o);
    return n;
}

static void add_line(const char *line, size_t len)
{
    char *buf = malloc(len * 3 + 128);
    if (!buf)
        exit(1);
    size_t n = 0;
    if (opt.http) {
        n = http_line(buf, line, len);
    } else if (opt.ping) {
        n = (size_t)sprintf(buf, "{\"op\":\"ping\"}\n");
    } else if (opt.raw || (len && line[0] == '{')) {
        memcpy(buf, line, len);
        n = len;
        buf[n++] = '\n';
    } else {
        n = (size_t)sprintf(buf, "{\"q\":\"");
        for (size_t i = 0; i < len; i++) {
            if (line[i] == '"' || line[i] == '\\')
                buf[n++] = '\\';
            buf[n++] = line[i];
        }
        n += (size_t)sprintf(buf + n, "\",\"limit\":%u}\n", opt.limit);
    }
    mix = realloc(mix, (nmix + 1) * sizeof *mix);
    mix_len = realloc(mix_len, (nmix + 1) * sizeof *mix_len);
    mix[nmix] = buf;
    mix_len[nmix] = n;
    nmix++;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: loadgen --socket PATH [--connections N] [--depth D] [--duration S]\n"
            "               [--warmup S] [--queries FILE] [--ping] [--raw] [--http] [--limit N]\n"
            "               [--server-pid PID] [--json]\n"
            "  --connections N  connections (default 8)\n"
            "  --depth D        requests in flight per connection (default 1)\n"
            "  --duration S     seconds measured (default 5), after --warmup S (default 1)\n"
            "  --queries FILE   query mix, one a line: a line starting with '{' is sent as\n"
            "                   is, others become {\"q\":LINE,\"limit\":N} (default: a\n"
            "                   built-in mix for the corpus article)\n"
            "  --raw            send plain lines as raw-line searches instead\n"
            "  --http           send HTTP/1.1 keep-alive GET /search (or GET /ping)\n"
            "  --ping           send {\"op\":\"ping\"} only (the protocol's floor)\n"
            "  --limit N        hits per search (default 10)\n"
            "  --server-pid PID report that process's CPU\n"
            "  --json           one JSON line instead of text\n");
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"socket", required_argument, NULL, 's'},
        {"connections", required_argument, NULL, 'c'},
        {"depth", required_argument, NULL, 'd'},
        {"duration", required_argument, NULL, 't'},
        {"warmup", required_argument, NULL, 'w'},
        {"queries", required_argument, NULL, 'q'},
        {"ping", no_argument, NULL, 'p'},
        {"raw", no_argument, NULL, 'r'},
        {"http", no_argument, NULL, 'H'},
        {"limit", required_argument, NULL, 'l'},
        {"server-pid", required_argument, NULL, 'P'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (ch) {
        case 's':
            opt.socket = optarg;
            break;
        case 'c':
            opt.connections = (unsigned)atoi(optarg);
            break;
        case 'd':
            opt.depth = (unsigned)atoi(optarg);
            break;
        case 't':
            opt.duration = atof(optarg);
            break;
        case 'w':
            opt.warmup = atof(optarg);
            break;
        case 'q':
            opt.queries = optarg;
            break;
        case 'p':
            opt.ping = 1;
            break;
        case 'r':
            opt.raw = 1;
            break;
        case 'H':
            opt.http = 1;
            break;
        case 'l':
            opt.limit = (unsigned)atoi(optarg);
            break;
        case 'P':
            opt.server_pid = atol(optarg);
            break;
        case 'j':
            opt.json = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (!opt.socket || optind < argc || opt.connections < 1 || opt.connections > 10000 ||
        opt.depth < 1 || opt.depth > 4096 || opt.duration <= 0 || opt.warmup < 0) {
        usage(stderr);
        return 2;
    }
    if (opt.queries) {
        FILE *f = fopen(opt.queries, "r");
        if (!f) {
            fprintf(stderr, "loadgen: %s: %s\n", opt.queries, strerror(errno));
            return 1;
        }
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, f)) > 0) {
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                n--;
            if (n > 0)
                add_line(line, (size_t)n);
        }
        free(line);
        fclose(f);
        if (!nmix) {
            fprintf(stderr, "loadgen: no queries in %s\n", opt.queries);
            return 1;
        }
    } else {
        for (size_t i = 0; i < sizeof default_mix / sizeof default_mix[0]; i++)
            add_line(default_mix[i], strlen(default_mix[i]));
    }

    loop = uv_default_loop();
    uv_timer_init(loop, &phase_timer);
    conns = calloc(opt.connections, sizeof *conns);
    if (!conns)
        return 1;
    for (unsigned i = 0; i < opt.connections; i++) {
        conn_t *c = &conns[i];
        c->sent_at = calloc(opt.depth, sizeof *c->sent_at);
        c->next_query = (i * 7) % nmix; /* connections start at different queries */
        http_parser_init(&c->hp, HTTP_RESPONSE);
        c->hp.data = c;
        uv_pipe_init(loop, &c->pipe, 0);
        c->pipe.data = c;
        c->creq.data = c;
        uv_pipe_connect(&c->creq, &c->pipe, opt.socket, on_connect);
    }
    return uv_run(loop, UV_RUN_DEFAULT);
}
