/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — helpers shared by the peer programs (FTS5 and Xapian): the query and
 * document files of bench/eval, latency percentiles and the "OR of its words"
 * query form. Benchmark code, not part of the library. */
#ifndef SILK_BENCH_PEERUTIL_H
#define SILK_BENCH_PEERUTIL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char *qid;  /* query id */
    char *text; /* query text */
} peer_query_t;

/* Reads `qid<TAB>text` lines (a line without a tab: the whole line is the text and its
 * line number the id; empty texts are skipped). *out (free with peer_queries_free) holds *n
 * queries. Returns 0, or -1 with a message on stderr. */
int peer_queries_load(const char *path, peer_query_t **out, size_t *n);
void peer_queries_free(peer_query_t *q, size_t n);

/* Calls `fn` for each document of a JSONL file ({"id","title","text"} per line; other
 * fields ignored). Returns the number of documents, or -1 on error. `*bytes` receives the
 * bytes of title + text handed to fn (the payload the engines index). */
typedef int (*peer_doc_fn)(void *ctx, const char *id, const char *title, const char *text);
long peer_docs_each(const char *path, peer_doc_fn fn, void *ctx, uint64_t *bytes);

/* The words of a query: maximal runs of bytes that are not ASCII space or ASCII
 * punctuation (non-ASCII bytes count as word bytes, so Hangul and Persian words stay
 * whole). Writes `"w1" OR "w2" ...` (each word double-quoted, FTS5 syntax) into a new
 * string (free()); NULL when the query has no word. */
char *peer_or_query(const char *text);

/* Sorts `lat` (n microsecond samples) and returns the q-quantile (0 < q <= 1). */
double peer_percentile(double *lat, size_t n, double q);

/* Peak resident set size of this process in KiB. */
long peer_peak_rss_kib(void);

#ifdef __cplusplus
}
#endif

#endif
