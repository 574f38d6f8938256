/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — the request window (client/run.h).
 *
 * Requests go out as long as fewer than WINDOW_REQUESTS (and WINDOW_BYTES) are waiting;
 * answers come back in request order and each is printed in its turn. A request that
 * cannot be sent (too long, say) takes its place in the window as a local error, so that
 * batch output stays in input order. One poll(2) loop waits on the socket and stdin. */
#include "run.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "print.h"
#include "silk/buf.h"
#include "silk/proto_client.h"
#include "silk/utf8.h"

/* Bounds of the client's own buffers and waits. */
#define MAX_QUERY_BYTES    SILK_PROTO_LINE_MAX  /* a longer batch line makes no request */
#define MAX_RESPONSE_BYTES (256u * 1024 * 1024) /* one answer line; more is a protocol error */
#define READ_CHUNK         65536                /* room made before each read */
#define WINDOW_REQUESTS    32                   /* pipelined requests in flight at most */
#define WINDOW_BYTES       (128 * 1024)         /* request bytes in flight at most */
#define ANSWER_TIMEOUT_MS  30000                /* silence from silkd longer than this fails */

/* A request sent (or refused before sending) and waiting for its turn to be printed. */
typedef struct pending {
    char *query;          /* query text (owned), NULL for ping/stats/reindex */
    long line;            /* input line in batch mode, 0 otherwise */
    char *local_err;      /* set when the request was never sent; printed in its turn (owned) */
    size_t bytes;         /* bytes of the request line, for the in-flight window */
    long long id;         /* request id */
    struct timespec sent; /* when it was written, for --ping's round trip */
} pending_t;

/* The state of one run: the connection, what is in flight, what was found. */
typedef struct run {
    const silk_cli_opts_t *opt;   /* what the user asked for */
    const char *sock_path;        /* the socket we talk to */
    int fd;                       /* connected socket */
    pending_t q[WINDOW_REQUESTS]; /* ring of requests in flight, oldest first */
    size_t q_head, q_count;       /* ring position and size */
    size_t inflight_bytes;        /* bytes of requests in the ring */
    long long next_id;            /* id of the next request */
    silk_buf_t in;                /* bytes read from stdin (batch mode) */
    bool in_eof;                  /* stdin reached its end */
    bool in_discard;              /* skipping the rest of an overlong line */
    long in_line;                 /* lines of stdin consumed */
    bool single_sent;             /* the one request of a non-batch run went out */
    int ids_sent;                 /* show: the ids of the command line sent so far */
    silk_buf_t resp;              /* bytes read from the socket */
    silk_buf_t out;               /* the request line being sent, reused */
    bool any_hits, any_error;     /* for the exit status */
    long answered;                /* responses printed (for batch separators) */
} run_t;

/* Queues a request for query q[0..qlen) (ignored unless searching) and sends it; a request
 * that cannot be made is queued as a local error, printed in its turn. Returns false when
 * the socket failed. */
static bool submit(run_t *r, const char *q, size_t qlen, long line, char *local_err)
{
    pending_t *p = &r->q[(r->q_head + r->q_count) % WINDOW_REQUESTS];
    memset(p, 0, sizeof *p);
    p->line = line;
    p->id = r->next_id++;
    r->q_count++;
    if (r->opt->op == SILK_REQ_SEARCH || r->opt->op == SILK_REQ_DOC) {
        /* JSON strings must be valid UTF-8: invalid bytes become U+FFFD, as the index
         * itself decodes them. */
        size_t fixed_len;
        p->query = silk_utf8_fix(q, qlen, &fixed_len);
        if (!p->query && !local_err)
            local_err = strdup("out of memory");
        qlen = fixed_len;
    }
    if (local_err) {
        p->local_err = local_err;
        return true;
    }
    silk_client_req_t req = {.op = r->opt->op,
                             .id = p->id,
                             .q = p->query,
                             .q_len = p->query ? qlen : 0,
                             .mode = r->opt->any ? SILK_MODE_ANY : SILK_MODE_ALL,
                             .limit = (uint64_t)r->opt->limit,
                             .offset = (uint64_t)r->opt->offset,
                             .facets = r->opt->facets,
                             .nfacets = r->opt->nfacets};
    r->out.len = 0;
    if (silk_proto_encode_request(&r->out, &req) != SILK_OK) {
        p->local_err = strdup("out of memory");
        return true;
    }
    if (r->out.len > SILK_PROTO_LINE_MAX) {
        /* silkd answers a longer line with too_large and closes the connection, which
         * would cost the answers to every other query of a batch. */
        if (asprintf(&p->local_err, "query too long (silkd reads lines up to %d bytes)",
                     SILK_PROTO_LINE_MAX) < 0)
            p->local_err = strdup("query too long");
        return true;
    }
    p->bytes = r->out.len;
    r->inflight_bytes += p->bytes;
    clock_gettime(CLOCK_MONOTONIC, &p->sent);
    if (!silk_cli_send_all(r->fd, r->out.data, p->bytes)) {
        silk_cli_errorf("cannot send to silkd at %s: %s", r->sock_path, strerror(errno));
        return false;
    }
    return true;
}

static void pop(run_t *r)
{
    pending_t *p = &r->q[r->q_head];
    r->inflight_bytes -= p->bytes;
    free(p->query);
    free(p->local_err);
    memset(p, 0, sizeof *p);
    r->q_head = (r->q_head + 1) % WINDOW_REQUESTS;
    r->q_count--;
}

/* Handles one answer line for the oldest request; returns false on a protocol error. */
static bool handle_answer(run_t *r, const char *line, size_t len)
{
    pending_t *p = &r->q[r->q_head];
    const silk_cli_opts_t *opt = r->opt;
    silk_response_t resp;
    int status = SILK_EXIT_ERROR;

    r->answered++;
    silk_status_t rc = silk_response_decode(&resp, line, len);
    if (rc != SILK_OK) {
        if (rc == SILK_ERR_INVALID)
            silk_cli_errorf("%ssilkd at %s sent an answer that is not a JSON object: %s",
                            silk_cli_where(opt, p->line), r->sock_path, resp.why);
        else
            silk_cli_errorf("out of memory");
        silk_response_free(&resp);
        return false;
    }
    if (resp.has_id && resp.id != p->id) {
        silk_cli_errorf("silkd at %s answered request %lld when %lld was expected", r->sock_path,
                        resp.id, p->id);
        silk_response_free(&resp);
        return false;
    }
    bool json = opt->format == SILK_FORMAT_JSON;
    if (json) {
        fwrite(line, 1, len, stdout);
        fputc('\n', stdout);
    }
    if (!resp.ok) {
        silk_cli_print_error(opt, p->line, opt->op == SILK_REQ_SEARCH ? p->query : NULL, &resp);
        /* Like a search without hits: the id names no document. */
        if (opt->op == SILK_REQ_DOC && resp.code == SILK_PROTO_NOT_FOUND)
            status = SILK_EXIT_NO_HITS;
    } else if (opt->op == SILK_REQ_SEARCH) {
        status = !json ? silk_cli_print_search(opt, r->answered, p->query, &resp)
                 : (resp.total > 0 || resp.nhits > 0) ? SILK_EXIT_HITS
                                                      : SILK_EXIT_NO_HITS;
    } else if (opt->op == SILK_REQ_DOC) {
        if (!resp.has_doc) {
            silk_cli_errorf("%ssilkd at %s answered a doc request without \"doc\"",
                            silk_cli_where(opt, p->line), r->sock_path);
        } else {
            if (!json)
                silk_cli_print_doc(opt, r->answered, &resp.doc);
            status = SILK_EXIT_HITS;
        }
    } else if (json) {
        status = SILK_EXIT_HITS;
    } else if (opt->op == SILK_REQ_PING) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        double ms =
            (double)(t.tv_sec - p->sent.tv_sec) * 1e3 + (double)(t.tv_nsec - p->sent.tv_nsec) / 1e6;
        printf("silkd is up at %s (answered in %.2f ms)\n", r->sock_path, ms);
        status = SILK_EXIT_HITS;
    } else if (silk_response_members(&resp) != SILK_OK) {
        silk_cli_errorf("out of memory");
    } else {
        if (opt->op == SILK_REQ_REINDEX)
            silk_cli_print_reindex(&resp);
        else
            silk_cli_print_fields(&resp);
        status = SILK_EXIT_HITS;
    }
    if (status == SILK_EXIT_ERROR)
        r->any_error = true;
    else if (status == SILK_EXIT_HITS)
        r->any_hits = true;
    /* Flush per answer so that a pipeline reading our output sees each result as soon as
     * it is known, not when a stdio buffer fills. */
    fflush(stdout);
    silk_response_free(&resp);
    pop(r);
    return true;
}

/* Prints the local errors at the head of the queue, in their turn. */
static void drain_local(run_t *r)
{
    while (r->q_count > 0 && r->q[r->q_head].local_err) {
        pending_t *p = &r->q[r->q_head];
        silk_cli_errorf("%s%s", silk_cli_where(r->opt, p->line), p->local_err);
        r->any_error = true;
        r->answered++;
        pop(r);
    }
}

/* ---- the loop ------------------------------------------------------------------------- */

/* Queues the error for an input line over MAX_QUERY_BYTES, in its turn; returns as
 * next_batch_line does. */
static int refuse_long_line(run_t *r)
{
    char *msg = NULL;
    r->in_line++;
    if (asprintf(&msg, "query longer than %d bytes", MAX_QUERY_BYTES) < 0)
        msg = NULL;
    return submit(r, "", 0, r->in_line, msg ? msg : strdup("query too long")) ? 1 : -1;
}

/* Takes the next query line from the stdin buffer, if a whole one is there (or the last,
 * unterminated one at end of input), and submits it. Returns 1 when it submitted, 0 when
 * no line is ready, -1 on a socket failure. */
static int next_batch_line(run_t *r)
{
    for (;;) {
        char *nl = r->in.len ? memchr(r->in.data, '\n', r->in.len) : NULL;
        size_t n;
        if (r->in_discard) {
            /* The rest of an overlong line, already reported: dropped as it arrives. */
            if (!nl) {
                r->in.len = 0;
                return 0;
            }
            silk_buf_consume(&r->in, (size_t)(nl - r->in.data) + 1);
            r->in_discard = false;
            continue;
        }
        if (nl) {
            n = (size_t)(nl - r->in.data);
        } else if (r->in_eof && r->in.len > 0) {
            n = r->in.len;
        } else {
            if (!r->in_eof && r->in.len >= MAX_QUERY_BYTES) {
                /* A line this long is refused; its rest is skipped as it arrives. */
                r->in_discard = true;
                r->in.len = 0;
                return refuse_long_line(r);
            }
            return 0;
        }
        size_t consumed = nl ? n + 1 : n;
        if (n > MAX_QUERY_BYTES) {
            silk_buf_consume(&r->in, consumed);
            return refuse_long_line(r);
        }
        r->in_line++;
        size_t qlen = n;
        if (qlen > 0 && r->in.data[qlen - 1] == '\r')
            qlen--;
        size_t s = 0;
        while (s < qlen && (r->in.data[s] == ' ' || r->in.data[s] == '\t'))
            s++;
        if (s == qlen) { /* a blank line is no query */
            silk_buf_consume(&r->in, consumed);
            continue;
        }
        bool ok = submit(r, r->in.data, qlen, r->in_line, NULL);
        silk_buf_consume(&r->in, consumed);
        return ok ? 1 : -1;
    }
}

/* Submits what may go out now. Returns false on a socket failure. */
static bool fill(run_t *r)
{
    while (r->q_count < WINDOW_REQUESTS && (r->q_count == 0 || r->inflight_bytes < WINDOW_BYTES)) {
        if (!r->opt->batch && r->opt->op == SILK_REQ_DOC) {
            /* show ID...: one request per id, pipelined like a batch. */
            if (r->ids_sent == r->opt->nids)
                return true;
            const char *id = r->opt->ids[r->ids_sent++];
            r->single_sent = r->ids_sent == r->opt->nids;
            if (!submit(r, id, strlen(id), 0, NULL))
                return false;
            continue;
        }
        if (!r->opt->batch) {
            if (r->single_sent)
                return true;
            r->single_sent = true;
            const char *q = r->opt->query ? r->opt->query : "";
            if (!submit(r, q, strlen(q), 0, NULL))
                return false;
            continue;
        }
        int got = next_batch_line(r);
        if (got < 0)
            return false;
        if (got == 0)
            return true;
    }
    return true;
}

static bool source_done(const run_t *r)
{
    return r->opt->batch ? (r->in_eof && r->in.len == 0) : r->single_sent;
}

/* Reads from the socket and handles every whole answer line. Returns false when the
 * connection failed or closed early. */
static bool read_answers(run_t *r)
{
    if (silk_buf_reserve(&r->resp, READ_CHUNK) != SILK_OK) {
        silk_cli_errorf("an answer from silkd at %s is longer than %u bytes", r->sock_path,
                        MAX_RESPONSE_BYTES);
        return false;
    }
    ssize_t n = read(r->fd, r->resp.data + r->resp.len, r->resp.cap - r->resp.len);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return true;
        silk_cli_errorf("cannot read from silkd at %s: %s", r->sock_path, strerror(errno));
        return false;
    }
    if (n == 0) {
        silk_cli_errorf("silkd at %s closed the connection before answering", r->sock_path);
        return false;
    }
    size_t scanned = r->resp.len;
    r->resp.len += (size_t)n;
    char *nl;
    while ((nl = memchr(r->resp.data + scanned, '\n', r->resp.len - scanned)) != NULL) {
        size_t len = (size_t)(nl - r->resp.data);
        if (r->q_count == 0) {
            silk_cli_errorf("silkd at %s sent an answer nobody asked for", r->sock_path);
            return false;
        }
        if (!handle_answer(r, r->resp.data, len))
            return false;
        silk_buf_consume(&r->resp, len + 1);
        scanned = 0;
        drain_local(r);
    }
    return true;
}

static bool read_stdin(run_t *r)
{
    if (silk_buf_reserve(&r->in, READ_CHUNK) != SILK_OK) {
        silk_cli_errorf("out of memory");
        return false;
    }
    ssize_t n = read(0, r->in.data + r->in.len, r->in.cap - r->in.len);
    if (n < 0) {
        if (errno == EINTR || errno == EAGAIN)
            return true;
        silk_cli_errorf("cannot read standard input: %s", strerror(errno));
        return false;
    }
    if (n == 0)
        r->in_eof = true;
    r->in.len += (size_t)n;
    return true;
}

/* Sends every request and prints every answer in order. Returns false on a failure that
 * ends the run (the connection, not a bad query). */
static bool run_loop(run_t *r)
{
    for (;;) {
        if (!fill(r))
            return false;
        drain_local(r);
        if (r->q_count == 0 && source_done(r))
            return true;

        struct pollfd fds[2];
        nfds_t nfds = 0;
        int sock_i = -1, in_i = -1;
        if (r->q_count > 0) {
            sock_i = (int)nfds;
            fds[nfds++] = (struct pollfd){.fd = r->fd, .events = POLLIN};
        }
        if (r->opt->batch && !r->in_eof && r->q_count < WINDOW_REQUESTS) {
            in_i = (int)nfds;
            fds[nfds++] = (struct pollfd){.fd = 0, .events = POLLIN};
        }
        if (nfds == 0)
            return true; /* nothing left to wait for */
        int timeout = (r->q_count > 0 && r->opt->op != SILK_REQ_REINDEX) ? ANSWER_TIMEOUT_MS : -1;
        int ready = poll(fds, nfds, timeout);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            silk_cli_errorf("poll: %s", strerror(errno));
            return false;
        }
        if (ready == 0) {
            silk_cli_errorf("no answer from silkd at %s within %d s", r->sock_path,
                            ANSWER_TIMEOUT_MS / 1000);
            return false;
        }
        if (in_i >= 0 && (fds[in_i].revents & (POLLIN | POLLHUP | POLLERR)) && !read_stdin(r))
            return false;
        if (sock_i >= 0 && (fds[sock_i].revents & (POLLIN | POLLHUP | POLLERR)) && !read_answers(r))
            return false;
    }
}

int silk_cli_run(const silk_cli_opts_t *opt, const char *sock, int fd)
{
    run_t r = {.opt = opt, .sock_path = sock, .fd = fd, .next_id = 1};
    int status = SILK_EXIT_ERROR;
    r.in.limit = MAX_QUERY_BYTES + READ_CHUNK;
    r.resp.limit = MAX_RESPONSE_BYTES;
    if (!run_loop(&r))
        goto out;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        silk_cli_errorf("cannot write the output: %s", strerror(errno));
        goto out;
    }
    status = r.any_error ? SILK_EXIT_ERROR : r.any_hits ? SILK_EXIT_HITS : SILK_EXIT_NO_HITS;
out:
    while (r.q_count > 0)
        pop(&r);
    silk_buf_free(&r.in);
    silk_buf_free(&r.resp);
    silk_buf_free(&r.out);
    return status;
}
