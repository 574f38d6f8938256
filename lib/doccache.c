/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the searcher's document cache (include/silk/doccache.h). */
#include "silk/doccache.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static silk_status_t fail(silk_doccache_t *c, silk_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static silk_status_t fail(silk_doccache_t *c, silk_status_t st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    return st;
}

static void docent_clear(silk_docent_t *e)
{
    free(e->data);
    free(e->strs);
    silk_snippet_text_clear(&e->snip);
    memset(e, 0, sizeof *e);
}

void silk_doccache_clear(silk_doccache_t *c)
{
    if (c->slots != NULL)
        for (size_t i = 0; i < SILK_DOCCACHE_SLOTS; i++)
            if (c->slots[i].docid != 0)
                docent_clear(&c->slots[i]);
    c->bytes = 0;
    docent_clear(&c->scratch);
}

/* Copies a JSON string member into the block at *at, returning its start ("" if absent). */
static const char *put_str(json_t *obj, const char *key, char *block, size_t *at)
{
    json_t *v = json_object_get(obj, key);
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    size_t n = json_is_string(v) ? json_string_length(v) : 0;
    char *dst = block + *at;
    memcpy(dst, s, n);
    dst[n] = '\0';
    *at += n + 1;
    return dst;
}

static size_t str_len(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_length(v) : 0;
}

/* Fills e from the stored JSON of a document. */
static silk_status_t docent_load(silk_doccache_t *c, silk_docent_t *e, unsigned docid,
                                 const char *data, size_t len)
{
    json_error_t jerr;
    json_t *j = json_loadb(data, len, JSON_ALLOW_NUL, &jerr);
    if (j == NULL || !json_is_object(j)) {
        json_decref(j);
        return fail(c, SILK_ERR_CORRUPT, "document %u: stored data is not a JSON object", docid);
    }
    static const char *keys[] = {"id", "kind", "article", "section", "text"};
    size_t total = 0;
    for (size_t i = 0; i < 5; i++)
        total += str_len(j, keys[i]) + 1;
    e->strs = malloc(total);
    e->data = malloc(len + 1);
    if (e->strs == NULL || e->data == NULL) {
        json_decref(j);
        docent_clear(e);
        return fail(c, SILK_ERR_NOMEM, "out of memory");
    }
    size_t at = 0;
    e->id = put_str(j, "id", e->strs, &at);
    e->kind = put_str(j, "kind", e->strs, &at);
    e->article = put_str(j, "article", e->strs, &at);
    e->section = put_str(j, "section", e->strs, &at);
    e->text_len = str_len(j, "text");
    e->text = put_str(j, "text", e->strs, &at);
    json_decref(j);
    memcpy(e->data, data, len);
    e->data[len] = '\0';
    e->data_len = len;
    e->docid = docid;
    e->bytes = sizeof *e + total + len + 1;
    return SILK_OK;
}

/* Tokenizes the first c->scan_max bytes of e's text for its snippets. */
static silk_status_t docent_tokenize(silk_doccache_t *c, silk_docent_t *e)
{
    if (silk_snippet_text_tokenize(&e->snip, c->tok, e->text, e->text_len, c->scan_max) != SILK_OK)
        return fail(c, SILK_ERR_NOMEM, "out of memory");
    e->tokenized = 1;
    e->bytes += e->snip.bytes;
    return SILK_OK;
}

silk_status_t silk_doccache_get(silk_doccache_t *c, silk_mset_t *m, size_t i, int tokens,
                                silk_docent_t **out)
{
    unsigned docid = silk_mset_docid(m, i);
    silk_docent_t *e = NULL;
    silk_status_t st;
    if (c->slots != NULL && docid != 0) {
        e = &c->slots[docid % SILK_DOCCACHE_SLOTS];
        if (e->docid != docid) {
            if (e->docid != 0) {
                c->bytes -= e->bytes;
                docent_clear(e);
            }
        }
    }
    if (e == NULL) {
        docent_clear(&c->scratch);
        e = &c->scratch;
    }
    if (e->docid != docid || docid == 0) {
        const char *data;
        size_t len;
        if ((st = silk_mset_data(m, i, &data, &len)) != SILK_OK)
            return fail(c, st, "%s", silk_mset_error(m));
        if ((st = docent_load(c, e, docid, data, len)) != SILK_OK)
            return st;
        if (e != &c->scratch)
            c->bytes += e->bytes;
    }
    if (tokens && !e->tokenized) {
        size_t before = e->bytes;
        if ((st = docent_tokenize(c, e)) != SILK_OK) {
            if (e != &c->scratch)
                c->bytes -= before;
            docent_clear(e);
            return st;
        }
        if (e != &c->scratch)
            c->bytes += e->bytes - before;
    }
    size_t budget = c->budget;
    if (e != &c->scratch && e->bytes > budget) {
        /* Alone over the budget: served from scratch, not cached. */
        c->bytes -= e->bytes;
        docent_clear(&c->scratch);
        c->scratch = *e;
        memset(e, 0, sizeof *e);
        e = &c->scratch;
    } else if (e != &c->scratch) {
        /* Over budget: a clock hand frees other documents until this one fits. */
        size_t self = (size_t)(e - c->slots);
        while (c->bytes > budget) {
            c->hand = (c->hand + 1) % SILK_DOCCACHE_SLOTS;
            silk_docent_t *v = &c->slots[c->hand];
            if (c->hand == self || v->docid == 0)
                continue;
            c->bytes -= v->bytes;
            docent_clear(v);
        }
    }
    *out = e;
    return SILK_OK;
}

silk_status_t silk_doccache_init(silk_doccache_t *c, size_t budget, silk_tokenizer_t *tok,
                                 size_t scan_max)
{
    memset(c, 0, sizeof *c);
    c->budget = budget;
    c->tok = tok;
    c->scan_max = scan_max;
    if (budget > 0 && (c->slots = calloc(SILK_DOCCACHE_SLOTS, sizeof *c->slots)) == NULL)
        return SILK_ERR_NOMEM;
    return SILK_OK;
}

void silk_doccache_free(silk_doccache_t *c)
{
    silk_doccache_clear(c);
    free(c->slots);
    memset(c, 0, sizeof *c);
}
