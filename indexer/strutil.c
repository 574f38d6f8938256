/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — clean text, lines and string helpers (strutil.h). */
#include "strutil.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "silk/utf8.h"

#define ARENA_FIRST 256   /* bytes of an arena's first block */
#define ARENA_MAX   65536 /* its blocks grow to this */

char *silk_corpus_clean_utf8(const char *s, size_t len, size_t *out_len)
{
    size_t n = 0;
    char *fixed = silk_utf8_fix(s, len, &n);
    if (!fixed || !memchr(fixed, '\0', n)) {
        if (fixed && out_len)
            *out_len = n;
        return fixed;
    }
    /* A NUL byte is valid UTF-8 but would cut the text short as a C string: it becomes
     * U+FFFD too. */
    silk_buf_t b = SILK_BUF_INIT;
    const char *p = fixed, *end = fixed + n;
    while (p < end) {
        const char *z = memchr(p, '\0', (size_t)(end - p));
        size_t run = z ? (size_t)(z - p) : (size_t)(end - p);
        if (silk_buf_add(&b, p, run) != SILK_OK ||
            (z && silk_buf_add(&b, SILK_UTF8_REPLACEMENT, SILK_UTF8_REPLACEMENT_LEN) != SILK_OK))
            goto fail;
        p += run + (z ? 1 : 0);
    }
    free(fixed);
    return silk_buf_steal(&b, out_len);
fail:
    free(fixed);
    silk_buf_free(&b);
    return NULL;
}

silk_status_t silk_lines_split(const char *text, size_t len, silk_line_t **out, size_t *nout)
{
    silk_line_t *v = NULL;
    size_t cap = 0, n = 0, i = 0, no = 1;
    while (i < len) {
        const char *e = memchr(text + i, '\n', len - i);
        size_t end = e ? (size_t)(e - text) : len;
        size_t l = end - i;
        if (l && text[i + l - 1] == '\r')
            l--;
        if (SILK_GROW(v, cap, n + 1) != SILK_OK) {
            free(v);
            return SILK_ERR_NOMEM;
        }
        v[n++] = (silk_line_t){text + i, l, no++};
        i = end + 1;
    }
    *out = v;
    *nout = n;
    return SILK_OK;
}

int silk_str_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

void silk_str_trim(const char **s, size_t *n)
{
    while (*n && silk_str_is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n) {
        if (silk_str_is_space((*s)[*n - 1]))
            (*n)--;
        else if (*n >= 2 && (unsigned char)(*s)[*n - 2] == 0xC2 &&
                 (unsigned char)(*s)[*n - 1] == 0xA0)
            *n -= 2;
        else
            break;
    }
}

int silk_str_starts(const char *s, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && memcmp(s, prefix, p) == 0;
}

int silk_str_ends(const char *s, size_t n, const char *suffix)
{
    size_t p = strlen(suffix);
    return n >= p && memcmp(s + n - p, suffix, p) == 0;
}

int silk_str_eq_nocase(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

char *silk_str_from_buf(const silk_buf_t *b, size_t *len)
{
    char *s = malloc(b->len + 1);
    if (!s)
        return NULL;
    if (b->len)
        memcpy(s, b->data, b->len);
    s[b->len] = '\0';
    if (len)
        *len = b->len;
    return s;
}

silk_status_t silk_strvec_push_owned(silk_strvec_t *sv, char *s)
{
    if (!s)
        return SILK_ERR_NOMEM;
    if (SILK_GROW(sv->v, sv->cap, sv->n + 1) != SILK_OK) {
        free(s);
        return SILK_ERR_NOMEM;
    }
    sv->v[sv->n++] = s;
    return SILK_OK;
}

silk_status_t silk_strvec_push(silk_strvec_t *sv, const char *s, size_t n)
{
    return silk_strvec_push_owned(sv, strndup(s, n));
}

int silk_strvec_has(const silk_strvec_t *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return 1;
    return 0;
}

void silk_strvec_truncate(silk_strvec_t *sv, size_t keep)
{
    while (sv->n > keep)
        free(sv->v[--sv->n]);
}

void silk_strvec_free(silk_strvec_t *sv)
{
    silk_strvec_truncate(sv, 0);
    free(sv->v);
    sv->v = NULL;
    sv->cap = 0;
}

/* ---- the arena ---------------------------------------------------------------------------- */

struct silk_arena_block {
    silk_arena_block_t *next; /* the block before it */
    size_t size;              /* bytes of data */
    char data[];
};

char *silk_arena_dup(silk_arena_t *a, const char *s, size_t n)
{
    if (n >= SIZE_MAX / 2)
        return NULL;
    if (a->left < n + 1) {
        /* Each block twice the last, up to ARENA_MAX; a longer string gets one its size.
         * The rest of the block before is left unused. */
        size_t size = a->blocks ? a->blocks->size * 2 : ARENA_FIRST;
        if (size > ARENA_MAX)
            size = ARENA_MAX;
        if (size < n + 1)
            size = n + 1;
        silk_arena_block_t *b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->next = a->blocks;
        b->size = size;
        a->blocks = b;
        a->at = b->data;
        a->left = size;
    }
    char *c = a->at;
    memcpy(c, s, n);
    c[n] = '\0';
    a->at += n + 1;
    a->left -= n + 1;
    return c;
}

void silk_arena_free(silk_arena_t *a)
{
    while (a->blocks) {
        silk_arena_block_t *b = a->blocks;
        a->blocks = b->next;
        free(b);
    }
    memset(a, 0, sizeof *a);
}
