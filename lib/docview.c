/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — one document opened by its id, with its cites and cited_by (include/silk/docview.h).
 *
 * The stored data of a document (include/silk/search.h) names its links by number (cites,
 * reference numbers) and by anchor (cited_by, paragraph anchors) inside its own article, so
 * each link is one more lookup by id, "<article>#ref-<n>" or "<article>#<anchor>". Every
 * parsed tree is kept until the view is destroyed, and the view's strings point into them. */
#include "silk/docview.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"

/* What a view owns besides its public members. */
typedef struct {
    json_t **trees;           /* the parsed stored data of every document looked up */
    size_t ntrees, cap;       /* held, allocated */
    char **strs;              /* strings made here (ids, excerpts) */
    size_t nstrs, strs_cap;   /* held, allocated */
    silk_doc_cite_t *cites;   /* the public cites */
    silk_doc_citer_t *citers; /* the public cited_by */
    const char **authors;     /* the public authors */
} priv_t;

static silk_status_t keep_tree(priv_t *p, json_t *t)
{
    if (SILK_GROW(p->trees, p->cap, p->ntrees + 1) != SILK_OK) {
        json_decref(t);
        return SILK_ERR_NOMEM;
    }
    p->trees[p->ntrees++] = t;
    return SILK_OK;
}

/* Keeps s (made here, maybe NULL when out of memory) and returns it. */
static char *keep_str(priv_t *p, char *s)
{
    if (s == NULL || SILK_GROW(p->strs, p->strs_cap, p->nstrs + 1) != SILK_OK) {
        free(s);
        return NULL;
    }
    p->strs[p->nstrs++] = s;
    return s;
}

/* Looks up document id and parses its data: *out is the tree (kept by p), NULL when no
 * document has that id. */
static silk_status_t lookup(silk_searcher_t *s, priv_t *p, const char *id, size_t len, json_t **out)
{
    char *data = NULL;
    size_t dlen = 0;
    *out = NULL;
    silk_status_t st = silk_searcher_document(s, id, len, &data, &dlen);
    if (st != SILK_OK)
        return st;
    json_t *t = json_loadb(data, dlen, 0, NULL);
    free(data);
    if (!json_is_object(t)) {
        json_decref(t);
        return SILK_ERR_CORRUPT;
    }
    if ((st = keep_tree(p, t)) != SILK_OK)
        return st;
    *out = t;
    return SILK_OK;
}

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : dflt;
}

char *silk_docview_excerpt(const char *text, size_t len, size_t chars)
{
    size_t i = 0, n = 0, last_space = 0, space_at_char = 0;
    while (i < len && n < chars) {
        if (text[i] == ' ') {
            last_space = i;
            space_at_char = n;
        }
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++; /* the rest of a UTF-8 sequence */
        n++;
    }
    if (i >= len)
        return strndup(text, len);
    size_t cut = (last_space > 0 && n - space_at_char <= 30) ? last_space : i;
    char *out = malloc(cut + sizeof "…");
    if (out == NULL)
        return NULL;
    memcpy(out, text, cut);
    memcpy(out + cut, "…", sizeof "…");
    return out;
}

/* The references the document cites. */
static silk_status_t load_cites(silk_searcher_t *s, silk_docview_t *v, priv_t *p,
                                const char *article, size_t alen, json_t *cites)
{
    size_t n = json_array_size(cites), i;
    json_t *c;
    if (n == 0)
        return SILK_OK;
    size_t keep = n < SILK_DOCVIEW_LINKS_MAX ? n : SILK_DOCVIEW_LINKS_MAX;
    if ((p->cites = calloc(keep, sizeof *p->cites)) == NULL)
        return SILK_ERR_NOMEM;
    json_array_foreach(cites, i, c)
    {
        json_int_t num = json_integer_value(c);
        if (!json_is_integer(c) || num < 1 || num > 999999999)
            continue; /* not a reference number: nothing to show */
        if (v->ncites == keep) {
            v->ncites_more++;
            continue;
        }
        char *id = NULL;
        if (asprintf(&id, "%.*s#ref-%lld", (int)alen, article, (long long)num) < 0)
            id = NULL;
        if ((id = keep_str(p, id)) == NULL)
            return SILK_ERR_NOMEM;
        json_t *ref = NULL;
        silk_status_t st = lookup(s, p, id, strlen(id), &ref);
        if (st != SILK_OK && st != SILK_ERR_NOT_FOUND)
            return st;
        p->cites[v->ncites++] = (silk_doc_cite_t){
            .n = (uint32_t)num, .id = id, .text = ref ? str_or(ref, "text", "") : NULL};
    }
    v->cites = p->cites;
    return SILK_OK;
}

/* The paragraphs that cite the document. */
static silk_status_t load_citers(silk_searcher_t *s, silk_docview_t *v, priv_t *p,
                                 const char *article, size_t alen, json_t *anchors)
{
    size_t n = json_array_size(anchors), i;
    json_t *a;
    if (n == 0)
        return SILK_OK;
    size_t keep = n < SILK_DOCVIEW_LINKS_MAX ? n : SILK_DOCVIEW_LINKS_MAX;
    if ((p->citers = calloc(keep, sizeof *p->citers)) == NULL)
        return SILK_ERR_NOMEM;
    json_array_foreach(anchors, i, a)
    {
        const char *anchor = json_string_value(a);
        if (anchor == NULL || *anchor == '\0' || strlen(anchor) > 64)
            continue;
        if (v->ncited_by == keep) {
            v->ncited_by_more++;
            continue;
        }
        char *id = NULL;
        if (asprintf(&id, "%.*s#%s", (int)alen, article, anchor) < 0)
            id = NULL;
        if ((id = keep_str(p, id)) == NULL)
            return SILK_ERR_NOMEM;
        json_t *para = NULL;
        silk_status_t st = lookup(s, p, id, strlen(id), &para);
        if (st != SILK_OK && st != SILK_ERR_NOT_FOUND)
            return st;
        silk_doc_citer_t *o = &p->citers[v->ncited_by++];
        o->id = id;
        if (para != NULL) {
            json_t *t = json_object_get(para, "text");
            o->section = str_or(para, "section", "");
            o->text =
                keep_str(p, silk_docview_excerpt(json_is_string(t) ? json_string_value(t) : "",
                                                 json_string_length(t), SILK_DOCVIEW_EXCERPT));
            if (o->text == NULL)
                return SILK_ERR_NOMEM;
        }
    }
    v->cited_by = p->citers;
    return SILK_OK;
}

silk_status_t silk_docview_open(silk_searcher_t *s, const char *id, size_t len,
                                silk_docview_t **out)
{
    silk_docview_t *v = calloc(1, sizeof *v);
    priv_t *p = calloc(1, sizeof *p);
    json_t *d = NULL;
    silk_status_t st = SILK_ERR_NOMEM;
    *out = NULL;
    if (v == NULL || p == NULL) {
        free(v);
        free(p);
        return st;
    }
    v->priv = p;
    if ((st = lookup(s, p, id, len, &d)) != SILK_OK)
        goto fail;
    v->id = str_or(d, "id", "");
    v->kind = str_or(d, "kind", "");
    v->article = str_or(d, "article", "");
    v->section = str_or(d, "section", "");
    json_t *t = json_object_get(d, "text");
    v->text = json_is_string(t) ? json_string_value(t) : "";
    v->text_len = json_is_string(t) ? json_string_length(t) : 0;
    json_t *y = json_object_get(d, "year");
    v->has_year = json_is_integer(y);
    v->year = (long long)json_integer_value(y);
    json_t *au = json_object_get(d, "authors"), *a;
    size_t i, na = json_array_size(au);
    if (na > 0) {
        st = SILK_ERR_NOMEM;
        if ((p->authors = calloc(na, sizeof *p->authors)) == NULL)
            goto fail;
        json_array_foreach(au, i, a)
        {
            if (json_is_string(a))
                p->authors[v->nauthors++] = json_string_value(a);
        }
        v->authors = p->authors;
    }
    /* The article's name is the id up to its last '#': anchors have none. */
    const char *hash = memrchr(id, '#', len);
    size_t alen = hash ? (size_t)(hash - id) : len;
    if ((st = load_cites(s, v, p, id, alen, json_object_get(d, "cites"))) != SILK_OK ||
        (st = load_citers(s, v, p, id, alen, json_object_get(d, "cited_by"))) != SILK_OK)
        goto fail;
    *out = v;
    return SILK_OK;
fail:
    silk_docview_destroy(v);
    return st;
}

void silk_docview_destroy(silk_docview_t *v)
{
    if (v == NULL)
        return;
    priv_t *p = v->priv;
    if (p != NULL) {
        for (size_t i = 0; i < p->ntrees; i++)
            json_decref(p->trees[i]);
        for (size_t i = 0; i < p->nstrs; i++)
            free(p->strs[i]);
        free(p->trees);
        free(p->strs);
        free(p->cites);
        free(p->citers);
        free(p->authors);
        free(p);
    }
    free(v);
}
