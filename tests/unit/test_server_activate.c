/* SPDX-License-Identifier: GPL-2.0-or-later */
/* systemd socket activation (server/activate.c): the descriptors named by LISTEN_FDS are
 * taken, each identified as a Unix or TCP listening socket, made non-blocking and
 * close-on-exec; anything else is refused; the variables are removed either way. */
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../server/activate.h"
#include "support.h"

/* Puts fd at descriptor `at` (systemd passes them from 3 on). */
static void place(int fd, int at)
{
    if (fd != at) {
        assert_int_equal(dup2(fd, at), at);
        close(fd);
    }
}

static int unix_listener(const char *path, int type, int do_listen)
{
    int fd = socket(AF_UNIX, type, 0);
    assert_true(fd >= 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    unlink(path);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    if (do_listen)
        assert_int_equal(listen(fd, 8), 0);
    return fd;
}

static int tcp_listener(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 8), 0);
    return fd;
}

static void set_listen_env(int n)
{
    char pid[32], fds[16];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    snprintf(fds, sizeof fds, "%d", n);
    setenv("LISTEN_PID", pid, 1);
    setenv("LISTEN_FDS", fds, 1);
}

static void test_not_activated(void **state)
{
    (void)state;
    silkd_activated_t a[4];
    char why[256];
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_PID");
    assert_int_equal(silkd_activation_take(a, 4, why, sizeof why), 0);
    /* Sockets meant for another process (LISTEN_PID not ours) are not taken. */
    setenv("LISTEN_PID", "1", 1);
    setenv("LISTEN_FDS", "1", 1);
    assert_int_equal(silkd_activation_take(a, 4, why, sizeof why), 0);
    assert_null(getenv("LISTEN_FDS"));
}

static void test_unix_and_tcp(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char path[1024];
    assert_int_equal(silk_tmpdir_make(&t, "activate"), 0);
    silk_tmpdir_path(&t, path, sizeof path, "s.sock");
    int u = unix_listener(path, SOCK_STREAM, 1);
    int tcp = tcp_listener();
    int u3 = fcntl(u, F_DUPFD, 10), t4 = fcntl(tcp, F_DUPFD, 10);
    close(u);
    close(tcp);
    place(u3, 3);
    place(t4, 4);
    set_listen_env(2);

    silkd_activated_t a[4];
    char why[256];
    assert_int_equal(silkd_activation_take(a, 4, why, sizeof why), 2);
    assert_int_equal(a[0].fd, 3);
    assert_int_equal(a[0].is_tcp, 0);
    assert_string_equal(a[0].path, path);
    assert_int_equal(a[1].fd, 4);
    assert_int_equal(a[1].is_tcp, 1);
    assert_string_equal(a[1].path, "");
    for (int i = 0; i < 2; i++) {
        assert_true(fcntl(a[i].fd, F_GETFL) & O_NONBLOCK);
        assert_true(fcntl(a[i].fd, F_GETFD) & FD_CLOEXEC);
    }
    /* The reindex child must not see them. */
    assert_null(getenv("LISTEN_FDS"));
    assert_null(getenv("LISTEN_PID"));

    /* More sockets than the caller has room for: refused. */
    set_listen_env(2);
    assert_int_equal(silkd_activation_take(a, 1, why, sizeof why), -1);
    assert_non_null(strstr(why, "at most 1"));
    close(3);
    close(4);
    assert_int_equal(silk_tmpdir_remove(&t), 0);
}

static void test_refused(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char path[1024];
    silkd_activated_t a[4];
    char why[256];
    assert_int_equal(silk_tmpdir_make(&t, "activate-bad"), 0);

    /* A datagram socket, a stream socket that does not listen, a pipe. */
    silk_tmpdir_path(&t, path, sizeof path, "d.sock");
    int d = fcntl(unix_listener(path, SOCK_DGRAM, 0), F_DUPFD, 10);
    place(d, 3);
    set_listen_env(1);
    assert_int_equal(silkd_activation_take(a, 4, why, sizeof why), -1);
    assert_non_null(strstr(why, "descriptor 3 is not a listening stream socket"));
    close(3);

    silk_tmpdir_path(&t, path, sizeof path, "n.sock");
    int n = fcntl(unix_listener(path, SOCK_STREAM, 0), F_DUPFD, 10);
    place(n, 3);
    set_listen_env(1);
    assert_int_equal(silkd_activation_take(a, 4, why, sizeof why), -1);
    close(3);

    int p[2];
    assert_int_equal(pipe(p), 0);
    int r = fcntl(p[0], F_DUPFD, 10);
    close(p[0]);
    close(p[1]);
    place(r, 3);
    set_listen_env(1);
    assert_int_equal(silkd_activation_take(a, 4, why, sizeof why), -1);
    assert_null(getenv("LISTEN_FDS"));
    close(3);
    assert_int_equal(silk_tmpdir_remove(&t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_activated),
        cmocka_unit_test(test_unix_and_tcp),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
