/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — character classes and word boundaries of the text pipeline (DESIGN.md § Text).
 *
 * The tokenizer (lib/text.c) and the word normalizer (lib/normalize.c) must agree on what
 * a letter, a joiner and a word are, or normalizing a token's [start,end) would not give
 * back its term. This module is that one definition: the class of a code point, the byte
 * table for ASCII, the script tests (CJK, Latin/Greek/Cyrillic), the CJK unit rules, and
 * the word scanner. As in Xapian's termgenerator, the tiny classifiers are static inline
 * so that the tokenizer's loop pays no call for them; classifying a non-ASCII code point
 * (a lookup in utf8proc's tables) and scanning a word are functions.
 */
#ifndef SILK_CHARCLASS_H
#define SILK_CHARCLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <utf8proc.h>

#include "silk/utf8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a code point is to the tokenizer. */
enum {
    SILK_CC_SEP = 0, /* separates words: space, punctuation, symbols, U+FFFD, controls, NUL */
    SILK_CC_LET,     /* a letter (not CJK) or letter number */
    SILK_CC_DIG,     /* a decimal digit or other number */
    SILK_CC_MARK,    /* a combining mark: part of the character before it */
    SILK_CC_FMT,     /* a format character (bidi marks, ZWNJ, ZWJ, soft hyphen): ignored */
    SILK_CC_APOS,    /* ' or ’: joins letters */
    SILK_CC_DOT,     /* . : joins digits, and single letters into an acronym */
    SILK_CC_COMMA,   /* , : joins digits */
    SILK_CC_CJK,     /* a Hangul, Han or Kana letter: bigrammed */
};

/* The class of each ASCII byte: letters, digits, ' . and , have theirs, every other ASCII
 * byte is SILK_CC_SEP. Bytes from 0x80 up begin or continue a multi-byte character, which
 * only silk_cc_at() can classify; they read SILK_CC_SEP here too, so that a loop over a run
 * of ASCII letters and digits stops at one without a second test. */
extern const uint8_t silk_cc_byte[256];

/* The class of any code point (ASCII through the table, the rest through utf8proc's
 * general category); cp must be a scalar value or U+FFFD. */
int silk_cc_classify(int32_t cp);

/* Scripts whose letters are bigrammed rather than split into words. Only letters reach
 * this test, so the punctuation and symbols inside these blocks stay separators. */
static inline bool silk_cc_is_cjk(int32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) ||   /* Hangul Jamo */
           (cp >= 0x3005 && cp <= 0x9FFF) ||   /* Kana, compatibility Jamo, Bopomofo, Han */
           (cp >= 0xA960 && cp <= 0xA97F) ||   /* Hangul Jamo Extended-A */
           (cp >= 0xAC00 && cp <= 0xD7FF) ||   /* Hangul syllables, Jamo Extended-B */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* CJK compatibility ideographs */
           (cp >= 0xFF66 && cp <= 0xFFDC) ||   /* halfwidth Katakana and Hangul */
           (cp >= 0x1B000 && cp <= 0x1B16F) || /* Kana supplement and extensions */
           (cp >= 0x20000 && cp <= 0x3134F);   /* Han extensions B..G */
}

/* Latin, Greek and Cyrillic: the scripts whose marks are stripped and whose words are
 * stemmable. */
static inline bool silk_cc_is_lgc(int32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    return (cp >= 0x00AA && cp <= 0x052F) || /* Latin-1 .. Cyrillic Supplement */
           (cp >= 0x1C80 && cp <= 0x1C8F) || /* Cyrillic Extended-C */
           (cp >= 0x1D00 && cp <= 0x1DBF) || /* phonetic extensions */
           (cp >= 0x1E00 && cp <= 0x1FFF) || /* Latin Extended Additional, Greek Extended */
           (cp >= 0x2C60 && cp <= 0x2C7F) || /* Latin Extended-C */
           (cp >= 0x2DE0 && cp <= 0x2DFF) || /* Cyrillic Extended-A */
           (cp >= 0xA640 && cp <= 0xA69F) || /* Cyrillic Extended-B */
           (cp >= 0xA720 && cp <= 0xA7FF) || /* Latin Extended-D */
           (cp >= 0xAB30 && cp <= 0xAB6F) || /* Latin Extended-E */
           (cp >= 0xFB00 && cp <= 0xFB06) || /* Latin ligatures */
           (cp >= 0xFF21 && cp <= 0xFF5A);   /* fullwidth Latin */
}

/* The Unicode general category of cp (a UTF8PROC_CATEGORY_* value). */
static inline int silk_cc_category(int32_t cp)
{
    return utf8proc_get_property(cp)->category;
}

/* Whether a general category is a letter (Lu, Ll, Lt, Lm, Lo) or a letter number (Nl). */
static inline bool silk_cc_letter_cat(int cat)
{
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           cat == UTF8PROC_CATEGORY_NL;
}

/* Whether a general category is a combining mark (Mn, Mc, Me). */
static inline bool silk_cc_mark_cat(int cat)
{
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
           cat == UTF8PROC_CATEGORY_ME;
}

/* The class of the code point at s[i] (SILK_CC_SEP past the end, i >= n); *len gets its
 * length in bytes (0 past the end) and *cpo (may be NULL) the code point (-1 past the
 * end). Invalid UTF-8 decodes as U+FFFD, a separator. */
static inline int silk_cc_at(const char *s, size_t n, size_t i, size_t *len, int32_t *cpo)
{
    int32_t cp;
    if (i >= n) {
        *len = 0;
        if (cpo)
            *cpo = -1;
        return SILK_CC_SEP;
    }
    uint8_t b = (uint8_t)s[i];
    if (b < 0x80) {
        *len = 1;
        if (cpo)
            *cpo = b;
        return silk_cc_byte[b];
    }
    *len = silk_utf8_decode(s + i, n - i, &cp);
    if (cpo)
        *cpo = cp;
    return silk_cc_classify(cp);
}

/* Finds the end of the word that starts at s[i] (a letter or digit) and returns it: the
 * byte after its last letter, digit or mark. Joiners are kept only between the right
 * neighbours: ' between a letter or digit and a letter; . and , between digits; . between
 * single letters (U.S.A.), where the letter after the dot must itself stand alone.
 * Format characters inside a word are skipped over. A Persian verbal prefix (می, نمی) that
 * is the whole word so far joins the next word across one space or no-break space when an
 * Arabic-script letter follows it (the ZWNJ spelling is one word already). *ascii (may be
 * NULL) is cleared when the word takes in any non-ASCII byte. The decisions look only at
 * the word and the code points right after it, so scanning a word's span by itself finds
 * the same word. */
size_t silk_cc_scan_word(const char *s, size_t n, size_t i, bool *ascii);

/* Hangul syllables, common Han and full-width Kana are their own NFKC form, so a bigram
 * of two of them is its own bytes. */
static inline bool silk_cc_cjk_plain(int32_t cp)
{
    return (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3041 && cp <= 0x3096) ||
           (cp >= 0x30A1 && cp <= 0x30FA);
}

/* Whether the code point cp (of class c) belongs to the CJK unit whose base is `base`:
 * combining marks always; vowel and final jamo after a Hangul syllable or initial jamo,
 * since NFKC composes them into one syllable; half-width sound marks after half-width
 * Kana. */
static inline bool silk_cc_cjk_attaches(int32_t cp, int c, int32_t base)
{
    if (c == SILK_CC_MARK)
        return true;
    if ((cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF))
        return (base >= 0x1100 && base <= 0x115F) || (base >= 0xA960 && base <= 0xA97F) ||
               (base >= 0xAC00 && base <= 0xD7A3);
    return cp == 0xFF9E || cp == 0xFF9F;
}

#ifdef __cplusplus
}
#endif

#endif
