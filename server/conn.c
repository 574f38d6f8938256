/* silkd — a client connection (see conn.h).
 *
 * The read callback fills the free tail of the connection's own buffer (no allocation per
 * read), and every complete line in it is answered at once into `out`; then `out` goes to
 * the kernel with uv_try_write, and only what the kernel would not take is handed to a
 * uv_write. While that write is in progress further answers accumulate in `out` and leave
 * in one batch when it completes, so a pipelining client costs one write per batch, not
 * one per request. Reading pauses while too many answers are unsent (backpressure); a
 * client whose unsent answers exceed max_output bytes is dropped.
 */
#include "conn.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads get at least this much free buffer; the buffer starts at this size. */
#define READ_CHUNK 4096
/* Buffers above this size are given back once empty, so idle connections stay small. */
#define KEEP_BYTES (64 * 1024)

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf);
static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);
static void on_write(uv_write_t *req, int status);
static void on_shutdown(uv_shutdown_t *req, int status);
static void on_timer(uv_timer_t *timer);
static void on_closed(uv_handle_t *handle);
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

silkd_conn_t *silkd_conn_open(silkd_worker_t *w, uv_loop_t *loop, const silkd_config_t *cfg, int fd,
                              int is_tcp)
{
    silkd_conn_t *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        return NULL;
    }
    c->worker = w;
    c->cfg = cfg;
    c->rmax = 2 * (cfg->max_line + 2) + READ_CHUNK;
    int rc = is_tcp ? uv_tcp_init(loop, &c->h.tcp) : uv_pipe_init(loop, &c->h.pipe, 0);
    if (rc == 0)
        rc = is_tcp ? uv_tcp_open(&c->h.tcp, fd) : uv_pipe_open(&c->h.pipe, fd);
    c->h.handle.data = c;
    if (rc != 0) {
        silkd_log(SILKD_LOG_WARN, "cannot serve an accepted connection: %s", uv_strerror(rc));
        close(fd);
        /* The handle may be initialized: close it through the loop, then free. */
        c->closing = 1;
        c->open_handles = 1;
        uv_close(&c->h.handle, on_closed);
        silkd_worker_conn_added(w, c);
        return NULL;
    }
    if (is_tcp)
        uv_tcp_nodelay(&c->h.tcp, 1);
    uv_timer_init(loop, &c->timer);
    c->timer.data = c;
    c->open_handles = 2;
    c->last_active = uv_now(loop);
    silkd_worker_conn_added(w, c);
    if (cfg->idle_ms)
        uv_timer_start(&c->timer, on_timer, cfg->idle_ms, 0);
    process(c);
    return c;
}

/* ---- closing ------------------------------------------------------------------------------- */

static void maybe_free(silkd_conn_t *c)
{
    if (c->open_handles > 0 || c->refs > 0)
        return;
    silkd_worker_conn_freed(c->worker, c);
    free(c->rbuf);
    silk_proto_buf_free(&c->out);
    silk_proto_buf_free(&c->wbuf);
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

/* ---- writing ------------------------------------------------------------------------------- */

static void shrink(silk_proto_buf_t *b)
{
    if (b->cap > KEEP_BYTES && b->len == 0)
        silk_proto_buf_free(b);
}

/* Sends `out`: as much as the kernel takes now, the rest through one uv_write. */
static void flush(silkd_conn_t *c)
{
    if (c->closing || c->writing || c->out.len == 0)
        return;
    uv_buf_t b = uv_buf_init(c->out.data, (unsigned)c->out.len);
    int n = uv_try_write(&c->h.stream, &b, 1);
    if (n < 0 && n != UV_EAGAIN) {
        silkd_log(SILKD_LOG_DEBUG, "write failed: %s", uv_strerror(n));
        silkd_conn_close(c);
        return;
    }
    if (n > 0)
        c->last_active = uv_now(c->h.handle.loop);
    size_t done = n > 0 ? (size_t)n : 0;
    if (done == c->out.len) {
        c->out.len = 0;
        c->out_n = 0;
        shrink(&c->out);
        return;
    }
    /* Swap buffers: the remainder is written from wbuf while out collects new answers. */
    silk_proto_buf_t tmp = c->wbuf;
    c->wbuf = c->out;
    c->out = tmp;
    c->out.len = 0;
    c->wbuf_n = c->out_n;
    c->out_n = 0;
    uv_buf_t rest = uv_buf_init(c->wbuf.data + done, (unsigned)(c->wbuf.len - done));
    c->wreq.data = c;
    int rc = uv_write(&c->wreq, &c->h.stream, &rest, 1, on_write);
    if (rc != 0) {
        silkd_log(SILKD_LOG_DEBUG, "write failed: %s", uv_strerror(rc));
        silkd_conn_close(c);
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
    if (status < 0 || c->closing) {
        if (status < 0 && status != UV_ECANCELED)
            silkd_log(SILKD_LOG_DEBUG, "write failed: %s", uv_strerror(status));
        silkd_conn_close(c);
        return;
    }
    shrink(&c->wbuf);
    c->last_active = uv_now(c->h.handle.loop);
    if (c->draining)
        uv_timer_start(&c->timer, on_timer, c->cfg->drain_ms, 0);
    process(c);
}

/* ---- reading ------------------------------------------------------------------------------- */

static void on_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf)
{
    silkd_conn_t *c = handle->data;
    (void)suggested;
    if (c->rstart > 0 && c->rcap - c->rend < READ_CHUNK) {
        memmove(c->rbuf, c->rbuf + c->rstart, c->rend - c->rstart);
        c->rend -= c->rstart;
        c->rstart = 0;
    }
    if (c->rcap - c->rend < READ_CHUNK && c->rcap < c->rmax) {
        size_t cap = c->rcap ? c->rcap * 2 : READ_CHUNK;
        if (cap > c->rmax)
            cap = c->rmax;
        char *p = realloc(c->rbuf, cap);
        if (p) {
            c->rbuf = p;
            c->rcap = cap;
        }
    }
    /* A zero-length buffer makes libuv report UV_ENOBUFS, handled in on_read. */
    *buf = uv_buf_init(c->rbuf ? c->rbuf + c->rend : NULL, (unsigned)(c->rcap - c->rend));
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
    silkd_conn_t *c = stream->data;
    (void)buf;
    if (nread > 0) {
        c->rend += (size_t)nread;
        c->last_active = uv_now(stream->loop);
        if (c->draining && !c->closing)
            uv_timer_start(&c->timer, on_timer, c->cfg->drain_ms, 0);
    } else if (nread == UV_EOF) {
        c->eof = 1;
    } else if (nread == UV_ENOBUFS) {
        /* Out of memory for the buffer: stop reading until lines are consumed. */
        uv_read_stop(stream);
        c->reading = 0;
    } else if (nread < 0) {
        silkd_log(SILKD_LOG_DEBUG, "read failed: %s", uv_strerror((int)nread));
        silkd_conn_close(c);
        return;
    }
    process(c);
}

static size_t pending_bytes(const silkd_conn_t *c)
{
    return c->out.len + c->wbuf.len;
}

/* Reads when there is room and no reason to hold back. */
static void update_reading(silkd_conn_t *c)
{
    int want = !c->closing && !c->shutting && !c->eof && !c->finishing &&
               c->out_n + c->wbuf_n < c->cfg->max_inflight &&
               c->rend - c->rstart <= c->cfg->max_line + 1;
    if (want && !c->reading) {
        if (uv_read_start(&c->h.stream, on_alloc, on_read) == 0)
            c->reading = 1;
    } else if (!want && c->reading) {
        uv_read_stop(&c->h.stream);
        c->reading = 0;
    }
}

/* Answers every complete line that may be answered now, then writes and adjusts reading. */
static void process(silkd_conn_t *c)
{
    while (!c->closing && !c->waiting) {
        if (c->out_n + c->wbuf_n >= c->cfg->max_inflight) {
            flush(c);
            if (c->out_n + c->wbuf_n >= c->cfg->max_inflight)
                break; /* paused until the write completes */
        }
        size_t avail = c->rend - c->rstart, line_len = 0, consumed = 0;
        const char *p = c->rbuf + c->rstart;
        silkd_frame_t f = silkd_frame_next(p, avail, c->cfg->max_line, &line_len, &consumed);
        if (f == SILKD_FRAME_NEED_MORE) {
            if (!c->eof || avail == 0)
                break;
            /* The peer is done: a last line without its newline is still a request. */
            line_len = avail;
            consumed = avail;
            if (line_len && p[line_len - 1] == '\r')
                line_len--;
        } else if (f == SILKD_FRAME_TOO_LARGE) {
            char msg[96];
            snprintf(msg, sizeof msg, "request line longer than %zu bytes; closing",
                     c->cfg->max_line);
            if (silk_proto_encode_error(&c->out, NULL, 0, SILK_PROTO_TOO_LARGE, msg, -1) == SILK_OK)
                c->out_n++;
            silkd_counters_t *k = silkd_worker_counters(c->worker);
            atomic_fetch_add_explicit(&k->errors[SILK_PROTO_TOO_LARGE], 1, memory_order_relaxed);
            atomic_fetch_add_explicit(&k->requests, 1, memory_order_relaxed);
            silkd_log(SILKD_LOG_INFO, "closing a connection that sent a line over %zu bytes",
                      c->cfg->max_line);
            c->rstart = c->rend = 0;
            c->finishing = 1;
            break;
        }
        int r = silkd_worker_handle(c->worker, c, p, line_len, &c->out);
        c->rstart += consumed;
        if (r == SILKD_HANDLED_RESPONSE) {
            c->out_n++;
        } else if (r == SILKD_HANDLED_WAIT) {
            c->waiting = 1;
            c->refs++;
        }
        if (pending_bytes(c) > c->cfg->max_output) {
            silkd_log(SILKD_LOG_INFO,
                      "dropping a connection with %zu bytes of unread answers (bound %zu)",
                      pending_bytes(c), c->cfg->max_output);
            silkd_conn_close(c);
            return;
        }
    }
    if (c->closing)
        return;
    if (c->rstart == c->rend) {
        c->rstart = c->rend = 0;
        if (c->rcap > KEEP_BYTES) {
            free(c->rbuf);
            c->rbuf = NULL;
            c->rcap = 0;
        }
    }
    /* Once the peer is done and everything it sent is answered, finish. */
    if (c->eof && !c->waiting && c->rstart == c->rend)
        c->finishing = 1;
    flush(c);
    if (c->closing)
        return;
    update_reading(c);
    if (c->finishing && !c->waiting && !c->writing && c->out.len == 0)
        finish_now(c);
}

void silkd_conn_resume(silkd_conn_t *c)
{
    c->waiting = 0;
    c->refs--;
    if (c->closing) {
        maybe_free(c);
        return;
    }
    c->out_n++;
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
        if (c->waiting || c->writing) {
            uv_timer_start(&c->timer, on_timer, c->cfg->drain_ms, 0);
            return;
        }
        c->finishing = 1;
        process(c);
        return;
    }
    uint64_t idle = c->cfg->idle_ms;
    if (!idle)
        return;
    if (c->waiting || now - c->last_active < idle) {
        /* An answer is owed (a reindex can take long), or there was traffic since the
         * timer was set: check again when the idle time would run out. */
        uint64_t left = c->waiting ? idle : idle - (now - c->last_active);
        uv_timer_start(&c->timer, on_timer, left, 0);
        return;
    }
    silkd_log(SILKD_LOG_DEBUG, "closing a connection idle for %llu ms",
              (unsigned long long)(now - c->last_active));
    silkd_conn_close(c);
}

void silkd_conn_drain(silkd_conn_t *c)
{
    if (c->closing || c->draining)
        return;
    c->draining = 1;
    uv_timer_start(&c->timer, on_timer, c->cfg->drain_ms, 0);
}
