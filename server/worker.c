/* silkd — a worker thread: its own loop, its own searcher, the connections the main loop
 * hands it (DESIGN.md § Daemon).
 *
 * A request runs to completion here, on the loop that owns its connection: decode, search,
 * encode, all inside the read callback, with no hop to another thread. The only things
 * that cross threads are the worker's inbox (accepted sockets, reindex answers, the stop
 * request: a mutex-guarded list plus uv_async_send, drained whole on each wake-up because
 * sends coalesce), the shared generation (an atomic the main loop bumps when the index may
 * have changed), and the counters, which only this thread writes and any stats request
 * reads.
 */
#include "conn.h"
#include "server.h"

#include <jansson.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "silk/search.h"

typedef struct inbox_item {
    struct inbox_item *next;    /* FIFO link */
    int fd;                     /* an accepted socket, or -1 for a reply */
    int is_tcp;                 /* fd is TCP (set TCP_NODELAY) */
    silkd_conn_t *conn;         /* reply: the connection that asked */
    int ok;                     /* reply: success */
    silk_proto_code_t code;     /* reply: the error code when !ok */
    size_t id_len;              /* reply: length of id */
    char id[SILK_PROTO_ID_MAX]; /* reply: the request's id */
    char text[];                /* reply: members text when ok, else the message */
} inbox_item_t;

struct silkd_worker {
    silkd_server_t *srv;       /* shared state */
    unsigned index;            /* 0-based, for logs */
    uv_thread_t thread;        /* runs loop */
    uv_loop_t loop;            /* this worker's loop */
    uv_async_t async;          /* wakes the loop when the inbox has items */
    uv_timer_t stop_timer;     /* on shutdown: closes connections that outstay drain_max_ms */
    uv_mutex_t lock;           /* guards the inbox and stop_requested */
    inbox_item_t *head, *tail; /* the inbox */
    int stop_requested;        /* set by silkd_worker_stop */
    int stopping;              /* the loop acted on stop_requested */
    int closed;                /* the loop's own handles are closing */
    silkd_conn_t *conns;       /* open connections */
    unsigned nconns;           /* how many */
    unsigned peak_conns;       /* most connections open since memory was last trimmed */
    silk_searcher_t *searcher; /* this thread's reader */
    uint64_t gen;              /* generation the searcher was last reopened at */
    silk_request_t req;        /* decoded request, reused (it is large) */
    silk_proto_buf_t scratch;  /* stats text, reused */
    silkd_counters_t counters; /* this worker's counters */
};

/* ---- histogram ----------------------------------------------------------------------------- */

unsigned silkd_hist_bucket(uint64_t ns)
{
    if (ns < 16)
        return (unsigned)ns;
    unsigned e = 63u - (unsigned)__builtin_clzll(ns);
    unsigned sub = (unsigned)(ns >> (e - 3)) & (SILKD_HIST_SUB - 1);
    unsigned b = 16 + (e - 4) * SILKD_HIST_SUB + sub;
    return b < SILKD_HIST_BUCKETS ? b : SILKD_HIST_BUCKETS - 1;
}

double silkd_hist_value(unsigned b)
{
    if (b < 16)
        return b;
    unsigned e = (b - 16) / SILKD_HIST_SUB + 4, sub = (b - 16) % SILKD_HIST_SUB;
    double step = ldexp(1.0, (int)e - 3);
    return ldexp(1.0, (int)e) + sub * step + step / 2;
}

static void count(_Atomic uint64_t *c)
{
    /* Only this thread writes its counters: a relaxed load and store is enough and avoids
     * a locked instruction per request. */
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + 1,
                          memory_order_relaxed);
}

silkd_counters_t *silkd_worker_counters(silkd_worker_t *w)
{
    return &w->counters;
}

void silkd_server_bump(silkd_server_t *s, const char *why)
{
    uint64_t g = atomic_fetch_add_explicit(&s->generation, 1, memory_order_release) + 1;
    silkd_log(SILKD_LOG_INFO, "%s: index generation %llu", why, (unsigned long long)g);
}

/* ---- requests ------------------------------------------------------------------------------ */

/* Reopens the searcher when the main loop moved the generation. */
static void refresh(silkd_worker_t *w)
{
    uint64_t g = atomic_load_explicit(&w->srv->generation, memory_order_acquire);
    if (g == w->gen)
        return;
    int changed = 0;
    silk_status_t rc = silk_searcher_reopen(w->searcher, &changed);
    w->gen = g;
    silkd_log(SILKD_LOG_DEBUG, "worker %u: generation %llu, reopen: %s%s", w->index,
              (unsigned long long)g, silk_status_to_string(rc), changed ? " (changed)" : "");
}

static silk_proto_code_t answer_error(silk_proto_buf_t *out, const silk_request_t *req,
                                      silk_proto_code_t code, const char *msg, long pos)
{
    silk_proto_encode_error(out, req->id, req->id_len, code, msg, pos);
    return code;
}

static silk_proto_code_t do_search(silkd_worker_t *w, const silk_request_t *req,
                                   silk_proto_buf_t *out)
{
    refresh(w);
    silk_search_req_t sr = {
        .q = req->q,
        .q_len = req->q_len,
        .mode = req->mode,
        .limit = req->limit,
        .offset = req->offset,
        .snippets = req->snippets,
        .explain = req->explain,
    };
    const silk_result_t *res = NULL;
    silk_status_t rc = silk_search(w->searcher, &sr, &res);
    if (rc == SILK_OK) {
        if (silk_proto_encode_result(out, req, res) != SILK_OK)
            return answer_error(out, req, SILK_PROTO_INTERNAL, "out of memory", -1);
        return SILK_PROTO_OK;
    }
    const char *msg = silk_searcher_error(w->searcher);
    if (!msg || !*msg)
        msg = silk_status_to_string(rc);
    char buf[SILK_PROTO_MSG_MAX + 64];
    switch (rc) {
    case SILK_ERR_BAD_QUERY:
    case SILK_ERR_TOO_BROAD:
    case SILK_ERR_TOO_LARGE:
        return answer_error(out, req, SILK_PROTO_BAD_QUERY, msg,
                            silk_searcher_error_pos(w->searcher));
    case SILK_ERR_INVALID:
        return answer_error(out, req, SILK_PROTO_BAD_REQUEST, msg, -1);
    case SILK_ERR_NOT_FOUND:
        snprintf(buf, sizeof buf,
                 "no index at %s yet: run silk-index, or send {\"op\":\"reindex\"}",
                 w->srv->cfg->index_path);
        return answer_error(out, req, SILK_PROTO_UNAVAILABLE, buf, -1);
    case SILK_ERR_NETWORK:
        return answer_error(out, req, SILK_PROTO_UNAVAILABLE, msg, -1);
    default:
        silkd_log(SILKD_LOG_WARN, "search failed: %s", msg);
        return answer_error(out, req, SILK_PROTO_INTERNAL, msg, -1);
    }
}

static void add_u64(json_t *o, const char *k, uint64_t v)
{
    json_object_set_new(o, k, json_integer((json_int_t)v));
}

static silk_proto_code_t do_stats(silkd_worker_t *w, const silk_request_t *req,
                                  silk_proto_buf_t *out)
{
    silkd_server_t *srv = w->srv;
    refresh(w);
    json_t *o = json_object();
    if (!o)
        return answer_error(out, req, SILK_PROTO_INTERNAL, "out of memory", -1);
    silk_index_stats_t st;
    if (silk_searcher_stats(w->searcher, &st) == SILK_OK) {
        json_object_set_new(o, "index", json_string("ready"));
        add_u64(o, "docs", st.docs);
        add_u64(o, "terms", st.terms);
        add_u64(o, "revision", st.revision);
        json_object_set_new(o, "avg_length", json_real(round(st.avg_length * 100) / 100));
    } else {
        json_object_set_new(o, "index", json_string("unavailable"));
        json_object_set_new(o, "docs", json_null());
        json_object_set_new(o, "terms", json_null());
        json_object_set_new(o, "revision", json_null());
    }
    json_object_set_new(o, "index_path", json_string(srv->cfg->index_path));
    json_object_set_new(o, "corpus_path", json_string(srv->cfg->corpus_path));
    double up = (double)(uv_hrtime() - srv->start_ns) / 1e9;
    json_object_set_new(o, "uptime_s", json_real(round(up * 10) / 10));
    add_u64(o, "threads", srv->cfg->threads);
    add_u64(o, "generation", atomic_load(&srv->generation));

    json_t *conns = json_object();
    add_u64(conns, "current", atomic_load(&srv->connections));
    add_u64(conns, "total", atomic_load(&srv->connections_total));
    add_u64(conns, "rejected", atomic_load(&srv->rejected));
    add_u64(conns, "max", srv->cfg->max_connections);
    json_object_set_new(o, "connections", conns);

    /* Sum every worker's counters; each is read with relaxed atomics, so the totals are a
     * moment's snapshot, not a transaction, which is all stats promises. */
    uint64_t requests = 0, queries = 0, errors[SILK_PROTO_NCODES] = {0}, n = 0;
    static _Thread_local uint64_t hist[SILKD_HIST_BUCKETS];
    memset(hist, 0, sizeof hist);
    for (unsigned i = 0; i < srv->cfg->threads; i++) {
        silkd_counters_t *k = silkd_worker_counters(srv->workers[i]);
        requests += atomic_load_explicit(&k->requests, memory_order_relaxed);
        queries += atomic_load_explicit(&k->queries, memory_order_relaxed);
        for (unsigned c = 0; c < SILK_PROTO_NCODES; c++)
            errors[c] += atomic_load_explicit(&k->errors[c], memory_order_relaxed);
        for (unsigned b = 0; b < SILKD_HIST_BUCKETS; b++) {
            uint64_t v = atomic_load_explicit(&k->hist[b], memory_order_relaxed);
            hist[b] += v;
            n += v;
        }
    }
    add_u64(o, "requests", requests);
    add_u64(o, "queries", queries);
    json_t *errs = json_object();
    for (unsigned c = 1; c < SILK_PROTO_NCODES; c++)
        add_u64(errs, silk_proto_code_name((silk_proto_code_t)c), errors[c]);
    json_object_set_new(o, "errors", errs);

    json_t *lat = json_object();
    static const struct {
        const char *name;
        double q;
    } pct[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}};
    for (size_t p = 0; p < sizeof pct / sizeof pct[0]; p++) {
        double v = 0;
        if (n) {
            uint64_t want = (uint64_t)ceil(pct[p].q * (double)n), cum = 0;
            for (unsigned b = 0; b < SILKD_HIST_BUCKETS; b++) {
                cum += hist[b];
                if (cum >= want) {
                    v = silkd_hist_value(b) / 1000.0;
                    break;
                }
            }
        }
        json_object_set_new(lat, pct[p].name, json_real(round(v * 10) / 10));
    }
    json_object_set_new(o, "latency_us", lat);

    json_t *rx = NULL;
    uv_mutex_lock(&srv->lock);
    if (srv->last_reindex)
        rx = json_loads(srv->last_reindex, 0, NULL);
    uv_mutex_unlock(&srv->lock);
    json_object_set_new(o, "reindex", rx ? rx : json_null());

    silk_proto_code_t code = SILK_PROTO_OK;
    silk_proto_buf_t *b = &w->scratch;
    b->len = 0;
    size_t need = json_dumpb(o, NULL, 0, JSON_COMPACT | JSON_REAL_PRECISION(10));
    if (need < 2 || silk_proto_buf_reserve(b, need) != SILK_OK) {
        code = answer_error(out, req, SILK_PROTO_INTERNAL, "cannot encode stats", -1);
    } else {
        b->len = json_dumpb(o, b->data, need, JSON_COMPACT | JSON_REAL_PRECISION(10));
        /* The object's members become the answer's: drop the braces, lead with a comma. */
        b->data[0] = ',';
        if (silk_proto_encode_ok(out, req->id, req->id_len, b->data, b->len - 1) != SILK_OK)
            code = answer_error(out, req, SILK_PROTO_INTERNAL, "out of memory", -1);
    }
    json_decref(o);
    return code;
}

int silkd_worker_handle(silkd_worker_t *w, silkd_conn_t *c, const char *line, size_t len,
                        silk_proto_buf_t *out)
{
    uint64_t t0 = uv_hrtime();
    silk_request_t *req = &w->req;
    silk_proto_code_t code = SILK_PROTO_OK;
    if (silk_proto_decode(line, len, req) != SILK_OK) {
        code = answer_error(out, req, req->code, req->message, req->position);
    } else {
        switch (req->op) {
        case SILK_REQ_NONE:
            return SILKD_HANDLED_NONE;
        case SILK_REQ_PING:
            silk_proto_encode_ok(out, req->id, req->id_len, ",\"pong\":true", 12);
            break;
        case SILK_REQ_SEARCH:
            code = do_search(w, req, out);
            count(&w->counters.queries);
            break;
        case SILK_REQ_STATS:
            code = do_stats(w, req, out);
            break;
        case SILK_REQ_REINDEX: {
            silk_status_t rc = silkd_reindex_request(w->srv->reindex, w, c, req->id, req->id_len);
            if (rc == SILK_OK) {
                count(&w->counters.requests);
                return SILKD_HANDLED_WAIT;
            }
            code = rc == SILK_ERR_TOO_LARGE
                       ? answer_error(out, req, SILK_PROTO_OVERLOADED,
                                      "too many reindex requests are waiting", -1)
                       : answer_error(out, req, SILK_PROTO_UNAVAILABLE,
                                      "the daemon is shutting down", -1);
            break;
        }
        }
    }
    count(&w->counters.requests);
    if (code != SILK_PROTO_OK)
        count(&w->counters.errors[code]);
    count(&w->counters.hist[silkd_hist_bucket(uv_hrtime() - t0)]);
    return SILKD_HANDLED_RESPONSE;
}

/* ---- the loop ------------------------------------------------------------------------------ */

static void on_handle_closed(uv_handle_t *h)
{
    (void)h;
}

static void check_done(silkd_worker_t *w)
{
    if (!w->stopping || w->nconns > 0 || w->closed)
        return;
    /* Every connection is gone: close the loop's own handles, and uv_run returns. */
    w->closed = 1;
    uv_close((uv_handle_t *)&w->async, on_handle_closed);
    uv_close((uv_handle_t *)&w->stop_timer, on_handle_closed);
}

void silkd_worker_conn_added(silkd_worker_t *w, silkd_conn_t *c)
{
    c->prev = NULL;
    c->next = w->conns;
    if (w->conns)
        w->conns->prev = c;
    w->conns = c;
    w->nconns++;
    if (w->nconns > w->peak_conns)
        w->peak_conns = w->nconns;
}

void silkd_worker_conn_freed(silkd_worker_t *w, silkd_conn_t *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        w->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    w->nconns--;
    atomic_fetch_sub(&w->srv->connections, 1);
    /* After a burst of connections has mostly gone, give the freed memory (read buffers and
     * handles, fragmented in this thread's malloc arena) back to the system, so a daemon
     * that runs for months returns to its idle size. Rare: only once per burst of 64+. */
    if (w->peak_conns >= 64 && w->nconns * 4 < w->peak_conns) {
        malloc_trim(0);
        w->peak_conns = w->nconns;
    }
    check_done(w);
}

static void on_stop_timer(uv_timer_t *t)
{
    silkd_worker_t *w = t->data;
    if (w->nconns)
        silkd_log(SILKD_LOG_WARN, "worker %u: closing %u connections still busy at shutdown",
                  w->index, w->nconns);
    for (silkd_conn_t *c = w->conns; c; c = c->next)
        silkd_conn_close(c);
}

static void deliver(silkd_worker_t *w, inbox_item_t *it)
{
    silkd_conn_t *c = it->conn;
    if (!c->closing) {
        silk_status_t rc;
        if (it->ok) {
            rc = silk_proto_encode_ok(&c->out, it->id, it->id_len, it->text, strlen(it->text));
        } else {
            rc = silk_proto_encode_error(&c->out, it->id, it->id_len, it->code, it->text, -1);
            count(&w->counters.errors[it->code]);
        }
        if (rc != SILK_OK) {
            silkd_conn_close(c);
        }
    }
    silkd_conn_resume(c);
}

static void on_async(uv_async_t *a)
{
    silkd_worker_t *w = a->data;
    uv_mutex_lock(&w->lock);
    inbox_item_t *it = w->head;
    w->head = w->tail = NULL;
    int stop = w->stop_requested;
    uv_mutex_unlock(&w->lock);

    while (it) {
        inbox_item_t *next = it->next;
        if (it->fd >= 0) {
            if (w->stopping) {
                close(it->fd);
                atomic_fetch_sub(&w->srv->connections, 1);
            } else {
                silkd_conn_open(w, &w->loop, w->srv->cfg, it->fd, it->is_tcp);
            }
        } else {
            deliver(w, it);
        }
        free(it);
        it = next;
    }
    if (stop && !w->stopping) {
        w->stopping = 1;
        for (silkd_conn_t *c = w->conns; c; c = c->next)
            silkd_conn_drain(c);
        uv_timer_start(&w->stop_timer, on_stop_timer, w->srv->cfg->drain_max_ms, 0);
        check_done(w);
    }
}

static void push(silkd_worker_t *w, inbox_item_t *it)
{
    it->next = NULL;
    uv_mutex_lock(&w->lock);
    if (w->tail)
        w->tail->next = it;
    else
        w->head = it;
    w->tail = it;
    uv_mutex_unlock(&w->lock);
    uv_async_send(&w->async);
}

void silkd_worker_add_fd(silkd_worker_t *w, int fd, int is_tcp)
{
    inbox_item_t *it = calloc(1, sizeof *it);
    if (!it) {
        close(fd);
        atomic_fetch_sub(&w->srv->connections, 1);
        return;
    }
    it->fd = fd;
    it->is_tcp = is_tcp;
    push(w, it);
}

void silkd_worker_reply(silkd_worker_t *w, silkd_conn_t *c, const char *id, size_t id_len, int ok,
                        silk_proto_code_t code, const char *text)
{
    size_t tl = text ? strlen(text) : 0;
    inbox_item_t *it = calloc(1, sizeof *it + tl + 1);
    if (!it) {
        /* Without the answer the connection would wait forever; this cannot be dropped.
         * A tiny allocation failing means the process is done for anyway. */
        silkd_log(SILKD_LOG_ERROR, "out of memory delivering a reindex answer");
        abort();
    }
    it->fd = -1;
    it->conn = c;
    it->ok = ok;
    it->code = code;
    if (id_len >= sizeof it->id)
        id_len = 0;
    memcpy(it->id, id, id_len);
    it->id_len = id_len;
    if (tl)
        memcpy(it->text, text, tl);
    it->text[tl] = '\0';
    push(w, it);
}

void silkd_worker_stop(silkd_worker_t *w)
{
    uv_mutex_lock(&w->lock);
    w->stop_requested = 1;
    uv_mutex_unlock(&w->lock);
    uv_async_send(&w->async);
}

static void thread_main(void *arg)
{
    silkd_worker_t *w = arg;
    uv_run(&w->loop, UV_RUN_DEFAULT);
    silkd_log(SILKD_LOG_DEBUG, "worker %u: finished", w->index);
    atomic_fetch_add(&w->srv->workers_done, 1);
    uv_async_send(w->srv->main_wake);
}

silk_status_t silkd_worker_start(silkd_server_t *srv, unsigned index, silkd_worker_t **out)
{
    *out = NULL;
    silkd_worker_t *w = calloc(1, sizeof *w);
    if (!w)
        return SILK_ERR_NOMEM;
    w->srv = srv;
    w->index = index;
    w->gen = atomic_load(&srv->generation);
    silk_searcher_opts_t so = {0};
    so.db_opts = srv->cfg->db_opts; /* remote shards' timeouts */
    silk_status_t rc = silk_searcher_new(srv->cfg->index_path, &so, &w->searcher);
    if (rc != SILK_OK) {
        free(w);
        return rc;
    }
    if (uv_loop_init(&w->loop) != 0) {
        silk_searcher_destroy(w->searcher);
        free(w);
        return SILK_ERR_INTERNAL;
    }
    uv_mutex_init(&w->lock);
    uv_async_init(&w->loop, &w->async, on_async);
    w->async.data = w;
    uv_timer_init(&w->loop, &w->stop_timer);
    w->stop_timer.data = w;
    uv_unref((uv_handle_t *)&w->stop_timer);
    if (uv_thread_create(&w->thread, thread_main, w) != 0) {
        uv_close((uv_handle_t *)&w->async, NULL);
        uv_close((uv_handle_t *)&w->stop_timer, NULL);
        uv_run(&w->loop, UV_RUN_DEFAULT);
        uv_loop_close(&w->loop);
        uv_mutex_destroy(&w->lock);
        silk_searcher_destroy(w->searcher);
        free(w);
        return SILK_ERR_INTERNAL;
    }
    *out = w;
    return SILK_OK;
}

void silkd_worker_join(silkd_worker_t *w)
{
    if (!w)
        return;
    uv_thread_join(&w->thread);
    uv_loop_close(&w->loop);
    uv_mutex_destroy(&w->lock);
    silk_searcher_destroy(w->searcher);
    silk_proto_buf_free(&w->scratch);
    /* Items that arrived after the loop closed (none when shutdown is orderly). */
    for (inbox_item_t *it = w->head, *next; it; it = next) {
        next = it->next;
        if (it->fd >= 0)
            close(it->fd);
        free(it);
    }
    free(w);
}
