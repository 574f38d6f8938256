/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the synonym table (synonyms.h). */
#include "synonyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strutil.h"

#define GROUP_MAX 64 /* members of one line that are read; the rest is ignored */

struct silk_synonyms {
    silk_strvec_t *groups;  /* each group's members */
    size_t ngroups;         /* groups used */
    silk_strvec_t problems; /* "FILE:LINE: reason" */
};

void silk_synonyms_destroy(silk_synonyms_t *syn)
{
    if (!syn)
        return;
    for (size_t g = 0; g < syn->ngroups; g++)
        silk_strvec_free(&syn->groups[g]);
    free(syn->groups);
    silk_strvec_free(&syn->problems);
    free(syn);
}

/* Reads the members of one line s[0..n) into g, each distinct one once. */
static silk_status_t read_group(const char *s, size_t n, silk_strvec_t *g)
{
    size_t np = 0, start = 0;
    for (size_t k = 0; k <= n && np < GROUP_MAX; k++) {
        if (k < n && s[k] != '=')
            continue;
        const char *ps = s + start;
        size_t pn = k - start;
        start = k + 1;
        silk_str_trim(&ps, &pn);
        if (!pn)
            continue;
        np++;
        char *m = strndup(ps, pn);
        if (!m)
            return SILK_ERR_NOMEM;
        if (silk_strvec_has(g, m)) {
            free(m);
            continue;
        }
        if (silk_strvec_push_owned(g, m) != SILK_OK)
            return SILK_ERR_NOMEM;
    }
    return SILK_OK;
}

silk_status_t silk_synonyms_parse(const char *path, const char *data, size_t len,
                                  silk_synonyms_t **out)
{
    *out = NULL;
    silk_synonyms_t *syn = calloc(1, sizeof *syn);
    size_t tlen = 0, nl = 0;
    char *text = silk_corpus_clean_utf8(data, len, &tlen);
    silk_line_t *lines = NULL;
    if (!syn || !text || silk_lines_split(text, tlen, &lines, &nl) != SILK_OK)
        goto fail;
    if (!(syn->groups = calloc(nl ? nl : 1, sizeof *syn->groups)))
        goto fail;
    for (size_t i = 0; i < nl; i++) {
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        if (i == 0 && silk_str_starts(s, n, "\xef\xbb\xbf"))
            s += 3, n -= 3;
        silk_str_trim(&s, &n);
        if (n == 0 || s[0] == '#')
            continue;
        silk_strvec_t *g = &syn->groups[syn->ngroups];
        if (read_group(s, n, g) != SILK_OK)
            goto fail;
        if (g->n < 2) {
            silk_strvec_free(g);
            char *msg = NULL;
            if (asprintf(&msg, "%s:%zu: a synonym group needs at least two members joined by '='",
                         path, lines[i].lineno) < 0)
                goto fail;
            if (silk_strvec_push_owned(&syn->problems, msg) != SILK_OK)
                goto fail;
            continue;
        }
        syn->ngroups++;
    }
    free(lines);
    free(text);
    *out = syn;
    return SILK_OK;
fail:
    if (syn && syn->groups)
        silk_strvec_free(&syn->groups[syn->ngroups]); /* a group being read */
    free(lines);
    free(text);
    silk_synonyms_destroy(syn);
    return SILK_ERR_NOMEM;
}

size_t silk_synonyms_group_count(const silk_synonyms_t *syn)
{
    return syn->ngroups;
}

size_t silk_synonyms_member_count(const silk_synonyms_t *syn, size_t g)
{
    return g < syn->ngroups ? syn->groups[g].n : 0;
}

const char *silk_synonyms_member(const silk_synonyms_t *syn, size_t g, size_t m)
{
    return g < syn->ngroups && m < syn->groups[g].n ? syn->groups[g].v[m] : NULL;
}

size_t silk_synonyms_problem_count(const silk_synonyms_t *syn)
{
    return syn->problems.n;
}

const char *silk_synonyms_problem(const silk_synonyms_t *syn, size_t i)
{
    return i < syn->problems.n ? syn->problems.v[i] : NULL;
}
