/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The client's side of the wire protocol (lib/proto_client.c): the exact request lines it
 * writes, that the daemon's own decoder reads them back as they were meant, and answers
 * decoded into structs (search hits, errors, members of stats and reindex answers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/proto_client.h"

/* Encodes req into a fresh buffer and checks the line against want (without its '\n'). */
static void check_request(const silk_client_req_t *req, const char *want)
{
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_proto_encode_request(&b, req), SILK_OK);
    assert_true(b.len > 0 && b.data[b.len - 1] == '\n');
    if (b.len - 1 != strlen(want) || memcmp(b.data, want, b.len - 1))
        fail_msg("got %.*s, want %s", (int)b.len, b.data, want);
    silk_buf_free(&b);
}

static void test_encode_request(void **state)
{
    (void)state;
    silk_client_req_t s = {.op = SILK_REQ_SEARCH,
                           .id = 7,
                           .q = "axis of evil",
                           .q_len = 12,
                           .mode = SILK_MODE_ALL,
                           .limit = 10,
                           .offset = 0};
    check_request(&s, "{\"id\":7,\"op\":\"search\",\"q\":\"axis of evil\",\"mode\":\"all\","
                      "\"limit\":10,\"offset\":0}");
    s.mode = SILK_MODE_ANY;
    s.limit = 1000000000;
    s.offset = 3;
    s.q = "a\"b\\c\n\xff";
    s.q_len = 7;
    check_request(&s, "{\"id\":7,\"op\":\"search\",\"q\":\"a\\\"b\\\\c\\n\xEF\xBF\xBD\","
                      "\"mode\":\"any\",\"limit\":1000000000,\"offset\":3}");
    silk_client_req_t p = {.op = SILK_REQ_PING, .id = 1, .q = "ignored", .q_len = 7};
    check_request(&p, "{\"id\":1,\"op\":\"ping\"}");
    p.op = SILK_REQ_STATS;
    check_request(&p, "{\"id\":1,\"op\":\"stats\"}");
    p.op = SILK_REQ_REINDEX;
    p.id = -2;
    check_request(&p, "{\"id\":-2,\"op\":\"reindex\"}");

    /* A line past the buffer's limit is not half written. */
    silk_buf_t b = {.limit = 20};
    assert_int_not_equal(silk_proto_encode_request(&b, &s), SILK_OK);
    assert_int_equal(b.len, 0);
    silk_buf_free(&b);
}

/* What the client sends, the daemon decodes to the same request. */
static void test_request_round_trip(void **state)
{
    (void)state;
    static const char *qs[] = {"iran", "조선 ایران", "\"axis of evil\" -x", "tab\there", "a/b\\"};
    silk_request_t *req = malloc(sizeof *req);
    silk_buf_t b = SILK_BUF_INIT;
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        silk_client_req_t c = {.op = SILK_REQ_SEARCH,
                               .id = (long long)i + 40,
                               .q = qs[i],
                               .q_len = strlen(qs[i]),
                               .mode = i % 2 ? SILK_MODE_ANY : SILK_MODE_ALL,
                               .limit = i * 3,
                               .offset = i};
        b.len = 0;
        assert_int_equal(silk_proto_encode_request(&b, &c), SILK_OK);
        assert_int_equal(silk_proto_decode(b.data, b.len - 1, req), SILK_OK);
        assert_int_equal(req->op, SILK_REQ_SEARCH);
        assert_int_equal(atoll(req->id), c.id);
        assert_int_equal(req->q_len, c.q_len);
        assert_memory_equal(req->q, c.q, c.q_len);
        assert_int_equal(req->mode, c.mode);
        assert_int_equal(req->limit, c.limit);
        assert_int_equal(req->offset, c.offset);
    }
    silk_buf_free(&b);
    free(req);
}

static void test_decode_search(void **state)
{
    (void)state;
    const char *line =
        "{\"id\":7,\"ok\":true,\"took_us\":212,\"total\":3,\"exact\":false,\"relaxed\":true,"
        "\"did_you_mean\":\"axis\",\"corrections\":[{\"from\":\"misile\",\"to\":\"missile\"},"
        "{\"from\":1}],\"hits\":[{\"rank\":1,\"id\":\"a#p1\",\"kind\":\"lead\","
        "\"score\":8.41,\"article\":\"Iran\",\"section\":\"\",\"snippet\":\"x\\ty evil\","
        "\"highlights\":[[4,8],[3,2],[\"a\",\"b\"],[-1,3],[0,1]]},\"odd\",{\"rank\":3}]}";
    silk_response_t r;
    assert_int_equal(silk_response_decode(&r, line, strlen(line)), SILK_OK);
    assert_true(r.ok);
    assert_true(r.has_id);
    assert_int_equal(r.id, 7);
    assert_int_equal(r.took_us, 212);
    assert_int_equal(r.total, 3);
    assert_false(r.exact);
    assert_true(r.relaxed);
    assert_string_equal(r.did_you_mean, "axis");
    assert_int_equal(r.ncorrections, 1); /* the malformed one is left out */
    assert_string_equal(r.corrections[0], "misile");
    assert_string_equal(r.corrections[1], "missile");
    assert_null(r.code_name);
    assert_int_equal(r.position, -1);
    assert_int_equal(r.nhits, 3);
    const silk_resp_hit_t *h = &r.hits[0];
    assert_int_equal(h->rank, 1);
    assert_string_equal(h->id, "a#p1");
    assert_string_equal(h->kind, "lead");
    assert_string_equal(h->article, "Iran");
    assert_string_equal(h->section, "");
    assert_true(h->score > 8.40 && h->score < 8.42);
    assert_int_equal(h->snippet_len, 8);
    assert_memory_equal(h->snippet, "x\ty evil", 8);
    /* Only real ranges are kept, in order. */
    assert_int_equal(h->nspans, 2);
    assert_int_equal(h->spans[0].start, 4);
    assert_int_equal(h->spans[0].end, 8);
    assert_int_equal(h->spans[1].start, 0);
    assert_int_equal(h->spans[1].end, 1);
    /* A hit that is not an object, and one with only a rank: empty fields. */
    assert_null(r.hits[1].id);
    assert_null(r.hits[1].snippet);
    assert_int_equal(r.hits[1].nspans, 0);
    assert_int_equal(r.hits[2].rank, 3);
    silk_response_free(&r);
    silk_response_free(&r);

    /* Missing members: exact defaults to true, the rest to zero. */
    assert_int_equal(silk_response_decode(&r, "{\"ok\":true}", 11), SILK_OK);
    assert_true(r.exact);
    assert_false(r.has_id);
    assert_int_equal(r.nhits, 0);
    assert_null(r.hits);
    silk_response_free(&r);
}

static void test_decode_error_and_junk(void **state)
{
    (void)state;
    const char *line = "{\"id\":2,\"ok\":false,\"error\":{\"code\":\"bad_query\","
                       "\"message\":\"unbalanced quote at 5\",\"position\":5}}";
    silk_response_t r;
    assert_int_equal(silk_response_decode(&r, line, strlen(line)), SILK_OK);
    assert_false(r.ok);
    assert_string_equal(r.code_name, "bad_query");
    assert_int_equal(r.code, SILK_PROTO_BAD_QUERY);
    assert_string_equal(r.message, "unbalanced quote at 5");
    assert_int_equal(r.position, 5);
    silk_response_free(&r);

    line = "{\"ok\":false,\"error\":{\"code\":\"from_the_future\"}}";
    assert_int_equal(silk_response_decode(&r, line, strlen(line)), SILK_OK);
    assert_string_equal(r.code_name, "from_the_future");
    assert_int_equal(r.code, SILK_PROTO_INTERNAL);
    assert_null(r.message);
    assert_int_equal(r.position, -1);
    silk_response_free(&r);

    /* Not a JSON object: refused, with jansson's reason. */
    assert_int_equal(silk_response_decode(&r, "{\"ok\":", 6), SILK_ERR_INVALID);
    assert_true(strlen(r.why) > 0);
    silk_response_free(&r);
    assert_int_equal(silk_response_decode(&r, "[1]", 3), SILK_ERR_INVALID);
    silk_response_free(&r);

    for (int c = 0; c < SILK_PROTO_NCODES; c++)
        assert_int_equal(silk_proto_code_parse(silk_proto_code_name((silk_proto_code_t)c)), c);
    assert_int_equal(silk_proto_code_parse(NULL), SILK_PROTO_INTERNAL);
}

static void test_members(void **state)
{
    (void)state;
    const char *line = "{\"id\":1,\"ok\":true,\"docs\":55,\"index\":\"ready\",\"avg\":2.5,"
                       "\"connections\":{\"current\":1,\"max\":{\"a\":true}},\"empty\":{},"
                       "\"list\":[1,\"x\"],\"none\":null,\"summary\":{\"up_to_date\":false}}";
    silk_response_t r;
    assert_int_equal(silk_response_decode(&r, line, strlen(line)), SILK_OK);
    assert_int_equal(r.nmembers, 0);
    assert_int_equal(silk_response_members(&r), SILK_OK);
    static const struct {
        const char *name;
        int depth;
        silk_resp_kind_t kind;
        const char *json;
    } want[] = {
        {"id", 0, SILK_RESP_INT, "1"},
        {"ok", 0, SILK_RESP_TRUE, "true"},
        {"docs", 0, SILK_RESP_INT, "55"},
        {"index", 0, SILK_RESP_STRING, NULL},
        {"avg", 0, SILK_RESP_REAL, NULL},
        {"connections", 0, SILK_RESP_OBJECT, NULL},
        {"connections.current", 1, SILK_RESP_INT, "1"},
        {"connections.max", 1, SILK_RESP_OBJECT, NULL},
        {"connections.max.a", 2, SILK_RESP_TRUE, "true"},
        {"empty", 0, SILK_RESP_OBJECT, "{}"},
        {"list", 0, SILK_RESP_ARRAY, "[1,\"x\"]"},
        {"none", 0, SILK_RESP_NULL, "null"},
        {"summary", 0, SILK_RESP_OBJECT, NULL},
        {"summary.up_to_date", 1, SILK_RESP_FALSE, "false"},
    };
    assert_int_equal(r.nmembers, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < r.nmembers; i++) {
        const silk_resp_member_t *m = &r.members[i];
        assert_string_equal(m->name, want[i].name);
        assert_int_equal(m->depth, want[i].depth);
        assert_int_equal(m->kind, want[i].kind);
        if (want[i].json)
            assert_string_equal(m->json, want[i].json);
        else
            assert_null(m->json);
    }
    assert_string_equal(silk_response_find(&r, "index")->str, "ready");
    assert_int_equal(silk_response_find(&r, "index")->str_len, 5);
    assert_true(silk_response_find(&r, "avg")->real == 2.5);
    assert_int_equal(silk_response_find(&r, "connections")->children, 2);
    assert_int_equal(silk_response_int(&r, "docs"), 55);
    assert_int_equal(silk_response_int(&r, "connections.current"), 1);
    assert_int_equal(silk_response_int(&r, "index"), 0); /* not an integer */
    assert_int_equal(silk_response_int(&r, "nope"), 0);
    assert_null(silk_response_find(&r, "connections.nope"));
    /* Listing again replaces the list. */
    assert_int_equal(silk_response_members(&r), SILK_OK);
    assert_int_equal(r.nmembers, sizeof want / sizeof want[0]);
    silk_response_free(&r);
}

/* The request's "facets" member, and what a search answer's "facets" and a hit's cites and
 * cited_by decode to (literal answer lines: the daemon's side is its own change). */
static void test_facets_and_links(void **state)
{
    (void)state;
    static const char *const names[] = {"kind", "year"};
    silk_client_req_t s = {.op = SILK_REQ_SEARCH,
                           .id = 2,
                           .q = "iran",
                           .q_len = 4,
                           .limit = 0,
                           .facets = names,
                           .nfacets = 2};
    check_request(&s, "{\"id\":2,\"op\":\"search\",\"q\":\"iran\",\"mode\":\"all\",\"limit\":0,"
                      "\"offset\":0,\"facets\":[\"kind\",\"year\"]}");
    s.nfacets = 0;
    check_request(&s, "{\"id\":2,\"op\":\"search\",\"q\":\"iran\",\"mode\":\"all\",\"limit\":0,"
                      "\"offset\":0}");

    const char *line =
        "{\"id\":2,\"ok\":true,\"took_us\":9,\"total\":15,\"hits\":[{\"id\":\"a#p1\",\"cites\":"
        "[32,\"x\",33]},{\"id\":\"a#ref-2\",\"cited_by\":[\"p1\",7,\"p4\"]},{\"id\":\"a#p2\"}],"
        "\"facets\":{\"kind\":[{\"value\":\"paragraph\",\"count\":12},{\"value\":\"reference\","
        "\"count\":3},{\"value\":\"bad\"},{\"count\":1}],\"year\":[{\"value\":2007,\"count\":2},"
        "{\"value\":-5,\"count\":1}],\"odd\":3,\"section\":[]}}";
    silk_response_t r;
    assert_int_equal(silk_response_decode(&r, line, strlen(line)), SILK_OK);
    assert_int_equal(r.nhits, 3);
    assert_int_equal(r.hits[0].ncites, 2);
    assert_int_equal(r.hits[0].cites[0], 32);
    assert_int_equal(r.hits[0].cites[1], 33);
    assert_int_equal(r.hits[0].ncited_by, 0);
    assert_int_equal(r.hits[1].ncited_by, 2);
    assert_string_equal(r.hits[1].cited_by[0], "p1");
    assert_string_equal(r.hits[1].cited_by[1], "p4");
    assert_int_equal(r.hits[2].ncites, 0);
    assert_int_equal(r.nfacets, 3); /* "odd" is not an array */
    assert_string_equal(r.facets[0].name, "kind");
    assert_int_equal(r.facets[0].nvalues, 2);
    assert_string_equal(r.facets[0].values[0].value, "paragraph");
    assert_int_equal(r.facets[0].values[0].count, 12);
    assert_string_equal(r.facets[0].values[1].value, "reference");
    assert_int_equal(r.facets[0].values[1].count, 3);
    assert_string_equal(r.facets[1].name, "year");
    assert_string_equal(r.facets[1].values[0].value, "2007"); /* a number, as text */
    assert_string_equal(r.facets[1].values[1].value, "-5");
    assert_string_equal(r.facets[2].name, "section");
    assert_int_equal(r.facets[2].nvalues, 0);
    silk_response_free(&r);
    /* An answer without them has none. */
    line = "{\"id\":3,\"ok\":true,\"total\":0,\"hits\":[]}";
    assert_int_equal(silk_response_decode(&r, line, strlen(line)), SILK_OK);
    assert_int_equal(r.nfacets, 0);
    assert_null(r.facets);
    assert_false(r.has_doc);
    silk_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_request), cmocka_unit_test(test_request_round_trip),
        cmocka_unit_test(test_decode_search),  cmocka_unit_test(test_decode_error_and_junk),
        cmocka_unit_test(test_members),        cmocka_unit_test(test_facets_and_links),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
