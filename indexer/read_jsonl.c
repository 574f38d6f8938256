/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the JSON Lines reader (read_jsonl.h). */
#include "read_jsonl.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"
#include "silk/schema.h"

#define JSONL_CITE_MAX 1000000 /* largest reference number a document may cite */

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

/* The reasons a line is invalid are static strings; "" means out of memory. */
#define OOM ""

/* Sets d's id and article from the "id" string: the problems of an id, or NULL. */
static const char *doc_id(const silk_builder_t *b, const json_t *id, silk_corpus_doc_t *d)
{
    char *idc = json_clean(id, NULL);
    if (!idc)
        return OOM;
    for (const char *p = idc; *p; p++)
        if ((unsigned char)*p < 0x20) {
            free(idc);
            return "\"id\" must not contain control characters";
        }
    const char *name = silk_builder_name(b);
    const char *hash = strchr(idc, '#');
    if (hash) {
        if (hash == idc || hash[1] == '\0') {
            free(idc);
            return "\"id\" with '#' needs an article before it and an anchor after it";
        }
        d->id = idc;
        d->article_name = strndup(idc, (size_t)(hash - idc));
    } else {
        if (asprintf(&d->id, "%s#%s", name, idc) < 0)
            d->id = NULL;
        free(idc);
        d->article_name = strdup(name);
    }
    if (!d->id || !d->article_name)
        return OOM;
    if (strlen(d->id) > SILK_ID_MAX)
        return "document id longer than 240 bytes";
    return NULL;
}

/* Sets d's section from "section" (absent, null, a string or an array of strings). */
static const char *doc_section(const json_t *section, silk_corpus_doc_t *d)
{
    static const char *const bad = "\"section\" must be a string or an array of strings";
    if (!section || json_is_null(section)) {
        d->section = strdup("");
    } else if (json_is_string(section)) {
        d->section = json_clean(section, NULL);
    } else if (json_is_array(section)) {
        silk_buf_t p = SILK_BUF_INIT;
        size_t i;
        json_t *v;
        json_array_foreach(section, i, v)
        {
            if (!json_is_string(v)) {
                silk_buf_free(&p);
                return bad;
            }
            if ((i && silk_buf_adds(&p, SILK_SECTION_SEP) != SILK_OK) ||
                silk_buf_add(&p, json_string_value(v), json_string_length(v)) != SILK_OK) {
                silk_buf_free(&p);
                return OOM;
            }
        }
        char *raw = silk_buf_steal(&p, NULL);
        /* The joined path is cleaned as a C string: it ends at a \u0000 escape. */
        d->section = raw ? silk_corpus_clean_utf8(raw, strlen(raw), NULL) : NULL;
        free(raw);
    } else {
        return bad;
    }
    return d->section ? NULL : OOM;
}

/* Sets d's year from "year" (an integer or a digit string, 1..9999; null for none). */
static const char *doc_year(const json_t *year, silk_corpus_doc_t *d)
{
    if (!year || json_is_null(year))
        return NULL;
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
    return NULL;
}

/* *out[0..*n) = the clean strings of the array v (or of the string v itself, when
 * single_ok); `why` when v is something else. Null or absent v gives nothing. */
static const char *string_list(const json_t *v, int single_ok, const char *why, char ***out,
                               size_t *n)
{
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v) && !(single_ok && json_is_string(v)))
        return why;
    size_t na = json_is_array(v) ? json_array_size(v) : 1;
    if (!(*out = calloc(na ? na : 1, sizeof **out)))
        return OOM;
    for (size_t i = 0; i < na; i++) {
        const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        if (!json_is_string(e))
            return why;
        if (!((*out)[(*n)++] = json_clean(e, NULL)))
            return OOM;
    }
    return NULL;
}

/* Sets d's cites from "cites" (an array of integers >= 1, deduplicated). */
static const char *doc_cites(const json_t *cites, silk_corpus_doc_t *d)
{
    if (!cites || json_is_null(cites))
        return NULL;
    if (!json_is_array(cites))
        return "\"cites\" must be an array of integers";
    silk_cites_t c = {0};
    size_t i;
    json_t *v;
    json_array_foreach(cites, i, v)
    {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > JSONL_CITE_MAX) {
            silk_cites_free(&c);
            return "\"cites\" must be an array of integers >= 1";
        }
        if (silk_cites_add(&c, (unsigned)json_integer_value(v)) != SILK_OK) {
            silk_cites_free(&c);
            return OOM;
        }
    }
    d->cites = silk_cites_steal(&c, &d->ncites);
    return NULL;
}

/* Fills d (the builder's last document) from one JSON object; returns NULL on success,
 * else the reason the line is invalid (static), or OOM. */
static const char *jsonl_doc(silk_builder_t *b, json_t *o, silk_corpus_doc_t *d)
{
    if (!json_is_object(o))
        return "not a JSON object";
    json_t *id = json_object_get(o, "id");
    json_t *text = json_object_get(o, "text");
    json_t *title = json_object_get(o, "title");
    json_t *kind = json_object_get(o, "kind");
    json_t *author = json_object_get(o, "authors");
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
    const char *why = doc_id(b, id, d);
    if (why)
        return why;
    d->title = title ? json_clean(title, NULL) : strdup(silk_builder_name(b));
    d->kind = strdup(kind ? json_string_value(kind) : SILK_KIND_PARAGRAPH);
    d->text = json_clean(text, &d->text_len);
    if (!d->title || !d->kind || !d->text)
        return OOM;
    if ((why = doc_section(json_object_get(o, "section"), d)) ||
        (why = doc_year(json_object_get(o, "year"), d)) ||
        (why = string_list(author, 1, "\"author\" must be a string or an array of strings",
                           &d->authors, &d->nauthors)) ||
        (why = doc_cites(json_object_get(o, "cites"), d)) ||
        (why =
             string_list(json_object_get(o, "cited_by"), 0,
                         "\"cited_by\" must be an array of strings", &d->cited_by, &d->ncited_by)))
        return why;
    /* Last, so that a line rejected for another reason leaves no entry in the set. */
    int dup = 0;
    if (silk_builder_check_id(b, &dup) != SILK_OK)
        return OOM;
    return dup ? "duplicate id" : NULL;
}

silk_status_t silk_read_jsonl_line(silk_builder_t *b, const char *s, size_t n, size_t lineno)
{
    silk_str_trim(&s, &n);
    if (n == 0)
        return SILK_OK;
    json_error_t err;
    json_t *o = json_loadb(s, n, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
    const char *why;
    char jsonmsg[256];
    if (!o) {
        snprintf(jsonmsg, sizeof jsonmsg, "invalid JSON: %s (column %d)", err.text, err.column);
        why = jsonmsg;
    } else {
        silk_corpus_doc_t *d = silk_builder_raw_doc(b);
        if (!d) {
            json_decref(o);
            return SILK_ERR_NOMEM;
        }
        why = jsonl_doc(b, o, d);
        if (why)
            silk_builder_drop_doc(b);
        json_decref(o);
    }
    if (why && !*why)
        return SILK_ERR_NOMEM;
    if (why && silk_builder_problem(b, lineno, why) != SILK_OK)
        return SILK_ERR_NOMEM;
    return SILK_OK;
}
