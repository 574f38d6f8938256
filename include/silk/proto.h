/* silk — the wire protocol: one request line in, one response line out (docs/protocol.md).
 *
 * Decoding is a pure function of its input bytes: any byte string yields either a request
 * or an error with a message, never a crash, and it touches no global state (a fuzz target
 * drives silk_proto_decode directly). A silk_request_t holds everything it needs inline, so
 * decoding allocates nothing that outlives the call.
 *
 * Encoders append one complete response line (ending in '\n') to a growable byte buffer
 * that the caller reuses from request to request, so a busy connection does not allocate
 * per response. Strings are escaped as JSON; bytes that are not valid UTF-8 become U+FFFD,
 * so every line written is valid JSON whatever the index holds.
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

#define SILK_PROTO_LINE_MAX 65536 /* default bound of one request line, '\n' excluded */
#define SILK_PROTO_ID_MAX   256   /* bytes of a request id once encoded as JSON */
#define SILK_PROTO_MSG_MAX  256   /* bytes of an error message */

typedef enum {
    SILK_REQ_NONE = 0, /* an empty (or all-blank) line: nothing to answer */
    SILK_REQ_SEARCH,   /* {"op":"search"} or a line that does not start with '{' */
    SILK_REQ_STATS,    /* {"op":"stats"} */
    SILK_REQ_PING,     /* {"op":"ping"} */
    SILK_REQ_REINDEX,  /* {"op":"reindex"} */
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
    SILK_PROTO_NCODES       /* sentinel, not a code */
} silk_proto_code_t;

/* The wire name of a code ("bad_request"); "ok" for SILK_PROTO_OK. Never NULL. */
const char *silk_proto_code_name(silk_proto_code_t code);

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
    uint32_t fields;                  /* search: SILK_FIELD_* bits of hit fields */
    silk_proto_code_t code;           /* SILK_PROTO_OK, or why the line is rejected */
    char message[SILK_PROTO_MSG_MAX]; /* the error's message ("" when none) */
    long position;                    /* byte offset of the error in the line, or -1 */
} silk_request_t;

/* Decodes one request line of `len` bytes (without its '\n'; a trailing '\r' is allowed).
 * Any bytes are accepted. Returns SILK_OK with req filled in, req->op SILK_REQ_NONE for a
 * blank line; or SILK_ERR_INVALID with req->code, req->message and req->position telling
 * why (req->id still holds the id when the line was a JSON object with a valid one, so the
 * error can echo it). `req` is fully overwritten; nothing is allocated. */
silk_status_t silk_proto_decode(const char *line, size_t len, silk_request_t *req);

/* A growable output buffer. Zero-initialize it; free its memory with silk_proto_buf_free. */
typedef struct {
    char *data; /* malloc'd bytes, or NULL */
    size_t len; /* bytes used */
    size_t cap; /* bytes allocated */
} silk_proto_buf_t;

/* Makes room for `extra` more bytes. SILK_ERR_NOMEM when malloc fails (b is unchanged). */
silk_status_t silk_proto_buf_reserve(silk_proto_buf_t *b, size_t extra);
/* Frees the buffer's memory and zeroes it. Accepts an already freed buffer. */
void silk_proto_buf_free(silk_proto_buf_t *b);

/* Each encoder appends one response line ending in '\n' to b, or appends nothing and
 * returns SILK_ERR_NOMEM. `id` is the request id as JSON text (req->id), or NULL/"" for
 * null. */

/* {"id":..,"ok":true,"took_us":..,"total":..,"exact":..,"relaxed":..,["did_you_mean":..,]
 *  ["explain":..,]"hits":[...]} with the hit fields `req` asks for. */
silk_status_t silk_proto_encode_result(silk_proto_buf_t *b, const silk_request_t *req,
                                       const silk_result_t *res);

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
