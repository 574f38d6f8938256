/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — facet counts of a search (include/silk/facets.h): the counts of Xapian's
 * ValueCountMatchSpy objects (through db.h), ordered, cut and copied into one store. */
#include "silk/facets.h"

#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"
#include "silk/db.h"

void silk_facets_reset(silk_facets_t *f)
{
    f->n = 0;
    f->nvalues = 0;
    f->strs_len = 0;
}

void silk_facets_free(silk_facets_t *f)
{
    free(f->values);
    free(f->offs);
    free(f->strs);
    memset(f, 0, sizeof *f);
}

/* One candidate value while sorting: index into the caller's arrays. */
typedef struct {
    const char *v;
    size_t len;
    uint64_t count;
} cand_t;

/* Count descending, then value in byte order (a shorter prefix first). */
static int cand_cmp(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->v, y->v, n);
    if (c != 0)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

silk_status_t silk_facets_add(silk_facets_t *f, int id, const char *const *vals, const size_t *lens,
                              const uint64_t *counts, size_t nvals, uint32_t limit)
{
    if (id < 0 || id >= SILK_FACET_COUNT || f->n >= SILK_FACET_COUNT ||
        (nvals > 0 && (vals == NULL || lens == NULL || counts == NULL)))
        return SILK_ERR_INVALID;
    if (limit == 0)
        limit = SILK_FACET_LIMIT_DEFAULT;
    if (limit > SILK_FACET_LIMIT_MAX)
        limit = SILK_FACET_LIMIT_MAX;
    cand_t *c = nvals ? malloc(nvals * sizeof *c) : NULL;
    if (nvals && c == NULL)
        return SILK_ERR_NOMEM;
    for (size_t i = 0; i < nvals; i++)
        c[i] = (cand_t){vals[i], lens[i], counts[i]};
    if (nvals > 1)
        qsort(c, nvals, sizeof *c, cand_cmp);
    size_t keep = nvals < limit ? nvals : limit, bytes = 0;
    for (size_t i = 0; i < keep; i++)
        bytes += c[i].len + 1;
    if (SILK_GROW(f->values, f->values_cap, f->nvalues + keep) != SILK_OK ||
        SILK_GROW(f->strs, f->strs_cap, f->strs_len + bytes) != SILK_OK) {
        free(c);
        return SILK_ERR_NOMEM;
    }
    /* strs may have moved: offsets are kept beside the values, pointers made again. */
    if (SILK_GROW(f->offs, f->offs_cap, f->nvalues + keep) != SILK_OK) {
        free(c);
        return SILK_ERR_NOMEM;
    }
    for (size_t i = 0; i < keep; i++) {
        memcpy(f->strs + f->strs_len, c[i].v, c[i].len);
        f->strs[f->strs_len + c[i].len] = '\0';
        f->offs[f->nvalues] = f->strs_len;
        f->values[f->nvalues].count = c[i].count;
        f->nvalues++;
        f->strs_len += c[i].len + 1;
    }
    free(c);
    silk_facet_t *fa = &f->facets[f->n++];
    fa->name = silk_facet_name(id);
    fa->nvalues = keep;
    fa->distinct = nvals;
    size_t at = 0;
    for (size_t k = 0; k < f->n; k++) {
        f->facets[k].values = f->values + at;
        at += f->facets[k].nvalues;
    }
    for (size_t i = 0; i < f->nvalues; i++)
        f->values[i].value = f->strs + f->offs[i];
    return SILK_OK;
}

size_t silk_facets_slots(const silk_facet_req_t *req, unsigned slots[SILK_FACET_COUNT])
{
    size_t n = req->n < SILK_FACET_COUNT ? req->n : SILK_FACET_COUNT;
    for (size_t i = 0; i < n; i++)
        slots[i] = silk_facet_slot(req->ids[i]);
    return n;
}

/* The counts of one slot as they come from the database. */
typedef struct {
    char **v;
    size_t *len;
    uint64_t *count;
    size_t n, cap;
    int oom;
} counts_t;

static int count_cb(const char *value, size_t len, uint64_t count, void *ud)
{
    counts_t *c = ud;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        char **v = realloc(c->v, cap * sizeof *v);
        if (v)
            c->v = v;
        size_t *l = v ? realloc(c->len, cap * sizeof *l) : NULL;
        if (l)
            c->len = l;
        uint64_t *k = l ? realloc(c->count, cap * sizeof *k) : NULL;
        if (!k) {
            c->oom = 1;
            return 1;
        }
        c->count = k;
        c->cap = cap;
    }
    char *d = malloc(len + 1);
    if (!d) {
        c->oom = 1;
        return 1;
    }
    memcpy(d, value, len);
    d[len] = '\0';
    c->v[c->n] = d;
    c->len[c->n] = len;
    c->count[c->n] = count;
    c->n++;
    return 0;
}

static void counts_free(counts_t *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
    free(c->len);
    free(c->count);
    memset(c, 0, sizeof *c);
}

silk_status_t silk_facets_from_mset(silk_facets_t *f, struct silk_mset *m,
                                    const silk_facet_req_t *req)
{
    silk_facets_reset(f);
    for (size_t k = 0; k < req->n && k < SILK_FACET_COUNT; k++) {
        counts_t c = {0};
        int id = req->ids[k];
        silk_status_t st = silk_mset_value_counts(m, k, id == SILK_FACET_YEAR, count_cb, &c);
        if (st == SILK_OK && c.oom)
            st = SILK_ERR_NOMEM;
        if (st == SILK_OK)
            st = silk_facets_add(f, id, (const char *const *)c.v, c.len, c.count, c.n, req->limit);
        counts_free(&c);
        if (st != SILK_OK)
            return st;
    }
    return SILK_OK;
}
