/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — Persian suffix morphology, for query words.
 *
 * Persian writes the ezafe, the plural and the indefinite article as suffixes of the word
 * (کره → کرهی, کره‌ای, کره‌ها), and the tokenizer (text.h) joins them to it,
 * so each form is its own index term. A Persian word typed without quotes therefore also matches
 * its indexed suffixed forms. This module knows the suffixes (normalized as the tokenizer
 * normalizes them: Farsi yeh, ZWNJ joined away) and which of a word's forms an index has. It
 * belongs to the text layer beside text.c; the query builder and the did-you-mean code use it.
 */
#ifndef SILK_MORPH_H
#define SILK_MORPH_H

#include <stddef.h>

#include "silk/db.h"
#include "silk/qmatch.h"
#include "silk/status.h"
#include "silk/text.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_FA_SUFFIXES 8 /* ی ای ها های هایی ان یی ات */
/* Bytes of one form: a term and a suffix, or a prefixed term or filter value. */
#define SILK_QTERM_BUF (SILK_TERM_MAX * 4 + 8)

/* Nonzero when the term starts with a character of the Arabic script (U+0600–U+06FF:
 * Persian, Arabic). `term` is a NUL-terminated normalized term. */
int silk_morph_is_arabic(const char *term);

/* word followed by suffix into buf (SILK_QTERM_BUF bytes, NUL-terminated, cut if ever
 * longer); returns the length. The builder joins a field prefix and a term the same way
 * (on every query's path, so no printf). */
size_t silk_morph_join(char *buf, const char *word, const char *suffix);

/* Fills out[0..n) with the word itself, then, for an Arabic-script word, its forms with
 * each of the SILK_FA_SUFFIXES suffixes; returns n (1, or SILK_FA_SUFFIXES + 1). Each form
 * is NUL-terminated, cut at SILK_QTERM_BUF - 1 bytes. No index is asked. */
size_t silk_morph_fa_forms(const char *term, char out[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF]);

/* The forms of silk_morph_fa_forms() that the index has: out[0] is always the word itself,
 * then the suffixed forms whose term frequency in db is not 0 (one lookup each, none for a
 * word of another script). *n receives how many. A failing lookup returns its status
 * (silk_db_error() has the message); *n then counts the forms found before it. */
silk_status_t silk_morph_variants(silk_db_t *db, const char *term,
                                  char out[SILK_FA_SUFFIXES + 1][SILK_QTERM_BUF], size_t *n);

/* The query of a Persian word typed unquoted: OP_SYNONYM of its forms that db has
 * (silk_morph_variants()), each added to the highlight matcher m under `id` (none when
 * id < 0). On success *out is the caller's (silk_query_destroy()). */
silk_status_t silk_morph_query(silk_db_t *db, const char *term, silk_qmatch_t *m, int id,
                               silk_query_t **out);

#ifdef __cplusplus
}
#endif

#endif
