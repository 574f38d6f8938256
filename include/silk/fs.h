/* silk — file-system helpers shared by the programs and their tests.
 *
 * One place for the small POSIX chores that several modules need: creating a folder with
 * its parents, removing a tree without following links, and resolving the daemon's
 * socket path (which the daemon and the client must agree on).
 */
#ifndef SILK_FS_H
#define SILK_FS_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Creates path and its missing parents with `mode` (before umask). 0, or -1 with errno set
 * (ENAMETOOLONG past PATH_MAX). An existing folder is not an error. */
int silk_fs_mkdir_p(const char *path, mode_t mode);

/* Removes path and, when it is a folder, everything below it, never following a symbolic
 * link (a link is removed, not its target). A missing path is not an error. 0, or -1 with
 * errno of the first failure (the rest is still attempted). */
int silk_fs_rm_tree(const char *path);

/* Where silkd listens by default, in the order both programs use: `arg` (a --socket
 * option; may be NULL), $SILK_SOCKET, $XDG_RUNTIME_DIR/silk.sock, else
 * /tmp/silk-$UID/silk.sock. Writes it to out[cap]; returns 1 when it is the /tmp default
 * (whose folder silkd creates 0700 and checks), 0 otherwise, -1 when it does not fit. */
int silk_socket_path(const char *arg, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
