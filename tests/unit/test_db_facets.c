/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the Xapian wrapper (include/silk/db.h, lib/xapian.cc): string value slots
 * and their counts over every match (silk_db_search_ex, silk_mset_value_counts), the
 * deadline inside the match (a partial mset, by relevance or sorted by value, ranked as
 * Xapian ranks), and the path check every local path of a
 * stub passes through (check_path). */
#include "db_fixture.h"

#define NDOCS 300

/* Document i: "common" everywhere, "even" on even i; kind k<i%3>; year 2000 + i%4 (none
 * when i%5 == 0); no value at all in slot 2. */
static void build_valued_part(const char *path, int from, int step)
{
    silk_wdb_t *w = wopen(path, SILK_WDB_OVERWRITE);
    for (int i = from; i < NDOCS; i += step) {
        char id[32], text[64], kind[8];
        snprintf(id, sizeof id, "d#%d", i);
        snprintf(text, sizeof text, "common %s w%d", i % 2 ? "odd" : "even", i % 7);
        silk_doc_t *doc = make_doc(id, text, i % 5 ? 2000 + i % 4 : 0);
        snprintf(kind, sizeof kind, "k%d", i % 3);
        assert_int_equal(silk_doc_add_string_value(doc, 1, kind, strlen(kind)), SILK_OK);
        assert_int_equal(silk_doc_add_string_value(doc, 2, "", 0), SILK_OK); /* no value */
        char q[40];
        snprintf(q, sizeof q, "Q%s", id);
        assert_int_equal(silk_wdb_replace(w, q, doc), SILK_OK);
        silk_doc_destroy(doc);
    }
    assert_int_equal(silk_doc_add_string_value(NULL, 1, "x", 1), SILK_ERR_INVALID);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
}

static void build_valued(const char *path)
{
    build_valued_part(path, 0, 1);
}

typedef struct {
    char v[8][16];
    uint64_t n[8];
    size_t count;
} counts_t;

static int count_cb(const char *value, size_t len, uint64_t count, void *ud)
{
    counts_t *c = ud;
    assert_true(c->count < 8 && len < 16);
    memcpy(c->v[c->count], value, len);
    c->v[c->count][len] = '\0';
    c->n[c->count++] = count;
    return 0;
}

static uint64_t count_of(const counts_t *c, const char *v)
{
    for (size_t i = 0; i < c->count; i++)
        if (!strcmp(c->v[i], v))
            return c->n[i];
    return 0;
}

static void test_value_counts_over_all_matches(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_valued(path);
    silk_db_t *db = ropen(path);
    silk_query_t *q = term("even");
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    o.limit = 1; /* the page is one hit; the counts are of all 150 matches */
    unsigned slots[] = {1, 0, 2};
    silk_search_extra_t ex = {.count_slots = slots, .ncount_slots = 3};
    silk_mset_t *m = NULL;
    assert_int_equal(silk_db_search_ex(db, q, &o, &ex, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 1);
    assert_false(silk_mset_partial(m));
    counts_t kinds = {0}, years = {0}, none = {0};
    assert_int_equal(silk_mset_value_counts(m, 0, 0, count_cb, &kinds), SILK_OK);
    assert_int_equal(silk_mset_value_counts(m, 1, 1, count_cb, &years), SILK_OK);
    assert_int_equal(silk_mset_value_counts(m, 2, 0, count_cb, &none), SILK_OK);
    assert_int_equal(silk_mset_value_counts(m, 3, 0, count_cb, &none), SILK_ERR_INVALID);
    /* Count by hand what the documents are. */
    uint64_t wk[3] = {0}, wy[4] = {0};
    for (int i = 0; i < NDOCS; i += 2) {
        wk[i % 3]++;
        if (i % 5)
            wy[i % 4]++;
    }
    assert_int_equal(kinds.count, 3);
    assert_int_equal(count_of(&kinds, "k0"), wk[0]);
    assert_int_equal(count_of(&kinds, "k1"), wk[1]);
    assert_int_equal(count_of(&kinds, "k2"), wk[2]);
    /* Even documents have years 2000 and 2002 only; decoded as digits. */
    assert_int_equal(years.count, 2);
    assert_int_equal(count_of(&years, "2000"), wy[0]);
    assert_int_equal(count_of(&years, "2002"), wy[2]);
    assert_int_equal(none.count, 0);
    silk_mset_destroy(m);
    silk_query_destroy(q);
    silk_db_destroy(db);
}

static void test_deadline_stops_the_match(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_valued(path);
    silk_db_t *db = ropen(path);
    silk_query_t *q = combine_words(SILK_OP_OR, 0, 3, "common", "w3", "even");
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    o.offset = 2;
    o.limit = 5;
    unsigned slots[] = {1};

    /* A deadline far away changes nothing. */
    silk_search_extra_t far = {
        .count_slots = slots, .ncount_slots = 1, .deadline_us = (uint64_t)1 << 62};
    silk_mset_t *full = NULL, *m = NULL;
    assert_int_equal(silk_db_search_ex(db, q, &o, &far, &full), SILK_OK);
    assert_false(silk_mset_partial(full));
    assert_int_equal(silk_mset_size(full), 5);
    assert_int_equal(silk_mset_lower_bound(full), NDOCS);

    /* A deadline already past stops the match at its first check (16 documents): the
     * page comes from those, ranked as Xapian ranks, with bounds and counts of them. */
    silk_search_extra_t past = {.count_slots = slots, .ncount_slots = 1, .deadline_us = 1};
    assert_int_equal(silk_db_search_ex(db, q, &o, &past, &m), SILK_OK);
    assert_true(silk_mset_partial(m));
    assert_int_equal(silk_mset_size(m), 5);
    assert_true(silk_mset_lower_bound(m) >= 16);
    assert_true(silk_mset_upper_bound(m) >= silk_mset_lower_bound(m));
    assert_true(silk_mset_estimated(m) >= silk_mset_lower_bound(m));
    assert_true(silk_mset_estimated(m) <= silk_mset_upper_bound(m));
    counts_t kinds = {0};
    assert_int_equal(silk_mset_value_counts(m, 0, 0, count_cb, &kinds), SILK_OK);
    uint64_t counted = 0;
    for (size_t i = 0; i < kinds.count; i++)
        counted += kinds.n[i];
    assert_true(counted >= 16 && counted < NDOCS);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(silk_mset_rank(m, i), 2 + i);
        assert_true(silk_mset_docid(m, i) > 0);
        if (i)
            assert_true(silk_mset_weight(m, i) <= silk_mset_weight(m, i - 1));
        const char *data = NULL, *uniq = NULL;
        size_t len = 0;
        assert_int_equal(silk_mset_data(m, i, &data, &len), SILK_OK);
        assert_non_null(strstr(data, "\"d#"));
        assert_int_equal(silk_mset_unique_term(m, i, &uniq), SILK_OK);
        assert_memory_equal(uniq, "Qd#", 3);
        collect_t terms = {.count = 0};
        assert_int_equal(silk_mset_matching_terms(m, i, collect_cb, &terms), SILK_OK);
        assert_non_null(strstr(terms.buf, "common")); /* every document has it */
    }
    assert_int_equal(silk_mset_data(m, 5, &(const char *){NULL}, NULL), SILK_ERR_INVALID);
    silk_mset_destroy(m);
    silk_mset_destroy(full);

    /* Without counts, and a page past what was seen: an empty page, still partial. */
    o.offset = 200;
    silk_search_extra_t bare = {.deadline_us = 1};
    assert_int_equal(silk_db_search_ex(db, q, &o, &bare, &m), SILK_OK);
    assert_true(silk_mset_partial(m));
    assert_int_equal(silk_mset_size(m), 0);
    silk_mset_destroy(m);
    /* NULL extra is silk_db_search. */
    assert_int_equal(silk_db_search_ex(db, q, &o, NULL, &m), SILK_OK);
    assert_false(silk_mset_partial(m));
    assert_int_equal(silk_mset_size(m), 5);
    silk_mset_destroy(m);
    silk_query_destroy(q);
    silk_db_destroy(db);
}

/* ---- the deadline of a search sorted by value ---------------------------------------------- */

/* The year of document d#i of build_valued (0: none), from its unique term. */
static int year_of_hit(silk_mset_t *m, size_t i)
{
    const char *uniq = NULL;
    assert_int_equal(silk_mset_unique_term(m, i, &uniq), SILK_OK);
    assert_memory_equal(uniq, "Qd#", 3);
    int k = atoi(uniq + 3);
    return k % 5 ? 2000 + k % 4 : 0;
}

/* Hits i-1 and i are in the order of a sort by year (a document without one sorts first
 * ascending, last descending: Xapian's sort key is then ""), then weight, then docid. */
static void assert_sorted_pair(silk_mset_t *m, size_t i, int reverse)
{
    int ya = year_of_hit(m, i - 1), yb = year_of_hit(m, i);
    if (ya != yb) {
        assert_true(reverse ? ya > yb : ya < yb);
        return;
    }
    double wa = silk_mset_weight(m, i - 1), wb = silk_mset_weight(m, i);
    assert_true(wa >= wb);
    if (wa == wb)
        assert_true(silk_mset_docid(m, i - 1) < silk_mset_docid(m, i));
}

static void test_deadline_stops_a_sorted_match(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_valued(path);
    silk_db_t *db = ropen(path);
    silk_query_t *q = combine_words(SILK_OP_OR, 0, 3, "common", "w3", "even");
    unsigned slots[] = {1};
    for (int reverse = 0; reverse <= 1; reverse++) {
        silk_search_opts_t o;
        silk_search_opts_init(&o);
        o.sort_slot = 0;
        o.sort_reverse = reverse;
        o.offset = 1;
        o.limit = 8;
        /* A deadline far away: Xapian's own sorted page, complete. */
        silk_search_extra_t far = {
            .count_slots = slots, .ncount_slots = 1, .deadline_us = (uint64_t)1 << 62};
        silk_mset_t *full = NULL, *m = NULL;
        assert_int_equal(silk_db_search_ex(db, q, &o, &far, &full), SILK_OK);
        assert_false(silk_mset_partial(full));
        assert_int_equal(silk_mset_size(full), 8);
        assert_int_equal(silk_mset_lower_bound(full), NDOCS);
        for (size_t i = 1; i < 8; i++)
            assert_sorted_pair(full, i, reverse);
        /* A deadline already past: the sorted match stops too (it used to run to the end,
         * unbounded), at its first check; the page is the sorted best of those seen. */
        silk_search_extra_t past = {.count_slots = slots, .ncount_slots = 1, .deadline_us = 1};
        assert_int_equal(silk_db_search_ex(db, q, &o, &past, &m), SILK_OK);
        assert_true(silk_mset_partial(m));
        assert_int_equal(silk_mset_size(m), 8);
        assert_true(silk_mset_lower_bound(m) >= 16);
        assert_true(silk_mset_estimated(m) <= silk_mset_upper_bound(m));
        counts_t kinds = {0};
        assert_int_equal(silk_mset_value_counts(m, 0, 0, count_cb, &kinds), SILK_OK);
        uint64_t counted = 0;
        for (size_t i = 0; i < kinds.count; i++)
            counted += kinds.n[i];
        assert_true(counted >= 16 && counted < NDOCS);
        for (size_t i = 0; i < 8; i++) {
            assert_int_equal(silk_mset_rank(m, i), 1 + i);
            if (i)
                assert_sorted_pair(m, i, reverse);
        }
        /* Ascending, the first documents seen without a year (d#0, d#5, d#10, d#15) come
         * first; descending, a year of 2003 comes first (d#3, d#7, d#11 among the first). */
        assert_int_equal(year_of_hit(m, 0), reverse ? 2003 : 0);
        silk_mset_destroy(m);
        silk_mset_destroy(full);
    }
    silk_query_destroy(q);
    silk_db_destroy(db);
}

/* 16 documents, all with "alpha" (so a deadline already past stops the match at its first
 * check, on the 16th document: after the spy saw every one), with ties of value and weight:
 * document i has the year 2000 + i*7 % 3, none when i % 4 == 3, and one of three texts. */
static void write_sixteen(const char *path, int from, int step)
{
    static const char *const texts[] = {"alpha beta", "alpha alpha gamma", "alpha beta gamma"};
    silk_wdb_t *w = wopen(path, SILK_WDB_OVERWRITE);
    for (int i = from; i < 16; i += step) {
        char id[16];
        snprintf(id, sizeof id, "s#%d", i);
        put(w, id, texts[(i * 5) % 3], i % 4 == 3 ? 0 : 2000 + (i * 7) % 3);
    }
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
}

/* The spy's ranking is Xapian's: with every document seen (16 matches, a deadline already
 * past), the partial page equals the page of a run without a deadline, hit for hit, by
 * relevance and sorted by value both ways, on one database and on two local shards (whose
 * document ids interleave). */
static void test_deadline_ranks_as_xapian(void **state)
{
    char one[512], s0[512], s1[512], stub[512], text[1200];
    path_in(state, one, sizeof one, "one");
    path_in(state, s0, sizeof s0, "s0");
    path_in(state, s1, sizeof s1, "s1");
    path_in(state, stub, sizeof stub, "two.stub");
    write_sixteen(one, 0, 1);
    write_sixteen(s0, 0, 2);
    write_sixteen(s1, 1, 2);
    snprintf(text, sizeof text, "glass %s\nglass %s\n", s0, s1);
    silk_write_file(stub, text);
    static const struct {
        uint32_t offset, limit;
    } pages[] = {{0, 16}, {3, 7}, {12, 10}, {0, 1}};
    for (int d = 0; d < 2; d++) {
        silk_db_t *db = ropen(d ? stub : one);
        silk_query_t *q = combine_words(SILK_OP_OR, 0, 3, "alpha", "beta", "gamma");
        for (int sort = -1; sort <= 1; sort++)
            for (size_t p = 0; p < sizeof pages / sizeof pages[0]; p++) {
                silk_search_opts_t o;
                silk_search_opts_init(&o);
                o.sort_slot = sort < 0 ? -1 : 0;
                o.sort_reverse = sort == 1;
                o.offset = pages[p].offset;
                o.limit = pages[p].limit;
                o.check_at_least = 16; /* by relevance too, every document is a candidate */
                silk_mset_t *full = NULL, *m = NULL;
                assert_int_equal(silk_db_search(db, q, &o, &full), SILK_OK);
                silk_search_extra_t past = {.deadline_us = 1};
                assert_int_equal(silk_db_search_ex(db, q, &o, &past, &m), SILK_OK);
                assert_false(silk_mset_partial(full));
                assert_true(silk_mset_partial(m));
                assert_int_equal(silk_mset_lower_bound(m), 16);
                size_t n = silk_mset_size(full);
                assert_int_equal(n, pages[p].offset + pages[p].limit > 16 ? 16 - pages[p].offset
                                                                          : pages[p].limit);
                assert_int_equal(silk_mset_size(m), n);
                for (size_t i = 0; i < n; i++) {
                    if (silk_mset_docid(m, i) != silk_mset_docid(full, i))
                        fail_msg("db %d sort %d page %zu: hit %zu is %u, Xapian's %u", d, sort, p,
                                 i, silk_mset_docid(m, i), silk_mset_docid(full, i));
                    assert_int_equal(silk_mset_rank(m, i), silk_mset_rank(full, i));
                    assert_true(fabs(silk_mset_weight(m, i) - silk_mset_weight(full, i)) < 1e-12);
                }
                silk_mset_destroy(m);
                /* A deadline far away (the match runs through the shard probe of a sharded
                 * database) gives Xapian's page and bounds. */
                silk_search_extra_t far = {.deadline_us = (uint64_t)1 << 62};
                assert_int_equal(silk_db_search_ex(db, q, &o, &far, &m), SILK_OK);
                assert_false(silk_mset_partial(m));
                assert_int_equal(silk_mset_size(m), n);
                for (size_t i = 0; i < n; i++) {
                    assert_int_equal(silk_mset_docid(m, i), silk_mset_docid(full, i));
                    assert_true(silk_mset_weight(m, i) == silk_mset_weight(full, i));
                }
                assert_int_equal(silk_mset_lower_bound(m), silk_mset_lower_bound(full));
                assert_int_equal(silk_mset_upper_bound(m), silk_mset_upper_bound(full));
                assert_int_equal(silk_mset_estimated(m), silk_mset_estimated(full));
                silk_mset_destroy(m);
                silk_mset_destroy(full);
            }
        silk_query_destroy(q);
        silk_db_destroy(db);
    }
}

/* Over three local shards (build_valued's documents dealt round-robin, so that the ids
 * interleave as in one database): a stopped match's page holds the documents the spy saw,
 * each with its own weight (the spy is handed an id in its shard, turned into the
 * combined database's id), and a deadline far away changes neither the page nor the
 * bounds. */
static void test_deadline_over_shards(void **state)
{
    char sh[3][512], stub[512], text[1800];
    for (int k = 0; k < 3; k++) {
        char name[24];
        snprintf(name, sizeof name, "shard%d", k);
        path_in(state, sh[k], sizeof sh[k], name);
        build_valued_part(sh[k], k, 3);
    }
    path_in(state, stub, sizeof stub, "three.stub");
    snprintf(text, sizeof text, "glass %s\nglass %s\nglass %s\n", sh[0], sh[1], sh[2]);
    silk_write_file(stub, text);
    silk_db_t *db = ropen(stub);
    assert_int_equal(doc_count(db), NDOCS);
    silk_query_t *qs[2] = {combine_words(SILK_OP_OR, 0, 3, "common", "w3", "even"),
                           combine_words(SILK_OP_OR, 0, 2, "w1", "odd")};
    for (size_t k = 0; k < 2; k++)
        for (int sort = -1; sort <= 1; sort++) {
            silk_search_opts_t o;
            silk_search_opts_init(&o);
            o.sort_slot = sort < 0 ? -1 : 0;
            o.sort_reverse = sort == 1;
            /* Every match with its weight, by id. */
            o.limit = NDOCS;
            double wt[NDOCS * 3 + 1] = {0};
            silk_mset_t *all = NULL, *full = NULL, *m = NULL;
            assert_int_equal(silk_db_search(db, qs[k], &o, &all), SILK_OK);
            for (size_t i = 0; i < silk_mset_size(all); i++) {
                assert_true(silk_mset_docid(all, i) <= NDOCS * 3);
                wt[silk_mset_docid(all, i)] = silk_mset_weight(all, i);
            }
            o.offset = 2;
            o.limit = 6;
            assert_int_equal(silk_db_search(db, qs[k], &o, &full), SILK_OK);
            silk_search_extra_t far = {.deadline_us = (uint64_t)1 << 62};
            assert_int_equal(silk_db_search_ex(db, qs[k], &o, &far, &m), SILK_OK);
            assert_false(silk_mset_partial(m));
            assert_int_equal(silk_mset_size(m), silk_mset_size(full));
            for (size_t i = 0; i < silk_mset_size(m); i++) {
                assert_int_equal(silk_mset_docid(m, i), silk_mset_docid(full, i));
                assert_true(silk_mset_weight(m, i) == silk_mset_weight(full, i));
            }
            assert_int_equal(silk_mset_lower_bound(m), silk_mset_lower_bound(full));
            assert_int_equal(silk_mset_upper_bound(m), silk_mset_upper_bound(full));
            assert_int_equal(silk_mset_estimated(m), silk_mset_estimated(full));
            silk_mset_destroy(m);
            silk_search_extra_t past = {.deadline_us = 1};
            assert_int_equal(silk_db_search_ex(db, qs[k], &o, &past, &m), SILK_OK);
            assert_true(silk_mset_partial(m));
            assert_int_equal(silk_mset_size(m), 6);
            for (size_t i = 0; i < 6; i++) {
                unsigned did = silk_mset_docid(m, i);
                assert_true(did >= 1 && did <= NDOCS * 3);
                if (wt[did] == 0 || wt[did] != silk_mset_weight(m, i))
                    fail_msg("query %zu sort %d: hit %zu is document %u, weight %g, which "
                             "has the weight %g",
                             k, sort, i, did, silk_mset_weight(m, i), wt[did]);
            }
            silk_mset_destroy(m);
            silk_mset_destroy(full);
            silk_mset_destroy(all);
        }
    silk_query_destroy(qs[0]);
    silk_query_destroy(qs[1]);
    silk_db_destroy(db);
}

/* ---- the path check of stub files ---------------------------------------------------------- */

typedef struct {
    char seen[8][600];
    char what[8][16];
    size_t n;
    const char *refuse; /* a path ending in this is refused */
} checks_t;

static silk_status_t check_cb(void *ud, const char *what, const char *path, char **msg)
{
    checks_t *c = ud;
    if (c->n < 8) {
        snprintf(c->seen[c->n], sizeof c->seen[c->n], "%s", path);
        snprintf(c->what[c->n], sizeof c->what[c->n], "%s", what);
        c->n++;
    }
    size_t lp = strlen(path), lr = c->refuse ? strlen(c->refuse) : 0;
    if (c->refuse && lp >= lr && !strcmp(path + lp - lr, c->refuse)) {
        if (asprintf(msg, "refusing the %s: %s is writable by group", what, path) < 0)
            *msg = NULL;
        return SILK_ERR_INVALID;
    }
    return SILK_OK;
}

static void test_stub_paths_checked(void **state)
{
    char s1[512], s2[512], stub[512], dir[512];
    path_in(state, s1, sizeof s1, "shard1");
    path_in(state, s2, sizeof s2, "sub/shard2");
    path_in(state, dir, sizeof dir, "sub");
    path_in(state, stub, sizeof stub, "all.stub");
    mkdir(dir, 0700);
    silk_wdb_t *w = wopen(s1, SILK_WDB_OVERWRITE);
    put(w, "a#1", "north", 0);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
    w = wopen(s2, SILK_WDB_OVERWRITE);
    put(w, "b#1", "north", 0);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
    /* One relative line (resolved against the stub's folder), one absolute. */
    char text[1200];
    snprintf(text, sizeof text, "auto shard1\nglass %s\n", s2);
    silk_write_file(stub, text);

    checks_t c = {0};
    silk_db_opts_t opts = {0};
    opts.check_path = check_cb;
    opts.check_ud = &c;
    silk_db_t *db = NULL;
    char *msg = NULL;
    assert_int_equal(silk_db_open(stub, &opts, &db, &msg), SILK_OK);
    assert_int_equal(doc_count(db), 2);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.seen[0], stub);
    assert_string_equal(c.what[0], "index");
    char want[600];
    snprintf(want, sizeof want, "%.*s/shard1", (int)(strrchr(stub, '/') - stub), stub);
    assert_string_equal(c.seen[1], want);
    assert_string_equal(c.what[1], "index shard");
    assert_string_equal(c.seen[2], s2);

    /* Every reopen asks again; a shard refused now fails the reopen, with the reason. */
    c.n = 0;
    int changed = 0;
    assert_int_equal(silk_db_reopen(db, &changed), SILK_OK);
    assert_int_equal(c.n, 3);
    c.refuse = "/sub/shard2";
    assert_int_equal(silk_db_reopen(db, &changed), SILK_ERR_INVALID);
    assert_non_null(strstr(silk_db_error(db), "writable by group"));
    silk_db_destroy(db);
    db = NULL;

    /* And the open itself. */
    assert_int_equal(silk_db_open(stub, &opts, &db, &msg), SILK_ERR_INVALID);
    assert_null(db);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "refusing the index shard"));
    free(msg);
    msg = NULL;
    /* A plain database folder: only the path itself. */
    c.n = 0;
    c.refuse = NULL;
    assert_int_equal(silk_db_open(s1, &opts, &db, &msg), SILK_OK);
    assert_int_equal(c.n, 1);
    silk_db_destroy(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_value_counts_over_all_matches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadline_stops_the_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadline_stops_a_sorted_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadline_ranks_as_xapian, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deadline_over_shards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stub_paths_checked, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
