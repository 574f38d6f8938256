/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the daemon's response encoders (include/silk/proto_resp.h).
 *
 * Responses are written straight into the caller's buffer through the JSON writer
 * (include/silk/jsonw.h): a search answer has a dozen fields per hit and building a jansson
 * tree for it would cost an allocation per field on the daemon's hottest path. Values
 * copied from a hit's stored data (cites, cited_by, year, authors, text) pass through a
 * small validating scanner first. */
#include "silk/proto_resp.h"

#include <string.h>

#include "silk/jsonw.h"
#include "silk/utf8.h"

/* ---- output buffer ------------------------------------------------------------------------- */

silk_status_t silk_proto_buf_reserve(silk_proto_buf_t *b, size_t extra)
{
    return silk_buf_reserve(b, extra) == SILK_OK ? SILK_OK : SILK_ERR_NOMEM;
}

void silk_proto_buf_free(silk_proto_buf_t *b)
{
    silk_buf_free(b);
}

silk_status_t silk_proto_put_string(silk_proto_buf_t *b, const char *s, size_t len)
{
    silk_jsonw_t w;
    silk_jsonw_begin(&w, b);
    silk_jsonw_string(&w, s, len);
    return silk_jsonw_end(&w);
}

/* `{"id":` and the request's id (JSON text), null when there is none. */
static void put_id(silk_jsonw_t *w, const char *id, size_t id_len)
{
    silk_jsonw_lit(w, "{\"id\":");
    if (id && id_len)
        silk_jsonw_raw(w, id, id_len);
    else
        silk_jsonw_raw(w, "null", 4);
}

/* Ends the line: its newline, or nothing at all when a write failed. */
static silk_status_t finish(silk_jsonw_t *w)
{
    silk_jsonw_raw(w, "\n", 1);
    return silk_jsonw_end(w);
}

/* ---- a validating scanner for stored document data ----------------------------------------- */

/* The stored data is JSON written by the indexer; these functions find top-level members
 * and copy their values verbatim, after checking that each value is well-formed, so a
 * damaged document can cost a field but never make the response invalid. Each returns the
 * offset just past the value, or 0 on malformed input. Nesting is bounded. */
static size_t skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static size_t scan_string(const char *s, size_t n, size_t i)
{
    if (i >= n || s[i] != '"')
        return 0;
    i++;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            return i + 1;
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            if (i + 1 >= n)
                return 0;
            char e = s[i + 1];
            if (e == 'u') {
                if (i + 5 >= n || !is_hex(s[i + 2]) || !is_hex(s[i + 3]) || !is_hex(s[i + 4]) ||
                    !is_hex(s[i + 5]))
                    return 0;
                i += 6;
            } else if (strchr("\"\\/bfnrt", e) && e) {
                i += 2;
            } else {
                return 0;
            }
        } else if (c < 0x80) {
            i++;
        } else {
            size_t k = silk_utf8_valid(s + i, n - i, NULL);
            if (!k)
                return 0;
            i += k;
        }
    }
    return 0;
}

static size_t scan_number(const char *s, size_t n, size_t i)
{
    size_t st = i;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return 0;
    if (s[i] == '0')
        i++;
    else
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i > st ? i : 0;
}

/* Finds the end of the string at s[i] without validating its content: the fast way past
 * values that are not copied (a document's text is most of its data). */
static size_t skip_string(const char *s, size_t n, size_t i)
{
    if (i >= n || s[i] != '"')
        return 0;
    size_t j = i + 1;
    for (;;) {
        const char *q = j < n ? memchr(s + j, '"', n - j) : NULL;
        if (!q)
            return 0;
        size_t k = (size_t)(q - s), b = 0;
        while (k - b - 1 > i && s[k - b - 1] == '\\')
            b++;
        if (b % 2 == 0)
            return k + 1;
        j = k + 1;
    }
}

/* validate: check every byte (for values copied into a response); else only find the end. */
static size_t scan_value(const char *s, size_t n, size_t i, int depth, int validate)
{
    if (depth > 16)
        return 0;
    i = skip_ws(s, n, i);
    if (i >= n)
        return 0;
    char c = s[i];
    if (c == '"')
        return validate ? scan_string(s, n, i) : skip_string(s, n, i);
    if (c == '-' || (c >= '0' && c <= '9'))
        return scan_number(s, n, i);
    if (n - i >= 4 && (!memcmp(s + i, "true", 4) || !memcmp(s + i, "null", 4)))
        return i + 4;
    if (n - i >= 5 && !memcmp(s + i, "false", 5))
        return i + 5;
    if (c == '[' || c == '{') {
        char close = c == '[' ? ']' : '}';
        i = skip_ws(s, n, i + 1);
        if (i < n && s[i] == close)
            return i + 1;
        for (;;) {
            if (c == '{') {
                i = validate ? scan_string(s, n, skip_ws(s, n, i))
                             : skip_string(s, n, skip_ws(s, n, i));
                if (!i)
                    return 0;
                i = skip_ws(s, n, i);
                if (i >= n || s[i] != ':')
                    return 0;
                i++;
            }
            i = scan_value(s, n, i, depth + 1, validate);
            if (!i)
                return 0;
            i = skip_ws(s, n, i);
            if (i >= n)
                return 0;
            if (s[i] == close)
                return i + 1;
            if (s[i] != ',')
                return 0;
            i++;
        }
    }
    return 0;
}

typedef struct {
    const char *name; /* member name in the stored data */
    uint32_t bit;     /* SILK_FIELD_* */
} data_field_t;

static const data_field_t data_fields[] = {
    {"cites", SILK_FIELD_CITES},     {"cited_by", SILK_FIELD_CITED_BY}, {"year", SILK_FIELD_YEAR},
    {"authors", SILK_FIELD_AUTHORS}, {"text", SILK_FIELD_TEXT},
};
#define N_DATA_FIELDS (sizeof data_fields / sizeof data_fields[0])

/* Copies a value the scanner accepted, without its line breaks and tabs: a validated
 * string holds no raw control byte, so every one in the value is white space between
 * tokens, and a response must stay on one line whatever the stored data looks like. */
static void put_value(silk_jsonw_t *w, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '\n' && s[j] != '\r' && s[j] != '\t')
            j++;
        silk_jsonw_raw(w, s + i, j - i);
        i = j + 1;
    }
}

/* Copies the wanted members of the stored data object as `,"name":value`. */
static void put_data_fields(silk_jsonw_t *w, const char *s, size_t n, uint32_t want)
{
    if (!s || !n)
        return;
    size_t i = skip_ws(s, n, 0);
    if (i >= n || s[i] != '{')
        return;
    i = skip_ws(s, n, i + 1);
    if (i < n && s[i] == '}')
        return;
    while (i < n) {
        size_t ks = skip_ws(s, n, i);
        size_t ke = skip_string(s, n, ks);
        if (!ke)
            return;
        i = skip_ws(s, n, ke);
        if (i >= n || s[i] != ':')
            return;
        size_t vs = skip_ws(s, n, i + 1);
        size_t ve = scan_value(s, n, vs, 0, 0);
        if (!ve)
            return;
        size_t klen = ke - ks - 2;
        for (size_t f = 0; f < N_DATA_FIELDS; f++) {
            /* A copied value must be well-formed JSON: check it fully before copying. */
            if ((want & data_fields[f].bit) && strlen(data_fields[f].name) == klen &&
                !memcmp(s + ks + 1, data_fields[f].name, klen) &&
                scan_value(s, n, vs, 0, 1) == ve) {
                silk_jsonw_raw(w, ",", 1);
                silk_jsonw_raw(w, s + ks, ke - ks);
                silk_jsonw_raw(w, ":", 1);
                put_value(w, s + vs, ve - vs);
            }
        }
        i = skip_ws(s, n, ve);
        if (i >= n || s[i] != ',')
            return;
        i++;
    }
}

/* ---- encoders ------------------------------------------------------------------------------ */

/* `"key":` then the string value, "" for NULL (a hit field the document lacks). */
static void put_str_member(silk_jsonw_t *w, const char *key, const char *v)
{
    silk_jsonw_lit(w, key);
    silk_jsonw_string(w, v, v ? strlen(v) : 0);
}

static void put_hit(silk_jsonw_t *w, const silk_hit_t *h, uint32_t f)
{
    int first = 1;
#define SEP()                                                                                      \
    do {                                                                                           \
        if (!first)                                                                                \
            silk_jsonw_raw(w, ",", 1);                                                             \
        first = 0;                                                                                 \
    } while (0)
    silk_jsonw_raw(w, "{", 1);
    if (f & SILK_FIELD_RANK) {
        SEP();
        silk_jsonw_lit(w, "\"rank\":");
        silk_jsonw_u64(w, h->rank);
    }
    if (f & SILK_FIELD_ID) {
        SEP();
        put_str_member(w, "\"id\":", h->id);
    }
    if (f & SILK_FIELD_KIND) {
        SEP();
        put_str_member(w, "\"kind\":", h->kind);
    }
    if (f & SILK_FIELD_SCORE) {
        SEP();
        silk_jsonw_lit(w, "\"score\":");
        silk_jsonw_double(w, h->score);
    }
    if (f & SILK_FIELD_ARTICLE) {
        SEP();
        put_str_member(w, "\"article\":", h->article);
    }
    if (f & SILK_FIELD_SECTION) {
        SEP();
        put_str_member(w, "\"section\":", h->section);
    }
    if ((f & SILK_FIELD_SNIPPET) && h->snippet) {
        SEP();
        silk_jsonw_lit(w, "\"snippet\":");
        silk_jsonw_string(w, h->snippet, strlen(h->snippet));
    }
    if ((f & SILK_FIELD_HIGHLIGHTS) && h->snippet) {
        SEP();
        silk_jsonw_lit(w, "\"highlights\":[");
        for (size_t i = 0; h->highlights && i < h->nhighlights; i++) {
            silk_jsonw_raw(w, i ? ",[" : "[", i ? 2 : 1);
            silk_jsonw_u64(w, h->highlights[2 * i]);
            silk_jsonw_raw(w, ",", 1);
            silk_jsonw_u64(w, h->highlights[2 * i + 1]);
            silk_jsonw_raw(w, "]", 1);
        }
        silk_jsonw_raw(w, "]", 1);
    }
    uint32_t data_want = f & (SILK_FIELD_CITES | SILK_FIELD_CITED_BY | SILK_FIELD_YEAR |
                              SILK_FIELD_AUTHORS | SILK_FIELD_TEXT);
    if (data_want) {
        /* put_data_fields writes a leading comma per member; with nothing before it in
         * the object that comma must go, so write into the object after a placeholder. */
        if (first) {
            size_t mark = w->b->len;
            put_data_fields(w, h->data, h->data_len, data_want);
            if (!w->err && w->b->len > mark) {
                memmove(w->b->data + mark, w->b->data + mark + 1, w->b->len - mark - 1);
                w->b->len--;
            }
        } else {
            put_data_fields(w, h->data, h->data_len, data_want);
        }
    }
    silk_jsonw_raw(w, "}", 1);
#undef SEP
}

silk_status_t silk_proto_encode_result(silk_proto_buf_t *b, const silk_request_t *req,
                                       const silk_result_t *res)
{
    silk_jsonw_t w;
    silk_jsonw_begin(&w, b);
    put_id(&w, req->id, req->id_len);
    silk_jsonw_lit(&w, ",\"ok\":true,\"took_us\":");
    silk_jsonw_u64(&w, res->took_us);
    silk_jsonw_lit(&w, ",\"total\":");
    silk_jsonw_u64(&w, res->total);
    silk_jsonw_lit(&w, res->exact ? ",\"exact\":true" : ",\"exact\":false");
    silk_jsonw_lit(&w, res->relaxed ? ",\"relaxed\":true" : ",\"relaxed\":false");
    if (res->partial) /* only when set, so answers within the time limit are unchanged */
        silk_jsonw_lit(&w, ",\"partial\":true");
    if (res->did_you_mean) {
        silk_jsonw_lit(&w, ",\"did_you_mean\":");
        silk_jsonw_string(&w, res->did_you_mean, strlen(res->did_you_mean));
    }
    if (res->ncorrections > 0) {
        /* Typo corrections: which query word also matched which index term. */
        silk_jsonw_lit(&w, ",\"corrections\":[");
        for (size_t i = 0; i < res->ncorrections; i++) {
            silk_jsonw_lit(&w, i ? ",{\"from\":" : "{\"from\":");
            silk_jsonw_string(&w, res->corrections[i].from, strlen(res->corrections[i].from));
            silk_jsonw_lit(&w, ",\"to\":");
            silk_jsonw_string(&w, res->corrections[i].to, strlen(res->corrections[i].to));
            silk_jsonw_raw(&w, "}", 1);
        }
        silk_jsonw_raw(&w, "]", 1);
    }
    if (req->explain && res->explain) {
        silk_jsonw_lit(&w, ",\"explain\":");
        silk_jsonw_string(&w, res->explain, strlen(res->explain));
    }
    if (res->nfacets > 0) {
        /* Facet counts over all matches: {"kind":[{"value":"paragraph","count":12},...]}. */
        silk_jsonw_lit(&w, ",\"facets\":{");
        for (size_t k = 0; k < res->nfacets; k++) {
            const silk_facet_t *f = &res->facets[k];
            if (k)
                silk_jsonw_raw(&w, ",", 1);
            silk_jsonw_string(&w, f->name, strlen(f->name));
            silk_jsonw_lit(&w, ":[");
            for (size_t i = 0; i < f->nvalues; i++) {
                silk_jsonw_lit(&w, i ? ",{\"value\":" : "{\"value\":");
                silk_jsonw_string(&w, f->values[i].value, strlen(f->values[i].value));
                silk_jsonw_lit(&w, ",\"count\":");
                silk_jsonw_u64(&w, f->values[i].count);
                silk_jsonw_raw(&w, "}", 1);
            }
            silk_jsonw_raw(&w, "]", 1);
        }
        silk_jsonw_raw(&w, "}", 1);
    }
    if (req->explain && res->rank) {
        silk_jsonw_lit(&w, ",\"rank\":");
        silk_jsonw_string(&w, res->rank, strlen(res->rank));
    }
    silk_jsonw_lit(&w, ",\"hits\":[");
    /* Without snippets there is nothing to show: leave both members out. */
    uint32_t fields =
        req->snippets ? req->fields : req->fields & ~(SILK_FIELD_SNIPPET | SILK_FIELD_HIGHLIGHTS);
    for (size_t i = 0; res->hits && i < res->nhits; i++) {
        if (i)
            silk_jsonw_raw(&w, ",", 1);
        put_hit(&w, &res->hits[i], fields);
    }
    silk_jsonw_lit(&w, "]}");
    return finish(&w);
}

static void put_cstr(silk_jsonw_t *w, const char *s)
{
    silk_jsonw_string(w, s, s ? strlen(s) : 0);
}

silk_status_t silk_proto_encode_doc(silk_proto_buf_t *b, const char *id, size_t id_len,
                                    const silk_docview_t *v)
{
    silk_jsonw_t w;
    silk_jsonw_begin(&w, b);
    put_id(&w, id, id_len);
    silk_jsonw_lit(&w, ",\"ok\":true,\"doc\":{");
    put_str_member(&w, "\"id\":", v->id);
    put_str_member(&w, ",\"kind\":", v->kind);
    put_str_member(&w, ",\"article\":", v->article);
    put_str_member(&w, ",\"section\":", v->section);
    silk_jsonw_lit(&w, ",\"text\":");
    silk_jsonw_string(&w, v->text, v->text_len);
    if (v->has_year) {
        silk_jsonw_lit(&w, ",\"year\":");
        if (v->year < 0)
            silk_jsonw_raw(&w, "-", 1);
        silk_jsonw_u64(&w, v->year < 0 ? -(uint64_t)v->year : (uint64_t)v->year);
    }
    if (v->nauthors > 0) {
        silk_jsonw_lit(&w, ",\"authors\":[");
        for (size_t i = 0; i < v->nauthors; i++) {
            if (i)
                silk_jsonw_raw(&w, ",", 1);
            put_cstr(&w, v->authors[i]);
        }
        silk_jsonw_raw(&w, "]", 1);
    }
    silk_jsonw_lit(&w, ",\"cites\":[");
    for (size_t i = 0; i < v->ncites; i++) {
        const silk_doc_cite_t *c = &v->cites[i];
        silk_jsonw_lit(&w, i ? ",{\"n\":" : "{\"n\":");
        silk_jsonw_u64(&w, c->n);
        put_str_member(&w, ",\"id\":", c->id);
        if (c->text)
            put_str_member(&w, ",\"text\":", c->text);
        silk_jsonw_raw(&w, "}", 1);
    }
    silk_jsonw_lit(&w, "],\"cited_by\":[");
    for (size_t i = 0; i < v->ncited_by; i++) {
        const silk_doc_citer_t *c = &v->cited_by[i];
        silk_jsonw_lit(&w, i ? ",{\"id\":" : "{\"id\":");
        put_cstr(&w, c->id);
        if (c->text) {
            put_str_member(&w, ",\"section\":", c->section);
            put_str_member(&w, ",\"text\":", c->text);
        }
        silk_jsonw_raw(&w, "}", 1);
    }
    silk_jsonw_raw(&w, "]", 1);
    if (v->ncites_more) {
        silk_jsonw_lit(&w, ",\"cites_more\":");
        silk_jsonw_u64(&w, v->ncites_more);
    }
    if (v->ncited_by_more) {
        silk_jsonw_lit(&w, ",\"cited_by_more\":");
        silk_jsonw_u64(&w, v->ncited_by_more);
    }
    silk_jsonw_lit(&w, "}}");
    return finish(&w);
}

silk_status_t silk_proto_encode_error(silk_proto_buf_t *b, const char *id, size_t id_len,
                                      silk_proto_code_t code, const char *msg, long position)
{
    silk_jsonw_t w;
    silk_jsonw_begin(&w, b);
    put_id(&w, id, id_len);
    silk_jsonw_lit(&w, ",\"ok\":false,\"error\":{\"code\":\"");
    silk_jsonw_lit(&w, silk_proto_code_name(code));
    silk_jsonw_lit(&w, "\",\"message\":");
    silk_jsonw_string(&w, msg ? msg : "", msg ? strlen(msg) : 0);
    if (position >= 0) {
        silk_jsonw_lit(&w, ",\"position\":");
        silk_jsonw_u64(&w, (uint64_t)position);
    }
    silk_jsonw_lit(&w, "}}");
    return finish(&w);
}

silk_status_t silk_proto_encode_ok(silk_proto_buf_t *b, const char *id, size_t id_len,
                                   const char *members, size_t members_len)
{
    silk_jsonw_t w;
    silk_jsonw_begin(&w, b);
    put_id(&w, id, id_len);
    silk_jsonw_lit(&w, ",\"ok\":true");
    if (members && members_len)
        silk_jsonw_raw(&w, members, members_len);
    silk_jsonw_raw(&w, "}", 1);
    return finish(&w);
}
