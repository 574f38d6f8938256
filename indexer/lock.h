/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the writers' lock: an advisory flock on `<index>.lock`, which holds the pid
 * of the writer for the messages of the others. Taken before the database is opened (and
 * besides Xapian's own lock), so that two silk-index runs on one index take turns.
 */
#ifndef SILK_INDEXER_LOCK_H
#define SILK_INDEXER_LOCK_H

#include "index.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opens (creating when missing) the lock file at `path` for reading and writing, safely in
 * a folder others may write: a planted symbolic link is not followed (O_NOFOLLOW), a new
 * file is created exclusively (O_EXCL) with mode 0600, and an existing one must be a
 * regular file of ours with one link (a hard link to another file of ours would otherwise
 * be truncated when the pid is written). The descriptor, or -1 with errno set (ELOOP for a
 * link, EPERM for a file that is not a lock of ours). */
int silk_lock_open(const char *path);

/* Takes the lock of the index at `index` (the file `<index>.lock`, created when missing).
 * When another writer holds it: with no_wait, SILK_ERR_LOCKED and *msg "index X is being
 * written by another silk-index (pid N)"; else note("waiting for another silk-index (pid N)
 * to finish with X", 0, ud) (note may be NULL) and waits. On success *fd is the lock's
 * descriptor: close it to release the lock. Other failures: SILK_ERR_IO with *msg (the
 * caller frees it). */
silk_status_t silk_lock_take(const char *index, int no_wait, silk_index_note_cb note, void *ud,
                             int *fd, char **msg);

#ifdef __cplusplus
}
#endif

#endif
