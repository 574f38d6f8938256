/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — live reindex: runs silk-index as a child process on the main loop.
 *
 * The indexer runs in its own process (uv_spawn) so that a crash or a bad file there never
 * takes the daemon down; workers keep answering from the revision they have open until the
 * child commits, and the generation bump afterwards moves each of them to the new one.
 *
 * Requests come from worker threads through a mutex-guarded list and uv_async_send. A run
 * answers every request that was waiting when it started; requests that arrive while a run
 * is in progress share the next run, which starts as soon as the current one ends (the
 * corpus may have changed after the current run read it). --watch starts runs the same way
 * after the corpus has been quiet for watch_delay_ms.
 */
#include "reindex.h"

#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "rxbound.h"
#include "silk/buf.h"
#include "silk/trust.h"

/* Requests that may wait at once; more are answered overloaded. */
#define MAX_WAITING 1024
/* Bytes of the tail of the child's stderr kept (its stdout goes through rxbound). */
#define ERR_TAIL 2048
/* After SIGTERM, a child that has not exited after this long gets SIGKILL. */
#define KILL_GRACE_MS 3000
/* After the child exited, its pipes get this long to reach EOF: a grandchild it left
 * behind may hold them open, and the run must end anyway. */
#define PIPE_GRACE_MS 1000
/* Folders watched at most (inotify watches are a per-user resource), and nesting depth. */
#define MAX_WATCHES     512
#define MAX_WATCH_DEPTH 16

typedef struct watch {
    uv_fs_event_t h;          /* the inotify watch of one folder */
    char *dir;                /* its path, to tell the index's own files by name */
    struct watch *next;       /* list link */
    struct silkd_reindex *rx; /* owner */
} watch_t;

typedef struct waiter {
    struct waiter *next;          /* list link */
    silkd_reindex_reply_fn reply; /* how the answer goes back */
    void *owner, *tag;            /* the requester's pointers, passed to reply */
    size_t id_len;                /* length of id */
    char id[SILK_PROTO_ID_MAX];   /* the request's id */
} waiter_t;

struct silkd_reindex {
    silkd_server_t *srv;       /* shared state */
    uv_loop_t *loop;           /* the main loop */
    uv_async_t async;          /* wakes the main loop when a request arrives */
    uv_mutex_t lock;           /* guards incoming, nwaiting, refusing */
    waiter_t *incoming;        /* requests not yet seen by the main loop */
    unsigned nwaiting;         /* requests not yet answered */
    int refusing;              /* shutting down: refuse new requests */
    waiter_t *next_run;        /* main loop: requests for the next run */
    waiter_t *current;         /* main loop: requests the running child will answer */
    int running;               /* a child is running (or its handles are closing) */
    int want_run;              /* a watch event asked for a run */
    int stopping;              /* silkd_reindex_stop was called */
    uv_process_t proc;         /* the child */
    uv_pipe_t out_pipe;        /* its stdout */
    uv_pipe_t err_pipe;        /* its stderr */
    int open_handles;          /* of proc, out_pipe, err_pipe */
    int exited;                /* exit_cb ran */
    int64_t exit_status;       /* the child's exit status */
    int term_signal;           /* the signal that killed it, or 0 */
    int spawn_failed;          /* uv_spawn failed: err holds the message */
    char err[ERR_TAIL];        /* the tail of its stderr */
    size_t err_len;            /* bytes in err */
    uint64_t started_ns;       /* uv_hrtime() at spawn */
    silkd_summary_t summ;      /* reads the child's stdout, bounded */
    silkd_progress_t prog;     /* the child's last progress line (--progress=json) */
    uv_timer_t deadline;       /* the time limit of a run, then the SIGKILL grace, then pipes */
    int timed_out;             /* the run was stopped for its time limit */
    int killing;               /* SIGTERM was sent; the deadline timer now sends SIGKILL */
    uint64_t timeouts;         /* runs stopped for their time limit */
    uint64_t first_change;     /* --watch: ms of the first change not yet indexed, or 0 */
    char index_real[PATH_MAX]; /* --watch: the index's absolute path, to ignore its writes */
    struct watch *watches;     /* --watch: one inotify watch per corpus folder */
    unsigned nwatches;         /* how many */
    uv_timer_t debounce;       /* --watch: quiet time before a run */
    int watching;              /* --watch is on and the corpus could be watched */
    uint64_t runs;             /* runs that succeeded */
    uint64_t failures;         /* runs that failed */
    json_t *last;              /* the last run's result, or NULL */
};

static void start_run(silkd_reindex_t *rx);
static void on_deadline(uv_timer_t *t);
static void rewatch(silkd_reindex_t *rx);

static void iso_now(char *buf, size_t n)
{
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Publishes the runner's state for stats requests on worker threads. */
static void publish(silkd_reindex_t *rx)
{
    json_t *o = json_object();
    if (!o)
        return;
    json_object_set_new(o, "running", json_boolean(rx->running));
    json_object_set_new(o, "runs", json_integer((json_int_t)rx->runs));
    json_object_set_new(o, "failures", json_integer((json_int_t)rx->failures));
    json_object_set_new(o, "watching", json_boolean(rx->watching));
    json_object_set_new(o, "timeouts", json_integer((json_int_t)rx->timeouts));
    if (rx->running && rx->prog.last)
        json_object_set(o, "progress", rx->prog.last);
    json_object_set(o, "last", rx->last ? rx->last : json_null());
    char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(10));
    json_decref(o);
    if (!text)
        return;
    silkd_server_set_reindex(rx->srv, text);
}

static void answer_all(silkd_reindex_t *rx, waiter_t *list, int ok, silk_proto_code_t code,
                       const char *text)
{
    unsigned n = 0;
    while (list) {
        waiter_t *next = list->next;
        list->reply(list->owner, list->tag, list->id, list->id_len, ok, code, text);
        free(list);
        list = next;
        n++;
    }
    uv_mutex_lock(&rx->lock);
    rx->nwaiting -= n;
    uv_mutex_unlock(&rx->lock);
}

/* The last non-empty line of the child's stderr that is not a progress line, for error
 * messages. */
static void last_err_line(silkd_reindex_t *rx, char *buf, size_t n)
{
    size_t end = rx->err_len, start;
    for (;;) {
        while (end > 0 && (rx->err[end - 1] == '\n' || rx->err[end - 1] == '\r'))
            end--;
        start = end;
        while (start > 0 && rx->err[start - 1] != '\n')
            start--;
        if (start == 0 || !silkd_progress_is_line(rx->err + start, end - start))
            break;
        end = start;
    }
    if (silkd_progress_is_line(rx->err + start, end - start))
        start = end;
    size_t len = end - start < n - 1 ? end - start : n - 1;
    memcpy(buf, rx->err + start, len);
    buf[len] = '\0';
}

/* The child is gone and its pipes are closed (or it never started: spawn_err). */
static void complete(silkd_reindex_t *rx, const char *spawn_err)
{
    uint64_t took_ms = (uv_hrtime() - rx->started_ns) / 1000000;
    int ok = !spawn_err && rx->term_signal == 0 && (rx->exit_status == 0 || rx->exit_status == 3);
    json_t *summary = spawn_err ? NULL : silkd_summary_finish(&rx->summ);
    uv_timer_stop(&rx->deadline);
    char when[32], msg[SILK_PROTO_MSG_MAX + ERR_TAIL], tail[200];
    iso_now(when, sizeof when);
    last_err_line(rx, tail, sizeof tail);

    json_t *last = json_object();
    json_object_set_new(last, "ok", json_boolean(ok));
    json_object_set_new(last, "finished_at", json_string(when));
    json_object_set_new(last, "took_ms", json_integer((json_int_t)took_ms));
    if (!spawn_err) {
        if (rx->term_signal)
            json_object_set_new(last, "signal", json_integer(rx->term_signal));
        else
            json_object_set_new(last, "exit_status", json_integer((json_int_t)rx->exit_status));
    }
    json_object_set(last, "summary", summary ? summary : json_null());
    if (rx->prog.last)
        json_object_set(last, "progress", rx->prog.last);

    if (rx->timed_out) {
        ok = 0;
        json_object_set_new(last, "timed_out", json_true());
    }
    if (ok) {
        rx->runs++;
        silkd_server_bump(rx->srv, "reindex committed");
        uint64_t gen = silkd_server_generation(rx->srv);
        char *sj = summary ? json_dumps(summary, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
        snprintf(msg, sizeof msg, ",\"took_ms\":%llu,\"exit_status\":%d,\"generation\":%llu",
                 (unsigned long long)took_ms, (int)rx->exit_status, (unsigned long long)gen);
        silk_buf_t b = SILK_BUF_INIT;
        if (silk_buf_adds(&b, msg) != SILK_OK || silk_buf_adds(&b, ",\"summary\":") != SILK_OK ||
            silk_buf_adds(&b, sj ? sj : "null") != SILK_OK || silk_buf_terminate(&b) != SILK_OK)
            b.len = 0;
        silkd_log(SILKD_LOG_INFO, "reindex done in %llu ms (exit status %d)",
                  (unsigned long long)took_ms, (int)rx->exit_status);
        answer_all(rx, rx->current, 1, SILK_PROTO_OK, b.len ? b.data : "");
        silk_buf_free(&b);
        free(sj);
    } else {
        rx->failures++;
        if (spawn_err)
            snprintf(msg, sizeof msg, "%s", spawn_err);
        else if (rx->timed_out)
            snprintf(msg, sizeof msg,
                     "silk-index did not finish within its time limit of %llu s "
                     "(--reindex-timeout) and was stopped",
                     (unsigned long long)silkd_server_config(rx->srv)->reindex_timeout_ms / 1000);
        else if (rx->term_signal)
            snprintf(msg, sizeof msg, "silk-index was killed by signal %d%s%s", rx->term_signal,
                     *tail ? ": " : "", tail);
        else
            snprintf(msg, sizeof msg, "silk-index failed with exit status %d%s%s",
                     (int)rx->exit_status, *tail ? ": " : "", tail);
        json_object_set_new(last, "error", json_string(msg));
        silkd_log(SILKD_LOG_WARN, "reindex failed: %s (still serving the previous index)", msg);
        answer_all(rx, rx->current, 0, SILK_PROTO_INTERNAL, msg);
    }
    json_decref(summary);
    json_decref(rx->last);
    rx->last = last;
    rx->current = NULL;
    rx->running = 0;
    if (rx->watching && !rx->stopping)
        rewatch(rx); /* folders may have come or gone */
    publish(rx);
    if (rx->stopping) {
        answer_all(rx, rx->next_run, 0, SILK_PROTO_UNAVAILABLE, "the daemon is shutting down");
        rx->next_run = NULL;
        silkd_server_wake_main(rx->srv);
    } else if (rx->next_run || rx->want_run) {
        start_run(rx);
    }
}

static void on_child_handle_closed(uv_handle_t *h)
{
    silkd_reindex_t *rx = h->data;
    if (--rx->open_handles == 0)
        complete(rx, rx->spawn_failed ? rx->err : NULL);
}

/* Sends sig to the child's process group (it leads one: UV_PROCESS_DETACHED), so that
 * whatever it started goes too. Only while it has not been reaped: its pid, and so the
 * group's id, may be reused after. */
static void signal_child(silkd_reindex_t *rx, int sig)
{
    if (rx->running && !rx->exited && !rx->spawn_failed && rx->proc.pid > 0)
        kill(-rx->proc.pid, sig);
}

/* Stops the child: SIGCONT first, for one that was stopped (a stopped process does not
 * act on SIGTERM until continued), then SIGTERM, and SIGKILL once KILL_GRACE_MS passed. */
static void end_child(silkd_reindex_t *rx, const char *why)
{
    if (rx->killing || rx->exited)
        return;
    silkd_log(SILKD_LOG_WARN, "stopping silk-index (pid %d): %s", rx->proc.pid, why);
    rx->killing = 1;
    signal_child(rx, SIGCONT);
    signal_child(rx, SIGTERM);
    uv_timer_start(&rx->deadline, on_deadline, KILL_GRACE_MS, 0);
}

/* The deadline timer has three uses, one at a time: the time limit of a running child,
 * the grace before SIGKILL, and (once the child exited) the grace for its pipes. */
static void on_deadline(uv_timer_t *t)
{
    silkd_reindex_t *rx = t->data;
    if (!rx->running)
        return;
    if (rx->exited) {
        /* A grandchild holds the pipes open: stop reading them, the run is over. */
        if (!uv_is_closing((uv_handle_t *)&rx->out_pipe))
            uv_close((uv_handle_t *)&rx->out_pipe, on_child_handle_closed);
        if (!uv_is_closing((uv_handle_t *)&rx->err_pipe))
            uv_close((uv_handle_t *)&rx->err_pipe, on_child_handle_closed);
        return;
    }
    if (rx->killing) {
        silkd_log(SILKD_LOG_WARN, "silk-index (pid %d) ignored SIGTERM: SIGKILL", rx->proc.pid);
        signal_child(rx, SIGKILL);
        return;
    }
    rx->timed_out = 1;
    rx->timeouts++;
    end_child(rx, "over its time limit (--reindex-timeout)");
}

static void on_exit_cb(uv_process_t *proc, int64_t status, int sig)
{
    silkd_reindex_t *rx = proc->data;
    rx->exited = 1;
    rx->exit_status = status;
    rx->term_signal = sig;
    uv_close((uv_handle_t *)proc, on_child_handle_closed);
    uv_timer_start(&rx->deadline, on_deadline, PIPE_GRACE_MS, 0);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    static char scratch[65536]; /* main loop only */
    (void)h;
    (void)suggested;
    *buf = uv_buf_init(scratch, sizeof scratch);
}

static void on_child_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    silkd_reindex_t *rx = s->data;
    if (n < 0) {
        if (!uv_is_closing((uv_handle_t *)s))
            uv_close((uv_handle_t *)s, on_child_handle_closed);
        return;
    }
    if (s == (uv_stream_t *)&rx->out_pipe) {
        /* Bounded as it streams: the summary's lists keep their first entries only. */
        silkd_summary_feed(&rx->summ, buf->base, (size_t)n);
    } else {
        if (silkd_progress_feed(&rx->prog, buf->base, (size_t)n))
            publish(rx);
        /* Keep the last ERR_TAIL bytes of stderr. */
        size_t k = (size_t)n;
        const char *p = buf->base;
        if (k >= ERR_TAIL) {
            p += k - ERR_TAIL;
            k = ERR_TAIL;
            rx->err_len = 0;
        } else if (rx->err_len + k > ERR_TAIL) {
            size_t drop = rx->err_len + k - ERR_TAIL;
            memmove(rx->err, rx->err + drop, rx->err_len - drop);
            rx->err_len -= drop;
        }
        memcpy(rx->err + rx->err_len, p, k);
        rx->err_len += k;
    }
}

static void start_run(silkd_reindex_t *rx)
{
    if (rx->running || rx->stopping)
        return;
    const silkd_config_t *cfg = silkd_server_config(rx->srv);
    rx->current = rx->next_run;
    rx->next_run = NULL;
    rx->want_run = 0;
    rx->running = 1;
    rx->exited = 0;
    rx->exit_status = 0;
    rx->term_signal = 0;
    rx->spawn_failed = 0;
    rx->timed_out = 0;
    rx->killing = 0;
    rx->first_change = 0;
    silkd_summary_init(&rx->summ, SILKD_SUMMARY_KEEP, SILKD_SUMMARY_BYTES);
    silkd_progress_init(&rx->prog);
    rx->err_len = 0;
    rx->started_ns = uv_hrtime();

    /* StrictModes again, now: the corpus and the index may have changed hands or modes
     * since start-up, and the child would read and write them as this user. */
    char *why = NULL;
    silk_status_t tst = silk_trust_check("corpus", cfg->corpus_path, geteuid(), 0, &why);
    if (tst != SILK_ERR_INVALID) {
        free(why);
        why = NULL;
        tst =
            silk_trust_check("index", cfg->index_path, geteuid(), SILK_TRUST_MAY_BE_MISSING, &why);
    }
    if (tst == SILK_ERR_INVALID) {
        snprintf(rx->err, sizeof rx->err, "reindex refused: %s",
                 why ? why : "the corpus or the index is not trusted");
        rx->err_len = strlen(rx->err);
        free(why);
        silkd_log(SILKD_LOG_WARN, "%s", rx->err);
        rx->spawn_failed = 1;
        complete(rx, rx->err);
        return;
    }
    free(why);

    char *args[] = {(char *)cfg->indexer,
                    "--corpus",
                    (char *)cfg->corpus_path,
                    "--index",
                    (char *)cfg->index_path,
                    "--json",
                    "--quiet",
                    "--progress=json",
                    NULL,
                    NULL,
                    NULL};
    /* The child reads the configuration file silkd read (its [indexer] settings), even when
     * silkd was given it with --config. */
    if (cfg->config_path) {
        args[8] = "--config";
        args[9] = (char *)cfg->config_path;
    }
    uv_pipe_init(rx->loop, &rx->out_pipe, 0);
    uv_pipe_init(rx->loop, &rx->err_pipe, 0);
    rx->out_pipe.data = rx->err_pipe.data = rx->proc.data = rx;
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&rx->out_pipe;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&rx->err_pipe;
    uv_process_options_t opts = {0};
    opts.exit_cb = on_exit_cb;
    opts.file = cfg->indexer;
    opts.args = args;
    opts.stdio_count = 3;
    opts.stdio = stdio;
    /* Its own process group, so that ending it ends what it started as well. */
    opts.flags = UV_PROCESS_DETACHED;
    rx->open_handles = 3;
    int rc = uv_spawn(rx->loop, &rx->proc, &opts);
    if (rc != 0) {
        char msg[SILK_PROTO_MSG_MAX];
        snprintf(msg, sizeof msg, "cannot run %s: %s", cfg->indexer, uv_strerror(rc));
        /* complete() runs once the three handles are closed; the message rides along in
         * err, which is otherwise empty at this point. */
        silkd_log(SILKD_LOG_WARN, "%s", msg);
        rx->spawn_failed = 1;
        snprintf(rx->err, sizeof rx->err, "%s", msg);
        rx->err_len = strlen(rx->err);
        uv_close((uv_handle_t *)&rx->proc, on_child_handle_closed);
        uv_close((uv_handle_t *)&rx->out_pipe, on_child_handle_closed);
        uv_close((uv_handle_t *)&rx->err_pipe, on_child_handle_closed);
        publish(rx);
        return;
    }
    silkd_log(SILKD_LOG_INFO, "reindex: started %s (pid %d) on %s", cfg->indexer, rx->proc.pid,
              cfg->corpus_path);
    uv_read_start((uv_stream_t *)&rx->out_pipe, on_alloc, on_child_read);
    uv_read_start((uv_stream_t *)&rx->err_pipe, on_alloc, on_child_read);
    if (cfg->reindex_timeout_ms)
        uv_timer_start(&rx->deadline, on_deadline, cfg->reindex_timeout_ms, 0);
    publish(rx);
}

static void on_async(uv_async_t *a)
{
    silkd_reindex_t *rx = a->data;
    uv_mutex_lock(&rx->lock);
    waiter_t *in = rx->incoming;
    rx->incoming = NULL;
    uv_mutex_unlock(&rx->lock);
    if (!in)
        return;
    waiter_t *tail = in;
    while (tail->next)
        tail = tail->next;
    tail->next = rx->next_run;
    rx->next_run = in;
    if (rx->stopping) {
        answer_all(rx, rx->next_run, 0, SILK_PROTO_UNAVAILABLE, "the daemon is shutting down");
        rx->next_run = NULL;
        return;
    }
    start_run(rx);
}

silk_status_t silkd_reindex_request(silkd_reindex_t *rx, silkd_reindex_reply_fn reply, void *owner,
                                    void *tag, const char *id, size_t id_len)
{
    waiter_t *wt = calloc(1, sizeof *wt);
    if (!wt)
        return SILK_ERR_TOO_LARGE;
    wt->reply = reply;
    wt->owner = owner;
    wt->tag = tag;
    if (id_len < sizeof wt->id) {
        memcpy(wt->id, id, id_len);
        wt->id_len = id_len;
    }
    uv_mutex_lock(&rx->lock);
    silk_status_t rc = SILK_OK;
    if (rx->refusing)
        rc = SILK_ERR_INVALID;
    else if (rx->nwaiting >= MAX_WAITING)
        rc = SILK_ERR_TOO_LARGE;
    if (rc == SILK_OK) {
        wt->next = rx->incoming;
        rx->incoming = wt;
        rx->nwaiting++;
    }
    uv_mutex_unlock(&rx->lock);
    if (rc != SILK_OK) {
        free(wt);
        return rc;
    }
    uv_async_send(&rx->async);
    return SILK_OK;
}

/* ---- --watch ------------------------------------------------------------------------------- */

/* Whether dir/name is the index or one of its own files: the index folder, its writers'
 * lock `<index>.lock`, the `<index>.new-PID` / `.old-PID` folders of silk-index --full. The
 * index may live inside the corpus (silk-index skips it), and without this each commit
 * would look like a change and start another run, forever. */
static int is_index_file(const silkd_reindex_t *rx, const char *dir, const char *name)
{
    char path[PATH_MAX];
    if (!rx->index_real[0] || snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return 0;
    size_t n = strlen(rx->index_real);
    if (strncmp(path, rx->index_real, n) != 0)
        return 0;
    const char *rest = path + n;
    return !*rest || *rest == '/' || strcmp(rest, ".lock") == 0 || strncmp(rest, ".new-", 5) == 0 ||
           strncmp(rest, ".old-", 5) == 0;
}

/* The absolute path of the index, resolved through its folder (the index itself may not
 * exist yet, or be replaced by a rename). */
static void resolve_index(silkd_reindex_t *rx, const char *index)
{
    char copy[PATH_MAX], dir[PATH_MAX];
    rx->index_real[0] = '\0';
    if (snprintf(copy, sizeof copy, "%s", index) >= (int)sizeof copy)
        return;
    size_t len = strlen(copy);
    while (len > 1 && copy[len - 1] == '/')
        copy[--len] = '\0';
    char *slash = strrchr(copy, '/');
    const char *base = slash ? slash + 1 : copy;
    if (slash == copy)
        snprintf(dir, sizeof dir, "/");
    else if (slash) {
        *slash = '\0';
        if (!realpath(copy, dir))
            return;
    } else if (!realpath(".", dir))
        return;
    if (snprintf(rx->index_real, sizeof rx->index_real, "%s%s%s", dir,
                 strcmp(dir, "/") == 0 ? "" : "/", base) >= (int)sizeof rx->index_real)
        rx->index_real[0] = '\0';
}

static void on_debounce(uv_timer_t *t)
{
    silkd_reindex_t *rx = t->data;
    rx->first_change = 0;
    silkd_log(SILKD_LOG_INFO, "corpus changed: reindexing");
    rx->want_run = 1;
    start_run(rx); /* a no-op while a run is in progress: want_run starts the next one */
}

static void on_fs_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
    watch_t *w = h->data;
    silkd_reindex_t *rx = w->rx;
    (void)events;
    if (status < 0) {
        silkd_log(SILKD_LOG_WARN, "watching %s: %s", silkd_server_config(rx->srv)->corpus_path,
                  uv_strerror(status));
        return;
    }
    /* The indexer ignores hidden files, so editors' swap and backup files change nothing. */
    if (filename && filename[0] == '.')
        return;
    if (filename && is_index_file(rx, w->dir, filename))
        return;
    silkd_log(SILKD_LOG_DEBUG, "corpus event: %s", filename ? filename : "?");
    /* Quiet time after the last change, but counted from the first change not yet indexed
     * it never passes watch_max_ms: a file written every few hundred milliseconds would
     * otherwise postpone every other change for as long as it is written. */
    const silkd_config_t *cfg = silkd_server_config(rx->srv);
    uint64_t now = uv_now(rx->loop);
    if (!rx->first_change)
        rx->first_change = now ? now : 1;
    uv_timer_start(&rx->debounce, on_debounce,
                   silkd_watch_wait(now, rx->first_change, cfg->watch_delay_ms, cfg->watch_max_ms),
                   0);
}

static void on_watch_closed(uv_handle_t *h)
{
    watch_t *w = h->data;
    free(w->dir);
    free(w);
}

static void unwatch_all(silkd_reindex_t *rx)
{
    for (watch_t *w = rx->watches, *next; w; w = next) {
        next = w->next;
        uv_fs_event_stop(&w->h);
        uv_close((uv_handle_t *)&w->h, on_watch_closed);
    }
    rx->watches = NULL;
    rx->nwatches = 0;
}

/* inotify is not recursive: watch the corpus folder and each (non-hidden) subfolder. */
static void watch_tree(silkd_reindex_t *rx, const char *dir, int depth)
{
    if (rx->nwatches >= MAX_WATCHES) {
        if (rx->nwatches == MAX_WATCHES)
            silkd_log(SILKD_LOG_WARN, "watching only the first %d folders of the corpus",
                      MAX_WATCHES);
        rx->nwatches++;
        return;
    }
    watch_t *w = calloc(1, sizeof *w);
    if (!w)
        return;
    w->rx = rx;
    uv_fs_event_init(rx->loop, &w->h);
    w->h.data = w;
    w->dir = realpath(dir, NULL);
    if (!w->dir || (rx->index_real[0] && strcmp(w->dir, rx->index_real) == 0)) {
        /* The index's own folder inside the corpus: not watched (see is_index_file). */
        uv_close((uv_handle_t *)&w->h, on_watch_closed);
        return;
    }
    int rc = uv_fs_event_start(&w->h, on_fs_event, dir, 0);
    if (rc != 0) {
        silkd_log(SILKD_LOG_WARN, "cannot watch %s: %s", dir, uv_strerror(rc));
        uv_close((uv_handle_t *)&w->h, on_watch_closed);
        return;
    }
    w->next = rx->watches;
    rx->watches = w;
    rx->nwatches++;
    if (depth >= MAX_WATCH_DEPTH)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name) >= (int)sizeof sub)
            continue;
        int is_dir = e->d_type == DT_DIR;
        if (e->d_type == DT_UNKNOWN) {
            struct stat st;
            is_dir = lstat(sub, &st) == 0 && S_ISDIR(st.st_mode);
        }
        if (is_dir)
            watch_tree(rx, sub, depth + 1);
    }
    closedir(d);
}

static void rewatch(silkd_reindex_t *rx)
{
    unwatch_all(rx);
    resolve_index(rx, silkd_server_config(rx->srv)->index_path);
    watch_tree(rx, silkd_server_config(rx->srv)->corpus_path, 0);
}

/* ---- lifetime ------------------------------------------------------------------------------ */

silk_status_t silkd_reindex_new(silkd_server_t *srv, uv_loop_t *loop, silkd_reindex_t **out)
{
    silkd_reindex_t *rx = calloc(1, sizeof *rx);
    *out = NULL;
    if (!rx)
        return SILK_ERR_NOMEM;
    rx->srv = srv;
    rx->loop = loop;
    uv_mutex_init(&rx->lock);
    uv_async_init(loop, &rx->async, on_async);
    rx->async.data = rx;
    uv_timer_init(loop, &rx->debounce);
    rx->debounce.data = rx;
    uv_timer_init(loop, &rx->deadline);
    rx->deadline.data = rx;
    if (silkd_server_config(srv)->watch) {
        rx->watching = 1;
        rewatch(rx);
        if (rx->watches)
            silkd_log(SILKD_LOG_INFO, "watching %s (%u folders) for changes",
                      silkd_server_config(srv)->corpus_path, rx->nwatches);
        else
            rx->watching = 0;
    }
    publish(rx);
    *out = rx;
    return SILK_OK;
}

void silkd_reindex_stop(silkd_reindex_t *rx)
{
    if (rx->stopping)
        return;
    rx->stopping = 1;
    uv_mutex_lock(&rx->lock);
    rx->refusing = 1;
    uv_mutex_unlock(&rx->lock);
    on_async(&rx->async); /* answers whatever is queued */
    answer_all(rx, rx->next_run, 0, SILK_PROTO_UNAVAILABLE, "the daemon is shutting down");
    rx->next_run = NULL;
    uv_timer_stop(&rx->debounce);
    unwatch_all(rx);
    rx->watching = 0;
    if (rx->running && !rx->exited && !rx->spawn_failed)
        end_child(rx, "the daemon is shutting down");
}

void silkd_reindex_kill(silkd_reindex_t *rx)
{
    if (rx)
        signal_child(rx, SIGKILL);
}

int silkd_reindex_busy(const silkd_reindex_t *rx)
{
    return rx->running;
}

void silkd_reindex_close(silkd_reindex_t *rx)
{
    uv_close((uv_handle_t *)&rx->async, NULL);
    uv_close((uv_handle_t *)&rx->debounce, NULL);
    uv_close((uv_handle_t *)&rx->deadline, NULL);
}

void silkd_reindex_destroy(silkd_reindex_t *rx)
{
    if (!rx)
        return;
    uv_mutex_destroy(&rx->lock);
    silkd_summary_free(&rx->summ);
    silkd_progress_free(&rx->prog);
    json_decref(rx->last);
    free(rx);
}
