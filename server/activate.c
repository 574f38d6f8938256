/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — systemd socket activation (server/activate.h). */
#include "activate.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>

int silkd_activation_take(silkd_activated_t *out, unsigned cap, char *why, size_t why_cap)
{
    int n = sd_listen_fds(1);
    if (n < 0) {
        snprintf(why, why_cap, "socket activation: %s", strerror(-n));
        return -1;
    }
    if ((unsigned)n > cap) {
        snprintf(why, why_cap, "socket activation passed %d sockets; silkd serves at most %u", n,
                 cap);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int fd = SD_LISTEN_FDS_START + i;
        silkd_activated_t *a = &out[i];
        a->fd = fd;
        a->path[0] = '\0';
        if (sd_is_socket_unix(fd, SOCK_STREAM, 1, NULL, 0) > 0) {
            a->is_tcp = 0;
            struct sockaddr_un sa;
            socklen_t len = sizeof sa;
            memset(&sa, 0, sizeof sa);
            if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 &&
                len > offsetof(struct sockaddr_un, sun_path) && sa.sun_path[0])
                snprintf(a->path, sizeof a->path, "%.*s",
                         (int)(len - offsetof(struct sockaddr_un, sun_path)), sa.sun_path);
        } else if (sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 1, 0) > 0) {
            a->is_tcp = 1;
        } else {
            snprintf(why, why_cap,
                     "socket activation: descriptor %d is not a listening stream socket (Unix "
                     "or TCP); check ListenStream= of the socket unit",
                     fd);
            return -1;
        }
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
            fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
            snprintf(why, why_cap, "socket activation: descriptor %d: %s", fd, strerror(errno));
            return -1;
        }
    }
    return n;
}
