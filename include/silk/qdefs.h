/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the vocabulary the query modules and the searcher share: the bounds of one query
 * and the search mode.
 *
 * These were first written in search.h, which still offers them (it includes this file);
 * they live here so that the parser and the builder (qparse.h, qbuild.h) need not include
 * the searcher that calls them. Header only: there is no qdefs.c.
 */
#ifndef SILK_QDEFS_H
#define SILK_QDEFS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds of one query (DESIGN.md: every cost is bounded). */
#define SILK_QUERY_MAX_BYTES 4096 /* bytes of query text */
#define SILK_QUERY_MAX_DEPTH 32   /* nested parentheses */
#define SILK_QUERY_MAX_TERMS 64   /* leaf terms (words, phrase words, filters) */
#define SILK_WILDCARD_MAX    1000 /* terms one prefix may expand to */

typedef enum {
    SILK_MODE_ALL = 0, /* every word (AND); retried as OR when nothing matches (relaxed) */
    SILK_MODE_ANY,     /* any word (OR), ranked (rank.h) */
} silk_mode_t;

#ifdef __cplusplus
}
#endif

#endif
