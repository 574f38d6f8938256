/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — citation markers, reference numbering, years and authors (cite.h). */
#include "cite.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "silk/utf8.h"

#define NAME_MAX_WORDS 5       /* words of one author name */
#define CITES_SEEN_MAX 1000000 /* numbers below this are deduplicated through a bitmap */
#define CITES_SCAN_MAX 32      /* numbers held before the bitmap is made */
#define MARKER_DIGITS  4       /* digits of a `[n]` marker */

/* ---- the numbers a document cites ---------------------------------------------------------- */

static void seen_mark(unsigned char *seen, unsigned x)
{
    seen[x / 8] |= (unsigned char)(1u << (x % 8));
}

silk_status_t silk_cites_add(silk_cites_t *c, unsigned x)
{
    /* A linear scan while short; a bitmap after that, so that a hostile paragraph of a
     * million citation markers costs linear time, not quadratic. */
    if (c->seen && x < CITES_SEEN_MAX) {
        if (c->seen[x / 8] & (1u << (x % 8)))
            return SILK_OK;
    } else {
        for (size_t i = 0; i < c->n; i++)
            if (c->v[i] == x)
                return SILK_OK;
    }
    if (SILK_GROW(c->v, c->cap, c->n + 1) != SILK_OK)
        return SILK_ERR_NOMEM;
    c->v[c->n++] = x;
    if (!c->seen && c->n >= CITES_SCAN_MAX) {
        if (!(c->seen = calloc(CITES_SEEN_MAX / 8 + 1, 1)))
            return SILK_ERR_NOMEM;
        for (size_t i = 0; i < c->n; i++)
            if (c->v[i] < CITES_SEEN_MAX)
                seen_mark(c->seen, c->v[i]);
    } else if (c->seen && x < CITES_SEEN_MAX) {
        seen_mark(c->seen, x);
    }
    return SILK_OK;
}

unsigned *silk_cites_steal(silk_cites_t *c, size_t *n)
{
    unsigned *v = c->v;
    *n = c->n;
    free(c->seen);
    memset(c, 0, sizeof *c);
    return v;
}

void silk_cites_free(silk_cites_t *c)
{
    free(c->v);
    free(c->seen);
    memset(c, 0, sizeof *c);
}

/* ---- citation markers ---------------------------------------------------------------------- */

silk_status_t silk_cite_strip(const char *s, size_t n, silk_buf_t *out, silk_cites_t *cites)
{
    size_t start = out->len;
    size_t i = 0;
    while (i < n) {
        if (s[i] == '[') {
            size_t j = i + 1;
            unsigned num = 0;
            while (j < n && j - i <= MARKER_DIGITS + 1 && s[j] >= '0' && s[j] <= '9')
                num = num * 10 + (unsigned)(s[j++] - '0');
            size_t skip = 0;
            if (j > i + 1 && j - i <= MARKER_DIGITS + 1 && j < n && s[j] == ']' &&
                !(j + 1 < n && s[j + 1] == '(')) {
                if (num > 0 && cites && silk_cites_add(cites, num) != SILK_OK)
                    return SILK_ERR_NOMEM;
                skip = j + 1 - i;
            } else if (n - i >= 18 && strncasecmp(s + i, "[citation needed]", 17) == 0) {
                skip = 17;
            }
            if (skip) {
                i += skip;
                /* "foo [3] bar" -> "foo bar"; "foo [3]." -> "foo." */
                if (out->len > start && out->data[out->len - 1] == ' ' &&
                    (i >= n || s[i] == ' ' || s[i] == '.' || s[i] == ',' || s[i] == ';'))
                    out->len--;
                continue;
            }
        }
        /* Copy the run up to the next '[' at once. */
        const char *bracket = memchr(s + i + 1, '[', n - i - 1);
        size_t run = bracket ? (size_t)(bracket - (s + i)) : n - i;
        if (silk_buf_add(out, s + i, run) != SILK_OK)
            return SILK_ERR_NOMEM;
        i += run;
    }
    while (out->len > start && silk_str_is_space(out->data[out->len - 1]))
        out->len--;
    return SILK_OK;
}

/* ---- years --------------------------------------------------------------------------------- */

/* Marks in mask[0..n) the bytes inside a closed quote ("..." or “...”). */
static void mark_quotes(const char *s, size_t n, unsigned char *mask)
{
    memset(mask, 0, n);
    size_t i = 0;
    int no_straight = 0, no_curly = 0;
    while (i < n) {
        size_t ql = 0;
        int curly = 0;
        if (s[i] == '"' && !no_straight)
            ql = 1;
        else if (!no_curly && silk_str_starts(s + i, n - i, "\xe2\x80\x9c")) /* “ */
            ql = 3, curly = 1;
        if (!ql) {
            i++;
            continue;
        }
        size_t j = i + ql;
        size_t close = 0, cl = 0;
        while (j < n) {
            if (!curly && s[j] == '"') {
                close = j, cl = 1;
                break;
            }
            if (curly && silk_str_starts(s + j, n - j, "\xe2\x80\x9d")) { /* ” */
                close = j, cl = 3;
                break;
            }
            j++;
        }
        if (!cl) {
            /* An unmatched quote marks nothing, and no later quote of its kind can be
             * matched either: stop looking, so that many of them cost linear time. */
            if (curly)
                no_curly = 1;
            else
                no_straight = 1;
            i += ql;
            continue;
        }
        memset(mask + i, 1, close + cl - i);
        i = close + cl;
    }
}

static const char *find_nocase(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (strncasecmp(s + i, word, w) == 0)
            return s + i;
    return NULL;
}

int silk_cite_year(const char *s, size_t n)
{
    size_t limit = n;
    static const char *const cuts[] = {"retrieved", "archived", "accessed"};
    for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
        const char *p = find_nocase(s, limit, cuts[k]);
        if (p)
            limit = (size_t)(p - s);
    }
    unsigned char *mask = malloc(n ? n : 1);
    if (!mask)
        return 0;
    mark_quotes(s, n, mask);
    int year = 0;
    for (size_t i = 0; i + 4 <= limit && !year; i++) {
        if (mask[i] || !isdigit((unsigned char)s[i]))
            continue;
        if (i > 0 && isdigit((unsigned char)s[i - 1]))
            continue;
        if (i > 1 && (s[i - 1] == ',' || s[i - 1] == '.') && isdigit((unsigned char)s[i - 2]))
            continue;
        if (!isdigit((unsigned char)s[i + 1]) || !isdigit((unsigned char)s[i + 2]) ||
            !isdigit((unsigned char)s[i + 3]))
            continue;
        if (i + 4 < n && isdigit((unsigned char)s[i + 4]))
            continue;
        if (!((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')))
            continue;
        year =
            (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
    }
    free(mask);
    return year;
}

/* ---- authors ------------------------------------------------------------------------------- */

static int is_particle(const char *w, size_t n)
{
    static const char *const particles[] = {"van", "von", "de", "der", "den", "da",  "di",
                                            "du",  "la",  "le", "del", "dos", "das", "bin",
                                            "ibn", "al",  "el", "ter", "ten", "y",   "e"};
    for (size_t i = 0; i < sizeof particles / sizeof *particles; i++)
        if (silk_str_eq_nocase(w, n, particles[i]) && islower((unsigned char)w[0]))
            return 1;
    return 0;
}

/* 1 when w is a capitalized name word: an upper-case letter, then letters, marks and
 * ' ’ - . (initials, "O'Brien", "Jong-dae"). */
static int is_name_word(const char *w, size_t n)
{
    size_t i = 0, k;
    int32_t cp;
    k = silk_utf8_decode(w, n, &cp);
    utf8proc_category_t cat = utf8proc_category(cp);
    if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LT)
        return 0;
    for (i = k; i < n; i += k) {
        k = silk_utf8_decode(w + i, n - i, &cp);
        if (cp == '\'' || cp == 0x2019 || cp == '-' || cp == '.')
            continue;
        cat = utf8proc_category(cp);
        if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_ME)
            return 0; /* letters (L*) and marks (M*) only */
    }
    return 1;
}

/* 1 when s[0..n) reads as one person's (or body's) name in natural order. */
static int is_name(const char *s, size_t n)
{
    silk_str_trim(&s, &n);
    if (!n)
        return 0;
    size_t words = 0, caps = 0, i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j == i)
            break;
        const char *w = s + i;
        size_t wl = j - i;
        if (words == 0 && (silk_str_eq_nocase(w, wl, "the") || silk_str_eq_nocase(w, wl, "a") ||
                           silk_str_eq_nocase(w, wl, "an")))
            return 0;
        if (is_name_word(w, wl))
            caps++;
        else if (!is_particle(w, wl))
            return 0;
        words++;
        i = j;
    }
    return words >= 1 && words <= NAME_MAX_WORDS && caps >= 1;
}

/* Splits s[0..n) at `sep` into trimmed pieces (a leading "and " is dropped). */
typedef struct {
    const char *s; /* piece start */
    size_t n;      /* piece length */
} piece_t;

static size_t split_pieces(const char *s, size_t n, const char *sep, piece_t *out, size_t max)
{
    size_t np = 0, sl = strlen(sep), i = 0, start = 0;
    while (np < max) {
        const char *p = NULL;
        for (size_t k = i; k + sl <= n; k++)
            if (memcmp(s + k, sep, sl) == 0) {
                p = s + k;
                break;
            }
        size_t end = p ? (size_t)(p - s) : n;
        const char *ps = s + start;
        size_t pn = end - start;
        silk_str_trim(&ps, &pn);
        if (pn >= 4 && strncmp(ps, "and ", 4) == 0) {
            ps += 4;
            pn -= 4;
            silk_str_trim(&ps, &pn);
        }
        out[np++] = (piece_t){ps, pn};
        if (!p)
            break;
        i = start = end + sl;
    }
    return np;
}

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
            w++;
    return w;
}

/* "First Last" from the two halves of "Last, First" into names: 1 when both read as
 * names, 0 when not (nothing added), -1 when out of memory. */
static int name_pair(const char *last, size_t ln, const char *first, size_t fn,
                     silk_strvec_t *names)
{
    silk_str_trim(&last, &ln);
    silk_str_trim(&first, &fn);
    if (!is_name(last, ln) || !is_name(first, fn) || count_words(last, ln) > 3 ||
        count_words(first, fn) > 3)
        return 0;
    char *full = NULL;
    if (asprintf(&full, "%.*s %.*s", (int)fn, first, (int)ln, last) < 0)
        return -1;
    return silk_strvec_push_owned(names, full) != SILK_OK ? -1 : 1;
}

/* "Last, First" (exactly one comma) -> "First Last" into names, as name_pair(). */
static int last_first(const char *s, size_t n, silk_strvec_t *names)
{
    const char *comma = memchr(s, ',', n);
    if (!comma || memchr(comma + 1, ',', n - (size_t)(comma + 1 - s)))
        return 0;
    size_t ln = (size_t)(comma - s);
    return name_pair(s, ln, comma + 1, n - ln - 1, names);
}

/* Reads s[0..n) as names joined by " and " into names: 1 when every piece is a name, 0
 * when one is not (what was added stays: the caller undoes it), -1 when out of memory. */
static int and_list(const char *s, size_t n, silk_strvec_t *names)
{
    piece_t parts[16];
    size_t np = split_pieces(s, n, " and ", parts, 16);
    for (size_t i = 0; i < np; i++) {
        if (!is_name(parts[i].s, parts[i].n))
            return 0;
        if (silk_strvec_push(names, parts[i].s, parts[i].n) != SILK_OK)
            return -1;
    }
    return 1;
}

/* Reads s[0..n) as a list of names into names (appending); 1 when every piece is a name,
 * 0 when not (names is left as it was), -1 when out of memory. */
static int parse_names(const char *s, size_t n, silk_strvec_t *names)
{
    piece_t parts[16];
    size_t before = names->n;
    int r;
    silk_str_trim(&s, &n);
    if (!n)
        return 0;
    if (memchr(s, ';', n)) {
        /* "Choi, Lyong; Shin, Jong-dae; and Lee, Han-hyung" */
        size_t np = split_pieces(s, n, ";", parts, 16);
        for (size_t i = 0; i < np; i++)
            if ((r = last_first(parts[i].s, parts[i].n, names)) <= 0)
                goto undo;
        return 1;
    }
    const char *comma = memchr(s, ',', n);
    if (comma && !memchr(comma + 1, ',', n - (size_t)(comma + 1 - s))) {
        /* "Coughlin, Con" or "McEachern, Patrick and Jaclyn O'Brien McEachern" */
        size_t ln = (size_t)(comma - s);
        size_t np = split_pieces(comma + 1, n - ln - 1, " and ", parts, 16);
        if ((r = name_pair(s, ln, parts[0].s, parts[0].n, names)) < 0)
            return -1;
        if (r > 0) {
            size_t i;
            for (i = 1; i < np && is_name(parts[i].s, parts[i].n); i++)
                if (silk_strvec_push(names, parts[i].s, parts[i].n) != SILK_OK)
                    return -1;
            if (i == np)
                return 1;
            goto undo;
        }
    }
    /* Natural order: "John Larkin and Donald Macintyre", "A B, C D, and E F". */
    piece_t commas[16];
    size_t nc = split_pieces(s, n, ",", commas, 16);
    for (size_t c = 0; c < nc; c++)
        if ((r = and_list(commas[c].s, commas[c].n, names)) <= 0)
            goto undo;
    return names->n > before;
undo:
    silk_strvec_truncate(names, before);
    return r < 0 ? -1 : 0;
}

/* 1 when the '.' at s[i] ends an initial ("George W. Bush") rather than a sentence. */
static int is_initial_dot(const char *s, size_t i)
{
    return i >= 1 && isupper((unsigned char)s[i - 1]) &&
           (i == 1 || s[i - 2] == ' ' || s[i - 2] == '.');
}

/* The authors of s[0..n) appended to names (maybe twice): 1 found, 0 none, -1 out of
 * memory. */
static int find_authors(const char *s, size_t n, silk_strvec_t *names)
{
    if (!n || s[0] == '"' || silk_str_starts(s, n, "\xe2\x80\x9c") || s[0] == '\'' ||
        silk_str_starts(s, n, "\xe2\x80\x98"))
        return 0;
    /* First try: the text before the date parenthesis or the first sentence end. */
    size_t end = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' && i + 1 < n && s[i + 1] == '(') {
            end = i;
            break;
        }
        if (s[i] == '.' && (i + 1 == n || s[i + 1] == ' ') && !is_initial_dot(s, i)) {
            end = i;
            break;
        }
    }
    if (end && !memchr(s, '"', end)) {
        int r = parse_names(s, end, names);
        if (r != 0)
            return r;
    }
    /* Second try: "Balázs Szalontai, Cracks in ..." — the names before the first comma
     * (a list joined by "and"). */
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == ',' && s[i + 1] == ' ') {
            size_t before = names->n;
            int r = and_list(s, i, names);
            if (r == 0)
                silk_strvec_truncate(names, before);
            return r;
        }
    return 0;
}

silk_status_t silk_cite_authors(const char *s, size_t n, silk_strvec_t *names)
{
    size_t before = names->n;
    if (find_authors(s, n, names) < 0)
        return SILK_ERR_NOMEM;
    /* Drop repeated names. */
    size_t w = before;
    for (size_t i = before; i < names->n; i++) {
        int dup = 0;
        for (size_t j = before; j < w; j++)
            dup |= strcmp(names->v[j], names->v[i]) == 0;
        if (dup)
            free(names->v[i]);
        else
            names->v[w++] = names->v[i];
    }
    names->n = w;
    return SILK_OK;
}

/* ---- references ---------------------------------------------------------------------------- */

silk_status_t silk_refs_add(silk_refs_t *r, size_t doc, unsigned *num)
{
    if (SILK_GROW(r->doc, r->cap, (size_t)r->n + 1) != SILK_OK)
        return SILK_ERR_NOMEM;
    r->doc[r->n++] = doc;
    *num = r->n;
    return SILK_OK;
}

silk_status_t silk_refs_link(const silk_refs_t *r, silk_corpus_doc_t *docs, size_t ndocs)
{
    if (!r->n)
        return SILK_OK;
    /* Count first, then fill arrays of the right size: one allocation per reference,
     * however many paragraphs cite it. */
    size_t *cnt = calloc(r->n, sizeof *cnt);
    if (!cnt)
        return SILK_ERR_NOMEM;
    for (size_t i = 0; i < ndocs; i++)
        for (size_t c = 0; c < docs[i].ncites; c++)
            if (docs[i].cites[c] >= 1 && docs[i].cites[c] <= r->n)
                cnt[docs[i].cites[c] - 1]++;
    silk_status_t rc = SILK_ERR_NOMEM;
    for (unsigned k = 0; k < r->n; k++) {
        silk_corpus_doc_t *ref = &docs[r->doc[k]];
        if (cnt[k] && !(ref->cited_by = calloc(cnt[k], sizeof *ref->cited_by)))
            goto out;
    }
    for (size_t i = 0; i < ndocs; i++) {
        silk_corpus_doc_t *d = &docs[i];
        for (size_t c = 0; c < d->ncites; c++) {
            unsigned n = d->cites[c];
            if (n == 0 || n > r->n)
                continue;
            silk_corpus_doc_t *ref = &docs[r->doc[n - 1]];
            if (!(ref->cited_by[ref->ncited_by] = strdup(silk_corpus_doc_anchor(d))))
                goto out;
            ref->ncited_by++;
        }
    }
    rc = SILK_OK;
out:
    free(cnt);
    return rc;
}

void silk_refs_free(silk_refs_t *r)
{
    free(r->doc);
    memset(r, 0, sizeof *r);
}
