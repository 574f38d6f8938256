/* silk — the client's side of the wire protocol (include/silk/proto_client.h).
 *
 * A request is a handful of members, written with the daemon's own JSON writer. An answer
 * is parsed once with jansson (the client reads one line per query, so a tree costs
 * nothing that matters) and the members the client needs are copied out as plain values
 * or pointers into that tree, which the response keeps. */
#include "silk/proto_client.h"

#include <jansson.h>
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

/* Fills r->hits from the "hits" array, with every hit's ranges in one array. */
static silk_status_t decode_hits(silk_response_t *r, json_t *hits)
{
    size_t n = json_array_size(hits), nspans = 0, i, k;
    json_t *h, *pair;
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
    }
    r->hits = out;
    r->nhits = n;
    return SILK_OK;
}

silk_status_t silk_response_decode(silk_response_t *r, const char *line, size_t len)
{
    json_error_t jerr;
    memset(r, 0, sizeof *r);
    r->position = -1;
    r->code = SILK_PROTO_INTERNAL;
    json_t *o = json_loadb(line, len, 0, &jerr);
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
    return decode_hits(r, json_object_get(o, "hits"));
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
    json_decref(r->tree);
    memset(r, 0, sizeof *r);
}
