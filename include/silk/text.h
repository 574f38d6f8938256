/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — text normalization and tokenization (DESIGN.md § Text).
 *
 * Documents, queries and snippets all pass through this one module, so a word matches
 * exactly when a person would expect it to. A tokenizer is created once and reused; it
 * owns one growable buffer and holds no global state, so each thread keeps its own.
 */
#ifndef SILK_TEXT_H
#define SILK_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "silk/db.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_TERM_MAX 64 /* bytes: longer words are cut at a character boundary */

typedef struct silk_tokenizer silk_tokenizer_t;

typedef enum {
    SILK_TOK_WORD = 0, /* Latin, Greek or Cyrillic letters: stemmable */
    SILK_TOK_NUMBER,   /* digits only (with inner , and .): not stemmed */
    SILK_TOK_OTHER,    /* other scripts (Arabic, Indic, ...), or mixed: not stemmed */
    SILK_TOK_CJK,      /* a Hangul/Han/Kana bigram, or a lone CJK character */
} silk_tok_kind_t;

typedef struct {
    const char *term;     /* normalized term, NUL-terminated; valid during the callback */
    size_t len;           /* its length in bytes (<= SILK_TERM_MAX) */
    const char *stem;     /* stem (no prefix), NUL-terminated, valid during the callback:
                             the English stem of a SILK_TOK_WORD when a stemmer is set;
                             the Korean stem of a Hangul word of 3+ syllables on its first
                             bigram (see below); else NULL */
    size_t stem_len;      /* its length in bytes */
    uint32_t pos;         /* position: consecutive tokens get consecutive positions */
    size_t start;         /* byte offset of the token's first byte in the input */
    size_t end;           /* byte offset one past its last byte; [start,end) never splits a
                             UTF-8 sequence */
    silk_tok_kind_t kind; /* what kind of token this is */
    size_t word_start;    /* byte span of the whole word the token is part of: [start,end) */
    size_t word_end;      /* itself, except for the bigrams of a Hangul word (see below) */
} silk_token_t;

/* Korean words. Hangul is indexed as overlapping bigrams (대통령이 → 대통 통령 령이), which
 * find compounds and words inside words. A Hangul word, the run of precomposed syllables
 * that stand alone (no jamo or mark attached, nothing between them), also gets a light stem
 * (include/silk/kostem.h: 대통령이 → 대통령, 침몰했다 → 침몰): for a word of three or more
 * syllables (and at most SILK_TERM_MAX bytes) the first bigram reports it in stem/stem_len,
 * the word itself when nothing is stripped (대통령), so that the indexer stores it as it
 * stores English stems and inflected forms meet on it. Every bigram whose first syllable
 * lies in the word reports the word's span in word_start/word_end, so that a highlight can
 * cover the whole inflected word. A word of two syllables is one bigram, whose term is the
 * word: it reports no stem (so a one-bigram query word is searched as before). A stem of
 * two syllables is still reported for a longer word (북한과 → 북한), but the documents that
 * write the bare 북한 have only its bigram, so a query should search such a stem as that
 * bigram term. A lone syllable, Han, Kana, and syllables written with conjoining jamo
 * belong to no Korean word: their word is the token itself, and they get no stem. */

/* Called for each token in order; return nonzero to stop the run early. */
typedef int (*silk_token_cb)(const silk_token_t *tok, void *ud);

/* A new tokenizer; free it with silk_tokenizer_destroy(). */
silk_status_t silk_tokenizer_new(silk_tokenizer_t **out);
void silk_tokenizer_destroy(silk_tokenizer_t *tok);

/* Makes the tokenizer report English stems of SILK_TOK_WORD tokens. The tokenizer does not
 * own st; st must outlive it (or be unset with NULL). */
void silk_tokenizer_set_stemmer(silk_tokenizer_t *tok, silk_stemmer_t *st);

/* Tokenizes `len` bytes of UTF-8 text (NUL bytes included; invalid sequences decode as
 * U+FFFD and never stop the run). The first token gets position `first_pos`; *next_pos
 * (may be NULL) receives the position after the last token. Returns SILK_OK also when the
 * callback stopped the run; SILK_ERR_NOMEM when the buffer cannot grow. The callback must
 * not call silk_normalize() or silk_tokenize() on the same tokenizer (the term lives in its
 * buffer); use a second tokenizer for that. */
silk_status_t silk_tokenize(silk_tokenizer_t *tok, const char *text, size_t len, uint32_t first_pos,
                            silk_token_cb cb, void *ud, uint32_t *next_pos);

/* Normalizes a whole string the way words are normalized (NFKC, case fold, mark and
 * Arabic folds), without splitting it into words: for field values such as an author name
 * or a section title. *out points into the tokenizer's buffer, NUL-terminated, valid until
 * the next call on tok. */
silk_status_t silk_normalize(silk_tokenizer_t *tok, const char *text, size_t len, const char **out,
                             size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
