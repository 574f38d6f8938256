/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — file-system helpers shared by the programs and their tests.
 *
 * One place for the small POSIX chores that several modules need: creating a folder with
 * its parents, removing a tree without following links, resolving the daemon's socket
 * path (which the daemon and the client must agree on), checking its private folder, and
 * the XDG data folder where the index lives by default.
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

/* Where silkd listens, in the order both programs use: `arg` (a --socket option; may be
 * NULL), $SILK_SOCKET, `conf` (the configuration file's [paths] socket, resolved; may be
 * NULL), $XDG_RUNTIME_DIR/silk/silk.sock, else (XDG_RUNTIME_DIR unset, empty or relative)
 * /tmp/silk-$UID/silk.sock. Writes it to out[cap]; returns 1 when it is one of the two
 * defaults (whose folder must be private: silk_fs_private_dir), 0 otherwise, -1 when it
 * does not fit. */
int silk_socket_path(const char *arg, const char *conf, char *out, size_t cap);

/* Makes sure dir is a private folder of the user: created mode 0700 when missing (its
 * parent must exist), then it must be a folder (not a link), owned by the real uid, with
 * no permission for group or other. 0; -1 with *why (malloc'ed, may be NULL when out of
 * memory; the caller frees) saying what is wrong. */
int silk_fs_private_dir(const char *dir, char **why);

/* silk's data folder entry `name` (e.g. "index"): $XDG_DATA_HOME/silk/NAME, else (that
 * unset, empty or relative) $HOME/.local/share/silk/NAME. 0, or -1 when HOME is unset too
 * or it does not fit out[cap]. */
int silk_data_path(const char *name, char *out, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
