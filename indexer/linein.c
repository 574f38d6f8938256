/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the chunked line cutter (linein.h). */
#include "linein.h"

#include <stdlib.h>
#include <string.h>

#include "silk/utf8.h"
#include "strutil.h"

void silk_linein_init(silk_linein_t *li, silk_linein_cb cb, void *ud)
{
    memset(li, 0, sizeof *li);
    li->cb = cb;
    li->ud = ud;
}

void silk_linein_free(silk_linein_t *li)
{
    silk_buf_free(&li->part);
    li->lineno = 0;
}

/* Hands on the raw line s[0..n) (without its '\n'): '\r' and a leading BOM dropped,
 * cleaned. */
static silk_status_t line(silk_linein_t *li, const char *s, size_t n)
{
    if (n && s[n - 1] == '\r')
        n--;
    if (li->lineno++ == 0 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        s += 3, n -= 3;
    /* Most lines are clean already: they go as they are, without a copy. */
    if (silk_utf8_valid_prefix(s, n) == n && !memchr(s, '\0', n))
        return li->cb(s, n, li->lineno, li->ud);
    size_t cn = 0;
    char *c = silk_corpus_clean_utf8(s, n, &cn);
    if (!c)
        return SILK_ERR_NOMEM;
    silk_status_t st = li->cb(c, cn, li->lineno, li->ud);
    free(c);
    return st;
}

silk_status_t silk_linein_feed(silk_linein_t *li, const char *data, size_t n)
{
    silk_status_t st;
    while (n) {
        const char *nl = memchr(data, '\n', n);
        if (!nl)
            return silk_buf_add(&li->part, data, n);
        size_t k = (size_t)(nl - data);
        if (li->part.len) {
            if ((st = silk_buf_add(&li->part, data, k)) != SILK_OK)
                return st;
            st = line(li, li->part.data, li->part.len);
            li->part.len = 0;
        } else {
            st = line(li, data, k);
        }
        if (st != SILK_OK)
            return st;
        data += k + 1;
        n -= k + 1;
    }
    return SILK_OK;
}

silk_status_t silk_linein_end(silk_linein_t *li)
{
    if (!li->part.len)
        return SILK_OK;
    silk_status_t st = line(li, li->part.data, li->part.len);
    li->part.len = 0;
    return st;
}
