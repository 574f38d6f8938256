/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — one growable buffer, and one growth rule for typed arrays.
 *
 * Every module that accumulates bytes (protocol lines, cleaned text, a client's receive
 * buffer) uses silk_buf_t; every module that grows an array of structs uses
 * silk_grow_array(). Both double from a small start, check for size overflow, and never
 * leave the buffer changed when an allocation fails. A buffer may carry a hard limit: a
 * reservation past it fails with SILK_ERR_TOO_LARGE instead of growing (neovim's rstream habit:
 * a bound turns into an error, not into unbounded memory).
 */
#ifndef SILK_BUF_H
#define SILK_BUF_H

#include <stddef.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct silk_buf {
    char *data;   /* bytes [0, len) (owned; NULL until the first reservation) */
    size_t len;   /* bytes held */
    size_t cap;   /* bytes allocated */
    size_t limit; /* most bytes it may ever hold; 0: no limit */
} silk_buf_t;

#define SILK_BUF_INIT                                                                              \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

/* Makes room for `extra` more bytes after len. SILK_ERR_NOMEM when memory runs out,
 * SILK_ERR_TOO_LARGE when len + extra would pass b->limit; b is unchanged on failure. */
silk_status_t silk_buf_reserve(silk_buf_t *b, size_t extra);

/* Appends n bytes (reserving first). */
silk_status_t silk_buf_add(silk_buf_t *b, const void *p, size_t n);

/* Appends a NUL-terminated string, without its NUL. */
silk_status_t silk_buf_adds(silk_buf_t *b, const char *s);

/* Appends one byte. */
silk_status_t silk_buf_addc(silk_buf_t *b, char c);

/* Makes data a NUL-terminated string (the NUL is not counted in len). */
silk_status_t silk_buf_terminate(silk_buf_t *b);

/* Drops the first n bytes (n <= len), keeping the rest in order. */
void silk_buf_consume(silk_buf_t *b, size_t n);

/* Hands the bytes to the caller (NUL-terminated; the caller frees them) and empties b.
 * *len (may be NULL) receives their length. NULL when the terminating byte cannot be
 * allocated (b is then unchanged). */
char *silk_buf_steal(silk_buf_t *b, size_t *len);

/* Frees the bytes; b is empty (its limit kept) and may be reused. NULL is a no-op. */
void silk_buf_free(silk_buf_t *b);

/* Grows the array *p of `*cap` elements of `elem` bytes so that it holds at least `need`
 * elements: doubling from `first` (at least 1), with overflow checks. On failure *p and
 * *cap are unchanged and SILK_ERR_NOMEM is returned. */
silk_status_t silk_grow_array(void **p, size_t *cap, size_t need, size_t elem, size_t first);

/* The typed form: SILK_GROW(arr, cap, need) for `T *arr; size_t cap;`. */
#define SILK_GROW(arr, cap, need)                                                                  \
    silk_grow_array((void **)&(arr), &(cap), (need), sizeof *(arr), 16)

#ifdef __cplusplus
}
#endif

#endif
