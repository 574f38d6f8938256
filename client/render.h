/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — terminal text: display width, wrapping and cutting with highlights.
 *
 * The client prints text it did not write (titles, snippets from the corpus) to a terminal.
 * These functions measure it in display columns (Hangul and Han are two columns wide,
 * combining marks none), wrap or cut it there without ever splitting a UTF-8 sequence, and
 * replace control characters so that a corpus cannot send escape sequences to the terminal. */
#ifndef SILK_CLIENT_RENDER_H
#define SILK_CLIENT_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A highlighted byte range [start, end) of a text, as the daemon sends them. */
typedef struct silk_hl {
    size_t start; /* first byte */
    size_t end;   /* one past the last byte */
} silk_hl_t;

/* How silk_render_wrap lays out a text. */
typedef struct silk_render_opts {
    int width;  /* columns per line, indent included; 0 or less: never wrap */
    int indent; /* spaces written at the start of every line */
    bool color; /* write the highlights in bold with ANSI escapes */
} silk_render_opts_t;

/* ANSI escapes used by the client; "" when colour is off. */
#define SILK_ANSI_BOLD  "\033[1m"
#define SILK_ANSI_CYAN  "\033[36m"
#define SILK_ANSI_DIM   "\033[2m"
#define SILK_ANSI_RESET "\033[0m"

/* Columns a code point takes on a terminal as the client prints it: 0 for combining marks
 * and format characters, 2 for East Asian wide characters (Hangul, Han, Kana), else 1
 * (control characters too, since they are printed as spaces). */
int silk_cp_width(int32_t cp);

/* Display width of the first len bytes of s. */
size_t silk_text_width(const char *s, size_t len);

/* Writes text[0..len) to out, broken into lines of at most opts->width columns at spaces,
 * each line starting with opts->indent spaces and ending with '\n'. Runs of whitespace
 * become one space; a word wider than a line is broken between characters. Control
 * characters are written as spaces. Bytes inside any range of hl[0..nhl) are bold when
 * opts->color is set (ranges may be unsorted; ranges outside the text are ignored).
 * Returns the number of lines written. */
int silk_render_wrap(FILE *out, const char *text, size_t len, const silk_hl_t *hl, size_t nhl,
                     const silk_render_opts_t *opts);

/* Writes text[0..len) to out in at most max_cols columns (no limit when max_cols <= 0):
 * if it is wider, cuts it after the last character that fits with room for "…" and
 * writes "…". Control characters are written as spaces. Returns the columns written. */
int silk_render_cut(FILE *out, const char *text, size_t len, int max_cols);

#endif
