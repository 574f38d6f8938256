/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the C face over Xapian.
 *
 * lib/xapian.cc is the only file that includes the Xapian C++ header; it implements this
 * header and lets no exception cross into C. Handles are opaque. Functions that can fail return a
 * silk_status_t; the message of the last failure is kept on the handle that failed
 * (silk_db_error(), silk_wdb_error()). Constructors that have no handle yet hand the
 * message back through a `char **msg` argument (malloc'd, the caller frees it; may be NULL
 * to ignore). Every _destroy accepts NULL.
 *
 * Term conventions (shared by the indexer and the query builder):
 *   plain terms   normalized words with positions ("iran", "조선", "ایران")
 *   Z<stem>       English stems, no positions ("Zweapon")
 *   Q<id>         the unique id term of a document ("Qiran-north-korea-relations#p1")
 *   other capital prefixes are fields and filters (see indexer/corpus.h and lib/query.c)
 */
#ifndef SILK_DB_H
#define SILK_DB_H

#include <stddef.h>
#include <stdint.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct silk_db silk_db_t;           /* a read-only database (local, stub or remote) */
typedef struct silk_wdb silk_wdb_t;         /* a writable local database */
typedef struct silk_doc silk_doc_t;         /* a document being built */
typedef struct silk_query silk_query_t;     /* an immutable query tree */
typedef struct silk_mset silk_mset_t;       /* the result of one search */
typedef struct silk_stemmer silk_stemmer_t; /* a Snowball stemmer */

/* Called once per item by the iteration functions; return nonzero to stop early.
 * The string is valid only during the call. */
typedef int (*silk_str_cb)(const char *str, size_t len, void *ud);

/* ---- read-only databases ------------------------------------------------------------------- */

/* Decides whether a local path may be opened (trust of paths, silk/trust.h): SILK_OK to
 * go on; anything else refuses, with a malloc'd reason in *msg (the callee sets it; may be
 * left NULL). `what` says what the path is ("index", "index shard"). */
typedef silk_status_t (*silk_path_check_cb)(void *ud, const char *what, const char *path,
                                            char **msg);

typedef struct {
    unsigned remote_timeout_ms;    /* per-operation timeout of remote shards (0: 10000): each
                                      wait for a shard's reply; the only bound on a search's
                                      match there (silk_db_search_ex), so silkd caps it at
                                      its time limit */
    unsigned connect_timeout_ms;   /* connect timeout of remote shards (0: 2000) */
    int allow_programs;            /* 1: a stub's `remote :PROGRAM` lines may run the program */
    silk_path_check_cb check_path; /* NULL, or called with the path itself and every local
                                      path a stub names (resolved against the stub's folder)
                                      before each open and each reopen; a refusal fails the
                                      open (SILK_ERR_INVALID, the reason in the message) */
    void *check_ud;                /* passed to check_path */
} silk_db_opts_t;

/* Opens `path` read-only. `path` is a database directory or a stub file whose lines are
 * `auto PATH`, `glass PATH` (relative to the stub's folder) or `remote HOST:PORT`
 * (a xapian-tcpsrv shard, opened with the timeouts of `opts`; `opts` may be NULL).
 * silk also reads one `meta PATH` line (not Xapian's: its own tools reject it): a local
 * database that is not searched but answers silk_db_metadata(), silk_db_spelling(),
 * silk_db_spellings() and the synonym functions, which Xapian's remote backend cannot
 * (silk-index --shards writes one, see docs/scale-out.md).
 * As in Xapian, `#` starts a comment line and a folder holding a XAPIANDB stub file is read
 * as that stub. `remote :PROGRAM ARGS` (a xapian-progsrv-style program) is refused with
 * SILK_ERR_INVALID unless opts->allow_programs is set: whoever can write an index file
 * would otherwise choose a program for silk to run. Local databases are opened as glass
 * (or chert) by silk itself, never handed to Xapian's own stub reader.
 * On success *out owns the database: free it with silk_db_destroy(). On failure *out is
 * NULL, the status says why (SILK_ERR_NOT_FOUND when there is no database there) and,
 * when msg is not NULL, *msg receives a malloc'd message to free. */
silk_status_t silk_db_open(const char *path, const silk_db_opts_t *opts, silk_db_t **out,
                           char **msg);

/* Reopens the database at its latest revision. *changed (may be NULL) is set to 1 when
 * the revision changed. A directory replaced underneath (silk-index --full), a symlink
 * switched to another folder, or an edited stub file is picked up because the reopen
 * re-resolves `path` (the folder's inode tells) and then opens it afresh; so is a database
 * whose files were overwritten in place (glass's version file changed: inode, size or
 * time) or another database at the same revision (its UUID). After a SILK_ERR_NETWORK on
 * db or one of its msets (a remote shard's timeout above all: its connection may still owe
 * that reply, which Xapian would wait for before the next request) the reopen connects to
 * the shards afresh, and *changed is 1. On failure the handle keeps serving what it had.
 * Destroy every mset of db before reopening. */
silk_status_t silk_db_reopen(silk_db_t *db, int *changed);

/* The message of the last failure on db ("" when none). Valid until the next call on db. */
const char *silk_db_error(const silk_db_t *db);

/* Revision of a single local database; for a sharded database, the sum of the shards'
 * revisions, plus the `meta` database's (it changes whenever any of them changes). */
silk_status_t silk_db_revision(silk_db_t *db, uint64_t *rev);
silk_status_t silk_db_doc_count(silk_db_t *db, uint64_t *count);
silk_status_t silk_db_avg_length(silk_db_t *db, double *avg);
/* Number of documents indexed by `term` (0 when absent). */
silk_status_t silk_db_term_freq(silk_db_t *db, const char *term, uint64_t *freq);
/* Calls cb for each term starting with `prefix` ("" for all) in sorted order. */
silk_status_t silk_db_allterms(silk_db_t *db, const char *prefix, silk_str_cb cb, void *ud);
/* Metadata value of `key`; *value is malloc'd (free it), "" when unset. */
silk_status_t silk_db_metadata(silk_db_t *db, const char *key, char **value);
/* Best spelling correction of `word` within `max_edit` edits; *out is malloc'd (free it),
 * or NULL when there is no suggestion. */
silk_status_t silk_db_spelling(silk_db_t *db, const char *word, unsigned max_edit, char **out);
/* Calls cb for each synonym of `term` (a word, or words joined by one space). */
silk_status_t silk_db_synonyms(silk_db_t *db, const char *term, silk_str_cb cb, void *ud);
/* Calls cb for each key that has synonyms. */
silk_status_t silk_db_synonym_keys(silk_db_t *db, silk_str_cb cb, void *ud);
/* Called with each word of the spelling data and its frequency; nonzero stops. */
typedef int (*silk_spelling_cb)(const char *word, size_t len, unsigned freq, void *ud);
/* Calls cb for each word of the spelling data in sorted order (frequencies of local shards
 * summed; a remote shard has no spelling data). */
silk_status_t silk_db_spellings(silk_db_t *db, silk_spelling_cb cb, void *ud);
/* Stored data of the document whose unique term is `uniq` (e.g. "Q...#p1"); *data is
 * malloc'd (free it). SILK_ERR_NOT_FOUND when no document has that term. */
silk_status_t silk_db_document_data(silk_db_t *db, const char *uniq, char **data, size_t *len);
/* Calls cb with every term of the document whose unique term is `uniq`. */
silk_status_t silk_db_document_terms(silk_db_t *db, const char *uniq, silk_str_cb cb, void *ud);

void silk_db_destroy(silk_db_t *db);

/* ---- writable databases -------------------------------------------------------------------- */

enum {
    SILK_WDB_CREATE_OR_OPEN = 0,  /* open, creating the database when absent (default) */
    SILK_WDB_OVERWRITE = 1 << 0,  /* start from an empty database */
    SILK_WDB_RETRY_LOCK = 1 << 1, /* wait for the writer lock instead of failing */
    SILK_WDB_NO_SYNC = 1 << 2,    /* no fsync at commits (Xapian's DB_NO_SYNC): only for a
                                   * fresh database that nobody reads yet, which the caller
                                   * fsyncs itself before publishing it */
};

/* Opens `path` for writing with SILK_WDB_* `flags`. SILK_ERR_LOCKED when another writer
 * holds the lock (and SILK_WDB_RETRY_LOCK is not set). Ownership as silk_db_open(). */
silk_status_t silk_wdb_open(const char *path, int flags, silk_wdb_t **out, char **msg);
const char *silk_wdb_error(const silk_wdb_t *wdb);

/* A transaction groups changes: a reader sees all of them after commit, or none.
 * Changes made outside a transaction are also held back (in a transaction of the wrapper's
 * own, so Xapian does not auto-flush half a batch) until silk_wdb_commit(); a long batch
 * outside a transaction should commit every few thousand documents to bound memory.
 * silk_wdb_begin() first commits what is pending; begin inside a transaction, commit or
 * cancel outside one, and silk_wdb_commit() inside one fail with SILK_ERR_INVALID. */
silk_status_t silk_wdb_begin(silk_wdb_t *wdb);
silk_status_t silk_wdb_commit_transaction(silk_wdb_t *wdb);
silk_status_t silk_wdb_cancel(silk_wdb_t *wdb);
/* Commits pending changes made outside a transaction. */
silk_status_t silk_wdb_commit(silk_wdb_t *wdb);

/* Adds doc, replacing every document indexed by the unique term `uniq` (doc should carry
 * that term too). The document is copied: the caller still owns and destroys doc. */
silk_status_t silk_wdb_replace(silk_wdb_t *wdb, const char *uniq, const silk_doc_t *doc);
/* Adds doc as a new document without looking up any unique term: for a fresh database
 * in which the caller knows each id is new (a --full build). Copied as silk_wdb_replace(). */
silk_status_t silk_wdb_add(silk_wdb_t *wdb, const silk_doc_t *doc);
/* Deletes every document indexed by `uniq` (no error when there is none). */
silk_status_t silk_wdb_delete(silk_wdb_t *wdb, const char *uniq);
silk_status_t silk_wdb_doc_count(silk_wdb_t *wdb, uint64_t *count);
silk_status_t silk_wdb_revision(silk_wdb_t *wdb, uint64_t *rev);
silk_status_t silk_wdb_term_freq(silk_wdb_t *wdb, const char *term, uint64_t *freq);

/* Metadata: *value is malloc'd (free it), "" when unset; setting "" removes the key. */
silk_status_t silk_wdb_get_metadata(silk_wdb_t *wdb, const char *key, char **value);
silk_status_t silk_wdb_set_metadata(silk_wdb_t *wdb, const char *key, const char *value);
/* Calls cb with each metadata key starting with `prefix`. */
silk_status_t silk_wdb_metadata_keys(silk_wdb_t *wdb, const char *prefix, silk_str_cb cb, void *ud);

/* Spelling data: adds `inc` to the frequency of `word` (or removes `dec` from it). */
silk_status_t silk_wdb_add_spelling(silk_wdb_t *wdb, const char *word, unsigned inc);
silk_status_t silk_wdb_remove_spelling(silk_wdb_t *wdb, const char *word, unsigned dec);
/* Synonyms: `term` (one word, or words joined by one space) gets `synonym`. */
silk_status_t silk_wdb_add_synonym(silk_wdb_t *wdb, const char *term, const char *synonym);
silk_status_t silk_wdb_clear_synonyms(silk_wdb_t *wdb, const char *term);
/* Removes every synonym of every term. */
silk_status_t silk_wdb_clear_all_synonyms(silk_wdb_t *wdb);

/* Merges the n databases at srcs (glass, closed by every writer) into a new database at
 * dest (a folder that holds no database), with Xapian's compactor: document ids are
 * renumbered so that srcs[1]'s follow srcs[0]'s last id, and so on (a database built of
 * consecutive slices of one sequence of documents gets the ids one database would have
 * given); spelling frequencies are summed, synonym sets joined, and of metadata keys
 * present in several sources the first source's value is kept. dest is not fsynced.
 * On failure *msg (may be NULL) gets a malloc'd message (the caller frees it). */
silk_status_t silk_db_compact(const char *const *srcs, size_t n, const char *dest, char **msg);

/* Closes the database (committing nothing that was not committed; an open transaction is
 * cancelled) and frees it. Accepts NULL. */
void silk_wdb_destroy(silk_wdb_t *wdb);

/* ---- documents ----------------------------------------------------------------------------- */

/* A new empty document; free it with silk_doc_destroy(). Returns NULL when out of memory. */
silk_doc_t *silk_doc_new(void);
/* A term at position `pos` (from 1), adding `wdf_inc` to its within-document frequency. */
silk_status_t silk_doc_add_posting(silk_doc_t *doc, const char *term, size_t len, uint32_t pos,
                                   unsigned wdf_inc);
/* A term without position, adding `wdf_inc` to its wdf. */
silk_status_t silk_doc_add_term(silk_doc_t *doc, const char *term, size_t len, unsigned wdf_inc);
/* A boolean (filter) term: no position, wdf 0, so it does not change the document length. */
silk_status_t silk_doc_add_boolean_term(silk_doc_t *doc, const char *term, size_t len);
/* The stored data blob (the document's JSON); copied. */
silk_status_t silk_doc_set_data(silk_doc_t *doc, const char *data, size_t len);
/* A sortable numeric value in `slot` (Xapian::sortable_serialise). */
silk_status_t silk_doc_add_value(silk_doc_t *doc, unsigned slot, double value);
/* A string value (len bytes, copied) in `slot`; an empty string sets no value. */
silk_status_t silk_doc_add_string_value(silk_doc_t *doc, unsigned slot, const char *value,
                                        size_t len);
void silk_doc_destroy(silk_doc_t *doc);

/* ---- queries ------------------------------------------------------------------------------- */

typedef enum {
    SILK_OP_AND,
    SILK_OP_OR,
    SILK_OP_AND_NOT,   /* first subquery minus the union of the others */
    SILK_OP_FILTER,    /* first subquery, restricted by the others without weighting */
    SILK_OP_AND_MAYBE, /* first subquery, weight boosted by the others */
    SILK_OP_SYNONYM,   /* the subqueries as one term for weighting */
    SILK_OP_PHRASE,    /* terms in order within `window` positions (0: number of terms) */
    SILK_OP_NEAR,      /* terms in any order within `window` positions */
    SILK_OP_ELITE_SET, /* the `window` best-weighted subqueries */
    SILK_OP_MAX,       /* weight is the maximum of the subqueries */
} silk_op_t;

/* Every query constructor stores a new query in *out (free with silk_query_destroy()).
 * Combinators copy what they need from their subqueries: the caller still owns and
 * destroys them. They fail with SILK_ERR_INVALID (and never abort) on bad arguments,
 * *out then NULL. An empty term is invalid (use silk_query_match_all()). */
silk_status_t silk_query_term(const char *term, size_t len, unsigned wqf, uint32_t pos,
                              silk_query_t **out);
/* subs may be NULL only when n is 0; n == 0 gives a query matching nothing (Xapian's rule,
 * for every op). PHRASE and NEAR accept only terms (or ORs of terms) as subqueries; other
 * subqueries are SILK_ERR_INVALID. ELITE_SET: window 0 means Xapian's default of 10. */
silk_status_t silk_query_combine(silk_op_t op, silk_query_t *const *subs, size_t n, unsigned window,
                                 silk_query_t **out);
/* Multiplies the weight of q by factor (>= 0). */
silk_status_t silk_query_scale(const silk_query_t *q, double factor, silk_query_t **out);
/* Every term starting with `prefix`, as OP_SYNONYM. When it would expand to more than
 * `max_expansion` terms the search fails with SILK_ERR_TOO_BROAD (0: no cap; with shards
 * Xapian applies the cap per shard). */
silk_status_t silk_query_wildcard(const char *prefix, unsigned max_expansion, silk_query_t **out);
/* Documents whose value in `slot` lies in [lo, hi]; has_lo / has_hi 0 leaves an end open. */
silk_status_t silk_query_value_range(unsigned slot, int has_lo, double lo, int has_hi, double hi,
                                     silk_query_t **out);
silk_status_t silk_query_match_all(silk_query_t **out);
silk_status_t silk_query_match_nothing(silk_query_t **out);
/* Xapian's description of q; malloc'd (free it), NULL when out of memory. */
char *silk_query_describe(const silk_query_t *q);
/* Number of leaf terms in q. */
size_t silk_query_length(const silk_query_t *q);
void silk_query_destroy(silk_query_t *q);

/* ---- searching ----------------------------------------------------------------------------- */

/* Weighting schemes of Xapian 1.4 worth having on silk's collections (docs/benchmarks.md:
 * IfB2, DLH and PL2+ were measured below these and left out; LMWeight is wrong in 1.4). */
typedef enum {
    SILK_WEIGHT_BM25 = 0, /* Xapian::BM25Weight(k1, k2, k3, b, min_normlen) */
    SILK_WEIGHT_BM25PLUS, /* Xapian::BM25PlusWeight(k1, k2, k3, b, min_normlen, delta) */
    SILK_WEIGHT_INEB2,    /* divergence from randomness: Xapian::IneB2Weight(c) */
    SILK_WEIGHT_INL2,     /* Xapian::InL2Weight(c) */
    SILK_WEIGHT_BB2,      /* Xapian::BB2Weight(c) */
    SILK_WEIGHT_PL2,      /* Xapian::PL2Weight(c) */
    SILK_WEIGHT_DPH,      /* parameter-free: Xapian::DPHWeight() */
    SILK_WEIGHT_COUNT
} silk_weight_t;

typedef struct {
    double k1, k2, k3, b, min_normlen; /* BM25Weight parameters (use silk_search_opts_init) */
    uint32_t offset;                   /* first hit to return (0-based) */
    uint32_t limit;                    /* number of hits to return */
    uint32_t check_at_least;           /* count at least this many matches exactly */
    int sort_slot;                     /* -1: by relevance; else by this value slot */
    int sort_reverse;                  /* with sort_slot: 1 for descending */
    silk_weight_t scheme;              /* weighting scheme (0: BM25 with k1..min_normlen) */
    double delta;                      /* BM25+: the lower bound of a term's weight */
    double c;                          /* DFR schemes: term frequency normalization (> 0) */
} silk_search_opts_t;

/* Fills opts with Xapian's BM25 defaults (k1 1.2, k2 0, k3 1, b 0.5, min_normlen 0.5),
 * offset 0, limit 10, check_at_least 0, sort by relevance. */
void silk_search_opts_init(silk_search_opts_t *opts);

/* Runs q against db. On success *out owns the result (silk_mset_destroy()). A wildcard
 * over its cap gives SILK_ERR_TOO_BROAD; a database modified under the reader gives
 * SILK_ERR_MODIFIED (reopen and retry); an unreachable remote shard, or one that did not
 * answer within opts->remote_timeout_ms, SILK_ERR_NETWORK ("a remote shard did not answer
 * within N ms (... remote:tcp(HOST:PORT))"; then reopen before the next search). The
 * message is kept on db. The mset keeps what it needs of db and q alive, but must be
 * destroyed before db is reopened or destroyed. */
silk_status_t silk_db_search(silk_db_t *db, const silk_query_t *q, const silk_search_opts_t *opts,
                             silk_mset_t **out);

size_t silk_mset_size(const silk_mset_t *m);          /* hits held */
uint64_t silk_mset_estimated(const silk_mset_t *m);   /* estimated total matches */
uint64_t silk_mset_lower_bound(const silk_mset_t *m); /* total matches is at least this */
uint64_t silk_mset_upper_bound(const silk_mset_t *m); /* total matches is at most this */
unsigned silk_mset_docid(const silk_mset_t *m, size_t i);
uint32_t silk_mset_rank(const silk_mset_t *m, size_t i); /* 0-based, counting the offset */
double silk_mset_weight(const silk_mset_t *m, size_t i);
/* The stored data of hit i; *data points into m and stays valid until m is destroyed. */
silk_status_t silk_mset_data(silk_mset_t *m, size_t i, const char **data, size_t *len);
/* The unique term (starting with 'Q') of hit i, into m, valid until m is destroyed. */
silk_status_t silk_mset_unique_term(silk_mset_t *m, size_t i, const char **term);
/* Calls cb for each query term that hit i matched: Xapian's list (in query order), then the
 * hit's terms that a wildcard of the query expanded to. */
silk_status_t silk_mset_matching_terms(silk_mset_t *m, size_t i, silk_str_cb cb, void *ud);
/* Pseudo-relevance feedback: the hits [0, ndocs) of m taken as relevant, Xapian's ESet of
 * at most nterms expansion terms, best first, through cb(term, len, weight, ud) (a nonzero
 * return stops). Only free-text terms (no capital prefix), not terms of the query, and only
 * those present in at least min_docs of the ndocs hits. ndocs is capped by the hits held. */
typedef int (*silk_term_weight_cb)(const char *term, size_t len, double weight, void *ud);
silk_status_t silk_mset_expand(silk_mset_t *m, size_t ndocs, size_t nterms, unsigned min_docs,
                               silk_term_weight_cb cb, void *ud);
/* The message of the last failure on m. */
const char *silk_mset_error(const silk_mset_t *m);

/* ---- facet counts and time limits of a search ---------------------------------------------- */

typedef struct {
    const unsigned *count_slots; /* value slots to count (a ValueCountMatchSpy each); with
                                    any, every match of the query is examined */
    size_t ncount_slots;         /* how many */
    uint64_t deadline_us;        /* 0, or a CLOCK_MONOTONIC time in microseconds: past it the
                                    match itself stops (checked every 16 documents) and the
                                    mset holds the best hits among those seen, in the
                                    search's order, the bounds and counts of those seen
                                    (silk_mset_partial()) */
} silk_search_extra_t;

/* silk_db_search with facet counts and a deadline inside the match (extra may be NULL).
 * The deadline applies by relevance and sorted by value (opts->sort_slot): the page is
 * then ordered as Xapian orders it (by weight, or by the slot's value ascending or, with
 * sort_reverse, descending, then weight), ties by ascending document id; on one database
 * or several local shards (whose ids the match spy is handed per shard: a probe ANDed
 * into the query tells it the shard, so the page's ids are the combined database's). It
 * is not applied inside the match of a database with remote shards: a match spy is not
 * sent to xapian-tcpsrv (Xapian's own Enquire::set_time_limit is sent, but it arms a
 * timer in this process too and only lowers check_at_least). There opts->remote_timeout_ms
 * bounds each wait for a shard, and a shard past it fails the search, SILK_ERR_NETWORK. */
silk_status_t silk_db_search_ex(silk_db_t *db, const silk_query_t *q,
                                const silk_search_opts_t *opts, const silk_search_extra_t *extra,
                                silk_mset_t **out);
/* 1 when the deadline stopped the match (the hits are the best of the documents seen). */
int silk_mset_partial(const silk_mset_t *m);
/* Called with each distinct value of a counted slot and how many matches have it. */
typedef int (*silk_count_cb)(const char *value, size_t len, uint64_t count, void *ud);
/* Calls cb for each value counted in extra->count_slots[k] (any order). With `numeric` the
 * value is a sortable number (silk_doc_add_value) and is passed as its decimal digits
 * (an integer, or %g). SILK_ERR_INVALID when k is out of range. */
silk_status_t silk_mset_value_counts(silk_mset_t *m, size_t k, int numeric, silk_count_cb cb,
                                     void *ud);
void silk_mset_destroy(silk_mset_t *m);

/* ---- stemming ------------------------------------------------------------------------------ */

/* A Snowball stemmer for `language` ("english", "en", "german", ...). SILK_ERR_INVALID for
 * an unknown language. Free with silk_stemmer_destroy(). */
silk_status_t silk_stemmer_new(const char *language, silk_stemmer_t **out);
/* Stems `word` (len bytes, normalized lower case) into buf (cap bytes, NUL-terminated);
 * *out_len gets the stem's length. SILK_ERR_TOO_LARGE when buf is too small. */
silk_status_t silk_stemmer_stem(silk_stemmer_t *st, const char *word, size_t len, char *buf,
                                size_t cap, size_t *out_len);
void silk_stemmer_destroy(silk_stemmer_t *st);

#ifdef __cplusplus
}
#endif

#endif
