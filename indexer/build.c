/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the entry point: a single database or shards. See build.h. */
#include "build.h"

#include "shard.h"
#include "writer.h"

silk_status_t silk_build_run(const silk_index_opts_t *opts, unsigned nshards, int only,
                             silk_index_summary_t *sum, char **msg)
{
    /* A sharded index found at `index` is written as one (every shard, then its metadata);
     * a stub file or a folder of shards built one by one goes there too, to be refused: it
     * must not become one database holding the whole corpus. */
    if (!nshards && !(nshards = silk_shard_count(opts->index)) &&
        !silk_shard_not_plain(opts->index))
        return silk_writer_run(opts, NULL, sum, msg);
    return silk_shard_run(opts, nshards, only, sum, msg);
}
