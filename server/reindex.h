/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — live reindex on the main loop: runs silk-index as a child process for requests
 * from any thread and for --watch, answers each request through the callback it came with,
 * bumps the index generation when a run commits, and publishes its state for stats.
 *
 * Calls the state module and the log; nothing of the workers (they pass a callback).
 */
#ifndef SILKD_REINDEX_H
#define SILKD_REINDEX_H

#include <stddef.h>
#include <uv.h>

#include "state.h"

typedef struct silkd_reindex silkd_reindex_t;

/* Delivers the answer of one request, on the main loop's thread (so it must hand the answer
 * to the requester's thread itself). ok: `text` is the members text (",\"took_ms\":..") of
 * the success answer; otherwise `code` and the message `text`. id is the request's; owner
 * and tag are what the request passed. Everything pointed to is valid only during the call. */
typedef void (*silkd_reindex_reply_fn)(void *owner, void *tag, const char *id, size_t id_len,
                                       int ok, silk_proto_code_t code, const char *text);

/* Creates the runner on the main loop. With --watch, also watches the corpus. srv must
 * outlive it. */
silk_status_t silkd_reindex_new(silkd_server_t *srv, uv_loop_t *loop, silkd_reindex_t **out);

/* Queues a reindex request (any thread). The answer arrives later through reply(owner, tag,
 * ...), exactly once. SILK_ERR_TOO_LARGE when too many requests wait already,
 * SILK_ERR_INVALID when the daemon is shutting down: then no answer will come. id_len
 * over SILK_PROTO_ID_MAX - 1 is answered without an id. */
silk_status_t silkd_reindex_request(silkd_reindex_t *rx, silkd_reindex_reply_fn reply, void *owner,
                                    void *tag, const char *id, size_t id_len);

/* Shutdown, step one (main loop): kill a running child, fail waiting requests, stop
 * watching. silkd_reindex_busy() stays nonzero until the child is gone. */
void silkd_reindex_stop(silkd_reindex_t *rx);
int silkd_reindex_busy(const silkd_reindex_t *rx);
/* The last resort of a forced exit: SIGKILL to the child's process group, if one runs
 * (async-signal-safe; accepts NULL). */
void silkd_reindex_kill(silkd_reindex_t *rx);

/* Step two, once every worker has finished: closes the runner's handles; free it with
 * silkd_reindex_destroy (accepts NULL) after the loop ran them closed. */
void silkd_reindex_close(silkd_reindex_t *rx);
void silkd_reindex_destroy(silkd_reindex_t *rx);

#endif
