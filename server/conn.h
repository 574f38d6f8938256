/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — one client connection on a loop: newline framing over a bounded read buffer,
 * request lines handed to the owner in order, batched writes with a bounded output queue,
 * backpressure (no new line is handled while too many answers or bytes are unsent, or while
 * the daemon-wide output bound is reached and this connection has output of its own), a
 * bounded slice of lines per loop turn (then it yields, so one connection cannot monopolise
 * its loop), an idle timer, and a close chain (stop reading → close timer and idle handle →
 * close socket → free, once every handle is closed and no held answer is owed).
 *
 * A connection whose first line is an HTTP request line is framed as HTTP instead (the
 * parser of http.c, one request at a time, pipelined requests in order, `Expect:
 * 100-continue` answered), with the same bounds, slices and backpressure.
 *
 * The connection knows nothing of what a line means: it reports each complete line, each
 * error and its end through the callbacks its owner gave it (neovim's rstream read_cb +
 * data), and the owner answers with silkd_conn_queue. Everything here runs on the thread of
 * the loop the connection was opened on. This module calls only the log.
 */
#ifndef SILKD_CONN_H
#define SILKD_CONN_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "http.h"
#include "silk/status.h"

/* ---- framing (pure; unit-tested) ----------------------------------------------------------- */

typedef enum {
    SILKD_FRAME_NEED_MORE = 0, /* no complete line yet, and what is there is within bounds */
    SILKD_FRAME_LINE,          /* a line: *line_len bytes at buf, *consumed with its '\n' */
    SILKD_FRAME_TOO_LARGE,     /* more than max_line bytes without a newline */
} silkd_frame_t;

/* Finds the first line in buf[0, len). A line is its bytes before '\n', less a final '\r';
 * it may be at most max_line bytes (not counting "\r\n"). */
silkd_frame_t silkd_frame_next(const char *buf, size_t len, size_t max_line, size_t *line_len,
                               size_t *consumed);

/* ---- connections --------------------------------------------------------------------------- */

typedef struct silkd_conn silkd_conn_t;

/* Answers this short are always queued, whatever the output bounds: error answers are this
 * short, so a refusal can always be said. Memory stays bounded all the same, because a
 * connection with unsent output handles no new line while a bound is reached. */
#define SILKD_ANSWER_SMALL 2048
/* A connection handles at most this many lines, or lines for at most this long, before it
 * yields to the other connections of its loop (defaults for the limits left 0). */
#define SILKD_SLICE_LINES 16
#define SILKD_SLICE_NS    (2 * 1000 * 1000)

/* The bounds of one connection (copied at open). */
typedef struct {
    size_t max_line;       /* bytes of one request line */
    unsigned max_inflight; /* unsent answers before reading pauses */
    size_t max_output;     /* bytes of one answer; no line is handled while a quarter
                              of it is unsent, so unsent bytes stay under 1.25 times it */
    _Atomic size_t *total; /* unsent bytes of every connection of the daemon (shared,
                              any thread), or NULL for no daemon-wide bound */
    size_t max_total;      /* with total: the daemon-wide bound of unsent bytes */
    unsigned slice_lines;  /* lines per turn before yielding (0: SILKD_SLICE_LINES) */
    uint64_t slice_ns;     /* time per turn before yielding (0: SILKD_SLICE_NS) */
    uint64_t idle_ms;      /* no traffic for this long closes it; 0: never */
    uint64_t drain_ms;     /* once draining: quiet time after which it closes */
} silkd_conn_limits_t;

/* Returned by silkd_conn_queue. */
typedef enum {
    SILKD_QUEUED = 0,      /* the answer is queued */
    SILKD_QUEUE_TOO_LARGE, /* longer than max_output: not queued (answer too_large instead) */
    SILKD_QUEUE_FULL,      /* the daemon-wide bound would be passed: not queued (answer
                              overloaded instead) */
    SILKD_QUEUE_CLOSED,    /* c is closing, or ran out of memory and closed: dropped */
} silkd_queue_t;

/* Returned by on_line. */
typedef enum {
    SILKD_LINE_DONE = 0, /* the line is dealt with (answered, or needs no answer) */
    SILKD_LINE_HOLD,     /* its answer comes later: hold the next lines until
                            silkd_conn_release (the connection stays allocated until then) */
} silkd_line_t;

/* What went wrong, for on_error. */
typedef enum {
    SILKD_CONN_TOO_LARGE = 1, /* a line over max_line: the owner may queue one last answer;
                                 then the connection flushes and closes */
    SILKD_CONN_IO,            /* reading or writing failed: closing now */
    SILKD_CONN_IDLE,          /* no traffic for idle_ms: closing now */
} silkd_conn_error_t;

/* The owner's callbacks; each gets the `data` pointer given at open. Called on the loop's
 * thread, never after on_close. */
typedef struct {
    /* A complete request line: `len` bytes at line (not NUL-terminated, valid only during the
     * call; a final "\r\n" or "\n" removed). Required. */
    silkd_line_t (*on_line)(silkd_conn_t *c, void *data, const char *line, size_t len);
    /* The connection hit a bound or failed (see silkd_conn_error_t). May be NULL. */
    void (*on_error)(silkd_conn_t *c, void *data, silkd_conn_error_t err);
    /* The connection is gone: called once, just before its memory is freed. Required. */
    void (*on_close)(silkd_conn_t *c, void *data);
    /* An HTTP request, or an HTTP framing failure (req->status != 0, after which the
     * connection flushes and closes); valid only during the call. NULL: the connection is
     * never framed as HTTP (every line goes to on_line). */
    silkd_line_t (*on_http)(silkd_conn_t *c, void *data, const silkd_http_req_t *req);
} silkd_conn_cbs_t;

/* Wraps an accepted, connected socket fd (TCP when is_tcp, else Unix) on loop: starts
 * reading and the idle timer. On SILK_OK *out is the connection; it frees itself at the end
 * of its close chain, after on_close. On failure fd is closed, *out is NULL, and no callback
 * is ever called. cbs and limits are copied. */
silk_status_t silkd_conn_open(uv_loop_t *loop, int fd, int is_tcp,
                              const silkd_conn_limits_t *limits, const silkd_conn_cbs_t *cbs,
                              void *data, silkd_conn_t **out);

/* Queues one answer (len bytes, a whole line with its '\n') after those queued before. It
 * leaves at the end of the current on_line call, or at silkd_conn_release for a held line.
 * An answer over a bound is not queued (see silkd_queue_t): the owner queues a short error
 * answer in its place, so the client's sequence of answers has no gap. */
silkd_queue_t silkd_conn_queue(silkd_conn_t *c, const char *answer, size_t len);

/* The held line's answer was queued (or c is closing and it was dropped): reading of the
 * lines held back resumes, or c is freed when its close chain is done. Once per HOLD. */
void silkd_conn_release(silkd_conn_t *c);

/* From on_line: the peer is refused (say, not authenticated): the lines after this one are
 * dropped unanswered; what is queued is flushed, then the connection closes. */
void silkd_conn_refuse(silkd_conn_t *c);

/* The owner is stopping: answer what arrives until the client is quiet for drain_ms, then
 * flush and close. */
void silkd_conn_drain(silkd_conn_t *c);

/* Starts the close chain now (pending output is dropped). Idempotent. */
void silkd_conn_close(silkd_conn_t *c);

/* State, for the owner and for tests. */
int silkd_conn_is_closing(const silkd_conn_t *c);          /* the close chain has started */
int silkd_conn_is_reading(const silkd_conn_t *c);          /* reading is active (not paused) */
int silkd_conn_is_http(const silkd_conn_t *c);             /* framed as HTTP */
size_t silkd_conn_queued_bytes(const silkd_conn_t *c);     /* bytes answered but not yet sent */
unsigned silkd_conn_queued_answers(const silkd_conn_t *c); /* answers not yet sent */

#endif
