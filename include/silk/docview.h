/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — one document opened by its id, whole, with its place in the citation graph: the
 * references it cites (with their texts) and the paragraphs that cite it (with the opening
 * of each). What the protocol's "doc" op answers (docs/protocol.md) and `silk show` prints.
 *
 * The lookups go through the searcher (include/silk/search.h), so a view is made on the
 * thread that owns the searcher; the view itself owns everything it points to.
 */
#ifndef SILK_DOCVIEW_H
#define SILK_DOCVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "silk/search.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds of one view: links past them are counted in ncites_more / ncited_by_more, not
 * looked up (a damaged or hostile document could list millions). */
#define SILK_DOCVIEW_LINKS_MAX 1000
#define SILK_DOCVIEW_EXCERPT   200 /* characters of each citing paragraph's text */

/* A reference the document cites: [n], the reference's document id, its text. */
typedef struct silk_doc_cite {
    uint32_t n;       /* the reference number, as in the [n] marker */
    const char *id;   /* "<article>#ref-<n>" */
    const char *text; /* the reference's text; NULL when the index has no such reference */
} silk_doc_cite_t;

/* A paragraph that cites the document (a reference). */
typedef struct silk_doc_citer {
    const char *id;      /* "<article>#<anchor>" */
    const char *section; /* its section path; NULL when the index has no such paragraph */
    const char *text;    /* the first SILK_DOCVIEW_EXCERPT characters of its text, with "…"
                            when cut; NULL when the index has no such paragraph */
} silk_doc_citer_t;

/* One document. Strings are NUL-terminated UTF-8 and live as long as the view. */
typedef struct silk_docview {
    const char *id;                   /* "<article>#<anchor>" */
    const char *kind;                 /* lead, paragraph, infobox, reference, reading */
    const char *article;              /* the article's title */
    const char *section;              /* the section path, "" for the lead */
    const char *text;                 /* the whole text */
    size_t text_len;                  /* its length in bytes */
    int has_year;                     /* the document has a publication year */
    long long year;                   /* that year */
    const char *const *authors;       /* its authors, when it has some */
    size_t nauthors;                  /* how many */
    const silk_doc_cite_t *cites;     /* the references it cites, in its order */
    size_t ncites;                    /* how many (at most SILK_DOCVIEW_LINKS_MAX) */
    size_t ncites_more;               /* cites past the bound, left out */
    const silk_doc_citer_t *cited_by; /* the paragraphs citing it, in its order */
    size_t ncited_by;                 /* how many (at most SILK_DOCVIEW_LINKS_MAX) */
    size_t ncited_by_more;            /* past the bound, left out */
    void *priv;                       /* private: what the strings point into */
} silk_docview_t;

/* Opens the document whose id is id[0, len). SILK_OK with *out a view to free with
 * silk_docview_destroy(); SILK_ERR_NOT_FOUND when no document has that id (or there is no
 * index yet: silk_searcher_has_index() tells); SILK_ERR_CORRUPT when its stored data is
 * not a JSON object; other failures as silk_searcher_document(). On failure *out is NULL
 * and silk_searcher_error(s) says why. */
silk_status_t silk_docview_open(silk_searcher_t *s, const char *id, size_t len,
                                silk_docview_t **out);

/* Frees a view. Accepts NULL. */
void silk_docview_destroy(silk_docview_t *v);

/* Copies the first `chars` characters of UTF-8 text[0, len) into a new string; when text is
 * longer, the cut moves back to a space among the last 30 characters (if any) and "…" is
 * appended. NULL when out of memory. The caller frees it. */
char *silk_docview_excerpt(const char *text, size_t len, size_t chars);

#ifdef __cplusplus
}
#endif

#endif
