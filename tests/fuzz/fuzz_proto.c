/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target of the wire protocol: one request line through silk_proto_decode, and
 * the encoders fed with what the decoder produced and with the raw input as stored data.
 *
 * Invariants checked (docs/protocol.md, include/silk/proto.h):
 *   - the decoder answers SILK_OK or SILK_ERR_INVALID, and the same way twice;
 *   - a decoded request respects every bound: limit <= SILK_LIMIT_MAX, offset <=
 *     SILK_OFFSET_MAX, q_len <= SILK_QUERY_MAX_BYTES (NUL-terminated), a known op, mode and
 *     field bits, an id that is short, NUL-terminated and a JSON scalar;
 *   - a blank line is SILK_REQ_NONE, a line not starting with '{' is a search for exactly
 *     its trimmed text;
 *   - an error has a protocol code, a non-empty NUL-terminated message and a position that
 *     is -1 or within the line;
 *   - a doc request has a NUL-free, NUL-terminated id of 1 to SILK_PROTO_DOC_MAX bytes equal
 *     to the JSON "doc";
 *   - every encoded response is one line of valid JSON carrying the request's id, whatever
 *     the bytes given as message, snippet, stored document data or document view;
 *   - the client's answer decoder takes the same bytes as an answer line without harm. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/proto_client.h"
#include "silk/proto_resp.h"
#include "silk/search.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_proto: invariant violated: %s\n", what);
        abort();
    }
}

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int num_char(char c)
{
    return c != '\0' && strchr("0123456789.eE+-", c) != NULL;
}

/* The buffer holds exactly one line: valid JSON object, '\n' only at the end. Returns the
 * parsed object (the caller decrefs). */
static json_t *one_json_line(const silk_proto_buf_t *b, size_t from)
{
    check(b->len > from && b->data[b->len - 1] == '\n', "response ends in a newline");
    check(memchr(b->data + from, '\n', b->len - from - 1) == NULL, "response is one line");
    json_error_t err;
    /* Numbers are copied from stored data verbatim: valid JSON of any size, which jansson
     * reads as reals. Only a number beyond a double's range (1e999) is then refused by
     * jansson rather than by the grammar; each such number is replaced by a 0 padded with
     * spaces and the line parsed again. */
    size_t n = b->len - from - 1;
    char *copy = malloc(n + 1);
    check(copy != NULL, "malloc");
    memcpy(copy, b->data + from, n);
    json_t *o = json_loadb(copy, n, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &err);
    while (!o && strstr(err.text, "overflow")) {
        size_t i = (size_t)err.position < n ? (size_t)err.position : n;
        while (i > 0 && num_char(copy[i - 1]))
            i--;
        check(i < n && (copy[i] == '-' || (copy[i] >= '0' && copy[i] <= '9')),
              "overflow at a number");
        copy[i++] = '0';
        for (; i < n && num_char(copy[i]); i++)
            copy[i] = ' ';
        o = json_loadb(copy, n, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &err);
    }
    free(copy);
    if (!o)
        fprintf(stderr, "fuzz_proto: bad JSON (%s): %.*s\n", err.text, (int)(b->len - from),
                b->data + from);
    check(o != NULL && json_is_object(o), "response is a JSON object");
    return o;
}

/* The "id" member of a response is the request's id, byte for byte once re-encoded. */
static void check_id(json_t *o, const silk_request_t *req)
{
    json_t *id = json_object_get(o, "id");
    check(id != NULL, "response has an id");
    json_error_t err;
    json_t *want =
        json_loadb(req->id, req->id_len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &err);
    check(want != NULL && json_equal(id, want), "response id equals the request id");
    json_decref(want);
}

static void check_request(const char *line, size_t len, const silk_request_t *req)
{
    json_error_t err;
    check(req->id_len > 0 && req->id_len < SILK_PROTO_ID_MAX, "id length bound");
    check(req->id[req->id_len] == '\0' && strlen(req->id) == req->id_len, "id NUL-terminated");
    json_t *id = json_loadb(req->id, req->id_len, JSON_DECODE_ANY, &err);
    check(id != NULL, "id is valid JSON");
    check(!json_is_object(id) && !json_is_array(id), "id is a scalar");
    json_decref(id);

    size_t s = 0, e = len;
    while (s < e && blank(line[s]))
        s++;
    while (e > s && blank(line[e - 1]))
        e--;
    if (req->op == SILK_REQ_NONE) {
        check(s == e, "SILK_REQ_NONE only for a blank line");
        return;
    }
    check(s < e, "a blank line is SILK_REQ_NONE");
    check(req->op == SILK_REQ_SEARCH || req->op == SILK_REQ_STATS || req->op == SILK_REQ_PING ||
              req->op == SILK_REQ_REINDEX || req->op == SILK_REQ_DOC,
          "known op");
    if (req->op == SILK_REQ_DOC) {
        check(req->doc_len >= 1 && req->doc_len <= SILK_PROTO_DOC_MAX, "doc id length bound");
        check(req->doc[req->doc_len] == '\0' && strlen(req->doc) == req->doc_len,
              "doc id NUL-terminated, without NUL");
        json_t *o = json_loadb(line + s, e - s, JSON_REJECT_DUPLICATES, &err);
        json_t *d = json_object_get(o, "doc");
        check(json_is_string(d) && json_string_length(d) == req->doc_len &&
                  memcmp(json_string_value(d), req->doc, req->doc_len) == 0,
              "doc id equals the JSON \"doc\"");
        json_decref(o);
    } else {
        check(req->doc_len == 0, "no doc id outside a doc request");
    }
    check(req->code == SILK_PROTO_OK && req->message[0] == '\0', "no error on success");
    check(req->limit <= SILK_LIMIT_MAX, "limit <= SILK_LIMIT_MAX");
    check(req->offset <= SILK_OFFSET_MAX, "offset <= SILK_OFFSET_MAX");
    check(req->q_len <= SILK_QUERY_MAX_BYTES, "query length bound");
    check(req->q[req->q_len] == '\0', "query NUL-terminated");
    check(req->mode == SILK_MODE_ALL || req->mode == SILK_MODE_ANY, "known mode");
    check(req->snippets == 0 || req->snippets == 1, "snippets is a boolean");
    check(req->explain == 0 || req->explain == 1, "explain is a boolean");
    check((req->fields & ~(uint32_t)((SILK_FIELD_TEXT << 1) - 1)) == 0, "known field bits");
    check(req->facets.n <= SILK_FACET_COUNT, "at most the four facets");
    check(req->facets.limit <= SILK_FACET_LIMIT_MAX, "facet_limit <= SILK_FACET_LIMIT_MAX");
    for (size_t i = 0; i < req->facets.n; i++) {
        check(req->facets.ids[i] < SILK_FACET_COUNT, "known facet");
        for (size_t k = 0; k < i; k++)
            check(req->facets.ids[k] != req->facets.ids[i], "no facet twice");
    }
    if (line[s] != '{') {
        check(req->op == SILK_REQ_SEARCH, "plain text is a search");
        check(req->q_len == e - s && memcmp(req->q, line + s, e - s) == 0,
              "plain text is the query verbatim");
        check(strcmp(req->id, "null") == 0, "plain text has a null id");
    } else if (req->op == SILK_REQ_SEARCH) {
        /* The query must be what the JSON says (jansson rejects \u0000 by default, so the
         * text is a C string). */
        json_t *o = json_loadb(line + s, e - s, JSON_REJECT_DUPLICATES, &err);
        check(o != NULL && json_is_object(o), "a decoded JSON request parses");
        json_t *q = json_object_get(o, "q");
        check(json_is_string(q) && json_string_length(q) == req->q_len &&
                  memcmp(json_string_value(q), req->q, req->q_len) == 0,
              "query equals the JSON \"q\"");
        json_decref(o);
    }
}

static void check_error(size_t len, silk_status_t st, const silk_request_t *req)
{
    check(st == SILK_ERR_INVALID, "decode fails only with SILK_ERR_INVALID");
    check(req->code == SILK_PROTO_BAD_REQUEST || req->code == SILK_PROTO_BAD_QUERY,
          "decode errors are bad_request or bad_query");
    check(req->message[0] != '\0', "error message non-empty");
    check(memchr(req->message, '\0', sizeof req->message) != NULL, "message NUL-terminated");
    check(req->position == -1 || (req->position >= 0 && (size_t)req->position <= len),
          "error position within the line");
    check(req->id_len > 0 && req->id_len < SILK_PROTO_ID_MAX && req->id[req->id_len] == '\0',
          "error keeps a bounded id");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *line = (const char *)data;
    static silk_request_t req, again;
    silk_status_t st = silk_proto_decode(line, size, &req);
    silk_status_t st2 = silk_proto_decode(line, size, &again);
    check(st == st2 && req.op == again.op && req.code == again.code && req.q_len == again.q_len &&
              req.limit == again.limit && strcmp(req.message, again.message) == 0,
          "decoding is deterministic");

    silk_proto_buf_t b = {0};
    if (st == SILK_OK) {
        check_request(line, size, &req);
    } else {
        check_error(size, st, &req);
        check(silk_proto_encode_error(&b, req.id, req.id_len, req.code, req.message,
                                      req.position) == SILK_OK,
              "error encodes");
        json_t *o = one_json_line(&b, 0);
        check_id(o, &req);
        json_t *er = json_object_get(o, "error");
        check(json_is_false(json_object_get(o, "ok")) && json_is_object(er), "error shape");
        check(strcmp(json_string_value(json_object_get(er, "code")),
                     silk_proto_code_name(req.code)) == 0,
              "error code name");
        json_decref(o);
    }

    /* Encoders with hostile bytes: the input as an error message, a snippet and a hit's
     * stored data. The output must stay valid JSON (appended after earlier output, as a
     * connection reuses its buffer). */
    size_t from = b.len;
    char *msg = malloc(size + 1);
    check(msg != NULL, "malloc");
    memcpy(msg, data, size);
    msg[size] = '\0';
    check(silk_proto_encode_error(&b, req.id, req.id_len, SILK_PROTO_INTERNAL, msg, -1) == SILK_OK,
          "error with any message encodes");
    json_decref(one_json_line(&b, from));

    from = b.len;
    uint32_t hl[2] = {0, (uint32_t)strlen(msg)};
    silk_hit_t hit = {.rank = 1,
                      .score = 1.5,
                      .id = msg,
                      .kind = "paragraph",
                      .article = msg,
                      .section = "",
                      .snippet = msg,
                      .highlights = hl,
                      .nhighlights = 1,
                      .data = line,
                      .data_len = size};
    silk_result_t res = {.total = 1,
                         .exact = 1,
                         .did_you_mean = msg,
                         .explain = msg,
                         .nhits = 1,
                         .hits = &hit,
                         .took_us = 3};
    silk_request_t r2 = req;
    if (st != SILK_OK || req.op != SILK_REQ_SEARCH) {
        r2.fields = SILK_FIELDS_DEFAULT | SILK_FIELD_TEXT;
        r2.explain = 1;
    }
    check(silk_proto_encode_result(&b, &r2, &res) == SILK_OK, "result encodes");
    json_t *o = one_json_line(&b, from);
    check_id(o, &r2);
    json_t *hits = json_object_get(o, "hits");
    check(json_is_array(hits) && json_array_size(hits) == 1, "one hit");
    json_decref(o);

    /* An ok answer with members built by silk_proto_put_string. */
    from = b.len;
    silk_proto_buf_t m = {0};
    check(silk_proto_buf_reserve(&m, 5) == SILK_OK, "reserve");
    memcpy(m.data, ",\"x\":", 5);
    m.len = 5;
    check(silk_proto_put_string(&m, line, size) == SILK_OK, "put_string");
    check(silk_proto_encode_ok(&b, req.id, req.id_len, m.data, m.len) == SILK_OK, "ok encodes");
    o = one_json_line(&b, from);
    check(json_is_string(json_object_get(o, "x")), "member is a string");
    json_decref(o);

    /* A document view made of the same bytes. */
    from = b.len;
    const char *authors[] = {msg, "A B"};
    silk_doc_cite_t cites[] = {{.n = 7, .id = msg, .text = msg}, {.n = 8, .id = "a#ref-8"}};
    silk_doc_citer_t citers[] = {{.id = msg, .section = msg, .text = msg}, {.id = "a#p2"}};
    silk_docview_t view = {.id = msg,
                           .kind = "reference",
                           .article = msg,
                           .section = msg,
                           .text = line,
                           .text_len = size,
                           .has_year = 1,
                           .year = -(long long)size,
                           .authors = authors,
                           .nauthors = 2,
                           .cites = cites,
                           .ncites = 2,
                           .ncites_more = size,
                           .cited_by = citers,
                           .ncited_by = 2};
    check(silk_proto_encode_doc(&b, req.id, req.id_len, &view) == SILK_OK, "doc encodes");
    o = one_json_line(&b, from);
    check_id(o, &req);
    check(json_is_object(json_object_get(o, "doc")), "doc is an object");
    json_decref(o);

    /* The client's decoder on the same bytes as an answer. */
    silk_response_t resp;
    silk_status_t rst = silk_response_decode(&resp, line, size);
    check(rst == SILK_OK || rst == SILK_ERR_INVALID || rst == SILK_ERR_NOMEM,
          "answer decoding fails only as documented");
    check(resp.nhits == 0 || resp.hits != NULL, "hits held");
    silk_response_free(&resp);

    silk_proto_buf_free(&m);
    silk_proto_buf_free(&b);
    free(msg);
    return 0;
}
