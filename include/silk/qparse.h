/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the query parser (DESIGN.md § Query language, docs/query-syntax.md): query text to
 * the AST of qast.h.
 *
 * A hand-written recursive-descent parser over a tiny lexer. Query words pass through the
 * same tokenizer as documents (qword.h over text.h), so a word that the tokenizer splits
 * into several tokens (`Hwasong-14`, a Hangul word → bigrams) becomes a phrase of those
 * tokens. Every error carries the byte offset where it was found.
 *
 * Grammar (NOT/- binds tightest, then AND — implicit or written —, then OR):
 *   query   := or EOF
 *   or      := and ( "OR" and )*
 *   and     := unary ( ["AND"] unary )*
 *   unary   := ("NOT" | "-") unary | primary
 *   primary := "(" or ")" | '"' words '"' | field ":" value | word ["*"]
 * `AND`, `OR`, `NOT` are operators only in capitals; `or` is a word. Fields: title:
 * section: (text fields) and kind: article: author: cites: year: (filters). An unknown
 * `foo:` is text.
 */
#ifndef SILK_QPARSE_H
#define SILK_QPARSE_H

#include <stddef.h>

#include "silk/qast.h"
#include "silk/qdefs.h"
#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Parses `len` bytes of query text. `tok` normalizes the words; it should have an English
 * stemmer set (silk_tokenizer_set_stemmer) so that words carry stems. On success *out owns
 * the AST (free with silk_qast_destroy()); on failure *out is NULL and *err (may be NULL)
 * says what and where. Bounds: SILK_QUERY_MAX_BYTES, SILK_QUERY_MAX_DEPTH,
 * SILK_QUERY_MAX_TERMS (qdefs.h). */
silk_status_t silk_qparse(silk_tokenizer_t *tok, const char *q, size_t len, silk_qast_t **out,
                          silk_qerror_t *err);

#ifdef __cplusplus
}
#endif

#endif
