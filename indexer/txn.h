/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — a run's one transaction on one database, and its atomic publish.
 *
 * Incremental (default): the writer opens `<index>` itself; one Xapian transaction holds
 * every change of the run, begun lazily at the first change; when nothing changed nothing
 * is committed and the revision stays.
 * --full: a fresh database is built in `<index>.new-<pid>` and then atomically exchanged
 * with `<index>` (renameat2 RENAME_EXCHANGE; a plain rename when there was none), and the
 * old one is removed. `<index>` is always a real database folder, so silk_db_reopen(),
 * which re-resolves the path, sees the old database or the new one, never a gap.
 * Leftover `<index>.new-*` (and `<index>.old-*`) folders of killed runs are removed by the
 * next run, under the writers' lock (lock.h).
 */
#ifndef SILK_INDEXER_TXN_H
#define SILK_INDEXER_TXN_H

#include <stdint.h>

#include "silk/db.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct silk_txn silk_txn_t;

/* The `full` argument of silk_txn_open(). */
enum {
    SILK_TXN_LIVE = 0,  /* the index itself, in one Xapian transaction */
    SILK_TXN_FRESH = 1, /* a fresh database in <index>.new-<pid> (--full, or a first build) */
    SILK_TXN_PARTS = 2, /* the same, built as parts in <index>.new-<pid>/part-<k> by other
                         * writers, merged by silk_txn_merge() */
};

/* Opens the writer of the index at `index` (no trailing slash): the index itself
 * (SILK_TXN_LIVE), or a fresh `<index>.new-<pid>` (SILK_TXN_FRESH, SILK_TXN_PARTS;
 * SILK_ERR_INVALID when `index` exists and is not a database). A fresh database is written
 * with Xapian's DB_NO_SYNC and without a Xapian transaction (nobody reads it before it is
 * published): silk_txn_begin() only marks it changed, silk_txn_flush() commits what was
 * written so far (bounding memory), and silk_txn_publish() fsyncs the whole database once
 * before the switch. With SILK_TXN_PARTS there is no writer until silk_txn_merge(). no_wait: fail
 * at once on Xapian's lock instead of retrying. On failure *msg gets the reason (the caller frees
 * it) and nothing is left behind. */
silk_status_t silk_txn_open(const char *index, int full, int no_wait, silk_txn_t **out, char **msg);

/* The writer, for the changes (owned by t; valid until silk_txn_publish()). */
silk_wdb_t *silk_txn_wdb(silk_txn_t *t);

/* Begins the transaction unless it is open already. */
silk_status_t silk_txn_begin(silk_txn_t *t, char **msg);

/* Whether the transaction is open: the run has changes to commit. */
int silk_txn_active(const silk_txn_t *t);

/* Commits the open transaction (with SILK_META_INDEXED_AT set to now, UTC). Right before,
 * before_commit(ud) (may be NULL) is asked: nonzero cancels with SILK_ERR_INTERNAL, "<index>:
 * nothing committed: another shard failed". With no open transaction, does nothing. */
silk_status_t silk_txn_commit(silk_txn_t *t, int (*before_commit)(void *ud), void *ud, char **msg);

/* A fresh database: commits what was written (without fsync) to bound the writer's memory.
 * Does nothing on the live index, whose one transaction ends only in silk_txn_commit(). */
silk_status_t silk_txn_flush(silk_txn_t *t, char **msg);

/* SILK_TXN_PARTS: the folder of part k, `<index>.new-<pid>/part-<k>` (malloc'd; NULL when
 * out of memory or not SILK_TXN_PARTS). Removed with the target if the run fails. */
char *silk_txn_part_path(const silk_txn_t *t, unsigned k);

/* SILK_TXN_PARTS: merges parts 0..nparts-1 (closed by their writers) into the target in
 * that order (silk_db_compact(): part k's document ids follow part k-1's), removes them,
 * and opens the target's writer for the rest of the run (silk_txn_wdb()). */
silk_status_t silk_txn_merge(silk_txn_t *t, unsigned nparts, char **msg);

/* Reads the revision and the document count of the result, closes the writer and, for a
 * fresh database, fsyncs it and puts it in place of the index (then fsyncs the folder). */
silk_status_t silk_txn_publish(silk_txn_t *t, uint64_t *revision, uint64_t *docs, char **msg);

/* Cancels an open transaction, closes the writer and removes a --full database that was
 * not published. NULL is a no-op. */
void silk_txn_destroy(silk_txn_t *t);

/* Removes the `<index>.new-<pid>` and `<index>.old-<pid>` folders of killed runs (an
 * `.old-` one is moved back when the index itself is missing). Call with the lock held. */
void silk_txn_clean_leftovers(const char *index);

#ifdef __cplusplus
}
#endif

#endif
