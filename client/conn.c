/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — connecting to silkd and starting it (client/conn.h). */
#include "conn.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "print.h"

#define START_TIMEOUT_MS 10000 /* how long --start waits for the socket */

static long long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000LL + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Connects to the Unix socket at path. Returns the descriptor, or -1 with errno set. */
static int connect_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    while (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        if (errno == EINTR)
            continue;
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* True when uid may serve this user: the user itself or root. */
static bool trusted_uid(uid_t uid)
{
    return uid == getuid() || uid == 0;
}

/* Checks what is at sock before connecting to it: a socket owned by the user or root, in a
 * folder owned by the user or root that others cannot write unless it is sticky (so that no
 * other user can have planted or swapped it). Returns 0 when nothing is there (errno set),
 * 1 when it may be used, -1 after printing why not. */
static int check_socket_path(const char *sock)
{
    struct stat st;
    if (lstat(sock, &st) != 0)
        return 0;
    if (!S_ISSOCK(st.st_mode)) {
        silk_cli_errorf("refusing %s: not a socket", sock);
        return -1;
    }
    if (!trusted_uid(st.st_uid)) {
        silk_cli_errorf("refusing %s: the socket belongs to uid %ld, not to you (uid %ld) or root",
                        sock, (long)st.st_uid, (long)getuid());
        return -1;
    }
    char *dir = strdup(sock);
    if (!dir) {
        silk_cli_errorf("out of memory");
        return -1;
    }
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int rc = 1;
    if (stat(dir, &st) != 0) {
        silk_cli_errorf("refusing %s: cannot check its folder %s: %s", sock, dir, strerror(errno));
        rc = -1;
    } else if (!trusted_uid(st.st_uid)) {
        silk_cli_errorf(
            "refusing %s: its folder %s belongs to uid %ld, not to you (uid %ld) or root", sock,
            dir, (long)st.st_uid, (long)getuid());
        rc = -1;
    } else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
        silk_cli_errorf("refusing %s: others can write its folder %s (mode %03o, not sticky)", sock,
                        dir, (unsigned)(st.st_mode & 0777));
        rc = -1;
    }
    free(dir);
    return rc;
}

/* Checks that the process at the other end of fd is the user or root (SO_PEERCRED).
 * True when it is; false after printing why not. */
static bool check_peer(int fd, const char *sock)
{
    struct ucred cr;
    socklen_t len = sizeof cr;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0) {
        silk_cli_errorf("refusing %s: cannot learn who serves it: %s", sock, strerror(errno));
        return false;
    }
    if (!trusted_uid(cr.uid)) {
        silk_cli_errorf("refusing %s: it is served by uid %ld (pid %ld), not by you (uid %ld) or "
                        "root",
                        sock, (long)cr.uid, (long)cr.pid, (long)getuid());
        return false;
    }
    return true;
}

/* connect_unix after check_socket_path, then check_peer. -2 after printing why the socket
 * is refused; -1 with errno set when it cannot be reached. */
static int connect_trusted(const char *sock)
{
    int c = check_socket_path(sock);
    if (c < 0)
        return -2;
    int fd = connect_unix(sock);
    if (fd < 0)
        return -1;
    if (c == 0 && check_socket_path(sock) != 1) { /* it appeared meanwhile */
        close(fd);
        return -2;
    }
    if (!check_peer(fd, sock)) {
        close(fd);
        return -2;
    }
    return fd;
}

/* Opens the daemon's log at path for appending, never through a symlink, and checks that
 * what was opened is a regular file of ours with one link. Returns the descriptor, or -1
 * after printing why. */
static int open_log(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0) {
        silk_cli_errorf("refusing to start silkd: cannot open its log %s: %s%s", path,
                        strerror(errno), errno == ELOOP ? " (a symlink)" : "");
        return -1;
    }
    struct stat st;
    const char *why = NULL;
    if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = "not a regular file";
    else if (st.st_uid != geteuid())
        why = "not yours";
    else if (st.st_nlink != 1)
        why = "it has other hard links";
    if (why) {
        silk_cli_errorf("refusing to start silkd: its log %s: %s", path, why);
        close(fd);
        return -1;
    }
    return fd;
}

/* True when errno after connect_unix means "nobody serves there" (as opposed to, say, a
 * permission problem that starting another daemon would not fix). */
static bool nobody_there(int err)
{
    return err == ENOENT || err == ECONNREFUSED || err == ENOTDIR;
}

/* The silkd beside this program (argv[0] resolved through /proc/self/exe), or NULL to look
 * it up in PATH. Returns a malloc'ed string or NULL. */
static char *silkd_beside_me(void)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return NULL;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    char *path = NULL;
    if (asprintf(&path, "%s/silkd", self) < 0)
        return NULL;
    if (access(path, X_OK) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

/* Reads one line from fd into buf[cap] (NUL-terminated, without the newline), waiting at
 * most timeout_ms in all. True when a whole line came. */
static bool read_line(int fd, char *buf, size_t cap, int timeout_ms)
{
    size_t len = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (len + 1 < cap) {
        int left = timeout_ms - (int)ms_since(&t0);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, left) <= 0)
            return false;
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        len += (size_t)n;
        buf[len] = '\0';
        char *nl = memchr(buf, '\n', len);
        if (nl) {
            *nl = '\0';
            return true;
        }
    }
    return false;
}

/* Asks the silkd just started on fd whether it has an index to serve. False, after
 * printing why, when it has none: such a daemon would only answer "unavailable". */
static bool started_daemon_can_serve(int fd, const char *config)
{
    static const char req[] = "{\"op\":\"stats\"}\n";
    char line[65536];
    if (!silk_cli_send_all(fd, req, sizeof req - 1) || !read_line(fd, line, sizeof line, 10000))
        return true; /* no verdict: let the query itself say what is wrong */
    json_t *j = json_loads(line, 0, NULL);
    const char *state = json_string_value(json_object_get(j, "index"));
    bool ok = !state || strcmp(state, "unavailable") != 0;
    if (!ok) {
        const char *ipath = json_string_value(json_object_get(j, "index_path"));
        const char *cpath = json_string_value(json_object_get(j, "corpus_path"));
        silk_cli_errorf("the silkd started here has no index at %s, so it was stopped again; "
                        "build it with `silk-index --corpus %s --index %s`, or name another "
                        "index in [paths] of %s",
                        ipath ? ipath : "?", cpath ? cpath : "DIR", ipath ? ipath : "DIR",
                        config ? config : "the configuration file (see silk(1))");
    }
    json_decref(j);
    return ok;
}

/* Stops the silkd started as pid: SIGTERM, then SIGKILL when it has not exited 5 s later. */
static void stop_daemon(pid_t pid)
{
    struct timespec t0;
    int status;
    kill(pid, SIGTERM);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (ms_since(&t0) > 5000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return;
        }
        usleep(10000);
    }
}

/* Starts silkd in the background on sock (with the configuration file `config`, or none:
 * it finds the index from the file, the environment or the XDG default wherever it is
 * run), its output appended to sock + ".log", and waits until the socket accepts a
 * connection. A silkd that then reports no index is stopped again. Returns the connected
 * descriptor, or -1 after printing why. */
static int start_daemon(const char *sock, const char *config)
{
    char *silkd = silkd_beside_me();
    char *log = NULL;
    int fd = -1, lf = -1;
    pid_t pid;

    if (asprintf(&log, "%s.log", sock) < 0) {
        log = NULL;
        silk_cli_errorf("out of memory");
        goto out;
    }
    /* silkd creates the socket's folder itself (0700); the log lives there too, so make
     * the folder now with the same mode. */
    char *dir = strdup(sock);
    if (dir) {
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                /* Not fatal: silkd will say what is wrong with the folder. */
            }
        }
        free(dir);
    }
    lf = open_log(log);
    if (lf < 0)
        goto out;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        silk_cli_errorf("cannot start silkd: fork: %s", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        /* The daemon must outlive this client and the terminal: its own session, no
         * terminal on stdin, output to its log. */
        setsid();
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        dup2(lf, 1);
        dup2(lf, 2);
        /* Nothing else of ours (or of the shell that ran us, such as the pipe of a
         * `$(silk --start ...)`) may stay open in a process that runs for months. */
        close_range(3, ~0U, 0);
        const char *cflag = config ? "--config" : NULL;
        if (silkd)
            execl(silkd, "silkd", "--socket", sock, cflag, config, (char *)NULL);
        else
            execlp("silkd", "silkd", "--socket", sock, cflag, config, (char *)NULL);
        fprintf(stderr, "silk: cannot run %s: %s\n", silkd ? silkd : "silkd", strerror(errno));
        _exit(127);
    }
    fprintf(stderr, "silk: started %s (pid %ld) on %s, log in %s\n", silkd ? silkd : "silkd",
            (long)pid, sock, log);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        fd = connect_trusted(sock);
        if (fd >= 0)
            break;
        if (fd == -2) {
            kill(pid, SIGTERM);
            goto out;
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            silk_cli_errorf("silkd exited (%s %d) before it was ready; see %s",
                            WIFEXITED(status) ? "status" : "signal",
                            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), log);
            goto out;
        }
        if (ms_since(&t0) > START_TIMEOUT_MS) {
            silk_cli_errorf("silkd (pid %ld) did not open %s within %d s; see %s", (long)pid, sock,
                            START_TIMEOUT_MS / 1000, log);
            goto out;
        }
        usleep(10000);
    }
    /* Never leave a useless daemon behind: one without an index is stopped at once. */
    if (!started_daemon_can_serve(fd, config)) {
        close(fd);
        fd = -1;
        stop_daemon(pid);
        goto out;
    }
    close(fd);
    fd = connect_trusted(sock);
    if (fd == -1)
        silk_cli_errorf("cannot connect to the silkd just started at %s: %s", sock,
                        strerror(errno));
out:
    if (lf >= 0)
        close(lf);
    free(silkd);
    free(log);
    return fd;
}

int silk_cli_connect(const char *sock, bool start, const char *config)
{
    int fd = connect_trusted(sock);
    if (fd >= 0)
        return fd;
    if (fd == -2)
        return -1;
    int err = errno;
    if (err == ENAMETOOLONG) {
        silk_cli_errorf("socket path too long for a Unix socket: %s", sock);
        return -1;
    }
    if (!nobody_there(err)) {
        silk_cli_errorf("cannot connect to silkd at %s: %s", sock, strerror(err));
        return -1;
    }
    if (start)
        return start_daemon(sock, config);
    silk_cli_errorf(
        "no silkd running at %s (start one with `silkd`, `make run` in the silk repo, or "
        "`silk --start`)",
        sock);
    return -1;
}

bool silk_cli_send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}
