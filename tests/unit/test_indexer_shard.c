/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index --shards (indexer/shard.c): routing, a sharded index against a single one
 * (documents, spelling, synonyms through the stub's meta database), incremental runs found
 * by a plain silk_build_run(), the commit barrier (one failing shard commits nothing
 * anywhere), --shard K/N, and the refusals. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../indexer/build.h"
#include "../../indexer/index.h"
#include "../../indexer/shard.h"
#include "silk/buf.h"
#include "silk/db.h"
#include "silk/schema.h"
#include "indexer_fixture.h"

/* Twelve small articles: a shared vocabulary, and one word of their own each. */
static void write_corpus(const fixture_t *f)
{
    static const char *words[] = {"anchovy",    "bramble",  "cobbler",  "dulcimer",
                                  "escarpment", "flotilla", "gossamer", "hinterland",
                                  "isthmus",    "juniper",  "kestrel",  "lanyard"};
    for (int i = 0; i < 12; i++) {
        char rel[64], text[1024];
        snprintf(rel, sizeof rel, "art%02d.txt", i);
        snprintf(text, sizeof text,
                 "Article %d about %s\n"
                 "The %s of the northern valley is known for its %s and its harbour.\n"
                 "Geography\n"
                 "A harbour near the %s holds %d boats; the valley road follows the river.\n",
                 i, words[i], words[i], words[(i + 1) % 12], words[i], i + 3);
        write_file(f, rel, text);
    }
    write_file(f, "synonyms.txt", "harbour = port = haven\n");
}

static silk_status_t run_opts(const char *corpus, const char *index, unsigned nshards, int only,
                              int no_wait, int full, silk_index_summary_t *sum)
{
    silk_index_opts_t o = {0};
    o.corpus = corpus;
    o.index = index;
    o.no_wait = no_wait;
    o.full = full;
    char *msg = NULL;
    silk_status_t st = silk_build_run(&o, nshards, only, sum, &msg);
    if (st != SILK_OK)
        fprintf(stderr, "run: %s\n", msg ? msg : "?");
    free(msg);
    return st;
}

static silk_db_t *open_db(const char *path)
{
    silk_db_t *db = NULL;
    assert_int_equal(silk_db_open(path, NULL, &db, NULL), SILK_OK);
    return db;
}

static uint64_t doc_count(const char *path)
{
    silk_db_t *db = open_db(path);
    uint64_t n = 0;
    assert_int_equal(silk_db_doc_count(db, &n), SILK_OK);
    silk_db_destroy(db);
    return n;
}

static uint64_t revision(const char *path)
{
    silk_db_t *db = open_db(path);
    uint64_t r = 0;
    assert_int_equal(silk_db_revision(db, &r), SILK_OK);
    silk_db_destroy(db);
    return r;
}

/* "word:freq " for every spelling word, into a growing string. */
static int spell_cb(const char *w, size_t len, unsigned freq, void *ud)
{
    char item[256];
    int n = snprintf(item, sizeof item, "%.*s:%u ", (int)len, w, freq);
    return silk_buf_add(ud, item, (size_t)n) != SILK_OK;
}

static char *spellings(const char *path)
{
    silk_db_t *db = open_db(path);
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_db_spellings(db, spell_cb, &b), SILK_OK);
    silk_db_destroy(db);
    return silk_buf_steal(&b, NULL);
}

/* "s|" for every string s. */
static int str_cb(const char *s, size_t len, void *ud)
{
    return silk_buf_add(ud, s, len) != SILK_OK || silk_buf_addc(ud, '|') != SILK_OK;
}

static char *synonyms(const char *path, const char *key)
{
    silk_db_t *db = open_db(path);
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_db_synonyms(db, key, str_cb, &b), SILK_OK);
    silk_db_destroy(db);
    return silk_buf_steal(&b, NULL);
}

/* The shard (0..n-1) whose database holds document `id`, or -1. */
static int shard_of_doc(const fixture_t *f, unsigned n, const char *id)
{
    int found = -1;
    for (unsigned k = 0; k < n; k++) {
        char p[400], term[128];
        snprintf(p, sizeof p, "%s/shard-%u", f->sh, k);
        snprintf(term, sizeof term, "%s%s", SILK_PREFIX_UNIQUE, id);
        silk_db_t *db = open_db(p);
        uint64_t fr = 0;
        assert_int_equal(silk_db_term_freq(db, term, &fr), SILK_OK);
        silk_db_destroy(db);
        if (fr) {
            assert_int_equal(found, -1); /* in one shard only */
            found = (int)k;
        }
    }
    return found;
}

static void test_routing(void **state)
{
    (void)state;
    assert_int_equal(silk_index_db_for_file("a/b.txt", 1), 0);
    assert_int_equal(silk_index_db_for_file("a/b.txt", 0), 0);
    /* By article name: another extension, the same shard. */
    for (unsigned n = 2; n < 9; n++) {
        assert_int_equal(silk_index_db_for_file("asia/korea.txt", n),
                         silk_index_db_for_file("asia/korea.md", n));
        assert_int_equal(silk_index_db_for_file("x/.hidden", n),
                         silk_index_db_for_file("x/.hidden", n));
    }
    unsigned count[3] = {0};
    for (int i = 0; i < 300; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "art%03d.txt", i);
        unsigned k = silk_index_db_for_file(rel, 3);
        assert_true(k < 3);
        count[k]++;
    }
    for (int k = 0; k < 3; k++)
        assert_true(count[k] > 60); /* spread, not piled up */
}

static void test_sharded_like_single(void **state)
{
    fixture_t *f = *state;
    silk_index_summary_t s1, s3;
    write_corpus(f);
    /* Seen by every shard's scan, counted once: an ignored file, a skipped symlink. */
    write_file(f, "notes.csv", "not an article\n");
    char link[600];
    corpus_path(f, "outside.txt", link);
    assert_int_equal(symlink("/etc/hostname", link), 0);
    assert_int_equal(run_opts(f->corpus, f->index, 0, -1, 0, 0, &s1), SILK_OK);
    assert_int_equal(run_opts(f->corpus, f->sh, 3, -1, 0, 0, &s3), SILK_OK);
    assert_int_equal(s3.files_scanned, s1.files_scanned);
    assert_int_equal(s3.files_ignored, 1);
    assert_int_equal(s1.files_ignored, 1);
    assert_int_equal(s3.problems, 1);
    assert_int_equal(s3.files_skipped, 1);
    assert_int_equal(s3.docs_added, s1.docs_added);
    assert_int_equal(s3.docs_total, s1.docs_total);
    assert_int_equal(silk_shard_count(f->sh), 3);
    assert_int_equal(silk_shard_count(f->index), 0);
    /* The folder opens as one database: its revision is what the summary says. */
    assert_int_equal(doc_count(f->sh), doc_count(f->index));
    assert_int_equal(revision(f->sh), s3.revision);
    /* Each document sits in the shard its file is routed to. */
    unsigned used = 0;
    for (int i = 0; i < 12; i++) {
        char rel[32], id[32];
        snprintf(rel, sizeof rel, "art%02d.txt", i);
        snprintf(id, sizeof id, "art%02d#p1", i);
        int k = shard_of_doc(f, 3, id);
        assert_int_equal(k, (int)silk_index_db_for_file(rel, 3));
        used |= 1u << k;
    }
    assert_int_equal(used, 7); /* twelve articles reach every shard */
    /* Spelling: meta/ holds the sum of the shards' data, i.e. the single index's. */
    char *a = spellings(f->index), *b = spellings(f->sh);
    assert_true(strlen(a) > 100);
    assert_string_equal(a, b);
    free(a);
    free(b);
    silk_db_t *db = open_db(f->sh);
    char *fix = NULL;
    assert_int_equal(silk_db_spelling(db, "kestral", 2, &fix), SILK_OK);
    assert_non_null(fix);
    assert_string_equal(fix, "kestrel");
    free(fix);
    char *n = NULL;
    assert_int_equal(silk_db_metadata(db, SILK_META_SHARDS, &n), SILK_OK);
    assert_string_equal(n, "3");
    free(n);
    silk_db_destroy(db);
    a = synonyms(f->index, "harbour");
    b = synonyms(f->sh, "harbour");
    assert_string_equal(a, "haven|port|");
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_incremental(void **state)
{
    fixture_t *f = *state;
    silk_index_summary_t s;
    write_corpus(f);
    assert_int_equal(run_opts(f->corpus, f->sh, 3, -1, 0, 0, &s), SILK_OK);
    /* A plain run finds the shards by itself: nothing changed, nothing committed. */
    uint64_t rev = s.revision;
    assert_int_equal(run_opts(f->corpus, f->sh, 0, -1, 0, 0, &s), SILK_OK);
    assert_true(s.up_to_date);
    assert_int_equal(s.revision, rev);
    /* One article edited (a new word), one removed, one added. */
    write_file(f, "art03.txt",
               "Article 3 about dulcimer\nThe dulcimer of the valley, with a xylograph.\n");
    remove_file(f, "art05.txt");
    write_file(f, "art99.txt", "Article 99 about quagmire\nA quagmire by the harbour.\n");
    assert_int_equal(run_opts(f->corpus, f->sh, 0, -1, 0, 0, &s), SILK_OK);
    assert_false(s.up_to_date);
    assert_int_equal(s.files_changed, 1);
    assert_int_equal(s.files_removed, 1);
    assert_int_equal(s.files_added, 1);
    assert_int_equal(shard_of_doc(f, 3, "art03#p1"), (int)silk_index_db_for_file("art03.txt", 3));
    assert_int_equal(shard_of_doc(f, 3, "art05#p1"), -1);
    assert_int_equal(shard_of_doc(f, 3, "art99#p1"), (int)silk_index_db_for_file("art99.txt", 3));
    /* meta/ followed: the single index built from scratch has the same spelling data. */
    assert_int_equal(run_opts(f->corpus, f->index, 0, -1, 0, 0, &s), SILK_OK);
    char *a = spellings(f->index), *b = spellings(f->sh);
    assert_non_null(strstr(b, "xylograph:1 "));
    assert_non_null(strstr(b, "quagmire:")); /* the added article */
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_barrier(void **state)
{
    fixture_t *f = *state;
    silk_index_summary_t s;
    write_corpus(f);
    assert_int_equal(run_opts(f->corpus, f->sh, 3, -1, 0, 0, &s), SILK_OK);
    uint64_t revs[3];
    for (unsigned k = 0; k < 3; k++) {
        char p[400];
        snprintf(p, sizeof p, "%s/shard-%u", f->sh, k);
        revs[k] = revision(p);
    }
    /* Every article changes, and shard 1 cannot be written: nothing may commit. */
    for (int i = 0; i < 12; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "art%02d.txt", i);
        write_file(f, rel, "Changed\nEvery article changed at once.\n");
    }
    char lock[400];
    snprintf(lock, sizeof lock, "%s/shard-1.lock", f->sh);
    int fd = open(lock, O_RDWR | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    char *msg = NULL;
    silk_index_opts_t o = {0};
    o.corpus = f->corpus;
    o.index = f->sh;
    o.no_wait = 1;
    assert_int_equal(silk_build_run(&o, 0, -1, &s, &msg), SILK_ERR_LOCKED);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "shard 1"));
    free(msg);
    for (unsigned k = 0; k < 3; k++) {
        char p[400];
        snprintf(p, sizeof p, "%s/shard-%u", f->sh, k);
        assert_int_equal(revision(p), revs[k]);
    }
    close(fd);
    assert_int_equal(run_opts(f->corpus, f->sh, 0, -1, 1, 0, &s), SILK_OK);
    assert_int_equal(s.files_changed, 12);
}

static void test_one_shard_and_refusals(void **state)
{
    fixture_t *f = *state;
    silk_index_summary_t s;
    write_corpus(f);
    /* --shard 1/3: shard 1 and meta/ only, no stub (the folder is not the whole index). */
    assert_int_equal(run_opts(f->corpus, f->sh, 3, 1, 0, 0, &s), SILK_OK);
    char p[400];
    snprintf(p, sizeof p, "%s/shard-1/iamglass", f->sh);
    assert_int_equal(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/shard-0", f->sh);
    assert_int_not_equal(access(p, F_OK), 0);
    snprintf(p, sizeof p, "%s/meta/iamglass", f->sh);
    assert_int_equal(access(p, F_OK), 0);
    assert_int_equal(silk_shard_count(f->sh), 0);
    snprintf(p, sizeof p, "%s/shard-1", f->sh);
    assert_int_equal(doc_count(p), s.docs_total);
    /* A plain run there must not turn the folder into one database of everything. */
    assert_int_equal(run_opts(f->corpus, f->sh, 0, -1, 0, 0, &s), SILK_ERR_INVALID);
    snprintf(p, sizeof p, "%s/iamglass", f->sh);
    assert_int_not_equal(access(p, F_OK), 0);
    /* The whole index, then another number of shards: only with --full. */
    assert_int_equal(run_opts(f->corpus, f->sh, 3, -1, 0, 0, &s), SILK_OK);
    uint64_t total = s.docs_total;
    assert_int_equal(run_opts(f->corpus, f->sh, 2, -1, 0, 0, &s), SILK_ERR_INVALID);
    assert_int_equal(run_opts(f->corpus, f->sh, 4, 0, 0, 0, &s), SILK_ERR_INVALID);
    assert_int_equal(run_opts(f->corpus, f->sh, 2, -1, 0, 1, &s), SILK_OK);
    assert_int_equal(silk_shard_count(f->sh), 2);
    snprintf(p, sizeof p, "%s/shard-2", f->sh);
    assert_int_not_equal(access(p, F_OK), 0);
    assert_int_equal(doc_count(f->sh), total);
    /* A single-database index is not turned into shards; bad numbers are refused. */
    assert_int_equal(run_opts(f->corpus, f->index, 0, -1, 0, 0, &s), SILK_OK);
    assert_int_equal(run_opts(f->corpus, f->index, 3, -1, 0, 0, &s), SILK_ERR_INVALID);
    assert_int_equal(run_opts(f->corpus, f->sh, 0, -1, 0, 0, &s), SILK_OK);
    assert_int_equal(run_opts(f->corpus, f->sh, SILK_SHARD_MAX + 1, -1, 0, 0, &s),
                     SILK_ERR_INVALID);
    assert_int_equal(run_opts(f->corpus, f->sh, 2, 2, 0, 0, &s), SILK_ERR_INVALID);
    /* A stub file of one's own is not an index to write: its shard would get everything. */
    char stub[600];
    silk_tmpdir_path(&f->tmp, stub, sizeof stub, "my.stub");
    silk_write_file(stub, "glass sh/shard-0\n");
    uint64_t before = revision(stub);
    assert_int_equal(run_opts(f->corpus, stub, 0, -1, 0, 0, &s), SILK_ERR_INVALID);
    assert_int_equal(run_opts(f->corpus, stub, 3, -1, 0, 0, &s), SILK_ERR_INVALID);
    assert_int_equal(revision(stub), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routing),
        cmocka_unit_test_setup_teardown(test_sharded_like_single, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental, setup, teardown),
        cmocka_unit_test_setup_teardown(test_barrier, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_shard_and_refusals, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
