/* Unit tests of the Xapian wrapper (include/silk/db.h, lib/xapian.cc) and of lib/status.c.
 *
 * Every test gets a fresh temporary folder (removed afterwards) and builds its databases
 * there with the wrapper itself; a few tests also look at the result with the real
 * xapian-delve and xapian-tcpsrv tools. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>

#include <cmocka.h>

#include "silk/db.h"
#include "silk/status.h"
#include "support.h"

/* ---- fixtures ------------------------------------------------------------------------------ */

typedef struct {
    silk_tmpdir_t tmp; /* the test's temporary folder */
    pid_t child;       /* a helper process to kill if the test fails early (0: none) */
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    if (silk_tmpdir_make(&f->tmp, "db") != 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    if (f->child > 0) {
        kill(f->child, SIGKILL);
        waitpid(f->child, NULL, 0);
    }
    int rc = silk_tmpdir_remove(&f->tmp);
    free(f);
    return rc;
}

/* out = the fixture folder + "/" + name. */
static void path_in(void **state, char *out, size_t cap, const char *name)
{
    silk_tmpdir_path(&((fixture_t *)*state)->tmp, out, cap, "%s", name);
}

/* Remembers pid as the test's helper process (0: none), for teardown to kill. */
static void set_child(void **state, pid_t pid)
{
    ((fixture_t *)*state)->child = pid;
}

/* Stops the helper process pid and forgets it. */
static void stop_child(void **state, pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    set_child(state, 0);
}

/* ---- helpers ------------------------------------------------------------------------------- */

/* A document with unique term Q<id>, the space-separated words of `text` as positional
 * terms (from 1), its data "{id}" and value `year` in slot 0 (when year > 0). */
static silk_doc_t *make_doc(const char *id, const char *text, double year)
{
    silk_doc_t *doc = silk_doc_new();
    assert_non_null(doc);
    char q[256];
    snprintf(q, sizeof q, "Q%s", id);
    assert_int_equal(silk_doc_add_boolean_term(doc, q, strlen(q)), SILK_OK);
    uint32_t pos = 1;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        if (p > start)
            assert_int_equal(silk_doc_add_posting(doc, start, (size_t)(p - start), pos++, 1),
                             SILK_OK);
    }
    char data[300];
    snprintf(data, sizeof data, "{\"id\":\"%s\"}", id);
    assert_int_equal(silk_doc_set_data(doc, data, strlen(data)), SILK_OK);
    if (year > 0)
        assert_int_equal(silk_doc_add_value(doc, 0, year), SILK_OK);
    return doc;
}

static void put(silk_wdb_t *w, const char *id, const char *text, double year)
{
    silk_doc_t *doc = make_doc(id, text, year);
    char q[256];
    snprintf(q, sizeof q, "Q%s", id);
    assert_int_equal(silk_wdb_replace(w, q, doc), SILK_OK);
    silk_doc_destroy(doc);
}

static silk_wdb_t *wopen(const char *path, int flags)
{
    silk_wdb_t *w = NULL;
    char *msg = NULL;
    silk_status_t st = silk_wdb_open(path, flags, &w, &msg);
    if (st != SILK_OK)
        fail_msg("silk_wdb_open(%s): %s: %s", path, silk_status_to_string(st), msg ? msg : "");
    assert_null(msg);
    return w;
}

static silk_db_t *ropen(const char *path)
{
    silk_db_t *db = NULL;
    char *msg = NULL;
    silk_status_t st = silk_db_open(path, NULL, &db, &msg);
    if (st != SILK_OK)
        fail_msg("silk_db_open(%s): %s: %s", path, silk_status_to_string(st), msg ? msg : "");
    return db;
}

/* One document for write_docs(): as put(). */
typedef struct {
    const char *id;   /* becomes Q<id> */
    const char *text; /* space-separated words */
    double year;      /* value in slot 0 (when > 0) */
} doc_spec_t;

/* Opens path with `flags`, puts the n documents and commits. */
static void write_docs(const char *path, int flags, const doc_spec_t *docs, size_t n)
{
    silk_wdb_t *w = wopen(path, flags);
    for (size_t i = 0; i < n; i++)
        put(w, docs[i].id, docs[i].text, docs[i].year);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
}

#define WRITE_DOCS(path, flags, ...)                                                               \
    write_docs(path, flags, (const doc_spec_t[]){__VA_ARGS__},                                     \
               sizeof((const doc_spec_t[]){__VA_ARGS__}) / sizeof(doc_spec_t))

/* A small standard corpus, committed. */
static void build_corpus(const char *path)
{
    WRITE_DOCS(path, SILK_WDB_OVERWRITE, {"a#p1", "iran north korea relations axis of evil", 2002},
               {"a#p2", "north korea missile program", 2006},
               {"a#p3", "iran nuclear program weapons", 2010},
               {"a#p4", "syria arms trade with north korea", 2014});
}

static silk_query_t *term(const char *t)
{
    silk_query_t *q = NULL;
    assert_int_equal(silk_query_term(t, strlen(t), 1, 0, &q), SILK_OK);
    return q;
}

/* AND/OR/... of the given words. */
static silk_query_t *combine_words(silk_op_t op, unsigned window, int n, ...)
{
    silk_query_t *subs[16];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        subs[i] = term(va_arg(ap, const char *));
    va_end(ap);
    silk_query_t *q = NULL;
    assert_int_equal(silk_query_combine(op, subs, (size_t)n, window, &q), SILK_OK);
    for (int i = 0; i < n; i++)
        silk_query_destroy(subs[i]);
    return q;
}

/* Searches and writes the hits' unique terms, sorted, comma-separated, into out. */
static silk_status_t hits_of(silk_db_t *db, silk_query_t *q, const silk_search_opts_t *opts,
                             char *out, size_t cap)
{
    silk_mset_t *m = NULL;
    silk_status_t st = silk_db_search(db, q, opts, &m);
    out[0] = '\0';
    if (st != SILK_OK)
        return st;
    const char *ids[64];
    size_t n = silk_mset_size(m);
    assert_true(n <= 64);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(silk_mset_unique_term(m, i, &ids[i]), SILK_OK);
    /* Sort when ranking by relevance gives ties in an order we do not want to test. */
    if (opts == NULL || opts->sort_slot < 0) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
                const char *t = ids[j];
                ids[j] = ids[j - 1];
                ids[j - 1] = t;
            }
    }
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "," : "", ids[i]);
    silk_mset_destroy(m);
    return SILK_OK;
}

/* Asserts that searching q (kept) finds exactly the documents `want` (as hits_of()). */
static void expect_hits(silk_db_t *db, silk_query_t *q, const silk_search_opts_t *opts,
                        const char *want)
{
    char hits[512];
    assert_int_equal(hits_of(db, q, opts, hits, sizeof hits), SILK_OK);
    assert_string_equal(hits, want);
}

/* expect_hits(), then destroys q. */
static void expect_hits_free(silk_db_t *db, silk_query_t *q, const silk_search_opts_t *opts,
                             const char *want)
{
    expect_hits(db, q, opts, want);
    silk_query_destroy(q);
}

static uint64_t doc_count(silk_db_t *db)
{
    uint64_t n = 0;
    assert_int_equal(silk_db_doc_count(db, &n), SILK_OK);
    return n;
}

/* Collects strings from the iteration callbacks as "a|b|c". */
typedef struct {
    char buf[1024]; /* the joined strings */
    int count;      /* how many were seen */
    int stop_after; /* return nonzero after this many (0: never) */
} collect_t;

static int collect_cb(const char *s, size_t len, void *ud)
{
    collect_t *c = ud;
    size_t used = strlen(c->buf);
    snprintf(c->buf + used, sizeof c->buf - used, "%s%.*s", c->count ? "|" : "", (int)len, s);
    c->count++;
    return c->stop_after && c->count >= c->stop_after;
}

/* Runs the iteration function fn(args..., collect_cb, &c) and asserts that it succeeds and
 * reports exactly `want` ("a|b|c"; "" for nothing at all). */
#define EXPECT_LIST(want, fn, ...)                                                                 \
    do {                                                                                           \
        collect_t c_ = {.count = 0};                                                               \
        assert_int_equal(fn(__VA_ARGS__, collect_cb, &c_), SILK_OK);                               \
        assert_string_equal(c_.buf, want);                                                         \
        if (*(want) == '\0')                                                                       \
            assert_int_equal(c_.count, 0);                                                         \
    } while (0)

static void expect_db_term_freq(silk_db_t *db, const char *t, uint64_t want)
{
    uint64_t freq = 0;
    assert_int_equal(silk_db_term_freq(db, t, &freq), SILK_OK);
    assert_int_equal(freq, want);
}

static void expect_wdb_term_freq(silk_wdb_t *w, const char *t, uint64_t want)
{
    uint64_t freq = 0;
    assert_int_equal(silk_wdb_term_freq(w, t, &freq), SILK_OK);
    assert_int_equal(freq, want);
}

/* The spelling suggestion for word is want (NULL: none). */
static void expect_spelling(silk_db_t *db, const char *word, unsigned max_edit, const char *want)
{
    char *s = NULL;
    assert_int_equal(silk_db_spelling(db, word, max_edit, &s), SILK_OK);
    if (want == NULL) {
        assert_null(s);
        return;
    }
    assert_non_null(s);
    assert_string_equal(s, want);
    free(s);
}

static void expect_db_metadata(silk_db_t *db, const char *key, const char *want)
{
    char *v = NULL;
    assert_int_equal(silk_db_metadata(db, key, &v), SILK_OK);
    assert_string_equal(v, want);
    free(v);
}

static void expect_wdb_metadata(silk_wdb_t *w, const char *key, const char *want)
{
    char *v = NULL;
    assert_int_equal(silk_wdb_get_metadata(w, key, &v), SILK_OK);
    assert_string_equal(v, want);
    free(v);
}

/* Commits w and reopens db on what it wrote. */
static void commit_and_reopen(silk_wdb_t *w, silk_db_t *db)
{
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    assert_int_equal(silk_db_reopen(db, NULL), SILK_OK);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- lib/status.c -------------------------------------------------------------------------- */

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

/* ---- stubs, shards, replaced folders ------------------------------------------------------- */

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

static int tool_exists(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

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
    /* Xapian's program syntax: the shard is served by xapian-progsrv over a pipe. */
    snprintf(text, sizeof text, "remote :xapian-progsrv %s\n", served);
    silk_write_file(stub, text);
    msg = NULL;
    silk_status_t st = silk_db_open(stub, &opts, &db, &msg);
    if (st != SILK_OK)
        fail_msg("progsrv stub: %s: %s", silk_status_to_string(st), msg ? msg : "");
    assert_int_equal(doc_count(db), 2);
    silk_db_destroy(db);
}

/* ---- the stemmer --------------------------------------------------------------------------- */

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
        cmocka_unit_test(test_status_strings),
        cmocka_unit_test_setup_teardown(test_add_search_replace_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mset_details, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allterms_and_bm25, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transaction_commit_and_destroy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_visible_after_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_modified_under_reader, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
        cmocka_unit_test(test_invalid_query_arguments),
        cmocka_unit_test_setup_teardown(test_invalid_arguments_on_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wildcard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_range_and_sort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phrase_near_and_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_synonyms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spelling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stub_two_shards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_replaced_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remote_shard, setup, teardown),
        cmocka_unit_test(test_stemmer),
        cmocka_unit_test_setup_teardown(test_xapian_delve, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
