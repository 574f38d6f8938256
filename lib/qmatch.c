/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the highlight matcher (include/silk/qmatch.h): the positive free-text terms of a
 * query, indexed by hash, matched against document tokens.
 */
#include "silk/qmatch.h"

#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"
#include "silk/hash.h"

uint64_t silk_qhash(const char *s, size_t len)
{
    return silk_hash(s, len);
}

uint64_t silk_qhash_stem(const char *stem, size_t len)
{
    return silk_hash_add(silk_hash("Z", 1), stem, len);
}

typedef enum { M_TERM, M_STEM, M_PREFIX, M_PHRASE, M_PIECE } mtype_t;

typedef struct {
    mtype_t type; /* how it matches */
    int id;       /* the query word it stands for */
    uint64_t h;   /* M_TERM, M_PIECE: hash of the term; M_STEM: hash of "Z"+stem */
    char *s;      /* M_TERM, M_PIECE, M_PREFIX: the term or prefix */
    size_t slen;  /* its length */
    uint64_t *ph; /* M_PHRASE: hashes of the terms in order */
    size_t nph;   /* M_PHRASE: number of terms */
} mentry_t;

struct silk_qmatch {
    mentry_t *e;       /* entries */
    size_t n;          /* used */
    size_t cap;        /* allocated */
    int nids;          /* distinct ids */
    uint32_t *tab;     /* open addressing by hash: entry index + 1 of terms, stems, phrases */
    size_t mask;       /* table size - 1 (0: no table, scan the entries) */
    uint32_t *pre;     /* indices of the prefix entries */
    size_t npre;       /* how many */
    uint64_t bits[64]; /* 4096-bit filter of the keys in tab: most tokens match nothing */
};

silk_qmatch_t *silk_qmatch_new(void)
{
    return calloc(1, sizeof(silk_qmatch_t));
}

void silk_qmatch_destroy(silk_qmatch_t *m)
{
    if (m == NULL)
        return;
    free(m->tab);
    free(m->pre);
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].s);
        free(m->e[i].ph);
    }
    free(m->e);
    free(m);
}

int silk_qmatch_new_id(silk_qmatch_t *m)
{
    return m->nids++;
}

size_t silk_qmatch_ids(const silk_qmatch_t *m)
{
    return (size_t)m->nids;
}

/* ---- entries ------------------------------------------------------------------------------- */

/* A new zeroed entry at the end (NULL when out of memory). */
static mentry_t *add_entry(silk_qmatch_t *m, mtype_t type, int id)
{
    if (SILK_GROW(m->e, m->cap, m->n + 1) != SILK_OK)
        return NULL;
    mentry_t *e = &m->e[m->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->id = id;
    return e;
}

static silk_status_t add_str(silk_qmatch_t *m, mtype_t type, int id, const char *s)
{
    mentry_t *e = add_entry(m, type, id);
    if (e == NULL)
        return SILK_ERR_NOMEM;
    e->slen = strlen(s);
    e->s = strdup(s);
    e->h = type == M_STEM ? silk_qhash_stem(s, e->slen) : silk_qhash(s, e->slen);
    if (e->s == NULL) {
        m->n--;
        return SILK_ERR_NOMEM;
    }
    return SILK_OK;
}

silk_status_t silk_qmatch_add_term(silk_qmatch_t *m, int id, const char *term)
{
    return add_str(m, M_TERM, id, term);
}

silk_status_t silk_qmatch_add_piece(silk_qmatch_t *m, int id, const char *term)
{
    return add_str(m, M_PIECE, id, term);
}

silk_status_t silk_qmatch_add_stem(silk_qmatch_t *m, int id, const char *stem)
{
    return add_str(m, M_STEM, id, stem);
}

silk_status_t silk_qmatch_add_prefix(silk_qmatch_t *m, int id, const char *prefix)
{
    return add_str(m, M_PREFIX, id, prefix);
}

silk_status_t silk_qmatch_add_phrase(silk_qmatch_t *m, int id, char *const *terms, size_t n)
{
    mentry_t *e = add_entry(m, M_PHRASE, id);
    if (e == NULL)
        return SILK_ERR_NOMEM;
    e->ph = malloc(n * sizeof *e->ph);
    if (e->ph == NULL) {
        m->n--;
        return SILK_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        e->ph[i] = silk_qhash(terms[i], strlen(terms[i]));
    e->nph = n;
    return SILK_OK;
}

/* ---- the index ----------------------------------------------------------------------------- */

/* The hash an entry is found by: its term's or stem's, or its phrase's first term's. */
static uint64_t entry_key(const mentry_t *e)
{
    return e->type == M_PHRASE ? e->ph[0] : e->h;
}

/* Whether key may be in the table (no false negatives). */
static int maybe_has(const silk_qmatch_t *m, uint64_t key)
{
    return (m->bits[(key >> 12) & 63] & (1ULL << ((key >> 18) & 63))) != 0;
}

void silk_qmatch_finish(silk_qmatch_t *m)
{
    size_t size = 16;
    while (size < 2 * m->n)
        size *= 2;
    m->tab = calloc(size, sizeof *m->tab);
    m->pre = malloc((m->n ? m->n : 1) * sizeof *m->pre);
    if (m->tab == NULL || m->pre == NULL) {
        free(m->tab);
        free(m->pre);
        m->tab = m->pre = NULL;
        return;
    }
    m->mask = size - 1;
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].type == M_PREFIX) {
            m->pre[m->npre++] = (uint32_t)i;
            continue;
        }
        uint64_t key = entry_key(&m->e[i]);
        m->bits[(key >> 12) & 63] |= 1ULL << ((key >> 18) & 63);
        size_t slot = key & m->mask;
        while (m->tab[slot] != 0)
            slot = (slot + 1) & m->mask;
        m->tab[slot] = (uint32_t)i + 1;
    }
}

/* ---- matching ------------------------------------------------------------------------------ */

static int term_is(const silk_qtok_t *t, const mentry_t *e)
{
    return t->h_term == e->h && t->len == e->slen && memcmp(t->term, e->s, e->slen) == 0;
}

/* Whether toks[i] and toks[i + 1] are two bigrams of one word: consecutive positions, and
 * the last character of the first is the first of the second. */
static int same_word(const silk_qtok_t *toks, size_t i)
{
    const silk_qtok_t *a = &toks[i], *b = &toks[i + 1];
    if (b->pos != a->pos + 1 || a->len == 0 || b->len == 0)
        return 0;
    size_t k = a->len; /* start of a's last character */
    while (k > 0 && ((unsigned char)a->term[k - 1] & 0xC0) == 0x80)
        k--;
    k = k > 0 ? k - 1 : 0;
    size_t cl = a->len - k;
    return cl > 1 && cl <= b->len && memcmp(a->term + k, b->term, cl) == 0;
}

static int piece_at(const silk_qmatch_t *m, int id, const silk_qtok_t *t)
{
    for (size_t k = 0; k < m->n; k++)
        if (m->e[k].type == M_PIECE && m->e[k].id == id && term_is(t, &m->e[k]))
            return 1;
    return 0;
}

/* Whether a piece matching toks[i] may be highlighted: the document word is that piece
 * alone, or holds another piece of the same query word beside it. */
static int piece_ok(const silk_qmatch_t *m, const mentry_t *e, const silk_qtok_t *toks, size_t n,
                    size_t i)
{
    int before = i > 0 && same_word(toks, i - 1), after = i + 1 < n && same_word(toks, i);
    if (!before && !after)
        return 1;
    return (before && piece_at(m, e->id, &toks[i - 1])) ||
           (after && piece_at(m, e->id, &toks[i + 1]));
}

/* How many tokens from toks[i] entry e matches (0: none). */
static size_t entry_match(const silk_qmatch_t *m, const mentry_t *e, const silk_qtok_t *toks,
                          size_t n, size_t i)
{
    const silk_qtok_t *t = &toks[i];
    switch (e->type) {
    case M_TERM:
        return term_is(t, e);
    case M_PIECE:
        return term_is(t, e) && piece_ok(m, e, toks, n, i);
    case M_STEM: {
        if (t->h_stem == 0 || t->h_stem != e->h)
            return 0;
        /* A Korean stem comes on a word's first bigram: the match covers the whole
         * inflected word, its other bigrams too (대통령은 for 대통령이). */
        size_t k = 1;
        while (i + k < n && same_word(toks, i + k - 1))
            k++;
        return k;
    }
    case M_PREFIX:
        return t->len >= e->slen && memcmp(t->term, e->s, e->slen) == 0;
    case M_PHRASE:
        if (i + e->nph > n || t->h_term != e->ph[0])
            return 0;
        for (size_t j = 1; j < e->nph; j++)
            if (toks[i + j].h_term != e->ph[j] || toks[i + j].pos != t->pos + j)
                return 0;
        return e->nph;
    }
    return 0;
}

/* The longest match so far: entry e is tried against toks[i]. */
typedef struct {
    int id;   /* its query word, -1 while none */
    size_t n; /* tokens it covers */
} best_t;

static void try_entry(best_t *b, const silk_qmatch_t *m, const mentry_t *e, const silk_qtok_t *toks,
                      size_t n, size_t i)
{
    size_t got = entry_match(m, e, toks, n, i);
    if (got > b->n) {
        b->n = got;
        b->id = e->id;
    }
}

int silk_qmatch_at(const silk_qmatch_t *m, const silk_qtok_t *toks, size_t n, size_t i,
                   size_t *ntoks)
{
    best_t b = {.id = -1, .n = 0};
    if (m->tab == NULL) { /* no index (it could not be allocated): scan */
        for (size_t k = 0; k < m->n; k++)
            try_entry(&b, m, &m->e[k], toks, n, i);
        *ntoks = b.n;
        return b.id;
    }
    uint64_t keys[2] = {toks[i].h_term, toks[i].h_stem};
    for (int k = 0; k < 2; k++) {
        if (keys[k] == 0 || (k == 1 && keys[1] == keys[0]) || !maybe_has(m, keys[k]))
            continue;
        for (size_t slot = keys[k] & m->mask; m->tab[slot] != 0; slot = (slot + 1) & m->mask) {
            const mentry_t *e = &m->e[m->tab[slot] - 1];
            if (entry_key(e) == keys[k])
                try_entry(&b, m, e, toks, n, i);
        }
    }
    for (size_t k = 0; k < m->npre; k++)
        try_entry(&b, m, &m->e[m->pre[k]], toks, n, i);
    *ntoks = b.n;
    return b.id;
}
