/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the engine's answer to a query (include/silk/search.h): parse (qparse.h), build
 * (qbuild.h), run (db.h), relax, did-you-mean (suggest.h), snippets with exact highlights
 * (snippet.h), and the page of hits packed for the caller.
 *
 * A searcher belongs to one thread. Besides the database it keeps a small cache of parsed
 * and tokenized documents keyed by document id: the stored JSON is parsed and the text
 * tokenized once per index revision, not once per hit, which is what keeps a search with
 * snippets within a few times the cost of Xapian alone. The cache is emptied whenever the
 * index is reopened at a new revision (document ids may then mean other documents).
 */
#include "silk/search.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "silk/buf.h"
#include "silk/doccache.h"
#include "silk/feedback.h"
#include "silk/hash.h"
#include "silk/qast.h"
#include "silk/qbuild.h"
#include "silk/qparse.h"
#include "silk/schema.h"
#include "silk/snippet.h"
#include "silk/suggest.h"
#include "silk/text.h"

#define EXACT_EXTRA 100        /* count this many matches past the page so small totals are exact */
#define ARENA_KEEP  (4u << 20) /* result memory kept between searches */

/* The distinct-key set of the synonym table, loaded once per revision. */
typedef struct {
    uint64_t *h;              /* open addressing, 0 = empty */
    size_t mask;              /* capacity - 1 (capacity a power of two), 0 when empty */
    size_t count;             /* keys held */
    int loaded;               /* loaded for the current revision */
    int oom;                  /* loading ran out of memory */
    char **names;             /* the keys of several words, for qbuild's syn_names */
    size_t nnames, names_cap; /* held, allocated */
} synset_t;

/* Multi-word synonym keys kept as text (a table has tens; this bounds a huge one). */
#define SYN_NAMES_MAX 4096

struct silk_searcher {
    char *path;                /* index path */
    silk_searcher_opts_t opts; /* with defaults filled in */
    silk_db_t *db;             /* NULL until opened */
    silk_tokenizer_t *tok;     /* queries and snippets */
    silk_stemmer_t *stemmer;   /* English */
    char err[320];             /* message of the last failure */
    long err_pos;              /* byte offset of the last query error, or -1 */

    silk_doccache_t cache; /* parsed and tokenized documents of this revision */
    synset_t syn;          /* synonym keys */
    int have_terms;        /* stats_terms is valid for this revision */
    uint64_t stats_terms;  /* distinct terms */

    /* The result of the last search, all memory owned here. */
    silk_result_t res;         /* handed out */
    silk_hit_t *hits;          /* result hits */
    size_t hits_cap;           /* allocated hits */
    silk_buf_t arena;          /* strings of the hits (offsets until the end of the search) */
    silk_snippet_hl_t hl;      /* highlight pairs of all hits */
    char *dym;                 /* did_you_mean text */
    char *explain;             /* printed AST */
    silk_snippet_scratch_t sc; /* scratch of the snippet computation */
    silk_typo_fixes_t fixes;   /* the typo corrections of the last search */
    silk_correction_t *corr;   /* the same as the result hands them out */
    size_t corr_cap;           /* allocated corr */
    silk_facets_t facets;      /* the facet counts of the last search */
    int refused;               /* the last open was refused (db.h check_path, a stub) */
    int reconnect;             /* a remote shard failed (a timeout): reopen before next use */

    silk_rank_t rank;    /* the ranking defaults of every search */
    silk_rank_t cur;     /* those of the search at hand (with the request's) */
    uint32_t run_offset; /* the window of hits the first run fetches */
    uint32_t run_limit;  /* (from 0 when feedback may need the first hits) */
    char rank_desc[SILK_RANK_DESCRIBE_MAX + 80]; /* explain's ranking line */
};

/* ---- errors -------------------------------------------------------------------------------- */

static silk_status_t fail(silk_searcher_t *s, silk_status_t st, long pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    s->err_pos = pos;
    return st;
}

static silk_status_t fail_db(silk_searcher_t *s, silk_status_t st)
{
    if (st == SILK_ERR_NETWORK)
        s->reconnect = 1;
    if (st == SILK_ERR_NOMEM)
        return fail(s, st, -1, "out of memory");
    const char *m = s->db ? silk_db_error(s->db) : "";
    return fail(s, st, -1, "%s", m && *m ? m : silk_status_to_string(st));
}

const char *silk_searcher_error(const silk_searcher_t *s)
{
    return s ? s->err : "";
}

long silk_searcher_error_pos(const silk_searcher_t *s)
{
    return s ? s->err_pos : -1;
}

int silk_searcher_refused(const silk_searcher_t *s)
{
    return s && s->refused;
}

/* ---- the revision ------------------------------------------------------------------------- */

static void synset_free(synset_t *y)
{
    free(y->h);
    for (size_t i = 0; i < y->nnames; i++)
        free(y->names[i]);
    free(y->names);
    memset(y, 0, sizeof *y);
}

static void revision_changed(silk_searcher_t *s)
{
    silk_doccache_clear(&s->cache);
    synset_free(&s->syn);
    s->have_terms = 0;
}

/* ---- result storage ------------------------------------------------------------------------ */

/* Appends bytes and a NUL to the arena; returns their offset or (size_t)-1 when out of
 * memory. */
static size_t arena_put(silk_searcher_t *s, const char *p, size_t n)
{
    size_t off = s->arena.len;
    if (silk_buf_reserve(&s->arena, n + 1) != SILK_OK)
        return (size_t)-1;
    silk_buf_add(&s->arena, p, n);
    silk_buf_addc(&s->arena, '\0');
    return off;
}

/* ---- the searcher -------------------------------------------------------------------------- */

/* The searcher's ranking defaults: opts->rank, else silk's with the older fields of opts
 * (k1 and b when set; a weight when positive, none when negative). */
static void searcher_rank(silk_searcher_t *s, const silk_searcher_opts_t *opts)
{
    if (opts != NULL && opts->rank != NULL) {
        s->rank = *opts->rank;
        return;
    }
    silk_rank_defaults(&s->rank);
    if (opts == NULL)
        return;
    if (opts->k1 != 0 || opts->b != 0) { /* BM25's parameters: BM25 is meant */
        s->rank.scheme = SILK_WEIGHT_BM25;
        s->rank.k1 = opts->k1;
        s->rank.b = opts->b;
    }
    if (opts->title_weight != 0)
        s->rank.title = opts->title_weight > 0 ? opts->title_weight : 0;
    if (opts->section_weight != 0)
        s->rank.section = opts->section_weight > 0 ? opts->section_weight : 0;
    if (opts->phrase_boost != 0)
        s->rank.phrase = opts->phrase_boost > 0 ? opts->phrase_boost : 0;
}

silk_status_t silk_searcher_new(const char *path, const silk_searcher_opts_t *opts,
                                silk_searcher_t **out)
{
    *out = NULL;
    if (path == NULL)
        return SILK_ERR_INVALID;
    silk_searcher_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return SILK_ERR_NOMEM;
    silk_status_t st = SILK_ERR_NOMEM;
    if ((s->path = strdup(path)) == NULL)
        goto fail;
    if (opts != NULL)
        s->opts = *opts;
    searcher_rank(s, opts);
    if (s->opts.doc_cache_bytes == 0)
        s->opts.doc_cache_bytes = SILK_DOC_CACHE_BYTES_DEFAULT;
    if (!(s->rank.k1 >= 0 && s->rank.b >= 0 && s->rank.b <= 1 && s->rank.c > 0 &&
          s->rank.delta >= 0 && (unsigned)s->rank.scheme < SILK_WEIGHT_COUNT)) {
        st = SILK_ERR_INVALID;
        goto fail;
    }
    if ((st = silk_tokenizer_new(&s->tok)) != SILK_OK)
        goto fail;
    if ((st = silk_doccache_init(&s->cache,
                                 s->opts.doc_cache_bytes > 0 ? (size_t)s->opts.doc_cache_bytes : 0,
                                 s->tok, SILK_SNIPPET_SCAN_MAX)) != SILK_OK)
        goto fail;
    if ((st = silk_stemmer_new("english", &s->stemmer)) != SILK_OK)
        goto fail;
    silk_tokenizer_set_stemmer(s->tok, s->stemmer);
    s->err_pos = -1;
    *out = s;
    return SILK_OK;
fail:
    silk_searcher_destroy(s);
    return st;
}

void silk_searcher_destroy(silk_searcher_t *s)
{
    if (s == NULL)
        return;
    silk_doccache_free(&s->cache);
    synset_free(&s->syn);
    silk_db_destroy(s->db);
    silk_tokenizer_destroy(s->tok);
    silk_stemmer_destroy(s->stemmer);
    free(s->path);
    free(s->hits);
    silk_buf_free(&s->arena);
    free(s->hl.v);
    free(s->dym);
    free(s->explain);
    silk_snippet_scratch_free(&s->sc);
    silk_typo_fixes_free(&s->fixes);
    free(s->corr);
    silk_facets_free(&s->facets);
    free(s);
}

static silk_status_t ensure_open(silk_searcher_t *s)
{
    if (s->db != NULL && s->reconnect) {
        /* A remote shard failed last time, perhaps a timeout whose reply the connection
         * still owes: connect afresh first (db.h silk_db_reopen), rather than have the
         * next request wait for that reply. A refused index is opened below (and says
         * why); a shard still failing fails this use, and the next one tries again. */
        s->reconnect = 0;
        silk_status_t st = silk_searcher_reopen(s, NULL);
        if (st != SILK_OK && s->db != NULL)
            return st;
    }
    if (s->db != NULL)
        return SILK_OK;
    char *msg = NULL;
    silk_status_t st = silk_db_open(s->path, &s->opts.db_opts, &s->db, &msg);
    if (st == SILK_ERR_NOT_FOUND) {
        st = fail(s, st, -1, "no index at %s yet", s->path);
    } else if (st != SILK_OK) {
        /* A refusal (an untrusted path, a stub naming a program) is the index being
         * unavailable, not a bad request. */
        s->refused = st == SILK_ERR_INVALID;
        st =
            fail(s, st == SILK_ERR_INVALID ? SILK_ERR_IO : st, -1,
                 "cannot open the index at %s: %s", s->path, msg ? msg : silk_status_to_string(st));
    } else {
        s->refused = 0;
        revision_changed(s);
    }
    free(msg);
    return st;
}

silk_status_t silk_searcher_reopen(silk_searcher_t *s, int *changed)
{
    if (changed != NULL)
        *changed = 0;
    if (s->db == NULL) {
        silk_status_t st = ensure_open(s);
        if (st == SILK_OK && changed != NULL)
            *changed = 1;
        return st;
    }
    int ch = 0;
    silk_status_t st = silk_db_reopen(s->db, &ch);
    if (st == SILK_ERR_INVALID) {
        /* Refused (the index, or a shard its stub names, is no longer trusted): stop
         * serving it; every search now tries to open it and answers why it cannot. */
        fail_db(s, st);
        s->refused = 1;
        silk_db_destroy(s->db);
        s->db = NULL;
        revision_changed(s);
        return st;
    }
    if (st != SILK_OK)
        return fail_db(s, st);
    if (ch)
        revision_changed(s);
    if (changed != NULL)
        *changed = ch;
    return SILK_OK;
}

silk_status_t silk_searcher_document(silk_searcher_t *s, const char *id, size_t len, char **data,
                                     size_t *data_len)
{
    char term[1 + 1024];
    silk_status_t st;
    *data = NULL;
    *data_len = 0;
    s->err[0] = '\0';
    s->err_pos = -1;
    if (len == 0 || len >= sizeof term - 1 || memchr(id, '\0', len) != NULL)
        return fail(s, SILK_ERR_NOT_FOUND, -1, "no document has that id");
    if ((st = ensure_open(s)) != SILK_OK)
        return st;
    term[0] = SILK_PREFIX_UNIQUE[0];
    memcpy(term + 1, id, len);
    term[len + 1] = '\0';
    st = silk_db_document_data(s->db, term, data, data_len);
    if (st == SILK_ERR_MODIFIED) {
        int changed = 0;
        if (silk_db_reopen(s->db, &changed) == SILK_OK) {
            revision_changed(s);
            st = silk_db_document_data(s->db, term, data, data_len);
        }
    }
    if (st == SILK_ERR_NOT_FOUND)
        return fail(s, st, -1, "no document has the id %.*s", (int)(len > 200 ? 200 : len), id);
    return st == SILK_OK ? SILK_OK : fail_db(s, st);
}

int silk_searcher_has_index(const silk_searcher_t *s)
{
    return s != NULL && s->db != NULL;
}

static int count_cb(const char *t, size_t len, void *ud)
{
    (void)t;
    (void)len;
    (*(uint64_t *)ud)++;
    return 0;
}

silk_status_t silk_searcher_stats(silk_searcher_t *s, silk_index_stats_t *out)
{
    silk_status_t st;
    memset(out, 0, sizeof *out);
    if ((st = ensure_open(s)) != SILK_OK)
        return st;
    if ((st = silk_db_doc_count(s->db, &out->docs)) != SILK_OK ||
        (st = silk_db_revision(s->db, &out->revision)) != SILK_OK ||
        (st = silk_db_avg_length(s->db, &out->avg_length)) != SILK_OK)
        return fail_db(s, st);
    if (!s->have_terms) {
        /* Walking the term list costs time proportional to the vocabulary: once per
         * revision. */
        uint64_t n = 0;
        if ((st = silk_db_allterms(s->db, "", count_cb, &n)) != SILK_OK)
            return fail_db(s, st);
        s->stats_terms = n;
        s->have_terms = 1;
    }
    out->terms = s->stats_terms;
    return SILK_OK;
}

/* ---- synonyms keys ------------------------------------------------------------------------- */

static int synkey_cb(const char *k, size_t len, void *ud)
{
    silk_searcher_t *s = ud;
    synset_t *y = &s->syn;
    uint64_t h = silk_hash(k, len) | 1;
    if (y->mask == 0 || y->count * 2 > y->mask) {
        size_t cap = y->mask ? (y->mask + 1) * 2 : 64;
        uint64_t *t = calloc(cap, sizeof *t);
        if (t == NULL) {
            y->oom = 1;
            return 1;
        }
        for (size_t i = 0; y->h && i <= y->mask; i++) {
            if (y->h[i] == 0)
                continue;
            size_t j = y->h[i] & (cap - 1);
            while (t[j] != 0)
                j = (j + 1) & (cap - 1);
            t[j] = y->h[i];
        }
        free(y->h);
        y->h = t;
        y->mask = cap - 1;
    }
    size_t j = h & y->mask;
    while (y->h[j] != 0 && y->h[j] != h)
        j = (j + 1) & y->mask;
    if (y->h[j] == 0) {
        y->h[j] = h;
        y->count++;
        if (memchr(k, ' ', len) != NULL && y->nnames < SYN_NAMES_MAX) {
            char *c = strndup(k, len);
            if (c == NULL || SILK_GROW(y->names, y->names_cap, y->nnames + 1) != SILK_OK) {
                free(c);
                y->oom = 1;
                return 1;
            }
            y->names[y->nnames++] = c;
        }
    }
    return 0;
}

static int has_synonyms(void *ud, const char *key, size_t len)
{
    silk_searcher_t *s = ud;
    synset_t *y = &s->syn;
    if (y->mask == 0)
        return 0;
    uint64_t h = silk_hash(key, len) | 1;
    size_t j = h & y->mask;
    while (y->h[j] != 0) {
        if (y->h[j] == h)
            return 1;
        j = (j + 1) & y->mask;
    }
    return 0;
}

static silk_status_t load_synonyms(silk_searcher_t *s)
{
    if (s->syn.loaded)
        return SILK_OK;
    silk_status_t st = silk_db_synonym_keys(s->db, synkey_cb, s);
    if (st != SILK_OK) {
        synset_free(&s->syn);
        /* A moved or unreachable index fails the search; a backend without a synonym
         * table (an old remote server) only loses the synonyms. */
        if (st == SILK_ERR_MODIFIED || st == SILK_ERR_NETWORK || st == SILK_ERR_NOMEM)
            return fail_db(s, st);
    }
    s->syn.loaded = 1;
    return SILK_OK;
}

/* ---- did you mean ------------------------------------------------------------------------- */

/* A word of the synonym table (kcna) is known even when no text has it. */
static int known_word(void *ud, const char *word, size_t len)
{
    silk_searcher_t *s = ud;
    return !s->syn.oom && has_synonyms(s, word, len);
}

/* The query text with the corrections applied, in s->dym (NULL when there are none). */
static silk_status_t did_you_mean(silk_searcher_t *s, const silk_qast_t *ast, const char *q,
                                  size_t len)
{
    char *dym = NULL;
    silk_status_t st = silk_suggest_query(s->db, ast, q, len, known_word, s, &dym);
    if (st != SILK_OK)
        return fail_db(s, st);
    free(s->dym);
    s->dym = dym;
    return SILK_OK;
}

/* ---- searching ----------------------------------------------------------------------------- */

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Offsets of a hit's strings in the arena while it may still move. */
typedef struct {
    size_t id, kind, article, section, snippet, data, data_len, hl0, nhl;
} hitoff_t;

/* Ways of building the query (the retries of an all-words query that found nothing). */
enum {
    RUN_RELAXED = 1, /* OR of the words, stopwords left out */
    RUN_SHORT = 2,   /* short words get typo corrections too */
};

static silk_status_t build_and_run(silk_searcher_t *s, const silk_qast_t *ast, silk_mode_t mode,
                                   int how, const silk_search_req_t *req, uint64_t deadline,
                                   silk_qbuilt_t **built, silk_mset_t **mset)
{
    silk_qbuild_opts_t bo;
    silk_qerror_t qe;
    silk_qbuild_opts_init(&bo);
    bo.mode = mode;
    bo.relaxed = (how & RUN_RELAXED) != 0;
    bo.typos_short = (how & RUN_SHORT) != 0;
    bo.title_weight = s->cur.title;
    bo.section_weight = s->cur.section;
    bo.phrase_boost = s->cur.phrase;
    bo.keyword_terms = s->cur.keyword_terms;
    bo.stopwords = s->cur.stopwords;
    bo.proximity = s->cur.proximity;
    bo.window = s->cur.window;
    bo.typos = !req->no_typos;
    if (!s->syn.oom) {
        bo.has_synonyms = has_synonyms;
        bo.syn_ud = s;
        bo.syn_names = (const char *const *)s->syn.names;
        bo.nsyn_names = s->syn.nnames;
    }
    *built = NULL;
    *mset = NULL;
    silk_status_t st = silk_qbuild(ast, s->db, s->tok, &bo, built, &qe);
    if (st != SILK_OK) {
        if (st == SILK_ERR_MODIFIED || st == SILK_ERR_NETWORK || st == SILK_ERR_IO ||
            st == SILK_ERR_CORRUPT)
            return fail_db(s, st);
        return fail(s, st, qe.pos, "%s", qe.msg);
    }
    silk_search_opts_t so;
    silk_search_opts_init(&so);
    silk_rank_search_opts(&s->cur, &so);
    so.offset = s->run_offset;
    so.limit = s->run_limit;
    so.check_at_least = req->offset + req->limit + EXACT_EXTRA;
    /* The deadline is checked inside the match too (db.h silk_db_search_ex: a match spy that
     * stops it, not Xapian's set_time_limit, whose timer crashed silkd); what comes after it
     * (the relaxed retry, snippets, spelling) is skipped once the budget is spent. */
    unsigned slots[SILK_FACET_COUNT];
    silk_search_extra_t ex = {.count_slots = slots,
                              .ncount_slots = silk_facets_slots(&req->facets, slots),
                              .deadline_us = deadline};
    st = silk_db_search_ex(s->db, silk_qbuilt_query(*built), &so, &ex, mset);
    if (st == SILK_OK && ((deadline && now_us() >= deadline) || silk_mset_partial(*mset)))
        s->res.partial = 1;
    if (st == SILK_ERR_TOO_BROAD) {
        long pos = silk_qbuilt_prefix_pos(*built);
        return fail(s, st, pos, "a prefix is too broad (matches more than %d terms)",
                    SILK_WILDCARD_MAX);
    }
    if (st != SILK_OK)
        return fail_db(s, st);
    return SILK_OK;
}

/* Copies the typo corrections of the query that ran into the result. */
static silk_status_t keep_corrections(silk_searcher_t *s, const silk_qbuilt_t *built)
{
    size_t n = 0;
    const silk_typo_fix_t *f = silk_qbuilt_corrections(built, &n);
    s->fixes.n = 0;
    s->res.ncorrections = 0;
    s->res.corrections = NULL;
    if (n == 0)
        return SILK_OK;
    if (SILK_GROW(s->fixes.v, s->fixes.cap, n) != SILK_OK ||
        SILK_GROW(s->corr, s->corr_cap, n) != SILK_OK)
        return fail(s, SILK_ERR_NOMEM, -1, "out of memory");
    memcpy(s->fixes.v, f, n * sizeof *f);
    s->fixes.n = n;
    for (size_t i = 0; i < n; i++)
        s->corr[i] = (silk_correction_t){.from = s->fixes.v[i].from, .to = s->fixes.v[i].to};
    s->res.ncorrections = n;
    s->res.corrections = s->corr;
    return SILK_OK;
}

/* The time budget is spent (deadline 0: there is none). */
static int past(uint64_t deadline)
{
    return deadline && now_us() >= deadline;
}

static silk_status_t search_once(silk_searcher_t *s, const silk_search_req_t *req,
                                 const silk_qast_t *ast, uint64_t deadline)
{
    silk_mset_t *m2 = NULL;
    silk_fbsrc_t *src = NULL;
    size_t nf = 0;
    silk_qbuilt_t *built = NULL;
    silk_mset_t *m = NULL;
    hitoff_t *off = NULL;
    silk_status_t st;
    int relaxed = 0;

    s->arena.len = 0;
    s->hl.n = 0;
    if (s->arena.cap > ARENA_KEEP) /* one page of 1000 large documents should not pin */
        silk_buf_free(&s->arena);  /* its memory for good */
    free(s->dym);
    s->dym = NULL;
    if ((st = load_synonyms(s)) != SILK_OK)
        return st;
    /* Feedback learns from the first hits, whatever the page asked for. */
    int fb = silk_feedback_wanted(&s->cur, ast) && req->limit > 0;
    s->run_offset = fb ? 0 : req->offset;
    s->run_limit = req->limit;
    if (fb) {
        uint32_t want = req->offset + req->limit;
        want = want > s->cur.fb_docs ? want : s->cur.fb_docs;
        s->run_limit = want > s->cur.fb_freeze ? want : s->cur.fb_freeze;
    }
    if ((st = build_and_run(s, ast, req->mode, 0, req, deadline, &built, &m)) != SILK_OK)
        goto done;
    int how = 0;
    if (req->mode == SILK_MODE_ALL && silk_mset_upper_bound(m) == 0 && !req->no_typos &&
        silk_qbuilt_short_words(built) > 0 && silk_qast_is_plain(ast) && !past(deadline)) {
        /* Nothing has every word: before relaxing to OR, perhaps a short word is misspelt
         * (`axis of evl`). */
        silk_mset_destroy(m);
        silk_qbuilt_destroy(built);
        how = RUN_SHORT;
        if ((st = build_and_run(s, ast, SILK_MODE_ALL, how, req, deadline, &built, &m)) != SILK_OK)
            goto done;
    }
    if (req->mode == SILK_MODE_ALL && silk_mset_upper_bound(m) == 0 && silk_qast_is_plain(ast) &&
        !past(deadline)) {
        /* Nothing has every word: rank the documents that have some of them. */
        silk_mset_destroy(m);
        silk_qbuilt_destroy(built);
        how |= RUN_RELAXED;
        if ((st = build_and_run(s, ast, SILK_MODE_ANY, how, req, deadline, &built, &m)) != SILK_OK)
            goto done;
        relaxed = 1;
    }
    size_t nterms = 0;
    if (s->run_offset == 0 && !past(deadline) &&
        (st = silk_feedback_run(s->db, &s->cur, ast, relaxed ? SILK_MODE_ANY : req->mode,
                                silk_qbuilt_query(built), m, (size_t)req->offset + req->limit, &m2,
                                &nf, &nterms)) != SILK_OK) {
        st = fail_db(s, st);
        goto done;
    }
    s->res.feedback = (int)nterms;
    if (req->limit > 0 && (src = calloc(req->limit, sizeof *src)) == NULL) {
        st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
        goto done;
    }
    size_t n = req->limit > 0
                   ? silk_feedback_page(m, s->run_offset, m2, nf, req->offset, req->limit, src)
                   : 0;
    if ((n > 0 && SILK_GROW(s->hits, s->hits_cap, n) != SILK_OK) ||
        (n > 0 && (off = calloc(n, sizeof *off)) == NULL)) {
        st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
        goto done;
    }
    const silk_qmatch_t *qm = silk_qbuilt_match(built);
    for (size_t i = 0; i < n; i++) {
        silk_docent_t *e = NULL;
        /* Snippets are most of a page's cost (each hit's text is tokenized): past the
         * budget the remaining hits come without one, and the answer says partial. */
        int snip = req->snippets && !past(deadline);
        if (req->snippets && !snip)
            s->res.partial = 1;
        if ((st = silk_doccache_get(&s->cache, src[i].m, src[i].i, snip, &e)) != SILK_OK) {
            st = fail(s, st, -1, "%s", s->cache.err);
            goto done;
        }
        hitoff_t *o = &off[i];
        if ((o->id = arena_put(s, e->id, strlen(e->id))) == (size_t)-1 ||
            (o->kind = arena_put(s, e->kind, strlen(e->kind))) == (size_t)-1 ||
            (o->article = arena_put(s, e->article, strlen(e->article))) == (size_t)-1 ||
            (o->section = arena_put(s, e->section, strlen(e->section))) == (size_t)-1 ||
            (o->data = arena_put(s, e->data, e->data_len)) == (size_t)-1) {
            st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
            goto done;
        }
        o->data_len = e->data_len;
        if (snip) {
            if (silk_snippet_make(&s->sc, &e->snip, qm, SILK_SNIPPET_CHARS, &s->arena, &o->snippet,
                                  &s->hl, &o->hl0, &o->nhl) != SILK_OK) {
                st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
                goto done;
            }
        } else {
            o->snippet = o->section + strlen(e->section); /* the section's NUL: "" */
            o->hl0 = s->hl.n;
        }
        s->hits[i].rank = req->offset + (uint32_t)i + 1;
        s->hits[i].score = silk_mset_weight(src[i].m, src[i].i) * src[i].scale;
    }
    /* Spelling help is for keyword queries, or when a longer question found less than a
     * page: each word costs a term lookup, and an absent one a spelling search. */
    if (!past(deadline) &&
        (silk_qast_term_count(ast) <= SILK_KEYWORD_QUERY_MAX_TERMS ||
         silk_mset_upper_bound(m) < req->offset + req->limit) &&
        (st = did_you_mean(s, ast, req->q, req->q_len)) != SILK_OK)
        goto done;

    /* The arena stopped moving: turn offsets into pointers. */
    for (size_t i = 0; i < n; i++) {
        silk_hit_t *h = &s->hits[i];
        h->id = s->arena.data + off[i].id;
        h->kind = s->arena.data + off[i].kind;
        h->article = s->arena.data + off[i].article;
        h->section = s->arena.data + off[i].section;
        h->snippet = s->arena.data + off[i].snippet;
        h->data = s->arena.data + off[i].data;
        h->data_len = off[i].data_len;
        h->highlights = off[i].nhl ? s->hl.v + off[i].hl0 : NULL;
        h->nhighlights = off[i].nhl;
    }
    if ((st = keep_corrections(s, built)) != SILK_OK)
        goto done;
    if (req->facets.n > 0) {
        if ((st = silk_facets_from_mset(&s->facets, m, &req->facets)) != SILK_OK) {
            st = st == SILK_ERR_NOMEM ? fail(s, st, -1, "out of memory") : fail_db(s, st);
            goto done;
        }
        s->res.nfacets = s->facets.n;
        s->res.facets = s->facets.facets;
    }
    silk_mset_t *tm = m2 != NULL ? m2 : m; /* the totals: the expanded run's and the frozen */
    uint64_t lo = silk_mset_lower_bound(tm) + nf, hi = silk_mset_upper_bound(tm) + nf;
    s->res.exact = lo == hi;
    s->res.total = lo == hi ? lo : silk_mset_estimated(tm) + nf;
    s->res.relaxed = relaxed;
    s->res.did_you_mean = s->dym;
    s->res.nhits = n;
    s->res.hits = s->hits;
done:
    free(off);
    free(src);
    silk_mset_destroy(m2);
    silk_mset_destroy(m);
    silk_qbuilt_destroy(built);
    return st;
}

/* explain's line of the ranking parameters the search ran with, and what feedback did. */
static void explain_rank(silk_searcher_t *s)
{
    char d[SILK_RANK_DESCRIBE_MAX];
    silk_rank_describe(&s->cur, d, sizeof d);
    if (s->res.feedback > 0)
        snprintf(s->rank_desc, sizeof s->rank_desc, "%s; feedback applied (%d terms)", d,
                 s->res.feedback);
    else
        snprintf(s->rank_desc, sizeof s->rank_desc, "%s; feedback not applied", d);
    s->res.rank = s->rank_desc;
}

/* A remote shard's failure faster than this (a closed connection, a refused connect) is
 * retried once after a reopen; a slower one (a timeout) is not: half a second, or half the
 * remote timeout when that is shorter (silkd caps it at the time limit). */
static uint64_t network_retry_within_us(const silk_searcher_t *s)
{
    uint64_t t = s->opts.db_opts.remote_timeout_ms ? s->opts.db_opts.remote_timeout_ms : 10000;
    return t * 500u < 500000u ? t * 500u : 500000u;
}

silk_status_t silk_search(silk_searcher_t *s, const silk_search_req_t *req,
                          const silk_result_t **out)
{
    uint64_t t0 = now_us();
    silk_qast_t *ast = NULL;
    silk_qerror_t qe;
    silk_status_t st;
    *out = NULL;
    s->err[0] = '\0';
    s->err_pos = -1;
    if (req == NULL || (req->q == NULL && req->q_len > 0) ||
        (req->mode != SILK_MODE_ALL && req->mode != SILK_MODE_ANY))
        return fail(s, SILK_ERR_INVALID, -1, "invalid search request");
    if (req->limit > SILK_LIMIT_MAX)
        return fail(s, SILK_ERR_TOO_LARGE, -1, "limit %u is over the maximum of %d", req->limit,
                    SILK_LIMIT_MAX);
    if (req->offset > SILK_OFFSET_MAX)
        return fail(s, SILK_ERR_TOO_LARGE, -1, "offset %u is over the maximum of %d", req->offset,
                    SILK_OFFSET_MAX);
    unsigned seen_facets = 0;
    for (size_t i = 0; i < req->facets.n && i <= SILK_FACET_COUNT; i++) {
        unsigned bit = 1u << (req->facets.ids[i] & 7);
        if (i == SILK_FACET_COUNT || req->facets.ids[i] >= SILK_FACET_COUNT || (seen_facets & bit))
            return fail(s, SILK_ERR_INVALID, -1, "facets: each of %s at most once",
                        SILK_FACET_NAMES);
        seen_facets |= bit;
    }
    if (req->facets.limit > SILK_FACET_LIMIT_MAX)
        return fail(s, SILK_ERR_TOO_LARGE, -1, "facet_limit %u is over the maximum of %d",
                    req->facets.limit, SILK_FACET_LIMIT_MAX);
    if ((st = silk_qparse(s->tok, req->q ? req->q : "", req->q_len, &ast, &qe)) != SILK_OK)
        return fail(s, st, qe.pos, "%s", qe.msg);
    if ((st = ensure_open(s)) != SILK_OK)
        goto done;
    uint64_t deadline = req->time_limit_ms ? t0 + (uint64_t)req->time_limit_ms * 1000u : 0;
    s->cur = s->rank;
    silk_rank_merge(&s->cur, req->rank);
    memset(&s->res, 0, sizeof s->res);
    st = search_once(s, req, ast, deadline);
    if (st == SILK_ERR_MODIFIED ||
        (st == SILK_ERR_NETWORK && now_us() - t0 < network_retry_within_us(s) && !past(deadline))) {
        /* The index moved on under the reader: reopen at the new revision, once. A remote
         * shard's connection that broke (the shard restarted, or was down) stays broken
         * until a reopen connects again, so that is tried once too; a shard still down
         * fails the reopen and the error stands. Not after a slow failure (a timeout),
         * nor past the time limit (which caps the remote timeout in silkd): the answer
         * would take the timeout twice. */
        int changed = 0;
        if (silk_db_reopen(s->db, &changed) == SILK_OK) {
            s->reconnect = 0;
            revision_changed(s);
            memset(&s->res, 0, sizeof s->res);
            st = search_once(s, req, ast, deadline);
        }
    }
    if (st == SILK_ERR_NETWORK)
        s->reconnect = 1;
    if (st != SILK_OK)
        goto done;
    free(s->explain);
    s->explain = NULL;
    if (req->explain && (s->explain = silk_qast_print(ast)) == NULL) {
        st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
        goto done;
    }
    s->res.explain = s->explain;
    if (req->explain)
        explain_rank(s);
    s->res.took_us = now_us() - t0;
    *out = &s->res;
done:
    silk_qast_destroy(ast);
    return st;
}
