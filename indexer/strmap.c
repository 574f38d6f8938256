/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — a string-keyed map and a string list. See strmap.h. */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"
#include "silk/hash.h"

#define MAP_FIRST 256 /* slots of a map's first table */

static silk_strmap_slot_t *map_slot(const silk_strmap_t *m, const char *key)
{
    size_t h = (size_t)silk_hash(key, strlen(key)) & (m->cap - 1);
    while (m->slots[h].key && strcmp(m->slots[h].key, key) != 0)
        h = (h + 1) & (m->cap - 1);
    return &m->slots[h];
}

void *silk_strmap_get(const silk_strmap_t *m, const char *key)
{
    if (!m->cap)
        return NULL;
    silk_strmap_slot_t *s = map_slot(m, key);
    return s->key ? s->val : NULL;
}

silk_strmap_slot_t *silk_strmap_put(silk_strmap_t *m, const char *key)
{
    /* At most half full, so that probes stay short. */
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : MAP_FIRST;
        if (cap < m->cap)
            return NULL;
        silk_strmap_slot_t *v = calloc(cap, sizeof *v);
        if (!v)
            return NULL;
        silk_strmap_t nm = {v, cap, m->n, m->keys};
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *map_slot(&nm, m->slots[i].key) = m->slots[i];
        free(m->slots);
        *m = nm;
    }
    silk_strmap_slot_t *s = map_slot(m, key);
    if (!s->key) {
        if (!(s->key = silk_arena_dup(&m->keys, key, strlen(key))))
            return NULL;
        s->val = NULL;
        m->n++;
    }
    return s;
}

void silk_strmap_free(silk_strmap_t *m)
{
    silk_arena_free(&m->keys);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

int silk_strlist_pushn(silk_strlist_t *a, const char *s, size_t n)
{
    if (SILK_GROW(a->v, a->cap, a->n + 1) != SILK_OK)
        return -1;
    const char *z = memchr(s, '\0', n);
    if (!(a->v[a->n] = silk_arena_dup(&a->strs, s, z ? (size_t)(z - s) : n)))
        return -1;
    a->n++;
    return 0;
}

int silk_strlist_push(silk_strlist_t *a, const char *s)
{
    return silk_strlist_pushn(a, s, strlen(s));
}

void silk_strlist_free(silk_strlist_t *a)
{
    silk_arena_free(&a->strs);
    free(a->v);
    memset(a, 0, sizeof *a);
}
