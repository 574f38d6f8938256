/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — corpus/synonyms.txt into the index's synonym table.
 *
 * Each group of the file (parsed by corpus.h) becomes synonyms both ways: every member gets
 * every other member as a synonym; the key and the synonym are the member's normalized
 * tokens joined by one space ("democratic people's republic of korea"). The table is
 * loaded again only when the file's content hash differs from the one stored under
 * SILK_META_SYNONYMS (JSON {"hash":...}), or when the file went away (the table is emptied).
 */
#ifndef SILK_INDEXER_SYNTABLE_H
#define SILK_INDEXER_SYNTABLE_H

#include "index.h"
#include "silk/status.h"
#include "silk/text.h"
#include "txn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Brings the synonym table of txn's database up to date with the file at `path` (NULL:
 * the corpus has none), within txn's transaction (begun when there is a change); with
 * `force` (a --full run) it is loaded whatever the stored hash says. tok (with the
 * stemmer) normalizes members. The file's problems go to note (may be NULL) with skip 1;
 * a file that cannot be read is one problem (sum->files_skipped), and the table is kept.
 * sum->synonyms_loaded is set when a table was loaded. On failure *msg gets the reason. */
silk_status_t silk_syntable_update(silk_txn_t *txn, silk_tokenizer_t *tok, const char *path,
                                   int force, silk_index_note_cb note, void *ud,
                                   silk_index_summary_t *sum, char **msg);

#ifdef __cplusplus
}
#endif

#endif
