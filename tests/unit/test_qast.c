/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the query AST (lib/qast.c) built by hand — constructors, printer, plain
 * test, the first-error-wins error record — and of query words (lib/qword.c): the one
 * tokenizer copier of the parser and the builder, and its bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/qast.h"
#include "silk/qword.h"
#include "silk/text.h"

static silk_qnode_t *word(const char *t, size_t s)
{
    silk_qnode_t *n = silk_qnode_new(SILK_QN_WORD, s, s + strlen(t));
    assert_non_null(n);
    n->term = strdup(t);
    return n;
}

static void test_build_and_print(void **state)
{
    (void)state;
    silk_qnode_t *and = silk_qnode_new(SILK_QN_AND, 0, 30);
    assert_non_null(and);
    assert_int_equal(and->nkids, 0);
    assert_null(and->kids);
    assert_int_equal(silk_qnode_add_kid(and, word("iran", 0)), SILK_OK);
    assert_int_equal(silk_qnode_add_kid(and, word("syria", 5)), SILK_OK);
    silk_qast_t *ast = NULL;
    assert_int_equal(silk_qast_new(and, 2, &ast), SILK_OK);
    assert_ptr_equal(silk_qast_root(ast), and);
    assert_int_equal(silk_qast_term_count(ast), 2);
    assert_true(silk_qast_is_plain(ast));
    char *s = silk_qast_print(ast);
    assert_string_equal(s, "(AND (WORD iran) (WORD syria))");
    free(s);

    silk_qnode_t *f = silk_qnode_new(SILK_QN_FILTER, 11, 25);
    f->filter = SILK_QFILTER_YEAR;
    f->is_range = 1;
    f->has_hi = 1;
    f->hi = 2016;
    assert_int_equal(silk_qnode_add_kid(and, f), SILK_OK);
    assert_false(silk_qast_is_plain(ast));
    assert_false(silk_qnode_is_plain(f));
    assert_true(silk_qnode_is_plain(and->kids[0]));
    s = silk_qast_print(ast);
    assert_string_equal(s, "(AND (WORD iran) (WORD syria) (FIELD year ..2016))");
    free(s);
    silk_qast_destroy(ast);
    silk_qast_destroy(NULL);
    silk_qnode_destroy(NULL);
}

static void test_errors(void **state)
{
    (void)state;
    silk_qerror_t e;
    memset(&e, 0x5a, sizeof e);
    silk_qerror_clear(&e);
    assert_int_equal(e.status, SILK_OK);
    assert_int_equal(e.pos, -1);
    assert_string_equal(e.msg, "");
    assert_int_equal(silk_qerror_set(&e, SILK_ERR_BAD_QUERY, 5, "unbalanced quote at %d", 5),
                     SILK_ERR_BAD_QUERY);
    assert_string_equal(e.msg, "unbalanced quote at 5");
    assert_int_equal(e.pos, 5);
    /* The first error is kept. */
    assert_int_equal(silk_qerror_set(&e, SILK_ERR_NOMEM, 0, "out of memory"), SILK_ERR_BAD_QUERY);
    assert_string_equal(e.msg, "unbalanced quote at 5");
    assert_int_equal(e.pos, 5);
    /* A long message is cut, still terminated. */
    char big[400];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    silk_qerror_clear(&e);
    silk_qerror_set(&e, SILK_ERR_TOO_LARGE, 1, "%s", big);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
}

static void test_qwords(void **state)
{
    (void)state;
    silk_tokenizer_t *tok = NULL;
    silk_stemmer_t *stem = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    assert_int_equal(silk_stemmer_new("english", &stem), SILK_OK);
    silk_tokenizer_set_stemmer(tok, stem);
    silk_qwords_t l = {0};
    const char *q = "Nuclear WEAPONS Hwasong-14";
    assert_int_equal(silk_qwords_tokenize(&l, tok, q, strlen(q), 64), SILK_OK);
    assert_int_equal(l.n, 4);
    assert_string_equal(l.w[0].term, "nuclear");
    assert_string_equal(l.w[1].term, "weapons");
    assert_true(l.w[1].has_stem);
    assert_string_equal(l.w[1].stem, "weapon");
    assert_string_equal(l.w[3].term, "14");
    /* The bound stops the run; the list is reused (emptied first). */
    assert_int_equal(silk_qwords_tokenize(&l, tok, q, strlen(q), 2), SILK_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.w[1].term, "weapons");
    assert_int_equal(silk_qwords_tokenize(&l, tok, "", 0, 2), SILK_OK);
    assert_int_equal(l.n, 0);
    /* A word over the term bound is cut by the tokenizer, and fits. */
    char longw[200];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    assert_int_equal(silk_qwords_tokenize(&l, tok, longw, strlen(longw), 8), SILK_OK);
    assert_int_equal(l.n, 1);
    assert_true(strlen(l.w[0].term) <= SILK_TERM_MAX);
    silk_qwords_free(&l);
    assert_null(l.w);
    silk_qwords_free(NULL);
    silk_tokenizer_destroy(tok);
    silk_stemmer_destroy(stem);
}

/* The key of an article title (the XT term the indexer writes, article:"<title>" reads). */
static void test_qwords_key(void **state)
{
    (void)state;
    silk_tokenizer_t *tok = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    char key[64];
    size_t n = 99;
    const char *t = "Iran–North Korea relations";
    assert_int_equal(silk_qwords_key(tok, t, strlen(t), key, sizeof key, &n), SILK_OK);
    assert_string_equal(key, "iran north korea relations");
    assert_int_equal(n, strlen(key));
    /* The file name form and other spellings give the same key. */
    t = "iran-north-korea-relations";
    assert_int_equal(silk_qwords_key(tok, t, strlen(t), key, sizeof key, &n), SILK_OK);
    assert_string_equal(key, "iran north korea relations");
    t = "  IRAN – North   KOREA relations ";
    assert_int_equal(silk_qwords_key(tok, t, strlen(t), key, sizeof key, &n), SILK_OK);
    assert_string_equal(key, "iran north korea relations");
    /* Cut before the first term that does not fit, never inside one. */
    assert_int_equal(silk_qwords_key(tok, t, strlen(t), key, 16, &n), SILK_OK);
    assert_string_equal(key, "iran north");
    assert_int_equal(silk_qwords_key(tok, "...", 3, key, sizeof key, &n), SILK_OK);
    assert_int_equal(n, 0);
    assert_string_equal(key, "");
    silk_tokenizer_destroy(tok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_and_print),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_qwords),
        cmocka_unit_test(test_qwords_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
