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

/* Reads the lines of a clean .txt file (strutil.h; trimmed in place) into b. Bad input
 * never fails: SILK_ERR_NOMEM when out of memory is the only error. */
silk_status_t silk_read_txt(silk_builder_t *b, silk_line_t *lines, size_t nl);

#ifdef __cplusplus
}
#endif

#endif
