/* silk-index — writing the corpus into the index.
 *
 * Terms of one document (schema.h names the prefixes; lib/query.c reads them):
 *   body      each token of the stored text, unprefixed, with its position (from 1) and
 *             wdf SILK_WDF_BODY; for Latin/Greek/Cyrillic words also Z<stem> (no position).
 *   title     the article title's tokens as S<term> with positions from 1 and ZS<stem>
 *             (for `title:`), and AGAIN unprefixed with wdf SILK_WDF_TITLE (Z<stem> too) at
 *             positions after the body (a gap of 100 positions), so that a plain query
 *             word matches every document of an article about it, and weighs more there.
 *   section   the section path's tokens as XS<term> positional and ZXS<stem> (for
 *             `section:`), and unprefixed with wdf SILK_WDF_SECTION after the title (again
 *             a gap of 100), likewise. No phrase can span body, title and section.
 *   boolean   K<kind>, XA<article name> (verbatim: "XAiran-north-korea-relations"),
 *             A<word> for each normalized word of each author ("Aszalontai", "Abalazs"),
 *             Y<year>, XC<n> for each reference number the document cites, Q<id>.
 *   value     SILK_SLOT_YEAR: the year (sortable), when there is one.
 *   data      the JSON of silk_corpus_doc_json().
 *   spelling  every body word of 3 or more characters of kind WORD or OTHER (Latin,
 *             Persian, ...; not numbers, not CJK bigrams), one count per occurrence;
 *             counts of replaced and deleted documents are taken away again.
 *   synonyms  each group of corpus/synonyms.txt: every member gets every other member as
 *             a synonym; the key and the synonym are the member's normalized tokens
 *             joined by one space ("democratic people's republic of korea").
 *
 * Metadata (all written in the same transaction as the documents):
 *   SILK_META_FILE_PREFIX + corpus-relative path  JSON {"hash":"<FNV-1a 64 hex>","size":N,
 *        "mtime":NS,"ids":[...],"problems":[...]}; a file whose size and mtime are unchanged
 *        is not read again; a file whose content hash is unchanged is not re-indexed.
 *   SILK_META_SYNONYMS  JSON {"hash":...} of the synonym table last loaded.
 *   SILK_META_INDEXED_AT  ISO 8601 UTC time of the last commit.
 *
 * Runs:
 *   Incremental (default): one Xapian transaction holds every change of the run; when
 *   nothing changed nothing is committed and the revision stays. In a changed file, a
 *   document whose stored data comes out identical is not written again. A file that cannot be
 *   read (or became binary or too large) keeps its previously indexed documents.
 *   --full: a fresh database is built in `<index>.new-<pid>` and then atomically exchanged
 *   with `<index>` (renameat2 RENAME_EXCHANGE; a plain rename when there was none), and the
 *   old one is removed. `<index>` is always a real database folder, so silk_db_reopen(),
 *   which re-resolves the path, sees the old database or the new one, never a gap.
 *   Leftover `<index>.new-*` folders of killed runs are removed by the next run.
 *   Writers are serialized by an advisory lock on `<index>.lock` (holding the writer's
 *   pid), taken before the database is opened, and by Xapian's own lock.
 */
#ifndef SILK_INDEXER_INDEX_H
#define SILK_INDEXER_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "silk/db.h"
#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_META_SYNONYMS  "silk.synonyms"        /* JSON {hash} of the synonym table */
#define SILK_INDEX_MAX_SIZE (256ULL * 1024 * 1024) /* default cap of one file, bytes */
#define SILK_INDEX_GAP      100                    /* positions between body/title/section */

/* Called now and then during a run (about every 100 ms of work). */
typedef void (*silk_index_progress_cb)(uint64_t files_done, uint64_t files_total,
                                       uint64_t bytes_done, double elapsed_s, void *ud);
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
    silk_index_progress_cb progress; /* may be NULL */
    silk_index_note_cb note;         /* may be NULL */
    void *ud;                        /* passed to progress and note */
    /* Sharding (set by indexer/shard.c for each shard's run; see shard.h): 0 for a whole
     * index, where a sharded index found at `index` is handed to silk_shard_run(); else
     * this run writes shard `shard` of `nshards`: only the files silk_index_db_for_file()
     * routes there are its corpus. */
    unsigned nshards;
    unsigned shard;
    /* May be NULL. Called right before the run commits (only when it has changes); a
     * nonzero return cancels the run, nothing committed. Lets every shard commit at once. */
    int (*before_commit)(void *ud);
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

/* Runs one indexing pass with `opts` and fills *sum. On failure nothing is committed and,
 * when msg is not NULL, *msg gets a malloc'd message (the caller frees it):
 * SILK_ERR_NOT_FOUND (corpus missing or vanished), SILK_ERR_LOCKED (no_wait and another
 * writer: "index is being written by another silk-index (pid N)"), SILK_ERR_IO, ... */
silk_status_t silk_index_run(const silk_index_opts_t *opts, silk_index_summary_t *sum, char **msg);

/* Which database of `ndbs` the file at `relpath` goes into (0 when ndbs <= 1): FNV-1a 64
 * of its article name (the path without extension) mod ndbs, so that a file always lands
 * in the same shard (silk-index --shards). Every decision of that kind goes through it. */
unsigned silk_index_db_for_file(const char *relpath, unsigned ndbs);

/* Builds the Xapian document of d into *out (free with silk_doc_destroy()). tok must have
 * the English stemmer set. When spell is not NULL, spell(word, len, ud) is called for each
 * body word that goes into the spelling data. */
typedef int (*silk_index_spell_cb)(const char *word, size_t len, void *ud);
silk_status_t silk_index_build_doc(silk_tokenizer_t *tok, const silk_corpus_doc_t *d,
                                   silk_index_spell_cb spell, void *ud, silk_doc_t **out);

/* 64-bit FNV-1a of data, as 16 lower-case hex digits into hex[17]. */
void silk_index_hash_hex(const char *data, size_t len, char hex[17]);

#ifdef __cplusplus
}
#endif

#endif
