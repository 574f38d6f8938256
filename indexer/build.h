/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the one entry point of an indexing run: it looks at the index folder and
 * the shard options, and hands the run to the single-database writer (writer.h) or to the
 * sharded writer (shard.h). Neither of them calls back here.
 *
 *   nshards 0, `index` a single database or missing  -> silk_writer_run()
 *   nshards 0, `index` a sharded index (our stub)     -> silk_shard_run() over its shards
 *   nshards 0, `index` a stub file of one's own, or shards built one by one (--shard K/N)
 *                                                     -> refused by silk_shard_run()
 *   nshards N (--shards N, --shard K/N)               -> silk_shard_run()
 */
#ifndef SILK_INDEXER_BUILD_H
#define SILK_INDEXER_BUILD_H

#include "index.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Indexes opts->corpus into opts->index. nshards: 0 for whatever `index` is, else the
 * number of shards (1..SILK_SHARD_MAX, shard.h); only: -1 for every shard, else the one
 * shard to write (--shard K/N). Fills *sum; on failure nothing is committed and, when msg
 * is not NULL, *msg gets a malloc'd message (the caller frees it). Status and messages are
 * those of silk_writer_run() and silk_shard_run(). */
silk_status_t silk_build_run(const silk_index_opts_t *opts, unsigned nshards, int only,
                             silk_index_summary_t *sum, char **msg);

#ifdef __cplusplus
}
#endif

#endif
