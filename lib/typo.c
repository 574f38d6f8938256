/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — typo-tolerant matching (include/silk/typo.h): a bounded walk over the index terms
 * that share a query word's first characters, keeping those within its edit budget.
 */
#include "silk/typo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "silk/buf.h"
#include "silk/morph.h"
#include "silk/qword.h"
#include "silk/schema.h"
#include "silk/utf8.h"

size_t silk_typo_chars(const char *s, size_t len)
{
    size_t c = 0;
    for (size_t i = 0; i < len; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

unsigned silk_typo_max_edits(size_t chars, int short_ok)
{
    if (chars < (short_ok ? SILK_TYPO_SHORT_MIN_CHARS : SILK_TYPO_MIN_CHARS))
        return 0;
    return chars < SILK_TYPO_TWO_EDITS_CHARS ? 1 : 2;
}

/* The code points of s[0, len), at most SILK_TERM_MAX of them. */
static size_t decode_all(const char *s, size_t len, int32_t *cp)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < SILK_TERM_MAX;)
        i += silk_utf8_decode(s + i, len - i, &cp[n++]);
    return n;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
    unsigned m = a < b ? a : b;
    return m < c ? m : c;
}

/* The distance of two decoded words, or max + 1 once every cell of a row exceeds max. */
static unsigned distance_cp(const int32_t *a, size_t n, const int32_t *b, size_t m, unsigned max)
{
    if ((n > m ? n - m : m - n) > max)
        return max + 1;
    /* Three rows of the optimal-string-alignment table: the transposition looks two back. */
    unsigned rows[3][SILK_TERM_MAX + 1];
    unsigned *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (unsigned)i;
        unsigned best = cur[0];
        for (size_t j = 1; j <= m; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
        unsigned *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[m] <= max ? prev[m] : max + 1;
}

unsigned silk_typo_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
    int32_t ca[SILK_TERM_MAX], cb[SILK_TERM_MAX];
    size_t n = decode_all(a, alen, ca), m = decode_all(b, blen, cb);
    return distance_cp(ca, n, cb, m, max);
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Terms within the budget found by the walk, before their frequencies are known. */
#define FOUND_MAX 32

/* One walk over the terms with a prefix. */
typedef struct {
    const int32_t *w;                         /* the query word, decoded */
    size_t wn;                                /* its characters */
    const char *word;                         /* the query word itself (not a candidate) */
    unsigned max;                             /* edits allowed */
    size_t examined;                          /* terms compared so far (all walks of the word) */
    uint64_t deadline;                        /* now_us() past which the walk stops */
    int cut;                                  /* the walk stopped on a bound, not at its end */
    char found[FOUND_MAX][SILK_TERM_MAX + 1]; /* the matching terms */
    unsigned dist[FOUND_MAX];                 /* their distances */
    size_t nfound;                            /* how many */
} walk_t;

static int walk_cb(const char *t, size_t len, void *ud)
{
    walk_t *w = ud;
    if (++w->examined > SILK_TYPO_EXAMINE_MAX ||
        (w->examined % 128 == 0 && now_us() > w->deadline)) {
        w->cut = 1;
        return 1;
    }
    if (len > SILK_TERM_MAX || (len == strlen(w->word) && memcmp(w->word, t, len) == 0))
        return 0;
    int32_t cp[SILK_TERM_MAX];
    size_t n = decode_all(t, len, cp);
    unsigned d = distance_cp(w->w, w->wn, cp, n, w->max);
    if (d > w->max)
        return 0;
    for (size_t i = 0; i < w->nfound; i++)
        if (strcmp(w->found[i], t) == 0)
            return 0;
    if (w->nfound < FOUND_MAX) {
        memcpy(w->found[w->nfound], t, len);
        w->found[w->nfound][len] = '\0';
        w->dist[w->nfound++] = d;
    }
    return 0;
}

/* The byte length of the first k characters of s. */
static size_t prefix_bytes(const char *s, size_t k)
{
    size_t i = 0, c = 0, len = strlen(s);
    while (i < len && c < k) {
        int32_t cp;
        i += silk_utf8_decode(s + i, len - i, &cp);
        c++;
    }
    return i;
}

/* Whether candidate a ranks before b: closer, then more frequent, then smaller. */
static int before(const silk_typo_cand_t *a, const silk_typo_cand_t *b)
{
    if (a->dist != b->dist)
        return a->dist < b->dist;
    if (a->freq != b->freq)
        return a->freq > b->freq;
    return strcmp(a->term, b->term) < 0;
}

silk_status_t silk_typo_candidates(silk_db_t *db, const char *term, const char *stem, int short_ok,
                                   silk_typo_cand_t *out, size_t *n)
{
    *n = 0;
    size_t len = strlen(term);
    int32_t cp[SILK_TERM_MAX];
    walk_t w = {.w = cp, .word = term};
    if (len == 0 || len > SILK_TERM_MAX)
        return SILK_OK;
    w.wn = decode_all(term, len, cp);
    if ((w.max = silk_typo_max_edits(w.wn, short_ok)) == 0)
        return SILK_OK;
    uint64_t freq = 0;
    silk_status_t st = silk_db_term_freq(db, term, &freq);
    if (st == SILK_OK && freq <= SILK_TYPO_RARE_FREQ_MAX && stem != NULL && *stem != '\0') {
        /* An English word is known when its stem is (a plural the text never uses). */
        char z[SILK_TERM_MAX + 2];
        uint64_t sf = 0;
        snprintf(z, sizeof z, "%s%s", SILK_PREFIX_STEM, stem);
        st = silk_db_term_freq(db, z, &sf);
        if (sf > freq)
            freq = sf;
    }
    if (st == SILK_OK && freq == 0 && silk_morph_is_arabic(term)) {
        /* A Persian word is known when the index has one of its suffixed forms. */
        char forms[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF];
        size_t nf = 0;
        st = silk_morph_variants(db, term, forms, &nf);
        freq = nf > 1 ? SILK_TYPO_RARE_FREQ_MAX + 1 : 0;
    }
    /* A short word has many neighbours: only one the index lacks is a typo. */
    if (st != SILK_OK || freq > SILK_TYPO_RARE_FREQ_MAX || (w.wn < SILK_TYPO_MIN_CHARS && freq > 0))
        return st;
    w.deadline = now_us() + SILK_TYPO_TIME_US;
    /* The terms sharing the first character; when there are too many of them to compare
     * within the bound, those sharing the first two, which is where most typos are (the
     * walk is in sorted order, so a cut walk would only have seen the start of the
     * alphabet). */
    char pre[2 * 4 + 1];
    size_t pl = prefix_bytes(term, 1);
    memcpy(pre, term, pl);
    pre[pl] = '\0';
    if ((st = silk_db_allterms(db, pre, walk_cb, &w)) != SILK_OK)
        return st;
    if (w.cut && now_us() <= w.deadline) {
        w.cut = 0;
        w.examined = 0;
        pl = prefix_bytes(term, 2);
        memcpy(pre, term, pl);
        pre[pl] = '\0';
        if ((st = silk_db_allterms(db, pre, walk_cb, &w)) != SILK_OK)
            return st;
    }
    /* Keep the best SILK_TYPO_KEEP_MAX by insertion; a known word keeps only neighbours
     * far more frequent than itself (it is then the typo). */
    for (size_t i = 0; i < w.nfound; i++) {
        silk_typo_cand_t c = {.dist = w.dist[i]};
        memcpy(c.term, w.found[i], strlen(w.found[i]) + 1);
        if ((st = silk_db_term_freq(db, c.term, &c.freq)) != SILK_OK)
            return st;
        if (c.freq == 0 || (freq > 0 && c.freq < freq * SILK_TYPO_RARER))
            continue;
        size_t at = *n;
        while (at > 0 && before(&c, &out[at - 1]))
            at--;
        if (at >= SILK_TYPO_KEEP_MAX)
            continue;
        size_t last = *n < SILK_TYPO_KEEP_MAX ? *n : SILK_TYPO_KEEP_MAX - 1;
        memmove(&out[at + 1], &out[at], (last - at) * sizeof *out);
        out[at] = c;
        if (*n < SILK_TYPO_KEEP_MAX)
            (*n)++;
    }
    return SILK_OK;
}

/* The query of one correction: its stem when it has one, else its exact term; the same
 * added to the matcher. */
static silk_status_t correction_query(silk_tokenizer_t *tok, const char *to, silk_qmatch_t *m,
                                      int id, silk_query_t **out)
{
    silk_qwords_t l = {0};
    silk_status_t st = silk_qwords_tokenize(&l, tok, to, strlen(to), 1);
    if (st == SILK_OK && l.n == 1 && l.w[0].has_stem && strcmp(l.w[0].term, to) == 0) {
        char z[SILK_TERM_MAX + 2];
        int zl = snprintf(z, sizeof z, "%s%s", SILK_PREFIX_STEM, l.w[0].stem);
        st = silk_query_term(z, (size_t)zl, 1, 0, out);
        if (st == SILK_OK && id >= 0 && silk_qmatch_add_stem(m, id, l.w[0].stem) != SILK_OK)
            st = SILK_ERR_NOMEM;
    } else if (st == SILK_OK) {
        st = silk_query_term(to, strlen(to), 1, 0, out);
        if (st == SILK_OK && id >= 0 && silk_qmatch_add_term(m, id, to) != SILK_OK)
            st = SILK_ERR_NOMEM;
    }
    silk_qwords_free(&l);
    return st;
}

void silk_typo_fixes_free(silk_typo_fixes_t *f)
{
    if (f == NULL)
        return;
    free(f->v);
    memset(f, 0, sizeof *f);
}

silk_status_t silk_typo_expand(silk_db_t *db, silk_tokenizer_t *tok, const char *term,
                               const char *stem, int short_ok, silk_qmatch_t *m, int id,
                               silk_query_t **body, silk_typo_fixes_t *fixes)
{
    silk_typo_cand_t c[SILK_TYPO_KEEP_MAX];
    silk_query_t *q[SILK_TYPO_KEEP_MAX];
    size_t nc = 0, nq = 0;
    silk_status_t st = silk_typo_candidates(db, term, stem, short_ok, c, &nc);
    if (st != SILK_OK || nc == 0)
        return st;
    if (SILK_GROW(fixes->v, fixes->cap, fixes->n + nc) != SILK_OK)
        return SILK_ERR_NOMEM;
    for (size_t i = 0; i < nc && st == SILK_OK; i++)
        if ((st = correction_query(tok, c[i].term, m, id, &q[nq])) == SILK_OK)
            nq++;
    silk_query_t *syn = NULL, *scaled = NULL, *both = NULL;
    if (st == SILK_OK)
        st = silk_query_combine(SILK_OP_SYNONYM, q, nq, 0, &syn);
    for (size_t i = 0; i < nq; i++)
        silk_query_destroy(q[i]);
    /* Scaled: a document with the word as typed ranks above one with only a correction. */
    if (st == SILK_OK)
        st = silk_query_scale(syn, SILK_TYPO_WEIGHT, &scaled);
    if (st == SILK_OK) {
        silk_query_t *pair[2] = {*body, scaled};
        st = silk_query_combine(SILK_OP_OR, pair, 2, 0, &both);
    }
    silk_query_destroy(syn);
    silk_query_destroy(scaled);
    if (st != SILK_OK)
        return st;
    silk_query_destroy(*body);
    *body = both;
    for (size_t i = 0; i < nc; i++) {
        silk_typo_fix_t *f = &fixes->v[fixes->n++];
        memcpy(f->from, term, strlen(term) + 1); /* len <= SILK_TERM_MAX, checked */
        memcpy(f->to, c[i].term, sizeof c[i].term);
    }
    return SILK_OK;
}
