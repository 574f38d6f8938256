/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — Persian suffix morphology (include/silk/morph.h). */
#include "silk/morph.h"

#include <string.h>

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

int silk_morph_is_arabic(const char *term)
{
    /* U+0600–U+06FF are the two-byte sequences led by 0xD8–0xDB. */
    unsigned char c = (unsigned char)term[0];
    return c >= 0xD8 && c <= 0xDB;
}

size_t silk_morph_join(char *buf, const char *word, const char *suffix)
{
    size_t a = strlen(word), b = strlen(suffix);
    if (a > SILK_QTERM_BUF - 1)
        a = SILK_QTERM_BUF - 1;
    if (b > SILK_QTERM_BUF - 1 - a)
        b = SILK_QTERM_BUF - 1 - a;
    memcpy(buf, word, a);
    memcpy(buf + a, suffix, b);
    buf[a + b] = '\0';
    return a + b;
}

size_t silk_morph_fa_forms(const char *term, char out[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF])
{
    size_t n = 0;
    silk_morph_join(out[n++], term, "");
    if (!silk_morph_is_arabic(term))
        return n;
    for (size_t i = 0; i < SILK_FA_SUFFIXES; i++)
        silk_morph_join(out[n++], term, fa_suffixes[i]);
    return n;
}

silk_status_t silk_morph_variants(silk_db_t *db, const char *term,
                                  char out[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF], size_t *n)
{
    size_t nf = silk_morph_fa_forms(term, out);
    *n = 1; /* the word itself */
    for (size_t i = 1; i < nf; i++) {
        uint64_t freq = 0;
        silk_status_t st = silk_db_term_freq(db, out[i], &freq);
        if (st != SILK_OK)
            return st;
        if (freq > 0) {
            if (*n != i)
                memcpy(out[*n], out[i], strlen(out[i]) + 1);
            (*n)++;
        }
    }
    return SILK_OK;
}

silk_status_t silk_morph_query(silk_db_t *db, const char *term, silk_qmatch_t *m, int id,
                               silk_query_t **out)
{
    /* Persian writes the ezafe, the plural and the indefinite article as suffixes
     * (کره → کرهی, کره‌ای, کره‌ها): the word matches its indexed suffixed
     * forms too.
     */
    char variants[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF];
    silk_query_t *q[SILK_FA_SUFFIXES + 1];
    size_t nv = 0, nq = 0;
    silk_status_t st = silk_morph_variants(db, term, variants, &nv);
    for (size_t i = 0; i < nv && st == SILK_OK; i++) {
        if ((st = silk_query_term(variants[i], strlen(variants[i]), 1, 0, &q[nq])) == SILK_OK)
            nq++;
        if (st == SILK_OK && id >= 0 && silk_qmatch_add_term(m, id, variants[i]) != SILK_OK)
            st = SILK_ERR_NOMEM;
    }
    if (st == SILK_OK && nq == 1) {
        *out = q[0];
        return SILK_OK;
    }
    if (st == SILK_OK)
        st = silk_query_combine(SILK_OP_SYNONYM, q, nq, 0, out);
    for (size_t i = 0; i < nq; i++)
        silk_query_destroy(q[i]);
    return st;
}
