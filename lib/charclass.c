/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — character classes and the word scanner (include/silk/charclass.h). */
#include "silk/charclass.h"

const uint8_t silk_cc_byte[256] = {
    ['0'] = SILK_CC_DIG,   ['1'] = SILK_CC_DIG, ['2'] = SILK_CC_DIG,   ['3'] = SILK_CC_DIG,
    ['4'] = SILK_CC_DIG,   ['5'] = SILK_CC_DIG, ['6'] = SILK_CC_DIG,   ['7'] = SILK_CC_DIG,
    ['8'] = SILK_CC_DIG,   ['9'] = SILK_CC_DIG, ['A'] = SILK_CC_LET,   ['B'] = SILK_CC_LET,
    ['C'] = SILK_CC_LET,   ['D'] = SILK_CC_LET, ['E'] = SILK_CC_LET,   ['F'] = SILK_CC_LET,
    ['G'] = SILK_CC_LET,   ['H'] = SILK_CC_LET, ['I'] = SILK_CC_LET,   ['J'] = SILK_CC_LET,
    ['K'] = SILK_CC_LET,   ['L'] = SILK_CC_LET, ['M'] = SILK_CC_LET,   ['N'] = SILK_CC_LET,
    ['O'] = SILK_CC_LET,   ['P'] = SILK_CC_LET, ['Q'] = SILK_CC_LET,   ['R'] = SILK_CC_LET,
    ['S'] = SILK_CC_LET,   ['T'] = SILK_CC_LET, ['U'] = SILK_CC_LET,   ['V'] = SILK_CC_LET,
    ['W'] = SILK_CC_LET,   ['X'] = SILK_CC_LET, ['Y'] = SILK_CC_LET,   ['Z'] = SILK_CC_LET,
    ['a'] = SILK_CC_LET,   ['b'] = SILK_CC_LET, ['c'] = SILK_CC_LET,   ['d'] = SILK_CC_LET,
    ['e'] = SILK_CC_LET,   ['f'] = SILK_CC_LET, ['g'] = SILK_CC_LET,   ['h'] = SILK_CC_LET,
    ['i'] = SILK_CC_LET,   ['j'] = SILK_CC_LET, ['k'] = SILK_CC_LET,   ['l'] = SILK_CC_LET,
    ['m'] = SILK_CC_LET,   ['n'] = SILK_CC_LET, ['o'] = SILK_CC_LET,   ['p'] = SILK_CC_LET,
    ['q'] = SILK_CC_LET,   ['r'] = SILK_CC_LET, ['s'] = SILK_CC_LET,   ['t'] = SILK_CC_LET,
    ['u'] = SILK_CC_LET,   ['v'] = SILK_CC_LET, ['w'] = SILK_CC_LET,   ['x'] = SILK_CC_LET,
    ['y'] = SILK_CC_LET,   ['z'] = SILK_CC_LET, ['\''] = SILK_CC_APOS, ['.'] = SILK_CC_DOT,
    [','] = SILK_CC_COMMA,
};

int silk_cc_classify(int32_t cp)
{
    if (cp >= 0 && cp < 0x80)
        return silk_cc_byte[cp];
    if (cp == 0x2019)
        return SILK_CC_APOS;
    if (cp == 0x066B) /* Arabic decimal separator: 3٫5 */
        return SILK_CC_DOT;
    if (cp == 0x066C) /* Arabic thousands separator: 1٬600 */
        return SILK_CC_COMMA;
    int cat = silk_cc_category(cp);
    if (silk_cc_letter_cat(cat))
        return silk_cc_is_cjk(cp) ? SILK_CC_CJK : SILK_CC_LET;
    switch (cat) {
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NO:
        return SILK_CC_DIG;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return SILK_CC_MARK;
    case UTF8PROC_CATEGORY_CF:
        return SILK_CC_FMT;
    default:
        return SILK_CC_SEP;
    }
}

static inline bool is_alnum(int c)
{
    return c == SILK_CC_LET || c == SILK_CC_DIG;
}

/* Whether the letter at s[i] stands alone: what follows it, past marks and format
 * characters, is no letter or digit (the second letter of U.S. but not of U.Sx.). */
static bool letter_alone(const char *s, size_t n, size_t i)
{
    size_t len;
    int after;
    for (;;) {
        after = silk_cc_at(s, n, i, &len, NULL);
        if (after != SILK_CC_MARK && after != SILK_CC_FMT)
            break;
        i += len;
    }
    return !is_alnum(after);
}

/* Whether the word that ends at s[end] and has `seg` letters is exactly a Persian verbal
 * prefix, می or نمی (with Farsi yeh, or the Arabic yeh or alef maksura that the
 * normalization folds to it). Two or three letters that are exactly these bytes are the
 * whole word: a mark or a format character between them would be bytes of its own. The
 * scanner keeps no start offset for this test, so that its loop stays in registers. */
static bool persian_prefix(const uint8_t *s, size_t end, size_t seg)
{
    if ((seg != 2 && seg != 3) || end < 2 * seg)
        return false;
    const uint8_t *p = s + end - 4;
    if (seg == 3 && (p[-2] != 0xD9 || p[-1] != 0x86)) /* ن */
        return false;
    if (p[0] != 0xD9 || p[1] != 0x85) /* م */
        return false;
    return (p[2] == 0xDB && p[3] == 0x8C) || (p[2] == 0xD9 && (p[3] == 0x8A || p[3] == 0x89));
}

/* Whether cp is a letter of the Arabic script (the Arabic blocks and presentation forms). */
static bool arabic_letter(int32_t cp)
{
    return ((cp >= 0x0620 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
            (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
            (cp >= 0xFE70 && cp <= 0xFEFF)) &&
           silk_cc_letter_cat(silk_cc_category(cp));
}

size_t silk_cc_scan_word(const char *str, size_t n, size_t i, bool *ascii)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t end = i, len;
    bool all_ascii = true;
    int last = SILK_CC_SEP; /* class of the last letter or digit */
    size_t seg = 0;         /* letters and digits since the word start or the last acronym dot */
    bool chain = true;      /* the word so far is single letters joined by acronym dots */

    while (i < n) {
        uint8_t b = s[i];
        int c;
        if (b < 0x80) {
            c = silk_cc_byte[b];
            len = 1;
            /* The common case: a run of ASCII letters and digits. */
            if (is_alnum(c)) {
                size_t j = i + 1;
                while (j < n && is_alnum(silk_cc_byte[s[j]]))
                    j++;
                if (seg > 0 || c == SILK_CC_DIG || j - i > 1)
                    chain = false;
                seg += j - i;
                last = silk_cc_byte[s[j - 1]];
                i = end = j;
                continue;
            }
        } else {
            c = silk_cc_at(str, n, i, &len, NULL);
        }
        /* Only what the word takes in makes it non-ASCII, not the character that ends it. */
        if (b >= 0x80 && c != SILK_CC_SEP && c != SILK_CC_CJK)
            all_ascii = false;
        size_t nlen;
        int next;
        switch (c) {
        case SILK_CC_LET:
        case SILK_CC_DIG:
            if (seg++ > 0 || c == SILK_CC_DIG)
                chain = false;
            last = c;
            i += len;
            end = i;
            continue;
        case SILK_CC_MARK:
            i += len;
            end = i;
            continue;
        case SILK_CC_FMT:
            i += len;
            continue;
        case SILK_CC_APOS:
            next = silk_cc_at(str, n, i + len, &nlen, NULL);
            if (next == SILK_CC_LET && is_alnum(last)) {
                chain = false;
                i += len;
                continue;
            }
            break;
        case SILK_CC_COMMA:
        case SILK_CC_DOT:
            next = silk_cc_at(str, n, i + len, &nlen, NULL);
            if (last == SILK_CC_DIG && next == SILK_CC_DIG) {
                i += len;
                continue;
            }
            if (c == SILK_CC_DOT && chain && seg == 1 && last == SILK_CC_LET &&
                next == SILK_CC_LET && letter_alone(str, n, i + len + nlen)) {
                seg = 0;
                i += len;
                continue;
            }
            break;
        case SILK_CC_SEP:
            /* The Persian verbal prefixes are written joined, with a ZWNJ (a format
             * character, skipped above) or with a space: می شود, می‌شود and میشود
             * are one word. A space (or no-break space) joins the prefix, when it is the whole word
             * so far, with an Arabic-script letter right after it. */
            if ((b == ' ' || (b == 0xC2 && i + 1 < n && s[i + 1] == 0xA0)) && !all_ascii &&
                persian_prefix(s, end, seg)) {
                int32_t ncp;
                next = silk_cc_at(str, n, i + len, &nlen, &ncp);
                if (next == SILK_CC_LET && arabic_letter(ncp)) {
                    chain = false;
                    i += len;
                    continue;
                }
            }
            break;
        default:
            break;
        }
        break;
    }
    if (ascii)
        *ascii = all_ascii;
    return end;
}
