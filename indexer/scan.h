/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the corpus as found on disk: the walk that lists its article files (with
 * their size and mtime), the notes about what it passes over, and reading one file (whole,
 * or in chunks from the one descriptor opened and checked).
 *
 * The walk: subfolders to a depth of 64; hidden files and folders skipped; a database
 * folder inside the corpus skipped; a symbolic link followed only to a file inside the
 * corpus; `synonyms.txt` at the top is the synonym table, not an article; a file that is
 * not .txt/.md/.jsonl is ignored with a note; a folder that cannot be read is a problem,
 * and the files indexed from it are kept (silk_scan_kept()); a name that is not valid
 * UTF-8 is skipped with a note (document ids and metadata must be UTF-8), never failing
 * the run. Folders are opened relative to their parent's descriptor without following
 * links, so a folder swapped for a link during the walk is not entered.
 */
#ifndef SILK_INDEXER_SCAN_H
#define SILK_INDEXER_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "index.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One article file of the corpus. */
typedef struct {
    char *rel;         /* corpus-relative path */
    char *full;        /* path to open */
    uint64_t size;     /* bytes at scan time */
    int64_t mtime;     /* modification time at scan time, ns */
    int64_t ctime;     /* inode change time at scan time, ns (a restored mtime moves it) */
    uint64_t dev;      /* device ... */
    uint64_t ino;      /* ... and inode the scan saw: the reader reads only that file */
    silk_format_t fmt; /* article format */
} silk_scan_entry_t;

typedef struct silk_scan silk_scan_t;

/* Walks `corpus` into *out (free with silk_scan_destroy()), keeping only the files that
 * silk_index_db_for_file(rel, nparts) routes to `part` (every file when nparts <= 1).
 * Each note or problem goes to note(msg, skip, ud) (may be NULL) as it is found.
 * SILK_ERR_NOT_FOUND when the corpus is missing, not a folder or unreadable, with a
 * malloc'd message in *msg (the caller frees it); SILK_ERR_NOMEM. */
silk_status_t silk_scan_corpus(const char *corpus, unsigned nparts, unsigned part,
                               silk_index_note_cb note, void *ud, silk_scan_t **out, char **msg);

/* The article files found, sorted by rel; entries stay valid until silk_scan_destroy(). */
size_t silk_scan_count(const silk_scan_t *s);
const silk_scan_entry_t *silk_scan_entry(const silk_scan_t *s, size_t i);

/* Path of the top-level synonyms.txt, NULL when there is none (valid as the entries). */
const char *silk_scan_synonyms(const silk_scan_t *s);

/* Files passed over with a problem (skipped) and other files ignored with a note. */
uint64_t silk_scan_skipped(const silk_scan_t *s);
uint64_t silk_scan_ignored(const silk_scan_t *s);
/* The bytes of every article file, as the scan saw them (for the progress line's ETA). */
uint64_t silk_scan_bytes(const silk_scan_t *s);

/* Whether the corpus-relative path `rel` lies in a folder the walk could not read: its
 * indexed documents must be kept, not deleted as gone. */
int silk_scan_kept(const silk_scan_t *s, const char *rel);

/* Whether the corpus folder vanished or was replaced since the walk (a corpus that goes
 * away under a run must not empty the index). */
int silk_scan_vanished(const silk_scan_t *s);

/* Frees s; NULL is a no-op. */
void silk_scan_destroy(silk_scan_t *s);

/* Reads the whole regular file at path, at most `cap` bytes, into a malloc'd buffer (the
 * caller frees it; *len gets its length). On failure NULL, with *why a static reason ("not
 * a regular file", "larger than the size cap (--max-size)") or NULL and *err_no an errno.
 * The file is opened once, without blocking (a FIFO is "not a regular file", not a hang),
 * and what was opened is what is checked and read. */
char *silk_scan_read(const char *path, uint64_t cap, size_t *len, const char **why, int *err_no);

/* silk_scan_read() of an entry of the walk: the path is opened without following a link,
 * and must still be the regular file (device and inode) the walk saw, else *why is
 * "replaced since the scan (a link, a FIFO or another file)": a file swapped in between
 * must neither bring a file from outside the corpus in nor block the run. */
char *silk_scan_read_entry(const silk_scan_entry_t *e, uint64_t cap, size_t *len, const char **why,
                           int *err_no);

/* A corpus file opened for reading in chunks (silk_scan_open_entry()): the bytes read so
 * far and their content hash (FNV-1a 64, hash.h: silk_index_hash_hex()'s value once the
 * whole file is read). */
typedef struct {
    int fd;          /* the descriptor opened and checked; -1 when closed */
    uint64_t size;   /* its size when opened */
    uint64_t cap;    /* the most bytes it may give */
    uint64_t done;   /* bytes read since the open or the last rewind */
    uint64_t hash;   /* FNV-1a 64 of those bytes */
    const char *why; /* a failure to report with the next read (static) ... */
    int err_no;      /* ... or its errno */
} silk_scan_file_t;

/* Opens the entry as silk_scan_read_entry() does, with every one of its checks (no link
 * followed, no blocking, still the regular file the walk saw, within the cap), into *f
 * (close it with silk_scan_file_close()). 0, or -1 with *why or *err_no as there. */
int silk_scan_open_entry(const silk_scan_entry_t *e, uint64_t cap, silk_scan_file_t *f,
                         const char **why, int *err_no);

/* Reads the next bytes into buf[0..n): n of them, fewer only at the end of the file (or
 * before a failure, which the next call reports), folded into f->hash. 0 at the end; -1
 * on failure, with *err_no, or *why "larger than the size cap (--max-size)" when the file
 * grew past the cap while it was read (the bytes up to the cap were given). */
long silk_scan_file_read(silk_scan_file_t *f, char *buf, size_t n, const char **why, int *err_no);

/* Back to the start of the file (for a second pass): done and hash start again. 0, or -1
 * with *err_no. */
int silk_scan_file_rewind(silk_scan_file_t *f, int *err_no);

/* The rest of the file at once, as silk_scan_read() gives it. */
char *silk_scan_file_read_all(silk_scan_file_t *f, size_t *len, const char **why, int *err_no);

/* Closes f (again is a no-op). */
void silk_scan_file_close(silk_scan_file_t *f);

#ifdef __cplusplus
}
#endif

#endif
