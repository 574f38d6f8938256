/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the searcher's document cache (include/silk/doccache.h, lib/doccache.c):
 * a document is parsed once per revision and served again from its slot, tokenized only
 * when asked, the byte bound holds (the clock hand frees others; one document alone over
 * the bound is served from scratch and never cached), a cache of 0 bytes still serves every
 * document, stored data that is not a JSON object is refused with a message, and clear
 * empties it. */
#include "db_fixture.h"

#include "silk/doccache.h"
#include "silk/text.h"

#define NDOCS 40

/* Document i: id "d#i", stored {"id","kind","article","section","text"} with a text of
 * 20 + 40 * (i % 3) words; document NDOCS ("bad") stores data that is not JSON. */
static void build(const char *path)
{
    silk_wdb_t *w = wopen(path, SILK_WDB_OVERWRITE);
    for (int i = 0; i <= NDOCS; i++) {
        char id[32], data[4096], q[40];
        snprintf(id, sizeof id, i < NDOCS ? "d#%d" : "bad", i);
        silk_doc_t *doc = make_doc(id, "common word", 0);
        if (i < NDOCS) {
            int at = snprintf(data, sizeof data,
                              "{\"id\":\"%s\",\"kind\":\"paragraph\",\"article\":\"A\","
                              "\"section\":\"S%d\",\"text\":\"",
                              id, i);
            for (int k = 0; k < 20 + 40 * (i % 3); k++)
                at += snprintf(data + at, sizeof data - (size_t)at, "word%d ", k);
            snprintf(data + at, sizeof data - (size_t)at, "end\"}");
        } else {
            snprintf(data, sizeof data, "not json");
        }
        assert_int_equal(silk_doc_set_data(doc, data, strlen(data)), SILK_OK);
        snprintf(q, sizeof q, "Q%s", id);
        assert_int_equal(silk_wdb_replace(w, q, doc), SILK_OK);
        silk_doc_destroy(doc);
    }
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
}

typedef struct {
    silk_db_t *db;
    silk_mset_t *m;
    silk_tokenizer_t *tok;
} env_t;

static void env_open(void **state, env_t *v, const char *word)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build(path);
    v->db = ropen(path);
    silk_query_t *q = term(word);
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    o.limit = NDOCS + 1;
    assert_int_equal(silk_db_search(v->db, q, &o, &v->m), SILK_OK);
    silk_query_destroy(q);
    assert_int_equal(silk_tokenizer_new(&v->tok), SILK_OK);
}

static void env_close(env_t *v)
{
    silk_mset_destroy(v->m);
    silk_db_destroy(v->db);
    silk_tokenizer_destroy(v->tok);
}

/* The hit of m whose document has id `id`. */
static size_t hit_of(env_t *v, silk_doccache_t *c, const char *id)
{
    for (size_t i = 0; i < silk_mset_size(v->m); i++) {
        silk_docent_t *e = NULL;
        if (silk_doccache_get(c, v->m, i, 0, &e) == SILK_OK && !strcmp(e->id, id))
            return i;
    }
    fail_msg("no hit %s", id);
    return 0;
}

static void test_parsed_once_and_cached(void **state)
{
    env_t v;
    env_open(state, &v, "common");
    silk_doccache_t c;
    assert_int_equal(silk_doccache_init(&c, 1u << 20, v.tok, 65536), SILK_OK);
    size_t i = hit_of(&v, &c, "d#4");
    silk_docent_t *e = NULL, *again = NULL;
    assert_int_equal(silk_doccache_get(&c, v.m, i, 0, &e), SILK_OK);
    assert_string_equal(e->kind, "paragraph");
    assert_string_equal(e->article, "A");
    assert_string_equal(e->section, "S4");
    assert_int_equal(strncmp(e->text, "word0 word1", 11), 0);
    assert_int_equal(e->text_len, strlen(e->text));
    assert_int_equal(e->data[e->data_len], '\0');
    assert_false(e->tokenized);
    assert_ptr_not_equal(e, &c.scratch); /* in its slot */
    assert_int_equal(silk_doccache_get(&c, v.m, i, 1, &again), SILK_OK);
    assert_ptr_equal(again, e); /* the same entry, now tokenized */
    assert_true(e->tokenized);
    assert_true(c.bytes >= e->bytes);
    silk_doccache_clear(&c);
    assert_int_equal(c.bytes, 0);
    for (size_t k = 0; k < SILK_DOCCACHE_SLOTS; k++)
        assert_int_equal(c.slots[k].docid, 0);
    silk_doccache_free(&c);
    env_close(&v);
}

static void test_bound_holds(void **state)
{
    env_t v;
    env_open(state, &v, "common");
    silk_docent_t *e = NULL;
    /* Measure one document, then bound the cache to about three of them. */
    silk_doccache_t big;
    assert_int_equal(silk_doccache_init(&big, 1u << 20, v.tok, 65536), SILK_OK);
    assert_int_equal(silk_doccache_get(&big, v.m, hit_of(&v, &big, "d#2"), 1, &e), SILK_OK);
    size_t one = e->bytes;
    silk_doccache_free(&big);

    silk_doccache_t c;
    assert_int_equal(silk_doccache_init(&c, 3 * one, v.tok, 65536), SILK_OK);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < silk_mset_size(v.m); i++) {
            if (silk_doccache_get(&c, v.m, i, 1, &e) != SILK_OK)
                continue; /* "bad" */
            assert_true(c.bytes <= c.budget);
            assert_true(e->tokenized);
        }
    silk_doccache_free(&c);

    /* A bound smaller than any document: each is served from scratch, none cached. */
    assert_int_equal(silk_doccache_init(&c, 16, v.tok, 65536), SILK_OK);
    assert_int_equal(silk_doccache_get(&c, v.m, hit_of(&v, &c, "d#1"), 1, &e), SILK_OK);
    assert_ptr_equal(e, &c.scratch);
    assert_string_equal(e->section, "S1");
    assert_int_equal(c.bytes, 0);
    silk_doccache_free(&c);

    /* No cache at all (0 bytes): still every document, through scratch. */
    assert_int_equal(silk_doccache_init(&c, 0, v.tok, 65536), SILK_OK);
    assert_null(c.slots);
    assert_int_equal(silk_doccache_get(&c, v.m, hit_of(&v, &c, "d#7"), 1, &e), SILK_OK);
    assert_ptr_equal(e, &c.scratch);
    assert_string_equal(e->section, "S7");
    silk_doccache_free(&c);
    env_close(&v);
}

static void test_bad_data_refused(void **state)
{
    env_t v;
    env_open(state, &v, "common");
    silk_doccache_t c;
    assert_int_equal(silk_doccache_init(&c, 1u << 20, v.tok, 65536), SILK_OK);
    int refused = 0;
    for (size_t i = 0; i < silk_mset_size(v.m); i++) {
        silk_docent_t *e = NULL;
        if (silk_doccache_get(&c, v.m, i, 0, &e) == SILK_ERR_CORRUPT) {
            refused++;
            assert_non_null(strstr(c.err, "not a JSON object"));
        }
    }
    assert_int_equal(refused, 1);
    silk_doccache_free(&c);
    env_close(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_parsed_once_and_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bound_holds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_data_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
