/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the bounds of the reindex runner, as pure functions: the child's summary read
 * from its stdout with every list cut to its first N entries (the counts kept), and the
 * --watch debounce with a ceiling, so a folder that never goes quiet is still indexed.
 *
 * Calls nothing of the daemon (only jansson and silk/buf), so unit tests link it alone.
 */
#ifndef SILKD_RXBOUND_H
#define SILKD_RXBOUND_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "silk/buf.h"

/* Entries of each list of the summary that are kept; the rest are counted in "<key>_more". */
#define SILKD_SUMMARY_KEEP 20
/* Bytes of one summary line kept once its lists are cut; an entry that does not fit is
 * counted as dropped, like one past SILKD_SUMMARY_KEEP. */
#define SILKD_SUMMARY_BYTES (64 * 1024)
/* Top-level lists of one line whose dropped entries are counted. */
#define SILKD_SUMMARY_LISTS 8

/* A streaming reader of the child's stdout. The summary is the last line that is a JSON
 * object; a list directly inside it (the indexer's "problems") keeps only its first
 * `keep` entries, so memory and the stats answer stay bounded whatever the child prints,
 * and the summary is never lost to a read bound. */
typedef struct {
    size_t keep;                            /* entries kept per list */
    size_t max_bytes;                       /* bytes of one line kept */
    silk_buf_t line;                        /* the current line, lists cut */
    silk_buf_t elem;                        /* the current list entry, buffered */
    int depth;                              /* nesting depth of the scanner */
    int in_str, esc;                        /* inside a string; after a backslash */
    int top_obj;                            /* the line's value is an object */
    int in_list;                            /* inside a list of the top object */
    int elem_big;                           /* the current entry is over the bound */
    int elem_any;                           /* the current entry has a character */
    int overflow;                           /* the line is over max_bytes: lost */
    int key_next;                           /* at depth 1, the next string is a key */
    int in_key;                             /* scanning that key */
    char key[64];                           /* the last key at depth 1 */
    size_t key_len;                         /* its length */
    size_t kept;                            /* entries kept of the current list */
    int slot;                               /* its index in list_key, or -1 */
    unsigned nlists;                        /* lists with dropped entries, this line */
    char list_key[SILKD_SUMMARY_LISTS][64]; /* their keys */
    uint64_t dropped[SILKD_SUMMARY_LISTS];  /* entries dropped of each */
    uint64_t lines_lost;                    /* object lines over max_bytes */
    json_t *summary;                        /* the last object line, or NULL */
} silkd_summary_t;

/* Starts (or restarts, freeing what it held) a reader keeping `keep` entries per list. */
void silkd_summary_init(silkd_summary_t *s, size_t keep, size_t max_bytes);
/* Feeds n bytes of the child's stdout. */
void silkd_summary_feed(silkd_summary_t *s, const char *p, size_t n);
/* The end of the output: returns the summary (a new reference the caller owns), or NULL
 * when no line was an object. A summary line over the byte bound even after its lists
 * were cut becomes {"ok":null,"summary_lost":"..."}, so its loss is said, not silent. */
json_t *silkd_summary_finish(silkd_summary_t *s);
/* Frees what s holds. */
void silkd_summary_free(silkd_summary_t *s);

/* The longest progress line of the child that is read; a longer one is skipped whole. */
#define SILKD_PROGRESS_LINE 512
/* What starts a progress line of `silk-index --progress=json` on its stderr. */
#define SILKD_PROGRESS_PREFIX "silk-index: progress "

/* A streaming reader of the child's stderr that keeps its last progress object, in a fixed
 * buffer: whatever the child prints, it holds one line of at most SILKD_PROGRESS_LINE bytes
 * and one small object. */
typedef struct {
    char line[SILKD_PROGRESS_LINE]; /* the current line */
    size_t len;                     /* its bytes so far */
    int skip;                       /* the current line is too long: skipped to its end */
    json_t *last;                   /* the last progress object, or NULL */
} silkd_progress_t;

/* Starts (or restarts, freeing what it held) a reader. */
void silkd_progress_init(silkd_progress_t *p);
/* Feeds n bytes of the child's stderr; returns 1 when a new progress object was read. */
int silkd_progress_feed(silkd_progress_t *p, const char *s, size_t n);
/* Whether the line s[0..n) is a progress line (not a message worth reporting). */
int silkd_progress_is_line(const char *s, size_t n);
/* Frees what p holds. */
void silkd_progress_free(silkd_progress_t *p);

/* --watch: milliseconds to wait before a run, for a change seen at now_ms when the first
 * change not yet indexed was seen at first_ms. The wait is the quiet time `delay_ms`,
 * but never past first_ms + max_ms: a folder that changes more often than delay_ms is
 * indexed at least every max_ms instead of never. */
uint64_t silkd_watch_wait(uint64_t now_ms, uint64_t first_ms, uint64_t delay_ms, uint64_t max_ms);

#endif
