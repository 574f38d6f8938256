/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — facet counts: how many of a search's matches have each kind, year, article and
 * section (docs/protocol.md, "facets").
 *
 * The vocabulary (names, value slots, bounds) is inline here, so the protocol decoder (which
 * the static client links without Xapian) can validate a request's facet names. The counts
 * themselves (lib/facets.c) are read from the Xapian ValueCountMatchSpy objects of a search
 * (db.h) and kept, copied and ordered, in a silk_facets_t.
 *
 * Counts cover every match of the query, not only the page: a search that asks for facets
 * makes Xapian look at all of its matches. Each list is sorted by count (highest first),
 * then by value (byte order), and cut to the request's facet_limit.
 */
#ifndef SILK_FACETS_H
#define SILK_FACETS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "silk/schema.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SILK_FACET_KIND = 0,
    SILK_FACET_YEAR = 1,
    SILK_FACET_ARTICLE = 2,
    SILK_FACET_SECTION = 3,
    SILK_FACET_COUNT /* sentinel: the number of facets */
} silk_facet_id_t;

#define SILK_FACET_NAMES         "kind, year, article, section"
#define SILK_FACET_LIMIT_DEFAULT 20  /* values per facet when the request does not say */
#define SILK_FACET_LIMIT_MAX     100 /* the most values per facet a request may ask for */

/* The wire name of a facet ("kind"); "" for an id out of range. */
static inline const char *silk_facet_name(int id)
{
    static const char *const names[SILK_FACET_COUNT] = {"kind", "year", "article", "section"};
    return id >= 0 && id < SILK_FACET_COUNT ? names[id] : "";
}

/* The facet named s[0, n), or -1 when there is none of that name. */
static inline int silk_facet_parse(const char *s, size_t n)
{
    for (int i = 0; i < SILK_FACET_COUNT; i++)
        if (strlen(silk_facet_name(i)) == n && memcmp(silk_facet_name(i), s, n) == 0)
            return i;
    return -1;
}

/* The value slot a facet is counted over (schema.h). */
static inline unsigned silk_facet_slot(int id)
{
    static const unsigned slots[SILK_FACET_COUNT] = {SILK_SLOT_KIND, SILK_SLOT_YEAR,
                                                     SILK_SLOT_ARTICLE, SILK_SLOT_SECTION};
    return id >= 0 && id < SILK_FACET_COUNT ? slots[id] : 0;
}

/* The facets a search asks for, in the order asked (no facet twice). */
typedef struct {
    uint8_t ids[SILK_FACET_COUNT]; /* silk_facet_id_t values */
    size_t n;                      /* how many (0: no facets) */
    uint32_t limit;                /* values per facet, 1..SILK_FACET_LIMIT_MAX (0: default) */
} silk_facet_req_t;

/* One value of a facet and how many matches have it. */
typedef struct {
    const char *value; /* NUL-terminated UTF-8 (a year as its decimal digits) */
    uint64_t count;    /* matches with this value */
} silk_facet_value_t;

/* The counts of one facet. */
typedef struct {
    const char *name;                 /* "kind", "year", ... */
    size_t nvalues;                   /* values listed (at most the request's limit) */
    const silk_facet_value_t *values; /* sorted by count, highest first, then by value */
    uint64_t distinct;                /* distinct values among the matches (>= nvalues) */
} silk_facet_t;

/* The facet counts of one search, owned here (lib/facets.c). Zero-initialise it; reuse it
 * across searches; free it with silk_facets_free(). */
typedef struct {
    silk_facet_t facets[SILK_FACET_COUNT]; /* n of them, in the request's order */
    size_t n;
    silk_facet_value_t *values; /* every listed value of every facet, one array */
    size_t nvalues, values_cap;
    size_t *offs; /* offsets of the values' text in strs */
    size_t offs_cap;
    char *strs; /* the values' text, one block */
    size_t strs_len, strs_cap;
} silk_facets_t;

void silk_facets_reset(silk_facets_t *f);
void silk_facets_free(silk_facets_t *f);

/* Adds facet `id` to f from its counts: nvals (value, count) pairs in any order, value i
 * being vals[i] (lens[i] bytes, copied). Keeps the `limit` (0: the default) best by count,
 * then value. SILK_ERR_NOMEM when out of memory (f then holds the facets added before). */
silk_status_t silk_facets_add(silk_facets_t *f, int id, const char *const *vals, const size_t *lens,
                              const uint64_t *counts, size_t nvals, uint32_t limit);

/* The value slots a search must count for `req` (db.h silk_search_extra_t): slots[i] for
 * req->ids[i]; returns req->n. */
size_t silk_facets_slots(const silk_facet_req_t *req, unsigned slots[SILK_FACET_COUNT]);

struct silk_mset;
/* Fills f (reset first) with the counts of the search m, which ran with the slots of
 * silk_facets_slots(req). A year is listed as its decimal digits. */
silk_status_t silk_facets_from_mset(silk_facets_t *f, struct silk_mset *m,
                                    const silk_facet_req_t *req);

#ifdef __cplusplus
}
#endif

#endif
