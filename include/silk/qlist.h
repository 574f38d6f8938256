/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the query builder's small containers: an owned list of Xapian queries combined
 * in one step, and a bounded list of strings collected from the index (the terms of an
 * expansion, the members of a synonym group), with the few query shapes built from them.
 *
 * Internal to the query modules (qbuild.c, typo.c): every function here either takes
 * ownership as its comment says or leaves everything to the caller.
 */
#ifndef SILK_QLIST_H
#define SILK_QLIST_H

#include <stddef.h>

#include "silk/db.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A small owned array of queries, destroyed together. */
typedef struct {
    silk_query_t **q; /* the queries */
    size_t n;         /* used */
    size_t cap;       /* allocated */
} silk_qlist_t;

/* Strings handed to a silk_str_cb (terms of an expansion, members of a synonym group),
 * copied; at most `limit` of them: the walk stops there. */
typedef struct {
    char **s;         /* the strings [0, n), each malloc'd */
    size_t n;         /* collected */
    size_t cap;       /* allocated */
    size_t limit;     /* stop after this many */
    silk_status_t st; /* SILK_OK, or SILK_ERR_NOMEM when a copy failed */
} silk_qstrlist_t;

/* Destroys every query of l and empties it (l may be reused). */
void silk_qlist_free(silk_qlist_t *l);
/* Appends q; l owns it (on failure q is destroyed: SILK_ERR_NOMEM). */
silk_status_t silk_qlist_push(silk_qlist_t *l, silk_query_t *q);
/* Combines the queries of l with op (a single one is returned as is); l is emptied. */
silk_status_t silk_qlist_combine(silk_qlist_t *l, silk_op_t op, unsigned window,
                                 silk_query_t **out);
/* Combines `first` (owned; destroyed on failure) followed by the queries of l with op, for
 * the operators whose first subquery is special (FILTER and AND_NOT keep its weight only);
 * l is emptied. */
silk_status_t silk_qlist_combine_first(silk_qlist_t *l, silk_query_t *first, silk_op_t op,
                                       silk_query_t **out);
/* A PHRASE of prefix + terms[i], positions 1..n. */
silk_status_t silk_qlist_phrase(const char *prefix, char *const *terms, size_t n,
                                silk_query_t **out);

/* The phrase of terms[0, n) where it is not part of a longer name: names[0, nnames) are
 * names written as terms joined by one space (the multi-word keys of the synonym table);
 * each that ends with the phrase's words after more words ("democratic people's republic
 * of korea" for "republic of korea") is subtracted (AND_NOT of its phrase). Documents that
 * have both the short name alone and the long one are lost with it: Xapian has no
 * positional "not inside", and the names a synonym table lists rarely meet so. */
silk_status_t silk_qlist_phrase_alone(char *const *terms, size_t n, const char *const *names,
                                      size_t nnames, silk_query_t **out);

/* A silk_str_cb that copies each string into the silk_qstrlist_t `ud`; it stops the walk at
 * the list's limit (or when a copy fails: st is then SILK_ERR_NOMEM). */
int silk_qstrlist_cb(const char *s, size_t len, void *ud);
/* Frees the strings of l and empties it. */
void silk_qstrlist_free(silk_qstrlist_t *l);
/* The terms of db starting with `prefix`, at most `limit` of them, into *l (free it with
 * silk_qstrlist_free(), also on failure). */
silk_status_t silk_qstrlist_terms(silk_db_t *db, const char *prefix, size_t limit,
                                  silk_qstrlist_t *l);
/* The proximity bonus of a long query: each pair of consecutive (different) terms of
 * terms[0, n) as NEAR within `window` positions, OR'ed and scaled by weight; *out is NULL
 * when there is no pair. */
silk_status_t silk_qlist_pairs(char *const *terms, size_t n, unsigned window, double weight,
                               silk_query_t **out);
/* OP_SYNONYM of the first n strings of c as terms (match nothing when n is 0). */
silk_status_t silk_qlist_synonym_of(const silk_qstrlist_t *c, size_t n, silk_query_t **out);

#ifdef __cplusplus
}
#endif

#endif
