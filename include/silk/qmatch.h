/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the highlight matcher: which document tokens match a positive free-text term of a
 * query, so that snippets highlight exactly what matched.
 *
 * The builder (qbuild.h) fills a matcher while it turns the AST into a Xapian query: every
 * word, stem, prefix and phrase it searches in the text, under an id per query word (a
 * word and its synonyms share one id; nothing of a NOT part or of a title:/section: field
 * is added). The snippet code then asks, token by token, whether a query word starts
 * there. SQLite FTS5 keeps this apart from its expression code in the same way
 * (fts5_aux.c's highlight() over the phrase matches of fts5_expr.c).
 */
#ifndef SILK_QMATCH_H
#define SILK_QMATCH_H

#include <stddef.h>
#include <stdint.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The positive free-text terms of a query. */
typedef struct silk_qmatch silk_qmatch_t;

/* 64-bit FNV-1a hash of a term (silk_hash() of hash.h), as used to match document
 * tokens. */
uint64_t silk_qhash(const char *s, size_t len);
/* The hash of "Z" followed by `stem` (the stem term), without building the string. */
uint64_t silk_qhash_stem(const char *stem, size_t len);

/* A document token as the matcher sees it. */
typedef struct {
    uint64_t h_term;  /* silk_qhash() of the normalized term */
    uint64_t h_stem;  /* silk_qhash_stem() of its stem, 0 when it has none */
    const char *term; /* the normalized term (not NUL-terminated) */
    uint32_t len;     /* its length in bytes */
    uint32_t pos;     /* its position (consecutive tokens have consecutive positions) */
} silk_qtok_t;

/* Whether the document tokens starting at toks[i] match a positive free-text term of the
 * query: a word (its exact term, or its stem when it was typed unquoted), a prefix, or a
 * whole phrase (several consecutive tokens). Returns the matched query word's id (0-based;
 * a word and its synonyms share one id) and sets *ntoks to the number of tokens covered,
 * or returns -1. The longest match wins. */
int silk_qmatch_at(const silk_qmatch_t *m, const silk_qtok_t *toks, size_t n, size_t i,
                   size_t *ntoks);
/* Number of distinct ids silk_qmatch_at() can return (0: nothing to highlight). */
size_t silk_qmatch_ids(const silk_qmatch_t *m);

/* ---- filling a matcher (the builder's side) ------------------------------------------------ */

/* An empty matcher; free it with silk_qmatch_destroy(). NULL when out of memory. */
silk_qmatch_t *silk_qmatch_new(void);
/* Frees m and its entries. NULL is a no-op. */
void silk_qmatch_destroy(silk_qmatch_t *m);

/* A new id for a query word: 0, 1, 2, ... in the order asked. */
int silk_qmatch_new_id(silk_qmatch_t *m);

/* Adds, under `id`, a token whose term is `term` (SILK_OK or SILK_ERR_NOMEM; the strings
 * are copied). */
silk_status_t silk_qmatch_add_term(silk_qmatch_t *m, int id, const char *term);
/* ... a token whose term is `term`, one piece of a query word the tokenizer split (a
 * bigram of a Hangul word, searched as an OR of its bigrams): it matches only where the
 * document word holds another piece of the same query word beside it (대통 통령 of
 * 대통령은 for 대통령이), or where it is the whole document word, so that a lone bigram
 * inside an unrelated word (했다 of 발표했다 for 침몰했다) is not highlighted. Two tokens
 * are taken for one word when their positions follow and their terms overlap by a
 * character (as the bigrams of one word do). */
silk_status_t silk_qmatch_add_piece(silk_qmatch_t *m, int id, const char *term);
/* ... a token whose stem is `stem`. */
silk_status_t silk_qmatch_add_stem(silk_qmatch_t *m, int id, const char *stem);
/* ... a token whose term starts with `prefix`. */
silk_status_t silk_qmatch_add_prefix(silk_qmatch_t *m, int id, const char *prefix);
/* ... n (>= 1) consecutive tokens whose terms are terms[0, n), in that order. */
silk_status_t silk_qmatch_add_phrase(silk_qmatch_t *m, int id, char *const *terms, size_t n);

/* Indexes the entries by hash, after the last one was added, so that silk_qmatch_at()
 * costs one or two probes however long the query. Without memory for the index the
 * matcher still answers, by scanning its entries. */
void silk_qmatch_finish(silk_qmatch_t *m);

#ifdef __cplusplus
}
#endif

#endif
