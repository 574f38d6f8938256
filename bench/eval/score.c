/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — the relevance scorer (see score.h for the definitions). */
#include "score.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One judgment or one hit: both are a (query, document, number) triple. */
typedef struct {
    char *qid;    /* query id */
    char *docid;  /* document id */
    long value;   /* gain for a judgment, rank for a hit */
    size_t order; /* insertion order, to keep sorting stable */
} entry_t;

typedef struct {
    entry_t *items; /* entries */
    size_t n, cap;  /* used and allocated */
} entries_t;

struct silk_eval {
    entries_t judgments; /* the qrels */
    entries_t hits;      /* the run */
    char error[256];     /* message of the last failure */
};

static void set_error(silk_eval_t *ev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->error, sizeof ev->error, fmt, ap);
    va_end(ap);
}

/* ---- per-query measures ------------------------------------------------------------- */

static size_t count_relevant(const int *judged, size_t njudged)
{
    size_t nrel = 0;
    for (size_t i = 0; i < njudged; i++)
        nrel += judged[i] > 0;
    return nrel;
}

double silk_eval_ap(const int *gains, size_t n, const int *judged, size_t njudged)
{
    size_t nrel = count_relevant(judged, njudged);
    if (nrel == 0)
        return 0.0;
    double sum = 0.0;
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (gains[i] > 0) {
            found++;
            sum += (double)found / (double)(i + 1);
        }
    }
    return sum / (double)nrel;
}

static int cmp_int_desc(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x < y) - (x > y);
}

double silk_eval_ndcg(const int *gains, size_t n, const int *judged, size_t njudged, size_t cutoff)
{
    double dcg = 0.0, idcg = 0.0;
    for (size_t i = 0; i < n && i < cutoff; i++)
        if (gains[i] > 0)
            dcg += gains[i] / log2((double)i + 2.0);
    /* The ideal ranking: the judged gains, best first. A small query-local copy. */
    int *ideal = malloc((njudged ? njudged : 1) * sizeof *ideal);
    if (!ideal)
        return 0.0;
    memcpy(ideal, judged, njudged * sizeof *ideal);
    qsort(ideal, njudged, sizeof *ideal, cmp_int_desc);
    for (size_t i = 0; i < njudged && i < cutoff; i++)
        if (ideal[i] > 0)
            idcg += ideal[i] / log2((double)i + 2.0);
    free(ideal);
    return idcg > 0.0 ? dcg / idcg : 0.0;
}

double silk_eval_recall(const int *gains, size_t n, const int *judged, size_t njudged,
                        size_t cutoff)
{
    size_t nrel = count_relevant(judged, njudged), found = 0;
    if (nrel == 0)
        return 0.0;
    for (size_t i = 0; i < n && i < cutoff; i++)
        found += gains[i] > 0;
    return (double)found / (double)nrel;
}

double silk_eval_rr(const int *gains, size_t n, size_t cutoff)
{
    for (size_t i = 0; i < n && i < cutoff; i++)
        if (gains[i] > 0)
            return 1.0 / (double)(i + 1);
    return 0.0;
}

/* ---- collections ---------------------------------------------------------------------- */

silk_status_t silk_eval_new(silk_eval_t **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? SILK_OK : SILK_ERR_NOMEM;
}

static void entries_free(entries_t *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->items[i].qid);
        free(e->items[i].docid);
    }
    free(e->items);
}

void silk_eval_destroy(silk_eval_t *ev)
{
    if (!ev)
        return;
    entries_free(&ev->judgments);
    entries_free(&ev->hits);
    free(ev);
}

static silk_status_t entries_add(entries_t *e, const char *qid, const char *docid, long value)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 256;
        entry_t *items = realloc(e->items, cap * sizeof *items);
        if (!items)
            return SILK_ERR_NOMEM;
        e->items = items;
        e->cap = cap;
    }
    entry_t *it = &e->items[e->n];
    it->qid = strdup(qid);
    it->docid = strdup(docid);
    if (!it->qid || !it->docid) {
        free(it->qid);
        free(it->docid);
        return SILK_ERR_NOMEM;
    }
    it->value = value;
    it->order = e->n++;
    return SILK_OK;
}

silk_status_t silk_eval_add_judgment(silk_eval_t *ev, const char *qid, const char *docid, int gain)
{
    return entries_add(&ev->judgments, qid, docid, gain);
}

silk_status_t silk_eval_add_hit(silk_eval_t *ev, const char *qid, const char *docid, unsigned rank)
{
    if (rank == 0) {
        set_error(ev, "rank must be >= 1");
        return SILK_ERR_INVALID;
    }
    return entries_add(&ev->hits, qid, docid, (long)rank);
}

/* Reads whitespace-separated lines of `nfields` fields; `qid_f`, `doc_f` and `val_f` say
 * which field is which. Blank lines are skipped. */
static silk_status_t load_file(silk_eval_t *ev, const char *path, entries_t *into, int nfields,
                               int qid_f, int doc_f, int val_f)
{
    silk_status_t st = SILK_OK;
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        set_error(ev, "%s: %s", path, strerror(errno));
        return SILK_ERR_NOT_FOUND;
    }
    while (getline(&line, &cap, f) >= 0) {
        char *field[8], *save = NULL;
        int nf = 0;
        lineno++;
        for (char *t = strtok_r(line, " \t\r\n", &save); t && nf < 8;
             t = strtok_r(NULL, " \t\r\n", &save))
            field[nf++] = t;
        if (nf == 0)
            continue;
        if (nf < nfields) {
            set_error(ev, "%s:%lu: expected %d fields, found %d", path, lineno, nfields, nf);
            st = SILK_ERR_INVALID;
            goto fail;
        }
        char *end;
        errno = 0;
        long v = strtol(field[val_f], &end, 10);
        if (errno || *end) {
            set_error(ev, "%s:%lu: '%s' is not an integer", path, lineno, field[val_f]);
            st = SILK_ERR_INVALID;
            goto fail;
        }
        if (into == &ev->hits && v < 1) {
            set_error(ev, "%s:%lu: rank must be >= 1", path, lineno);
            st = SILK_ERR_INVALID;
            goto fail;
        }
        st = entries_add(into, field[qid_f], field[doc_f], v);
        if (st != SILK_OK)
            goto fail;
    }
fail:
    free(line);
    fclose(f);
    return st;
}

silk_status_t silk_eval_load_qrels(silk_eval_t *ev, const char *path)
{
    return load_file(ev, path, &ev->judgments, 4, 0, 2, 3);
}

silk_status_t silk_eval_load_run(silk_eval_t *ev, const char *path)
{
    return load_file(ev, path, &ev->hits, 4, 0, 2, 3);
}

/* Orders by query, then value (rank of a hit), then insertion order. */
static int cmp_entry(const void *a, const void *b)
{
    const entry_t *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    if (c)
        return c;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

silk_status_t silk_eval_score(silk_eval_t *ev, silk_eval_scores_t *out)
{
    memset(out, 0, sizeof *out);
    entries_t *J = &ev->judgments, *H = &ev->hits;
    qsort(J->items, J->n, sizeof *J->items, cmp_entry);
    qsort(H->items, H->n, sizeof *H->items, cmp_entry);
    int *judged = malloc((J->n ? J->n : 1) * sizeof *judged);
    int *gains = malloc((H->n ? H->n : 1) * sizeof *gains);
    if (!judged || !gains) {
        free(judged);
        free(gains);
        return SILK_ERR_NOMEM;
    }
    double map = 0, ndcg = 0, recall = 0, mrr = 0;
    size_t h = 0;
    for (size_t j = 0; j < J->n;) {
        /* The judgments of one query: J->items[j .. jend). */
        const char *qid = J->items[j].qid;
        size_t jend = j;
        while (jend < J->n && strcmp(J->items[jend].qid, qid) == 0) {
            judged[jend - j] = (int)J->items[jend].value;
            jend++;
        }
        size_t njudged = jend - j;
        /* Its hits: skip hits of queries without judgments, which are not scored. */
        while (h < H->n && strcmp(H->items[h].qid, qid) < 0)
            h++;
        size_t n = 0;
        size_t hstart = h;
        while (h < H->n && strcmp(H->items[h].qid, qid) == 0) {
            const entry_t *hit = &H->items[h++];
            if (n >= SILK_EVAL_DEPTH)
                continue;
            /* A document retrieved twice counts once, at its first rank. */
            int dup = 0;
            for (size_t k = hstart; k < h - 1 && !dup; k++)
                dup = strcmp(H->items[k].docid, hit->docid) == 0;
            if (dup)
                continue;
            int g = 0;
            for (size_t k = j; k < jend; k++)
                if (strcmp(J->items[k].docid, hit->docid) == 0) {
                    g = J->items[k].value > 0 ? (int)J->items[k].value : 0;
                    break;
                }
            gains[n++] = g;
        }
        if (count_relevant(judged, njudged) > 0) {
            out->queries++;
            out->answered += n > 0;
            map += silk_eval_ap(gains, n, judged, njudged);
            ndcg += silk_eval_ndcg(gains, n, judged, njudged, 10);
            recall += silk_eval_recall(gains, n, judged, njudged, 100);
            mrr += silk_eval_rr(gains, n, 10);
        }
        j = jend;
    }
    free(judged);
    free(gains);
    if (out->queries) {
        out->map = map / (double)out->queries;
        out->ndcg10 = ndcg / (double)out->queries;
        out->recall100 = recall / (double)out->queries;
        out->mrr10 = mrr / (double)out->queries;
    }
    return SILK_OK;
}

const char *silk_eval_error(const silk_eval_t *ev)
{
    return ev->error;
}
