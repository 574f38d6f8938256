/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the daemon's response encoders (docs/protocol.md): one response line per call.
 *
 * Encoders append one complete response line (ending in '\n') to a growable byte buffer
 * that the caller reuses from request to request, so a busy connection does not allocate
 * per response. Strings are escaped as JSON; bytes that are not valid UTF-8 become U+FFFD,
 * so every line written is valid JSON whatever the index holds. Values copied from a hit's
 * stored data (cites, cited_by, year, authors, text) are checked to be well-formed JSON
 * first: a damaged document can cost a field, never the line.
 */
#ifndef SILK_PROTO_RESP_H
#define SILK_PROTO_RESP_H

#include <stddef.h>

#include "silk/buf.h"
#include "silk/docview.h"
#include "silk/proto.h"
#include "silk/search.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The output buffer is the one growable buffer (include/silk/buf.h); this name is kept for
 * the daemon's code. Zero-initialize it; free its memory with silk_proto_buf_free. */
typedef silk_buf_t silk_proto_buf_t;

/* Makes room for `extra` more bytes (silk_buf_reserve). SILK_ERR_NOMEM when malloc fails
 * (b is unchanged). */
silk_status_t silk_proto_buf_reserve(silk_proto_buf_t *b, size_t extra);
/* Frees the buffer's memory and zeroes it (silk_buf_free). Accepts an already freed buffer. */
void silk_proto_buf_free(silk_proto_buf_t *b);

/* Each encoder appends one response line ending in '\n' to b, or appends nothing and
 * returns SILK_ERR_NOMEM. `id` is the request id as JSON text (req->id), or NULL/"" for
 * null. */

/* {"id":..,"ok":true,"took_us":..,"total":..,"exact":..,"relaxed":..,["did_you_mean":..,]
 *  ["explain":..,]"hits":[...]} with the hit fields `req` asks for. */
silk_status_t silk_proto_encode_result(silk_proto_buf_t *b, const silk_request_t *req,
                                       const silk_result_t *res);

/* {"id":..,"ok":true,"doc":{"id":..,"kind":..,"article":..,"section":..,"text":..,["year":..,]
 *  ["authors":[..],]"cites":[{"n":..,"id":..[,"text":..]}..],"cited_by":[{"id":..[,"section":..,
 *  "text":..]}..][,"cites_more":N][,"cited_by_more":N]}}: the answer to the doc op. */
silk_status_t silk_proto_encode_doc(silk_proto_buf_t *b, const char *id, size_t id_len,
                                    const silk_docview_t *v);

/* {"id":..,"ok":false,"error":{"code":..,"message":..[,"position":N]}}; position < 0 is
 * left out. `msg` need not be valid UTF-8. */
silk_status_t silk_proto_encode_error(silk_proto_buf_t *b, const char *id, size_t id_len,
                                      silk_proto_code_t code, const char *msg, long position);

/* {"id":..,"ok":true<members>} where `members` is either empty or a JSON object's members
 * text starting with ',' (e.g. `,"pong":true`), copied as is: the caller vouches for it. */
silk_status_t silk_proto_encode_ok(silk_proto_buf_t *b, const char *id, size_t id_len,
                                   const char *members, size_t members_len);

/* Appends `len` bytes of `s` as a JSON string (quotes included). For callers building
 * their own members text for silk_proto_encode_ok. */
silk_status_t silk_proto_put_string(silk_proto_buf_t *b, const char *s, size_t len);

#ifdef __cplusplus
}
#endif

#endif
