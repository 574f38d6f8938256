/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the query AST: the tree the parser (qparse.h) makes and the builder (qbuild.h)
 * reads, its S-expression printer, and the positioned error both of them report.
 *
 * The language itself (DESIGN.md § Query language, docs/query-syntax.md) is described in
 * qparse.h. Nodes are plain structs, read-only for everyone but the parser, which creates
 * them with the constructors at the end of this header; a tree is owned by its silk_qast_t.
 * SQLite FTS5's fts5_expr.c keeps its expression tree the same way, apart from its
 * tokenizers and its auxiliary functions.
 */
#ifndef SILK_QAST_H
#define SILK_QAST_H

#include <stdarg.h>
#include <stddef.h>

#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SILK_QN_AND,    /* kids: positives AND-ed, NOT kids subtracted, filters restrict */
    SILK_QN_OR,     /* kids: any of them */
    SILK_QN_NOT,    /* one kid, excluded from the enclosing AND */
    SILK_QN_WORD,   /* one token: term (+ stem for Latin words) */
    SILK_QN_PHRASE, /* terms in order, adjacent, exact (quoted, or a word split in tokens) */
    SILK_QN_PREFIX, /* term is a prefix: every indexed term starting with it */
    SILK_QN_FILTER, /* a boolean filter (kind, article, author, cites, year) */
} silk_qnode_type_t;

typedef enum {
    SILK_QF_BODY = 0, /* free text: body, plus title and section with a boost */
    SILK_QF_TITLE,    /* title: only the article title */
    SILK_QF_SECTION,  /* section: only the section path */
} silk_qfield_t;

typedef enum {
    SILK_QFILTER_KIND,    /* term: K<value> */
    SILK_QFILTER_ARTICLE, /* term: XA<value> */
    SILK_QFILTER_AUTHOR,  /* term: A<value> (one normalized word of a name) */
    SILK_QFILTER_CITES,   /* term: XC<n> */
    SILK_QFILTER_YEAR,    /* term: Y<year>, or a value range on SILK_SLOT_YEAR */
} silk_qfilter_t;

typedef struct silk_qnode silk_qnode_t;

/* A node of the AST. Read-only for users; owned by its silk_qast_t. */
struct silk_qnode {
    silk_qnode_type_t type;   /* what this node is */
    size_t start, end;        /* byte span [start, end) of the node in the query text */
    silk_qfield_t field;      /* WORD, PHRASE, PREFIX: which field they search */
    int quoted;               /* WORD, PHRASE: written in quotes (exact words, no stems) */
    int explicit_and;         /* AND: at least one `AND` was written (not only implicit) */
    char *term;               /* WORD: normalized term; PREFIX: normalized prefix */
    char *stem;               /* WORD: English stem (no prefix) or NULL; PHRASE: the Korean
                                 stem of an unquoted Hangul word, or NULL */
    silk_tok_kind_t tok_kind; /* WORD, PREFIX: the tokenizer's kind of the term */
    char **terms;             /* PHRASE: nterms normalized terms */
    size_t nterms;            /* PHRASE: number of terms */
    silk_qfilter_t filter;    /* FILTER: which filter */
    char *value;              /* FILTER: the value (term without prefix); NULL for a range */
    int is_range;             /* FILTER year: a range lo..hi, with has_lo/has_hi */
    int has_lo, has_hi;       /* FILTER year range: which ends are given */
    int lo, hi;               /* FILTER year range: the ends */
    silk_qnode_t **kids;      /* AND, OR, NOT: children */
    size_t nkids;             /* number of children */
};

/* A parsed query: the AST and the facts the searcher needs about it. */
typedef struct silk_qast silk_qast_t;

/* A positioned error: status (SILK_ERR_BAD_QUERY, SILK_ERR_TOO_LARGE or
 * SILK_ERR_TOO_BROAD), byte offset in the query text (0 <= pos <= query length), and an
 * English message such as "unbalanced quote at 5". */
typedef struct {
    silk_status_t status; /* SILK_OK when there is no error */
    long pos;             /* byte offset of the error in the query, -1 when none */
    char msg[200];        /* NUL-terminated message */
} silk_qerror_t;

/* Frees the AST and every node in it. NULL is a no-op. */
void silk_qast_destroy(silk_qast_t *ast);

/* The root node (never NULL for a parsed query). Valid while ast lives. */
const silk_qnode_t *silk_qast_root(const silk_qast_t *ast);

/* The AST printed as an S-expression, e.g.
 * `(AND (WORD iran) (PHRASE "axis of evil") (FIELD kind reference))`.
 * Malloc'd (the caller frees it); NULL when out of memory. */
char *silk_qast_print(const silk_qast_t *ast);

/* Nonzero when the query is only plain words (unquoted, free text, no operator but the
 * implicit AND, no filter, no prefix) and at least two of them, or one word that the
 * tokenizer split (Hwasong-15, a Hangul word): the queries that the `all` mode retries as
 * OR when they find nothing. */
int silk_qast_is_plain(const silk_qast_t *ast);

/* Number of leaf terms counted against SILK_QUERY_MAX_TERMS. */
size_t silk_qast_term_count(const silk_qast_t *ast);

/* Nonzero when n is a plain word: an unquoted free-text WORD, or an unquoted free-text
 * PHRASE (a word the tokenizer split). */
int silk_qnode_is_plain(const silk_qnode_t *n);

/* ---- errors -------------------------------------------------------------------------------- */

/* Sets err to "no error" (status SILK_OK, pos -1, empty message). */
void silk_qerror_clear(silk_qerror_t *err);

/* Records an error in err unless one is already there (the first error is the one a user
 * sees). Returns the status err now holds: st, or the earlier error's. */
silk_status_t silk_qerror_set(silk_qerror_t *err, silk_status_t st, long pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same with a va_list, for wrappers. */
silk_status_t silk_qerror_vset(silk_qerror_t *err, silk_status_t st, long pos, const char *fmt,
                               va_list ap) __attribute__((format(printf, 4, 0)));

/* ---- building a tree (the parser's side) --------------------------------------------------- */

/* A zeroed node of `type` spanning [start, end). NULL when out of memory. The caller owns
 * it until it is given to a parent or to silk_qast_new(). */
silk_qnode_t *silk_qnode_new(silk_qnode_type_t type, size_t start, size_t end);

/* Frees n, its strings and its subtree. NULL is a no-op. */
void silk_qnode_destroy(silk_qnode_t *n);

/* Appends kid to parent's kids; parent owns it from then on. On failure (SILK_ERR_NOMEM)
 * kid is destroyed and parent is unchanged. */
silk_status_t silk_qnode_add_kid(silk_qnode_t *parent, silk_qnode_t *kid);

/* An AST owning `root` (not NULL) with `nterms` leaf terms. On success *out owns root; on
 * failure (SILK_ERR_NOMEM) root is still the caller's and *out is NULL. */
silk_status_t silk_qast_new(silk_qnode_t *root, size_t nterms, silk_qast_t **out);

#ifdef __cplusplus
}
#endif

#endif
