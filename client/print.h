/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — everything the client writes: error messages on stderr and the answers
 * on stdout (search hits, an error answer, stats and reindex members).
 *
 * Answers arrive decoded (include/silk/proto_client.h); the text in them comes from the
 * corpus, so it reaches the terminal only through client/render.c. */
#ifndef SILK_CLIENT_PRINT_H
#define SILK_CLIENT_PRINT_H

#include "errmsg.h"
#include "options.h"
#include "silk/proto_client.h"

/* "line 3: " in batch mode, "" otherwise; points into a static buffer. */
const char *silk_cli_where(const silk_cli_opts_t *opt, long line);

/* Prints an error answer: `silk: bad query: unbalanced quote at 5`, and on a terminal the
 * query (may be NULL) with a caret under the position. */
void silk_cli_print_error(const silk_cli_opts_t *opt, long line, const char *query,
                          const silk_response_t *resp);

/* Prints a search answer for query, the `answered`-th answer of the run (counting this
 * one; batch mode separates answers); returns SILK_EXIT_HITS or SILK_EXIT_NO_HITS. */
int silk_cli_print_search(const silk_cli_opts_t *opt, long answered, const char *query,
                          const silk_response_t *resp);

/* Prints a doc answer (silk show): the id, kind, article and section, authors and year,
 * the whole text, then the references it cites with their texts and the paragraphs citing
 * it with the opening of each; with --format ids only the ids it links to. `answered` as
 * for silk_cli_print_search (answers after the first are separated by a blank line). */
void silk_cli_print_doc(const silk_cli_opts_t *opt, long answered, const silk_resp_doc_t *d);

/* Prints the members of an answer as `a.b: value` lines (--stats), or the answer to
 * --reindex as a sentence when it carries the indexer's summary. Both need
 * silk_response_members to have listed the members. */
void silk_cli_print_fields(const silk_response_t *resp);
void silk_cli_print_reindex(const silk_response_t *resp);

#endif
