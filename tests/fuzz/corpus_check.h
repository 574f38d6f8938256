/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Invariants shared by the corpus fuzz targets (fuzz_corpus.c, fuzz_jsonl.c, fuzz_md.c,
 * fuzz_html.c): what indexer/corpus.h promises of every parsed document, whatever the input
 * bytes, and whatever chunks the bytes come in. Static functions only; each target includes
 * this once. */
#ifndef SILK_FUZZ_CORPUS_CHECK_H
#define SILK_FUZZ_CORPUS_CHECK_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../indexer/corpus.h"
#include "silk/schema.h"

static const char *fuzz_name = "fuzz";

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "%s: invariant violated: %s\n", fuzz_name, what);
        abort();
    }
}

/* 1 when s[0..n) is valid UTF-8 (RFC 3629) without NUL bytes. */
static int valid_utf8(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            need = 3;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 4;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else
            return 0;
        if (n - i < need)
            return 0;
        for (size_t k = 1; k < need; k++) {
            unsigned char t = s[i + k];
            if (t < (k == 1 ? lo : 0x80) || t > (k == 1 ? hi : 0xBF))
                return 0;
        }
        i += need;
    }
    return 1;
}

static void check_str(const char *s, const char *what)
{
    if (s == NULL || !valid_utf8(s, strlen(s))) {
        fprintf(stderr, "%s: %s is not valid UTF-8\n", fuzz_name, what);
        abort();
    }
}

static int known_kind(const char *k)
{
    return !strcmp(k, SILK_KIND_LEAD) || !strcmp(k, SILK_KIND_PARAGRAPH) ||
           !strcmp(k, SILK_KIND_INFOBOX) || !strcmp(k, SILK_KIND_REFERENCE) ||
           !strcmp(k, SILK_KIND_READING);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Everything every document of any format promises: strings valid UTF-8 (text exactly
 * text_len bytes, no NUL), a known kind, an id "<article_name>#<anchor>" within
 * SILK_ID_MAX, cites >= 1 and deduplicated, and stored JSON that parses back to the same
 * id and text. Ids are unique across the article. */
static void check_docs_common(const silk_article_t *a)
{
    size_t n = silk_article_count(a);
    check_str(silk_article_title(a), "article title");
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    check(ids != NULL, "malloc");
    for (size_t i = 0; i < n; i++) {
        const silk_corpus_doc_t *d = silk_article_doc(a, i);
        check(d != NULL, "document exists");
        check_str(d->id, "id");
        check_str(d->article_name, "article name");
        check_str(d->title, "title");
        check_str(d->kind, "kind");
        check_str(d->section, "section");
        check(d->text != NULL && strlen(d->text) == d->text_len, "text_len is the text's length");
        check(valid_utf8(d->text, d->text_len), "text is valid UTF-8 without NUL");
        check(known_kind(d->kind), "known kind");
        check(strlen(d->id) <= SILK_ID_MAX, "id within SILK_ID_MAX");
        size_t an = strlen(d->article_name);
        check(an > 0 && !strncmp(d->id, d->article_name, an) && d->id[an] == '#' &&
                  d->id[an + 1] != '\0',
              "id is <article>#<anchor>");
        for (size_t c = 0; c < d->ncites; c++) {
            check(d->cites[c] >= 1, "cites are >= 1");
            for (size_t k = 0; k < c; k++)
                check(d->cites[k] != d->cites[c], "cites deduplicated");
        }
        for (size_t c = 0; c < d->ncited_by; c++)
            check_str(d->cited_by[c], "cited_by entry");
        for (size_t c = 0; c < d->nauthors; c++)
            check_str(d->authors[c], "author");
        size_t jl = 0;
        char *js = silk_corpus_doc_json(d, &jl);
        check(js != NULL && strlen(js) == jl, "stored JSON");
        json_error_t err;
        json_t *o = json_loadb(js, jl, 0, &err);
        check(json_is_object(o), "stored JSON parses");
        json_t *t = json_object_get(o, "text");
        check(json_is_string(json_object_get(o, "id")) &&
                  !strcmp(json_string_value(json_object_get(o, "id")), d->id),
              "stored id round-trips");
        check(json_is_string(t) && json_string_length(t) == d->text_len &&
                  !memcmp(json_string_value(t), d->text, d->text_len),
              "stored text round-trips");
        check(!d->year == !json_object_get(o, "year"), "year stored when set");
        json_decref(o);
        free(js);
        ids[i] = d->id;
    }
    qsort(ids, n, sizeof *ids, cmp_str);
    for (size_t i = 1; i < n; i++)
        check(strcmp(ids[i - 1], ids[i]) != 0, "document ids unique");
    free(ids);
}

/* The stored JSON of document i of a, or its title, or its problem, as one string (freed
 * by the caller): what two parses of the same bytes must agree on. */
static char *article_line(const silk_article_t *a, size_t i)
{
    size_t n = silk_article_count(a), len = 0;
    if (i < n)
        return silk_corpus_doc_json(silk_article_doc(a, i), &len);
    if (i == n)
        return strdup(silk_article_title(a));
    return strdup(silk_article_problem(a, i - n - 1));
}

/* The same bytes fed to the parser in chunks of 1, 7, 4096 and 65536 bytes
 * (silk_article_stream_feed()) give exactly the documents, title and problems of `whole`,
 * the parse of the buffer at once (silk_article_parse()). */
static void check_chunks(silk_format_t fmt, const char *name, const char *path, const char *data,
                         size_t len, const silk_article_t *whole)
{
    static const size_t chunks[] = {1, 7, 4096, 65536};
    size_t lines = silk_article_count(whole) + 1 + silk_article_problem_count(whole);
    for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
        /* Chunks of the whole input or more are one feed: the parse `whole` is. */
        if (chunks[c] >= len && c > 0)
            break;
        silk_article_stream_t *s = NULL;
        check(silk_article_stream_new(fmt, name, path, NULL, NULL, &s) == SILK_OK, "stream");
        for (size_t at = 0; at < len; at += chunks[c]) {
            size_t k = len - at < chunks[c] ? len - at : chunks[c];
            check(silk_article_stream_feed(s, data + at, k) == SILK_OK, "feed succeeds");
        }
        silk_article_t *a = NULL;
        check(silk_article_stream_finish(s, &a) == SILK_OK && a != NULL, "stream parse succeeds");
        check(silk_article_count(a) == silk_article_count(whole) &&
                  silk_article_problem_count(a) == silk_article_problem_count(whole),
              "chunks give as many documents and problems as the whole buffer");
        for (size_t i = 0; i < lines; i++) {
            char *x = article_line(a, i), *y = article_line(whole, i);
            check(x && y && !strcmp(x, y), "chunks give the documents of the whole buffer");
            free(x);
            free(y);
        }
        silk_article_destroy(a);
    }
}

#endif
