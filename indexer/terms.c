/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — one corpus document into one Xapian document. See terms.h. */
#include "terms.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/qword.h"

enum { EMIT_BODY, EMIT_FIELD, EMIT_AUTHOR };

/* State of the token callback while one document is built. */
typedef struct {
    silk_doc_t *doc;           /* the document */
    int mode;                  /* EMIT_* */
    const char *prefix;        /* field prefix (EMIT_FIELD) */
    unsigned wdf;              /* wdf of the unprefixed copy of a field word */
    uint32_t base;             /* position offset of the unprefixed copy */
    silk_terms_spell_cb spell; /* spelling sink (EMIT_BODY), may be NULL */
    void *ud;                  /* its argument */
    silk_status_t st;          /* first failure */
} emit_t;

static silk_status_t add_pfx(silk_doc_t *doc, const char *p1, const char *p2, const char *t,
                             size_t n, uint32_t pos, unsigned wdf, int boolean)
{
    char term[SILK_TERM_BUF];
    int len = snprintf(term, sizeof term, "%s%s%.*s", p1, p2, (int)n, t);
    if (len < 0 || (size_t)len >= sizeof term)
        return SILK_ERR_TOO_LARGE;
    if (boolean)
        return silk_doc_add_boolean_term(doc, term, (size_t)len);
    if (pos)
        return silk_doc_add_posting(doc, term, (size_t)len, pos, wdf);
    return silk_doc_add_term(doc, term, (size_t)len, wdf);
}

/* Characters of a valid UTF-8 string: the bytes that do not continue a sequence. */
static size_t utf8_len(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

int silk_terms_spelled(const silk_token_t *t)
{
    if ((t->kind != SILK_TOK_WORD && t->kind != SILK_TOK_OTHER) || utf8_len(t->term, t->len) < 3)
        return 0;
    /* A word with an ASCII digit (an id, a part number, a hash) is no spelling to suggest,
     * and such words are how a corpus gets an unbounded vocabulary: Xapian 1.4.22 corrupts a
     * spelling fragment whose word list grows past some hundred thousand words over several
     * commits ("Too few chunks of compressed data" at the next commit; p0..p434999 added
     * with a commit every 15,000 words is enough), which stopped the build of a file of a
     * million paragraphs `P1.` ... `P1000000.` at --flush-mb 4. */
    for (size_t i = 0; i < t->len; i++)
        if (t->term[i] >= '0' && t->term[i] <= '9')
            return 0;
    return 1;
}

static int emit_token(const silk_token_t *t, void *ud)
{
    emit_t *e = ud;
    silk_status_t st = SILK_OK;
    switch (e->mode) {
    case EMIT_BODY:
        st = silk_doc_add_posting(e->doc, t->term, t->len, t->pos, SILK_WDF_BODY);
        if (st == SILK_OK && t->stem)
            st = add_pfx(e->doc, SILK_PREFIX_STEM, "", t->stem, t->stem_len, 0, SILK_WDF_BODY, 0);
        if (st == SILK_OK && e->spell && silk_terms_spelled(t) &&
            e->spell(t->term, t->len, e->ud) != 0)
            st = SILK_ERR_NOMEM;
        break;
    case EMIT_FIELD:
        st = add_pfx(e->doc, e->prefix, "", t->term, t->len, t->pos, 1, 0);
        if (st == SILK_OK)
            st = silk_doc_add_posting(e->doc, t->term, t->len, e->base + t->pos, e->wdf);
        if (st == SILK_OK && t->stem) {
            st = add_pfx(e->doc, SILK_PREFIX_STEM, e->prefix, t->stem, t->stem_len, 0, 1, 0);
            if (st == SILK_OK)
                st = add_pfx(e->doc, SILK_PREFIX_STEM, "", t->stem, t->stem_len, 0, e->wdf, 0);
        }
        break;
    default:
        st = add_pfx(e->doc, SILK_PREFIX_AUTHOR, "", t->term, t->len, 0, 0, 1);
        break;
    }
    if (st != SILK_OK) {
        e->st = st;
        return 1;
    }
    return 0;
}

silk_status_t silk_terms_build_doc(silk_tokenizer_t *tok, const silk_corpus_doc_t *d,
                                   silk_terms_spell_cb spell, void *ud, silk_doc_t **out)
{
    *out = NULL;
    silk_doc_t *doc = silk_doc_new();
    char *json = NULL;
    silk_status_t st = SILK_ERR_NOMEM;
    if (!doc)
        goto fail;
    emit_t e = {doc, EMIT_BODY, "", 0, 0, spell, ud, SILK_OK};
    uint32_t next = 1;
    if ((st = silk_tokenize(tok, d->text, d->text_len, 1, emit_token, &e, &next)) != SILK_OK ||
        (st = e.st) != SILK_OK)
        goto fail;
    /* The title, then the section: prefixed for field queries, and unprefixed (boosted)
     * after the body with a gap so that no phrase spans them. */
    e.mode = EMIT_FIELD;
    e.prefix = SILK_PREFIX_TITLE;
    e.wdf = SILK_WDF_TITLE;
    e.base = next + SILK_TERMS_GAP;
    uint32_t fnext = 1;
    if ((st = silk_tokenize(tok, d->title, strlen(d->title), 1, emit_token, &e, &fnext)) !=
            SILK_OK ||
        (st = e.st) != SILK_OK)
        goto fail;
    e.prefix = SILK_PREFIX_SECTION;
    e.wdf = SILK_WDF_SECTION;
    e.base += fnext + SILK_TERMS_GAP;
    if ((st = silk_tokenize(tok, d->section, strlen(d->section), 1, emit_token, &e, NULL)) !=
            SILK_OK ||
        (st = e.st) != SILK_OK)
        goto fail;
    e.mode = EMIT_AUTHOR;
    for (size_t i = 0; i < d->nauthors; i++)
        if ((st = silk_tokenize(tok, d->authors[i], strlen(d->authors[i]), 1, emit_token, &e,
                                NULL)) != SILK_OK ||
            (st = e.st) != SILK_OK)
            goto fail;
    if ((st = add_pfx(doc, SILK_PREFIX_KIND, "", d->kind, strlen(d->kind), 0, 0, 1)) != SILK_OK)
        goto fail;
    char term[SILK_ID_MAX + 16];
    int n = snprintf(term, sizeof term, "%s%s", SILK_PREFIX_ARTICLE, d->article_name);
    if (n < 0 || (size_t)n >= sizeof term) {
        st = SILK_ERR_TOO_LARGE;
        goto fail;
    }
    if ((st = silk_doc_add_boolean_term(doc, term, (size_t)n)) != SILK_OK)
        goto fail;
    /* Value slots for facet counts (schema.h; SILK_SCHEMA_VERSION 2). */
    if ((st = silk_doc_add_string_value(doc, SILK_SLOT_KIND, d->kind, strlen(d->kind))) !=
            SILK_OK ||
        (st = silk_doc_add_string_value(doc, SILK_SLOT_ARTICLE, d->article_name,
                                        strlen(d->article_name))) != SILK_OK ||
        (st = silk_doc_add_string_value(doc, SILK_SLOT_SECTION, d->section,
                                        d->section ? strlen(d->section) : 0)) != SILK_OK)
        goto fail;
    /* The title as one key too, so that article: may name the article by its title. */
    char key[sizeof SILK_PREFIX_TITLEKEY + SILK_TITLE_KEY_MAX];
    size_t klen = 0;
    memcpy(key, SILK_PREFIX_TITLEKEY, sizeof SILK_PREFIX_TITLEKEY - 1);
    if ((st =
             silk_qwords_key(tok, d->title, strlen(d->title), key + sizeof SILK_PREFIX_TITLEKEY - 1,
                             SILK_TITLE_KEY_MAX + 1, &klen)) != SILK_OK)
        goto fail;
    if (klen > 0 && (st = silk_doc_add_boolean_term(
                         doc, key, sizeof SILK_PREFIX_TITLEKEY - 1 + klen)) != SILK_OK)
        goto fail;
    if (d->year) {
        n = snprintf(term, sizeof term, "%s%d", SILK_PREFIX_YEAR, d->year);
        if ((st = silk_doc_add_boolean_term(doc, term, (size_t)n)) != SILK_OK ||
            (st = silk_doc_add_value(doc, SILK_SLOT_YEAR, d->year)) != SILK_OK)
            goto fail;
    }
    for (size_t i = 0; i < d->ncites; i++) {
        n = snprintf(term, sizeof term, "%s%u", SILK_PREFIX_CITES, d->cites[i]);
        if ((st = silk_doc_add_boolean_term(doc, term, (size_t)n)) != SILK_OK)
            goto fail;
    }
    n = snprintf(term, sizeof term, "%s%s", SILK_PREFIX_UNIQUE, d->id);
    if (n < 0 || (size_t)n >= sizeof term) {
        st = SILK_ERR_TOO_LARGE;
        goto fail;
    }
    if ((st = silk_doc_add_boolean_term(doc, term, (size_t)n)) != SILK_OK)
        goto fail;
    size_t jlen = 0;
    st = SILK_ERR_NOMEM;
    if (!(json = silk_corpus_doc_json(d, &jlen)))
        goto fail;
    if ((st = silk_doc_set_data(doc, json, jlen)) != SILK_OK)
        goto fail;
    free(json);
    *out = doc;
    return SILK_OK;
fail:
    free(json);
    silk_doc_destroy(doc);
    return st;
}
