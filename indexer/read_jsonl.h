/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the reader of JSON Lines files (.jsonl): one document a line.
 *
 *   Each non-blank line is an object {"id": str, "text": str} with optional "title"
 *   (str; default the article name), "section" (str, or array of str joined by " › "),
 *   "kind" (lead|paragraph|infobox|reference|reading; default paragraph), "year"
 *   (integer or digit string, 1..9999), "author" or "authors" (str or array of str),
 *   "cites" (array of integers >= 1), "cited_by" (array of str). The document id is
 *   "id" verbatim when it contains '#' (its article is the part before the first '#'),
 *   else `<article>#<id>` with the file's article name. An id longer than 240 bytes, a
 *   duplicate id, a wrong type or invalid JSON makes the line invalid: it is reported as
 *   "FILE:LINE: reason" (silk_article_problem()) and skipped; the other lines are kept.
 *   The text is stored as given (no citation stripping). The article's title is the
 *   first document's.
 */
#ifndef SILK_INDEXER_READ_JSONL_H
#define SILK_INDEXER_READ_JSONL_H

#include <stddef.h>

#include "article.h"
#include "silk/status.h"
#include "strutil.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads line `lineno` (1-based), s[0..n), of a clean JSON Lines file (linein.h) into b:
 * one document, or a problem "FILE:LINE: reason", or nothing for a blank line. The file
 * is read one line at a time: nothing of a line is kept but its document. SILK_ERR_NOMEM
 * when out of memory is the only error. */
silk_status_t silk_read_jsonl_line(silk_builder_t *b, const char *s, size_t n, size_t lineno);

#ifdef __cplusplus
}
#endif

#endif
