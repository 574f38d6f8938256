/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the wire protocol's vocabulary and the daemon's request decoder (docs/protocol.md).
 *
 * This header is what both ends of the socket share: the line limit, the ops, the error
 * codes and their wire names, the hit fields a request may ask for. The protocol is three
 * modules over it, each with its own header and none calling back into another:
 *   silk/proto.h        (lib/proto.c)         decode a request line (the daemon's input);
 *   silk/proto_resp.h   (lib/proto_resp.c)    encode response lines (the daemon's output);
 *   silk/proto_client.h (lib/proto_client.c)  encode requests, decode responses (the client).
 *
 * Decoding is a pure function of its input bytes: any byte string yields either a request
 * or an error with a message, never a crash, and it touches no global state (a fuzz target
 * drives silk_proto_decode directly). A silk_request_t holds everything it needs inline, so
 * decoding allocates nothing that outlives the call.
 */
#ifndef SILK_PROTO_H
#define SILK_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "silk/search.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The one line limit: silkd's default bound of a request line ('\n' excluded; --max-line
 * changes it), and the longest request line the client sends (its '\n' included). */
#define SILK_PROTO_LINE_MAX 65536
#define SILK_PROTO_ID_MAX   256 /* bytes of a request id once encoded as JSON */
#define SILK_PROTO_MSG_MAX  256 /* bytes of an error message */
#define SILK_PROTO_DOC_MAX  240 /* bytes of a document id (Xapian's term limit less "Q") */

typedef enum {
    SILK_REQ_NONE = 0, /* an empty (or all-blank) line: nothing to answer */
    SILK_REQ_SEARCH,   /* {"op":"search"} or a line that does not start with '{' */
    SILK_REQ_STATS,    /* {"op":"stats"} */
    SILK_REQ_PING,     /* {"op":"ping"} */
    SILK_REQ_REINDEX,  /* {"op":"reindex"} */
    SILK_REQ_DOC,      /* {"op":"doc","doc":"<document id>"}: one document, whole */
} silk_req_op_t;

/* Error codes of the protocol, in the order stats lists them. */
typedef enum {
    SILK_PROTO_OK = 0,      /* no error */
    SILK_PROTO_BAD_REQUEST, /* not JSON, wrong types, unknown op */
    SILK_PROTO_BAD_QUERY,   /* the query does not parse or exceeds a search bound */
    SILK_PROTO_TOO_LARGE,   /* the line is over the limit; the connection closes */
    SILK_PROTO_OVERLOADED,  /* too many connections or waiting requests */
    SILK_PROTO_UNAVAILABLE, /* no index yet (or a remote shard is down) */
    SILK_PROTO_INTERNAL,    /* anything else */
    SILK_PROTO_NOT_FOUND,   /* doc: no document has that id */
    SILK_PROTO_NCODES       /* sentinel, not a code */
} silk_proto_code_t;

/* The wire name of a code ("bad_request"); "ok" for SILK_PROTO_OK. Never NULL. */
const char *silk_proto_code_name(silk_proto_code_t code);

/* The wire name of an op ("search"); "" for SILK_REQ_NONE or an unknown value. Never NULL. */
const char *silk_proto_op_name(silk_req_op_t op);

/* The code of a wire name ("bad_query" -> SILK_PROTO_BAD_QUERY); SILK_PROTO_INTERNAL for a
 * name this version does not know or NULL. */
silk_proto_code_t silk_proto_code_parse(const char *name);

/* Hit fields a request may ask for with "fields"; a bit each. */
enum {
    SILK_FIELD_RANK = 1u << 0,
    SILK_FIELD_ID = 1u << 1,
    SILK_FIELD_KIND = 1u << 2,
    SILK_FIELD_SCORE = 1u << 3,
    SILK_FIELD_ARTICLE = 1u << 4,
    SILK_FIELD_SECTION = 1u << 5,
    SILK_FIELD_SNIPPET = 1u << 6,
    SILK_FIELD_HIGHLIGHTS = 1u << 7,
    SILK_FIELD_CITES = 1u << 8,    /* copied from the stored data when present */
    SILK_FIELD_CITED_BY = 1u << 9, /* idem */
    SILK_FIELD_YEAR = 1u << 10,    /* idem */
    SILK_FIELD_AUTHORS = 1u << 11, /* idem */
    SILK_FIELD_TEXT = 1u << 12,    /* the whole stored text: only when asked for */
    SILK_FIELDS_DEFAULT = (1u << 12) - 1,
};

/* One decoded request line. Everything is inline; no field needs freeing. */
typedef struct {
    silk_req_op_t op;                 /* what to do */
    char id[SILK_PROTO_ID_MAX];       /* the request's id as JSON text, "null" if none */
    size_t id_len;                    /* its length */
    char q[SILK_QUERY_MAX_BYTES + 1]; /* search: the query text, NUL-terminated */
    size_t q_len;                     /* its length in bytes */
    silk_mode_t mode;                 /* search: "all" (default) or "any" */
    uint32_t limit;                   /* search: hits wanted (default 10) */
    uint32_t offset;                  /* search: hits skipped (default 0) */
    int snippets;                     /* search: compute snippets (default 1) */
    int explain;                      /* search: return the parsed query (default 0) */
    int no_typos;                     /* search: "typos": false (default: typos on) */
    silk_rank_t rank;                 /* search: "rank" overrides (rank.set 0: none) */
    uint32_t fields;                  /* search: SILK_FIELD_* bits of hit fields */
    silk_facet_req_t facets;          /* search: "facets" and "facet_limit" (none by default) */
    silk_proto_code_t code;           /* SILK_PROTO_OK, or why the line is rejected */
    char message[SILK_PROTO_MSG_MAX]; /* the error's message ("" when none) */
    long position;                    /* byte offset of the error in the line, or -1 */
    char doc[SILK_PROTO_DOC_MAX + 1]; /* doc: the document id, NUL-terminated */
    size_t doc_len;                   /* its length in bytes */
} silk_request_t;

/* Decodes one request line of `len` bytes (without its '\n'; a trailing '\r' is allowed).
 * Any bytes are accepted. Returns SILK_OK with req filled in, req->op SILK_REQ_NONE for a
 * blank line; or SILK_ERR_INVALID with req->code, req->message and req->position telling
 * why (req->id still holds the id when the line was a JSON object with a valid one, so the
 * error can echo it). `req` is fully overwritten; nothing is allocated. */
silk_status_t silk_proto_decode(const char *line, size_t len, silk_request_t *req);

#ifdef __cplusplus
}
#endif

#endif
