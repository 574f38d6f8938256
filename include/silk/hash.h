/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the one hash: 64-bit FNV-1a.
 *
 * Used where a stable, cheap, well-spread hash of a short string is needed: the content
 * hash of a corpus file stored in the index metadata, the shard a file goes to, the
 * open-addressing tables of the indexer, the stem cache. Its value is part of the index
 * format (metadata and shard placement), so it must never change.
 */
#ifndef SILK_HASH_H
#define SILK_HASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_FNV_OFFSET 14695981039346656037ull
#define SILK_FNV_PRIME  1099511628211ull

/* Folds n bytes into a running hash h (start with SILK_FNV_OFFSET). */
static inline uint64_t silk_hash_add(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= SILK_FNV_PRIME;
    }
    return h;
}

/* FNV-1a 64 of n bytes. */
static inline uint64_t silk_hash(const void *data, size_t n)
{
    return silk_hash_add(SILK_FNV_OFFSET, data, n);
}

#ifdef __cplusplus
}
#endif

#endif
