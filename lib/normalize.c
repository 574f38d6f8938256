/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the normalization of a word (include/silk/normalize.h).
 *
 * A span is normalized in phases over a code point buffer: map each code point (case fold
 * and compatibility decomposition, dropping format characters and acronym dots), put
 * combining marks in canonical order, strip the marks that are accents, compose (NFKC, which
 * also recomposes conjoining jamo into Hangul syllables), apply the Arabic-script folds, and
 * encode. ASCII spans skip everything but the mapping. The buffers grow by doubling and are
 * reused, so nothing is allocated per word.
 */
#include "silk/normalize.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "silk/buf.h"
#include "silk/charclass.h"

/* A run of combining marks up to this long is insertion-sorted; a longer one (only hostile
 * input has them) is counting-sorted so that the work stays linear. */
#define SHORT_RUN 32

struct silk_norm {
    int32_t *cps;   /* code points being normalized */
    size_t cps_cap; /* capacity of cps, in code points */
    silk_buf_t out; /* the normalized text, NUL-terminated */
};

silk_status_t silk_norm_new(silk_norm_t **out)
{
    silk_norm_t *nm = NULL;
    if (!out)
        return SILK_ERR_INVALID;
    nm = calloc(1, sizeof *nm);
    if (!nm)
        goto fail;
    if (SILK_GROW(nm->cps, nm->cps_cap, 256) != SILK_OK ||
        silk_buf_reserve(&nm->out, 1024) != SILK_OK)
        goto fail;
    *out = nm;
    return SILK_OK;
fail:
    silk_norm_destroy(nm);
    return SILK_ERR_NOMEM;
}

void silk_norm_destroy(silk_norm_t *nm)
{
    if (!nm)
        return;
    free(nm->cps);
    silk_buf_free(&nm->out);
    free(nm);
}

static inline int ccc(int32_t cp)
{
    return cp < 0x300 ? 0 : utf8proc_get_property(cp)->combining_class;
}

/* Puts each run of combining marks in nm->cps[0..cnt) in canonical order: a stable sort by
 * combining class (utf8proc_decompose_char leaves this to its caller). */
static silk_status_t canonical_order(silk_norm_t *nm, size_t cnt)
{
    size_t k = 0;
    while (k < cnt) {
        if (ccc(nm->cps[k]) == 0) {
            k++;
            continue;
        }
        size_t a = k;
        while (k < cnt && ccc(nm->cps[k]) != 0)
            k++;
        size_t len = k - a;
        if (len <= SHORT_RUN) {
            int32_t *run = nm->cps + a;
            for (size_t i = 1; i < len; i++) {
                int32_t cp = run[i];
                int c = ccc(cp);
                size_t j = i;
                for (; j > 0 && ccc(run[j - 1]) > c; j--)
                    run[j] = run[j - 1];
                run[j] = cp;
            }
            continue;
        }
        silk_status_t rc = SILK_GROW(nm->cps, nm->cps_cap, cnt + len);
        if (rc != SILK_OK)
            return rc;
        int32_t *run = nm->cps + a, *tmp = nm->cps + cnt;
        size_t at[257] = {0};
        for (size_t i = 0; i < len; i++)
            at[ccc(run[i]) + 1]++;
        for (int c = 1; c < 257; c++)
            at[c] += at[c - 1];
        for (size_t i = 0; i < len; i++)
            tmp[at[ccc(run[i])]++] = run[i];
        memcpy(run, tmp, len * sizeof *run);
    }
    return SILK_OK;
}

/* The Latin letters that have no decomposition (so stripping marks leaves them as they are)
 * and that Latin-ASCII transliteration (ICU) and Lucene's ASCIIFoldingFilter spell with
 * plain letters: Søren = Soren, Łódź = Lodz, encyclopædia = encyclopaedia. Only the lower
 * case forms are needed, since case folding comes first (Ø → ø); ß already folds to ss.
 * Up to two letters, packed low byte first; 0 when cp is not one of them. Ŀ/ŀ and ŉ are
 * mapped before decomposition (see map_span), which would make them l + U+00B7 and ʼn. */
static inline uint32_t latin_fold(int32_t cp)
{
    if (cp < 0xE6 || cp > 0x167)
        return 0;
    switch (cp) {
    case 0xE6: /* æ */
        return 'a' | 'e' << 8;
    case 0xF0:  /* ð */
    case 0x111: /* đ */
        return 'd';
    case 0xF8: /* ø */
        return 'o';
    case 0xFE: /* þ */
        return 't' | 'h' << 8;
    case 0x127: /* ħ */
        return 'h';
    case 0x131: /* dotless ı */
        return 'i';
    case 0x138: /* ĸ (kra): q, as Lucene and the DUCET collation have it */
        return 'q';
    case 0x142: /* ł */
        return 'l';
    case 0x14B: /* ŋ */
        return 'n';
    case 0x153: /* œ */
        return 'o' | 'e' << 8;
    case 0x167: /* ŧ */
        return 't';
    default:
        return 0;
    }
}

/* Applies latin_fold() to the `got` code points just decomposed at nm->cps[at..): a
 * letter becomes one or two ASCII letters. *got is updated. */
static silk_status_t fold_latin(silk_norm_t *nm, size_t at, size_t *got)
{
    for (size_t k = at; k < at + *got; k++) {
        uint32_t f = latin_fold(nm->cps[k]);
        if (!f)
            continue;
        nm->cps[k] = (int32_t)(f & 0xFF);
        if (f >> 8) {
            silk_status_t rc = SILK_GROW(nm->cps, nm->cps_cap, at + *got + 1);
            if (rc != SILK_OK)
                return rc;
            memmove(nm->cps + k + 2, nm->cps + k + 1, (at + *got - k - 1) * sizeof *nm->cps);
            nm->cps[++k] = (int32_t)(f >> 8);
            (*got)++;
        }
    }
    return SILK_OK;
}

/* Phase 1: maps each code point of s[0..n) into nm->cps (case fold + compatibility
 * decomposition), dropping format characters and acronym dots. *cnt gets the number of
 * code points, *all_ascii whether they are all ASCII (nothing to compose or fold), *reorder
 * whether a mark with a nonzero combining class was seen. */
static silk_status_t map_span(silk_norm_t *nm, const char *s, size_t n, bool one_word,
                              size_t *cnt_out, bool *all_ascii, bool *reorder)
{
    silk_status_t rc;
    size_t cnt = 0, i = 0;
    size_t word_end = one_word ? n : 0;
    int last = SILK_CC_SEP; /* class of the word's last letter or digit */

    *all_ascii = true;
    *reorder = false;
    while (i < n) {
        int32_t cp;
        size_t len;
        int c = silk_cc_at(s, n, i, &len, &cp);
        if (i >= word_end && (c == SILK_CC_LET || c == SILK_CC_DIG)) {
            word_end = silk_cc_scan_word(s, n, i, NULL);
            last = SILK_CC_SEP;
        }
        i += len;
        if (i <= word_end) {
            if (c == SILK_CC_LET || c == SILK_CC_DIG)
                last = c;
            else if (c == SILK_CC_DOT && last == SILK_CC_LET)
                continue; /* an acronym dot */
            else if (c == SILK_CC_SEP)
                continue; /* the space after a Persian verbal prefix (silk_cc_scan_word) */
        }
        if (c == SILK_CC_FMT)
            continue;
        if (nm->cps_cap - cnt < 32 && (rc = SILK_GROW(nm->cps, nm->cps_cap, cnt + 32)) != SILK_OK)
            return rc;
        if (cp < 0x80) {
            nm->cps[cnt++] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
            continue;
        }
        if (cp == 0x2019) {
            nm->cps[cnt++] = '\'';
            continue;
        }
        *all_ascii = false;
        if (cp == 0x13F || cp == 0x140 || cp == 0x149) { /* Ŀ ŀ → l, ŉ → n (see latin_fold) */
            nm->cps[cnt++] = cp == 0x149 ? 'n' : 'l';
            continue;
        }
        for (;;) {
            size_t room = nm->cps_cap - cnt;
            utf8proc_ssize_t got = utf8proc_decompose_char(
                cp, nm->cps + cnt, (utf8proc_ssize_t)room,
                UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD, NULL);
            if (got < 0)
                return SILK_ERR_INTERNAL;
            if ((size_t)got <= room) {
                size_t ng = (size_t)got;
                for (size_t k = 0; k < ng; k++)
                    if (utf8proc_get_property(nm->cps[cnt + k])->combining_class)
                        *reorder = true;
                /* Only Latin-1 Supplement, Extended-A and -B letters decompose or fold to
                 * the letters latin_fold() spells out (Ø → ø, Ǿ → ø + acute). */
                if (cp >= 0xC6 && cp <= 0x24F && (rc = fold_latin(nm, cnt, &ng)) != SILK_OK)
                    return rc;
                cnt += ng;
                break;
            }
            if ((rc = SILK_GROW(nm->cps, nm->cps_cap, cnt + (size_t)got)) != SILK_OK)
                return rc;
        }
    }
    *cnt_out = cnt;
    return SILK_OK;
}

/* Phases 3 to 5 over nm->cps[0..*cnt), in canonical order: strip the accents, compose,
 * fold Arabic script. *cnt gets the new count. */
static silk_status_t fold_marks(silk_norm_t *nm, size_t *cnt_io)
{
    int32_t *cps = nm->cps;
    size_t cnt = *cnt_io;
    /* Phase 3: strip nonspacing marks after Latin, Greek and Cyrillic letters, where they
     * are accents (Balázs = Balazs); elsewhere they are spelling (Indic vowels). */
    bool compose = false, base_lgc = false;
    size_t w = 0;
    for (size_t k = 0; k < cnt; k++) {
        int32_t cp = cps[k];
        if (cp < 0x80) {
            base_lgc = silk_cc_is_lgc(cp);
        } else {
            int cat = silk_cc_category(cp);
            if (cat == UTF8PROC_CATEGORY_MN && base_lgc)
                continue;
            if (silk_cc_mark_cat(cat) || (cp >= 0x1160 && cp <= 0x11FF) ||
                (cp >= 0xD7B0 && cp <= 0xD7FF))
                compose = true; /* something may compose with what precedes it */
            if (!silk_cc_mark_cat(cat))
                base_lgc = silk_cc_letter_cat(cat) && silk_cc_is_lgc(cp);
        }
        cps[w++] = cp;
    }
    cnt = w;
    /* Phase 4: canonical composition: NFKC (conjoining jamo become syllables). */
    if (compose) {
        utf8proc_ssize_t got = utf8proc_normalize_utf32(cps, (utf8proc_ssize_t)cnt,
                                                        UTF8PROC_COMPOSE | UTF8PROC_STABLE);
        if (got < 0)
            return SILK_ERR_INTERNAL;
        cnt = (size_t)got;
    }
    /* Phase 5: Arabic-script folds. */
    w = 0;
    for (size_t k = 0; k < cnt; k++) {
        int32_t cp = silk_norm_arabic_fold(cps[k]);
        if (cp >= 0)
            cps[w++] = cp;
    }
    *cnt_io = w;
    return SILK_OK;
}

static silk_status_t norm_span(silk_norm_t *nm, const char *s, size_t n, bool one_word, char **out,
                               size_t *out_len)
{
    silk_status_t rc;
    size_t cnt;
    bool all_ascii, reorder;

    if ((rc = map_span(nm, s, n, one_word, &cnt, &all_ascii, &reorder)) != SILK_OK)
        return rc;
    if (!all_ascii) {
        /* Phase 2: canonical ordering of combining marks. */
        if (reorder && (rc = canonical_order(nm, cnt)) != SILK_OK)
            return rc;
        if ((rc = fold_marks(nm, &cnt)) != SILK_OK)
            return rc;
    }

    /* Phase 6: encode. */
    nm->out.len = 0;
    if ((rc = silk_buf_reserve(&nm->out, cnt * 4 + 1)) != SILK_OK)
        return rc;
    uint8_t *o = (uint8_t *)nm->out.data;
    size_t olen = 0;
    if (all_ascii) {
        for (size_t k = 0; k < cnt; k++)
            o[olen++] = (uint8_t)nm->cps[k];
    } else {
        for (size_t k = 0; k < cnt; k++)
            olen += (size_t)utf8proc_encode_char(nm->cps[k], o + olen);
    }
    o[olen] = 0;
    *out = nm->out.data;
    *out_len = olen;
    return SILK_OK;
}

silk_status_t silk_norm_word(silk_norm_t *nm, const char *s, size_t n, char **out, size_t *out_len)
{
    return norm_span(nm, s, n, true, out, out_len);
}

silk_status_t silk_norm_text(silk_norm_t *nm, const char *s, size_t n, char **out, size_t *out_len)
{
    return norm_span(nm, s, n, false, out, out_len);
}
