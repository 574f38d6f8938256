/* silk-index — the transaction of a run and the --full switch. See txn.h. */
#include "txn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index.h"
#include "silk/fs.h"
#include "silk/schema.h"

struct silk_txn {
    char *index;     /* the index path (owned) */
    char *target;    /* database being written: index, or the .new folder (owned) */
    int full;        /* target is a fresh database to switch to */
    silk_wdb_t *wdb; /* the writer; NULL once published */
    int in_txn;      /* a transaction is open */
    int published;   /* the --full database is in place */
};

silk_status_t silk_txn_open(const char *index, int full, int no_wait, silk_txn_t **out, char **msg)
{
    *out = NULL;
    silk_txn_t *t = calloc(1, sizeof *t);
    silk_status_t st = SILK_ERR_NOMEM;
    struct stat sb;
    if (!t || !(t->index = strdup(index)))
        goto fail;
    t->full = full;
    if (full) {
        if (lstat(index, &sb) == 0 && !(S_ISDIR(sb.st_mode) && silk_index_is_db(index))) {
            st = silk_index_fail(msg, SILK_ERR_INVALID,
                                 "%s exists and is not a silk index: not replacing it", index);
            goto fail;
        }
        if (asprintf(&t->target, "%s.new-%ld", index, (long)getpid()) < 0) {
            t->target = NULL;
            goto fail;
        }
        silk_fs_rm_tree(t->target);
    } else if (!(t->target = strdup(index))) {
        goto fail;
    }
    char *wmsg = NULL;
    int flags = (full ? SILK_WDB_OVERWRITE : 0) | (no_wait ? 0 : SILK_WDB_RETRY_LOCK);
    if ((st = silk_wdb_open(t->target, flags, &t->wdb, &wmsg)) != SILK_OK) {
        /* The caller holds <index>.lock, so a refused Xapian lock is rarely another
         * silk-index: a read-only folder or a foreign writer. Xapian's message says which. */
        silk_index_fail(msg, st, "cannot %s the index %s for writing: %s",
                        st == SILK_ERR_LOCKED ? "lock" : "open", t->target,
                        wmsg ? wmsg : silk_status_to_string(st));
        free(wmsg);
        goto fail;
    }
    *out = t;
    return SILK_OK;
fail:
    silk_txn_destroy(t);
    return st;
}

silk_wdb_t *silk_txn_wdb(silk_txn_t *t)
{
    return t->wdb;
}

silk_status_t silk_txn_begin(silk_txn_t *t, char **msg)
{
    if (t->in_txn)
        return SILK_OK;
    silk_status_t st = silk_wdb_begin(t->wdb);
    if (st != SILK_OK)
        return silk_index_fail(msg, st, "cannot start a transaction: %s", silk_wdb_error(t->wdb));
    t->in_txn = 1;
    return SILK_OK;
}

int silk_txn_active(const silk_txn_t *t)
{
    return t->in_txn;
}

silk_status_t silk_txn_commit(silk_txn_t *t, int (*before_commit)(void *ud), void *ud, char **msg)
{
    if (!t->in_txn)
        return SILK_OK;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    silk_status_t st = silk_wdb_set_metadata(t->wdb, SILK_META_INDEXED_AT, when);
    if (st == SILK_OK) /* every document of the index now has this layout (writer.c) */
        st = silk_wdb_set_metadata(t->wdb, SILK_META_SCHEMA, SILK_SCHEMA_VERSION);
    if (st != SILK_OK)
        return silk_index_fail(msg, st, "cannot write metadata: %s", silk_wdb_error(t->wdb));
    if (before_commit && before_commit(ud) != 0)
        return silk_index_fail(msg, SILK_ERR_INTERNAL,
                               "%s: nothing committed: another shard failed", t->index);
    t->in_txn = 0;
    if ((st = silk_wdb_commit_transaction(t->wdb)) != SILK_OK)
        return silk_index_fail(msg, st, "cannot commit: %s", silk_wdb_error(t->wdb));
    return SILK_OK;
}

/* Puts the freshly built database in place of the index, atomically for readers. */
static silk_status_t switch_to_new(silk_txn_t *t, char **msg)
{
    struct stat sb;
    if (lstat(t->index, &sb) != 0) {
        if (rename(t->target, t->index) != 0)
            return silk_index_fail(msg, SILK_ERR_IO, "cannot move %s to %s: %s", t->target,
                                   t->index, strerror(errno));
        return SILK_OK;
    }
    if (renameat2(AT_FDCWD, t->target, AT_FDCWD, t->index, RENAME_EXCHANGE) != 0) {
        if (errno != EINVAL && errno != ENOSYS)
            return silk_index_fail(msg, SILK_ERR_IO, "cannot switch %s to the new database: %s",
                                   t->index, strerror(errno));
        /* A file system without RENAME_EXCHANGE: two renames, with a short moment in which
         * a reader opening the path finds no index (it keeps the one it has open). */
        char aside[PATH_MAX];
        snprintf(aside, sizeof aside, "%s.old-%ld", t->index, (long)getpid());
        if (rename(t->index, aside) != 0 || rename(t->target, t->index) != 0)
            return silk_index_fail(msg, SILK_ERR_IO, "cannot switch %s to the new database: %s",
                                   t->index, strerror(errno));
        silk_fs_rm_tree(aside);
        return SILK_OK;
    }
    /* The old database now lives under the temporary name. */
    silk_fs_rm_tree(t->target);
    return SILK_OK;
}

silk_status_t silk_txn_publish(silk_txn_t *t, uint64_t *revision, uint64_t *docs, char **msg)
{
    silk_status_t st;
    if ((st = silk_wdb_revision(t->wdb, revision)) != SILK_OK ||
        (st = silk_wdb_doc_count(t->wdb, docs)) != SILK_OK)
        return silk_index_fail(msg, st, "cannot read the index: %s", silk_wdb_error(t->wdb));
    silk_wdb_destroy(t->wdb);
    t->wdb = NULL;
    if (t->full && (st = switch_to_new(t, msg)) != SILK_OK)
        return st;
    t->published = 1;
    return SILK_OK;
}

void silk_txn_destroy(silk_txn_t *t)
{
    if (!t)
        return;
    if (t->wdb && t->in_txn)
        silk_wdb_cancel(t->wdb);
    silk_wdb_destroy(t->wdb);
    if (t->full && !t->published && t->target)
        silk_fs_rm_tree(t->target);
    free(t->target);
    free(t->index);
    free(t);
}

void silk_txn_clean_leftovers(const char *index)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", index);
    char *slash = strrchr(dir, '/');
    char base[PATH_MAX];
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : dir);
    if (slash)
        *slash = '\0';
    const char *parent = slash ? (*dir ? dir : "/") : ".";
    DIR *d = opendir(parent);
    if (!d)
        return;
    struct dirent *de;
    size_t bl = strlen(base);
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        /* <index>.new-<pid> of a killed --full, <index>.old-<pid> of a killed switch. */
        if (strncmp(n, base, bl) != 0 ||
            (strncmp(n + bl, ".new-", 5) != 0 && strncmp(n + bl, ".old-", 5) != 0) || !n[bl + 5] ||
            strspn(n + bl + 5, "0123456789") != strlen(n + bl + 5))
            continue;
        char p[PATH_MAX];
        if ((size_t)snprintf(p, sizeof p, "%s/%s", parent, n) >= sizeof p)
            continue;
        /* A switch killed between its two renames left no index: the old one comes back. */
        struct stat sb;
        if (n[bl + 1] == 'o' && lstat(index, &sb) != 0 && errno == ENOENT && rename(p, index) == 0)
            continue;
        silk_fs_rm_tree(p);
    }
    closedir(d);
}
