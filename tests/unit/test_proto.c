/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The wire protocol (lib/proto.c) against docs/protocol.md: a table of request lines and
 * what they decode to (or which error, with which message and position), the encoders'
 * exact output, and the invariants the daemon relies on: every response is one line of
 * valid JSON, whatever bytes the request or the index held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "silk/proto_resp.h"

/* ---- decoding ------------------------------------------------------------------------------ */

typedef struct {
    const char *line;       /* the request line */
    silk_status_t status;   /* silk_proto_decode's answer */
    silk_req_op_t op;       /* decoded op */
    const char *id;         /* decoded id text */
    const char *q;          /* decoded query (NULL: don't check) */
    silk_mode_t mode;       /* decoded mode */
    uint32_t limit, offset; /* decoded window */
    int snippets, explain;  /* decoded flags */
    uint32_t fields;        /* decoded fields (0: don't check) */
    silk_proto_code_t code; /* error code when status is not SILK_OK */
    const char *msg_part;   /* a part of the error message (NULL: don't check) */
    long position;          /* error position (-2: don't check) */
} decode_case_t;

#define OKC(line_, op_, id_, q_, mode_, limit_, offset_, sn_, ex_, fields_)                        \
    {                                                                                              \
        line_, SILK_OK, op_, id_, q_, mode_, limit_, offset_, sn_, ex_, fields_, SILK_PROTO_OK,    \
            NULL, -1                                                                               \
    }
#define ERR(line_, code_, part_, pos_)                                                             \
    {                                                                                              \
        line_, SILK_ERR_INVALID, 0, NULL, NULL, 0, 0, 0, 0, 0, 0, code_, part_, pos_               \
    }

static const decode_case_t decode_cases[] = {
    /* Raw lines are searches for the whole (trimmed) line. */
    OKC("axis of evil", SILK_REQ_SEARCH, "null", "axis of evil", SILK_MODE_ALL, 10, 0, 1, 0,
        SILK_FIELDS_DEFAULT),
    OKC("  nuclear weapons \r", SILK_REQ_SEARCH, "null", "nuclear weapons", SILK_MODE_ALL, 10, 0, 1,
        0, 0),
    OKC("\"axis of evil\"", SILK_REQ_SEARCH, "null", "\"axis of evil\"", SILK_MODE_ALL, 10, 0, 1, 0,
        0),
    OKC("[1,2]", SILK_REQ_SEARCH, "null", "[1,2]", SILK_MODE_ALL, 10, 0, 1, 0, 0),
    OKC("조선 ایران", SILK_REQ_SEARCH, "null", "조선 ایران", SILK_MODE_ALL, 10, 0, 1, 0, 0),
    /* Blank lines need no answer. */
    OKC("", SILK_REQ_NONE, "null", "", SILK_MODE_ALL, 10, 0, 1, 0, 0),
    OKC(" \t\r", SILK_REQ_NONE, "null", "", SILK_MODE_ALL, 10, 0, 1, 0, 0),
    /* JSON requests. */
    OKC("{\"id\":7,\"op\":\"search\",\"q\":\"axis of evil\",\"limit\":3,\"offset\":2}",
        SILK_REQ_SEARCH, "7", "axis of evil", SILK_MODE_ALL, 3, 2, 1, 0, SILK_FIELDS_DEFAULT),
    OKC("{\"q\":\"iran\"}", SILK_REQ_SEARCH, "null", "iran", SILK_MODE_ALL, 10, 0, 1, 0, 0),
    OKC("  {\"q\":\"iran\"}\r", SILK_REQ_SEARCH, "null", "iran", SILK_MODE_ALL, 10, 0, 1, 0, 0),
    OKC("{\"id\":\"a\\\"b\",\"q\":\"x\",\"mode\":\"any\",\"snippets\":false,\"explain\":true}",
        SILK_REQ_SEARCH, "\"a\\\"b\"", "x", SILK_MODE_ANY, 10, 0, 0, 1, 0),
    OKC("{\"id\":null,\"q\":\"x\",\"mode\":\"all\"}", SILK_REQ_SEARCH, "null", "x", SILK_MODE_ALL,
        10, 0, 1, 0, 0),
    OKC("{\"id\":true,\"op\":\"ping\"}", SILK_REQ_PING, "true", NULL, SILK_MODE_ALL, 10, 0, 1, 0,
        0),
    OKC("{\"id\":-1.5,\"op\":\"stats\"}", SILK_REQ_STATS, "-1.5", NULL, SILK_MODE_ALL, 10, 0, 1, 0,
        0),
    OKC("{\"op\":\"reindex\",\"id\":\"r1\"}", SILK_REQ_REINDEX, "\"r1\"", NULL, SILK_MODE_ALL, 10,
        0, 1, 0, 0),
    /* Ops other than search ignore search fields, even malformed ones. */
    OKC("{\"op\":\"ping\",\"q\":5,\"limit\":\"x\"}", SILK_REQ_PING, "null", NULL, SILK_MODE_ALL, 10,
        0, 1, 0, 0),
    /* Unknown members are ignored (forward compatibility). */
    OKC("{\"q\":\"x\",\"client\":\"vim\",\"extra\":{\"a\":[1]}}", SILK_REQ_SEARCH, "null", "x",
        SILK_MODE_ALL, 10, 0, 1, 0, 0),
    OKC("{\"q\":\"x\",\"fields\":[\"id\",\"score\",\"text\"]}", SILK_REQ_SEARCH, "null", "x",
        SILK_MODE_ALL, 10, 0, 1, 0, SILK_FIELD_ID | SILK_FIELD_SCORE | SILK_FIELD_TEXT),
    OKC("{\"q\":\"x\",\"limit\":0,\"offset\":100000}", SILK_REQ_SEARCH, "null", "x", SILK_MODE_ALL,
        0, 100000, 1, 0, 0),
    OKC("{\"q\":\"x\",\"limit\":1000}", SILK_REQ_SEARCH, "null", "x", SILK_MODE_ALL, 1000, 0, 1, 0,
        0),

    /* Errors. */
    ERR("{", SILK_PROTO_BAD_REQUEST, "invalid JSON", -2),
    ERR("{bad", SILK_PROTO_BAD_REQUEST, "invalid JSON", -2),
    ERR("{\"q\":\"x\"} trailing", SILK_PROTO_BAD_REQUEST, "invalid JSON", -2),
    ERR("{\"q\":\"x\",\"q\":\"y\"}", SILK_PROTO_BAD_REQUEST, "invalid JSON", -2),
    ERR("{\"q\":\"a\\u0000b\"}", SILK_PROTO_BAD_REQUEST, "invalid JSON", -2),
    ERR("{\"q\":\"\xff\"}", SILK_PROTO_BAD_REQUEST, "invalid JSON", -2),
    ERR("{}", SILK_PROTO_BAD_REQUEST, "needs \"q\"", -1),
    ERR("{\"op\":\"search\"}", SILK_PROTO_BAD_REQUEST, "needs \"q\"", -1),
    ERR("{\"q\":5}", SILK_PROTO_BAD_REQUEST, "\"q\" must be a string", -1),
    ERR("{\"q\":null}", SILK_PROTO_BAD_REQUEST, "\"q\" must be a string", -1),
    ERR("{\"op\":\"drop\"}", SILK_PROTO_BAD_REQUEST, "unknown op \"drop\"", -1),
    ERR("{\"op\":1}", SILK_PROTO_BAD_REQUEST, "\"op\" must be a string", -1),
    ERR("{\"id\":[1],\"op\":\"ping\"}", SILK_PROTO_BAD_REQUEST, "\"id\" must be", -1),
    ERR("{\"id\":{},\"op\":\"ping\"}", SILK_PROTO_BAD_REQUEST, "\"id\" must be", -1),
    ERR("{\"q\":\"x\",\"limit\":-1}", SILK_PROTO_BAD_REQUEST, "\"limit\" must be", -1),
    ERR("{\"q\":\"x\",\"limit\":1001}", SILK_PROTO_BAD_REQUEST, "\"limit\" must be", -1),
    ERR("{\"q\":\"x\",\"limit\":2.5}", SILK_PROTO_BAD_REQUEST, "\"limit\" must be", -1),
    ERR("{\"q\":\"x\",\"limit\":\"10\"}", SILK_PROTO_BAD_REQUEST, "\"limit\" must be", -1),
    ERR("{\"q\":\"x\",\"offset\":100001}", SILK_PROTO_BAD_REQUEST, "\"offset\" must be", -1),
    ERR("{\"q\":\"x\",\"mode\":\"some\"}", SILK_PROTO_BAD_REQUEST, "\"mode\" must be", -1),
    ERR("{\"q\":\"x\",\"snippets\":1}", SILK_PROTO_BAD_REQUEST, "\"snippets\" must be", -1),
    ERR("{\"q\":\"x\",\"explain\":\"yes\"}", SILK_PROTO_BAD_REQUEST, "\"explain\" must be", -1),
    ERR("{\"q\":\"x\",\"fields\":\"id\"}", SILK_PROTO_BAD_REQUEST, "\"fields\" must be", -1),
    ERR("{\"q\":\"x\",\"fields\":[\"id\",3]}", SILK_PROTO_BAD_REQUEST, "\"fields\" must be", -1),
    ERR("{\"q\":\"x\",\"fields\":[\"color\"]}", SILK_PROTO_BAD_REQUEST, "unknown hit field", -1),
};

static void test_decode_table(void **state)
{
    (void)state;
    silk_request_t *req = malloc(sizeof *req);
    assert_non_null(req);
    for (size_t i = 0; i < sizeof decode_cases / sizeof decode_cases[0]; i++) {
        const decode_case_t *c = &decode_cases[i];
        silk_status_t rc = silk_proto_decode(c->line, strlen(c->line), req);
        if (rc != c->status)
            fail_msg("case %zu (%s): status %d, want %d (%s)", i, c->line, rc, c->status,
                     req->message);
        if (rc == SILK_OK) {
            if (req->op != c->op)
                fail_msg("case %zu (%s): op %d, want %d", i, c->line, req->op, c->op);
            assert_string_equal(req->id, c->id);
            assert_int_equal(req->id_len, strlen(c->id));
            if (c->q) {
                assert_string_equal(req->q, c->q);
                assert_int_equal(req->q_len, strlen(c->q));
            }
            if (c->op == SILK_REQ_SEARCH) {
                assert_int_equal(req->mode, c->mode);
                assert_int_equal(req->limit, c->limit);
                assert_int_equal(req->offset, c->offset);
                assert_int_equal(req->snippets, c->snippets);
                assert_int_equal(req->explain, c->explain);
                if (c->fields)
                    assert_int_equal(req->fields, c->fields);
            }
            assert_int_equal(req->code, SILK_PROTO_OK);
        } else {
            if (req->code != c->code)
                fail_msg("case %zu (%s): code %d, want %d", i, c->line, req->code, c->code);
            if (c->msg_part && !strstr(req->message, c->msg_part))
                fail_msg("case %zu (%s): message '%s' lacks '%s'", i, c->line, req->message,
                         c->msg_part);
            if (c->position != -2)
                assert_int_equal(req->position, c->position);
        }
    }
    free(req);
}

static void test_decode_positions_and_ids(void **state)
{
    (void)state;
    silk_request_t *req = malloc(sizeof *req);
    /* The position of a JSON error counts from the start of the line, blanks included. */
    const char *bad = "  {\"q\":}";
    assert_int_equal(silk_proto_decode(bad, strlen(bad), req), SILK_ERR_INVALID);
    assert_int_equal(req->code, SILK_PROTO_BAD_REQUEST);
    assert_true(req->position >= 7 && req->position <= 8);
    /* An error after the id was read still echoes the id. */
    const char *l2 = "{\"id\":42,\"op\":\"nope\"}";
    assert_int_equal(silk_proto_decode(l2, strlen(l2), req), SILK_ERR_INVALID);
    assert_string_equal(req->id, "42");
    /* Ids longer than the bound are refused rather than cut. */
    char big[600];
    int n = snprintf(big, sizeof big, "{\"id\":\"%0300d\",\"op\":\"ping\"}", 0);
    assert_int_equal(silk_proto_decode(big, (size_t)n, req), SILK_ERR_INVALID);
    assert_non_null(strstr(req->message, "\"id\" is longer"));
    assert_string_equal(req->id, "null");
    /* A query over SILK_QUERY_MAX_BYTES is a bad_query at the bound, raw or in JSON. */
    char *q = malloc(SILK_QUERY_MAX_BYTES + 100);
    memset(q, 'a', SILK_QUERY_MAX_BYTES + 1);
    assert_int_equal(silk_proto_decode(q, SILK_QUERY_MAX_BYTES + 1, req), SILK_ERR_INVALID);
    assert_int_equal(req->code, SILK_PROTO_BAD_QUERY);
    assert_int_equal(req->position, SILK_QUERY_MAX_BYTES);
    assert_int_equal(silk_proto_decode(q, SILK_QUERY_MAX_BYTES, req), SILK_OK);
    assert_int_equal(req->q_len, SILK_QUERY_MAX_BYTES);
    free(q);
    /* NUL bytes in a raw line are part of the query (the length is what counts). */
    assert_int_equal(silk_proto_decode("a\0b", 3, req), SILK_OK);
    assert_int_equal(req->q_len, 3);
    /* A NULL line with length 0 is blank. */
    assert_int_equal(silk_proto_decode(NULL, 0, req), SILK_OK);
    assert_int_equal(req->op, SILK_REQ_NONE);
    free(req);
}

/* ---- encoding ------------------------------------------------------------------------------ */

static json_t *parse_line(const silk_proto_buf_t *b)
{
    assert_true(b->len > 0);
    assert_int_equal(b->data[b->len - 1], '\n');
    assert_null(memchr(b->data, '\n', b->len - 1));
    json_error_t err;
    json_t *j = json_loadb(b->data, b->len, 0, &err);
    if (!j)
        fail_msg("invalid JSON (%s): %.*s", err.text, (int)b->len, b->data);
    return j;
}

static void test_encode_error_and_ok(void **state)
{
    (void)state;
    silk_proto_buf_t b = {0};
    assert_int_equal(
        silk_proto_encode_error(&b, "7", 1, SILK_PROTO_BAD_QUERY, "unbalanced quote at 5", 5),
        SILK_OK);
    const char *want = "{\"id\":7,\"ok\":false,\"error\":{\"code\":\"bad_query\","
                       "\"message\":\"unbalanced quote at 5\",\"position\":5}}\n";
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);

    b.len = 0;
    assert_int_equal(silk_proto_encode_error(&b, NULL, 0, SILK_PROTO_TOO_LARGE, "big", -1),
                     SILK_OK);
    want = "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"too_large\",\"message\":\"big\"}}\n";
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);

    /* Appends: two lines in one buffer. */
    assert_int_equal(silk_proto_encode_ok(&b, "\"p\"", 3, ",\"pong\":true", 12), SILK_OK);
    const char *second = memchr(b.data, '\n', b.len) + 1;
    want = "{\"id\":\"p\",\"ok\":true,\"pong\":true}\n";
    assert_int_equal(b.data + b.len - second, strlen(want));
    assert_memory_equal(second, want, strlen(want));

    /* Messages with quotes, control bytes and invalid UTF-8 still make valid JSON. */
    b.len = 0;
    assert_int_equal(silk_proto_encode_error(&b, NULL, 0, SILK_PROTO_INTERNAL,
                                             "a\"b\\c\n\x01\xff\xc3(\xe2\x82", -1),
                     SILK_OK);
    json_t *j = parse_line(&b);
    const char *m = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
    /* One U+FFFD per maximal invalid subpart (include/silk/utf8.h): \xff, \xc3 (cut short
     * by '('), and \xe2\x82 (cut short by the end) are three. */
    assert_string_equal(m, "a\"b\\c\n\x01\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd");
    json_decref(j);

    for (int c = 0; c <= SILK_PROTO_NCODES; c++)
        assert_non_null(silk_proto_code_name((silk_proto_code_t)c));
    assert_string_equal(silk_proto_code_name(SILK_PROTO_OVERLOADED), "overloaded");
    assert_string_equal(silk_proto_code_name(SILK_PROTO_UNAVAILABLE), "unavailable");
    silk_proto_buf_free(&b);
    silk_proto_buf_free(&b);
}

static void test_encode_result(void **state)
{
    (void)state;
    static const uint32_t hl[] = {3, 7, 10, 14};
    const char *data1 = "{\"id\":\"a#p1\",\"kind\":\"lead\",\"text\":\"Iran and \\\"DPRK\\\"\","
                        "\"cites\":[1,2,3],\"extra\":{\"x\":[true,null,-1.5e3]}}";
    const char *data2 = "{\"id\":\"a#ref-4\",\"year\":2007,\"authors\":[\"Con Coughlin\"],"
                        "\"cited_by\":[\"p1\",\"p7\"]}";
    silk_hit_t hits[3] = {
        {.rank = 1,
         .score = 8.41,
         .id = "a#p1",
         .kind = "lead",
         .article = "Iran–North Korea relations",
         .section = "",
         .snippet = "… axis of evil …",
         .highlights = hl,
         .nhighlights = 2,
         .data = data1,
         .data_len = strlen(data1)},
        {.rank = 2,
         .score = 1.5,
         .id = "a#ref-4",
         .kind = "reference",
         .article = "A",
         .section = "References",
         .snippet = "ref",
         .data = data2,
         .data_len = strlen(data2)},
        /* A damaged document: its data is not JSON; the hit still encodes. */
        {.rank = 3,
         .score = 0.5,
         .id = "a#p9",
         .kind = "paragraph",
         .data = "{\"cites\":[1,",
         .data_len = 12},
    };
    static const silk_correction_t corr[] = {{"misile", "missile"}, {"misile", "mobile"}};
    silk_result_t res = {.total = 3,
                         .exact = 1,
                         .relaxed = 0,
                         .ncorrections = 2,
                         .corrections = corr,
                         .did_you_mean = "axis of evil",
                         .explain = "(AND axis evil)",
                         .nhits = 3,
                         .hits = hits,
                         .took_us = 212};
    silk_request_t *req = malloc(sizeof *req);
    const char *line = "{\"id\":7,\"q\":\"axis\",\"explain\":true}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);

    silk_proto_buf_t b = {0};
    assert_int_equal(silk_proto_encode_result(&b, req, &res), SILK_OK);
    json_t *j = parse_line(&b);
    assert_int_equal(json_integer_value(json_object_get(j, "id")), 7);
    assert_true(json_is_true(json_object_get(j, "ok")));
    assert_int_equal(json_integer_value(json_object_get(j, "took_us")), 212);
    assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
    assert_true(json_is_true(json_object_get(j, "exact")));
    assert_true(json_is_false(json_object_get(j, "relaxed")));
    assert_string_equal(json_string_value(json_object_get(j, "did_you_mean")), "axis of evil");
    assert_string_equal(json_string_value(json_object_get(j, "explain")), "(AND axis evil)");
    json_t *cj = json_object_get(j, "corrections");
    assert_int_equal(json_array_size(cj), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cj, 0), "from")),
                        "misile");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cj, 0), "to")), "missile");
    assert_string_equal(json_string_value(json_object_get(json_array_get(cj, 1), "to")), "mobile");
    assert_int_equal(req->no_typos, 0); /* typos on unless asked off */
    json_t *hs = json_object_get(j, "hits");
    assert_int_equal(json_array_size(hs), 3);
    json_t *h = json_array_get(hs, 0);
    assert_int_equal(json_integer_value(json_object_get(h, "rank")), 1);
    assert_string_equal(json_string_value(json_object_get(h, "id")), "a#p1");
    assert_string_equal(json_string_value(json_object_get(h, "kind")), "lead");
    assert_true(json_real_value(json_object_get(h, "score")) > 8.40);
    assert_string_equal(json_string_value(json_object_get(h, "article")),
                        "Iran–North Korea relations");
    assert_string_equal(json_string_value(json_object_get(h, "section")), "");
    assert_string_equal(json_string_value(json_object_get(h, "snippet")), "… axis of evil …");
    json_t *hlj = json_object_get(h, "highlights");
    assert_int_equal(json_array_size(hlj), 2);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(hlj, 1), 0)), 10);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(hlj, 1), 1)), 14);
    assert_int_equal(json_array_size(json_object_get(h, "cites")), 3);
    assert_null(json_object_get(h, "text"));  /* only when asked for */
    assert_null(json_object_get(h, "extra")); /* not a hit field */
    h = json_array_get(hs, 1);
    assert_int_equal(json_integer_value(json_object_get(h, "year")), 2007);
    assert_string_equal(json_string_value(json_array_get(json_object_get(h, "authors"), 0)),
                        "Con Coughlin");
    assert_int_equal(json_array_size(json_object_get(h, "cited_by")), 2);
    assert_int_equal(json_array_size(json_object_get(h, "highlights")), 0);
    h = json_array_get(hs, 2);
    assert_string_equal(json_string_value(json_object_get(h, "id")), "a#p9");
    assert_null(json_object_get(h, "cites"));
    assert_null(json_object_get(h, "snippet")); /* NULL snippet: no snippet fields */
    json_decref(j);

    /* "fields" selects; "text" comes from the stored data; explain only when asked. */
    line = "{\"id\":\"s\",\"q\":\"axis\",\"fields\":[\"text\",\"score\"]}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    b.len = 0;
    res.did_you_mean = NULL;
    res.ncorrections = 0;
    assert_int_equal(silk_proto_encode_result(&b, req, &res), SILK_OK);
    j = parse_line(&b);
    assert_null(json_object_get(j, "did_you_mean"));
    assert_null(json_object_get(j, "corrections")); /* only when there are some */
    assert_null(json_object_get(j, "explain"));
    h = json_array_get(json_object_get(j, "hits"), 0);
    assert_int_equal(json_object_size(h), 2);
    assert_string_equal(json_string_value(json_object_get(h, "text")), "Iran and \"DPRK\"");
    h = json_array_get(json_object_get(j, "hits"), 1);
    assert_int_equal(json_object_size(h), 1); /* no text in its data */
    json_decref(j);

    /* Only data fields, first in the object: still valid. */
    line = "{\"q\":\"axis\",\"fields\":[\"cites\"]}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    b.len = 0;
    assert_int_equal(silk_proto_encode_result(&b, req, &res), SILK_OK);
    j = parse_line(&b);
    h = json_array_get(json_object_get(j, "hits"), 0);
    assert_int_equal(json_object_size(h), 1);
    assert_int_equal(json_array_size(json_object_get(h, "cites")), 3);
    json_decref(j);

    /* No hits. */
    res.nhits = 0;
    b.len = 0;
    assert_int_equal(silk_proto_encode_result(&b, req, &res), SILK_OK);
    j = parse_line(&b);
    assert_int_equal(json_array_size(json_object_get(j, "hits")), 0);
    json_decref(j);
    silk_proto_buf_free(&b);
    free(req);
}

/* Scores print with six significant digits and no trailing zeros; ranks as integers. */
static void test_numbers(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {8.41, "8.41"},
        {0.0196266, "0.0196266"},
        {11.05364, "11.0536"},
        {9.9999996, "10"},
        {1, "1"},
        {0, "0"},
        {123456789, "123456789"},
        {-2.5, "-2.5"},
        {0.00012345, "0.00012345"},
        {1e12, "1e+12"},
        {0.0010004, "0.0010004"},
        {4.012684, "4.01268"},
    };
    silk_request_t *req = malloc(sizeof *req);
    const char *line = "{\"q\":\"x\",\"fields\":[\"rank\",\"score\"]}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    silk_proto_buf_t b = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        silk_hit_t hit = {.rank = 4294967295u, .score = cases[i].v};
        silk_result_t res = {.total = UINT64_MAX, .nhits = 1, .hits = &hit};
        b.len = 0;
        assert_int_equal(silk_proto_encode_result(&b, req, &res), SILK_OK);
        char want[200];
        snprintf(want, sizeof want,
                 "{\"id\":null,\"ok\":true,\"took_us\":0,\"total\":18446744073709551615,"
                 "\"exact\":false,\"relaxed\":false,\"hits\":[{\"rank\":4294967295,"
                 "\"score\":%s}]}\n",
                 cases[i].want);
        if (b.len != strlen(want) || memcmp(b.data, want, b.len))
            fail_msg("score %g: got %.*s", cases[i].v, (int)b.len, b.data);
    }
    silk_proto_buf_free(&b);
    free(req);
}

/* Members after strings with escaped quotes and backslashes are still found; malformed
 * data loses its fields but never breaks the line. */
static void test_data_scan(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        const char *want; /* the hit object expected */
    } cases[] = {
        {"{\"text\":\"a \\\" b\",\"cites\":[1]}", "{\"cites\":[1]}"},
        {"{\"text\":\"x\\\\\",\"cites\":[2]}", "{\"cites\":[2]}"},
        {"{\"text\":\"x\\\\\\\"\",\"year\":1999}", "{\"year\":1999}"},
        {" { \"a\" : { \"b\" : [ \"]\" , { } ] } , \"cites\" : [ 3 , 4 ] } ",
         "{\"cites\":[ 3 , 4 ]}"},
        {"{\"cites\":[1,}", "{}"},
        {"{\"cites\":\"\x01\"}", "{}"},
        {"{\"cites\":[01]}", "{}"},
        {"{\"cites\":[1]", "{\"cites\":[1]}"},
        {"[1,2]", "{}"},
        {"", "{}"},
        {"{\"text\":\"unterminated", "{}"},
        {"{\"authors\":[\"\xc3\xa9\"],\"year\":2007}",
         "{\"authors\":[\"\xc3\xa9\"],\"year\":2007}"}, /* in the data's order */
        {"{\"authors\":[\"\xff\"],\"year\":2007}", "{\"year\":2007}"},
    };
    silk_request_t *req = malloc(sizeof *req);
    const char *line = "{\"q\":\"x\",\"fields\":[\"cites\",\"year\",\"authors\"]}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    silk_proto_buf_t b = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        silk_hit_t hit = {.data = cases[i].data, .data_len = strlen(cases[i].data)};
        silk_result_t res = {.nhits = 1, .hits = &hit};
        b.len = 0;
        assert_int_equal(silk_proto_encode_result(&b, req, &res), SILK_OK);
        json_decref(parse_line(&b));
        assert_int_equal(silk_proto_buf_reserve(&b, 1), SILK_OK);
        b.data[b.len] = '\0';
        const char *h = strstr(b.data, "\"hits\":[") + 8;
        size_t hl = strlen(cases[i].want);
        if (strncmp(h, cases[i].want, hl) || strcmp(h + hl, "]}\n"))
            fail_msg("case %zu: got %.*s", i, (int)b.len, b.data);
    }
    silk_proto_buf_free(&b);
    free(req);
}

/* The allocation-free fast path and the jansson path agree. An unknown member in front
 * ("~":0) makes the fast path give up without changing the meaning, so decoding a line
 * with and without it must give the same request (or the same error). */
/* The "rank" member: each parameter checked by rank.h, only those given marked set, a bad
 * one (or an unknown name, or a rank that is not an object) a bad_request naming it. */
static void test_decode_rank(void **state)
{
    (void)state;
    silk_request_t *req = malloc(sizeof *req);
    const char *none = "{\"q\":\"x\"}";
    assert_int_equal(silk_proto_decode(none, strlen(none), req), SILK_OK);
    assert_int_equal(req->rank.set, 0);
    const char *ok = "{\"q\":\"x\",\"rank\":{\"scheme\":\"bm25+\",\"k1\":1.5,\"b\":1,"
                     "\"stopwords\":false,\"fb_docs\":0}}";
    assert_int_equal(silk_proto_decode(ok, strlen(ok), req), SILK_OK);
    assert_int_equal(req->rank.scheme, SILK_WEIGHT_BM25PLUS);
    assert_true(req->rank.k1 == 1.5 && req->rank.b == 1);
    assert_int_equal(req->rank.stopwords, 0);
    assert_int_equal(req->rank.fb_docs, 0);
    silk_rank_t base;
    silk_rank_defaults(&base);
    double c = base.c;
    silk_rank_merge(&base, &req->rank);
    assert_true(base.k1 == 1.5 && base.c == c && base.fb_docs == 0);
    static const char *const bad[][2] = {
        {"{\"q\":\"x\",\"rank\":{\"k1\":-1}}", "k1"},
        {"{\"q\":\"x\",\"rank\":{\"k1\":\"1\",\"b\":2}}", "b"},
        {"{\"q\":\"x\",\"rank\":{\"scheme\":\"lmweight\"}}", "scheme"},
        {"{\"q\":\"x\",\"rank\":{\"fb_docs\":2.5}}", "fb_docs"},
        {"{\"q\":\"x\",\"rank\":{\"stopwords\":null}}", "stopwords"},
        {"{\"q\":\"x\",\"rank\":{\"window\":[8]}}", "window"},
        {"{\"q\":\"x\",\"rank\":{\"bogus\":1}}", "bogus"},
        {"{\"q\":\"x\",\"rank\":[]}", "\"rank\" must be an object"},
        {"{\"q\":\"x\",\"rank\":\"bm25\"}", "\"rank\" must be an object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(silk_proto_decode(bad[i][0], strlen(bad[i][0]), req), SILK_ERR_INVALID);
        assert_int_equal(req->code, SILK_PROTO_BAD_REQUEST);
        if (strstr(req->message, bad[i][1]) == NULL)
            fail_msg("%s: %s does not name %s", bad[i][0], req->message, bad[i][1]);
    }
    /* Other ops ignore it, as they ignore every search member. */
    const char *ping = "{\"op\":\"ping\",\"rank\":{\"k1\":-1}}";
    assert_int_equal(silk_proto_decode(ping, strlen(ping), req), SILK_OK);
    free(req);
}

static void test_fast_path_agrees(void **state)
{
    (void)state;
    static const char *ids[] = {"1",
                                "0",
                                "-1",
                                "007",
                                "1.5",
                                "\"abc\"",
                                "\"a\\\"b\"",
                                "\"\xc3\xa9\"",
                                "true",
                                "false",
                                "null",
                                "[1]",
                                "123456789012345678",
                                "12345678901234567890",
                                "1e2",
                                "-0",
                                "\"\"",
                                "{}"};
    static const char *ops[] = {"\"search\"", "\"ping\"", "\"stats\"", "\"reindex\"",
                                "\"bad\"",    "5",        "\"PING\"",  "null"};
    static const char *qs[] = {"\"iran\"",
                               "\"\"",
                               "\"a\\u0041\"",
                               "\"\xc3\xa9\"",
                               "3",
                               "\"north korea missile\"",
                               "\"a/b\"",
                               "\"tab\\there\"",
                               "null",
                               "\"\x7f\""};
    static const char *modes[] = {"\"all\"", "\"any\"", "\"ALL\"", "1"};
    static const char *nums[] = {"0",      "10",  "1000",  "1001",
                                 "-1",     "2.0", "\"5\"", "100000",
                                 "100001", "01",  "1e1",   "99999999999999999999"};
    static const char *bools[] = {"true", "false", "1", "null"};
    static const char *fields[] = {"[\"id\"]", "[]", "\"id\""};
    static const char *ws[] = {"", " ", "\t", "\r\n", "  "};
#define MEMBER(key, arr)                                                                           \
    {                                                                                              \
        key, arr, sizeof arr / sizeof arr[0]                                                       \
    }
    static const struct {
        const char *key;         /* member name */
        const char *const *vals; /* values it gets, valid or not */
        unsigned n;              /* how many */
    } members[] = {
        MEMBER("id", ids),         MEMBER("op", ops),        MEMBER("q", qs),
        MEMBER("mode", modes),     MEMBER("limit", nums),    MEMBER("offset", nums),
        MEMBER("snippets", bools), MEMBER("explain", bools), MEMBER("fields", fields),
    };
#undef MEMBER
#define N_MEMBERS (sizeof members / sizeof members[0])
    silk_request_t *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    unsigned seed = 99;
    char line[8192], alt[8300];
    size_t fast_ok = 0;
    for (int iter = 0; iter < 60000; iter++) {
        size_t n = 0;
        int nm = rand_r(&seed) % 6;
#define W() n += (size_t)snprintf(line + n, sizeof line - n, "%s", ws[rand_r(&seed) % 5])
        W();
        line[n++] = '{';
        for (int m = 0; m < nm; m++) {
            if (m)
                line[n++] = ',';
            W();
            /* The tenth kind of member, "x":1, is unknown to the decoder. */
            unsigned k = (unsigned)rand_r(&seed) % 10;
            const char *key = k < N_MEMBERS ? members[k].key : "x";
            const char *val = k < N_MEMBERS ? members[k].vals[rand_r(&seed) % members[k].n] : "1";
            n += (size_t)snprintf(line + n, sizeof line - n, "\"%s\"", key);
            W();
            line[n++] = ':';
            W();
            n += (size_t)snprintf(line + n, sizeof line - n, "%s", val);
            W();
        }
        line[n++] = '}';
        W();
        /* Now and then, damage it. */
        if (rand_r(&seed) % 4 == 0 && n > 2) {
            size_t at = 1 + (size_t)rand_r(&seed) % (n - 1);
            switch (rand_r(&seed) % 3) {
            case 0:
                line[at] = "{}[]\":,\\ 0a"[rand_r(&seed) % 12];
                break;
            case 1:
                memmove(line + at, line + at + 1, n - at - 1);
                n--;
                break;
            default:
                memmove(line + at + 1, line + at, n - at);
                line[at] = "{}\":,\\ "[rand_r(&seed) % 7];
                n++;
            }
        }
        const char *brace = line;
        while (brace < line + n &&
               (*brace == ' ' || *brace == '\t' || *brace == '\r' || *brace == '\n'))
            brace++;
        if (brace == line + n || *brace != '{')
            continue; /* a raw search: no JSON to compare */
        size_t pre = (size_t)(brace - line) + 1;
        const char *after = brace + 1;
        while (after < line + n &&
               (*after == ' ' || *after == '\t' || *after == '\r' || *after == '\n'))
            after++;
        if (after < line + n && *after == '}')
            continue; /* "{}" would become "{"~":0,}" */
        memcpy(alt, line, pre);
        memcpy(alt + pre, "\"~\":0,", 6);
        memcpy(alt + pre + 6, line + pre, n - pre);
        silk_status_t ra = silk_proto_decode(line, n, a);
        silk_status_t rb = silk_proto_decode(alt, n + 6, b);
        if (ra != rb)
            fail_msg("status %d vs %d for %.*s", ra, rb, (int)n, line);
        if (ra == SILK_OK) {
            fast_ok++;
            if (a->op != b->op || strcmp(a->id, b->id) || a->id_len != b->id_len ||
                a->q_len != b->q_len || memcmp(a->q, b->q, a->q_len) || a->mode != b->mode ||
                a->limit != b->limit || a->offset != b->offset || a->snippets != b->snippets ||
                a->explain != b->explain || a->fields != b->fields)
                fail_msg("different requests for %.*s (id %s vs %s)", (int)n, line, a->id, b->id);
        } else {
            if (a->code != b->code)
                fail_msg("code %d vs %d for %.*s", a->code, b->code, (int)n, line);
            if (strncmp(a->message, "invalid JSON", 12) && strcmp(a->message, b->message))
                fail_msg("'%s' vs '%s' for %.*s", a->message, b->message, (int)n, line);
        }
#undef W
    }
    assert_true(fast_ok > 1000);
    free(a);
    free(b);
}

/* Random bytes through decode, and random stored data and strings through the encoder:
 * never a crash, and every response line is valid JSON. */
static void test_random_bytes(void **state)
{
    (void)state;
    silk_request_t *req = malloc(sizeof *req);
    silk_proto_buf_t b = {0};
    unsigned seed = 12345;
    char buf[512];
    static const char alphabet[] = "{}[]\":,\\ u0aq-1e.tfnl\xc3\xa9\xff\x00\r\t";
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = (size_t)(rand_r(&seed) % sizeof buf);
        int mode = rand_r(&seed) % 3;
        for (size_t i = 0; i < n; i++)
            buf[i] =
                mode == 0 ? (char)rand_r(&seed) : alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        if (mode == 2 && n > 0)
            buf[0] = '{';
        silk_status_t rc = silk_proto_decode(buf, n, req);
        b.len = 0;
        if (rc == SILK_OK) {
            silk_hit_t hit = {
                .rank = 1, .id = buf, .kind = "", .snippet = "", .data = buf, .data_len = n};
            char z[sizeof buf + 1];
            memcpy(z, buf, n);
            z[n] = '\0';
            hit.id = z;
            hit.article = z;
            silk_result_t res = {.nhits = 1, .hits = &hit, .did_you_mean = z};
            req->fields = SILK_FIELDS_DEFAULT | SILK_FIELD_TEXT;
            assert_int_equal(silk_proto_encode_result(&b, req, &res), SILK_OK);
        } else {
            assert_int_not_equal(req->code, SILK_PROTO_OK);
            assert_true(strlen(req->message) > 0);
            assert_int_equal(silk_proto_encode_error(&b, req->id, req->id_len, req->code,
                                                     req->message, req->position),
                             SILK_OK);
        }
        json_decref(parse_line(&b));
    }
    silk_proto_buf_free(&b);
    free(req);
}

/* "typos": false turns typo tolerance off; a non-boolean is a bad request. */
static void test_typos_option(void **state)
{
    (void)state;
    silk_request_t *req = malloc(sizeof *req);
    const char *line = "{\"q\":\"misile\",\"typos\":false}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    assert_int_equal(req->no_typos, 1);
    line = "{\"q\":\"misile\",\"typos\":true}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    assert_int_equal(req->no_typos, 0);
    line = "{\"q\":\"misile\",\"typos\":0}";
    assert_int_not_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    assert_int_equal(req->code, SILK_PROTO_BAD_REQUEST);
    free(req);
}

/* "facets" and "facet_limit": decoded in request order; every error a bad_request naming
 * the valid facets; the answer's "facets" object in the request's order. */
static void test_facets(void **state)
{
    (void)state;
    silk_request_t *req = malloc(sizeof *req);
    const char *line = "{\"q\":\"x\",\"facets\":[\"year\",\"kind\",\"section\",\"article\"],"
                       "\"facet_limit\":7}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    assert_int_equal(req->facets.n, 4);
    assert_int_equal(req->facets.ids[0], SILK_FACET_YEAR);
    assert_int_equal(req->facets.ids[1], SILK_FACET_KIND);
    assert_int_equal(req->facets.ids[3], SILK_FACET_ARTICLE);
    assert_int_equal(req->facets.limit, 7);
    line = "{\"q\":\"x\"}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    assert_int_equal(req->facets.n, 0);
    assert_int_equal(req->facets.limit, 0);
    line = "{\"q\":\"x\",\"facets\":[]}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    assert_int_equal(req->facets.n, 0);
    static const struct {
        const char *line, *part;
    } bad[] = {
        {"{\"q\":\"x\",\"facets\":[\"kind\",\"colour\"]}",
         "unknown facet \"colour\" (facets: kind, year, article, section)"},
        {"{\"q\":\"x\",\"facets\":\"kind\"}", "must be an array of facet names"},
        {"{\"q\":\"x\",\"facets\":[1]}", "unknown facet (not a string)"},
        {"{\"q\":\"x\",\"facets\":[\"kind\",\"kind\"]}", "listed twice"},
        {"{\"q\":\"x\",\"facets\":[\"kind\"],\"facet_limit\":0}", "from 1 to 100"},
        {"{\"q\":\"x\",\"facets\":[\"kind\"],\"facet_limit\":101}", "from 1 to 100"},
        {"{\"q\":\"x\",\"facet_limit\":true}", "from 1 to 100"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(silk_proto_decode(bad[i].line, strlen(bad[i].line), req),
                         SILK_ERR_INVALID);
        assert_int_equal(req->code, SILK_PROTO_BAD_REQUEST);
        if (!strstr(req->message, bad[i].part))
            fail_msg("%s: message %s", bad[i].line, req->message);
    }
    /* Encoding. */
    line = "{\"id\":4,\"q\":\"x\",\"facets\":[\"year\",\"kind\"]}";
    assert_int_equal(silk_proto_decode(line, strlen(line), req), SILK_OK);
    static const silk_facet_value_t years[] = {{"2007", 3}, {"1999", 1}};
    static const silk_facet_value_t kinds[] = {{"para\"graph", 4}};
    silk_facet_t f[] = {{.name = "year", .nvalues = 2, .values = years, .distinct = 2},
                        {.name = "kind", .nvalues = 1, .values = kinds, .distinct = 1}};
    silk_result_t res = {.total = 4, .exact = 1, .nfacets = 2, .facets = f};
    silk_proto_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_proto_encode_result(&b, req, &res), SILK_OK);
    const char *want = "{\"id\":4,\"ok\":true,\"took_us\":0,\"total\":4,\"exact\":true,"
                       "\"relaxed\":false,\"facets\":{\"year\":[{\"value\":\"2007\","
                       "\"count\":3},{\"value\":\"1999\",\"count\":1}],\"kind\":[{"
                       "\"value\":\"para\\\"graph\",\"count\":4}]},\"hits\":[]}\n";
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    silk_buf_free(&b);
    free(req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facets),
        cmocka_unit_test(test_typos_option),
        cmocka_unit_test(test_decode_table),
        cmocka_unit_test(test_decode_positions_and_ids),
        cmocka_unit_test(test_encode_error_and_ok),
        cmocka_unit_test(test_encode_result),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_data_scan),
        cmocka_unit_test(test_decode_rank),
        cmocka_unit_test(test_fast_path_agrees),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
