/* silkd — one client connection on a worker's loop: newline framing over a bounded read
 * buffer, requests answered in order, batched writes with a bounded output queue, a bounded
 * number of unsent answers (reading pauses beyond it), an idle timer, and a close chain
 * (stop reading → close timer and socket → free once both are closed and no reindex answer
 * is owed). Everything here runs on the owning worker's thread.
 */
#ifndef SILKD_CONN_H
#define SILKD_CONN_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "server.h"
#include "silk/proto.h"

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

struct silkd_conn {
    union {
        uv_handle_t handle;
        uv_stream_t stream;
        uv_pipe_t pipe;
        uv_tcp_t tcp;
    } h;                       /* the socket */
    uv_timer_t timer;          /* idle timeout, and the quiet timer while draining */
    uv_write_t wreq;           /* the one write in progress */
    uv_shutdown_t sreq;        /* the final shutdown */
    silkd_worker_t *worker;    /* owner */
    const silkd_config_t *cfg; /* bounds */
    silkd_conn_t *prev, *next; /* the worker's list of connections */
    char *rbuf;                /* read buffer, grown up to rmax */
    size_t rcap;               /* its size */
    size_t rstart, rend;       /* unprocessed bytes are rbuf[rstart, rend) */
    size_t rmax;               /* bound of rcap */
    silk_proto_buf_t out;      /* answers not yet handed to the kernel */
    unsigned out_n;            /* answers in out */
    silk_proto_buf_t wbuf;     /* bytes of the write in progress */
    unsigned wbuf_n;           /* answers in wbuf */
    int writing;               /* wreq is in progress */
    int reading;               /* uv_read_start is active */
    int waiting;               /* an answer is owed by the reindex runner: hold later lines */
    int eof;                   /* the peer will send nothing more */
    int finishing;             /* answer what is buffered, flush, then close (no more reads) */
    int draining;              /* the daemon is stopping: close once quiet */
    int shutting;              /* sreq is in progress */
    int closing;               /* the close chain has started */
    int open_handles;          /* handles not yet closed by the chain */
    int refs;                  /* references held elsewhere (an owed reindex answer) */
    uint64_t last_active;      /* loop time of the last read or write progress */
};

/* Wraps an accepted socket on loop: starts reading and the idle timer. On failure closes
 * fd and returns NULL. The connection frees itself at the end of its close chain, after
 * telling the worker (silkd_worker_conn_freed). */
silkd_conn_t *silkd_conn_open(silkd_worker_t *w, uv_loop_t *loop, const silkd_config_t *cfg, int fd,
                              int is_tcp);

/* The reindex answer owed to c was appended to c->out (or c is closing and it was
 * dropped): drops the reference and resumes the lines held back. */
void silkd_conn_resume(silkd_conn_t *c);

/* The daemon is stopping: answer what arrives until the client is quiet for drain_ms,
 * then flush and close. */
void silkd_conn_drain(silkd_conn_t *c);

/* Starts the close chain now (pending output is dropped). Idempotent. */
void silkd_conn_close(silkd_conn_t *c);

#endif
