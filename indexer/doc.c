/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the document record and its stored data (doc.h). */
#include "doc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char *silk_corpus_doc_anchor(const silk_corpus_doc_t *d)
{
    const char *h = strchr(d->id, '#');
    return h ? h + 1 : d->id;
}

void silk_corpus_doc_clear(silk_corpus_doc_t *d)
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
    memset(d, 0, sizeof *d);
}

/* A JSON array of n strings; NULL when out of memory. */
static json_t *string_array(char *const *v, size_t n)
{
    json_t *a = json_array();
    int bad = !a;
    for (size_t i = 0; i < n && !bad; i++)
        bad |= json_array_append_new(a, json_string(v[i]));
    if (bad) {
        json_decref(a);
        return NULL;
    }
    return a;
}

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
    if (d->ncited_by)
        bad |= json_object_set_new(o, "cited_by", string_array(d->cited_by, d->ncited_by));
    if (d->year)
        bad |= json_object_set_new(o, "year", json_integer(d->year));
    if (d->nauthors)
        bad |= json_object_set_new(o, "authors", string_array(d->authors, d->nauthors));
    if (!bad)
        s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (s && len)
        *len = strlen(s);
    return s;
}
