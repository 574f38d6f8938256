/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target of the HTTP request path (server/http.c): the bytes of a connection
 * through the parser, split where the first input byte says, each request routed as the
 * Unix socket and as TCP would, the line it becomes decoded by the JSON protocol, and each
 * answer wrapped as a response.
 *
 * Invariants checked (server/http.h):
 *   - the same bytes give the same requests whatever their split;
 *   - every request respects the bounds (target and headers, body) and a failure carries a
 *     status in {400, 413, 414, 431, 500} and a message; nothing comes after a failure;
 *   - a route is a refusal with a status and a JSON code, the page (GET or HEAD of "/"), or
 *     one line holding a JSON object without a newline whose op is one the route allows
 *     (reindex only from POST /reindex, so a GET never changes anything), which the JSON
 *     protocol's decoder accepts or refuses without crashing;
 *   - on TCP nothing but the page is routed without the token;
 *   - every response's Content-Length is the length of the body that follows it. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../server/http.h"
#include "silk/proto.h"

#define MAX    4096
#define TOKEN  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define MAXREQ 64

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_http: invariant violated: %s\n", what);
        abort();
    }
}

static void check_response(const silk_buf_t *b, size_t body_len, int head)
{
    const char *end = memmem(b->data, b->len, "\r\n\r\n", 4);
    check(end != NULL, "a response has a head");
    size_t hl = (size_t)(end - b->data) + 4;
    const char *cl = memmem(b->data, hl, "\r\nContent-Length: ", 18);
    check(cl != NULL, "a response has a Content-Length");
    check((size_t)strtoull(cl + 18, NULL, 10) == body_len, "Content-Length is the body's");
    check(b->len - hl == (head ? 0 : body_len), "the body follows the head");
}

static void check_route(const silkd_http_req_t *r, const silkd_http_site_t *site)
{
    static silk_request_t dec;
    silk_buf_t line = SILK_BUF_INIT, out = SILK_BUF_INIT, body = SILK_BUF_INIT;
    silkd_http_fail_t fail;
    silkd_route_t rt = silkd_http_route(r, site, &line, &fail);
    int head = r->method == SILKD_HTTP_HEAD;
    if (rt == SILKD_ROUTE_FAIL) {
        check(fail.status >= 400 && fail.status < 600, "a refusal has an error status");
        check(fail.code && fail.message[0], "a refusal has a code and a message");
        check((fail.status == 405) == (fail.allow != NULL), "Allow exactly with 405");
        check(silkd_http_fail_body(&body, &fail) == SILK_OK, "the refusal encodes");
        json_t *o = json_loadb(body.data, body.len, 0, NULL);
        check(o && json_is_false(json_object_get(o, "ok")), "the refusal is a JSON error");
        json_decref(o);
        check(silkd_http_respond(&out, fail.status, SILKD_HTTP_JSON, body.data, body.len,
                                 head ? SILKD_HTTP_HEAD_ONLY : 0, fail.allow) == SILK_OK,
              "the refusal is wrapped");
        check_response(&out, body.len, head);
    } else if (rt == SILKD_ROUTE_PAGE) {
        check((r->method == SILKD_HTTP_GET || head) && r->path_len >= 1 && r->path[0] == '/',
              "the page only for GET or HEAD");
    } else {
        check(rt == SILKD_ROUTE_LINE && line.len > 0, "a route gives a line");
        check(memchr(line.data, '\n', line.len) == NULL, "the line has no newline");
        json_error_t err;
        json_t *o = json_loadb(line.data, line.len, 0, &err);
        check(json_is_object(o), "the line is a JSON object");
        const char *op = json_string_value(json_object_get(o, "op"));
        if (!op)
            op = "search";
        check(strcmp(op, "search") == 0 || strcmp(op, "doc") == 0 || strcmp(op, "stats") == 0 ||
                  strcmp(op, "ping") == 0 || strcmp(op, "reindex") == 0,
              "a known op");
        check(strcmp(op, "reindex") != 0 || r->method == SILKD_HTTP_POST, "only a POST reindexes");
        json_decref(o);
        check(!site->is_tcp || (r->authorization || r->cookie), "TCP needs the token");
        silk_proto_decode(line.data, line.len, &dec);
        const char *answer = "{\"id\":null,\"ok\":true,\"pong\":true}\n";
        check(silkd_http_respond(&out, 200, SILKD_HTTP_JSON, answer, strlen(answer),
                                 head ? SILKD_HTTP_HEAD_ONLY : 0, NULL) == SILK_OK,
              "the answer is wrapped");
        check_response(&out, strlen(answer), head);
    }
    silk_buf_free(&line);
    silk_buf_free(&out);
    silk_buf_free(&body);
}

/* Parses data with pieces of `step` bytes; records each request's shape in sig. */
static size_t parse(const char *data, size_t size, size_t step, char sig[MAXREQ][48], int route)
{
    static const silkd_http_site_t unix_site = {0};
    static const silkd_http_site_t tcp_site = {
        .is_tcp = 1, .token = TOKEN, .listen_host = "", .local_addr = "127.0.0.1", .port = 7700};
    silkd_http_t *h = silkd_http_new(MAX);
    check(h != NULL, "new");
    size_t pos = 0, end = 0, n = 0;
    int failed = 0;
    for (int guard = 0; guard < 100000; guard++) {
        if (end < size)
            end = end + step < size ? end + step : size;
        size_t used = 0;
        silkd_http_feed_t f = silkd_http_feed(h, data + pos, end - pos, end == size, &used);
        check(used <= end - pos, "used within what was given");
        pos += used;
        if (f == SILKD_HTTP_CONTINUE)
            continue;
        if (f == SILKD_HTTP_READY) {
            const silkd_http_req_t *r = silkd_http_request(h);
            check(r != NULL && !failed, "nothing after a failure");
            if (r->status) {
                check(r->status == 400 || r->status == 413 || r->status == 414 ||
                          r->status == 431 || r->status == 500,
                      "a failure's status");
                check(r->error && r->error[0], "a failure's message");
                failed = 1;
            } else {
                check(r->body_len <= MAX, "the body bound");
                check(r->path_len <= MAX && r->query_len <= MAX, "the head bound");
                check(!r->host || strlen(r->host) <= MAX, "the Host bound");
                if (route) {
                    check_route(r, &unix_site);
                    check_route(r, &tcp_site);
                }
            }
            if (n < MAXREQ)
                snprintf(sig[n], 48, "%d %s %zu %zu %d", r->status, r->method_name, r->path_len,
                         r->body_len, r->keep_alive);
            n++;
            silkd_http_next(h);
            continue;
        }
        if (end == size && (pos == size || used == 0))
            break;
    }
    silkd_http_destroy(h);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = data[0] % 17 + 1;
    const char *s = (const char *)data + 1;
    size--;
    static char a[MAXREQ][48], b[MAXREQ][48];
    size_t na = parse(s, size, size ? size : 1, a, 1);
    size_t nb = parse(s, size, step, b, 0);
    check(na == nb, "the same requests whatever the split");
    for (size_t i = 0; i < na && i < MAXREQ; i++)
        check(strcmp(a[i], b[i]) == 0, "the same requests whatever the split");
    return 0;
}
