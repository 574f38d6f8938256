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

/* Opens the writer of the index at `index` (no trailing slash): the index itself, or with
 * `full` a fresh `<index>.new-<pid>` (SILK_ERR_INVALID when `index` exists and is not a
 * database). no_wait: fail at once on Xapian's lock instead of retrying. On failure *msg
 * gets the reason (the caller frees it) and nothing is left behind. */
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

/* Reads the revision and the document count of the result, closes the writer and, for
 * --full, puts the new database in place of the index. */
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
