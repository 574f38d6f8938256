/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — HTTP/1.1 as a framing of the JSON protocol (see http.h).
 *
 * The parser keeps only what a request needs (the target, four headers, the body) in
 * bounded buffers of its own, filled by http-parser's callbacks, so the connection's read
 * buffer is consumed as it is parsed and a request's size is bounded however its bytes
 * arrive. A complete message pauses http-parser (http_parser_pause), which is how pipelined
 * requests come out one at a time, in order.
 */
#include "http.h"

#include <http_parser.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "silk/jsonw.h"
#include "silk/utf8.h"
#include "token.h"

/* http_parser_parse_url keeps offsets in 16 bits. */
#define URL_MAX 65535
/* Buffers above this size are given back after their request, so idle connections stay
 * small. */
#define KEEP_BYTES (16 * 1024)

enum { H_NONE = 0, H_HOST, H_ORIGIN, H_AUTH, H_COOKIE, H_EXPECT, H_OTHER };

struct silkd_http {
    http_parser p;        /* the library's parser; p.data is this struct */
    size_t max;           /* bound of the head and of the body */
    size_t head;          /* bytes of target and header lines so far */
    silk_buf_t url;       /* the request target */
    silk_buf_t field;     /* the header name being read */
    int which;            /* H_*: the header whose value is being read */
    int in_value;         /* the last callback was a header value */
    silk_buf_t hdr[5];    /* values of H_HOST .. H_EXPECT (index H_x - 1) */
    int seen[5];          /* how many times each was given */
    silk_buf_t body;      /* the body */
    int in_message;       /* a message has begun and not completed */
    int headers_done;     /* its headers are complete */
    int continued;        /* 100 Continue was asked for this message */
    int ready;            /* req is ready (a request or a failure) */
    int failed;           /* the stream cannot be parsed further */
    int fail_status;      /* the failure a callback found (0: none) */
    char fail_msg[160];   /* its message */
    silkd_http_req_t req; /* the ready request */
};

/* ---- the first line ------------------------------------------------------------------------ */

int silkd_http_is_request_line(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && line[i] >= 'A' && line[i] <= 'Z')
        i++;
    if (i == 0 || i > 20 || i >= len || line[i] != ' ')
        return 0;
    size_t t = ++i;
    while (i < len && line[i] != ' ' && (unsigned char)line[i] > 0x20 && line[i] != 0x7f)
        i++;
    if (i == t || i >= len || line[i] != ' ')
        return 0;
    i++;
    return len - i == 8 && memcmp(line + i, "HTTP/1.", 7) == 0 && line[i + 7] >= '0' &&
           line[i + 7] <= '9';
}

int silkd_http_is_request_start(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && buf[i] >= 'A' && buf[i] <= 'Z')
        i++;
    return i > 0 && i <= 20 && i + 1 < len && buf[i] == ' ' && buf[i + 1] == '/';
}

/* ---- the parser ---------------------------------------------------------------------------- */

static int failing(silkd_http_t *h, int status, const char *msg)
{
    if (!h->fail_status) {
        h->fail_status = status;
        snprintf(h->fail_msg, sizeof h->fail_msg, "%s", msg);
    }
    return 1; /* a callback's non-zero return stops http-parser */
}

static int grow_head(silkd_http_t *h, size_t n)
{
    h->head += n;
    return h->head <= h->max;
}

static int on_message_begin(http_parser *p)
{
    silkd_http_t *h = p->data;
    h->in_message = 1;
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    silkd_http_t *h = p->data;
    if (!grow_head(h, len) || h->url.len + len > URL_MAX)
        return failing(h, 414, "the request target is longer than the bound");
    if (silk_buf_add(&h->url, at, len) != SILK_OK)
        return failing(h, 500, "out of memory");
    return 0;
}

static int header_index(const silk_buf_t *f)
{
    static const char *const names[] = {"host", "origin", "authorization", "cookie", "expect"};
    for (int i = 0; i < 5; i++)
        if (f->len == strlen(names[i]) && strncasecmp(f->data, names[i], f->len) == 0)
            return i + 1;
    return H_OTHER;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
    silkd_http_t *h = p->data;
    if (!grow_head(h, len))
        return failing(h, 431, "the request headers are longer than the bound");
    if (h->in_value) {
        h->in_value = 0;
        h->field.len = 0;
    }
    if (h->field.len < 32 && silk_buf_add(&h->field, at, len < 32 ? len : 32) != SILK_OK)
        return failing(h, 500, "out of memory");
    return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
    silkd_http_t *h = p->data;
    if (!grow_head(h, len))
        return failing(h, 431, "the request headers are longer than the bound");
    if (!h->in_value) {
        /* The first piece of a value: which header is it? */
        h->in_value = 1;
        h->which = header_index(&h->field);
        if (h->which != H_OTHER) {
            silk_buf_t *b = &h->hdr[h->which - 1];
            if (h->seen[h->which - 1]++ && h->which != H_COOKIE)
                return failing(h, 400,
                               "a Host, Origin, Authorization or Expect header is "
                               "given twice");
            if (h->which == H_COOKIE && b->len && silk_buf_add(b, "; ", 2) != SILK_OK)
                return failing(h, 500, "out of memory");
        }
    }
    if (h->which != H_OTHER && silk_buf_add(&h->hdr[h->which - 1], at, len) != SILK_OK)
        return failing(h, 500, "out of memory");
    return 0;
}

static int on_headers_complete(http_parser *p)
{
    silkd_http_t *h = p->data;
    h->headers_done = 1;
    /* Not 1 or 2, which http-parser reads as "no body" and "upgrade". */
    if ((p->flags & F_CONTENTLENGTH) && p->content_length > h->max)
        return failing(h, 413, "the request body is longer than the bound") ? -1 : 0;
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    silkd_http_t *h = p->data;
    if (h->body.len + len > h->max)
        return failing(h, 413, "the request body is longer than the bound");
    if (silk_buf_add(&h->body, at, len) != SILK_OK)
        return failing(h, 500, "out of memory");
    return 0;
}

static const char *hdr(silkd_http_t *h, int which)
{
    silk_buf_t *b = &h->hdr[which - 1];
    if (!h->seen[which - 1])
        return NULL;
    if (silk_buf_terminate(b) != SILK_OK)
        return NULL;
    return b->data ? b->data : "";
}

/* The message is complete: fill req and pause, so that the next message waits. */
static int on_message_complete(http_parser *p)
{
    silkd_http_t *h = p->data;
    silkd_http_req_t *r = &h->req;
    memset(r, 0, sizeof *r);
    h->in_message = 0;
    r->error = "";
    r->method_name = http_method_str((enum http_method)p->method);
    r->method = p->method == HTTP_GET    ? SILKD_HTTP_GET
                : p->method == HTTP_HEAD ? SILKD_HTTP_HEAD
                : p->method == HTTP_POST ? SILKD_HTTP_POST
                                         : SILKD_HTTP_OTHER;
    struct http_parser_url u;
    http_parser_url_init(&u);
    if (silk_buf_terminate(&h->url) != SILK_OK || silk_buf_terminate(&h->body) != SILK_OK)
        return failing(h, 500, "out of memory");
    if (p->method == HTTP_CONNECT || http_parser_parse_url(h->url.data, h->url.len, 0, &u) != 0 ||
        !(u.field_set & (1 << UF_PATH)))
        return failing(h, 400, "the request target is not a path");
    r->path = h->url.data + u.field_data[UF_PATH].off;
    r->path_len = u.field_data[UF_PATH].len;
    if (u.field_set & (1 << UF_QUERY)) {
        r->query = h->url.data + u.field_data[UF_QUERY].off;
        r->query_len = u.field_data[UF_QUERY].len;
    }
    r->host = hdr(h, H_HOST);
    r->origin = hdr(h, H_ORIGIN);
    r->authorization = hdr(h, H_AUTH);
    r->cookie = hdr(h, H_COOKIE);
    r->body = h->body.data;
    r->body_len = h->body.len;
    /* An Upgrade (WebSocket, h2c) is not offered: the request is answered, then the
     * connection closes, since what follows would not be HTTP/1.1. */
    r->keep_alive = http_should_keep_alive(p) && !p->upgrade;
    r->http_minor = p->http_minor;
    h->ready = 1;
    http_parser_pause(p, 1);
    return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

silkd_http_t *silkd_http_new(size_t max)
{
    silkd_http_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->max = max;
    http_parser_init(&h->p, HTTP_REQUEST);
    h->p.data = h;
    return h;
}

static void reset_buf(silk_buf_t *b)
{
    b->len = 0;
    if (b->cap > KEEP_BYTES)
        silk_buf_free(b);
}

/* Clears what one message gathered. */
static void reset_message(silkd_http_t *h)
{
    reset_buf(&h->url);
    reset_buf(&h->field);
    reset_buf(&h->body);
    for (int i = 0; i < 5; i++) {
        reset_buf(&h->hdr[i]);
        h->seen[i] = 0;
    }
    h->head = 0;
    h->which = H_NONE;
    h->in_value = 0;
    h->headers_done = 0;
    h->continued = 0;
}

void silkd_http_destroy(silkd_http_t *h)
{
    if (!h)
        return;
    silk_buf_free(&h->url);
    silk_buf_free(&h->field);
    silk_buf_free(&h->body);
    for (int i = 0; i < 5; i++)
        silk_buf_free(&h->hdr[i]);
    free(h);
}

/* The stream cannot go on: make the failure the ready "request". */
static silkd_http_feed_t fail_ready(silkd_http_t *h, int status, const char *msg)
{
    silkd_http_req_t *r = &h->req;
    memset(r, 0, sizeof *r);
    h->failed = 1;
    h->ready = 1;
    if (h->fail_status) {
        status = h->fail_status;
        msg = h->fail_msg;
    }
    r->status = status;
    if (msg != h->fail_msg)
        snprintf(h->fail_msg, sizeof h->fail_msg, "%s", msg);
    r->error = h->fail_msg;
    r->method_name = "";
    r->path = r->body = "";
    return SILKD_HTTP_READY;
}

silkd_http_feed_t silkd_http_feed(silkd_http_t *h, const char *buf, size_t len, int eof,
                                  size_t *used)
{
    *used = 0;
    if (h->ready)
        return SILKD_HTTP_READY;
    if (h->failed) {
        *used = len;
        return SILKD_HTTP_MORE;
    }
    if (len > 0) {
        size_t n = http_parser_execute(&h->p, &settings, buf, len);
        enum http_errno e = HTTP_PARSER_ERRNO(&h->p);
        *used = n;
        if (e == HPE_PAUSED && h->ready)
            return SILKD_HTTP_READY;
        if (e != HPE_OK || h->fail_status) {
            *used = len;
            return fail_ready(h, e == HPE_HEADER_OVERFLOW ? 431 : 400, http_errno_description(e));
        }
        if (h->p.upgrade) {
            *used = len; /* unreachable without a completed message; kept for safety */
            return fail_ready(h, 400, "protocol upgrades are not offered");
        }
        if (h->in_message && h->headers_done && !h->continued && h->seen[H_EXPECT - 1]) {
            h->continued = 1;
            const char *ex = hdr(h, H_EXPECT);
            if (ex && strcasecmp(ex, "100-continue") == 0)
                return SILKD_HTTP_CONTINUE;
        }
    }
    if (eof && h->in_message)
        return fail_ready(h, 400, "the connection ended inside a request");
    return SILKD_HTTP_MORE;
}

const silkd_http_req_t *silkd_http_request(const silkd_http_t *h)
{
    return h->ready ? &h->req : NULL;
}

void silkd_http_next(silkd_http_t *h)
{
    if (!h->ready)
        return;
    h->ready = 0;
    reset_message(h);
    if (!h->failed)
        http_parser_pause(&h->p, 0);
}

/* ---- decoding the target ------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0, n) into out (emptied first); '+' is a space when plus. Returns -1
 * for a '%' not followed by two hex digits, and for %00. */
static int unescape(const char *s, size_t n, int plus, silk_buf_t *out)
{
    out->len = 0;
    if (silk_buf_reserve(out, n + 1) != SILK_OK)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int a = i + 2 < n ? hexval(s[i + 1]) : -1;
            int b = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (a < 0 || b < 0)
                return -1;
            c = (char)(a * 16 + b);
            if (c == '\0')
                return -1; /* %00: no id or parameter of the protocol holds a NUL */
            i += 2;
        } else if (c == '+' && plus) {
            c = ' ';
        }
        out->data[out->len++] = c;
    }
    out->data[out->len] = '\0';
    return 0;
}

/* ---- access -------------------------------------------------------------------------------- */

static void set_fail(silkd_http_fail_t *f, int status, const char *code, const char *allow,
                     const char *fmt, const char *arg)
{
    f->status = status;
    f->code = code;
    f->allow = allow;
    snprintf(f->message, sizeof f->message, fmt, arg ? arg : "");
}

/* The Host header names this listener: an allowed name and the listener's port (no port
 * only for port 80). */
static int host_ok(const char *host, const silkd_http_site_t *site)
{
    if (!host)
        return 0;
    size_t n = strlen(host), name_len;
    const char *port = NULL;
    char name[256];
    if (host[0] == '[') {
        const char *close = strchr(host, ']');
        if (!close)
            return 0;
        name_len = (size_t)(close - host) - 1;
        if (name_len >= sizeof name)
            return 0;
        memcpy(name, host + 1, name_len);
        if (close[1] == ':')
            port = close + 2;
        else if (close[1])
            return 0;
    } else {
        const char *colon = strchr(host, ':');
        name_len = colon ? (size_t)(colon - host) : n;
        if (name_len >= sizeof name || (colon && strchr(colon + 1, ':')))
            return 0;
        memcpy(name, host, name_len);
        if (colon)
            port = colon + 1;
    }
    name[name_len] = '\0';
    if (port) {
        char want[16];
        snprintf(want, sizeof want, "%u", site->port);
        if (strcmp(port, want) != 0)
            return 0;
    } else if (site->port != 80) {
        return 0;
    }
    const char *allowed[] = {"localhost", "127.0.0.1", "::1", site->listen_host, site->local_addr};
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (allowed[i] && allowed[i][0] && strcasecmp(name, allowed[i]) == 0)
            return 1;
    return 0;
}

/* The token of `Authorization: Bearer T` or of the cookie silk_token=T matches. */
static int token_ok(const silkd_http_req_t *req, const char *token)
{
    const char *a = req->authorization;
    if (a && strncasecmp(a, "Bearer ", 7) == 0) {
        a += 7;
        while (*a == ' ')
            a++;
        size_t n = strlen(a);
        while (n > 0 && a[n - 1] == ' ')
            n--;
        if (silkd_token_equal(token, a, n))
            return 1;
    }
    for (const char *c = req->cookie; c && *c;) {
        while (*c == ' ' || *c == ';')
            c++;
        const char *end = strchr(c, ';');
        size_t n = end ? (size_t)(end - c) : strlen(c);
        if (n > 11 && memcmp(c, "silk_token=", 11) == 0 && silkd_token_equal(token, c + 11, n - 11))
            return 1;
        c += n;
    }
    return 0;
}

/* POST only from no page (no Origin) or a page of this same host. */
static int origin_ok(const silkd_http_req_t *req)
{
    if (!req->origin)
        return 1;
    if (!req->host || strncasecmp(req->origin, "http://", 7) != 0)
        return 0;
    return strcasecmp(req->origin + 7, req->host) == 0;
}

/* ---- routes -------------------------------------------------------------------------------- */

static int path_is(const silkd_http_req_t *req, const char *p)
{
    return req->path_len == strlen(p) && memcmp(req->path, p, req->path_len) == 0;
}

/* The members GET /search passes on, and how each is written. */
enum { P_STRING, P_NUMBER, P_BOOL, P_LIST };
static const struct {
    const char *name;
    int type;
} params[] = {
    {"q", P_STRING},      {"mode", P_STRING},   {"id", P_STRING},          {"limit", P_NUMBER},
    {"offset", P_NUMBER}, {"snippets", P_BOOL}, {"explain", P_BOOL},       {"typos", P_BOOL},
    {"fields", P_LIST},   {"facets", P_LIST},   {"facet_limit", P_NUMBER},
};

static int utf8_ok(const silk_buf_t *v)
{
    return silk_utf8_valid_prefix(v->data, v->len) == v->len;
}

/* One query parameter of GET /search as the member of the JSON request it stands for:
 * numbers as integers, booleans as true/false, lists split at commas; a value that is not
 * of its type is passed as a string, so that the JSON protocol's own message refuses it.
 * Other parameters are ignored, as the JSON protocol ignores members it does not know.
 * Written with the protocol's own JSON writer (jansson costed 4 µs a request here). */
static int add_param(silk_jsonw_t *w, unsigned *seen, const silk_buf_t *k, const silk_buf_t *v,
                     silkd_http_fail_t *fail)
{
    size_t i = 0;
    while (i < sizeof params / sizeof params[0] && strcmp(k->data, params[i].name) != 0)
        i++;
    if (i == sizeof params / sizeof params[0])
        return 1;
    if (*seen & (1u << i)) {
        set_fail(fail, 400, "bad_request", NULL, "parameter \"%s\" is given twice", k->data);
        return 0;
    }
    *seen |= 1u << i;
    if (!utf8_ok(v)) {
        set_fail(fail, 400, "bad_request", NULL, "parameter \"%s\" is not valid UTF-8", k->data);
        return 0;
    }
    silk_jsonw_lit(w, ",");
    silk_jsonw_string(w, params[i].name, strlen(params[i].name));
    silk_jsonw_lit(w, ":");
    int type = params[i].type;
    if (type == P_NUMBER) {
        size_t d = 0;
        while (d < v->len && v->data[d] >= '0' && v->data[d] <= '9')
            d++;
        if (d == v->len && d > 0 && d <= 9) {
            silk_jsonw_u64(w, strtoull(v->data, NULL, 10));
            return 1;
        }
    } else if (type == P_BOOL) {
        if (strcmp(v->data, "true") == 0 || strcmp(v->data, "1") == 0) {
            silk_jsonw_lit(w, "true");
            return 1;
        }
        if (strcmp(v->data, "false") == 0 || strcmp(v->data, "0") == 0) {
            silk_jsonw_lit(w, "false");
            return 1;
        }
    } else if (type == P_LIST) {
        silk_jsonw_lit(w, "[");
        int first = 1;
        for (size_t s = 0; s < v->len;) {
            const char *comma = memchr(v->data + s, ',', v->len - s);
            size_t e = comma ? (size_t)(comma - v->data) : v->len;
            if (e > s) {
                silk_jsonw_lit(w, first ? "" : ",");
                silk_jsonw_string(w, v->data + s, e - s);
                first = 0;
            }
            s = e + 1;
        }
        silk_jsonw_lit(w, "]");
        return 1;
    }
    silk_jsonw_string(w, v->data, v->len);
    return 1;
}

/* GET /search?q=...: the query string as a search request. */
static int search_get(const silkd_http_req_t *req, silk_buf_t *line, silkd_http_fail_t *fail)
{
    silk_buf_t k = SILK_BUF_INIT, v = SILK_BUF_INIT;
    silk_jsonw_t w;
    unsigned seen = 0;
    int ok = 1;
    line->len = 0;
    silk_jsonw_begin(&w, line);
    silk_jsonw_lit(&w, "{\"op\":\"search\"");
    const char *s = req->query ? req->query : "";
    size_t n = req->query ? req->query_len : 0;
    for (size_t i = 0; ok && i < n;) {
        const char *amp = memchr(s + i, '&', n - i);
        size_t e = amp ? (size_t)(amp - s) : n;
        const char *eq = memchr(s + i, '=', e - i);
        size_t ke = eq ? (size_t)(eq - s) : e;
        if (e > i) {
            if (unescape(s + i, ke - i, 1, &k) != 0 ||
                unescape(eq ? eq + 1 : "", eq ? e - ke - 1 : 0, 1, &v) != 0) {
                set_fail(fail, 400, "bad_request", NULL,
                         "the query string has a '%%' not followed by two hex digits, or "
                         "%%00%s",
                         NULL);
                ok = 0;
            } else {
                ok = add_param(&w, &seen, &k, &v, fail);
            }
        }
        i = e + 1;
    }
    silk_jsonw_lit(&w, "}");
    silk_buf_free(&k);
    silk_buf_free(&v);
    if (silk_jsonw_end(&w) != SILK_OK && ok) {
        set_fail(fail, 500, "internal", NULL, "out of memory%s", NULL);
        ok = 0;
    }
    return ok;
}

/* POST /search: the body is the JSON search request (a JSON object whose op, if any, is
 * "search"); passed on as it is, so errors point into it. */
static int search_post(const silkd_http_req_t *req, silk_buf_t *line, silkd_http_fail_t *fail)
{
    json_error_t err;
    json_t *o = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!json_is_object(o)) {
        fail->status = 400;
        fail->code = "bad_request";
        fail->allow = NULL;
        if (o)
            snprintf(fail->message, sizeof fail->message,
                     "POST /search takes a JSON object (the search request) as its body");
        else
            snprintf(fail->message, sizeof fail->message, "invalid JSON in the body: %s at %d",
                     err.text, err.position);
        json_decref(o);
        return 0;
    }
    json_t *op = json_object_get(o, "op");
    int search = !op || (json_is_string(op) && strcmp(json_string_value(op), "search") == 0);
    json_decref(o);
    if (!search) {
        set_fail(fail, 400, "bad_request", NULL,
                 "POST /search takes a search request: its \"op\" may only be \"search\"%s", NULL);
        return 0;
    }
    line->len = 0;
    if (silk_buf_add(line, req->body, req->body_len) != SILK_OK) {
        set_fail(fail, 500, "internal", NULL, "out of memory%s", NULL);
        return 0;
    }
    /* The JSON protocol frames on newlines; in a body they can only be whitespace. */
    for (size_t i = 0; i < line->len; i++)
        if (line->data[i] == '\n' || line->data[i] == '\r')
            line->data[i] = ' ';
    return 1;
}

/* GET /doc/ID: the id percent-decoded ('#' is %23). */
static int doc_get(const silkd_http_req_t *req, silk_buf_t *line, silkd_http_fail_t *fail)
{
    silk_buf_t id = SILK_BUF_INIT;
    if (unescape(req->path + 5, req->path_len - 5, 0, &id) != 0 || id.len == 0) {
        set_fail(fail, 400, "bad_request", NULL,
                 "GET /doc/ID takes a percent-encoded document id ('#' as %%23, no %%00)%s", NULL);
        silk_buf_free(&id);
        return 0;
    }
    if (!utf8_ok(&id)) {
        silk_buf_free(&id);
        set_fail(fail, 400, "bad_request", NULL, "the document id is not valid UTF-8%s", NULL);
        return 0;
    }
    silk_jsonw_t w;
    line->len = 0;
    silk_jsonw_begin(&w, line);
    silk_jsonw_lit(&w, "{\"op\":\"doc\",\"doc\":");
    silk_jsonw_string(&w, id.data, id.len);
    silk_jsonw_lit(&w, "}");
    silk_buf_free(&id);
    if (silk_jsonw_end(&w) != SILK_OK) {
        set_fail(fail, 500, "internal", NULL, "out of memory%s", NULL);
        return 0;
    }
    return 1;
}

static int fixed(const char *text, silk_buf_t *line, silkd_http_fail_t *fail)
{
    line->len = 0;
    if (silk_buf_adds(line, text) != SILK_OK) {
        set_fail(fail, 500, "internal", NULL, "out of memory%s", NULL);
        return 0;
    }
    return 1;
}

silkd_route_t silkd_http_route(const silkd_http_req_t *req, const silkd_http_site_t *site,
                               silk_buf_t *line, silkd_http_fail_t *fail)
{
    memset(fail, 0, sizeof *fail);
    line->len = 0;
    if (req->status) {
        set_fail(fail, req->status,
                 req->status == 413 || req->status == 414 || req->status == 431 ? "too_large"
                 : req->status == 500                                           ? "internal"
                                                                                : "bad_request",
                 NULL, "%s", req->error);
        return SILKD_ROUTE_FAIL;
    }
    int get = req->method == SILKD_HTTP_GET || req->method == SILKD_HTTP_HEAD;
    int post = req->method == SILKD_HTTP_POST;
    int page = path_is(req, "/") || path_is(req, "/index.html");
    if (site->is_tcp && !host_ok(req->host, site)) {
        set_fail(fail, 421, "bad_request", NULL,
                 "the Host header (%s) does not name this daemon's address and port",
                 req->host ? req->host : "absent");
        return SILKD_ROUTE_FAIL;
    }
    if (site->is_tcp && !(page && get) && !token_ok(req, site->token)) {
        set_fail(fail, 401, "bad_request", NULL,
                 "unauthorized: send the daemon's token as `Authorization: Bearer TOKEN` or "
                 "the cookie silk_token%s",
                 NULL);
        return SILKD_ROUTE_FAIL;
    }
    const char *allow = NULL;
    int ok = 0;
    if (page) {
        if (get)
            return SILKD_ROUTE_PAGE;
        allow = "GET, HEAD";
    } else if (path_is(req, "/search")) {
        if (get)
            ok = search_get(req, line, fail);
        else if (post && origin_ok(req))
            ok = search_post(req, line, fail);
        else if (post)
            goto cross_origin;
        else
            allow = "GET, HEAD, POST";
        if (!allow)
            return ok ? SILKD_ROUTE_LINE : SILKD_ROUTE_FAIL;
    } else if (req->path_len > 5 && memcmp(req->path, "/doc/", 5) == 0) {
        if (get)
            return doc_get(req, line, fail) ? SILKD_ROUTE_LINE : SILKD_ROUTE_FAIL;
        allow = "GET, HEAD";
    } else if (path_is(req, "/stats") || path_is(req, "/ping")) {
        if (get)
            return fixed(path_is(req, "/stats") ? "{\"op\":\"stats\"}" : "{\"op\":\"ping\"}", line,
                         fail)
                       ? SILKD_ROUTE_LINE
                       : SILKD_ROUTE_FAIL;
        allow = "GET, HEAD";
    } else if (path_is(req, "/reindex")) {
        if (post && origin_ok(req))
            return fixed("{\"op\":\"reindex\"}", line, fail) ? SILKD_ROUTE_LINE : SILKD_ROUTE_FAIL;
        if (post)
            goto cross_origin;
        allow = "POST";
    } else {
        set_fail(fail, 404, "not_found", NULL,
                 "no such endpoint (GET /search, POST /search, GET /doc/ID, GET /stats, "
                 "GET /ping, POST /reindex, GET /)%s",
                 NULL);
        return SILKD_ROUTE_FAIL;
    }
    set_fail(fail, 405, "bad_request", allow, "this path takes %s", allow);
    return SILKD_ROUTE_FAIL;
cross_origin:
    set_fail(fail, 403, "bad_request", NULL, "a POST from a page of another origin (%s) is refused",
             req->origin);
    return SILKD_ROUTE_FAIL;
}

/* ---- responses ----------------------------------------------------------------------------- */

int silkd_http_status_of(const char *code)
{
    if (!code || strcmp(code, "ok") == 0)
        return 200;
    if (strcmp(code, "bad_request") == 0 || strcmp(code, "bad_query") == 0)
        return 400;
    if (strcmp(code, "not_found") == 0)
        return 404;
    if (strcmp(code, "too_large") == 0)
        return 413;
    if (strcmp(code, "overloaded") == 0 || strcmp(code, "unavailable") == 0)
        return 503;
    return 500;
}

const char *silkd_http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 421:
        return "Misdirected Request";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return "Internal Server Error";
    }
}

/* The page runs only its own inline script and style, talks only to this daemon, and is
 * never framed: corpus text that slipped past its escaping still could not load or send
 * anything elsewhere. */
#define PAGE_CSP                                                                                   \
    "Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; "                    \
    "style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; "       \
    "form-action 'none'; frame-ancestors 'none'\r\n"

silk_status_t silkd_http_respond(silk_buf_t *out, int status, const char *ctype, const char *body,
                                 size_t len, unsigned flags, const char *allow)
{
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                     "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
                     "Referrer-Policy: no-referrer\r\n%s%s%s%s%s%s",
                     status, silkd_http_reason(status), ctype, len,
                     flags & SILKD_HTTP_CLOSE     ? "Connection: close\r\n"
                     : flags & SILKD_HTTP_10_KEEP ? "Connection: keep-alive\r\n"
                                                  : "",
                     status == 503 ? "Retry-After: 1\r\n" : "",
                     status == 401 ? "WWW-Authenticate: Bearer realm=\"silk\"\r\n" : "",
                     allow ? "Allow: " : "", allow ? allow : "", allow ? "\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof head)
        return SILK_ERR_INTERNAL;
    silk_status_t rc = silk_buf_reserve(out, (size_t)n + sizeof PAGE_CSP + 2 + len);
    if (rc != SILK_OK)
        return rc;
    silk_buf_add(out, head, (size_t)n);
    if (flags & SILKD_HTTP_PAGE)
        silk_buf_adds(out, PAGE_CSP);
    silk_buf_add(out, "\r\n", 2);
    if (!(flags & SILKD_HTTP_HEAD_ONLY))
        silk_buf_add(out, body, len);
    return SILK_OK;
}

silk_status_t silkd_http_fail_body(silk_buf_t *out, const silkd_http_fail_t *fail)
{
    json_t *o = json_pack("{s:n,s:b,s:{s:s,s:s}}", "id", "ok", 0, "error", "code", fail->code,
                          "message", fail->message);
    /* A message that quotes a header is not always UTF-8: say it without the quote. */
    if (!o)
        o = json_pack("{s:n,s:b,s:{s:s,s:s}}", "id", "ok", 0, "error", "code", fail->code,
                      "message", silkd_http_reason(fail->status));
    size_t need = o ? json_dumpb(o, NULL, 0, JSON_COMPACT) : 0;
    silk_status_t rc = need ? silk_buf_reserve(out, need + 1) : SILK_ERR_NOMEM;
    if (rc == SILK_OK) {
        out->len += json_dumpb(o, out->data + out->len, need, JSON_COMPACT);
        out->data[out->len++] = '\n';
    }
    json_decref(o);
    return rc;
}
