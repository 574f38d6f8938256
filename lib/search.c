/* silk — the engine's answer to a query (include/silk/search.h): parse, build, run, relax,
 * did-you-mean, snippets with exact highlights.
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

#include "silk/query.h"
#include "silk/schema.h"
#include "silk/text.h"

#define CACHE_SLOTS     4096 /* direct-mapped document cache: slot = docid % CACHE_SLOTS */
#define EXACT_EXTRA     100  /* count this many matches past the page so small totals are exact */
#define DYM_MAX_LOOKUPS 3    /* spelling lookups of one query */
#define ARENA_KEEP      (4u << 20)     /* result memory kept between searches */
#define ELLIPSIS        "\xe2\x80\xa6" /* U+2026 */
#define ELLIPSIS_LEN    3

/* A parsed (and, once a snippet was asked for, tokenized) stored document. */
typedef struct {
    unsigned docid;  /* Xapian document id (0: empty slot) */
    size_t bytes;    /* memory charged to the cache */
    char *data;      /* the stored JSON (NUL-terminated copy) */
    size_t data_len; /* its length */
    char *strs;      /* id, kind, article, section, text: NUL-terminated, one block */
    const char *id, *kind, *article, *section, *text; /* into strs */
    size_t text_len;                                  /* bytes of text */
    int tokenized;                                    /* the fields below are set */
    size_t ntoks;            /* tokens of the first SILK_SNIPPET_SCAN_MAX bytes of text */
    silk_qtok_t *toks;       /* ntoks tokens (terms point into terms) */
    uint32_t *tstart, *tend; /* byte offsets of each token in text */
    uint32_t *cstart, *cend; /* character offsets of each token in text */
    char *terms;             /* the tokens' terms, back to back */
    size_t scan_len;         /* bytes of text that were tokenized */
    size_t scan_chars;       /* characters in them */
} docent_t;

/* The distinct-key set of the synonym table, loaded once per revision. */
typedef struct {
    uint64_t *h;  /* open addressing, 0 = empty */
    size_t mask;  /* capacity - 1 (capacity a power of two), 0 when empty */
    size_t count; /* keys held */
    int loaded;   /* loaded for the current revision */
    int oom;      /* loading ran out of memory */
} synset_t;

struct silk_searcher {
    char *path;                /* index path */
    silk_searcher_opts_t opts; /* with defaults filled in */
    silk_db_t *db;             /* NULL until opened */
    silk_tokenizer_t *tok;     /* queries and snippets */
    silk_stemmer_t *stemmer;   /* English */
    char err[320];             /* message of the last failure */
    long err_pos;              /* byte offset of the last query error, or -1 */

    docent_t *cache;      /* CACHE_SLOTS entries, or NULL without a cache */
    size_t cache_bytes;   /* bytes charged */
    size_t hand;          /* the clock hand of eviction, a slot index */
    docent_t scratch;     /* the document at hand when it is not cached */
    synset_t syn;         /* synonym keys */
    int have_terms;       /* stats_terms is valid for this revision */
    uint64_t stats_terms; /* distinct terms */

    /* The result of the last search, all memory owned here. */
    silk_result_t res; /* handed out */
    silk_hit_t *hits;  /* result hits */
    size_t hits_cap;
    char *arena; /* strings of the hits (offsets until the end of the search) */
    size_t arena_len, arena_cap;
    uint32_t *hl; /* highlight pairs of all hits */
    size_t hl_len, hl_cap;
    char *dym;     /* did_you_mean text */
    char *explain; /* printed AST */
    /* Scratch of the snippet computation. */
    struct match {
        uint32_t t0, t1;
        int id;
    } * matches;
    size_t matches_cap;
    int *idcount;
    size_t idcount_cap;
    /* Scratch of tokenizing a document. */
    size_t tok_cap, terms_cap, terms_len;
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

/* ---- the document cache -------------------------------------------------------------------- */

static void docent_clear(docent_t *e)
{
    free(e->data);
    free(e->strs);
    free(e->toks);
    free(e->tstart);
    free(e->tend);
    free(e->cstart);
    free(e->cend);
    free(e->terms);
    memset(e, 0, sizeof *e);
}

static void cache_clear(silk_searcher_t *s)
{
    if (s->cache != NULL)
        for (size_t i = 0; i < CACHE_SLOTS; i++)
            if (s->cache[i].docid != 0)
                docent_clear(&s->cache[i]);
    s->cache_bytes = 0;
    docent_clear(&s->scratch);
}

static void revision_changed(silk_searcher_t *s)
{
    cache_clear(s);
    free(s->syn.h);
    memset(&s->syn, 0, sizeof s->syn);
    s->have_terms = 0;
}

/* Copies a JSON string member into the block at *at, returning its start ("" if absent). */
static const char *put_str(json_t *obj, const char *key, char *block, size_t *at)
{
    json_t *v = json_object_get(obj, key);
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    size_t n = json_is_string(v) ? json_string_length(v) : 0;
    char *dst = block + *at;
    memcpy(dst, s, n);
    dst[n] = '\0';
    *at += n + 1;
    return dst;
}

static size_t str_len(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_length(v) : 0;
}

/* Fills e from the stored JSON of a document. */
static silk_status_t docent_load(silk_searcher_t *s, docent_t *e, unsigned docid, const char *data,
                                 size_t len)
{
    json_error_t jerr;
    json_t *j = json_loadb(data, len, JSON_ALLOW_NUL, &jerr);
    if (j == NULL || !json_is_object(j)) {
        json_decref(j);
        return fail(s, SILK_ERR_CORRUPT, -1, "document %u: stored data is not a JSON object",
                    docid);
    }
    static const char *keys[] = {"id", "kind", "article", "section", "text"};
    size_t total = 0;
    for (size_t i = 0; i < 5; i++)
        total += str_len(j, keys[i]) + 1;
    e->strs = malloc(total);
    e->data = malloc(len + 1);
    if (e->strs == NULL || e->data == NULL) {
        json_decref(j);
        docent_clear(e);
        return fail(s, SILK_ERR_NOMEM, -1, "out of memory");
    }
    size_t at = 0;
    e->id = put_str(j, "id", e->strs, &at);
    e->kind = put_str(j, "kind", e->strs, &at);
    e->article = put_str(j, "article", e->strs, &at);
    e->section = put_str(j, "section", e->strs, &at);
    e->text_len = str_len(j, "text");
    e->text = put_str(j, "text", e->strs, &at);
    json_decref(j);
    memcpy(e->data, data, len);
    e->data[len] = '\0';
    e->data_len = len;
    e->docid = docid;
    e->bytes = sizeof *e + total + len + 1;
    return SILK_OK;
}

typedef struct {
    silk_searcher_t *s; /* for the scratch capacities */
    docent_t *e;        /* the document being tokenized */
    const char *text;   /* its text */
    size_t last;        /* byte offset up to which characters were counted */
    size_t chars;       /* characters before `last` */
    int oom;            /* an allocation failed */
} tokrun_t;

static size_t count_chars(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)p[i] & 0xC0) != 0x80;
    return c;
}

/* The character offset of byte offset `at`, moving the run's cursor there (CJK bigrams
 * overlap, so the cursor may move back by a character). */
static size_t chars_at(tokrun_t *r, size_t at)
{
    if (at >= r->last)
        r->chars += count_chars(r->text + r->last, at - r->last);
    else
        r->chars -= count_chars(r->text + at, r->last - at);
    r->last = at;
    return r->chars;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (q == NULL)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int tok_cb(const silk_token_t *t, void *ud)
{
    tokrun_t *r = ud;
    docent_t *e = r->e;
    silk_searcher_t *s = r->s;
    size_t n = e->ntoks;
    if (n + 1 > s->tok_cap) {
        size_t cap = s->tok_cap ? s->tok_cap * 2 : 256;
        silk_qtok_t *a = realloc(e->toks, cap * sizeof *a);
        if (a)
            e->toks = a;
        uint32_t *b1 = a ? realloc(e->tstart, cap * sizeof *b1) : NULL;
        if (b1)
            e->tstart = b1;
        uint32_t *b2 = b1 ? realloc(e->tend, cap * sizeof *b2) : NULL;
        if (b2)
            e->tend = b2;
        uint32_t *b3 = b2 ? realloc(e->cstart, cap * sizeof *b3) : NULL;
        if (b3)
            e->cstart = b3;
        uint32_t *b4 = b3 ? realloc(e->cend, cap * sizeof *b4) : NULL;
        if (b4)
            e->cend = b4;
        if (b4 == NULL) {
            r->oom = 1;
            return 1;
        }
        s->tok_cap = cap;
    }
    /* Terms are kept as offsets while the block may move; fixed up after the run. */
    void *terms = e->terms;
    if (grow(&terms, &s->terms_cap, s->terms_len + t->len + 1, 1) != 0) {
        r->oom = 1;
        return 1;
    }
    e->terms = terms;
    memcpy(e->terms + s->terms_len, t->term, t->len);
    silk_qtok_t *q = &e->toks[n];
    q->term = (const char *)(uintptr_t)s->terms_len;
    q->len = (uint32_t)t->len;
    s->terms_len += t->len;
    q->h_term = silk_qhash(t->term, t->len);
    q->h_stem = t->stem != NULL && t->stem_len > 0 ? silk_qhash_stem(t->stem, t->stem_len) : 0;
    q->pos = t->pos;
    e->tstart[n] = (uint32_t)t->start;
    e->cstart[n] = (uint32_t)chars_at(r, t->start);
    e->tend[n] = (uint32_t)t->end;
    e->cend[n] = (uint32_t)chars_at(r, t->end);
    e->ntoks = n + 1;
    return 0;
}

/* Tokenizes the first SILK_SNIPPET_SCAN_MAX bytes of e's text (cut at a character start). */
static silk_status_t docent_tokenize(silk_searcher_t *s, docent_t *e)
{
    size_t n = e->text_len;
    if (n > SILK_SNIPPET_SCAN_MAX) {
        n = SILK_SNIPPET_SCAN_MAX;
        while (n > 0 && ((unsigned char)e->text[n] & 0xC0) == 0x80)
            n--;
    }
    tokrun_t r = {.s = s, .e = e, .text = e->text};
    s->tok_cap = 0;
    s->terms_cap = 0;
    s->terms_len = 0;
    e->ntoks = 0;
    silk_status_t st = silk_tokenize(s->tok, e->text, n, 1, tok_cb, &r, NULL);
    if (st != SILK_OK || r.oom)
        return fail(s, SILK_ERR_NOMEM, -1, "out of memory");
    /* The arrays grew by doubling; a cached document keeps only what it uses. */
    size_t nt = e->ntoks;
    if (nt > 0 && nt < s->tok_cap) {
        void *p;
        if ((p = realloc(e->toks, nt * sizeof *e->toks)) != NULL)
            e->toks = p;
        if ((p = realloc(e->tstart, nt * sizeof(uint32_t))) != NULL)
            e->tstart = p;
        if ((p = realloc(e->tend, nt * sizeof(uint32_t))) != NULL)
            e->tend = p;
        if ((p = realloc(e->cstart, nt * sizeof(uint32_t))) != NULL)
            e->cstart = p;
        if ((p = realloc(e->cend, nt * sizeof(uint32_t))) != NULL)
            e->cend = p;
    }
    if (s->terms_len > 0 && s->terms_len < s->terms_cap) {
        char *p = realloc(e->terms, s->terms_len);
        if (p != NULL)
            e->terms = p;
    }
    for (size_t i = 0; i < nt; i++)
        e->toks[i].term = e->terms + (uintptr_t)e->toks[i].term;
    e->scan_len = n;
    e->scan_chars = r.chars + count_chars(e->text + r.last, n - r.last);
    e->tokenized = 1;
    e->bytes += nt * (sizeof(silk_qtok_t) + 4 * sizeof(uint32_t)) + s->terms_len;
    return SILK_OK;
}

/* The document of hit i of m, from the cache or loaded (and cached when it fits). With
 * `tokens`, also tokenized. The entry stays valid until the next call. */
static silk_status_t doc_get(silk_searcher_t *s, silk_mset_t *m, size_t i, int tokens,
                             docent_t **out)
{
    unsigned docid = silk_mset_docid(m, i);
    docent_t *e = NULL;
    silk_status_t st;
    if (s->cache != NULL && docid != 0) {
        e = &s->cache[docid % CACHE_SLOTS];
        if (e->docid != docid) {
            if (e->docid != 0) {
                s->cache_bytes -= e->bytes;
                docent_clear(e);
            }
        }
    }
    if (e == NULL) {
        docent_clear(&s->scratch);
        e = &s->scratch;
    }
    if (e->docid != docid || docid == 0) {
        const char *data;
        size_t len;
        if ((st = silk_mset_data(m, i, &data, &len)) != SILK_OK)
            return fail(s, st, -1, "%s", silk_mset_error(m));
        if ((st = docent_load(s, e, docid, data, len)) != SILK_OK)
            return st;
        if (e != &s->scratch)
            s->cache_bytes += e->bytes;
    }
    if (tokens && !e->tokenized) {
        size_t before = e->bytes;
        if ((st = docent_tokenize(s, e)) != SILK_OK) {
            if (e != &s->scratch)
                s->cache_bytes -= before;
            docent_clear(e);
            return st;
        }
        if (e != &s->scratch)
            s->cache_bytes += e->bytes - before;
    }
    size_t budget = (size_t)s->opts.doc_cache_bytes;
    if (e != &s->scratch && e->bytes > budget) {
        /* Alone over the budget: served from scratch, not cached. */
        s->cache_bytes -= e->bytes;
        docent_clear(&s->scratch);
        s->scratch = *e;
        memset(e, 0, sizeof *e);
        e = &s->scratch;
    } else if (e != &s->scratch) {
        /* Over budget: a clock hand frees other documents until this one fits. */
        size_t self = (size_t)(e - s->cache);
        while (s->cache_bytes > budget) {
            s->hand = (s->hand + 1) % CACHE_SLOTS;
            docent_t *v = &s->cache[s->hand];
            if (s->hand == self || v->docid == 0)
                continue;
            s->cache_bytes -= v->bytes;
            docent_clear(v);
        }
    }
    *out = e;
    return SILK_OK;
}

/* ---- result storage ------------------------------------------------------------------------ */

/* Appends bytes to the arena; returns the offset or (size_t)-1 when out of memory. */
static size_t arena_put(silk_searcher_t *s, const char *p, size_t n)
{
    void *a = s->arena;
    if (grow(&a, &s->arena_cap, s->arena_len + n + 1, 1) != 0)
        return (size_t)-1;
    s->arena = a;
    size_t off = s->arena_len;
    memcpy(s->arena + off, p, n);
    s->arena[off + n] = '\0';
    s->arena_len += n + 1;
    return off;
}

static int hl_put(silk_searcher_t *s, uint32_t a, uint32_t b)
{
    void *p = s->hl;
    if (grow(&p, &s->hl_cap, s->hl_len + 2, sizeof(uint32_t)) != 0)
        return -1;
    s->hl = p;
    s->hl[s->hl_len++] = a;
    s->hl[s->hl_len++] = b;
    return 0;
}

/* ---- snippets ------------------------------------------------------------------------------ */

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Byte offset after advancing `chars` characters from the start of p[0, n). */
static size_t advance_chars(const char *p, size_t n, size_t chars)
{
    size_t i = 0, c = 0;
    while (i < n) {
        if (((unsigned char)p[i] & 0xC0) != 0x80) {
            if (c == chars)
                return i;
            c++;
        }
        i++;
    }
    return n;
}

/* Computes the snippet of document e for the query terms m, appends it to the arena
 * (offset in *off) and its highlights to s->hl (from index *hl0, *nhl pairs). */
static silk_status_t snippet(silk_searcher_t *s, const docent_t *e, const silk_qmatch_t *m,
                             size_t *off, size_t *hl0, size_t *nhl)
{
    const size_t W = SILK_SNIPPET_CHARS;
    size_t nm = 0, nids = silk_qmatch_ids(m);
    *hl0 = s->hl_len;
    *nhl = 0;

    /* 1. The matches: runs of tokens that match a positive query term. */
    if (nids > 0) {
        for (size_t i = 0; i < e->ntoks;) {
            size_t k = 0;
            int id = silk_qmatch_at(m, e->toks, e->ntoks, i, &k);
            if (id < 0 || k == 0) {
                i++;
                continue;
            }
            void *p = s->matches;
            if (grow(&p, &s->matches_cap, nm + 1, sizeof *s->matches) != 0)
                return fail(s, SILK_ERR_NOMEM, -1, "out of memory");
            s->matches = p;
            s->matches[nm].t0 = (uint32_t)i;
            s->matches[nm].t1 = (uint32_t)(i + k - 1);
            s->matches[nm].id = id;
            nm++;
            i += k;
        }
    }

    /* 2. The window of W characters holding the most distinct matched words (then the
     * most matches, then the earliest): two pointers over the matches. */
    size_t best_l = 0, best_r = 0, best_d = 0, best_c = 0;
    if (nm > 0) {
        void *p = s->idcount;
        if (grow(&p, &s->idcount_cap, nids, sizeof(int)) != 0)
            return fail(s, SILK_ERR_NOMEM, -1, "out of memory");
        s->idcount = p;
        memset(s->idcount, 0, nids * sizeof(int));
        size_t r = 0, distinct = 0;
        for (size_t l = 0; l < nm; l++) {
            if (r < l)
                r = l;
            while (r < nm && e->cend[s->matches[r].t1] - e->cstart[s->matches[l].t0] <= W) {
                if (s->idcount[s->matches[r].id]++ == 0)
                    distinct++;
                r++;
            }
            size_t count = r - l;
            if (count > 0 && (distinct > best_d || (distinct == best_d && count > best_c))) {
                best_d = distinct;
                best_c = count;
                best_l = l;
                best_r = r;
            }
            if (r > l && --s->idcount[s->matches[l].id] == 0)
                distinct--;
        }
        if (best_c == 0) { /* a single match longer than the window: show its start */
            best_l = 0;
            best_r = 1;
        }
    }

    /* 3. Place the window in characters, then snap it to token boundaries in bytes. */
    size_t total_chars = e->scan_chars;
    size_t cs = 0, ce;
    if (nm > 0) {
        size_t ms = e->cstart[s->matches[best_l].t0];
        size_t me = e->cend[s->matches[best_r - 1].t1];
        size_t slack = me - ms < W ? W - (me - ms) : 0;
        size_t before = slack / 2 < 60 ? slack / 2 : 60;
        cs = ms > before ? ms - before : 0;
    }
    ce = cs + W;
    if (ce > total_chars) {
        ce = total_chars;
        cs = ce > W ? ce - W : 0;
    }
    size_t bs = 0, be;
    if (cs > 0) {
        /* The first token starting at or after cs (never cut a word in two). */
        size_t lo = 0, hi = e->ntoks;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (e->cstart[mid] < cs)
                lo = mid + 1;
            else
                hi = mid;
        }
        bs = lo < e->ntoks ? e->tstart[lo] : e->scan_len;
        if (nm > 0 && bs > e->tstart[s->matches[best_l].t0])
            bs = e->tstart[s->matches[best_l].t0];
    }
    if (ce >= total_chars && e->scan_len == e->text_len) {
        be = e->text_len;
    } else {
        /* The last token ending at or before ce, then its trailing punctuation. */
        size_t lo = 0, hi = e->ntoks;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (e->cend[mid] <= ce)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && e->tend[lo - 1] > bs) {
            be = e->tend[lo - 1];
            for (int k = 0; k < 4 && be < e->scan_len; k++) {
                unsigned char c = (unsigned char)e->text[be];
                if (c >= 0x80 || is_space_byte(c) || (c >= '0' && c <= '9') ||
                    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
                    break;
                be++;
            }
        } else {
            /* No token fits (a text of one long word, or of symbols): cut characters. */
            be = bs + advance_chars(e->text + bs, e->scan_len - bs, W);
        }
        if (nm > 0 && be < e->tend[s->matches[best_l].t1])
            be = e->tend[s->matches[best_l].t1];
    }
    /* Trim whitespace at the cut ends. */
    while (bs < be && is_space_byte((unsigned char)e->text[bs]))
        bs++;
    while (be > bs && is_space_byte((unsigned char)e->text[be - 1]))
        be--;
    int lead = bs > 0, trail = be < e->text_len;

    /* 4. Copy, with "…" where text was left out; line breaks, tabs and NUL bytes become
     * spaces (same length, so the offsets hold), so the snippet is one C string. */
    size_t need = (lead ? ELLIPSIS_LEN : 0) + (be - bs) + (trail ? ELLIPSIS_LEN : 0);
    void *a = s->arena;
    if (grow(&a, &s->arena_cap, s->arena_len + need + 1, 1) != 0)
        return fail(s, SILK_ERR_NOMEM, -1, "out of memory");
    s->arena = a;
    char *dst = s->arena + s->arena_len;
    size_t o = 0;
    if (lead) {
        memcpy(dst, ELLIPSIS, ELLIPSIS_LEN);
        o += ELLIPSIS_LEN;
    }
    for (size_t i = bs; i < be; i++) {
        char c = e->text[i];
        dst[o++] = (c == '\n' || c == '\r' || c == '\t' || c == '\0') ? ' ' : c;
    }
    if (trail) {
        memcpy(dst + o, ELLIPSIS, ELLIPSIS_LEN);
        o += ELLIPSIS_LEN;
    }
    dst[o] = '\0';
    *off = s->arena_len;
    s->arena_len += o + 1;

    /* 5. Highlights: every match inside the snippet, as byte ranges into it. */
    size_t shift = lead ? ELLIPSIS_LEN : 0;
    for (size_t k = 0; k < nm; k++) {
        size_t hs = e->tstart[s->matches[k].t0], he = e->tend[s->matches[k].t1];
        if (hs < bs || he > be)
            continue;
        if (hl_put(s, (uint32_t)(hs - bs + shift), (uint32_t)(he - bs + shift)) != 0)
            return fail(s, SILK_ERR_NOMEM, -1, "out of memory");
        (*nhl)++;
    }
    return SILK_OK;
}

/* ---- the searcher -------------------------------------------------------------------------- */

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
    if (s->opts.k1 == 0 && s->opts.b == 0) {
        s->opts.k1 = SILK_BM25_K1_DEFAULT;
        s->opts.b = SILK_BM25_B_DEFAULT;
    }
    if (s->opts.title_weight == 0)
        s->opts.title_weight = SILK_TITLE_WEIGHT_DEFAULT;
    if (s->opts.section_weight == 0)
        s->opts.section_weight = SILK_SECTION_WEIGHT_DEFAULT;
    if (s->opts.phrase_boost == 0)
        s->opts.phrase_boost = SILK_PHRASE_BOOST_DEFAULT;
    if (s->opts.doc_cache_bytes == 0)
        s->opts.doc_cache_bytes = SILK_DOC_CACHE_BYTES_DEFAULT;
    /* A negative weight switches its boost off (the builder adds only positive ones). */
    if (s->opts.k1 < 0 || s->opts.b < 0 || s->opts.b > 1) {
        st = SILK_ERR_INVALID;
        goto fail;
    }
    if (s->opts.doc_cache_bytes > 0 && (s->cache = calloc(CACHE_SLOTS, sizeof *s->cache)) == NULL)
        goto fail;
    if ((st = silk_tokenizer_new(&s->tok)) != SILK_OK)
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
    cache_clear(s);
    free(s->cache);
    free(s->syn.h);
    silk_db_destroy(s->db);
    silk_tokenizer_destroy(s->tok);
    silk_stemmer_destroy(s->stemmer);
    free(s->path);
    free(s->hits);
    free(s->arena);
    free(s->hl);
    free(s->dym);
    free(s->explain);
    free(s->matches);
    free(s->idcount);
    free(s);
}

static silk_status_t ensure_open(silk_searcher_t *s)
{
    if (s->db != NULL)
        return SILK_OK;
    char *msg = NULL;
    silk_status_t st = silk_db_open(s->path, &s->opts.db_opts, &s->db, &msg);
    if (st == SILK_ERR_NOT_FOUND) {
        st = fail(s, st, -1, "no index at %s yet", s->path);
    } else if (st != SILK_OK) {
        st = fail(s, st, -1, "cannot open the index at %s: %s", s->path,
                  msg ? msg : silk_status_to_string(st));
    } else {
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
    if (st != SILK_OK)
        return fail_db(s, st);
    if (ch)
        revision_changed(s);
    if (changed != NULL)
        *changed = ch;
    return SILK_OK;
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
    uint64_t h = silk_qhash(k, len) | 1;
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
    }
    return 0;
}

static int has_synonyms(void *ud, const char *key, size_t len)
{
    silk_searcher_t *s = ud;
    synset_t *y = &s->syn;
    if (y->mask == 0)
        return 0;
    uint64_t h = silk_qhash(key, len) | 1;
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
        free(s->syn.h);
        memset(&s->syn, 0, sizeof s->syn);
        /* A moved or unreachable index fails the search; a backend without a synonym
         * table (an old remote server) only loses the synonyms. */
        if (st == SILK_ERR_MODIFIED || st == SILK_ERR_NETWORK || st == SILK_ERR_NOMEM)
            return fail_db(s, st);
    }
    s->syn.loaded = 1;
    return SILK_OK;
}

/* ---- did you mean -------------------------------------------------------------------------- */

typedef struct {
    size_t start, end; /* span of the word in the query */
    char *fix;         /* the suggestion (malloc'd) */
} fix_t;

typedef struct {
    fix_t f[SILK_QUERY_MAX_TERMS]; /* corrections in query order */
    size_t n;                      /* how many */
    size_t asked;                  /* spelling lookups made */
} fixes_t;

/* Collects a correction for every positive free-text word that the index does not know. */
static silk_status_t collect_fixes(silk_searcher_t *s, const silk_qnode_t *n, fixes_t *fx)
{
    silk_status_t st;
    if (n->type == SILK_QN_NOT)
        return SILK_OK;
    for (size_t i = 0; i < n->nkids; i++)
        if ((st = collect_fixes(s, n->kids[i], fx)) != SILK_OK)
            return st;
    /* A spelling lookup costs from tens of microseconds (English) to milliseconds (Persian
     * on a large index): a query gets a few. */
    if (n->type != SILK_QN_WORD || n->field != SILK_QF_BODY || n->quoted ||
        fx->asked >= DYM_MAX_LOOKUPS)
        return SILK_OK;
    /* A word of the synonym table (kcna) is known even when no text has it. */
    if (!s->syn.oom && has_synonyms(s, n->term, strlen(n->term)))
        return SILK_OK;
    char key[SILK_TERM_MAX + 2];
    snprintf(key, sizeof key, "%s%s", n->stem ? SILK_PREFIX_STEM : "", n->stem ? n->stem : n->term);
    uint64_t freq = 0;
    if ((st = silk_db_term_freq(s->db, key, &freq)) != SILK_OK)
        return fail_db(s, st);
    if (freq > 0)
        return SILK_OK;
    if (n->stem == NULL) { /* a Persian word is known when a suffixed form is */
        char variants[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF];
        size_t nv = 0;
        if ((st = silk_qword_variants(s->db, n->term, variants, &nv)) != SILK_OK)
            return fail_db(s, st);
        if (nv > 1)
            return SILK_OK;
    }
    char *fix = NULL;
    fx->asked++;
    if ((st = silk_db_spelling(s->db, n->term, 2, &fix)) != SILK_OK) {
        /* Without spelling data there is just no suggestion. */
        if (st == SILK_ERR_MODIFIED || st == SILK_ERR_NETWORK || st == SILK_ERR_NOMEM)
            return fail_db(s, st);
        return SILK_OK;
    }
    if (fix == NULL || *fix == '\0' || strcmp(fix, n->term) == 0) {
        free(fix);
        return SILK_OK;
    }
    fx->f[fx->n].start = n->start;
    fx->f[fx->n].end = n->end;
    fx->f[fx->n].fix = fix;
    fx->n++;
    return SILK_OK;
}

/* The query text with the corrections applied, in s->dym (NULL when there are none). */
static silk_status_t did_you_mean(silk_searcher_t *s, const silk_qast_t *ast, const char *q,
                                  size_t len)
{
    fixes_t fx = {.n = 0, .asked = 0};
    silk_status_t st = collect_fixes(s, silk_qast_root(ast), &fx);
    if (st == SILK_OK && fx.n > 0) {
        size_t need = len + 1;
        for (size_t i = 0; i < fx.n; i++)
            need += strlen(fx.f[i].fix);
        char *out = malloc(need), *o = out;
        if (out == NULL) {
            st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
        } else {
            size_t at = 0;
            /* collect_fixes visits kids in order, so the spans are increasing. */
            for (size_t i = 0; i < fx.n; i++) {
                memcpy(o, q + at, fx.f[i].start - at);
                o += fx.f[i].start - at;
                size_t fl = strlen(fx.f[i].fix);
                memcpy(o, fx.f[i].fix, fl);
                o += fl;
                at = fx.f[i].end;
            }
            memcpy(o, q + at, len - at);
            o += len - at;
            *o = '\0';
            free(s->dym);
            s->dym = out;
        }
    }
    for (size_t i = 0; i < fx.n; i++)
        free(fx.f[i].fix);
    return st;
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

static silk_status_t build_and_run(silk_searcher_t *s, const silk_qast_t *ast, silk_mode_t mode,
                                   int relaxed, const silk_search_req_t *req, silk_qbuilt_t **built,
                                   silk_mset_t **mset)
{
    silk_qbuild_opts_t bo;
    silk_qerror_t qe;
    silk_qbuild_opts_init(&bo);
    bo.mode = mode;
    bo.relaxed = relaxed;
    bo.title_weight = s->opts.title_weight;
    bo.section_weight = s->opts.section_weight;
    bo.phrase_boost = s->opts.phrase_boost;
    if (!s->syn.oom) {
        bo.has_synonyms = has_synonyms;
        bo.syn_ud = s;
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
    so.k1 = s->opts.k1;
    so.b = s->opts.b;
    so.offset = req->offset;
    so.limit = req->limit;
    so.check_at_least = req->offset + req->limit + EXACT_EXTRA;
    st = silk_db_search(s->db, silk_qbuilt_query(*built), &so, mset);
    if (st == SILK_ERR_TOO_BROAD) {
        long pos = silk_qbuilt_prefix_pos(*built);
        return fail(s, st, pos, "a prefix is too broad (matches more than %d terms)",
                    SILK_WILDCARD_MAX);
    }
    if (st != SILK_OK)
        return fail_db(s, st);
    return SILK_OK;
}

static silk_status_t search_once(silk_searcher_t *s, const silk_search_req_t *req,
                                 const silk_qast_t *ast)
{
    silk_qbuilt_t *built = NULL;
    silk_mset_t *m = NULL;
    hitoff_t *off = NULL;
    silk_status_t st;
    int relaxed = 0;

    s->arena_len = 0;
    s->hl_len = 0;
    if (s->arena_cap > ARENA_KEEP) {
        /* One page of 1000 large documents should not pin its memory for good. */
        free(s->arena);
        s->arena = NULL;
        s->arena_cap = 0;
    }
    free(s->dym);
    s->dym = NULL;
    if ((st = load_synonyms(s)) != SILK_OK)
        return st;
    if ((st = build_and_run(s, ast, req->mode, 0, req, &built, &m)) != SILK_OK)
        goto done;
    if (req->mode == SILK_MODE_ALL && silk_mset_upper_bound(m) == 0 && silk_qast_is_plain(ast)) {
        /* Nothing has every word: rank the documents that have some of them. */
        silk_mset_destroy(m);
        silk_qbuilt_destroy(built);
        if ((st = build_and_run(s, ast, SILK_MODE_ANY, 1, req, &built, &m)) != SILK_OK)
            goto done;
        relaxed = 1;
    }

    size_t n = silk_mset_size(m);
    if (n > s->hits_cap) {
        silk_hit_t *h = realloc(s->hits, n * sizeof *h);
        if (h == NULL) {
            st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
            goto done;
        }
        s->hits = h;
        s->hits_cap = n;
    }
    if (n > 0 && (off = calloc(n, sizeof *off)) == NULL) {
        st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
        goto done;
    }
    const silk_qmatch_t *qm = silk_qbuilt_match(built);
    for (size_t i = 0; i < n; i++) {
        docent_t *e = NULL;
        if ((st = doc_get(s, m, i, req->snippets, &e)) != SILK_OK)
            goto done;
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
        if (req->snippets) {
            if ((st = snippet(s, e, qm, &o->snippet, &o->hl0, &o->nhl)) != SILK_OK)
                goto done;
        } else {
            o->snippet = o->section + strlen(e->section); /* the section's NUL: "" */
            o->hl0 = s->hl_len;
        }
        s->hits[i].rank = silk_mset_rank(m, i) + 1;
        s->hits[i].score = silk_mset_weight(m, i);
    }
    /* Spelling help is for keyword queries, or when a longer question found less than a
     * page: each word costs a term lookup, and an absent one a spelling search. */
    if ((silk_qast_term_count(ast) <= SILK_KEYWORD_QUERY_MAX_TERMS ||
         silk_mset_upper_bound(m) < req->offset + req->limit) &&
        (st = did_you_mean(s, ast, req->q, req->q_len)) != SILK_OK)
        goto done;

    /* The arena stopped moving: turn offsets into pointers. */
    for (size_t i = 0; i < n; i++) {
        silk_hit_t *h = &s->hits[i];
        h->id = s->arena + off[i].id;
        h->kind = s->arena + off[i].kind;
        h->article = s->arena + off[i].article;
        h->section = s->arena + off[i].section;
        h->snippet = s->arena + off[i].snippet;
        h->data = s->arena + off[i].data;
        h->data_len = off[i].data_len;
        h->highlights = off[i].nhl ? s->hl + off[i].hl0 : NULL;
        h->nhighlights = off[i].nhl;
    }
    uint64_t lo = silk_mset_lower_bound(m), hi = silk_mset_upper_bound(m);
    s->res.exact = lo == hi;
    s->res.total = lo == hi ? lo : silk_mset_estimated(m);
    s->res.relaxed = relaxed;
    s->res.did_you_mean = s->dym;
    s->res.nhits = n;
    s->res.hits = s->hits;
done:
    free(off);
    silk_mset_destroy(m);
    silk_qbuilt_destroy(built);
    return st;
}

/* A remote shard's failure faster than this (a closed connection, a refused connect) is
 * retried once after a reopen; a slower one (a timeout) is not. */
#define NETWORK_RETRY_WITHIN_US 500000

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
    if ((st = silk_qparse(s->tok, req->q ? req->q : "", req->q_len, &ast, &qe)) != SILK_OK)
        return fail(s, st, qe.pos, "%s", qe.msg);
    if ((st = ensure_open(s)) != SILK_OK)
        goto done;
    memset(&s->res, 0, sizeof s->res);
    st = search_once(s, req, ast);
    if (st == SILK_ERR_MODIFIED ||
        (st == SILK_ERR_NETWORK && now_us() - t0 < NETWORK_RETRY_WITHIN_US)) {
        /* The index moved on under the reader: reopen at the new revision, once. A remote
         * shard's connection that broke (the shard restarted, or was down) stays broken
         * until a reopen connects again, so that is tried once too; a shard still down
         * fails the reopen and the error stands. Not after a slow failure (a timeout):
         * the answer would take the timeout twice. */
        int changed = 0;
        if (silk_db_reopen(s->db, &changed) == SILK_OK) {
            revision_changed(s);
            memset(&s->res, 0, sizeof s->res);
            st = search_once(s, req, ast);
        }
    }
    if (st != SILK_OK)
        goto done;
    free(s->explain);
    s->explain = NULL;
    if (req->explain && (s->explain = silk_qast_print(ast)) == NULL) {
        st = fail(s, SILK_ERR_NOMEM, -1, "out of memory");
        goto done;
    }
    s->res.explain = s->explain;
    s->res.took_us = now_us() - t0;
    *out = &s->res;
done:
    silk_qast_destroy(ast);
    return st;
}
