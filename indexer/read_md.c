/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the Markdown article reader (read_md.h). md4c (Debian's libmd4c, a
 * CommonMark parser) finds the blocks and inline spans; this file only turns its
 * callbacks into documents, so inline markup never reaches the stored text. */
#include "read_md.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>

#include "silk/buf.h"

/* CommonMark plus GitHub tables and ~~strike~~; raw HTML is recognised so that it can be
 * dropped rather than stored as text. */
#define MD_FLAGS (MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH)

/* The section path from the heading stack. */
static char *md_path(char *const *stack)
{
    silk_buf_t p = SILK_BUF_INIT;
    for (int l = 1; l <= 6; l++) {
        if (!stack[l])
            continue;
        if ((p.len && silk_buf_adds(&p, SILK_SECTION_SEP) != SILK_OK) ||
            silk_buf_adds(&p, stack[l]) != SILK_OK) {
            silk_buf_free(&p);
            return NULL;
        }
    }
    return silk_buf_steal(&p, NULL);
}

/* State of one parse. */
typedef struct {
    silk_builder_t *b;      /* the builder */
    char *stack[7];         /* open heading at each level 1..6 */
    char *section;          /* current section path */
    silk_section_kind_t sk; /* what list items are in the current section */
    silk_buf_t text;        /* text of the open heading, paragraph, item or cell */
    int in_heading;         /* level of the open heading, 0: none */
    int items;              /* open list items */
    int in_table;           /* inside a table */
    int in_html;            /* inside a raw HTML block: its text is dropped */
    silk_buf_t rows;        /* the open table's rows, one a line, " | " between cells */
    size_t row_cells;       /* cells in the open row */
    int infobox_ok;         /* a table now would be the infobox */
    silk_status_t rc;       /* the first failure */
} md_t;

static int fail(md_t *m, silk_status_t rc)
{
    if (rc != SILK_OK && m->rc == SILK_OK)
        m->rc = rc;
    return m->rc == SILK_OK ? 0 : -1;
}

/* Appends `n` bytes; '\n' (soft breaks, code lines) is kept until the block ends, so a
 * paragraph of `|` lines can still be seen as a table. */
static int add(md_t *m, const char *s, size_t n)
{
    return fail(m, silk_buf_add(&m->text, s, n));
}

/* The text of the open block, trimmed; *n gets its length. */
static const char *block_text(md_t *m, size_t *n)
{
    const char *s = m->text.data ? m->text.data : "";
    *n = m->text.len;
    silk_str_trim(&s, n);
    return s;
}

/* A paragraph whose every line starts with '|' is a table without a `---|` row (a
 * CommonMark table needs one); read as the table it was meant to be. */
static int pipe_lines(const char *s, size_t n)
{
    int at_start = 1;
    for (size_t i = 0; i < n; i++) {
        if (at_start && s[i] != '|')
            return 0;
        at_start = s[i] == '\n';
    }
    return n > 0;
}

static void newlines_to_spaces(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n')
            s[i] = ' ';
}

/* Ends a paragraph or code block outside lists: a document. */
static int end_paragraph(md_t *m)
{
    size_t n;
    const char *s = block_text(m, &n);
    silk_status_t rc;
    if (pipe_lines(s, n)) {
        silk_line_t *lines = NULL;
        size_t nl = 0;
        rc = silk_lines_split(s, n, &lines, &nl);
        if (rc == SILK_OK)
            rc = silk_builder_table(m->b, lines, nl, m->infobox_ok, m->section);
        free(lines);
        m->infobox_ok = 0;
    } else {
        newlines_to_spaces((char *)s, n);
        unsigned before = silk_builder_paragraphs(m->b);
        rc = silk_builder_paragraph(m->b, s, n, m->section);
        /* The infobox may follow the lead only. */
        m->infobox_ok = silk_builder_paragraphs(m->b) == 1 && before == 0;
    }
    m->text.len = 0;
    return fail(m, rc);
}

/* Ends a list item: a reference or reading under those headings, else a paragraph. */
static int end_item(md_t *m)
{
    size_t n;
    const char *s = block_text(m, &n);
    newlines_to_spaces((char *)s, n);
    silk_status_t rc = m->sk == SILK_SECTION_PROSE
                           ? silk_builder_paragraph(m->b, s, n, m->section)
                           : silk_builder_item(m->b, m->sk == SILK_SECTION_REFS, s, n, m->section);
    m->text.len = 0;
    m->infobox_ok = 0;
    return fail(m, rc);
}

static int end_heading(md_t *m)
{
    size_t n;
    const char *s = block_text(m, &n);
    newlines_to_spaces((char *)s, n);
    int lvl = m->in_heading;
    for (int l = lvl; l <= 6; l++) {
        free(m->stack[l]);
        m->stack[l] = NULL;
    }
    m->in_heading = 0;
    if (!(m->stack[lvl] = strndup(s, n)))
        return fail(m, SILK_ERR_NOMEM);
    m->text.len = 0;
    free(m->section);
    if (!(m->section = md_path(m->stack)))
        return fail(m, SILK_ERR_NOMEM);
    m->sk = silk_section_kind(m->stack[lvl], n);
    silk_builder_heading_seen(m->b);
    m->infobox_ok = 0;
    return 0;
}

static int end_cell(md_t *m)
{
    size_t n;
    const char *s = block_text(m, &n);
    newlines_to_spaces((char *)s, n);
    if (n) {
        if (m->row_cells && fail(m, silk_buf_adds(&m->rows, " | ")) < 0)
            return -1;
        if (fail(m, silk_buf_add(&m->rows, s, n)) < 0)
            return -1;
        m->row_cells++;
    }
    m->text.len = 0;
    return 0;
}

static int end_table(md_t *m)
{
    silk_line_t *lines = NULL;
    size_t nl = 0;
    silk_status_t rc = silk_lines_split(m->rows.data ? m->rows.data : "", m->rows.len, &lines, &nl);
    if (rc == SILK_OK)
        rc = silk_builder_table(m->b, lines, nl, m->infobox_ok, m->section);
    free(lines);
    m->infobox_ok = 0;
    m->rows.len = 0;
    m->row_cells = 0;
    m->in_table = 0;
    m->text.len = 0;
    return fail(m, rc);
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    md_t *m = ud;
    switch (type) {
    case MD_BLOCK_H:
        m->text.len = 0;
        m->in_heading = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
        break;
    case MD_BLOCK_LI:
        /* A nested list ends the text of the item it is in: each item is one document. */
        if (m->items && m->text.len && end_item(m) < 0)
            return -1;
        m->items++;
        m->text.len = 0;
        break;
    case MD_BLOCK_TABLE:
        if (m->items && m->text.len && end_item(m) < 0)
            return -1;
        m->in_table = 1;
        m->rows.len = 0;
        m->row_cells = 0;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        m->text.len = 0;
        break;
    case MD_BLOCK_HTML:
        m->in_html = 1;
        break;
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
        /* Inside an item the paragraphs join into its text. */
        if (m->items && m->text.len)
            return add(m, " ", 1);
        break;
    default:
        break;
    }
    return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    md_t *m = ud;
    (void)detail;
    switch (type) {
    case MD_BLOCK_H:
        return end_heading(m);
    case MD_BLOCK_LI:
        m->items--;
        return m->text.len ? end_item(m) : 0;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
        return end_cell(m);
    case MD_BLOCK_TR:
        if (m->row_cells && fail(m, silk_buf_addc(&m->rows, '\n')) < 0)
            return -1;
        m->row_cells = 0;
        return 0;
    case MD_BLOCK_TABLE:
        return end_table(m);
    case MD_BLOCK_HTML:
        m->in_html = 0;
        return 0;
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
        if (m->items || m->in_table)
            return 0;
        return end_paragraph(m);
    default:
        return 0;
    }
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
    (void)type, (void)detail, (void)ud;
    return 0; /* spans only mark up the text inside them, which is kept */
}

static int no_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    (void)type, (void)detail, (void)ud;
    return 0; /* the title line is read for its text only */
}

/* Appends the UTF-8 form of code point c (U+FFFD when it is not one). */
static int add_codepoint(md_t *m, unsigned long c)
{
    char u[4];
    size_t k;
    if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        c = 0xFFFD;
    if (c < 0x80)
        u[0] = (char)c, k = 1;
    else if (c < 0x800)
        u[0] = (char)(0xC0 | c >> 6), u[1] = (char)(0x80 | (c & 0x3F)), k = 2;
    else if (c < 0x10000)
        u[0] = (char)(0xE0 | c >> 12), u[1] = (char)(0x80 | (c >> 6 & 0x3F)),
        u[2] = (char)(0x80 | (c & 0x3F)), k = 3;
    else
        u[0] = (char)(0xF0 | c >> 18), u[1] = (char)(0x80 | (c >> 12 & 0x3F)),
        u[2] = (char)(0x80 | (c >> 6 & 0x3F)), u[3] = (char)(0x80 | (c & 0x3F)), k = 4;
    return add(m, u, k);
}

/* An entity as its character: numeric ones and the common named ones; any other is kept
 * as written (md4c hands over only well-formed entity names). */
static int add_entity(md_t *m, const char *s, size_t n)
{
    static const struct {
        const char *name;
        const char *text;
    } named[] = {{"&amp;", "&"},
                 {"&lt;", "<"},
                 {"&gt;", ">"},
                 {"&quot;", "\""},
                 {"&apos;", "'"},
                 {"&nbsp;", " "},
                 {"&ndash;", "\xe2\x80\x93"},
                 {"&mdash;", "\xe2\x80\x94"},
                 {"&hellip;", "\xe2\x80\xa6"},
                 {"&copy;", "\xc2\xa9"}};
    if (n >= 4 && s[1] == '#') {
        int hex = s[2] == 'x' || s[2] == 'X';
        unsigned long c = 0;
        for (size_t i = hex ? 3 : 2; i + 1 < n && c <= 0x10FFFF; i++) {
            char d = s[i];
            unsigned v = d >= '0' && d <= '9'   ? (unsigned)(d - '0')
                         : d >= 'a' && d <= 'f' ? (unsigned)(d - 'a' + 10)
                         : d >= 'A' && d <= 'F' ? (unsigned)(d - 'A' + 10)
                                                : 0;
            c = c * (hex ? 16 : 10) + v;
        }
        return add_codepoint(m, c);
    }
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (strlen(named[i].name) == n && memcmp(named[i].name, s, n) == 0)
            return add(m, named[i].text, strlen(named[i].text));
    return add(m, s, n);
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
    md_t *m = ud;
    if (m->in_html)
        return 0;
    switch (type) {
    case MD_TEXT_HTML:
        return 0; /* inline tags are markup, not text */
    case MD_TEXT_ENTITY:
        return add_entity(m, s, n);
    case MD_TEXT_NULLCHAR:
        return add(m, "\xef\xbf\xbd", 3);
    case MD_TEXT_BR:
        return add(m, " ", 1);
    case MD_TEXT_SOFTBR:
        return add(m, "\n", 1);
    default:
        return add(m, s, n);
    }
}

static const MD_PARSER md_parser = {
    .abi_version = 0,
    .flags = MD_FLAGS,
    .enter_block = enter_block,
    .leave_block = leave_block,
    .enter_span = enter_span,
    .leave_span = enter_span,
    .text = on_text,
};

/* The rendered text of the Markdown heading line s[0..n) (copied into *out). */
static silk_status_t heading_line_text(const char *s, size_t n, silk_buf_t *out)
{
    md_t m = {0};
    if (md_parse(s, (MD_SIZE)n,
                 &(MD_PARSER){.flags = MD_FLAGS,
                              .enter_block = no_block,
                              .leave_block = no_block,
                              .enter_span = enter_span,
                              .leave_span = enter_span,
                              .text = on_text},
                 &m) != 0 ||
        m.rc != SILK_OK) {
        silk_buf_free(&m.text);
        return SILK_ERR_NOMEM;
    }
    *out = m.text;
    return SILK_OK;
}

/* 1 when s[0..n) is an ATX level-1 heading ("# Title"). */
static int is_h1(const char *s, size_t n)
{
    return (n == 1 && s[0] == '#') || (n >= 2 && s[0] == '#' && (s[1] == ' ' || s[1] == '\t'));
}

/* Sets the article title (a level-1 heading on the first line, else the front matter's
 * `title:`, else the article name) and *body to the first line after front matter and
 * title. */
static silk_status_t md_title(silk_builder_t *b, const silk_line_t *lines, size_t nl, size_t *body)
{
    size_t i = 0;
    char *fm_title = NULL;
    if (nl && lines[0].n == 3 && memcmp(lines[0].s, "---", 3) == 0) {
        size_t j = 1;
        while (j < nl && !(lines[j].n == 3 && memcmp(lines[j].s, "---", 3) == 0))
            j++;
        if (j < nl) {
            for (size_t k = 1; k < j; k++)
                if (silk_str_starts(lines[k].s, lines[k].n, "title:") && !fm_title) {
                    const char *t = lines[k].s + 6;
                    size_t tn = lines[k].n - 6;
                    silk_str_trim(&t, &tn);
                    if (tn >= 2 && (t[0] == '"' || t[0] == '\'') && t[tn - 1] == t[0])
                        t++, tn -= 2;
                    if (!(fm_title = strndup(t, tn)))
                        goto fail;
                }
            i = j + 1;
        }
    }
    while (i < nl && lines[i].n == 0)
        i++;
    if (i < nl) {
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        silk_str_trim(&s, &n);
        if (is_h1(s, n)) {
            silk_buf_t h = SILK_BUF_INIT;
            if (heading_line_text(s, n, &h) != SILK_OK)
                goto fail;
            const char *t = h.data ? h.data : "";
            size_t tn = h.len;
            silk_str_trim(&t, &tn);
            silk_status_t r = silk_builder_set_title(b, t, tn);
            silk_buf_free(&h);
            if (r != SILK_OK)
                goto fail;
            i++;
        }
    }
    if (!silk_builder_has_title(b)) {
        const char *t = fm_title ? fm_title : silk_builder_name(b);
        if (silk_builder_set_title(b, t, strlen(t)) != SILK_OK)
            goto fail;
    }
    free(fm_title);
    *body = i;
    return SILK_OK;
fail:
    free(fm_title);
    return SILK_ERR_NOMEM;
}

/* The body lines joined with '\n', with a blank line put before each unindented `|` line
 * that follows a line of prose outside a code fence. CommonMark would read such a line as a
 * lazy continuation of the paragraph or list item above it; silk's articles (and the
 * plain-text form) start a table there, so the table stays a document of its own. */
static silk_status_t body_text(const silk_line_t *lines, size_t nl, silk_buf_t *out)
{
    int fence = 0, prose_before = 0;
    for (size_t i = 0; i < nl; i++) {
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        const char *t = s;
        size_t tn = n;
        silk_str_trim(&t, &tn);
        if (silk_str_starts(t, tn, "```") || silk_str_starts(t, tn, "~~~"))
            fence = !fence;
        int pipe = n && s[0] == '|';
        if (!fence && pipe && prose_before && silk_buf_addc(out, '\n') != SILK_OK)
            return SILK_ERR_NOMEM;
        prose_before = !fence && tn && !pipe;
        if (silk_buf_add(out, s, n) != SILK_OK || silk_buf_addc(out, '\n') != SILK_OK)
            return SILK_ERR_NOMEM;
    }
    return SILK_OK;
}

silk_status_t silk_read_md(silk_builder_t *b, const silk_line_t *lines, size_t nl)
{
    md_t m = {0};
    m.b = b;
    m.rc = SILK_OK;
    size_t i = 0;
    silk_status_t rc = md_title(b, lines, nl, &i);
    if (rc != SILK_OK)
        return rc;
    if (!(m.section = strdup("")))
        return SILK_ERR_NOMEM;
    silk_buf_t body = SILK_BUF_INIT;
    if (i < nl && body_text(lines + i, nl - i, &body) != SILK_OK)
        m.rc = SILK_ERR_NOMEM;
    else if (body.len && md_parse(body.data, (MD_SIZE)body.len, &md_parser, &m) != 0 &&
             m.rc == SILK_OK)
        m.rc = SILK_ERR_NOMEM; /* md4c fails only when out of memory */
    silk_buf_free(&body);
    for (int l = 0; l < 7; l++)
        free(m.stack[l]);
    free(m.section);
    silk_buf_free(&m.text);
    silk_buf_free(&m.rows);
    return m.rc;
}
