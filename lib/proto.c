/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the wire protocol's names and the request decoder (include/silk/proto.h).
 *
 * Requests are parsed with jansson, which validates JSON and UTF-8 for us, after an
 * allocation-free fast path for the small flat objects most clients send. */
#include "silk/proto.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const code_names[SILK_PROTO_NCODES] = {
    "ok",         "bad_request", "bad_query", "too_large",
    "overloaded", "unavailable", "internal",  "not_found",
};

const char *silk_proto_code_name(silk_proto_code_t code)
{
    if ((unsigned)code >= SILK_PROTO_NCODES)
        return "internal";
    return code_names[code];
}

silk_proto_code_t silk_proto_code_parse(const char *name)
{
    for (unsigned c = 0; name && c < SILK_PROTO_NCODES; c++)
        if (!strcmp(name, code_names[c]))
            return (silk_proto_code_t)c;
    return SILK_PROTO_INTERNAL;
}

/* Wire names of the ops, by silk_req_op_t; SILK_REQ_NONE has none. */
static const char *const op_names[] = {"", "search", "stats", "ping", "reindex", "doc"};
#define N_OPS (sizeof op_names / sizeof op_names[0])

const char *silk_proto_op_name(silk_req_op_t op)
{
    return (unsigned)op < N_OPS ? op_names[op] : "";
}

/* The op named s[0..len), or SILK_REQ_NONE when no op has that name. */
static silk_req_op_t op_of(const char *s, size_t len)
{
    for (unsigned k = 1; k < N_OPS; k++)
        if (strlen(op_names[k]) == len && !memcmp(s, op_names[k], len))
            return (silk_req_op_t)k;
    return SILK_REQ_NONE;
}

/* ---- decoder ------------------------------------------------------------------------------- */

static silk_status_t reject(silk_request_t *req, silk_proto_code_t code, long pos, const char *fmt,
                            ...) __attribute__((format(printf, 4, 5)));

static silk_status_t reject(silk_request_t *req, silk_proto_code_t code, long pos, const char *fmt,
                            ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(req->message, sizeof req->message, fmt, ap);
    va_end(ap);
    req->code = code;
    req->position = pos;
    return SILK_ERR_INVALID;
}

/* The defaults of the search members, for a line that sets none of them. */
static void search_defaults(silk_request_t *req)
{
    req->q[0] = '\0';
    req->q_len = 0;
    req->mode = SILK_MODE_ALL;
    req->limit = 10;
    req->offset = 0;
    req->snippets = 1;
    req->explain = 0;
    memset(&req->facets, 0, sizeof req->facets);
    memset(&req->rank, 0, sizeof req->rank);
}

static void id_null(silk_request_t *req)
{
    memcpy(req->id, "null", 5);
    req->id_len = 4;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static const struct {
    const char *name;
    uint32_t bit;
} field_names[] = {
    {"rank", SILK_FIELD_RANK},       {"id", SILK_FIELD_ID},
    {"kind", SILK_FIELD_KIND},       {"score", SILK_FIELD_SCORE},
    {"article", SILK_FIELD_ARTICLE}, {"section", SILK_FIELD_SECTION},
    {"snippet", SILK_FIELD_SNIPPET}, {"highlights", SILK_FIELD_HIGHLIGHTS},
    {"cites", SILK_FIELD_CITES},     {"cited_by", SILK_FIELD_CITED_BY},
    {"year", SILK_FIELD_YEAR},       {"authors", SILK_FIELD_AUTHORS},
    {"text", SILK_FIELD_TEXT},
};

static silk_status_t set_query(silk_request_t *req, const char *q, size_t len)
{
    if (len > SILK_QUERY_MAX_BYTES)
        return reject(req, SILK_PROTO_BAD_QUERY, SILK_QUERY_MAX_BYTES,
                      "query is %zu bytes long; the limit is %d", len, SILK_QUERY_MAX_BYTES);
    memcpy(req->q, q, len);
    req->q[len] = '\0';
    req->q_len = len;
    return SILK_OK;
}

/* Reads an optional non-negative integer member bounded by `max`. */
static silk_status_t get_uint(silk_request_t *req, json_t *obj, const char *key, uint32_t max,
                              uint32_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return SILK_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"%s\" must be an integer from 0 to %u",
                      key, (unsigned)max);
    *out = (uint32_t)json_integer_value(v);
    return SILK_OK;
}

static silk_status_t get_bool(silk_request_t *req, json_t *obj, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return SILK_OK;
    if (!json_is_boolean(v))
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"%s\" must be true or false", key);
    *out = json_is_true(v);
    return SILK_OK;
}

/* {"op":"doc","doc":"<article>#<anchor>"}: the id of one document, as hits name it. */
static silk_status_t decode_doc(json_t *obj, silk_request_t *req)
{
    json_t *v = json_object_get(obj, "doc");
    if (!v)
        return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                      "a doc request needs \"doc\", a document id such as \"article#p1\"");
    if (!json_is_string(v))
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"doc\" must be a string");
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n == 0 || n > SILK_PROTO_DOC_MAX)
        return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                      "\"doc\" must be a document id of 1 to %d bytes", SILK_PROTO_DOC_MAX);
    /* jansson allows \u0000 only when asked to; a NUL would cut the id short below. */
    if (memchr(s, '\0', n))
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"doc\" must not contain NUL");
    memcpy(req->doc, s, n);
    req->doc[n] = '\0';
    req->doc_len = n;
    return SILK_OK;
}

/* "facets": an array of distinct facet names; "facet_limit": values per facet. */
static silk_status_t decode_facets(json_t *obj, silk_request_t *req)
{
    json_t *v = json_object_get(obj, "facets");
    if (v) {
        if (!json_is_array(v))
            return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                          "\"facets\" must be an array of facet names (%s)", SILK_FACET_NAMES);
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            int id = json_is_string(e)
                         ? silk_facet_parse(json_string_value(e), json_string_length(e))
                         : -1;
            if (id < 0)
                return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                              "unknown facet %s%.40s%s (facets: %s)", json_is_string(e) ? "\"" : "",
                              json_is_string(e) ? json_string_value(e) : "(not a string)",
                              json_is_string(e) ? "\"" : "", SILK_FACET_NAMES);
            for (size_t k = 0; k < req->facets.n; k++)
                if (req->facets.ids[k] == id)
                    return reject(req, SILK_PROTO_BAD_REQUEST, -1, "facet \"%s\" is listed twice",
                                  silk_facet_name(id));
            req->facets.ids[req->facets.n++] = (uint8_t)id;
        }
    }
    v = json_object_get(obj, "facet_limit");
    if (v) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > SILK_FACET_LIMIT_MAX)
            return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                          "\"facet_limit\" must be an integer from 1 to %d", SILK_FACET_LIMIT_MAX);
        req->facets.limit = (uint32_t)json_integer_value(v);
    }
    return SILK_OK;
}

/* The optional "rank" member: an object of ranking parameters (rank.h), each a number,
 * boolean or scheme name, checked against its bounds; only those given override the
 * daemon's. */
static silk_status_t decode_rank(silk_request_t *req, json_t *obj)
{
    json_t *r = json_object_get(obj, "rank");
    if (!r)
        return SILK_OK;
    if (!json_is_object(r))
        return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                      "\"rank\" must be an object of ranking parameters");
    const char *key;
    json_t *v;
    json_object_foreach(r, key, v)
    {
        char text[64], err[SILK_PROTO_MSG_MAX];
        if (json_is_string(v) && json_string_length(v) < sizeof text)
            snprintf(text, sizeof text, "%s", json_string_value(v));
        else if (json_is_integer(v))
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v))
            snprintf(text, sizeof text, "%.17g", json_real_value(v));
        else if (json_is_boolean(v))
            snprintf(text, sizeof text, "%s", json_is_true(v) ? "true" : "false");
        else
            snprintf(text, sizeof text, "?");
        if (silk_rank_set(&req->rank, key, text, err, sizeof err) != SILK_OK)
            return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"rank\": %s", err);
    }
    return SILK_OK;
}

static silk_status_t decode_object(json_t *obj, silk_request_t *req)
{
    silk_status_t rc;
    json_t *v = json_object_get(obj, "id");
    if (v) {
        if (json_is_object(v) || json_is_array(v))
            return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                          "\"id\" must be a string, number, boolean or null");
        size_t need = json_dumpb(v, NULL, 0, JSON_ENCODE_ANY | JSON_COMPACT);
        if (need == 0 || need >= sizeof req->id)
            return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"id\" is longer than %d bytes",
                          SILK_PROTO_ID_MAX - 1);
        req->id_len = json_dumpb(v, req->id, sizeof req->id - 1, JSON_ENCODE_ANY | JSON_COMPACT);
        req->id[req->id_len] = '\0';
    }

    v = json_object_get(obj, "op");
    if (v) {
        if (!json_is_string(v))
            return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"op\" must be a string");
        const char *op = json_string_value(v);
        req->op = op_of(op, json_string_length(v));
        if (req->op == SILK_REQ_NONE)
            return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                          "unknown op \"%.40s\" (ops: search, doc, stats, ping, reindex)", op);
    }
    if (req->op == SILK_REQ_DOC)
        return decode_doc(obj, req);
    if (req->op != SILK_REQ_SEARCH)
        return SILK_OK;

    v = json_object_get(obj, "q");
    if (!v)
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "a search needs \"q\", the query text");
    if (!json_is_string(v))
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"q\" must be a string");
    if ((rc = set_query(req, json_string_value(v), json_string_length(v))) != SILK_OK)
        return rc;

    v = json_object_get(obj, "mode");
    if (v) {
        if (json_is_string(v) && !strcmp(json_string_value(v), "all"))
            req->mode = SILK_MODE_ALL;
        else if (json_is_string(v) && !strcmp(json_string_value(v), "any"))
            req->mode = SILK_MODE_ANY;
        else
            return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"mode\" must be \"all\" or \"any\"");
    }
    if ((rc = get_uint(req, obj, "limit", SILK_LIMIT_MAX, &req->limit)) != SILK_OK ||
        (rc = get_uint(req, obj, "offset", SILK_OFFSET_MAX, &req->offset)) != SILK_OK ||
        (rc = get_bool(req, obj, "snippets", &req->snippets)) != SILK_OK ||
        (rc = get_bool(req, obj, "explain", &req->explain)) != SILK_OK)
        return rc;
    int typos = 1;
    if ((rc = get_bool(req, obj, "typos", &typos)) != SILK_OK)
        return rc;
    req->no_typos = !typos;
    if ((rc = decode_rank(req, obj)) != SILK_OK)
        return rc;

    if ((rc = decode_facets(obj, req)) != SILK_OK)
        return rc;

    v = json_object_get(obj, "fields");
    if (v) {
        if (!json_is_array(v))
            return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                          "\"fields\" must be an array of field names");
        req->fields = 0;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            size_t k, nf = sizeof field_names / sizeof field_names[0];
            if (!json_is_string(e))
                return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                              "\"fields\" must be an array of field names");
            for (k = 0; k < nf; k++)
                if (!strcmp(json_string_value(e), field_names[k].name))
                    break;
            if (k == nf)
                return reject(req, SILK_PROTO_BAD_REQUEST, -1, "unknown hit field \"%.40s\"",
                              json_string_value(e));
            req->fields |= field_names[k].bit;
        }
    }
    return SILK_OK;
}

/* ---- the fast path ------------------------------------------------------------------------- */

/* Most requests are small flat objects such as {"id":3,"q":"north korea","limit":10}.
 * decode_fast reads exactly those without allocating: known members, strings of printable
 * ASCII without escapes, plain integers, booleans. It gives up (returns 0) on anything
 * else, and on anything that would be an error, so that the jansson path decides; when it
 * succeeds, its result is the one the jansson path would give (test_proto checks this on
 * generated inputs). */
static size_t fast_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* A string of printable ASCII without escapes: [*start, *end) is its content. */
static size_t fast_string(const char *s, size_t n, size_t i, size_t *start, size_t *end)
{
    if (i >= n || s[i] != '"')
        return 0;
    size_t j = i + 1;
    while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x80 && s[j] != '"' &&
           s[j] != '\\')
        j++;
    if (j >= n || s[j] != '"')
        return 0;
    *start = i + 1;
    *end = j;
    return j + 1;
}

/* An integer without sign, leading zero or more than 18 digits (so it fits anywhere). */
static size_t fast_uint(const char *s, size_t n, size_t i, uint64_t *v)
{
    size_t j = i;
    uint64_t x = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9' && j - i < 19) {
        x = x * 10 + (uint64_t)(s[j] - '0');
        j++;
    }
    if (j == i || j - i > 18 || (s[i] == '0' && j - i > 1))
        return 0;
    if (j < n && (s[j] == '.' || s[j] == 'e' || s[j] == 'E' || (s[j] >= '0' && s[j] <= '9')))
        return 0;
    *v = x;
    return j;
}

static int fast_is(const char *s, size_t a, size_t b, const char *lit)
{
    size_t l = strlen(lit);
    return b - a == l && !memcmp(s + a, lit, l);
}

static int decode_fast(const char *s, size_t n, silk_request_t *req)
{
    enum {
        K_ID = 1,
        K_OP = 2,
        K_Q = 4,
        K_MODE = 8,
        K_LIMIT = 16,
        K_OFFSET = 32,
        K_SN = 64,
        K_EX = 128
    };
    unsigned seen = 0;
    size_t i = fast_ws(s, n, 1), ks, ke, vs, ve;
    silk_req_op_t op = SILK_REQ_SEARCH;
    if (i < n && s[i] == '}')
        return 0;
    for (;;) {
        if (!(i = fast_string(s, n, i, &ks, &ke)))
            return 0;
        i = fast_ws(s, n, i);
        if (i >= n || s[i] != ':')
            return 0;
        i = fast_ws(s, n, i + 1);
        if (i >= n)
            return 0;
        unsigned k;
        if (fast_is(s, ks, ke, "id"))
            k = K_ID;
        else if (fast_is(s, ks, ke, "op"))
            k = K_OP;
        else if (fast_is(s, ks, ke, "q"))
            k = K_Q;
        else if (fast_is(s, ks, ke, "mode"))
            k = K_MODE;
        else if (fast_is(s, ks, ke, "limit"))
            k = K_LIMIT;
        else if (fast_is(s, ks, ke, "offset"))
            k = K_OFFSET;
        else if (fast_is(s, ks, ke, "snippets"))
            k = K_SN;
        else if (fast_is(s, ks, ke, "explain"))
            k = K_EX;
        else
            return 0;
        if (seen & k)
            return 0; /* a duplicate: the jansson path rejects it */
        seen |= k;
        uint64_t v;
        switch (k) {
        case K_ID:
            vs = i;
            if (s[i] == '"') {
                if (!(i = fast_string(s, n, i, &ks, &ke)))
                    return 0;
            } else if (n - i >= 4 && (!memcmp(s + i, "true", 4) || !memcmp(s + i, "null", 4))) {
                i += 4;
            } else if (n - i >= 5 && !memcmp(s + i, "false", 5)) {
                i += 5;
            } else if (!(i = fast_uint(s, n, i, &v))) {
                return 0;
            }
            if (i - vs >= sizeof req->id)
                return 0;
            memcpy(req->id, s + vs, i - vs);
            req->id_len = i - vs;
            req->id[req->id_len] = '\0';
            break;
        case K_OP:
            if (!(i = fast_string(s, n, i, &vs, &ve)))
                return 0;
            if ((op = op_of(s + vs, ve - vs)) == SILK_REQ_NONE || op == SILK_REQ_DOC)
                return 0; /* unknown (an error), or doc: the jansson path reads it */
            break;
        case K_Q:
            if (!(i = fast_string(s, n, i, &vs, &ve)) || ve - vs > SILK_QUERY_MAX_BYTES)
                return 0;
            memcpy(req->q, s + vs, ve - vs);
            req->q[ve - vs] = '\0';
            req->q_len = ve - vs;
            break;
        case K_MODE:
            if (!(i = fast_string(s, n, i, &vs, &ve)))
                return 0;
            if (fast_is(s, vs, ve, "all"))
                req->mode = SILK_MODE_ALL;
            else if (fast_is(s, vs, ve, "any"))
                req->mode = SILK_MODE_ANY;
            else
                return 0;
            break;
        case K_LIMIT:
        case K_OFFSET:
            if (!(i = fast_uint(s, n, i, &v)) ||
                v > (k == K_LIMIT ? SILK_LIMIT_MAX : SILK_OFFSET_MAX))
                return 0;
            if (k == K_LIMIT)
                req->limit = (uint32_t)v;
            else
                req->offset = (uint32_t)v;
            break;
        default: /* K_SN, K_EX */
            if (n - i >= 4 && !memcmp(s + i, "true", 4)) {
                i += 4;
                v = 1;
            } else if (n - i >= 5 && !memcmp(s + i, "false", 5)) {
                i += 5;
                v = 0;
            } else {
                return 0;
            }
            if (k == K_SN)
                req->snippets = (int)v;
            else
                req->explain = (int)v;
        }
        i = fast_ws(s, n, i);
        if (i < n && s[i] == ',') {
            i = fast_ws(s, n, i + 1);
            continue;
        }
        if (i < n && s[i] == '}' && fast_ws(s, n, i + 1) == n)
            break;
        return 0;
    }
    if (op == SILK_REQ_SEARCH && !(seen & K_Q))
        return 0; /* an error: let the jansson path say it */
    req->op = op;
    if (op != SILK_REQ_SEARCH)
        search_defaults(req); /* other ops ignore search members, as the jansson path does */
    return 1;
}

silk_status_t silk_proto_decode(const char *line, size_t len, silk_request_t *req)
{
    req->op = SILK_REQ_NONE;
    id_null(req);
    search_defaults(req);
    req->fields = SILK_FIELDS_DEFAULT;
    req->code = SILK_PROTO_OK;
    req->message[0] = '\0';
    req->position = -1;
    req->doc[0] = '\0';
    req->doc_len = 0;
    if (!line)
        len = 0;

    size_t s = 0, e = len;
    while (s < e && is_blank(line[s]))
        s++;
    while (e > s && is_blank(line[e - 1]))
        e--;
    if (s == e)
        return SILK_OK;

    req->op = SILK_REQ_SEARCH;
    if (line[s] != '{')
        return set_query(req, line + s, e - s);

    if (decode_fast(line + s, e - s, req))
        return SILK_OK;
    /* decode_fast may have filled members before giving up: start the slow path afresh. */
    id_null(req);
    search_defaults(req);

    json_error_t jerr;
    json_t *obj = json_loadb(line + s, e - s, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return reject(req, SILK_PROTO_BAD_REQUEST, (long)(s + (size_t)jerr.position),
                      "invalid JSON: %s", jerr.text);
    silk_status_t rc;
    if (!json_is_object(obj))
        rc = reject(req, SILK_PROTO_BAD_REQUEST, -1, "a request must be a JSON object");
    else
        rc = decode_object(obj, req);
    json_decref(obj);
    return rc;
}
