/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — a small cache in front of the Snowball stemmer.
 *
 * Words follow Zipf's law, so a direct-mapped cache of a few thousand recent words answers
 * most stem lookups without a call into Snowball (through the C++ wrapper). The cache is
 * transparent: a word gets the same stem with or without it. It belongs to one tokenizer,
 * so it needs no lock.
 */
#ifndef SILK_STEMCACHE_H
#define SILK_STEMCACHE_H

#include <stddef.h>

#include "silk/db.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Words (and stems) longer than this many bytes are stemmed each time, never cached. */
#define SILK_STEM_CACHE_WORD_MAX 64

typedef struct silk_stem_cache silk_stem_cache_t;

/* A new, empty cache; free it with silk_stem_cache_destroy(). SILK_ERR_NOMEM when memory
 * runs out, SILK_ERR_INVALID when out is NULL. */
silk_status_t silk_stem_cache_new(silk_stem_cache_t **out);

/* Frees c; NULL is a no-op. */
void silk_stem_cache_destroy(silk_stem_cache_t *c);

/* Forgets every cached stem: call it when the stemmer changes (a new stemmer may sit at
 * the address of a freed one). NULL is a no-op. */
void silk_stem_cache_clear(silk_stem_cache_t *c);

/* The stem of word[0..len) by st. c may be NULL: then every word goes to st. On a hit,
 * *stem points into the cache; otherwise st stems the word into buf[cap] (which the caller
 * owns), *stem points to buf, and the stem is remembered when it is short enough. *stem is
 * NUL-terminated, *stem_len its length, and it stays valid until the next call on c (or
 * until buf is reused). A failure of st (SILK_ERR_TOO_LARGE when buf is too small) is
 * returned as it is. */
silk_status_t silk_stem_cache_stem(silk_stem_cache_t *c, silk_stemmer_t *st, const char *word,
                                   size_t len, char *buf, size_t cap, const char **stem,
                                   size_t *stem_len);

#ifdef __cplusplus
}
#endif

#endif
