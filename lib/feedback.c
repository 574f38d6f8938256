/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — pseudo-relevance feedback (include/silk/feedback.h). */
#include "silk/feedback.h"

#include <string.h>

#include "silk/qlist.h"

/* The words of a plain query: the kids of its root (a Hangul word split into bigrams, or a
 * hyphenated one, is one word). */
static size_t query_words(const silk_qast_t *ast)
{
    const silk_qnode_t *root = silk_qast_root(ast);
    if (root == NULL)
        return 0;
    return root->type == SILK_QN_AND || root->type == SILK_QN_OR ? root->nkids : 1;
}

int silk_feedback_wanted(const silk_rank_t *r, const silk_qast_t *ast)
{
    return r->fb_docs > 0 && r->fb_terms > 0 && r->fb_weight > 0 && silk_qast_is_plain(ast) &&
           query_words(ast) >= r->fb_min_words;
}

int silk_feedback_applies(const silk_rank_t *r, const silk_qast_t *ast, silk_mode_t mode,
                          size_t nhits)
{
    size_t need = r->fb_docs > r->fb_min_docs ? r->fb_docs : r->fb_min_docs;
    return mode == SILK_MODE_ANY && silk_feedback_wanted(r, ast) && nhits >= (need ? need : 1);
}

typedef struct {
    silk_qlist_t l;
    silk_status_t st;
} collect_t;

static int add_term(const char *term, size_t len, double weight, void *ud)
{
    collect_t *c = ud;
    silk_query_t *q = NULL;
    (void)weight;
    if ((c->st = silk_query_term(term, len, 1, 0, &q)) == SILK_OK)
        c->st = silk_qlist_push(&c->l, q);
    return c->st != SILK_OK || c->l.n >= SILK_FEEDBACK_TERMS_MAX;
}

silk_status_t silk_feedback_query(silk_mset_t *m, const silk_query_t *orig, const silk_rank_t *r,
                                  size_t nfrozen, silk_query_t **out, size_t *nterms)
{
    collect_t c = {.st = SILK_OK};
    silk_query_t *exp = NULL, *scaled = NULL, *q = NULL;
    silk_qlist_t frozen = {0};
    *out = NULL;
    *nterms = 0;
    unsigned nt = r->fb_terms < SILK_FEEDBACK_TERMS_MAX ? r->fb_terms : SILK_FEEDBACK_TERMS_MAX;
    silk_status_t st = silk_mset_expand(m, r->fb_docs, nt, r->fb_min_docs, add_term, &c);
    if (st == SILK_OK)
        st = c.st;
    if (st != SILK_OK || c.l.n == 0) {
        silk_qlist_free(&c.l);
        return st;
    }
    *nterms = c.l.n;
    if ((st = silk_qlist_combine(&c.l, SILK_OP_OR, 0, &exp)) != SILK_OK)
        return st;
    st = silk_query_scale(exp, r->fb_weight, &scaled);
    silk_query_destroy(exp);
    if (st != SILK_OK)
        return st;
    silk_query_t *pair[2] = {(silk_query_t *)orig, scaled};
    st = silk_query_combine(SILK_OP_OR, pair, 2, 0, &q);
    silk_query_destroy(scaled);
    if (st != SILK_OK)
        return st;
    for (size_t i = 0; i < nfrozen && i < silk_mset_size(m) && st == SILK_OK; i++) {
        const char *u = NULL;
        silk_query_t *t = NULL;
        if ((st = silk_mset_unique_term(m, i, &u)) == SILK_OK &&
            (st = silk_query_term(u, strlen(u), 1, 0, &t)) == SILK_OK)
            st = silk_qlist_push(&frozen, t);
    }
    if (st != SILK_OK) {
        silk_qlist_free(&frozen);
        silk_query_destroy(q);
        return st;
    }
    if (frozen.n > 0 && (st = silk_qlist_combine_first(&frozen, q, SILK_OP_AND_NOT, &q)) != SILK_OK)
        return st; /* q was destroyed with the list */
    *out = q;
    return SILK_OK;
}

silk_status_t silk_feedback_run(silk_db_t *db, const silk_rank_t *r, const silk_qast_t *ast,
                                silk_mode_t ran, const silk_query_t *orig, silk_mset_t *m,
                                size_t want, silk_mset_t **m2, size_t *nf, size_t *nterms)
{
    *m2 = NULL;
    *nf = 0;
    *nterms = 0;
    if (!silk_feedback_applies(r, ast, ran, silk_mset_size(m)))
        return SILK_OK;
    size_t freeze = r->fb_freeze < silk_mset_size(m) ? r->fb_freeze : silk_mset_size(m);
    silk_query_t *q = NULL;
    size_t nt = 0;
    silk_status_t st = silk_feedback_query(m, orig, r, freeze, &q, &nt);
    if (st != SILK_OK || q == NULL)
        return st;
    silk_search_opts_t so;
    silk_search_opts_init(&so);
    silk_rank_search_opts(r, &so);
    so.limit = want > freeze ? (uint32_t)(want - freeze) : 0;
    so.check_at_least = so.limit + 100;
    st = silk_db_search(db, q, &so, m2);
    silk_query_destroy(q);
    if (st != SILK_OK)
        return st;
    *nf = freeze;
    *nterms = nt;
    return SILK_OK;
}

size_t silk_feedback_page(silk_mset_t *m, size_t m_offset, silk_mset_t *m2, size_t nf,
                          size_t offset, size_t limit, silk_fbsrc_t *src)
{
    size_t n = 0;
    double scale = 1;
    if (m2 != NULL && nf > 0 && silk_mset_size(m2) > 0 && silk_mset_weight(m2, 0) > 0) {
        double last = silk_mset_weight(m, nf - 1), top = silk_mset_weight(m2, 0);
        scale = last < top ? last / top : 1;
    }
    for (size_t i = 0; i < limit; i++) {
        size_t p = offset + i;
        if (m2 == NULL) {
            if (p < m_offset || p - m_offset >= silk_mset_size(m))
                break;
            src[n++] = (silk_fbsrc_t){m, p - m_offset, 1};
        } else if (p < nf) {
            src[n++] = (silk_fbsrc_t){m, p, 1};
        } else {
            if (p - nf >= silk_mset_size(m2))
                break;
            src[n++] = (silk_fbsrc_t){m2, p - nf, scale};
        }
    }
    return n;
}
