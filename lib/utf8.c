/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — UTF-8 helpers around the inline decoder (include/silk/utf8.h). */
#include "silk/utf8.h"

#include "silk/buf.h"

size_t silk_utf8_encode(int32_t cp, char out[4])
{
    uint32_t c = (uint32_t)cp;
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

size_t silk_utf8_valid_prefix(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = silk_utf8_valid(s + i, n - i, NULL);
        if (!k)
            break;
        i += k;
    }
    return i;
}

char *silk_utf8_fix(const char *s, size_t len, size_t *out_len)
{
    silk_buf_t b = SILK_BUF_INIT;
    if (silk_buf_reserve(&b, len + 1) != SILK_OK)
        return NULL;
    size_t i = 0;
    while (i < len) {
        size_t ok = silk_utf8_valid_prefix(s + i, len - i);
        silk_buf_add(&b, s + i, ok); /* reserved above: cannot fail */
        i += ok;
        if (i >= len)
            break;
        size_t bad = 1;
        silk_utf8_valid(s + i, len - i, &bad);
        if (silk_buf_add(&b, SILK_UTF8_REPLACEMENT, SILK_UTF8_REPLACEMENT_LEN) != SILK_OK) {
            silk_buf_free(&b);
            return NULL;
        }
        i += bad;
    }
    return silk_buf_steal(&b, out_len);
}
