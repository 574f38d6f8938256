/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — one document of the corpus, as stored and indexed (DESIGN.md § Documents).
 *
 * The record every reader fills (through the article builder, article.h) and the writer
 * (index.c) turns into a Xapian document; its stored data is silk_corpus_doc_json(). A
 * record only: it knows nothing of files, formats or citations.
 */
#ifndef SILK_INDEXER_DOC_H
#define SILK_INDEXER_DOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_SECTION_SEP " \xe2\x80\xba " /* " › " between the parts of a section path */
#define SILK_ID_MAX      240              /* bytes of a document id (Xapian's term limit) */

/* One document, as stored (search.h) and indexed. All strings are valid UTF-8, owned by
 * the article that holds the document. */
typedef struct {
    char *id;           /* "<article>#<anchor>" */
    char *article_name; /* the article part of id: the XA term */
    char *title;        /* the article's title */
    char *kind;         /* SILK_KIND_* */
    char *section;      /* section path, parts joined by SILK_SECTION_SEP; "" for none */
    char *text;         /* the clean text (stored and indexed exactly) */
    size_t text_len;    /* its length in bytes */
    unsigned *cites;    /* reference numbers cited, deduplicated, in order */
    size_t ncites;      /* number of cites */
    char **cited_by;    /* anchors citing this reference ("p3") */
    size_t ncited_by;   /* number of cited_by */
    int year;           /* publication year, 0 when none */
    char **authors;     /* author names ("Con Coughlin") */
    size_t nauthors;    /* number of authors */
} silk_corpus_doc_t;

/* The anchor of a document: the part of its id after the first '#'. Valid as long as d->id. */
const char *silk_corpus_doc_anchor(const silk_corpus_doc_t *d);

/* The stored JSON data of a document (search.h's format: id, kind, article, section,
 * text, and cites / cited_by / year / authors when present). Malloc'd (the caller frees
 * it), *len gets its length; NULL when out of memory. */
char *silk_corpus_doc_json(const silk_corpus_doc_t *doc, size_t *len);

/* Frees what d owns (not d itself) and zeroes it. NULL fields are fine. */
void silk_corpus_doc_clear(silk_corpus_doc_t *d);

#ifdef __cplusplus
}
#endif

#endif
