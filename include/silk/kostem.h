/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — a light stemmer for Korean words (DESIGN.md § Text).
 *
 * A Korean word (eojeol) is a noun or verb stem followed by particles and endings:
 * 대통령이, 대통령은, 대통령의 are one noun with three particles, 침몰했다 is the noun
 * 침몰 with a verbal ending. The tokenizer indexes Hangul as bigrams, which find compounds
 * but tie a word to its particle; this stemmer strips one common particle or ending (from
 * a small table, longest match first) so that the inflected forms meet on one stem term.
 * Like Lucene's nori with its default part-of-speech filter it drops particles (J),
 * endings (E) and the verb-forming 하/되 (XSV), but with a table instead of a dictionary:
 * a stem always keeps at least two syllables, and a few common nouns whose last syllable
 * looks like a particle (민주주의, 국가, 결과, 북한) are listed so that they stay whole.
 */
#ifndef SILK_KOSTEM_H
#define SILK_KOSTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of one precomposed Hangul syllable (U+AC00..U+D7A3) in UTF-8. */
#define SILK_KO_SYLLABLE_BYTES 3

/* Whether cp is a precomposed Hangul syllable, the only unit the stemmer reads. */
static inline bool silk_ko_is_syllable(int32_t cp)
{
    return cp >= 0xAC00 && cp <= 0xD7A3;
}

/* The length in bytes of the stem of word[0..len), which should be precomposed Hangul
 * syllables only: the stem is a prefix of the word, at least two syllables long. A word
 * of one or two syllables, or one no rule applies to, is its own stem (len is returned).
 * Only the last few syllables are decoded; when they are not Hangul syllables, or len is
 * not a multiple of 3, len is returned too. Nothing outside word[0..len) is read. */
size_t silk_ko_stem(const char *word, size_t len);

/* For the unit test: whether the table is well formed (each length's endings sorted and
 * unique, each found by the search, strip counts in range). */
bool silk__ko_table_sorted(void);

#ifdef __cplusplus
}
#endif

#endif
