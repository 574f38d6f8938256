/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — trust of paths (StrictModes). See silk/trust.h. */
#include "silk/trust.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static silk_status_t refuse(char **msg, silk_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static silk_status_t refuse(char **msg, silk_status_t st, const char *fmt, ...)
{
    if (!msg)
        return st;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(msg, fmt, ap) < 0)
        *msg = NULL;
    va_end(ap);
    return st;
}

/* Whether one component may be trusted: owned by the user or root, not writable by group
 * or other. `parent` allows a sticky folder writable by all (/tmp): others may add names
 * there but cannot rename or remove ours. */
static silk_status_t check_one(const char *what, const char *p, const struct stat *sb, uid_t uid,
                               int parent, char **msg)
{
    if (sb->st_uid != uid && sb->st_uid != 0)
        return refuse(msg, SILK_ERR_INVALID,
                      "refusing the %s: %s belongs to another user (uid %ld), who could change "
                      "what silk reads; it must belong to you or root",
                      what, p, (long)sb->st_uid);
    if (!(sb->st_mode & (S_IWGRP | S_IWOTH)))
        return SILK_OK;
    if (parent && S_ISDIR(sb->st_mode) && (sb->st_mode & S_ISVTX))
        return SILK_OK;
    return refuse(msg, SILK_ERR_INVALID,
                  "refusing the %s: %s is writable by %s (mode %04o), so others could replace "
                  "what silk reads; remove that permission (chmod go-w %s)",
                  what, p, (sb->st_mode & S_IWOTH) ? "everyone" : "its group",
                  (unsigned)(sb->st_mode & 07777), p);
}

silk_status_t silk_trust_check(const char *what, const char *path, uid_t uid, unsigned flags,
                               char **msg)
{
    if (msg)
        *msg = NULL;
    char given[PATH_MAX];
    if (!path || !*path || (size_t)snprintf(given, sizeof given, "%s", path) >= sizeof given)
        return refuse(msg, SILK_ERR_INVALID, "the %s path is empty or too long", what);
    /* A path that does not exist yet (an index silk-index will create) is as safe as the
     * nearest folder above it that exists. */
    char *real = realpath(given, NULL);
    int is_target = 1;
    while (!real && errno == ENOENT && (flags & SILK_TRUST_MAY_BE_MISSING)) {
        char *slash = strrchr(given, '/');
        while (slash && slash > given && slash[1] == '\0') {
            *slash = '\0';
            slash = strrchr(given, '/');
        }
        if (!slash)
            snprintf(given, sizeof given, ".");
        else if (slash == given)
            given[1] = '\0';
        else
            *slash = '\0';
        is_target = 0;
        real = realpath(given, NULL);
    }
    if (!real) {
        if (errno == ENOMEM)
            return SILK_ERR_NOMEM;
        return refuse(msg, errno == ENOENT ? SILK_ERR_NOT_FOUND : SILK_ERR_INVALID,
                      "cannot check the %s %s: %s", what, path, strerror(errno));
    }
    silk_status_t st = SILK_OK;
    struct stat sb;
    /* A stub folder's XAPIANDB names the databases (and, in Xapian's format, programs) to
     * open: it is part of the index. */
    char stub[PATH_MAX];
    if (is_target && stat(real, &sb) == 0 && S_ISDIR(sb.st_mode) &&
        (size_t)snprintf(stub, sizeof stub, "%s/XAPIANDB", real) < sizeof stub &&
        lstat(stub, &sb) == 0 && (st = check_one(what, stub, &sb, uid, 0, msg)) != SILK_OK)
        goto out;
    /* From the path up to /: each folder can rename what lies below it. */
    for (int first = 1;; first = 0) {
        if (stat(real, &sb) != 0) {
            st = refuse(msg, SILK_ERR_INVALID, "cannot check the %s: %s: %s", what, real,
                        strerror(errno));
            break;
        }
        if ((st = check_one(what, real, &sb, uid, !(first && is_target), msg)) != SILK_OK)
            break;
        char *slash = strrchr(real, '/');
        if (!slash || (slash == real && real[1] == '\0'))
            break;
        if (slash == real)
            real[1] = '\0';
        else
            *slash = '\0';
    }
out:
    free(real);
    return st;
}
