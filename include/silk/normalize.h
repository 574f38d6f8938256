/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the normalization of a word (DESIGN.md § Text).
 *
 * One function turns the bytes of a word (or of any text) into its term: NFKC and case
 * fold through utf8proc, combining marks stripped after Latin, Greek and Cyrillic letters
 * (Balázs → balazs) but kept where they are spelling (Indic vowel signs), the Latin letters
 * that do not decompose spelled as Latin-ASCII transliteration spells them (ø → o, æ → ae,
 * ł → l, þ → th, ...), format characters, acronym dots and the space after a Persian
 * verbal prefix dropped (می شود → میشود), conjoining jamo recomposed into syllables, and
 * the Arabic-script folds applied. The tokenizer normalizes every non-ASCII word with it and
 * silk_normalize() (include/silk/text.h) whole field values, so a word's [start,end) always
 * normalizes back to its term. A normalizer owns two growable buffers and no global state: one per
 * thread.
 */
#ifndef SILK_NORMALIZE_H
#define SILK_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct silk_norm silk_norm_t;

/* A new normalizer (its buffers allocated up front); free it with silk_norm_destroy().
 * SILK_ERR_NOMEM when memory runs out, SILK_ERR_INVALID when out is NULL. */
silk_status_t silk_norm_new(silk_norm_t **out);

/* Frees nm; NULL is a no-op. */
void silk_norm_destroy(silk_norm_t *nm);

/* Normalizes s[0..n), which is exactly one word as silk_cc_scan_word() found it, into the
 * normalizer's buffer: *out (NUL-terminated, *out_len bytes) stays valid, and may be
 * written to (to cut it shorter), until the next call on nm. SILK_ERR_NOMEM when a buffer
 * cannot grow, SILK_ERR_INTERNAL when utf8proc fails. */
silk_status_t silk_norm_word(silk_norm_t *nm, const char *s, size_t n, char **out, size_t *out_len);

/* The same for any text: the words inside it are found as the tokenizer finds them, so
 * that their acronym dots are dropped in the same places; everything else is mapped
 * as it is (spaces and punctuation stay). */
silk_status_t silk_norm_text(silk_norm_t *nm, const char *s, size_t n, char **out, size_t *out_len);

/* The Arabic-script folds of DESIGN.md, for a code point after composition (so that alef
 * with hamza is one code point again): the folded code point, or -1 to drop it (tatweel,
 * harakat). Every other code point is returned as it is. */
static inline int32_t silk_norm_arabic_fold(int32_t cp)
{
    if (cp < 0x0622 || cp > 0x06F9)
        return cp;
    if (cp == 0x0640 || (cp >= 0x064B && cp <= 0x0652))
        return -1; /* tatweel, harakat */
    switch (cp) {
    case 0x064A: /* Arabic yeh */
    case 0x0649: /* alef maksura */
        return 0x06CC;
    case 0x0643: /* Arabic kaf */
        return 0x06A9;
    case 0x0629: /* teh marbuta */
        return 0x0647;
    case 0x0622: /* alef with madda, hamza above, hamza below */
    case 0x0623:
    case 0x0625:
        return 0x0627;
    default:
        break;
    }
    if (cp >= 0x0660 && cp <= 0x0669) /* Arabic-Indic digits */
        return '0' + (cp - 0x0660);
    if (cp == 0x066B)
        return '.';
    if (cp == 0x066C)
        return ',';
    if (cp >= 0x06F0 && cp <= 0x06F9) /* Persian digits */
        return '0' + (cp - 0x06F0);
    return cp;
}

#ifdef __cplusplus
}
#endif

#endif
