/* libFuzzer target of the query parser: arbitrary bytes never crash the parser or the query
 * builder, a parsed query respects the bounds of search.h, and an error carries a status
 * the searcher reports to users and a position within the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "silk/db.h"
#include "silk/query.h"
#include "silk/search.h"
#include "silk/text.h"

static silk_tokenizer_t *tok;
static silk_stemmer_t *stem;

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
    for (int mode = 0; mode < 2; mode++) {
        silk_qbuild_opts_t o;
        silk_qbuilt_t *b = NULL;
        silk_qbuild_opts_init(&o);
        o.mode = mode ? SILK_MODE_ANY : SILK_MODE_ALL;
        st = silk_qbuild(ast, NULL, tok, &o, &b, &err);
        check(st == SILK_OK, "a parsed query builds");
        check(silk_qbuilt_query(b) != NULL, "built query");
        silk_qbuilt_destroy(b);
    }
    silk_qast_destroy(ast);
    return 0;
}
