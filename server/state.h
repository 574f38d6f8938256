/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — server-wide state: the configuration, the index generation, the connection
 * counts, each worker's request counters with their latency histogram, and the text of the
 * last reindex run. Every thread may read it; who writes what is said field by field.
 *
 * Threads (DESIGN.md § Daemon): what crosses threads is a mutex-guarded queue plus
 * uv_async_send, and the atomics kept here; nothing else. This module calls only the log.
 */
#ifndef SILKD_STATE_H
#define SILKD_STATE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "silk/config.h"
#include "silk/db.h"
#include "silk/proto_resp.h"
#include "silk/rank.h"
#include "silk/status.h"

/* ---- configuration ------------------------------------------------------------------------- */

typedef struct {
    const char *index_path;       /* --index: the index to serve */
    const char *corpus_path;      /* --corpus: what reindex and --watch index */
    const char *socket_path;      /* the Unix socket */
    const char *listen;           /* --listen HOST:PORT, or NULL */
    const char *token_file;       /* --token-file: TCP's token (default <socket>.token) */
    char token[65];               /* with --listen: the token a TCP client must send first */
    const char *indexer;          /* the silk-index program run by reindex */
    unsigned threads;             /* worker threads */
    int watch;                    /* --watch: reindex when the corpus changes */
    unsigned watch_delay_ms;      /* quiet time after the last change before a watch reindex */
    unsigned max_connections;     /* connections served at once; more are answered overloaded */
    size_t max_line;              /* bytes of one request line */
    unsigned max_inflight;        /* answered-but-unsent responses per connection before reading
                                     pauses */
    size_t max_output;            /* bytes of one answer (longer: too_large); a connection with a
                                     quarter of it unsent handles no new line */
    size_t max_output_total;      /* unsent bytes of all connections: past it, new large answers
                                     are refused (overloaded) and connections with unsent output
                                     wait */
    uint64_t query_time_limit_ms; /* a search's time budget (0: none); past it the answer is
                                     flagged partial */
    uint64_t idle_ms;             /* a connection with no traffic for this long is closed */
    uint64_t drain_ms;            /* on shutdown: quiet time after which a connection closes */
    uint64_t drain_max_ms;        /* on shutdown: connections still open after this are closed */
    silk_db_opts_t db_opts;       /* --remote-timeout: timeouts of remote shards (0: defaults) */
    uint64_t reindex_timeout_ms;  /* --reindex-timeout: a child running longer is stopped */
    uint64_t watch_max_ms;        /* --watch-max-delay: a change waits at most this long */
    uint64_t shutdown_max_ms;     /* --shutdown-timeout: after SIGTERM, exit by then anyway */
    silk_config_t *conf;          /* the configuration file as loaded (never NULL after
                                     silkd_options_parse; empty when there is none): its
                                     [ranking] entries are the searcher's, read with
                                     silk_config_next and reported with their FILE:LINE */
    const char *config_path;      /* the file conf was loaded from, or NULL: the reindex child
                                     is given the same one */
    const char *conf_socket;      /* [paths] socket of the file (resolved), or NULL */
    silk_rank_t rank;             /* the searchers' ranking defaults: silk_rank_defaults() with
                                     the file's [ranking] entries; requests override them */
} silkd_config_t;

/* ---- latency histogram --------------------------------------------------------------------- */

/* Nanoseconds in log-linear buckets, 8 per power of two, so any percentile read from it is
 * within 12.5% of the truth. */
#define SILKD_HIST_SUB     8
#define SILKD_HIST_BUCKETS (16 + 44 * SILKD_HIST_SUB)

/* The bucket of a service time of ns nanoseconds (the last bucket holds everything above). */
unsigned silkd_hist_bucket(uint64_t ns);
/* The middle of bucket b, in nanoseconds. */
double silkd_hist_value(unsigned b);

/* ---- counters ------------------------------------------------------------------------------ */

/* One worker's counters: written only by that worker (silkd_count), read by any stats
 * request (relaxed atomics). */
typedef struct {
    _Atomic uint64_t requests;                  /* lines answered */
    _Atomic uint64_t queries;                   /* searches answered (ok or not) */
    _Atomic uint64_t errors[SILK_PROTO_NCODES]; /* error answers by code */
    _Atomic uint64_t hist[SILKD_HIST_BUCKETS];  /* service time of every request */
} silkd_counters_t;

/* Adds one to a counter of the calling worker's own. Only that thread writes it, so a
 * relaxed load and store is enough and avoids a locked instruction per request. */
static inline void silkd_count(_Atomic uint64_t *c)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}

/* Every worker's counters added up: a moment's snapshot, not a transaction. */
typedef struct {
    uint64_t requests;                  /* lines answered */
    uint64_t queries;                   /* searches answered */
    uint64_t errors[SILK_PROTO_NCODES]; /* error answers by code */
    uint64_t hist[SILKD_HIST_BUCKETS];  /* service times */
    uint64_t samples;                   /* the sum of hist */
} silkd_totals_t;

/* The q-quantile (0 < q <= 1) of the service times in t, in nanoseconds (the middle of the
 * bucket it falls in); 0 when there are none. */
double silkd_totals_quantile(const silkd_totals_t *t, double q);

/* ---- the server ---------------------------------------------------------------------------- */

typedef struct silkd_server silkd_server_t;

/* Creates the state for cfg (which must outlive it), with one set of counters per worker
 * thread (cfg->threads) and the start time taken now. Free it with silkd_server_destroy. */
silk_status_t silkd_server_new(const silkd_config_t *cfg, silkd_server_t **out);
/* Frees s. Accepts NULL. No thread may use s any more. */
void silkd_server_destroy(silkd_server_t *s);

/* The configuration (immutable after start; valid as long as s). */
const silkd_config_t *silkd_server_config(const silkd_server_t *s);
/* Nanoseconds since silkd_server_new. */
uint64_t silkd_server_uptime_ns(const silkd_server_t *s);

/* The index generation: bumped (by reindex on a commit, by main on SIGHUP or a changed
 * revision) when the index may have changed; workers reopen before their next search when
 * it moved. Any thread. */
void silkd_server_bump(silkd_server_t *s, const char *why);
uint64_t silkd_server_generation(const silkd_server_t *s);
/* SIGHUP: every reader must drop its database and open the path afresh (a reopen cannot
 * tell an index whose files were overwritten in place). Bumps the generation too. fresh:
 * the count of such requests. count_fresh_open / fresh_opens: fresh opens the workers made
 * (on a request, or after a read found the database damaged). Any thread. */
void silkd_server_force_fresh(silkd_server_t *s, const char *why);
uint64_t silkd_server_fresh(const silkd_server_t *s);
void silkd_server_count_fresh_open(silkd_server_t *s);
uint64_t silkd_server_fresh_opens(const silkd_server_t *s);

/* Connections, counted from admission until the connection's close callback. admit: counts
 * an accepted connection in and returns 1, or returns 0 when max_connections are open
 * already (main loop). refused: the main loop answered one overloaded and closed it (counted
 * in conns_rejected and in the totals' errors). closed: an admitted connection is gone (any
 * thread); while set_admit_waiting is on, it wakes the main loop, which holds connections
 * waiting for a slot. */
int silkd_server_conn_admit(silkd_server_t *s);
void silkd_server_conn_refused(silkd_server_t *s);
void silkd_server_conn_closed(silkd_server_t *s);
void silkd_server_set_admit_waiting(silkd_server_t *s, int waiting);
unsigned silkd_server_conns_open(const silkd_server_t *s);
uint64_t silkd_server_conns_total(const silkd_server_t *s);
uint64_t silkd_server_conns_rejected(const silkd_server_t *s);

/* Unsent answer bytes of every connection: the counter conn keeps (silkd_conn_limits_t
 * total) for the daemon-wide bound max_output_total. Valid as long as s. */
_Atomic size_t *silkd_server_output(silkd_server_t *s);

/* Worker `index`'s counters (index < cfg->threads; valid as long as s). */
silkd_counters_t *silkd_server_counters(silkd_server_t *s, unsigned index);
/* Adds up every worker's counters into *out (any thread); the refusals of connections
 * count as overloaded errors. */
void silkd_server_totals(silkd_server_t *s, silkd_totals_t *out);

/* The reindex runner's state as JSON object text. set takes ownership of `json` (malloc'd;
 * may be NULL); get returns a malloc'd copy the caller frees, or NULL. Any thread. */
void silkd_server_set_reindex(silkd_server_t *s, char *json);
char *silkd_server_reindex(silkd_server_t *s);

/* Shutdown bookkeeping. set_wake: the main loop's async handle (owned by main), woken by
 * wake_main. worker_done: a worker thread finished (counts it and wakes main). */
void silkd_server_set_wake(silkd_server_t *s, uv_async_t *wake);
void silkd_server_wake_main(silkd_server_t *s);
void silkd_server_worker_done(silkd_server_t *s);
unsigned silkd_server_workers_done(const silkd_server_t *s);

#endif
