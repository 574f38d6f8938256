/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include "worker.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <malloc.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "http.h"
#include "log.h"
#include "page.h"
#include "silk/docview.h"
#include "token.h"
#include "silk/search.h"

typedef struct peer peer_t;

typedef struct inbox_item {
    struct inbox_item *next;    /* FIFO link */
    int fd;                     /* an accepted socket, or -1 for a reply */
    int is_tcp;                 /* fd is TCP (set TCP_NODELAY) */
    peer_t *peer;               /* reply: the connection that asked */
    int ok;                     /* reply: success */
    silk_proto_code_t code;     /* reply: the error code when !ok */
    size_t id_len;              /* reply: length of id */
    char id[SILK_PROTO_ID_MAX]; /* reply: the request's id */
    char text[];                /* reply: members text when ok, else the message */
} inbox_item_t;

/* The worker's record of one of its connections (the connection's owner pointer). */
struct peer {
    silkd_worker_t *w;      /* owner */
    silkd_conn_t *conn;     /* the connection */
    peer_t *prev, *next;    /* the worker's list */
    int need_auth;          /* TCP: the first line must be {"op":"auth","token":...} */
    unsigned http;          /* HTTP: SILKD_HTTP_* flags of the response owed (HEAD, close) */
    silkd_http_site_t site; /* HTTP: where the connection arrived */
    char local_addr[INET6_ADDRSTRLEN]; /* TCP: the local address, as text */
};

struct silkd_worker {
    silkd_server_t *srv;        /* shared state */
    const silkd_config_t *cfg;  /* its configuration */
    silkd_reindex_t *reindex;   /* where reindex requests go */
    unsigned index;             /* 0-based, for logs and the counters' slot */
    uv_thread_t thread;         /* runs loop */
    uv_loop_t loop;             /* this worker's loop */
    uv_async_t async;           /* wakes the loop when the inbox has items */
    uv_timer_t stop_timer;      /* on shutdown: closes connections that outstay drain_max_ms */
    uv_mutex_t lock;            /* guards the inbox and stop_requested */
    inbox_item_t *head, *tail;  /* the inbox */
    int stop_requested;         /* set by silkd_worker_stop */
    int stopping;               /* the loop acted on stop_requested */
    int closed;                 /* the loop's own handles are closing */
    peer_t *peers;              /* open connections */
    unsigned nconns;            /* how many */
    unsigned peak_conns;        /* most connections open since memory was last trimmed */
    silk_searcher_t *searcher;  /* this thread's reader */
    uint64_t gen;               /* generation the searcher was last reopened at */
    uint64_t fresh;             /* silkd_server_fresh() the searcher was opened at */
    silk_request_t req;         /* decoded request, reused (it is large) */
    silk_proto_buf_t answer;    /* the answer being encoded, reused */
    silk_proto_buf_t scratch;   /* stats text, reused */
    silk_buf_t wrapped;         /* HTTP: the response around the answer, reused */
    silk_buf_t hline;           /* HTTP: the request line an HTTP request became, reused */
    char listen_host[256];      /* the HOST of --listen, for HTTP's Host check */
    silkd_totals_t totals;      /* stats sums, reused (too large for a stack frame) */
    silkd_counters_t *counters; /* this worker's counters (in srv) */
    silkd_conn_limits_t limits; /* of every connection */
};

/* ---- requests ------------------------------------------------------------------------------ */

/* Replaces the searcher by one opened afresh from the path. The new one is opened first, so
 * that when it fails the worker keeps serving what it had. */
static int open_fresh(silkd_worker_t *w, const char *why)
{
    silk_searcher_opts_t so = {0};
    so.db_opts = w->cfg->db_opts;
    so.rank = &w->cfg->rank;
    silk_searcher_t *s = NULL;
    int changed = 0;
    silk_status_t rc = silk_searcher_new(w->cfg->index_path, &so, &s);
    if (rc == SILK_OK)
        rc = silk_searcher_reopen(s, &changed);
    if (rc != SILK_OK && s && silk_searcher_refused(s)) {
        /* Refused (no longer trusted): stop serving the old one too; the new searcher
         * answers every search with the reason until the path is trusted again. */
        silkd_log(SILKD_LOG_WARN, "worker %u: refusing the index (%s): %s", w->index, why,
                  silk_searcher_error(s));
        silk_searcher_destroy(w->searcher);
        w->searcher = s;
        return 0;
    }
    if (rc != SILK_OK) {
        silkd_log(SILKD_LOG_WARN, "worker %u: cannot open the index afresh (%s): %s", w->index, why,
                  s ? silk_searcher_error(s) : silk_status_to_string(rc));
        silk_searcher_destroy(s);
        return 0;
    }
    silk_searcher_destroy(w->searcher);
    w->searcher = s;
    silkd_server_count_fresh_open(w->srv);
    silkd_log(SILKD_LOG_INFO, "worker %u: opened the index afresh (%s)", w->index, why);
    return 1;
}

/* Reopens the searcher when the main loop moved the generation; opens it afresh when
 * SIGHUP asked for that. */
static void refresh(silkd_worker_t *w)
{
    uint64_t g = silkd_server_generation(w->srv);
    if (g == w->gen)
        return;
    uint64_t f = silkd_server_fresh(w->srv);
    if (f != w->fresh) {
        w->fresh = f;
        w->gen = g;
        open_fresh(w, "SIGHUP");
        return;
    }
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
        .time_limit_ms = (uint32_t)w->cfg->query_time_limit_ms,
        .no_typos = req->no_typos,
        .facets = req->facets,
        .rank = req->rank.set ? &req->rank : NULL,
    };
    const silk_result_t *res = NULL;
    silk_status_t rc = silk_search(w->searcher, &sr, &res);
    /* A damaged read is often an index whose files were replaced under the open handle (a
     * restore, a copy over it): open it afresh and retry, a bounded number of times, rather
     * than answer internal until a restart. */
    /* Xapian reports a table read past its end ("EOF reading block") as a plain
     * DatabaseError, which arrives as internal: that gets one fresh try. */
    for (int tries = 0;
         (rc == SILK_ERR_CORRUPT && tries < 2) || (rc == SILK_ERR_INTERNAL && !tries); tries++) {
        if (!open_fresh(w, "the index read as damaged"))
            break;
        rc = silk_search(w->searcher, &sr, &res);
    }
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
                 w->cfg->index_path);
        return answer_error(out, req, SILK_PROTO_UNAVAILABLE, buf, -1);
    case SILK_ERR_NETWORK:
        return answer_error(out, req, SILK_PROTO_UNAVAILABLE, msg, -1);
    case SILK_ERR_IO: /* the index cannot be opened (refused as untrusted, unreadable) */
        if (!silk_searcher_refused(w->searcher)) /* a refusal is logged where it is decided */
            silkd_log(SILKD_LOG_WARN, "search failed: %s", msg);
        return answer_error(out, req, SILK_PROTO_UNAVAILABLE, msg, -1);
    default:
        silkd_log(SILKD_LOG_WARN, "search failed: %s", msg);
        return answer_error(out, req, SILK_PROTO_INTERNAL, msg, -1);
    }
}

/* {"op":"doc"}: one document by id, with its cites and cited_by. */
static silk_proto_code_t do_doc(silkd_worker_t *w, const silk_request_t *req, silk_proto_buf_t *out)
{
    refresh(w);
    silk_docview_t *v = NULL;
    silk_status_t rc = silk_docview_open(w->searcher, req->doc, req->doc_len, &v);
    /* The same fresh tries as a search, for an index whose files were replaced. */
    for (int tries = 0;
         (rc == SILK_ERR_CORRUPT && tries < 2) || (rc == SILK_ERR_INTERNAL && !tries); tries++) {
        if (!open_fresh(w, "the index read as damaged"))
            break;
        rc = silk_docview_open(w->searcher, req->doc, req->doc_len, &v);
    }
    char buf[SILK_PROTO_MSG_MAX + 64];
    silk_proto_code_t code = SILK_PROTO_OK;
    if (rc == SILK_OK) {
        if (silk_proto_encode_doc(out, req->id, req->id_len, v) != SILK_OK)
            code = answer_error(out, req, SILK_PROTO_INTERNAL, "out of memory", -1);
        silk_docview_destroy(v);
        return code;
    }
    const char *msg = silk_searcher_error(w->searcher);
    if (!msg || !*msg)
        msg = silk_status_to_string(rc);
    switch (rc) {
    case SILK_ERR_NOT_FOUND:
        if (!silk_searcher_has_index(w->searcher)) {
            snprintf(buf, sizeof buf,
                     "no index at %s yet: run silk-index, or send {\"op\":\"reindex\"}",
                     w->cfg->index_path);
            return answer_error(out, req, SILK_PROTO_UNAVAILABLE, buf, -1);
        }
        snprintf(buf, sizeof buf, "no document has the id \"%.200s\"", req->doc);
        return answer_error(out, req, SILK_PROTO_NOT_FOUND, buf, -1);
    case SILK_ERR_NETWORK:
        return answer_error(out, req, SILK_PROTO_UNAVAILABLE, msg, -1);
    case SILK_ERR_CORRUPT:
        snprintf(buf, sizeof buf,
                 "the stored data of \"%.200s\" (or of a document it links) is damaged", req->doc);
        silkd_log(SILKD_LOG_WARN, "doc: %s", buf);
        return answer_error(out, req, SILK_PROTO_INTERNAL, buf, -1);
    default:
        silkd_log(SILKD_LOG_WARN, "doc failed: %s", msg);
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
    const silkd_config_t *cfg = w->cfg;
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
    json_object_set_new(o, "index_path", json_string(cfg->index_path));
    json_object_set_new(o, "corpus_path", json_string(cfg->corpus_path));
    double up = (double)silkd_server_uptime_ns(srv) / 1e9;
    json_object_set_new(o, "uptime_s", json_real(round(up * 10) / 10));
    add_u64(o, "threads", cfg->threads);
    add_u64(o, "generation", silkd_server_generation(srv));
    add_u64(o, "fresh_opens", silkd_server_fresh_opens(srv));

    json_t *conns = json_object();
    add_u64(conns, "current", silkd_server_conns_open(srv));
    add_u64(conns, "total", silkd_server_conns_total(srv));
    add_u64(conns, "rejected", silkd_server_conns_rejected(srv));
    add_u64(conns, "max", cfg->max_connections);
    json_object_set_new(o, "connections", conns);
    json_t *output = json_object();
    add_u64(output, "queued", atomic_load(silkd_server_output(srv)));
    add_u64(output, "max", cfg->max_output_total);
    json_object_set_new(o, "output", output);

    silkd_totals_t *t = &w->totals;
    silkd_server_totals(srv, t);
    add_u64(o, "requests", t->requests);
    add_u64(o, "queries", t->queries);
    json_t *errs = json_object();
    for (unsigned c = 1; c < SILK_PROTO_NCODES; c++)
        add_u64(errs, silk_proto_code_name((silk_proto_code_t)c), t->errors[c]);
    json_object_set_new(o, "errors", errs);

    json_t *lat = json_object();
    static const struct {
        const char *name;
        double q;
    } pct[] = {{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}, {"p999", 0.999}};
    for (size_t p = 0; p < sizeof pct / sizeof pct[0]; p++) {
        double v = silkd_totals_quantile(t, pct[p].q) / 1000.0;
        json_object_set_new(lat, pct[p].name, json_real(round(v * 10) / 10));
    }
    json_object_set_new(o, "latency_us", lat);

    char *rtext = silkd_server_reindex(srv);
    json_t *rx = rtext ? json_loads(rtext, 0, NULL) : NULL;
    free(rtext);
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

static void reply(void *owner, void *tag, const char *id, size_t id_len, int ok,
                  silk_proto_code_t code, const char *text);

/* Hands the encoded answer to the connection. One over an output bound is replaced by a
 * short error answer with the same id (too_large: this answer can never fit; overloaded:
 * the daemon holds too many unsent answers now), so the client's sequence of answers has
 * no gap and the connection stays usable. An answer that could not be encoded (out of
 * memory) would leave a gap: close instead. Returns the code the client got. */
/* Queues the answer in w->answer: as it is, or on an HTTP connection wrapped as the
 * response with the status of its code. */
static silkd_queue_t queue_answer(silkd_worker_t *w, silkd_conn_t *c, const peer_t *peer,
                                  silk_proto_code_t code)
{
    silk_proto_buf_t *out = &w->answer;
    if (!silkd_conn_is_http(c))
        return silkd_conn_queue(c, out->data, out->len);
    silk_buf_t *h = &w->wrapped;
    h->len = 0;
    if (silkd_http_respond(h, silkd_http_status_of(silk_proto_code_name(code)), SILKD_HTTP_JSON,
                           out->data, out->len, peer->http, NULL) != SILK_OK)
        return SILKD_QUEUE_CLOSED;
    silkd_queue_t q = silkd_conn_queue(c, h->data, h->len);
    if (h->cap > 256 * 1024)
        silk_buf_free(h);
    return q;
}

static silk_proto_code_t send_answer(silkd_worker_t *w, silkd_conn_t *c, const peer_t *peer,
                                     const char *id, size_t id_len, silk_proto_code_t code)
{
    silk_proto_buf_t *out = &w->answer;
    silkd_queue_t q = out->len ? queue_answer(w, c, peer, code) : SILKD_QUEUE_CLOSED;
    if (out->len == 0)
        silkd_conn_close(c);
    if (q == SILKD_QUEUE_TOO_LARGE || q == SILKD_QUEUE_FULL) {
        char msg[160];
        size_t len = out->len;
        if (q == SILKD_QUEUE_TOO_LARGE) {
            code = SILK_PROTO_TOO_LARGE;
            snprintf(msg, sizeof msg,
                     "the answer is %zu bytes, over the bound of %zu (--max-output): ask for "
                     "fewer hits or fields",
                     len, w->cfg->max_output);
        } else {
            code = SILK_PROTO_OVERLOADED;
            snprintf(msg, sizeof msg,
                     "the daemon holds %zu bytes of unsent answers (bound %zu, "
                     "--max-output-total); try again later",
                     (size_t)atomic_load(silkd_server_output(w->srv)), w->cfg->max_output_total);
        }
        out->len = 0;
        if (silk_proto_encode_error(out, id, id_len, code, msg, -1) != SILK_OK ||
            queue_answer(w, c, peer, code) != SILKD_QUEUED)
            silkd_conn_close(c);
    }
    out->len = 0;
    return code;
}

/* The first line of a TCP connection: {"op":"auth","token":T} with the daemon's token is
 * answered {"ok":true}; anything else gets one unauthorized error, and the connection closes
 * without reading further. */
static silkd_line_t check_auth(silkd_worker_t *w, silkd_conn_t *c, peer_t *peer, const char *line,
                               size_t len)
{
    json_t *j = json_loadb(line, len, 0, NULL);
    const char *op = json_string_value(json_object_get(j, "op"));
    json_t *tok = json_object_get(j, "token");
    int ok = op && strcmp(op, "auth") == 0 && json_is_string(tok) &&
             silkd_token_equal(w->cfg->token, json_string_value(tok), json_string_length(tok));
    json_decref(j);
    silk_proto_buf_t *out = &w->answer;
    out->len = 0;
    silkd_count(&w->counters->requests);
    if (ok) {
        peer->need_auth = 0;
        if (silk_proto_encode_ok(out, NULL, 0, "", 0) != SILK_OK ||
            silkd_conn_queue(c, out->data, out->len) != SILKD_QUEUED)
            silkd_conn_close(c);
        out->len = 0;
        return SILKD_LINE_DONE;
    }
    silkd_count(&w->counters->errors[SILK_PROTO_BAD_REQUEST]);
    silkd_log(SILKD_LOG_INFO, "closing a TCP connection that did not authenticate");
    if (silk_proto_encode_error(out, NULL, 0, SILK_PROTO_BAD_REQUEST,
                                "unauthorized: a TCP connection must first send "
                                "{\"op\":\"auth\",\"token\":\"...\"} with the daemon's token",
                                -1) == SILK_OK)
        silkd_conn_queue(c, out->data, out->len);
    out->len = 0;
    silkd_conn_refuse(c);
    return SILKD_LINE_DONE;
}

/* Answers one request line of the JSON protocol (from the connection, or what an HTTP
 * request became), on the loop that owns the connection. */
static silkd_line_t answer_line(silkd_worker_t *w, silkd_conn_t *c, peer_t *peer, const char *line,
                                size_t len)
{
    uint64_t t0 = uv_hrtime();
    silk_request_t *req = &w->req;
    silk_proto_buf_t *out = &w->answer;
    silk_proto_code_t code = SILK_PROTO_OK;
    out->len = 0;
    if (silk_proto_decode(line, len, req) != SILK_OK) {
        code = answer_error(out, req, req->code, req->message, req->position);
    } else {
        switch (req->op) {
        case SILK_REQ_NONE:
            return SILKD_LINE_DONE;
        case SILK_REQ_PING:
            silk_proto_encode_ok(out, req->id, req->id_len, ",\"pong\":true", 12);
            break;
        case SILK_REQ_SEARCH:
            code = do_search(w, req, out);
            silkd_count(&w->counters->queries);
            break;
        case SILK_REQ_STATS:
            code = do_stats(w, req, out);
            break;
        case SILK_REQ_DOC:
            code = do_doc(w, req, out);
            break;
        case SILK_REQ_REINDEX: {
            silk_status_t rc =
                silkd_reindex_request(w->reindex, reply, w, peer, req->id, req->id_len);
            if (rc == SILK_OK) {
                silkd_count(&w->counters->requests);
                return SILKD_LINE_HOLD;
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
    code = send_answer(w, c, peer, req->id, req->id_len, code);
    silkd_count(&w->counters->requests);
    if (code != SILK_PROTO_OK)
        silkd_count(&w->counters->errors[code]);
    silkd_count(&w->counters->hist[silkd_hist_bucket(uv_hrtime() - t0)]);
    return SILKD_LINE_DONE;
}

/* conn's on_line: a TCP connection's first line authenticates; the others are requests. */
static silkd_line_t on_line(silkd_conn_t *c, void *data, const char *line, size_t len)
{
    peer_t *peer = data;
    if (peer->need_auth)
        return check_auth(peer->w, c, peer, line, len);
    return answer_line(peer->w, c, peer, line, len);
}

/* An HTTP refusal, or the page: one response with no request line behind it. */
static void http_direct(silkd_worker_t *w, silkd_conn_t *c, peer_t *peer, int status,
                        const char *ctype, const char *body, size_t len, const char *allow)
{
    silk_buf_t *h = &w->wrapped;
    h->len = 0;
    if (silkd_http_respond(h, status, ctype, body, len, peer->http, allow) != SILK_OK ||
        silkd_conn_queue(c, h->data, h->len) == SILKD_QUEUE_CLOSED)
        silkd_conn_close(c);
}

/* conn's on_http: checks and routes the request; what is not refused and is not the page
 * becomes one request line, answered as the JSON protocol answers it, in an HTTP
 * response. The token replaces the first-line auth of NDJSON: every TCP request carries it. */
static silkd_line_t on_http(silkd_conn_t *c, void *data, const silkd_http_req_t *req)
{
    peer_t *peer = data;
    silkd_worker_t *w = peer->w;
    peer->need_auth = 0;
    peer->http = (req->method == SILKD_HTTP_HEAD ? SILKD_HTTP_HEAD_ONLY : 0) |
                 (!req->keep_alive || req->status ? SILKD_HTTP_CLOSE
                  : req->http_minor == 0          ? SILKD_HTTP_10_KEEP
                                                  : 0);
    silkd_http_fail_t fail;
    silkd_route_t r = silkd_http_route(req, &peer->site, &w->hline, &fail);
    if (r == SILKD_ROUTE_LINE) {
        if (answer_line(w, c, peer, w->hline.data, w->hline.len) == SILKD_LINE_HOLD)
            return SILKD_LINE_HOLD; /* deliver() answers, then closes if it must */
    } else if (r == SILKD_ROUTE_PAGE) {
        silkd_count(&w->counters->requests);
        peer->http |= SILKD_HTTP_PAGE;
        http_direct(w, c, peer, 200, SILKD_HTTP_HTML, silkd_page, (size_t)silkd_page_size, NULL);
    } else {
        silk_proto_code_t code = silk_proto_code_parse(fail.code);
        if (code == SILK_PROTO_INTERNAL && strcmp(fail.code, "internal") != 0)
            code = SILK_PROTO_BAD_REQUEST; /* a code the JSON protocol does not have */
        silkd_count(&w->counters->requests);
        silkd_count(&w->counters->errors[code]);
        silk_proto_buf_t *out = &w->answer;
        out->len = 0;
        if (silkd_http_fail_body(out, &fail) != SILK_OK)
            silkd_conn_close(c);
        else
            http_direct(w, c, peer, fail.status, SILKD_HTTP_JSON, out->data, out->len, fail.allow);
        out->len = 0;
    }
    if (peer->http & SILKD_HTTP_CLOSE)
        silkd_conn_refuse(c);
    return SILKD_LINE_DONE;
}

/* conn's on_error: a line over the bound gets one too_large answer before the close. */
static void on_error(silkd_conn_t *c, void *data, silkd_conn_error_t err)
{
    peer_t *peer = data;
    silkd_worker_t *w = peer->w;
    if (err != SILKD_CONN_TOO_LARGE)
        return;
    char msg[96];
    snprintf(msg, sizeof msg, "request line longer than %zu bytes; closing", w->cfg->max_line);
    w->answer.len = 0;
    if (silk_proto_encode_error(&w->answer, NULL, 0, SILK_PROTO_TOO_LARGE, msg, -1) == SILK_OK)
        silkd_conn_queue(c, w->answer.data, w->answer.len);
    w->answer.len = 0;
    silkd_count(&w->counters->errors[SILK_PROTO_TOO_LARGE]);
    silkd_count(&w->counters->requests);
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

/* conn's on_close: the connection is gone. */
static void on_close(silkd_conn_t *c, void *data)
{
    peer_t *peer = data;
    silkd_worker_t *w = peer->w;
    (void)c;
    if (peer->prev)
        peer->prev->next = peer->next;
    else
        w->peers = peer->next;
    if (peer->next)
        peer->next->prev = peer->prev;
    free(peer);
    w->nconns--;
    silkd_server_conn_closed(w->srv);
    /* After a burst of connections has mostly gone, give the freed memory (read buffers and
     * handles, fragmented in this thread's malloc arena) back to the system, so a daemon
     * that runs for months returns to its idle size. Rare: only once per burst of 64+. */
    if (w->peak_conns >= 64 && w->nconns * 4 < w->peak_conns) {
        malloc_trim(0);
        w->peak_conns = w->nconns;
    }
    check_done(w);
}

/* An admitted socket that will not be served after all. */
static void drop_fd(silkd_worker_t *w, int fd)
{
    close(fd);
    silkd_server_conn_closed(w->srv);
}

static void open_conn(silkd_worker_t *w, int fd, int is_tcp)
{
    static const silkd_conn_cbs_t cbs = {on_line, on_error, on_close, on_http};
    peer_t *peer = calloc(1, sizeof *peer);
    if (!peer) {
        drop_fd(w, fd);
        return;
    }
    peer->w = w;
    peer->need_auth = is_tcp;
    peer->site.is_tcp = is_tcp;
    if (is_tcp) {
        /* HTTP's Host check needs the address and port this connection arrived at (the
         * listener may come from --listen or from socket activation). */
        struct sockaddr_storage sa;
        socklen_t sl = sizeof sa;
        peer->site.token = w->cfg->token;
        peer->site.listen_host = w->listen_host;
        if (getsockname(fd, (struct sockaddr *)&sa, &sl) == 0) {
            if (sa.ss_family == AF_INET) {
                struct sockaddr_in *in = (struct sockaddr_in *)&sa;
                peer->site.port = ntohs(in->sin_port);
                inet_ntop(AF_INET, &in->sin_addr, peer->local_addr, sizeof peer->local_addr);
            } else if (sa.ss_family == AF_INET6) {
                struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&sa;
                peer->site.port = ntohs(in6->sin6_port);
                inet_ntop(AF_INET6, &in6->sin6_addr, peer->local_addr, sizeof peer->local_addr);
            }
            peer->site.local_addr = peer->local_addr;
        }
    }
    /* Listed before the open: the open already reads, and may close the connection. */
    peer->next = w->peers;
    if (w->peers)
        w->peers->prev = peer;
    w->peers = peer;
    w->nconns++;
    if (w->nconns > w->peak_conns)
        w->peak_conns = w->nconns;
    if (silkd_conn_open(&w->loop, fd, is_tcp, &w->limits, &cbs, peer, &peer->conn) != SILK_OK)
        on_close(NULL, peer); /* the connection never was: undo the listing */
}

static void on_stop_timer(uv_timer_t *t)
{
    silkd_worker_t *w = t->data;
    if (w->nconns)
        silkd_log(SILKD_LOG_WARN, "worker %u: closing %u connections still busy at shutdown",
                  w->index, w->nconns);
    for (peer_t *p = w->peers; p; p = p->next)
        silkd_conn_close(p->conn);
}

/* A reindex answer for a held line of one of this worker's connections. */
static void deliver(silkd_worker_t *w, inbox_item_t *it)
{
    silkd_conn_t *c = it->peer->conn;
    if (!silkd_conn_is_closing(c)) {
        silk_status_t rc;
        silk_proto_code_t code = it->ok ? SILK_PROTO_OK : it->code;
        w->answer.len = 0;
        if (it->ok)
            rc = silk_proto_encode_ok(&w->answer, it->id, it->id_len, it->text, strlen(it->text));
        else
            rc = silk_proto_encode_error(&w->answer, it->id, it->id_len, it->code, it->text, -1);
        if (rc != SILK_OK)
            w->answer.len = 0; /* send_answer closes: an answer is lost */
        code = send_answer(w, c, it->peer, it->id, it->id_len, code);
        if (code != SILK_PROTO_OK)
            silkd_count(&w->counters->errors[code]);
        if (silkd_conn_is_http(c) && (it->peer->http & SILKD_HTTP_CLOSE))
            silkd_conn_refuse(c);
    }
    silkd_conn_release(c);
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
            if (w->stopping)
                drop_fd(w, it->fd);
            else
                open_conn(w, it->fd, it->is_tcp);
        } else {
            deliver(w, it);
        }
        free(it);
        it = next;
    }
    if (stop && !w->stopping) {
        w->stopping = 1;
        for (peer_t *p = w->peers; p; p = p->next)
            silkd_conn_drain(p->conn);
        uv_timer_start(&w->stop_timer, on_stop_timer, w->cfg->drain_max_ms, 0);
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
        drop_fd(w, fd);
        return;
    }
    it->fd = fd;
    it->is_tcp = is_tcp;
    push(w, it);
}

/* reindex's answer callback (on the main loop): copies the answer into this worker's
 * inbox; deliver() hands it to the connection on the worker's own thread. */
static void reply(void *owner, void *tag, const char *id, size_t id_len, int ok,
                  silk_proto_code_t code, const char *text)
{
    silkd_worker_t *w = owner;
    size_t tl = text ? strlen(text) : 0;
    inbox_item_t *it = calloc(1, sizeof *it + tl + 1);
    if (!it) {
        /* Without the answer the connection would wait forever; this cannot be dropped.
         * A tiny allocation failing means the process is done for anyway. */
        silkd_log(SILKD_LOG_ERROR, "out of memory delivering a reindex answer");
        abort();
    }
    it->fd = -1;
    it->peer = tag;
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
    silkd_server_worker_done(w->srv);
}

/* The HOST of --listen HOST:PORT ("" for :PORT or PORT alone), brackets removed. */
static void listen_host(const char *spec, char *out, size_t size)
{
    out[0] = '\0';
    const char *colon = spec ? strrchr(spec, ':') : NULL;
    if (!colon || colon == spec)
        return;
    size_t n = (size_t)(colon - spec);
    if (n >= 2 && spec[0] == '[' && spec[n - 1] == ']') {
        spec++;
        n -= 2;
    }
    if (n < size) {
        memcpy(out, spec, n);
        out[n] = '\0';
    }
}

silk_status_t silkd_worker_start(silkd_server_t *srv, silkd_reindex_t *rx, unsigned index,
                                 silkd_worker_t **out)
{
    *out = NULL;
    silkd_worker_t *w = calloc(1, sizeof *w);
    if (!w)
        return SILK_ERR_NOMEM;
    const silkd_config_t *cfg = silkd_server_config(srv);
    w->srv = srv;
    w->cfg = cfg;
    w->reindex = rx;
    w->index = index;
    w->counters = silkd_server_counters(srv, index);
    w->limits = (silkd_conn_limits_t){
        .max_line = cfg->max_line,
        .max_inflight = cfg->max_inflight,
        .max_output = cfg->max_output,
        .total = silkd_server_output(srv),
        .max_total = cfg->max_output_total,
        .idle_ms = cfg->idle_ms,
        .drain_ms = cfg->drain_ms,
    };
    w->gen = silkd_server_generation(srv);
    w->fresh = silkd_server_fresh(srv);
    listen_host(cfg->listen, w->listen_host, sizeof w->listen_host);
    silk_searcher_opts_t so = {0};
    so.db_opts = cfg->db_opts; /* remote shards' timeouts */
    so.rank = &cfg->rank;      /* the defaults of the file's [ranking] */
    silk_status_t rc = silk_searcher_new(cfg->index_path, &so, &w->searcher);
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
    silk_proto_buf_free(&w->answer);
    silk_proto_buf_free(&w->scratch);
    silk_buf_free(&w->wrapped);
    silk_buf_free(&w->hline);
    /* Items that arrived after the loop closed (none when shutdown is orderly). */
    for (inbox_item_t *it = w->head, *next; it; it = next) {
        next = it->next;
        if (it->fd >= 0)
            close(it->fd);
        free(it);
    }
    free(w);
}
