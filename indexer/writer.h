/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the single-database writer: one run of the corpus into one database.
 *
 * A run takes the writers' lock (lock.h), removes what killed runs left, walks the corpus
 * (scan.h), compares each file with what the index knows of it (filemeta.h), re-indexes
 * the files that are new or changed (terms.h, spelling.h), deletes the documents of files
 * that are gone, brings the synonym table up to date (syntable.h), and commits all of it
 * as one transaction, or publishes a --full rebuild (txn.h). In a changed file, a document
 * whose stored data comes out identical is not written again. A file that cannot be read
 * (or became binary or too large) keeps its previously indexed documents.
 *
 * It writes exactly the database at opts->index and knows nothing of shards: the sharded
 * writer (shard.h) runs it once per shard, with a silk_writer_part_t that narrows the
 * corpus to the shard's files and holds the shards' commit barrier.
 */
#ifndef SILK_INDEXER_WRITER_H
#define SILK_INDEXER_WRITER_H

#include "index.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The part of the corpus one run writes, and a hook right before it commits. */
typedef struct {
    unsigned nparts;                /* files are spread by silk_index_db_for_file(rel, nparts) */
    unsigned part;                  /* this run's corpus: the files routed to `part` */
    int (*before_commit)(void *ud); /* may be NULL; called only when the run has changes;
                                     * nonzero cancels the run, nothing committed */
    void *ud;                       /* passed to before_commit */
} silk_writer_part_t;

/* Runs one indexing pass of opts->corpus into the database at opts->index and fills *sum.
 * part may be NULL (the whole corpus). On failure nothing is committed and, when msg is not
 * NULL, *msg gets a malloc'd message (the caller frees it): SILK_ERR_NOT_FOUND (corpus
 * missing or vanished), SILK_ERR_LOCKED (no_wait and another writer: "index X is being
 * written by another silk-index (pid N)"), SILK_ERR_INVALID, SILK_ERR_IO, ... */
silk_status_t silk_writer_run(const silk_index_opts_t *opts, const silk_writer_part_t *part,
                              silk_index_summary_t *sum, char **msg);

#ifdef __cplusplus
}
#endif

#endif
