/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the plain-text article reader (read_txt.h). */
#include "read_txt.h"

#include <stdlib.h>
#include <string.h>

#define HEADING_MAX_CHARS 80   /* a longer line is prose, never a heading */
#define RUN_MAX           4096 /* heading candidates held at once (read_txt.h) */

/* Characters (not bytes) of the UTF-8 text s[0..n). */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static int is_standard_section(const char *s, size_t n)
{
    static const char *const names[] = {"see also", "notes", "external links"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (silk_str_eq_nocase(s, n, names[i]))
            return 1;
    /* References and further reading, in every language silk_section_kind knows. */
    return silk_section_kind(s, n) != SILK_SECTION_PROSE;
}

/* What a line after the title is. */
typedef enum {
    L_BLANK,   /* the end of the file */
    L_PROSE,   /* a paragraph */
    L_CAND,    /* heading candidate: short, no final punctuation */
    L_LIST,    /* "- item" */
    L_INFOBOX, /* a row of the infobox */
} line_class_t;

/* Where the infobox stands. */
typedef enum {
    IB_MAYBE, /* it may start at the first or second non-blank line after the title */
    IB_IN,    /* its rows are coming */
    IB_DONE,  /* it ended, or there is none */
} infobox_t;

struct silk_txt_reader {
    silk_builder_t *b;         /* where the documents go */
    int titled;                /* the title came */
    unsigned nonblank;         /* non-blank lines after the title (counted up to 2) */
    infobox_t ibox;            /* the infobox */
    silk_strvec_t rows;        /* its rows, until it ends */
    silk_buf_t run;            /* the pending run of heading candidates: their bytes */
    size_t *run_off, *run_len; /* each candidate's place in run */
    size_t nrun, run_cap;      /* candidates held, allocated */
    char *section;             /* the current heading (NULL: none yet) */
    silk_section_kind_t sk;    /* what its `- ` items are */
};

static int ends_final_punct(const char *s, size_t n)
{
    static const char *const finals[] = {".",
                                         "!",
                                         "?",
                                         ":",
                                         ";",
                                         ",",
                                         "\"",
                                         ")",
                                         "]",
                                         "\xe2\x80\x9d", /* ” */
                                         "\xe2\x80\xa6", /* … */
                                         "\xe3\x80\x82", /* 。 */
                                         "\xef\xbc\x81", /* ！ */
                                         "\xef\xbc\x9f", /* ？ */
                                         "\xc2\xbb",     /* » */
                                         "\xe2\x80\x99", /* ’ */
                                         "'"};
    for (size_t i = 0; i < sizeof finals / sizeof *finals; i++)
        if (silk_str_ends(s, n, finals[i]))
            return 1;
    return 0;
}

static int is_list_line(const char *s, size_t n)
{
    return (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') ||
           silk_str_starts(s, n, "\xe2\x80\xa2 "); /* • */
}

static size_t list_marker_len(const char *s, size_t n)
{
    if (silk_str_starts(s, n, "\xe2\x80\xa2 "))
        return 4;
    return 2;
}

/* A heading: the section of what follows. */
static silk_status_t heading(silk_txt_reader_t *r, const char *s, size_t n)
{
    char *sec = strndup(s, n);
    if (!sec)
        return SILK_ERR_NOMEM;
    free(r->section);
    r->section = sec;
    r->sk = silk_section_kind(s, n);
    silk_builder_heading_seen(r->b);
    return SILK_OK;
}

/* Decides the pending run of heading candidates, given the class of the non-blank line
 * after it (L_BLANK at the end of the file), and adds it: each candidate is a heading or
 * a short paragraph of its section. Standard section names are headings and split the
 * run into segments, each decided on its own: the last line of a segment is a heading
 * when prose, a list line or the infobox follows it, the first one when the segment has
 * three or more lines. */
static silk_status_t flush_run(silk_txt_reader_t *r, line_class_t next)
{
    size_t nr = r->nrun, seg = 0;
    const char *base = r->run.data;
    r->nrun = 0;
    r->run.len = 0;
    while (seg < nr) {
        size_t e = seg;
        while (e < nr && !is_standard_section(base + r->run_off[e], r->run_len[e]))
            e++;
        int after_heads = e == nr && (next == L_PROSE || next == L_LIST || next == L_INFOBOX);
        size_t len = e - seg;
        for (size_t k = seg; k < e; k++) {
            const char *s = base + r->run_off[k];
            size_t n = r->run_len[k];
            int head = (k == e - 1 && after_heads) || (k == seg && len >= 3);
            silk_status_t st =
                head ? heading(r, s, n) : silk_builder_paragraph(r->b, s, n, r->section);
            if (st != SILK_OK)
                return st;
        }
        if (e < nr && heading(r, base + r->run_off[e], r->run_len[e]) != SILK_OK)
            return SILK_ERR_NOMEM;
        seg = e + 1;
    }
    return SILK_OK;
}

/* Holds one more heading candidate. A run of RUN_MAX is decided first as if another
 * candidate followed it (read_txt.h): the lookahead stays bounded. */
static silk_status_t hold(silk_txt_reader_t *r, const char *s, size_t n)
{
    silk_status_t st;
    if (r->nrun == RUN_MAX && (st = flush_run(r, L_CAND)) != SILK_OK)
        return st;
    if (r->nrun == r->run_cap) {
        size_t cap = r->run_cap ? r->run_cap * 2 : 16;
        size_t *off = realloc(r->run_off, cap * sizeof *off);
        if (!off)
            return SILK_ERR_NOMEM;
        r->run_off = off;
        size_t *len = realloc(r->run_len, cap * sizeof *len);
        if (!len)
            return SILK_ERR_NOMEM;
        r->run_len = len;
        r->run_cap = cap;
    }
    r->run_off[r->nrun] = r->run.len;
    r->run_len[r->nrun] = n;
    if ((st = silk_buf_add(&r->run, s, n)) != SILK_OK)
        return st;
    r->nrun++;
    return SILK_OK;
}

/* The infobox ended: its rows become its one document. */
static silk_status_t end_infobox(silk_txt_reader_t *r)
{
    r->ibox = IB_DONE;
    silk_line_t *rows = calloc(r->rows.n ? r->rows.n : 1, sizeof *rows);
    if (!rows)
        return SILK_ERR_NOMEM;
    for (size_t i = 0; i < r->rows.n; i++)
        rows[i] = (silk_line_t){r->rows.v[i], strlen(r->rows.v[i]), i + 1};
    silk_status_t st = silk_builder_table(r->b, rows, r->rows.n, 1, NULL);
    free(rows);
    silk_strvec_free(&r->rows);
    return st;
}

silk_status_t silk_txt_reader_new(silk_builder_t *b, silk_txt_reader_t **out)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return SILK_ERR_NOMEM;
    (*out)->b = b;
    return SILK_OK;
}

void silk_txt_reader_destroy(silk_txt_reader_t *r)
{
    if (!r)
        return;
    silk_strvec_free(&r->rows);
    silk_buf_free(&r->run);
    free(r->run_off);
    free(r->run_len);
    free(r->section);
    free(r);
}

silk_status_t silk_txt_reader_line(silk_txt_reader_t *r, const char *s, size_t n)
{
    silk_status_t st;
    silk_str_trim(&s, &n);
    /* Blank lines separate nothing: they neither end a run nor the infobox. */
    if (n == 0)
        return SILK_OK;
    /* The first non-blank line is the title. */
    if (!r->titled) {
        r->titled = 1;
        return silk_builder_set_title(r->b, s, n);
    }
    if (r->nonblank < 2)
        r->nonblank++;
    int list = is_list_line(s, n);
    int row = !list && memchr(s, '|', n) != NULL;
    /* The infobox: the run of lines with '|' from the first or the second non-blank line
     * after the title on. */
    if (r->ibox == IB_IN) {
        if (row)
            return silk_strvec_push(&r->rows, s, n);
        if ((st = end_infobox(r)) != SILK_OK)
            return st;
    } else if (r->ibox == IB_MAYBE) {
        if (row) {
            if ((st = flush_run(r, L_INFOBOX)) != SILK_OK)
                return st;
            r->ibox = IB_IN;
            return silk_strvec_push(&r->rows, s, n);
        }
        if (r->nonblank == 2)
            r->ibox = IB_DONE;
    }
    line_class_t cls = list                                                               ? L_LIST
                       : utf8_chars(s, n) <= HEADING_MAX_CHARS && !ends_final_punct(s, n) ? L_CAND
                                                                                          : L_PROSE;
    if (cls == L_CAND)
        return hold(r, s, n);
    if (r->nrun && (st = flush_run(r, cls)) != SILK_OK)
        return st;
    if (cls == L_PROSE)
        return silk_builder_paragraph(r->b, s, n, r->section);
    size_t m = list_marker_len(s, n);
    return r->sk == SILK_SECTION_PROSE
               ? silk_builder_paragraph(r->b, s + m, n - m, r->section)
               : silk_builder_item(r->b, r->sk == SILK_SECTION_REFS, s + m, n - m, r->section);
}

silk_status_t silk_txt_reader_end(silk_txt_reader_t *r)
{
    if (r->ibox == IB_IN)
        return end_infobox(r);
    return r->nrun ? flush_run(r, L_BLANK) : SILK_OK;
}
