/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — a JSON text writer into a silk_buf_t, shared by the daemon's response encoders
 * (lib/proto_resp.c) and the client's request encoder (lib/proto_client.c).
 *
 * A writer appends to a buffer the caller owns and reuses. It records the first allocation
 * failure and then does nothing more, so an encoder writes a whole line and checks once, at
 * silk_jsonw_end, which also takes back everything written since silk_jsonw_begin when a
 * write failed: the buffer holds whole lines or nothing. Strings are escaped as JSON, and
 * bytes that are not valid UTF-8 become U+FFFD (one per maximal invalid subpart, as
 * include/silk/utf8.h decides), so every line written is valid JSON whatever its input.
 *
 * The byte-level calls are inline: a search answer writes a dozen members per hit on the
 * daemon's hottest path.
 */
#ifndef SILK_JSONW_H
#define SILK_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "silk/buf.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One line (or any run of writes) in progress. Lives on the caller's stack. */
typedef struct silk_jsonw {
    silk_buf_t *b; /* where bytes go (borrowed) */
    size_t start;  /* b->len at silk_jsonw_begin: restored on failure */
    int err;       /* nonzero once a reservation failed; later writes do nothing */
} silk_jsonw_t;

/* Starts writing at the end of b (which must outlive w). */
static inline void silk_jsonw_begin(silk_jsonw_t *w, silk_buf_t *b)
{
    w->b = b;
    w->start = b->len;
    w->err = 0;
}

/* Appends n bytes as they are (the caller vouches that they are JSON text). */
static inline void silk_jsonw_raw(silk_jsonw_t *w, const char *s, size_t n)
{
    if (w->err)
        return;
    if (w->b->cap - w->b->len < n && silk_buf_reserve(w->b, n) != SILK_OK) {
        w->err = 1;
        return;
    }
    memcpy(w->b->data + w->b->len, s, n);
    w->b->len += n;
}

/* Appends a NUL-terminated piece of JSON text as it is. */
static inline void silk_jsonw_lit(silk_jsonw_t *w, const char *s)
{
    silk_jsonw_raw(w, s, strlen(s));
}

/* Appends v in decimal (by hand: snprintf costs more than a small answer's encoding). */
static inline void silk_jsonw_u64(silk_jsonw_t *w, uint64_t v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    silk_jsonw_raw(w, p, (size_t)(tmp + sizeof tmp - p));
}

/* Appends v with six significant digits, trailing zeros dropped (like "%.6g"); a NaN or an
 * infinity, which JSON cannot hold, is written as 0. */
void silk_jsonw_double(silk_jsonw_t *w, double v);

/* Appends s[0..len) as a JSON string, quotes included; NULL is "". */
void silk_jsonw_string(silk_jsonw_t *w, const char *s, size_t len);

/* Ends the writes: SILK_OK, or SILK_ERR_NOMEM after taking back every byte written since
 * silk_jsonw_begin. */
silk_status_t silk_jsonw_end(silk_jsonw_t *w);

#ifdef __cplusplus
}
#endif

#endif
