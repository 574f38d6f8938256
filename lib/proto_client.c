/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the client's side of the wire protocol (include/silk/proto_client.h).
 *
 * A request is a handful of members, written with the daemon's own JSON writer. An answer
 * is parsed once with jansson (the client reads one line per query, so a tree costs
 * nothing that matters) and the members the client needs are copied out as plain values
 * or pointers into that tree, which the response keeps. */
#include "silk/proto_client.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/jsonw.h"

/* ---- requests ------------------------------------------------------------------------------ */

silk_status_t silk_proto_encode_request(silk_buf_t *b, const silk_client_req_t *req)
{
    silk_jsonw_t w;
    silk_jsonw_begin(&w, b);
    silk_jsonw_lit(&w, "{\"id\":");
    if (req->id < 0) {
        silk_jsonw_raw(&w, "-", 1);
        silk_jsonw_u64(&w, -(uint64_t)req->id);
    } else {
        silk_jsonw_u64(&w, (uint64_t)req->id);
    }
    silk_jsonw_lit(&w, ",\"op\":\"");
    silk_jsonw_lit(&w, silk_proto_op_name(req->op));
    silk_jsonw_raw(&w, "\"", 1);
    if (req->op == SILK_REQ_SEARCH) {
        silk_jsonw_lit(&w, ",\"q\":");
        silk_jsonw_string(&w, req->q, req->q_len);
        silk_jsonw_lit(&w, req->mode == SILK_MODE_ANY ? ",\"mode\":\"any\"" : ",\"mode\":\"all\"");
        silk_jsonw_lit(&w, ",\"limit\":");
        silk_jsonw_u64(&w, req->limit);
        silk_jsonw_lit(&w, ",\"offset\":");
        silk_jsonw_u64(&w, req->offset);
        if (req->nfacets > 0) {
            silk_jsonw_lit(&w, ",\"facets\":[");
            for (size_t i = 0; i < req->nfacets; i++) {
                if (i)
                    silk_jsonw_raw(&w, ",", 1);
                silk_jsonw_string(&w, req->facets[i], strlen(req->facets[i]));
            }
            silk_jsonw_raw(&w, "]", 1);
        }
    } else if (req->op == SILK_REQ_DOC) {
        silk_jsonw_lit(&w, ",\"doc\":");
        silk_jsonw_string(&w, req->q, req->q_len);
    }
    silk_jsonw_raw(&w, "}\n", 2);
    return silk_jsonw_end(&w);
}

/* ---- answers ------------------------------------------------------------------------------- */

static const char *str_of(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static long long int_of(json_t *obj, const char *key)
{
    return (long long)json_integer_value(json_object_get(obj, key));
}

/* A zeroed block of `size` bytes that r frees (NULL when out of memory); blocks are
 * chained through a header in front of each. */
typedef struct block {
    struct block *next;  /* the block allocated before */
    max_align_t align[]; /* the caller's bytes */
} block_t;

static void *block_alloc(silk_response_t *r, size_t size)
{
    block_t *b = calloc(1, sizeof *b + (size ? size : 1));
    if (!b)
        return NULL;
    b->next = r->blocks;
    r->blocks = b;
    return b->align;
}

/* An array of n elements of `size` bytes in a block (n may be 0: NULL, no failure). */
static silk_status_t array_alloc(silk_response_t *r, size_t n, size_t size, void *out)
{
    *(void **)out = NULL;
    if (n == 0)
        return SILK_OK;
    if (n > SIZE_MAX / size)
        return SILK_ERR_NOMEM;
    *(void **)out = block_alloc(r, n * size);
    return *(void **)out ? SILK_OK : SILK_ERR_NOMEM;
}

/* The strings of array a (others skipped) into a new array; *n gets their number. */
static silk_status_t strings_of(silk_response_t *r, json_t *a, const char *const **out, size_t *n)
{
    const char **v;
    size_t i;
    json_t *e;
    *out = NULL;
    *n = 0;
    if (array_alloc(r, json_array_size(a), sizeof *v, &v) != SILK_OK)
        return SILK_ERR_NOMEM;
    json_array_foreach(a, i, e)
    {
        if (json_is_string(e))
            v[(*n)++] = json_string_value(e);
    }
    *out = v;
    return SILK_OK;
}

/* Fills r->hits from the "hits" array, with every hit's ranges in one array. */
static silk_status_t decode_hits(silk_response_t *r, json_t *hits)
{
    size_t n = json_array_size(hits), nspans = 0, i, k;
    json_t *h, *pair, *c;
    if (n == 0)
        return SILK_OK;
    json_array_foreach(hits, i, h)
    {
        nspans += json_array_size(json_object_get(h, "highlights"));
    }
    /* One block: the hits, then the spans they point into. */
    silk_resp_hit_t *out = calloc(1, n * sizeof *out + nspans * sizeof(silk_span_t));
    if (!out)
        return SILK_ERR_NOMEM;
    r->hits = out;
    r->nhits = n;
    silk_span_t *spans = (silk_span_t *)(out + n);
    json_array_foreach(hits, i, h)
    {
        silk_resp_hit_t *o = &out[i];
        json_t *snippet = json_object_get(h, "snippet");
        o->rank = int_of(h, "rank");
        o->id = str_of(h, "id");
        o->kind = str_of(h, "kind");
        o->article = str_of(h, "article");
        o->section = str_of(h, "section");
        o->score = json_number_value(json_object_get(h, "score"));
        o->snippet = json_string_value(snippet);
        o->snippet_len = o->snippet ? json_string_length(snippet) : 0;
        o->spans = spans;
        json_array_foreach(json_object_get(h, "highlights"), k, pair)
        {
            json_int_t s = json_integer_value(json_array_get(pair, 0));
            json_int_t e = json_integer_value(json_array_get(pair, 1));
            if (s >= 0 && e > s)
                spans[o->nspans++] = (silk_span_t){(size_t)s, (size_t)e};
        }
        spans += o->nspans;
        json_t *cites = json_object_get(h, "cites");
        long long *nums;
        if (array_alloc(r, json_array_size(cites), sizeof *nums, &nums) != SILK_OK)
            return SILK_ERR_NOMEM;
        json_array_foreach(cites, k, c)
        {
            if (json_is_integer(c))
                nums[o->ncites++] = (long long)json_integer_value(c);
        }
        o->cites = nums;
        if (strings_of(r, json_object_get(h, "cited_by"), &o->cited_by, &o->ncited_by) != SILK_OK)
            return SILK_ERR_NOMEM;
    }
    return SILK_OK;
}

/* Fills r->doc from the "doc" object of a doc answer. */
static silk_status_t decode_doc(silk_response_t *r, json_t *d)
{
    silk_resp_doc_t *o = &r->doc;
    json_t *t = json_object_get(d, "text"), *y = json_object_get(d, "year"), *e;
    size_t i;
    r->has_doc = true;
    o->id = str_of(d, "id");
    o->kind = str_of(d, "kind");
    o->article = str_of(d, "article");
    o->section = str_of(d, "section");
    o->text = json_string_value(t);
    o->text_len = o->text ? json_string_length(t) : 0;
    o->has_year = json_is_integer(y);
    o->year = (long long)json_integer_value(y);
    o->cites_more = int_of(d, "cites_more");
    o->cited_by_more = int_of(d, "cited_by_more");
    if (strings_of(r, json_object_get(d, "authors"), &o->authors, &o->nauthors) != SILK_OK)
        return SILK_ERR_NOMEM;
    json_t *cites = json_object_get(d, "cites"), *by = json_object_get(d, "cited_by");
    silk_resp_cite_t *cv;
    silk_resp_citer_t *bv;
    if (array_alloc(r, json_array_size(cites), sizeof *cv, &cv) != SILK_OK ||
        array_alloc(r, json_array_size(by), sizeof *bv, &bv) != SILK_OK)
        return SILK_ERR_NOMEM;
    json_array_foreach(cites, i, e)
    {
        json_t *n = json_object_get(e, "n");
        if (json_is_integer(n) && str_of(e, "id"))
            cv[o->ncites++] = (silk_resp_cite_t){.n = (long long)json_integer_value(n),
                                                 .id = str_of(e, "id"),
                                                 .text = str_of(e, "text")};
    }
    json_array_foreach(by, i, e)
    {
        if (str_of(e, "id"))
            bv[o->ncited_by++] = (silk_resp_citer_t){
                .id = str_of(e, "id"), .section = str_of(e, "section"), .text = str_of(e, "text")};
    }
    o->cites = cv;
    o->cited_by = bv;
    return SILK_OK;
}

/* Fills r->facets from the "facets" object: each member an array of {"value","count"}. */
static silk_status_t decode_facets(silk_response_t *r, json_t *f)
{
    const char *name;
    json_t *vals, *e;
    size_t i;
    silk_resp_facet_t *fv;
    if (array_alloc(r, json_object_size(f), sizeof *fv, &fv) != SILK_OK)
        return SILK_ERR_NOMEM;
    r->facets = fv;
    json_object_foreach(f, name, vals)
    {
        if (!json_is_array(vals))
            continue;
        silk_resp_facet_t *o = &fv[r->nfacets++];
        silk_resp_facet_value_t *v;
        o->name = name;
        if (array_alloc(r, json_array_size(vals), sizeof *v, &v) != SILK_OK)
            return SILK_ERR_NOMEM;
        o->values = v;
        json_array_foreach(vals, i, e)
        {
            json_t *val = json_object_get(e, "value"), *cnt = json_object_get(e, "count");
            if (!json_is_integer(cnt))
                continue;
            const char *text = json_string_value(val);
            if (!text && json_is_integer(val)) {
                /* A year: printed here, kept with the other blocks. */
                char *num = block_alloc(r, 24);
                if (!num)
                    return SILK_ERR_NOMEM;
                snprintf(num, 24, "%lld", (long long)json_integer_value(val));
                text = num;
            }
            if (text)
                v[o->nvalues++] = (silk_resp_facet_value_t){
                    .value = text, .count = (long long)json_integer_value(cnt)};
        }
    }
    return SILK_OK;
}

silk_status_t silk_response_decode(silk_response_t *r, const char *line, size_t len)
{
    json_error_t jerr;
    memset(r, 0, sizeof *r);
    r->position = -1;
    r->code = SILK_PROTO_INTERNAL;
    json_t *o = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    if (!json_is_object(o)) {
        snprintf(r->why, sizeof r->why, "%s", jerr.text);
        json_decref(o);
        return SILK_ERR_INVALID;
    }
    r->tree = o;
    json_t *id = json_object_get(o, "id");
    r->has_id = json_is_integer(id);
    r->id = (long long)json_integer_value(id);
    r->ok = json_is_true(json_object_get(o, "ok"));

    json_t *err = json_object_get(o, "error");
    json_t *pos = json_object_get(err, "position");
    r->code_name = str_of(err, "code");
    r->code = silk_proto_code_parse(r->code_name);
    r->message = str_of(err, "message");
    if (json_is_integer(pos))
        r->position = (long long)json_integer_value(pos);

    r->total = int_of(o, "total");
    r->took_us = int_of(o, "took_us");
    r->exact = !json_is_false(json_object_get(o, "exact"));
    r->relaxed = json_is_true(json_object_get(o, "relaxed"));
    r->did_you_mean = str_of(o, "did_you_mean");
    json_t *cs = json_object_get(o, "corrections"), *c;
    size_t ci;
    if (json_is_array(cs) && json_array_size(cs) > 0) {
        if (!(r->corrections = calloc(2 * json_array_size(cs), sizeof *r->corrections)))
            return SILK_ERR_NOMEM;
        json_array_foreach(cs, ci, c)
        {
            const char *from = str_of(c, "from"), *to = str_of(c, "to");
            if (from && to) {
                r->corrections[2 * r->ncorrections] = from;
                r->corrections[2 * r->ncorrections++ + 1] = to;
            }
        }
    }
    silk_status_t rc = decode_hits(r, json_object_get(o, "hits"));
    json_t *facets = json_object_get(o, "facets"), *doc = json_object_get(o, "doc");
    if (rc == SILK_OK && json_is_object(facets))
        rc = decode_facets(r, facets);
    if (rc == SILK_OK && json_is_object(doc))
        rc = decode_doc(r, doc);
    return rc;
}

/* The member kind of each jansson type. */
static const silk_resp_kind_t kind_of[] = {
    [JSON_OBJECT] = SILK_RESP_OBJECT, [JSON_ARRAY] = SILK_RESP_ARRAY,
    [JSON_STRING] = SILK_RESP_STRING, [JSON_INTEGER] = SILK_RESP_INT,
    [JSON_REAL] = SILK_RESP_REAL,     [JSON_TRUE] = SILK_RESP_TRUE,
    [JSON_FALSE] = SILK_RESP_FALSE,   [JSON_NULL] = SILK_RESP_NULL,
};

/* Appends the members of obj (and of the objects inside it) to r->members; `prefix` is
 * the name of obj ("" for the answer). */
static silk_status_t flatten(silk_response_t *r, size_t *cap, json_t *obj, const char *prefix,
                             int depth)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (SILK_GROW(r->members, *cap, r->nmembers + 1) != SILK_OK)
            return SILK_ERR_NOMEM;
        silk_resp_member_t *m = &r->members[r->nmembers];
        char *name = NULL;
        memset(m, 0, sizeof *m);
        if (asprintf(&name, "%s%s%s", prefix, *prefix ? "." : "", key) < 0)
            return SILK_ERR_NOMEM;
        m->name = name;
        m->depth = depth;
        r->nmembers++;
        m->kind = kind_of[json_typeof(v)];
        if (m->kind == SILK_RESP_STRING) {
            m->str = json_string_value(v);
            m->str_len = json_string_length(v);
            continue;
        }
        if (m->kind == SILK_RESP_REAL) {
            m->real = json_real_value(v);
            continue;
        }
        m->integer = (long long)json_integer_value(v);
        m->children = json_object_size(v);
        if (m->children > 0) {
            /* Its members follow it; m may move as the list grows, and is done with. */
            silk_status_t rc = flatten(r, cap, v, name, depth + 1);
            if (rc != SILK_OK)
                return rc;
            continue;
        }
        if (!(m->json = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY)))
            return SILK_ERR_NOMEM;
    }
    return SILK_OK;
}

static void free_members(silk_response_t *r)
{
    for (size_t i = 0; i < r->nmembers; i++) {
        free((char *)r->members[i].name);
        free((char *)r->members[i].json);
    }
    free(r->members);
    r->members = NULL;
    r->nmembers = 0;
}

silk_status_t silk_response_members(silk_response_t *r)
{
    size_t cap = 0;
    free_members(r);
    if (!r->tree)
        return SILK_OK;
    silk_status_t rc = flatten(r, &cap, r->tree, "", 0);
    if (rc != SILK_OK)
        free_members(r);
    return rc;
}

const silk_resp_member_t *silk_response_find(const silk_response_t *r, const char *path)
{
    for (size_t i = 0; i < r->nmembers; i++)
        if (!strcmp(r->members[i].name, path))
            return &r->members[i];
    return NULL;
}

long long silk_response_int(const silk_response_t *r, const char *path)
{
    const silk_resp_member_t *m = silk_response_find(r, path);
    return m && m->kind == SILK_RESP_INT ? m->integer : 0;
}

void silk_response_free(silk_response_t *r)
{
    free_members(r);
    free(r->hits);
    free(r->corrections);
    for (block_t *b = r->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    json_decref(r->tree);
    memset(r, 0, sizeof *r);
}
