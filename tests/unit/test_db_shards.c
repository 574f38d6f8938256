/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the Xapian wrapper (include/silk/db.h, lib/xapian.cc): stub files, replaced
 * folders, remote shards (xapian-tcpsrv) and the index as xapian-delve sees it.
 *
 * Every test gets a fresh temporary folder (removed afterwards) and builds its databases
 * there with the wrapper itself (tests/unit/db_fixture.h). */
#include "db_fixture.h"

static void test_stub_two_shards(void **state)
{
    char whole[512], s1[512], s2[512], stub[512], h1[512], h2[512];
    path_in(state, whole, sizeof whole, "whole");
    path_in(state, s1, sizeof s1, "shard1");
    path_in(state, s2, sizeof s2, "shard2");
    path_in(state, stub, sizeof stub, "all.stub");
    build_corpus(whole);
    /* The same four documents split over two shards. */
    WRITE_DOCS(s1, 0, {"a#p1", "iran north korea relations axis of evil", 2002},
               {"a#p2", "north korea missile program", 2006});
    silk_wdb_t *w = wopen(s2, 0);
    put(w, "a#p3", "iran nuclear program weapons", 2010);
    put(w, "a#p4", "syria arms trade with north korea", 2014);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    assert_int_equal(silk_wdb_add_spelling(w, "pyongyang", 1), SILK_OK);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
    /* Relative paths are relative to the stub's folder; comments and blanks are skipped. */
    silk_write_file(stub, "# two local shards\n\nauto shard1\nglass shard2\n");

    silk_db_t *one = ropen(whole), *two = ropen(stub);
    assert_int_equal(doc_count(two), 4);
    double a1 = 0, a2 = 0;
    assert_int_equal(silk_db_avg_length(one, &a1), SILK_OK);
    assert_int_equal(silk_db_avg_length(two, &a2), SILK_OK);
    assert_true(fabs(a1 - a2) < 1e-9);
    uint64_t rev = 0;
    assert_int_equal(silk_db_revision(two, &rev), SILK_OK);
    assert_int_equal(rev, 1 + 2);

    const char *words[] = {"north", "iran", "program", "korea", "weapons"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        silk_query_t *q = term(words[i]);
        silk_mset_t *m1 = NULL, *m2 = NULL;
        assert_int_equal(silk_db_search(one, q, NULL, &m1), SILK_OK);
        assert_int_equal(silk_db_search(two, q, NULL, &m2), SILK_OK);
        assert_int_equal(silk_mset_size(m1), silk_mset_size(m2));
        /* Global statistics: the same ranking and the same weights. */
        for (size_t k = 0; k < silk_mset_size(m1); k++) {
            const char *u1, *u2;
            assert_int_equal(silk_mset_unique_term(m1, k, &u1), SILK_OK);
            assert_int_equal(silk_mset_unique_term(m2, k, &u2), SILK_OK);
            assert_true(fabs(silk_mset_weight(m1, k) - silk_mset_weight(m2, k)) < 1e-9);
            if (k + 1 < silk_mset_size(m1) &&
                fabs(silk_mset_weight(m1, k) - silk_mset_weight(m1, k + 1)) > 1e-9)
                assert_string_equal(u1, u2);
        }
        silk_mset_destroy(m1);
        silk_mset_destroy(m2);
        assert_int_equal(hits_of(one, q, NULL, h1, sizeof h1), SILK_OK);
        assert_int_equal(hits_of(two, q, NULL, h2, sizeof h2), SILK_OK);
        assert_string_equal(h1, h2);
        silk_query_destroy(q);
    }
    char *data = NULL;
    size_t len;
    assert_int_equal(silk_db_document_data(two, "Qa#p4", &data, &len), SILK_OK);
    assert_string_equal(data, "{\"id\":\"a#p4\"}");
    free(data);
    expect_spelling(two, "pyongyng", 2, "pyongyang");

    /* A commit to one shard changes the sum and is picked up by reopen. */
    WRITE_DOCS(s1, 0, {"a#p5", "new shard words", 0});
    int changed = 0;
    assert_int_equal(silk_db_reopen(two, &changed), SILK_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(doc_count(two), 5);
    assert_int_equal(silk_db_revision(two, &rev), SILK_OK);
    assert_int_equal(rev, 2 + 2);
    assert_int_equal(silk_db_reopen(two, &changed), SILK_OK);
    assert_int_equal(changed, 0);

    /* Editing the stub (drop a shard) is picked up by reopen too. */
    silk_write_file(stub, "auto shard2\n");
    assert_int_equal(silk_db_reopen(two, &changed), SILK_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(doc_count(two), 2);

    /* A folder holding a XAPIANDB stub is read as that stub. */
    char sdir[512], sfile[600];
    path_in(state, sdir, sizeof sdir, "stubdir");
    assert_int_equal(mkdir(sdir, 0700), 0);
    snprintf(sfile, sizeof sfile, "%s/XAPIANDB", sdir);
    silk_write_file(sfile, "auto ../shard1\nauto ../shard2\n");
    silk_db_t *viadir = ropen(sdir);
    assert_int_equal(doc_count(viadir), 5);
    assert_int_equal(silk_db_revision(viadir, &rev), SILK_OK);
    assert_int_equal(rev, 2 + 2);
    silk_db_destroy(viadir);

    /* An empty stub is an error, as in Xapian. */
    silk_write_file(stub, "# nothing\n");
    silk_db_t *none = NULL;
    char *msg = NULL;
    assert_int_equal(silk_db_open(stub, NULL, &none, &msg), SILK_ERR_NOT_FOUND);
    free(msg);
    silk_db_destroy(one);
    silk_db_destroy(two);
}

/* silk-index --full builds a new folder and renames it over the old one; a reader must
 * follow, both for a plain folder and for a symlink switched to a new target. */
static void test_reopen_replaced_folder(void **state)
{
    char path[512], fresh[512], old[512];
    path_in(state, path, sizeof path, "index");
    path_in(state, fresh, sizeof fresh, "index.new");
    path_in(state, old, sizeof old, "index.old");
    build_corpus(path);
    silk_db_t *db = ropen(path);
    assert_int_equal(doc_count(db), 4);

    /* The new database has revision 1 too: only the folder's identity tells them apart. */
    WRITE_DOCS(fresh, 0, {"z#1", "replacement", 0});
    assert_int_equal(rename(path, old), 0);
    assert_int_equal(rename(fresh, path), 0);
    int changed = 0;
    assert_int_equal(silk_db_reopen(db, &changed), SILK_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(doc_count(db), 1);
    silk_query_t *q = term("replacement");
    expect_hits_free(db, q, NULL, "Qz#1");
    assert_int_equal(silk_db_reopen(db, &changed), SILK_OK);
    assert_int_equal(changed, 0);

    /* The folder vanishes: reopen fails but the reader keeps serving what it had. */
    char gone[512];
    path_in(state, gone, sizeof gone, "index.gone");
    assert_int_equal(rename(path, gone), 0);
    assert_int_equal(silk_db_reopen(db, &changed), SILK_ERR_NOT_FOUND);
    assert_int_equal(changed, 0);
    assert_true(strlen(silk_db_error(db)) > 0);
    assert_int_equal(doc_count(db), 1);
    assert_int_equal(rename(gone, path), 0);
    silk_db_destroy(db);

    /* A symlink "current" -> index.old, switched atomically to index. */
    char link[512], tmp[512];
    path_in(state, link, sizeof link, "current");
    path_in(state, tmp, sizeof tmp, "current.tmp");
    assert_int_equal(symlink("index.old", link), 0);
    db = ropen(link);
    assert_int_equal(doc_count(db), 4);
    assert_int_equal(symlink("index", tmp), 0);
    assert_int_equal(rename(tmp, link), 0);
    assert_int_equal(silk_db_reopen(db, &changed), SILK_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(doc_count(db), 1);
    silk_db_destroy(db);
}

/* ---- remote shards (xapian-tcpsrv) --------------------------------------------------------- */

/* A loopback TCP port that was free a moment ago. */
static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    close(fd);
    return ntohs(sa.sin_port);
}

static void test_remote_shard(void **state)
{
    char local[512], served[512], stub[512], text[768];
    if (!tool_exists("xapian-tcpsrv"))
        fail_msg("xapian-tcpsrv is not installed (package xapian-tools)");
    path_in(state, local, sizeof local, "local");
    path_in(state, served, sizeof served, "served");
    path_in(state, stub, sizeof stub, "remote.stub");
    WRITE_DOCS(local, 0, {"l#1", "shared local words", 0});
    WRITE_DOCS(served, 0, {"r#1", "shared remote words", 0}, {"r#2", "remote only", 0});

    /* Start xapian-tcpsrv on a port the kernel just gave us (it may, rarely, be taken
     * again before the server binds it: then the server exits and we try another). */
    pid_t pid = -1;
    unsigned port = 0;
    silk_db_t *db = NULL;
    silk_db_opts_t opts = {.remote_timeout_ms = 5000, .connect_timeout_ms = 1000};
    for (int attempt = 0; attempt < 5 && db == NULL; attempt++) {
        port = free_port();
        char portstr[16];
        snprintf(portstr, sizeof portstr, "%u", port);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            int devnull = open("/dev/null", O_WRONLY);
            if (devnull >= 0) {
                dup2(devnull, 1);
                dup2(devnull, 2);
            }
            execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", portstr,
                   "--one-shot", served, (char *)NULL);
            _exit(127);
        }
        set_child(state, pid);
        snprintf(text, sizeof text, "auto local\nremote 127.0.0.1:%u\n", port);
        silk_write_file(stub, text);
        /* Wait for the server to listen. */
        for (int i = 0; i < 50 && db == NULL; i++) {
            char *msg = NULL;
            silk_status_t st = silk_db_open(stub, &opts, &db, &msg);
            free(msg);
            if (st == SILK_OK)
                break;
            assert_int_equal(st, SILK_ERR_NETWORK);
            int status;
            if (waitpid(pid, &status, WNOHANG) == pid) {
                pid = -1; /* port taken: try another */
                set_child(state, 0);
                break;
            }
            struct timespec ts = {0, 100 * 1000000L};
            nanosleep(&ts, NULL);
        }
        if (db == NULL && pid > 0) {
            stop_child(state, pid);
            pid = -1;
        }
    }
    assert_non_null(db);
    assert_int_equal(doc_count(db), 3);
    silk_query_t *q = term("shared");
    expect_hits_free(db, q, NULL, "Ql#1,Qr#1");
    expect_hits_free(db, term("remote"), NULL, "Qr#1,Qr#2");
    uint64_t rev = 0;
    assert_int_equal(silk_db_revision(db, &rev), SILK_OK);
    assert_true(rev >= 1);
    assert_int_equal(silk_db_reopen(db, NULL), SILK_OK);
    silk_db_destroy(db);
    /* --one-shot: the server exits once our connection closes. */
    stop_child(state, pid);

    /* Nobody listening: a network error with a message, quickly. */
    snprintf(text, sizeof text, "remote 127.0.0.1:%u\n", port);
    silk_write_file(stub, text);
    char *msg = NULL;
    double t0 = now_s();
    assert_int_equal(silk_db_open(stub, &opts, &db, &msg), SILK_ERR_NETWORK);
    assert_true(now_s() - t0 < 3.0);
    assert_null(db);
    assert_non_null(msg);
    free(msg);
    /* Xapian's program syntax: the shard is served by xapian-progsrv over a pipe, when the
     * caller allows a stub to name a program (tests/unit/test_trust.c: refused otherwise). */
    snprintf(text, sizeof text, "remote :xapian-progsrv %s\n", served);
    silk_write_file(stub, text);
    msg = NULL;
    opts.allow_programs = 1;
    silk_status_t st = silk_db_open(stub, &opts, &db, &msg);
    if (st != SILK_OK)
        fail_msg("progsrv stub: %s: %s", silk_status_to_string(st), msg ? msg : "");
    assert_int_equal(doc_count(db), 2);
    silk_db_destroy(db);
}

/* ---- merging databases (silk-index --jobs) ------------------------------------------------ */

/* Adds a document without a lookup (silk_wdb_add) to a database opened with NO_SYNC. */
static void add(silk_wdb_t *w, const char *id, const char *text)
{
    silk_doc_t *doc = make_doc(id, text, 0);
    assert_int_equal(silk_wdb_add(w, doc), SILK_OK);
    silk_doc_destroy(doc);
}

static int sum_spelling(const char *word, size_t len, unsigned freq, void *ud)
{
    if (len == 4 && memcmp(word, "wave", 4) == 0)
        *(unsigned *)ud += freq;
    return 0;
}

/* Two databases merged in order: the second's ids follow the first's (equal scores come
 * out in id order), spelling frequencies add up, the first source's metadata value wins. */
static void test_compact_in_order(void **state)
{
    char a[512], b[512], out[512];
    path_in(state, a, sizeof a, "a");
    path_in(state, b, sizeof b, "b");
    path_in(state, out, sizeof out, "out");
    silk_wdb_t *w = wopen(a, SILK_WDB_OVERWRITE | SILK_WDB_NO_SYNC);
    add(w, "a#1", "shared one");
    add(w, "a#2", "shared two");
    assert_int_equal(silk_wdb_add_spelling(w, "wave", 3), SILK_OK);
    assert_int_equal(silk_wdb_set_metadata(w, "k", "first"), SILK_OK);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
    w = wopen(b, SILK_WDB_OVERWRITE | SILK_WDB_NO_SYNC);
    add(w, "b#1", "shared three");
    assert_int_equal(silk_wdb_add_spelling(w, "wave", 2), SILK_OK);
    assert_int_equal(silk_wdb_set_metadata(w, "k", "second"), SILK_OK);
    assert_int_equal(silk_wdb_set_metadata(w, "only-b", "yes"), SILK_OK);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);

    const char *srcs[] = {b, a};
    char *msg = NULL;
    assert_int_equal(silk_db_compact(srcs, 2, out, &msg), SILK_OK);
    assert_null(msg);
    silk_db_t *db = ropen(out);
    assert_int_equal(doc_count(db), 3);
    /* Equal scores come out in document id order (not sorted by name here). */
    silk_query_t *q = term("shared");
    silk_mset_t *m = NULL;
    assert_int_equal(silk_db_search(db, q, NULL, &m), SILK_OK);
    assert_int_equal(silk_mset_size(m), 3);
    const char *want[] = {"Qb#1", "Qa#1", "Qa#2"};
    for (size_t i = 0; i < 3; i++) {
        const char *id = NULL;
        assert_int_equal(silk_mset_unique_term(m, i, &id), SILK_OK);
        assert_string_equal(id, want[i]);
    }
    silk_mset_destroy(m);
    silk_query_destroy(q);
    unsigned freq = 0;
    assert_int_equal(silk_db_spellings(db, sum_spelling, &freq), SILK_OK);
    assert_int_equal(freq, 5);
    char *v = NULL;
    assert_int_equal(silk_db_metadata(db, "k", &v), SILK_OK);
    assert_string_equal(v, "second");
    free(v);
    assert_int_equal(silk_db_metadata(db, "only-b", &v), SILK_OK);
    assert_string_equal(v, "yes");
    free(v);
    silk_db_destroy(db);

    /* Bad arguments and a missing source are errors with a message, not exceptions. */
    assert_int_equal(silk_db_compact(srcs, 0, out, &msg), SILK_ERR_INVALID);
    assert_non_null(msg);
    free(msg);
    const char *missing[] = {"/nonexistent/db"};
    char out2[512];
    path_in(state, out2, sizeof out2, "out2");
    assert_int_not_equal(silk_db_compact(missing, 1, out2, &msg), SILK_OK);
    assert_non_null(msg);
    free(msg);
    assert_int_equal(silk_wdb_add(NULL, NULL), SILK_ERR_INVALID);
}

/* ---- the stemmer --------------------------------------------------------------------------- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stub_two_shards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_replaced_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote_shard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compact_in_order, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
