/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the two string containers of the writer: a string-keyed map (open
 * addressing, keys copied, values not owned) and a growable list of owned strings.
 *
 * The map never deletes a key (a value is cleared instead): it serves one run, in which
 * keys (paths, document ids, words) only come. Its hash is silk_hash() (FNV-1a 64).
 * Neither frees a string alone, so both keep their strings in an arena (strutil.h) rather
 * than one malloc each: a million document ids of a dozen bytes take 13 MB there, not 32 MB
 * of malloc chunks.
 */
#ifndef SILK_INDEXER_STRMAP_H
#define SILK_INDEXER_STRMAP_H

#include <stddef.h>

#include "strutil.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One slot of a map: key NULL when empty. */
typedef struct {
    char *key; /* copy of the key (in the map's arena) */
    void *val; /* the value (not owned) */
} silk_strmap_slot_t;

/* A map; zero-initialized ({0}) it is empty and ready. */
typedef struct {
    silk_strmap_slot_t *slots; /* cap slots; walk them (key != NULL) to visit every entry */
    size_t cap;                /* a power of two, or 0 */
    size_t n;                  /* keys held */
    silk_arena_t keys;         /* where the keys are */
} silk_strmap_t;

/* The value of key, NULL when absent (or when its value is NULL). */
void *silk_strmap_get(const silk_strmap_t *m, const char *key);

/* The slot of key, created with val NULL when absent; NULL when out of memory. The slot
 * stays valid until the next put. */
silk_strmap_slot_t *silk_strmap_put(silk_strmap_t *m, const char *key);

/* Frees the keys and the slots (not the values); m is empty again. */
void silk_strmap_free(silk_strmap_t *m);

/* A list of owned strings; zero-initialized ({0}) it is empty and ready. */
typedef struct {
    char **v;          /* n strings (in the list's arena: never free one) */
    size_t n;          /* used */
    size_t cap;        /* allocated */
    silk_arena_t strs; /* where the strings are */
} silk_strlist_t;

/* Appends a copy of s. 0, or -1 when out of memory (the list is unchanged). */
int silk_strlist_push(silk_strlist_t *a, const char *s);

/* Appends a copy of the n bytes at s. 0, or -1. */
int silk_strlist_pushn(silk_strlist_t *a, const char *s, size_t n);

/* Frees the strings and the array; a is empty again. */
void silk_strlist_free(silk_strlist_t *a);

#ifdef __cplusplus
}
#endif

#endif
