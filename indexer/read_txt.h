/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the reader of plain articles (.txt).
 *
 *   Line 1 is the title; then paragraphs, one per line (blank lines are ignored). A line
 *   of at most 80 characters that does not end in final punctuation (. ! ? : ; , " ” ) ]
 *   … and the like) is a heading candidate. In a run of consecutive candidates, the last
 *   one is a heading when prose or a `- ` list follows it; the first one is a heading when
 *   the run has three or more lines (heading, short list lines, heading); a candidate
 *   that is a standard section name (See also, References, Further reading, Notes,
 *   External links, Bibliography, ...) is always a heading. Every other candidate is a
 *   short paragraph of its section (the items of a list such as "See also"). A heading
 *   replaces the previous one: .txt sections do not nest.
 *   The run of lines containing `|` right after the lead (or right after the title) is
 *   the infobox: one document whose text is the non-empty cells, " | " between the cells
 *   of a row and "; " between rows (separator rows such as `---|---|` dropped).
 *   Under a References heading (also Citations, Footnotes, Notes and references) each
 *   `- ` line is a reference `#ref-<N>`, N from 1; under Further reading (also
 *   Bibliography) each `- ` line is a reading `#read-<N>`. Any other `- ` line is a
 *   paragraph (the marker removed).
 *   Paragraphs are numbered in file order `#p<N>` from 1; paragraphs before the first
 *   heading have kind "lead" (p1 always is the lead), later ones "paragraph".
 *
 *   The reader takes the file one line at a time (linein.h) and decides with bounded
 *   lookahead: it holds only the pending run of heading candidates (each at most 80
 *   characters) until the line that ends the run, and the infobox rows until the infobox
 *   ends. A run holds at most RUN_MAX (4096) candidates: when one more comes, the run held
 *   is decided as if another candidate followed it (its last line is then a heading only
 *   when it is a standard section name or its segment's first line of three or more), and
 *   a new run starts. This is the one case where the documents differ from deciding the
 *   whole file at once: a run of more than 4096 consecutive short lines.
 */
#ifndef SILK_INDEXER_READ_TXT_H
#define SILK_INDEXER_READ_TXT_H

#include <stddef.h>

#include "article.h"
#include "silk/status.h"
#include "strutil.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A .txt file being read, line by line. */
typedef struct silk_txt_reader silk_txt_reader_t;

/* A reader that adds the documents of the file to b (borrowed until destroy).
 * SILK_ERR_NOMEM when out of memory. */
silk_status_t silk_txt_reader_new(silk_builder_t *b, silk_txt_reader_t **out);

/* The next clean line s[0..n) of the file (linein.h), copied when it must wait. Bad input
 * never fails: SILK_ERR_NOMEM when out of memory is the only error. */
silk_status_t silk_txt_reader_line(silk_txt_reader_t *r, const char *s, size_t n);

/* The end of the file: decides and adds what was waiting. SILK_ERR_NOMEM. */
silk_status_t silk_txt_reader_end(silk_txt_reader_t *r);

/* Frees r (not its builder); NULL is a no-op. */
void silk_txt_reader_destroy(silk_txt_reader_t *r);

#ifdef __cplusplus
}
#endif

#endif
