/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the reader of HTML articles (.html, .htm), parsed with gumbo (an HTML5
 * parser from Debian's libgumbo), shaped for pages saved from Wikipedia so that the saved
 * page yields the same documents as the article's plain-text form (read_txt.h):
 *
 *   The title is `<h1 id="firstHeading">` (or class firstHeading), else the first `<h1>`,
 *   else `<title>` without " - Wikipedia", else the article name. The text read is that of
 *   `<div class="mw-parser-output">` when the page has one, else the whole `<body>`.
 *   `<h2>`..`<h6>` open a section named by the heading text alone (flat, as in the .txt
 *   form; an `<h1>` after the title is a heading too). Each `<p>` and every other run of
 *   text between block elements is a paragraph. `<li>` items are references inside
 *   `<ol class="references">` or under a References heading, readings under Further
 *   reading (silk_section_kind()), else one paragraph each. The first `<table
 *   class="infobox">` before the first heading is the infobox (one row per `<tr>`, its
 *   non-empty `<td>`/`<th>` cells); any other table is a paragraph of the same shape.
 *   Citation markers `<sup class="reference">[n]</sup>` stay as their text `[n]`, which
 *   the builder strips and records (cite.h), so paragraphs cite references by number.
 *
 *   Not article text, skipped with all they contain: <head>, <script>, <style>,
 *   <noscript>, <template>, <svg>, <math>, <img>, <button>, <nav>, form controls, and
 *   elements whose class is one of Wikipedia's chrome classes (navbox, mw-editsection, toc,
 *   noprint, hatnote, catlinks, mw-cite-backlink, mw-jump-link, infobox-above, ...).
 *   Link and inline-markup text is kept as text; entities are decoded; runs of white space
 *   become one space. Text that reads `<script>` (written `&lt;script&gt;`) stays text.
 *
 *   Hostile input: a file over SILK_HTML_MAX_BYTES is a problem and yields no documents
 *   (gumbo's tree takes many times the input), and so is a page whose tags nest deeper
 *   than 512 (gumbo's time grows faster than the square of the depth); gumbo records at most a few
 *   errors; the walk over the tree uses no recursion, so depth costs no stack here.
 */
#ifndef SILK_INDEXER_READ_HTML_H
#define SILK_INDEXER_READ_HTML_H

#include <stddef.h>

#include "article.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_HTML_MAX_BYTES (32u << 20) /* larger HTML files are skipped as a problem */

/* Reads the clean UTF-8 text s[0..n) of an HTML file (strutil.h) into b. Bad input never
 * fails: SILK_ERR_NOMEM when out of memory is the only error. */
silk_status_t silk_read_html(silk_builder_t *b, const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
