/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the Persian suffix morphology (lib/morph.c): the script test, the forms of
 * a word, the bounded join, and the forms an index has (on a small index of its own). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/db.h"
#include "silk/morph.h"
#include "support.h"

#define KOREH  "\xda\xa9\xd8\xb1\xd9\x87"         /* کره */
#define YEH    "\xdb\x8c"                         /* ی */
#define HA     "\xd9\x87\xd8\xa7"                 /* ها */
#define AN     "\xd8\xa7\xd9\x86"                 /* ان */
#define ARABIC "\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa8" /* كتاب */

static void test_is_arabic(void **state)
{
    (void)state;
    assert_true(silk_morph_is_arabic(KOREH));
    assert_true(silk_morph_is_arabic(ARABIC));
    assert_false(silk_morph_is_arabic("iran"));
    assert_false(silk_morph_is_arabic("\xec\xa1\xb0\xec\x84\xa0")); /* 조선 */
    assert_false(silk_morph_is_arabic(""));
}

static void test_forms(void **state)
{
    (void)state;
    char out[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF];
    assert_int_equal(silk_morph_fa_forms("iran", out), 1);
    assert_string_equal(out[0], "iran");
    assert_int_equal(silk_morph_fa_forms(KOREH, out), SILK_FA_SUFFIXES + 1);
    assert_string_equal(out[0], KOREH);
    assert_string_equal(out[1], KOREH YEH);
    assert_string_equal(out[3], KOREH HA);
    for (size_t i = 1; i <= SILK_FA_SUFFIXES; i++) {
        assert_memory_equal(out[i], KOREH, strlen(KOREH));
        assert_true(strlen(out[i]) > strlen(KOREH));
        for (size_t j = 0; j < i; j++) /* every suffix is another form */
            assert_string_not_equal(out[i], out[j]);
    }
}

static void test_join(void **state)
{
    (void)state;
    char buf[SILK_QTERM_BUF], big[SILK_QTERM_BUF + 40];
    assert_int_equal(silk_morph_join(buf, "XA", "relations"), 11);
    assert_string_equal(buf, "XArelations");
    assert_int_equal(silk_morph_join(buf, "", ""), 0);
    assert_string_equal(buf, "");
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(silk_morph_join(buf, "Z", big), SILK_QTERM_BUF - 1);
    assert_int_equal(strlen(buf), SILK_QTERM_BUF - 1);
    assert_int_equal(buf[0], 'Z');
}

/* An index with the plural and the -an forms of کره, and an English word. */
static void test_variants(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char path[600], *msg = NULL;
    assert_int_equal(silk_tmpdir_make(&t, "morph"), 0);
    silk_tmpdir_path(&t, path, sizeof path, "db");
    silk_wdb_t *w = NULL;
    assert_int_equal(silk_wdb_open(path, SILK_WDB_OVERWRITE, &w, &msg), SILK_OK);
    silk_doc_t *doc = silk_doc_new();
    assert_non_null(doc);
    const char *terms[] = {"Qd1", KOREH HA, KOREH AN, "iran"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(silk_doc_add_posting(doc, terms[i], strlen(terms[i]), (uint32_t)i + 1, 1),
                         SILK_OK);
    assert_int_equal(silk_wdb_replace(w, "Qd1", doc), SILK_OK);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_doc_destroy(doc);
    silk_wdb_destroy(w);

    silk_db_t *db = NULL;
    assert_int_equal(silk_db_open(path, NULL, &db, &msg), SILK_OK);
    char out[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF];
    size_t n = 0;
    /* The word itself comes first even when the index lacks it; then the indexed forms,
     * in the order of the suffixes. */
    assert_int_equal(silk_morph_variants(db, KOREH, out, &n), SILK_OK);
    assert_int_equal(n, 3);
    assert_string_equal(out[0], KOREH);
    assert_string_equal(out[1], KOREH HA);
    assert_string_equal(out[2], KOREH AN);
    /* Another script: the word alone, no lookups. */
    assert_int_equal(silk_morph_variants(db, "iran", out, &n), SILK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(out[0], "iran");
    /* A Persian word with no indexed form. */
    assert_int_equal(silk_morph_variants(db, ARABIC, out, &n), SILK_OK);
    assert_int_equal(n, 1);
    silk_db_destroy(db);
    free(msg);
    assert_int_equal(silk_tmpdir_remove(&t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_arabic),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_variants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
