/* silk client — connecting to silkd and starting it (client/conn.h). */
#include "conn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* Starts silkd in the background on sock (its default index and corpus, in the current
 * folder's terms), its output appended to sock + ".log", and waits until the socket
 * accepts a connection. Returns the connected descriptor, or -1 after printing why. */
static int start_daemon(const char *sock)
{
    char *silkd = silkd_beside_me();
    char *log = NULL;
    int fd = -1;
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
        int lf = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (lf < 0)
            lf = open("/dev/null", O_WRONLY);
        if (nul >= 0)
            dup2(nul, 0);
        if (lf >= 0) {
            dup2(lf, 1);
            dup2(lf, 2);
        }
        /* Nothing else of ours (or of the shell that ran us, such as the pipe of a
         * `$(silk --start ...)`) may stay open in a process that runs for months. */
        close_range(3, ~0U, 0);
        if (silkd)
            execl(silkd, "silkd", "--socket", sock, (char *)NULL);
        else
            execlp("silkd", "silkd", "--socket", sock, (char *)NULL);
        fprintf(stderr, "silk: cannot run %s: %s\n", silkd ? silkd : "silkd", strerror(errno));
        _exit(127);
    }
    fprintf(stderr, "silk: started %s (pid %ld) on %s, log in %s\n", silkd ? silkd : "silkd",
            (long)pid, sock, log);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        fd = connect_unix(sock);
        if (fd >= 0)
            break;
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
out:
    free(silkd);
    free(log);
    return fd;
}

int silk_cli_connect(const char *sock, bool start)
{
    int fd = connect_unix(sock);
    if (fd >= 0)
        return fd;
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
        return start_daemon(sock);
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
