/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — HTTP/1.1 as a framing of the JSON protocol (docs/protocol.md § HTTP).
 *
 * A connection whose first line is an HTTP request line is served as HTTP. This module is
 * pure: it touches no loop, socket or global state, so the unit tests and a fuzz target
 * drive it directly. Four parts, in the order a request meets them:
 *   1. the parser: bytes in (any split), requests out one at a time, through http-parser
 *      (the maintained library; nothing here reads HTTP syntax by hand but the first-line
 *      sniff), with the head (target and headers) and the body each bounded;
 *   2. the access check: the Host header (DNS rebinding), the token on TCP, Origin on POST;
 *   3. the router: each endpoint becomes one request line of the JSON protocol;
 *   4. the response writer: an answer line wrapped with its status and headers.
 * The connection (conn.c) runs the parser; the worker the other three.
 */
#ifndef SILKD_HTTP_H
#define SILKD_HTTP_H

#include <stddef.h>

#include "silk/buf.h"
#include "silk/status.h"

/* True when line[0, len) is an HTTP/1.x request line: METHOD SP target SP HTTP/1.digit,
 * the method a token of capital letters. A JSON line never is one; a raw search line is
 * one only if it reads like `GET /x HTTP/1.1`. */
int silkd_http_is_request_line(const char *line, size_t len);
/* True when buf[0, len) starts like a request line (METHOD SP '/'): for a first line too
 * long to be read whole, which then gets HTTP's 414 rather than NDJSON's too_large. */
int silkd_http_is_request_start(const char *buf, size_t len);

/* ---- the parser ---------------------------------------------------------------------------- */

typedef enum {
    SILKD_HTTP_GET = 1,
    SILKD_HTTP_HEAD,
    SILKD_HTTP_POST,
    SILKD_HTTP_OTHER, /* any other method http-parser knows (PUT, DELETE, OPTIONS, ...) */
} silkd_http_method_t;

/* One request, or the reason the stream cannot be read further (status != 0). Pointers
 * are into the parser and valid until silkd_http_next or silkd_http_destroy. */
typedef struct {
    int status;                 /* 0: a request; else the HTTP status of the failure (400
                                   malformed, 413 body over the bound, 414 target over it,
                                   431 headers over it); the connection must close */
    const char *error;          /* with status: why, in English ("" otherwise) */
    silkd_http_method_t method; /* the method */
    const char *method_name;    /* its name ("GET") */
    const char *path;           /* the target's path, not decoded ("/search") */
    size_t path_len;            /* its length */
    const char *query;          /* the query string without '?', not decoded; NULL if none */
    size_t query_len;           /* its length */
    const char *host;           /* the Host header, NUL-terminated; NULL when absent */
    const char *origin;         /* the Origin header; NULL when absent */
    const char *authorization;  /* the Authorization header; NULL when absent */
    const char *cookie;         /* the Cookie headers, joined by "; "; NULL when absent */
    const char *body;           /* the body (chunked bodies joined); "" when none */
    size_t body_len;            /* its length */
    int keep_alive;             /* the connection may carry another request after this one
                                   (HTTP/1.1 without `Connection: close`, or HTTP/1.0 with
                                   `Connection: keep-alive`) */
    int http_minor;             /* 1 for HTTP/1.1, 0 for HTTP/1.0 */
} silkd_http_req_t;

typedef struct silkd_http silkd_http_t;

/* What silkd_http_feed found. */
typedef enum {
    SILKD_HTTP_MORE = 0, /* every byte given was taken; no request is complete yet */
    SILKD_HTTP_READY,    /* a request (or a failure) is ready: silkd_http_request */
    SILKD_HTTP_CONTINUE, /* the request asked `Expect: 100-continue` and its body is to
                            come: send SILKD_HTTP_100 now, then feed on */
} silkd_http_feed_t;

#define SILKD_HTTP_100 "HTTP/1.1 100 Continue\r\n\r\n"

/* A parser whose request head (target and header lines) and body may each be at most
 * max bytes. NULL when out of memory. Free it with silkd_http_destroy. */
silkd_http_t *silkd_http_new(size_t max);
/* Frees h. Accepts NULL. */
void silkd_http_destroy(silkd_http_t *h);

/* Feeds buf[0, len); *used receives how many bytes were taken (the bytes after a complete
 * request are left for after silkd_http_next). eof: the peer sends nothing more (a request
 * cut short is then a failure). While a request is ready nothing is taken. After a failure
 * every byte is taken and ignored. */
silkd_http_feed_t silkd_http_feed(silkd_http_t *h, const char *buf, size_t len, int eof,
                                  size_t *used);
/* The ready request, or NULL when none is. */
const silkd_http_req_t *silkd_http_request(const silkd_http_t *h);
/* Done with the ready request: the parser goes on with the next one. */
void silkd_http_next(silkd_http_t *h);

/* ---- access, routes and the translation into the JSON protocol ----------------------------- */

/* Where a connection arrived, for the checks. */
typedef struct {
    int is_tcp;              /* TCP (Host and token are checked); else the Unix socket */
    const char *token;       /* TCP: the daemon's token (SILKD_TOKEN_LEN hex digits) */
    const char *listen_host; /* TCP: the HOST of --listen (NULL or "" for none) */
    const char *local_addr;  /* TCP: the address the connection arrived at (NULL: unknown) */
    unsigned port;           /* TCP: the port it arrived at */
} silkd_http_site_t;

/* A refusal: the HTTP status, the JSON error code and a message. */
typedef struct {
    int status;        /* 400, 401, 403, 404, 405, 413, 414, 421, 431 */
    const char *code;  /* "bad_request", "not_found" or "too_large" */
    const char *allow; /* 405: the methods the path takes ("GET, HEAD"), else NULL */
    char message[256]; /* English */
} silkd_http_fail_t;

typedef enum {
    SILKD_ROUTE_FAIL = 0, /* answer the refusal */
    SILKD_ROUTE_PAGE,     /* GET / or HEAD /: answer the search page */
    SILKD_ROUTE_LINE,     /* answer the request line of the JSON protocol put in `line` */
} silkd_route_t;

/* Checks and routes a request (status 0): Host (TCP: one of localhost, 127.0.0.1, [::1],
 * the --listen HOST and the local address, with the port; else 421), the token (TCP, every
 * path but the page: `Authorization: Bearer T` or the cookie silk_token=T; else 401), the
 * path and method (404, 405), Origin on POST (absent or http://<Host>; else 403), then
 * translates: GET /search?q=... (q, mode, id, limit, offset, snippets, explain, typos,
 * fields, facets, facet_limit) and POST /search (a JSON object) to a search, GET /doc/ID
 * to {"op":"doc","doc":ID}, GET /stats, GET /ping, POST /reindex. The line (no '\n') is
 * put in `line` (emptied first); a refusal in *fail. */
silkd_route_t silkd_http_route(const silkd_http_req_t *req, const silkd_http_site_t *site,
                               silk_buf_t *line, silkd_http_fail_t *fail);

/* ---- responses ----------------------------------------------------------------------------- */

#define SILKD_HTTP_JSON "application/json; charset=utf-8"
#define SILKD_HTTP_HTML "text/html; charset=utf-8"

enum {
    SILKD_HTTP_HEAD_ONLY = 1 << 0, /* a HEAD request: headers only */
    SILKD_HTTP_CLOSE = 1 << 1,     /* the last response: `Connection: close` */
    SILKD_HTTP_10_KEEP = 1 << 2,   /* HTTP/1.0 kept alive: `Connection: keep-alive` */
    SILKD_HTTP_PAGE = 1 << 3,      /* the page: its Content-Security-Policy */
};

/* The HTTP status of an answer with JSON error code `code` ("ok" or NULL: 200; bad_request
 * and bad_query 400, not_found 404, too_large 413, overloaded and unavailable 503,
 * anything else 500). */
int silkd_http_status_of(const char *code);
/* The reason phrase of a status ("Not Found"). */
const char *silkd_http_reason(int status);

/* Appends one whole response: the status line, Content-Type, Content-Length, the headers
 * flags and status ask for (Retry-After with 503, WWW-Authenticate with 401, Allow when
 * allow is given), then body[0, len) (omitted for HEAD). */
silk_status_t silkd_http_respond(silk_buf_t *out, int status, const char *ctype, const char *body,
                                 size_t len, unsigned flags, const char *allow);

/* Appends the JSON error answer of a refusal: {"id":null,"ok":false,"error":{...}} and a
 * newline. */
silk_status_t silkd_http_fail_body(silk_buf_t *out, const silkd_http_fail_t *fail);

#endif
