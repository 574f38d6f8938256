/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — the SQLite FTS5 peer.
 *
 *   fts5peer index DB DOCS.jsonl           build a fresh FTS5 table of the documents
 *   fts5peer run DB QUERIES.tsv [LIMIT]    a TREC run (top LIMIT, default 100) on stdout
 *   fts5peer lat DB QUERIES.tsv SECONDS [LIMIT]
 *                                          in-process latency over the query mix (the
 *                                          engine floor): JSON with QPS and percentiles
 *
 * The table is what a user of FTS5 would write: tokenize='porter unicode61
 * remove_diacritics 2', ranked by bm25(), and each query an OR of its words (each word
 * quoted, so punctuation in questions cannot become FTS5 syntax). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common.h"
#include "peerutil.h"

static sqlite3_stmt *insert_stmt;

static int add_doc(void *ctx, const char *id, const char *title, const char *text)
{
    (void)ctx;
    sqlite3_bind_text(insert_stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_stmt, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_text(insert_stmt, 3, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(insert_stmt);
    sqlite3_reset(insert_stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "fts5peer: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

static int cmd_index(const char *path, const char *docs)
{
    sqlite3 *db = NULL;
    uint64_t bytes = 0;
    unlink(path);
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        fprintf(stderr, "fts5peer: %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    uint64_t t0 = bench_now_us();
    if (exec(db, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                 "tokenize='porter unicode61 remove_diacritics 2')") ||
        exec(db, "BEGIN") ||
        sqlite3_prepare_v2(db, "INSERT INTO docs(id, title, text) VALUES (?, ?, ?)", -1,
                           &insert_stmt, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return 1;
    }
    long n = peer_docs_each(docs, add_doc, NULL, &bytes);
    sqlite3_finalize(insert_stmt);
    if (n < 0 || exec(db, "COMMIT")) {
        fprintf(stderr, "fts5peer: indexing failed: %s\n", sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    sqlite3_close(db);
    double secs = (double)(bench_now_us() - t0) / 1e6;
    printf("{\"docs\":%ld,\"bytes\":%llu,\"seconds\":%.3f,\"mb_s\":%.2f,\"peak_rss_kib\":%ld}\n", n,
           (unsigned long long)bytes, secs, (double)bytes / 1e6 / secs, peer_peak_rss_kib());
    return 0;
}

/* Runs one query; calls back with each hit's id. Returns the hit count or -1. */
static int search(sqlite3_stmt *st, const char *text, int limit,
                  void (*hit)(void *, const char *, int, double), void *ctx)
{
    char *match = peer_or_query(text);
    int n = 0;
    if (!match)
        return 0;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        n++;
        if (hit)
            hit(ctx, (const char *)sqlite3_column_text(st, 0), n, sqlite3_column_double(st, 1));
    }
    sqlite3_reset(st);
    free(match);
    return rc == SQLITE_DONE ? n : -1;
}

static void print_hit(void *ctx, const char *id, int rank, double score)
{
    printf("%s Q0 %s %d %.4f fts5\n", (const char *)ctx, id, rank, -score);
}

static int open_query(const char *path, sqlite3 **db, sqlite3_stmt **st)
{
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(*db,
                           "SELECT id, bm25(docs) FROM docs WHERE docs MATCH ?1 "
                           "ORDER BY bm25(docs) LIMIT ?2",
                           -1, st, NULL) != SQLITE_OK) {
        fprintf(stderr, "fts5peer: %s: %s\n", path, sqlite3_errmsg(*db));
        return -1;
    }
    return 0;
}

static int cmd_run(const char *path, const char *queries, int limit)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    peer_query_t *q = NULL;
    size_t nq = 0;
    int rc = 1, failed = 0;
    if (open_query(path, &db, &st) || peer_queries_load(queries, &q, &nq))
        goto fail;
    for (size_t i = 0; i < nq; i++)
        if (search(st, q[i].text, limit, print_hit, q[i].qid) < 0) {
            fprintf(stderr, "fts5peer: query %s failed: %s\n", q[i].qid, sqlite3_errmsg(db));
            failed++;
        }
    fprintf(stderr, "fts5peer: %zu queries, %d failed\n", nq, failed);
    rc = 0;
fail:
    peer_queries_free(q, nq);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

static int cmd_lat(const char *path, const char *queries, double seconds, int limit)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    peer_query_t *q = NULL;
    size_t nq = 0, n = 0, cap = 1 << 16;
    double *lat = malloc(cap * sizeof *lat);
    int rc = 1;
    if (!lat || open_query(path, &db, &st) || peer_queries_load(queries, &q, &nq) || nq == 0)
        goto fail;
    uint64_t start = bench_now_us(), end = start + (uint64_t)(seconds * 1e6), now = start;
    while (now < end) {
        uint64_t t0 = now;
        if (search(st, q[n % nq].text, limit, NULL, NULL) < 0)
            goto fail;
        now = bench_now_us();
        if (n == cap) {
            double *more = realloc(lat, (cap *= 2) * sizeof *lat);
            if (!more)
                goto fail;
            lat = more;
        }
        lat[n++] = (double)(now - t0);
    }
    double secs = (double)(now - start) / 1e6;
    double qps = (double)n / secs;
    printf("{\"queries\":%zu,\"qps\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f}\n", n,
           qps, peer_percentile(lat, n, 0.5), peer_percentile(lat, n, 0.99),
           peer_percentile(lat, n, 0.999));
    rc = 0;
fail:
    free(lat);
    peer_queries_free(q, nq);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "index") == 0)
        return cmd_index(argv[2], argv[3]);
    if (argc >= 4 && strcmp(argv[1], "run") == 0)
        return cmd_run(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 100);
    if (argc >= 5 && strcmp(argv[1], "lat") == 0)
        return cmd_lat(argv[2], argv[3], atof(argv[4]), argc > 5 ? atoi(argv[5]) : 10);
    fprintf(stderr, "usage: fts5peer index DB DOCS.jsonl | run DB QUERIES.tsv [LIMIT] |"
                    " lat DB QUERIES.tsv SECONDS [LIMIT]\n");
    return 2;
}
