/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — query words: a piece of query text cut into words by the document tokenizer
 * (text.h), each with its normalized term, its English stem and its kind.
 *
 * The parser (qparse.h) cuts every bare word, quoted phrase and field value this way, and
 * the builder (qbuild.h) the synonyms it reads from the index, so a word written in the
 * query, in a document or in the synonym table becomes the same terms.
 */
#ifndef SILK_QWORD_H
#define SILK_QWORD_H

#include <stddef.h>

#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One word: a token of the tokenizer, copied out of its buffer. */
typedef struct {
    char term[SILK_TERM_MAX + 1]; /* normalized term, NUL-terminated */
    char stem[SILK_TERM_MAX + 1]; /* its stem, "" when none */
    int has_stem;                 /* stem is set */
    silk_tok_kind_t kind;         /* the tokenizer's kind */
} silk_qword_t;

/* A reusable list of words. Zero-initialize it ({0}); free it with silk_qwords_free(). */
typedef struct {
    silk_qword_t *w; /* words [0, n) */
    size_t n;        /* how many */
    size_t cap;      /* allocated */
} silk_qwords_t;

/* Empties l and fills it with the words of text[0, len), at most `max` of them: the run
 * stops once l holds `max` words, so a long text costs nothing past the bound. `tok` must
 * not be inside its own silk_tokenize() run. SILK_ERR_NOMEM (or the tokenizer's failure)
 * leaves l holding the words collected before it. */
silk_status_t silk_qwords_tokenize(silk_qwords_t *l, silk_tokenizer_t *tok, const char *text,
                                   size_t len, size_t max);

/* The key of text[0, len): the terms of its words joined by one space, in out (cap bytes,
 * NUL-terminated), ending before the first term that would not fit; *key_len gets its
 * length (0 for a text without words). The indexer writes an article title's key as one
 * term and `article:"<title>"` looks it up, so both make it here. `tok` as above. */
silk_status_t silk_qwords_key(silk_tokenizer_t *tok, const char *text, size_t len, char *out,
                              size_t cap, size_t *key_len);

/* Nonzero when `term` (normalized, NUL-terminated) is an English stopword: a function word
 * ("of", "the", "to") that nearly every English text has. The relaxed retry of an
 * all-words search leaves them out when the query has other words, so that its ranking is
 * carried by the words that tell documents apart. */
int silk_qword_is_stopword(const char *term);

/* Frees l's memory; l is empty and may be reused. NULL is a no-op. */
void silk_qwords_free(silk_qwords_t *l);

#ifdef __cplusplus
}
#endif

#endif
