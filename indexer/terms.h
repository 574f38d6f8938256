/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the terms, values and data of one document (schema.h names the prefixes;
 * lib/query.c reads them):
 *   body      each token of the stored text, unprefixed, with its position (from 1) and
 *             wdf SILK_WDF_BODY; for Latin/Greek/Cyrillic words also Z<stem> (no position).
 *   title     the article title's tokens as S<term> with positions from 1 and ZS<stem>
 *             (for `title:`), and AGAIN unprefixed with wdf SILK_WDF_TITLE (Z<stem> too) at
 *             positions after the body (a gap of SILK_TERMS_GAP positions), so that a plain
 *             query word matches every document of an article about it, and weighs more there.
 *   section   the section path's tokens as XS<term> positional and ZXS<stem> (for
 *             `section:`), and unprefixed with wdf SILK_WDF_SECTION after the title (again
 *             a gap), likewise. No phrase can span body, title and section.
 *   boolean   K<kind>, XA<article name> (verbatim: "XAiran-north-korea-relations"),
 *             A<word> for each normalized word of each author ("Aszalontai", "Abalazs"),
 *             Y<year>, XC<n> for each reference number the document cites, Q<id>.
 *   value     SILK_SLOT_YEAR: the year (sortable), when there is one.
 *   data      the JSON of silk_corpus_doc_json().
 *   spelling  every body word that silk_terms_spelled() accepts, one count per occurrence
 *             (handed to the caller's callback; spelling.h keeps the counts).
 */
#ifndef SILK_INDEXER_TERMS_H
#define SILK_INDEXER_TERMS_H

#include <stddef.h>

#include "corpus.h"
#include "silk/db.h"
#include "silk/schema.h"
#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_TERMS_GAP 100                  /* positions between body/title/section */
#define SILK_TERM_BUF  (SILK_TERM_MAX + 16) /* a prefix, "Z", a term and the NUL */

/* Receives each body word that goes into the spelling data (not NUL-terminated); nonzero
 * stops the build with SILK_ERR_NOMEM. */
typedef int (*silk_terms_spell_cb)(const char *word, size_t len, void *ud);

/* Builds the Xapian document of d into *out (the caller frees it with silk_doc_destroy()).
 * tok must have the English stemmer set. When spell is not NULL, spell(word, len, ud) is
 * called for each body word that goes into the spelling data. */
silk_status_t silk_terms_build_doc(silk_tokenizer_t *tok, const silk_corpus_doc_t *d,
                                   silk_terms_spell_cb spell, void *ud, silk_doc_t **out);

/* Whether a body token goes into the spelling data: a word of kind WORD or OTHER (Latin,
 * Persian, ...; not numbers, not CJK bigrams) of 3 or more characters, without an ASCII
 * digit (not "p445283", "a3f9c2", "mp3"). */
int silk_terms_spelled(const silk_token_t *t);

#ifdef __cplusplus
}
#endif

#endif
