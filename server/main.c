/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the query daemon: arguments, the socket, the main loop (accept, signals, the
 * index watcher) and the worker threads it hands connections to (DESIGN.md § Daemon).
 *
 * The listening sockets are plain non-blocking file descriptors watched with uv_poll: the
 * main loop accepts with accept4() and passes the raw descriptor to a worker (round-robin,
 * through the worker's inbox), because a libuv handle cannot move between loops.
 */
#include "activate.h"
#include "http.h"
#include "log.h"
#include "token.h"
#include "options.h"
#include "reindex.h"
#include "state.h"
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "silk/db.h"
#include "silk/fs.h"
#include "silk/trust.h"

typedef struct {
    uv_poll_t poll; /* readable: connections to accept */
    int fd;         /* the listening socket */
    int is_tcp;     /* TCP (else Unix) */
    int active;     /* poll is initialized and not closed */
} listener_t;

static silkd_config_t cfg;
static silkd_server_t *srv;      /* server-wide state */
static silkd_worker_t **workers; /* cfg.threads workers (NULL slots: not started) */
static silkd_reindex_t *reindex; /* the reindex runner */
static uv_loop_t *loop;
static listener_t listeners[SILKD_ACTIVATE_MAX + 1];
static unsigned nlisteners;
static uv_signal_t sig_int, sig_term, sig_hup;
static uv_timer_t revision_timer; /* polls the index revision (hand-run silk-index) */
static uv_timer_t accept_timer;   /* resumes accepting after running out of descriptors */
static uv_async_t main_wake;      /* a worker finished, or the reindex child ended */
static uv_timer_t shutdown_timer; /* after SIGTERM: the hard deadline of the exit */
static silk_db_t *watch_db;       /* main loop's own handle, only to read the revision */
static unsigned next_worker;      /* round-robin */
static int lock_fd = -1;          /* flock()ed "<socket>.lock" */
static char lock_path[PATH_MAX];
static int socket_created; /* we own cfg.socket_path and unlink it at exit */
static int shutting_down;
static int started; /* start-up succeeded: shutdown is a normal one */
static char socket_buf[PATH_MAX];
static char indexer_buf[PATH_MAX];

/* ---- socket path --------------------------------------------------------------------------- */

/* The socket's folder must not let another user replace the socket: for the defaults
 * ($XDG_RUNTIME_DIR/silk, /tmp/silk-$UID) a private folder, created 0700 and refused
 * unless it is the user's own with no access for others; for a path given explicitly, a
 * folder that others cannot write unless it is sticky (like /tmp itself). */
static int check_socket_dir(int is_default)
{
    char copy[sizeof socket_buf];
    snprintf(copy, sizeof copy, "%s", cfg.socket_path);
    const char *dir = dirname(copy);
    struct stat st;
    if (is_default) {
        char *why = NULL;
        int rc = silk_fs_private_dir(dir, &why);
        if (rc != 0)
            silkd_log(SILKD_LOG_ERROR, "%s", why ? why : "out of memory");
        free(why);
        return rc;
    }
    if (lstat(dir, &st) != 0) {
        silkd_log(SILKD_LOG_ERROR, "socket folder %s: %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        silkd_log(SILKD_LOG_ERROR, "socket folder %s is not a folder", dir);
        return -1;
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
        silkd_log(SILKD_LOG_ERROR,
                  "refusing socket folder %s: others can write to it (and it is not sticky)", dir);
        return -1;
    }
    return 0;
}

static int is_live_socket(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path)
        return 0;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int live = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return live;
}

/* Takes the socket path: a lock file keeps two daemons from racing for it, and a socket
 * file left there is replaced only when nobody answers on it. */
static int claim_socket_path(void)
{
    const char *path = cfg.socket_path;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        silkd_log(SILKD_LOG_ERROR, "socket path is longer than %zu bytes: %s",
                  sizeof sa.sun_path - 1, path);
        return -1;
    }
    snprintf(lock_path, sizeof lock_path, "%s.lock", path);
    lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0) {
        silkd_log(SILKD_LOG_ERROR, "cannot open %s: %s", lock_path, strerror(errno));
        return -1;
    }
    if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
        silkd_log(SILKD_LOG_ERROR, "already running at %s", path);
        close(lock_fd);
        lock_fd = -1;
        return -1;
    }
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) {
            silkd_log(SILKD_LOG_ERROR, "%s exists and is not a socket", path);
            return -1;
        }
        if (is_live_socket(path)) {
            silkd_log(SILKD_LOG_ERROR, "already running at %s", path);
            return -1;
        }
        silkd_log(SILKD_LOG_INFO, "replacing stale socket %s", path);
    }
    return 0;
}

/* Creates the Unix listener. The socket is bound under a temporary name, made 0600 and
 * listening, then renamed into place, so the path appears only once it can be served. */
static int open_unix_listener(void)
{
    const char *path = cfg.socket_path;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char tmp[sizeof socket_buf + 32];
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
    /* When the temporary name does not fit in sun_path, bind the final name directly. */
    const char *bind_path = strlen(tmp) < sizeof sa.sun_path ? tmp : path;
    memcpy(sa.sun_path, bind_path, strlen(bind_path) + 1); /* fits: checked above */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        silkd_log(SILKD_LOG_ERROR, "socket: %s", strerror(errno));
        return -1;
    }
    unlink(bind_path);
    mode_t old = umask(0177);
    int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc != 0 || chmod(bind_path, 0600) != 0 || listen(fd, SOMAXCONN) != 0) {
        silkd_log(SILKD_LOG_ERROR, "cannot listen on %s: %s", bind_path, strerror(errno));
        unlink(bind_path);
        close(fd);
        return -1;
    }
    if (bind_path != path && rename(bind_path, path) != 0) {
        silkd_log(SILKD_LOG_ERROR, "cannot move the socket to %s: %s", path, strerror(errno));
        unlink(bind_path);
        close(fd);
        return -1;
    }
    socket_created = 1;
    return fd;
}

static int open_tcp_listener(const char *spec)
{
    char host[256], port[16];
    const char *colon = strrchr(spec, ':');
    if (!colon) {
        snprintf(host, sizeof host, "127.0.0.1");
        snprintf(port, sizeof port, "%s", spec);
    } else {
        size_t hl = (size_t)(colon - spec);
        if (hl >= sizeof host || strlen(colon + 1) >= sizeof port) {
            silkd_log(SILKD_LOG_ERROR, "bad --listen address: %s", spec);
            return -1;
        }
        memcpy(host, spec, hl);
        host[hl] = '\0';
        snprintf(port, sizeof port, "%s", colon + 1);
        if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
            memmove(host, host + 1, hl - 2);
            host[hl - 2] = '\0';
        }
        if (!host[0])
            snprintf(host, sizeof host, "127.0.0.1");
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    int g = getaddrinfo(host, port, &hints, &ai);
    if (g != 0 || !ai) {
        silkd_log(SILKD_LOG_ERROR, "bad --listen address %s: %s", spec, gai_strerror(g));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        silkd_log(SILKD_LOG_ERROR, "cannot listen on %s: %s", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    /* Anyone who can reach a non-loopback address can query (there is no authentication):
     * say so, since DESIGN.md keeps TCP on loopback unless the user asks otherwise. */
    int loopback = 0;
    if (ai->ai_family == AF_INET)
        loopback = (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127;
    else if (ai->ai_family == AF_INET6)
        loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
    freeaddrinfo(ai);
    silkd_log(SILKD_LOG_INFO, "listening on tcp %s:%s", host, port);
    if (!loopback)
        silkd_log(SILKD_LOG_WARN,
                  "tcp %s:%s is not a loopback address: other machines can connect, and silk "
                  "has no authentication",
                  host, port);
    return fd;
}

/* ---- accepting ----------------------------------------------------------------------------- */

static void on_poll(uv_poll_t *p, int status, int events);

static void on_accept_timer(uv_timer_t *t)
{
    (void)t;
    for (unsigned i = 0; i < nlisteners; i++)
        if (listeners[i].active && !shutting_down)
            uv_poll_start(&listeners[i].poll, UV_READABLE, on_poll);
}

static void reject_overloaded(int fd)
{
    static char line[256], http[768];
    static size_t len, http_len;
    if (!len) {
        silk_proto_buf_t b = {0};
        char msg[128];
        snprintf(msg, sizeof msg, "too many connections (the bound is %u); try again later",
                 cfg.max_connections);
        if (silk_proto_encode_error(&b, NULL, 0, SILK_PROTO_OVERLOADED, msg, -1) == SILK_OK &&
            b.len < sizeof line) {
            memcpy(line, b.data, b.len);
            len = b.len;
        }
        /* The same answer as an HTTP response, for a client that spoke HTTP. */
        silk_buf_t h = SILK_BUF_INIT;
        if (len &&
            silkd_http_respond(&h, 503, SILKD_HTTP_JSON, line, len, SILKD_HTTP_CLOSE, NULL) ==
                SILK_OK &&
            h.len < sizeof http) {
            memcpy(http, h.data, h.len);
            http_len = h.len;
        }
        silk_buf_free(&h);
        silk_proto_buf_free(&b);
    }
    /* The client's first bytes (it has usually sent its request while it waited for a
     * slot) say which protocol it speaks. */
    char first[24];
    ssize_t got = recv(fd, first, sizeof first, MSG_PEEK | MSG_DONTWAIT);
    int is_http = got > 0 && http_len && silkd_http_is_request_start(first, (size_t)got);
    /* The answer is small enough for any socket buffer, so one non-blocking send does. */
    ssize_t n = is_http ? send(fd, http, http_len, MSG_NOSIGNAL | MSG_DONTWAIT)
                        : send(fd, line, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)n;
    close(fd);
}

/* Connections accepted while max_connections were counted open. The count runs from
 * admission to the close callback, so under a client that connects and closes in a tight
 * loop it includes connections that are already gone but not yet closed by their worker;
 * refusing at once refused clients while nearly nothing was open. A connection at the
 * bound waits here instead (accepting pauses meanwhile, the kernel's backlog holding the
 * rest), gets the first slot a close frees, and is refused only if none frees within
 * ADMIT_GRACE_MS: that is, when live connections really hold the bound. */
#define ADMIT_WAIT_MAX 1024
#define ADMIT_GRACE_MS 200
static struct {
    int fd;         /* the accepted socket */
    int is_tcp;     /* TCP (else Unix) */
    uint64_t since; /* loop time it arrived */
} waiting[ADMIT_WAIT_MAX];
static unsigned nwaiting;
static uv_timer_t admit_timer; /* ends the grace of the oldest waiting connection */

static void reject_overloaded(int fd);
static void admit_waiting(void);

static void on_admit_timer(uv_timer_t *t)
{
    (void)t;
    admit_waiting();
}

static void set_accepting(int on)
{
    if (on && uv_is_active((uv_handle_t *)&accept_timer))
        return; /* out of descriptors: on_accept_timer resumes */
    for (unsigned i = 0; i < nlisteners; i++)
        if (listeners[i].active && !shutting_down) {
            if (on)
                uv_poll_start(&listeners[i].poll, UV_READABLE, on_poll);
            else
                uv_poll_stop(&listeners[i].poll);
        }
}

/* Closes the waiting connections whose client has already gone without asking anything
 * (EOF and no byte to read): nothing is owed to them, and handing them to a worker would
 * only hold a slot longer. A client that sent requests, then shut down, is kept. */
static void drop_gone_waiting(void)
{
    unsigned kept = 0;
    for (unsigned i = 0; i < nwaiting; i++) {
        char byte;
        ssize_t n = recv(waiting[i].fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            close(waiting[i].fd);
        else
            waiting[kept++] = waiting[i];
    }
    nwaiting = kept;
}

/* Admits or refuses waiting connections, oldest first (main loop; after a close, a timer,
 * or an accept). */
static void admit_waiting(void)
{
    static uint64_t swept = UINT64_MAX;
    uint64_t now = uv_now(loop);
    unsigned done = 0;
    /* A recv per waiting connection: at most once per millisecond of loop time, unless
     * the list is full, so a storm of accepts does not make it quadratic. */
    if (!shutting_down && (now != swept || nwaiting == ADMIT_WAIT_MAX)) {
        drop_gone_waiting();
        swept = now;
    }
    while (done < nwaiting) {
        if (shutting_down) {
            close(waiting[done++].fd);
            continue;
        }
        if (silkd_server_conn_admit(srv)) {
            silkd_worker_add_fd(workers[next_worker++ % cfg.threads], waiting[done].fd,
                                waiting[done].is_tcp);
        } else if (now - waiting[done].since >= ADMIT_GRACE_MS) {
            silkd_log(SILKD_LOG_DEBUG, "refusing a connection: %u open",
                      silkd_server_conns_open(srv));
            silkd_server_conn_refused(srv);
            reject_overloaded(waiting[done].fd);
        } else {
            break;
        }
        done++;
    }
    memmove(waiting, waiting + done, (nwaiting - done) * sizeof waiting[0]);
    nwaiting -= done;
    silkd_server_set_admit_waiting(srv, nwaiting > 0);
    if (nwaiting > 0) {
        uint64_t left = ADMIT_GRACE_MS - (now - waiting[0].since);
        uv_timer_start(&admit_timer, on_admit_timer, left, 0);
    } else {
        uv_timer_stop(&admit_timer);
    }
    set_accepting(nwaiting < ADMIT_WAIT_MAX);
}

static void on_poll(uv_poll_t *p, int status, int events)
{
    listener_t *l = p->data;
    (void)events;
    if (status < 0 || shutting_down)
        return;
    /* Bounded per wake-up, so a connection storm cannot starve signals and timers. */
    for (int i = 0; i < 64; i++) {
        if (nwaiting >= ADMIT_WAIT_MAX) {
            uv_poll_stop(p); /* resumed by admit_waiting once a waiting one is served */
            return;
        }
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                silkd_log(SILKD_LOG_WARN, "accept: %s; pausing for 100 ms", strerror(errno));
                uv_poll_stop(p);
                uv_timer_start(&accept_timer, on_accept_timer, 100, 0);
            } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                silkd_log(SILKD_LOG_WARN, "accept: %s", strerror(errno));
            }
            break;
        }
        if (nwaiting > 0 || !silkd_server_conn_admit(srv)) {
            /* At the bound (or others wait already, who go first): wait for a slot. */
            waiting[nwaiting].fd = fd;
            waiting[nwaiting].is_tcp = l->is_tcp;
            waiting[nwaiting].since = uv_now(loop);
            if (++nwaiting == ADMIT_WAIT_MAX)
                admit_waiting(); /* makes room, or stops accepting */
            continue;
        }
        silkd_worker_add_fd(workers[next_worker++ % cfg.threads], fd, l->is_tcp);
    }
    if (nwaiting > 0)
        admit_waiting();
}

static int add_listener(int fd, int is_tcp)
{
    listener_t *l = &listeners[nlisteners];
    l->fd = fd;
    l->is_tcp = is_tcp;
    if (uv_poll_init(loop, &l->poll, fd) != 0)
        return -1;
    l->poll.data = l;
    l->active = 1;
    nlisteners++;
    return uv_poll_start(&l->poll, UV_READABLE, on_poll);
}

static void on_listener_closed(uv_handle_t *h)
{
    listener_t *l = h->data;
    close(l->fd);
}

/* ---- index revision, signals, shutdown ----------------------------------------------------- */

/* Picks up an index changed by a silk-index run started by hand (or one that appeared):
 * a reopen only reads the revision file, so once a second is cheap. The check runs on
 * libuv's thread pool, not on the main loop: with remote shards (docs/scale-out.md) a
 * reopen talks to them, and a hung shard would otherwise stall accepting connections for
 * the remote timeout. Only that work touches watch_db while the loop runs. */
static uv_work_t revision_work; /* the check in flight */
static int revision_busy;       /* revision_work is queued or running (main loop only) */
static int revision_found;      /* set by the check: 1 index appeared, 2 revision changed */

static void revision_check(uv_work_t *w)
{
    (void)w;
    revision_found = 0;
    if (!watch_db) {
        if (silk_db_open(cfg.index_path, &cfg.db_opts, &watch_db, NULL) == SILK_OK)
            revision_found = 1;
        return;
    }
    int changed = 0;
    silk_status_t rc = silk_db_reopen(watch_db, &changed);
    if (rc == SILK_OK && changed)
        revision_found = 2;
    else if (rc != SILK_OK && rc != SILK_ERR_MODIFIED) {
        silk_db_destroy(watch_db);
        watch_db = NULL;
    }
}

static void revision_checked(uv_work_t *w, int status)
{
    (void)w;
    revision_busy = 0;
    if (status != 0)
        return;
    if (revision_found == 1)
        silkd_server_bump(srv, "index appeared");
    else if (revision_found == 2)
        silkd_server_bump(srv, "index revision changed");
}

static void on_revision_timer(uv_timer_t *t)
{
    (void)t;
    /* A check still waiting for a slow remote shard: skip this tick. */
    if (revision_busy)
        return;
    if (uv_queue_work(loop, &revision_work, revision_check, revision_checked) == 0)
        revision_busy = 1;
}

static void close_if_open(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void maybe_finish(void)
{
    if (!shutting_down || silkd_server_workers_done(srv) < cfg.threads ||
        silkd_reindex_busy(reindex))
        return;
    /* Every worker is gone and no child runs: close the main loop's handles. */
    close_if_open((uv_handle_t *)&sig_int);
    close_if_open((uv_handle_t *)&sig_term);
    close_if_open((uv_handle_t *)&sig_hup);
    close_if_open((uv_handle_t *)&revision_timer);
    close_if_open((uv_handle_t *)&accept_timer);
    close_if_open((uv_handle_t *)&admit_timer);
    close_if_open((uv_handle_t *)&main_wake);
    close_if_open((uv_handle_t *)&shutdown_timer);
    silkd_reindex_close(reindex);
}

static void on_main_wake(uv_async_t *a)
{
    (void)a;
    if (nwaiting > 0)
        admit_waiting();
    maybe_finish();
}

/* The exit without waiting: a request or worker that never finishes (a hung remote shard,
 * a stuck disk) must not keep silkd from ending. The socket is gone already; the lock goes
 * with the process. The reindex child is killed with its process group. */
static void exit_now(const char *why)
{
    silkd_log(SILKD_LOG_WARN, "%s: exiting without waiting for the rest", why);
    silkd_reindex_kill(reindex);
    if (lock_fd >= 0)
        unlink(lock_path);
    _exit(1);
}

static void on_shutdown_timer(uv_timer_t *t)
{
    (void)t;
    char why[96];
    snprintf(why, sizeof why, "still not finished %llu s after the shutdown began",
             (unsigned long long)cfg.shutdown_max_ms / 1000);
    exit_now(why);
}

static void begin_shutdown(const char *why)
{
    if (shutting_down)
        return;
    shutting_down = 1;
    uv_timer_start(&shutdown_timer, on_shutdown_timer, cfg.shutdown_max_ms, 0);
    if (started)
        silkd_log(SILKD_LOG_INFO, "%s: finishing the requests in flight", why);
    else
        silkd_log(SILKD_LOG_DEBUG, "%s: cleaning up", why);
    for (unsigned i = 0; i < nlisteners; i++) {
        if (listeners[i].active) {
            listeners[i].active = 0;
            uv_poll_stop(&listeners[i].poll);
            uv_close((uv_handle_t *)&listeners[i].poll, on_listener_closed);
        }
    }
    if (socket_created) {
        unlink(cfg.socket_path);
        socket_created = 0;
    }
    uv_timer_stop(&revision_timer);
    uv_timer_stop(&accept_timer);
    admit_waiting(); /* closes the connections waiting for a slot */
    silkd_reindex_stop(reindex);
    for (unsigned i = 0; workers && i < cfg.threads; i++)
        if (workers[i])
            silkd_worker_stop(workers[i]);
    maybe_finish();
}

static void on_signal(uv_signal_t *h, int signum)
{
    (void)h;
    if (signum == SIGHUP) {
        /* Always a fresh open: a reopen follows revisions, but not files overwritten in
         * place, which only a new handle reads right. */
        silkd_server_force_fresh(srv, "SIGHUP: opening the index afresh");
        return;
    }
    if (shutting_down && started)
        exit_now(signum == SIGINT ? "second SIGINT" : "second SIGTERM");
    begin_shutdown(signum == SIGINT ? "SIGINT" : "SIGTERM");
}

/* ---- the indexer program --------------------------------------------------------------- */

static void find_indexer(void)
{
    const char *env = getenv("SILK_INDEXER");
    if (env && *env) {
        cfg.indexer = env;
        return;
    }
    if (cfg.indexer) /* [daemon] indexer of the configuration file */
        return;
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        snprintf(indexer_buf, sizeof indexer_buf, "%s/silk-index", dirname(self));
    } else {
        snprintf(indexer_buf, sizeof indexer_buf, "silk-index");
    }
    cfg.indexer = indexer_buf;
}

/* ---- main ---------------------------------------------------------------------------------- */

/* db.h's path check: StrictModes (silk/trust.h) for the index and each local shard. A path
 * that does not exist is left to the open, which says so. */
static silk_status_t check_index_path(void *ud, const char *what, const char *path, char **msg)
{
    (void)ud;
    char *why = NULL;
    silk_status_t st = silk_trust_check(what, path, geteuid(), 0, &why);
    if (st == SILK_ERR_INVALID) {
        /* Each search tries to open a refused index again: log at most once a second. */
        static atomic_llong last_s;
        long long now = (long long)time(NULL), was = atomic_load(&last_s);
        if (now != was && atomic_compare_exchange_strong(&last_s, &was, now))
            silkd_log(SILKD_LOG_WARN, "%s", why ? why : "refusing an untrusted index path");
        *msg = why;
        return st;
    }
    free(why);
    return SILK_OK;
}

int main(int argc, char **argv)
{
    int print_socket = 0;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

    cfg.threads = ncpu < 1 ? 1 : ncpu > SILKD_MAX_THREADS ? SILKD_MAX_THREADS : (unsigned)ncpu;
    cfg.watch_delay_ms = 500;
    cfg.max_connections = 1024;
    cfg.max_line = SILK_PROTO_LINE_MAX;
    cfg.max_inflight = 64;
    cfg.max_output = 4u << 20;
    cfg.max_output_total = 64u << 20;
    cfg.query_time_limit_ms = 2000;
    cfg.idle_ms = 300 * 1000;
    cfg.drain_ms = 100;
    cfg.drain_max_ms = 5000;
    cfg.reindex_timeout_ms = 600 * 1000;
    cfg.watch_max_ms = UINT64_MAX; /* until parsed: 10 times --watch-delay */
    cfg.shutdown_max_ms = 15 * 1000;
    const char *socket_arg = silkd_options_parse(argc, argv, &cfg, &print_socket);
    if (cfg.watch_max_ms == UINT64_MAX)
        cfg.watch_max_ms = 10 * (uint64_t)cfg.watch_delay_ms;

    int is_default = silk_socket_path(socket_arg, cfg.conf_socket, socket_buf, sizeof socket_buf);
    if (is_default < 0) {
        fprintf(stderr, "silkd: the socket path is longer than %zu bytes\n", sizeof socket_buf - 1);
        return 2;
    }
    cfg.socket_path = socket_buf;
    if (print_socket) {
        printf("%s\n", cfg.socket_path);
        return 0;
    }
    find_indexer();
    /* StrictModes: an index another user can write could make silkd serve their text (or,
     * with --allow-remote-programs, run their program). */
    char *why = NULL;
    if (silk_trust_check("index", cfg.index_path, geteuid(), SILK_TRUST_MAY_BE_MISSING, &why) ==
        SILK_ERR_INVALID) {
        fprintf(stderr, "silkd: %s\n", why ? why : "refusing the index");
        free(why);
        return 1;
    }
    free(why);
    /* ... and again whenever the index is opened or reopened (a new revision, SIGHUP, an
     * index that appears later), for every local shard its stub names too. */
    cfg.db_opts.check_path = check_index_path;

    signal(SIGPIPE, SIG_IGN);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    int exit_code = 1;
    loop = uv_default_loop();
    if (silkd_server_new(&cfg, &srv) != SILK_OK) {
        silkd_log(SILKD_LOG_ERROR, "out of memory");
        return 1;
    }
    silkd_server_set_wake(srv, &main_wake);
    uv_async_init(loop, &main_wake, on_main_wake);
    uv_timer_init(loop, &revision_timer);
    uv_timer_init(loop, &accept_timer);
    uv_timer_init(loop, &shutdown_timer);
    uv_timer_init(loop, &admit_timer);
    uv_signal_init(loop, &sig_int);
    uv_signal_init(loop, &sig_term);
    uv_signal_init(loop, &sig_hup);

    /* Socket activation: systemd listens already, on sockets it owns (and removes); silkd
     * serves them and binds no Unix socket of its own. */
    char act_why[256];
    silkd_activated_t act[SILKD_ACTIVATE_MAX];
    int nact = silkd_activation_take(act, SILKD_ACTIVATE_MAX, act_why, sizeof act_why);
    if (nact < 0) {
        silkd_log(SILKD_LOG_ERROR, "%s", act_why);
        exit_code = 2;
        goto out;
    }
    for (int i = 0; i < nact; i++)
        if (!act[i].is_tcp && act[i].path[0]) {
            snprintf(socket_buf, sizeof socket_buf, "%s", act[i].path);
            break;
        }
    if (nact == 0 && (check_socket_dir(is_default) != 0 || claim_socket_path() != 0))
        goto out;
    char *open_msg = NULL;
    if (silk_db_open(cfg.index_path, &cfg.db_opts, &watch_db, &open_msg) != SILK_OK) {
        watch_db = NULL;
        silkd_log(SILKD_LOG_WARN,
                  "no index at %s yet (%s): searches answer \"unavailable\" until one appears "
                  "(run silk-index, or send {\"op\":\"reindex\"})",
                  cfg.index_path, open_msg ? open_msg : "cannot open it");
    }
    free(open_msg);
    if (silkd_reindex_new(srv, loop, &reindex) != SILK_OK)
        goto out;
    workers = calloc(cfg.threads, sizeof *workers);
    if (!workers)
        goto out;
    for (unsigned i = 0; i < cfg.threads; i++) {
        silk_status_t rc = silkd_worker_start(srv, reindex, i, &workers[i]);
        if (rc != SILK_OK) {
            silkd_log(SILKD_LOG_ERROR, "cannot start worker %u: %s", i, silk_status_to_string(rc));
            goto out;
        }
    }
    /* The Unix socket comes last: its appearance tells scripts that silkd is ready. TCP,
     * whether from --listen or from systemd, needs the token. */
    int act_tcp = 0;
    for (int i = 0; i < nact; i++)
        act_tcp |= act[i].is_tcp;
    if (cfg.listen || act_tcp) {
        char *tpath = NULL;
        const char *tf = cfg.token_file;
        if (!tf && asprintf(&tpath, "%s.token", cfg.socket_path) >= 0)
            tf = tpath;
        int trc = tf ? silkd_token_load(tf, cfg.token) : -1;
        free(tpath);
        if (trc != 0) {
            silkd_log(SILKD_LOG_ERROR, "refusing to listen on tcp %s without a token",
                      cfg.listen ? cfg.listen : "(from systemd)");
            exit_code = 2;
            goto out;
        }
        int tfd = cfg.listen ? open_tcp_listener(cfg.listen) : -1;
        if (cfg.listen && (tfd < 0 || add_listener(tfd, 1) != 0))
            goto out;
    }
    for (int i = 0; i < nact; i++) {
        if (add_listener(act[i].fd, act[i].is_tcp) != 0)
            goto out;
        silkd_log(SILKD_LOG_INFO, "serving a %s socket from systemd%s%s",
                  act[i].is_tcp ? "tcp" : "unix", act[i].path[0] ? " at " : "", act[i].path);
    }
    if (nact == 0) {
        int ufd = open_unix_listener();
        if (ufd < 0 || add_listener(ufd, 0) != 0)
            goto out;
    }
    uv_signal_start(&sig_int, on_signal, SIGINT);
    uv_signal_start(&sig_term, on_signal, SIGTERM);
    uv_signal_start(&sig_hup, on_signal, SIGHUP);
    uv_timer_start(&revision_timer, on_revision_timer, 1000, 1000);
    silkd_log(SILKD_LOG_INFO, "serving %s on %s with %u threads", cfg.index_path, cfg.socket_path,
              cfg.threads);
    exit_code = 0;
    started = 1;

out:
    if (exit_code != 0) {
        /* Start-up failed: unwind through the same shutdown path so threads end cleanly. */
        if (!reindex && silkd_reindex_new(srv, loop, &reindex) != SILK_OK) {
            return 1;
        }
        begin_shutdown("cannot start");
        /* Workers that never started count as finished. */
        for (unsigned i = 0; i < cfg.threads; i++)
            if (!workers || !workers[i])
                silkd_server_worker_done(srv);
        maybe_finish();
    }
    uv_run(loop, UV_RUN_DEFAULT);
    for (unsigned i = 0; workers && i < cfg.threads; i++)
        silkd_worker_join(workers[i]);
    free(workers);
    silkd_reindex_destroy(reindex);
    silk_db_destroy(watch_db);
    uv_loop_close(loop);
    silkd_server_destroy(srv);
    if (socket_created)
        unlink(cfg.socket_path);
    if (lock_fd >= 0) {
        unlink(lock_path);
        close(lock_fd);
    }
    if (exit_code == 0)
        silkd_log(SILKD_LOG_INFO, "stopped");
    return exit_code;
}
