/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — terminal text: display width, wrapping with highlights. Text is decoded
 * with the one strict decoder (include/silk/utf8.h), so a broken sequence is one U+FFFD
 * here as everywhere else. */
#include "render.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "silk/utf8.h"

/* C0 and C1 controls and DEL: never sent to the terminal as they are, because a snippet is
 * text from the corpus and must not move the cursor or start an escape sequence. */
static bool is_control(int32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* Where a line may break: the ASCII space, controls (shown as spaces, so they break too),
 * the typographic spaces U+2000..U+200A and the ideographic space; not U+00A0, which is
 * meant not to break. */
static bool is_space(int32_t cp)
{
    return cp == ' ' || is_control(cp) || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A);
}

int silk_cp_width(int32_t cp)
{
    if (is_control(cp))
        return 1; /* shown as a space */
    int w = utf8proc_charwidth(cp);
    return w < 0 ? 0 : w;
}

size_t silk_text_width(const char *s, size_t len)
{
    size_t w = 0, i = 0;
    while (i < len) {
        int32_t cp;
        i += silk_utf8_decode(s + i, len - i, &cp);
        w += (size_t)silk_cp_width(cp);
    }
    return w;
}

/* Writes the character at s (n bytes, code point cp) safely: controls as a space, an
 * invalid subpart as U+FFFD (a U+FFFD that was in the text comes out the same). */
static void put_char(FILE *out, const char *s, size_t n, int32_t cp)
{
    if (is_control(cp))
        fputc(' ', out);
    else if (cp == 0xFFFD)
        fputs(SILK_UTF8_REPLACEMENT, out);
    else
        fwrite(s, 1, n, out);
}

/* The state of one silk_render_wrap call. */
typedef struct wrap {
    FILE *out;                     /* where lines go */
    const silk_render_opts_t *opt; /* width, indent, colour */
    const silk_hl_t *hl;           /* highlight ranges */
    size_t nhl;                    /* number of ranges */
    size_t len;                    /* text length, to ignore ranges beyond it */
    int col;                       /* columns used on the current line, indent included */
    bool open;                     /* a line has been started and not ended */
    bool content;                  /* the current line holds at least one character */
    bool bold;                     /* the terminal is in bold right now */
    int lines;                     /* lines written */
} wrap_t;

static bool highlighted(const wrap_t *w, size_t off)
{
    for (size_t i = 0; i < w->nhl; i++) {
        if (w->hl[i].start < w->hl[i].end && w->hl[i].end <= w->len && off >= w->hl[i].start &&
            off < w->hl[i].end)
            return true;
    }
    return false;
}

static void set_bold(wrap_t *w, bool on)
{
    if (!w->opt->color || w->bold == on)
        return;
    fputs(on ? SILK_ANSI_BOLD : SILK_ANSI_RESET, w->out);
    w->bold = on;
}

static void line_start(wrap_t *w)
{
    for (int i = 0; i < w->opt->indent; i++)
        fputc(' ', w->out);
    w->col = w->opt->indent > 0 ? w->opt->indent : 0;
    w->open = true;
    w->content = false;
    w->lines++;
}

/* Ends the line with the terminal back in normal weight, so that a highlight cut by a
 * line break never bolds the indent or whatever is printed after the snippet. */
static void line_end(wrap_t *w)
{
    set_bold(w, false);
    fputc('\n', w->out);
    w->open = false;
}

int silk_render_wrap(FILE *out, const char *text, size_t len, const silk_hl_t *hl, size_t nhl,
                     const silk_render_opts_t *opts)
{
    wrap_t w = {.out = out, .opt = opts, .hl = hl, .nhl = nhl, .len = len};
    int width = opts->width;
    size_t i = 0;

    while (i < len) {
        /* Skip a run of spaces, remembering where it began for the separator's weight. */
        size_t sep = i;
        bool had_space = false;
        while (i < len) {
            int32_t cp;
            size_t n = silk_utf8_decode(text + i, len - i, &cp);
            if (!is_space(cp))
                break;
            had_space = true;
            i += n;
        }
        if (i >= len)
            break;

        /* Measure the word that follows. */
        size_t end = i, ww = 0;
        while (end < len) {
            int32_t cp;
            size_t n = silk_utf8_decode(text + end, len - end, &cp);
            if (is_space(cp))
                break;
            ww += (size_t)silk_cp_width(cp);
            end += n;
        }

        if (!w.open) {
            line_start(&w);
        } else if (w.content && had_space) {
            if (width > 0 && (size_t)w.col + 1 + ww > (size_t)width) {
                line_end(&w);
                line_start(&w);
            } else {
                set_bold(&w, highlighted(&w, sep));
                fputc(' ', out);
                w.col++;
            }
        }

        /* Write the word, breaking between characters only when it cannot fit a line.
         * A zero-width character never starts a line, so combining marks stay on their
         * base character. */
        while (i < end) {
            int32_t cp;
            size_t n = silk_utf8_decode(text + i, end - i, &cp);
            int cw = silk_cp_width(cp);
            if (width > 0 && w.content && cw > 0 && w.col + cw > width) {
                line_end(&w);
                line_start(&w);
            }
            set_bold(&w, highlighted(&w, i));
            put_char(out, text + i, n, cp);
            w.col += cw;
            w.content = true;
            i += n;
        }
    }
    if (w.open)
        line_end(&w);
    return w.lines;
}

int silk_render_cut(FILE *out, const char *text, size_t len, int max_cols)
{
    size_t total = silk_text_width(text, len);
    size_t budget = total;
    bool cut = false;
    int col = 0;

    if (max_cols > 0 && total > (size_t)max_cols) {
        budget = (size_t)max_cols - 1; /* room for the ellipsis, one column wide */
        cut = true;
    }
    size_t i = 0;
    while (i < len) {
        int32_t cp;
        size_t n = silk_utf8_decode(text + i, len - i, &cp);
        int cw = silk_cp_width(cp);
        if ((size_t)col + (size_t)cw > budget)
            break;
        put_char(out, text + i, n, cp);
        col += cw;
        i += n;
    }
    if (cut) {
        fputs("…", out);
        col++;
    }
    return col;
}
