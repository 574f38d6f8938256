/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the growable buffer and the array growth rule (include/silk/buf.h). */
#include "silk/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

silk_status_t silk_grow_array(void **p, size_t *cap, size_t need, size_t elem, size_t first)
{
    if (need <= *cap)
        return SILK_OK;
    size_t n = *cap ? *cap : (first ? first : 1);
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return SILK_ERR_NOMEM;
        n *= 2;
    }
    if (elem && n > SIZE_MAX / elem)
        return SILK_ERR_NOMEM;
    void *q = realloc(*p, n * elem);
    if (!q)
        return SILK_ERR_NOMEM;
    *p = q;
    *cap = n;
    return SILK_OK;
}

silk_status_t silk_buf_reserve(silk_buf_t *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return SILK_OK;
    if (extra > SIZE_MAX - b->len)
        return SILK_ERR_NOMEM;
    size_t need = b->len + extra;
    if (b->limit && need > b->limit)
        return SILK_ERR_TOO_LARGE;
    size_t cap = b->cap;
    silk_status_t rc = silk_grow_array((void **)&b->data, &cap, need, 1, 1024);
    if (rc != SILK_OK)
        return rc;
    /* Doubling may overshoot the limit; a buffer never holds more than it may. */
    if (b->limit && cap > b->limit) {
        char *q = realloc(b->data, b->limit);
        if (q) {
            b->data = q;
            cap = b->limit;
        }
    }
    b->cap = cap;
    return SILK_OK;
}

silk_status_t silk_buf_add(silk_buf_t *b, const void *p, size_t n)
{
    if (n == 0)
        return SILK_OK;
    silk_status_t rc = silk_buf_reserve(b, n);
    if (rc != SILK_OK)
        return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return SILK_OK;
}

silk_status_t silk_buf_adds(silk_buf_t *b, const char *s)
{
    return silk_buf_add(b, s, strlen(s));
}

silk_status_t silk_buf_addc(silk_buf_t *b, char c)
{
    return silk_buf_add(b, &c, 1);
}

silk_status_t silk_buf_terminate(silk_buf_t *b)
{
    silk_status_t rc = silk_buf_reserve(b, 1);
    if (rc != SILK_OK)
        return rc;
    b->data[b->len] = '\0';
    return SILK_OK;
}

void silk_buf_consume(silk_buf_t *b, size_t n)
{
    if (n >= b->len) {
        b->len = 0;
        return;
    }
    memmove(b->data, b->data + n, b->len - n);
    b->len -= n;
}

char *silk_buf_steal(silk_buf_t *b, size_t *len)
{
    if (silk_buf_terminate(b) != SILK_OK)
        return NULL;
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void silk_buf_free(silk_buf_t *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
