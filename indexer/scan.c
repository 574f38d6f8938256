/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — walking the corpus folder, reading its files. See scan.h. */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "silk/buf.h"
#include "silk/hash.h"
#include "silk/schema.h"
#include "silk/utf8.h"
#include "strmap.h"

#define SCAN_MAX_DEPTH 64 /* folders nested deeper are not entered */

struct silk_scan {
    const char *corpus;        /* the corpus folder as given (not owned) */
    char *corpus_real;         /* its realpath */
    dev_t dev;                 /* identity of the corpus folder ... */
    ino_t ino;                 /* ... to notice it vanishing */
    unsigned nparts, part;     /* keep the files routed to part of nparts */
    silk_index_note_cb note;   /* may be NULL */
    void *ud;                  /* its argument */
    silk_scan_entry_t *ents;   /* the article files */
    size_t nents, ents_cap;    /* used, allocated */
    silk_strlist_t bad_dirs;   /* folders that could not be read: keep their files */
    char *synonyms;            /* path of synonyms.txt when present */
    uint64_t skipped, ignored; /* problems, notes */
};

static void say(silk_scan_t *s, int skip, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One note (skip 0: a file ignored) or problem (skip 1: a file skipped), counted. */
static void say(silk_scan_t *s, int skip, const char *fmt, ...)
{
    if (skip)
        s->skipped++;
    else
        s->ignored++;
    if (!s->note)
        return;
    char *m = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&m, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        s->note(m, skip, s->ud);
        free(m);
    }
}

static int64_t mtime_ns(const struct stat *sb)
{
    return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

static int64_t ctime_ns(const struct stat *sb)
{
    return (int64_t)sb->st_ctim.tv_sec * 1000000000 + sb->st_ctim.tv_nsec;
}

static int add_entry(silk_scan_t *s, const char *rel, const char *full, const struct stat *sb,
                     silk_format_t fmt)
{
    /* A shard's run (indexer/shard.c) sees only its own files as the corpus. */
    if (s->nparts > 1 && silk_index_db_for_file(rel, s->nparts) != s->part)
        return 0;
    if (SILK_GROW(s->ents, s->ents_cap, s->nents + 1) != SILK_OK)
        return -1;
    silk_scan_entry_t *e = &s->ents[s->nents];
    if (!(e->rel = strdup(rel)) || !(e->full = strdup(full))) {
        free(e->rel);
        return -1;
    }
    e->size = (uint64_t)sb->st_size;
    e->mtime = mtime_ns(sb);
    e->ctime = ctime_ns(sb);
    e->dev = (uint64_t)sb->st_dev;
    e->ino = (uint64_t)sb->st_ino;
    e->fmt = fmt;
    s->nents++;
    return 0;
}

/* What a symbolic link at cfull leads to: 1 a file inside the corpus (*sb is its stat, and
 * cfull[PATH_MAX] becomes its real path, which the reader opens without following links),
 * 0 passed over (with its note). */
static int follow_link(silk_scan_t *s, char *cfull, const char *crel, struct stat *sb)
{
    char *target = realpath(cfull, NULL);
    size_t cl = strlen(s->corpus_real);
    if (!target) {
        say(s, 1, "%s: skipped: broken symlink", crel);
        return 0;
    }
    int inside = strncmp(target, s->corpus_real, cl) == 0 && target[cl] == '/';
    int ok = inside && stat(target, sb) == 0;
    if (ok && !S_ISDIR(sb->st_mode))
        snprintf(cfull, PATH_MAX, "%s", target);
    free(target);
    if (!inside) {
        say(s, 1, "%s: skipped: symlink points outside the corpus (not followed)", crel);
        return 0;
    }
    if (!ok || S_ISDIR(sb->st_mode)) {
        say(s, 0, "%s: ignored: symlinked folder (not followed)", crel);
        return 0;
    }
    return 1;
}

/* A note-safe copy of a name that is not valid UTF-8: each invalid byte as \xNN. */
static void escape_name(const char *name, char *out, size_t cap)
{
    size_t o = 0, n = strlen(name);
    for (size_t i = 0; i < n && o + 5 < cap;) {
        size_t ok = silk_utf8_valid_prefix(name + i, n - i);
        if (ok) {
            size_t k = ok < cap - o - 5 ? ok : cap - o - 5;
            memcpy(out + o, name + i, k);
            o += k;
            i += k;
            continue;
        }
        o += (size_t)snprintf(out + o, cap - o, "\\x%02X", (unsigned char)name[i]);
        i++;
    }
    out[o] = '\0';
}

/* Walks the folder `full` (corpus-relative `rel`, "" at the top), opened as dfd (taken). */
static silk_status_t scan_dir(silk_scan_t *s, int dfd, const char *full, const char *rel, int depth,
                              char **msg)
{
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        if (depth == 0)
            return silk_index_fail(msg, SILK_ERR_NOT_FOUND, "cannot read the corpus %s: %s", full,
                                   strerror(errno));
        say(s, 1, "%s/: skipped: cannot read the folder (%s); its indexed files are kept", rel,
            strerror(errno));
        return silk_strlist_push(&s->bad_dirs, rel) < 0 ? SILK_ERR_NOMEM : SILK_OK;
    }
    silk_status_t st = SILK_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        /* Hidden files and folders (.git, editor swap files) are not corpus files. */
        if (de->d_name[0] == '.')
            continue;
        char cfull[PATH_MAX], crel[PATH_MAX];
        if ((size_t)snprintf(cfull, sizeof cfull, "%s/%s", full, de->d_name) >= sizeof cfull ||
            (size_t)snprintf(crel, sizeof crel, "%s%s%s", rel, *rel ? "/" : "", de->d_name) >=
                sizeof crel) {
            say(s, 1, "%s/%s: skipped: path too long", rel, de->d_name);
            continue;
        }
        /* Document ids, metadata keys and JSON answers are UTF-8: such a name cannot be
         * indexed, but it must not stop the run either. */
        size_t nl = strlen(de->d_name);
        if (silk_utf8_valid_prefix(de->d_name, nl) != nl) {
            char shown[PATH_MAX];
            escape_name(crel, shown, sizeof shown);
            say(s, 1, "%s: skipped: the name is not valid UTF-8 (rename the file)", shown);
            continue;
        }
        struct stat sb;
        if (fstatat(dirfd(d), de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT)
                continue; /* removed while we looked */
            say(s, 1, "%s: skipped: %s", crel, strerror(errno));
            continue;
        }
        if (S_ISLNK(sb.st_mode) && !follow_link(s, cfull, crel, &sb))
            continue;
        if (S_ISDIR(sb.st_mode)) {
            if (silk_index_is_db(cfull))
                continue; /* an index kept inside the corpus folder */
            if (depth + 1 >= SCAN_MAX_DEPTH) {
                say(s, 1, "%s/: skipped: folders nested too deep", crel);
                continue;
            }
            /* Relative to this folder and without following a link: a folder swapped for
             * a link since fstatat() is not entered. */
            int sub = S_ISLNK(sb.st_mode) ? -1
                                          : openat(dirfd(d), de->d_name,
                                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub < 0 && (errno == ELOOP || errno == ENOTDIR)) {
                say(s, 0, "%s: ignored: replaced by a link during the scan (not followed)", crel);
                continue;
            }
            if ((st = scan_dir(s, sub, cfull, crel, depth + 1, msg)) != SILK_OK)
                break;
            continue;
        }
        if (!S_ISREG(sb.st_mode)) {
            say(s, 0, "%s: ignored: not a regular file", crel);
            continue;
        }
        if (depth == 0 && strcmp(de->d_name, SILK_SYNONYMS_FILE) == 0) {
            if (!(s->synonyms = strdup(cfull))) {
                st = SILK_ERR_NOMEM;
                break;
            }
            continue;
        }
        silk_format_t fmt = silk_corpus_format(crel);
        if (fmt == SILK_FORMAT_NONE) {
            say(s, 0, "%s: ignored: not a .txt, .md or .jsonl file", crel);
            continue;
        }
        if (add_entry(s, crel, cfull, &sb, fmt) < 0) {
            st = SILK_ERR_NOMEM;
            break;
        }
    }
    closedir(d);
    return st;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const silk_scan_entry_t *)a)->rel, ((const silk_scan_entry_t *)b)->rel);
}

silk_status_t silk_scan_corpus(const char *corpus, unsigned nparts, unsigned part,
                               silk_index_note_cb note, void *ud, silk_scan_t **out, char **msg)
{
    *out = NULL;
    silk_scan_t *s = calloc(1, sizeof *s);
    if (!s)
        return SILK_ERR_NOMEM;
    s->corpus = corpus;
    s->nparts = nparts;
    s->part = part;
    s->note = note;
    s->ud = ud;
    silk_status_t st;
    struct stat sb;
    if (stat(corpus, &sb) != 0) {
        st = silk_index_fail(msg, SILK_ERR_NOT_FOUND, "corpus %s: %s", corpus, strerror(errno));
        goto fail;
    }
    if (!S_ISDIR(sb.st_mode)) {
        st = silk_index_fail(msg, SILK_ERR_NOT_FOUND, "corpus %s: not a folder", corpus);
        goto fail;
    }
    s->dev = sb.st_dev;
    s->ino = sb.st_ino;
    if (!(s->corpus_real = realpath(corpus, NULL))) {
        st = silk_index_fail(msg, SILK_ERR_NOT_FOUND, "corpus %s: %s", corpus, strerror(errno));
        goto fail;
    }
    if ((st = scan_dir(s, open(corpus, O_RDONLY | O_DIRECTORY | O_CLOEXEC), corpus, "", 0, msg)) !=
        SILK_OK) {
        silk_index_fail(msg, st, "scanning the corpus: %s", silk_status_to_string(st));
        goto fail;
    }
    if (s->nents)
        qsort(s->ents, s->nents, sizeof *s->ents, cmp_entry);
    *out = s;
    return SILK_OK;
fail:
    silk_scan_destroy(s);
    return st;
}

size_t silk_scan_count(const silk_scan_t *s)
{
    return s->nents;
}

const silk_scan_entry_t *silk_scan_entry(const silk_scan_t *s, size_t i)
{
    return &s->ents[i];
}

const char *silk_scan_synonyms(const silk_scan_t *s)
{
    return s->synonyms;
}

uint64_t silk_scan_skipped(const silk_scan_t *s)
{
    return s->skipped;
}

uint64_t silk_scan_bytes(const silk_scan_t *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < s->nents; i++)
        n += s->ents[i].size;
    return n;
}

uint64_t silk_scan_ignored(const silk_scan_t *s)
{
    return s->ignored;
}

int silk_scan_kept(const silk_scan_t *s, const char *rel)
{
    for (size_t k = 0; k < s->bad_dirs.n; k++) {
        size_t bl = strlen(s->bad_dirs.v[k]);
        if (strncmp(rel, s->bad_dirs.v[k], bl) == 0 && rel[bl] == '/')
            return 1;
    }
    return 0;
}

int silk_scan_vanished(const silk_scan_t *s)
{
    struct stat sb;
    return stat(s->corpus, &sb) != 0 || !S_ISDIR(sb.st_mode) || sb.st_dev != s->dev ||
           sb.st_ino != s->ino;
}

void silk_scan_destroy(silk_scan_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nents; i++) {
        free(s->ents[i].rel);
        free(s->ents[i].full);
    }
    free(s->ents);
    silk_strlist_free(&s->bad_dirs);
    free(s->synonyms);
    free(s->corpus_real);
    free(s);
}

static const char too_large[] = "larger than the size cap (--max-size)";

/* Opens path once, without blocking (a FIFO would wait for a writer forever) and, for an
 * entry, without following a link planted since the scan; what was opened is what is
 * checked: a regular file (for an entry, the one the walk saw) within the cap. */
static int open_file(const char *path, const silk_scan_entry_t *e, uint64_t cap,
                     silk_scan_file_t *f, const char **why, int *err_no)
{
    static const char replaced[] = "replaced since the scan (a link, a FIFO or another file)";
    *why = NULL;
    *err_no = 0;
    memset(f, 0, sizeof *f);
    f->fd = -1;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (e ? O_NOFOLLOW : 0));
    if (fd < 0) {
        if (e && errno == ELOOP)
            *why = replaced;
        else
            *err_no = errno;
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        *err_no = errno;
    else if (e && (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_dev != e->dev ||
                   (uint64_t)sb.st_ino != e->ino))
        *why = replaced;
    else if (!S_ISREG(sb.st_mode))
        *why = "not a regular file";
    else if ((uint64_t)sb.st_size > cap)
        *why = too_large;
    if (*why || *err_no) {
        close(fd);
        return -1;
    }
    f->fd = fd;
    f->size = (uint64_t)sb.st_size;
    f->cap = cap;
    f->hash = SILK_FNV_OFFSET;
    return 0;
}

int silk_scan_open_entry(const silk_scan_entry_t *e, uint64_t cap, silk_scan_file_t *f,
                         const char **why, int *err_no)
{
    return open_file(e->full, e, cap, f, why, err_no);
}

long silk_scan_file_read(silk_scan_file_t *f, char *buf, size_t n, const char **why, int *err_no)
{
    size_t got = 0;
    *why = NULL;
    *err_no = 0;
    /* A failure after some bytes is reported with the next read: those bytes count. */
    if (f->why || f->err_no) {
        *why = f->why;
        *err_no = f->err_no;
        return -1;
    }
    while (got < n) {
        ssize_t k = read(f->fd, buf + got, n - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            f->err_no = errno;
            break;
        }
        if (k == 0)
            break;
        if (f->done + got + (size_t)k > f->cap) {
            /* It grew past the cap while we read it: the bytes up to the cap count. */
            f->why = too_large;
            got += (size_t)(f->cap - f->done - got);
            break;
        }
        got += (size_t)k;
    }
    f->hash = silk_hash_add(f->hash, buf, got);
    f->done += got;
    if (!got && (f->why || f->err_no))
        return silk_scan_file_read(f, buf, n, why, err_no);
    return (long)got;
}

int silk_scan_file_rewind(silk_scan_file_t *f, int *err_no)
{
    if (lseek(f->fd, 0, SEEK_SET) != 0) {
        *err_no = errno;
        return -1;
    }
    f->done = 0;
    f->hash = SILK_FNV_OFFSET;
    f->why = NULL;
    f->err_no = 0;
    return 0;
}

char *silk_scan_file_read_all(silk_scan_file_t *f, size_t *len, const char **why, int *err_no)
{
    silk_buf_t b = SILK_BUF_INIT;
    *why = NULL;
    *err_no = 0;
    /* Room for the whole file and one byte more, to see the end at once. */
    if (silk_buf_reserve(&b, (size_t)f->size + 1) != SILK_OK) {
        *err_no = ENOMEM;
        return NULL;
    }
    for (;;) {
        if (b.len == b.cap && silk_buf_reserve(&b, b.cap) != SILK_OK) {
            *err_no = ENOMEM; /* the file grew while we read it */
            goto fail;
        }
        long n = silk_scan_file_read(f, b.data + b.len, b.cap - b.len, why, err_no);
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    *len = b.len;
    /* Room for the NUL was reserved, so this does not fail (and an empty file is "", not NULL,
     * as callers tell failure by NULL). */
    char *data = silk_buf_steal(&b, NULL);
    if (!data)
        *err_no = ENOMEM;
    return data;
fail:
    silk_buf_free(&b);
    return NULL;
}

void silk_scan_file_close(silk_scan_file_t *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

static char *read_file(const char *path, const silk_scan_entry_t *e, uint64_t cap, size_t *len,
                       const char **why, int *err_no)
{
    silk_scan_file_t f;
    if (open_file(path, e, cap, &f, why, err_no) != 0)
        return NULL;
    char *data = silk_scan_file_read_all(&f, len, why, err_no);
    silk_scan_file_close(&f);
    return data;
}

char *silk_scan_read(const char *path, uint64_t cap, size_t *len, const char **why, int *err_no)
{
    return read_file(path, NULL, cap, len, why, err_no);
}

char *silk_scan_read_entry(const silk_scan_entry_t *e, uint64_t cap, size_t *len, const char **why,
                           int *err_no)
{
    return read_file(e->full, e, cap, len, why, err_no);
}
