/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the query builder: the AST of qast.h to a Xapian query, through the C API of
 * db.h, and the highlight matcher (qmatch.h) of the same terms.
 *
 * Free-text words search the body, plus title and section with a boost; unquoted words
 * match their English stems, quoted ones their exact terms; a Persian word also matches
 * its indexed suffixed forms (morph.h); runs of plain words that the synonym table knows
 * expand to OP_SYNONYM; prefixes expand against the index (bounded); filters restrict
 * without weight.
 */
#ifndef SILK_QBUILD_H
#define SILK_QBUILD_H

#include <stddef.h>

#include "silk/db.h"
#include "silk/qast.h"
#include "silk/qdefs.h"
#include "silk/qmatch.h"
#include "silk/status.h"
#include "silk/text.h"
#include "silk/typo.h"

#ifdef __cplusplus
extern "C" {
#endif

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
    /* Optional: the synonym keys of several words (terms joined by one space), so that a
     * multi-word synonym is not matched inside a longer one (`rok` → "republic of korea",
     * not inside "democratic people's republic of korea"). */
    const char *const *syn_names;
    size_t nsyn_names;      /* how many */
    int typos;              /* nonzero (the default): unquoted free-text words of 5+ characters that
                               the index lacks also match its terms an edit or two away (typo.h) */
    int typos_short;        /* with typos: words of 3 and 4 characters the index lacks get one
                               edit too (the retry of an all-words query that found nothing) */
    unsigned keyword_terms; /* queries of at most this many terms get the field boosts and
                               the phrase bonus (default SILK_KEYWORD_QUERY_MAX_TERMS) */
    int stopwords;          /* nonzero: English stopwords are left out of any-word queries
                               (kept when the query has nothing else) */
    double proximity;       /* longer queries: weight of the NEAR pairs of consecutive words
                               (0: none) */
    unsigned window;        /* their window in positions */
} silk_qbuild_opts_t;

/* Fills o with mode all and the default weights. */
void silk_qbuild_opts_init(silk_qbuild_opts_t *o);

/* The result of building: the Xapian query and what the searcher needs beside it. */
typedef struct silk_qbuilt silk_qbuilt_t;

/* Builds the Xapian query of `ast`. `db` (may be NULL: then no synonyms, and prefixes are
 * expanded only at search time by Xapian) gives synonyms, the size of prefix expansions
 * (SILK_ERR_TOO_BROAD with the prefix's position when over SILK_WILDCARD_MAX), the
 * bigrams of a lone CJK character and the indexed forms of a Persian word. `tok`
 * normalizes synonyms (with its stemmer). `o` may be NULL for silk_qbuild_opts_init()'s
 * defaults. On success *out owns the result (silk_qbuilt_destroy()); on failure *out is
 * NULL and *err (may be NULL) says what and where. The AST is not kept. */
silk_status_t silk_qbuild(const silk_qast_t *ast, silk_db_t *db, silk_tokenizer_t *tok,
                          const silk_qbuild_opts_t *o, silk_qbuilt_t **out, silk_qerror_t *err);
/* Frees b, its query and its matcher. NULL is a no-op. */
void silk_qbuilt_destroy(silk_qbuilt_t *b);

/* The query to run; owned by b, valid while b lives. */
const silk_query_t *silk_qbuilt_query(const silk_qbuilt_t *b);
/* The terms to highlight; owned by b, valid while b lives. */
const silk_qmatch_t *silk_qbuilt_match(const silk_qbuilt_t *b);
/* The typo corrections the query was built with (*n of them, in query order); owned by
 * b, valid while b lives. */
const silk_typo_fix_t *silk_qbuilt_corrections(const silk_qbuilt_t *b, size_t *n);
/* Nonzero when the query has a word that `typos_short` would also correct (3 or 4
 * characters, typo-eligible): whether a retry with it is worth a search. */
int silk_qbuilt_short_words(const silk_qbuilt_t *b);
/* Position of the first prefix (wildcard) node in the query, or -1: where a
 * SILK_ERR_TOO_BROAD reported by the search itself points. */
long silk_qbuilt_prefix_pos(const silk_qbuilt_t *b);

#ifdef __cplusplus
}
#endif

#endif
