/* silk-index — parsing corpus files into documents. The rules are in corpus.h. */
#include "corpus.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "silk/schema.h"

#define HEADING_MAX_CHARS 80    /* a longer line is prose, never a heading */
#define BINARY_SAMPLE     65536 /* bytes looked at by silk_corpus_looks_binary() */
#define NAME_MAX_WORDS    5     /* words of one author name */
#define UTF8_REPLACEMENT  "\xef\xbf\xbd"

/* ---- small growable containers ------------------------------------------------------------- */

/* A growable string; `oom` sticks once an allocation failed so callers check once. */
typedef struct {
    char *s;    /* bytes, NUL-terminated when cap > 0 */
    size_t len; /* bytes used */
    size_t cap; /* bytes allocated */
    int oom;    /* 1 after a failed allocation */
} buf_t;

static int buf_reserve(buf_t *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

static int buf_add(buf_t *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
    return 0;
}

static int buf_addc(buf_t *b, char c)
{
    return buf_add(b, &c, 1);
}

static int buf_adds(buf_t *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

/* Hands the string over (never NULL unless out of memory) and resets b. */
static char *buf_take(buf_t *b, size_t *len)
{
    if (buf_reserve(b, 0) < 0) {
        free(b->s);
        memset(b, 0, sizeof *b);
        return NULL;
    }
    /* A buffer nothing was ever added to has fresh, unterminated memory here. */
    b->s[b->len] = '\0';
    char *s = b->s;
    if (len)
        *len = b->len;
    memset(b, 0, sizeof *b);
    return s;
}

/* A growable array of owned strings. */
typedef struct {
    char **v;   /* the strings */
    size_t n;   /* used */
    size_t cap; /* allocated */
} strvec_t;

static int strvec_push_owned(strvec_t *sv, char *s)
{
    if (!s)
        return -1;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 4;
        char **v = realloc(sv->v, cap * sizeof *v);
        if (!v) {
            free(s);
            return -1;
        }
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = s;
    return 0;
}

static int strvec_push(strvec_t *sv, const char *s, size_t n)
{
    return strvec_push_owned(sv, strndup(s, n));
}

static int strvec_has(const strvec_t *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return 1;
    return 0;
}

static void strvec_free(strvec_t *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    memset(sv, 0, sizeof *sv);
}

/* A growable array of distinct unsigned numbers. */
#define UVEC_SEEN_MAX 1000000u /* numbers below this are deduplicated through a bitmap */
typedef struct {
    unsigned *v;         /* the numbers */
    size_t n;            /* used */
    size_t cap;          /* allocated */
    unsigned char *seen; /* bitmap of the numbers held, once there are many (else NULL) */
} uvec_t;

/* Frees what the vector owns besides v (which the caller hands over or frees). */
static void uvec_done(uvec_t *uv)
{
    free(uv->seen);
    uv->seen = NULL;
}

static int uvec_push_unique(uvec_t *uv, unsigned x)
{
    /* A linear scan while short; a bitmap after that, so that a hostile paragraph of a
     * million citation markers costs linear time, not quadratic. */
    if (uv->seen && x < UVEC_SEEN_MAX) {
        if (uv->seen[x / 8] & (1u << (x % 8)))
            return 0;
    } else {
        for (size_t i = 0; i < uv->n; i++)
            if (uv->v[i] == x)
                return 0;
    }
    if (uv->n == uv->cap) {
        size_t cap = uv->cap ? uv->cap * 2 : 4;
        unsigned *v = realloc(uv->v, cap * sizeof *v);
        if (!v)
            return -1;
        uv->v = v;
        uv->cap = cap;
    }
    uv->v[uv->n++] = x;
    if (!uv->seen && uv->n >= 32) {
        if (!(uv->seen = calloc(UVEC_SEEN_MAX / 8 + 1, 1)))
            return -1;
        for (size_t i = 0; i < uv->n; i++)
            if (uv->v[i] < UVEC_SEEN_MAX)
                uv->seen[uv->v[i] / 8] |= (unsigned char)(1u << (uv->v[i] % 8));
    } else if (uv->seen && x < UVEC_SEEN_MAX) {
        uv->seen[x / 8] |= (unsigned char)(1u << (x % 8));
    }
    return 0;
}

/* ---- the article --------------------------------------------------------------------------- */

struct silk_article {
    char *title;             /* the article title ("" when none) */
    silk_corpus_doc_t *docs; /* the documents, in file order */
    size_t ndocs;            /* documents used */
    size_t cap;              /* documents allocated */
    strvec_t problems;       /* "FILE:LINE: reason" messages */
};

static void doc_free(silk_corpus_doc_t *d)
{
    free(d->id);
    free(d->article_name);
    free(d->title);
    free(d->kind);
    free(d->section);
    free(d->text);
    free(d->cites);
    for (size_t i = 0; i < d->ncited_by; i++)
        free(d->cited_by[i]);
    free(d->cited_by);
    for (size_t i = 0; i < d->nauthors; i++)
        free(d->authors[i]);
    free(d->authors);
}

void silk_article_destroy(silk_article_t *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->ndocs; i++)
        doc_free(&a->docs[i]);
    free(a->docs);
    free(a->title);
    strvec_free(&a->problems);
    free(a);
}

const char *silk_article_title(const silk_article_t *a)
{
    return a->title ? a->title : "";
}

size_t silk_article_count(const silk_article_t *a)
{
    return a->ndocs;
}

const silk_corpus_doc_t *silk_article_doc(const silk_article_t *a, size_t i)
{
    return i < a->ndocs ? &a->docs[i] : NULL;
}

size_t silk_article_problem_count(const silk_article_t *a)
{
    return a->problems.n;
}

const char *silk_article_problem(const silk_article_t *a, size_t i)
{
    return i < a->problems.n ? a->problems.v[i] : NULL;
}

/* A new zeroed document at the end of a (NULL when out of memory). */
static silk_corpus_doc_t *article_new_doc(silk_article_t *a)
{
    if (a->ndocs == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        silk_corpus_doc_t *d = realloc(a->docs, cap * sizeof *d);
        if (!d)
            return NULL;
        a->docs = d;
        a->cap = cap;
    }
    silk_corpus_doc_t *d = &a->docs[a->ndocs++];
    memset(d, 0, sizeof *d);
    return d;
}

static int article_problem(silk_article_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int article_problem(silk_article_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    /* Messages quote input (jansson's "near '...'" may cut a character in two): keep them
     * valid UTF-8 like everything else the parser hands out. */
    char *clean = silk_corpus_clean_utf8(s, (size_t)n, NULL);
    free(s);
    if (!clean)
        return -1;
    return strvec_push_owned(&a->problems, clean);
}

/* ---- files --------------------------------------------------------------------------------- */

silk_format_t silk_corpus_format(const char *relpath)
{
    if (strcmp(relpath, SILK_SYNONYMS_FILE) == 0)
        return SILK_FORMAT_NONE;
    const char *base = strrchr(relpath, '/');
    base = base ? base + 1 : relpath;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return SILK_FORMAT_NONE;
    if (strcasecmp(dot, ".txt") == 0)
        return SILK_FORMAT_TXT;
    if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0)
        return SILK_FORMAT_MD;
    if (strcasecmp(dot, ".jsonl") == 0)
        return SILK_FORMAT_JSONL;
    return SILK_FORMAT_NONE;
}

char *silk_corpus_article_name(const char *relpath)
{
    const char *base = strrchr(relpath, '/');
    base = base ? base + 1 : relpath;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - relpath) : strlen(relpath);
    return strndup(relpath, n);
}

int silk_corpus_looks_binary(const char *data, size_t len)
{
    size_t n = len < BINARY_SAMPLE ? len : BINARY_SAMPLE;
    size_t nul = 0, ctrl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == 0)
            nul++;
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
                 c != 0x1b)
            ctrl++;
    }
    return n > 0 && (nul * 100 > n || ctrl * 10 > n);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid; *bad gets the number
 * of bytes to replace by one U+FFFD (the maximal invalid subpart). */
static size_t utf8_seq(const unsigned char *s, size_t avail, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    *bad = 1;
    if (c < 0x80)
        return c ? 1 : 0;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    for (size_t k = 1; k < need; k++) {
        if (k >= avail)
            return 0;
        unsigned char t = s[k];
        unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (t < l || t > h)
            return 0;
        *bad = k + 1;
    }
    return need;
}

char *silk_corpus_clean_utf8(const char *s, size_t len, size_t *out_len)
{
    buf_t b = {0};
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, run = 0;
    buf_reserve(&b, len);
    while (i < len) {
        size_t bad;
        size_t n = utf8_seq(u + i, len - i, &bad);
        if (n) {
            i += n;
            run += n;
            continue;
        }
        buf_add(&b, s + i - run, run);
        run = 0;
        buf_add(&b, UTF8_REPLACEMENT, 3);
        /* One U+FFFD per maximal invalid subpart: the lead byte and the continuation
         * bytes that were valid so far; the byte that broke the sequence starts anew. */
        i += bad;
    }
    buf_add(&b, s + i - run, run);
    return buf_take(&b, out_len);
}

/* ---- UTF-8 helpers over clean text --------------------------------------------------------- */

/* Decodes the (valid) code point at s, storing its byte length in *n. */
static int32_t cp_at(const char *s, size_t avail, size_t *n)
{
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t r =
        utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)avail, &cp);
    if (r <= 0) {
        *n = 1;
        return 0xFFFD;
    }
    *n = (size_t)r;
    return cp;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

/* Trims ASCII white space (and no-break spaces) from both ends of [*s, *s+*n). */
static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n) {
        if (is_space((*s)[*n - 1]))
            (*n)--;
        else if (*n >= 2 && (unsigned char)(*s)[*n - 2] == 0xC2 &&
                 (unsigned char)(*s)[*n - 1] == 0xA0)
            *n -= 2;
        else
            break;
    }
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && memcmp(s, prefix, p) == 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t p = strlen(suffix);
    return n >= p && memcmp(s + n - p, suffix, p) == 0;
}

static int eq_nocase(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

/* ---- lines --------------------------------------------------------------------------------- */

typedef struct {
    const char *s; /* first byte (into the clean text) */
    size_t n;      /* length without the line end */
    size_t lineno; /* 1-based */
} line_t;

/* Splits text into lines (without "\n" / "\r\n"). *out is malloc'd. */
static int split_lines(const char *text, size_t len, line_t **out, size_t *nout)
{
    size_t cap = 64, n = 0;
    line_t *v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    size_t i = 0, no = 1;
    while (i < len) {
        const char *e = memchr(text + i, '\n', len - i);
        size_t end = e ? (size_t)(e - text) : len;
        size_t l = end - i;
        if (l && text[i + l - 1] == '\r')
            l--;
        if (n == cap) {
            cap *= 2;
            line_t *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                free(v);
                return -1;
            }
            v = nv;
        }
        v[n++] = (line_t){text + i, l, no++};
        i = end + 1;
    }
    *out = v;
    *nout = n;
    return 0;
}

/* ---- citation markers ---------------------------------------------------------------------- */

/* Appends s[0..n) to out without `[n]` citation markers and `[citation needed]`, adding
 * the numbers to cites. White space left doubled by a removed marker is collapsed. */
static int strip_citations(const char *s, size_t n, buf_t *out, uvec_t *cites)
{
    size_t start = out->len;
    size_t i = 0;
    while (i < n) {
        if (s[i] == '[') {
            size_t j = i + 1;
            unsigned num = 0;
            while (j < n && j - i <= 5 && s[j] >= '0' && s[j] <= '9')
                num = num * 10 + (unsigned)(s[j++] - '0');
            size_t skip = 0;
            if (j > i + 1 && j - i <= 5 && j < n && s[j] == ']' &&
                !(j + 1 < n && s[j + 1] == '(')) {
                if (num > 0 && cites && uvec_push_unique(cites, num) < 0)
                    return -1;
                skip = j + 1 - i;
            } else if (n - i >= 18 && strncasecmp(s + i, "[citation needed]", 17) == 0) {
                skip = 17;
            }
            if (skip) {
                i += skip;
                /* "foo [3] bar" -> "foo bar"; "foo [3]." -> "foo." */
                if (out->len > start && out->s[out->len - 1] == ' ' &&
                    (i >= n || s[i] == ' ' || s[i] == '.' || s[i] == ',' || s[i] == ';'))
                    out->len--;
                continue;
            }
        }
        if (buf_addc(out, s[i]) < 0)
            return -1;
        i++;
    }
    if (out->oom)
        return -1;
    while (out->len > start && is_space(out->s[out->len - 1]))
        out->len--;
    if (out->s)
        out->s[out->len] = '\0';
    return 0;
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
        else if (!no_curly && starts_with(s + i, n - i, "\xe2\x80\x9c")) /* “ */
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
            if (curly && starts_with(s + j, n - j, "\xe2\x80\x9d")) { /* ” */
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

static int find_year(const char *s, size_t n)
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
        if (eq_nocase(w, n, particles[i]) && islower((unsigned char)w[0]))
            return 1;
    return 0;
}

/* 1 when w is a capitalized name word: an upper-case letter, then letters, marks and
 * ' ’ - . (initials, "O'Brien", "Jong-dae"). */
static int is_name_word(const char *w, size_t n)
{
    size_t i = 0, k;
    int32_t cp = cp_at(w, n, &k);
    utf8proc_category_t cat = utf8proc_category(cp);
    if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LT)
        return 0;
    for (i = k; i < n; i += k) {
        cp = cp_at(w + i, n - i, &k);
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
    trim(&s, &n);
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
        if (words == 0 &&
            (eq_nocase(w, wl, "the") || eq_nocase(w, wl, "a") || eq_nocase(w, wl, "an")))
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
        trim(&ps, &pn);
        if (pn >= 4 && strncmp(ps, "and ", 4) == 0) {
            ps += 4;
            pn -= 4;
            trim(&ps, &pn);
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

/* "Last, First" -> "First Last" into names; 0 when it does not look like one. */
static int last_first(const char *s, size_t n, strvec_t *names)
{
    const char *comma = memchr(s, ',', n);
    if (!comma || memchr(comma + 1, ',', n - (size_t)(comma + 1 - s)))
        return 0;
    const char *last = s, *first = comma + 1;
    size_t ln = (size_t)(comma - s), fn = n - ln - 1;
    trim(&last, &ln);
    trim(&first, &fn);
    if (!is_name(last, ln) || !is_name(first, fn) || count_words(last, ln) > 3 ||
        count_words(first, fn) > 3)
        return 0;
    char *full = NULL;
    if (asprintf(&full, "%.*s %.*s", (int)fn, first, (int)ln, last) < 0)
        return -1;
    return strvec_push_owned(names, full) < 0 ? -1 : 1;
}

/* Reads s[0..n) as a list of names into names (appending); 1 when every piece is a name,
 * 0 when not (names is left as it was), -1 when out of memory. */
static int parse_names(const char *s, size_t n, strvec_t *names)
{
    piece_t parts[16];
    size_t before = names->n;
    trim(&s, &n);
    if (!n)
        return 0;
    if (memchr(s, ';', n)) {
        /* "Choi, Lyong; Shin, Jong-dae; and Lee, Han-hyung" */
        size_t np = split_pieces(s, n, ";", parts, 16);
        for (size_t i = 0; i < np; i++) {
            int r = last_first(parts[i].s, parts[i].n, names);
            if (r <= 0)
                goto undo;
        }
        return 1;
    }
    const char *comma = memchr(s, ',', n);
    if (comma && !memchr(comma + 1, ',', n - (size_t)(comma + 1 - s))) {
        /* "Coughlin, Con" or "McEachern, Patrick and Jaclyn O'Brien McEachern" */
        size_t ln = (size_t)(comma - s);
        const char *rest = comma + 1;
        size_t rn = n - ln - 1;
        size_t np = split_pieces(rest, rn, " and ", parts, 16);
        buf_t b = {0};
        buf_add(&b, s, ln);
        buf_adds(&b, ",");
        buf_add(&b, parts[0].s, parts[0].n);
        if (b.oom) {
            free(b.s);
            return -1;
        }
        int r = last_first(b.s, b.len, names);
        free(b.s);
        if (r < 0)
            return -1;
        if (r > 0) {
            size_t i;
            for (i = 1; i < np && is_name(parts[i].s, parts[i].n); i++)
                if (strvec_push(names, parts[i].s, parts[i].n) < 0)
                    return -1;
            if (i == np)
                return 1;
            goto undo;
        }
    }
    /* Natural order: "John Larkin and Donald Macintyre", "A B, C D, and E F". */
    piece_t commas[16];
    size_t nc = split_pieces(s, n, ",", commas, 16);
    for (size_t c = 0; c < nc; c++) {
        size_t np = split_pieces(commas[c].s, commas[c].n, " and ", parts, 16);
        for (size_t i = 0; i < np; i++) {
            if (!is_name(parts[i].s, parts[i].n))
                goto undo;
            if (strvec_push(names, parts[i].s, parts[i].n) < 0)
                return -1;
        }
    }
    return names->n > before;
undo:
    while (names->n > before)
        free(names->v[--names->n]);
    return 0;
}

/* 1 when the '.' at s[i] ends an initial ("George W. Bush") rather than a sentence. */
static int is_initial_dot(const char *s, size_t i)
{
    return i >= 1 && isupper((unsigned char)s[i - 1]) &&
           (i == 1 || s[i - 2] == ' ' || s[i - 2] == '.');
}

static int find_authors(const char *s, size_t n, strvec_t *names)
{
    if (!n || s[0] == '"' || starts_with(s, n, "\xe2\x80\x9c") || s[0] == '\'' ||
        starts_with(s, n, "\xe2\x80\x98"))
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
    const char *comma = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == ',' && s[i + 1] == ' ') {
            comma = s + i;
            break;
        }
    if (comma) {
        piece_t parts[16];
        size_t np = split_pieces(s, (size_t)(comma - s), " and ", parts, 16);
        size_t before = names->n;
        for (size_t i = 0; i < np; i++) {
            if (!is_name(parts[i].s, parts[i].n)) {
                while (names->n > before)
                    free(names->v[--names->n]);
                return 0;
            }
            if (strvec_push(names, parts[i].s, parts[i].n) < 0)
                return -1;
        }
        return 1;
    }
    return 0;
}

/* ---- building documents -------------------------------------------------------------------- */

/* Shared state of one article's parse. */
typedef struct {
    silk_article_t *a; /* the article being built */
    const char *name;  /* article name */
    const char *path;  /* file name for messages */
    unsigned npara;    /* paragraphs so far */
    unsigned nref;     /* references so far */
    unsigned nread;    /* readings so far */
    size_t *refs;      /* doc index of each reference */
    size_t refs_cap;   /* allocated refs */
    int seen_heading;  /* a section heading came already: paragraphs are not lead */
    size_t *ids;       /* JSONL: hash set of doc index + 1 (0: empty slot) */
    size_t ids_cap;    /* slots (a power of two) */
    size_t ids_used;   /* slots used */
} builder_t;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* Adds document i's id to the set: 1 when an earlier document has that id (nothing
 * added), 0 when added, -1 when out of memory. */
static int idset_add(builder_t *b, size_t i)
{
    if ((b->ids_used + 1) * 2 > b->ids_cap) {
        size_t cap = b->ids_cap ? b->ids_cap * 2 : 64;
        size_t *v = calloc(cap, sizeof *v);
        if (!v)
            return -1;
        for (size_t k = 0; k < b->ids_cap; k++) {
            if (!b->ids[k])
                continue;
            size_t h = (size_t)fnv1a(b->a->docs[b->ids[k] - 1].id) & (cap - 1);
            while (v[h])
                h = (h + 1) & (cap - 1);
            v[h] = b->ids[k];
        }
        free(b->ids);
        b->ids = v;
        b->ids_cap = cap;
    }
    const char *id = b->a->docs[i].id;
    size_t h = (size_t)fnv1a(id) & (b->ids_cap - 1);
    while (b->ids[h]) {
        if (strcmp(b->a->docs[b->ids[h] - 1].id, id) == 0)
            return 1;
        h = (h + 1) & (b->ids_cap - 1);
    }
    b->ids[h] = i + 1;
    b->ids_used++;
    return 0;
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

/* A new document with id "<name>#<anchor>" in section `section`. */
static silk_corpus_doc_t *new_doc(builder_t *b, const char *anchor, const char *kind,
                                  const char *section)
{
    silk_corpus_doc_t *d = article_new_doc(b->a);
    if (!d)
        return NULL;
    if (asprintf(&d->id, "%s#%s", b->name, anchor) < 0) {
        d->id = NULL;
        return NULL;
    }
    d->article_name = strdup(b->name);
    d->title = dup_or_empty(b->a->title);
    d->kind = strdup(kind);
    d->section = dup_or_empty(section);
    if (!d->article_name || !d->title || !d->kind || !d->section)
        return NULL;
    return d;
}

/* Adds a prose paragraph (citation markers stripped, recorded). An empty result adds
 * nothing. */
static int add_paragraph(builder_t *b, const char *s, size_t n, const char *section)
{
    buf_t t = {0};
    uvec_t cites = {0};
    trim(&s, &n);
    if (strip_citations(s, n, &t, &cites) < 0)
        goto fail;
    if (t.len == 0) {
        free(t.s);
        free(cites.v);
        uvec_done(&cites);
        return 0;
    }
    char anchor[32];
    snprintf(anchor, sizeof anchor, "p%u", ++b->npara);
    const char *kind = b->seen_heading ? SILK_KIND_PARAGRAPH : SILK_KIND_LEAD;
    if (b->npara == 1)
        kind = SILK_KIND_LEAD;
    silk_corpus_doc_t *d = new_doc(b, anchor, kind, section);
    if (!d)
        goto fail;
    d->text = buf_take(&t, &d->text_len);
    d->cites = cites.v;
    d->ncites = cites.n;
    uvec_done(&cites);
    return d->text ? 0 : -1;
fail:
    free(t.s);
    free(cites.v);
    uvec_done(&cites);
    return -1;
}

/* Adds a reference or a reading: text, year and authors. */
static int add_item(builder_t *b, int is_ref, const char *s, size_t n, const char *section)
{
    buf_t t = {0};
    strvec_t names = {0};
    trim(&s, &n);
    if (strip_citations(s, n, &t, NULL) < 0)
        goto fail;
    if (t.len == 0) {
        free(t.s);
        return 0;
    }
    char anchor[32];
    unsigned num = is_ref ? ++b->nref : ++b->nread;
    snprintf(anchor, sizeof anchor, "%s-%u", is_ref ? "ref" : "read", num);
    silk_corpus_doc_t *d =
        new_doc(b, anchor, is_ref ? SILK_KIND_REFERENCE : SILK_KIND_READING, section);
    if (!d)
        goto fail;
    if (is_ref) {
        if (b->nref > b->refs_cap) {
            size_t cap = b->refs_cap ? b->refs_cap * 2 : 16;
            size_t *r = realloc(b->refs, cap * sizeof *r);
            if (!r)
                goto fail;
            b->refs = r;
            b->refs_cap = cap;
        }
        b->refs[b->nref - 1] = b->a->ndocs - 1;
    }
    d->year = find_year(t.s, t.len);
    if (find_authors(t.s, t.len, &names) < 0)
        goto fail;
    /* Drop repeated names. */
    size_t w = 0;
    for (size_t i = 0; i < names.n; i++) {
        int dup = 0;
        for (size_t j = 0; j < w; j++)
            dup |= strcmp(names.v[j], names.v[i]) == 0;
        if (dup)
            free(names.v[i]);
        else
            names.v[w++] = names.v[i];
    }
    d->authors = names.v;
    d->nauthors = w;
    d->text = buf_take(&t, &d->text_len);
    return d->text ? 0 : -1;
fail:
    free(t.s);
    strvec_free(&names);
    return -1;
}

/* Appends to out the non-empty cells of a table row, " | " between them; separator rows
 * (only '-', ':', '|', spaces) add nothing. */
static int table_row(const char *s, size_t n, buf_t *out, uvec_t *cites)
{
    int only_sep = 1;
    for (size_t i = 0; i < n; i++)
        if (!strchr("-:| \t", s[i]))
            only_sep = 0;
    if (only_sep)
        return 0;
    int first = 1;
    size_t i = 0;
    while (i <= n) {
        const char *bar = memchr(s + i, '|', n - i);
        size_t end = bar ? (size_t)(bar - s) : n;
        const char *c = s + i;
        size_t cn = end - i;
        trim(&c, &cn);
        if (cn) {
            if (!first || out->len)
                buf_adds(out, first ? "; " : " | ");
            if (strip_citations(c, cn, out, cites) < 0)
                return -1;
            first = 0;
        }
        if (!bar)
            break;
        i = end + 1;
    }
    return out->oom ? -1 : 0;
}

static int add_infobox(builder_t *b, const line_t *rows, size_t nrows)
{
    buf_t t = {0};
    uvec_t cites = {0};
    for (size_t r = 0; r < nrows; r++) {
        const char *s = rows[r].s;
        size_t n = rows[r].n;
        trim(&s, &n);
        if (table_row(s, n, &t, &cites) < 0)
            goto fail;
    }
    if (t.len == 0) {
        free(t.s);
        free(cites.v);
        uvec_done(&cites);
        return 0;
    }
    silk_corpus_doc_t *d = new_doc(b, "infobox", SILK_KIND_INFOBOX, "");
    if (!d)
        goto fail;
    d->text = buf_take(&t, &d->text_len);
    d->cites = cites.v;
    d->ncites = cites.n;
    uvec_done(&cites);
    return d->text ? 0 : -1;
fail:
    free(t.s);
    free(cites.v);
    uvec_done(&cites);
    return -1;
}

/* Fills each reference's cited_by from the cites of the documents before it. */
static int link_citations(builder_t *b)
{
    silk_article_t *a = b->a;
    if (!b->nref)
        return 0;
    /* Count first, then fill arrays of the right size: one allocation per reference,
     * however many paragraphs cite it. */
    size_t *cnt = calloc(b->nref, sizeof *cnt);
    if (!cnt)
        return -1;
    for (size_t i = 0; i < a->ndocs; i++)
        for (size_t c = 0; c < a->docs[i].ncites; c++)
            if (a->docs[i].cites[c] >= 1 && a->docs[i].cites[c] <= b->nref)
                cnt[a->docs[i].cites[c] - 1]++;
    int rc = -1;
    for (unsigned k = 0; k < b->nref; k++) {
        silk_corpus_doc_t *r = &a->docs[b->refs[k]];
        if (cnt[k] && !(r->cited_by = calloc(cnt[k], sizeof *r->cited_by)))
            goto out;
    }
    for (size_t i = 0; i < a->ndocs; i++) {
        silk_corpus_doc_t *d = &a->docs[i];
        for (size_t c = 0; c < d->ncites; c++) {
            unsigned n = d->cites[c];
            if (n == 0 || n > b->nref)
                continue;
            silk_corpus_doc_t *r = &a->docs[b->refs[n - 1]];
            if (!(r->cited_by[r->ncited_by] = strdup(strchr(d->id, '#') + 1)))
                goto out;
            r->ncited_by++;
        }
    }
    rc = 0;
out:
    free(cnt);
    return rc;
}

typedef enum { SEC_PROSE, SEC_REFS, SEC_READING } section_kind_t;

static section_kind_t section_kind(const char *s, size_t n)
{
    static const char *const refs[] = {"references", "citations", "footnotes",
                                       "notes and references", "sources"};
    static const char *const reads[] = {"further reading", "bibliography"};
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
        if (eq_nocase(s, n, refs[i]))
            return SEC_REFS;
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++)
        if (eq_nocase(s, n, reads[i]))
            return SEC_READING;
    return SEC_PROSE;
}

static int is_standard_section(const char *s, size_t n)
{
    static const char *const names[] = {
        "see also",     "notes",     "external links", "further reading",      "references",
        "bibliography", "citations", "footnotes",      "notes and references", "sources"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (eq_nocase(s, n, names[i]))
            return 1;
    return 0;
}

/* ---- plain articles (.txt) ----------------------------------------------------------------- */

typedef enum {
    L_BLANK,
    L_PROSE,
    L_CAND,    /* heading candidate: short, no final punctuation */
    L_HEADING, /* decided heading */
    L_SHORT,   /* decided: a candidate that is a short paragraph */
    L_LIST,    /* "- item" */
    L_INFOBOX, /* part of the infobox run */
} line_class_t;

static int ends_final_punct(const char *s, size_t n)
{
    static const char *const finals[] = {".",
                                         "!",
                                         "?",
                                         ":",
                                         ";",
                                         ",",
                                         "\"",
                                         ")",
                                         "]",
                                         "\xe2\x80\x9d", /* ” */
                                         "\xe2\x80\xa6", /* … */
                                         "\xe3\x80\x82", /* 。 */
                                         "\xef\xbc\x81", /* ！ */
                                         "\xef\xbc\x9f", /* ？ */
                                         "\xc2\xbb",     /* » */
                                         "\xe2\x80\x99", /* ’ */
                                         "'"};
    for (size_t i = 0; i < sizeof finals / sizeof *finals; i++)
        if (ends_with(s, n, finals[i]))
            return 1;
    return 0;
}

static int is_list_line(const char *s, size_t n)
{
    return (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') ||
           starts_with(s, n, "\xe2\x80\xa2 "); /* • */
}

static size_t list_marker_len(const char *s, size_t n)
{
    if (starts_with(s, n, "\xe2\x80\xa2 "))
        return 4;
    return 2;
}

static int parse_txt(builder_t *b, line_t *lines, size_t nl)
{
    int rc = -1;
    line_class_t *cls = calloc(nl ? nl : 1, sizeof *cls);
    char *section = NULL;
    if (!cls)
        return -1;
    /* Trim every line; the first non-blank one is the title. */
    size_t first = nl;
    for (size_t i = 0; i < nl; i++) {
        trim(&lines[i].s, &lines[i].n);
        if (lines[i].n == 0)
            cls[i] = L_BLANK;
        else if (first == nl)
            first = i, cls[i] = L_BLANK;
    }
    if (first < nl && !(b->a->title = strndup(lines[first].s, lines[first].n)))
        goto out;
    if (first == nl) {
        rc = 0;
        goto out;
    }
    for (size_t i = first + 1; i < nl; i++) {
        if (cls[i] == L_BLANK && lines[i].n == 0)
            continue;
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        if (is_list_line(s, n))
            cls[i] = L_LIST;
        else if (utf8_chars(s, n) <= HEADING_MAX_CHARS && !ends_final_punct(s, n))
            cls[i] = L_CAND;
        else
            cls[i] = L_PROSE;
    }
    /* The infobox: the run of lines with '|' right after the lead or the title. */
    size_t k = first + 1;
    while (k < nl && lines[k].n == 0)
        k++;
    for (int attempt = 0; attempt < 2 && k < nl; attempt++) {
        if (memchr(lines[k].s, '|', lines[k].n) && cls[k] != L_LIST) {
            for (size_t j = k; j < nl; j++) {
                if (lines[j].n == 0)
                    continue;
                if (!memchr(lines[j].s, '|', lines[j].n) || cls[j] == L_LIST)
                    break;
                cls[j] = L_INFOBOX;
            }
            break;
        }
        k++;
        while (k < nl && lines[k].n == 0)
            k++;
    }
    /* Decide each run of heading candidates. */
    for (size_t i = first + 1; i < nl;) {
        if (cls[i] != L_CAND) {
            i++;
            continue;
        }
        size_t run[4096];
        size_t nr = 0, j = i;
        while (j < nl && (cls[j] == L_CAND || (cls[j] == L_BLANK && lines[j].n == 0))) {
            if (cls[j] == L_CAND && nr < sizeof run / sizeof *run)
                run[nr++] = j;
            j++;
        }
        line_class_t next = j < nl ? cls[j] : L_BLANK;
        /* Standard section names are headings and split the run into segments; each
         * segment is decided on its own. */
        size_t seg = 0;
        while (seg < nr) {
            size_t e = seg;
            while (e < nr && !is_standard_section(lines[run[e]].s, lines[run[e]].n))
                e++;
            line_class_t after = e < nr ? L_HEADING : next;
            size_t len = e - seg;
            for (size_t r = seg; r < e; r++) {
                int heading = 0;
                if (r == e - 1 && (after == L_PROSE || after == L_LIST || after == L_INFOBOX))
                    heading = 1;
                if (r == seg && len >= 3)
                    heading = 1;
                cls[run[r]] = heading ? L_HEADING : L_SHORT;
            }
            if (e < nr)
                cls[run[e]] = L_HEADING;
            seg = e + 1;
        }
        i = j;
    }
    /* Build the documents in file order. */
    section_kind_t sk = SEC_PROSE;
    int infobox_done = 0;
    for (size_t i = first + 1; i < nl; i++) {
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        if (n == 0)
            continue;
        switch (cls[i]) {
        case L_HEADING:
            free(section);
            if (!(section = strndup(s, n)))
                goto out;
            sk = section_kind(s, n);
            b->seen_heading = 1;
            break;
        case L_INFOBOX:
            if (!infobox_done) {
                size_t j = i;
                while (j < nl && (cls[j] == L_INFOBOX || lines[j].n == 0))
                    j++;
                if (add_infobox(b, lines + i, j - i) < 0)
                    goto out;
                infobox_done = 1;
                i = j - 1;
            }
            break;
        case L_LIST:
            if (sk == SEC_PROSE) {
                size_t m = list_marker_len(s, n);
                if (add_paragraph(b, s + m, n - m, section) < 0)
                    goto out;
            } else {
                size_t m = list_marker_len(s, n);
                if (add_item(b, sk == SEC_REFS, s + m, n - m, section) < 0)
                    goto out;
            }
            break;
        default:
            if (add_paragraph(b, s, n, section) < 0)
                goto out;
            break;
        }
    }
    rc = 0;
out:
    free(cls);
    free(section);
    return rc;
}

/* ---- Markdown articles (.md) --------------------------------------------------------------- */

/* Appends Markdown inline text to out: links and images keep their text, ** and __ go. */
static int md_inline(const char *s, size_t n, buf_t *out)
{
    size_t i = 0;
    /* The next ']' and ')' found so far (n: none), so that a line of many '[' is scanned
     * once, not once per '['. */
    size_t next_close = 0, next_paren = 0;
    int have_close = 0, have_paren = 0;
    while (i < n) {
        if ((s[i] == '[' || (s[i] == '!' && i + 1 < n && s[i + 1] == '['))) {
            size_t open = s[i] == '!' ? i + 1 : i;
            if (!have_close || (next_close < n && next_close < open)) {
                const char *c = memchr(s + open, ']', n - open);
                next_close = c ? (size_t)(c - s) : n;
                have_close = 1;
            }
            const char *close = next_close < n ? s + next_close : NULL;
            if (close && (size_t)(close - s) + 1 < n && close[1] == '(') {
                if (!have_paren || (next_paren < n && next_paren < next_close)) {
                    const char *p = memchr(close, ')', n - next_close);
                    next_paren = p ? (size_t)(p - s) : n;
                    have_paren = 1;
                }
                const char *rp = next_paren < n ? s + next_paren : NULL;
                if (rp) {
                    buf_add(out, s + open + 1, (size_t)(close - (s + open + 1)));
                    i = (size_t)(rp - s) + 1;
                    continue;
                }
            }
        }
        if (i + 1 < n && ((s[i] == '*' && s[i + 1] == '*') || (s[i] == '_' && s[i + 1] == '_'))) {
            i += 2;
            continue;
        }
        buf_addc(out, s[i]);
        i++;
    }
    return out->oom ? -1 : 0;
}

static size_t md_heading_level(const char *s, size_t n)
{
    size_t lvl = 0;
    while (lvl < n && s[lvl] == '#')
        lvl++;
    if (lvl == 0 || lvl > 6 || (lvl < n && s[lvl] != ' ' && s[lvl] != '\t'))
        return 0;
    return lvl;
}

/* Heading text without the #s (leading and closing). */
static void md_heading_text(const char *s, size_t n, size_t lvl, const char **t, size_t *tn)
{
    *t = s + lvl;
    *tn = n - lvl;
    trim(t, tn);
    while (*tn && (*t)[*tn - 1] == '#')
        (*tn)--;
    trim(t, tn);
}

/* Length of a list marker ("- ", "* ", "+ ", "12. ", "3) ") at s, 0 when none. */
static size_t md_list_marker(const char *s, size_t n)
{
    if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t'))
        return 2;
    size_t i = 0;
    while (i < n && i < 9 && isdigit((unsigned char)s[i]))
        i++;
    if (i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') && (s[i + 1] == ' ' || s[i + 1] == '\t'))
        return i + 2;
    return 0;
}

static int md_is_rule(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == c)
            k++;
        else if (s[i] != ' ')
            return 0;
    }
    return k >= 3;
}

/* The section path from the heading stack. */
static char *md_path(char *const *stack)
{
    buf_t p = {0};
    buf_add(&p, "", 0);
    for (int l = 1; l <= 6; l++) {
        if (!stack[l])
            continue;
        if (p.len)
            buf_adds(&p, SILK_SECTION_SEP);
        buf_adds(&p, stack[l]);
    }
    return buf_take(&p, NULL);
}

typedef enum { MD_NONE, MD_PARA, MD_ITEM, MD_TABLE, MD_CODE } md_block_t;

/* State of the Markdown parser. */
typedef struct {
    builder_t *b;      /* the builder */
    char *stack[7];    /* open heading at each level 1..6 */
    char *section;     /* current section path */
    section_kind_t sk; /* what list items are in the current section */
    md_block_t block;  /* the open block */
    buf_t text;        /* its text so far */
    line_t *rows;      /* table rows of an open table */
    size_t nrows;      /* rows */
    size_t rows_cap;   /* allocated */
    int infobox_ok;    /* a table now would be the infobox */
    size_t para_lines; /* lines in the open paragraph */
} md_t;

/* Ends the open block, emitting its document. */
static int md_flush(md_t *m)
{
    int rc = 0;
    builder_t *b = m->b;
    switch (m->block) {
    case MD_NONE:
        break;
    case MD_PARA:
    case MD_CODE: {
        unsigned before = b->npara;
        rc = add_paragraph(b, m->text.s ? m->text.s : "", m->text.len, m->section);
        /* The infobox may follow the lead only. */
        m->infobox_ok = b->npara == 1 && before == 0;
        break;
    }
    case MD_ITEM:
        if (m->sk == SEC_PROSE)
            rc = add_paragraph(b, m->text.s ? m->text.s : "", m->text.len, m->section);
        else
            rc =
                add_item(b, m->sk == SEC_REFS, m->text.s ? m->text.s : "", m->text.len, m->section);
        m->infobox_ok = 0;
        break;
    case MD_TABLE:
        if (m->infobox_ok) {
            rc = add_infobox(b, m->rows, m->nrows);
        } else {
            buf_t t = {0};
            for (size_t r = 0; r < m->nrows && rc == 0; r++) {
                const char *s = m->rows[r].s;
                size_t n = m->rows[r].n;
                trim(&s, &n);
                rc = table_row(s, n, &t, NULL);
            }
            if (rc == 0)
                rc = add_paragraph(b, t.s ? t.s : "", t.len, m->section);
            free(t.s);
        }
        m->infobox_ok = 0;
        m->nrows = 0;
        break;
    }
    m->block = MD_NONE;
    m->text.len = 0;
    if (m->text.s)
        m->text.s[0] = '\0';
    return rc < 0 || m->text.oom ? -1 : 0;
}

static int md_heading(md_t *m, size_t lvl, const char *t, size_t tn)
{
    if (md_flush(m) < 0)
        return -1;
    for (size_t l = lvl; l <= 6; l++) {
        free(m->stack[l]);
        m->stack[l] = NULL;
    }
    buf_t h = {0};
    if (md_inline(t, tn, &h) < 0) {
        free(h.s);
        return -1;
    }
    m->stack[lvl] = buf_take(&h, NULL);
    free(m->section);
    m->section = md_path(m->stack);
    if (!m->stack[lvl] || !m->section)
        return -1;
    m->sk = section_kind(m->stack[lvl], strlen(m->stack[lvl]));
    m->b->seen_heading = 1;
    m->infobox_ok = 0;
    return 0;
}

static int md_add_text(md_t *m, const char *s, size_t n)
{
    if (m->text.len)
        buf_addc(&m->text, ' ');
    return md_inline(s, n, &m->text);
}

static int parse_md(builder_t *b, line_t *lines, size_t nl)
{
    md_t m = {0};
    m.b = b;
    int rc = -1;
    size_t i = 0;
    char *fm_title = NULL;
    /* Front matter. */
    if (nl && lines[0].n == 3 && memcmp(lines[0].s, "---", 3) == 0) {
        size_t j = 1;
        while (j < nl && !(lines[j].n == 3 && memcmp(lines[j].s, "---", 3) == 0))
            j++;
        if (j < nl) {
            for (size_t k = 1; k < j; k++)
                if (starts_with(lines[k].s, lines[k].n, "title:") && !fm_title) {
                    const char *t = lines[k].s + 6;
                    size_t tn = lines[k].n - 6;
                    trim(&t, &tn);
                    if (tn >= 2 && (t[0] == '"' || t[0] == '\'') && t[tn - 1] == t[0])
                        t++, tn -= 2;
                    if (!(fm_title = strndup(t, tn)))
                        goto out;
                }
            i = j + 1;
        }
    }
    while (i < nl && lines[i].n == 0)
        i++;
    if (i < nl) {
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        trim(&s, &n);
        if (md_heading_level(s, n) == 1) {
            const char *t;
            size_t tn;
            md_heading_text(s, n, 1, &t, &tn);
            buf_t h = {0};
            md_inline(t, tn, &h);
            if (!(b->a->title = buf_take(&h, NULL)))
                goto out;
            i++;
        }
    }
    if (!b->a->title && !(b->a->title = strdup(fm_title ? fm_title : b->name)))
        goto out;
    if (!(m.section = strdup("")))
        goto out;
    for (; i < nl; i++) {
        const char *raw = lines[i].s;
        size_t rn = lines[i].n;
        const char *s = raw;
        size_t n = rn;
        trim(&s, &n);
        if (m.block == MD_CODE) {
            if (starts_with(s, n, "```") || starts_with(s, n, "~~~")) {
                if (md_flush(&m) < 0)
                    goto out;
            } else {
                if (m.text.len)
                    buf_addc(&m.text, ' ');
                buf_add(&m.text, s, n);
            }
            continue;
        }
        if (n == 0) {
            if (m.block != MD_ITEM && md_flush(&m) < 0)
                goto out;
            if (m.block == MD_ITEM) {
                /* A blank line ends the item unless an indented continuation follows. */
                if (!(i + 1 < nl && lines[i + 1].n > 0 &&
                      (lines[i + 1].s[0] == ' ' || lines[i + 1].s[0] == '\t')))
                    if (md_flush(&m) < 0)
                        goto out;
            }
            continue;
        }
        size_t lvl = md_heading_level(s, n);
        if (lvl && raw[0] == '#') {
            const char *t;
            size_t tn;
            md_heading_text(s, n, lvl, &t, &tn);
            if (md_heading(&m, lvl, t, tn) < 0)
                goto out;
            continue;
        }
        /* Setext heading: one paragraph line underlined by === or ---. */
        if (m.block == MD_PARA && m.para_lines == 1 &&
            (md_is_rule(s, n, '=') || md_is_rule(s, n, '-'))) {
            char *t = strndup(m.text.s, m.text.len);
            if (!t)
                goto out;
            m.block = MD_NONE;
            m.text.len = 0;
            int r = md_heading(&m, s[0] == '=' ? 1 : 2, t, strlen(t));
            free(t);
            if (r < 0)
                goto out;
            continue;
        }
        if (md_is_rule(s, n, '-') || md_is_rule(s, n, '*') || md_is_rule(s, n, '_')) {
            if (md_flush(&m) < 0)
                goto out;
            continue;
        }
        if (starts_with(s, n, "```") || starts_with(s, n, "~~~")) {
            if (md_flush(&m) < 0)
                goto out;
            m.block = MD_CODE;
            continue;
        }
        size_t lm = md_list_marker(s, n);
        if (lm && (raw[0] != ' ' || m.block != MD_ITEM)) {
            if (md_flush(&m) < 0)
                goto out;
            m.block = MD_ITEM;
            if (md_add_text(&m, s + lm, n - lm) < 0)
                goto out;
            continue;
        }
        if (m.block == MD_ITEM && (raw[0] == ' ' || raw[0] == '\t')) {
            if (md_add_text(&m, s, n) < 0)
                goto out;
            continue;
        }
        if (s[0] == '|' || (memchr(s, '|', n) && m.block == MD_TABLE)) {
            if (m.block != MD_TABLE && md_flush(&m) < 0)
                goto out;
            m.block = MD_TABLE;
            if (m.nrows == m.rows_cap) {
                size_t cap = m.rows_cap ? m.rows_cap * 2 : 8;
                line_t *r = realloc(m.rows, cap * sizeof *r);
                if (!r)
                    goto out;
                m.rows = r;
                m.rows_cap = cap;
            }
            m.rows[m.nrows++] = (line_t){s, n, lines[i].lineno};
            continue;
        }
        if (s[0] == '>') {
            s++, n--;
            trim(&s, &n);
        }
        if (m.block != MD_PARA && md_flush(&m) < 0)
            goto out;
        if (m.block != MD_PARA)
            m.para_lines = 0;
        m.block = MD_PARA;
        m.para_lines++;
        if (md_add_text(&m, s, n) < 0)
            goto out;
    }
    if (md_flush(&m) < 0)
        goto out;
    rc = 0;
out:
    free(fm_title);
    for (int l = 0; l < 7; l++)
        free(m.stack[l]);
    free(m.section);
    free(m.text.s);
    free(m.rows);
    return rc;
}

/* ---- JSON Lines (.jsonl) ------------------------------------------------------------------- */

/* A JSON string value as clean UTF-8 (a \u0000 escape becomes U+FFFD). */
static char *json_clean(const json_t *v, size_t *len)
{
    return silk_corpus_clean_utf8(json_string_value(v), json_string_length(v), len);
}

static int known_kind(const char *k)
{
    return strcmp(k, SILK_KIND_LEAD) == 0 || strcmp(k, SILK_KIND_PARAGRAPH) == 0 ||
           strcmp(k, SILK_KIND_INFOBOX) == 0 || strcmp(k, SILK_KIND_REFERENCE) == 0 ||
           strcmp(k, SILK_KIND_READING) == 0;
}

/* Fills d from one JSON object; returns NULL on success, else the reason the line is
 * invalid (static), or "" when out of memory. */
static const char *jsonl_doc(builder_t *b, json_t *o, silk_corpus_doc_t *d)
{
    if (!json_is_object(o))
        return "not a JSON object";
    json_t *id = json_object_get(o, "id");
    json_t *text = json_object_get(o, "text");
    json_t *title = json_object_get(o, "title");
    json_t *section = json_object_get(o, "section");
    json_t *kind = json_object_get(o, "kind");
    json_t *year = json_object_get(o, "year");
    json_t *author = json_object_get(o, "authors");
    json_t *cites = json_object_get(o, "cites");
    json_t *cited_by = json_object_get(o, "cited_by");
    if (!author)
        author = json_object_get(o, "author");
    if (!json_is_string(id) || json_string_length(id) == 0)
        return "\"id\" must be a non-empty string";
    if (!json_is_string(text))
        return "\"text\" must be a string";
    if (title && !json_is_string(title))
        return "\"title\" must be a string";
    if (kind && (!json_is_string(kind) || !known_kind(json_string_value(kind))))
        return "\"kind\" must be one of lead, paragraph, infobox, reference, reading";
    char *idc = json_clean(id, NULL);
    if (!idc)
        return "";
    for (const char *p = idc; *p; p++)
        if ((unsigned char)*p < 0x20) {
            free(idc);
            return "\"id\" must not contain control characters";
        }
    const char *hash = strchr(idc, '#');
    if (hash) {
        if (hash == idc || hash[1] == '\0') {
            free(idc);
            return "\"id\" with '#' needs an article before it and an anchor after it";
        }
        d->id = idc;
        d->article_name = strndup(idc, (size_t)(hash - idc));
    } else {
        if (asprintf(&d->id, "%s#%s", b->name, idc) < 0)
            d->id = NULL;
        free(idc);
        d->article_name = strdup(b->name);
    }
    if (!d->id || !d->article_name)
        return "";
    if (strlen(d->id) > SILK_ID_MAX)
        return "document id longer than 240 bytes";
    d->title = title ? json_clean(title, NULL) : strdup(b->name);
    d->kind = strdup(kind ? json_string_value(kind) : SILK_KIND_PARAGRAPH);
    d->text = json_clean(text, &d->text_len);
    if (!d->title || !d->kind || !d->text)
        return "";
    if (!section || json_is_null(section)) {
        d->section = strdup("");
    } else if (json_is_string(section)) {
        d->section = json_clean(section, NULL);
    } else if (json_is_array(section)) {
        buf_t p = {0};
        size_t i;
        json_t *v;
        buf_add(&p, "", 0);
        json_array_foreach(section, i, v)
        {
            if (!json_is_string(v)) {
                free(p.s);
                return "\"section\" must be a string or an array of strings";
            }
            if (i)
                buf_adds(&p, SILK_SECTION_SEP);
            buf_add(&p, json_string_value(v), json_string_length(v));
        }
        char *raw = buf_take(&p, NULL);
        d->section = raw ? silk_corpus_clean_utf8(raw, strlen(raw), NULL) : NULL;
        free(raw);
    } else {
        return "\"section\" must be a string or an array of strings";
    }
    if (!d->section)
        return "";
    if (year && !json_is_null(year)) {
        long long y = 0;
        if (json_is_integer(year))
            y = json_integer_value(year);
        else if (json_is_string(year)) {
            const char *ys = json_string_value(year);
            char *end = NULL;
            y = strtoll(ys, &end, 10);
            if (!*ys || *end)
                y = 0;
        }
        if (y < 1 || y > 9999)
            return "\"year\" must be an integer from 1 to 9999";
        d->year = (int)y;
    }
    if (author && !json_is_null(author)) {
        size_t na = json_is_array(author) ? json_array_size(author) : 1;
        if (!json_is_string(author) && !json_is_array(author))
            return "\"author\" must be a string or an array of strings";
        if (!(d->authors = calloc(na ? na : 1, sizeof *d->authors)))
            return "";
        for (size_t i = 0; i < na; i++) {
            json_t *v = json_is_array(author) ? json_array_get(author, i) : author;
            if (!json_is_string(v))
                return "\"author\" must be a string or an array of strings";
            if (!(d->authors[d->nauthors++] = json_clean(v, NULL)))
                return "";
        }
    }
    if (cites && !json_is_null(cites)) {
        if (!json_is_array(cites))
            return "\"cites\" must be an array of integers";
        uvec_t uv = {0};
        size_t i;
        json_t *v;
        json_array_foreach(cites, i, v)
        {
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > 1000000) {
                free(uv.v);
                uvec_done(&uv);
                return "\"cites\" must be an array of integers >= 1";
            }
            if (uvec_push_unique(&uv, (unsigned)json_integer_value(v)) < 0) {
                free(uv.v);
                uvec_done(&uv);
                return "";
            }
        }
        d->cites = uv.v;
        d->ncites = uv.n;
        uvec_done(&uv);
    }
    if (cited_by && !json_is_null(cited_by)) {
        if (!json_is_array(cited_by))
            return "\"cited_by\" must be an array of strings";
        size_t nc = json_array_size(cited_by);
        if (!(d->cited_by = calloc(nc ? nc : 1, sizeof *d->cited_by)))
            return "";
        for (size_t i = 0; i < nc; i++) {
            json_t *v = json_array_get(cited_by, i);
            if (!json_is_string(v))
                return "\"cited_by\" must be an array of strings";
            if (!(d->cited_by[d->ncited_by++] = json_clean(v, NULL)))
                return "";
        }
    }
    /* Last, so that a line rejected for another reason leaves no entry in the set. */
    int dup = idset_add(b, b->a->ndocs - 1);
    if (dup < 0)
        return "";
    if (dup)
        return "duplicate id";
    return NULL;
}

static int parse_jsonl(builder_t *b, line_t *lines, size_t nl)
{
    for (size_t i = 0; i < nl; i++) {
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        trim(&s, &n);
        if (n == 0)
            continue;
        json_error_t err;
        json_t *o = json_loadb(s, n, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
        const char *why;
        char jsonmsg[256];
        if (!o) {
            snprintf(jsonmsg, sizeof jsonmsg, "invalid JSON: %s (column %d)", err.text, err.column);
            why = jsonmsg;
        } else {
            silk_corpus_doc_t *d = article_new_doc(b->a);
            if (!d) {
                json_decref(o);
                return -1;
            }
            why = jsonl_doc(b, o, d);
            if (why) {
                doc_free(d);
                b->a->ndocs--;
            }
        }
        json_decref(o);
        if (why && !*why)
            return -1;
        if (why && article_problem(b->a, "%s:%zu: %s", b->path, lines[i].lineno, why) < 0)
            return -1;
    }
    if (b->a->ndocs && !(b->a->title = strdup(b->a->docs[0].title)))
        return -1;
    return 0;
}

/* ---- entry point --------------------------------------------------------------------------- */

silk_status_t silk_article_parse(silk_format_t fmt, const char *name, const char *path,
                                 const char *data, size_t len, silk_article_t **out)
{
    *out = NULL;
    if (fmt == SILK_FORMAT_NONE)
        return SILK_ERR_INVALID;
    silk_article_t *a = calloc(1, sizeof *a);
    char *text = NULL;
    line_t *lines = NULL;
    size_t nl = 0, tlen = 0;
    builder_t b = {0};
    if (!a)
        goto fail;
    if (!(text = silk_corpus_clean_utf8(data, len, &tlen)))
        goto fail;
    const char *t = text;
    if (tlen >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0)
        t += 3, tlen -= 3;
    if (split_lines(t, tlen, &lines, &nl) < 0)
        goto fail;
    b.a = a;
    b.name = name;
    b.path = path;
    int r;
    switch (fmt) {
    case SILK_FORMAT_TXT:
        r = parse_txt(&b, lines, nl);
        break;
    case SILK_FORMAT_MD:
        r = parse_md(&b, lines, nl);
        break;
    default:
        r = parse_jsonl(&b, lines, nl);
        break;
    }
    if (r < 0)
        goto fail;
    if (fmt != SILK_FORMAT_JSONL && link_citations(&b) < 0)
        goto fail;
    if (!a->title && !(a->title = strdup("")))
        goto fail;
    free(b.refs);
    free(b.ids);
    free(lines);
    free(text);
    *out = a;
    return SILK_OK;
fail:
    free(b.refs);
    free(b.ids);
    free(lines);
    free(text);
    silk_article_destroy(a);
    return SILK_ERR_NOMEM;
}

/* ---- stored data --------------------------------------------------------------------------- */

char *silk_corpus_doc_json(const silk_corpus_doc_t *d, size_t *len)
{
    json_t *o = json_object();
    char *s = NULL;
    if (!o)
        return NULL;
    int bad = 0;
    bad |= json_object_set_new(o, "id", json_string(d->id));
    bad |= json_object_set_new(o, "kind", json_string(d->kind));
    bad |= json_object_set_new(o, "article", json_string(d->title));
    bad |= json_object_set_new(o, "section", json_string(d->section));
    bad |= json_object_set_new(o, "text", json_stringn(d->text, d->text_len));
    if (d->ncites) {
        json_t *a = json_array();
        for (size_t i = 0; i < d->ncites; i++)
            bad |= json_array_append_new(a, json_integer(d->cites[i]));
        bad |= json_object_set_new(o, "cites", a);
    }
    if (d->ncited_by) {
        json_t *a = json_array();
        for (size_t i = 0; i < d->ncited_by; i++)
            bad |= json_array_append_new(a, json_string(d->cited_by[i]));
        bad |= json_object_set_new(o, "cited_by", a);
    }
    if (d->year)
        bad |= json_object_set_new(o, "year", json_integer(d->year));
    if (d->nauthors) {
        json_t *a = json_array();
        for (size_t i = 0; i < d->nauthors; i++)
            bad |= json_array_append_new(a, json_string(d->authors[i]));
        bad |= json_object_set_new(o, "authors", a);
    }
    if (!bad)
        s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (s && len)
        *len = strlen(s);
    return s;
}

/* ---- synonyms ------------------------------------------------------------------------------ */

struct silk_synonyms {
    strvec_t *groups;  /* each group's members */
    size_t ngroups;    /* groups used */
    strvec_t problems; /* "FILE:LINE: reason" */
};

void silk_synonyms_destroy(silk_synonyms_t *syn)
{
    if (!syn)
        return;
    for (size_t g = 0; g < syn->ngroups; g++)
        strvec_free(&syn->groups[g]);
    free(syn->groups);
    strvec_free(&syn->problems);
    free(syn);
}

silk_status_t silk_synonyms_parse(const char *path, const char *data, size_t len,
                                  silk_synonyms_t **out)
{
    *out = NULL;
    silk_synonyms_t *syn = calloc(1, sizeof *syn);
    size_t tlen = 0, nl = 0;
    char *text = silk_corpus_clean_utf8(data, len, &tlen);
    line_t *lines = NULL;
    if (!syn || !text || split_lines(text, tlen, &lines, &nl) < 0)
        goto fail;
    if (!(syn->groups = calloc(nl ? nl : 1, sizeof *syn->groups)))
        goto fail;
    for (size_t i = 0; i < nl; i++) {
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        if (i == 0 && starts_with(s, n, "\xef\xbb\xbf"))
            s += 3, n -= 3;
        trim(&s, &n);
        if (n == 0 || s[0] == '#')
            continue;
        strvec_t *g = &syn->groups[syn->ngroups];
        piece_t parts[64];
        size_t np = 0, start = 0;
        for (size_t k = 0; k <= n && np < 64; k++) {
            if (k == n || s[k] == '=') {
                const char *ps = s + start;
                size_t pn = k - start;
                trim(&ps, &pn);
                if (pn)
                    parts[np++] = (piece_t){ps, pn};
                start = k + 1;
            }
        }
        for (size_t k = 0; k < np; k++) {
            char *m = strndup(parts[k].s, parts[k].n);
            if (!m)
                goto fail;
            if (strvec_has(g, m)) {
                free(m);
                continue;
            }
            if (strvec_push_owned(g, m) < 0)
                goto fail;
        }
        if (g->n < 2) {
            strvec_free(g);
            char *msg = NULL;
            if (asprintf(&msg, "%s:%zu: a synonym group needs at least two members joined by '='",
                         path, lines[i].lineno) < 0 ||
                strvec_push_owned(&syn->problems, msg) < 0)
                goto fail;
            continue;
        }
        syn->ngroups++;
    }
    free(lines);
    free(text);
    *out = syn;
    return SILK_OK;
fail:
    free(lines);
    free(text);
    silk_synonyms_destroy(syn);
    return SILK_ERR_NOMEM;
}

size_t silk_synonyms_group_count(const silk_synonyms_t *syn)
{
    return syn->ngroups;
}

size_t silk_synonyms_member_count(const silk_synonyms_t *syn, size_t g)
{
    return g < syn->ngroups ? syn->groups[g].n : 0;
}

const char *silk_synonyms_member(const silk_synonyms_t *syn, size_t g, size_t m)
{
    return g < syn->ngroups && m < syn->groups[g].n ? syn->groups[g].v[m] : NULL;
}

size_t silk_synonyms_problem_count(const silk_synonyms_t *syn)
{
    return syn->problems.n;
}

const char *silk_synonyms_problem(const silk_synonyms_t *syn, size_t i)
{
    return i < syn->problems.n ? syn->problems.v[i] : NULL;
}
