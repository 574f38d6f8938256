/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the synonym table, corpus/synonyms.txt (DESIGN.md § Query language).
 *
 * One group a line, members separated by '=', e.g.
 * `dprk = north korea = democratic people's republic of korea`; `#` starts a comment
 * line; blank lines are ignored; a line with fewer than two distinct members is a problem.
 * Members are kept as written (trimmed, valid UTF-8: strutil.h's text rule); index.c
 * normalizes them.
 */
#ifndef SILK_INDEXER_SYNONYMS_H
#define SILK_INDEXER_SYNONYMS_H

#include <stddef.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_SYNONYMS_FILE "synonyms.txt" /* the synonym table at the top of the corpus */

typedef struct silk_synonyms silk_synonyms_t;

/* Parses the synonym table; `path` names it in problem messages. *out owns the result
 * (silk_synonyms_destroy()). SILK_ERR_NOMEM when out of memory. */
silk_status_t silk_synonyms_parse(const char *path, const char *data, size_t len,
                                  silk_synonyms_t **out);
/* NULL is a no-op. */
void silk_synonyms_destroy(silk_synonyms_t *syn);
size_t silk_synonyms_group_count(const silk_synonyms_t *syn);
/* Members of group g as written (trimmed, valid UTF-8), valid until destroy. */
size_t silk_synonyms_member_count(const silk_synonyms_t *syn, size_t g);
const char *silk_synonyms_member(const silk_synonyms_t *syn, size_t g, size_t m);
/* Problems ("FILE:LINE: reason"), valid until destroy. */
size_t silk_synonyms_problem_count(const silk_synonyms_t *syn);
const char *silk_synonyms_problem(const silk_synonyms_t *syn, size_t i);

#ifdef __cplusplus
}
#endif

#endif
