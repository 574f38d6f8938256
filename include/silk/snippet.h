/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — snippets: the window of a document's text that holds the most of a query's
 * words, cut at word boundaries, with the byte ranges of every match inside it.
 *
 * A text is tokenized once (silk_snippet_text_tokenize(), by the document tokenizer of
 * text.h, so offsets are those of the indexed tokens); then each query's matcher
 * (qmatch.h) says which tokens to highlight, and silk_snippet_make() picks the window.
 * SQLite FTS5's fts5_aux.c (snippet(), highlight()) is the same room in its tree. The
 * searcher (search.h) caches tokenized texts and collects the snippets of a page.
 */
#ifndef SILK_SNIPPET_H
#define SILK_SNIPPET_H

#include <stddef.h>
#include <stdint.h>

#include "silk/buf.h"
#include "silk/qmatch.h"
#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a token lies in the text. */
typedef struct {
    uint32_t start, end;   /* byte offsets [start, end) */
    uint32_t cstart, cend; /* the same in characters */
} silk_snippet_span_t;

/* A tokenized text. Zero-initialize it; the fields are read-only for users, and all the
 * memory but `text` is owned (silk_snippet_text_clear() frees it). */
typedef struct {
    const char *text;          /* the text (not owned; must outlive this) */
    size_t text_len;           /* its length in bytes */
    size_t scan_len;           /* bytes of it that were tokenized (a prefix) */
    size_t scan_chars;         /* characters in them */
    size_t ntoks;              /* tokens */
    silk_qtok_t *toks;         /* ntoks tokens for the matcher (terms point into terms) */
    silk_snippet_span_t *span; /* ntoks places */
    char *terms;               /* the tokens' terms, back to back */
    size_t bytes;              /* memory held by toks, span and terms */
} silk_snippet_text_t;

/* Tokenizes the first `scan_max` bytes of text[0, len) (cut back to a character start)
 * into d, which is cleared first. `tok` should have the English stemmer set, as for
 * documents, so that stems match. SILK_ERR_NOMEM leaves d cleared. */
silk_status_t silk_snippet_text_tokenize(silk_snippet_text_t *d, silk_tokenizer_t *tok,
                                         const char *text, size_t len, size_t scan_max);

/* Frees d's memory and zeroes it. NULL is a no-op. */
void silk_snippet_text_clear(silk_snippet_text_t *d);

/* Highlights: pairs v[2k], v[2k + 1] of byte offsets [start, end) into a snippet. */
typedef struct {
    uint32_t *v; /* values [0, n) */
    size_t n;    /* values held (twice the pairs) */
    size_t cap;  /* allocated */
} silk_snippet_hl_t;

/* Memory reused from one snippet to the next. Zero-initialize it; free with
 * silk_snippet_scratch_free(). */
typedef struct {
    struct silk_snippet_match *matches; /* the matched runs of tokens */
    size_t matches_cap;                 /* allocated */
    int *idcount;                       /* per query word id: matches in the window */
    size_t idcount_cap;                 /* allocated */
} silk_snippet_scratch_t;

void silk_snippet_scratch_free(silk_snippet_scratch_t *sc);

/* The snippet of d for the query words of m: about `width` characters, "…" where text was
 * left out, line breaks, tabs and NUL bytes as spaces. Appends it NUL-terminated to `out`
 * (its offset there in *off) and its highlights to `hl` (*nhl pairs from value index
 * *hl0). SILK_ERR_NOMEM when memory runs out (out and hl may then hold a part). */
silk_status_t silk_snippet_make(silk_snippet_scratch_t *sc, const silk_snippet_text_t *d,
                                const silk_qmatch_t *m, size_t width, silk_buf_t *out, size_t *off,
                                silk_snippet_hl_t *hl, size_t *hl0, size_t *nhl);

#ifdef __cplusplus
}
#endif

#endif
