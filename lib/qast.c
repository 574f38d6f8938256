/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the query AST (include/silk/qast.h): its nodes, its printer, and the one error
 * formatter of the parser and the builder.
 */
#include "silk/qast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"

struct silk_qast {
    silk_qnode_t *root; /* the tree */
    size_t nterms;      /* leaf terms counted against SILK_QUERY_MAX_TERMS */
};

/* ---- nodes --------------------------------------------------------------------------------- */

silk_qnode_t *silk_qnode_new(silk_qnode_type_t type, size_t start, size_t end)
{
    silk_qnode_t *n = calloc(1, sizeof *n);
    if (n == NULL)
        return NULL;
    n->type = type;
    n->start = start;
    n->end = end;
    return n;
}

void silk_qnode_destroy(silk_qnode_t *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        silk_qnode_destroy(n->kids[i]);
    free(n->kids);
    for (size_t i = 0; i < n->nterms; i++)
        free(n->terms[i]);
    free(n->terms);
    free(n->term);
    free(n->stem);
    free(n->value);
    free(n);
}

silk_status_t silk_qnode_add_kid(silk_qnode_t *parent, silk_qnode_t *kid)
{
    /* Exact size: a node has a handful of kids, and most have one or two. */
    silk_qnode_t **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
    if (k == NULL) {
        silk_qnode_destroy(kid);
        return SILK_ERR_NOMEM;
    }
    parent->kids = k;
    parent->kids[parent->nkids++] = kid;
    return SILK_OK;
}

int silk_qnode_is_plain(const silk_qnode_t *n)
{
    return (n->type == SILK_QN_WORD || n->type == SILK_QN_PHRASE) && !n->quoted &&
           n->field == SILK_QF_BODY;
}

/* ---- the tree ------------------------------------------------------------------------------ */

silk_status_t silk_qast_new(silk_qnode_t *root, size_t nterms, silk_qast_t **out)
{
    *out = NULL;
    silk_qast_t *ast = malloc(sizeof *ast);
    if (ast == NULL)
        return SILK_ERR_NOMEM;
    ast->root = root;
    ast->nterms = nterms;
    *out = ast;
    return SILK_OK;
}

void silk_qast_destroy(silk_qast_t *ast)
{
    if (ast == NULL)
        return;
    silk_qnode_destroy(ast->root);
    free(ast);
}

const silk_qnode_t *silk_qast_root(const silk_qast_t *ast)
{
    return ast->root;
}

size_t silk_qast_term_count(const silk_qast_t *ast)
{
    return ast->nterms;
}

int silk_qast_is_plain(const silk_qast_t *ast)
{
    const silk_qnode_t *r = ast->root;
    if (r->type == SILK_QN_PHRASE && silk_qnode_is_plain(r))
        return 1; /* one word the tokenizer split: Hwasong-15, 북한의 */
    if (r->type != SILK_QN_AND || r->explicit_and || r->nkids < 2)
        return 0;
    for (size_t i = 0; i < r->nkids; i++)
        if (!silk_qnode_is_plain(r->kids[i]))
            return 0;
    return 1;
}

/* ---- printing ------------------------------------------------------------------------------ */

/* The printer's output: a buffer and the first failure, so the walk need not check each
 * append (the result is thrown away when anything failed). */
typedef struct {
    silk_buf_t b;     /* the text so far */
    silk_status_t st; /* SILK_OK, or the first failure */
} printer_t;

static void put(printer_t *p, const char *s)
{
    if (p->st == SILK_OK)
        p->st = silk_buf_adds(&p->b, s);
}

static void put_int(printer_t *p, int v)
{
    char tmp[16];
    snprintf(tmp, sizeof tmp, "%d", v);
    put(p, tmp);
}

static const char *field_name(silk_qfield_t f)
{
    return f == SILK_QF_TITLE ? "title:" : f == SILK_QF_SECTION ? "section:" : "";
}

static const char *filter_name(silk_qfilter_t f)
{
    switch (f) {
    case SILK_QFILTER_KIND:
        return "kind";
    case SILK_QFILTER_ARTICLE:
        return "article";
    case SILK_QFILTER_AUTHOR:
        return "author";
    case SILK_QFILTER_CITES:
        return "cites";
    case SILK_QFILTER_YEAR:
        return "year";
    }
    return "?";
}

static void print_node(printer_t *p, const silk_qnode_t *n)
{
    switch (n->type) {
    case SILK_QN_AND:
    case SILK_QN_OR:
    case SILK_QN_NOT:
        put(p, n->type == SILK_QN_AND ? "(AND" : n->type == SILK_QN_OR ? "(OR" : "(NOT");
        for (size_t i = 0; i < n->nkids; i++) {
            put(p, " ");
            print_node(p, n->kids[i]);
        }
        put(p, ")");
        break;
    case SILK_QN_WORD:
        put(p, "(WORD ");
        put(p, field_name(n->field));
        put(p, n->quoted ? "\"" : "");
        put(p, n->term);
        put(p, n->quoted ? "\")" : ")");
        break;
    case SILK_QN_PHRASE:
        put(p, "(PHRASE ");
        put(p, field_name(n->field));
        put(p, "\"");
        for (size_t i = 0; i < n->nterms; i++) {
            if (i > 0)
                put(p, " ");
            put(p, n->terms[i]);
        }
        put(p, "\")");
        break;
    case SILK_QN_PREFIX:
        put(p, "(PREFIX ");
        put(p, field_name(n->field));
        put(p, n->term);
        put(p, "*)");
        break;
    case SILK_QN_FILTER:
        put(p, "(FIELD ");
        put(p, filter_name(n->filter));
        put(p, " ");
        if (n->is_range) {
            if (n->has_lo)
                put_int(p, n->lo);
            put(p, "..");
            if (n->has_hi)
                put_int(p, n->hi);
        } else {
            put(p, n->value);
        }
        put(p, ")");
        break;
    }
}

char *silk_qast_print(const silk_qast_t *ast)
{
    printer_t p = {.b = SILK_BUF_INIT, .st = SILK_OK};
    print_node(&p, ast->root);
    if (p.st != SILK_OK) {
        silk_buf_free(&p.b);
        return NULL;
    }
    return silk_buf_steal(&p.b, NULL);
}

/* ---- errors -------------------------------------------------------------------------------- */

void silk_qerror_clear(silk_qerror_t *err)
{
    err->status = SILK_OK;
    err->pos = -1;
    err->msg[0] = '\0';
}

silk_status_t silk_qerror_vset(silk_qerror_t *err, silk_status_t st, long pos, const char *fmt,
                               va_list ap)
{
    if (err->status != SILK_OK)
        return err->status; /* keep the first error */
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    err->status = st;
    err->pos = pos;
    return st;
}

silk_status_t silk_qerror_set(silk_qerror_t *err, silk_status_t st, long pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    silk_status_t r = silk_qerror_vset(err, st, pos, fmt, ap);
    va_end(ap);
    return r;
}
