/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The indexer's writing side (indexer/writer.c and the modules it uses): the terms of a
 * document, and incremental runs of silk_build_run() over small corpora in a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../indexer/build.h"
#include "../../indexer/index.h"
#include "silk/db.h"
#include "silk/schema.h"
#include "indexer_fixture.h"

/* A temporary folder with a corpus/ and the index path beside it. */
/* Problems reported by the last run. */
static int problems;
static void count_note(const char *msg, int skip, void *ud)
{
    (void)msg;
    (void)ud;
    problems += skip;
}

static silk_index_summary_t run(const fixture_t *f, int full)
{
    silk_index_opts_t o = {0};
    o.corpus = f->corpus;
    o.index = f->index;
    o.full = full;
    o.no_wait = 1;
    o.note = count_note;
    problems = 0;
    silk_index_summary_t s;
    char *msg = NULL;
    silk_status_t st = silk_build_run(&o, 0, -1, &s, &msg);
    if (st != SILK_OK)
        fail_msg("silk_build_run: %s", msg ? msg : "?");
    free(msg);
    return s;
}

static silk_db_t *open_db(const fixture_t *f)
{
    silk_db_t *db = NULL;
    assert_int_equal(silk_db_open(f->index, NULL, &db, NULL), SILK_OK);
    return db;
}

static uint64_t freq(silk_db_t *db, const char *term)
{
    uint64_t n = 0;
    assert_int_equal(silk_db_term_freq(db, term, &n), SILK_OK);
    return n;
}

/* Collects terms into a newline-joined string for strstr checks. */
static int collect(const char *s, size_t len, void *ud)
{
    char **acc = ud;
    size_t old = *acc ? strlen(*acc) : 0;
    *acc = realloc(*acc, old + len + 3);
    if (old == 0)
        (*acc)[0] = '\n', old = 1;
    memcpy(*acc + old, s, len);
    (*acc)[old + len] = '\n';
    (*acc)[old + len + 1] = '\0';
    return 0;
}

static int has_term(char *terms, const char *t)
{
    char needle[300];
    snprintf(needle, sizeof needle, "\n%s\n", t);
    return terms && strstr(terms, needle) != NULL;
}

static const char article[] =
    "Test Article\n"
    "The lead talks about Pyongyang and Tehran weapons.[1] It has 조선 and ایران too.\n"
    "History\n"
    "Cooperation started in the 1980s with missile deliveries.[2][1]\n"
    "References\n"
    "- Coughlin, Con (26 January 2007). \"Korea helping\". Retrieved 24 April 2009.\n"
    "- Balázs Szalontai, Cracks in the axis. NK News, August 5, 2014.\n";

static void test_document_terms(void **state)
{
    fixture_t *f = *state;
    write_file(f, "art.txt", article);
    write_file(f, "synonyms.txt",
               "# groups\ndprk = north korea = Democratic People's Republic of Korea\n");
    silk_index_summary_t s = run(f, 0);
    assert_int_equal(s.files_added, 1);
    assert_int_equal(s.docs_added, 4);
    assert_int_equal(s.docs_total, 4);
    assert_true(s.synonyms_loaded);
    silk_db_t *db = open_db(f);
    char *terms = NULL;
    assert_int_equal(silk_db_document_terms(db, "Qart#p1", collect, &terms), SILK_OK);
    const char *want[] = {"Qart#p1",  "Klead",    "XAart", "XC1",    "pyongyang",
                          "Ztehran",  "Zweapon",  "조선",  "ایران",  "Stest",
                          "Sarticle", "ZSarticl", "test",  "article"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!has_term(terms, want[i]))
            fail_msg("p1 lacks term %s", want[i]);
    assert_false(has_term(terms, "XC2"));
    free(terms);
    terms = NULL;
    assert_int_equal(silk_db_document_terms(db, "Qart#p2", collect, &terms), SILK_OK);
    assert_true(has_term(terms, "XShistory"));
    assert_true(has_term(terms, "ZXShistori"));
    assert_true(has_term(terms, "history"));
    assert_true(has_term(terms, "Kparagraph"));
    assert_true(has_term(terms, "XC1") && has_term(terms, "XC2"));
    free(terms);
    terms = NULL;
    assert_int_equal(silk_db_document_terms(db, "Qart#ref-1", collect, &terms), SILK_OK);
    assert_true(has_term(terms, "Acoughlin") && has_term(terms, "Acon"));
    assert_true(has_term(terms, "Y2007") && !has_term(terms, "Y2009"));
    assert_true(has_term(terms, "Kreference"));
    free(terms);
    terms = NULL;
    assert_int_equal(silk_db_document_terms(db, "Qart#ref-2", collect, &terms), SILK_OK);
    assert_true(has_term(terms, "Abalazs") && has_term(terms, "Aszalontai"));
    assert_true(has_term(terms, "balazs"));
    free(terms);
    /* Stored data is the JSON of search.h with the clean text. */
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(silk_db_document_data(db, "Qart#ref-1", &data, &len), SILK_OK);
    assert_non_null(strstr(data, "\"cited_by\":[\"p1\",\"p2\"]"));
    assert_non_null(strstr(data, "\"authors\":[\"Con Coughlin\"]"));
    free(data);
    assert_int_equal(silk_db_document_data(db, "Qart#p1", &data, &len), SILK_OK);
    assert_non_null(strstr(data, "Tehran weapons. It has"));
    free(data);
    /* Spelling data of body words; synonyms both ways, keys normalized. */
    char *sugg = NULL;
    assert_int_equal(silk_db_spelling(db, "pyongyamg", 2, &sugg), SILK_OK);
    assert_non_null(sugg);
    assert_string_equal(sugg, "pyongyang");
    free(sugg);
    terms = NULL;
    assert_int_equal(silk_db_synonyms(db, "dprk", collect, &terms), SILK_OK);
    assert_true(has_term(terms, "north korea"));
    assert_true(has_term(terms, "democratic people's republic of korea"));
    free(terms);
    terms = NULL;
    assert_int_equal(silk_db_synonyms(db, "north korea", collect, &terms), SILK_OK);
    assert_true(has_term(terms, "dprk"));
    free(terms);
    silk_db_destroy(db);
}

static void test_incremental(void **state)
{
    fixture_t *f = *state;
    write_file(f, "a.txt", article);
    write_file(f, "b.md", "# B\n\nFirst paragraph of b.\n\nSecond paragraph xylophonic.\n");
    write_file(f, "notes.bin", "ignored");
    silk_index_summary_t s = run(f, 0);
    assert_int_equal(s.files_scanned, 2);
    assert_int_equal(s.files_ignored, 1);
    assert_int_equal(s.docs_added, 6);
    assert_int_equal(problems, 0);
    uint64_t rev = s.revision;

    /* Unchanged: nothing committed. */
    s = run(f, 0);
    assert_true(s.up_to_date);
    assert_int_equal(s.revision, rev);
    assert_int_equal(s.files_unchanged, 2);

    /* Rewritten with the same bytes (new mtime): still nothing to commit. */
    write_file(f, "b.md", "# B\n\nFirst paragraph of b.\n\nSecond paragraph xylophonic.\n");
    s = run(f, 0);
    assert_true(s.up_to_date);
    assert_int_equal(s.revision, rev);

    /* One paragraph removed from b: one replaced (p1) and one deleted (p2). */
    write_file(f, "b.md", "# B\n\nFirst paragraph of b, edited.\n");
    s = run(f, 0);
    assert_false(s.up_to_date);
    assert_int_equal(s.revision, rev + 1);
    assert_int_equal(s.files_changed, 1);
    assert_int_equal(s.files_unchanged, 1);
    assert_int_equal(s.docs_replaced, 1);
    assert_int_equal(s.docs_deleted, 1);
    assert_int_equal(s.docs_added, 0);
    assert_int_equal(s.docs_total, 5);
    silk_db_t *db = open_db(f);
    assert_int_equal(freq(db, "Qb#p2"), 0);
    assert_int_equal(freq(db, "edited"), 1);
    /* The spelling data of the deleted paragraph is gone with it. */
    char *sugg = NULL;
    assert_int_equal(silk_db_spelling(db, "xylophonik", 2, &sugg), SILK_OK);
    assert_null(sugg);
    silk_db_destroy(db);

    /* One paragraph of a edited: exactly that document is written again. */
    char *edited = strdup(article);
    memcpy(strstr(edited, "missile deliveries"), "rocket  deliveries", 18);
    write_file(f, "a.txt", edited);
    free(edited);
    s = run(f, 0);
    assert_int_equal(s.files_changed, 1);
    assert_int_equal(s.docs_replaced, 1);
    assert_int_equal(s.docs_unchanged, 3);
    assert_int_equal(s.docs_added + s.docs_deleted, 0);
    db = open_db(f);
    assert_int_equal(freq(db, "rocket"), 1);
    assert_int_equal(freq(db, "missile"), 0);
    silk_db_destroy(db);

    /* A file removed, one added; a duplicate id across files is refused. */
    remove_file(f, "a.txt");
    write_file(
        f, "c.jsonl",
        "{\"id\":\"c1\",\"text\":\"jsonl text\"}\n{bad json\n{\"id\":\"b#p1\",\"text\":\"x\"}\n");
    s = run(f, 0);
    assert_int_equal(s.files_removed, 1);
    assert_int_equal(s.files_added, 1);
    assert_int_equal(s.docs_deleted, 4);
    assert_int_equal(s.docs_added, 1);
    assert_int_equal(s.docs_total, 2);
    assert_int_equal(problems, 2); /* the bad line and the duplicate id */
    db = open_db(f);
    assert_int_equal(freq(db, "Qc#c1"), 1);
    assert_int_equal(freq(db, "Qart#p1") + freq(db, "Qa#p1"), 0);
    char *data = NULL;
    size_t len;
    assert_int_equal(silk_db_document_data(db, "Qb#p1", &data, &len), SILK_OK);
    assert_non_null(strstr(data, "edited")); /* b's own document, not c's */
    free(data);
    silk_db_destroy(db);

    /* The problems of an unchanged file are reported again. */
    s = run(f, 0);
    assert_true(s.up_to_date);
    assert_int_equal(problems, 2);
    assert_int_equal(s.problems, 2);

    /* A document moved from one JSONL file to another keeps its id. */
    remove_file(f, "c.jsonl");
    write_file(f, "d.jsonl", "{\"id\":\"c#c1\",\"text\":\"moved text\"}\n");
    s = run(f, 0);
    assert_int_equal(problems, 0);
    assert_int_equal(s.files_removed, 1);
    assert_int_equal(s.docs_total, 2);
    db = open_db(f);
    assert_int_equal(freq(db, "moved"), 1);
    assert_int_equal(freq(db, "Qc#c1"), 1);
    silk_db_destroy(db);

    /* --full: a fresh database with the same documents, switched into place. */
    s = run(f, 1);
    assert_int_equal(s.docs_added, 2);
    assert_int_equal(s.docs_total, 2);
    db = open_db(f);
    uint64_t n = 0;
    assert_int_equal(silk_db_doc_count(db, &n), SILK_OK);
    assert_int_equal(n, 2);
    silk_db_destroy(db);
    char leftover[400];
    snprintf(leftover, sizeof leftover, "%s.new-%ld", f->index, (long)getpid());
    assert_int_not_equal(access(leftover, F_OK), 0);
    s = run(f, 0);
    assert_true(s.up_to_date);
}

static void test_bad_files(void **state)
{
    fixture_t *f = *state;
    char bin[256];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)(i % 4 ? 'x' : 0);
    char p[600];
    corpus_path(f, "blob.txt", p);
    silk_write_bytes(p, bin, sizeof bin);
    write_file(f, "empty.txt", "");
    write_file(f, "bad-utf8.txt", "Title\nSome \xff\xfe bytes here.\n");
    corpus_path(f, "outside.txt", p);
    assert_int_equal(symlink("/etc/hostname", p), 0);
    silk_index_summary_t s = run(f, 0);
    assert_int_equal(s.files_skipped, 2); /* the binary file and the symlink */
    assert_int_equal(problems, 2);
    assert_int_equal(s.docs_total, 1);
    silk_db_t *db = open_db(f);
    char *data = NULL;
    size_t len;
    assert_int_equal(silk_db_document_data(db, "Qbad-utf8#p1", &data, &len), SILK_OK);
    assert_non_null(strstr(data, "Some \xef\xbf\xbd\xef\xbf\xbd bytes"));
    free(data);
    silk_db_destroy(db);
    assert_int_equal(silk_index_db_for_file("x.txt", 1), 0);
    assert_true(silk_index_db_for_file("x.txt", 4) < 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_document_terms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_incremental, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
