/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — what every writer of the index shares: the options and summary of a run,
 * where a corpus file goes, its content hash, and the small helpers of the run's modules.
 *
 * The rooms of the indexer's writing side (docs/architecture.md has the map):
 *   build.h     the one entry point: a single database or shards
 *   writer.h    the single-database writer (one run over one database)
 *   shard.h     the sharded writer (one writer run per shard, then meta/ and the stub)
 *   scan.h      the corpus as found on disk;  filemeta.h  what the index knows of each file
 *   terms.h     the terms of one document;    spelling.h  spelling data of changed files
 *   syntable.h  corpus/synonyms.txt into the synonym table
 *   txn.h       a run's one transaction and the --full publish;  lock.h  the writers' lock
 * This header includes none of them, and they all include it: it is the shared vocabulary.
 */
#ifndef SILK_INDEXER_INDEX_H
#define SILK_INDEXER_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_META_SYNONYMS  "silk.synonyms"        /* JSON {hash} of the synonym table */
#define SILK_INDEX_MAX_SIZE (256ULL * 1024 * 1024) /* default cap of one file, bytes */
/* Default flush budget of a fresh build (--flush-mb): bytes of document text written
 * between two commits, each document counted SILK_INDEX_DOC_COST bytes more. Xapian also
 * flushes every XAPIAN_FLUSH_THRESHOLD documents. */
#define SILK_INDEX_FLUSH_BYTES (32ULL * 1024 * 1024)
/* What Xapian holds of each document until the commit beyond its text (about 230 bytes
 * measured for a one-line paragraph): counted in the flush budget, so that a million
 * short paragraphs are bounded as well as the same text in long ones. */
#define SILK_INDEX_DOC_COST 256

/* Where a run is, for a progress line. */
typedef struct {
    uint64_t files_done;  /* files handled */
    uint64_t files_total; /* files of the corpus (of this run) */
    uint64_t docs;        /* documents written */
    uint64_t bytes_done;  /* bytes of files read */
    uint64_t bytes_total; /* bytes of every file, as scanned */
    double elapsed;       /* seconds since the run began */
} silk_index_progress_t;

/* Called now and then during a run (about every 100 ms of work), from one thread. */
typedef void (*silk_index_progress_cb)(const silk_index_progress_t *p, void *ud);
/* Called once per note or problem as it happens ("path: reason"). `skip` is 1 for
 * problems that make the run end with status 3 (a skipped file, an invalid JSONL line),
 * 0 for notes (an ignored file). */
typedef void (*silk_index_note_cb)(const char *msg, int skip, void *ud);

typedef struct {
    const char *corpus;              /* corpus folder */
    const char *index;               /* index folder */
    int full;                        /* rebuild into a fresh database and switch */
    int no_wait;                     /* fail with SILK_ERR_LOCKED instead of waiting */
    uint64_t max_size;               /* larger files are skipped (0: SILK_INDEX_MAX_SIZE) */
    unsigned jobs;                   /* a fresh build: parts written at once (0, 1: one) */
    uint64_t flush_bytes;            /* a fresh build: text between commits (0: default) */
    silk_index_progress_cb progress; /* may be NULL */
    silk_index_note_cb note;         /* may be NULL */
    void *ud;                        /* passed to progress and note */
} silk_index_opts_t;

typedef struct {
    uint64_t files_scanned;   /* corpus files looked at (.txt, .md, .jsonl) */
    uint64_t files_unchanged; /* of them: already indexed as they are */
    uint64_t files_changed;   /* re-indexed because their content changed */
    uint64_t files_added;     /* indexed for the first time */
    uint64_t files_removed;   /* gone from the corpus: documents deleted */
    uint64_t files_skipped;   /* not indexed (unreadable, binary, too large, ...) */
    uint64_t files_ignored;   /* other files (not an article format) */
    uint64_t problems;        /* skipped files + invalid lines + duplicate ids: status 3 */
    uint64_t docs_added;      /* documents new to the index */
    uint64_t docs_replaced;   /* documents written again because they changed */
    uint64_t docs_unchanged;  /* documents of changed files that came out the same */
    uint64_t docs_deleted;    /* documents removed */
    uint64_t docs_total;      /* documents in the index after the run */
    uint64_t bytes;           /* bytes of the files read and parsed */
    uint64_t revision;        /* index revision after the run */
    int up_to_date;           /* 1: nothing changed, nothing committed */
    int synonyms_loaded;      /* 1: the synonym table was (re)loaded */
    double elapsed;           /* seconds */
} silk_index_summary_t;

/* Which database of `ndbs` the file at `relpath` goes into (0 when ndbs <= 1): FNV-1a 64
 * of its article name (the path without extension) mod ndbs, so that a file always lands
 * in the same shard (silk-index --shards). Every decision of that kind goes through it. */
unsigned silk_index_db_for_file(const char *relpath, unsigned ndbs);

/* 64-bit FNV-1a of data, as 16 lower-case hex digits into hex[17]: the content hash
 * stored in the file metadata (filemeta.h). */
void silk_index_hash_hex(const char *data, size_t len, char hex[17]);

/* Adds the counts of b to a (the sharded writer's total over its shards): every counter
 * and the revision summed, up_to_date when both are, synonyms_loaded when either is.
 * elapsed is left alone. */
void silk_index_summary_add(silk_index_summary_t *a, const silk_index_summary_t *b);

/* Whether `dir` holds a Xapian (glass) database. */
int silk_index_is_db(const char *dir);

/* Seconds since t0 (CLOCK_MONOTONIC). */
double silk_index_since(const struct timespec *t0);

/* Privacy: the permission bits (of 077) that the corpus folder does not give to group or
 * other, so that the index is no more readable than the corpus (corpus 0700: 077; corpus
 * 0750: 027; corpus 0755: 022). 022 when the corpus cannot be read. */
mode_t silk_index_hidden_bits(const char *corpus);

/* Takes the `hide` bits away from the index at `index` and everything below it (folders
 * and files, never following a link), and from its lock file: an index built before, or
 * under a laxer corpus, becomes as private as the corpus. Errors are ignored (a missing
 * index has nothing to hide). */
void silk_index_restrict(const char *index, mode_t hide);

/* Formats a message into *msg unless it already holds one (the first failure is the one
 * reported; the caller frees *msg), and returns st. msg may be NULL. */
silk_status_t silk_index_fail(char **msg, silk_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif

#endif
