/* silkd — what the daemon's parts share: configuration, the server state every thread may
 * read, logging, and the entry points of the workers (worker.c) and of the reindex runner
 * (reindex.c). Connections have their own header, conn.h.
 *
 * Threads (DESIGN.md § Daemon): the main loop accepts, hands connections to workers, owns
 * signals, the reindex child and the watcher. Each worker runs its own loop with its own
 * searcher and its own connections. What crosses threads is a mutex-guarded queue plus
 * uv_async_send, and the atomics below; nothing else.
 */
#ifndef SILKD_SERVER_H
#define SILKD_SERVER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "silk/db.h"
#include "silk/proto_resp.h"
#include "silk/status.h"

/* ---- logging ------------------------------------------------------------------------------- */

enum { SILKD_LOG_ERROR = 0, SILKD_LOG_WARN, SILKD_LOG_INFO, SILKD_LOG_DEBUG };

/* Messages above this level are dropped (written by main before threads start). */
extern int silkd_log_level;

/* One line "2026-11-28T07:05:02.123Z silkd[pid] level: message" to stderr, written with a
 * single write(2) so lines of different threads never interleave. */
void silkd_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "error" "warn" "info" "debug" → level, or -1. */
int silkd_log_parse_level(const char *name);

/* ---- configuration ------------------------------------------------------------------------- */

typedef struct {
    const char *index_path;   /* --index: the index to serve */
    const char *corpus_path;  /* --corpus: what reindex and --watch index */
    const char *socket_path;  /* the Unix socket */
    const char *listen;       /* --listen HOST:PORT, or NULL */
    const char *indexer;      /* the silk-index program run by reindex */
    unsigned threads;         /* worker threads */
    int watch;                /* --watch: reindex when the corpus changes */
    unsigned watch_delay_ms;  /* quiet time after the last change before a watch reindex */
    unsigned max_connections; /* connections served at once; more are answered overloaded */
    size_t max_line;          /* bytes of one request line */
    unsigned max_inflight;    /* answered-but-unsent responses per connection before reading
                                 pauses */
    size_t max_output;        /* bytes queued for one connection before it is dropped */
    uint64_t idle_ms;         /* a connection with no traffic for this long is closed */
    uint64_t drain_ms;        /* on shutdown: quiet time after which a connection closes */
    uint64_t drain_max_ms;    /* on shutdown: connections still open after this are closed */
    silk_db_opts_t db_opts;   /* --remote-timeout: timeouts of remote shards (0: defaults) */
} silkd_config_t;

/* ---- counters ------------------------------------------------------------------------------ */

/* Latency histogram: nanoseconds in log-linear buckets, 8 per power of two, so any
 * percentile read from it is within 12.5% of the truth. */
#define SILKD_HIST_SUB     8
#define SILKD_HIST_BUCKETS (16 + 44 * SILKD_HIST_SUB)

unsigned silkd_hist_bucket(uint64_t ns);
/* The middle of bucket b, in nanoseconds. */
double silkd_hist_value(unsigned b);

/* Written only by the worker that owns them (relaxed atomics), read by any stats request. */
typedef struct {
    _Atomic uint64_t requests;                  /* lines answered */
    _Atomic uint64_t queries;                   /* searches answered (ok or not) */
    _Atomic uint64_t errors[SILK_PROTO_NCODES]; /* error answers by code */
    _Atomic uint64_t hist[SILKD_HIST_BUCKETS];  /* service time of every request */
} silkd_counters_t;

/* ---- server state -------------------------------------------------------------------------- */

typedef struct silkd_worker silkd_worker_t;
typedef struct silkd_conn silkd_conn_t;
typedef struct silkd_reindex silkd_reindex_t;

typedef struct {
    const silkd_config_t *cfg;          /* immutable after start */
    _Atomic uint64_t generation;        /* bumped when the index may have changed */
    _Atomic unsigned connections;       /* connections open now */
    _Atomic uint64_t connections_total; /* connections accepted since start */
    _Atomic uint64_t rejected;          /* connections refused as overloaded */
    _Atomic unsigned workers_done;      /* worker threads that finished */
    _Atomic int stopping;               /* shutdown has begun */
    uint64_t start_ns;                  /* uv_hrtime() at start */
    silkd_worker_t **workers;           /* cfg->threads workers */
    silkd_reindex_t *reindex;           /* the reindex runner (main loop) */
    uv_async_t *main_wake;              /* wakes the main loop (worker finished) */
    uv_mutex_t lock;                    /* guards last_reindex */
    char *last_reindex;                 /* JSON object text of the last run, or NULL */
} silkd_server_t;

/* Adds ',"name":value' members describing reindex state to b (thread-safe). */
silk_status_t silkd_server_reindex_stats(silkd_server_t *srv, silk_proto_buf_t *b);

/* ---- workers (worker.c) -------------------------------------------------------------------- */

/* Starts worker number `index` on its own thread. *out is freed by silkd_worker_join. */
silk_status_t silkd_worker_start(silkd_server_t *srv, unsigned index, silkd_worker_t **out);

/* Hands an accepted, connected socket to the worker (any thread). The worker owns fd. */
void silkd_worker_add_fd(silkd_worker_t *w, int fd, int is_tcp);

/* Delivers the answer of a reindex request made by connection c of this worker (any
 * thread). ok: `text` is the members text (",\"took_ms\":..") of the success answer;
 * otherwise code and `text` the message. The id is the request's. Copies everything. */
void silkd_worker_reply(silkd_worker_t *w, silkd_conn_t *c, const char *id, size_t id_len, int ok,
                        silk_proto_code_t code, const char *text);

/* Asks the worker to finish: its connections drain and close, then the thread ends and
 * bumps srv->workers_done (any thread). */
void silkd_worker_stop(silkd_worker_t *w);

/* Waits for the thread to end and frees the worker. Accepts NULL. */
void silkd_worker_join(silkd_worker_t *w);

/* The worker's counters (for stats on another worker). */
silkd_counters_t *silkd_worker_counters(silkd_worker_t *w);

/* Called by conn.c on the worker's thread. */
enum { SILKD_HANDLED_NONE = 0, SILKD_HANDLED_RESPONSE, SILKD_HANDLED_WAIT };
/* Answers one request line into out: RESPONSE when a line was appended, NONE when the line
 * needs no answer, WAIT when the answer comes later through silkd_worker_reply (a reindex:
 * the connection holds c's later lines until then, and holds a reference on c). */
int silkd_worker_handle(silkd_worker_t *w, silkd_conn_t *c, const char *line, size_t len,
                        silk_proto_buf_t *out);
/* Connection bookkeeping: c was created / is about to be freed. */
void silkd_worker_conn_added(silkd_worker_t *w, silkd_conn_t *c);
void silkd_worker_conn_freed(silkd_worker_t *w, silkd_conn_t *c);

/* ---- reindex (reindex.c, on the main loop) -------------------------------------------------- */

/* Creates the runner on the main loop. With cfg->watch, also watches the corpus. */
silk_status_t silkd_reindex_new(silkd_server_t *srv, uv_loop_t *loop, silkd_reindex_t **out);

/* Queues a reindex request from connection c of worker w (any thread). The answer arrives
 * later through silkd_worker_reply. SILK_ERR_TOO_LARGE when too many requests wait already,
 * SILK_ERR_INVALID when the daemon is shutting down (no answer will come). */
silk_status_t silkd_reindex_request(silkd_reindex_t *rx, silkd_worker_t *w, silkd_conn_t *c,
                                    const char *id, size_t id_len);

/* Shutdown, step one (main loop): kill a running child, fail waiting requests, stop
 * watching. silkd_reindex_busy() stays nonzero until the child is gone. */
void silkd_reindex_stop(silkd_reindex_t *rx);
int silkd_reindex_busy(const silkd_reindex_t *rx);

/* Step two, once every worker has finished: closes the runner's handles; free it with
 * silkd_reindex_destroy after the loop ran them closed. */
void silkd_reindex_close(silkd_reindex_t *rx);
void silkd_reindex_destroy(silkd_reindex_t *rx);

/* Called by reindex.c when a run committed, and by main on SIGHUP or a changed revision:
 * workers reopen before their next search. */
void silkd_server_bump(silkd_server_t *srv, const char *why);

#endif
