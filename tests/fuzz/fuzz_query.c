/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target of the query parser: arbitrary bytes never crash the parser or the query
 * builder, a parsed query respects the bounds of search.h, and an error carries a status
 * the searcher reports to users and a position within the input. When bin/silk-index is
 * built, each input is also searched (both modes, snippets) on the corpus article. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/db.h"
#include "silk/qast.h"
#include "silk/qbuild.h"
#include "silk/qparse.h"
#include "silk/search.h"
#include "silk/text.h"

static silk_tokenizer_t *tok;
static silk_stemmer_t *stem;
static silk_searcher_t *searcher; /* over the corpus article, when an indexer is at hand */

static void check(int ok, const char *what);

/* With bin/silk-index built (the fuzzers run from the repository root), every input is
 * also searched on an index of the corpus article, snippets included. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *bin = getenv("SILK_BIN") ? getenv("SILK_BIN") : "bin";
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "test -x %s/silk-index && rm -rf build-fuzz/query-index && "
             "%s/silk-index --corpus corpus --index build-fuzz/query-index --quiet",
             bin, bin);
    if (system(cmd) == 0 && silk_searcher_new("build-fuzz/query-index", NULL, &searcher) != SILK_OK)
        searcher = NULL;
    if (searcher == NULL)
        fprintf(stderr, "fuzz_query: no index (build %s/silk-index): parser only\n", bin);
    return 0;
}

/* A search: any status but an internal one; hits with snippets whose highlights lie
 * inside them, on character boundaries. */
static void check_search(const uint8_t *data, size_t size, silk_mode_t mode)
{
    silk_search_req_t r = {.q = (const char *)data,
                           .q_len = size,
                           .mode = mode,
                           .limit = 20,
                           .snippets = 1,
                           .explain = 1};
    const silk_result_t *res = NULL;
    silk_status_t st = silk_search(searcher, &r, &res);
    if (st != SILK_OK) {
        check(st == SILK_ERR_BAD_QUERY || st == SILK_ERR_TOO_LARGE || st == SILK_ERR_TOO_BROAD,
              "search status");
        long pos = silk_searcher_error_pos(searcher);
        check(pos >= 0 && (size_t)pos <= size, "search error position");
        return;
    }
    check(res->nhits <= 20 && res->total >= res->nhits, "hit count");
    for (size_t i = 0; i < res->nhits; i++) {
        const silk_hit_t *h = &res->hits[i];
        size_t len = strlen(h->snippet);
        for (size_t k = 0; k < h->nhighlights; k++) {
            uint32_t a = h->highlights[2 * k], b = h->highlights[2 * k + 1];
            check(a < b && b <= len, "highlight inside the snippet");
            check(((unsigned char)h->snippet[a] & 0xC0) != 0x80, "highlight starts a character");
            check(b == len || ((unsigned char)h->snippet[b] & 0xC0) != 0x80,
                  "highlight ends a character");
        }
    }
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_query: invariant violated: %s\n", what);
        abort();
    }
}

/* Depth of nested AND/OR/NOT nodes. */
static size_t depth(const silk_qnode_t *n)
{
    size_t d = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        size_t k = depth(n->kids[i]);
        if (k > d)
            d = k;
    }
    return d + 1;
}

/* Every node's span lies within the input and its leaves are non-empty. */
static void check_node(const silk_qnode_t *n, size_t size)
{
    check(n->start <= n->end && n->end <= size, "node span within the input");
    switch (n->type) {
    case SILK_QN_WORD:
    case SILK_QN_PREFIX:
        check(n->term != NULL && n->term[0] != '\0', "word has a term");
        check(strlen(n->term) <= SILK_TERM_MAX, "term within SILK_TERM_MAX");
        break;
    case SILK_QN_PHRASE:
        check(n->nterms >= 2 && n->nterms <= SILK_QUERY_MAX_TERMS, "phrase size");
        break;
    case SILK_QN_FILTER:
        check(n->is_range || (n->value != NULL && n->value[0] != '\0'), "filter value");
        break;
    case SILK_QN_NOT:
        check(n->nkids == 1, "NOT has one kid");
        break;
    case SILK_QN_AND:
    case SILK_QN_OR:
        check(n->nkids >= 2, "AND/OR have two kids or more");
        break;
    }
    for (size_t i = 0; i < n->nkids; i++)
        check_node(n->kids[i], size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (tok == NULL) {
        if (silk_tokenizer_new(&tok) != SILK_OK || silk_stemmer_new("english", &stem) != SILK_OK)
            abort();
        silk_tokenizer_set_stemmer(tok, stem);
    }
    silk_qast_t *ast = NULL;
    silk_qerror_t err;
    silk_status_t st = silk_qparse(tok, (const char *)data, size, &ast, &err);
    if (st != SILK_OK) {
        check(ast == NULL, "no AST on error");
        check(st == SILK_ERR_BAD_QUERY || st == SILK_ERR_TOO_LARGE, "error status");
        check(err.status == st, "error status recorded");
        check(err.pos >= 0 && (size_t)err.pos <= size, "error position within the input");
        check(err.msg[0] != '\0' && strlen(err.msg) < sizeof err.msg, "error message");
        return 0;
    }
    check(size <= SILK_QUERY_MAX_BYTES, "length bound");
    check(silk_qast_term_count(ast) <= SILK_QUERY_MAX_TERMS, "term bound");
    const silk_qnode_t *root = silk_qast_root(ast);
    check(root != NULL, "root");
    /* Parentheses nest at most SILK_QUERY_MAX_DEPTH; each level adds at most an OR, an AND
     * and a NOT node. */
    check(depth(root) <= 3 * (SILK_QUERY_MAX_DEPTH + 1) + 1, "depth bound");
    check_node(root, size);
    char *printed = silk_qast_print(ast);
    check(printed != NULL, "printable");
    free(printed);
    for (int mode = 0; mode < 3; mode++) { /* all, any, the relaxed retry */
        silk_qbuild_opts_t o;
        silk_qbuilt_t *b = NULL;
        silk_qbuild_opts_init(&o);
        o.mode = mode ? SILK_MODE_ANY : SILK_MODE_ALL;
        o.relaxed = mode == 2;
        st = silk_qbuild(ast, NULL, tok, &o, &b, &err);
        check(st == SILK_OK, "a parsed query builds");
        check(silk_qbuilt_query(b) != NULL, "built query");
        silk_qbuilt_destroy(b);
    }
    silk_qast_destroy(ast);
    if (searcher != NULL) {
        check_search(data, size, SILK_MODE_ALL);
        check_search(data, size, SILK_MODE_ANY);
    }
    return 0;
}
