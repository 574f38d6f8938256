/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the JSON text writer (include/silk/jsonw.h): numbers and escaped strings. */
#include "silk/jsonw.h"

#include <math.h>
#include <stdio.h>

#include "silk/utf8.h"

void silk_jsonw_double(silk_jsonw_t *w, double v)
{
    char tmp[40];
    if (!isfinite(v))
        v = 0;
    double a = fabs(v);
    if (a >= 1e-3 && a < 1e9) {
        /* Six significant digits, trailing zeros dropped, like "%.6g" in this range. */
        int e = (int)floor(log10(a));
        int dec = 5 - e;
        if (dec < 0)
            dec = 0;
        static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
        uint64_t scaled = (uint64_t)llround(a * pow10[dec]);
        uint64_t ip = scaled / (uint64_t)pow10[dec], fp = scaled % (uint64_t)pow10[dec];
        if (v < 0 && scaled)
            silk_jsonw_raw(w, "-", 1);
        silk_jsonw_u64(w, ip);
        if (fp) {
            char frac[16];
            int n = dec;
            for (int i = dec - 1; i >= 0; i--) {
                frac[i] = (char)('0' + fp % 10);
                fp /= 10;
            }
            while (n > 0 && frac[n - 1] == '0')
                n--;
            silk_jsonw_raw(w, ".", 1);
            silk_jsonw_raw(w, frac, (size_t)n);
        }
        return;
    }
    int n = snprintf(tmp, sizeof tmp, "%.6g", v);
    silk_jsonw_raw(w, tmp, (size_t)n);
}

/* 1 for bytes a JSON string holds as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain_byte[256] = {
    [0x20 ... 0x21] = 1,
    [0x23 ... 0x5B] = 1,
    [0x5D ... 0x7F] = 1,
};

void silk_jsonw_string(silk_jsonw_t *w, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    if (!str)
        len = 0;
    silk_jsonw_raw(w, "\"", 1);
    size_t i = 0;
    while (i < len) {
        /* Copy the longest run of bytes that need no escaping in one go. */
        size_t j = i;
        while (j < len && plain_byte[s[j]])
            j++;
        if (j > i)
            silk_jsonw_raw(w, (const char *)s + i, j - i);
        i = j;
        if (i >= len)
            break;
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            silk_jsonw_raw(w, e, 2);
            i++;
        } else if (c < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            if (c == '\n')
                silk_jsonw_raw(w, "\\n", 2);
            else if (c == '\t')
                silk_jsonw_raw(w, "\\t", 2);
            else if (c == '\r')
                silk_jsonw_raw(w, "\\r", 2);
            else
                silk_jsonw_raw(w, e, 6);
            i++;
        } else {
            size_t bad = 1, n = silk_utf8_valid((const char *)s + i, len - i, &bad);
            if (n == 0) {
                silk_jsonw_raw(w, SILK_UTF8_REPLACEMENT, SILK_UTF8_REPLACEMENT_LEN);
                i += bad;
            } else {
                silk_jsonw_raw(w, (const char *)s + i, n);
                i += n;
            }
        }
    }
    silk_jsonw_raw(w, "\"", 1);
}

silk_status_t silk_jsonw_end(silk_jsonw_t *w)
{
    if (w->err) {
        w->b->len = w->start;
        return SILK_ERR_NOMEM;
    }
    return SILK_OK;
}
