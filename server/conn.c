/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — a client connection (see conn.h).
 *
 * The read callback fills the free tail of the connection's own buffer (no allocation per
 * read), and every complete line in it goes to the owner's on_line at once, whose answers
 * collect in `out`; then `out` goes to the kernel with uv_try_write, and only what the
 * kernel would not take is handed to a uv_write. While that write is in progress further
 * answers accumulate in `out` and leave in one batch when it completes, so a pipelining
 * client costs one write per batch, not one per request. Reading pauses while too many
 * answers or bytes are unsent (backpressure, as neovim's rstream pauses on a full buffer):
 * a line is handled only while fewer than max_output/4 bytes wait, and, when the daemon-wide
 * bound is reached, only by a connection that has nothing unsent of its own. So a client
 * that reads is never dropped for pipelining, whatever the answers' sizes; one that does not
 * read stops being read, and goes at the idle bound. An answer longer than max_output is
 * refused to the owner, who answers too_large in its place.
 *
 * Fairness: every complete line used to be handled at once, and libuv calls the read
 * callback up to 32 times per poll for a busy socket, so one pipelining client could keep
 * its loop for seconds. Now a connection handles a slice (slice_lines lines or slice_ns)
 * and then yields: its uv_idle handle brings it back on the next loop turn, after the other
 * connections' reads and timers have had theirs.
 */
#include "conn.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "silk/buf.h"

/* How the connection is framed; decided by its first line. */
enum { FRAME_UNKNOWN = 0, FRAME_LINES, FRAME_HTTP };

/* Reads get at least this much free buffer; the buffer starts at this size. */
#define READ_CHUNK 4096
/* Buffers above this size are given back once empty, so idle connections stay small. */
#define KEEP_BYTES (64 * 1024)

struct silkd_conn {
    union {
        uv_handle_t handle;
        uv_stream_t stream;
        uv_pipe_t pipe;
        uv_tcp_t tcp;
    } h;                     /* the socket */
    uv_timer_t timer;        /* idle timeout, and the quiet timer while draining */
    uv_idle_t resume;        /* brings a connection that yielded back on the next turn */
    uv_write_t wreq;         /* the one write in progress */
    uv_shutdown_t sreq;      /* the final shutdown */
    silkd_conn_cbs_t cbs;    /* the owner's callbacks */
    void *data;              /* the owner's pointer, passed to each callback */
    silkd_conn_limits_t lim; /* bounds */
    silk_buf_t in;           /* read buffer (limit: two lines and a read's worth) */
    size_t rstart;           /* unprocessed bytes are in.data[rstart, in.len) */
    silk_buf_t out;          /* answers not yet handed to the kernel */
    unsigned out_n;          /* answers in out */
    silk_buf_t wbuf;         /* bytes of the write in progress */
    unsigned wbuf_n;         /* answers in wbuf */
    int writing;             /* wreq is in progress */
    int reading;             /* uv_read_start is active */
    int holding;             /* a held line's answer is owed: hold later lines */
    int eof;                 /* the peer will send nothing more */
    int finishing;           /* answer what is buffered, flush, then close (no more reads) */
    int refused;             /* the owner refused the peer: no more lines, flush and close */
    int draining;            /* the owner is stopping: close once quiet */
    int shutting;            /* sreq is in progress */
    int closing;             /* the close chain has started */
    int silent;              /* open failed: free without telling the owner */
    int open_handles;        /* handles not yet closed by the chain */
    int refs;                /* references held elsewhere (a held line's answer) */
    int yielded;             /* used its slice: lines wait for `resume` */
    unsigned slice_lines;    /* lines handled in the current slice */
    uint64_t slice_start;    /* uv_hrtime() at the slice's first line */
    size_t counted;          /* bytes of out and wbuf added to *lim.total */
    uint64_t last_active;    /* loop time of the last read or write progress */
    int framing;             /* FRAME_*: lines or HTTP, once the first line is seen */
    silkd_http_t *http;      /* FRAME_HTTP: the request parser */
};

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);
static void on_write(uv_write_t *req, int status);
static void on_shutdown(uv_shutdown_t *req, int status);
static void on_timer(uv_timer_t *timer);
static void on_closed(uv_handle_t *handle);
static void on_resume(uv_idle_t *idle);
static void process(silkd_conn_t *c);

silkd_frame_t silkd_frame_next(const char *buf, size_t len, size_t max_line, size_t *line_len,
                               size_t *consumed)
{
    /* A line may be followed by "\r\n", so look two bytes past the bound for the newline. */
    size_t scan = len < max_line + 2 ? len : max_line + 2;
    const char *nl = scan ? memchr(buf, '\n', scan) : NULL;
    if (!nl) {
        /* No newline within the bound: over it means too large, except that a line of
         * exactly max_line bytes may still be waiting for its "\r\n". */
        if (len > max_line + 1 || (len == max_line + 1 && buf[max_line] != '\r'))
            return SILKD_FRAME_TOO_LARGE;
        return SILKD_FRAME_NEED_MORE;
    }
    size_t n = (size_t)(nl - buf);
    *consumed = n + 1;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    if (n > max_line)
        return SILKD_FRAME_TOO_LARGE;
    *line_len = n;
    return SILKD_FRAME_LINE;
}

silk_status_t silkd_conn_open(uv_loop_t *loop, int fd, int is_tcp,
                              const silkd_conn_limits_t *limits, const silkd_conn_cbs_t *cbs,
                              void *data, silkd_conn_t **out)
{
    *out = NULL;
    silkd_conn_t *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        return SILK_ERR_NOMEM;
    }
    c->cbs = *cbs;
    c->data = data;
    c->lim = *limits;
    if (!c->lim.slice_lines)
        c->lim.slice_lines = SILKD_SLICE_LINES;
    if (!c->lim.slice_ns)
        c->lim.slice_ns = SILKD_SLICE_NS;
    c->in.limit = 2 * (limits->max_line + 2) + READ_CHUNK;
    int rc = is_tcp ? uv_tcp_init(loop, &c->h.tcp) : uv_pipe_init(loop, &c->h.pipe, 0);
    if (rc != 0) {
        silkd_log(SILKD_LOG_WARN, "cannot serve an accepted connection: %s", uv_strerror(rc));
        close(fd);
        free(c);
        return SILK_ERR_INTERNAL;
    }
    c->h.handle.data = c;
    rc = is_tcp ? uv_tcp_open(&c->h.tcp, fd) : uv_pipe_open(&c->h.pipe, fd);
    if (rc != 0) {
        silkd_log(SILKD_LOG_WARN, "cannot serve an accepted connection: %s", uv_strerror(rc));
        close(fd);
        /* The handle is initialized: close it through the loop, then free. */
        c->closing = 1;
        c->silent = 1;
        c->open_handles = 1;
        uv_close(&c->h.handle, on_closed);
        return SILK_ERR_INTERNAL;
    }
    if (is_tcp)
        uv_tcp_nodelay(&c->h.tcp, 1);
    uv_timer_init(loop, &c->timer);
    c->timer.data = c;
    uv_idle_init(loop, &c->resume);
    c->resume.data = c;
    c->open_handles = 3;
    c->last_active = uv_now(loop);
    if (c->lim.idle_ms)
        uv_timer_start(&c->timer, on_timer, c->lim.idle_ms, 0);
    *out = c;
    process(c);
    return SILK_OK;
}

static void report(silkd_conn_t *c, silkd_conn_error_t err)
{
    if (c->cbs.on_error)
        c->cbs.on_error(c, c->data, err);
}

/* ---- state --------------------------------------------------------------------------------- */

int silkd_conn_is_closing(const silkd_conn_t *c)
{
    return c->closing;
}

int silkd_conn_is_reading(const silkd_conn_t *c)
{
    return c->reading;
}

int silkd_conn_is_http(const silkd_conn_t *c)
{
    return c->framing == FRAME_HTTP;
}

size_t silkd_conn_queued_bytes(const silkd_conn_t *c)
{
    return c->out.len + c->wbuf.len;
}

unsigned silkd_conn_queued_answers(const silkd_conn_t *c)
{
    return c->out_n + c->wbuf_n;
}

/* Brings the daemon-wide count of unsent bytes in line with this connection's. Counted as
 * len, not capacity: the bound is about answers waiting for slow clients, and buffers of
 * idle connections are given back (shrink) anyway. */
static void account(silkd_conn_t *c)
{
    size_t now = c->out.len + c->wbuf.len;
    if (!c->lim.total || now == c->counted)
        return;
    if (now > c->counted)
        atomic_fetch_add_explicit(c->lim.total, now - c->counted, memory_order_relaxed);
    else
        atomic_fetch_sub_explicit(c->lim.total, c->counted - now, memory_order_relaxed);
    c->counted = now;
}

/* The daemon-wide bound of unsent bytes is reached. */
static int total_full(const silkd_conn_t *c, size_t more)
{
    return c->lim.total &&
           atomic_load_explicit(c->lim.total, memory_order_relaxed) + more > c->lim.max_total;
}

/* ---- closing ------------------------------------------------------------------------------- */

static void maybe_free(silkd_conn_t *c)
{
    if (c->open_handles > 0 || c->refs > 0)
        return;
    c->out.len = c->wbuf.len = 0;
    account(c);
    if (!c->silent)
        c->cbs.on_close(c, c->data);
    silk_buf_free(&c->in);
    silk_buf_free(&c->out);
    silk_buf_free(&c->wbuf);
    silkd_http_destroy(c->http);
    free(c);
}

static void on_closed(uv_handle_t *handle)
{
    silkd_conn_t *c = handle->data;
    c->open_handles--;
    maybe_free(c);
}

void silkd_conn_close(silkd_conn_t *c)
{
    if (c->closing)
        return;
    c->closing = 1;
    if (c->reading)
        uv_read_stop(&c->h.stream);
    c->reading = 0;
    uv_close((uv_handle_t *)&c->timer, on_closed);
    uv_close((uv_handle_t *)&c->resume, on_closed);
    uv_close(&c->h.handle, on_closed);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    (void)status;
    silkd_conn_close(req->data);
}

/* Everything owed is written: end the connection politely (FIN, then close). */
static void finish_now(silkd_conn_t *c)
{
    if (c->shutting || c->closing)
        return;
    if (c->reading)
        uv_read_stop(&c->h.stream);
    c->reading = 0;
    c->shutting = 1;
    c->sreq.data = c;
    if (uv_shutdown(&c->sreq, &c->h.stream, on_shutdown) != 0)
        silkd_conn_close(c);
}

static void fail_io(silkd_conn_t *c, const char *what, int err)
{
    silkd_log(SILKD_LOG_DEBUG, "%s failed: %s", what, uv_strerror(err));
    report(c, SILKD_CONN_IO);
    silkd_conn_close(c);
}

/* ---- writing ------------------------------------------------------------------------------- */

silkd_queue_t silkd_conn_queue(silkd_conn_t *c, const char *answer, size_t len)
{
    if (c->closing)
        return SILKD_QUEUE_CLOSED;
    if (len > SILKD_ANSWER_SMALL) {
        if (len > c->lim.max_output)
            return SILKD_QUEUE_TOO_LARGE;
        if (total_full(c, len))
            return SILKD_QUEUE_FULL;
    }
    if (silk_buf_add(&c->out, answer, len) != SILK_OK) {
        silkd_log(SILKD_LOG_WARN, "out of memory queueing an answer; closing the connection");
        silkd_conn_close(c);
        return SILKD_QUEUE_CLOSED;
    }
    c->out_n++;
    account(c);
    return SILKD_QUEUED;
}

static void shrink(silk_buf_t *b)
{
    if (b->cap > KEEP_BYTES && b->len == 0)
        silk_buf_free(b);
}

/* Sends `out`: as much as the kernel takes now, the rest through one uv_write. */
static void flush(silkd_conn_t *c)
{
    if (c->closing || c->writing || c->out.len == 0)
        return;
    uv_buf_t b = uv_buf_init(c->out.data, (unsigned)c->out.len);
    int n = uv_try_write(&c->h.stream, &b, 1);
    if (n < 0 && n != UV_EAGAIN) {
        fail_io(c, "write", n);
        return;
    }
    if (n > 0)
        c->last_active = uv_now(c->h.handle.loop);
    size_t done = n > 0 ? (size_t)n : 0;
    if (done == c->out.len) {
        c->out.len = 0;
        c->out_n = 0;
        shrink(&c->out);
        account(c);
        return;
    }
    /* Swap buffers: the remainder is written from wbuf while out collects new answers. */
    silk_buf_t tmp = c->wbuf;
    c->wbuf = c->out;
    c->out = tmp;
    c->out.len = 0;
    c->wbuf_n = c->out_n;
    c->out_n = 0;
    uv_buf_t rest = uv_buf_init(c->wbuf.data + done, (unsigned)(c->wbuf.len - done));
    c->wreq.data = c;
    int rc = uv_write(&c->wreq, &c->h.stream, &rest, 1, on_write);
    if (rc != 0) {
        fail_io(c, "write", rc);
        return;
    }
    c->writing = 1;
}

static void on_write(uv_write_t *req, int status)
{
    silkd_conn_t *c = req->data;
    c->writing = 0;
    c->wbuf.len = 0;
    c->wbuf_n = 0;
    account(c);
    if (status < 0 || c->closing) {
        if (status < 0 && status != UV_ECANCELED)
            fail_io(c, "write", status);
        silkd_conn_close(c);
        return;
    }
    shrink(&c->wbuf);
    c->last_active = uv_now(c->h.handle.loop);
    if (c->draining)
        uv_timer_start(&c->timer, on_timer, c->lim.drain_ms, 0);
    process(c);
}

/* ---- reading ------------------------------------------------------------------------------- */

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    silkd_conn_t *c = handle->data;
    silk_buf_t *in = &c->in;
    (void)suggested;
    if (c->rstart > 0 && in->cap - in->len < READ_CHUNK) {
        silk_buf_consume(in, c->rstart);
        c->rstart = 0;
    }
    /* Grow towards the bound; near it, take whatever room is left. A failed reservation
     * leaves the buffer as it was. */
    if (silk_buf_reserve(in, READ_CHUNK) != SILK_OK && in->len < in->limit)
        silk_buf_reserve(in, in->limit - in->len);
    /* A zero-length buffer makes libuv report UV_ENOBUFS, handled in on_read. */
    *buf = uv_buf_init(in->data ? in->data + in->len : NULL, (unsigned)(in->cap - in->len));
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    silkd_conn_t *c = stream->data;
    (void)buf;
    if (nread > 0) {
        c->in.len += (size_t)nread;
        c->last_active = uv_now(stream->loop);
        if (c->draining && !c->closing)
            uv_timer_start(&c->timer, on_timer, c->lim.drain_ms, 0);
    } else if (nread == UV_EOF) {
        c->eof = 1;
    } else if (nread == UV_ENOBUFS) {
        /* Out of memory for the buffer: stop reading until lines are consumed. */
        uv_read_stop(stream);
        c->reading = 0;
    } else if (nread < 0) {
        fail_io(c, "read", (int)nread);
        return;
    }
    process(c);
}

/* Reads when there is room and no reason to hold back. */
static void update_reading(silkd_conn_t *c)
{
    int want = !c->closing && !c->shutting && !c->eof && !c->finishing &&
               c->out_n + c->wbuf_n < c->lim.max_inflight &&
               c->in.len - c->rstart <= c->lim.max_line + 1;
    if (want && !c->reading) {
        if (uv_read_start(&c->h.stream, on_alloc, on_read) == 0)
            c->reading = 1;
    } else if (!want && c->reading) {
        uv_read_stop(&c->h.stream);
        c->reading = 0;
    }
}

/* Backpressure: the next line waits while too many answers or bytes of this connection are
 * unsent, or while the daemon-wide bound is reached and some of them are this connection's
 * (one with nothing unsent goes on, so others' unread answers never stall it: its answer is
 * either short or refused as overloaded by silkd_conn_queue). */
static int must_wait(const silkd_conn_t *c)
{
    size_t queued = silkd_conn_queued_bytes(c);
    return c->out_n + c->wbuf_n >= c->lim.max_inflight || queued >= c->lim.max_output / 4 ||
           (queued > 0 && c->lim.total &&
            atomic_load_explicit(c->lim.total, memory_order_relaxed) >= c->lim.max_total);
}

static void on_resume(uv_idle_t *idle)
{
    silkd_conn_t *c = idle->data;
    uv_idle_stop(idle);
    c->yielded = 0;
    c->slice_lines = 0;
    if (!c->closing)
        process(c);
}

/* The first line decides the framing: an HTTP request line makes the connection HTTP
 * (when the owner serves HTTP), anything else NDJSON. Blank lines before it are skipped
 * (both protocols ignore them). Returns 0 while the first line is incomplete. */
static int decide_framing(silkd_conn_t *c)
{
    if (!c->cbs.on_http) {
        c->framing = FRAME_LINES;
        return 1;
    }
    for (;;) {
        size_t avail = c->in.len - c->rstart, line_len = 0, consumed = 0;
        const char *p = c->in.data + c->rstart;
        silkd_frame_t f = silkd_frame_next(p, avail, c->lim.max_line, &line_len, &consumed);
        if (f == SILKD_FRAME_LINE && line_len == 0) {
            c->rstart += consumed;
            continue;
        }
        if (f == SILKD_FRAME_NEED_MORE && !c->eof)
            return 0;
        int http = f == SILKD_FRAME_LINE ? silkd_http_is_request_line(p, line_len)
                                         : silkd_http_is_request_start(p, avail);
        if (!http) {
            c->framing = FRAME_LINES;
            return 1;
        }
        c->http = silkd_http_new(c->lim.max_line);
        if (!c->http) {
            silkd_log(SILKD_LOG_WARN, "out of memory for an HTTP connection; closing it");
            silkd_conn_close(c);
            return 0;
        }
        c->framing = FRAME_HTTP;
        return 1;
    }
}

/* The slice of this turn is used up: the other connections of the loop go first. */
static int yield_now(silkd_conn_t *c)
{
    if (c->slice_lines >= c->lim.slice_lines ||
        (c->slice_lines > 0 && uv_hrtime() - c->slice_start >= c->lim.slice_ns)) {
        c->yielded = 1;
        uv_idle_start(&c->resume, on_resume);
        return 1;
    }
    if (c->slice_lines++ == 0)
        c->slice_start = uv_hrtime();
    return 0;
}

/* HTTP framing: feeds the parser and hands the next request to the owner. Returns 0 when
 * the loop must stop (more bytes needed, yielded, held, refused or closing). */
static int process_http(silkd_conn_t *c)
{
    if (!silkd_http_request(c->http)) {
        size_t avail = c->in.len - c->rstart, used = 0;
        silkd_http_feed_t f =
            silkd_http_feed(c->http, c->in.data + c->rstart, avail, c->eof, &used);
        c->rstart += used;
        if (f == SILKD_HTTP_CONTINUE) {
            /* The client waits for this before it sends the body. */
            silkd_conn_queue(c, SILKD_HTTP_100, sizeof SILKD_HTTP_100 - 1);
            return !c->closing;
        }
        if (f == SILKD_HTTP_MORE)
            return 0;
    }
    if (yield_now(c))
        return 0;
    const silkd_http_req_t *req = silkd_http_request(c->http);
    int failed = req->status != 0;
    silkd_line_t r = c->cbs.on_http(c, c->data, req);
    silkd_http_next(c->http);
    if (failed && !c->closing)
        silkd_conn_refuse(c); /* the stream cannot be read further */
    if (c->refused) {
        c->in.len = c->rstart = 0;
        return 0;
    }
    if (r == SILKD_LINE_HOLD) {
        c->holding = 1;
        c->refs++;
    }
    return !c->closing && !c->holding;
}

/* Hands the complete lines that may be answered now to the owner, a slice at a time, then
 * writes and adjusts reading. */
static void process(silkd_conn_t *c)
{
    while (!c->closing && !c->holding && !c->yielded && !c->refused) {
        if (must_wait(c)) {
            flush(c);
            if (c->closing || must_wait(c))
                break; /* paused until the write completes */
        }
        if (c->framing == FRAME_UNKNOWN && !decide_framing(c))
            break;
        if (c->framing == FRAME_HTTP) {
            if (!process_http(c))
                break;
            continue;
        }
        size_t avail = c->in.len - c->rstart, line_len = 0, consumed = 0;
        const char *p = c->in.data + c->rstart;
        silkd_frame_t f = silkd_frame_next(p, avail, c->lim.max_line, &line_len, &consumed);
        if (f == SILKD_FRAME_NEED_MORE) {
            if (!c->eof || avail == 0)
                break;
            /* The peer is done: a last line without its newline is still a request. */
            line_len = avail;
            consumed = avail;
            if (line_len && p[line_len - 1] == '\r')
                line_len--;
        } else if (f == SILKD_FRAME_TOO_LARGE) {
            report(c, SILKD_CONN_TOO_LARGE);
            silkd_log(SILKD_LOG_INFO, "closing a connection that sent a line over %zu bytes",
                      c->lim.max_line);
            c->in.len = c->rstart = 0;
            c->finishing = 1;
            break;
        }
        if (yield_now(c))
            break;
        silkd_line_t r = c->cbs.on_line(c, c->data, p, line_len);
        c->rstart += consumed;
        if (c->refused) {
            c->in.len = c->rstart = 0;
            break;
        }
        if (r == SILKD_LINE_HOLD) {
            c->holding = 1;
            c->refs++;
        }
        if (c->closing)
            return;
    }
    if (c->closing)
        return;
    if (c->rstart == c->in.len) {
        c->slice_lines = 0; /* out of lines: the slice ends with the work */
        c->in.len = c->rstart = 0;
        if (c->in.cap > KEEP_BYTES)
            silk_buf_free(&c->in);
    }
    /* Once the peer is done and everything it sent is answered, finish. */
    if (c->eof && !c->holding && c->rstart == c->in.len)
        c->finishing = 1;
    flush(c);
    if (c->closing)
        return;
    update_reading(c);
    /* A connection that yielded still has lines to answer before it may finish. */
    if (c->finishing && !c->holding && !c->yielded && !c->writing && c->out.len == 0)
        finish_now(c);
}

void silkd_conn_release(silkd_conn_t *c)
{
    c->holding = 0;
    c->refs--;
    if (c->closing) {
        maybe_free(c);
        return;
    }
    c->last_active = uv_now(c->h.handle.loop);
    process(c);
}

/* ---- timers -------------------------------------------------------------------------------- */

static void on_timer(uv_timer_t *timer)
{
    silkd_conn_t *c = timer->data;
    if (c->closing)
        return;
    uint64_t now = uv_now(timer->loop);
    if (c->draining) {
        /* Quiet for drain_ms: answer what is buffered, flush, close. */
        if (c->holding || c->writing) {
            uv_timer_start(&c->timer, on_timer, c->lim.drain_ms, 0);
            return;
        }
        c->finishing = 1;
        process(c);
        return;
    }
    uint64_t idle = c->lim.idle_ms;
    if (!idle)
        return;
    if (c->holding || now - c->last_active < idle) {
        /* An answer is owed (a reindex can take long), or there was traffic since the
         * timer was set: check again when the idle time would run out. */
        uint64_t left = c->holding ? idle : idle - (now - c->last_active);
        uv_timer_start(&c->timer, on_timer, left, 0);
        return;
    }
    /* The one way a client that does not read is dropped: its answers wait, reading it
     * paused, and nothing moved for the idle bound. Worth an info line, unlike a quiet
     * client going idle. */
    if (silkd_conn_queued_bytes(c) > 0)
        silkd_log(SILKD_LOG_INFO,
                  "dropping a connection with %zu bytes of unread answers, idle for %llu ms",
                  silkd_conn_queued_bytes(c), (unsigned long long)(now - c->last_active));
    else
        silkd_log(SILKD_LOG_DEBUG, "closing a connection idle for %llu ms",
                  (unsigned long long)(now - c->last_active));
    report(c, SILKD_CONN_IDLE);
    silkd_conn_close(c);
}

void silkd_conn_refuse(silkd_conn_t *c)
{
    c->refused = 1;
    c->finishing = 1;
}

void silkd_conn_drain(silkd_conn_t *c)
{
    if (c->closing || c->draining)
        return;
    c->draining = 1;
    uv_timer_start(&c->timer, on_timer, c->lim.drain_ms, 0);
}
