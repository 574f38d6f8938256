/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the searcher's document cache: stored documents parsed (and tokenized for
 * snippets) once per index revision, not once per hit.
 *
 * Direct-mapped by Xapian document id (slot = docid % SILK_DOCCACHE_SLOTS), bounded in
 * bytes with a clock hand that frees other entries until a new one fits; a document alone
 * over the bound is served from a scratch entry and not cached. One cache belongs to one
 * searcher (one thread). Emptied with silk_doccache_clear when the index moves to another
 * revision, where document ids may mean other documents. */
#ifndef SILK_DOCCACHE_H
#define SILK_DOCCACHE_H

#include <stddef.h>

#include "silk/db.h"
#include "silk/snippet.h"
#include "silk/status.h"
#include "silk/text.h"

#define SILK_DOCCACHE_SLOTS 4096

/* A parsed (and, once a snippet was asked for, tokenized) stored document. */
typedef struct {
    unsigned docid;  /* Xapian document id (0: empty slot) */
    size_t bytes;    /* memory charged to the cache */
    char *data;      /* the stored JSON (NUL-terminated copy) */
    size_t data_len; /* its length */
    char *strs;      /* id, kind, article, section, text: NUL-terminated, one block */
    const char *id, *kind, *article, *section, *text; /* into strs */
    size_t text_len;                                  /* bytes of text */
    int tokenized;                                    /* snip is set */
    silk_snippet_text_t snip; /* the first scan_max bytes of text, tokenized */
} silk_docent_t;

typedef struct {
    silk_docent_t *slots;  /* SILK_DOCCACHE_SLOTS entries, or NULL without a cache */
    size_t bytes;          /* bytes charged */
    size_t budget;         /* the bound of bytes */
    size_t hand;           /* the clock hand of eviction, a slot index */
    silk_docent_t scratch; /* the document at hand when it is not cached */
    silk_tokenizer_t *tok; /* for snippet tokens (not owned) */
    size_t scan_max;       /* bytes of a text tokenized for its snippets */
    char err[200];         /* message of the last failure */
} silk_doccache_t;

/* A cache of at most `budget` bytes (0: none, every document through scratch) tokenizing
 * the first `scan_max` bytes of a text with `tok`. SILK_ERR_NOMEM when the slots cannot be
 * allocated. */
silk_status_t silk_doccache_init(silk_doccache_t *c, size_t budget, silk_tokenizer_t *tok,
                                 size_t scan_max);

/* Frees every entry (the index moved to another revision). */
void silk_doccache_clear(silk_doccache_t *c);

/* Frees everything; c may then be initialized again. */
void silk_doccache_free(silk_doccache_t *c);

/* The document of hit i of m, from the cache or loaded (and cached when it fits). With
 * `tokens`, also tokenized. The entry stays valid until the next call. On failure c->err
 * says why (SILK_ERR_CORRUPT: stored data not a JSON object; SILK_ERR_NOMEM; the mset's
 * own error). */
silk_status_t silk_doccache_get(silk_doccache_t *c, silk_mset_t *m, size_t i, int tokens,
                                silk_docent_t **out);

#endif
