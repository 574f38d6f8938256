/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Documents handed on as they are built (silk_article_parse_to(), article.h's sink): the
 * same documents, in the same order, with the same stored data as the article that keeps
 * them all (silk_article_parse()), for every format, including references in the middle
 * of an article cited before and after them; a failing sink stops the parse. The bytes
 * fed in chunks of any size (silk_article_stream_feed(): linein.h's lines, the .txt
 * reader's bounded lookahead) give the same documents too, and so does a file read from
 * its descriptor in chunks (ingest.h), whose content hash is the whole file's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../indexer/corpus.h"
#include "../../indexer/index.h"
#include "../../indexer/ingest.h"
#include "../../indexer/linein.h"
#include "../../indexer/scan.h"
#include "indexer_fixture.h"
#include "support.h"

typedef struct {
    char **json; /* the stored data of each document handed on */
    size_t n, cap;
    size_t fail_at; /* 1-based document that fails (0: none) */
} sink_t;

static silk_status_t collect(const silk_corpus_doc_t *d, void *ud)
{
    sink_t *s = ud;
    if (s->fail_at && s->n + 1 == s->fail_at)
        return SILK_ERR_IO;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->json = realloc(s->json, s->cap * sizeof *s->json);
        assert_non_null(s->json);
    }
    size_t len = 0;
    s->json[s->n] = silk_corpus_doc_json(d, &len);
    assert_non_null(s->json[s->n]);
    s->n++;
    return SILK_OK;
}

static void sink_free(sink_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->json[i]);
    free(s->json);
}

static char *dup_bytes(const char *s, size_t n)
{
    char *c = malloc(n ? n : 1);
    assert_non_null(c);
    memcpy(c, s, n);
    return c;
}

/* Parses text both ways and checks that the documents and problems are the same. */
static void same_both_ways(silk_format_t fmt, const char *name, const char *text, size_t n,
                           size_t min_docs)
{
    silk_article_t *whole = NULL, *streamed = NULL;
    assert_int_equal(silk_article_parse(fmt, name, "f", text, n, &whole), SILK_OK);
    sink_t s = {0};
    assert_int_equal(
        silk_article_parse_to(fmt, name, "f", dup_bytes(text, n), n, collect, &s, &streamed),
        SILK_OK);
    assert_true(silk_article_count(whole) >= min_docs);
    assert_int_equal(silk_article_count(streamed), 0);
    assert_int_equal(s.n, silk_article_count(whole));
    for (size_t i = 0; i < s.n; i++) {
        size_t len = 0;
        char *j = silk_corpus_doc_json(silk_article_doc(whole, i), &len);
        assert_string_equal(s.json[i], j);
        free(j);
    }
    assert_string_equal(silk_article_title(streamed), silk_article_title(whole));
    assert_int_equal(silk_article_problem_count(streamed), silk_article_problem_count(whole));
    for (size_t i = 0; i < silk_article_problem_count(whole); i++)
        assert_string_equal(silk_article_problem(streamed, i), silk_article_problem(whole, i));
    sink_free(&s);
    silk_article_destroy(whole);
    silk_article_destroy(streamed);
}

static const char MIXED_TXT[] = "Mixed title\n"
                                "Lead cites one.[1] And two.[2]\n"
                                "| a | b |\n"
                                "| c | d[3] |\n"
                                "Early\n"
                                "Paragraph early[2][4].\n"
                                "Further reading\n"
                                "- Brown, Bob (1987). A reading before the references.\n"
                                "References\n"
                                "- Smith, John (1999). First ref.\n"
                                "- Doe, Jane (2001). Second ref.\n"
                                "- Third ref, 2002.\n"
                                "Late section\n"
                                "A late paragraph citing[1] and [3] and [9].\n"
                                "- a late list line[2]\n";

static const char MIXED_MD[] = "---\ntitle: \"Notes\"\n---\n# Field *notes*\n\nPara one.[1]\n\n"
                               "## References\n- Darwin, Charles (1862). *On orchids*.\n"
                               "- Second, Ref (1901).\n\n## After\nPara after[1][2].\n";

static const char JSONL[] = "{\"id\":\"docs#a\",\"text\":\"alpha\",\"title\":\"T1\"}\n"
                            "{\"id\":\"docs#b\",\"text\":\"beta\",\"cites\":[1]}\n"
                            "{\"id\":\"docs#a\",\"text\":\"duplicate\"}\n"
                            "not json\n"
                            "{\"id\":\"docs#c\",\"text\":\"gamma\",\"cited_by\":[\"x\"],"
                            "\"year\":2001,\"author\":\"A B\"}\n";

static void test_prose_formats(void **state)
{
    (void)state;
    same_both_ways(SILK_FORMAT_TXT, "mixed", MIXED_TXT, strlen(MIXED_TXT), 9);
    same_both_ways(SILK_FORMAT_MD, "notes", MIXED_MD, strlen(MIXED_MD), 4);
    same_both_ways(SILK_FORMAT_TXT, "empty", "", 0, 0);
    same_both_ways(SILK_FORMAT_TXT, "title", "Just a title\n", 13, 0);
}

static void test_jsonl(void **state)
{
    (void)state;
    same_both_ways(SILK_FORMAT_JSONL, "docs", JSONL, strlen(JSONL), 3);
}

static void test_corpus_files(void **state)
{
    (void)state;
    const char *root = getenv("SILK_ROOT");
    static const struct {
        const char *rel;
        silk_format_t fmt;
    } files[] = {
        {"corpus/iran-north-korea-relations.txt", SILK_FORMAT_TXT},
        {"corpus/iran-north-korea-relations.txt", SILK_FORMAT_MD},
        {"tests/data/formats/iran-north-korea-relations.html", SILK_FORMAT_HTML},
        {"tests/data/lang/corpus/korean.txt", SILK_FORMAT_TXT},
        {"tests/data/lang/corpus/persian.txt", SILK_FORMAT_TXT},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root ? root : ".", files[i].rel);
        size_t n = 0;
        char *text = silk_read_file(path, &n);
        assert_non_null(text);
        same_both_ways(files[i].fmt, "a", text, n, 1);
        free(text);
    }
}

static void test_failing_sink_stops_the_parse(void **state)
{
    (void)state;
    sink_t s = {.fail_at = 3};
    silk_article_t *a = NULL;
    size_t n = strlen(MIXED_TXT);
    assert_int_not_equal(silk_article_parse_to(SILK_FORMAT_TXT, "m", "f", dup_bytes(MIXED_TXT, n),
                                               n, collect, &s, &a),
                         SILK_OK);
    assert_null(a);
    assert_int_equal(s.n, 2);
    sink_free(&s);
}

/* ---- chunks ----------------------------------------------------------------------------- */

/* The documents, title and problems of a, one string each (the caller frees them). */
static char **article_lines(const silk_article_t *a, size_t *n)
{
    size_t nd = silk_article_count(a), np = silk_article_problem_count(a);
    char **v = calloc(nd + np + 1, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < nd; i++) {
        size_t len = 0;
        v[i] = silk_corpus_doc_json(silk_article_doc(a, i), &len);
    }
    v[nd] = strdup(silk_article_title(a));
    for (size_t i = 0; i < np; i++)
        v[nd + 1 + i] = strdup(silk_article_problem(a, i));
    *n = nd + np + 1;
    return v;
}

static void lines_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* text[0..n) fed in chunks of `chunk` bytes. */
static silk_article_t *parse_in_chunks(silk_format_t fmt, const char *text, size_t n, size_t chunk)
{
    silk_article_stream_t *s = NULL;
    assert_int_equal(silk_article_stream_new(fmt, "a", "f", NULL, NULL, &s), SILK_OK);
    for (size_t at = 0; at < n; at += chunk)
        assert_int_equal(silk_article_stream_feed(s, text + at, n - at < chunk ? n - at : chunk),
                         SILK_OK);
    silk_article_t *a = NULL;
    assert_int_equal(silk_article_stream_finish(s, &a), SILK_OK);
    return a;
}

/* The bytes in chunks of 1, 7, 4096 and 65536 bytes give the documents of the whole. */
static void same_in_chunks(silk_format_t fmt, const char *text, size_t n)
{
    static const size_t chunks[] = {1, 7, 4096, 65536};
    silk_article_t *whole = NULL;
    assert_int_equal(silk_article_parse(fmt, "a", "f", text, n, &whole), SILK_OK);
    size_t nw = 0;
    char **w = article_lines(whole, &nw);
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        silk_article_t *a = parse_in_chunks(fmt, text, n, chunks[c]);
        size_t na = 0;
        char **v = article_lines(a, &na);
        assert_int_equal(na, nw);
        assert_int_equal(silk_article_count(a), silk_article_count(whole));
        for (size_t i = 0; i < na; i++)
            assert_string_equal(v[i], w[i]);
        lines_free(v, na);
        silk_article_destroy(a);
    }
    lines_free(w, nw);
    silk_article_destroy(whole);
}

/* A BOM, CR LF line ends, an invalid sequence cut by a line end, a NUL, a blank line with
 * spaces, the infobox after a candidate, a run split by a standard name, no final '\n'. */
static const char TRICKY_TXT[] = "\xef\xbb\xbf  Tricky title \r\n"
                                 "\r\n"
                                 "Short one\r\n"
                                 "| born | 1950 \xe2\x82\r\n"
                                 "| died | 2001[1] |\n"
                                 "   \t \n"
                                 "Lead\x00 with a NUL, and\xff bytes.\n"
                                 "Alpha\nBeta\nSee also\nGamma\nDelta\nEpsilon\n"
                                 "- a list line\n"
                                 "References\n"
                                 "- Smith, John (1999). A ref.\r\n"
                                 "\xef\xbb\xbf not a BOM here\n"
                                 "Last line without end";

static const char TRICKY_JSONL[] = "\xef\xbb\xbf{\"id\":\"a\",\"text\":\"one\"}\r\n"
                                   "\r\n"
                                   "{\"id\":\"b\",\"text\":\"t\xe2\x82\"}\n"
                                   "{\"id\":\"c\",\"text\":\"nul\x00 inside\"}\n"
                                   "{broken\r\n"
                                   "{\"id\":\"a\",\"text\":\"again\"}\n"
                                   "{\"id\":\"d\",\"text\":\"no end\"}";

static void test_chunks_give_the_same_documents(void **state)
{
    (void)state;
    same_in_chunks(SILK_FORMAT_TXT, MIXED_TXT, strlen(MIXED_TXT));
    same_in_chunks(SILK_FORMAT_MD, MIXED_MD, strlen(MIXED_MD));
    same_in_chunks(SILK_FORMAT_JSONL, JSONL, strlen(JSONL));
    same_in_chunks(SILK_FORMAT_TXT, TRICKY_TXT, sizeof TRICKY_TXT - 1);
    same_in_chunks(SILK_FORMAT_JSONL, TRICKY_JSONL, sizeof TRICKY_JSONL - 1);
    same_in_chunks(SILK_FORMAT_TXT, "", 0);
    same_in_chunks(SILK_FORMAT_TXT, "\xef\xbb\xbf", 3);
    same_in_chunks(SILK_FORMAT_JSONL, "\n\n", 2);
    const char *root = getenv("SILK_ROOT");
    static const struct {
        const char *rel;
        silk_format_t fmt;
    } files[] = {
        {"corpus/iran-north-korea-relations.txt", SILK_FORMAT_TXT},
        {"tests/data/formats/iran-north-korea-relations.html", SILK_FORMAT_HTML},
        {"tests/data/lang/corpus/korean.txt", SILK_FORMAT_TXT},
        {"tests/data/lang/corpus/persian.txt", SILK_FORMAT_TXT},
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root ? root : ".", files[i].rel);
        size_t n = 0;
        char *text = silk_read_file(path, &n);
        assert_non_null(text);
        same_in_chunks(files[i].fmt, text, n);
        free(text);
    }
}

/* What the tricky inputs give: the rules of the readers, line by line. */
static void test_tricky_lines(void **state)
{
    (void)state;
    silk_article_t *a = NULL;
    assert_int_equal(
        silk_article_parse(SILK_FORMAT_TXT, "a", "f", TRICKY_TXT, sizeof TRICKY_TXT - 1, &a),
        SILK_OK);
    assert_string_equal(silk_article_title(a), "Tricky title");
    /* "Short one" comes before the infobox: a heading; the cut sequence is one U+FFFD. */
    const silk_corpus_doc_t *d = silk_article_doc(a, 0);
    assert_string_equal(d->id, "a#infobox");
    assert_string_equal(d->text, "born | 1950 \xef\xbf\xbd; died | 2001");
    d = silk_article_doc(a, 1);
    assert_string_equal(d->section, "Short one");
    assert_string_equal(d->text, "Lead\xef\xbf\xbd with a NUL, and\xef\xbf\xbd bytes.");
    size_t n = silk_article_count(a);
    assert_string_equal(silk_article_doc(a, n - 1)->text, "Last line without end");
    assert_string_equal(silk_article_doc(a, n - 2)->text, "\xef\xbb\xbf not a BOM here");
    silk_article_destroy(a);

    assert_int_equal(
        silk_article_parse(SILK_FORMAT_JSONL, "a", "f", TRICKY_JSONL, sizeof TRICKY_JSONL - 1, &a),
        SILK_OK);
    assert_int_equal(silk_article_count(a), 4);
    assert_string_equal(silk_article_doc(a, 1)->text, "t\xef\xbf\xbd");
    assert_string_equal(silk_article_doc(a, 2)->text, "nul\xef\xbf\xbd inside");
    assert_int_equal(silk_article_problem_count(a), 2);
    assert_true(!strncmp(silk_article_problem(a, 0), "f:5: invalid JSON", 17));
    assert_string_equal(silk_article_problem(a, 1), "f:6: duplicate id");
    silk_article_destroy(a);
}

typedef struct {
    char got[512];
} lines_t;

static silk_status_t on_line(const char *s, size_t n, size_t lineno, void *ud)
{
    lines_t *l = ud;
    size_t at = strlen(l->got);
    snprintf(l->got + at, sizeof l->got - at, "%zu:%.*s|", lineno, (int)n, s);
    return SILK_OK;
}

/* The line cutter alone: '\r' before '\n' and a BOM at the start dropped, invalid bytes and
 * NUL as U+FFFD, numbering of blank lines, the last line without '\n', in any chunks. */
static void test_linein(void **state)
{
    (void)state;
    static const char in[] = "\xef\xbb\xbf"
                             "a\r\nb\xe2\x82\nc\0d\n\n\r\r\n\xef\xbb\xbf"
                             "e";
    const char *want = "1:a|2:b\xef\xbf\xbd|3:c\xef\xbf\xbd"
                       "d|4:|5:\r|6:\xef\xbb\xbf"
                       "e|";
    for (size_t chunk = 1; chunk <= sizeof in; chunk++) {
        lines_t l = {{0}};
        silk_linein_t li;
        silk_linein_init(&li, on_line, &l);
        for (size_t at = 0; at < sizeof in - 1; at += chunk)
            assert_int_equal(
                silk_linein_feed(&li, in + at,
                                 sizeof in - 1 - at < chunk ? sizeof in - 1 - at : chunk),
                SILK_OK);
        assert_int_equal(silk_linein_end(&li), SILK_OK);
        silk_linein_free(&li);
        assert_string_equal(l.got, want);
    }
}

/* The .txt reader holds at most RUN_MAX (4096) heading candidates: a run of 4096 is
 * decided as a whole (its last line is the heading of the prose after it), a longer one is
 * decided every 4096 lines as if another candidate followed (read_txt.h). */
static void test_run_max(void **state)
{
    (void)state;
    for (int extra = 0; extra <= 1; extra++) {
        silk_buf_t b = SILK_BUF_INIT;
        assert_int_equal(silk_buf_adds(&b, "Title\n"), SILK_OK);
        for (int i = 0; i < 4096 + extra; i++) {
            char l[32];
            snprintf(l, sizeof l, "cand %d\n", i);
            assert_int_equal(silk_buf_adds(&b, l), SILK_OK);
        }
        assert_int_equal(silk_buf_adds(&b, "Prose follows.\n"), SILK_OK);
        silk_article_t *a = NULL;
        assert_int_equal(silk_article_parse(SILK_FORMAT_TXT, "a", "f", b.data, b.len, &a), SILK_OK);
        size_t n = silk_article_count(a);
        const silk_corpus_doc_t *prose = silk_article_doc(a, n - 1);
        const silk_corpus_doc_t *before = silk_article_doc(a, n - 2);
        assert_string_equal(prose->text, "Prose follows.");
        if (!extra) {
            /* cand 0 (first of three or more) and cand 4095 are headings. */
            assert_string_equal(prose->section, "cand 4095");
            assert_string_equal(before->text, "cand 4094");
            assert_int_equal(n, 4096 - 2 + 1);
        } else {
            /* 4096 decided before cand 4096 came: only cand 0 is a heading there. */
            assert_string_equal(prose->section, "cand 4096");
            assert_string_equal(before->text, "cand 4095");
            assert_string_equal(before->section, "cand 0");
            assert_int_equal(n, 4096 - 1 + 1);
        }
        silk_article_destroy(a);
        silk_buf_free(&b);
    }
}

/* ---- a file read from its descriptor (ingest.h) -------------------------------------------- */

/* The one scan entry of the fixture's corpus, with the scan that owns it. */
static const silk_scan_entry_t *only_entry(fixture_t *f, silk_scan_t **scan)
{
    char *msg = NULL;
    assert_int_equal(silk_scan_corpus(f->corpus, 0, 0, NULL, NULL, scan, &msg), SILK_OK);
    assert_int_equal(silk_scan_count(*scan), 1);
    return silk_scan_entry(*scan, 0);
}

/* A .txt of about 300 KB (several chunks): numbered paragraphs, headings, references. */
static char *big_txt(size_t *n)
{
    silk_buf_t b = SILK_BUF_INIT;
    assert_int_equal(silk_buf_adds(&b, "Big\n| k | v |\n"), SILK_OK);
    for (int i = 0; i < 12000; i++) {
        char l[96];
        snprintf(l, sizeof l, i % 500 == 0 ? "Section %d\n" : "Paragraph %d cites one.[1]\n", i);
        assert_int_equal(silk_buf_adds(&b, l), SILK_OK);
    }
    assert_int_equal(silk_buf_adds(&b, "References\n- Smith (1999). Ref.\n"), SILK_OK);
    return silk_buf_steal(&b, n);
}

/* ingest's documents and hash against silk_article_parse() and silk_index_hash_hex() of
 * the bytes text[0..n). */
static void check_parsed(silk_ingest_t *in, const char *text, size_t n)
{
    sink_t s = {0};
    silk_article_t *a = NULL, *whole = NULL;
    assert_int_equal(silk_ingest_parse(in, "big", "big.txt", collect, &s, &a), SILK_OK);
    assert_int_equal(silk_article_parse(SILK_FORMAT_TXT, "big", "big.txt", text, n, &whole),
                     SILK_OK);
    assert_int_equal(s.n, silk_article_count(whole));
    for (size_t i = 0; i < s.n; i++) {
        size_t len = 0;
        char *j = silk_corpus_doc_json(silk_article_doc(whole, i), &len);
        assert_string_equal(s.json[i], j);
        free(j);
    }
    char hex[17];
    silk_index_hash_hex(text, n, hex);
    assert_string_equal(in->hash, hex);
    assert_int_equal(in->len, n);
    sink_free(&s);
    silk_article_destroy(a);
    silk_article_destroy(whole);
}

static void test_ingest(void **state)
{
    fixture_t *f = *state;
    size_t n = 0;
    char *text = big_txt(&n);
    assert_true(n > 3 * SILK_INGEST_CHUNK);
    char p[600];
    corpus_path(f, "big.txt", p);
    silk_write_bytes(p, text, n);
    silk_scan_t *scan = NULL;
    const silk_scan_entry_t *e = only_entry(f, &scan);
    const char *why;
    int err_no;
    silk_ingest_t in;
    silk_ingest_verdict_t v;

    /* No record: sniffed and parsed in one pass, hashed as it is read. */
    assert_int_equal(silk_ingest_open(&in, e, 1 << 30, &why, &err_no), 0);
    assert_int_equal(silk_ingest_check(&in, NULL, 0, &v, &why, &err_no), 0);
    assert_int_equal(v, SILK_INGEST_PARSE);
    check_parsed(&in, text, n);
    assert_false(in.cut);
    char hash[17];
    memcpy(hash, in.hash, sizeof hash);
    silk_ingest_close(&in);

    /* A record of the same size and hash: touched, not changed (nothing parsed). */
    assert_int_equal(silk_ingest_open(&in, e, 1 << 30, &why, &err_no), 0);
    assert_int_equal(silk_ingest_check(&in, hash, n, &v, &why, &err_no), 0);
    assert_int_equal(v, SILK_INGEST_SAME);
    assert_string_equal(in.hash, hash);
    silk_ingest_close(&in);

    /* Same size, another hash: hashed first, then parsed again from the start. */
    assert_int_equal(silk_ingest_open(&in, e, 1 << 30, &why, &err_no), 0);
    assert_int_equal(silk_ingest_check(&in, "0123456789abcdef", n, &v, &why, &err_no), 0);
    assert_int_equal(v, SILK_INGEST_PARSE);
    check_parsed(&in, text, n);
    silk_ingest_close(&in);

    /* The size cap holds at the open ... */
    assert_int_equal(silk_ingest_open(&in, e, n - 1, &why, &err_no), -1);
    assert_string_equal(why, "larger than the size cap (--max-size)");

    /* ... and for the bytes read: a file that grows past it while it is parsed is indexed
     * up to the cap, and says so. */
    size_t cap = n + 1000;
    assert_int_equal(silk_ingest_open(&in, e, cap, &why, &err_no), 0);
    assert_int_equal(silk_ingest_check(&in, NULL, 0, &v, &why, &err_no), 0);
    char *more = malloc(n + 5000);
    assert_non_null(more);
    memcpy(more, text, n);
    memset(more + n, 'z', 5000);
    FILE *fp = fopen(p, "ab");
    assert_non_null(fp);
    assert_int_equal(fwrite(more + n, 1, 5000, fp), 5000);
    fclose(fp);
    check_parsed(&in, more, cap);
    assert_true(in.cut);
    assert_string_equal(in.cut_why, "larger than the size cap (--max-size)");
    silk_ingest_close(&in);
    free(more);

    /* Binary bytes in the first chunk: skipped before parsing. */
    memset(text + 100, 0, 2000);
    silk_write_bytes(p, text, n);
    silk_scan_destroy(scan);
    e = only_entry(f, &scan);
    assert_int_equal(silk_ingest_open(&in, e, 1 << 30, &why, &err_no), 0);
    assert_int_equal(silk_ingest_check(&in, NULL, 0, &v, &why, &err_no), 0);
    assert_int_equal(v, SILK_INGEST_BINARY);
    silk_ingest_close(&in);
    silk_scan_destroy(scan);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prose_formats),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_corpus_files),
        cmocka_unit_test(test_failing_sink_stops_the_parse),
        cmocka_unit_test(test_chunks_give_the_same_documents),
        cmocka_unit_test(test_tricky_lines),
        cmocka_unit_test(test_linein),
        cmocka_unit_test(test_run_max),
        cmocka_unit_test_setup_teardown(test_ingest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
