/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Regression tests of protocol failures found by tests/fuzz/fuzz_proto.c, so that `make
 * test`, `make asan` and `make valgrind` check them too (the inputs are also seeds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "silk/proto_resp.h"

/* Stored document data with line breaks between tokens (valid JSON, though the indexer
 * never writes it) was copied into the response verbatim: the response spanned several
 * lines and broke the one-response-per-line framing. */
static void test_stored_data_line_breaks(void **state)
{
    (void)state;
    static const char data[] =
        "{\"text\":\"he\\\"\",\"cites\":[1,\r\n2],\"cited_by\":[\"p1\"\n\n\t]"
        ",\n\"year\"\n:\n2007\n}";
    silk_request_t req;
    assert_int_equal(silk_proto_decode("{\"id\":5,\"q\":\"x\",\"fields\":[\"id\",\"text\","
                                       "\"cites\",\"cited_by\",\"year\"]}",
                                       strlen("{\"id\":5,\"q\":\"x\",\"fields\":[\"id\",\"text\","
                                              "\"cites\",\"cited_by\",\"year\"]}"),
                                       &req),
                     SILK_OK);
    silk_hit_t hit = {.rank = 1, .id = "a#p1", .data = data, .data_len = sizeof data - 1};
    silk_result_t res = {.total = 1, .nhits = 1, .hits = &hit};
    silk_proto_buf_t b = {0};
    assert_int_equal(silk_proto_encode_result(&b, &req, &res), SILK_OK);
    assert_true(b.len > 0 && b.data[b.len - 1] == '\n');
    assert_null(memchr(b.data, '\n', b.len - 1));
    json_error_t err;
    json_t *o = json_loadb(b.data, b.len - 1, 0, &err);
    assert_non_null(o);
    json_t *h = json_array_get(json_object_get(o, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(h, "text")), "he\"");
    assert_int_equal(json_array_size(json_object_get(h, "cites")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(h, "cited_by"), 0)), "p1");
    assert_int_equal(json_integer_value(json_object_get(h, "year")), 2007);
    json_decref(o);
    silk_proto_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stored_data_line_breaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
