/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the reader of Markdown articles (.md, .markdown).
 *
 *   An optional front matter block (`---` ... `---`) is skipped (its `title:` is used).
 *   The title is the first line when it is a level-1 `#` heading, else the front matter
 *   title, else the article name. `#`..`######` headings (and setext `===`/`---`
 *   underlines) nest: the section path joins the open headings with " › " ("A › B").
 *   Paragraphs are blocks of non-blank lines (joined with one space); list items
 *   (`- `, `* `, `+ `, `1. `) and their indented continuation lines are one item each:
 *   references / readings under the headings of read_txt.h, else one paragraph each. A `|`
 *   table right after the lead is the infobox; elsewhere a table is a paragraph. Links
 *   `[text](url)` keep their text, images their alt text, `**`/`__` are removed. Fenced
 *   code blocks are one paragraph each.
 */
#ifndef SILK_INDEXER_READ_MD_H
#define SILK_INDEXER_READ_MD_H

#include <stddef.h>

#include "article.h"
#include "silk/status.h"
#include "strutil.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the lines of a clean Markdown file (strutil.h) into b. Bad input never fails:
 * SILK_ERR_NOMEM when out of memory is the only error. */
silk_status_t silk_read_md(silk_builder_t *b, const silk_line_t *lines, size_t nl);

#ifdef __cplusplus
}
#endif

#endif
