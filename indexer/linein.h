/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the lines of a corpus file as its bytes come, in chunks of any size (from
 * a descriptor read 64 KiB at a time, or from a buffer in memory): the one line cutter of
 * the streamed readers (.txt and .jsonl), so that a file is never held whole.
 *
 * A line ends at '\n' (not part of it); one '\r' before it is dropped too; bytes after the
 * last '\n' are a last line. Each line is cleaned as strutil.h cleans a whole text (each
 * invalid UTF-8 subpart and each NUL byte becomes U+FFFD): an invalid subpart never spans
 * a '\n', so the clean lines are exactly the lines of the clean text. A UTF-8 byte order
 * mark at the start of the file is dropped. What this gives is what
 * silk_lines_split(silk_corpus_clean_utf8(file)) gave, line for line (the text of a file
 * that is only a BOM gives one empty line instead of none; blank lines are skipped by
 * every reader). A line is held in memory only while it is incomplete: memory follows
 * the longest line, not the file.
 */
#ifndef SILK_INDEXER_LINEIN_H
#define SILK_INDEXER_LINEIN_H

#include <stddef.h>

#include "silk/buf.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called with each clean line s[0..n) (valid UTF-8 without NUL; not NUL-terminated, valid
 * until it returns) and its 1-based number. A status other than SILK_OK stops the feed:
 * silk_linein_feed() / silk_linein_end() return it. */
typedef silk_status_t (*silk_linein_cb)(const char *s, size_t n, size_t lineno, void *ud);

/* A line cutter; set up with silk_linein_init(), freed with silk_linein_free(). */
typedef struct {
    silk_buf_t part;   /* the raw bytes of a line begun in an earlier chunk */
    size_t lineno;     /* lines handed on so far */
    silk_linein_cb cb; /* where lines go */
    void *ud;          /* its argument */
} silk_linein_t;

void silk_linein_init(silk_linein_t *li, silk_linein_cb cb, void *ud);

/* Takes the next n bytes of the file, handing on every line they complete. */
silk_status_t silk_linein_feed(silk_linein_t *li, const char *data, size_t n);

/* The end of the file: hands on its last line, when it did not end with '\n'. */
silk_status_t silk_linein_end(silk_linein_t *li);

/* Frees what li holds; it may be set up again. */
void silk_linein_free(silk_linein_t *li);

#ifdef __cplusplus
}
#endif

#endif
