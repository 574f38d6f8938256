/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — query words (include/silk/qword.h): the one copier from tokenizer tokens to
 * query words, shared by the parser and by the builder's synonyms.
 */
#include "silk/qword.h"

#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"

typedef struct {
    silk_qwords_t *l; /* where the words go */
    size_t max;       /* stop when l holds this many */
    silk_status_t st; /* SILK_OK, or why the run stopped early */
} qword_run_t;

/* Copies s[0, n) into dst (SILK_TERM_MAX + 1 bytes), cut at SILK_TERM_MAX. */
static void copy_term(char *dst, const char *s, size_t n)
{
    if (n > SILK_TERM_MAX)
        n = SILK_TERM_MAX;
    if (n > 0)
        memcpy(dst, s, n);
    dst[n] = '\0';
}

static int qword_cb(const silk_token_t *t, void *ud)
{
    qword_run_t *r = ud;
    silk_qwords_t *l = r->l;
    if ((r->st = SILK_GROW(l->w, l->cap, l->n + 1)) != SILK_OK)
        return 1;
    silk_qword_t *w = &l->w[l->n++];
    copy_term(w->term, t->term, t->len);
    w->has_stem = t->stem != NULL && t->stem_len > 0;
    copy_term(w->stem, w->has_stem ? t->stem : "", w->has_stem ? t->stem_len : 0);
    w->kind = t->kind;
    return l->n >= r->max;
}

silk_status_t silk_qwords_tokenize(silk_qwords_t *l, silk_tokenizer_t *tok, const char *text,
                                   size_t len, size_t max)
{
    qword_run_t r = {.l = l, .max = max, .st = SILK_OK};
    l->n = 0;
    if (max == 0)
        return SILK_OK;
    silk_status_t st = silk_tokenize(tok, text, len, 1, qword_cb, &r, NULL);
    return st != SILK_OK ? st : r.st;
}

void silk_qwords_free(silk_qwords_t *l)
{
    if (l == NULL)
        return;
    free(l->w);
    l->w = NULL;
    l->n = l->cap = 0;
}

/* The English stopwords of Snowball's list that carry no topic (its 174 words less the
 * pronouns' rarer forms), sorted for bsearch. */
static const char *const stopwords[] = {
    "a",       "about", "above",   "after",  "again",   "against", "all",     "am",      "an",
    "and",     "any",   "are",     "as",     "at",      "be",      "because", "been",    "before",
    "being",   "below", "between", "both",   "but",     "by",      "can",     "could",   "did",
    "do",      "does",  "doing",   "down",   "during",  "each",    "few",     "for",     "from",
    "further", "had",   "has",     "have",   "having",  "he",      "her",     "here",    "hers",
    "herself", "him",   "himself", "his",    "how",     "i",       "if",      "in",      "into",
    "is",      "it",    "its",     "itself", "me",      "more",    "most",    "my",      "myself",
    "no",      "nor",   "not",     "of",     "off",     "on",      "once",    "only",    "or",
    "other",   "ought", "our",     "ours",   "out",     "over",    "own",     "same",    "she",
    "should",  "so",    "some",    "such",   "than",    "that",    "the",     "their",   "theirs",
    "them",    "then",  "there",   "these",  "they",    "this",    "those",   "through", "to",
    "too",     "under", "until",   "up",     "very",    "was",     "we",      "were",    "what",
    "when",    "where", "which",   "while",  "who",     "whom",    "why",     "will",    "with",
    "would",   "you",   "your",    "yours",  "yourself"};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int silk_qword_is_stopword(const char *term)
{
    return bsearch(&term, stopwords, sizeof stopwords / sizeof stopwords[0], sizeof stopwords[0],
                   cmp_str) != NULL;
}

silk_status_t silk_qwords_key(silk_tokenizer_t *tok, const char *text, size_t len, char *out,
                              size_t cap, size_t *key_len)
{
    silk_qwords_t l = {0};
    size_t n = 0;
    *key_len = 0;
    if (cap == 0)
        return SILK_ERR_INVALID;
    out[0] = '\0';
    /* A title of more words than fit is cut anyway; this bounds the tokenizing. */
    silk_status_t st = silk_qwords_tokenize(&l, tok, text, len, cap / 2 + 1);
    for (size_t i = 0; st == SILK_OK && i < l.n; i++) {
        size_t tl = strlen(l.w[i].term), need = tl + (n ? 1 : 0);
        if (n + need + 1 > cap)
            break;
        if (n)
            out[n++] = ' ';
        memcpy(out + n, l.w[i].term, tl);
        n += tl;
    }
    out[n] = '\0';
    *key_len = n;
    silk_qwords_free(&l);
    return st;
}
