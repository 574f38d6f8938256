/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the command-line client: sends a query to silkd over its Unix socket and prints the
 * hits.
 *
 * The client is deliberately small (connect, write, read, print) because its start-up cost
 * is what a person at a terminal feels on every query: it links only jansson, utf8proc and
 * the few library objects it needs (the protocol's client side, the buffer, UTF-8 and the
 * socket-path resolver), uses plain blocking sockets and poll(2), and holds no state
 * between runs. Its rooms: options.c (what the user asked for), conn.c (reaching silkd),
 * run.c (the request window), print.c and render.c (what the terminal shows). */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "cliconf.h"
#include "conn.h"
#include "options.h"
#include "print.h"
#include "run.h"
#include "silk/fs.h"

int main(int argc, char **argv)
{
    silk_cli_opts_t opt = {.op = SILK_REQ_SEARCH, .limit = 10};
    char sock[PATH_MAX];
    int fd = -1, status = SILK_EXIT_ERROR;

    silk_cli_conf_t cc;
    silk_cli_conf_load(argc, argv, &opt, &cc); /* the file's [client] keys: the defaults */
    silk_cli_parse(argc, argv, &opt);
    /* jansson seeds its hash function from /dev/urandom on first use: an open, a read and
     * a close on every query. The client parses only its own daemon's answers, so a seed
     * from the clock is enough. */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    json_object_seed(((size_t)now.tv_nsec ^ (size_t)now.tv_sec ^ ((size_t)getpid() << 16)) | 1);

    /* The same resolution as silkd's: --socket, $SILK_SOCKET, the file's [paths] socket,
     * $XDG_RUNTIME_DIR/silk, /tmp/silk-$UID. */
    if (silk_socket_path(opt.socket, cc.socket, sock, sizeof sock) < 0) {
        silk_cli_errorf("socket path too long for a Unix socket: %s",
                        opt.socket ? opt.socket : "(from $SILK_SOCKET or $XDG_RUNTIME_DIR)");
        goto out;
    }
    fd = silk_cli_connect(sock, opt.start, silk_config_file(cc.conf));
    if (fd < 0)
        goto out;
    status = silk_cli_run(&opt, sock, fd);
out:
    if (fd >= 0)
        close(fd);
    free(opt.query);
    silk_cli_conf_free(&cc);
    return status;
}
