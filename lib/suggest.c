/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — did-you-mean (include/silk/suggest.h). */
#include "silk/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/morph.h"
#include "silk/qdefs.h"
#include "silk/schema.h"
#include "silk/text.h"

#define DYM_MAX_LOOKUPS 3 /* spelling lookups of one query */

typedef struct {
    size_t start, end; /* span of the word in the query */
    char *fix;         /* the suggestion (malloc'd) */
} fix_t;

typedef struct {
    silk_db_t *db;                 /* asked for terms and spellings */
    silk_suggest_known_cb known;   /* words known without the index, or NULL */
    void *ud;                      /* passed to known */
    fix_t f[SILK_QUERY_MAX_TERMS]; /* corrections in query order */
    size_t n;                      /* how many */
    size_t asked;                  /* spelling lookups made */
} fixes_t;

/* Whether the index has the word n (its stem, its term or a Persian form of it). */
static silk_status_t indexed(silk_db_t *db, const silk_qnode_t *n, int *has)
{
    char key[SILK_TERM_MAX + 2];
    snprintf(key, sizeof key, "%s%s", n->stem ? SILK_PREFIX_STEM : "", n->stem ? n->stem : n->term);
    uint64_t freq = 0;
    silk_status_t st = silk_db_term_freq(db, key, &freq);
    *has = freq > 0;
    if (st != SILK_OK || *has || n->stem != NULL)
        return st;
    /* A Persian word is known when a suffixed form is. */
    char variants[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF];
    size_t nv = 0;
    st = silk_morph_variants(db, n->term, variants, &nv);
    *has = nv > 1;
    return st;
}

/* Collects a correction for every positive free-text word that the index does not know. */
static silk_status_t collect_fixes(fixes_t *fx, const silk_qnode_t *n)
{
    silk_status_t st;
    if (n->type == SILK_QN_NOT)
        return SILK_OK;
    for (size_t i = 0; i < n->nkids; i++)
        if ((st = collect_fixes(fx, n->kids[i])) != SILK_OK)
            return st;
    /* A spelling lookup costs from tens of microseconds (English) to milliseconds (Persian
     * on a large index): a query gets a few. */
    if (n->type != SILK_QN_WORD || n->field != SILK_QF_BODY || n->quoted ||
        fx->asked >= DYM_MAX_LOOKUPS)
        return SILK_OK;
    /* A word of the synonym table (kcna) is known even when no text has it. */
    if (fx->known != NULL && fx->known(fx->ud, n->term, strlen(n->term)))
        return SILK_OK;
    int has = 0;
    if ((st = indexed(fx->db, n, &has)) != SILK_OK || has)
        return st;
    char *fix = NULL;
    fx->asked++;
    if ((st = silk_db_spelling(fx->db, n->term, 2, &fix)) != SILK_OK) {
        /* Without spelling data there is just no suggestion. */
        if (st == SILK_ERR_MODIFIED || st == SILK_ERR_NETWORK || st == SILK_ERR_NOMEM)
            return st;
        return SILK_OK;
    }
    if (fix == NULL || *fix == '\0' || strcmp(fix, n->term) == 0) {
        free(fix);
        return SILK_OK;
    }
    fx->f[fx->n].start = n->start;
    fx->f[fx->n].end = n->end;
    fx->f[fx->n].fix = fix;
    fx->n++;
    return SILK_OK;
}

/* q[0, len) with the corrections of fx applied (malloc'd), NULL when out of memory. */
static char *apply_fixes(const fixes_t *fx, const char *q, size_t len)
{
    size_t need = len + 1;
    for (size_t i = 0; i < fx->n; i++)
        need += strlen(fx->f[i].fix);
    char *out = malloc(need), *o = out;
    if (out == NULL)
        return NULL;
    size_t at = 0;
    /* collect_fixes visits kids in order, so the spans are increasing. */
    for (size_t i = 0; i < fx->n; i++) {
        memcpy(o, q + at, fx->f[i].start - at);
        o += fx->f[i].start - at;
        size_t fl = strlen(fx->f[i].fix);
        memcpy(o, fx->f[i].fix, fl);
        o += fl;
        at = fx->f[i].end;
    }
    memcpy(o, q + at, len - at);
    o += len - at;
    *o = '\0';
    return out;
}

silk_status_t silk_suggest_query(silk_db_t *db, const silk_qast_t *ast, const char *q, size_t len,
                                 silk_suggest_known_cb known, void *ud, char **out)
{
    fixes_t fx = {.db = db, .known = known, .ud = ud, .n = 0, .asked = 0};
    *out = NULL;
    silk_status_t st = collect_fixes(&fx, silk_qast_root(ast));
    if (st == SILK_OK && fx.n > 0 && (*out = apply_fixes(&fx, q, len)) == NULL)
        st = SILK_ERR_NOMEM;
    for (size_t i = 0; i < fx.n; i++)
        free(fx.f[i].fix);
    return st;
}
