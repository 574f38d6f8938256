/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the article and its document builder (article.h). */
#include "article.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cite.h"
#include "silk/hash.h"
#include "silk/normalize.h"
#include "silk/schema.h"

struct silk_article {
    char *title;             /* the article title ("" when none) */
    silk_corpus_doc_t *docs; /* the documents, in file order */
    size_t ndocs;            /* documents used */
    size_t cap;              /* documents allocated */
    silk_strvec_t problems;  /* "FILE:LINE: reason" messages */
};

struct silk_builder {
    silk_article_t *a;         /* the article being built */
    const char *name;          /* article name (borrowed) */
    const char *path;          /* file name for messages (borrowed) */
    unsigned npara;            /* paragraphs so far */
    unsigned nread;            /* readings so far */
    silk_refs_t refs;          /* the references so far, numbered */
    int seen_heading;          /* a section heading came already: paragraphs are not lead */
    char **ids;                /* hash set of the ids of raw documents (NULL: empty slot) */
    silk_arena_t id_strs;      /* where those ids are */
    size_t ids_cap;            /* slots (a power of two) */
    size_t ids_used;           /* slots used */
    silk_buf_t text;           /* scratch: the text of the document being added */
    silk_buf_t table;          /* scratch: a table rendered before it becomes a paragraph */
    silk_strvec_t names;       /* scratch: the authors of the item being added */
    silk_doc_sink_t sink;      /* NULL: the article keeps every document */
    void *sink_ud;             /* passed to sink */
    int hold;                  /* a reference came: documents wait for finish (cited_by) */
    char *first_title;         /* the title of the first document handed on */
    silk_corpus_doc_t *citers; /* documents handed on that cite: "#anchor" and cites */
    size_t nciters, citers_cap;
};

/* ---- the article --------------------------------------------------------------------------- */

void silk_article_destroy(silk_article_t *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->ndocs; i++)
        silk_corpus_doc_clear(&a->docs[i]);
    free(a->docs);
    free(a->title);
    silk_strvec_free(&a->problems);
    free(a);
}

const char *silk_article_title(const silk_article_t *a)
{
    return a->title ? a->title : "";
}

size_t silk_article_count(const silk_article_t *a)
{
    return a->ndocs;
}

const silk_corpus_doc_t *silk_article_doc(const silk_article_t *a, size_t i)
{
    return i < a->ndocs ? &a->docs[i] : NULL;
}

size_t silk_article_problem_count(const silk_article_t *a)
{
    return a->problems.n;
}

const char *silk_article_problem(const silk_article_t *a, size_t i)
{
    return i < a->problems.n ? a->problems.v[i] : NULL;
}

/* ---- sections ------------------------------------------------------------------------------ */

/* The standard headings of reference and reading sections, in the languages silk indexes
 * (English, French, German, Spanish, Russian, Korean, Persian), as Wikipedia writes them;
 * compared after silk's normalization (case and accent folding, Arabic-script folds), so
 * "REFERENCES" and "References" and "Références" are one heading. */
static const char *const ref_headings[] = {
    "references",
    "citations",
    "footnotes",
    "notes and references",
    "sources",
    "références",
    "notes et références", /* fr */
    "quellen",
    "einzelnachweise",
    "literatur",   /* de */
    "referencias", /* es */
    "источники",
    "примечания",
    "литература", /* ru */
    "참고 문헌",
    "참고문헌",
    "각주", /* ko */
    "منابع",
    "پانویس", /* fa */
};
static const char *const reading_headings[] = {
    "further reading",
    "bibliography",
    "lectures complémentaires",
    "bibliographie",            /* fr */
    "weiterführende literatur", /* de */
    "lecturas adicionales",
    "bibliografía",              /* es */
    "дополнительная литература", /* ru */
    "더 읽을거리",               /* ko */
    "برای مطالعهٔ بیشتر",
    "برای مطالعه بیشتر", /* fa */
};

/* Whether the normalized heading h[0, hn) is one of names[0, n), normalized by nm. */
static int heading_in(silk_norm_t *nm, const char *h, size_t hn, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *o = NULL;
        size_t on = 0;
        if (silk_norm_text(nm, names[i], strlen(names[i]), &o, &on) == SILK_OK && on == hn &&
            memcmp(o, h, hn) == 0)
            return 1;
    }
    return 0;
}

silk_section_kind_t silk_section_kind(const char *s, size_t n)
{
    silk_norm_t *nm = NULL;
    char *o = NULL, *h = NULL;
    size_t on = 0;
    silk_section_kind_t k = SILK_SECTION_PROSE;
    /* A heading is a few words: a longer line is prose whatever it starts with. */
    if (n == 0 || n > 128 || silk_norm_new(&nm) != SILK_OK)
        return k;
    if (silk_norm_text(nm, s, n, &o, &on) == SILK_OK && (h = strndup(o, on)) != NULL) {
        if (heading_in(nm, h, on, ref_headings, sizeof ref_headings / sizeof *ref_headings))
            k = SILK_SECTION_REFS;
        else if (heading_in(nm, h, on, reading_headings,
                            sizeof reading_headings / sizeof *reading_headings))
            k = SILK_SECTION_READING;
    }
    free(h);
    silk_norm_destroy(nm);
    return k;
}

/* ---- the builder --------------------------------------------------------------------------- */

silk_status_t silk_builder_create(const char *name, const char *path, silk_builder_t **out)
{
    *out = NULL;
    silk_builder_t *b = calloc(1, sizeof *b);
    if (!b || !(b->a = calloc(1, sizeof *b->a))) {
        free(b);
        return SILK_ERR_NOMEM;
    }
    b->name = name;
    b->path = path;
    *out = b;
    return SILK_OK;
}

/* Frees what b owns besides the article. */
static void builder_free(silk_builder_t *b)
{
    silk_refs_free(&b->refs);
    silk_arena_free(&b->id_strs);
    free(b->ids);
    for (size_t i = 0; i < b->nciters; i++)
        silk_corpus_doc_clear(&b->citers[i]);
    free(b->citers);
    free(b->first_title);
    silk_buf_free(&b->text);
    silk_buf_free(&b->table);
    silk_strvec_free(&b->names);
    free(b);
}

void silk_builder_destroy(silk_builder_t *b)
{
    if (!b)
        return;
    silk_article_destroy(b->a);
    builder_free(b);
}

void silk_builder_set_sink(silk_builder_t *b, silk_doc_sink_t sink, void *ud)
{
    b->sink = sink;
    b->sink_ud = ud;
}

/* Hands the documents built so far to the sink and frees them, unless they wait for their
 * cited_by (b->hold). A document that cites keeps its anchor and cites in b->citers. */
static silk_status_t drain(silk_builder_t *b)
{
    silk_article_t *a = b->a;
    if (!b->sink || b->hold)
        return SILK_OK;
    silk_status_t st = SILK_OK;
    size_t i = 0;
    for (; i < a->ndocs && st == SILK_OK; i++) {
        silk_corpus_doc_t *d = &a->docs[i];
        if (!b->first_title && !(b->first_title = strdup(d->title ? d->title : "")))
            st = SILK_ERR_NOMEM;
        if (st == SILK_OK)
            st = b->sink(d, b->sink_ud);
        if (st == SILK_OK && d->ncites) {
            if (SILK_GROW(b->citers, b->citers_cap, b->nciters + 1) != SILK_OK) {
                st = SILK_ERR_NOMEM;
            } else {
                silk_corpus_doc_t *c = &b->citers[b->nciters];
                memset(c, 0, sizeof *c);
                if (asprintf(&c->id, "#%s", silk_corpus_doc_anchor(d)) < 0) {
                    c->id = NULL;
                    st = SILK_ERR_NOMEM;
                } else {
                    c->cites = d->cites, c->ncites = d->ncites;
                    d->cites = NULL, d->ncites = 0;
                    b->nciters++;
                }
            }
        }
        silk_corpus_doc_clear(d);
    }
    /* Documents not handed on (an error) are freed too: the run fails. */
    for (; i < a->ndocs; i++)
        silk_corpus_doc_clear(&a->docs[i]);
    a->ndocs = 0;
    return st;
}

/* Fills the cited_by of the held references from the documents handed on (b->citers,
 * before them in the file) and the held ones, in document order. */
static silk_status_t link_refs(silk_builder_t *b)
{
    silk_article_t *a = b->a;
    if (!b->nciters)
        return silk_refs_link(&b->refs, a->docs, a->ndocs);
    size_t n = b->nciters + a->ndocs;
    silk_corpus_doc_t *all = malloc(n * sizeof *all);
    if (!all)
        return SILK_ERR_NOMEM;
    memcpy(all, b->citers, b->nciters * sizeof *all);
    if (a->ndocs)
        memcpy(all + b->nciters, a->docs, a->ndocs * sizeof *all);
    for (unsigned k = 0; k < b->refs.n; k++)
        b->refs.doc[k] += b->nciters;
    silk_status_t st = silk_refs_link(&b->refs, all, n);
    for (unsigned k = 0; k < b->refs.n; k++)
        b->refs.doc[k] -= b->nciters;
    /* The references' cited_by were set in the copies. */
    if (a->ndocs)
        memcpy(a->docs, all + b->nciters, a->ndocs * sizeof *all);
    free(all);
    return st;
}

silk_status_t silk_builder_finish(silk_builder_t *b, int link, silk_article_t **out)
{
    silk_article_t *a = b->a;
    silk_status_t st = SILK_ERR_NOMEM;
    *out = NULL;
    if (link && link_refs(b) != SILK_OK)
        goto fail;
    if (!a->title) {
        const char *t = b->first_title ? b->first_title : a->ndocs ? a->docs[0].title : "";
        if (!(a->title = strdup(t)))
            goto fail;
    }
    b->hold = 0;
    if ((st = drain(b)) != SILK_OK)
        goto fail;
    builder_free(b);
    *out = a;
    return SILK_OK;
fail:
    silk_builder_destroy(b);
    return st;
}

const char *silk_builder_name(const silk_builder_t *b)
{
    return b->name;
}

silk_status_t silk_builder_set_title(silk_builder_t *b, const char *s, size_t n)
{
    char *t = strndup(s, n);
    if (!t)
        return SILK_ERR_NOMEM;
    free(b->a->title);
    b->a->title = t;
    return SILK_OK;
}

int silk_builder_has_title(const silk_builder_t *b)
{
    return b->a->title != NULL;
}

void silk_builder_heading_seen(silk_builder_t *b)
{
    b->seen_heading = 1;
}

unsigned silk_builder_paragraphs(const silk_builder_t *b)
{
    return b->npara;
}

silk_corpus_doc_t *silk_builder_raw_doc(silk_builder_t *b)
{
    silk_article_t *a = b->a;
    if (drain(b) != SILK_OK)
        return NULL;
    if (SILK_GROW(a->docs, a->cap, a->ndocs + 1) != SILK_OK)
        return NULL;
    silk_corpus_doc_t *d = &a->docs[a->ndocs++];
    memset(d, 0, sizeof *d);
    return d;
}

void silk_builder_drop_doc(silk_builder_t *b)
{
    silk_article_t *a = b->a;
    if (a->ndocs)
        silk_corpus_doc_clear(&a->docs[--a->ndocs]);
}

/* A new document with id "<name>#<anchor>" in section `section` (NULL: none), carrying the
 * article title; NULL when out of memory (the half-made document stays, to be freed with
 * the article). */
static silk_corpus_doc_t *new_doc(silk_builder_t *b, const char *anchor, const char *kind,
                                  const char *section)
{
    silk_corpus_doc_t *d = silk_builder_raw_doc(b);
    if (!d)
        return NULL;
    if (asprintf(&d->id, "%s#%s", b->name, anchor) < 0) {
        d->id = NULL;
        return NULL;
    }
    d->article_name = strdup(b->name);
    d->title = strdup(b->a->title ? b->a->title : "");
    d->kind = strdup(kind);
    d->section = strdup(section ? section : "");
    if (!d->article_name || !d->title || !d->kind || !d->section)
        return NULL;
    return d;
}

/* Adds a document of the text in b->text (and the numbers in cites, taken over), or
 * nothing when the text is empty. */
static silk_status_t add_text_doc(silk_builder_t *b, const char *anchor, const char *kind,
                                  const char *section, silk_cites_t *cites)
{
    if (b->text.len == 0) {
        silk_cites_free(cites);
        return SILK_OK;
    }
    silk_corpus_doc_t *d = new_doc(b, anchor, kind, section);
    if (!d || !(d->text = silk_str_from_buf(&b->text, &d->text_len))) {
        silk_cites_free(cites);
        return SILK_ERR_NOMEM;
    }
    d->cites = silk_cites_steal(cites, &d->ncites);
    return SILK_OK;
}

silk_status_t silk_builder_paragraph(silk_builder_t *b, const char *s, size_t n,
                                     const char *section)
{
    silk_cites_t cites = {0};
    silk_str_trim(&s, &n);
    b->text.len = 0;
    if (silk_cite_strip(s, n, &b->text, &cites) != SILK_OK) {
        silk_cites_free(&cites);
        return SILK_ERR_NOMEM;
    }
    if (b->text.len == 0) {
        silk_cites_free(&cites);
        return SILK_OK;
    }
    char anchor[32];
    snprintf(anchor, sizeof anchor, "p%u", ++b->npara);
    const char *kind = b->seen_heading && b->npara > 1 ? SILK_KIND_PARAGRAPH : SILK_KIND_LEAD;
    return add_text_doc(b, anchor, kind, section, &cites);
}

silk_status_t silk_builder_item(silk_builder_t *b, int is_ref, const char *s, size_t n,
                                const char *section)
{
    silk_str_trim(&s, &n);
    b->text.len = 0;
    if (silk_cite_strip(s, n, &b->text, NULL) != SILK_OK)
        return SILK_ERR_NOMEM;
    if (b->text.len == 0)
        return SILK_OK;
    char anchor[32];
    unsigned num = 0;
    if (is_ref) {
        /* What came before is handed on; from here on the documents wait for the
         * article's end, where the references get their cited_by. */
        if (drain(b) != SILK_OK)
            return SILK_ERR_NOMEM;
        b->hold = 1;
        if (silk_refs_add(&b->refs, b->a->ndocs, &num) != SILK_OK)
            return SILK_ERR_NOMEM;
        snprintf(anchor, sizeof anchor, "ref-%u", num);
    } else {
        snprintf(anchor, sizeof anchor, "read-%u", ++b->nread);
    }
    silk_cites_t none = {0};
    if (add_text_doc(b, anchor, is_ref ? SILK_KIND_REFERENCE : SILK_KIND_READING, section, &none) !=
        SILK_OK)
        return SILK_ERR_NOMEM;
    silk_corpus_doc_t *d = &b->a->docs[b->a->ndocs - 1];
    d->year = silk_cite_year(d->text, d->text_len);
    silk_strvec_t *names = &b->names;
    silk_strvec_free(names);
    if (silk_cite_authors(d->text, d->text_len, names) != SILK_OK)
        return SILK_ERR_NOMEM;
    /* The list's array becomes the document's (the builder starts a new one). */
    d->authors = names->v;
    d->nauthors = names->n;
    memset(names, 0, sizeof *names);
    return SILK_OK;
}

/* Appends to out the non-empty cells of a table row, " | " between them and "; " before
 * the row when out holds text already; separator rows (only '-', ':', '|', spaces) add
 * nothing. */
static silk_status_t table_row(const char *s, size_t n, silk_buf_t *out, silk_cites_t *cites)
{
    int only_sep = 1;
    for (size_t i = 0; i < n; i++)
        if (!strchr("-:| \t", s[i]))
            only_sep = 0;
    if (only_sep)
        return SILK_OK;
    int first = 1;
    size_t i = 0;
    while (i <= n) {
        const char *bar = memchr(s + i, '|', n - i);
        size_t end = bar ? (size_t)(bar - s) : n;
        const char *c = s + i;
        size_t cn = end - i;
        silk_str_trim(&c, &cn);
        if (cn) {
            if ((!first || out->len) && silk_buf_adds(out, first ? "; " : " | ") != SILK_OK)
                return SILK_ERR_NOMEM;
            if (silk_cite_strip(c, cn, out, cites) != SILK_OK)
                return SILK_ERR_NOMEM;
            first = 0;
        }
        if (!bar)
            break;
        i = end + 1;
    }
    return SILK_OK;
}

silk_status_t silk_builder_table(silk_builder_t *b, const silk_line_t *rows, size_t nrows,
                                 int infobox, const char *section)
{
    silk_cites_t cites = {0};
    /* The infobox is one document of its own; any other table is rendered first and then
     * added as a paragraph (which strips and records what markers are left). */
    silk_buf_t *out = infobox ? &b->text : &b->table;
    out->len = 0;
    for (size_t r = 0; r < nrows; r++) {
        const char *s = rows[r].s;
        size_t n = rows[r].n;
        silk_str_trim(&s, &n);
        if (table_row(s, n, out, infobox ? &cites : NULL) != SILK_OK) {
            silk_cites_free(&cites);
            return SILK_ERR_NOMEM;
        }
    }
    if (!infobox)
        return silk_builder_paragraph(b, out->data ? out->data : "", out->len, section);
    return add_text_doc(b, "infobox", SILK_KIND_INFOBOX, "", &cites);
}

/* ---- ids of raw documents ------------------------------------------------------------------ */

static size_t id_slot(const char *id, size_t cap)
{
    return (size_t)silk_hash(id, strlen(id)) & (cap - 1);
}

silk_status_t silk_builder_check_id(silk_builder_t *b, int *dup)
{
    *dup = 0;
    if ((b->ids_used + 1) * 2 > b->ids_cap) {
        size_t cap = b->ids_cap ? b->ids_cap * 2 : 64;
        char **v = calloc(cap, sizeof *v);
        if (!v)
            return SILK_ERR_NOMEM;
        for (size_t k = 0; k < b->ids_cap; k++) {
            if (!b->ids[k])
                continue;
            size_t h = id_slot(b->ids[k], cap);
            while (v[h])
                h = (h + 1) & (cap - 1);
            v[h] = b->ids[k];
        }
        free(b->ids);
        b->ids = v;
        b->ids_cap = cap;
    }
    /* The set keeps copies: the documents themselves may be handed on (the sink). */
    const char *id = b->a->docs[b->a->ndocs - 1].id;
    size_t h = id_slot(id, b->ids_cap);
    while (b->ids[h]) {
        if (strcmp(b->ids[h], id) == 0) {
            *dup = 1;
            return SILK_OK;
        }
        h = (h + 1) & (b->ids_cap - 1);
    }
    if (!(b->ids[h] = silk_arena_dup(&b->id_strs, id, strlen(id))))
        return SILK_ERR_NOMEM;
    b->ids_used++;
    return SILK_OK;
}

silk_status_t silk_builder_problem(silk_builder_t *b, size_t lineno, const char *why)
{
    char *s = NULL;
    int n = asprintf(&s, "%s:%zu: %s", b->path, lineno, why);
    if (n < 0)
        return SILK_ERR_NOMEM;
    /* Messages quote input (jansson's "near '...'" may cut a character in two): keep them
     * valid UTF-8 like everything else the parser hands out. */
    char *clean = silk_corpus_clean_utf8(s, (size_t)n, NULL);
    free(s);
    return silk_strvec_push_owned(&b->a->problems, clean);
}
