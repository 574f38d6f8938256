/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the clean text of a corpus file, its lines, and the string helpers every
 * reader shares (trimming, prefix tests, a list of owned strings, an arena of strings).
 *
 * Text rule (DESIGN.md § Text): every string the corpus readers hand out is valid UTF-8.
 * Invalid sequences become U+FFFD through silk_utf8_fix() (one U+FFFD per maximal invalid
 * subpart), and NUL bytes too, so that a document's text is a C string of its length.
 */
#ifndef SILK_INDEXER_STRUTIL_H
#define SILK_INDEXER_STRUTIL_H

#include <stddef.h>

#include "silk/buf.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A copy of s[0..len) with each invalid UTF-8 sequence and each NUL byte replaced by
 * U+FFFD. Malloc'd, NUL-terminated (the caller frees it); *out_len (may be NULL) gets its
 * length. NULL when out of memory. */
char *silk_corpus_clean_utf8(const char *s, size_t len, size_t *out_len);

/* One line of a text, without its "\n" / "\r\n". Points into the text it was cut from. */
typedef struct {
    const char *s; /* first byte */
    size_t n;      /* length without the line end */
    size_t lineno; /* 1-based */
} silk_line_t;

/* Cuts text[0..len) into lines. *out is malloc'd (the caller frees it) and borrows from
 * text. SILK_ERR_NOMEM when out of memory. */
silk_status_t silk_lines_split(const char *text, size_t len, silk_line_t **out, size_t *nout);

/* 1 for ASCII white space. */
int silk_str_is_space(char c);

/* Trims ASCII white space from both ends of [*s, *s + *n), and no-break spaces from the
 * end. */
void silk_str_trim(const char **s, size_t *n);

/* 1 when s[0..n) starts / ends with the NUL-terminated string. */
int silk_str_starts(const char *s, size_t n, const char *prefix);
int silk_str_ends(const char *s, size_t n, const char *suffix);

/* 1 when s[0..n) equals word, ignoring ASCII case. */
int silk_str_eq_nocase(const char *s, size_t n, const char *word);

/* A malloc'd, NUL-terminated copy of the bytes of b (an empty buffer gives ""); *len (may
 * be NULL) gets their length. NULL when out of memory. b is unchanged: the copy is as long
 * as the text, not as the buffer's capacity. */
char *silk_str_from_buf(const silk_buf_t *b, size_t *len);

/* A growable list of owned strings. Zero-initialize; free with silk_strvec_free(). */
typedef struct {
    char **v;   /* the strings (owned) */
    size_t n;   /* used */
    size_t cap; /* allocated */
} silk_strvec_t;

/* Appends s, taking it over (freed on failure; NULL s is SILK_ERR_NOMEM: it is what a
 * failed strdup gives). */
silk_status_t silk_strvec_push_owned(silk_strvec_t *sv, char *s);

/* Appends a copy of s[0..n). */
silk_status_t silk_strvec_push(silk_strvec_t *sv, const char *s, size_t n);

/* 1 when sv holds a string equal to s. */
int silk_strvec_has(const silk_strvec_t *sv, const char *s);

/* Frees the strings from index `keep` on (silk_strvec_truncate) or all (free); the list
 * stays usable. */
void silk_strvec_truncate(silk_strvec_t *sv, size_t keep);
void silk_strvec_free(silk_strvec_t *sv);

/* Strings that are freed all at once (a set or list that never drops one): copies packed
 * in blocks that grow from 256 bytes to 64 KiB, not a malloc each. Zero-initialized: empty. */
typedef struct silk_arena_block silk_arena_block_t;
typedef struct {
    silk_arena_block_t *blocks; /* the newest block first */
    char *at;                   /* its free bytes ... */
    size_t left;                /* ... and how many */
} silk_arena_t;

/* A NUL-terminated copy of s[0..n) in the arena; NULL when out of memory. */
char *silk_arena_dup(silk_arena_t *a, const char *s, size_t n);

/* Frees every string of the arena; it is empty again. */
void silk_arena_free(silk_arena_t *a);

#ifdef __cplusplus
}
#endif

#endif
