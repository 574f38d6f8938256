/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — what the index knows about each corpus file, kept in its metadata (written
 * in the same transaction as the documents):
 *   SILK_META_FILE_PREFIX + corpus-relative path  JSON {"hash":"<FNV-1a 64 hex>","size":N,
 *        "mtime":NS,"ctime":NS,"ino":N,"ids":[...],"problems":[...]}; a file whose size,
 *        mtime, ctime and inode are unchanged is not read again (git's racy rule: a
 *        rewrite that restores the mtime, cp -p or rsync -t, still moves the ctime or makes
 *        a new inode); a file whose content hash is unchanged is not re-indexed.
 * (SILK_META_SYNONYMS and SILK_META_INDEXED_AT are written by syntable.h and txn.h.)
 *
 * A silk_files_t holds every file's record for one run, and who owns each document id, so
 * that an id taken by one file is refused to another.
 */
#ifndef SILK_INDEXER_FILEMETA_H
#define SILK_INDEXER_FILEMETA_H

#include <stddef.h>
#include <stdint.h>

#include "silk/buf.h"
#include "silk/db.h"
#include "silk/status.h"
#include "strmap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the index knows about one corpus file. */
typedef struct {
    char *rel;            /* corpus-relative path (owned) */
    char hash[17];        /* content hash (silk_index_hash_hex()) */
    uint64_t size;        /* bytes */
    int64_t mtime;        /* modification time, ns */
    int64_t ctime;        /* inode change time, ns (0: not recorded) */
    uint64_t ino;         /* inode number */
    silk_strlist_t ids;   /* its document ids (of a loaded record) */
    silk_buf_t ids_enc;   /* more ids, JSON-encoded as the record holds them (a record being
                           * written: silk_filemeta_add_id()) */
    silk_strlist_t probs; /* its problems (reported again while the file is unchanged) */
    int seen;             /* found in this run's scan */
    int touched;          /* same content under a new mtime: refresh it if we commit anyway */
    int64_t new_mtime;    /* that new mtime */
    int64_t new_ctime;    /* and ctime */
    uint64_t new_ino;     /* and inode */
} silk_filemeta_t;

/* Frees what m holds (not m) and zeroes it. */
void silk_filemeta_clear(silk_filemeta_t *m);

/* Adds id to the ids of a record being written, encoded at once (a file of a million
 * documents keeps one buffer of their JSON, not a million strings). 0, or -1 when out of
 * memory. */
int silk_filemeta_add_id(silk_filemeta_t *m, const char *id);

/* Writes m as the metadata of `rel` in wdb, or removes that metadata when m is NULL: its
 * ids are those of m->ids, then those of m->ids_enc (which the record is built in: it is
 * empty afterwards). SILK_ERR_NOMEM; a write failure with a malloc'd message in *msg (when
 * not set yet). */
silk_status_t silk_filemeta_store(silk_wdb_t *wdb, const char *rel, silk_filemeta_t *m, char **msg);

typedef struct silk_files silk_files_t;

/* An empty table (free with silk_files_destroy()); NULL when out of memory. */
silk_files_t *silk_files_new(void);

/* Loads every file's record from wdb's metadata (values that are not ours are ignored)
 * and the owner of each of their document ids. On a read failure *msg gets the reason. */
silk_status_t silk_files_load(silk_files_t *f, silk_wdb_t *wdb, char **msg);

/* The record of rel, NULL when the index does not know the file. Records stay valid
 * until the next silk_files_add(); their rel strings until silk_files_destroy(). */
silk_filemeta_t *silk_files_get(silk_files_t *f, const char *rel);

/* A new, empty record for rel (which must not have one); NULL when out of memory. */
silk_filemeta_t *silk_files_add(silk_files_t *f, const char *rel);

/* The records in order of loading / adding: i < silk_files_count(). */
size_t silk_files_count(const silk_files_t *f);
silk_filemeta_t *silk_files_at(silk_files_t *f, size_t i);

/* The rel of the file that owns document `id`, NULL when none does. */
const char *silk_files_owner(const silk_files_t *f, const char *id);

/* Makes `rel` the owner of `id` (NULL: no owner); rel must stay valid while f is used (a
 * record's rel, or a scan entry's: the writer tells the ids it wrote in this run by the
 * pointer). 0, or -1 when out of memory. */
int silk_files_set_owner(silk_files_t *f, const char *id, const char *rel);

/* The ids that have an owner, one per call, in no order: *at starts at 0; NULL after the
 * last. */
const char *silk_files_next_owned(const silk_files_t *f, size_t *at);

/* Frees f and its records; NULL is a no-op. */
void silk_files_destroy(silk_files_t *f);

#ifdef __cplusplus
}
#endif

#endif
