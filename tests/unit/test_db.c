/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the Xapian wrapper (include/silk/db.h, lib/xapian.cc): documents, searches,
 * transactions, locks and the wrapper's status strings.
 *
 * Every test gets a fresh temporary folder (removed afterwards) and builds its databases
 * there with the wrapper itself (tests/unit/db_fixture.h). */
#include "db_fixture.h"

static void test_status_strings(void **state)
{
    (void)state;
    for (int s = SILK_OK; s < SILK_STATUS_LAST_STATUS; s++) {
        const char *text = silk_status_to_string((silk_status_t)s);
        assert_non_null(text);
        assert_true(strlen(text) > 0);
        assert_string_not_equal(text, "unknown status");
        for (int t = SILK_OK; t < s; t++)
            assert_string_not_equal(text, silk_status_to_string((silk_status_t)t));
    }
    assert_string_equal(silk_status_to_string(SILK_ERR_LOCKED), "database is locked");
    assert_string_equal(silk_status_to_string(SILK_STATUS_LAST_STATUS), "unknown status");
    assert_string_equal(silk_status_to_string((silk_status_t)-1), "unknown status");
}

/* ---- writing and searching ----------------------------------------------------------------- */

static void test_add_search_replace_delete(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_corpus(path);

    silk_db_t *db = ropen(path);
    assert_int_equal(doc_count(db), 4);
    expect_db_term_freq(db, "north", 3);
    expect_db_term_freq(db, "absent", 0);
    double avg = 0;
    assert_int_equal(silk_db_avg_length(db, &avg), SILK_OK);
    /* Lengths 7, 4, 4, 6: boolean Q terms add nothing. */
    assert_true(fabs(avg - 21.0 / 4) < 1e-9);

    silk_query_t *q = combine_words(SILK_OP_AND, 0, 2, "north", "korea");
    expect_hits_free(db, q, NULL, "Qa#p1,Qa#p2,Qa#p4");

    expect_hits_free(db, combine_words(SILK_OP_OR, 0, 2, "nuclear", "syria"), NULL, "Qa#p3,Qa#p4");

    expect_hits_free(db, combine_words(SILK_OP_AND_NOT, 0, 2, "korea", "missile"), NULL,
                     "Qa#p1,Qa#p4");
    silk_db_destroy(db);

    /* Replace p2 (it no longer mentions korea) and delete p4; delete of nothing is fine. */
    silk_wdb_t *w = wopen(path, 0);
    put(w, "a#p2", "missile program of pakistan", 2006);
    assert_int_equal(silk_wdb_delete(w, "Qa#p4"), SILK_OK);
    assert_int_equal(silk_wdb_delete(w, "Qnever#there"), SILK_OK);
    uint64_t n = 0;
    assert_int_equal(silk_wdb_doc_count(w, &n), SILK_OK);
    assert_int_equal(n, 3);
    expect_wdb_term_freq(w, "pakistan", 1);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);

    db = ropen(path);
    assert_int_equal(doc_count(db), 3);
    expect_hits_free(db, term("korea"), NULL, "Qa#p1");
    expect_hits_free(db, term("pakistan"), NULL, "Qa#p2");
    silk_db_destroy(db);
}

static void test_mset_details(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    silk_wdb_t *w = wopen(path, 0);
    /* Document i mentions "alpha" i times, so the ranking by BM25 is known. */
    for (int i = 1; i <= 6; i++) {
        char id[32], text[256] = "";
        snprintf(id, sizeof id, "d#%d", i);
        for (int k = 0; k < i; k++)
            strcat(text, "alpha ");
        strcat(text, i % 2 ? "odd" : "even");
        put(w, id, text, 0);
    }
    /* Data with an embedded NUL survives. */
    silk_doc_t *doc = silk_doc_new();
    assert_int_equal(silk_doc_add_boolean_term(doc, "Qbin", 4), SILK_OK);
    assert_int_equal(silk_doc_add_term(doc, "binary", 6, 2), SILK_OK);
    assert_int_equal(silk_doc_set_data(doc, "a\0b", 3), SILK_OK);
    assert_int_equal(silk_wdb_replace(w, "Qbin", doc), SILK_OK);
    silk_doc_destroy(doc);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);

    silk_db_t *db = ropen(path);
    silk_query_t *q = term("alpha");
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    assert_true(o.k1 == 1.2 && o.k2 == 0 && o.k3 == 1 && o.b == 0.5 && o.min_normlen == 0.5);
    assert_int_equal(o.limit, 10);
    assert_int_equal(o.sort_slot, -1);
    o.offset = 1;
    o.limit = 2;
    o.check_at_least = 100;
    silk_mset_t *m = NULL;
    assert_int_equal(silk_db_search(db, q, &o, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 2);
    /* check_at_least beyond the match count makes the count exact. */
    assert_int_equal(silk_mset_estimated(m), 6);
    assert_int_equal(silk_mset_lower_bound(m), 6);
    assert_int_equal(silk_mset_upper_bound(m), 6);
    assert_int_equal(silk_mset_rank(m, 0), 1);
    assert_int_equal(silk_mset_rank(m, 1), 2);
    assert_true(silk_mset_weight(m, 0) >= silk_mset_weight(m, 1));
    assert_true(silk_mset_weight(m, 1) > 0);
    const char *u0 = NULL, *u1 = NULL;
    assert_int_equal(silk_mset_unique_term(m, 0, &u0), SILK_OK);
    assert_int_equal(silk_mset_unique_term(m, 1, &u1), SILK_OK);
    /* Second and third best by tf: d#5 and d#4. */
    assert_string_equal(u0, "Qd#5");
    assert_string_equal(u1, "Qd#4");
    assert_int_equal(silk_mset_docid(m, 0), 5);
    const char *data = NULL;
    size_t len = 0;
    assert_int_equal(silk_mset_data(m, 0, &data, &len), SILK_OK);
    assert_string_equal(data, "{\"id\":\"d#5\"}");
    assert_int_equal(len, strlen(data));
    /* The pointers stay valid (and equal) on a second call. */
    const char *again = NULL;
    assert_int_equal(silk_mset_data(m, 0, &again, NULL), SILK_OK);
    assert_ptr_equal(again, data);
    /* Out of range is an error, not a crash. */
    assert_int_equal(silk_mset_data(m, 2, &data, &len), SILK_ERR_INVALID);
    assert_true(strlen(silk_mset_error(m)) > 0);
    assert_int_equal(silk_mset_unique_term(m, 99, &u0), SILK_ERR_INVALID);
    assert_int_equal(silk_mset_docid(m, 99), 0);
    silk_mset_destroy(m);
    silk_query_destroy(q);

    /* Matching terms of a hit: only the query terms that document has. */
    q = combine_words(SILK_OP_OR, 0, 3, "alpha", "odd", "even");
    silk_search_opts_init(&o);
    o.limit = 20;
    assert_int_equal(silk_db_search(db, q, &o, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 6);
    for (size_t i = 0; i < silk_mset_size(m); i++) {
        const char *u = NULL;
        assert_int_equal(silk_mset_unique_term(m, i, &u), SILK_OK);
        collect_t c = {.count = 0};
        assert_int_equal(silk_mset_matching_terms(m, i, collect_cb, &c), SILK_OK);
        int num = atoi(u + 3);
        assert_string_equal(c.buf, num % 2 ? "alpha|odd" : "alpha|even");
        /* An early stop from the callback is honoured. */
        collect_t one = {.count = 0, .stop_after = 1};
        assert_int_equal(silk_mset_matching_terms(m, i, collect_cb, &one), SILK_OK);
        assert_int_equal(one.count, 1);
    }
    silk_mset_destroy(m);
    silk_query_destroy(q);

    /* Binary data through silk_db_document_data() and the mset. */
    char *blob = NULL;
    assert_int_equal(silk_db_document_data(db, "Qbin", &blob, &len), SILK_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(blob, "a\0b", 3);
    free(blob);
    assert_int_equal(silk_db_document_data(db, "Qmissing", &blob, &len), SILK_ERR_NOT_FOUND);
    assert_null(blob);
    EXPECT_LIST("Qd#2|alpha|even", silk_db_document_terms, db, "Qd#2");
    collect_t c = {.count = 0};
    assert_int_equal(silk_db_document_terms(db, "Qmissing", collect_cb, &c), SILK_ERR_NOT_FOUND);

    /* A hit without a Q term has no unique term. */
    silk_db_destroy(db);
    w = wopen(path, 0);
    doc = silk_doc_new();
    assert_int_equal(silk_doc_add_term(doc, "orphan", 6, 1), SILK_OK);
    assert_int_equal(silk_wdb_replace(w, "Xorphan", doc), SILK_OK);
    silk_doc_destroy(doc);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
    db = ropen(path);
    q = term("orphan");
    assert_int_equal(silk_db_search(db, q, NULL, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 1);
    assert_int_equal(silk_mset_unique_term(m, 0, &u0), SILK_ERR_NOT_FOUND);
    silk_mset_destroy(m);
    silk_query_destroy(q);
    silk_db_destroy(db);
}

static void test_allterms_and_bm25(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_corpus(path);
    silk_db_t *db = ropen(path);
    EXPECT_LIST("north|nuclear", silk_db_allterms, db, "n");
    EXPECT_LIST("Qa#p1|Qa#p2|Qa#p3|Qa#p4", silk_db_allterms, db, "Q");
    collect_t stop = {.count = 0, .stop_after = 2};
    assert_int_equal(silk_db_allterms(db, NULL, collect_cb, &stop), SILK_OK);
    assert_int_equal(stop.count, 2);
    assert_int_equal(silk_db_allterms(db, "", NULL, NULL), SILK_ERR_INVALID);

    /* The BM25 parameters reach Xapian: with k1 = 0 term frequency stops mattering, so
     * every document matching one term gets the same weight. */
    silk_query_t *t = term("program");
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    silk_mset_t *m = NULL;
    assert_int_equal(silk_db_search(db, t, &o, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 2);
    double w0 = silk_mset_weight(m, 0), w1 = silk_mset_weight(m, 1);
    assert_true(w0 > 0);
    silk_mset_destroy(m);
    o.k1 = 0;
    assert_int_equal(silk_db_search(db, t, &o, &m), SILK_OK);
    assert_true(fabs(silk_mset_weight(m, 0) - silk_mset_weight(m, 1)) < 1e-12);
    assert_true(silk_mset_weight(m, 0) != w0 || w0 == w1);
    silk_mset_destroy(m);
    /* b = 1 vs b = 0 changes length normalisation: the weights move. */
    silk_search_opts_init(&o);
    o.b = 0;
    assert_int_equal(silk_db_search(db, t, &o, &m), SILK_OK);
    double b0 = silk_mset_weight(m, 0);
    silk_mset_destroy(m);
    o.b = 1;
    assert_int_equal(silk_db_search(db, t, &o, &m), SILK_OK);
    assert_true(fabs(silk_mset_weight(m, 0) - b0) > 1e-9);
    silk_mset_destroy(m);
    /* Nonsense parameters are refused with a message. */
    o.k1 = NAN;
    assert_int_equal(silk_db_search(db, t, &o, &m), SILK_ERR_INVALID);
    assert_null(m);
    assert_true(strlen(silk_db_error(db)) > 0);
    silk_query_destroy(t);
    silk_db_destroy(db);
}

/* ---- transactions and visibility ----------------------------------------------------------- */

static void test_transaction_cancel(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_corpus(path);
    silk_wdb_t *w = wopen(path, 0);
    assert_int_equal(silk_wdb_begin(w), SILK_OK);
    /* A second begin, or a plain commit, inside a transaction is refused. */
    assert_int_equal(silk_wdb_begin(w), SILK_ERR_INVALID);
    assert_true(strlen(silk_wdb_error(w)) > 0);
    assert_int_equal(silk_wdb_commit(w), SILK_ERR_INVALID);
    put(w, "b#p1", "cancelled words", 0);
    assert_int_equal(silk_wdb_delete(w, "Qa#p1"), SILK_OK);
    assert_int_equal(silk_wdb_set_metadata(w, "k", "v"), SILK_OK);
    assert_int_equal(silk_wdb_add_spelling(w, "cancelled", 1), SILK_OK);
    assert_int_equal(silk_wdb_add_synonym(w, "cancelled", "void"), SILK_OK);
    uint64_t n = 0;
    assert_int_equal(silk_wdb_doc_count(w, &n), SILK_OK);
    assert_int_equal(n, 4); /* +1 -1, seen by the writer itself */
    assert_int_equal(silk_wdb_cancel(w), SILK_OK);
    assert_int_equal(silk_wdb_cancel(w), SILK_ERR_INVALID);
    assert_int_equal(silk_wdb_commit_transaction(w), SILK_ERR_INVALID);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);

    silk_db_t *db = ropen(path);
    assert_int_equal(doc_count(db), 4);
    expect_db_term_freq(db, "cancelled", 0);
    expect_db_term_freq(db, "Qa#p1", 1);
    expect_db_metadata(db, "k", "");
    expect_spelling(db, "cancelld", 2, NULL);
    EXPECT_LIST("", silk_db_synonym_keys, db);
    silk_db_destroy(db);
}

static void test_transaction_commit_and_destroy(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_corpus(path);

    /* A committed transaction is there. */
    silk_wdb_t *w = wopen(path, 0);
    assert_int_equal(silk_wdb_begin(w), SILK_OK);
    put(w, "b#p1", "kept words", 0);
    assert_int_equal(silk_wdb_commit_transaction(w), SILK_OK);
    /* Changes outside a transaction that are never committed are dropped on destroy,
     * and so is an open transaction. */
    put(w, "b#p2", "dropped words", 0);
    silk_wdb_destroy(w);
    w = wopen(path, 0);
    assert_int_equal(silk_wdb_begin(w), SILK_OK);
    put(w, "b#p3", "dropped too", 0);
    silk_wdb_destroy(w);

    silk_db_t *db = ropen(path);
    assert_int_equal(doc_count(db), 5);
    expect_db_term_freq(db, "kept", 1);
    expect_db_term_freq(db, "dropped", 0);
    silk_db_destroy(db);

    /* Begin commits what was pending before it, as Xapian does. */
    w = wopen(path, 0);
    put(w, "c#p1", "before begin", 0);
    assert_int_equal(silk_wdb_begin(w), SILK_OK);
    put(w, "c#p2", "inside cancelled", 0);
    assert_int_equal(silk_wdb_cancel(w), SILK_OK);
    silk_wdb_destroy(w);
    db = ropen(path);
    expect_db_term_freq(db, "before", 1);
    expect_db_term_freq(db, "inside", 0);
    silk_db_destroy(db);

    /* OVERWRITE starts from an empty database. */
    w = wopen(path, SILK_WDB_OVERWRITE);
    uint64_t n = 9;
    assert_int_equal(silk_wdb_doc_count(w, &n), SILK_OK);
    assert_int_equal(n, 0);
    silk_wdb_destroy(w);
    /* Unknown flags are refused. */
    char *msg = NULL;
    assert_int_equal(silk_wdb_open(path, 1 << 7, &w, &msg), SILK_ERR_INVALID);
    assert_null(w);
    assert_non_null(msg);
    free(msg);
}

static void test_commit_visible_after_reopen(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    build_corpus(path);
    silk_db_t *db = ropen(path);
    uint64_t rev0 = 0, wrev = 0;
    assert_int_equal(silk_db_revision(db, &rev0), SILK_OK);
    assert_true(rev0 > 0);

    silk_wdb_t *w = wopen(path, 0);
    assert_int_equal(silk_wdb_revision(w, &wrev), SILK_OK);
    assert_int_equal(wrev, rev0);
    put(w, "b#p1", "fresh words", 0);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    assert_int_equal(silk_wdb_revision(w, &wrev), SILK_OK);
    assert_int_equal(wrev, rev0 + 1);

    /* The reader still sees its revision ... */
    assert_int_equal(doc_count(db), 4);
    uint64_t rev = 0;
    assert_int_equal(silk_db_revision(db, &rev), SILK_OK);
    assert_int_equal(rev, rev0);
    /* ... until it reopens, which reports the change once. */
    int changed = -1;
    assert_int_equal(silk_db_reopen(db, &changed), SILK_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(doc_count(db), 5);
    assert_int_equal(silk_db_revision(db, &rev), SILK_OK);
    assert_int_equal(rev, rev0 + 1);
    assert_int_equal(silk_db_reopen(db, &changed), SILK_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(silk_db_reopen(db, NULL), SILK_OK);

    /* A commit with nothing pending does not make a revision. */
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    assert_int_equal(silk_db_reopen(db, &changed), SILK_OK);
    assert_int_equal(changed, 0);
    silk_wdb_destroy(w);
    silk_db_destroy(db);
}

/* A reader that stays on an old revision while the writer commits twice more gets
 * SILK_ERR_MODIFIED (the blocks it needs were reused), and a reopen cures it. */
static void test_modified_under_reader(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    silk_wdb_t *w = wopen(path, 0);
    char id[32], text[64];
    for (int i = 0; i < 300; i++) {
        snprintf(id, sizeof id, "m#%d", i);
        snprintf(text, sizeof text, "common w%d", i);
        put(w, id, text, 0);
    }
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_db_t *db = ropen(path);
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 300; i++) {
            snprintf(id, sizeof id, "m#%d", i);
            snprintf(text, sizeof text, "common r%d w%d", round, i);
            put(w, id, text, 0);
        }
        assert_int_equal(silk_wdb_commit(w), SILK_OK);
    }
    silk_wdb_destroy(w);
    silk_query_t *q = term("common");
    silk_search_opts_t o;
    silk_search_opts_init(&o);
    o.limit = 300;
    silk_mset_t *m = NULL;
    silk_status_t st = silk_db_search(db, q, &o, &m);
    if (st == SILK_OK) {
        for (size_t i = 0; i < silk_mset_size(m) && st == SILK_OK; i++) {
            const char *d;
            st = silk_mset_data(m, i, &d, NULL);
        }
        if (st != SILK_OK)
            assert_true(strlen(silk_mset_error(m)) > 0);
        silk_mset_destroy(m);
    } else {
        assert_true(strlen(silk_db_error(db)) > 0);
    }
    assert_int_equal(st, SILK_ERR_MODIFIED);
    int changed = 0;
    assert_int_equal(silk_db_reopen(db, &changed), SILK_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(silk_db_search(db, q, &o, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 300);
    silk_mset_destroy(m);
    silk_query_destroy(q);
    silk_db_destroy(db);
}

/* ---- locking ------------------------------------------------------------------------------- */

/* The waiting writer of test_two_writers, in a child process: waits for the parent's go
 * (the parent then holds the lock), opens with RETRY_LOCK and reports through its exit
 * code: 0 when it got the lock only after `min_wait` seconds and could write. A process
 * rather than a thread because valgrind 3.19 does not know that F_OFD_SETLKW blocks and
 * would stall every thread. */
static int waiting_writer(const char *path, int go_fd, double min_wait)
{
    char c;
    if (read(go_fd, &c, 1) != 1)
        return 2;
    double t0 = now_s();
    silk_wdb_t *w = NULL;
    char *msg = NULL;
    silk_status_t st = silk_wdb_open(path, SILK_WDB_RETRY_LOCK, &w, &msg);
    double waited = now_s() - t0;
    free(msg);
    if (st != SILK_OK)
        return 3;
    uint64_t n = 0;
    int rc = 0;
    if (waited < min_wait)
        rc = 4;
    else if (silk_wdb_doc_count(w, &n) != SILK_OK || n != 1)
        rc = 5;
    silk_wdb_destroy(w);
    return rc;
}

static void test_two_writers(void **state)
{
    char path[512];
    path_in(state, path, sizeof path, "db");
    int go[2];
    assert_int_equal(pipe(go), 0);
    /* Fork before taking the lock: a child forked later would share the lock's open file
     * description and keep it alive. */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(go[1]);
        _exit(waiting_writer(path, go[0], 0.25));
    }
    set_child(state, pid);
    close(go[0]);

    silk_wdb_t *w1 = wopen(path, 0);
    silk_wdb_t *w2 = NULL;
    char *msg = NULL;
    assert_int_equal(silk_wdb_open(path, 0, &w2, &msg), SILK_ERR_LOCKED);
    assert_null(w2);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "lock"));
    free(msg);
    /* A reader is not blocked by the writer. */
    put(w1, "x#1", "locked words", 0);
    assert_int_equal(silk_wdb_commit(w1), SILK_OK);
    silk_db_t *db = ropen(path);
    assert_int_equal(doc_count(db), 1);
    silk_db_destroy(db);

    /* With RETRY_LOCK the second writer waits until the first lets go. */
    assert_int_equal(write(go[1], "g", 1), 1);
    close(go[1]);
    struct timespec ts = {0, 400 * 1000000L};
    nanosleep(&ts, NULL);
    /* Still waiting while we hold the lock. */
    int status = 0;
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
    silk_wdb_destroy(w1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    set_child(state, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- failures ------------------------------------------------------------------------------ */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test_setup_teardown(test_add_search_replace_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mset_details, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allterms_and_bm25, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction_commit_and_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_visible_after_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modified_under_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_writers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
