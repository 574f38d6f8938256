/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — snippets (include/silk/snippet.h): a document's tokens with their byte and
 * character offsets, and the window of text that shows the most of a query's words.
 */
#include "silk/snippet.h"

#include <stdlib.h>
#include <string.h>

#define ELLIPSIS     "\xe2\x80\xa6" /* U+2026 */
#define ELLIPSIS_LEN 3

/* A run of tokens [t0, t1] that matches query word `id`. */
struct silk_snippet_match {
    uint32_t t0, t1; /* first and last token */
    int id;          /* the query word */
};

/* ---- tokenizing ---------------------------------------------------------------------------- */

typedef struct {
    silk_snippet_text_t *d; /* the text being tokenized */
    size_t cap;             /* allocated toks */
    size_t span_cap;        /* allocated span */
    silk_buf_t terms;       /* the terms, back to back */
    size_t last;            /* byte offset up to which characters were counted */
    size_t chars;           /* characters before `last` */
    int oom;                /* an allocation failed */
} tokrun_t;

static size_t count_chars(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)p[i] & 0xC0) != 0x80;
    return c;
}

/* The character offset of byte offset `at`, moving the run's cursor there (CJK bigrams
 * overlap, so the cursor may move back by a character). */
static size_t chars_at(tokrun_t *r, size_t at)
{
    if (at >= r->last)
        r->chars += count_chars(r->d->text + r->last, at - r->last);
    else
        r->chars -= count_chars(r->d->text + at, r->last - at);
    r->last = at;
    return r->chars;
}

static int tok_cb(const silk_token_t *t, void *ud)
{
    tokrun_t *r = ud;
    silk_snippet_text_t *d = r->d;
    size_t n = d->ntoks;
    if (SILK_GROW(d->toks, r->cap, n + 1) != SILK_OK ||
        SILK_GROW(d->span, r->span_cap, n + 1) != SILK_OK) {
        r->oom = 1;
        return 1;
    }
    /* Terms are kept as offsets while the block may move; fixed up after the run. */
    silk_qtok_t *q = &d->toks[n];
    q->term = (const char *)(uintptr_t)r->terms.len;
    if (silk_buf_add(&r->terms, t->term, t->len) != SILK_OK) {
        r->oom = 1;
        return 1;
    }
    q->len = (uint32_t)t->len;
    q->h_term = silk_qhash(t->term, t->len);
    q->h_stem = t->stem != NULL && t->stem_len > 0 ? silk_qhash_stem(t->stem, t->stem_len) : 0;
    q->pos = t->pos;
    silk_snippet_span_t *sp = &d->span[n];
    sp->start = (uint32_t)t->start;
    sp->cstart = (uint32_t)chars_at(r, t->start);
    sp->end = (uint32_t)t->end;
    sp->cend = (uint32_t)chars_at(r, t->end);
    d->ntoks = n + 1;
    return 0;
}

/* Gives back what doubling left unused: a cached text keeps only what it uses. */
static void *shrink(void *p, size_t bytes)
{
    void *q = bytes > 0 ? realloc(p, bytes) : NULL;
    return q != NULL ? q : p;
}

silk_status_t silk_snippet_text_tokenize(silk_snippet_text_t *d, silk_tokenizer_t *tok,
                                         const char *text, size_t len, size_t scan_max)
{
    silk_snippet_text_clear(d);
    d->text = text;
    d->text_len = len;
    size_t n = len;
    if (n > scan_max) {
        n = scan_max;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    tokrun_t r = {.d = d, .terms = SILK_BUF_INIT};
    silk_status_t st = silk_tokenize(tok, text, n, 1, tok_cb, &r, NULL);
    if (st != SILK_OK || r.oom) {
        silk_buf_free(&r.terms);
        silk_snippet_text_clear(d);
        return SILK_ERR_NOMEM;
    }
    size_t nt = d->ntoks, tl = r.terms.len;
    if (nt < r.cap)
        d->toks = shrink(d->toks, nt * sizeof *d->toks);
    if (nt < r.span_cap)
        d->span = shrink(d->span, nt * sizeof *d->span);
    d->terms = tl < r.terms.cap ? shrink(r.terms.data, tl) : r.terms.data;
    for (size_t i = 0; i < nt; i++)
        d->toks[i].term = d->terms + (uintptr_t)d->toks[i].term;
    d->scan_len = n;
    d->scan_chars = r.chars + count_chars(text + r.last, n - r.last);
    d->bytes = nt * (sizeof(silk_qtok_t) + sizeof(silk_snippet_span_t)) + tl;
    return SILK_OK;
}

void silk_snippet_text_clear(silk_snippet_text_t *d)
{
    if (d == NULL)
        return;
    free(d->toks);
    free(d->span);
    free(d->terms);
    memset(d, 0, sizeof *d);
}

void silk_snippet_scratch_free(silk_snippet_scratch_t *sc)
{
    if (sc == NULL)
        return;
    free(sc->matches);
    free(sc->idcount);
    memset(sc, 0, sizeof *sc);
}

/* ---- the window ---------------------------------------------------------------------------- */

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Byte offset after advancing `chars` characters from the start of p[0, n). */
static size_t advance_chars(const char *p, size_t n, size_t chars)
{
    size_t i = 0, c = 0;
    while (i < n) {
        if (((unsigned char)p[i] & 0xC0) != 0x80) {
            if (c == chars)
                return i;
            c++;
        }
        i++;
    }
    return n;
}

/* 1. The matches: runs of tokens that match a positive query term. Returns how many. */
static silk_status_t find_matches(silk_snippet_scratch_t *sc, const silk_snippet_text_t *d,
                                  const silk_qmatch_t *m, size_t *nm)
{
    *nm = 0;
    if (silk_qmatch_ids(m) == 0)
        return SILK_OK;
    for (size_t i = 0; i < d->ntoks;) {
        size_t k = 0;
        int id = silk_qmatch_at(m, d->toks, d->ntoks, i, &k);
        if (id < 0 || k == 0) {
            i++;
            continue;
        }
        if (SILK_GROW(sc->matches, sc->matches_cap, *nm + 1) != SILK_OK)
            return SILK_ERR_NOMEM;
        sc->matches[*nm] =
            (struct silk_snippet_match){.t0 = (uint32_t)i, .t1 = (uint32_t)(i + k - 1), .id = id};
        (*nm)++;
        i += k;
    }
    return SILK_OK;
}

/* 2. The window of W characters holding the most distinct matched words (then the most
 * matches, then the earliest): two pointers over the matches [0, nm), nm > 0. Sets the
 * matches [*bl, *br) it holds. */
static silk_status_t best_window(silk_snippet_scratch_t *sc, const silk_snippet_text_t *d,
                                 size_t nids, size_t nm, size_t W, size_t *bl, size_t *br)
{
    const struct silk_snippet_match *mt = sc->matches;
    size_t best_l = 0, best_r = 0, best_d = 0, best_c = 0;
    if (silk_grow_array((void **)&sc->idcount, &sc->idcount_cap, nids, sizeof(int), 64) != SILK_OK)
        return SILK_ERR_NOMEM;
    memset(sc->idcount, 0, nids * sizeof(int));
    size_t r = 0, distinct = 0;
    for (size_t l = 0; l < nm; l++) {
        if (r < l)
            r = l;
        while (r < nm && d->span[mt[r].t1].cend - d->span[mt[l].t0].cstart <= W) {
            if (sc->idcount[mt[r].id]++ == 0)
                distinct++;
            r++;
        }
        size_t count = r - l;
        if (count > 0 && (distinct > best_d || (distinct == best_d && count > best_c))) {
            best_d = distinct;
            best_c = count;
            best_l = l;
            best_r = r;
        }
        if (r > l && --sc->idcount[mt[l].id] == 0)
            distinct--;
    }
    if (best_c == 0) { /* a single match longer than the window: show its start */
        best_l = 0;
        best_r = 1;
    }
    *bl = best_l;
    *br = best_r;
    return SILK_OK;
}

silk_status_t silk_snippet_make(silk_snippet_scratch_t *sc, const silk_snippet_text_t *d,
                                const silk_qmatch_t *m, size_t width, silk_buf_t *out, size_t *off,
                                silk_snippet_hl_t *hl, size_t *hl0, size_t *nhl)
{
    const size_t W = width;
    const silk_snippet_span_t *sp = d->span;
    size_t nm = 0, nids = silk_qmatch_ids(m);
    *hl0 = hl->n;
    *nhl = 0;
    if (find_matches(sc, d, m, &nm) != SILK_OK)
        return SILK_ERR_NOMEM;
    size_t best_l = 0, best_r = 0;
    if (nm > 0 && best_window(sc, d, nids, nm, W, &best_l, &best_r) != SILK_OK)
        return SILK_ERR_NOMEM;
    const struct silk_snippet_match *mt = sc->matches;

    /* 3. Place the window in characters, then snap it to token boundaries in bytes. */
    size_t total_chars = d->scan_chars;
    size_t cs = 0, ce;
    if (nm > 0) {
        size_t ms = sp[mt[best_l].t0].cstart;
        size_t me = sp[mt[best_r - 1].t1].cend;
        size_t slack = me - ms < W ? W - (me - ms) : 0;
        size_t before = slack / 2 < 60 ? slack / 2 : 60;
        cs = ms > before ? ms - before : 0;
    }
    ce = cs + W;
    if (ce > total_chars) {
        ce = total_chars;
        cs = ce > W ? ce - W : 0;
    }
    size_t bs = 0, be;
    if (cs > 0) {
        /* The first token starting at or after cs (never cut a word in two). */
        size_t lo = 0, hi = d->ntoks;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (sp[mid].cstart < cs)
                lo = mid + 1;
            else
                hi = mid;
        }
        bs = lo < d->ntoks ? sp[lo].start : d->scan_len;
        if (nm > 0 && bs > sp[mt[best_l].t0].start)
            bs = sp[mt[best_l].t0].start;
    }
    if (ce >= total_chars && d->scan_len == d->text_len) {
        be = d->text_len;
    } else {
        /* The last token ending at or before ce, then its trailing punctuation. */
        size_t lo = 0, hi = d->ntoks;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (sp[mid].cend <= ce)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && sp[lo - 1].end > bs) {
            be = sp[lo - 1].end;
            for (int k = 0; k < 4 && be < d->scan_len; k++) {
                unsigned char c = (unsigned char)d->text[be];
                if (c >= 0x80 || is_space_byte(c) || (c >= '0' && c <= '9') ||
                    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
                    break;
                be++;
            }
        } else {
            /* No token fits (a text of one long word, or of symbols): cut characters. */
            be = bs + advance_chars(d->text + bs, d->scan_len - bs, W);
        }
        if (nm > 0 && be < sp[mt[best_l].t1].end)
            be = sp[mt[best_l].t1].end;
    }
    /* Trim whitespace at the cut ends. */
    while (bs < be && is_space_byte((unsigned char)d->text[bs]))
        bs++;
    while (be > bs && is_space_byte((unsigned char)d->text[be - 1]))
        be--;
    int lead = bs > 0, trail = be < d->text_len;

    /* 4. Copy, with "…" where text was left out; line breaks, tabs and NUL bytes become
     * spaces (same length, so the offsets hold), so the snippet is one C string. */
    size_t need = (lead ? ELLIPSIS_LEN : 0) + (be - bs) + (trail ? ELLIPSIS_LEN : 0);
    if (silk_buf_reserve(out, need + 1) != SILK_OK)
        return SILK_ERR_NOMEM;
    char *dst = out->data + out->len;
    size_t o = 0;
    if (lead) {
        memcpy(dst, ELLIPSIS, ELLIPSIS_LEN);
        o += ELLIPSIS_LEN;
    }
    for (size_t i = bs; i < be; i++) {
        char c = d->text[i];
        dst[o++] = (c == '\n' || c == '\r' || c == '\t' || c == '\0') ? ' ' : c;
    }
    if (trail) {
        memcpy(dst + o, ELLIPSIS, ELLIPSIS_LEN);
        o += ELLIPSIS_LEN;
    }
    dst[o] = '\0';
    *off = out->len;
    out->len += o + 1;

    /* 5. Highlights: every match inside the snippet, as byte ranges into it. The bigrams
     * of a Hangul word overlap; their matches become one range per word. */
    size_t shift = lead ? ELLIPSIS_LEN : 0;
    for (size_t k = 0; k < nm; k++) {
        size_t hs = sp[mt[k].t0].start, he = sp[mt[k].t1].end;
        if (hs < bs || he > be)
            continue;
        if (*nhl > 0 && hs - bs + shift < hl->v[hl->n - 1]) {
            if (he - bs + shift > hl->v[hl->n - 1])
                hl->v[hl->n - 1] = (uint32_t)(he - bs + shift);
            continue;
        }
        if (SILK_GROW(hl->v, hl->cap, hl->n + 2) != SILK_OK)
            return SILK_ERR_NOMEM;
        hl->v[hl->n++] = (uint32_t)(hs - bs + shift);
        hl->v[hl->n++] = (uint32_t)(he - bs + shift);
        (*nhl)++;
    }
    return SILK_OK;
}
