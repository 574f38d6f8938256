/* silk bench — tunes silk's BM25 parameters and field weights on one collection
 * (Cranfield only, per issue 8: the other collections are then reported untouched).
 *
 *   tune INDEX QUERIES.tsv QRELS [K1 B TITLE SECTION PHRASE]...
 *
 * Without parameter sets it sweeps a grid; each set is five numbers (0 = silk's default).
 * For each set it runs every query through the real search library (silk_search, mode
 * any, top 100, no snippets) and prints one line: the parameters, MAP, nDCG@10,
 * Recall@100 and MRR@10, so the best row can be read off (sort -k6). The queries get the
 * same word-only treatment as bench/eval/silk_run.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int run_set(const char *index, peer_query_t *q, size_t nq, const char *qrels,
                   const double *set)
{
    silk_searcher_opts_t opts;
    memset(&opts, 0, sizeof opts);
    opts.k1 = set[0];
    opts.b = set[1];
    opts.title_weight = set[2];
    opts.section_weight = set[3];
    opts.phrase_boost = set[4];
    silk_searcher_t *s = NULL;
    silk_eval_t *ev = NULL;
    silk_eval_scores_t sc;
    size_t errors = 0;
    int rc = 1;
    if (silk_searcher_new(index, &opts, &s) != SILK_OK || silk_eval_new(&ev) != SILK_OK ||
        silk_eval_load_qrels(ev, qrels) != SILK_OK) {
        fprintf(stderr, "tune: cannot open %s or %s\n", index, qrels);
        goto fail;
    }
    for (size_t i = 0; i < nq; i++) {
        char *words = as_words(q[i].text);
        if (!words)
            goto fail;
        silk_search_req_t req = {
            .q = words, .q_len = strlen(words), .mode = SILK_MODE_ANY, .limit = SILK_EVAL_DEPTH};
        const silk_result_t *res = NULL;
        if (silk_search(s, &req, &res) != SILK_OK) {
            errors++;
            free(words);
            continue;
        }
        for (size_t h = 0; h < res->nhits; h++) {
            const char *id = strchr(res->hits[h].id, '#');
            silk_eval_add_hit(ev, q[i].qid, id ? id + 1 : res->hits[h].id, (unsigned)h + 1);
        }
        free(words);
    }
    if (silk_eval_score(ev, &sc) != SILK_OK)
        goto fail;
    printf("k1=%.2f b=%.2f title=%.2f section=%.2f phrase=%.2f  map=%.4f ndcg10=%.4f "
           "recall100=%.4f mrr10=%.4f errors=%zu\n",
           set[0], set[1], set[2], set[3], set[4], sc.map, sc.ndcg10, sc.recall100, sc.mrr10,
           errors);
    fflush(stdout);
    rc = 0;
fail:
    silk_eval_destroy(ev);
    silk_searcher_destroy(s);
    return rc;
}

int main(int argc, char **argv)
{
    peer_query_t *q = NULL;
    size_t nq = 0;
    int rc = 0;
    if (argc < 4 || (argc - 4) % 5 != 0) {
        fprintf(stderr, "usage: tune INDEX QUERIES.tsv QRELS [K1 B TITLE SECTION PHRASE]...\n");
        return 2;
    }
    if (peer_queries_load(argv[2], &q, &nq))
        return 1;
    if (argc > 4) {
        for (int i = 4; i < argc && rc == 0; i += 5) {
            double set[5];
            for (int k = 0; k < 5; k++)
                set[k] = atof(argv[i + k]);
            rc = run_set(argv[1], q, nq, argv[3], set);
        }
    } else {
        static const double k1s[] = {0.8, 1.0, 1.2, 1.5, 2.0};
        static const double bs[] = {0.3, 0.5, 0.75, 0.9};
        static const double titles[] = {1.0, 2.0};
        for (size_t a = 0; a < sizeof k1s / sizeof *k1s && rc == 0; a++)
            for (size_t b = 0; b < sizeof bs / sizeof *bs && rc == 0; b++)
                for (size_t t = 0; t < sizeof titles / sizeof *titles && rc == 0; t++) {
                    double set[5] = {k1s[a], bs[b], titles[t], 0, 0};
                    rc = run_set(argv[1], q, nq, argv[3], set);
                }
    }
    peer_queries_free(q, nq);
    return rc;
}
