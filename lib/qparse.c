/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the query parser (include/silk/qparse.h): a recursive-descent parser over a tiny
 * lexer, from query text to the AST of include/silk/qast.h.
 *
 * Words are normalized by the same tokenizer that indexes documents (through qword.h), so
 * what a user types matches what the indexer stored. Every error carries the byte offset
 * where it was found.
 */
#include "silk/qparse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "silk/qword.h"
#include "silk/schema.h"

typedef struct {
    silk_tokenizer_t *tok; /* normalizes words */
    const char *q;         /* the query text */
    size_t len;            /* its length */
    size_t i;              /* read position */
    int depth;             /* parenthesis depth */
    size_t nterms;         /* leaf terms so far */
    silk_qerror_t *err;    /* where errors go (never NULL inside the parser) */
    silk_qwords_t words;   /* tokens of the word being parsed */
} parser_t;

/* Records the first error, with its position kept inside the query text. */
static silk_status_t perr(parser_t *p, silk_status_t st, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static silk_status_t perr(parser_t *p, silk_status_t st, size_t pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    st = silk_qerror_vset(p->err, st, (long)(pos > p->len ? p->len : pos), fmt, ap);
    va_end(ap);
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

/* A phrase longer than the term bound is refused by the caller; collecting stops a little
 * beyond it so a 4 KiB quote costs nothing. */
#define WORDS_MAX (SILK_QUERY_MAX_TERMS + 2)

/* Tokenizes q[s, e) into p->words. */
static silk_status_t tokenize(parser_t *p, size_t s, size_t e)
{
    if (silk_qwords_tokenize(&p->words, p->tok, p->q + s, e - s, WORDS_MAX) != SILK_OK)
        return oom(p);
    return SILK_OK;
}

static silk_qnode_t *node_new(parser_t *p, silk_qnode_type_t type, size_t s, size_t e)
{
    silk_qnode_t *n = silk_qnode_new(type, s, e);
    if (n == NULL)
        oom(p);
    return n;
}

/* Gives kid to parent (kid is freed on failure). */
static silk_status_t add_kid(parser_t *p, silk_qnode_t *parent, silk_qnode_t *kid)
{
    if (silk_qnode_add_kid(parent, kid) != SILK_OK)
        return oom(p);
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

static silk_qnode_t *word_node(parser_t *p, const silk_qword_t *w, size_t s, size_t e,
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
        silk_qnode_destroy(n);
        oom(p);
        return NULL;
    }
    return n;
}

/* The node of the words in p->words.w[from, to): nothing, a word or a phrase. */
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
        *out = word_node(p, &p->words.w[from], s, e, field, quoted);
        return *out ? SILK_OK : p->err->status;
    }
    silk_qnode_t *ph = node_new(p, SILK_QN_PHRASE, s, e);
    if (ph == NULL)
        return p->err->status;
    ph->field = field;
    ph->quoted = quoted;
    ph->terms = calloc(n, sizeof *ph->terms);
    if (ph->terms == NULL) {
        silk_qnode_destroy(ph);
        return oom(p);
    }
    for (size_t i = 0; i < n; i++) {
        ph->terms[i] = strdup(p->words.w[from + i].term);
        if (ph->terms[i] == NULL) {
            silk_qnode_destroy(ph);
            return oom(p);
        }
        ph->nterms++;
    }
    /* A Hangul word's light stem comes on its first bigram (text.h): unquoted, the word
     * also matches the words of the same stem (대통령이 → 대통령은). */
    const silk_qword_t *w0 = &p->words.w[from];
    if (!quoted && w0->kind == SILK_TOK_CJK && w0->has_stem &&
        (ph->stem = strdup(w0->stem)) == NULL) {
        silk_qnode_destroy(ph);
        return oom(p);
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
        st = words_node(p, 0, p->words.n, start, p->i, field, 1, out);
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
        silk_qnode_destroy(n);
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
        if (star && p->words.n == 1 && p->words.w[0].kind != SILK_TOK_CJK) {
            if ((st = count_terms(p, 1, s)) != SILK_OK)
                return st;
            silk_qnode_t *n = node_new(p, SILK_QN_PREFIX, s, e);
            if (n == NULL)
                return p->err->status;
            n->field = qf;
            n->tok_kind = p->words.w[0].kind;
            if ((n->term = strdup(p->words.w[0].term)) == NULL) {
                silk_qnode_destroy(n);
                return oom(p);
            }
            *out = n;
            return SILK_OK;
        }
        return words_node(p, 0, p->words.n, s, e, qf, quoted, out);
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
        /* kind is a closed set: an unknown value would silently match nothing, which
         * reads as "no such documents" instead of "no such kind". */
        if (f == F_KIND && !silk_kind_is_known(norm, nn))
            return perr(p, SILK_ERR_BAD_QUERY, vs,
                        "unknown kind '%.*s' at %zu (valid: " SILK_KINDS_LIST ")", (int)nn, norm,
                        vs);
        if ((st = count_terms(p, 1, s)) != SILK_OK)
            return st;
        *out =
            filter_node(p, f == F_KIND ? SILK_QFILTER_KIND : SILK_QFILTER_ARTICLE, norm, nn, s, e);
        return *out ? SILK_OK : p->err->status;
    }
    case F_AUTHOR: {
        if ((st = tokenize(p, vs, ve)) != SILK_OK)
            return st;
        if (p->words.n == 0)
            return perr(p, SILK_ERR_BAD_QUERY, vs, "malformed author value at %zu", vs);
        if ((st = count_terms(p, p->words.n, s)) != SILK_OK)
            return st;
        silk_qnode_t *and = NULL;
        if (p->words.n > 1 && (and = node_new(p, SILK_QN_AND, s, e)) == NULL)
            return p->err->status;
        for (size_t i = 0; i < p->words.n; i++) {
            silk_qnode_t *n = filter_node(p, SILK_QFILTER_AUTHOR, p->words.w[i].term,
                                          strlen(p->words.w[i].term), s, e);
            if (n == NULL) {
                silk_qnode_destroy(and);
                return p->err->status;
            }
            if (and == NULL) {
                *out = n;
                return SILK_OK;
            }
            if ((st = add_kid(p, and, n)) != SILK_OK) {
                silk_qnode_destroy(and);
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
    size_t n = p->words.n;
    if (te == e || n == 0 || p->words.w[n - 1].kind == SILK_TOK_CJK)
        return words_node(p, 0, n, s, e, SILK_QF_BODY, 0, out);
    /* `nucl*`: a prefix; `U.S.-le*`: the whole words, then the prefix of the last. */
    silk_qnode_t *pre = NULL, *and = NULL, *lead = NULL;
    if ((st = count_terms(p, 1, s)) != SILK_OK)
        return st;
    if ((pre = node_new(p, SILK_QN_PREFIX, s, e)) == NULL)
        return p->err->status;
    pre->tok_kind = p->words.w[n - 1].kind;
    if ((pre->term = strdup(p->words.w[n - 1].term)) == NULL) {
        silk_qnode_destroy(pre);
        return oom(p);
    }
    if (n == 1) {
        *out = pre;
        return SILK_OK;
    }
    if ((st = words_node(p, 0, n - 1, s, e, SILK_QF_BODY, 0, &lead)) != SILK_OK ||
        (and = node_new(p, SILK_QN_AND, s, e)) == NULL) {
        silk_qnode_destroy(pre);
        silk_qnode_destroy(lead);
        return p->err->status;
    }
    st = add_kid(p, and, lead);
    if (st == SILK_OK)
        st = add_kid(p, and, pre);
    else
        silk_qnode_destroy(pre);
    if (st != SILK_OK) {
        silk_qnode_destroy(and);
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
            silk_qnode_destroy(n);
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
            silk_qnode_destroy(n);
            n = k;
        } else {
            silk_qnode_t *nn = node_new(p, SILK_QN_NOT, negpos, p->i);
            if (nn == NULL || add_kid(p, nn, n) != SILK_OK) {
                if (nn == NULL)
                    silk_qnode_destroy(n);
                silk_qnode_destroy(nn);
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
                silk_qnode_destroy(and);
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
        silk_qnode_destroy(and);
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
        silk_qnode_destroy(and);
        return SILK_OK;
    }
    *out = and;
    return SILK_OK;
fail:
    silk_qnode_destroy(and);
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
                silk_qnode_destroy(n);
                st = p->err->status;
                goto fail;
            }
            if ((st = add_kid(p, or, first)) != SILK_OK) {
                first = NULL;
                silk_qnode_destroy(n);
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
    silk_qnode_destroy(first);
    silk_qnode_destroy(or);
    return st;
}

silk_status_t silk_qparse(silk_tokenizer_t *tok, const char *q, size_t len, silk_qast_t **out,
                          silk_qerror_t *err)
{
    silk_qerror_t local;
    parser_t p = {.tok = tok, .q = q, .len = len, .err = err ? err : &local};
    silk_qnode_t *root = NULL;
    silk_qast_t *ast = NULL;
    silk_status_t st;
    silk_qerror_clear(p.err);
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
    if (silk_qast_new(root, p.nterms, &ast) != SILK_OK) {
        st = oom(&p);
        goto fail;
    }
    silk_qwords_free(&p.words);
    *out = ast;
    return SILK_OK;
fail:
    silk_qnode_destroy(root);
    silk_qwords_free(&p.words);
    return st;
}
