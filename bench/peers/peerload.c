/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — a closed-loop load generator for the peer search daemons, built to measure
 * them the way bench/loadgen measures silkd: N connections, each sending one query and
 * waiting for its whole answer before the next (no pipelining), every latency sample kept.
 *
 *   peerload --proto sphinxql|http --port P --queries FILE --conns N --seconds S
 *            [--warmup S] [--host 127.0.0.1] [--or] [--limit 10] [--index NAME]
 *            [--server-pid PID ...]
 * Answers that started during the --warmup seconds are not counted (as loadgen does).
 *
 * sphinxql: MySQL protocol 4.1 to Sphinx searchd; each query is
 *   SELECT id FROM <index> WHERE MATCH('<words>') LIMIT <limit>
 * http: HTTP/1.1 keep-alive to groonga-httpd; each query is
 *   GET /d/select?table=Docs&match_columns=title*2||text&query=<words>
 *       &output_columns=_key,_score&sort_keys=-_score&limit=<limit>
 * The query's words (runs of letters, digits and non-ASCII bytes) are joined by spaces
 * (every word: both engines' default) or, with --or, by each engine's OR operator.
 *
 * Prints one JSON object: conns, requests, errors, qps, p50/p90/p99/p999 in µs, and the
 * CPU used by this process and by the --server-pid processes, in cores (1.0 = one core
 * busy for the whole run). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../common.h"

enum { PROTO_SPHINXQL, PROTO_HTTP };

typedef struct {
    int proto;         /* PROTO_* */
    const char *host;  /* server address */
    int port;          /* server port */
    int conns;         /* connections (one thread each) */
    double seconds;    /* run length */
    int use_or;        /* join words with OR */
    int limit;         /* hits per query */
    const char *index; /* Sphinx index name */
    char **queries;    /* prepared request bodies: SQL or URL query values */
    size_t nqueries;   /* number of queries */
    uint64_t measure;  /* monotonic µs from which answers count (after the warm-up) */
    uint64_t deadline; /* monotonic µs when threads stop sending */
} config_t;

typedef struct {
    const config_t *cfg;  /* shared configuration */
    int id;               /* thread index, also the starting query */
    double *lat;          /* latency samples, µs */
    size_t n, cap;        /* samples used and allocated */
    unsigned long errors; /* failed requests */
    char *buf;            /* response buffer */
    size_t bufcap;        /* its size */
} worker_t;

static int is_word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The words of `text` joined by `sep`, into a new string (NULL when there is no word). */
static char *join_words(const char *text, const char *sep)
{
    return bench_join_words(text, is_word_byte, sep, "");
}

static char *url_encode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(strlen(s) * 3 + 1), *p = out;
    if (!out)
        return NULL;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
            *c == '-' || *c == '_' || *c == '.') {
            *p++ = (char)*c;
        } else {
            *p++ = '%';
            *p++ = hex[*c >> 4];
            *p++ = hex[*c & 15];
        }
    }
    *p = 0;
    return out;
}

/* Reads `qid<TAB>text` lines and turns each into a ready request. */
static int load_queries(config_t *cfg, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, alloc = 0;
    if (!f) {
        perror(path);
        return -1;
    }
    while (getline(&line, &cap, f) >= 0) {
        line[strcspn(line, "\r\n")] = 0;
        char *tab = strchr(line, '\t');
        const char *text = tab ? tab + 1 : line;
        const char *sep = cfg->use_or ? (cfg->proto == PROTO_SPHINXQL ? " | " : " OR ") : " ";
        char *words = join_words(text, sep), *req = NULL;
        if (!words)
            continue;
        if (cfg->proto == PROTO_SPHINXQL) {
            size_t len = strlen(words) + strlen(cfg->index) + 128;
            req = malloc(len);
            if (req)
                snprintf(req, len,
                         "SELECT id FROM %s WHERE MATCH('%s') LIMIT %d OPTION ranker=bm25",
                         cfg->index, words, cfg->limit);
        } else {
            char *enc = url_encode(words);
            size_t len = (enc ? strlen(enc) : 0) + 512;
            req = enc ? malloc(len) : NULL;
            if (req)
                snprintf(req, len,
                         "GET /d/select?table=Docs&match_columns=title*2%%7C%%7Ctext&query=%s"
                         "&output_columns=_key,_score&sort_keys=-_score&limit=%d HTTP/1.1\r\n"
                         "Host: localhost\r\n\r\n",
                         enc, cfg->limit);
            free(enc);
        }
        free(words);
        if (!req)
            goto nomem;
        if (cfg->nqueries == alloc) {
            alloc = alloc ? alloc * 2 : 256;
            char **more = realloc(cfg->queries, alloc * sizeof *more);
            if (!more) {
                free(req);
                goto nomem;
            }
            cfg->queries = more;
        }
        cfg->queries[cfg->nqueries++] = req;
    }
    free(line);
    fclose(f);
    return cfg->nqueries ? 0 : -1;
nomem:
    free(line);
    fclose(f);
    return -1;
}

static int connect_to(const config_t *cfg)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    inet_pton(AF_INET, cfg->host, &sa.sin_addr);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Writes (`writing`) or reads exactly len bytes, retrying after EINTR; -1 on an error or
 * an early end of file. */
static int io_full(int fd, void *data, size_t len, int writing)
{
    char *p = data;
    while (len > 0) {
        ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
    return io_full(fd, (void *)data, len, 1);
}

static int read_full(int fd, void *data, size_t len)
{
    return io_full(fd, data, len, 0);
}

/* ---- MySQL protocol (SphinxQL) ----------------------------------------------------- */

/* Reads one packet into w->buf; returns its payload length or -1. */
static long mysql_read(worker_t *w, int fd)
{
    unsigned char hdr[4];
    if (read_full(fd, hdr, 4))
        return -1;
    size_t len = hdr[0] | (size_t)hdr[1] << 8 | (size_t)hdr[2] << 16;
    if (len + 1 > w->bufcap) {
        char *more = realloc(w->buf, len + 1);
        if (!more)
            return -1;
        w->buf = more;
        w->bufcap = len + 1;
    }
    if (read_full(fd, w->buf, len))
        return -1;
    return (long)len;
}

static int mysql_write(int fd, unsigned char seq, const void *payload, size_t len)
{
    unsigned char hdr[4] = {(unsigned char)len, (unsigned char)(len >> 8),
                            (unsigned char)(len >> 16), seq};
    if (write_all(fd, hdr, 4))
        return -1;
    return write_all(fd, payload, len);
}

static int sphinx_connect(worker_t *w)
{
    int fd = connect_to(w->cfg);
    if (fd < 0)
        return -1;
    if (mysql_read(w, fd) < 0) /* the server's greeting */
        goto fail;
    /* HandshakeResponse41: capabilities, max packet, charset utf8, 23 zero bytes, user,
     * empty auth response. SphinxQL does not check credentials. */
    unsigned char resp[64] = {0};
    uint32_t caps = 0x0200 | 0x8000 | 0x0001; /* PROTOCOL_41, SECURE_CONNECTION, LONG_PW */
    memcpy(resp, &caps, 4);
    uint32_t maxpkt = 1 << 24;
    memcpy(resp + 4, &maxpkt, 4);
    resp[8] = 33;
    memcpy(resp + 32, "root", 5);
    resp[37] = 0; /* auth response length */
    if (mysql_write(fd, 1, resp, 38) || mysql_read(w, fd) < 0 || (unsigned char)w->buf[0] != 0)
        goto fail;
    return fd;
fail:
    close(fd);
    return -1;
}

/* Sends one query and reads the whole result set. 0 ok, 1 server error, -1 broken. */
static int sphinx_query(worker_t *w, int fd, const char *sql)
{
    size_t len = strlen(sql);
    char *pkt = malloc(len + 1);
    if (!pkt)
        return -1;
    pkt[0] = 3; /* COM_QUERY */
    memcpy(pkt + 1, sql, len);
    int rc = mysql_write(fd, 0, pkt, len + 1);
    free(pkt);
    if (rc)
        return -1;
    long n = mysql_read(w, fd);
    if (n < 1)
        return -1;
    unsigned char first = (unsigned char)w->buf[0];
    if (first == 0xff)
        return 1;
    if (first == 0x00)
        return 0;
    /* Column definitions, EOF, rows, EOF (no CLIENT_DEPRECATE_EOF). */
    int eofs = 0;
    while (eofs < 2) {
        n = mysql_read(w, fd);
        if (n < 1)
            return -1;
        unsigned char c = (unsigned char)w->buf[0];
        if (c == 0xff)
            return 1;
        if (c == 0xfe && n < 9)
            eofs++;
    }
    return 0;
}

/* ---- HTTP (groonga-httpd) ---------------------------------------------------------- */

/* Reads one HTTP response (Content-Length or chunked). 0 ok (status 200), 1 other
 * status, -1 broken connection. Bytes past the response are not expected (no pipelining). */
static int http_response(worker_t *w, int fd)
{
    size_t have = 0, hlen = 0; /* bytes read; header length once the headers are complete */
    for (;;) {
        if (have + 4096 > w->bufcap) {
            size_t cap = w->bufcap * 2 + 8192;
            char *more = realloc(w->buf, cap);
            if (!more)
                return -1;
            w->buf = more;
            w->bufcap = cap;
        }
        ssize_t n = read(fd, w->buf + have, w->bufcap - have - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        have += (size_t)n;
        w->buf[have] = 0;
        if (!hlen) {
            char *end = strstr(w->buf, "\r\n\r\n");
            if (!end)
                continue;
            hlen = (size_t)(end + 4 - w->buf);
        }
        char *body = w->buf + hlen;
        int status = atoi(w->buf + 9);
        char *cl = strcasestr(w->buf, "\r\ncontent-length:");
        if (cl && cl < body) {
            if (have - hlen >= strtoul(cl + 17, NULL, 10))
                return status == 200 ? 0 : 1;
            continue;
        }
        /* Chunked: walk the chunks; done at the last (size 0) one and its final CRLF. */
        char *p = body, *end = w->buf + have;
        for (;;) {
            char *eol = strstr(p, "\r\n");
            if (!eol)
                break;
            size_t sz = strtoul(p, NULL, 16);
            if (sz == 0) {
                if (end - eol >= 4 && memcmp(eol, "\r\n\r\n", 4) == 0)
                    return status == 200 ? 0 : 1;
                break;
            }
            if ((size_t)(end - (eol + 2)) < sz + 2)
                break;
            p = eol + 2 + sz + 2;
        }
    }
}

/* ---- the load loop -------------------------------------------------------------------- */

static int open_conn(worker_t *w)
{
    return w->cfg->proto == PROTO_SPHINXQL ? sphinx_connect(w) : connect_to(w->cfg);
}

static void *run_worker(void *arg)
{
    worker_t *w = arg;
    const config_t *cfg = w->cfg;
    size_t q = (size_t)w->id * 7919;
    int fd = open_conn(w);
    while (bench_now_us() < cfg->deadline) {
        if (fd < 0) {
            w->errors++;
            usleep(1000);
            fd = open_conn(w);
            continue;
        }
        const char *req = cfg->queries[q++ % cfg->nqueries];
        uint64_t t0 = bench_now_us();
        int rc;
        if (cfg->proto == PROTO_SPHINXQL) {
            rc = sphinx_query(w, fd, req);
        } else {
            rc = write_all(fd, req, strlen(req)) ? -1 : http_response(w, fd);
        }
        uint64_t t1 = bench_now_us();
        if (rc != 0) {
            w->errors += t0 >= cfg->measure;
            if (rc < 0) {
                close(fd);
                fd = open_conn(w);
            }
            continue;
        }
        if (t0 < cfg->measure) /* warm-up: connections open, caches fill */
            continue;
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 4096;
            double *more = realloc(w->lat, cap * sizeof *more);
            if (!more)
                break;
            w->lat = more;
            w->cap = cap;
        }
        w->lat[w->n++] = (double)(t1 - t0);
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    config_t cfg = {
        .host = "127.0.0.1", .conns = 1, .seconds = 5, .limit = 10, .index = "docs", .proto = -1};
    const char *queries = NULL;
    double warmup = 0;
    long pids[16];
    int npids = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--or") == 0) {
            cfg.use_or = 1;
            continue;
        }
        if (!v)
            goto usage;
        i++;
        if (strcmp(a, "--proto") == 0)
            cfg.proto = strcmp(v, "sphinxql") == 0 ? PROTO_SPHINXQL
                        : strcmp(v, "http") == 0   ? PROTO_HTTP
                                                   : -1;
        else if (strcmp(a, "--host") == 0)
            cfg.host = v;
        else if (strcmp(a, "--port") == 0)
            cfg.port = atoi(v);
        else if (strcmp(a, "--queries") == 0)
            queries = v;
        else if (strcmp(a, "--conns") == 0)
            cfg.conns = atoi(v);
        else if (strcmp(a, "--seconds") == 0)
            cfg.seconds = atof(v);
        else if (strcmp(a, "--warmup") == 0)
            warmup = atof(v);
        else if (strcmp(a, "--limit") == 0)
            cfg.limit = atoi(v);
        else if (strcmp(a, "--index") == 0)
            cfg.index = v;
        else if (strcmp(a, "--server-pid") == 0 && npids < 16)
            pids[npids++] = atol(v);
        else
            goto usage;
    }
    if (cfg.proto < 0 || !cfg.port || !queries || cfg.conns < 1 || cfg.conns > 4096)
        goto usage;
    if (load_queries(&cfg, queries)) {
        fprintf(stderr, "peerload: no queries in %s\n", queries);
        return 1;
    }
    worker_t *w = calloc((size_t)cfg.conns, sizeof *w);
    pthread_t *th = calloc((size_t)cfg.conns, sizeof *th);
    if (!w || !th)
        return 1;
    double srv0 = 0, srv1 = 0;
    cfg.measure = bench_now_us() + (uint64_t)(warmup * 1e6);
    cfg.deadline = cfg.measure + (uint64_t)(cfg.seconds * 1e6);
    for (int i = 0; i < cfg.conns; i++) {
        w[i].cfg = &cfg;
        w[i].id = i;
        pthread_create(&th[i], NULL, run_worker, &w[i]);
    }
    /* CPU is counted from the end of the warm-up, like the answers. */
    while (bench_now_us() < cfg.measure)
        usleep(1000);
    for (int i = 0; i < npids; i++)
        srv0 += bench_process_cpu(pids[i]);
    double cpu0 = bench_self_cpu();
    uint64_t start = bench_now_us();
    size_t total = 0;
    unsigned long errors = 0;
    for (int i = 0; i < cfg.conns; i++) {
        pthread_join(th[i], NULL);
        total += w[i].n;
        errors += w[i].errors;
    }
    double wall = (double)(bench_now_us() - start) / 1e6;
    for (int i = 0; i < npids; i++)
        srv1 += bench_process_cpu(pids[i]);
    double cpu = bench_self_cpu() - cpu0;
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < cfg.conns; i++) {
        if (all)
            memcpy(all + k, w[i].lat, w[i].n * sizeof *all);
        k += w[i].n;
        free(w[i].lat);
        free(w[i].buf);
    }
    if (!all)
        return 1;
    qsort(all, total, sizeof *all, bench_cmp_double);
    printf("{\"conns\":%d,\"requests\":%zu,\"errors\":%lu,\"qps\":%.1f,\"p50_us\":%.1f,"
           "\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"cpu_client\":%.2f,"
           "\"cpu_server\":%.2f}\n",
           cfg.conns, total, errors, (double)total / wall, bench_quantile_sorted(all, total, 0.5),
           bench_quantile_sorted(all, total, 0.9), bench_quantile_sorted(all, total, 0.99),
           bench_quantile_sorted(all, total, 0.999), cpu / wall,
           npids ? (srv1 - srv0) / wall : -1.0);
    free(all);
    free(w);
    free(th);
    for (size_t i = 0; i < cfg.nqueries; i++)
        free(cfg.queries[i]);
    free(cfg.queries);
    return 0;
usage:
    fprintf(stderr, "usage: peerload --proto sphinxql|http --port P --queries FILE [--conns N]"
                    " [--seconds S] [--warmup S] [--or] [--limit N] [--index NAME] [--host ADDR]"
                    " [--server-pid PID]...\n");
    return 2;
}
