/* SPDX-License-Identifier: GPL-2.0-or-later */
/* searchbench — in-process search latency of silk_search (include/silk/search.h).
 *
 *   searchbench --index DIR [--queries FILE] [--mode all|any] [--rounds N] [--limit N]
 *
 * Runs a fixed query mix (the built-in mix of the corpus article, or one query a line of
 * FILE; a line "qid<TAB>text" uses the text) and reports p50/p99 latency of:
 *   xapian     Xapian alone on a plain query (the words' stems AND'ed, or OR'ed in `any`
 *              mode; no field boosts, adjacency bonus or synonyms), Enquire + get_mset
 *   floor      Xapian alone on silk's own query (prebuilt: boosts, bonus, synonyms)
 *   search     silk_search without snippets (parse, build, run, stored data, did-you-mean)
 *   snippets   silk_search with snippets and highlights (the daemon's default)
 *   cold       the same with the document cache off: every hit's JSON parsed and its
 *              text tokenized again
 * Each query is run once to warm up, then `rounds` times per configuration, interleaved.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "silk/db.h"
#include "silk/qast.h"
#include "silk/qbuild.h"
#include "silk/qparse.h"
#include "silk/search.h"
#include "silk/text.h"

/* The mix on the corpus article: every kind of query a user types. */
static const char *article_mix[] = {
    "iran",
    "nuclear weapons",
    "\"axis of evil\"",
    "north korea missiles",
    "iran OR syria",
    "missile -nuclear",
    "(iran OR syria) arms",
    "nucl*",
    "Hwasong-14",
    "조선",
    "민주주의",
    "ایران",
    "Balazs",
    "dprk",
    "title:relations",
    "section:history cultural",
    "kind:reference year:2007",
    "author:szalontai",
    "cites:27",
    "nucler weapns",
    "weapons lebanon",
    "diplomatic relations revolution 1979",
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *ns, size_t n)
{
    qsort(ns, n, sizeof *ns, cmp_u64);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (double)ns[i];
    printf("  %-9s p50 %8.1f us   p99 %8.1f us   mean %8.1f us   (%zu searches)\n", what,
           (double)ns[n / 2] / 1000.0, (double)ns[(n * 99) / 100] / 1000.0,
           sum / (double)n / 1000.0, n);
}

static char **read_queries(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        perror(path);
        exit(2);
    }
    char **qs = NULL, *line = NULL;
    size_t cap = 0, lcap = 0;
    ssize_t len;
    *n = 0;
    while ((len = getline(&line, &lcap, fp)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *t = strrchr(line, '\t');
        t = t ? t + 1 : line;
        if (*t == '\0')
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            qs = realloc(qs, cap * sizeof *qs);
        }
        qs[(*n)++] = strdup(t);
    }
    free(line);
    fclose(fp);
    return qs;
}

static double g_tw, g_sw, g_pb;

static silk_searcher_t *searcher(const char *index, long cache)
{
    silk_searcher_opts_t o;
    memset(&o, 0, sizeof o);
    o.doc_cache_bytes = cache;
    o.title_weight = g_tw;
    o.section_weight = g_sw;
    o.phrase_boost = g_pb;
    silk_searcher_t *s = NULL;
    if (silk_searcher_new(index, &o, &s) != SILK_OK) {
        fprintf(stderr, "searchbench: cannot create a searcher\n");
        exit(1);
    }
    return s;
}

static uint64_t timed_search(silk_searcher_t *s, const char *q, silk_mode_t mode, uint32_t limit,
                             int snippets)
{
    silk_search_req_t r = {
        .q = q, .q_len = strlen(q), .mode = mode, .limit = limit, .snippets = snippets};
    const silk_result_t *res;
    uint64_t t0 = now_ns();
    silk_status_t st = silk_search(s, &r, &res);
    uint64_t t = now_ns() - t0;
    if (st != SILK_OK && st != SILK_ERR_TOO_BROAD) {
        fprintf(stderr, "searchbench: [%s]: %s\n", q, silk_searcher_error(s));
        exit(1);
    }
    return t;
}

int main(int argc, char **argv)
{
    const char *index = NULL, *qfile = NULL;
    silk_mode_t mode = SILK_MODE_ALL;
    int rounds = 200, verbose = 0;
    double tw = 0, sw = 0, pb = 0;
    uint32_t limit = 10;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--index") == 0 && i + 1 < argc)
            index = argv[++i];
        else if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc)
            qfile = argv[++i];
        else if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc)
            mode = strcmp(argv[++i], "any") == 0 ? SILK_MODE_ANY : SILK_MODE_ALL;
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--title-weight") == 0 && i + 1 < argc)
            tw = atof(argv[++i]);
        else if (strcmp(argv[i], "--section-weight") == 0 && i + 1 < argc)
            sw = atof(argv[++i]);
        else if (strcmp(argv[i], "--phrase-boost") == 0 && i + 1 < argc)
            pb = atof(argv[++i]);
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc)
            limit = (uint32_t)atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: searchbench --index DIR [--queries FILE] [--mode all|any] "
                            "[--rounds N] [--limit N] [--verbose]\n"
                            "       [--title-weight W] [--section-weight W] [--phrase-boost W] "
                            "(< 0: off)\n");
            return 2;
        }
    }
    if (index == NULL || rounds < 1) {
        fprintf(stderr, "searchbench: --index DIR is required\n");
        return 2;
    }
    g_tw = tw;
    g_sw = sw;
    g_pb = pb;
    size_t nq;
    char **qs;
    if (qfile != NULL) {
        qs = read_queries(qfile, &nq);
    } else {
        nq = sizeof article_mix / sizeof article_mix[0];
        qs = malloc(nq * sizeof *qs);
        for (size_t i = 0; i < nq; i++)
            qs[i] = strdup(article_mix[i]);
    }
    if (nq == 0) {
        fprintf(stderr, "searchbench: no queries\n");
        return 2;
    }
    /* Large query sets (Cranfield has 225) get fewer rounds so a run stays short. */
    size_t per = (size_t)rounds;
    if (nq * per > 20000)
        per = 20000 / nq > 0 ? 20000 / nq : 1;

    /* The floor: the same queries, built once by silk's builder, run by Xapian alone. */
    silk_db_t *db = NULL;
    char *msg = NULL;
    if (silk_db_open(index, NULL, &db, &msg) != SILK_OK) {
        fprintf(stderr, "searchbench: %s\n", msg ? msg : "cannot open the index");
        return 1;
    }
    silk_tokenizer_t *tok = NULL;
    silk_stemmer_t *stem = NULL;
    silk_tokenizer_new(&tok);
    silk_stemmer_new("english", &stem);
    silk_tokenizer_set_stemmer(tok, stem);
    silk_qbuilt_t **built = calloc(nq, sizeof *built), **plain = calloc(nq, sizeof *plain);
    for (size_t i = 0; i < nq; i++) {
        silk_qast_t *ast = NULL;
        silk_qbuild_opts_t bo;
        silk_qbuild_opts_init(&bo);
        bo.mode = mode;
        if (tw != 0)
            bo.title_weight = tw;
        if (sw != 0)
            bo.section_weight = sw;
        if (pb != 0)
            bo.phrase_boost = pb;
        if (silk_qparse(tok, qs[i], strlen(qs[i]), &ast, NULL) == SILK_OK) {
            silk_qbuild(ast, db, tok, &bo, &built[i], NULL);
            /* What Xapian's QueryParser would run: the stems, AND or OR, no field
             * boosts, no adjacency bonus, no synonyms. */
            bo.title_weight = bo.section_weight = bo.phrase_boost = -1;
            silk_qbuild(ast, NULL, tok, &bo, &plain[i], NULL);
        }
        silk_qast_destroy(ast);
    }
    silk_search_opts_t so;
    silk_search_opts_init(&so);
    so.k1 = SILK_BM25_K1_DEFAULT;
    so.b = SILK_BM25_B_DEFAULT;
    so.limit = limit;

    silk_searcher_t *warm = searcher(index, 0), *cold = searcher(index, -1);
    size_t cap = nq * per;
    uint64_t *t_plain = malloc(cap * sizeof *t_plain);
    size_t np = 0;
    uint64_t *t_floor = malloc(cap * sizeof *t_floor), *t_search = malloc(cap * sizeof(uint64_t)),
             *t_snip = malloc(cap * sizeof(uint64_t)), *t_cold = malloc(cap * sizeof(uint64_t));
    size_t nf = 0, n = 0;
    uint64_t total_hits = 0;
    for (size_t i = 0; i < nq; i++) { /* warm-up: open, first reads, the document cache */
        timed_search(warm, qs[i], mode, limit, 1);
        timed_search(cold, qs[i], mode, limit, 1);
    }
    for (size_t r = 0; r < per; r++) {
        for (size_t i = 0; i < nq; i++) {
            if (plain[i] != NULL) {
                silk_mset_t *m = NULL;
                uint64_t t0 = now_ns();
                silk_db_search(db, silk_qbuilt_query(plain[i]), &so, &m);
                t_plain[np++] = now_ns() - t0;
                silk_mset_destroy(m);
            }
            if (built[i] != NULL) {
                silk_mset_t *m = NULL;
                uint64_t t0 = now_ns();
                silk_status_t st = silk_db_search(db, silk_qbuilt_query(built[i]), &so, &m);
                t_floor[nf++] = now_ns() - t0;
                if (st == SILK_OK && r == 0)
                    total_hits += silk_mset_size(m);
                silk_mset_destroy(m);
            }
            t_search[n] = timed_search(warm, qs[i], mode, limit, 0);
            t_snip[n] = timed_search(warm, qs[i], mode, limit, 1);
            t_cold[n] = timed_search(cold, qs[i], mode, limit, 1);
            n++;
        }
    }
    silk_index_stats_t st;
    silk_searcher_stats(warm, &st);
    printf("searchbench: %s: %llu documents, %zu queries (%s mode, limit %u), %zu rounds, "
           "%.1f hits per query\n",
           index, (unsigned long long)st.docs, nq, mode == SILK_MODE_ANY ? "any" : "all", limit,
           per, (double)total_hits / (double)nq);
    if (verbose) {
        /* Per query: the median of each configuration (samples are stored round-major). */
        uint64_t *tmp = malloc(per * sizeof *tmp);
        printf("  %-40s %9s %9s %9s %9s %9s\n", "query (p50 us)", "xapian", "floor", "search",
               "snippets", "cold");
        for (size_t i = 0; i < nq; i++) {
            uint64_t *arrs[5] = {t_plain, t_floor, t_search, t_snip, t_cold};
            double med[5];
            for (int k = 0; k < 5; k++) {
                for (size_t r = 0; r < per; r++)
                    tmp[r] = arrs[k][r * nq + i];
                qsort(tmp, per, sizeof *tmp, cmp_u64);
                med[k] = (double)tmp[per / 2] / 1000.0;
            }
            printf("  %-40.40s %9.1f %9.1f %9.1f %9.1f %9.1f\n", qs[i], med[0], med[1], med[2],
                   med[3], med[4]);
        }
        free(tmp);
    }
    report("xapian", t_plain, np);
    report("floor", t_floor, nf);
    report("search", t_search, n);
    report("snippets", t_snip, n);
    report("cold", t_cold, n);

    for (size_t i = 0; i < nq; i++) {
        silk_qbuilt_destroy(built[i]);
        silk_qbuilt_destroy(plain[i]);
        free(qs[i]);
    }
    free(built);
    free(plain);
    free(t_plain);
    free(qs);
    free(t_floor);
    free(t_search);
    free(t_snip);
    free(t_cold);
    silk_searcher_destroy(warm);
    silk_searcher_destroy(cold);
    silk_tokenizer_destroy(tok);
    silk_stemmer_destroy(stem);
    silk_db_destroy(db);
    free(msg);
    return 0;
}
