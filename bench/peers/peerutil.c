/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk bench — helpers shared by the peer programs (see peerutil.h). */
#include "peerutil.h"

#include "../common.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

int peer_queries_load(const char *path, peer_query_t **out, size_t *n)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, len = 0, alloc = 0;
    peer_query_t *q = NULL;
    if (!f) {
        perror(path);
        return -1;
    }
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r'))
            line[--got] = 0;
        /* A line without a tab is a query whose id is its line number. */
        char num[32], *tab = strchr(line, '\t'), *qid = line, *text;
        if (tab) {
            *tab = 0;
            text = tab + 1;
        } else {
            snprintf(num, sizeof num, "%zu", len + 1);
            qid = num;
            text = line;
        }
        if (!*text)
            continue;
        if (len == alloc) {
            alloc = alloc ? alloc * 2 : 256;
            peer_query_t *nq = realloc(q, alloc * sizeof *q);
            if (!nq)
                goto fail;
            q = nq;
        }
        q[len].qid = strdup(qid);
        q[len].text = strdup(text);
        if (!q[len].qid || !q[len].text)
            goto fail;
        len++;
    }
    free(line);
    fclose(f);
    *out = q;
    *n = len;
    return 0;
fail:
    fprintf(stderr, "%s: out of memory\n", path);
    peer_queries_free(q, len);
    free(line);
    fclose(f);
    return -1;
}

void peer_queries_free(peer_query_t *q, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(q[i].qid);
        free(q[i].text);
    }
    free(q);
}

long peer_docs_each(const char *path, peer_doc_fn fn, void *ctx, uint64_t *bytes)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    long count = 0, lineno = 0;
    if (!f) {
        perror(path);
        return -1;
    }
    *bytes = 0;
    while (getline(&line, &cap, f) >= 0) {
        json_error_t err;
        lineno++;
        if (line[0] == '\n' || line[0] == 0)
            continue;
        json_t *doc = json_loads(line, 0, &err);
        if (!doc) {
            fprintf(stderr, "%s:%ld: %s\n", path, lineno, err.text);
            count = -1;
            break;
        }
        const char *id = json_string_value(json_object_get(doc, "id"));
        const char *title = json_string_value(json_object_get(doc, "title"));
        const char *text = json_string_value(json_object_get(doc, "text"));
        if (!id) {
            fprintf(stderr, "%s:%ld: no id\n", path, lineno);
            json_decref(doc);
            count = -1;
            break;
        }
        title = title ? title : "";
        text = text ? text : "";
        *bytes += strlen(title) + strlen(text);
        int rc = fn(ctx, id, title, text);
        json_decref(doc);
        if (rc) {
            count = -1;
            break;
        }
        count++;
    }
    free(line);
    fclose(f);
    return count;
}

static int is_word_byte(unsigned char c)
{
    if (c >= 0x80)
        return 1;
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

char *peer_or_query(const char *text)
{
    return bench_join_words(text, is_word_byte, " OR ", "\"");
}

double peer_percentile(double *lat, size_t n, double q)
{
    qsort(lat, n, sizeof *lat, bench_cmp_double);
    return bench_quantile_sorted(lat, n, q);
}

long peer_peak_rss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}
