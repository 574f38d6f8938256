/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — file-system helpers (include/silk/fs.h). */
#include "silk/fs.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int silk_fs_mkdir_p(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) != 0) {
        struct stat st;
        if (errno != EEXIST)
            return -1;
        /* Something is there already: only a folder (or a link to one) will do. */
        if (stat(buf, &st) != 0)
            return -1;
        if (!S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            return -1;
        }
    }
    return 0;
}

/* nftw has no user pointer: the first error is kept here. Removal runs in one thread at
 * a time per process in practice (the indexer and tests), and a race only loses which
 * errno is reported, never a removal. */
static _Thread_local int rm_errno;

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (remove(path) != 0 && errno != ENOENT && !rm_errno)
        rm_errno = errno;
    return 0;
}

int silk_fs_rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    rm_errno = 0;
    if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && !rm_errno)
        rm_errno = errno;
    if (rm_errno) {
        errno = rm_errno;
        return -1;
    }
    return 0;
}

/* An absolute value of an environment variable, or NULL (the XDG base directory rules:
 * empty and relative values are ignored). */
static const char *env_abs(const char *name)
{
    const char *v = getenv(name);
    return v && v[0] == '/' ? v : NULL;
}

int silk_socket_path(const char *arg, const char *conf, char *out, size_t cap)
{
    const char *env;
    int n, is_default = 0;
    if (arg)
        n = snprintf(out, cap, "%s", arg);
    else if ((env = getenv("SILK_SOCKET")) && *env)
        n = snprintf(out, cap, "%s", env);
    else if (conf && *conf)
        n = snprintf(out, cap, "%s", conf);
    else if ((env = env_abs("XDG_RUNTIME_DIR"))) {
        n = snprintf(out, cap, "%s/silk/silk.sock", env);
        is_default = 1;
    } else {
        n = snprintf(out, cap, "/tmp/silk-%u/silk.sock", (unsigned)getuid());
        is_default = 1;
    }
    if (n < 0 || (size_t)n >= cap)
        return -1;
    return is_default;
}

int silk_fs_private_dir(const char *dir, char **why)
{
    struct stat st;
    int n = 0;
    *why = NULL;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        n = asprintf(why, "cannot create the folder %s: %s", dir, strerror(errno));
    else if (lstat(dir, &st) != 0)
        n = asprintf(why, "cannot check the folder %s: %s", dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        n = asprintf(why, "refusing %s: it is not a folder%s", dir,
                     S_ISLNK(st.st_mode) ? " (a symbolic link)" : "");
    else if (st.st_uid != getuid())
        n = asprintf(why, "refusing the folder %s: it belongs to uid %ld, not to you (uid %ld)",
                     dir, (long)st.st_uid, (long)getuid());
    else if (st.st_mode & 077)
        n = asprintf(why,
                     "refusing the folder %s: its mode is %04o, so others may use it; it must be "
                     "yours with mode 0700 (chmod 700 %s)",
                     dir, (unsigned)(st.st_mode & 0777), dir);
    else
        return 0;
    if (n < 0)
        *why = NULL;
    return -1;
}

int silk_data_path(const char *name, char *out, size_t cap)
{
    const char *v;
    int n;
    if ((v = env_abs("XDG_DATA_HOME")))
        n = snprintf(out, cap, "%s/silk/%s", v, name);
    else if ((v = getenv("HOME")) && *v)
        n = snprintf(out, cap, "%s/.local/share/silk/%s", v, name);
    else
        return -1;
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}
