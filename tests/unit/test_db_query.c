/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the Xapian wrapper (include/silk/db.h, lib/xapian.cc): opening errors, invalid
 * arguments, wildcards, values, phrases, synonyms, spelling, metadata, the stemmer.
 *
 * Every test gets a fresh temporary folder (removed afterwards) and builds its databases
 * there with the wrapper itself (tests/unit/db_fixture.h). */
#include "db_fixture.h"

static void test_open_missing(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "no-such-db");
    silk_db_t *db = (silk_db_t *)&db; /* must be reset to NULL */
    char *msg = NULL;
    assert_int_equal(silk_db_open(path, NULL, &db, &msg), SILK_ERR_NOT_FOUND);
    assert_null(db);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "no-such-db"));
    free(msg);
    /* msg may be NULL. */
    assert_int_equal(silk_db_open(path, NULL, &db, NULL), SILK_ERR_NOT_FOUND);

    /* An empty folder is not a database either. */
    path_in(state, path, sizeof path, "empty");
    assert_int_equal(mkdir(path, 0700), 0);
    msg = NULL;
    assert_int_equal(silk_db_open(path, NULL, &db, &msg), SILK_ERR_NOT_FOUND);
    assert_non_null(msg);
    free(msg);

    /* A stub naming a missing shard, and a stub with a bad line. */
    char stub[512];
    path_in(state, stub, sizeof stub, "bad.stub");
    silk_write_file(stub, "auto missing-shard\n");
    msg = NULL;
    assert_int_equal(silk_db_open(stub, NULL, &db, &msg), SILK_ERR_NOT_FOUND);
    assert_non_null(msg);
    free(msg);
    silk_write_file(stub, "frobnicate here\n");
    msg = NULL;
    assert_int_equal(silk_db_open(stub, NULL, &db, &msg), SILK_ERR_NOT_FOUND);
    assert_non_null(strstr(msg, "Bad line"));
    free(msg);

    /* NULL arguments are refused, not crashed on. */
    assert_int_equal(silk_db_open(NULL, NULL, &db, NULL), SILK_ERR_INVALID);
    assert_int_equal(silk_db_open(path, NULL, NULL, NULL), SILK_ERR_INVALID);
    assert_int_equal(silk_db_doc_count(NULL, NULL), SILK_ERR_INVALID);
    assert_string_equal(silk_db_error(NULL), "");
    silk_db_destroy(NULL);
    silk_wdb_destroy(NULL);
    silk_doc_destroy(NULL);
    silk_query_destroy(NULL);
    silk_mset_destroy(NULL);
    silk_stemmer_destroy(NULL);
}

/* A damaged table gives SILK_ERR_CORRUPT (at open or at the first read), with a message. */
static void test_corrupt(void **state)
{
    char path[512], table[600];
    path_in(state, path, sizeof path, "db");
    silk_wdb_t *w = wopen(path, 0);
    char id[32];
    for (int i = 0; i < 200; i++) {
        snprintf(id, sizeof id, "c#%d", i);
        put(w, id, "word in a document", 0);
    }
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
    /* Overwrite every block of the postlist table with junk. */
    snprintf(table, sizeof table, "%s/postlist.glass", path);
    struct stat sb;
    assert_int_equal(stat(table, &sb), 0);
    assert_true(sb.st_size > 0);
    FILE *f = fopen(table, "r+");
    assert_non_null(f);
    for (off_t i = 0; i < sb.st_size; i++)
        fputc(0x5a, f);
    assert_int_equal(fclose(f), 0);

    silk_db_t *db = NULL;
    char *msg = NULL;
    silk_status_t st = silk_db_open(path, NULL, &db, &msg);
    if (st == SILK_OK) {
        silk_query_t *q = term("word");
        silk_mset_t *m = NULL;
        st = silk_db_search(db, q, NULL, &m);
        assert_null(m);
        assert_true(strlen(silk_db_error(db)) > 0);
        silk_query_destroy(q);
        silk_db_destroy(db);
    } else {
        assert_null(db);
        assert_non_null(msg);
        assert_non_null(strstr(msg, "Corrupt"));
    }
    free(msg);
    assert_int_equal(st, SILK_ERR_CORRUPT);
}

static void test_invalid_query_arguments(void **state)
{
    (void)state;
    silk_query_t *q = (silk_query_t *)&q;
    silk_query_t *a = term("a");
    silk_query_t *subs[2] = {a, NULL};
    assert_int_equal(silk_query_combine(SILK_OP_AND, NULL, 2, 0, &q), SILK_ERR_INVALID);
    assert_null(q);
    assert_int_equal(silk_query_combine(SILK_OP_AND, subs, 2, 0, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_combine((silk_op_t)99, subs, 1, 0, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_combine((silk_op_t)-1, subs, 1, 0, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_combine(SILK_OP_OR, subs, 1, 0, NULL), SILK_ERR_INVALID);
    assert_int_equal(silk_query_scale(a, -1.0, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_scale(a, NAN, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_scale(a, INFINITY, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_scale(NULL, 1.0, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_term(NULL, 3, 1, 0, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_term("x", 0, 1, 0, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_wildcard(NULL, 10, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_value_range(0, 1, NAN, 0, 0, &q), SILK_ERR_INVALID);
    assert_int_equal(silk_query_value_range(0xffffffffu, 1, 1, 1, 2, &q), SILK_ERR_INVALID);
    assert_null(silk_query_describe(NULL));
    assert_int_equal(silk_query_length(NULL), 0);

    /* Sensible arguments work; a scale of 0 is allowed (a pure filter). */
    assert_int_equal(silk_query_scale(a, 0.0, &q), SILK_OK);
    char *d = silk_query_describe(q);
    assert_non_null(d);
    assert_non_null(strstr(d, "0 * a"));
    free(d);
    silk_query_destroy(q);
    /* No subqueries: matches nothing, for every operator. */
    assert_int_equal(silk_query_combine(SILK_OP_AND, NULL, 0, 0, &q), SILK_OK);
    assert_int_equal(silk_query_length(q), 0);
    silk_query_destroy(q);

    /* Document builders refuse bad terms too. */
    silk_doc_t *doc = silk_doc_new();
    assert_int_equal(silk_doc_add_term(doc, "", 0, 1), SILK_ERR_INVALID);
    assert_int_equal(silk_doc_add_posting(doc, NULL, 1, 1, 1), SILK_ERR_INVALID);
    assert_int_equal(silk_doc_add_boolean_term(NULL, "x", 1), SILK_ERR_INVALID);
    assert_int_equal(silk_doc_add_value(doc, 0xffffffffu, 1.0), SILK_ERR_INVALID);
    assert_int_equal(silk_doc_set_data(doc, NULL, 5), SILK_ERR_INVALID);
    silk_doc_destroy(doc);
    silk_query_destroy(a);
}

static void test_invalid_arguments_on_handles(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_corpus(path);
    silk_wdb_t *w = wopen(path, 0);
    /* A term longer than Xapian's limit is refused at replace time with a message. */
    char big[400];
    memset(big, 'x', sizeof big);
    silk_doc_t *doc = silk_doc_new();
    assert_int_equal(silk_doc_add_term(doc, big, sizeof big, 1), SILK_OK);
    assert_int_equal(silk_wdb_replace(w, "Qbig", doc), SILK_ERR_INVALID);
    assert_non_null(strstr(silk_wdb_error(w), "long"));
    silk_doc_destroy(doc);
    assert_int_equal(silk_wdb_replace(w, "", NULL), SILK_ERR_INVALID);
    assert_int_equal(silk_wdb_set_metadata(w, "", "v"), SILK_ERR_INVALID);
    silk_wdb_destroy(w);

    /* A phrase over something that is not a term is refused (Xapian checks it as the
     * query is built), and a search with no query too. */
    silk_db_t *db = ropen(path);
    silk_query_t *and = combine_words(SILK_OP_AND, 0, 2, "north", "korea");
    silk_query_t *evil = term("evil");
    silk_query_t *subs[2] = {and, evil};
    silk_query_t *phrase = (silk_query_t *)&phrase;
    assert_int_equal(silk_query_combine(SILK_OP_PHRASE, subs, 2, 0, &phrase), SILK_ERR_INVALID);
    assert_null(phrase);
    silk_mset_t *m = (silk_mset_t *)&m;
    assert_int_equal(silk_db_search(db, NULL, NULL, &m), SILK_ERR_INVALID);
    assert_null(m);
    assert_true(strlen(silk_db_error(db)) > 0);
    silk_query_destroy(phrase);
    silk_query_destroy(and);
    silk_query_destroy(evil);
    silk_db_destroy(db);
}

/* ---- query kinds --------------------------------------------------------------------------- */

static void test_wildcard(void **state)
{
    char path[512], hits[512];
    path_in(state, path, sizeof path, "db");
    WRITE_DOCS(path, 0, {"w#1", "nuclear", 0}, {"w#2", "nucleus", 0}, {"w#3", "nuke", 0},
               {"w#4", "null", 0}, {"w#5", "numbers", 0}, {"w#6", "other", 0});
    silk_db_t *db = ropen(path);

    silk_query_t *q = NULL;
    assert_int_equal(silk_query_wildcard("nu", 3, &q), SILK_OK);
    assert_int_equal(hits_of(db, q, NULL, hits, sizeof hits), SILK_ERR_TOO_BROAD);
    assert_true(strlen(silk_db_error(db)) > 0);
    silk_query_destroy(q);

    assert_int_equal(silk_query_wildcard("nu", 5, &q), SILK_OK);
    expect_hits_free(db, q, NULL, "Qw#1,Qw#2,Qw#3,Qw#4,Qw#5");

    assert_int_equal(silk_query_wildcard("nucle", 2, &q), SILK_OK);
    expect_hits_free(db, q, NULL, "Qw#1,Qw#2");

    /* The terms a wildcard expanded to count as matching terms of a hit (Xapian itself
     * leaves them out), also through a combination and a scale. */
    silk_query_t *wc0 = NULL, *scaled = NULL, *other = term("other");
    assert_int_equal(silk_query_wildcard("nucle", 5, &wc0), SILK_OK);
    assert_int_equal(silk_query_scale(wc0, 2.0, &scaled), SILK_OK);
    silk_query_t *both[2] = {other, scaled};
    assert_int_equal(silk_query_combine(SILK_OP_OR, both, 2, 0, &q), SILK_OK);
    silk_query_destroy(wc0);
    silk_query_destroy(scaled);
    silk_query_destroy(other);
    silk_mset_t *m = NULL;
    assert_int_equal(silk_db_search(db, q, NULL, &m), SILK_OK);
    silk_query_destroy(q); /* the mset keeps what it needs */
    assert_int_equal(silk_mset_size(m), 3);
    for (size_t i = 0; i < 3; i++) {
        const char *u = NULL;
        assert_int_equal(silk_mset_unique_term(m, i, &u), SILK_OK);
        collect_t c = {.count = 0};
        assert_int_equal(silk_mset_matching_terms(m, i, collect_cb, &c), SILK_OK);
        assert_string_equal(c.buf, strcmp(u, "Qw#1") == 0   ? "nuclear"
                                   : strcmp(u, "Qw#2") == 0 ? "nucleus"
                                                            : "other");
    }
    silk_mset_destroy(m);

    /* Nested inside an AND the cap still holds. */
    silk_query_t *wc = NULL, *o = term("other");
    assert_int_equal(silk_query_wildcard("nu", 2, &wc), SILK_OK);
    silk_query_t *subs[2] = {o, wc};
    assert_int_equal(silk_query_combine(SILK_OP_OR, subs, 2, 0, &q), SILK_OK);
    assert_int_equal(hits_of(db, q, NULL, hits, sizeof hits), SILK_ERR_TOO_BROAD);
    silk_query_destroy(q);
    silk_query_destroy(wc);
    silk_query_destroy(o);
    silk_db_destroy(db);
}

static void test_value_range_and_sort(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_corpus(path); /* years 2002, 2006, 2010, 2014 */
    silk_db_t *db = ropen(path);
    silk_query_t *q = NULL;
    assert_int_equal(silk_query_value_range(0, 1, 2005, 1, 2010, &q), SILK_OK);
    expect_hits_free(db, q, NULL, "Qa#p2,Qa#p3");
    assert_int_equal(silk_query_value_range(0, 1, 2010, 0, 0, &q), SILK_OK);
    expect_hits_free(db, q, NULL, "Qa#p3,Qa#p4");
    assert_int_equal(silk_query_value_range(0, 0, 0, 1, 2006, &q), SILK_OK);
    expect_hits_free(db, q, NULL, "Qa#p1,Qa#p2");
    assert_int_equal(silk_query_value_range(0, 0, 0, 0, 0, &q), SILK_OK);
    expect_hits_free(db, q, NULL, "Qa#p1,Qa#p2,Qa#p3,Qa#p4");
    /* Negative and fractional numbers sort right too (sortable_serialise). */
    assert_int_equal(silk_query_value_range(0, 1, -5.5, 1, 2001.9, &q), SILK_OK);
    expect_hits_free(db, q, NULL, "");

    /* As a filter on a text query. */
    silk_query_t *text = term("korea"), *range = NULL;
    assert_int_equal(silk_query_value_range(0, 1, 2004, 1, 2020, &range), SILK_OK);
    silk_query_t *subs[2] = {text, range};
    assert_int_equal(silk_query_combine(SILK_OP_FILTER, subs, 2, 0, &q), SILK_OK);
    expect_hits_free(db, q, NULL, "Qa#p2,Qa#p4");
    silk_query_destroy(text);
    silk_query_destroy(range);

    /* Sorting by value, both ways. */
    assert_int_equal(silk_query_match_all(&q), SILK_OK);
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    o.sort_slot = 0;
    expect_hits(db, q, &o, "Qa#p1,Qa#p2,Qa#p3,Qa#p4");
    o.sort_reverse = 1;
    expect_hits_free(db, q, &o, "Qa#p4,Qa#p3,Qa#p2,Qa#p1");
    assert_int_equal(silk_query_match_nothing(&q), SILK_OK);
    expect_hits_free(db, q, NULL, "");
    silk_db_destroy(db);
}

static void test_phrase_near_and_ops(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    WRITE_DOCS(path, 0, {"p#1", "the axis of evil speech", 0},
               {"p#2", "evil of the axis powers", 0}, {"p#3", "axis evil", 0});
    silk_db_t *db = ropen(path);

    silk_query_t *q = combine_words(SILK_OP_PHRASE, 0, 3, "axis", "of", "evil");
    expect_hits(db, q, NULL, "Qp#1");
    assert_int_equal(silk_query_length(q), 3);
    silk_query_destroy(q);
    /* "axis evil" as an exact phrase: only p#3; with a window of 3, p#1 too. */
    expect_hits_free(db, combine_words(SILK_OP_PHRASE, 0, 2, "axis", "evil"), NULL, "Qp#3");
    expect_hits_free(db, combine_words(SILK_OP_PHRASE, 3, 2, "axis", "evil"), NULL, "Qp#1,Qp#3");
    /* NEAR ignores order: "evil ... axis" within 4 positions in p#2 too. */
    expect_hits_free(db, combine_words(SILK_OP_NEAR, 4, 2, "axis", "evil"), NULL, "Qp#1,Qp#2,Qp#3");
    /* Query terms at positions still match as plain terms. */
    silk_query_t *t = NULL;
    assert_int_equal(silk_query_term("speech", 6, 2, 5, &t), SILK_OK);
    expect_hits_free(db, t, NULL, "Qp#1");

    /* The other operators build and run. */
    q = combine_words(SILK_OP_SYNONYM, 0, 2, "speech", "powers");
    expect_hits(db, q, NULL, "Qp#1,Qp#2");
    char *desc = silk_query_describe(q);
    assert_non_null(strstr(desc, "SYNONYM"));
    free(desc);
    silk_query_destroy(q);
    expect_hits_free(db, combine_words(SILK_OP_MAX, 0, 2, "speech", "powers"), NULL, "Qp#1,Qp#2");
    expect_hits_free(db, combine_words(SILK_OP_AND_MAYBE, 0, 2, "axis", "speech"), NULL,
                     "Qp#1,Qp#2,Qp#3");
    q = combine_words(SILK_OP_ELITE_SET, 1, 3, "speech", "powers", "nothing");
    desc = silk_query_describe(q);
    assert_non_null(strstr(desc, "ELITE_SET"));
    free(desc);
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    silk_mset_t *m = NULL;
    assert_int_equal(silk_db_search(db, q, &o, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 1); /* one of the two rare terms is kept */
    silk_mset_destroy(m);
    silk_query_destroy(q);
    silk_db_destroy(db);
}

/* ---- spelling, synonyms, metadata ---------------------------------------------------------- */

typedef struct {
    char t[20][32];
    size_t n;
} terms_t;

static int expand_cb(const char *t, size_t len, double w, void *ud)
{
    terms_t *x = ud;
    assert_true(w > 0 && len < sizeof x->t[0] && x->n < 20);
    memcpy(x->t[x->n], t, len);
    x->t[x->n++][len] = 0;
    return 0;
}

static int has_term(const terms_t *x, const char *t)
{
    for (size_t i = 0; i < x->n; i++)
        if (!strcmp(x->t[i], t))
            return 1;
    return 0;
}

/* Feedback terms: from the first hits only, never the query's, never a prefixed (boolean)
 * term, and with min_docs only those in that many of the hits; each scheme ranks. */
static void test_expand_and_schemes(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_corpus(path);
    silk_wdb_t *w = wopen(path, 0);
    silk_doc_t *d = make_doc("a#p5", "north korea missile tests launch", 0);
    assert_int_equal(silk_doc_add_boolean_term(d, "Kparagraph", 10), SILK_OK);
    assert_int_equal(silk_wdb_replace(w, "Qa#p5", d), SILK_OK);
    silk_doc_destroy(d);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
    silk_db_t *db = ropen(path);
    silk_query_t *q = term("missile");
    silk_mset_t *m = NULL;
    assert_int_equal(silk_db_search(db, q, NULL, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 2); /* p2 and p5 */
    terms_t x = {0};
    assert_int_equal(silk_mset_expand(m, 2, 20, 1, expand_cb, &x), SILK_OK);
    assert_true(has_term(&x, "north") && has_term(&x, "launch") && has_term(&x, "program"));
    assert_false(has_term(&x, "missile")); /* the query's own */
    for (size_t i = 0; i < x.n; i++)
        assert_false(x.t[i][0] >= 'A' && x.t[i][0] <= 'Z'); /* no Q, no K terms */
    assert_false(has_term(&x, "iran"));                     /* not in the hits */
    terms_t y = {0};
    assert_int_equal(silk_mset_expand(m, 2, 20, 2, expand_cb, &y), SILK_OK);
    assert_true(has_term(&y, "north") && has_term(&y, "korea"));
    assert_false(has_term(&y, "launch") || has_term(&y, "program")); /* in one hit only */
    terms_t z = {0};
    assert_int_equal(silk_mset_expand(m, 1, 20, 1, expand_cb, &z), SILK_OK);
    assert_true(z.n > 0 && z.n < x.n);
    assert_int_equal(silk_mset_expand(m, 2, 20, 1, NULL, NULL), SILK_ERR_INVALID);
    silk_mset_destroy(m);
    /* Every scheme; a bad parameter is refused. */
    for (int sc = 0; sc < SILK_WEIGHT_COUNT; sc++) {
        silk_search_opts_t o;
        silk_search_opts_init(&o);
        o.scheme = (silk_weight_t)sc;
        assert_int_equal(silk_db_search(db, q, &o, &m), SILK_OK);
        assert_int_equal(silk_mset_size(m), 2);
        silk_mset_destroy(m);
    }
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    o.scheme = SILK_WEIGHT_INEB2;
    o.c = 0;
    assert_int_equal(silk_db_search(db, q, &o, &m), SILK_ERR_INVALID);
    o.c = 1;
    o.scheme = SILK_WEIGHT_COUNT;
    assert_int_equal(silk_db_search(db, q, &o, &m), SILK_ERR_INVALID);
    silk_query_destroy(q);
    silk_db_destroy(db);
}

static void test_synonyms(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    silk_wdb_t *w = wopen(path, 0);
    assert_int_equal(silk_wdb_add_synonym(w, "dprk", "north korea"), SILK_OK);
    assert_int_equal(silk_wdb_add_synonym(w, "dprk", "pyongyang"), SILK_OK);
    assert_int_equal(silk_wdb_add_synonym(w, "us", "united states"), SILK_OK);
    assert_int_equal(silk_wdb_add_synonym(w, "uk", "britain"), SILK_OK);
    assert_int_equal(silk_wdb_add_synonym(w, "", "x"), SILK_ERR_INVALID);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);

    silk_db_t *db = ropen(path);
    EXPECT_LIST("north korea|pyongyang", silk_db_synonyms, db, "dprk");
    EXPECT_LIST("dprk|uk|us", silk_db_synonym_keys, db);
    EXPECT_LIST("", silk_db_synonyms, db, "nothing");

    assert_int_equal(silk_wdb_clear_synonyms(w, "uk"), SILK_OK);
    commit_and_reopen(w, db);
    EXPECT_LIST("dprk|us", silk_db_synonym_keys, db);

    assert_int_equal(silk_wdb_clear_all_synonyms(w), SILK_OK);
    commit_and_reopen(w, db);
    EXPECT_LIST("", silk_db_synonym_keys, db);
    silk_db_destroy(db);
    silk_wdb_destroy(w);
}

static void test_spelling(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    silk_wdb_t *w = wopen(path, 0);
    assert_int_equal(silk_wdb_add_spelling(w, "pyongyang", 3), SILK_OK);
    assert_int_equal(silk_wdb_add_spelling(w, "nuclear", 5), SILK_OK);
    assert_int_equal(silk_wdb_add_spelling(w, "unclear", 1), SILK_OK);
    assert_int_equal(silk_wdb_add_spelling(w, "", 1), SILK_ERR_INVALID);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_db_t *db = ropen(path);
    expect_spelling(db, "pyongyng", 2, "pyongyang");
    /* The more frequent of two equally close words wins. */
    expect_spelling(db, "nnclear", 1, "nuclear");
    /* Too far away, or already right: no suggestion. */
    expect_spelling(db, "zzzzzz", 2, NULL);
    expect_spelling(db, "nuclear", 2, NULL);
    /* Removing the word's frequency removes the suggestion. */
    assert_int_equal(silk_wdb_remove_spelling(w, "pyongyang", 3), SILK_OK);
    commit_and_reopen(w, db);
    expect_spelling(db, "pyongyng", 2, NULL);
    silk_db_destroy(db);
    silk_wdb_destroy(w);
}

static void test_metadata(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    silk_wdb_t *w = wopen(path, 0);
    assert_int_equal(silk_wdb_set_metadata(w, "silk:corpus:a.txt", "123"), SILK_OK);
    assert_int_equal(silk_wdb_set_metadata(w, "silk:corpus:b.txt", "456"), SILK_OK);
    assert_int_equal(silk_wdb_set_metadata(w, "other", "x"), SILK_OK);
    char *v = NULL;
    expect_wdb_metadata(w, "silk:corpus:a.txt", "123");
    EXPECT_LIST("silk:corpus:a.txt|silk:corpus:b.txt", silk_wdb_metadata_keys, w, "silk:corpus:");
    assert_int_equal(silk_wdb_commit(w), SILK_OK);

    silk_db_t *db = ropen(path);
    expect_db_metadata(db, "silk:corpus:b.txt", "456");
    expect_db_metadata(db, "unset", "");
    assert_int_equal(silk_db_metadata(db, "", &v), SILK_ERR_INVALID);
    assert_null(v);

    /* Setting "" removes the key. */
    assert_int_equal(silk_wdb_set_metadata(w, "other", ""), SILK_OK);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    EXPECT_LIST("silk:corpus:a.txt|silk:corpus:b.txt", silk_wdb_metadata_keys, w, NULL);
    silk_db_destroy(db);
    silk_wdb_destroy(w);
}

/* ---- the stemmer -------------------------------------------------------------------------- */

static void test_stemmer(void **state)
{
    (void)state;
    silk_stemmer_t *st = NULL;
    char buf[64];
    size_t len = 0;
    assert_int_equal(silk_stemmer_new("english", &st), SILK_OK);
    assert_int_equal(silk_stemmer_stem(st, "weapons", 7, buf, sizeof buf, &len), SILK_OK);
    assert_string_equal(buf, "weapon");
    assert_int_equal(len, 6);
    assert_int_equal(silk_stemmer_stem(st, "relations", 9, buf, sizeof buf, &len), SILK_OK);
    assert_string_equal(buf, "relat");
    /* Only len bytes are read. */
    assert_int_equal(silk_stemmer_stem(st, "programsXYZ", 8, buf, sizeof buf, &len), SILK_OK);
    assert_string_equal(buf, "program");
    /* Too small a buffer: TOO_LARGE, with the needed length. */
    assert_int_equal(silk_stemmer_stem(st, "weapons", 7, buf, 6, &len), SILK_ERR_TOO_LARGE);
    assert_int_equal(len, 6);
    assert_int_equal(silk_stemmer_stem(st, "weapons", 7, buf, 7, &len), SILK_OK);
    assert_int_equal(silk_stemmer_stem(st, "", 0, buf, sizeof buf, &len), SILK_OK);
    assert_int_equal(len, 0);
    silk_stemmer_destroy(st);

    assert_int_equal(silk_stemmer_new("en", &st), SILK_OK);
    assert_int_equal(silk_stemmer_stem(st, "running", 7, buf, sizeof buf, &len), SILK_OK);
    assert_string_equal(buf, "run");
    silk_stemmer_destroy(st);
    assert_int_equal(silk_stemmer_new("german", &st), SILK_OK);
    assert_int_equal(silk_stemmer_stem(st, "beziehungen", 11, buf, sizeof buf, &len), SILK_OK);
    assert_string_equal(buf, "bezieh");
    silk_stemmer_destroy(st);
    st = (silk_stemmer_t *)&st;
    assert_int_equal(silk_stemmer_new("klingon", &st), SILK_ERR_INVALID);
    assert_null(st);
    assert_int_equal(silk_stemmer_new(NULL, &st), SILK_ERR_INVALID);
}

/* ---- the index as xapian-delve sees it ----------------------------------------------------- */

/* Runs a shell command and returns its stdout (malloc'd). */
static char *run_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 4096, used = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t n;
    while ((n = fread(out + used, 1, cap - used - 1, p)) > 0) {
        used += n;
        if (cap - used < 2) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[used] = '\0';
    int rc = pclose(p);
    if (rc != 0)
        fail_msg("`%s` exited with %d: %s", cmd, rc, out);
    return out;
}

static void test_xapian_delve(void **state)
{
    char path[512], cmd[1200];
    if (!tool_exists("xapian-delve"))
        fail_msg("xapian-delve is not installed (package xapian-tools)");
    path_in(state, path, sizeof path, "db");
    build_corpus(path);
    /* Also a stem term without positions, as the indexer writes them. */
    silk_wdb_t *w = wopen(path, 0);
    silk_doc_t *doc = make_doc("a#p5", "nuclear weapons", 2020);
    assert_int_equal(silk_doc_add_term(doc, "Zweapon", 7, 1), SILK_OK);
    assert_int_equal(silk_wdb_replace(w, "Qa#p5", doc), SILK_OK);
    silk_doc_destroy(doc);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);

    snprintf(cmd, sizeof cmd, "xapian-delve '%s'", path);
    char *out = run_capture(cmd);
    assert_non_null(strstr(out, "number of documents = 5"));
    free(out);

    /* Postings of "north": documents 1, 2 and 4. */
    snprintf(cmd, sizeof cmd, "xapian-delve -1 -t north '%s'", path);
    out = run_capture(cmd);
    assert_non_null(strstr(out, "termfreq 3"));
    assert_non_null(strstr(out, ":\n1\n2\n4\n"));
    free(out);
    /* Positions of "evil" in document 1 (the 7th word). */
    snprintf(cmd, sizeof cmd, "xapian-delve -1 -t evil -r 1 '%s'", path);
    out = run_capture(cmd);
    assert_non_null(strstr(out, "Position List for term 'evil', record #1:\n7\n"));
    free(out);
    /* The terms of document 5, boolean Q term and Z stem included. */
    snprintf(cmd, sizeof cmd, "xapian-delve -1 -r 5 '%s'", path);
    out = run_capture(cmd);
    assert_non_null(strstr(out, "record #5:\nQa#p5\nZweapon\nnuclear\nweapons\n"));
    free(out);
    /* Stored data and the sortable value. */
    snprintf(cmd, sizeof cmd, "xapian-delve -d -VS0 -r 5 '%s'", path);
    out = run_capture(cmd);
    assert_non_null(strstr(out, "Data for record #5:\n{\"id\":\"a#p5\"}\n"));
    assert_non_null(strstr(out, "Value 0 for record #5: 2020\n"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
        cmocka_unit_test(test_invalid_query_arguments),
        cmocka_unit_test_setup_teardown(test_invalid_arguments_on_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wildcard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_range_and_sort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phrase_near_and_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expand_and_schemes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_synonyms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spelling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
        cmocka_unit_test(test_stemmer),
        cmocka_unit_test_setup_teardown(test_xapian_delve, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
