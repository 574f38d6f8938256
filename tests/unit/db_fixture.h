/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Fixtures and helpers shared by the unit tests of the Xapian wrapper (test_db*.c).
 * Header-only on purpose: each test file is its own program; the helpers are static
 * inline so a file that does not use one of them still compiles warning-free. */
#ifndef SILK_TEST_DB_FIXTURE_H
#define SILK_TEST_DB_FIXTURE_H
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

static inline int setup(void **state)
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

static inline int teardown(void **state)
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
static inline void path_in(void **state, char *out, size_t cap, const char *name)
{
    silk_tmpdir_path(&((fixture_t *)*state)->tmp, out, cap, "%s", name);
}

/* Remembers pid as the test's helper process (0: none), for teardown to kill. */
static inline void set_child(void **state, pid_t pid)
{
    ((fixture_t *)*state)->child = pid;
}

/* Stops the helper process pid and forgets it. */
static inline void stop_child(void **state, pid_t pid)
{
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    set_child(state, 0);
}

/* ---- helpers ------------------------------------------------------------------------------- */

/* A document with unique term Q<id>, the space-separated words of `text` as positional
 * terms (from 1), its data "{id}" and value `year` in slot 0 (when year > 0). */
static inline silk_doc_t *make_doc(const char *id, const char *text, double year)
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

static inline void put(silk_wdb_t *w, const char *id, const char *text, double year)
{
    silk_doc_t *doc = make_doc(id, text, year);
    char q[256];
    snprintf(q, sizeof q, "Q%s", id);
    assert_int_equal(silk_wdb_replace(w, q, doc), SILK_OK);
    silk_doc_destroy(doc);
}

static inline silk_wdb_t *wopen(const char *path, int flags)
{
    silk_wdb_t *w = NULL;
    char *msg = NULL;
    silk_status_t st = silk_wdb_open(path, flags, &w, &msg);
    if (st != SILK_OK)
        fail_msg("silk_wdb_open(%s): %s: %s", path, silk_status_to_string(st), msg ? msg : "");
    assert_null(msg);
    return w;
}

static inline silk_db_t *ropen(const char *path)
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
static inline void write_docs(const char *path, int flags, const doc_spec_t *docs, size_t n)
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
static inline void build_corpus(const char *path)
{
    WRITE_DOCS(path, SILK_WDB_OVERWRITE, {"a#p1", "iran north korea relations axis of evil", 2002},
               {"a#p2", "north korea missile program", 2006},
               {"a#p3", "iran nuclear program weapons", 2010},
               {"a#p4", "syria arms trade with north korea", 2014});
}

static inline silk_query_t *term(const char *t)
{
    silk_query_t *q = NULL;
    assert_int_equal(silk_query_term(t, strlen(t), 1, 0, &q), SILK_OK);
    return q;
}

/* AND/OR/... of the given words. */
static inline silk_query_t *combine_words(silk_op_t op, unsigned window, int n, ...)
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
static inline silk_status_t hits_of(silk_db_t *db, silk_query_t *q, const silk_search_opts_t *opts,
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
static inline void expect_hits(silk_db_t *db, silk_query_t *q, const silk_search_opts_t *opts,
                               const char *want)
{
    char hits[512];
    assert_int_equal(hits_of(db, q, opts, hits, sizeof hits), SILK_OK);
    assert_string_equal(hits, want);
}

/* expect_hits(), then destroys q. */
static inline void expect_hits_free(silk_db_t *db, silk_query_t *q, const silk_search_opts_t *opts,
                                    const char *want)
{
    expect_hits(db, q, opts, want);
    silk_query_destroy(q);
}

static inline uint64_t doc_count(silk_db_t *db)
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

static inline int collect_cb(const char *s, size_t len, void *ud)
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

static inline void expect_db_term_freq(silk_db_t *db, const char *t, uint64_t want)
{
    uint64_t freq = 0;
    assert_int_equal(silk_db_term_freq(db, t, &freq), SILK_OK);
    assert_int_equal(freq, want);
}

static inline void expect_wdb_term_freq(silk_wdb_t *w, const char *t, uint64_t want)
{
    uint64_t freq = 0;
    assert_int_equal(silk_wdb_term_freq(w, t, &freq), SILK_OK);
    assert_int_equal(freq, want);
}

/* The spelling suggestion for word is want (NULL: none). */
static inline void expect_spelling(silk_db_t *db, const char *word, unsigned max_edit,
                                   const char *want)
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

static inline void expect_db_metadata(silk_db_t *db, const char *key, const char *want)
{
    char *v = NULL;
    assert_int_equal(silk_db_metadata(db, key, &v), SILK_OK);
    assert_string_equal(v, want);
    free(v);
}

static inline void expect_wdb_metadata(silk_wdb_t *w, const char *key, const char *want)
{
    char *v = NULL;
    assert_int_equal(silk_wdb_get_metadata(w, key, &v), SILK_OK);
    assert_string_equal(v, want);
    free(v);
}

/* Commits w and reopens db on what it wrote. */
static inline void commit_and_reopen(silk_wdb_t *w, silk_db_t *db)
{
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    assert_int_equal(silk_db_reopen(db, NULL), SILK_OK);
}

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- lib/status.c -------------------------------------------------------------------------- */

/* Whether a program is on PATH (the xapian tools some tests also run). */
static inline int tool_exists(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

#endif
