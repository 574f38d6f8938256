/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the engine's answer to a query: parse, run, rank, snippets and highlights,
 * did-you-mean, relaxation. The daemon calls this on each worker thread; tests call it
 * directly.
 *
 * A searcher owns one read-only database handle, one tokenizer and one stemmer, and is
 * used by one thread at a time. It opens its index lazily, so a searcher can exist before
 * the index does (searches then fail with SILK_ERR_NOT_FOUND, "no index yet").
 *
 * Stored document data (JSON written by the indexer, read here):
 *   {"id":"<article>#<anchor>","kind":"lead|paragraph|infobox|reference|reading",
 *    "article":"<title>","section":"<path, parts joined by ' › '>","text":"...",
 *    "cites":[1,2],"cited_by":["p1","p7"],"year":2007,"authors":["Con Coughlin"]}
 * (cites, cited_by, year and authors only where the document has them).
 */
#ifndef SILK_SEARCH_H
#define SILK_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "silk/db.h"
#include "silk/facets.h"
#include "silk/qdefs.h" /* SILK_QUERY_MAX_BYTES/DEPTH/TERMS, SILK_WILDCARD_MAX, silk_mode_t */
#include "silk/rank.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds of one search (DESIGN.md: every cost is bounded); those of the query itself are
 * in qdefs.h. */
#define SILK_LIMIT_MAX        1000
#define SILK_OFFSET_MAX       100000
#define SILK_SNIPPET_CHARS    200
#define SILK_SNIPPET_SCAN_MAX 65536 /* bytes of a document's text searched for a snippet */

/* BM25's k1 and b tuned on Cranfield (the searcher's older fields left 0 get these; the
 * ranking defaults as a whole, scheme included, are silk_rank_defaults() in rank.h). */
#define SILK_BM25_K1_DEFAULT         4.0
#define SILK_BM25_B_DEFAULT          0.6
#define SILK_DOC_CACHE_BYTES_DEFAULT (32L << 20) /* parsed, tokenized documents per searcher */

typedef struct silk_searcher silk_searcher_t;

typedef struct {
    double k1, b;           /* BM25 parameters (0 for both: silk's defaults; else the scheme is
                               BM25 with these) */
    double title_weight;    /* multiplier of title-field matches (0: default; < 0: none) */
    double section_weight;  /* multiplier of section-field matches (0: default; < 0: none) */
    double phrase_boost;    /* weight of the phrase bonus for multi-word queries (0: def.;
                               < 0: none) */
    silk_db_opts_t db_opts; /* remote shard timeouts */
    long doc_cache_bytes;   /* bound of the document cache (0: default; < 0: no cache) */
    /* The ranking parameters of every search (copied; NULL: silk_rank_defaults()). When
     * set, k1, b, title_weight, section_weight and phrase_boost above are not used. */
    const silk_rank_t *rank;
} silk_searcher_opts_t;

typedef struct {
    const char *q;           /* query text, UTF-8 (invalid bytes are decoded as U+FFFD) */
    size_t q_len;            /* its length in bytes */
    silk_mode_t mode;        /* all or any */
    uint32_t limit;          /* hits wanted (<= SILK_LIMIT_MAX) */
    uint32_t offset;         /* hits skipped (<= SILK_OFFSET_MAX) */
    int snippets;            /* nonzero: compute snippet and highlights */
    int explain;             /* nonzero: fill silk_result_t.explain with the parsed AST */
    uint32_t time_limit_ms;  /* time budget (0: none): past it the match stops (db.h
                                silk_search_extra_t.deadline_us) and the work left (an any-word
                                retry, the hits' snippets, spelling) is skipped; result says
                                partial */
    int no_typos;            /* nonzero: no typo-tolerant matching (the request's "typos": false) */
    silk_facet_req_t facets; /* facet counts wanted (facets.n 0: none) */
    const silk_rank_t *rank; /* overrides of the searcher's ranking parameters: those marked
                                set (silk_rank_merge); NULL: none */
} silk_search_req_t;

typedef struct {
    uint32_t rank;              /* 1-based, counting the offset */
    double score;               /* weight under the ranking scheme (rank.h) */
    const char *id;             /* "<article>#<anchor>" */
    const char *kind;           /* lead, paragraph, infobox, reference, reading */
    const char *article;        /* article title */
    const char *section;        /* section path, "" for the lead */
    const char *snippet;        /* about SILK_SNIPPET_CHARS characters of the text, with "…" */
    const uint32_t *highlights; /* nhighlights pairs [start, end): byte ranges in snippet */
    size_t nhighlights;         /* number of pairs */
    const char *data;           /* the whole stored JSON data of the document */
    size_t data_len;            /* its length */
} silk_hit_t;

/* A typo correction: the query word `from` (normalized) also matched the index term `to`
 * (ranked below exact matches). A word may have several. */
typedef struct {
    const char *from; /* the query word */
    const char *to;   /* an index term it was taken to mean */
} silk_correction_t;

typedef struct {
    uint64_t total;           /* estimated number of matches (exact when exact is 1) */
    int exact;                /* 1 when total is exact */
    int relaxed;              /* 1 when an all-words query found nothing and was run as OR */
    const char *did_you_mean; /* the corrected query text, or NULL */
    const char *explain;      /* the printed AST when asked for, else NULL */
    size_t ncorrections;      /* typo corrections applied */
    const silk_correction_t *corrections; /* ncorrections of them, in query order */
    size_t nhits;                         /* hits in this page */
    const silk_hit_t *hits;               /* nhits hits */
    uint64_t took_us;                     /* microseconds spent in silk_search */
    int partial;    /* 1 when the time limit cut the work short: the match itself may have
                       stopped (hits and facet counts then cover the documents it saw,
                       total is an estimate), and some hits may lack their snippet */
    size_t nfacets; /* facet lists (the request's facets, in its order) */
    const silk_facet_t *facets; /* nfacets of them */
    const char *rank;           /* with explain: the ranking parameters the search ran with
                                   (silk_rank_describe), and whether feedback applied; else NULL */
    int feedback; /* expansion terms when pseudo-relevance feedback re-ranked this answer
                     (0: it did not) */
} silk_result_t;

/* A searcher over the index at `path` (a directory or stub file; opened at first use).
 * `opts` may be NULL for defaults. Free with silk_searcher_destroy(). */
silk_status_t silk_searcher_new(const char *path, const silk_searcher_opts_t *opts,
                                silk_searcher_t **out);
void silk_searcher_destroy(silk_searcher_t *s);

/* Reopens the index when its revision changed (call when the daemon's generation moved,
 * or on SIGHUP). *changed (may be NULL) is set to 1 when it did. */
silk_status_t silk_searcher_reopen(silk_searcher_t *s, int *changed);

/* Runs one search. On success *out holds the result; it points into the searcher and
 * stays valid until the next silk_search() or silk_searcher_destroy() on s (no free).
 * On failure: SILK_ERR_BAD_QUERY / SILK_ERR_TOO_LARGE / SILK_ERR_TOO_BROAD with
 * silk_searcher_error() the message and silk_searcher_error_pos() the byte offset in the
 * query (or -1); SILK_ERR_NOT_FOUND when there is no index yet; SILK_ERR_NETWORK when a
 * remote shard is down or did not answer within the remote timeout (the message names it
 * and says the timeout); others are internal. The searcher reopens and retries once by
 * itself on SILK_ERR_MODIFIED, and on a quick SILK_ERR_NETWORK (a broken connection)
 * within the time limit; after any SILK_ERR_NETWORK its next use of the index first
 * connects to the remote shards afresh (silk_db_reopen). */
silk_status_t silk_search(silk_searcher_t *s, const silk_search_req_t *req,
                          const silk_result_t **out);

const char *silk_searcher_error(const silk_searcher_t *s);
long silk_searcher_error_pos(const silk_searcher_t *s);
/* 1 when the last open or reopen of s was refused (the path check of db.h's
 * silk_db_opts_t, a stub naming a program): s then serves nothing until a later open is
 * accepted, and each search answers SILK_ERR_IO with the reason. */
int silk_searcher_refused(const silk_searcher_t *s);

typedef struct {
    uint64_t docs;     /* documents */
    uint64_t terms;    /* distinct terms (counted once per revision) */
    uint64_t revision; /* index revision */
    double avg_length; /* average document length */
} silk_index_stats_t;

/* The stored JSON data of the document whose id is id[0, len) ("<article>#<anchor>"),
 * opening the index if needed and reopening it once when it moved on under the reader.
 * *data is malloc'd (the caller frees it). SILK_ERR_NOT_FOUND with *data NULL when no
 * document has that id, or when there is no index yet (then silk_searcher_has_index() says
 * 0); other failures as silk_search(), with silk_searcher_error() the message. */
silk_status_t silk_searcher_document(silk_searcher_t *s, const char *id, size_t len, char **data,
                                     size_t *data_len);

/* 1 when the searcher has its index open (a search or a lookup opened it). */
int silk_searcher_has_index(const silk_searcher_t *s);

/* Statistics of the open index (opening it if needed). */
silk_status_t silk_searcher_stats(silk_searcher_t *s, silk_index_stats_t *st);

#ifdef __cplusplus
}
#endif

#endif
