/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the article: the documents of one corpus file, and the one builder every
 * reader (read_txt.h, read_md.h, read_jsonl.h) makes them with.
 *
 * Documents get stable ids `<article>#<anchor>`: paragraphs `p<N>` in file order from 1
 * (those before the first heading have kind "lead", and p1 always is the lead), the
 * infobox `infobox`, references `ref-<N>` and readings `read-<N>` each from 1. Prose and
 * table text goes through silk_cite_strip() (cite.h); references and readings get their
 * year and authors from cite.h; when the article is finished, each reference gets the
 * anchors that cite it. A reader decides what each line is; the builder decides what a
 * document of that kind holds.
 */
#ifndef SILK_INDEXER_ARTICLE_H
#define SILK_INDEXER_ARTICLE_H

#include <stddef.h>

#include "doc.h"
#include "silk/status.h"
#include "strutil.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the article (what the writer reads) --------------------------------------------------- */

typedef struct silk_article silk_article_t; /* the documents of one parsed file */

void silk_article_destroy(silk_article_t *a);

/* The article's title (the first document's for JSONL; "" when the file had none). */
const char *silk_article_title(const silk_article_t *a);
size_t silk_article_count(const silk_article_t *a);
/* Document i (< count), valid until the article is destroyed. */
const silk_corpus_doc_t *silk_article_doc(const silk_article_t *a, size_t i);
/* Problems found while parsing ("FILE:LINE: reason"), valid until the article is
 * destroyed. */
size_t silk_article_problem_count(const silk_article_t *a);
const char *silk_article_problem(const silk_article_t *a, size_t i);

/* ---- the builder (what the readers call) --------------------------------------------------- */

typedef struct silk_builder silk_builder_t; /* one article being built */

/* What the `- ` items under a heading are. */
typedef enum {
    SILK_SECTION_PROSE = 0, /* paragraphs */
    SILK_SECTION_REFS,      /* references: References, Citations, Footnotes, ... */
    SILK_SECTION_READING,   /* readings: Further reading, Bibliography */
} silk_section_kind_t;

/* The kind of the section a heading s[0..n) opens. */
silk_section_kind_t silk_section_kind(const char *s, size_t n);

/* A new builder for the article `name` (its documents' ids start with it) of the file
 * `path` (named in problem messages). Both strings are borrowed until destroy or finish.
 * SILK_ERR_NOMEM when out of memory. */
silk_status_t silk_builder_create(const char *name, const char *path, silk_builder_t **out);

/* Where documents go as they are built: called with each finished document, in file
 * order, which is freed when it returns (copy what you keep). A nonzero status stops the
 * build: the builder call that was adding a document fails (the readers report it as
 * SILK_ERR_NOMEM; keep the real reason in ud). */
typedef silk_status_t (*silk_doc_sink_t)(const silk_corpus_doc_t *d, void *ud);

/* Hands each document to sink as soon as the next one starts (or at finish), instead of
 * keeping it in the article, so that memory follows the largest document, not the file.
 * From the first reference on, the documents wait for finish (references get their
 * cited_by there; a document handed on before keeps only its anchor and cites). The
 * documents, their order and their content are the same as without a sink; the finished
 * article then holds no documents, only its title and problems. Call before adding any. */
void silk_builder_set_sink(silk_builder_t *b, silk_doc_sink_t sink, void *ud);

/* Hands the article over (*out; free it with silk_article_destroy()) and destroys b.
 * `link` fills each reference's cited_by from the cites of the documents (the prose
 * formats; JSON Lines documents carry their own). An article without a title takes its
 * first document's, else "". SILK_ERR_NOMEM when out of memory (b is destroyed then too). */
silk_status_t silk_builder_finish(silk_builder_t *b, int link, silk_article_t **out);

/* Frees b and the documents built so far. NULL is a no-op. */
void silk_builder_destroy(silk_builder_t *b);

/* The article name given to silk_builder_create(). */
const char *silk_builder_name(const silk_builder_t *b);

/* Sets the article title (a copy of s[0..n)); the documents added afterwards carry it.
 * silk_builder_has_title() says whether one was set. */
silk_status_t silk_builder_set_title(silk_builder_t *b, const char *s, size_t n);
int silk_builder_has_title(const silk_builder_t *b);

/* Notes that a section heading came: the paragraphs after it are not the lead. */
void silk_builder_heading_seen(silk_builder_t *b);

/* The number of paragraphs added so far. */
unsigned silk_builder_paragraphs(const silk_builder_t *b);

/* Adds the next paragraph `p<N>` (s[0..n) trimmed, citation markers stripped and
 * recorded) in `section` (NULL: none). A paragraph that comes out empty adds nothing. */
silk_status_t silk_builder_paragraph(silk_builder_t *b, const char *s, size_t n,
                                     const char *section);

/* Adds the next reference `ref-<N>` (is_ref) or reading `read-<N>`: its text (markers
 * stripped, not recorded), year and authors. An empty item adds nothing. */
silk_status_t silk_builder_item(silk_builder_t *b, int is_ref, const char *s, size_t n,
                                const char *section);

/* Adds a `|` table of nrows rows: the non-empty cells, " | " between the cells of a row
 * and "; " between rows (separator rows such as `---|---|` dropped). As the infobox
 * (`infobox`, citations recorded) when `infobox`, else as the next paragraph in `section`.
 * An empty table adds nothing. */
silk_status_t silk_builder_table(silk_builder_t *b, const silk_line_t *rows, size_t nrows,
                                 int infobox, const char *section);

/* A new, zeroed document at the end of the article, for a reader that fills every field
 * itself (JSON Lines); valid until the next document is added. NULL when out of memory. */
silk_corpus_doc_t *silk_builder_raw_doc(silk_builder_t *b);

/* Drops the last document (the one silk_builder_raw_doc() gave, filled or not). */
void silk_builder_drop_doc(silk_builder_t *b);

/* Checks the last document's id against the ids of the documents before it (those added
 * through silk_builder_raw_doc()): *dup = 1 when one has it. SILK_ERR_NOMEM when out of
 * memory. */
silk_status_t silk_builder_check_id(silk_builder_t *b, int *dup);

/* Records the problem "PATH:LINENO: why" (made valid UTF-8). SILK_ERR_NOMEM when out of
 * memory. */
silk_status_t silk_builder_problem(silk_builder_t *b, size_t lineno, const char *why);

#ifdef __cplusplus
}
#endif

#endif
