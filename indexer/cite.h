/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — citations and references: the `[n]` markers of the prose, the numbers a
 * document cites, the numbering of references and who cites them, and the year and authors
 * of a reference or reading (DESIGN.md § Documents).
 *
 * Citations
 *   In .txt and .md prose, `[n]` markers (also `[n][m]`, and a marker right after a word,
 *   `Treaty[32]`) and `[citation needed]` are removed from the text; the numbers are kept
 *   in `cites` (deduplicated, in order of first appearance). Each reference N gets in
 *   `cited_by` the anchors ("p3", "infobox") that cite it, in document order. A cited
 *   number with no reference of that number stays in `cites`.
 *
 * Years and authors of references and readings
 *   year: the first 19xx/20xx year that is not inside a quoted title and comes before any
 *   "Retrieved" / "Archived" / "Accessed" clause (the publication date, not the access
 *   date); 0 when there is none.
 *   authors: a reference that starts with a quote has none. Else the text up to the first
 *   " (", ". " (not after an initial) or final "." is read as a list of names:
 *   "Last, First" (with ";" between several: "Choi, Lyong; Shin, Jong-dae; and Lee,
 *   Han-hyung"; "McEachern, Patrick and Jaclyn O'Brien McEachern") or natural order joined
 *   by "and" / "," ("John Larkin and Donald Macintyre"); failing that, the text up to the
 *   first ", " in natural order ("Balázs Szalontai, Cracks ..."). A name is 1 to 5 words,
 *   each capitalized (particles such as de, van, al allowed), letters, ' - . only. An
 *   organisation in the author position ("Congressional Research Service, ...") is
 *   taken as the author, consistently; publisher and work names elsewhere in the text
 *   are only text.
 *
 * Everything here works on clean text (strutil.h) and on document records (doc.h); it
 * knows nothing of files or formats.
 */
#ifndef SILK_INDEXER_CITE_H
#define SILK_INDEXER_CITE_H

#include <stddef.h>

#include "doc.h"
#include "silk/buf.h"
#include "silk/status.h"
#include "strutil.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The distinct reference numbers a document cites, in order of first appearance.
 * Zero-initialize; hand the numbers over with silk_cites_steal() or free them with
 * silk_cites_free(). Adding stays linear however many numbers a hostile paragraph holds. */
typedef struct {
    unsigned *v;         /* the numbers */
    size_t n;            /* used */
    size_t cap;          /* allocated */
    unsigned char *seen; /* bitmap of the numbers held, once there are many (else NULL) */
} silk_cites_t;

/* Adds x unless it is there already. SILK_ERR_NOMEM when out of memory. */
silk_status_t silk_cites_add(silk_cites_t *c, unsigned x);

/* The numbers (malloc'd, the caller frees them; NULL when there are none) and their count
 * in *n; c is empty afterwards. */
unsigned *silk_cites_steal(silk_cites_t *c, size_t *n);

void silk_cites_free(silk_cites_t *c);

/* Appends s[0..n) to out without its `[n]` citation markers and `[citation needed]`,
 * adding the numbers to cites (may be NULL: markers are dropped and not counted). White
 * space a removed marker leaves doubled is collapsed, and trailing white space dropped.
 * SILK_ERR_NOMEM when out of memory (out then holds part of the text). */
silk_status_t silk_cite_strip(const char *s, size_t n, silk_buf_t *out, silk_cites_t *cites);

/* The publication year of a reference or reading, 0 when it has none (or out of memory). */
int silk_cite_year(const char *s, size_t n);

/* Appends to names the authors of a reference or reading, each once. SILK_ERR_NOMEM when
 * out of memory. */
silk_status_t silk_cite_authors(const char *s, size_t n, silk_strvec_t *names);

/* The references of one article, numbered from 1 in file order: reference N is document
 * doc[N - 1] of the article. Zero-initialize; free with silk_refs_free(). */
typedef struct {
    size_t *doc; /* document index of each reference */
    unsigned n;  /* references so far */
    size_t cap;  /* allocated */
} silk_refs_t;

/* Numbers the next reference (document index `doc`); *num gets its number. */
silk_status_t silk_refs_add(silk_refs_t *r, size_t doc, unsigned *num);

/* Fills the cited_by of each reference among docs[0..ndocs) with the anchors of the
 * documents whose cites hold its number, in document order. */
silk_status_t silk_refs_link(const silk_refs_t *r, silk_corpus_doc_t *docs, size_t ndocs);

void silk_refs_free(silk_refs_t *r);

#ifdef __cplusplus
}
#endif

#endif
