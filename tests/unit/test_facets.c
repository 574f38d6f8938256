/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the facet vocabulary and store (include/silk/facets.h, lib/facets.c): names
 * and slots, ordering by count then value, the limit, and a store reused across searches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/facets.h"

static void test_names_and_slots(void **state)
{
    (void)state;
    assert_int_equal(silk_facet_parse("kind", 4), SILK_FACET_KIND);
    assert_int_equal(silk_facet_parse("year", 4), SILK_FACET_YEAR);
    assert_int_equal(silk_facet_parse("article", 7), SILK_FACET_ARTICLE);
    assert_int_equal(silk_facet_parse("section", 7), SILK_FACET_SECTION);
    assert_int_equal(silk_facet_parse("sect", 4), -1);
    assert_int_equal(silk_facet_parse("kinds", 5), -1);
    assert_int_equal(silk_facet_parse("", 0), -1);
    assert_string_equal(silk_facet_name(SILK_FACET_SECTION), "section");
    assert_string_equal(silk_facet_name(9), "");
    assert_int_equal(silk_facet_slot(SILK_FACET_YEAR), SILK_SLOT_YEAR);
    assert_int_equal(silk_facet_slot(SILK_FACET_KIND), SILK_SLOT_KIND);
    silk_facet_req_t r = {.ids = {SILK_FACET_SECTION, SILK_FACET_KIND}, .n = 2};
    unsigned slots[SILK_FACET_COUNT];
    assert_int_equal(silk_facets_slots(&r, slots), 2);
    assert_int_equal(slots[0], SILK_SLOT_SECTION);
    assert_int_equal(slots[1], SILK_SLOT_KIND);
}

static void test_order_and_limit(void **state)
{
    (void)state;
    silk_facets_t f = {0};
    const char *v[] = {"b", "a", "ab", "c", "d"};
    size_t l[] = {1, 1, 2, 1, 1};
    uint64_t n[] = {5, 5, 5, 9, 1};
    assert_int_equal(silk_facets_add(&f, SILK_FACET_KIND, v, l, n, 5, 3), SILK_OK);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.facets[0].name, "kind");
    assert_int_equal(f.facets[0].nvalues, 3);
    assert_int_equal(f.facets[0].distinct, 5);
    /* Count first; ties by value, byte order, a prefix before its extensions. */
    assert_string_equal(f.facets[0].values[0].value, "c");
    assert_int_equal(f.facets[0].values[0].count, 9);
    assert_string_equal(f.facets[0].values[1].value, "a");
    assert_string_equal(f.facets[0].values[2].value, "ab");
    /* A second facet: the first one's values stay valid though the store grew. */
    const char *big[200];
    size_t bl[200];
    uint64_t bn[200];
    char text[200][16];
    for (int i = 0; i < 200; i++) {
        snprintf(text[i], sizeof text[i], "v%03d", i);
        big[i] = text[i];
        bl[i] = strlen(text[i]);
        bn[i] = (uint64_t)(i % 10);
    }
    assert_int_equal(silk_facets_add(&f, SILK_FACET_SECTION, big, bl, bn, 200, 0), SILK_OK);
    assert_int_equal(f.facets[1].nvalues, SILK_FACET_LIMIT_DEFAULT);
    assert_string_equal(f.facets[1].values[0].value, "v009");
    assert_string_equal(f.facets[1].values[1].value, "v019");
    assert_string_equal(f.facets[0].values[0].value, "c");
    /* The limit is capped at the maximum. */
    assert_int_equal(silk_facets_add(&f, SILK_FACET_YEAR, big, bl, bn, 200, 5000), SILK_OK);
    assert_int_equal(f.facets[2].nvalues, SILK_FACET_LIMIT_MAX);
    /* Nothing counted: an empty list. */
    assert_int_equal(silk_facets_add(&f, SILK_FACET_ARTICLE, NULL, NULL, NULL, 0, 0), SILK_OK);
    assert_int_equal(f.facets[3].nvalues, 0);
    /* Full, or an unknown facet: invalid. */
    assert_int_equal(silk_facets_add(&f, SILK_FACET_KIND, v, l, n, 5, 3), SILK_ERR_INVALID);
    silk_facets_reset(&f);
    assert_int_equal(silk_facets_add(&f, 7, v, l, n, 5, 3), SILK_ERR_INVALID);
    assert_int_equal(silk_facets_add(&f, SILK_FACET_KIND, v, l, n, 2, 1), SILK_OK);
    assert_int_equal(f.n, 1);
    assert_string_equal(f.facets[0].values[0].value, "a");
    silk_facets_free(&f);
    silk_facets_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_and_slots),
        cmocka_unit_test(test_order_and_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
