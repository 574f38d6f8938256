/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — measures silk's ranking parameters (rank.h) on one collection, through
 * the real search library in process (bench/run.sh tunes on Cranfield only and applies
 * the chosen set unchanged to the other collections).
 *
 *   tune [--mode any|all] [--limit N] INDEX QUERIES.tsv QRELS|- SET...
 *
 * Each SET is a comma-separated list of rank.h parameters, key=value (e.g.
 * "k1=1.2,b=0.75,stopwords=true,fb_docs=3"; "default" alone: silk's defaults), applied over
 * silk_rank_defaults(). For each set every query runs through silk_search (top --limit,
 * default 100, no snippets; mode any unless --mode all, which relaxes as the daemon does)
 * and one line is printed: the set, MAP, nDCG@10, Recall@100, MRR@10 (without QRELS, "-":
 * none), and the latency of one query in process, p50 and p99 in microseconds, and how
 * many answers feedback re-ranked. The queries get the same word-only treatment as
 * bench/eval/silk_run.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "../peers/peerutil.h"
#include "score.h"
#include "silk/search.h"

/* Mirrors silk_run.py: syntax characters become spaces, a leading -/+ of a word goes,
 * OR/AND/NOT are lower-cased. Returns a new string. */
static char *as_words(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(n + 2), *p = out;
    if (!out)
        return NULL;
    const char *s = text;
    while (*s) {
        while (*s && (*s == ' ' || *s == '\t' || strchr("\"()*:", *s)))
            s++;
        if (!*s)
            break;
        const char *start = s;
        while (*s && *s != ' ' && *s != '\t' && !strchr("\"()*:", *s))
            s++;
        while (start < s && (*start == '-' || *start == '+'))
            start++;
        size_t len = (size_t)(s - start);
        if (!len)
            continue;
        if (p != out)
            *p++ = ' ';
        if ((len == 2 && !strncmp(start, "OR", 2)) || (len == 3 && !strncmp(start, "AND", 3)) ||
            (len == 3 && !strncmp(start, "NOT", 3))) {
            for (size_t i = 0; i < len; i++)
                *p++ = (char)(start[i] - 'A' + 'a');
        } else {
            memcpy(p, start, len);
            p += len;
        }
    }
    *p = 0;
    return out;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Parses "k=v,k=v" over the defaults into r; 0, or -1 with a message. */
static int parse_set(const char *set, silk_rank_t *r)
{
    silk_rank_defaults(r);
    if (!strcmp(set, "default") || !*set)
        return 0;
    char *copy = strdup(set), *save = NULL;
    int rc = 0;
    for (char *kv = strtok_r(copy, ",", &save); kv && rc == 0; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '='), err[256];
        if (!eq) {
            fprintf(stderr, "tune: \"%s\" is not key=value\n", kv);
            rc = -1;
            break;
        }
        *eq = 0;
        if (silk_rank_set(r, kv, eq + 1, err, sizeof err) != SILK_OK) {
            fprintf(stderr, "tune: %s\n", err);
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

static int run_set(const char *index, peer_query_t *q, size_t nq, const char *qrels,
                   const char *set, silk_mode_t mode, unsigned limit)
{
    silk_rank_t rank;
    if (parse_set(set, &rank))
        return 1;
    silk_searcher_opts_t opts;
    memset(&opts, 0, sizeof opts);
    opts.rank = &rank;
    silk_searcher_t *s = NULL;
    silk_eval_t *ev = NULL;
    silk_eval_scores_t sc = {0};
    size_t errors = 0, nlat = 0, nfb = 0;
    double *lat = calloc(nq ? nq : 1, sizeof *lat);
    int score = strcmp(qrels, "-") != 0;
    int rc = 1;
    if (!lat || silk_searcher_new(index, &opts, &s) != SILK_OK || silk_eval_new(&ev) != SILK_OK ||
        (score && silk_eval_load_qrels(ev, qrels) != SILK_OK)) {
        fprintf(stderr, "tune: cannot open %s or %s\n", index, qrels);
        goto fail;
    }
    for (size_t i = 0; i < nq; i++) {
        char *words = as_words(q[i].text);
        if (!words)
            goto fail;
        silk_search_req_t req = {.q = words, .q_len = strlen(words), .mode = mode, .limit = limit};
        const silk_result_t *res = NULL;
        double t0 = now_us();
        silk_status_t st = silk_search(s, &req, &res);
        lat[nlat++] = now_us() - t0;
        if (st != SILK_OK) {
            errors++;
            free(words);
            continue;
        }
        nfb += res->feedback > 0;
        for (size_t h = 0; score && h < res->nhits; h++) {
            const char *id = strchr(res->hits[h].id, '#');
            silk_eval_add_hit(ev, q[i].qid, id ? id + 1 : res->hits[h].id, (unsigned)h + 1);
        }
        free(words);
    }
    if (score && silk_eval_score(ev, &sc) != SILK_OK)
        goto fail;
    printf("set=%s  map=%.4f ndcg10=%.4f recall100=%.4f mrr10=%.4f p50_us=%.0f p99_us=%.0f "
           "queries=%zu feedback=%zu errors=%zu\n",
           set, sc.map, sc.ndcg10, sc.recall100, sc.mrr10,
           nlat ? peer_percentile(lat, nlat, 0.5) : 0, nlat ? peer_percentile(lat, nlat, 0.99) : 0,
           nlat, nfb, errors);
    fflush(stdout);
    rc = 0;
fail:
    free(lat);
    silk_eval_destroy(ev);
    silk_searcher_destroy(s);
    return rc;
}

int main(int argc, char **argv)
{
    peer_query_t *q = NULL;
    size_t nq = 0;
    int rc = 0, a = 1;
    unsigned limit = SILK_EVAL_DEPTH;
    silk_mode_t mode = SILK_MODE_ANY;
    for (; a + 1 < argc && !strncmp(argv[a], "--", 2); a += 2) {
        if (!strcmp(argv[a], "--mode"))
            mode = !strcmp(argv[a + 1], "all") ? SILK_MODE_ALL : SILK_MODE_ANY;
        else if (!strcmp(argv[a], "--limit"))
            limit = (unsigned)atoi(argv[a + 1]);
        else
            break;
    }
    if (argc - a < 4) {
        fprintf(stderr, "usage: tune [--mode any|all] [--limit N] INDEX "
                        "QUERIES.tsv QRELS|- SET...\n");
        return 2;
    }
    if (peer_queries_load(argv[a + 1], &q, &nq))
        return 1;
    for (int i = a + 3; i < argc && rc == 0; i++)
        rc = run_set(argv[a], q, nq, argv[a + 2], argv[i], mode, limit);
    peer_queries_free(q, nq);
    return rc;
}
