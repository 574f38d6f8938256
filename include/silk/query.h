/* silk — the query language (DESIGN.md § Query language, docs/query-syntax.md).
 *
 * A hand-written parser turns the query text into an AST (printable, for tests and for the
 * `explain` option); a builder turns the AST into a Xapian query through include/silk/db.h.
 * Query words pass through the same tokenizer as documents (lib/text.c), so a word that the
 * tokenizer splits into several tokens (`Hwasong-14`, a Hangul word → bigrams) becomes a
 * phrase of those tokens.
 *
 * Grammar (NOT/- binds tightest, then AND — implicit or written —, then OR):
 *   query   := or EOF
 *   or      := and ( "OR" and )*
 *   and     := unary ( ["AND"] unary )*
 *   unary   := ("NOT" | "-") unary | primary
 *   primary := "(" or ")" | '"' words '"' | field ":" value | word ["*"]
 * `AND`, `OR`, `NOT` are operators only in capitals; `or` is a word. Fields: title:
 * section: (text fields) and kind: article: author: cites: year: (filters). An unknown
 * `foo:` is text.
 */
#ifndef SILK_QUERY_H
#define SILK_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "silk/db.h"
#include "silk/search.h"
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
    char *stem;               /* WORD: English stem (no prefix) or NULL */
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

/* Parses `len` bytes of query text. `tok` normalizes the words; it should have an English
 * stemmer set (silk_tokenizer_set_stemmer) so that words carry stems. On success *out owns
 * the AST (free with silk_qast_destroy()); on failure *out is NULL and *err (may be NULL)
 * says what and where. Bounds: SILK_QUERY_MAX_BYTES, SILK_QUERY_MAX_DEPTH,
 * SILK_QUERY_MAX_TERMS (search.h). */
silk_status_t silk_qparse(silk_tokenizer_t *tok, const char *q, size_t len, silk_qast_t **out,
                          silk_qerror_t *err);
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

/* ---- building a Xapian query --------------------------------------------------------------- */

/* Defaults of the weights of a search (silk_searcher_opts_t fields left 0 get these). */
#define SILK_TITLE_WEIGHT_DEFAULT   2.0 /* a title match counts twice a body match */
#define SILK_SECTION_WEIGHT_DEFAULT 1.5 /* a section-heading match */
#define SILK_PHRASE_BOOST_DEFAULT   1.0 /* weight of the adjacency bonus of multi-word queries */
/* Keyword queries of at most this many terms get the title/section boosts and the adjacency
 * bonus. Longer ones (questions in natural language) are plain BM25 on the text, whose title
 * and section words the indexer already weighs above body words (SILK_WDF_TITLE,
 * SILK_WDF_SECTION); the extra postlists would double their cost for little gain. */
#define SILK_KEYWORD_QUERY_MAX_TERMS 6
#define SILK_PHRASE_BONUS_MAX_DOCS   200  /* no adjacency bonus when every word is in more */
#define SILK_EXPANSION_TOTAL_MAX     4000 /* terms all prefixes of one query may expand to */
#define SILK_SYNONYM_MAX_WORDS       8 /* longest run of query words looked up as a synonym key */
/* A lone CJK character matches at most this many of the bigrams that start with it. */
#define SILK_SYLLABLE_EXPANSION_MAX 100

typedef struct {
    silk_mode_t mode;      /* all: implicit AND stays AND; any: implicit AND becomes OR */
    double title_weight;   /* multiplier of title matches of free-text words */
    double section_weight; /* multiplier of section matches of free-text words */
    double phrase_boost;   /* multiplier of the adjacency bonus (0: no bonus) */
    int relaxed;           /* the retry of an `all` search that found nothing: a word the
                              tokenizer split (Hwasong-15) is any of its pieces */
    /* Optional: whether `key` (normalized words joined by one space) has synonyms, so
     * the builder asks the database only about keys that have some. NULL: always ask. */
    int (*has_synonyms)(void *ud, const char *key, size_t len);
    void *syn_ud; /* passed to has_synonyms */
} silk_qbuild_opts_t;

/* Fills o with mode all and the default weights. */
void silk_qbuild_opts_init(silk_qbuild_opts_t *o);

/* The positive free-text terms of a built query, for snippets and highlights. Owned by
 * the silk_qbuilt_t it comes from. */
typedef struct silk_qmatch silk_qmatch_t;

/* The result of building: the Xapian query and what the searcher needs beside it. */
typedef struct silk_qbuilt silk_qbuilt_t;

/* Builds the Xapian query of `ast`. `db` (may be NULL: then no synonyms, and prefixes are
 * expanded only at search time by Xapian) gives synonyms, the size of prefix expansions
 * (SILK_ERR_TOO_BROAD with the prefix's position when over SILK_WILDCARD_MAX) and the
 * bigrams of a lone CJK character. `tok` normalizes synonyms (with its stemmer). On
 * success *out owns the result (silk_qbuilt_destroy()). */
silk_status_t silk_qbuild(const silk_qast_t *ast, silk_db_t *db, silk_tokenizer_t *tok,
                          const silk_qbuild_opts_t *o, silk_qbuilt_t **out, silk_qerror_t *err);
void silk_qbuilt_destroy(silk_qbuilt_t *b);

/* The query to run; owned by b, valid while b lives. */
const silk_query_t *silk_qbuilt_query(const silk_qbuilt_t *b);
/* The terms to highlight; owned by b. */
const silk_qmatch_t *silk_qbuilt_match(const silk_qbuilt_t *b);
/* Position of the first prefix (wildcard) node in the query, or -1: where a
 * SILK_ERR_TOO_BROAD reported by the search itself points. */
long silk_qbuilt_prefix_pos(const silk_qbuilt_t *b);

/* A Persian (Arabic-script) word typed without quotes also matches its indexed forms with
 * the common suffixes (ezafe ی, ای, plural ها/های/ان/ات, یی). Fills out[0..*n) with the
 * word itself and those of its suffixed forms that the index has (a term lookup each);
 * any other word gives just itself. */
#define SILK_FA_SUFFIXES 8
#define SILK_QTERM_BUF   (SILK_TERM_MAX * 4 + 8) /* bytes of a prefixed term or filter value */
silk_status_t silk_qword_variants(silk_db_t *db, const char *term,
                                  char out[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF], size_t *n);

/* 64-bit FNV-1a hash of a term, as used to match document tokens. */
uint64_t silk_qhash(const char *s, size_t len);
/* The hash of "Z" followed by `stem` (the stem term), without building the string. */
uint64_t silk_qhash_stem(const char *stem, size_t len);

/* A document token as the matcher sees it. */
typedef struct {
    uint64_t h_term;  /* silk_qhash() of the normalized term */
    uint64_t h_stem;  /* silk_qhash_stem() of its stem, 0 when it has none */
    const char *term; /* the normalized term (not NUL-terminated) */
    uint32_t len;     /* its length in bytes */
    uint32_t pos;     /* its position (consecutive tokens have consecutive positions) */
} silk_qtok_t;

/* Whether the document tokens starting at toks[i] match a positive free-text term of the
 * query: a word (its exact term, or its stem when it was typed unquoted), a prefix, or a
 * whole phrase (several consecutive tokens). Returns the matched query word's id (0-based;
 * a word and its synonyms share one id) and sets *ntoks to the number of tokens covered,
 * or returns -1. */
int silk_qmatch_at(const silk_qmatch_t *m, const silk_qtok_t *toks, size_t n, size_t i,
                   size_t *ntoks);
/* Number of distinct ids silk_qmatch_at() can return (0: nothing to highlight). */
size_t silk_qmatch_ids(const silk_qmatch_t *m);

#ifdef __cplusplus
}
#endif

#endif
