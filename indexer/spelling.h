/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the spelling data of the documents a run writes and deletes.
 *
 * Xapian keeps one frequency per spelling word. A run adds one count per occurrence of
 * each spelled body word (terms.h) of every document it writes, and takes away the counts
 * of the stored text of every document it replaces or deletes, so that the data stays the
 * sum over the documents in the index. The changes of one file are gathered here, then
 * written at once (silk_spelling_flush()).
 */
#ifndef SILK_INDEXER_SPELLING_H
#define SILK_INDEXER_SPELLING_H

#include <stddef.h>

#include "silk/db.h"
#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct silk_spelling silk_spelling_t;

/* Gathers changes, tokenizing stored text with tok (not owned; it must outlive sp).
 * NULL when out of memory. */
silk_spelling_t *silk_spelling_new(silk_tokenizer_t *tok);

/* One more occurrence of word (len bytes): a silk_terms_spell_cb with sp as its ud.
 * Nonzero when out of memory. */
int silk_spelling_add(const char *word, size_t len, void *sp);

/* Takes away the counts of the text of a stored document (its JSON data, len bytes). */
void silk_spelling_forget(silk_spelling_t *sp, const char *data, size_t len);

/* Writes the gathered changes into wdb and forgets them. On failure *msg gets the reason. */
silk_status_t silk_spelling_flush(silk_spelling_t *sp, silk_wdb_t *wdb, char **msg);

/* Frees sp; NULL is a no-op. */
void silk_spelling_destroy(silk_spelling_t *sp);

#ifdef __cplusplus
}
#endif

#endif
