/* SPDX-License-Identifier: GPL-2.0-or-later */
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
    int full;        /* target is a fresh database to switch to (SILK_TXN_FRESH*) */
    silk_wdb_t *wdb; /* the writer; NULL once published (and until merged, SILK_TXN_PARTS) */
    int in_txn;      /* a transaction is open */
    int published;   /* the --full database is in place */
};

/* Opens the writer of t->target (SILK_WDB_NO_SYNC for a fresh database). */
static silk_status_t open_target(silk_txn_t *t, int flags, char **msg)
{
    char *wmsg = NULL;
    silk_status_t st = silk_wdb_open(t->target, flags, &t->wdb, &wmsg);
    if (st != SILK_OK) {
        /* The caller holds <index>.lock, so a refused Xapian lock is rarely another
         * silk-index: a read-only folder or a foreign writer. Xapian's message says which. */
        silk_index_fail(msg, st, "cannot %s the index %s for writing: %s",
                        st == SILK_ERR_LOCKED ? "lock" : "open", t->target,
                        wmsg ? wmsg : silk_status_to_string(st));
        free(wmsg);
    }
    return st;
}

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
    if (full == SILK_TXN_PARTS) {
        /* The parts are built in folders inside the target, merged into it later. */
        if (mkdir(t->target, 0777) != 0) {
            st = silk_index_fail(msg, SILK_ERR_IO, "cannot create %s: %s", t->target,
                                 strerror(errno));
            goto fail;
        }
    } else {
        /* A fresh database is read by nobody before it is published, and is fsynced once
         * then (silk_txn_publish()): its commits need no fsync of their own. */
        int flags = (full ? SILK_WDB_OVERWRITE | SILK_WDB_NO_SYNC : 0) |
                    (no_wait ? 0 : SILK_WDB_RETRY_LOCK);
        if ((st = open_target(t, flags, msg)) != SILK_OK)
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
    if (t->full) {
        /* A fresh database is private until published: its changes are committed as they
         * go (silk_txn_flush()), without a Xapian transaction around the whole build. */
        t->in_txn = 1;
        return SILK_OK;
    }
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
    st = t->full ? silk_wdb_commit(t->wdb) : silk_wdb_commit_transaction(t->wdb);
    if (st != SILK_OK)
        return silk_index_fail(msg, st, "cannot commit: %s", silk_wdb_error(t->wdb));
    return SILK_OK;
}

silk_status_t silk_txn_flush(silk_txn_t *t, char **msg)
{
    if (!t->full || !t->in_txn)
        return SILK_OK;
    silk_status_t st = silk_wdb_commit(t->wdb);
    if (st != SILK_OK)
        return silk_index_fail(msg, st, "cannot commit: %s", silk_wdb_error(t->wdb));
    return SILK_OK;
}

char *silk_txn_part_path(const silk_txn_t *t, unsigned k)
{
    char *p = NULL;
    if (t->full != SILK_TXN_PARTS || asprintf(&p, "%s/part-%u", t->target, k) < 0)
        return NULL;
    return p;
}

silk_status_t silk_txn_merge(silk_txn_t *t, unsigned nparts, char **msg)
{
    silk_status_t st = SILK_ERR_NOMEM;
    char **parts = calloc(nparts ? nparts : 1, sizeof *parts);
    if (t->full != SILK_TXN_PARTS || t->wdb || !nparts)
        st = SILK_ERR_INVALID;
    else if (parts) {
        unsigned k = 0;
        while (k < nparts && (parts[k] = silk_txn_part_path(t, k)) != NULL)
            k++;
        char *cmsg = NULL;
        if (k == nparts &&
            (st = silk_db_compact((const char *const *)parts, nparts, t->target, &cmsg)) != SILK_OK)
            silk_index_fail(msg, st, "cannot merge the parts into %s: %s", t->target,
                            cmsg ? cmsg : silk_status_to_string(st));
        free(cmsg);
        for (k = 0; k < nparts; k++) {
            if (parts[k])
                silk_fs_rm_tree(parts[k]);
            free(parts[k]);
        }
    }
    free(parts);
    if (st == SILK_OK)
        st = open_target(t, SILK_WDB_NO_SYNC | SILK_WDB_RETRY_LOCK, msg);
    else if (st == SILK_ERR_NOMEM || st == SILK_ERR_INVALID)
        silk_index_fail(msg, st, "cannot merge the parts: %s", silk_status_to_string(st));
    return st;
}

/* fsyncs every file and folder of the tree at path (not following links), then path. */
static int sync_tree(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat sb;
    int rc = fstat(fd, &sb);
    DIR *d = rc == 0 && S_ISDIR(sb.st_mode) ? fdopendir(dup(fd)) : NULL;
    if (d) {
        struct dirent *de;
        while (rc == 0 && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char p[PATH_MAX];
            if ((size_t)snprintf(p, sizeof p, "%s/%s", path, de->d_name) >= sizeof p)
                rc = -1;
            else
                rc = sync_tree(p);
        }
        closedir(d);
    }
    if (rc == 0 && fsync(fd) != 0)
        rc = -1;
    close(fd);
    return rc;
}

/* fsyncs the folder that holds path (after a rename in it). */
static void sync_parent(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int fd = open(slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
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
    if (!t->wdb)
        return silk_index_fail(msg, SILK_ERR_INVALID, "%s: nothing to publish", t->target);
    if ((st = silk_wdb_revision(t->wdb, revision)) != SILK_OK ||
        (st = silk_wdb_doc_count(t->wdb, docs)) != SILK_OK)
        return silk_index_fail(msg, st, "cannot read the index: %s", silk_wdb_error(t->wdb));
    silk_wdb_destroy(t->wdb);
    t->wdb = NULL;
    /* The fresh database was written without fsync: it reaches the disk, once, before it
     * takes the index's place, so that a crash after the switch finds it whole. */
    if (t->full && sync_tree(t->target) != 0)
        return silk_index_fail(msg, SILK_ERR_IO, "cannot sync %s: %s", t->target, strerror(errno));
    if (t->full && (st = switch_to_new(t, msg)) != SILK_OK)
        return st;
    if (t->full)
        sync_parent(t->index);
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
