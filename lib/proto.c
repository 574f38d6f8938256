/* silk — the wire protocol (docs/protocol.md): decode a request line, encode responses.
 *
 * Requests are parsed with jansson, which validates JSON and UTF-8 for us. Responses are
 * written straight into the caller's buffer: a search answer has a dozen fields per hit and
 * building a jansson tree for it would cost an allocation per field on the daemon's
 * hottest path. The writer escapes every string itself and replaces invalid UTF-8, so its
 * output is valid JSON for any input. Values copied from a hit's stored data (cites,
 * cited_by, year, authors, text) pass through a small validating scanner first. */
#include "silk/proto.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const code_names[SILK_PROTO_NCODES] = {
    "ok", "bad_request", "bad_query", "too_large", "overloaded", "unavailable", "internal",
};

const char *silk_proto_code_name(silk_proto_code_t code)
{
    if ((unsigned)code >= SILK_PROTO_NCODES)
        return "internal";
    return code_names[code];
}

/* ---- output buffer ------------------------------------------------------------------------- */

silk_status_t silk_proto_buf_reserve(silk_proto_buf_t *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return SILK_OK;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2)
            return SILK_ERR_NOMEM;
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p)
        return SILK_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return SILK_OK;
}

void silk_proto_buf_free(silk_proto_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* The writer below records the first allocation failure in `w.err` and keeps going as a
 * no-op, so the encoders check once at the end instead of after every field. */
typedef struct {
    silk_proto_buf_t *b; /* where bytes go */
    size_t start;        /* b->len when the line started: restored on failure */
    int err;             /* nonzero once an allocation failed */
} writer_t;

static void put(writer_t *w, const char *s, size_t n)
{
    if (w->b->cap - w->b->len < n && (w->err || silk_proto_buf_reserve(w->b, n) != SILK_OK)) {
        w->err = 1;
        return;
    }
    if (w->err)
        return;
    memcpy(w->b->data + w->b->len, s, n);
    w->b->len += n;
}

static void puts_(writer_t *w, const char *s)
{
    put(w, s, strlen(s));
}

static void put_u64(writer_t *w, uint64_t v)
{
    /* By hand: snprintf costs more than the rest of a small response's encoding. */
    char tmp[24];
    char *p = tmp + sizeof tmp;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(w, p, (size_t)(tmp + sizeof tmp - p));
}

static void put_double(writer_t *w, double v)
{
    char tmp[40];
    /* JSON has no NaN or infinity; a score can only be one through a bug, say 0. */
    if (!isfinite(v))
        v = 0;
    double a = fabs(v);
    if (a >= 1e-3 && a < 1e9) {
        /* Six significant digits, trailing zeros dropped, like "%.6g" in this range. */
        int e = (int)floor(log10(a));
        int dec = 5 - e;
        if (dec < 0)
            dec = 0;
        static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
        uint64_t scaled = (uint64_t)llround(a * pow10[dec]);
        uint64_t ip = scaled / (uint64_t)pow10[dec], fp = scaled % (uint64_t)pow10[dec];
        if (v < 0 && scaled)
            put(w, "-", 1);
        put_u64(w, ip);
        if (fp) {
            char frac[16];
            int n = dec;
            for (int i = dec - 1; i >= 0; i--) {
                frac[i] = (char)('0' + fp % 10);
                fp /= 10;
            }
            while (n > 0 && frac[n - 1] == '0')
                n--;
            put(w, ".", 1);
            put(w, frac, (size_t)n);
        }
        return;
    }
    int n = snprintf(tmp, sizeof tmp, "%.6g", v);
    put(w, tmp, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one (overlong forms,
 * surrogates and code points past U+10FFFF are invalid, as RFC 3629 says). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0;
        if (c == 0xED && s[1] >= 0xA0)
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0;
        if (c == 0xF4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

/* 1 for bytes a JSON string holds as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain_byte[256] = {
    [0x20 ... 0x21] = 1,
    [0x23 ... 0x5B] = 1,
    [0x5D ... 0x7F] = 1,
};

static void put_jstr(writer_t *w, const char *str, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    if (!str)
        len = 0;
    put(w, "\"", 1);
    size_t i = 0;
    while (i < len) {
        /* Copy the longest run of bytes that need no escaping in one go. */
        size_t j = i;
        while (j < len && plain_byte[s[j]])
            j++;
        if (j > i)
            put(w, (const char *)s + i, j - i);
        i = j;
        if (i >= len)
            break;
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            put(w, e, 2);
            i++;
        } else if (c < 0x20) {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            if (c == '\n')
                put(w, "\\n", 2);
            else if (c == '\t')
                put(w, "\\t", 2);
            else if (c == '\r')
                put(w, "\\r", 2);
            else
                put(w, e, 6);
            i++;
        } else {
            size_t n = utf8_seq(s + i, len - i);
            if (n == 0) {
                put(w, "\xEF\xBF\xBD", 3); /* U+FFFD for each invalid byte */
                i++;
            } else {
                put(w, (const char *)s + i, n);
                i += n;
            }
        }
    }
    put(w, "\"", 1);
}

silk_status_t silk_proto_put_string(silk_proto_buf_t *b, const char *s, size_t len)
{
    writer_t w = {b, b->len, 0};
    put_jstr(&w, s, len);
    if (w.err) {
        b->len = w.start;
        return SILK_ERR_NOMEM;
    }
    return SILK_OK;
}

static void put_id(writer_t *w, const char *id, size_t id_len)
{
    puts_(w, "{\"id\":");
    if (id && id_len)
        put(w, id, id_len);
    else
        put(w, "null", 4);
}

static silk_status_t finish(writer_t *w)
{
    put(w, "\n", 1);
    if (w->err) {
        w->b->len = w->start;
        return SILK_ERR_NOMEM;
    }
    return SILK_OK;
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
            size_t k = utf8_seq((const unsigned char *)s + i, n - i);
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
static void put_value(writer_t *w, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '\n' && s[j] != '\r' && s[j] != '\t')
            j++;
        put(w, s + i, j - i);
        i = j + 1;
    }
}

/* Copies the wanted members of the stored data object as `,"name":value`. */
static void put_data_fields(writer_t *w, const char *s, size_t n, uint32_t want)
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
                put(w, ",", 1);
                put(w, s + ks, ke - ks);
                put(w, ":", 1);
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
static void put_str_member(writer_t *w, const char *key, const char *v)
{
    puts_(w, key);
    put_jstr(w, v, v ? strlen(v) : 0);
}

static void put_hit(writer_t *w, const silk_hit_t *h, uint32_t f)
{
    int first = 1;
#define SEP()                                                                                      \
    do {                                                                                           \
        if (!first)                                                                                \
            put(w, ",", 1);                                                                        \
        first = 0;                                                                                 \
    } while (0)
    put(w, "{", 1);
    if (f & SILK_FIELD_RANK) {
        SEP();
        puts_(w, "\"rank\":");
        put_u64(w, h->rank);
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
        puts_(w, "\"score\":");
        put_double(w, h->score);
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
        puts_(w, "\"snippet\":");
        put_jstr(w, h->snippet, strlen(h->snippet));
    }
    if ((f & SILK_FIELD_HIGHLIGHTS) && h->snippet) {
        SEP();
        puts_(w, "\"highlights\":[");
        for (size_t i = 0; h->highlights && i < h->nhighlights; i++) {
            put(w, i ? ",[" : "[", i ? 2 : 1);
            put_u64(w, h->highlights[2 * i]);
            put(w, ",", 1);
            put_u64(w, h->highlights[2 * i + 1]);
            put(w, "]", 1);
        }
        put(w, "]", 1);
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
    put(w, "}", 1);
#undef SEP
}

silk_status_t silk_proto_encode_result(silk_proto_buf_t *b, const silk_request_t *req,
                                       const silk_result_t *res)
{
    writer_t w = {b, b->len, 0};
    put_id(&w, req->id, req->id_len);
    puts_(&w, ",\"ok\":true,\"took_us\":");
    put_u64(&w, res->took_us);
    puts_(&w, ",\"total\":");
    put_u64(&w, res->total);
    puts_(&w, res->exact ? ",\"exact\":true" : ",\"exact\":false");
    puts_(&w, res->relaxed ? ",\"relaxed\":true" : ",\"relaxed\":false");
    if (res->did_you_mean) {
        puts_(&w, ",\"did_you_mean\":");
        put_jstr(&w, res->did_you_mean, strlen(res->did_you_mean));
    }
    if (res->ncorrections > 0) {
        /* Typo corrections: which query word also matched which index term. */
        puts_(&w, ",\"corrections\":[");
        for (size_t i = 0; i < res->ncorrections; i++) {
            puts_(&w, i ? ",{\"from\":" : "{\"from\":");
            put_jstr(&w, res->corrections[i].from, strlen(res->corrections[i].from));
            puts_(&w, ",\"to\":");
            put_jstr(&w, res->corrections[i].to, strlen(res->corrections[i].to));
            put(&w, "}", 1);
        }
        put(&w, "]", 1);
    }
    if (req->explain && res->explain) {
        puts_(&w, ",\"explain\":");
        put_jstr(&w, res->explain, strlen(res->explain));
    }
    puts_(&w, ",\"hits\":[");
    /* Without snippets there is nothing to show: leave both members out. */
    uint32_t fields =
        req->snippets ? req->fields : req->fields & ~(SILK_FIELD_SNIPPET | SILK_FIELD_HIGHLIGHTS);
    for (size_t i = 0; res->hits && i < res->nhits; i++) {
        if (i)
            put(&w, ",", 1);
        put_hit(&w, &res->hits[i], fields);
    }
    puts_(&w, "]}");
    return finish(&w);
}

silk_status_t silk_proto_encode_error(silk_proto_buf_t *b, const char *id, size_t id_len,
                                      silk_proto_code_t code, const char *msg, long position)
{
    writer_t w = {b, b->len, 0};
    put_id(&w, id, id_len);
    puts_(&w, ",\"ok\":false,\"error\":{\"code\":\"");
    puts_(&w, silk_proto_code_name(code));
    puts_(&w, "\",\"message\":");
    put_jstr(&w, msg ? msg : "", msg ? strlen(msg) : 0);
    if (position >= 0) {
        puts_(&w, ",\"position\":");
        put_u64(&w, (uint64_t)position);
    }
    puts_(&w, "}}");
    return finish(&w);
}

silk_status_t silk_proto_encode_ok(silk_proto_buf_t *b, const char *id, size_t id_len,
                                   const char *members, size_t members_len)
{
    writer_t w = {b, b->len, 0};
    put_id(&w, id, id_len);
    puts_(&w, ",\"ok\":true");
    if (members && members_len)
        put(&w, members, members_len);
    put(&w, "}", 1);
    return finish(&w);
}

/* ---- decoder ------------------------------------------------------------------------------- */

static silk_status_t reject(silk_request_t *req, silk_proto_code_t code, long pos, const char *fmt,
                            ...) __attribute__((format(printf, 4, 5)));

static silk_status_t reject(silk_request_t *req, silk_proto_code_t code, long pos, const char *fmt,
                            ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(req->message, sizeof req->message, fmt, ap);
    va_end(ap);
    req->code = code;
    req->position = pos;
    return SILK_ERR_INVALID;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static const struct {
    const char *name;
    uint32_t bit;
} field_names[] = {
    {"rank", SILK_FIELD_RANK},       {"id", SILK_FIELD_ID},
    {"kind", SILK_FIELD_KIND},       {"score", SILK_FIELD_SCORE},
    {"article", SILK_FIELD_ARTICLE}, {"section", SILK_FIELD_SECTION},
    {"snippet", SILK_FIELD_SNIPPET}, {"highlights", SILK_FIELD_HIGHLIGHTS},
    {"cites", SILK_FIELD_CITES},     {"cited_by", SILK_FIELD_CITED_BY},
    {"year", SILK_FIELD_YEAR},       {"authors", SILK_FIELD_AUTHORS},
    {"text", SILK_FIELD_TEXT},
};

static silk_status_t set_query(silk_request_t *req, const char *q, size_t len)
{
    if (len > SILK_QUERY_MAX_BYTES)
        return reject(req, SILK_PROTO_BAD_QUERY, SILK_QUERY_MAX_BYTES,
                      "query is %zu bytes long; the limit is %d", len, SILK_QUERY_MAX_BYTES);
    memcpy(req->q, q, len);
    req->q[len] = '\0';
    req->q_len = len;
    return SILK_OK;
}

/* Reads an optional non-negative integer member bounded by `max`. */
static silk_status_t get_uint(silk_request_t *req, json_t *obj, const char *key, uint32_t max,
                              uint32_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return SILK_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max)
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"%s\" must be an integer from 0 to %u",
                      key, (unsigned)max);
    *out = (uint32_t)json_integer_value(v);
    return SILK_OK;
}

static silk_status_t get_bool(silk_request_t *req, json_t *obj, const char *key, int *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return SILK_OK;
    if (!json_is_boolean(v))
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"%s\" must be true or false", key);
    *out = json_is_true(v);
    return SILK_OK;
}

static silk_status_t decode_object(json_t *obj, silk_request_t *req)
{
    silk_status_t rc;
    json_t *v = json_object_get(obj, "id");
    if (v) {
        if (json_is_object(v) || json_is_array(v))
            return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                          "\"id\" must be a string, number, boolean or null");
        size_t need = json_dumpb(v, NULL, 0, JSON_ENCODE_ANY | JSON_COMPACT);
        if (need == 0 || need >= sizeof req->id)
            return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"id\" is longer than %d bytes",
                          SILK_PROTO_ID_MAX - 1);
        req->id_len = json_dumpb(v, req->id, sizeof req->id - 1, JSON_ENCODE_ANY | JSON_COMPACT);
        req->id[req->id_len] = '\0';
    }

    v = json_object_get(obj, "op");
    if (v) {
        if (!json_is_string(v))
            return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"op\" must be a string");
        const char *op = json_string_value(v);
        if (!strcmp(op, "search"))
            req->op = SILK_REQ_SEARCH;
        else if (!strcmp(op, "stats"))
            req->op = SILK_REQ_STATS;
        else if (!strcmp(op, "ping"))
            req->op = SILK_REQ_PING;
        else if (!strcmp(op, "reindex"))
            req->op = SILK_REQ_REINDEX;
        else
            return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                          "unknown op \"%.40s\" (ops: search, stats, ping, reindex)", op);
    }
    if (req->op != SILK_REQ_SEARCH)
        return SILK_OK;

    v = json_object_get(obj, "q");
    if (!v)
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "a search needs \"q\", the query text");
    if (!json_is_string(v))
        return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"q\" must be a string");
    if ((rc = set_query(req, json_string_value(v), json_string_length(v))) != SILK_OK)
        return rc;

    v = json_object_get(obj, "mode");
    if (v) {
        if (json_is_string(v) && !strcmp(json_string_value(v), "all"))
            req->mode = SILK_MODE_ALL;
        else if (json_is_string(v) && !strcmp(json_string_value(v), "any"))
            req->mode = SILK_MODE_ANY;
        else
            return reject(req, SILK_PROTO_BAD_REQUEST, -1, "\"mode\" must be \"all\" or \"any\"");
    }
    if ((rc = get_uint(req, obj, "limit", SILK_LIMIT_MAX, &req->limit)) != SILK_OK ||
        (rc = get_uint(req, obj, "offset", SILK_OFFSET_MAX, &req->offset)) != SILK_OK ||
        (rc = get_bool(req, obj, "snippets", &req->snippets)) != SILK_OK ||
        (rc = get_bool(req, obj, "explain", &req->explain)) != SILK_OK)
        return rc;
    int typos = 1;
    if ((rc = get_bool(req, obj, "typos", &typos)) != SILK_OK)
        return rc;
    req->no_typos = !typos;

    v = json_object_get(obj, "fields");
    if (v) {
        if (!json_is_array(v))
            return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                          "\"fields\" must be an array of field names");
        req->fields = 0;
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
            size_t k, nf = sizeof field_names / sizeof field_names[0];
            if (!json_is_string(e))
                return reject(req, SILK_PROTO_BAD_REQUEST, -1,
                              "\"fields\" must be an array of field names");
            for (k = 0; k < nf; k++)
                if (!strcmp(json_string_value(e), field_names[k].name))
                    break;
            if (k == nf)
                return reject(req, SILK_PROTO_BAD_REQUEST, -1, "unknown hit field \"%.40s\"",
                              json_string_value(e));
            req->fields |= field_names[k].bit;
        }
    }
    return SILK_OK;
}

/* ---- the fast path ------------------------------------------------------------------------- */

/* Most requests are small flat objects such as {"id":3,"q":"north korea","limit":10}.
 * decode_fast reads exactly those without allocating: known members, strings of printable
 * ASCII without escapes, plain integers, booleans. It gives up (returns 0) on anything
 * else, and on anything that would be an error, so that the jansson path decides; when it
 * succeeds, its result is the one the jansson path would give (test_proto checks this on
 * generated inputs). */
static size_t fast_ws(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    return i;
}

/* A string of printable ASCII without escapes: [*start, *end) is its content. */
static size_t fast_string(const char *s, size_t n, size_t i, size_t *start, size_t *end)
{
    if (i >= n || s[i] != '"')
        return 0;
    size_t j = i + 1;
    while (j < n && plain_byte[(unsigned char)s[j]])
        j++;
    if (j >= n || s[j] != '"')
        return 0;
    *start = i + 1;
    *end = j;
    return j + 1;
}

/* An integer without sign, leading zero or more than 18 digits (so it fits anywhere). */
static size_t fast_uint(const char *s, size_t n, size_t i, uint64_t *v)
{
    size_t j = i;
    uint64_t x = 0;
    while (j < n && s[j] >= '0' && s[j] <= '9' && j - i < 19) {
        x = x * 10 + (uint64_t)(s[j] - '0');
        j++;
    }
    if (j == i || j - i > 18 || (s[i] == '0' && j - i > 1))
        return 0;
    if (j < n && (s[j] == '.' || s[j] == 'e' || s[j] == 'E' || (s[j] >= '0' && s[j] <= '9')))
        return 0;
    *v = x;
    return j;
}

static int fast_is(const char *s, size_t a, size_t b, const char *lit)
{
    size_t l = strlen(lit);
    return b - a == l && !memcmp(s + a, lit, l);
}

static int decode_fast(const char *s, size_t n, silk_request_t *req)
{
    enum {
        K_ID = 1,
        K_OP = 2,
        K_Q = 4,
        K_MODE = 8,
        K_LIMIT = 16,
        K_OFFSET = 32,
        K_SN = 64,
        K_EX = 128
    };
    unsigned seen = 0;
    size_t i = fast_ws(s, n, 1), ks, ke, vs, ve;
    silk_req_op_t op = SILK_REQ_SEARCH;
    if (i < n && s[i] == '}')
        return 0;
    for (;;) {
        if (!(i = fast_string(s, n, i, &ks, &ke)))
            return 0;
        i = fast_ws(s, n, i);
        if (i >= n || s[i] != ':')
            return 0;
        i = fast_ws(s, n, i + 1);
        if (i >= n)
            return 0;
        unsigned k;
        if (fast_is(s, ks, ke, "id"))
            k = K_ID;
        else if (fast_is(s, ks, ke, "op"))
            k = K_OP;
        else if (fast_is(s, ks, ke, "q"))
            k = K_Q;
        else if (fast_is(s, ks, ke, "mode"))
            k = K_MODE;
        else if (fast_is(s, ks, ke, "limit"))
            k = K_LIMIT;
        else if (fast_is(s, ks, ke, "offset"))
            k = K_OFFSET;
        else if (fast_is(s, ks, ke, "snippets"))
            k = K_SN;
        else if (fast_is(s, ks, ke, "explain"))
            k = K_EX;
        else
            return 0;
        if (seen & k)
            return 0; /* a duplicate: the jansson path rejects it */
        seen |= k;
        uint64_t v;
        switch (k) {
        case K_ID:
            vs = i;
            if (s[i] == '"') {
                if (!(i = fast_string(s, n, i, &ks, &ke)))
                    return 0;
            } else if (n - i >= 4 && (!memcmp(s + i, "true", 4) || !memcmp(s + i, "null", 4))) {
                i += 4;
            } else if (n - i >= 5 && !memcmp(s + i, "false", 5)) {
                i += 5;
            } else if (!(i = fast_uint(s, n, i, &v))) {
                return 0;
            }
            if (i - vs >= sizeof req->id)
                return 0;
            memcpy(req->id, s + vs, i - vs);
            req->id_len = i - vs;
            req->id[req->id_len] = '\0';
            break;
        case K_OP:
            if (!(i = fast_string(s, n, i, &vs, &ve)))
                return 0;
            if (fast_is(s, vs, ve, "search"))
                op = SILK_REQ_SEARCH;
            else if (fast_is(s, vs, ve, "ping"))
                op = SILK_REQ_PING;
            else if (fast_is(s, vs, ve, "stats"))
                op = SILK_REQ_STATS;
            else if (fast_is(s, vs, ve, "reindex"))
                op = SILK_REQ_REINDEX;
            else
                return 0;
            break;
        case K_Q:
            if (!(i = fast_string(s, n, i, &vs, &ve)) || ve - vs > SILK_QUERY_MAX_BYTES)
                return 0;
            memcpy(req->q, s + vs, ve - vs);
            req->q[ve - vs] = '\0';
            req->q_len = ve - vs;
            break;
        case K_MODE:
            if (!(i = fast_string(s, n, i, &vs, &ve)))
                return 0;
            if (fast_is(s, vs, ve, "all"))
                req->mode = SILK_MODE_ALL;
            else if (fast_is(s, vs, ve, "any"))
                req->mode = SILK_MODE_ANY;
            else
                return 0;
            break;
        case K_LIMIT:
        case K_OFFSET:
            if (!(i = fast_uint(s, n, i, &v)) ||
                v > (k == K_LIMIT ? SILK_LIMIT_MAX : SILK_OFFSET_MAX))
                return 0;
            if (k == K_LIMIT)
                req->limit = (uint32_t)v;
            else
                req->offset = (uint32_t)v;
            break;
        default: /* K_SN, K_EX */
            if (n - i >= 4 && !memcmp(s + i, "true", 4)) {
                i += 4;
                v = 1;
            } else if (n - i >= 5 && !memcmp(s + i, "false", 5)) {
                i += 5;
                v = 0;
            } else {
                return 0;
            }
            if (k == K_SN)
                req->snippets = (int)v;
            else
                req->explain = (int)v;
        }
        i = fast_ws(s, n, i);
        if (i < n && s[i] == ',') {
            i = fast_ws(s, n, i + 1);
            continue;
        }
        if (i < n && s[i] == '}' && fast_ws(s, n, i + 1) == n)
            break;
        return 0;
    }
    if (op == SILK_REQ_SEARCH && !(seen & K_Q))
        return 0; /* an error: let the jansson path say it */
    req->op = op;
    if (op != SILK_REQ_SEARCH) {
        /* Other ops ignore search members, as the jansson path does. */
        req->q[0] = '\0';
        req->q_len = 0;
        req->mode = SILK_MODE_ALL;
        req->limit = 10;
        req->offset = 0;
        req->snippets = 1;
        req->explain = 0;
    }
    return 1;
}

silk_status_t silk_proto_decode(const char *line, size_t len, silk_request_t *req)
{
    req->op = SILK_REQ_NONE;
    memcpy(req->id, "null", 5);
    req->id_len = 4;
    req->q[0] = '\0';
    req->q_len = 0;
    req->mode = SILK_MODE_ALL;
    req->limit = 10;
    req->offset = 0;
    req->snippets = 1;
    req->explain = 0;
    req->fields = SILK_FIELDS_DEFAULT;
    req->code = SILK_PROTO_OK;
    req->message[0] = '\0';
    req->position = -1;
    if (!line)
        len = 0;

    size_t s = 0, e = len;
    while (s < e && is_blank(line[s]))
        s++;
    while (e > s && is_blank(line[e - 1]))
        e--;
    if (s == e)
        return SILK_OK;

    req->op = SILK_REQ_SEARCH;
    if (line[s] != '{')
        return set_query(req, line + s, e - s);

    if (decode_fast(line + s, e - s, req))
        return SILK_OK;
    /* decode_fast may have filled members before giving up: start the slow path afresh. */
    memcpy(req->id, "null", 5);
    req->id_len = 4;
    req->q[0] = '\0';
    req->q_len = 0;
    req->mode = SILK_MODE_ALL;
    req->limit = 10;
    req->offset = 0;
    req->snippets = 1;
    req->explain = 0;

    json_error_t jerr;
    json_t *obj = json_loadb(line + s, e - s, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj)
        return reject(req, SILK_PROTO_BAD_REQUEST, (long)(s + (size_t)jerr.position),
                      "invalid JSON: %s", jerr.text);
    silk_status_t rc;
    if (!json_is_object(obj))
        rc = reject(req, SILK_PROTO_BAD_REQUEST, -1, "a request must be a JSON object");
    else
        rc = decode_object(obj, req);
    json_decref(obj);
    return rc;
}
