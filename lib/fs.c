/* silk — file-system helpers (include/silk/fs.h). */
#include "silk/fs.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
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

int silk_socket_path(const char *arg, char *out, size_t cap)
{
    const char *env;
    int n, tmp_default = 0;
    if (arg)
        n = snprintf(out, cap, "%s", arg);
    else if ((env = getenv("SILK_SOCKET")) && *env)
        n = snprintf(out, cap, "%s", env);
    else if ((env = getenv("XDG_RUNTIME_DIR")) && *env)
        n = snprintf(out, cap, "%s/silk.sock", env);
    else {
        n = snprintf(out, cap, "/tmp/silk-%u/silk.sock", (unsigned)getuid());
        tmp_default = 1;
    }
    if (n < 0 || (size_t)n >= cap)
        return -1;
    return tmp_default;
}
