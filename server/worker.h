/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — a worker thread: its own loop, its own searcher, the connections the main loop
 * hands it; it answers their request lines (DESIGN.md § Daemon).
 *
 * Calls conn (the connections it owns), reindex (to queue a reindex request), state and
 * the log. Only main calls it.
 */
#ifndef SILKD_WORKER_H
#define SILKD_WORKER_H

#include "reindex.h"
#include "state.h"

typedef struct silkd_worker silkd_worker_t;

/* Starts worker number `index` (< cfg->threads; its counters are that slot of srv) on its
 * own thread. Reindex requests go to rx. srv and rx must outlive it. *out is freed by
 * silkd_worker_join. */
silk_status_t silkd_worker_start(silkd_server_t *srv, silkd_reindex_t *rx, unsigned index,
                                 silkd_worker_t **out);

/* Hands an accepted, connected socket, admitted with silkd_server_conn_admit, to the worker
 * (any thread). The worker owns fd, and calls silkd_server_conn_closed when it is gone. */
void silkd_worker_add_fd(silkd_worker_t *w, int fd, int is_tcp);

/* Asks the worker to finish: its connections drain and close, then the thread ends and
 * reports silkd_server_worker_done (any thread). */
void silkd_worker_stop(silkd_worker_t *w);

/* Waits for the thread to end and frees the worker. Accepts NULL. */
void silkd_worker_join(silkd_worker_t *w);

#endif
