/* silk — text normalization and tokenization (DESIGN.md § Text).
 *
 * The pipeline, per token:
 *   1. The scanner finds a word's byte span in the input, classifying the input's code points
 *      (letters, digits, marks, format characters, the joiners ' . ,). Classification looks
 *      at the original code points, so a word's span is decided before any mapping.
 *   2. The span is normalized as a whole (norm_span): NFKC + case fold via utf8proc, combining
 *      marks stripped after Latin/Greek/Cyrillic bases, format characters dropped, acronym
 *      dots dropped, Arabic-script folds applied. silk_normalize() runs the same function, so
 *      normalizing a word's [start,end) always gives back its term.
 *   3. CJK runs (Hangul, Han, Kana) become overlapping bigrams of "units" (a character plus
 *      what attaches to it: conjoining vowel/final jamo, combining marks).
 *
 * ASCII words never reach utf8proc: the scanner reads a byte table and the term is a
 * lower-cased copy. Nothing is allocated per token: the tokenizer owns a code point buffer
 * and an output buffer that grow by doubling and are reused.
 */
#include "silk/text.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* A word is normalized from at most this many input bytes: long enough for 64 output bytes
 * of any script (with marks and format characters to drop), short enough that cutting a
 * 1 MB word costs nothing. */
#define WORD_RAW_MAX (4 * SILK_TERM_MAX)
/* Entries in the stem cache (a power of two). Words follow Zipf's law, so a small
 * direct-mapped cache answers most lookups without a call into the Snowball stemmer. */
#define STEM_CACHE 2048
/* A CJK unit (base character plus attached jamo and marks) spans at most this many bytes;
 * further marks are separators, so a flood of marks cannot make bigrams expensive. */
#define CJK_UNIT_MAX 32

typedef struct {
    uint8_t term_len;             /* 0: empty slot */
    uint8_t stem_len;             /* length of stem */
    char term[SILK_TERM_MAX];     /* the normalized word */
    char stem[SILK_TERM_MAX + 1]; /* its stem, NUL-terminated */
} stem_entry_t;

struct silk_tokenizer {
    silk_stemmer_t *stemmer;          /* not owned; NULL: no stems */
    stem_entry_t *stem_cache;         /* STEM_CACHE recent stems; NULL: none (no memory) */
    int32_t *cps;                     /* code points being normalized */
    size_t cps_cap;                   /* capacity of cps, in code points */
    char *out;                        /* normalized text, NUL-terminated */
    size_t out_cap;                   /* capacity of out, in bytes */
    char stem[4 * SILK_TERM_MAX + 1]; /* the current token's stem */
};

/* ---- character classes ------------------------------------------------------------------ */

enum {
    C_SEP = 0, /* separates words: space, punctuation, symbols, U+FFFD, controls, NUL */
    C_LET,     /* a letter (not CJK) or letter number */
    C_DIG,     /* a decimal digit or other number */
    C_MARK,    /* a combining mark: part of the character before it */
    C_FMT,     /* a format character (bidi marks, ZWNJ, ZWJ, soft hyphen): ignored */
    C_APOS,    /* ' or ’: joins letters */
    C_DOT,     /* . : joins digits, and single letters into an acronym */
    C_COMMA,   /* , : joins digits */
    C_CJK,     /* a Hangul, Han or Kana letter: bigrammed */
};

static const uint8_t ascii_class[128] = {
    ['0'] = C_DIG, ['1'] = C_DIG, ['2'] = C_DIG,   ['3'] = C_DIG, ['4'] = C_DIG,   ['5'] = C_DIG,
    ['6'] = C_DIG, ['7'] = C_DIG, ['8'] = C_DIG,   ['9'] = C_DIG, ['A'] = C_LET,   ['B'] = C_LET,
    ['C'] = C_LET, ['D'] = C_LET, ['E'] = C_LET,   ['F'] = C_LET, ['G'] = C_LET,   ['H'] = C_LET,
    ['I'] = C_LET, ['J'] = C_LET, ['K'] = C_LET,   ['L'] = C_LET, ['M'] = C_LET,   ['N'] = C_LET,
    ['O'] = C_LET, ['P'] = C_LET, ['Q'] = C_LET,   ['R'] = C_LET, ['S'] = C_LET,   ['T'] = C_LET,
    ['U'] = C_LET, ['V'] = C_LET, ['W'] = C_LET,   ['X'] = C_LET, ['Y'] = C_LET,   ['Z'] = C_LET,
    ['a'] = C_LET, ['b'] = C_LET, ['c'] = C_LET,   ['d'] = C_LET, ['e'] = C_LET,   ['f'] = C_LET,
    ['g'] = C_LET, ['h'] = C_LET, ['i'] = C_LET,   ['j'] = C_LET, ['k'] = C_LET,   ['l'] = C_LET,
    ['m'] = C_LET, ['n'] = C_LET, ['o'] = C_LET,   ['p'] = C_LET, ['q'] = C_LET,   ['r'] = C_LET,
    ['s'] = C_LET, ['t'] = C_LET, ['u'] = C_LET,   ['v'] = C_LET, ['w'] = C_LET,   ['x'] = C_LET,
    ['y'] = C_LET, ['z'] = C_LET, ['\''] = C_APOS, ['.'] = C_DOT, [','] = C_COMMA,
};

/* Scripts whose letters are bigrammed rather than split into words. Only letters reach this
 * test, so the punctuation and symbols inside these blocks stay separators. */
static inline bool is_cjk(int32_t cp)
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
static inline bool is_lgc(int32_t cp)
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

static inline bool is_letter_cat(int cat)
{
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           cat == UTF8PROC_CATEGORY_NL;
}

static inline bool is_mark_cat(int cat)
{
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC ||
           cat == UTF8PROC_CATEGORY_ME;
}

static int classify(int32_t cp)
{
    if (cp < 0x80)
        return ascii_class[cp];
    if (cp == 0x2019)
        return C_APOS;
    if (cp == 0x066B) /* Arabic decimal separator: 3٫5 */
        return C_DOT;
    if (cp == 0x066C) /* Arabic thousands separator: 1٬600 */
        return C_COMMA;
    int cat = utf8proc_get_property(cp)->category;
    if (is_letter_cat(cat))
        return is_cjk(cp) ? C_CJK : C_LET;
    switch (cat) {
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NO:
        return C_DIG;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return C_MARK;
    case UTF8PROC_CATEGORY_CF:
        return C_FMT;
    default:
        return C_SEP;
    }
}

/* ---- strict UTF-8 ----------------------------------------------------------------------- */

/* Decodes the code point at s[i] (i < n). Overlong forms, surrogates, values above U+10FFFF,
 * stray continuation bytes and truncated sequences decode as U+FFFD; the replacement covers
 * the longest valid prefix of the broken sequence (at least one byte), as Unicode
 * recommends, so decoding always advances and never swallows a valid character. */
static inline size_t decode(const uint8_t *s, size_t n, size_t i, int32_t *cp)
{
    uint8_t b = s[i];
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
    size_t k;
    for (k = 1; k <= need; k++) {
        if (i + k >= n || s[i + k] < lo || s[i + k] > hi) {
            *cp = 0xFFFD;
            return k;
        }
        c = (c << 6) | (s[i + k] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = c;
    return need + 1;
}

/* The class of the code point at s[i], C_SEP past the end; *len gets its length. */
static inline int class_at(const uint8_t *s, size_t n, size_t i, size_t *len, int32_t *cpo)
{
    int32_t cp;
    if (i >= n) {
        *len = 0;
        if (cpo)
            *cpo = -1;
        return C_SEP;
    }
    if (s[i] < 0x80) {
        *len = 1;
        if (cpo)
            *cpo = s[i];
        return ascii_class[s[i]];
    }
    *len = decode(s, n, i, &cp);
    if (cpo)
        *cpo = cp;
    return classify(cp);
}

/* ---- the word scanner ------------------------------------------------------------------- */

/* Finds the end of the word that starts at s[i] (a letter or digit) and returns it: the byte
 * after its last letter, digit or mark. Joiners are kept only between the right
 * neighbours: ' between a letter or digit and a letter; . and , between digits; . between
 * single letters (U.S.A.), where the letter after the dot must itself stand alone. Format
 * characters inside a word are skipped over. *ascii is cleared when the span holds any
 * non-ASCII byte. The decisions look only at the span and the code points right after it,
 * so scanning a span by itself (as silk_normalize does) finds the same word. */
static size_t scan_word(const uint8_t *s, size_t n, size_t i, bool *ascii)
{
    size_t end = i, len;
    bool all_ascii = true;
    int last = C_SEP;  /* class of the last letter or digit */
    int seg = 0;       /* letters and digits since the word start or the last acronym dot */
    bool chain = true; /* the word so far is single letters joined by acronym dots */

    while (i < n) {
        uint8_t b = s[i];
        int c;
        if (b < 0x80) {
            c = ascii_class[b];
            len = 1;
            /* The common case: a run of ASCII letters and digits. */
            if (c == C_LET || c == C_DIG) {
                if (seg++ > 0 || c == C_DIG)
                    chain = false;
                last = c;
                i++;
                while (i < n && s[i] < 0x80 &&
                       (ascii_class[s[i]] == C_LET || ascii_class[s[i]] == C_DIG)) {
                    chain = false;
                    last = ascii_class[s[i]];
                    seg++;
                    i++;
                }
                end = i;
                continue;
            }
        } else {
            c = class_at(s, n, i, &len, NULL);
        }
        /* Only what the word takes in makes it non-ASCII, not the character that ends it. */
        if (b >= 0x80 && c != C_SEP && c != C_CJK)
            all_ascii = false;
        size_t nlen;
        int next;
        switch (c) {
        case C_LET:
        case C_DIG:
            if (seg++ > 0 || c == C_DIG)
                chain = false;
            last = c;
            i += len;
            end = i;
            continue;
        case C_MARK:
            i += len;
            end = i;
            continue;
        case C_FMT:
            i += len;
            continue;
        case C_APOS:
            next = class_at(s, n, i + len, &nlen, NULL);
            if (next == C_LET && (last == C_LET || last == C_DIG)) {
                chain = false;
                i += len;
                continue;
            }
            break;
        case C_COMMA:
        case C_DOT:
            next = class_at(s, n, i + len, &nlen, NULL);
            if (last == C_DIG && next == C_DIG) {
                i += len;
                continue;
            }
            if (c == C_DOT && chain && seg == 1 && last == C_LET && next == C_LET) {
                /* The letter after the dot must stand alone too: U.S. but not U.Sx. */
                size_t j = i + len + nlen, jl;
                int after;
                for (;;) {
                    after = class_at(s, n, j, &jl, NULL);
                    if (after != C_MARK && after != C_FMT)
                        break;
                    j += jl;
                }
                if (after != C_LET && after != C_DIG) {
                    seg = 0;
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

/* ---- buffers ---------------------------------------------------------------------------- */

static silk_status_t grow_cps(silk_tokenizer_t *tok, size_t need)
{
    if (need <= tok->cps_cap)
        return SILK_OK;
    size_t cap = tok->cps_cap ? tok->cps_cap : 256;
    while (cap < need)
        cap *= 2;
    int32_t *p = realloc(tok->cps, cap * sizeof *p);
    if (!p)
        return SILK_ERR_NOMEM;
    tok->cps = p;
    tok->cps_cap = cap;
    return SILK_OK;
}

static silk_status_t grow_out(silk_tokenizer_t *tok, size_t need)
{
    if (need <= tok->out_cap)
        return SILK_OK;
    size_t cap = tok->out_cap ? tok->out_cap : 1024;
    while (cap < need)
        cap *= 2;
    char *p = realloc(tok->out, cap);
    if (!p)
        return SILK_ERR_NOMEM;
    tok->out = p;
    tok->out_cap = cap;
    return SILK_OK;
}

/* ---- normalization ---------------------------------------------------------------------- */

/* The Arabic-script folds of DESIGN.md, applied after composition so that alef with hamza
 * is one code point again. Returns the folded code point, or -1 to drop it. */
static inline int32_t arabic_fold(int32_t cp)
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
    if (cp >= 0x0660 && cp <= 0x0669)
        return '0' + (cp - 0x0660);
    if (cp == 0x066B)
        return '.';
    if (cp == 0x066C)
        return ',';
    if (cp >= 0x06F0 && cp <= 0x06F9)
        return '0' + (cp - 0x06F0);
    return cp;
}

static inline int ccc(int32_t cp)
{
    return cp < 0x300 ? 0 : utf8proc_get_property(cp)->combining_class;
}

/* Puts each run of combining marks in tok->cps[0..cnt) in canonical order: a stable sort by
 * combining class. Short runs (the normal case) are insertion-sorted in place; long ones,
 * which only hostile input has, get a counting sort so the work stays linear. */
static silk_status_t canonical_order(silk_tokenizer_t *tok, size_t cnt)
{
    size_t k = 0;
    while (k < cnt) {
        if (ccc(tok->cps[k]) == 0) {
            k++;
            continue;
        }
        size_t a = k;
        while (k < cnt && ccc(tok->cps[k]) != 0)
            k++;
        size_t len = k - a;
        if (len <= 32) {
            int32_t *run = tok->cps + a;
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
        silk_status_t rc = grow_cps(tok, cnt + len);
        if (rc != SILK_OK)
            return rc;
        int32_t *run = tok->cps + a, *tmp = tok->cps + cnt;
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

/* Normalizes s[0..n) into tok->out (NUL-terminated), *out_len its length. `one_word`
 * says the span is exactly one word found by scan_word, which spares scanning it again;
 * otherwise words are found inside the span the same way the tokenizer finds them, so that
 * their acronym dots are dropped in the same places. */
static silk_status_t norm_span(silk_tokenizer_t *tok, const uint8_t *s, size_t n, bool one_word,
                               size_t *out_len)
{
    silk_status_t rc;
    size_t cnt = 0, i = 0;
    size_t word_end = one_word ? n : 0;
    int last = C_SEP;      /* class of the word's last letter or digit */
    bool all_ascii = true; /* nothing to compose or fold */
    bool reorder = false;  /* a mark with a nonzero combining class was seen */

    /* Phase 1: map each code point (case fold + compatibility decomposition), dropping
     * format characters and acronym dots. */
    while (i < n) {
        int32_t cp;
        size_t len;
        int c = class_at(s, n, i, &len, &cp);
        if (i >= word_end && (c == C_LET || c == C_DIG)) {
            word_end = scan_word(s, n, i, NULL);
            last = C_SEP;
        }
        i += len;
        if (i <= word_end) {
            if (c == C_LET || c == C_DIG)
                last = c;
            else if (c == C_DOT && last == C_LET)
                continue; /* an acronym dot */
        }
        if (c == C_FMT)
            continue;
        if (tok->cps_cap - cnt < 32 && (rc = grow_cps(tok, cnt + 32)) != SILK_OK)
            return rc;
        if (cp < 0x80) {
            tok->cps[cnt++] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
            continue;
        }
        if (cp == 0x2019) {
            tok->cps[cnt++] = '\'';
            continue;
        }
        all_ascii = false;
        for (;;) {
            size_t room = tok->cps_cap - cnt;
            utf8proc_ssize_t got = utf8proc_decompose_char(
                cp, tok->cps + cnt, (utf8proc_ssize_t)room,
                UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD, NULL);
            if (got < 0)
                return SILK_ERR_INTERNAL;
            if ((size_t)got <= room) {
                for (utf8proc_ssize_t k = 0; k < got; k++)
                    if (utf8proc_get_property(tok->cps[cnt + k])->combining_class)
                        reorder = true;
                cnt += (size_t)got;
                break;
            }
            if ((rc = grow_cps(tok, cnt + (size_t)got)) != SILK_OK)
                return rc;
        }
    }

    if (!all_ascii) {
        int32_t *cps = tok->cps;
        /* Phase 2: canonical ordering of combining marks (utf8proc_decompose_char leaves
         * it to the caller). */
        if (reorder && (rc = canonical_order(tok, cnt)) != SILK_OK)
            return rc;
        cps = tok->cps;
        /* Phase 3: strip nonspacing marks after Latin, Greek and Cyrillic letters, where
         * they are accents (Balázs = Balazs); elsewhere they are spelling (Indic vowels). */
        bool compose = false, base_lgc = false;
        size_t w = 0;
        for (size_t k = 0; k < cnt; k++) {
            int32_t cp = cps[k];
            if (cp < 0x80) {
                base_lgc = is_lgc(cp);
            } else {
                int cat = utf8proc_get_property(cp)->category;
                if (cat == UTF8PROC_CATEGORY_MN && base_lgc)
                    continue;
                if (is_mark_cat(cat) || (cp >= 0x1160 && cp <= 0x11FF) ||
                    (cp >= 0xD7B0 && cp <= 0xD7FF))
                    compose = true; /* something may compose with what precedes it */
                if (!is_mark_cat(cat))
                    base_lgc = is_letter_cat(cat) && is_lgc(cp);
            }
            cps[w++] = cp;
        }
        cnt = w;
        /* Phase 4: canonical composition: NFKC. */
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
            int32_t cp = arabic_fold(cps[k]);
            if (cp >= 0)
                cps[w++] = cp;
        }
        cnt = w;
    }

    /* Phase 6: encode. */
    if ((rc = grow_out(tok, cnt * 4 + 1)) != SILK_OK)
        return rc;
    uint8_t *o = (uint8_t *)tok->out;
    size_t olen = 0;
    if (all_ascii) {
        for (size_t k = 0; k < cnt; k++)
            o[olen++] = (uint8_t)tok->cps[k];
    } else {
        for (size_t k = 0; k < cnt; k++)
            olen += (size_t)utf8proc_encode_char(tok->cps[k], o + olen);
    }
    o[olen] = 0;
    *out_len = olen;
    return SILK_OK;
}

/* What kind of token a normalized term is: digits only, Latin/Greek/Cyrillic letters (and
 * digits), or anything else. *has_digit says whether it holds a digit. */
static silk_tok_kind_t term_kind(const char *t, size_t len, bool *has_digit)
{
    const uint8_t *s = (const uint8_t *)t;
    bool lgc = false, other = false, digit = false;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            int c = ascii_class[s[i]];
            if (c == C_LET)
                lgc = true;
            else if (c == C_DIG)
                digit = true;
            i++;
            continue;
        }
        int32_t cp;
        i += decode(s, len, i, &cp);
        int cat = utf8proc_get_property(cp)->category;
        if (is_letter_cat(cat)) {
            if (is_lgc(cp))
                lgc = true;
            else
                other = true;
        } else if (cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_NO) {
            digit = true;
        } else if (!is_mark_cat(cat)) {
            other = true; /* a symbol from a compatibility mapping (1⁄2) */
        }
    }
    *has_digit = digit;
    if (other)
        return SILK_TOK_OTHER;
    if (lgc)
        return SILK_TOK_WORD;
    return digit ? SILK_TOK_NUMBER : SILK_TOK_OTHER;
}

/* ---- tokenizing ------------------------------------------------------------------------- */

typedef struct {
    silk_tokenizer_t *tok; /* the tokenizer */
    const uint8_t *s;      /* the input */
    size_t n;              /* its length */
    silk_token_cb cb;      /* the caller's callback */
    void *ud;              /* its argument */
    uint32_t pos;          /* the next token's position */
    bool stopped;          /* the callback asked to stop */
} run_t;

static silk_status_t emit(run_t *r, size_t len, size_t start, size_t end, silk_tok_kind_t kind,
                          bool has_digit)
{
    silk_tokenizer_t *tok = r->tok;
    silk_token_t t;
    if (len == 0)
        return SILK_OK; /* a word of tatweels: nothing left to index */
    t.term = tok->out;
    t.len = len;
    t.stem = NULL;
    t.stem_len = 0;
    t.pos = r->pos++;
    t.start = start;
    t.end = end;
    t.kind = kind;
    if (kind == SILK_TOK_WORD && !has_digit && tok->stemmer) {
        stem_entry_t *e = NULL;
        if (tok->stem_cache) {
            uint32_t h = 2166136261u; /* FNV-1a */
            for (size_t i = 0; i < len; i++)
                h = (h ^ (uint8_t)t.term[i]) * 16777619u;
            e = &tok->stem_cache[h & (STEM_CACHE - 1)];
            if (e->term_len == len && memcmp(e->term, t.term, len) == 0) {
                t.stem = e->stem;
                t.stem_len = e->stem_len;
                goto call;
            }
        }
        silk_status_t rc =
            silk_stemmer_stem(tok->stemmer, t.term, len, tok->stem, sizeof tok->stem, &t.stem_len);
        if (rc != SILK_OK)
            return rc;
        t.stem = tok->stem;
        if (e && t.stem_len <= SILK_TERM_MAX) {
            e->term_len = (uint8_t)len;
            e->stem_len = (uint8_t)t.stem_len;
            memcpy(e->term, t.term, len);
            memcpy(e->stem, t.stem, t.stem_len);
            e->stem[t.stem_len] = 0;
        }
    }
call:
    if (r->cb(&t, r->ud))
        r->stopped = true;
    return SILK_OK;
}

/* The last place at or before `limit` where the word s[start..end) may be cut: after a
 * letter, digit or mark, and (when `whole_clusters`) not before a mark. 0 when none. */
static size_t cut_point(const uint8_t *s, size_t start, size_t end, size_t limit,
                        bool whole_clusters)
{
    size_t best = 0, i = start, len;
    int prev = C_SEP;
    while (i <= limit) {
        bool after_base = prev == C_LET || prev == C_DIG || prev == C_MARK;
        if (i >= end) {
            if (after_base)
                best = i;
            break;
        }
        int c = class_at(s, end, i, &len, NULL);
        if (i > start && after_base && (!whole_clusters || c != C_MARK))
            best = i;
        prev = c;
        i += len;
    }
    return best;
}

/* Emits the word s[start..end): its normalized form, cut to SILK_TERM_MAX bytes. */
static silk_status_t emit_word(run_t *r, size_t start, size_t end, bool ascii)
{
    silk_tokenizer_t *tok = r->tok;
    const uint8_t *s = r->s;
    silk_status_t rc;

    if (ascii) {
        /* Lower-case copy; drop acronym dots (a dot after a letter, inside a word). */
        size_t lim = end;
        if (lim - start > SILK_TERM_MAX) {
            lim = start + SILK_TERM_MAX;
            while (ascii_class[s[lim - 1]] != C_LET && ascii_class[s[lim - 1]] != C_DIG)
                lim--;
        }
        if ((rc = grow_out(tok, SILK_TERM_MAX + 1)) != SILK_OK)
            return rc;
        char *o = tok->out;
        size_t len = 0;
        bool letter = false, digit = false, prev_letter = false;
        for (size_t i = start; i < lim; i++) {
            uint8_t b = s[i];
            switch (ascii_class[b]) {
            case C_LET:
                letter = prev_letter = true;
                o[len++] = (char)(b | 0x20);
                break;
            case C_DIG:
                digit = true;
                prev_letter = false;
                o[len++] = (char)b;
                break;
            case C_DOT:
                if (!prev_letter)
                    o[len++] = '.';
                break;
            default:
                o[len++] = (char)b;
                break;
            }
        }
        o[len] = 0;
        return emit(r, len, start, lim,
                    letter ? SILK_TOK_WORD : (digit ? SILK_TOK_NUMBER : SILK_TOK_OTHER), digit);
    }

    size_t lim = end, len;
    if (end - start > WORD_RAW_MAX) {
        lim = cut_point(s, start, end, start + WORD_RAW_MAX, true);
        if (!lim)
            lim = cut_point(s, start, end, start + WORD_RAW_MAX, false);
    }
    /* A prefix of a word, cut after a letter, digit or mark, is still one word. */
    if ((rc = norm_span(tok, s + start, lim - start, true, &len)) != SILK_OK)
        return rc;
    while (len > SILK_TERM_MAX) {
        /* Too long: cut where the output should fit, then step back until it does. */
        size_t target = start + (lim - start) * SILK_TERM_MAX / len;
        if (target >= lim)
            target = lim - 1;
        size_t cut = cut_point(s, start, lim, target, true);
        if (!cut)
            cut = cut_point(s, start, lim, target, false);
        if (!cut) {
            size_t first;
            (void)class_at(s, lim, start, &first, NULL);
            cut = start + first; /* the first character alone */
        }
        if (cut >= lim)
            break;
        lim = cut;
        if ((rc = norm_span(tok, s + start, lim - start, true, &len)) != SILK_OK)
            return rc;
    }
    if (len > SILK_TERM_MAX) {
        /* One code point never expands beyond 54 bytes under NFKC, so this is a guard. */
        len = SILK_TERM_MAX;
        while (len > 0 && ((uint8_t)tok->out[len] & 0xC0) == 0x80)
            len--;
        tok->out[len] = 0;
    }
    bool has_digit;
    silk_tok_kind_t kind = term_kind(tok->out, len, &has_digit);
    return emit(r, len, start, lim, kind, has_digit);
}

/* Hangul syllables, common Han and full-width Kana are their own NFKC form, so a bigram of
 * two of them is its own bytes. */
static inline bool cjk_plain(int32_t cp)
{
    return (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3041 && cp <= 0x3096) ||
           (cp >= 0x30A1 && cp <= 0x30FA);
}

/* Whether the code point `cp` (class c) belongs to the CJK unit whose base is `base`:
 * combining marks always; vowel and final jamo after a Hangul syllable or initial jamo,
 * since NFKC composes them into one syllable; half-width sound marks after half-width
 * Kana. */
static inline bool cjk_attaches(int32_t cp, int c, int32_t base)
{
    if (c == C_MARK)
        return true;
    if ((cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF))
        return (base >= 0x1100 && base <= 0x115F) || (base >= 0xA960 && base <= 0xA97F) ||
               (base >= 0xAC00 && base <= 0xD7A3);
    return cp == 0xFF9E || cp == 0xFF9F;
}

static silk_status_t emit_cjk(run_t *r, size_t start, size_t end, bool plain)
{
    silk_tokenizer_t *tok = r->tok;
    silk_status_t rc;
    size_t len = end - start;
    if (plain) {
        if ((rc = grow_out(tok, len + 1)) != SILK_OK)
            return rc;
        memcpy(tok->out, r->s + start, len);
        tok->out[len] = 0;
    } else {
        if ((rc = norm_span(tok, r->s + start, len, false, &len)) != SILK_OK)
            return rc;
        if (len > SILK_TERM_MAX) {
            /* Only reachable with stacks of marks; cut at a character boundary. */
            len = SILK_TERM_MAX;
            while (len > 0 && ((uint8_t)tok->out[len] & 0xC0) == 0x80)
                len--;
            tok->out[len] = 0;
        }
    }
    return emit(r, len, start, end, SILK_TOK_CJK, false);
}

/* Tokenizes the CJK run that starts at s[i] (a CJK letter) and returns where it ends. */
static silk_status_t cjk_run(run_t *r, size_t i, size_t *next)
{
    const uint8_t *s = r->s;
    size_t n = r->n, len;
    size_t prev_start = 0, prev_end = 0, units = 0;
    bool prev_plain = false;
    silk_status_t rc = SILK_OK;
    int32_t cp;
    int c = class_at(s, n, i, &len, &cp);

    while (c == C_CJK) {
        size_t ustart = i;
        int32_t base = cp;
        bool plain = cjk_plain(cp);
        i += len;
        for (;;) {
            int32_t cp2;
            size_t l2;
            int c2 = class_at(s, n, i, &l2, &cp2);
            if (l2 == 0 || !cjk_attaches(cp2, c2, base) || i + l2 - ustart > CJK_UNIT_MAX)
                break;
            plain = false;
            i += l2;
        }
        if (units > 0) {
            /* Raw bytes only when nothing (a bidi mark) sits between the two units. */
            rc = emit_cjk(r, prev_start, i, prev_plain && plain && prev_end == ustart);
            if (rc != SILK_OK || r->stopped)
                goto done;
        }
        prev_start = ustart;
        prev_end = i;
        prev_plain = plain;
        units++;
        /* Format characters (bidi marks) between two CJK letters do not break the run. */
        size_t j = i;
        for (;;) {
            c = class_at(s, n, j, &len, &cp);
            if (c != C_FMT)
                break;
            j += len;
        }
        if (c == C_CJK)
            i = j;
    }
    if (units == 1)
        rc = emit_cjk(r, prev_start, prev_end, prev_plain);
done:
    *next = i;
    return rc;
}

silk_status_t silk_tokenize(silk_tokenizer_t *tok, const char *text, size_t len, uint32_t first_pos,
                            silk_token_cb cb, void *ud, uint32_t *next_pos)
{
    run_t r = {tok, (const uint8_t *)text, len, cb, ud, first_pos, false};
    const uint8_t *s = r.s;
    silk_status_t rc = SILK_OK;
    size_t i = 0;

    if (!tok || (!text && len) || !cb)
        return SILK_ERR_INVALID;
    while (i < len && !r.stopped) {
        uint8_t b = s[i];
        int c;
        size_t clen;
        if (b < 0x80) {
            c = ascii_class[b];
            clen = 1;
        } else {
            c = class_at(s, len, i, &clen, NULL);
        }
        if (c == C_LET || c == C_DIG) {
            bool ascii;
            size_t end = scan_word(s, len, i, &ascii);
            if ((rc = emit_word(&r, i, end, ascii)) != SILK_OK)
                break;
            i = end;
        } else if (c == C_CJK) {
            if ((rc = cjk_run(&r, i, &i)) != SILK_OK)
                break;
        } else {
            i += clen;
        }
    }
    if (next_pos)
        *next_pos = r.pos;
    return rc;
}

silk_status_t silk_normalize(silk_tokenizer_t *tok, const char *text, size_t len, const char **out,
                             size_t *out_len)
{
    size_t olen = 0;
    silk_status_t rc;
    if (!tok || (!text && len) || !out)
        return SILK_ERR_INVALID;
    rc = norm_span(tok, (const uint8_t *)(text ? text : ""), len, false, &olen);
    if (rc != SILK_OK)
        return rc;
    *out = tok->out;
    if (out_len)
        *out_len = olen;
    return SILK_OK;
}

silk_status_t silk_tokenizer_new(silk_tokenizer_t **out)
{
    silk_tokenizer_t *tok = NULL;
    if (!out)
        return SILK_ERR_INVALID;
    tok = calloc(1, sizeof *tok);
    if (!tok)
        goto fail;
    if (grow_cps(tok, 256) != SILK_OK || grow_out(tok, 1024) != SILK_OK)
        goto fail;
    *out = tok;
    return SILK_OK;
fail:
    silk_tokenizer_destroy(tok);
    return SILK_ERR_NOMEM;
}

void silk_tokenizer_destroy(silk_tokenizer_t *tok)
{
    if (!tok)
        return;
    free(tok->cps);
    free(tok->out);
    free(tok->stem_cache);
    free(tok);
}

void silk_tokenizer_set_stemmer(silk_tokenizer_t *tok, silk_stemmer_t *st)
{
    if (!tok)
        return;
    /* Always forget cached stems: a new stemmer may sit at the address of a freed one. */
    if (tok->stem_cache)
        memset(tok->stem_cache, 0, STEM_CACHE * sizeof *tok->stem_cache);
    /* Without memory for the cache every word goes to the stemmer: slower, same stems. */
    if (st && !tok->stem_cache)
        tok->stem_cache = calloc(STEM_CACHE, sizeof *tok->stem_cache);
    tok->stemmer = st;
}
