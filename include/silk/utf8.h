/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the one strict UTF-8 decoder, and one replacement policy.
 *
 * Overlong forms, surrogates, values above U+10FFFF, stray continuation bytes and
 * truncated sequences decode as U+FFFD. One U+FFFD replaces each maximal invalid subpart
 * (the longest prefix of a broken sequence that could have begun a valid one, at least one
 * byte), as Unicode's "best practice" and the WHATWG encoding standard say, so decoding
 * always advances and never swallows a valid character after a broken one. Documents,
 * queries, protocol strings and the client's terminal output all use this decoder, so a
 * broken byte is replaced the same way everywhere (and byte offsets agree).
 */
#ifndef SILK_UTF8_H
#define SILK_UTF8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_UTF8_REPLACEMENT     "\xEF\xBF\xBD" /* U+FFFD */
#define SILK_UTF8_REPLACEMENT_LEN 3

/* Decodes the code point at s[0] (n >= 1 bytes available) into *cp and returns how many
 * bytes it took (1..4). An invalid subpart gives *cp = 0xFFFD and returns its length. This
 * is inline because the tokenizer calls it for every non-ASCII character. */
static inline size_t silk_utf8_decode(const char *str, size_t n, int32_t *cp)
{
    const uint8_t *s = (const uint8_t *)str;
    uint8_t b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t need;
    int32_t c;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        c = b & 0x0F;
        if (b == 0xE0)
            lo = 0xA0; /* overlong */
        else if (b == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        c = b & 0x07;
        if (b == 0xF0)
            lo = 0x90; /* overlong */
        else if (b == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    for (size_t k = 1; k <= need; k++) {
        if (k >= n || s[k] < lo || s[k] > hi) {
            *cp = 0xFFFD;
            return k;
        }
        c = (c << 6) | (s[k] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = c;
    return need + 1;
}

/* Length of the valid sequence at s[0] (1..4), or 0 when it is an invalid subpart; *bad
 * (may be NULL) then receives the subpart's length. */
static inline size_t silk_utf8_valid(const char *s, size_t n, size_t *bad)
{
    int32_t cp;
    size_t k = silk_utf8_decode(s, n, &cp);
    if (cp == 0xFFFD && !(k == 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBF &&
                          (unsigned char)s[2] == 0xBD)) {
        if (bad)
            *bad = k;
        return 0;
    }
    return k;
}

/* Writes the UTF-8 form of cp (a valid scalar value) to out; returns its length (1..4). */
size_t silk_utf8_encode(int32_t cp, char out[4]);

/* Bytes of the longest prefix of s[0..n) that is valid UTF-8. */
size_t silk_utf8_valid_prefix(const char *s, size_t n);

/* A malloc'ed, NUL-terminated copy of s[0..len) with each invalid subpart replaced by
 * U+FFFD; *out_len (may be NULL) gets its length. NULL when out of memory. */
char *silk_utf8_fix(const char *s, size_t len, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
