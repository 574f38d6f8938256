/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd's connections (server/conn.c), linked alone: the newline framing (lines, "\r\n",
 * partial lines, the line bound exactly at and just past its edge, a stream cut at every
 * byte giving the same lines as the whole stream), then a connection on a socket pair
 * driven by this test's callbacks: lines reported in order and answered in order, a last
 * line without its newline, a line over the bound, a held line released later, the idle
 * timeout; backpressure by bytes (a reading client gets every large answer however many it
 * pipelines), an answer over the bound refused to the owner (who answers in its place), the
 * daemon-wide bound, and two busy connections of one loop taking turns. */
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../server/conn.h"
#include "../../server/log.h"
#include "silk/buf.h"

static silkd_frame_t frame(const char *s, size_t len, size_t max, size_t *ll, size_t *used)
{
    *ll = *used = 12345;
    return silkd_frame_next(s, len, max, ll, used);
}

static void test_lines(void **state)
{
    (void)state;
    size_t ll, used;
    assert_int_equal(frame("", 0, 16, &ll, &used), SILKD_FRAME_NEED_MORE);
    assert_int_equal(frame("abc", 3, 16, &ll, &used), SILKD_FRAME_NEED_MORE);
    assert_int_equal(frame("abc\ndef", 7, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 3);
    assert_int_equal(used, 4);
    assert_int_equal(frame("abc\r\ndef", 8, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 3);
    assert_int_equal(used, 5);
    assert_int_equal(frame("\n", 1, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 0);
    assert_int_equal(used, 1);
    assert_int_equal(frame("\r\n", 2, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 0);
    /* Only a final '\r' goes; one inside the line stays. */
    assert_int_equal(frame("a\rb\n", 4, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 3);
    /* NUL bytes are ordinary bytes. */
    assert_int_equal(frame("a\0b\n", 4, 16, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 3);
}

static void test_bound(void **state)
{
    (void)state;
    char buf[64];
    size_t ll, used;
    memset(buf, 'x', sizeof buf);
    /* Exactly max bytes: complete with "\n" or "\r\n", waiting without. */
    buf[8] = '\n';
    assert_int_equal(frame(buf, 9, 8, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 8);
    buf[8] = '\r';
    buf[9] = '\n';
    assert_int_equal(frame(buf, 10, 8, &ll, &used), SILKD_FRAME_LINE);
    assert_int_equal(ll, 8);
    assert_int_equal(used, 10);
    assert_int_equal(frame(buf, 9, 8, &ll, &used), SILKD_FRAME_NEED_MORE); /* "x8\r" */
    memset(buf, 'x', sizeof buf);
    assert_int_equal(frame(buf, 8, 8, &ll, &used), SILKD_FRAME_NEED_MORE);
    /* One byte over: too large, whether or not the newline has arrived. */
    assert_int_equal(frame(buf, 9, 8, &ll, &used), SILKD_FRAME_TOO_LARGE);
    buf[9] = '\n';
    assert_int_equal(frame(buf, 10, 8, &ll, &used), SILKD_FRAME_TOO_LARGE);
    buf[8] = '\r';
    buf[9] = 'x';
    assert_int_equal(frame(buf, 10, 8, &ll, &used), SILKD_FRAME_TOO_LARGE);
    /* A long buffer of short lines is fine: the bound is per line. */
    for (int i = 0; i < 64; i += 4)
        memcpy(buf + i, "abc\n", 4);
    size_t off = 0, lines = 0;
    while (frame(buf + off, sizeof buf - off, 8, &ll, &used) == SILKD_FRAME_LINE) {
        assert_int_equal(ll, 3);
        off += used;
        lines++;
    }
    assert_int_equal(lines, 16);
    assert_int_equal(off, 64);
}

/* Feeding a stream in pieces of every size gives the same lines as feeding it whole. */
static void test_pieces(void **state)
{
    (void)state;
    const char stream[] = "ping\r\n{\"q\":\"x\"}\n\n  a b  \nlast\r\n";
    const size_t n = sizeof stream - 1;
    const char *want[] = {"ping", "{\"q\":\"x\"}", "", "  a b  ", "last"};
    for (size_t piece = 1; piece <= n; piece++) {
        char buf[128];
        size_t have = 0, fed = 0, got = 0;
        while (fed < n || have > 0) {
            size_t take = n - fed < piece ? n - fed : piece;
            memcpy(buf + have, stream + fed, take);
            have += take;
            fed += take;
            size_t ll, used;
            silkd_frame_t f;
            while ((f = frame(buf, have, 32, &ll, &used)) == SILKD_FRAME_LINE) {
                assert_true(got < 5);
                assert_int_equal(ll, strlen(want[got]));
                assert_memory_equal(buf, want[got], ll);
                got++;
                memmove(buf, buf + used, have - used);
                have -= used;
            }
            assert_int_equal(f, SILKD_FRAME_NEED_MORE);
            if (fed == n)
                break;
        }
        assert_int_equal(got, 5);
        assert_int_equal(have, 0);
    }
}

/* ---- a connection driven by the test's callbacks ----------------------------------------- */

typedef struct {
    silk_buf_t lines;         /* every line reported, each followed by '|' */
    unsigned errors[8];       /* on_error calls by kind */
    int closed;               /* on_close calls */
    int hold_next;            /* on_line: hold a line that reads "hold" */
    silkd_conn_t *held;       /* the connection holding a line */
    size_t answer_bytes;      /* on_line: pad each answer to this size (0: echo only) */
    unsigned refused[4];      /* silkd_conn_queue results other than SILKD_QUEUED */
    silk_buf_t *order;        /* when set: every line's tag, in the order handled */
    char tag;                 /* this connection's tag in order */
    uv_timer_t release_timer; /* releases the held line */
    int http;                 /* serve with on_http too (HTTP framing allowed) */
} probe_t;

static silkd_line_t probe_line(silkd_conn_t *c, void *data, const char *line, size_t len)
{
    probe_t *p = data;
    assert_int_equal(silk_buf_add(&p->lines, line, len), SILK_OK);
    assert_int_equal(silk_buf_addc(&p->lines, '|'), SILK_OK);
    if (p->order)
        assert_int_equal(silk_buf_addc(p->order, p->tag), SILK_OK);
    if (p->hold_next && len == 4 && !memcmp(line, "hold", 4)) {
        p->held = c;
        return SILKD_LINE_HOLD;
    }
    char ans[128];
    int n = snprintf(ans, sizeof ans, "[%.*s]\n", (int)len, line);
    if (p->answer_bytes) {
        char *big = malloc(p->answer_bytes);
        assert_non_null(big);
        memset(big, 'a', p->answer_bytes);
        big[p->answer_bytes - 1] = '\n';
        silkd_queue_t q = silkd_conn_queue(c, big, p->answer_bytes);
        free(big);
        if (q != SILKD_QUEUED) {
            /* As the worker does: a short answer in its place, so no answer is missing. */
            assert_true(q == SILKD_QUEUE_TOO_LARGE || q == SILKD_QUEUE_FULL);
            p->refused[q]++;
            const char *say = q == SILKD_QUEUE_TOO_LARGE ? "too large\n" : "full\n";
            assert_int_equal(silkd_conn_queue(c, say, strlen(say)), SILKD_QUEUED);
        }
    } else {
        unsigned before = silkd_conn_queued_answers(c);
        assert_int_equal(silkd_conn_queue(c, ans, (size_t)n), SILKD_QUEUED);
        assert_int_equal(silkd_conn_queued_answers(c), before + 1);
        assert_true(silkd_conn_queued_bytes(c) >= (size_t)n);
    }
    return SILKD_LINE_DONE;
}

static void probe_error(silkd_conn_t *c, void *data, silkd_conn_error_t err)
{
    probe_t *p = data;
    assert_true(err > 0 && err < 8);
    p->errors[err]++;
    if (err == SILKD_CONN_TOO_LARGE)
        assert_int_equal(silkd_conn_queue(c, "too large\n", 10), SILKD_QUEUED);
}

static void probe_close(silkd_conn_t *c, void *data)
{
    probe_t *p = data;
    (void)c;
    p->closed++;
}

static void on_release(uv_timer_t *t)
{
    probe_t *p = t->data;
    assert_non_null(p->held);
    assert_int_equal(silkd_conn_queue(p->held, "held\n", 5), SILKD_QUEUED);
    silkd_conn_release(p->held);
    p->held = NULL;
    uv_close((uv_handle_t *)t, NULL);
}

static const silkd_conn_cbs_t probe_cbs = {probe_line, probe_error, probe_close, NULL};

/* on_http: records "METHOD path body" (or "fail STATUS") and answers "<path>\n"; a request
 * that does not keep the connection alive ends it, as the worker does; "/hold" is held. */
static silkd_line_t probe_http(silkd_conn_t *c, void *data, const silkd_http_req_t *req)
{
    probe_t *p = data;
    char rec[256];
    int n = req->status ? snprintf(rec, sizeof rec, "fail %d|", req->status)
                        : snprintf(rec, sizeof rec, "%s %.*s %.*s|", req->method_name,
                                   (int)req->path_len, req->path, (int)req->body_len, req->body);
    assert_int_equal(silk_buf_add(&p->lines, rec, (size_t)n), SILK_OK);
    if (p->hold_next && req->path_len == 5 && !memcmp(req->path, "/hold", 5)) {
        p->held = c;
        return SILKD_LINE_HOLD;
    }
    n = snprintf(rec, sizeof rec, "<%.*s>\n", (int)req->path_len, req->path);
    assert_int_equal(silkd_conn_queue(c, rec, (size_t)n), SILKD_QUEUED);
    if (!req->keep_alive)
        silkd_conn_refuse(c);
    return SILKD_LINE_DONE;
}

static const silkd_conn_cbs_t probe_http_cbs = {probe_line, probe_error, probe_close, probe_http};

static silkd_conn_limits_t limits(size_t max_line)
{
    return (silkd_conn_limits_t){.max_line = max_line,
                                 .max_inflight = 64,
                                 .max_output = 1 << 20,
                                 .idle_ms = 10000,
                                 .drain_ms = 100};
}

/* Writes `input` into one end of a socket pair (then ends it when eof), serves the other end
 * with a connection until it has closed, and returns what the client end received. */
static char *serve(probe_t *p, const silkd_conn_limits_t *lim, const char *input, size_t n, int eof)
{
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(write(sv[1], input, n), (ssize_t)n);
    if (eof)
        shutdown(sv[1], SHUT_WR);
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    if (p->hold_next) {
        uv_timer_init(&loop, &p->release_timer);
        p->release_timer.data = p;
        uv_timer_start(&p->release_timer, on_release, 30, 0);
    }
    silkd_conn_t *c = NULL;
    assert_int_equal(
        silkd_conn_open(&loop, sv[0], 0, lim, p->http ? &probe_http_cbs : &probe_cbs, p, &c),
        SILK_OK);
    assert_non_null(c);
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_equal(p->closed, 1);
    silk_buf_t got = SILK_BUF_INIT;
    char buf[4096];
    ssize_t r;
    while ((r = read(sv[1], buf, sizeof buf)) > 0)
        assert_int_equal(silk_buf_add(&got, buf, (size_t)r), SILK_OK);
    close(sv[1]);
    assert_int_equal(silk_buf_terminate(&got), SILK_OK);
    assert_int_equal(silk_buf_terminate(&p->lines), SILK_OK);
    return got.data;
}

static void test_conn_lines(void **state)
{
    (void)state;
    probe_t p = {0};
    silkd_conn_limits_t lim = limits(64);
    const char in[] = "a\r\nbb\n\n{\"op\":\"ping\"}\nlast\r";
    char *out = serve(&p, &lim, in, sizeof in - 1, 1);
    /* Every line in order, the last one without its newline (and its '\r') too. */
    assert_string_equal(p.lines.data, "a|bb||{\"op\":\"ping\"}|last|");
    assert_string_equal(out, "[a]\n[bb]\n[]\n[{\"op\":\"ping\"}]\n[last]\n");
    for (int i = 0; i < 8; i++)
        assert_int_equal(p.errors[i], 0);
    free(out);
    silk_buf_free(&p.lines);
}

/* A first line that is an HTTP request line frames the connection as HTTP: pipelined
 * requests go to on_http in order (a held one keeps the next waiting), 100-continue is
 * answered by the connection, Connection: close ends it; any other first line is NDJSON
 * even when on_http is given, and later HTTP-looking lines stay lines. */
static void test_conn_http(void **state)
{
    (void)state;
    probe_t p = {0};
    p.http = 1;
    p.hold_next = 1;
    silkd_conn_limits_t lim = limits(512);
    const char in[] = "\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                      "POST /hold HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi"
                      "POST /b HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
    const char rest[] = "abcGET /c HTTP/1.1\r\nConnection: close\r\n\r\nGET /d HTTP/1.1\r\n\r\n";
    char all[512];
    snprintf(all, sizeof all, "%s%s", in, rest);
    char *out = serve(&p, &lim, all, strlen(all), 0);
    assert_string_equal(p.lines.data, "GET /a |POST /hold hi|POST /b abc|GET /c |");
    /* The body came with its head, so no 100 Continue; the held answer keeps its place. */
    assert_string_equal(out, "</a>\nheld\n</b>\n</c>\n");
    free(out);
    silk_buf_free(&p.lines);

    /* A body over the bound: the failure goes to on_http, then the connection closes. */
    probe_t q = {0};
    q.http = 1;
    const char big[] = "POST /x HTTP/1.1\r\nContent-Length: 100000\r\n\r\nabc";
    out = serve(&q, &lim, big, sizeof big - 1, 0);
    assert_string_equal(q.lines.data, "fail 413|");
    free(out);
    silk_buf_free(&q.lines);

    /* NDJSON first: every line is a line, an HTTP-looking one too. */
    probe_t r = {0};
    r.http = 1;
    const char nd[] = "{\"op\":\"ping\"}\nGET / HTTP/1.1\n";
    out = serve(&r, &lim, nd, sizeof nd - 1, 1);
    assert_string_equal(r.lines.data, "{\"op\":\"ping\"}|GET / HTTP/1.1|");
    free(out);
    silk_buf_free(&r.lines);
}

static void test_conn_bound(void **state)
{
    (void)state;
    char in[256];
    /* A line of exactly the bound is a line. */
    probe_t p = {0};
    silkd_conn_limits_t lim = limits(64);
    memset(in, 'x', 64);
    memcpy(in + 64, "\r\n", 2);
    char *out = serve(&p, &lim, in, 66, 1);
    assert_int_equal(p.lines.len, 65);
    assert_int_equal(p.errors[SILKD_CONN_TOO_LARGE], 0);
    assert_int_equal(strlen(out), 67);
    free(out);
    silk_buf_free(&p.lines);
    /* One byte more: the owner is told, answers once, and nothing after it is read, though
     * the client neither ends nor waits. */
    probe_t q = {0};
    memset(in, 'x', 200);
    memcpy(in + 200, "\nping\n", 6);
    out = serve(&q, &lim, in, 206, 0);
    assert_int_equal(q.errors[SILKD_CONN_TOO_LARGE], 1);
    assert_int_equal(q.lines.len, 0);
    assert_string_equal(out, "too large\n");
    free(out);
    silk_buf_free(&q.lines);
}

static void test_conn_hold(void **state)
{
    (void)state;
    probe_t p = {.hold_next = 1};
    silkd_conn_limits_t lim = limits(64);
    const char in[] = "one\nhold\nafter\n";
    char *out = serve(&p, &lim, in, sizeof in - 1, 1);
    /* "after" is not reported before the held answer is released, so answers keep order. */
    assert_string_equal(p.lines.data, "one|hold|after|");
    assert_string_equal(out, "[one]\nheld\n[after]\n");
    assert_null(p.held);
    free(out);
    silk_buf_free(&p.lines);
}

/* The client end, read on the loop while the connection serves (so answers larger than the
 * socket's buffer can flow): everything until EOF goes to got. */
typedef struct {
    uv_pipe_t pipe;  /* the client end */
    silk_buf_t got;  /* bytes received */
    char buf[65536]; /* read buffer */
} reader_t;

static void reader_alloc(uv_handle_t *h, size_t n, uv_buf_t *b)
{
    reader_t *r = h->data;
    (void)n;
    *b = uv_buf_init(r->buf, sizeof r->buf);
}

static void reader_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    reader_t *r = s->data;
    if (n > 0)
        assert_int_equal(silk_buf_add(&r->got, b->base, (size_t)n), SILK_OK);
    else if (n < 0)
        uv_close((uv_handle_t *)s, NULL);
}

/* Opens a connection on one end of a socket pair after writing `input` (and EOF) into the
 * other, which a reader_t on the same loop reads. */
static void open_pair(uv_loop_t *loop, probe_t *p, const silkd_conn_limits_t *lim, reader_t *r,
                      const char *input, size_t n)
{
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(write(sv[1], input, n), (ssize_t)n);
    shutdown(sv[1], SHUT_WR);
    assert_int_equal(uv_pipe_init(loop, &r->pipe, 0), 0);
    r->pipe.data = r;
    assert_int_equal(uv_pipe_open(&r->pipe, sv[1]), 0);
    assert_int_equal(uv_read_start((uv_stream_t *)&r->pipe, reader_alloc, reader_read), 0);
    silkd_conn_t *c = NULL;
    assert_int_equal(silkd_conn_open(loop, sv[0], 0, lim, &probe_cbs, p, &c), SILK_OK);
}

static char *repeat(const char *line, unsigned n)
{
    size_t l = strlen(line);
    char *s = malloc(l * n + 1);
    assert_non_null(s);
    for (unsigned i = 0; i < n; i++)
        memcpy(s + i * l, line, l);
    s[l * n] = '\0';
    return s;
}

/* A client that pipelines many answers larger than the per-connection bound allows unsent
 * at once, and reads: every one arrives (the connection paused instead of dropping it). */
static void test_conn_backpressure(void **state)
{
    (void)state;
    probe_t p = {.answer_bytes = 8192};
    silkd_conn_limits_t lim = limits(64);
    lim.max_output = 16384; /* a quarter, 4096, is less than one answer */
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    reader_t *r = calloc(1, sizeof *r);
    assert_non_null(r);
    char *in = repeat("big\n", 100);
    open_pair(&loop, &p, &lim, r, in, strlen(in));
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_equal(p.closed, 1);
    assert_int_equal(r->got.len, 100 * 8192);
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(r->got.data[i * 8192 + 8191], '\n');
    for (int i = 0; i < 8; i++)
        assert_int_equal(p.errors[i], 0);
    assert_int_equal(p.refused[SILKD_QUEUE_TOO_LARGE] + p.refused[SILKD_QUEUE_FULL], 0);
    free(in);
    silk_buf_free(&r->got);
    free(r);
    silk_buf_free(&p.lines);
}

/* An answer longer than max_output is refused to the owner, who answers in its place; the
 * connection goes on with the next line. */
static void test_conn_answer_too_large(void **state)
{
    (void)state;
    probe_t p = {.answer_bytes = 8192};
    silkd_conn_limits_t lim = limits(64);
    lim.max_output = 4096;
    char *out = serve(&p, &lim, "big\nbig\n", 8, 1);
    assert_string_equal(p.lines.data, "big|big|");
    assert_string_equal(out, "too large\ntoo large\n");
    assert_int_equal(p.refused[SILKD_QUEUE_TOO_LARGE], 2);
    free(out);
    silk_buf_free(&p.lines);
}

/* The daemon-wide bound: while others' unsent bytes fill it, a large answer is refused
 * (FULL) and a short one still goes; the connection's own bytes are counted in and out. */
static void test_conn_total(void **state)
{
    (void)state;
    _Atomic size_t total = 100000; /* other connections' unsent answers */
    probe_t p = {.answer_bytes = 8192};
    silkd_conn_limits_t lim = limits(64);
    lim.total = &total;
    lim.max_total = 100000;
    char *out = serve(&p, &lim, "big\n", 4, 1);
    assert_string_equal(out, "full\n");
    assert_int_equal(p.refused[SILKD_QUEUE_FULL], 1);
    assert_int_equal(atomic_load(&total), 100000); /* back to the others' share */
    free(out);
    silk_buf_free(&p.lines);
    /* Room again: the same answer goes, and is counted out once sent. */
    probe_t q = {.answer_bytes = 8192};
    total = 1000;
    out = serve(&q, &lim, "big\n", 4, 1);
    assert_int_equal(strlen(out), 8192);
    assert_int_equal(q.refused[SILKD_QUEUE_FULL], 0);
    assert_int_equal(atomic_load(&total), 1000);
    free(out);
    silk_buf_free(&q.lines);
}

/* A client that sends 300 lines and ends (EOF) gets all 300 answers before the close,
 * though the connection yields every 8 lines (finishing waits for the lines it yielded). */
static void test_conn_yield_then_finish(void **state)
{
    (void)state;
    probe_t p = {0};
    silkd_conn_limits_t lim = limits(64);
    lim.slice_lines = 8;
    char *in = repeat("x\n", 300);
    char *out = serve(&p, &lim, in, strlen(in), 1);
    assert_int_equal(strlen(out), 300 * 4);
    free(out);
    free(in);
    silk_buf_free(&p.lines);
}

/* Two connections of one loop, each with 200 pipelined lines: they take turns (a slice of
 * lines each), instead of the first handling all of its lines before the second starts. */
static void test_conn_turns(void **state)
{
    (void)state;
    silk_buf_t order = SILK_BUF_INIT;
    probe_t a = {.order = &order, .tag = 'a'}, b = {.order = &order, .tag = 'b'};
    silkd_conn_limits_t lim = limits(64);
    lim.slice_lines = 8;
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    reader_t *ra = calloc(1, sizeof *ra), *rb = calloc(1, sizeof *rb);
    assert_true(ra && rb);
    char *in = repeat("x\n", 200);
    open_pair(&loop, &a, &lim, ra, in, strlen(in));
    open_pair(&loop, &b, &lim, rb, in, strlen(in));
    uv_run(&loop, UV_RUN_DEFAULT);
    assert_int_equal(uv_loop_close(&loop), 0);
    assert_int_equal(order.len, 400);
    assert_int_equal(ra->got.len, 200 * 4); /* "[x]\n" each, all of them */
    assert_int_equal(rb->got.len, 200 * 4);
    /* One slice per connection per loop turn. libuv runs idle handles newest first, so the
     * order of the two flips between turns and one connection's last slice of a turn may
     * meet its first of the next: a run is at most two slices (it was all 200 lines). */
    size_t run = 1, longest = 1;
    for (size_t i = 1; i < order.len; i++) {
        run = order.data[i] == order.data[i - 1] ? run + 1 : 1;
        if (run > longest)
            longest = run;
    }
    if (longest > 16)
        fprintf(stderr, "%.*s\n", (int)order.len, order.data);
    assert_true(longest <= 16);
    free(in);
    silk_buf_free(&order);
    silk_buf_free(&ra->got);
    silk_buf_free(&rb->got);
    free(ra);
    free(rb);
    silk_buf_free(&a.lines);
    silk_buf_free(&b.lines);
}

static void test_conn_idle(void **state)
{
    (void)state;
    probe_t p = {0};
    silkd_conn_limits_t lim = limits(64);
    lim.idle_ms = 20;
    char *out = serve(&p, &lim, "", 0, 0);
    assert_int_equal(p.errors[SILKD_CONN_IDLE], 1);
    assert_string_equal(out, "");
    free(out);
    silk_buf_free(&p.lines);
}

int main(void)
{
    silkd_log_level = SILKD_LOG_WARN; /* the bounds tests trip info lines on purpose */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_bound),
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_conn_lines),
        cmocka_unit_test(test_conn_http),
        cmocka_unit_test(test_conn_bound),
        cmocka_unit_test(test_conn_hold),
        cmocka_unit_test(test_conn_idle),
        cmocka_unit_test(test_conn_backpressure),
        cmocka_unit_test(test_conn_answer_too_large),
        cmocka_unit_test(test_conn_total),
        cmocka_unit_test(test_conn_turns),
        cmocka_unit_test(test_conn_yield_then_finish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
