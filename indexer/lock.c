/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the writers' lock `<index>.lock`. See lock.h. */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int silk_lock_open(const char *path)
{
    for (int tries = 0; tries < 8; tries++) {
        int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT)
            fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST)
            continue; /* another writer created it first: open theirs */
        if (fd < 0)
            return -1;
        struct stat sb;
        if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_nlink != 1 ||
            sb.st_uid != geteuid()) {
            close(fd);
            errno = EPERM;
            return -1;
        }
        return fd;
    }
    errno = EEXIST;
    return -1;
}

silk_status_t silk_lock_take(const char *index, int no_wait, silk_index_note_cb note, void *ud,
                             int *fd_out, char **msg)
{
    char path[PATH_MAX];
    *fd_out = -1;
    snprintf(path, sizeof path, "%s.lock", index);
    int fd = silk_lock_open(path);
    if (fd < 0)
        return silk_index_fail(msg, SILK_ERR_IO, "cannot create the lock %s: %s", path,
                               errno == ELOOP   ? "it is a symbolic link (not followed)"
                               : errno == EPERM ? "not a lock file of ours (another owner, a "
                                                  "hard link or not a regular file)"
                                                : strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        silk_status_t st = SILK_OK;
        if (no_wait || err != EWOULDBLOCK) {
            if (err == EWOULDBLOCK)
                st = silk_index_fail(msg, SILK_ERR_LOCKED,
                                     "index %s is being written by another silk-index (pid %s)",
                                     index, *pid ? pid : "?");
            else
                st = silk_index_fail(msg, SILK_ERR_IO, "cannot lock %s: %s", path, strerror(err));
            close(fd);
            return st;
        }
        if (note) {
            char *m = NULL;
            if (asprintf(&m, "waiting for another silk-index (pid %s) to finish with %s",
                         *pid ? pid : "?", index) >= 0) {
                note(m, 0, ud);
                free(m);
            }
        }
        while (flock(fd, LOCK_EX) != 0) {
            if (errno != EINTR) {
                st = silk_index_fail(msg, SILK_ERR_IO, "cannot lock %s: %s", path, strerror(errno));
                close(fd);
                return st;
            }
        }
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        /* The pid is only for messages; the lock itself holds. */
    }
    *fd_out = fd;
    return SILK_OK;
}
