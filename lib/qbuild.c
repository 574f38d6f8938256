/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the query builder (include/silk/qbuild.h): the AST to a Xapian query through the C
 * API of include/silk/db.h, with the highlight matcher of the same terms.
 */
#include "silk/qbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"
#include "silk/morph.h"
#include "silk/qlist.h"
#include "silk/qword.h"
#include "silk/schema.h"

struct silk_qbuilt {
    silk_query_t *q;         /* the query */
    silk_qmatch_t *m;        /* highlight terms */
    long prefix_pos;         /* first prefix node, or -1 */
    silk_typo_fixes_t fixes; /* typo corrections made */
    int short_words;         /* words typos_short would correct */
};

void silk_qbuild_opts_init(silk_qbuild_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->mode = SILK_MODE_ALL;
    o->title_weight = SILK_TITLE_WEIGHT_DEFAULT;
    o->section_weight = SILK_SECTION_WEIGHT_DEFAULT;
    o->phrase_boost = SILK_PHRASE_BOOST_DEFAULT;
    o->typos = 1;
    o->keyword_terms = SILK_KEYWORD_QUERY_MAX_TERMS;
    o->window = 8;
}

void silk_qbuilt_destroy(silk_qbuilt_t *b)
{
    if (b == NULL)
        return;
    silk_query_destroy(b->q);
    silk_qmatch_destroy(b->m);
    silk_typo_fixes_free(&b->fixes);
    free(b);
}

const silk_query_t *silk_qbuilt_query(const silk_qbuilt_t *b)
{
    return b->q;
}

const silk_qmatch_t *silk_qbuilt_match(const silk_qbuilt_t *b)
{
    return b->m;
}

const silk_typo_fix_t *silk_qbuilt_corrections(const silk_qbuilt_t *b, size_t *n)
{
    *n = b->fixes.n;
    return b->fixes.v;
}

int silk_qbuilt_short_words(const silk_qbuilt_t *b)
{
    return b->short_words;
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
    return b->negated ? -1 : silk_qmatch_new_id(b->out->m);
}

/* The highlight id of a phrase: a new one in free text, none in a field. */
static int plain_id(builder_t *b, const silk_qnode_t *n)
{
    return n->field == SILK_QF_BODY ? new_id(b) : -1;
}

static silk_status_t bfail(builder_t *b, silk_status_t st, long pos)
{
    if (st == SILK_ERR_NOMEM)
        return silk_qerror_set(b->err, st, pos, "out of memory");
    return silk_qerror_set(b->err, st, pos, "cannot build the query: %s",
                           silk_status_to_string(st));
}

/* A term query for prefix + term. */
static silk_status_t tq(const char *prefix, const char *term, silk_query_t **out)
{
    char buf[SILK_QTERM_BUF];
    size_t n = silk_morph_join(buf, prefix, term);
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
    silk_qlist_t l = {0};
    silk_status_t st = silk_qlist_push(&l, q);
    silk_query_t *s = NULL;
    if (st == SILK_OK && title != NULL && b->o->title_weight > 0 && b->keyword) {
        if ((st = silk_query_scale(title, b->o->title_weight, &s)) == SILK_OK)
            st = silk_qlist_push(&l, s);
    }
    if (st == SILK_OK && section != NULL && b->o->section_weight > 0 && b->keyword) {
        if ((st = silk_query_scale(section, b->o->section_weight, &s)) == SILK_OK)
            st = silk_qlist_push(&l, s);
    }
    silk_query_destroy(title);
    silk_query_destroy(section);
    if (st != SILK_OK) {
        silk_qlist_free(&l);
        return st;
    }
    return silk_qlist_combine(&l, SILK_OP_OR, 0, out);
}

/* Counts `n` more expansion terms of the prefix or syllable node `at` against the bound of
 * the whole query. */
static silk_status_t count_expansion(builder_t *b, const silk_qnode_t *at, size_t n)
{
    if ((b->expanded += n) <= SILK_EXPANSION_TOTAL_MAX)
        return SILK_OK;
    return silk_qerror_set(b->err, SILK_ERR_TOO_BROAD, (long)at->start,
                           "prefixes are too broad (match more than %d terms together) at %zu",
                           SILK_EXPANSION_TOTAL_MAX, at->start);
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
    if (id >= 0 && silk_qmatch_add_prefix(b->out->m, id, n->term) != SILK_OK)
        return SILK_ERR_NOMEM;
    if (b->db == NULL)
        return silk_query_wildcard(pre, SILK_WILDCARD_MAX, out);
    /* Expanding here, not in Xapian, gives the error its position and lets the caller
     * know before running anything. */
    silk_qstrlist_t c;
    silk_status_t st = silk_qstrlist_terms(b->db, pre, SILK_WILDCARD_MAX + 1, &c);
    if (st == SILK_OK && c.n > SILK_WILDCARD_MAX)
        st = silk_qerror_set(b->err, SILK_ERR_TOO_BROAD, (long)n->start,
                             "prefix '%s*' is too broad (matches more than %d terms)", n->term,
                             SILK_WILDCARD_MAX);
    if (st == SILK_OK)
        st = count_expansion(b, n, c.n);
    if (st == SILK_OK)
        st = silk_qlist_synonym_of(&c, c.n, out);
    silk_qstrlist_free(&c);
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

/* The body query of one word (no synonyms): its stem, or its exact term when it has no
 * stem or was quoted; a lone CJK character also matches the bigrams it starts. `id` is the
 * highlight id (-1: none). */
static silk_status_t word_body(builder_t *b, const silk_qnode_t *n, int id, silk_query_t **out)
{
    silk_status_t st;
    silk_qmatch_t *m = b->out->m;
    if (n->stem != NULL) {
        st = tq(SILK_PREFIX_STEM, n->stem, out);
        if (st == SILK_OK && id >= 0 && silk_qmatch_add_stem(m, id, n->stem) != SILK_OK)
            st = SILK_ERR_NOMEM;
        return st;
    }
    if (b->db != NULL && is_lone_cjk(n)) {
        silk_qstrlist_t c;
        st = silk_qstrlist_terms(b->db, n->term, SILK_SYLLABLE_EXPANSION_MAX + 1, &c);
        if (st == SILK_OK)
            st = count_expansion(b, n, c.n);
        if (st == SILK_OK && c.n == 0) /* unknown: still a valid, empty term query */
            st = tq("", n->term, out);
        else if (st == SILK_OK)
            st = silk_qlist_synonym_of(
                &c, c.n < SILK_SYLLABLE_EXPANSION_MAX ? c.n : SILK_SYLLABLE_EXPANSION_MAX, out);
        silk_qstrlist_free(&c);
        if (st == SILK_OK && id >= 0 && silk_qmatch_add_prefix(m, id, n->term) != SILK_OK)
            st = SILK_ERR_NOMEM;
        return st;
    }
    if (b->db != NULL && !n->quoted && silk_morph_is_arabic(n->term))
        return silk_morph_query(b->db, n->term, m, id, out);
    st = tq("", n->term, out);
    if (st == SILK_OK && id >= 0 && silk_qmatch_add_term(m, id, n->term) != SILK_OK)
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

static silk_status_t phrase_core(builder_t *b, const silk_qnode_t *n, int id, silk_query_t **out)
{
    silk_status_t st;
    if (!n->quoted && n->field == SILK_QF_BODY &&
        ((b->o->mode == SILK_MODE_ANY && is_cjk_term(n->terms[0])) || b->o->relaxed)) {
        /* A Korean word of a question carries its particle (북한의, 북한은): as a phrase of
         * its bigrams it would match only that exact form. Ranked retrieval OR's the
         * bigrams instead, as CJK bigram search engines do, and BM25 favours the documents
         * that share most of them. The relaxed retry of an `all` search does the same with
         * any split word (Hwasong-15: hwasong or 15). */
        silk_qlist_t l = {0};
        st = SILK_OK;
        for (size_t i = 0; i < n->nterms && st == SILK_OK; i++) {
            silk_query_t *q = NULL;
            if ((st = tq("", n->terms[i], &q)) == SILK_OK)
                st = silk_qlist_push(&l, q);
            if (st == SILK_OK && id >= 0 &&
                silk_qmatch_add_piece(b->out->m, id, n->terms[i]) != SILK_OK)
                st = SILK_ERR_NOMEM;
        }
        if (st != SILK_OK) {
            silk_qlist_free(&l);
            return st;
        }
        return silk_qlist_combine(&l, SILK_OP_OR, 0, out);
    }
    if (n->field != SILK_QF_BODY)
        return silk_qlist_phrase(field_prefix(n->field), n->terms, n->nterms, out);
    silk_query_t *body = NULL, *title = NULL, *section = NULL;
    if ((st = silk_qlist_phrase("", n->terms, n->nterms, &body)) != SILK_OK)
        return st;
    if (b->keyword &&
        ((st = silk_qlist_phrase(SILK_PREFIX_TITLE, n->terms, n->nterms, &title)) != SILK_OK ||
         (st = silk_qlist_phrase(SILK_PREFIX_SECTION, n->terms, n->nterms, &section)) != SILK_OK)) {
        silk_query_destroy(body);
        silk_query_destroy(title);
        return st;
    }
    if (id >= 0 && silk_qmatch_add_phrase(b->out->m, id, n->terms, n->nterms) != SILK_OK) {
        silk_query_destroy(body);
        silk_query_destroy(title);
        silk_query_destroy(section);
        return SILK_ERR_NOMEM;
    }
    return with_fields(b, body, title, section, out);
}

/* body (owned; replaced) OR'ed with the typo corrections of word n, when it was typed
 * unquoted in free text (not inside a NOT: what is excluded stays exact). */
static silk_status_t typo_or(builder_t *b, const silk_qnode_t *n, int id, silk_query_t **body)
{
    if (!b->o->typos || b->db == NULL || b->negated || n->quoted ||
        (n->tok_kind != SILK_TOK_WORD && n->tok_kind != SILK_TOK_OTHER))
        return SILK_OK;
    size_t chars = silk_typo_chars(n->term, strlen(n->term));
    b->out->short_words += chars >= SILK_TYPO_SHORT_MIN_CHARS && chars < SILK_TYPO_MIN_CHARS;
    return silk_typo_expand(b->db, b->tok, n->term, n->stem, b->o->typos_short, b->out->m, id, body,
                            &b->out->fixes);
}

/* A phrase; an unquoted Hangul word of an all-words search also matches its stem: Z + stem
 * as the indexer stores the stems of Korean words, and a stem of two syllables also as the
 * bigram it is, which is how a word of two syllables is indexed (북한과 → 북한 finds 북한 and
 * 북한은). Ranked retrieval (`any`, relaxed) already ORs the word's bigrams, which match
 * every inflected form; the stem there only added weight and cost KorQuAD 0.002 nDCG@10. */
static silk_status_t build_phrase(builder_t *b, const silk_qnode_t *n, int id, silk_query_t **out)
{
    silk_status_t st = phrase_core(b, n, id, out);
    if (st != SILK_OK || n->stem == NULL || n->quoted || n->field != SILK_QF_BODY ||
        b->o->mode == SILK_MODE_ANY || b->o->relaxed)
        return st;
    silk_qlist_t l = {0};
    silk_query_t *q = NULL;
    int two = silk_typo_chars(n->stem, strlen(n->stem)) == 2;
    if ((st = silk_qlist_push(&l, *out)) == SILK_OK &&
        (st = tq(SILK_PREFIX_STEM, n->stem, &q)) == SILK_OK)
        st = silk_qlist_push(&l, q);
    if (st == SILK_OK && two && (st = tq("", n->stem, &q)) == SILK_OK)
        st = silk_qlist_push(&l, q);
    if (st == SILK_OK && id >= 0 &&
        (silk_qmatch_add_stem(b->out->m, id, n->stem) != SILK_OK ||
         (two && silk_qmatch_add_term(b->out->m, id, n->stem) != SILK_OK)))
        st = SILK_ERR_NOMEM;
    *out = NULL;
    if (st != SILK_OK) {
        silk_qlist_free(&l);
        return st;
    }
    return silk_qlist_combine(&l, SILK_OP_OR, 0, out);
}

/* A word or split word written as free text, with title/section boosts. */
static silk_status_t build_word(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    silk_status_t st;
    if (n->field != SILK_QF_BODY)
        return word_field(n, n->field, out);
    silk_query_t *body = NULL, *title = NULL, *section = NULL;
    int id = new_id(b);
    if ((st = word_body(b, n, id, &body)) != SILK_OK)
        return st;
    if ((st = typo_or(b, n, id, &body)) != SILK_OK) {
        silk_query_destroy(body);
        return st;
    }
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

/* article:V names the article by its file name (XA, as typed) or by its title (XT, the
 * title's key): `cites:32 article:"Iran–North Korea relations"` scopes the reference
 * number, which only means something inside one article, to that article. */
static silk_status_t build_article(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    char key[sizeof SILK_PREFIX_TITLEKEY + SILK_TITLE_KEY_MAX];
    size_t klen = 0;
    silk_query_t *q[2] = {NULL, NULL};
    silk_status_t st = tq(SILK_PREFIX_ARTICLE, n->value, &q[0]);
    if (st != SILK_OK)
        return st;
    memcpy(key, SILK_PREFIX_TITLEKEY, sizeof SILK_PREFIX_TITLEKEY - 1);
    if (b->tok != NULL && (st = silk_qwords_key(b->tok, n->value, strlen(n->value),
                                                key + sizeof SILK_PREFIX_TITLEKEY - 1,
                                                SILK_TITLE_KEY_MAX + 1, &klen)) != SILK_OK) {
        silk_query_destroy(q[0]);
        return st;
    }
    if (klen == 0) {
        *out = q[0];
        return SILK_OK;
    }
    if ((st = silk_query_term(key, sizeof SILK_PREFIX_TITLEKEY - 1 + klen, 1, 0, &q[1])) == SILK_OK)
        st = silk_query_combine(SILK_OP_OR, q, 2, 0, out);
    silk_query_destroy(q[0]);
    silk_query_destroy(q[1]);
    return st;
}

static silk_status_t build_filter(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    switch (n->filter) {
    case SILK_QFILTER_KIND:
        return tq(SILK_PREFIX_KIND, n->value, out);
    case SILK_QFILTER_ARTICLE:
        return build_article(b, n, out);
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

/* The terms of a WORD (one) or PHRASE node into terms[0, cap); returns how many. */
static size_t node_terms(const silk_qnode_t *n, char **terms, size_t cap)
{
    if (n->type == SILK_QN_WORD) {
        if (cap == 0)
            return 0;
        terms[0] = n->term;
        return 1;
    }
    size_t k = n->nterms < cap ? n->nterms : cap;
    memcpy(terms, n->terms, k * sizeof *terms);
    return k;
}

/* A synonym group is a handful of spellings; it is bounded anyway. */
#define SYNONYMS_MAX 16

/* The members of `key`'s synonym group (none without a database, or when the searcher
 * knows the key has none). */
static silk_status_t synonyms_of(builder_t *b, const char *key, size_t klen, silk_qstrlist_t *l)
{
    *l = (silk_qstrlist_t){.limit = SYNONYMS_MAX};
    if (b->db == NULL)
        return SILK_OK;
    if (b->o->has_synonyms != NULL && !b->o->has_synonyms(b->o->syn_ud, key, klen))
        return SILK_OK;
    silk_status_t st = silk_db_synonyms(b->db, key, silk_qstrlist_cb, l);
    if (st == SILK_OK)
        st = l->st;
    if (st != SILK_OK)
        silk_qstrlist_free(l);
    return st;
}

/* The body query of a synonym (text as stored in the synonym table): one word → its stem
 * or term, several words → their exact phrase. Highlight entries get `id`. */
static silk_status_t synonym_query(builder_t *b, const char *syn, int id, silk_query_t **out)
{
    silk_qwords_t l = {0};
    silk_status_t st = silk_qwords_tokenize(&l, b->tok, syn, strlen(syn), SILK_QUERY_MAX_TERMS);
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
        st = silk_qlist_phrase_alone(terms, l.n, b->o->syn_names, b->o->nsyn_names, out);
        if (st == SILK_OK && id >= 0 &&
            silk_qmatch_add_phrase(b->out->m, id, terms, l.n) != SILK_OK)
            st = SILK_ERR_NOMEM;
        free(terms);
    }
done:
    silk_qwords_free(&l);
    return st;
}

/* Words kids[i, i+k) (plain words) expanded with the synonyms of their joined key:
 * OP_SYNONYM(the words, each synonym). */
static silk_status_t build_synonym_group(builder_t *b, silk_qnode_t *const *kids, size_t k,
                                         const silk_qstrlist_t *syn, silk_query_t **out)
{
    silk_qlist_t l = {0}, words = {0};
    silk_status_t st = SILK_OK;
    int id0 = new_id(b);
    silk_query_t *q = NULL;
    /* One word highlights like any word; several are highlighted where they stand
     * together (a name such as "north korea"), not each "of" of the text. */
    int one = k == 1 && kids[0]->type == SILK_QN_WORD;
    char *terms[SILK_QUERY_MAX_TERMS];
    size_t nt = 0;
    for (size_t i = 0; i < k && st == SILK_OK; i++) {
        const silk_qnode_t *n = kids[i];
        nt += node_terms(n, terms + nt, SILK_QUERY_MAX_TERMS - nt);
        if (n->type == SILK_QN_WORD)
            st = word_body(b, n, one ? id0 : -1, &q);
        else
            st = silk_qlist_phrase("", n->terms, n->nterms, &q);
        if (st == SILK_OK)
            st = silk_qlist_push(&words, q);
    }
    if (st == SILK_OK && !one && id0 >= 0 &&
        silk_qmatch_add_phrase(b->out->m, id0, terms, nt) != SILK_OK)
        st = SILK_ERR_NOMEM;
    if (st == SILK_OK && (st = silk_qlist_combine(&words, SILK_OP_AND, 0, &q)) == SILK_OK)
        st = silk_qlist_push(&l, q);
    for (size_t i = 0; i < syn->n && st == SILK_OK; i++) {
        if ((st = synonym_query(b, syn->s[i], id0, &q)) == SILK_OK)
            st = silk_qlist_push(&l, q);
    }
    if (st != SILK_OK) {
        silk_qlist_free(&words);
        silk_qlist_free(&l);
        return st;
    }
    if ((st = silk_qlist_combine(&l, SILK_OP_SYNONYM, 0, &q)) != SILK_OK)
        return st;
    if (!one || !b->keyword) {
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

/* A plain word (unquoted free text), also one the tokenizer split: what a synonym key is
 * made of. */
static int is_syn_word(const silk_qnode_t *n)
{
    return (n->type == SILK_QN_WORD || n->type == SILK_QN_PHRASE) && !n->quoted &&
           n->field == SILK_QF_BODY;
}

/* Builds the positive kids of an AND (or the operands of an OR) into l; under an AND,
 * groups runs of plain words that form a synonym key (longest first, up to
 * SILK_SYNONYM_MAX_WORDS words). */
static silk_status_t build_positives(builder_t *b, silk_qnode_t *const *kids, size_t nkids,
                                     int multi, silk_qlist_t *l)
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
                /* The key is the words' terms joined by one space, as the indexer stores
                 * each member: a split word (jong-un, 김정은) adds all its pieces. */
                char key[SILK_QUERY_MAX_TERMS * (SILK_TERM_MAX + 1)];
                char *terms[SILK_QUERY_MAX_TERMS];
                size_t kl = 0, nt = 0, j;
                for (j = 0; i + k <= nkids && j < k && is_syn_word(kids[i + j]); j++)
                    nt += node_terms(kids[i + j], terms + nt, SILK_QUERY_MAX_TERMS - nt);
                if (j < k)
                    continue;
                for (size_t t = 0; t < nt; t++) {
                    size_t tl = strlen(terms[t]);
                    if (t > 0)
                        key[kl++] = ' ';
                    memcpy(key + kl, terms[t], tl);
                    kl += tl;
                }
                key[kl] = '\0';
                silk_qstrlist_t syn;
                if ((st = synonyms_of(b, key, kl, &syn)) != SILK_OK)
                    return st;
                if (syn.n > 0) {
                    st = build_synonym_group(b, kids + i, k, &syn, &q);
                    grouped = 1;
                    used = k;
                }
                silk_qstrlist_free(&syn);
                if (st != SILK_OK)
                    return st;
            }
        }
        if (!grouped && (st = n->type == SILK_QN_WORD     ? build_word(b, n, &q)
                              : n->type == SILK_QN_PHRASE ? build_phrase(b, n, plain_id(b, n), &q)
                                                          : build_node(b, n, &q)) != SILK_OK)
            return st;
        st = silk_qlist_push(l, q);
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
    if (b->o->phrase_boost <= 0 && (b->keyword || b->o->proximity <= 0))
        return SILK_OK;
    for (size_t i = 0; i < nkids; i++) {
        const silk_qnode_t *n = kids[i];
        if (!silk_qnode_is_plain(n))
            continue;
        nw++;
        if (n->type == SILK_QN_WORD && nt < SILK_QUERY_MAX_TERMS)
            terms[nt++] = n->term;
        for (size_t k = 0; n->type == SILK_QN_PHRASE && k < n->nterms; k++)
            if (nt < SILK_QUERY_MAX_TERMS)
                terms[nt++] = n->terms[k];
    }
    /* A question of many words rarely has them side by side, and a long phrase costs a
     * position check per candidate: the phrase is for keyword queries, longer ones get the
     * pairs of consecutive words within a window when asked for. */
    if (nw < 2 || nt < 2)
        return SILK_OK;
    if (!b->keyword)
        return b->o->proximity > 0 ? silk_qlist_pairs(terms, nt, b->o->window ? b->o->window : 8,
                                                      b->o->proximity, out)
                                   : SILK_OK;
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
    st = silk_qlist_phrase("", terms, nt, &ph);
    if (st == SILK_OK)
        st = scaled(ph, b->o->phrase_boost, out);
    return st;
}

/* The kids of a relaxed AND without its stopwords, into keep (n slots), when some other
 * word remains (else all of them: `the who` is all the user asked for). Returns how many. */
static size_t content_kids(silk_qnode_t *const *kids, size_t n, silk_qnode_t **keep)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (kids[i]->type != SILK_QN_WORD || !silk_qword_is_stopword(kids[i]->term))
            keep[k++] = kids[i];
    if (k == 0)
        memcpy(keep, kids, (k = n) * sizeof *kids);
    return k;
}

static silk_status_t build_and(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    silk_qlist_t pos = {0}, filt = {0}, neg = {0};
    silk_query_t *main = NULL, *q = NULL, *bonus = NULL;
    silk_qnode_t *kept[SILK_QUERY_MAX_TERMS];
    size_t nk = n->nkids;
    silk_qnode_t *const *kids = n->kids;
    /* The relaxed OR ranks by the words that tell documents apart: a stopword would
     * match nearly every document and carry the ranking (`axis of evl` on "of"). */
    int any = b->o->mode == SILK_MODE_ANY && !n->explicit_and;
    if ((b->o->relaxed || (any && b->o->stopwords)) && nk <= SILK_QUERY_MAX_TERMS) {
        nk = content_kids(n->kids, nk, kept);
        kids = kept;
    }
    silk_status_t st = build_positives(b, kids, nk, 1, &pos);
    for (size_t i = 0; i < n->nkids && st == SILK_OK; i++) {
        const silk_qnode_t *k = n->kids[i];
        if (k->type == SILK_QN_NOT) {
            b->negated++;
            st = build_node(b, k->kids[0], &q);
            b->negated--;
            if (st == SILK_OK)
                st = silk_qlist_push(&neg, q);
        } else if (is_filter(k)) {
            if ((st = build_node(b, k, &q)) == SILK_OK)
                st = silk_qlist_push(&filt, q);
        }
    }
    if (st != SILK_OK)
        goto fail;
    if (pos.n == 0) {
        /* Only filters: every document they allow, unweighted. */
        if ((st = silk_query_match_all(&main)) != SILK_OK)
            goto fail;
    } else {
        if ((st = silk_qlist_combine(&pos, any ? SILK_OP_OR : SILK_OP_AND, 0, &main)) != SILK_OK)
            goto fail;
        if ((st = phrase_bonus(b, b->keyword ? n->kids : kids, b->keyword ? n->nkids : nk,
                               &bonus)) != SILK_OK)
            goto fail;
        if (bonus != NULL) {
            silk_query_t *pair[2] = {main, bonus};
            /* OR, not AND_MAYBE: the phrase matches only documents that main matches
             * anyway, and Xapian then reads it as a stream instead of skipping to every
             * candidate of main (50 ms for "the envelope" in `any` mode). The word pairs
             * of a long query match documents without every word: under an all-words
             * AND they may only add weight (AND_MAYBE). */
            silk_op_t op = !b->keyword && !any ? SILK_OP_AND_MAYBE : SILK_OP_OR;
            st = silk_query_combine(op, pair, 2, 0, &q);
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
    /* main goes first: FILTER keeps the first subquery's weight only. */
    if (filt.n > 0 &&
        (st = silk_qlist_combine_first(&filt, main, SILK_OP_FILTER, &main)) != SILK_OK)
        goto fail;
    if (neg.n > 0 && (st = silk_qlist_combine_first(&neg, main, SILK_OP_AND_NOT, &main)) != SILK_OK)
        goto fail;
    silk_qlist_free(&pos);
    silk_qlist_free(&filt);
    silk_qlist_free(&neg);
    *out = main;
    return SILK_OK;
fail:
    silk_qlist_free(&pos);
    silk_qlist_free(&filt);
    silk_qlist_free(&neg);
    silk_query_destroy(main);
    return st;
}

static silk_status_t build_or(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    silk_qlist_t l = {0};
    silk_status_t st = SILK_OK;
    if (is_filter(n)) {
        for (size_t i = 0; i < n->nkids && st == SILK_OK; i++) {
            silk_query_t *q = NULL;
            if ((st = build_node(b, n->kids[i], &q)) == SILK_OK)
                st = silk_qlist_push(&l, q);
        }
    } else {
        st = build_positives(b, n->kids, n->nkids, 0, &l);
        /* A filter among OR'ed words widens the match; it adds no weight. */
        for (size_t i = 0; i < n->nkids && st == SILK_OK; i++) {
            silk_query_t *q = NULL;
            if (is_filter(n->kids[i]) && (st = build_node(b, n->kids[i], &q)) == SILK_OK)
                st = silk_qlist_push(&l, q);
        }
    }
    if (st != SILK_OK) {
        silk_qlist_free(&l);
        return st;
    }
    return silk_qlist_combine(&l, SILK_OP_OR, 0, out);
}

static silk_status_t build_node(builder_t *b, const silk_qnode_t *n, silk_query_t **out)
{
    *out = NULL;
    switch (n->type) {
    case SILK_QN_AND:
        if (is_filter(n)) { /* author:"two words", (kind:x -year:y): unweighted */
            silk_qlist_t l = {0}, neg = {0};
            silk_status_t st = SILK_OK;
            for (size_t i = 0; i < n->nkids && st == SILK_OK; i++) {
                silk_query_t *q = NULL;
                const silk_qnode_t *k = n->kids[i];
                if ((st = build_node(b, k->type == SILK_QN_NOT ? k->kids[0] : k, &q)) == SILK_OK)
                    st = silk_qlist_push(k->type == SILK_QN_NOT ? &neg : &l, q);
            }
            silk_query_t *q = NULL;
            if (st == SILK_OK)
                st = silk_qlist_combine(&l, SILK_OP_AND, 0, &q);
            if (st == SILK_OK && neg.n > 0)
                st = silk_qlist_combine_first(&neg, q, SILK_OP_AND_NOT, &q);
            silk_qlist_free(&l);
            silk_qlist_free(&neg);
            *out = q;
            return st;
        }
        return build_and(b, n, out);
    case SILK_QN_OR:
        return build_or(b, n, out);
    case SILK_QN_NOT:
        /* The parser puts NOT only inside an AND with a positive part. */
        return SILK_ERR_INVALID;
    case SILK_QN_WORD:
    word : {
        /* A word outside an AND (alone, or under OR): its synonyms still apply. */
        silk_qnode_t *const kids[1] = {(silk_qnode_t *)n};
        silk_qlist_t l = {0};
        silk_status_t st = build_positives(b, kids, 1, 0, &l);
        if (st != SILK_OK) {
            silk_qlist_free(&l);
            return st;
        }
        return silk_qlist_combine(&l, SILK_OP_OR, 0, out);
    }
    case SILK_QN_PHRASE:
        if (is_syn_word(n))
            goto word; /* a split word alone may be a synonym key too (김정은, jong-un) */
        return build_phrase(b, n, plain_id(b, n), out);
    case SILK_QN_PREFIX:
        return build_prefix(b, n, out);
    case SILK_QN_FILTER:
        return build_filter(b, n, out);
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
                   .keyword = silk_qast_term_count(ast) <= o->keyword_terms};
    silk_qerror_clear(b.err);
    *out = NULL;
    silk_qbuilt_t *r = calloc(1, sizeof *r);
    if (r == NULL || (r->m = silk_qmatch_new()) == NULL) {
        free(r);
        return silk_qerror_set(b.err, SILK_ERR_NOMEM, -1, "out of memory");
    }
    r->prefix_pos = -1;
    b.out = r;
    silk_status_t st = build_node(&b, silk_qast_root(ast), &r->q);
    if (st != SILK_OK) {
        if (b.err->status == SILK_OK)
            bfail(&b, st, -1);
        silk_qbuilt_destroy(r);
        return st;
    }
    silk_qmatch_finish(r->m);
    *out = r;
    return SILK_OK;
}
