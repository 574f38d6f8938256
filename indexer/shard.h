/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index --shards: one index split into shard databases (docs/scale-out.md).
 *
 * Layout of a sharded index folder <index>:
 *   shard-0 ... shard-<N-1>  each a complete silk index (documents, file metadata, spelling,
 *                            synonyms) of the corpus files silk_index_db_for_file() routes
 *                            there: FNV-1a 64 of the article name mod N, so a document
 *                            always lands in the same shard and incremental runs replace
 *                            it in place. Each is written by the single-database writer
 *                            (writer.h: its own lock <index>/shard-K.lock, transaction and
 *                            --full switch), so `xapian-tcpsrv <index>/shard-K` can serve it.
 *   meta/                    the metadata database that silkd reads locally, because
 *                            Xapian's remote backend serves neither spelling data nor
 *                            synonyms: the spelling frequencies summed over the shards found
 *                            under <index>, the synonym table, "silk.shards" (N) and
 *                            "silk.indexed_at". Brought up to date after the shards, in one
 *                            transaction, by writing only the differences.
 *   XAPIANDB                 the stub that makes <index> openable as one database (first
 *                            line "# silk-index shards N", then "meta meta" and one
 *                            "glass shard-K" per shard). Rewritten only by a run over all
 *                            shards and only when its text changes. For remote shards, write
 *                            a stub of your own elsewhere (docs/scale-out.md).
 *
 * A run over all shards runs the shards in parallel threads; each stages its changes in its
 * own transaction, and they all wait for each other before committing, so readers see the
 * shards change within a few milliseconds of each other (Xapian has no commit across
 * databases: a reader that reopens inside that window can see some shards new and others
 * old), and a shard that fails before the commit point makes every shard commit nothing.
 * meta/ commits after the shards.
 */
#ifndef SILK_INDEXER_SHARD_H
#define SILK_INDEXER_SHARD_H

#include "index.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_SHARD_MAX       64 /* shards of one index (one thread each while indexing) */
#define SILK_SHARD_STUB      "XAPIANDB"
#define SILK_SHARD_META      "meta"
#define SILK_SHARD_STUB_HEAD "# silk-index shards " /* first line of our stub: + N */
#define SILK_META_SHARDS     "silk.shards"          /* in meta/: the number of shards */

/* Number of shards of the sharded index folder `index` (from the first line of its stub),
 * 0 when it is not one. */
unsigned silk_shard_count(const char *index);

/* Whether `index` must not be indexed as one database: a regular file (a stub of one's
 * own), or a folder holding meta/ but no stub of ours (shards built with --shard K/N).
 * silk_shard_run() with nshards 0 refuses it with the reason (build.c sends it there). */
int silk_shard_not_plain(const char *index);

/* Indexes `opts->corpus` into the sharded index `opts->index` with `nshards` shards
 * (1..SILK_SHARD_MAX): every shard when `only` < 0, else only shard `only` (silk-index
 * --shard K/N, for shards built on different machines; the stub is then left alone). Then
 * brings meta/ up to date from the shards present. *sum is the sum of the shards'
 * summaries (revision: the sum of the shards' and meta's revisions, as silk_db_revision()
 * counts them for the stub). Errors as silk_writer_run(); SILK_ERR_INVALID when `index` is
 * a single-database index or a sharded one with another number of shards (changing it
 * needs --full). */
/* Each shard is one silk_writer_run() in its own thread; this module never calls
 * silk_build_run(). */
silk_status_t silk_shard_run(const silk_index_opts_t *opts, unsigned nshards, int only,
                             silk_index_summary_t *sum, char **msg);

#ifdef __cplusplus
}
#endif

#endif
