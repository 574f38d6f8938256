/* silk — the query language: a hand-written parser to an AST, and the AST to a Xapian query.
 *
 * The parser is a recursive-descent parser over a tiny lexer. Words are normalized by the
 * same tokenizer that indexes documents (lib/text.c), so what a user types matches what the
 * indexer stored. Every error carries the byte offset where it was found.
 */
#include "silk/query.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/schema.h"

/* ---- the AST ------------------------------------------------------------------------------- */

struct silk_qast {
    silk_qnode_t *root; /* the tree */
    size_t nterms;      /* leaf terms counted against SILK_QUERY_MAX_TERMS */
};

static void node_free(silk_qnode_t *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        node_free(n->kids[i]);
    free(n->kids);
    for (size_t i = 0; i < n->nterms; i++)
        free(n->terms[i]);
    free(n->terms);
    free(n->term);
    free(n->stem);
    free(n->value);
    free(n);
}

void silk_qast_destroy(silk_qast_t *ast)
{
    if (ast == NULL)
        return;
    node_free(ast->root);
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

static int is_plain_word(const silk_qnode_t *n)
{
    return (n->type == SILK_QN_WORD || n->type == SILK_QN_PHRASE) && !n->quoted &&
           n->field == SILK_QF_BODY;
}

int silk_qast_is_plain(const silk_qast_t *ast)
{
    const silk_qnode_t *r = ast->root;
    if (r->type == SILK_QN_PHRASE && is_plain_word(r))
        return 1; /* one word the tokenizer split: Hwasong-15, 북한의 */
    if (r->type != SILK_QN_AND || r->explicit_and || r->nkids < 2)
        return 0;
    for (size_t i = 0; i < r->nkids; i++)
        if (!is_plain_word(r->kids[i]))
            return 0;
    return 1;
}

/* ---- printing ------------------------------------------------------------------------------ */

typedef struct {
    char *buf;  /* NUL-terminated text so far */
    size_t len; /* its length */
    size_t cap; /* allocated bytes */
    int oom;    /* an allocation failed */
} sbuf_t;

static void sb_add(sbuf_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->buf, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->buf = p;
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_str(sbuf_t *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_fmt(sbuf_t *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
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

static void print_node(sbuf_t *b, const silk_qnode_t *n)
{
    switch (n->type) {
    case SILK_QN_AND:
    case SILK_QN_OR:
    case SILK_QN_NOT:
        sb_str(b, n->type == SILK_QN_AND ? "(AND" : n->type == SILK_QN_OR ? "(OR" : "(NOT");
        for (size_t i = 0; i < n->nkids; i++) {
            sb_str(b, " ");
            print_node(b, n->kids[i]);
        }
        sb_str(b, ")");
        break;
    case SILK_QN_WORD:
        sb_str(b, "(WORD ");
        sb_str(b, field_name(n->field));
        sb_str(b, n->quoted ? "\"" : "");
        sb_str(b, n->term);
        sb_str(b, n->quoted ? "\")" : ")");
        break;
    case SILK_QN_PHRASE:
        sb_str(b, "(PHRASE ");
        sb_str(b, field_name(n->field));
        sb_str(b, "\"");
        for (size_t i = 0; i < n->nterms; i++) {
            if (i > 0)
                sb_str(b, " ");
            sb_str(b, n->terms[i]);
        }
        sb_str(b, "\")");
        break;
    case SILK_QN_PREFIX:
        sb_str(b, "(PREFIX ");
        sb_str(b, field_name(n->field));
        sb_str(b, n->term);
        sb_str(b, "*)");
        break;
    case SILK_QN_FILTER:
        sb_str(b, "(FIELD ");
        sb_str(b, filter_name(n->filter));
        sb_str(b, " ");
        if (n->is_range) {
            if (n->has_lo)
                sb_fmt(b, "%d", n->lo);
            sb_str(b, "..");
            if (n->has_hi)
                sb_fmt(b, "%d", n->hi);
        } else {
            sb_str(b, n->value);
        }
        sb_str(b, ")");
        break;
    }
}

char *silk_qast_print(const silk_qast_t *ast)
{
    sbuf_t b = {0};
    print_node(&b, ast->root);
    if (b.oom) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}

/* ---- the parser ---------------------------------------------------------------------------- */

typedef struct {
    char term[SILK_TERM_MAX + 1]; /* normalized term */
    char stem[SILK_TERM_MAX + 1]; /* its stem, "" when none */
    int has_stem;                 /* stem is set */
    silk_tok_kind_t kind;         /* the tokenizer's kind */
} qword_t;

typedef struct {
    silk_tokenizer_t *tok; /* normalizes words */
    const char *q;         /* the query text */
    size_t len;            /* its length */
    size_t i;              /* read position */
    int depth;             /* parenthesis depth */
    size_t nterms;         /* leaf terms so far */
    silk_qerror_t *err;    /* where errors go (never NULL inside the parser) */
    qword_t *words;        /* tokens of the word being parsed */
    size_t nwords, capwords;
    int oom; /* an allocation failed inside a tokenizer callback */
} parser_t;

static silk_status_t perr(parser_t *p, silk_status_t st, size_t pos, const char *fmt, ...)
{
    if (p->err->status != SILK_OK)
        return p->err->status; /* keep the first error */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    p->err->status = st;
    p->err->pos = (long)(pos > p->len ? p->len : pos);
    return st;
}

static silk_status_t oom(parser_t *p)
{
    return perr(p, SILK_ERR_NOMEM, 0, "out of memory");
}

/* Whitespace separates query words: ASCII space and controls, NBSP and the ideographic
 * space (typed by CJK input methods between words). Returns its byte length or 0. */
static size_t space_len(const char *q, size_t len, size_t i)
{
    unsigned char c = (unsigned char)q[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        return 1;
    if (c == 0xC2 && i + 1 < len && (unsigned char)q[i + 1] == 0xA0)
        return 2;
    if (c == 0xE3 && i + 2 < len && (unsigned char)q[i + 1] == 0x80 &&
        (unsigned char)q[i + 2] == 0x80)
        return 3;
    return 0;
}

static void skip_space(parser_t *p)
{
    size_t n;
    while (p->i < p->len && (n = space_len(p->q, p->len, p->i)) > 0)
        p->i += n;
}

/* A quotation mark at i: the ASCII one, or the typographic ones a query pasted from a
 * web page or typed on a phone carries (“ ” „). Returns its byte length or 0. */
static size_t quote_len(const char *q, size_t len, size_t i)
{
    if (q[i] == '"')
        return 1;
    if ((unsigned char)q[i] == 0xE2 && i + 2 < len && (unsigned char)q[i + 1] == 0x80) {
        unsigned char c = (unsigned char)q[i + 2];
        if (c == 0x9C || c == 0x9D || c == 0x9E)
            return 3;
    }
    return 0;
}

/* End of the bare word starting at i: up to whitespace, a parenthesis or a quote. */
static size_t word_end(const parser_t *p, size_t i)
{
    while (i < p->len) {
        char c = p->q[i];
        if (c == '(' || c == ')' || quote_len(p->q, p->len, i) > 0 ||
            space_len(p->q, p->len, i) > 0)
            break;
        i++;
    }
    return i;
}

typedef enum {
    LX_END,
    LX_LPAREN,
    LX_RPAREN,
    LX_QUOTE,
    LX_WORD,
    LX_AND,
    LX_OR,
    LX_NOT,
    LX_MINUS
} lx_t;

/* Classifies what starts at the read position (after whitespace) without consuming it. */
static lx_t peek(parser_t *p)
{
    skip_space(p);
    if (p->i >= p->len)
        return LX_END;
    char c = p->q[p->i];
    if (c == '(')
        return LX_LPAREN;
    if (c == ')')
        return LX_RPAREN;
    if (quote_len(p->q, p->len, p->i) > 0)
        return LX_QUOTE;
    if (c == '-' && p->i + 1 < p->len) {
        char d = p->q[p->i + 1];
        if (d != ')' && space_len(p->q, p->len, p->i + 1) == 0)
            return LX_MINUS;
    }
    size_t e = word_end(p, p->i);
    size_t n = e - p->i;
    if (n == 3 && memcmp(p->q + p->i, "AND", 3) == 0)
        return LX_AND;
    if (n == 2 && memcmp(p->q + p->i, "OR", 2) == 0)
        return LX_OR;
    if (n == 3 && memcmp(p->q + p->i, "NOT", 3) == 0)
        return LX_NOT;
    return LX_WORD;
}

static int collect_cb(const silk_token_t *t, void *ud)
{
    parser_t *p = ud;
    if (p->nwords == p->capwords) {
        size_t cap = p->capwords ? p->capwords * 2 : 16;
        qword_t *w = realloc(p->words, cap * sizeof *w);
        if (w == NULL) {
            p->oom = 1;
            return 1;
        }
        p->words = w;
        p->capwords = cap;
    }
    qword_t *w = &p->words[p->nwords++];
    size_t n = t->len <= SILK_TERM_MAX ? t->len : SILK_TERM_MAX;
    memcpy(w->term, t->term, n);
    w->term[n] = '\0';
    w->has_stem = t->stem != NULL && t->stem_len > 0;
    n = w->has_stem ? (t->stem_len <= SILK_TERM_MAX ? t->stem_len : SILK_TERM_MAX) : 0;
    if (w->has_stem)
        memcpy(w->stem, t->stem, n);
    w->stem[n] = '\0';
    w->kind = t->kind;
    /* A phrase longer than the term bound is refused by the caller; stop collecting
     * far beyond it so a 4 KiB quote costs nothing. */
    return p->nwords > SILK_QUERY_MAX_TERMS + 1;
}

/* Tokenizes q[s, e) into p->words. */
static silk_status_t tokenize(parser_t *p, size_t s, size_t e)
{
    p->nwords = 0;
    p->oom = 0;
    silk_status_t st = silk_tokenize(p->tok, p->q + s, e - s, 1, collect_cb, p, NULL);
    if (st != SILK_OK || p->oom)
        return oom(p);
    return SILK_OK;
}

static silk_qnode_t *node_new(parser_t *p, silk_qnode_type_t type, size_t s, size_t e)
{
    silk_qnode_t *n = calloc(1, sizeof *n);
    if (n == NULL) {
        oom(p);
        return NULL;
    }
    n->type = type;
    n->start = s;
    n->end = e;
    return n;
}

static silk_status_t add_kid(parser_t *p, silk_qnode_t *parent, silk_qnode_t *kid)
{
    silk_qnode_t **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
    if (k == NULL) {
        node_free(kid);
        return oom(p);
    }
    parent->kids = k;
    parent->kids[parent->nkids++] = kid;
    return SILK_OK;
}

/* Counts `n` more leaf terms starting at `pos` against the bound. */
static silk_status_t count_terms(parser_t *p, size_t n, size_t pos)
{
    p->nterms += n;
    if (p->nterms > SILK_QUERY_MAX_TERMS)
        return perr(p, SILK_ERR_TOO_LARGE, pos, "more than %d terms at %zu", SILK_QUERY_MAX_TERMS,
                    pos);
    return SILK_OK;
}

static silk_qnode_t *word_node(parser_t *p, const qword_t *w, size_t s, size_t e,
                               silk_qfield_t field, int quoted)
{
    silk_qnode_t *n = node_new(p, SILK_QN_WORD, s, e);
    if (n == NULL)
        return NULL;
    n->field = field;
    n->quoted = quoted;
    n->tok_kind = w->kind;
    n->term = strdup(w->term);
    if (n->term == NULL || (w->has_stem && !quoted && (n->stem = strdup(w->stem)) == NULL)) {
        node_free(n);
        oom(p);
        return NULL;
    }
    return n;
}

/* The node of the words in p->words[from, to): nothing, a word or a phrase. */
static silk_status_t words_node(parser_t *p, size_t from, size_t to, size_t s, size_t e,
                                silk_qfield_t field, int quoted, silk_qnode_t **out)
{
    *out = NULL;
    size_t n = to - from;
    if (n == 0)
        return SILK_OK;
    silk_status_t st = count_terms(p, n, s);
    if (st != SILK_OK)
        return st;
    if (n == 1) {
        *out = word_node(p, &p->words[from], s, e, field, quoted);
        return *out ? SILK_OK : p->err->status;
    }
    silk_qnode_t *ph = node_new(p, SILK_QN_PHRASE, s, e);
    if (ph == NULL)
        return p->err->status;
    ph->field = field;
    ph->quoted = quoted;
    ph->terms = calloc(n, sizeof *ph->terms);
    if (ph->terms == NULL) {
        node_free(ph);
        return oom(p);
    }
    for (size_t i = 0; i < n; i++) {
        ph->terms[i] = strdup(p->words[from + i].term);
        if (ph->terms[i] == NULL) {
            node_free(ph);
            return oom(p);
        }
        ph->nterms++;
    }
    *out = ph;
    return SILK_OK;
}

/* A quoted string starting at p->i (a quotation mark): sets [*cs, *ce) to its content and
 * consumes it up to the next quotation mark of any kind. */
static silk_status_t quoted_span(parser_t *p, size_t *cs, size_t *ce)
{
    size_t open = p->i, ol = quote_len(p->q, p->len, open);
    for (size_t i = open + ol; i < p->len; i++) {
        size_t cl = quote_len(p->q, p->len, i);
        if (cl > 0) {
            *cs = open + ol;
            *ce = i;
            p->i = i + cl;
            return SILK_OK;
        }
    }
    return perr(p, SILK_ERR_BAD_QUERY, open, "unbalanced quote at %zu", open);
}

static silk_status_t parse_phrase(parser_t *p, silk_qfield_t field, size_t start,
                                  silk_qnode_t **out)
{
    size_t cs, ce;
    silk_status_t st = quoted_span(p, &cs, &ce);
    if (st == SILK_OK)
        st = tokenize(p, cs, ce);
    if (st == SILK_OK)
        st = words_node(p, 0, p->nwords, start, p->i, field, 1, out);
    return st;
}

typedef enum { F_NONE, F_TITLE, F_SECTION, F_KIND, F_ARTICLE, F_AUTHOR, F_CITES, F_YEAR } fname_t;

static fname_t field_of(const char *s, size_t n)
{
    static const struct {
        const char *name;
        fname_t f;
    } names[] = {{"title", F_TITLE},     {"section", F_SECTION}, {"kind", F_KIND},
                 {"article", F_ARTICLE}, {"author", F_AUTHOR},   {"cites", F_CITES},
                 {"year", F_YEAR}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && strncasecmp(names[i].name, s, n) == 0)
            return names[i].f;
    return F_NONE;
}

static silk_qnode_t *filter_node(parser_t *p, silk_qfilter_t f, const char *value, size_t vlen,
                                 size_t s, size_t e)
{
    silk_qnode_t *n = node_new(p, SILK_QN_FILTER, s, e);
    if (n == NULL)
        return NULL;
    n->filter = f;
    n->value = strndup(value, vlen);
    if (n->value == NULL) {
        node_free(n);
        oom(p);
        return NULL;
    }
    return n;
}

/* Parses a decimal year of 1 to 6 digits at [s, e); -1 when it is not one. */
static long parse_year(const char *s, size_t n)
{
    if (n == 0 || n > 6)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static silk_status_t parse_year_value(parser_t *p, const char *v, size_t vn, size_t vpos, size_t s,
                                      size_t e, silk_qnode_t **out)
{
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < vn; i++)
        if (v[i] == '.' && v[i + 1] == '.') {
            dots = v + i;
            break;
        }
    silk_status_t st = count_terms(p, 1, s);
    if (st != SILK_OK)
        return st;
    if (dots == NULL) {
        long y = parse_year(v, vn);
        if (y < 0)
            return perr(p, SILK_ERR_BAD_QUERY, vpos, "malformed year at %zu", vpos);
        char buf[16];
        int n = snprintf(buf, sizeof buf, "%ld", y);
        *out = filter_node(p, SILK_QFILTER_YEAR, buf, (size_t)n, s, e);
        return *out ? SILK_OK : p->err->status;
    }
    size_t ln = (size_t)(dots - v), hn = vn - ln - 2;
    long lo = ln ? parse_year(v, ln) : 0, hi = hn ? parse_year(dots + 2, hn) : 0;
    if ((ln == 0 && hn == 0) || lo < 0 || hi < 0 || (ln && hn && lo > hi))
        return perr(p, SILK_ERR_BAD_QUERY, vpos, "malformed year range at %zu", vpos);
    silk_qnode_t *n = node_new(p, SILK_QN_FILTER, s, e);
    if (n == NULL)
        return p->err->status;
    n->filter = SILK_QFILTER_YEAR;
    n->is_range = 1;
    n->has_lo = ln > 0;
    n->has_hi = hn > 0;
    n->lo = (int)lo;
    n->hi = (int)hi;
    *out = n;
    return SILK_OK;
}

/* A field query `name:value` where the field is known; [vs, ve) is the value (for a quoted
 * value: the text between the quotes, quoted set). */
static silk_status_t parse_field(parser_t *p, fname_t f, size_t s, size_t vs, size_t ve, int quoted,
                                 silk_qnode_t **out)
{
    const char *v = p->q + vs;
    size_t vn = ve - vs;
    size_t e = p->i;
    silk_status_t st;
    *out = NULL;
    switch (f) {
    case F_TITLE:
    case F_SECTION: {
        silk_qfield_t qf = f == F_TITLE ? SILK_QF_TITLE : SILK_QF_SECTION;
        int star = 0;
        while (!quoted && vn > 0 && v[vn - 1] == '*') {
            vn--;
            star = 1;
        }
        if ((st = tokenize(p, vs, vs + vn)) != SILK_OK)
            return st;
        if (star && p->nwords == 1 && p->words[0].kind != SILK_TOK_CJK) {
            if ((st = count_terms(p, 1, s)) != SILK_OK)
                return st;
            silk_qnode_t *n = node_new(p, SILK_QN_PREFIX, s, e);
            if (n == NULL)
                return p->err->status;
            n->field = qf;
            n->tok_kind = p->words[0].kind;
            if ((n->term = strdup(p->words[0].term)) == NULL) {
                node_free(n);
                return oom(p);
            }
            *out = n;
            return SILK_OK;
        }
        return words_node(p, 0, p->nwords, s, e, qf, quoted, out);
    }
    case F_KIND:
    case F_ARTICLE: {
        const char *norm;
        size_t nn;
        if (f == F_KIND) {
            if (silk_normalize(p->tok, v, vn, &norm, &nn) != SILK_OK)
                return oom(p);
        } else {
            /* Article names are file names, indexed verbatim: matched as typed. */
            norm = v;
            nn = vn;
        }
        int ctl = 0;
        for (size_t i = 0; i < nn; i++)
            ctl |= (unsigned char)norm[i] < 0x20;
        if (nn == 0 || nn > SILK_TERM_MAX * 4 || ctl)
            return perr(p, SILK_ERR_BAD_QUERY, vs, "malformed %s value at %zu",
                        f == F_KIND ? "kind" : "article", vs);
        if ((st = count_terms(p, 1, s)) != SILK_OK)
            return st;
        *out =
            filter_node(p, f == F_KIND ? SILK_QFILTER_KIND : SILK_QFILTER_ARTICLE, norm, nn, s, e);
        return *out ? SILK_OK : p->err->status;
    }
    case F_AUTHOR: {
        if ((st = tokenize(p, vs, ve)) != SILK_OK)
            return st;
        if (p->nwords == 0)
            return perr(p, SILK_ERR_BAD_QUERY, vs, "malformed author value at %zu", vs);
        if ((st = count_terms(p, p->nwords, s)) != SILK_OK)
            return st;
        silk_qnode_t *and = NULL;
        if (p->nwords > 1 && (and = node_new(p, SILK_QN_AND, s, e)) == NULL)
            return p->err->status;
        for (size_t i = 0; i < p->nwords; i++) {
            silk_qnode_t *n = filter_node(p, SILK_QFILTER_AUTHOR, p->words[i].term,
                                          strlen(p->words[i].term), s, e);
            if (n == NULL) {
                node_free(and);
                return p->err->status;
            }
            if (and == NULL) {
                *out = n;
                return SILK_OK;
            }
            if ((st = add_kid(p, and, n)) != SILK_OK) {
                node_free(and);
                return st;
            }
        }
        *out = and;
        return SILK_OK;
    }
    case F_CITES: {
        size_t i = 0;
        while (i < vn && v[i] == '0' && vn - i > 1)
            i++; /* cites:027 is reference 27 */
        if (vn == 0 || vn - i > 9)
            return perr(p, SILK_ERR_BAD_QUERY, vs, "malformed cites value at %zu", vs);
        for (size_t k = i; k < vn; k++)
            if (v[k] < '0' || v[k] > '9')
                return perr(p, SILK_ERR_BAD_QUERY, vs, "malformed cites value at %zu", vs);
        if ((st = count_terms(p, 1, s)) != SILK_OK)
            return st;
        *out = filter_node(p, SILK_QFILTER_CITES, v + i, vn - i, s, e);
        return *out ? SILK_OK : p->err->status;
    }
    case F_YEAR:
        return parse_year_value(p, v, vn, vs, s, e, out);
    case F_NONE:
        break;
    }
    return SILK_OK;
}

/* A bare word at the read position: a field query, a prefix, a word or a split word. */
static silk_status_t parse_word(parser_t *p, silk_qnode_t **out)
{
    size_t s = p->i, e = word_end(p, s);
    silk_status_t st;
    *out = NULL;
    p->i = e;
    const char *colon = memchr(p->q + s, ':', e - s);
    if (colon != NULL) {
        fname_t f = field_of(p->q + s, (size_t)(colon - p->q) - s);
        size_t vs = (size_t)(colon - p->q) + 1;
        if (f != F_NONE && vs < e)
            return parse_field(p, f, s, vs, e, 0, out);
        if (f != F_NONE && vs == e && e < p->len && quote_len(p->q, p->len, e) > 0) {
            size_t cs, ce;
            if ((st = quoted_span(p, &cs, &ce)) != SILK_OK)
                return st;
            return parse_field(p, f, s, cs, ce, 1, out);
        }
        /* An unknown field (or an empty value) is plain text. */
    }
    size_t te = e;
    while (te > s && p->q[te - 1] == '*')
        te--;
    if ((st = tokenize(p, s, te)) != SILK_OK)
        return st;
    size_t n = p->nwords;
    if (te == e || n == 0 || p->words[n - 1].kind == SILK_TOK_CJK)
        return words_node(p, 0, n, s, e, SILK_QF_BODY, 0, out);
    /* `nucl*`: a prefix; `U.S.-le*`: the whole words, then the prefix of the last. */
    silk_qnode_t *pre = NULL, *and = NULL, *lead = NULL;
    if ((st = count_terms(p, 1, s)) != SILK_OK)
        return st;
    if ((pre = node_new(p, SILK_QN_PREFIX, s, e)) == NULL)
        return p->err->status;
    pre->tok_kind = p->words[n - 1].kind;
    if ((pre->term = strdup(p->words[n - 1].term)) == NULL) {
        node_free(pre);
        return oom(p);
    }
    if (n == 1) {
        *out = pre;
        return SILK_OK;
    }
    if ((st = words_node(p, 0, n - 1, s, e, SILK_QF_BODY, 0, &lead)) != SILK_OK ||
        (and = node_new(p, SILK_QN_AND, s, e)) == NULL) {
        node_free(pre);
        node_free(lead);
        return p->err->status;
    }
    st = add_kid(p, and, lead);
    if (st == SILK_OK)
        st = add_kid(p, and, pre);
    else
        node_free(pre);
    if (st != SILK_OK) {
        node_free(and);
        return st;
    }
    *out = and;
    return SILK_OK;
}

static silk_status_t parse_or(parser_t *p, silk_qnode_t **out);

static const char *lx_name(lx_t t)
{
    return t == LX_AND ? "AND" : t == LX_OR ? "OR" : t == LX_NOT ? "NOT" : "-";
}

/* unary := ("NOT" | "-") unary | primary. Sets *out to NULL when the operand produced no
 * node (a word of punctuation only). */
static silk_status_t parse_unary(parser_t *p, silk_qnode_t **out)
{
    *out = NULL;
    int neg = 0;
    size_t negpos = 0;
    lx_t t;
    while ((t = peek(p)) == LX_NOT || t == LX_MINUS) {
        if (!neg)
            negpos = p->i;
        neg = !neg;
        size_t oppos = p->i;
        p->i += t == LX_NOT ? 3 : 1;
        lx_t nt = peek(p);
        if (nt == LX_END || nt == LX_RPAREN || nt == LX_OR || nt == LX_AND)
            return perr(p, SILK_ERR_BAD_QUERY, oppos, "nothing after %s at %zu", lx_name(t), oppos);
    }
    silk_status_t st = SILK_OK;
    silk_qnode_t *n = NULL;
    size_t s = p->i;
    switch (t) {
    case LX_LPAREN: {
        if (++p->depth > SILK_QUERY_MAX_DEPTH)
            return perr(p, SILK_ERR_TOO_LARGE, s, "nesting deeper than %d at %zu",
                        SILK_QUERY_MAX_DEPTH, s);
        p->i++;
        if (peek(p) == LX_RPAREN)
            return perr(p, SILK_ERR_BAD_QUERY, s, "empty parentheses at %zu", s);
        if ((st = parse_or(p, &n)) != SILK_OK)
            return st;
        if (peek(p) != LX_RPAREN) {
            node_free(n);
            return perr(p, SILK_ERR_BAD_QUERY, s, "unbalanced parenthesis at %zu", s);
        }
        p->i++;
        p->depth--;
        break;
    }
    case LX_QUOTE:
        st = parse_phrase(p, SILK_QF_BODY, s, &n);
        break;
    case LX_WORD:
        st = parse_word(p, &n);
        break;
    default:
        /* The callers look ahead before calling: this is an operator without operand. */
        return perr(p, SILK_ERR_BAD_QUERY, s, "nothing before %s at %zu", lx_name(t), s);
    }
    if (st != SILK_OK)
        return st;
    if (neg && n != NULL) {
        if (n->type == SILK_QN_NOT) { /* NOT -x is x */
            silk_qnode_t *k = n->kids[0];
            n->nkids = 0;
            node_free(n);
            n = k;
        } else {
            silk_qnode_t *nn = node_new(p, SILK_QN_NOT, negpos, p->i);
            if (nn == NULL || add_kid(p, nn, n) != SILK_OK) {
                if (nn == NULL)
                    node_free(n);
                node_free(nn);
                return p->err->status;
            }
            n = nn;
        }
    }
    *out = n;
    return SILK_OK;
}

static int is_positive(const silk_qnode_t *n)
{
    return n->type != SILK_QN_NOT;
}

/* and := unary ( ["AND"] unary )* */
static silk_status_t parse_and(parser_t *p, silk_qnode_t **out)
{
    silk_qnode_t *and = NULL;
    silk_status_t st = SILK_OK;
    size_t s = p->i;
    int explicit_and = 0;
    *out = NULL;
    for (;;) {
        lx_t t = peek(p);
        if (t == LX_END || t == LX_RPAREN || t == LX_OR)
            break;
        if (t == LX_AND) {
            size_t opos = p->i;
            if (and == NULL)
                return perr(p, SILK_ERR_BAD_QUERY, opos, "nothing before AND at %zu", opos);
            p->i += 3;
            lx_t nt = peek(p);
            if (nt == LX_END || nt == LX_RPAREN || nt == LX_OR || nt == LX_AND) {
                node_free(and);
                return perr(p, SILK_ERR_BAD_QUERY, opos, "nothing after AND at %zu", opos);
            }
            explicit_and = 1;
            continue;
        }
        if (and == NULL) {
            if ((and = node_new(p, SILK_QN_AND, s, s)) == NULL)
                return p->err->status;
        }
        silk_qnode_t *n = NULL;
        if ((st = parse_unary(p, &n)) != SILK_OK)
            goto fail;
        if (n != NULL && (st = add_kid(p, and, n)) != SILK_OK)
            goto fail;
        and->end = p->i;
    }
    if (and == NULL || and->nkids == 0) {
        node_free(and);
        return SILK_OK;
    }
    size_t positives = 0;
    for (size_t i = 0; i < and->nkids; i++)
        positives += is_positive(and->kids[i]);
    if (positives == 0) {
        size_t pos = and->kids[0]->start;
        st = perr(p, SILK_ERR_BAD_QUERY, pos, "only negative parts at %zu", pos);
        goto fail;
    }
    and->explicit_and = explicit_and;
    if (and->nkids == 1) {
        *out = and->kids[0];
        and->nkids = 0;
        node_free(and);
        return SILK_OK;
    }
    *out = and;
    return SILK_OK;
fail:
    node_free(and);
    return st;
}

/* or := and ( "OR" and )* */
static silk_status_t parse_or(parser_t *p, silk_qnode_t **out)
{
    silk_qnode_t * or = NULL, *first = NULL;
    silk_status_t st;
    *out = NULL;
    size_t s;
    skip_space(p);
    s = p->i;
    if (peek(p) == LX_OR)
        return perr(p, SILK_ERR_BAD_QUERY, p->i, "nothing before OR at %zu", p->i);
    if ((st = parse_and(p, &first)) != SILK_OK)
        return st;
    while (peek(p) == LX_OR) {
        size_t opos = p->i;
        p->i += 2;
        lx_t nt = peek(p);
        if (nt == LX_END || nt == LX_RPAREN || nt == LX_OR || nt == LX_AND) {
            st = perr(p, SILK_ERR_BAD_QUERY, opos, "nothing after OR at %zu", opos);
            goto fail;
        }
        silk_qnode_t *n = NULL;
        if ((st = parse_and(p, &n)) != SILK_OK)
            goto fail;
        if (n == NULL)
            continue;
        if (first == NULL && or == NULL) {
            first = n;
            continue;
        }
        if (or == NULL) {
            if ((or = node_new(p, SILK_QN_OR, s, s)) == NULL) {
                node_free(n);
                st = p->err->status;
                goto fail;
            }
            if ((st = add_kid(p, or, first)) != SILK_OK) {
                first = NULL;
                node_free(n);
                goto fail;
            }
            first = NULL;
        }
        if ((st = add_kid(p, or, n)) != SILK_OK)
            goto fail;
        or->end = p->i;
    }
    if (or == NULL) {
        *out = first;
        return SILK_OK;
    }
    for (size_t i = 0; i < or->nkids; i++)
        if (!is_positive(or->kids[i])) {
            size_t pos = or->kids[i]->start;
            st = perr(p, SILK_ERR_BAD_QUERY, pos, "only negative parts at %zu", pos);
            goto fail;
        }
    *out = or ;
    return SILK_OK;
fail:
    node_free(first);
    node_free(or);
    return st;
}

silk_status_t silk_qparse(silk_tokenizer_t *tok, const char *q, size_t len, silk_qast_t **out,
                          silk_qerror_t *err)
{
    silk_qerror_t local;
    parser_t p = {.tok = tok, .q = q, .len = len, .err = err ? err : &local};
    silk_qnode_t *root = NULL;
    silk_status_t st;
    p.err->status = SILK_OK;
    p.err->pos = -1;
    p.err->msg[0] = '\0';
    *out = NULL;
    if (q == NULL && len > 0)
        return perr(&p, SILK_ERR_INVALID, 0, "query is NULL");
    if (len > SILK_QUERY_MAX_BYTES)
        return perr(&p, SILK_ERR_TOO_LARGE, SILK_QUERY_MAX_BYTES,
                    "query longer than %d bytes at %d", SILK_QUERY_MAX_BYTES, SILK_QUERY_MAX_BYTES);
    if ((st = parse_or(&p, &root)) != SILK_OK)
        goto fail;
    if (peek(&p) == LX_RPAREN) {
        st = perr(&p, SILK_ERR_BAD_QUERY, p.i, "unbalanced parenthesis at %zu", p.i);
        goto fail;
    }
    if (root == NULL) {
        st = perr(&p, SILK_ERR_BAD_QUERY, 0, "empty query");
        goto fail;
    }
    silk_qast_t *ast = malloc(sizeof *ast);
    if (ast == NULL) {
        st = oom(&p);
        goto fail;
    }
    ast->root = root;
    ast->nterms = p.nterms;
    free(p.words);
    *out = ast;
    return SILK_OK;
fail:
    node_free(root);
    free(p.words);
    return st;
}

/* ---- matching document tokens -------------------------------------------------------------- */

uint64_t silk_qhash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t silk_qhash_stem(const char *stem, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h ^= (unsigned char)'Z';
    h *= 0x100000001b3ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)stem[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

typedef enum { M_TERM, M_STEM, M_PREFIX, M_PHRASE } mtype_t;

typedef struct {
    mtype_t type; /* how it matches */
    int id;       /* the query word it stands for */
    uint64_t h;   /* M_TERM: hash of the term; M_STEM: hash of "Z"+stem */
    char *s;      /* M_TERM, M_PREFIX: the term or prefix */
    size_t slen;  /* its length */
    uint64_t *ph; /* M_PHRASE: hashes of the terms in order */
    size_t nph;   /* M_PHRASE: number of terms */
} mentry_t;

struct silk_qmatch {
    mentry_t *e;       /* entries */
    size_t n;          /* used */
    size_t cap;        /* allocated */
    int nids;          /* distinct ids */
    uint32_t *tab;     /* open addressing by hash: entry index + 1 of terms, stems, phrases */
    size_t mask;       /* table size - 1 (0: no table, scan the entries) */
    uint32_t *pre;     /* indices of the prefix entries */
    size_t npre;       /* how many */
    uint64_t bits[64]; /* 4096-bit filter of the keys in tab: most tokens match nothing */
};

static void qmatch_free(silk_qmatch_t *m)
{
    free(m->tab);
    free(m->pre);
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].s);
        free(m->e[i].ph);
    }
    free(m->e);
}

static mentry_t *qmatch_add(silk_qmatch_t *m, mtype_t type, int id)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        mentry_t *e = realloc(m->e, cap * sizeof *e);
        if (e == NULL)
            return NULL;
        m->e = e;
        m->cap = cap;
    }
    mentry_t *e = &m->e[m->n++];
    memset(e, 0, sizeof *e);
    e->type = type;
    e->id = id;
    return e;
}

static int qmatch_str(silk_qmatch_t *m, mtype_t type, int id, const char *s)
{
    mentry_t *e = qmatch_add(m, type, id);
    if (e == NULL)
        return -1;
    e->slen = strlen(s);
    e->s = strdup(s);
    e->h = type == M_STEM ? silk_qhash_stem(s, e->slen) : silk_qhash(s, e->slen);
    if (e->s == NULL) {
        m->n--;
        return -1;
    }
    return 0;
}

static int qmatch_phrase(silk_qmatch_t *m, int id, char *const *terms, size_t n)
{
    mentry_t *e = qmatch_add(m, M_PHRASE, id);
    if (e == NULL)
        return -1;
    e->ph = malloc(n * sizeof *e->ph);
    if (e->ph == NULL) {
        m->n--;
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        e->ph[i] = silk_qhash(terms[i], strlen(terms[i]));
    e->nph = n;
    return 0;
}

static int silk_qmatch_scan(const silk_qmatch_t *m, const silk_qtok_t *toks, size_t n, size_t i,
                            size_t *ntoks);

static uint64_t mentry_key(const mentry_t *e)
{
    return e->type == M_PHRASE ? e->ph[0] : e->h;
}

/* Indexes the entries by hash, so matching a document token costs one or two probes
 * however many words the query has. Without memory the matcher scans the entries. */
static void qmatch_finish(silk_qmatch_t *m)
{
    size_t size = 16;
    while (size < 2 * m->n)
        size *= 2;
    m->tab = calloc(size, sizeof *m->tab);
    m->pre = malloc((m->n ? m->n : 1) * sizeof *m->pre);
    if (m->tab == NULL || m->pre == NULL) {
        free(m->tab);
        free(m->pre);
        m->tab = m->pre = NULL;
        return;
    }
    m->mask = size - 1;
    for (size_t i = 0; i < m->n; i++) {
        if (m->e[i].type == M_PREFIX) {
            m->pre[m->npre++] = (uint32_t)i;
            continue;
        }
        uint64_t key = mentry_key(&m->e[i]);
        m->bits[(key >> 12) & 63] |= 1ULL << ((key >> 18) & 63);
        size_t slot = key & m->mask;
        while (m->tab[slot] != 0)
            slot = (slot + 1) & m->mask;
        m->tab[slot] = (uint32_t)i + 1;
    }
}

/* How many tokens from toks[i] entry e matches (0: none). */
static size_t mentry_match(const mentry_t *e, const silk_qtok_t *toks, size_t n, size_t i)
{
    const silk_qtok_t *t = &toks[i];
    switch (e->type) {
    case M_TERM:
        return t->h_term == e->h && t->len == e->slen && memcmp(t->term, e->s, e->slen) == 0;
    case M_STEM:
        return t->h_stem != 0 && t->h_stem == e->h;
    case M_PREFIX:
        return t->len >= e->slen && memcmp(t->term, e->s, e->slen) == 0;
    case M_PHRASE:
        if (i + e->nph > n || t->h_term != e->ph[0])
            return 0;
        for (size_t j = 1; j < e->nph; j++)
            if (toks[i + j].h_term != e->ph[j] || toks[i + j].pos != t->pos + j)
                return 0;
        return e->nph;
    }
    return 0;
}

int silk_qmatch_at(const silk_qmatch_t *m, const silk_qtok_t *toks, size_t n, size_t i,
                   size_t *ntoks)
{
    if (m->tab != NULL) {
        int best = -1;
        size_t bestn = 0;
        uint64_t keys[2] = {toks[i].h_term, toks[i].h_stem};
        for (int k = 0; k < 2; k++) {
            if (keys[k] == 0 || (k == 1 && keys[1] == keys[0]) ||
                !(m->bits[(keys[k] >> 12) & 63] & (1ULL << ((keys[k] >> 18) & 63))))
                continue;
            for (size_t slot = keys[k] & m->mask; m->tab[slot] != 0; slot = (slot + 1) & m->mask) {
                const mentry_t *e = &m->e[m->tab[slot] - 1];
                if (mentry_key(e) != keys[k])
                    continue;
                size_t got = mentry_match(e, toks, n, i);
                if (got > bestn) {
                    bestn = got;
                    best = e->id;
                }
            }
        }
        for (size_t k = 0; k < m->npre; k++) {
            const mentry_t *e = &m->e[m->pre[k]];
            size_t got = mentry_match(e, toks, n, i);
            if (got > bestn) {
                bestn = got;
                best = e->id;
            }
        }
        *ntoks = bestn;
        return best;
    }
    return silk_qmatch_scan(m, toks, n, i, ntoks);
}

static int silk_qmatch_scan(const silk_qmatch_t *m, const silk_qtok_t *toks, size_t n, size_t i,
                            size_t *ntoks)
{
    int best = -1;
    size_t bestn = 0;
    for (size_t k = 0; k < m->n; k++) {
        size_t got = mentry_match(&m->e[k], toks, n, i);
        if (got > bestn) {
            bestn = got;
            best = m->e[k].id;
        }
    }
    *ntoks = bestn;
    return best;
}

size_t silk_qmatch_ids(const silk_qmatch_t *m)
{
    return (size_t)m->nids;
}

/* ---- building ------------------------------------------------------------------------------ */

struct silk_qbuilt {
    silk_query_t *q; /* the query */
    silk_qmatch_t m; /* highlight terms */
    long prefix_pos; /* first prefix node, or -1 */
};

void silk_qbuild_opts_init(silk_qbuild_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->mode = SILK_MODE_ALL;
    o->title_weight = SILK_TITLE_WEIGHT_DEFAULT;
    o->section_weight = SILK_SECTION_WEIGHT_DEFAULT;
    o->phrase_boost = SILK_PHRASE_BOOST_DEFAULT;
}

void silk_qbuilt_destroy(silk_qbuilt_t *b)
{
    if (b == NULL)
        return;
    silk_query_destroy(b->q);
    qmatch_free(&b->m);
    free(b);
}

const silk_query_t *silk_qbuilt_query(const silk_qbuilt_t *b)
{
    return b->q;
}

const silk_qmatch_t *silk_qbuilt_match(const silk_qbuilt_t *b)
{
    return &b->m;
}

long silk_qbuilt_prefix_pos(const silk_qbuilt_t *b)
{
    return b->prefix_pos;
}

typedef struct {
    silk_db_t *db;               /* synonyms, expansions (may be NULL) */
    silk_tokenizer_t *tok;       /* normalizes synonyms */
    const silk_qbuild_opts_t *o; /* weights and mode */
    silk_qerror_t *err;          /* where errors go */
    silk_qbuilt_t *out;          /* what is being built */
    int negated;                 /* inside a NOT: its words are not highlighted */
    int keyword;                 /* a short query: field boosts and adjacency bonus */
    size_t expanded;             /* terms that prefixes and lone syllables expanded to */
} builder_t;

/* A new highlight id for a query word, or -1 inside a NOT. */
static int new_id(builder_t *b)
{
    return b->negated ? -1 : b->out->m.nids++;
}

/* A small owned array of queries, destroyed together. */
typedef struct {
    silk_query_t **q; /* the queries */
    size_t n;         /* used */
    size_t cap;       /* allocated */
} qlist_t;

static void ql_free(qlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        silk_query_destroy(l->q[i]);
    free(l->q);
    l->q = NULL;
    l->n = l->cap = 0;
}

/* Takes ownership of q (destroys it on failure). */
static silk_status_t ql_push(qlist_t *l, silk_query_t *q)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        silk_query_t **p = realloc(l->q, cap * sizeof *p);
        if (p == NULL) {
            silk_query_destroy(q);
            return SILK_ERR_NOMEM;
        }
        l->q = p;
        l->cap = cap;
    }
    l->q[l->n++] = q;
    return SILK_OK;
}

static silk_status_t berr(builder_t *b, silk_status_t st, long pos, const char *fmt, ...)
{
    if (b->err->status != SILK_OK)
        return b->err->status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err->msg, sizeof b->err->msg, fmt, ap);
    va_end(ap);
    b->err->status = st;
    b->err->pos = pos;
    return st;
}

static silk_status_t bfail(builder_t *b, silk_status_t st, long pos)
{
    if (st == SILK_ERR_NOMEM)
        return berr(b, st, pos, "out of memory");
    return berr(b, st, pos, "cannot build the query: %s", silk_status_to_string(st));
}

/* Combines the queries of l with op (a single one is returned as is); l is emptied. */
static silk_status_t combine(qlist_t *l, silk_op_t op, unsigned window, silk_query_t **out)
{
    silk_status_t st = SILK_OK;
    if (l->n == 1) {
        *out = l->q[0];
        l->n = 0;
    } else {
        st = silk_query_combine(op, l->q, l->n, window, out);
    }
    ql_free(l);
    return st;
}

/* prefix + term into buf (SILK_QTERM_BUF bytes, cut if ever longer); returns the length. This is
 * on every query's path, so no printf. */
static size_t cat(char *buf, const char *prefix, const char *term)
{
    size_t a = strlen(prefix), b = strlen(term);
    if (a > SILK_QTERM_BUF - 1)
        a = SILK_QTERM_BUF - 1;
    if (b > SILK_QTERM_BUF - 1 - a)
        b = SILK_QTERM_BUF - 1 - a;
    memcpy(buf, prefix, a);
    memcpy(buf + a, term, b);
    buf[a + b] = '\0';
    return a + b;
}

/* A term query for prefix + term. */
static silk_status_t tq(const char *prefix, const char *term, silk_query_t **out)
{
    char buf[SILK_QTERM_BUF];
    size_t n = cat(buf, prefix, term);
    return silk_query_term(buf, n, 1, 0, out);
}

static silk_status_t scaled(silk_query_t *q, double f, silk_query_t **out)
{
    silk_status_t st = silk_query_scale(q, f, out);
    silk_query_destroy(q);
    return st;
}

/* q (owned) OR'ed with the same built under the title and section prefixes, scaled. */
static silk_status_t with_fields(builder_t *b, silk_query_t *q, silk_query_t *title,
                                 silk_query_t *section, silk_query_t **out)
{
    qlist_t l = {0};
    silk_status_t st = ql_push(&l, q);
    silk_query_t *s = NULL;
    if (st == SILK_OK && title != NULL && b->o->title_weight > 0 && b->keyword) {
        if ((st = silk_query_scale(title, b->o->title_weight, &s)) == SILK_OK)
            st = ql_push(&l, s);
    }
    if (st == SILK_OK && section != NULL && b->o->section_weight > 0 && b->keyword) {
        if ((st = silk_query_scale(section, b->o->section_weight, &s)) == SILK_OK)
            st = ql_push(&l, s);
    }
    silk_query_destroy(title);
    silk_query_destroy(section);
    if (st != SILK_OK) {
        ql_free(&l);
        return st;
    }
    return combine(&l, SILK_OP_OR, 0, out);
}

typedef struct {
    char **terms; /* collected terms */
    size_t n;     /* collected */
    size_t cap;   /* allocated */
    size_t max;   /* stop after max + 1 */
    int oom;      /* allocation failed */
} tcollect_t;

static int tcollect_cb(const char *s, size_t len, void *ud)
{
    tcollect_t *c = ud;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        char **t = realloc(c->terms, cap * sizeof *t);
        if (t == NULL) {
            c->oom = 1;
            return 1;
        }
        c->terms = t;
        c->cap = cap;
    }
    if ((c->terms[c->n] = strndup(s, len)) == NULL) {
        c->oom = 1;
        return 1;
    }
    c->n++;
    return c->n > c->max;
}

static void tcollect_free(tcollect_t *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->terms[i]);
    free(c->terms);
}

/* OP_SYNONYM of the collected terms (match nothing when there is none). */
static silk_status_t synonym_of_terms(tcollect_t *c, size_t n, silk_query_t **out)
{
    if (n == 0)
        return silk_query_match_nothing(out);
    qlist_t l = {0};
    silk_status_t st = SILK_OK;
    for (size_t i = 0; i < n && st == SILK_OK; i++) {
        silk_query_t *q = NULL;
        if ((st = silk_query_term(c->terms[i], strlen(c->terms[i]), 1, 0, &q)) == SILK_OK)
            st = ql_push(&l, q);
    }
    if (st != SILK_OK) {
        ql_free(&l);
        return st;
    }
    return combine(&l, SILK_OP_SYNONYM, 0, out);
}

static const char *field_prefix(silk_qfield_t f)
{
    return f == SILK_QF_TITLE ? SILK_PREFIX_TITLE : f == SILK_QF_SECTION ? SILK_PREFIX_SECTION : "";
}

/* A prefix query: the indexed terms starting with the prefix, at most SILK_WILDCARD_MAX. */
static silk_status_t build_prefix(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    char pre[SILK_TERM_MAX + 8];
    snprintf(pre, sizeof pre, "%s%s", field_prefix(n->field), n->term);
    if (b->out->prefix_pos < 0)
        b->out->prefix_pos = (long)n->start;
    int id = n->field == SILK_QF_BODY ? new_id(b) : -1;
    if (id >= 0 && qmatch_str(&b->out->m, M_PREFIX, id, n->term) != 0)
        return SILK_ERR_NOMEM;
    if (b->db == NULL)
        return silk_query_wildcard(pre, SILK_WILDCARD_MAX, out);
    /* Expanding here, not in Xapian, gives the error its position and lets the caller
     * know before running anything. */
    tcollect_t c = {.max = SILK_WILDCARD_MAX};
    silk_status_t st = silk_db_allterms(b->db, pre, tcollect_cb, &c);
    if (st == SILK_OK && c.oom)
        st = SILK_ERR_NOMEM;
    if (st == SILK_OK && c.n > SILK_WILDCARD_MAX) {
        tcollect_free(&c);
        return berr(b, SILK_ERR_TOO_BROAD, (long)n->start,
                    "prefix '%s*' is too broad (matches more than %d terms)", n->term,
                    SILK_WILDCARD_MAX);
    }
    if (st == SILK_OK && (b->expanded += c.n) > SILK_EXPANSION_TOTAL_MAX) {
        tcollect_free(&c);
        return berr(b, SILK_ERR_TOO_BROAD, (long)n->start,
                    "prefixes are too broad (match more than %d terms together) at %zu",
                    SILK_EXPANSION_TOTAL_MAX, n->start);
    }
    if (st == SILK_OK)
        st = synonym_of_terms(&c, c.n, out);
    tcollect_free(&c);
    return st;
}

/* Whether a term is one CJK character (a lone syllable, indexed only when alone). */
static int is_lone_cjk(const silk_qnode_t *n)
{
    if (n->tok_kind != SILK_TOK_CJK)
        return 0;
    unsigned char c = (unsigned char)n->term[0];
    size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return strlen(n->term) == l;
}

/* Whether a term is written in the Arabic script (U+0600–U+06FF: Persian, Arabic). */
static int is_arabic_script(const char *t)
{
    unsigned char c = (unsigned char)t[0];
    return c >= 0xD8 && c <= 0xDB;
}

/* Persian suffixes, normalized as the tokenizer does (Farsi yeh, ZWNJ joined away). */
static const char *const fa_suffixes[SILK_FA_SUFFIXES] = {
    "\xdb\x8c",                         /* ی  ezafe, indefinite */
    "\xd8\xa7\xdb\x8c",                 /* ای */
    "\xd9\x87\xd8\xa7",                 /* ها plural */
    "\xd9\x87\xd8\xa7\xdb\x8c",         /* های */
    "\xd9\x87\xd8\xa7\xdb\x8c\xdb\x8c", /* هایی */
    "\xd8\xa7\xd9\x86",                 /* ان plural */
    "\xdb\x8c\xdb\x8c",                 /* یی */
    "\xd8\xa7\xd8\xaa",                 /* ات plural */
};

silk_status_t silk_qword_variants(silk_db_t *db, const char *term,
                                  char out[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF], size_t *n)
{
    *n = 0;
    cat(out[(*n)++], "", term);
    if (!is_arabic_script(term))
        return SILK_OK;
    for (size_t i = 0; i < SILK_FA_SUFFIXES; i++) {
        uint64_t freq = 0;
        cat(out[*n], term, fa_suffixes[i]);
        silk_status_t st = silk_db_term_freq(db, out[*n], &freq);
        if (st != SILK_OK)
            return st;
        if (freq > 0)
            (*n)++;
    }
    return SILK_OK;
}

/* The body query of one word (no synonyms): its stem, or its exact term when it has no
 * stem or was quoted; a lone CJK character also matches the bigrams it starts. `id` is the
 * highlight id (-1: none). */
static silk_status_t word_body(builder_t *b, const silk_qnode_t *n, int id, silk_query_t **out)
{
    silk_status_t st;
    silk_qmatch_t *m = &b->out->m;
    if (n->stem != NULL) {
        st = tq(SILK_PREFIX_STEM, n->stem, out);
        if (st == SILK_OK && id >= 0 && qmatch_str(m, M_STEM, id, n->stem) != 0)
            st = SILK_ERR_NOMEM;
        return st;
    }
    if (b->db != NULL && is_lone_cjk(n)) {
        tcollect_t c = {.max = SILK_SYLLABLE_EXPANSION_MAX};
        st = silk_db_allterms(b->db, n->term, tcollect_cb, &c);
        if (st == SILK_OK && c.oom)
            st = SILK_ERR_NOMEM;
        if (st == SILK_OK && (b->expanded += c.n) > SILK_EXPANSION_TOTAL_MAX) {
            tcollect_free(&c);
            return berr(b, SILK_ERR_TOO_BROAD, (long)n->start,
                        "prefixes are too broad (match more than %d terms together) at %zu",
                        SILK_EXPANSION_TOTAL_MAX, n->start);
        }
        if (st == SILK_OK && c.n == 0) /* unknown: still a valid, empty term query */
            st = tq("", n->term, out);
        else if (st == SILK_OK)
            st = synonym_of_terms(
                &c, c.n < SILK_SYLLABLE_EXPANSION_MAX ? c.n : SILK_SYLLABLE_EXPANSION_MAX, out);
        tcollect_free(&c);
        if (st == SILK_OK && id >= 0 && qmatch_str(m, M_PREFIX, id, n->term) != 0)
            st = SILK_ERR_NOMEM;
        return st;
    }
    if (b->db != NULL && !n->quoted && is_arabic_script(n->term)) {
        /* Persian writes the ezafe, the plural and the indefinite article as suffixes
         * (کره → کرهی, کره‌ای, کره‌ها): the word matches its indexed
         * suffixed forms too.
         */
        char variants[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF];
        size_t nv = 0;
        if ((st = silk_qword_variants(b->db, n->term, variants, &nv)) != SILK_OK)
            return st;
        qlist_t l = {0};
        for (size_t i = 0; i < nv && st == SILK_OK; i++) {
            silk_query_t *q = NULL;
            if ((st = tq("", variants[i], &q)) == SILK_OK)
                st = ql_push(&l, q);
            if (st == SILK_OK && id >= 0 && qmatch_str(m, M_TERM, id, variants[i]) != 0)
                st = SILK_ERR_NOMEM;
        }
        if (st != SILK_OK) {
            ql_free(&l);
            return st;
        }
        return combine(&l, SILK_OP_SYNONYM, 0, out);
    }
    st = tq("", n->term, out);
    if (st == SILK_OK && id >= 0 && qmatch_str(m, M_TERM, id, n->term) != 0)
        st = SILK_ERR_NOMEM;
    return st;
}

/* A word searched in one field (title or section): prefixed stem or exact term. */
static silk_status_t word_field(const silk_qnode_t *n, silk_qfield_t f, silk_query_t **out)
{
    if (n->stem != NULL)
        return tq(f == SILK_QF_TITLE ? SILK_PREFIX_STEM SILK_PREFIX_TITLE
                                     : SILK_PREFIX_STEM SILK_PREFIX_SECTION,
                  n->stem, out);
    return tq(field_prefix(f), n->term, out);
}

static silk_status_t phrase_q(const char *prefix, char *const *terms, size_t n, silk_query_t **out)
{
    qlist_t l = {0};
    silk_status_t st = SILK_OK;
    for (size_t i = 0; i < n && st == SILK_OK; i++) {
        silk_query_t *q = NULL;
        char buf[SILK_QTERM_BUF];
        size_t k = cat(buf, prefix, terms[i]);
        if ((st = silk_query_term(buf, k, 1, (uint32_t)(i + 1), &q)) == SILK_OK)
            st = ql_push(&l, q);
    }
    if (st != SILK_OK) {
        ql_free(&l);
        return st;
    }
    return combine(&l, SILK_OP_PHRASE, 0, out);
}

/* Whether a term starts with a Hangul, Han or Kana character (indexed as bigrams). */
static int is_cjk_term(const char *t)
{
    const unsigned char *u = (const unsigned char *)t;
    if (u[0] < 0xE1 || u[0] > 0xED || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
        return 0;
    unsigned cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3040 && cp <= 0x30FF) ||
           (cp >= 0x3130 && cp <= 0x318F) || (cp >= 0x3400 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3);
}

static silk_status_t build_phrase(builder_t *b, const silk_qnode_t *n, int id, silk_query_t **out)
{
    silk_status_t st;
    if (!n->quoted && n->field == SILK_QF_BODY &&
        ((b->o->mode == SILK_MODE_ANY && is_cjk_term(n->terms[0])) || b->o->relaxed)) {
        /* A Korean word of a question carries its particle (북한의, 북한은): as a phrase of
         * its bigrams it would match only that exact form. Ranked retrieval OR's the
         * bigrams instead, as CJK bigram search engines do, and BM25 favours the documents
         * that share most of them. The relaxed retry of an `all` search does the same with
         * any split word (Hwasong-15: hwasong or 15). */
        qlist_t l = {0};
        st = SILK_OK;
        for (size_t i = 0; i < n->nterms && st == SILK_OK; i++) {
            silk_query_t *q = NULL;
            if ((st = tq("", n->terms[i], &q)) == SILK_OK)
                st = ql_push(&l, q);
            if (st == SILK_OK && id >= 0 && qmatch_str(&b->out->m, M_TERM, id, n->terms[i]) != 0)
                st = SILK_ERR_NOMEM;
        }
        if (st != SILK_OK) {
            ql_free(&l);
            return st;
        }
        return combine(&l, SILK_OP_OR, 0, out);
    }
    if (n->field != SILK_QF_BODY)
        return phrase_q(field_prefix(n->field), n->terms, n->nterms, out);
    silk_query_t *body = NULL, *title = NULL, *section = NULL;
    if ((st = phrase_q("", n->terms, n->nterms, &body)) != SILK_OK)
        return st;
    if (b->keyword &&
        ((st = phrase_q(SILK_PREFIX_TITLE, n->terms, n->nterms, &title)) != SILK_OK ||
         (st = phrase_q(SILK_PREFIX_SECTION, n->terms, n->nterms, &section)) != SILK_OK)) {
        silk_query_destroy(body);
        silk_query_destroy(title);
        return st;
    }
    if (id >= 0 && qmatch_phrase(&b->out->m, id, n->terms, n->nterms) != 0) {
        silk_query_destroy(body);
        silk_query_destroy(title);
        silk_query_destroy(section);
        return SILK_ERR_NOMEM;
    }
    return with_fields(b, body, title, section, out);
}

/* A word or split word written as free text, with title/section boosts. */
static silk_status_t build_word(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    silk_status_t st;
    if (n->field != SILK_QF_BODY)
        return word_field(n, n->field, out);
    silk_query_t *body = NULL, *title = NULL, *section = NULL;
    if ((st = word_body(b, n, new_id(b), &body)) != SILK_OK)
        return st;
    if (!b->keyword) {
        *out = body;
        return SILK_OK;
    }
    if ((st = word_field(n, SILK_QF_TITLE, &title)) != SILK_OK ||
        (st = word_field(n, SILK_QF_SECTION, &section)) != SILK_OK) {
        silk_query_destroy(body);
        silk_query_destroy(title);
        return st;
    }
    return with_fields(b, body, title, section, out);
}

static silk_status_t build_filter(const silk_qnode_t *n, silk_query_t **out)
{
    switch (n->filter) {
    case SILK_QFILTER_KIND:
        return tq(SILK_PREFIX_KIND, n->value, out);
    case SILK_QFILTER_ARTICLE:
        return tq(SILK_PREFIX_ARTICLE, n->value, out);
    case SILK_QFILTER_AUTHOR:
        return tq(SILK_PREFIX_AUTHOR, n->value, out);
    case SILK_QFILTER_CITES:
        return tq(SILK_PREFIX_CITES, n->value, out);
    case SILK_QFILTER_YEAR:
        if (n->is_range)
            return silk_query_value_range(SILK_SLOT_YEAR, n->has_lo, n->lo, n->has_hi, n->hi, out);
        return tq(SILK_PREFIX_YEAR, n->value, out);
    }
    return SILK_ERR_INVALID;
}

/* A pure filter: a boolean filter, or AND/OR of filters (NOT kids allowed beside one). */
static int is_filter(const silk_qnode_t *n)
{
    if (n->type == SILK_QN_FILTER)
        return 1;
    if (n->type != SILK_QN_AND && n->type != SILK_QN_OR)
        return 0;
    int any = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        if (n->kids[i]->type == SILK_QN_NOT && n->type == SILK_QN_AND)
            continue;
        if (!is_filter(n->kids[i]))
            return 0;
        any = 1;
    }
    return any;
}

static silk_status_t build_node(builder_t *b, const silk_qnode_t *n, silk_query_t **out);

/* Synonym lookup: the members of `key`'s group. */
typedef struct {
    char **syn; /* synonyms */
    size_t n;   /* number */
    size_t cap; /* allocated */
    int oom;    /* an allocation failed */
} synlist_t;

static int syn_cb(const char *s, size_t len, void *ud)
{
    synlist_t *l = ud;
    if (l->n >= 16)
        return 1; /* a group is a handful of spellings; bound it anyway */
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        char **p = realloc(l->syn, cap * sizeof *p);
        if (p == NULL) {
            l->oom = 1;
            return 1;
        }
        l->syn = p;
        l->cap = cap;
    }
    if ((l->syn[l->n] = strndup(s, len)) == NULL) {
        l->oom = 1;
        return 1;
    }
    l->n++;
    return 0;
}

static void synlist_free(synlist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->syn[i]);
    free(l->syn);
    memset(l, 0, sizeof *l);
}

static silk_status_t synonyms_of(builder_t *b, const char *key, size_t klen, synlist_t *l)
{
    memset(l, 0, sizeof *l);
    if (b->db == NULL)
        return SILK_OK;
    if (b->o->has_synonyms != NULL && !b->o->has_synonyms(b->o->syn_ud, key, klen))
        return SILK_OK;
    silk_status_t st = silk_db_synonyms(b->db, key, syn_cb, l);
    if (st == SILK_OK && l->oom)
        st = SILK_ERR_NOMEM;
    if (st != SILK_OK)
        synlist_free(l);
    return st;
}

typedef struct {
    qword_t *w; /* tokens */
    size_t n;   /* used */
    size_t cap; /* allocated */
    int oom;    /* allocation failed */
} wlist_t;

static int wlist_cb(const silk_token_t *t, void *ud)
{
    wlist_t *l = ud;
    if (l->n >= SILK_QUERY_MAX_TERMS)
        return 1;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        qword_t *w = realloc(l->w, cap * sizeof *w);
        if (w == NULL) {
            l->oom = 1;
            return 1;
        }
        l->w = w;
        l->cap = cap;
    }
    qword_t *w = &l->w[l->n++];
    size_t k = t->len <= SILK_TERM_MAX ? t->len : SILK_TERM_MAX;
    memcpy(w->term, t->term, k);
    w->term[k] = '\0';
    w->has_stem = t->stem != NULL && t->stem_len > 0;
    k = w->has_stem ? (t->stem_len <= SILK_TERM_MAX ? t->stem_len : SILK_TERM_MAX) : 0;
    memcpy(w->stem, t->stem ? t->stem : "", k);
    w->stem[k] = '\0';
    w->kind = t->kind;
    return 0;
}

/* The body query of a synonym (text as stored in the synonym table): one word → its stem
 * or term, several words → their exact phrase. Highlight entries get `id`. */
static silk_status_t synonym_query(builder_t *b, const char *syn, int id, silk_query_t **out)
{
    wlist_t l = {0};
    silk_status_t st = silk_tokenize(b->tok, syn, strlen(syn), 1, wlist_cb, &l, NULL);
    if (st == SILK_OK && l.oom)
        st = SILK_ERR_NOMEM;
    if (st != SILK_OK)
        goto done;
    if (l.n == 0) {
        st = silk_query_match_nothing(out);
    } else if (l.n == 1) {
        silk_qnode_t tmp = {.type = SILK_QN_WORD,
                            .tok_kind = l.w[0].kind,
                            .term = l.w[0].term,
                            .stem = l.w[0].has_stem ? l.w[0].stem : NULL};
        st = word_body(b, &tmp, id, out);
    } else {
        char **terms = malloc(l.n * sizeof *terms);
        if (terms == NULL) {
            st = SILK_ERR_NOMEM;
            goto done;
        }
        for (size_t i = 0; i < l.n; i++)
            terms[i] = l.w[i].term;
        st = phrase_q("", terms, l.n, out);
        if (st == SILK_OK && id >= 0 && qmatch_phrase(&b->out->m, id, terms, l.n) != 0)
            st = SILK_ERR_NOMEM;
        free(terms);
    }
done:
    free(l.w);
    return st;
}

/* Words kids[i, i+k) (plain words) expanded with the synonyms of their joined key:
 * OP_SYNONYM(the words, each synonym). */
static silk_status_t build_synonym_group(builder_t *b, silk_qnode_t *const *kids, size_t k,
                                         const synlist_t *syn, silk_query_t **out)
{
    qlist_t l = {0}, words = {0};
    silk_status_t st = SILK_OK;
    int id0 = new_id(b);
    silk_query_t *q = NULL;
    /* One word highlights like any word; several are highlighted where they stand
     * together (a name such as "north korea"), not each "of" of the text. */
    for (size_t i = 0; i < k && st == SILK_OK; i++) {
        if ((st = word_body(b, kids[i], k == 1 ? id0 : -1, &q)) == SILK_OK)
            st = ql_push(&words, q);
    }
    if (st == SILK_OK && k > 1 && id0 >= 0) {
        char *terms[SILK_SYNONYM_MAX_WORDS];
        for (size_t i = 0; i < k; i++)
            terms[i] = kids[i]->term;
        if (qmatch_phrase(&b->out->m, id0, terms, k) != 0)
            st = SILK_ERR_NOMEM;
    }
    if (st == SILK_OK && (st = combine(&words, SILK_OP_AND, 0, &q)) == SILK_OK)
        st = ql_push(&l, q);
    for (size_t i = 0; i < syn->n && st == SILK_OK; i++) {
        if ((st = synonym_query(b, syn->syn[i], id0, &q)) == SILK_OK)
            st = ql_push(&l, q);
    }
    if (st != SILK_OK) {
        ql_free(&words);
        ql_free(&l);
        return st;
    }
    if ((st = combine(&l, SILK_OP_SYNONYM, 0, &q)) != SILK_OK)
        return st;
    if (k > 1 || !b->keyword) {
        *out = q;
        return SILK_OK;
    }
    silk_query_t *title = NULL, *section = NULL;
    if ((st = word_field(kids[0], SILK_QF_TITLE, &title)) != SILK_OK ||
        (st = word_field(kids[0], SILK_QF_SECTION, &section)) != SILK_OK) {
        silk_query_destroy(q);
        silk_query_destroy(title);
        return st;
    }
    return with_fields(b, q, title, section, out);
}

static int is_syn_word(const silk_qnode_t *n)
{
    return n->type == SILK_QN_WORD && !n->quoted && n->field == SILK_QF_BODY;
}

/* Builds the positive kids of an AND (or the operands of an OR) into l; under an AND,
 * groups runs of plain words that form a synonym key (longest first, up to
 * SILK_SYNONYM_MAX_WORDS words). */
static silk_status_t build_positives(builder_t *b, silk_qnode_t *const *kids, size_t nkids,
                                     int multi, qlist_t *l)
{
    silk_status_t st = SILK_OK;
    for (size_t i = 0; i < nkids && st == SILK_OK;) {
        silk_qnode_t *n = kids[i];
        silk_query_t *q = NULL;
        if (n->type == SILK_QN_NOT || is_filter(n)) {
            i++;
            continue;
        }
        size_t used = 1;
        int grouped = 0;
        if (is_syn_word(n) && b->db != NULL) {
            for (size_t k = multi ? SILK_SYNONYM_MAX_WORDS : 1; k >= 1 && !grouped; k--) {
                if (i + k > nkids)
                    continue;
                char key[SILK_SYNONYM_MAX_WORDS * (SILK_TERM_MAX + 1)];
                size_t kl = 0, j;
                for (j = 0; j < k && is_syn_word(kids[i + j]); j++) {
                    size_t tl = strlen(kids[i + j]->term);
                    if (j > 0)
                        key[kl++] = ' ';
                    memcpy(key + kl, kids[i + j]->term, tl);
                    kl += tl;
                }
                if (j < k)
                    continue;
                key[kl] = '\0';
                synlist_t syn;
                if ((st = synonyms_of(b, key, kl, &syn)) != SILK_OK)
                    return st;
                if (syn.n > 0) {
                    st = build_synonym_group(b, kids + i, k, &syn, &q);
                    grouped = 1;
                    used = k;
                }
                synlist_free(&syn);
                if (st != SILK_OK)
                    return st;
            }
        }
        if (!grouped &&
            (st = n->type == SILK_QN_WORD ? build_word(b, n, &q) : build_node(b, n, &q)) != SILK_OK)
            return st;
        st = ql_push(l, q);
        i += used;
    }
    return st;
}

/* The adjacency bonus of a run of free-text words: their exact terms as a phrase. */
static silk_status_t phrase_bonus(builder_t *b, silk_qnode_t *const *kids, size_t nkids,
                                  silk_query_t **out)
{
    char *terms[SILK_QUERY_MAX_TERMS];
    size_t nt = 0, nw = 0;
    *out = NULL;
    if (b->o->phrase_boost <= 0)
        return SILK_OK;
    for (size_t i = 0; i < nkids; i++) {
        const silk_qnode_t *n = kids[i];
        if (!is_plain_word(n))
            continue;
        nw++;
        if (n->type == SILK_QN_WORD && nt < SILK_QUERY_MAX_TERMS)
            terms[nt++] = n->term;
        for (size_t k = 0; n->type == SILK_QN_PHRASE && k < n->nterms; k++)
            if (nt < SILK_QUERY_MAX_TERMS)
                terms[nt++] = n->terms[k];
    }
    /* A question of many words rarely has them side by side, and a long phrase costs a
     * position check per candidate: the bonus is for keyword queries. */
    if (nw < 2 || nt < 2 || !b->keyword)
        return SILK_OK;
    /* Each document that has every word costs a position check (microseconds in a long
     * text): when even the rarest word is in many documents the bonus is left out, so a
     * common phrase ("mach number" in 3000 abstracts) costs no more than its words. */
    silk_status_t st;
    for (size_t i = 0; b->db != NULL && i < nt; i++) {
        uint64_t freq = 0;
        if ((st = silk_db_term_freq(b->db, terms[i], &freq)) != SILK_OK)
            return st;
        if (freq <= SILK_PHRASE_BONUS_MAX_DOCS)
            break;
        if (i + 1 == nt)
            return SILK_OK;
    }
    silk_query_t *ph = NULL;
    st = phrase_q("", terms, nt, &ph);
    if (st == SILK_OK)
        st = scaled(ph, b->o->phrase_boost, out);
    return st;
}

static silk_status_t build_and(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    qlist_t pos = {0}, filt = {0}, neg = {0};
    silk_query_t *main = NULL, *q = NULL, *bonus = NULL;
    silk_status_t st = build_positives(b, n->kids, n->nkids, 1, &pos);
    for (size_t i = 0; i < n->nkids && st == SILK_OK; i++) {
        const silk_qnode_t *k = n->kids[i];
        if (k->type == SILK_QN_NOT) {
            b->negated++;
            st = build_node(b, k->kids[0], &q);
            b->negated--;
            if (st == SILK_OK)
                st = ql_push(&neg, q);
        } else if (is_filter(k)) {
            if ((st = build_node(b, k, &q)) == SILK_OK)
                st = ql_push(&filt, q);
        }
    }
    if (st != SILK_OK)
        goto fail;
    if (pos.n == 0) {
        /* Only filters: every document they allow, unweighted. */
        if ((st = silk_query_match_all(&main)) != SILK_OK)
            goto fail;
    } else {
        int any = b->o->mode == SILK_MODE_ANY && !n->explicit_and;
        if ((st = combine(&pos, any ? SILK_OP_OR : SILK_OP_AND, 0, &main)) != SILK_OK)
            goto fail;
        if ((st = phrase_bonus(b, n->kids, n->nkids, &bonus)) != SILK_OK)
            goto fail;
        if (bonus != NULL) {
            silk_query_t *pair[2] = {main, bonus};
            /* OR, not AND_MAYBE: the phrase matches only documents that main matches
             * anyway, and Xapian then reads it as a stream instead of skipping to every
             * candidate of main (50 ms for "the envelope" in `any` mode). */
            st = silk_query_combine(SILK_OP_OR, pair, 2, 0, &q);
            silk_query_destroy(main);
            silk_query_destroy(bonus);
            main = q;
            bonus = NULL;
            if (st != SILK_OK) {
                main = NULL;
                goto fail;
            }
        }
    }
    if (filt.n > 0) {
        /* Insert main first: FILTER keeps the first subquery's weight only. */
        if ((st = ql_push(&filt, main)) != SILK_OK) {
            main = NULL;
            goto fail;
        }
        filt.q[filt.n - 1] = filt.q[0];
        filt.q[0] = main;
        main = NULL;
        if ((st = silk_query_combine(SILK_OP_FILTER, filt.q, filt.n, 0, &main)) != SILK_OK)
            goto fail;
    }
    if (neg.n > 0) {
        if ((st = ql_push(&neg, main)) != SILK_OK) {
            main = NULL;
            goto fail;
        }
        neg.q[neg.n - 1] = neg.q[0];
        neg.q[0] = main;
        main = NULL;
        if ((st = silk_query_combine(SILK_OP_AND_NOT, neg.q, neg.n, 0, &main)) != SILK_OK)
            goto fail;
    }
    ql_free(&pos);
    ql_free(&filt);
    ql_free(&neg);
    *out = main;
    return SILK_OK;
fail:
    ql_free(&pos);
    ql_free(&filt);
    ql_free(&neg);
    silk_query_destroy(main);
    return st;
}

static silk_status_t build_or(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    qlist_t l = {0};
    silk_status_t st = SILK_OK;
    if (is_filter(n)) {
        for (size_t i = 0; i < n->nkids && st == SILK_OK; i++) {
            silk_query_t *q = NULL;
            if ((st = build_node(b, n->kids[i], &q)) == SILK_OK)
                st = ql_push(&l, q);
        }
    } else {
        st = build_positives(b, n->kids, n->nkids, 0, &l);
        /* A filter among OR'ed words widens the match; it adds no weight. */
        for (size_t i = 0; i < n->nkids && st == SILK_OK; i++) {
            silk_query_t *q = NULL;
            if (is_filter(n->kids[i]) && (st = build_node(b, n->kids[i], &q)) == SILK_OK)
                st = ql_push(&l, q);
        }
    }
    if (st != SILK_OK) {
        ql_free(&l);
        return st;
    }
    return combine(&l, SILK_OP_OR, 0, out);
}

static silk_status_t build_node(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    *out = NULL;
    switch (n->type) {
    case SILK_QN_AND:
        if (is_filter(n)) { /* author:"two words", (kind:x -year:y): unweighted */
            qlist_t l = {0}, neg = {0};
            silk_status_t st = SILK_OK;
            for (size_t i = 0; i < n->nkids && st == SILK_OK; i++) {
                silk_query_t *q = NULL;
                const silk_qnode_t *k = n->kids[i];
                if ((st = build_node(b, k->type == SILK_QN_NOT ? k->kids[0] : k, &q)) == SILK_OK)
                    st = ql_push(k->type == SILK_QN_NOT ? &neg : &l, q);
            }
            silk_query_t *q = NULL;
            if (st == SILK_OK)
                st = combine(&l, SILK_OP_AND, 0, &q);
            if (st == SILK_OK && neg.n > 0) {
                if ((st = ql_push(&neg, q)) == SILK_OK) {
                    neg.q[neg.n - 1] = neg.q[0];
                    neg.q[0] = q;
                    q = NULL;
                    st = silk_query_combine(SILK_OP_AND_NOT, neg.q, neg.n, 0, &q);
                }
            }
            ql_free(&l);
            ql_free(&neg);
            *out = q;
            return st;
        }
        return build_and(b, n, out);
    case SILK_QN_OR:
        return build_or(b, n, out);
    case SILK_QN_NOT:
        /* The parser puts NOT only inside an AND with a positive part. */
        return SILK_ERR_INVALID;
    case SILK_QN_WORD: {
        /* A word outside an AND (alone, or under OR): its synonyms still apply. */
        silk_qnode_t *const kids[1] = {(silk_qnode_t *)n};
        qlist_t l = {0};
        silk_status_t st = build_positives(b, kids, 1, 0, &l);
        if (st != SILK_OK) {
            ql_free(&l);
            return st;
        }
        return combine(&l, SILK_OP_OR, 0, out);
    }
    case SILK_QN_PHRASE:
        return build_phrase(b, n, n->field == SILK_QF_BODY ? new_id(b) : -1, out);
    case SILK_QN_PREFIX:
        return build_prefix(b, n, out);
    case SILK_QN_FILTER:
        return build_filter(n, out);
    }
    return SILK_ERR_INVALID;
}

silk_status_t silk_qbuild(const silk_qast_t *ast, silk_db_t *db, silk_tokenizer_t *tok,
                          const silk_qbuild_opts_t *o, silk_qbuilt_t **out, silk_qerror_t *err)
{
    silk_qerror_t local;
    silk_qbuild_opts_t defaults;
    if (o == NULL) {
        silk_qbuild_opts_init(&defaults);
        o = &defaults;
    }
    builder_t b = {.db = db,
                   .tok = tok,
                   .o = o,
                   .err = err ? err : &local,
                   .keyword = ast->nterms <= SILK_KEYWORD_QUERY_MAX_TERMS};
    b.err->status = SILK_OK;
    b.err->pos = -1;
    b.err->msg[0] = '\0';
    *out = NULL;
    silk_qbuilt_t *r = calloc(1, sizeof *r);
    if (r == NULL)
        return berr(&b, SILK_ERR_NOMEM, -1, "out of memory");
    r->prefix_pos = -1;
    b.out = r;
    silk_status_t st = build_node(&b, ast->root, &r->q);
    if (st != SILK_OK) {
        if (b.err->status == SILK_OK)
            bfail(&b, st, -1);
        silk_qbuilt_destroy(r);
        return st;
    }
    qmatch_finish(&r->m);
    *out = r;
    return SILK_OK;
}
