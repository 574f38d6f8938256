/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The modules under the single-database writer, each on its own: the string containers
 * (strmap), the corpus walk and the capped reader (scan), the file records in the index
 * metadata (filemeta), the writers' lock (lock), the transaction and the --full publish
 * (txn), the shared helpers of index.h, and the choice of the entry point (build). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../indexer/build.h"
#include "../../indexer/filemeta.h"
#include "../../indexer/index.h"
#include "../../indexer/lock.h"
#include "../../indexer/scan.h"
#include "../../indexer/strmap.h"
#include "../../indexer/txn.h"
#include "indexer_fixture.h"
#include "silk/db.h"
#include "silk/hash.h"
#include "silk/schema.h"

static void test_strmap(void **state)
{
    (void)state;
    silk_strmap_t m = {0};
    assert_null(silk_strmap_get(&m, "a"));
    /* Past the first table (256 slots, at most half full): every key survives the growth. */
    for (uintptr_t i = 0; i < 1000; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%lu", (unsigned long)i);
        silk_strmap_slot_t *s = silk_strmap_put(&m, k);
        assert_non_null(s);
        s->val = (void *)(i + 1);
    }
    assert_int_equal(m.n, 1000);
    assert_true(m.cap >= 2000);
    for (uintptr_t i = 0; i < 1000; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%lu", (unsigned long)i);
        assert_ptr_equal(silk_strmap_get(&m, k), (void *)(i + 1));
    }
    assert_ptr_equal(silk_strmap_put(&m, "k7")->val, (void *)8); /* an existing key */
    assert_int_equal(m.n, 1000);
    silk_strmap_free(&m);
    assert_int_equal(m.cap, 0);

    silk_strlist_t l = {0};
    for (int i = 0; i < 40; i++)
        assert_int_equal(silk_strlist_push(&l, "x"), 0);
    assert_int_equal(silk_strlist_pushn(&l, "abcdef", 3), 0);
    assert_int_equal(l.n, 41);
    assert_string_equal(l.v[40], "abc");
    silk_strlist_free(&l);
    assert_int_equal(l.n, 0);
}

static void test_index_helpers(void **state)
{
    (void)state;
    /* The content hash is FNV-1a 64 in hex: the values stored in existing indexes. */
    char hex[17];
    silk_index_hash_hex("", 0, hex);
    assert_string_equal(hex, "cbf29ce484222325");
    silk_index_hash_hex("a", 1, hex);
    assert_string_equal(hex, "af63dc4c8601ec8c");
    /* Routing by the article name: the FNV-1a of the path without its extension. */
    assert_int_equal(silk_index_db_for_file("asia/korea.md", 7), silk_hash("asia/korea", 10) % 7);
    assert_int_equal(silk_index_db_for_file(".hidden", 5), silk_hash(".hidden", 7) % 5);

    silk_index_summary_t a = {0}, b = {0};
    a.up_to_date = 1;
    b.up_to_date = 0;
    b.docs_total = 3;
    b.revision = 2;
    b.synonyms_loaded = 1;
    silk_index_summary_add(&a, &b);
    silk_index_summary_add(&a, &b);
    assert_int_equal(a.docs_total, 6);
    assert_int_equal(a.revision, 4);
    assert_false(a.up_to_date);
    assert_true(a.synonyms_loaded);

    char *msg = NULL;
    assert_int_equal(silk_index_fail(&msg, SILK_ERR_IO, "first %d", 1), SILK_ERR_IO);
    assert_int_equal(silk_index_fail(&msg, SILK_ERR_INVALID, "second"), SILK_ERR_INVALID);
    assert_string_equal(msg, "first 1"); /* the first failure is the message */
    free(msg);
    assert_int_equal(silk_index_fail(NULL, SILK_ERR_NOMEM, "x"), SILK_ERR_NOMEM);
}

/* Notes of a scan, joined by '\n'; skips counted apart. */
typedef struct {
    char text[2048];
    int skips;
} notes_t;

static void on_note(const char *msg, int skip, void *ud)
{
    notes_t *n = ud;
    size_t len = strlen(n->text);
    snprintf(n->text + len, sizeof n->text - len, "%s\n", msg);
    n->skips += skip;
}

static void test_scan(void **state)
{
    fixture_t *f = *state;
    write_file(f, "b.txt", "B\nText.\n");
    write_file(f, "a/deep.md", "# A\n\nText.\n");
    write_file(f, "c.jsonl", "{}\n");
    write_file(f, "notes.csv", "x\n");
    write_file(f, ".hidden.txt", "x\n");
    write_file(f, "synonyms.txt", "a = b\n");
    write_file(f, "sub/synonyms.txt", "not the table\n");
    char p[600];
    corpus_path(f, "outside.txt", p);
    assert_int_equal(symlink("/etc/hostname", p), 0);
    corpus_path(f, "inside.txt", p);
    assert_int_equal(symlink("b.txt", p), 0);
    notes_t n = {"", 0};
    silk_scan_t *s = NULL;
    char *msg = NULL;
    assert_int_equal(silk_scan_corpus(f->corpus, 0, 0, on_note, &n, &s, &msg), SILK_OK);
    assert_null(msg);
    /* Sorted by path; the link inside the corpus is an article, the one outside is not. */
    const char *want[] = {"a/deep.md", "b.txt", "c.jsonl", "inside.txt", "sub/synonyms.txt"};
    assert_int_equal(silk_scan_count(s), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(silk_scan_entry(s, i)->rel, want[i]);
    assert_int_equal(silk_scan_entry(s, 0)->fmt, SILK_FORMAT_MD);
    assert_int_equal(silk_scan_entry(s, 1)->size, 8);
    assert_non_null(silk_scan_synonyms(s));
    assert_non_null(strstr(silk_scan_synonyms(s), "/synonyms.txt"));
    /* Only the top-level synonyms.txt is the table: sub/synonyms.txt is an article. */
    assert_int_equal(silk_scan_ignored(s), 1);
    assert_int_equal(silk_scan_skipped(s), 1);
    assert_int_equal(n.skips, 1);
    assert_non_null(strstr(n.text, "outside.txt: skipped: symlink points outside the corpus"));
    assert_non_null(strstr(n.text, "notes.csv: ignored: not a .txt, .md or .jsonl file"));
    assert_false(silk_scan_kept(s, "a/deep.md"));
    assert_false(silk_scan_vanished(s));
    silk_scan_destroy(s);

    /* One part of three: exactly the files routed there. */
    size_t total = 0;
    for (unsigned k = 0; k < 3; k++) {
        assert_int_equal(silk_scan_corpus(f->corpus, 3, k, NULL, NULL, &s, NULL), SILK_OK);
        for (size_t i = 0; i < silk_scan_count(s); i++)
            assert_int_equal(silk_index_db_for_file(silk_scan_entry(s, i)->rel, 3), k);
        total += silk_scan_count(s);
        silk_scan_destroy(s);
    }
    assert_int_equal(total, 5);

    /* A missing corpus, a file as the corpus. */
    corpus_path(f, "nope", p);
    assert_int_equal(silk_scan_corpus(p, 0, 0, NULL, NULL, &s, &msg), SILK_ERR_NOT_FOUND);
    assert_null(s);
    assert_non_null(strstr(msg, "nope"));
    free(msg);
    msg = NULL;
    corpus_path(f, "b.txt", p);
    assert_int_equal(silk_scan_corpus(p, 0, 0, NULL, NULL, &s, &msg), SILK_ERR_NOT_FOUND);
    assert_non_null(strstr(msg, "not a folder"));
    free(msg);
    silk_scan_destroy(NULL);
}

/* Issue 14: the reader opens the file the scan saw, once: a file swapped for a link to a
 * file outside the corpus, a FIFO or another file is skipped, never read by name. A name
 * that is not UTF-8 is skipped by the walk, not fatal. */
static void test_scan_read_entry_swapped(void **state)
{
    fixture_t *f = *state;
    char p[600], out[700];
    write_file(f, "a.txt", "Title\n\nText.\n");
    write_file(f, "bad-\xff.txt", "Title\n\nText.\n");
    silk_scan_t *s = NULL;
    assert_int_equal(silk_scan_corpus(f->corpus, 0, 0, NULL, NULL, &s, NULL), SILK_OK);
    assert_int_equal(silk_scan_count(s), 1);
    assert_int_equal(silk_scan_skipped(s), 1);
    const silk_scan_entry_t *e = silk_scan_entry(s, 0);
    const char *why;
    int err_no;
    size_t len;
    char *d = silk_scan_read_entry(e, 1000, &len, &why, &err_no);
    assert_non_null(d);
    free(d);
    static const char replaced[] = "replaced since the scan (a link, a FIFO or another file)";
    corpus_path(f, "a.txt", p);
    snprintf(out, sizeof out, "%s/../outside.txt", f->corpus);
    FILE *o = fopen(out, "w");
    assert_non_null(o);
    fputs("secret\n", o);
    fclose(o);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(symlink(out, p), 0);
    assert_null(silk_scan_read_entry(e, 1000, &len, &why, &err_no));
    assert_string_equal(why, replaced);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_null(silk_scan_read_entry(e, 1000, &len, &why, &err_no)); /* and does not block */
    assert_string_equal(why, replaced);
    assert_int_equal(unlink(p), 0);
    write_file(f, "a.txt", "Title\n\nText.\n"); /* same content, another inode */
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    if ((uint64_t)sb.st_ino != e->ino) {
        assert_null(silk_scan_read_entry(e, 1000, &len, &why, &err_no));
        assert_string_equal(why, replaced);
    }
    silk_scan_destroy(s);
}

/* Issue 14: a lock file is never a planted link, nor a hard link to another file. */
static void test_lock_open_refuses_links(void **state)
{
    fixture_t *f = *state;
    char lock[700], victim[700];
    snprintf(lock, sizeof lock, "%s.lock", f->index);
    snprintf(victim, sizeof victim, "%s/../victim", f->corpus);
    FILE *v = fopen(victim, "w");
    assert_non_null(v);
    fputs("precious\n", v);
    fclose(v);
    assert_int_equal(symlink(victim, lock), 0);
    assert_int_equal(silk_lock_open(lock), -1);
    assert_int_equal(errno, ELOOP);
    assert_int_equal(unlink(lock), 0);
    assert_int_equal(link(victim, lock), 0);
    assert_int_equal(silk_lock_open(lock), -1);
    assert_int_equal(errno, EPERM);
    assert_int_equal(unlink(lock), 0);
    int fd = silk_lock_open(lock);
    assert_true(fd >= 0);
    struct stat sb;
    assert_int_equal(fstat(fd, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    close(fd);
    char *d = silk_read_file(victim, NULL);
    assert_string_equal(d, "precious\n");
    free(d);
}

static void test_scan_read(void **state)
{
    fixture_t *f = *state;
    char p[600];
    const char *why;
    int err_no;
    size_t len = 99;
    write_file(f, "empty.txt", "");
    corpus_path(f, "empty.txt", p);
    char *d = silk_scan_read(p, 10, &len, &why, &err_no);
    assert_non_null(d); /* an empty file is "", not a failure */
    assert_int_equal(len, 0);
    assert_string_equal(d, "");
    free(d);
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    write_file(f, "big.txt", big);
    corpus_path(f, "big.txt", p);
    d = silk_scan_read(p, sizeof big, &len, &why, &err_no);
    assert_non_null(d);
    assert_int_equal(len, sizeof big - 1);
    assert_int_equal(d[len], '\0');
    free(d);
    assert_null(silk_scan_read(p, 100, &len, &why, &err_no));
    assert_string_equal(why, "larger than the size cap (--max-size)");
    assert_null(silk_scan_read(f->corpus, 100, &len, &why, &err_no));
    assert_string_equal(why, "not a regular file");
    corpus_path(f, "missing.txt", p);
    assert_null(silk_scan_read(p, 100, &len, &why, &err_no));
    assert_null(why);
    assert_int_equal(err_no, ENOENT);
}

/* Commit hooks: one lets the commit go on, one cancels it. */
static int allow(void *ud)
{
    ++*(int *)ud;
    return 0;
}

static int refuse(void *ud)
{
    (void)ud;
    return 1;
}

static void test_filemeta_and_txn(void **state)
{
    fixture_t *f = *state;
    silk_txn_t *t = NULL;
    char *msg = NULL;
    assert_int_equal(silk_txn_open(f->index, 0, 1, &t, &msg), SILK_OK);
    assert_false(silk_txn_active(t));
    assert_int_equal(silk_txn_begin(t, &msg), SILK_OK);
    assert_true(silk_txn_active(t));
    silk_filemeta_t m = {0};
    m.rel = strdup("a/b.txt");
    strcpy(m.hash, "0123456789abcdef");
    m.size = 12;
    m.mtime = 34;
    assert_int_equal(silk_strlist_push(&m.ids, "a/b#p1"), 0);
    assert_int_equal(silk_strlist_push(&m.ids, "a/b#p2"), 0);
    assert_int_equal(silk_strlist_push(&m.probs, "a/b.txt: a problem"), 0);
    assert_int_equal(silk_filemeta_store(silk_txn_wdb(t), m.rel, &m, &msg), SILK_OK);
    assert_int_equal(silk_filemeta_store(silk_txn_wdb(t), "gone.txt", &m, &msg), SILK_OK);
    assert_int_equal(silk_filemeta_store(silk_txn_wdb(t), "gone.txt", NULL, &msg), SILK_OK);
    assert_int_equal(silk_wdb_set_metadata(silk_txn_wdb(t), SILK_META_FILE_PREFIX "junk", "{"),
                     SILK_OK);
    silk_filemeta_clear(&m);
    assert_null(m.rel);
    assert_int_equal(silk_txn_commit(t, NULL, NULL, &msg), SILK_OK);
    assert_false(silk_txn_active(t));

    /* Loaded back: one record (the removed one and the junk value are not records). */
    silk_files_t *fs = silk_files_new();
    assert_non_null(fs);
    assert_int_equal(silk_files_load(fs, silk_txn_wdb(t), &msg), SILK_OK);
    assert_int_equal(silk_files_count(fs), 1);
    silk_filemeta_t *r = silk_files_get(fs, "a/b.txt");
    assert_non_null(r);
    assert_ptr_equal(r, silk_files_at(fs, 0));
    assert_string_equal(r->hash, "0123456789abcdef");
    assert_int_equal(r->size, 12);
    assert_int_equal(r->mtime, 34);
    assert_int_equal(r->ids.n, 2);
    assert_int_equal(r->probs.n, 1);
    assert_string_equal(silk_files_owner(fs, "a/b#p2"), "a/b.txt");
    assert_null(silk_files_owner(fs, "a/b#p3"));
    assert_null(silk_files_get(fs, "gone.txt"));
    silk_filemeta_t *n = silk_files_add(fs, "new.txt");
    assert_non_null(n);
    assert_int_equal(silk_files_set_owner(fs, "a/b#p2", n->rel), 0);
    assert_string_equal(silk_files_owner(fs, "a/b#p2"), "new.txt");
    assert_int_equal(silk_files_set_owner(fs, "a/b#p2", NULL), 0);
    assert_null(silk_files_owner(fs, "a/b#p2"));
    silk_files_destroy(fs);
    silk_files_destroy(NULL);

    uint64_t rev = 0, docs = 9;
    assert_int_equal(silk_txn_publish(t, &rev, &docs, &msg), SILK_OK);
    assert_int_equal(rev, 1);
    assert_int_equal(docs, 0);
    silk_txn_destroy(t);

    /* --full: built beside the index and switched in; nothing left behind. */
    assert_int_equal(silk_txn_open(f->index, 1, 1, &t, &msg), SILK_OK);
    assert_true(silk_index_is_db(f->index));
    assert_int_equal(silk_txn_begin(t, &msg), SILK_OK);
    assert_int_equal(silk_txn_commit(t, NULL, NULL, &msg), SILK_OK);
    assert_int_equal(silk_txn_publish(t, &rev, &docs, &msg), SILK_OK);
    silk_txn_destroy(t);
    char p[600];
    snprintf(p, sizeof p, "%s.new-%ld", f->index, (long)getpid());
    assert_int_not_equal(access(p, F_OK), 0);
    silk_db_t *db = NULL;
    assert_int_equal(silk_db_open(f->index, NULL, &db, NULL), SILK_OK);
    char *v = NULL;
    assert_int_equal(silk_db_metadata(db, SILK_META_FILE_PREFIX "a/b.txt", &v), SILK_OK);
    assert_string_equal(v, ""); /* a fresh database */
    free(v);
    silk_db_destroy(db);

    /* An unpublished --full database is removed; a refused commit commits nothing. */
    assert_int_equal(silk_txn_open(f->index, 1, 1, &t, &msg), SILK_OK);
    assert_int_equal(access(p, F_OK), 0);
    silk_txn_destroy(t);
    assert_int_not_equal(access(p, F_OK), 0);
    assert_int_equal(silk_txn_open(f->index, 0, 1, &t, &msg), SILK_OK);
    assert_int_equal(silk_txn_begin(t, &msg), SILK_OK);
    int asked = 0;
    assert_int_equal(silk_txn_commit(t, allow, &asked, &msg), SILK_OK);
    assert_int_equal(asked, 1);
    assert_int_equal(silk_txn_commit(t, allow, &asked, &msg), SILK_OK); /* nothing open */
    assert_int_equal(asked, 1);
    silk_txn_destroy(t);
    assert_null(msg);
}

static void test_txn_refusals_and_leftovers(void **state)
{
    fixture_t *f = *state;
    silk_txn_t *t = NULL;
    char *msg = NULL;
    uint64_t before = 0, after = 0, docs = 0;
    assert_int_equal(silk_txn_open(f->index, 0, 1, &t, &msg), SILK_OK);
    assert_int_equal(silk_txn_publish(t, &before, &docs, &msg), SILK_OK);
    silk_txn_destroy(t);
    assert_int_equal(silk_txn_open(f->index, 0, 1, &t, &msg), SILK_OK);
    assert_int_equal(silk_txn_begin(t, &msg), SILK_OK);
    assert_int_equal(silk_txn_commit(t, refuse, NULL, &msg), SILK_ERR_INTERNAL);
    assert_non_null(strstr(msg, "nothing committed: another shard failed"));
    free(msg);
    msg = NULL;
    silk_txn_destroy(t);
    assert_int_equal(silk_txn_open(f->index, 0, 1, &t, &msg), SILK_OK);
    assert_int_equal(silk_txn_publish(t, &after, &docs, &msg), SILK_OK);
    silk_txn_destroy(t);
    assert_int_equal(after, before);

    /* --full never replaces what is not a database. */
    char p[600];
    silk_tmpdir_path(&f->tmp, p, sizeof p, "plain");
    silk_write_file(p, "x");
    assert_int_equal(silk_txn_open(p, 1, 1, &t, &msg), SILK_ERR_INVALID);
    assert_null(t);
    assert_non_null(strstr(msg, "is not a silk index: not replacing it"));
    free(msg);

    /* Leftovers of killed runs: .new-N removed, .old-N brought back when the index is gone,
     * other names untouched. */
    char n1[600], o1[600], keep[600];
    snprintf(n1, sizeof n1, "%s.new-123", f->sh);
    snprintf(o1, sizeof o1, "%s.old-456", f->sh);
    snprintf(keep, sizeof keep, "%s.new-12x", f->sh);
    assert_int_equal(mkdir(n1, 0755), 0);
    assert_int_equal(mkdir(o1, 0755), 0);
    assert_int_equal(mkdir(keep, 0755), 0);
    silk_txn_clean_leftovers(f->sh);
    assert_int_not_equal(access(n1, F_OK), 0);
    assert_int_not_equal(access(o1, F_OK), 0);
    assert_int_equal(access(f->sh, F_OK), 0); /* the .old- one became the index */
    assert_int_equal(access(keep, F_OK), 0);
}

/* SILK_TXN_PARTS: no writer until the parts are merged, in order, into the target, which
 * is then published in place of the index; an unpublished one goes with its parts. */
static void test_txn_parts(void **state)
{
    fixture_t *f = *state;
    silk_txn_t *t = NULL;
    char *msg = NULL;
    assert_int_equal(silk_txn_open(f->index, SILK_TXN_PARTS, 1, &t, &msg), SILK_OK);
    assert_null(silk_txn_wdb(t));
    for (unsigned k = 0; k < 2; k++) {
        char *p = silk_txn_part_path(t, k);
        assert_non_null(p);
        silk_wdb_t *w = NULL;
        assert_int_equal(silk_wdb_open(p, SILK_WDB_OVERWRITE | SILK_WDB_NO_SYNC, &w, NULL),
                         SILK_OK);
        assert_int_equal(silk_wdb_set_metadata(w, k ? "silk.file:b" : "silk.file:a", "{}"),
                         SILK_OK);
        assert_int_equal(silk_wdb_commit(w), SILK_OK);
        silk_wdb_destroy(w);
        free(p);
    }
    assert_int_equal(silk_txn_merge(t, 2, &msg), SILK_OK);
    assert_non_null(silk_txn_wdb(t));
    char *p0 = NULL;
    assert_true(asprintf(&p0, "%s.new-%ld/part-0", f->index, (long)getpid()) > 0);
    assert_int_not_equal(access(p0, F_OK), 0); /* the parts are gone */
    free(p0);
    assert_int_equal(silk_txn_begin(t, &msg), SILK_OK);
    assert_int_equal(silk_txn_flush(t, &msg), SILK_OK);
    assert_int_equal(silk_txn_commit(t, NULL, NULL, &msg), SILK_OK);
    uint64_t rev = 0, docs = 1;
    assert_int_equal(silk_txn_publish(t, &rev, &docs, &msg), SILK_OK);
    assert_int_equal(docs, 0);
    silk_txn_destroy(t);
    silk_db_t *db = NULL;
    assert_int_equal(silk_db_open(f->index, NULL, &db, NULL), SILK_OK);
    char *v = NULL;
    assert_int_equal(silk_db_metadata(db, "silk.file:b", &v), SILK_OK);
    assert_string_equal(v, "{}");
    free(v);
    silk_db_destroy(db);

    /* Merging zero parts is refused; an unpublished target is removed with its parts. */
    assert_int_equal(silk_txn_open(f->index, SILK_TXN_PARTS, 1, &t, &msg), SILK_OK);
    assert_int_equal(silk_txn_merge(t, 0, &msg), SILK_ERR_INVALID);
    free(msg);
    msg = NULL;
    char *target = NULL;
    assert_true(asprintf(&target, "%s.new-%ld", f->index, (long)getpid()) > 0);
    assert_int_equal(access(target, F_OK), 0);
    silk_txn_destroy(t);
    assert_int_not_equal(access(target, F_OK), 0);
    free(target);
    assert_null(msg);
}

static void test_lock(void **state)
{
    fixture_t *f = *state;
    int fd = -1, fd2 = -1;
    char *msg = NULL;
    assert_int_equal(silk_lock_take(f->index, 1, NULL, NULL, &fd, &msg), SILK_OK);
    assert_true(fd >= 0);
    char p[600], pid[32];
    snprintf(p, sizeof p, "%s.lock", f->index);
    char *text = silk_read_file(p, NULL);
    snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    assert_string_equal(text, pid);
    free(text);
    /* flock locks belong to the open file: a second open in this process conflicts. */
    assert_int_equal(silk_lock_take(f->index, 1, NULL, NULL, &fd2, &msg), SILK_ERR_LOCKED);
    assert_int_equal(fd2, -1);
    snprintf(p, sizeof p, "is being written by another silk-index (pid %ld)", (long)getpid());
    assert_non_null(strstr(msg, p));
    free(msg);
    msg = NULL;
    close(fd);
    assert_int_equal(silk_lock_take(f->index, 1, NULL, NULL, &fd2, &msg), SILK_OK);
    close(fd2);
    snprintf(p, sizeof p, "%s/no/such/folder/index", f->corpus);
    assert_int_equal(silk_lock_take(p, 1, NULL, NULL, &fd, &msg), SILK_ERR_IO);
    assert_non_null(strstr(msg, "cannot create the lock"));
    free(msg);
}

static void test_build_chooses(void **state)
{
    fixture_t *f = *state;
    write_file(f, "a.txt", "Alpha\nThe first article.\n");
    write_file(f, "b.txt", "Beta\nThe second article.\n");
    silk_index_opts_t o = {0};
    o.corpus = f->corpus;
    o.no_wait = 1;
    silk_index_summary_t s;
    char *msg = NULL;
    /* A new path: one database. */
    o.index = f->index;
    assert_int_equal(silk_build_run(&o, 0, -1, &s, &msg), SILK_OK);
    assert_true(silk_index_is_db(f->index));
    /* --shards 2, then the same folder without options: found to be sharded. */
    o.index = f->sh;
    assert_int_equal(silk_build_run(&o, 2, -1, &s, &msg), SILK_OK);
    assert_false(silk_index_is_db(f->sh));
    assert_int_equal(s.docs_total, 2);
    assert_int_equal(silk_build_run(&o, 0, -1, &s, &msg), SILK_OK);
    assert_true(s.up_to_date);
    assert_int_equal(s.files_scanned, 2);
    assert_null(msg);
}

/* An index built with another document layout (SILK_META_SCHEMA unset, or older) gets
 * every document written again by an incremental run, so that none lacks the facet value
 * slots; the marker is then current and the next run has nothing to do. */
static void test_schema_rewrite(void **state)
{
    fixture_t *f = *state;
    write_file(f, "a.txt", "Alpha\nThe first article.\n\nA second paragraph.\n");
    write_file(f, "b.txt", "Beta\nThe second article.\n");
    silk_index_opts_t o = {0};
    o.corpus = f->corpus;
    o.index = f->index;
    o.no_wait = 1;
    silk_index_summary_t s;
    char *msg = NULL, *v = NULL;
    assert_int_equal(silk_build_run(&o, 0, -1, &s, &msg), SILK_OK);
    uint64_t docs = s.docs_total;
    silk_wdb_t *w = NULL;
    assert_int_equal(silk_wdb_open(f->index, 0, &w, NULL), SILK_OK);
    assert_int_equal(silk_wdb_get_metadata(w, SILK_META_SCHEMA, &v), SILK_OK);
    assert_string_equal(v, SILK_SCHEMA_VERSION);
    free(v);
    /* As an index from before the marker. */
    assert_int_equal(silk_wdb_set_metadata(w, SILK_META_SCHEMA, ""), SILK_OK);
    assert_int_equal(silk_wdb_commit(w), SILK_OK);
    silk_wdb_destroy(w);
    assert_int_equal(silk_build_run(&o, 0, -1, &s, &msg), SILK_OK);
    assert_false(s.up_to_date);
    assert_int_equal(s.docs_replaced, docs);
    assert_int_equal(s.docs_unchanged, 0);
    assert_int_equal(s.docs_total, docs);
    assert_int_equal(silk_wdb_open(f->index, 0, &w, NULL), SILK_OK);
    assert_int_equal(silk_wdb_get_metadata(w, SILK_META_SCHEMA, &v), SILK_OK);
    assert_string_equal(v, SILK_SCHEMA_VERSION);
    free(v);
    silk_wdb_destroy(w);
    assert_int_equal(silk_build_run(&o, 0, -1, &s, &msg), SILK_OK);
    assert_true(s.up_to_date);
    assert_null(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strmap),
        cmocka_unit_test(test_index_helpers),
        cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_filemeta_and_txn, setup, teardown),
        cmocka_unit_test_setup_teardown(test_txn_refusals_and_leftovers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_txn_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_read_entry_swapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_open_refuses_links, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_chooses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_rewrite, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
