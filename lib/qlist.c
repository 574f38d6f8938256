/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the query builder's containers (include/silk/qlist.h). */
#include "silk/qlist.h"

#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"
#include "silk/morph.h"

/* A name of the synonym table is split in place into at most this many words; longer
 * names (or longer than the buffer) are cut, which only loses the rare name that long. */
#define SILK_SYNONYM_NAME_WORDS 16
#define SILK_SYNONYM_NAME_BYTES 1024

/* Copies name into buf and splits it at its spaces into w; returns the number of words. */
static size_t split_name(const char *name, char *buf, char **w)
{
    size_t len = strlen(name), nw = 0;
    if (len >= SILK_SYNONYM_NAME_BYTES)
        len = SILK_SYNONYM_NAME_BYTES - 1;
    memcpy(buf, name, len);
    buf[len] = '\0';
    for (char *p = buf; *p != '\0' && nw < SILK_SYNONYM_NAME_WORDS;) {
        w[nw++] = p;
        char *sp = strchr(p, ' ');
        if (sp == NULL)
            break;
        *sp = '\0';
        p = sp + 1;
    }
    return nw;
}

void silk_qlist_free(silk_qlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        silk_query_destroy(l->q[i]);
    free(l->q);
    l->q = NULL;
    l->n = l->cap = 0;
}

/* Takes ownership of q (destroys it on failure). */
silk_status_t silk_qlist_push(silk_qlist_t *l, silk_query_t *q)
{
    if (SILK_GROW(l->q, l->cap, l->n + 1) != SILK_OK) {
        silk_query_destroy(q);
        return SILK_ERR_NOMEM;
    }
    l->q[l->n++] = q;
    return SILK_OK;
}

/* Combines the queries of l with op (a single one is returned as is); l is emptied. */
silk_status_t silk_qlist_combine(silk_qlist_t *l, silk_op_t op, unsigned window, silk_query_t **out)
{
    silk_status_t st = SILK_OK;
    if (l->n == 1) {
        *out = l->q[0];
        l->n = 0;
    } else {
        st = silk_query_combine(op, l->q, l->n, window, out);
    }
    silk_qlist_free(l);
    return st;
}

/* Combines `first` (owned; destroyed on failure) followed by the queries of l with op, for
 * the operators whose first subquery is special (FILTER and AND_NOT keep its weight only);
 * l is emptied. */
silk_status_t silk_qlist_combine_first(silk_qlist_t *l, silk_query_t *first, silk_op_t op,
                                       silk_query_t **out)
{
    *out = NULL;
    silk_status_t st = silk_qlist_push(l, first);
    if (st == SILK_OK) {
        l->q[l->n - 1] = l->q[0];
        l->q[0] = first;
        st = silk_query_combine(op, l->q, l->n, 0, out);
    }
    silk_qlist_free(l);
    return st;
}

int silk_qstrlist_cb(const char *s, size_t len, void *ud)
{
    silk_qstrlist_t *l = ud;
    char *copy = NULL;
    if (SILK_GROW(l->s, l->cap, l->n + 1) != SILK_OK || (copy = strndup(s, len)) == NULL) {
        l->st = SILK_ERR_NOMEM;
        return 1;
    }
    l->s[l->n++] = copy;
    return l->n >= l->limit;
}

void silk_qstrlist_free(silk_qstrlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    free(l->s);
    l->s = NULL;
    l->n = l->cap = 0;
}

/* The terms of db starting with `prefix`, at most `limit` of them, into *l. */
silk_status_t silk_qstrlist_terms(silk_db_t *db, const char *prefix, size_t limit,
                                  silk_qstrlist_t *l)
{
    *l = (silk_qstrlist_t){.limit = limit};
    silk_status_t st = silk_db_allterms(db, prefix, silk_qstrlist_cb, l);
    return st != SILK_OK ? st : l->st;
}

/* OP_SYNONYM of the collected terms (match nothing when there is none). */
silk_status_t silk_qlist_synonym_of(const silk_qstrlist_t *c, size_t n, silk_query_t **out)
{
    if (n == 0)
        return silk_query_match_nothing(out);
    silk_qlist_t l = {0};
    silk_status_t st = SILK_OK;
    for (size_t i = 0; i < n && st == SILK_OK; i++) {
        silk_query_t *q = NULL;
        if ((st = silk_query_term(c->s[i], strlen(c->s[i]), 1, 0, &q)) == SILK_OK)
            st = silk_qlist_push(&l, q);
    }
    if (st != SILK_OK) {
        silk_qlist_free(&l);
        return st;
    }
    return silk_qlist_combine(&l, SILK_OP_SYNONYM, 0, out);
}

silk_status_t silk_qlist_phrase(const char *prefix, char *const *terms, size_t n,
                                silk_query_t **out)
{
    silk_qlist_t l = {0};
    silk_status_t st = SILK_OK;
    for (size_t i = 0; i < n && st == SILK_OK; i++) {
        silk_query_t *q = NULL;
        char buf[SILK_QTERM_BUF];
        size_t k = silk_morph_join(buf, prefix, terms[i]);
        if ((st = silk_query_term(buf, k, 1, (uint32_t)(i + 1), &q)) == SILK_OK)
            st = silk_qlist_push(&l, q);
    }
    if (st != SILK_OK) {
        silk_qlist_free(&l);
        return st;
    }
    return silk_qlist_combine(&l, SILK_OP_PHRASE, 0, out);
}

/* Whether `name` ends with the words terms[0, n) after more words. Only an ending counts:
 * words put in front of a name make another name ("democratic people's" + "republic of
 * korea"), while words after it mostly name a thing about it ("north korea" + "news"),
 * where the short name still means what it says. */
static int holds(const char *name, char *const *terms, size_t n)
{
    char *w[SILK_SYNONYM_NAME_WORDS];
    char buf[SILK_SYNONYM_NAME_BYTES];
    size_t nw = split_name(name, buf, w);
    if (nw <= n)
        return 0;
    for (size_t j = 0; j < n; j++)
        if (strcmp(w[nw - n + j], terms[j]) != 0)
            return 0;
    return 1;
}

silk_status_t silk_qlist_phrase_alone(char *const *terms, size_t n, const char *const *names,
                                      size_t nnames, silk_query_t **out)
{
    silk_query_t *ph = NULL, *q = NULL;
    silk_qlist_t longer = {0};
    silk_status_t st = silk_qlist_phrase("", terms, n, &ph);
    for (size_t i = 0; i < nnames && st == SILK_OK; i++) {
        char *w[SILK_SYNONYM_NAME_WORDS];
        char buf[SILK_SYNONYM_NAME_BYTES];
        if (!holds(names[i], terms, n))
            continue;
        size_t nw = split_name(names[i], buf, w);
        if ((st = silk_qlist_phrase("", w, nw, &q)) == SILK_OK)
            st = silk_qlist_push(&longer, q);
    }
    if (st != SILK_OK || longer.n == 0) {
        silk_qlist_free(&longer);
        *out = st == SILK_OK ? ph : NULL;
        if (st != SILK_OK)
            silk_query_destroy(ph);
        return st;
    }
    silk_query_t *any = NULL;
    if ((st = silk_qlist_combine(&longer, SILK_OP_OR, 0, &any)) != SILK_OK) {
        silk_query_destroy(ph);
        return st;
    }
    silk_query_t *pair[2] = {ph, any};
    st = silk_query_combine(SILK_OP_AND_NOT, pair, 2, 0, out);
    silk_query_destroy(ph);
    silk_query_destroy(any);
    return st;
}

silk_status_t silk_qlist_pairs(char *const *terms, size_t n, unsigned window, double weight,
                               silk_query_t **out)
{
    silk_qlist_t l = {0};
    silk_status_t st = SILK_OK;
    *out = NULL;
    for (size_t i = 0; i + 1 < n && st == SILK_OK; i++) {
        if (strcmp(terms[i], terms[i + 1]) == 0)
            continue;
        silk_query_t *a = NULL, *b = NULL, *near = NULL;
        if ((st = silk_query_term(terms[i], strlen(terms[i]), 1, 1, &a)) == SILK_OK &&
            (st = silk_query_term(terms[i + 1], strlen(terms[i + 1]), 1, 2, &b)) == SILK_OK) {
            silk_query_t *two[2] = {a, b};
            st = silk_query_combine(SILK_OP_NEAR, two, 2, window, &near);
        }
        silk_query_destroy(a);
        silk_query_destroy(b);
        if (st == SILK_OK)
            st = silk_qlist_push(&l, near);
    }
    if (st != SILK_OK || l.n == 0) {
        silk_qlist_free(&l);
        return st;
    }
    silk_query_t *any = NULL;
    if ((st = silk_qlist_combine(&l, SILK_OP_OR, 0, &any)) != SILK_OK)
        return st;
    st = silk_query_scale(any, weight, out);
    silk_query_destroy(any);
    return st;
}
