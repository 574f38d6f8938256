/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — did-you-mean: the query text with its unknown words replaced by the index's
 * spelling suggestions (DESIGN.md § Query language, `did_you_mean`).
 *
 * Only positive free-text words typed without quotes are corrected, and only those the
 * index knows neither as a term, as a stem, as a Persian suffixed form (morph.h) nor as a
 * synonym key; a query gets a few spelling lookups at most, since one costs from tens of
 * microseconds to milliseconds.
 */
#ifndef SILK_SUGGEST_H
#define SILK_SUGGEST_H

#include <stddef.h>

#include "silk/db.h"
#include "silk/qast.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether `word` (a normalized term, len bytes) is known without being indexed, such as a
 * key of the synonym table. */
typedef int (*silk_suggest_known_cb)(void *ud, const char *word, size_t len);

/* The corrected text of query q[0, len) whose AST is `ast`, into *out (malloc'd; the caller
 * frees it), or *out = NULL when nothing needs correcting. `known` (may be NULL) is asked
 * before the index. A database without spelling data gives no suggestion; a failing
 * lookup (SILK_ERR_MODIFIED, SILK_ERR_NETWORK, ...) returns its status with the message on
 * db (silk_db_error()), SILK_ERR_NOMEM when memory runs out. */
silk_status_t silk_suggest_query(silk_db_t *db, const silk_qast_t *ast, const char *q, size_t len,
                                 silk_suggest_known_cb known, void *ud, char **out);

#ifdef __cplusplus
}
#endif

#endif
