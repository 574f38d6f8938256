/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the client's side of the wire protocol (docs/protocol.md): encode a request line,
 * decode an answer line into C structs.
 *
 * The client links only this module and what it needs (lib/proto_client.o, lib/proto.o for
 * the code names, lib/jsonw.o, lib/buf.o, lib/utf8.o), so it stays a small static program
 * without the engine. Requests are written with the same JSON writer as the daemon's
 * answers; answers are parsed with jansson and handed out as plain structs whose strings
 * live as long as the silk_response_t.
 */
#ifndef SILK_PROTO_CLIENT_H
#define SILK_PROTO_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "silk/buf.h"
#include "silk/proto.h"
#include "silk/search.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- requests ------------------------------------------------------------------------------ */

/* A request as the client sends it. */
typedef struct silk_client_req {
    silk_req_op_t op;          /* SILK_REQ_SEARCH, _DOC, _STATS, _PING or _REINDEX */
    long long id;              /* the request's id, echoed by the answer */
    const char *q;             /* search: the query text (borrowed; invalid UTF-8 is sent
                                  as U+FFFD); doc: the document id */
    size_t q_len;              /* search, doc: its length in bytes */
    silk_mode_t mode;          /* search: all words or any */
    uint64_t limit;            /* search: hits wanted (the daemon bounds it, not the encoder) */
    uint64_t offset;           /* search: hits to skip */
    const char *const *facets; /* search: facet names to count ("kind", "year", ...), sent
                                  as "facets" when nfacets > 0 (borrowed) */
    size_t nfacets;            /* how many */
} silk_client_req_t;

/* Appends the request line, '\n' included, to b: {"id":..,"op":"search","q":..,"mode":..,
 * "limit":..,"offset":..[,"facets":[..]]}, {"id":..,"op":"doc","doc":..} or
 * {"id":..,"op":".."}. SILK_ERR_NOMEM (or SILK_ERR_TOO_LARGE past b->limit) appends
 * nothing. */
silk_status_t silk_proto_encode_request(silk_buf_t *b, const silk_client_req_t *req);

/* ---- answers ------------------------------------------------------------------------------- */

/* A highlighted byte range [start, end) of a snippet. */
typedef struct silk_span {
    size_t start; /* first byte */
    size_t end;   /* one past the last byte */
} silk_span_t;

/* One hit of a search answer. Strings are NUL-terminated and NULL when the member is
 * missing or not a string; they belong to the silk_response_t. */
typedef struct silk_resp_hit {
    long long rank;              /* "rank", 0 when missing */
    const char *id;              /* "id" */
    const char *kind;            /* "kind" */
    const char *article;         /* "article" */
    const char *section;         /* "section" */
    double score;                /* "score", 0 when missing */
    const char *snippet;         /* "snippet" (may hold NUL bytes: use snippet_len) */
    size_t snippet_len;          /* its length in bytes */
    const silk_span_t *spans;    /* "highlights" that are ranges with start < end */
    size_t nspans;               /* how many */
    const long long *cites;      /* "cites": the reference numbers a paragraph cites */
    size_t ncites;               /* how many */
    const char *const *cited_by; /* "cited_by": the anchors of the paragraphs citing it */
    size_t ncited_by;            /* how many */
} silk_resp_hit_t;

/* A reference a document cites, in a doc answer. */
typedef struct silk_resp_cite {
    long long n;      /* "n": the reference number */
    const char *id;   /* "id": the reference's document id */
    const char *text; /* "text", NULL when missing (the index has no such reference) */
} silk_resp_cite_t;

/* A paragraph citing a document, in a doc answer. */
typedef struct silk_resp_citer {
    const char *id;      /* "id": the paragraph's document id */
    const char *section; /* "section", NULL when missing */
    const char *text;    /* "text": the opening of its text, NULL when missing */
} silk_resp_citer_t;

/* The "doc" member of a doc answer. Strings as in silk_resp_hit_t. */
typedef struct silk_resp_doc {
    const char *id, *kind, *article, *section; /* as the hits have them */
    const char *text;                          /* "text": the whole text (may hold NUL bytes) */
    size_t text_len;                           /* its length in bytes */
    bool has_year;                             /* "year" is an integer */
    long long year;                            /* that integer */
    const char *const *authors;                /* "authors" that are strings */
    size_t nauthors;                           /* how many */
    const silk_resp_cite_t *cites;     /* "cites" that have an integer "n" and a string "id" */
    size_t ncites;                     /* how many */
    const silk_resp_citer_t *cited_by; /* "cited_by" that have a string "id" */
    size_t ncited_by;                  /* how many */
    long long cites_more;              /* "cites_more": cites the daemon left out, 0 if none */
    long long cited_by_more;           /* "cited_by_more": idem */
} silk_resp_doc_t;

/* One value of a facet and the number of matching documents that have it. */
typedef struct silk_resp_facet_value {
    const char *value; /* "value" as text (a number is printed in decimal) */
    long long count;   /* "count" */
} silk_resp_facet_value_t;

/* One facet of a search answer: "facets"."<name>". */
typedef struct silk_resp_facet {
    const char *name;                      /* "kind", "year", ... */
    const silk_resp_facet_value_t *values; /* in the answer's order (count, descending) */
    size_t nvalues;                        /* how many */
} silk_resp_facet_t;

/* Kinds of the values in silk_resp_member_t. */
typedef enum {
    SILK_RESP_STRING,
    SILK_RESP_INT,
    SILK_RESP_REAL,
    SILK_RESP_TRUE,
    SILK_RESP_FALSE,
    SILK_RESP_NULL,
    SILK_RESP_ARRAY,
    SILK_RESP_OBJECT,
} silk_resp_kind_t;

/* One member of an answer, anywhere in its tree (see silk_response_members). */
typedef struct silk_resp_member {
    const char *name;      /* the path of keys joined by '.', e.g. "connections.current" */
    int depth;             /* 0 for a member of the answer object itself */
    silk_resp_kind_t kind; /* what the value is */
    const char *str;       /* SILK_RESP_STRING: the string (NUL-terminated) */
    size_t str_len;        /* SILK_RESP_STRING: its length in bytes */
    long long integer;     /* SILK_RESP_INT: the value */
    double real;           /* SILK_RESP_REAL: the value */
    size_t children;       /* SILK_RESP_OBJECT: its members, which follow it in the list */
    const char *json;      /* every other kind and an empty object: the value as compact
                            * JSON text ("true", "[1,2]", "{}"); NULL otherwise */
} silk_resp_member_t;

/* One decoded answer line. Zero-initialize it (or let silk_response_decode do it). */
typedef struct silk_response {
    bool ok;      /* "ok" is true */
    bool has_id;  /* "id" is an integer */
    long long id; /* that integer */
    /* error answers */
    const char *code_name;  /* "error"."code" as sent, NULL when missing */
    silk_proto_code_t code; /* that code (SILK_PROTO_INTERNAL when unknown or missing) */
    const char *message;    /* "error"."message", NULL when missing */
    long long position;     /* "error"."position", -1 when missing */
    /* search answers (zero when the members are missing) */
    long long total;           /* "total" */
    long long took_us;         /* "took_us" */
    bool exact;                /* "exact" is not false */
    bool relaxed;              /* "relaxed" is true */
    const char *did_you_mean;  /* "did_you_mean", NULL when missing */
    const char **corrections;  /* "corrections": from, to, from, to... (owned array) */
    size_t ncorrections;       /* their number (pairs) */
    silk_resp_hit_t *hits;     /* "hits", in order (owned) */
    size_t nhits;              /* their number */
    silk_resp_facet_t *facets; /* "facets", in the answer's order (owned), NULL when none */
    size_t nfacets;            /* their number */
    /* doc answers */
    bool has_doc;        /* "doc" is an object */
    silk_resp_doc_t doc; /* its members (arrays owned) */
    /* every member, after silk_response_members */
    silk_resp_member_t *members; /* depth first, in the answer's order (owned) */
    size_t nmembers;             /* their number */
    char why[160];               /* why silk_response_decode refused the line */
    void *tree;                  /* private: the parsed line, which the strings point into */
    void *blocks;                /* private: the arrays decoded from it */
} silk_response_t;

/* Decodes one answer line of len bytes (without its '\n'). SILK_OK with r filled in;
 * SILK_ERR_INVALID when the line is not a JSON object (r->why says why); SILK_ERR_NOMEM.
 * r is overwritten; free it with silk_response_free whatever this returns. */
silk_status_t silk_response_decode(silk_response_t *r, const char *line, size_t len);

/* Lists every member of the answer in r->members, depth first: an object comes before its
 * members, and the name of a member inside one is the object's name, '.', its key. For
 * answers printed member by member (stats, reindex). SILK_ERR_NOMEM leaves none. */
silk_status_t silk_response_members(silk_response_t *r);

/* The member named `path` after silk_response_members, or NULL. */
const silk_resp_member_t *silk_response_find(const silk_response_t *r, const char *path);

/* The integer member named `path`, or 0 when it is missing or not an integer. */
long long silk_response_int(const silk_response_t *r, const char *path);

/* Frees what r holds and zeroes it. A zeroed r is a no-op. */
void silk_response_free(silk_response_t *r);

#ifdef __cplusplus
}
#endif

#endif
