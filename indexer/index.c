/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the shared vocabulary of the writers: routing, content hash, summaries,
 * messages. See index.h. */
#include "index.h"

#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "silk/hash.h"

void silk_index_hash_hex(const char *data, size_t len, char hex[17])
{
    snprintf(hex, 17, "%016llx", (unsigned long long)silk_hash(data, len));
}

unsigned silk_index_db_for_file(const char *relpath, unsigned ndbs)
{
    if (ndbs <= 1)
        return 0;
    /* By article name, as silk_corpus_article_name() strips it: a.txt renamed a.md stays. */
    const char *base = strrchr(relpath, '/');
    base = base ? base + 1 : relpath;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - relpath) : strlen(relpath);
    return (unsigned)(silk_hash(relpath, n) % ndbs);
}

void silk_index_summary_add(silk_index_summary_t *a, const silk_index_summary_t *b)
{
    a->files_scanned += b->files_scanned;
    a->files_unchanged += b->files_unchanged;
    a->files_changed += b->files_changed;
    a->files_added += b->files_added;
    a->files_removed += b->files_removed;
    a->files_skipped += b->files_skipped;
    a->files_ignored += b->files_ignored;
    a->problems += b->problems;
    a->docs_added += b->docs_added;
    a->docs_replaced += b->docs_replaced;
    a->docs_unchanged += b->docs_unchanged;
    a->docs_deleted += b->docs_deleted;
    a->docs_total += b->docs_total;
    a->bytes += b->bytes;
    a->revision += b->revision;
    a->up_to_date = a->up_to_date && b->up_to_date;
    a->synonyms_loaded = a->synonyms_loaded || b->synonyms_loaded;
}

int silk_index_is_db(const char *dir)
{
    char p[PATH_MAX];
    if ((size_t)snprintf(p, sizeof p, "%s/iamglass", dir) >= sizeof p)
        return 0;
    return access(p, F_OK) == 0;
}

double silk_index_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

silk_status_t silk_index_fail(char **msg, silk_status_t st, const char *fmt, ...)
{
    if (msg && !*msg) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(msg, fmt, ap) < 0)
            *msg = NULL;
        va_end(ap);
    }
    return st;
}

mode_t silk_index_hidden_bits(const char *corpus)
{
    struct stat sb;
    if (stat(corpus, &sb) != 0)
        return 022;
    return (mode_t)(077 & ~(sb.st_mode & 077));
}

static mode_t restrict_hide; /* the bits nftw's callback takes away */

static int restrict_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_SL && type != FTW_SLN && (sb->st_mode & restrict_hide))
        chmod(path, sb->st_mode & 07777 & ~restrict_hide);
    return 0;
}

void silk_index_restrict(const char *index, mode_t hide)
{
    if (!hide)
        return;
    restrict_hide = hide;
    nftw(index, restrict_one, 16, FTW_PHYS);
    char lock[PATH_MAX];
    struct stat sb;
    if ((size_t)snprintf(lock, sizeof lock, "%s.lock", index) < sizeof lock &&
        lstat(lock, &sb) == 0 && S_ISREG(sb.st_mode) && (sb.st_mode & hide))
        chmod(lock, sb.st_mode & 07777 & ~hide);
}
