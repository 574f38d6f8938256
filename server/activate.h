/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — systemd socket activation: the listening sockets systemd hands over.
 *
 * Under silkd.socket (or systemd-socket-activate) systemd binds and listens, then starts
 * silkd with the sockets as descriptors 3.. and LISTEN_FDS / LISTEN_PID in the
 * environment (sd_listen_fds(3)). silkd then serves those instead of binding its own Unix
 * socket; --listen still adds a TCP listener of its own. */
#ifndef SILKD_ACTIVATE_H
#define SILKD_ACTIVATE_H

#include <stddef.h>

#define SILKD_ACTIVATE_MAX 8 /* sockets taken from systemd at most */

/* One socket systemd passed. */
typedef struct {
    int fd;         /* the listening socket, non-blocking and close-on-exec */
    int is_tcp;     /* TCP (IPv4 or IPv6); else a Unix stream socket */
    char path[108]; /* a Unix socket's path ("" for TCP or an abstract socket) */
} silkd_activated_t;

/* Takes the sockets of socket activation into out[cap]: the number taken, 0 when silkd was
 * not socket-activated (no LISTEN_FDS for this process), or -1 after writing why to
 * why[why_cap] (a passed descriptor that is not a listening stream socket, or more than
 * cap of them). The LISTEN_* variables are removed from the environment either way, so the
 * reindex child does not see them. */
int silkd_activation_take(silkd_activated_t *out, unsigned cap, char *why, size_t why_cap);

#endif
