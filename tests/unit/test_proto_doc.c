/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The protocol's doc op end to end inside the library: the request decoder (lib/proto.c),
 * the view of a document with its cites and cited_by (lib/docview.c) over a real index of the
 * corpus article, its encoding (lib/proto_resp.c), and the client's decoding of the answer
 * (lib/proto_client.c), also on literal answer lines. The index is built by the real indexer
 * ($SILK_BIN/silk-index; tests run from the repository root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "silk/docview.h"
#include "silk/proto.h"
#include "silk/proto_client.h"
#include "silk/proto_resp.h"

#include "corpus_fixture.h"

#define ART "iran-north-korea-relations#"

static int group_setup(void **state)
{
    return corpus_fixture_setup(state, "proto-doc");
}

static int group_teardown(void **state)
{
    return corpus_fixture_teardown(state);
}

static silk_request_t *decode(const char *line, silk_status_t want)
{
    static silk_request_t req;
    assert_int_equal(silk_proto_decode(line, strlen(line), &req), want);
    return &req;
}

static void test_decode_request(void **state)
{
    (void)state;
    silk_request_t *r = decode("{\"id\":4,\"op\":\"doc\",\"doc\":\"" ART "p15\"}", SILK_OK);
    assert_int_equal(r->op, SILK_REQ_DOC);
    assert_string_equal(r->id, "4");
    assert_string_equal(r->doc, ART "p15");
    assert_int_equal(r->doc_len, strlen(ART "p15"));
    /* Member order does not matter; unknown members are ignored. */
    r = decode("{\"doc\":\"a#p1\",\"trace\":1,\"op\":\"doc\"}", SILK_OK);
    assert_string_equal(r->doc, "a#p1");
    /* A search line after a doc line leaves no doc id behind. */
    r = decode("{\"q\":\"iran\"}", SILK_OK);
    assert_int_equal(r->op, SILK_REQ_SEARCH);
    assert_int_equal(r->doc_len, 0);

    static const char *bad[] = {
        "{\"op\":\"doc\"}",
        "{\"op\":\"doc\",\"doc\":5}",
        "{\"op\":\"doc\",\"doc\":\"\"}",
        "{\"op\":\"doc\",\"doc\":null}",
        "{\"op\":\"doc\",\"doc\":[\"a#p1\"]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = decode(bad[i], SILK_ERR_INVALID);
        assert_int_equal(r->code, SILK_PROTO_BAD_REQUEST);
        assert_true(strstr(r->message, "\"doc\"") != NULL);
    }
    char line[600];
    char id[SILK_PROTO_DOC_MAX + 2];
    memset(id, 'a', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    snprintf(line, sizeof line, "{\"op\":\"doc\",\"doc\":\"%s\"}", id);
    r = decode(line, SILK_ERR_INVALID);
    assert_int_equal(r->code, SILK_PROTO_BAD_REQUEST);
    id[sizeof id - 2] = '\0'; /* exactly the bound */
    snprintf(line, sizeof line, "{\"op\":\"doc\",\"doc\":\"%s\"}", id);
    r = decode(line, SILK_OK);
    assert_int_equal(r->doc_len, SILK_PROTO_DOC_MAX);

    /* The code and op names. */
    assert_string_equal(silk_proto_code_name(SILK_PROTO_NOT_FOUND), "not_found");
    assert_int_equal(silk_proto_code_parse("not_found"), SILK_PROTO_NOT_FOUND);
    assert_string_equal(silk_proto_op_name(SILK_REQ_DOC), "doc");
    r = decode("{\"op\":\"drop\"}", SILK_ERR_INVALID);
    assert_true(strstr(r->message, "doc") != NULL);
}

static void test_excerpt(void **state)
{
    (void)state;
    char *e = silk_docview_excerpt("short text", 10, 200);
    assert_string_equal(e, "short text");
    free(e);
    e = silk_docview_excerpt("one two three four", 18, 9);
    assert_string_equal(e, "one two…"); /* back to the space, then the ellipsis */
    free(e);
    e = silk_docview_excerpt("abcdefghij", 10, 4);
    assert_string_equal(e, "abcd…");
    free(e);
    /* Characters, not bytes: three Hangul syllables are nine bytes. */
    e = silk_docview_excerpt("조선민주주의", strlen("조선민주주의"), 3);
    assert_string_equal(e, "조선민…");
    free(e);
}

static void test_view_paragraph(void **state)
{
    fixture_t *f = *state;
    silk_docview_t *v = NULL;
    assert_int_equal(silk_docview_open(f->s, ART "p15", strlen(ART "p15"), &v), SILK_OK);
    assert_string_equal(v->id, ART "p15");
    assert_string_equal(v->kind, "paragraph");
    assert_string_equal(v->article, "Iran–North Korea relations");
    assert_string_equal(v->section, "Military weapons");
    assert_true(strstr(v->text, "Arms Trade Treaty") != NULL);
    assert_int_equal(v->ncites, 2);
    assert_int_equal(v->cites[0].n, 32);
    assert_string_equal(v->cites[0].id, ART "ref-32");
    assert_true(strncmp(v->cites[0].text, "MacFarquhar, Neil", 17) == 0);
    assert_int_equal(v->cites[1].n, 33);
    assert_int_equal(v->ncited_by, 0);
    assert_false(v->has_year);

    /* Encoded as the protocol says, and decoded by the client into the same. */
    silk_proto_buf_t b = {0};
    assert_int_equal(silk_proto_encode_doc(&b, "9", 1, v), SILK_OK);
    assert_true(b.len > 0 && b.data[b.len - 1] == '\n');
    assert_null(memchr(b.data, '\n', b.len - 1));
    silk_response_t r;
    assert_int_equal(silk_response_decode(&r, b.data, b.len - 1), SILK_OK);
    assert_true(r.ok && r.has_doc && r.id == 9);
    assert_string_equal(r.doc.id, ART "p15");
    assert_string_equal(r.doc.section, "Military weapons");
    assert_int_equal(r.doc.text_len, v->text_len);
    assert_int_equal(r.doc.ncites, 2);
    assert_int_equal(r.doc.cites[1].n, 33);
    assert_string_equal(r.doc.cites[1].id, ART "ref-33");
    assert_string_equal(r.doc.cites[0].text, v->cites[0].text);
    assert_int_equal(r.doc.ncited_by, 0);
    silk_response_free(&r);
    silk_proto_buf_free(&b);
    silk_docview_destroy(v);
}

static void test_view_reference(void **state)
{
    fixture_t *f = *state;
    silk_docview_t *v = NULL;
    assert_int_equal(silk_docview_open(f->s, ART "ref-2", strlen(ART "ref-2"), &v), SILK_OK);
    assert_string_equal(v->kind, "reference");
    assert_true(v->has_year);
    assert_int_equal(v->year, 2007);
    assert_int_equal(v->nauthors, 1);
    assert_string_equal(v->authors[0], "Con Coughlin");
    assert_int_equal(v->ncites, 0);
    assert_int_equal(v->ncited_by, 1);
    assert_string_equal(v->cited_by[0].id, ART "p1");
    assert_string_equal(v->cited_by[0].section, "");
    /* The opening of the lead, cut with an ellipsis. */
    const char *t = v->cited_by[0].text;
    assert_true(strncmp(t, "Iran–North Korea relations (Korean:", 34) == 0);
    assert_true(strlen(t) > 150 && strlen(t) < 700);
    assert_string_equal(t + strlen(t) - strlen("…"), "…");

    silk_proto_buf_t b = {0};
    assert_int_equal(silk_proto_encode_doc(&b, NULL, 0, v), SILK_OK);
    const char *want = "{\"id\":null,\"ok\":true,\"doc\":{\"id\":\"" ART "ref-2\",\"kind\":"
                       "\"reference\",\"article\":\"Iran–North Korea relations\",\"section\":"
                       "\"References\",\"text\":\"Coughlin, Con (26 January 2007).";
    assert_memory_equal(b.data, want, strlen(want));
    assert_non_null(strstr(b.data, ",\"year\":2007,\"authors\":[\"Con Coughlin\"],\"cites\":[],"
                                   "\"cited_by\":[{\"id\":\"" ART "p1\",\"section\":\"\",\"text\":"
                                   "\"Iran–North Korea relations (Korean:"));
    silk_proto_buf_free(&b);
    silk_docview_destroy(v);
}

static void test_view_not_found(void **state)
{
    fixture_t *f = *state;
    silk_docview_t *v = (silk_docview_t *)1;
    static const char *ids[] = {ART "p999", "nope#p1", ART, "#", "Q" ART "p1"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        assert_int_equal(silk_docview_open(f->s, ids[i], strlen(ids[i]), &v), SILK_ERR_NOT_FOUND);
        assert_null(v);
    }
    assert_int_equal(silk_docview_open(f->s, "a\0b", 3, &v), SILK_ERR_NOT_FOUND);
    assert_true(silk_searcher_has_index(f->s));
    silk_docview_destroy(NULL);

    /* No index at all: not found, and the searcher says it has none. */
    silk_searcher_t *none = NULL;
    assert_int_equal(silk_searcher_new("/nonexistent/silk-index", NULL, &none), SILK_OK);
    assert_int_equal(silk_docview_open(none, ART "p1", strlen(ART "p1"), &v), SILK_ERR_NOT_FOUND);
    assert_false(silk_searcher_has_index(none));
    silk_searcher_destroy(none);
}

/* The client's request line, and its decoding of literal answer lines. */
static void test_client_side(void **state)
{
    (void)state;
    silk_buf_t b = SILK_BUF_INIT;
    silk_client_req_t c = {.op = SILK_REQ_DOC, .id = 3, .q = "a\"#p1", .q_len = 5};
    assert_int_equal(silk_proto_encode_request(&b, &c), SILK_OK);
    const char *want = "{\"id\":3,\"op\":\"doc\",\"doc\":\"a\\\"#p1\"}\n";
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    static silk_request_t req;
    silk_request_t *r = &req;
    assert_int_equal(silk_proto_decode(b.data, b.len - 1, r), SILK_OK);
    assert_int_equal(r->op, SILK_REQ_DOC);
    assert_string_equal(r->doc, "a\"#p1");
    silk_buf_free(&b);

    const char *line =
        "{\"id\":1,\"ok\":true,\"doc\":{\"id\":\"a#ref-1\",\"kind\":\"reference\",\"article\":"
        "\"A\","
        "\"section\":\"References\",\"text\":\"x\\u0000y\",\"year\":1999,\"authors\":[\"P Q\",3],"
        "\"cites\":[{\"n\":2,\"id\":\"a#ref-2\"},{\"n\":\"x\",\"id\":\"bad\"},{\"n\":4,\"id\":"
        "\"a#ref-4\",\"text\":\"T\"}],\"cited_by\":[{\"id\":\"a#p1\",\"section\":\"S\",\"text\":"
        "\"Para…\"},{\"id\":7},{\"id\":\"a#p9\"}],\"cited_by_more\":5}}";
    silk_response_t resp;
    assert_int_equal(silk_response_decode(&resp, line, strlen(line)), SILK_OK);
    assert_true(resp.has_doc);
    const silk_resp_doc_t *d = &resp.doc;
    assert_string_equal(d->id, "a#ref-1");
    assert_int_equal(d->text_len, 3);
    assert_true(d->has_year);
    assert_int_equal(d->year, 1999);
    assert_int_equal(d->nauthors, 1);
    assert_string_equal(d->authors[0], "P Q");
    assert_int_equal(d->ncites, 2);
    assert_int_equal(d->cites[0].n, 2);
    assert_null(d->cites[0].text);
    assert_string_equal(d->cites[1].text, "T");
    assert_int_equal(d->ncited_by, 2);
    assert_string_equal(d->cited_by[0].section, "S");
    assert_null(d->cited_by[1].text);
    assert_int_equal(d->cites_more, 0);
    assert_int_equal(d->cited_by_more, 5);
    silk_response_free(&resp);

    line = "{\"id\":2,\"ok\":false,\"error\":{\"code\":\"not_found\",\"message\":\"no\"}}";
    assert_int_equal(silk_response_decode(&resp, line, strlen(line)), SILK_OK);
    assert_false(resp.has_doc);
    assert_int_equal(resp.code, SILK_PROTO_NOT_FOUND);
    silk_response_free(&resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_request), cmocka_unit_test(test_excerpt),
        cmocka_unit_test(test_view_paragraph), cmocka_unit_test(test_view_reference),
        cmocka_unit_test(test_view_not_found), cmocka_unit_test(test_client_side),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
