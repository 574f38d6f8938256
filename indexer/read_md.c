/* silk-index — the Markdown article reader (read_md.h). */
#include "read_md.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Appends Markdown inline text to out: links and images keep their text, ** and __ go. */
static int md_inline(const char *s, size_t n, silk_buf_t *out)
{
    size_t i = 0;
    /* The next ']' and ')' found so far (n: none), so that a line of many '[' is scanned
     * once, not once per '['. */
    size_t next_close = 0, next_paren = 0;
    int have_close = 0, have_paren = 0;
    while (i < n) {
        if ((s[i] == '[' || (s[i] == '!' && i + 1 < n && s[i + 1] == '['))) {
            size_t open = s[i] == '!' ? i + 1 : i;
            if (!have_close || (next_close < n && next_close < open)) {
                const char *c = memchr(s + open, ']', n - open);
                next_close = c ? (size_t)(c - s) : n;
                have_close = 1;
            }
            const char *close = next_close < n ? s + next_close : NULL;
            if (close && (size_t)(close - s) + 1 < n && close[1] == '(') {
                if (!have_paren || (next_paren < n && next_paren < next_close)) {
                    const char *p = memchr(close, ')', n - next_close);
                    next_paren = p ? (size_t)(p - s) : n;
                    have_paren = 1;
                }
                const char *rp = next_paren < n ? s + next_paren : NULL;
                if (rp) {
                    if (silk_buf_add(out, s + open + 1, (size_t)(close - (s + open + 1))) !=
                        SILK_OK)
                        return -1;
                    i = (size_t)(rp - s) + 1;
                    continue;
                }
            }
        }
        if (i + 1 < n && ((s[i] == '*' && s[i + 1] == '*') || (s[i] == '_' && s[i + 1] == '_'))) {
            i += 2;
            continue;
        }
        if (silk_buf_addc(out, s[i]) != SILK_OK)
            return -1;
        i++;
    }
    return 0;
}

static size_t md_heading_level(const char *s, size_t n)
{
    size_t lvl = 0;
    while (lvl < n && s[lvl] == '#')
        lvl++;
    if (lvl == 0 || lvl > 6 || (lvl < n && s[lvl] != ' ' && s[lvl] != '\t'))
        return 0;
    return lvl;
}

/* Heading text without the #s (leading and closing). */
static void md_heading_text(const char *s, size_t n, size_t lvl, const char **t, size_t *tn)
{
    *t = s + lvl;
    *tn = n - lvl;
    silk_str_trim(t, tn);
    while (*tn && (*t)[*tn - 1] == '#')
        (*tn)--;
    silk_str_trim(t, tn);
}

/* Length of a list marker ("- ", "* ", "+ ", "12. ", "3) ") at s, 0 when none. */
static size_t md_list_marker(const char *s, size_t n)
{
    if (n >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t'))
        return 2;
    size_t i = 0;
    while (i < n && i < 9 && isdigit((unsigned char)s[i]))
        i++;
    if (i > 0 && i + 1 < n && (s[i] == '.' || s[i] == ')') && (s[i + 1] == ' ' || s[i + 1] == '\t'))
        return i + 2;
    return 0;
}

static int md_is_rule(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == c)
            k++;
        else if (s[i] != ' ')
            return 0;
    }
    return k >= 3;
}

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

typedef enum { MD_NONE, MD_PARA, MD_ITEM, MD_TABLE, MD_CODE } md_block_t;

/* State of the Markdown parser. */
typedef struct {
    silk_builder_t *b;      /* the builder */
    char *stack[7];         /* open heading at each level 1..6 */
    char *section;          /* current section path */
    silk_section_kind_t sk; /* what list items are in the current section */
    md_block_t block;       /* the open block */
    silk_buf_t text;        /* its text so far */
    silk_line_t *rows;      /* table rows of an open table */
    size_t nrows;           /* rows */
    size_t rows_cap;        /* allocated */
    int infobox_ok;         /* a table now would be the infobox */
    size_t para_lines;      /* lines in the open paragraph */
} md_t;

/* Ends the open block, emitting its document. */
static int md_flush(md_t *m)
{
    silk_status_t rc = SILK_OK;
    silk_builder_t *b = m->b;
    const char *text = m->text.data ? m->text.data : "";
    switch (m->block) {
    case MD_NONE:
        break;
    case MD_PARA:
    case MD_CODE: {
        unsigned before = silk_builder_paragraphs(b);
        rc = silk_builder_paragraph(b, text, m->text.len, m->section);
        /* The infobox may follow the lead only. */
        m->infobox_ok = silk_builder_paragraphs(b) == 1 && before == 0;
        break;
    }
    case MD_ITEM:
        if (m->sk == SILK_SECTION_PROSE)
            rc = silk_builder_paragraph(b, text, m->text.len, m->section);
        else
            rc = silk_builder_item(b, m->sk == SILK_SECTION_REFS, text, m->text.len, m->section);
        m->infobox_ok = 0;
        break;
    case MD_TABLE:
        rc = silk_builder_table(b, m->rows, m->nrows, m->infobox_ok, m->section);
        m->infobox_ok = 0;
        m->nrows = 0;
        break;
    }
    m->block = MD_NONE;
    m->text.len = 0;
    return rc == SILK_OK ? 0 : -1;
}

static int md_heading(md_t *m, size_t lvl, const char *t, size_t tn)
{
    if (md_flush(m) < 0)
        return -1;
    for (size_t l = lvl; l <= 6; l++) {
        free(m->stack[l]);
        m->stack[l] = NULL;
    }
    silk_buf_t h = SILK_BUF_INIT;
    if (md_inline(t, tn, &h) < 0) {
        silk_buf_free(&h);
        return -1;
    }
    m->stack[lvl] = silk_buf_steal(&h, NULL);
    silk_buf_free(&h);
    free(m->section);
    m->section = md_path(m->stack);
    if (!m->stack[lvl] || !m->section)
        return -1;
    m->sk = silk_section_kind(m->stack[lvl], strlen(m->stack[lvl]));
    silk_builder_heading_seen(m->b);
    m->infobox_ok = 0;
    return 0;
}

static int md_add_text(md_t *m, const char *s, size_t n)
{
    if (m->text.len && silk_buf_addc(&m->text, ' ') != SILK_OK)
        return -1;
    return md_inline(s, n, &m->text);
}

/* Sets the article title (a level-1 heading on the first line, else the front matter's
 * `title:`, else the article name) and *body to the first line after front matter and
 * title. */
static silk_status_t md_title(silk_builder_t *b, const silk_line_t *lines, size_t nl, size_t *body)
{
    size_t i = 0;
    char *fm_title = NULL;
    /* Front matter. */
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
        if (md_heading_level(s, n) == 1) {
            const char *t;
            size_t tn;
            md_heading_text(s, n, 1, &t, &tn);
            silk_buf_t h = SILK_BUF_INIT;
            int r = md_inline(t, tn, &h) < 0 ||
                    silk_builder_set_title(b, h.data ? h.data : "", h.len) != SILK_OK;
            silk_buf_free(&h);
            if (r)
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

silk_status_t silk_read_md(silk_builder_t *b, const silk_line_t *lines, size_t nl)
{
    md_t m = {0};
    m.b = b;
    silk_status_t rc = SILK_ERR_NOMEM;
    size_t i = 0;
    if (md_title(b, lines, nl, &i) != SILK_OK)
        goto out;
    if (!(m.section = strdup("")))
        goto out;
    for (; i < nl; i++) {
        const char *raw = lines[i].s;
        size_t rn = lines[i].n;
        const char *s = raw;
        size_t n = rn;
        silk_str_trim(&s, &n);
        if (m.block == MD_CODE) {
            if (silk_str_starts(s, n, "```") || silk_str_starts(s, n, "~~~")) {
                if (md_flush(&m) < 0)
                    goto out;
            } else {
                if ((m.text.len && silk_buf_addc(&m.text, ' ') != SILK_OK) ||
                    silk_buf_add(&m.text, s, n) != SILK_OK)
                    goto out;
            }
            continue;
        }
        if (n == 0) {
            if (m.block != MD_ITEM && md_flush(&m) < 0)
                goto out;
            if (m.block == MD_ITEM) {
                /* A blank line ends the item unless an indented continuation follows. */
                if (!(i + 1 < nl && lines[i + 1].n > 0 &&
                      (lines[i + 1].s[0] == ' ' || lines[i + 1].s[0] == '\t')))
                    if (md_flush(&m) < 0)
                        goto out;
            }
            continue;
        }
        size_t lvl = md_heading_level(s, n);
        if (lvl && raw[0] == '#') {
            const char *t;
            size_t tn;
            md_heading_text(s, n, lvl, &t, &tn);
            if (md_heading(&m, lvl, t, tn) < 0)
                goto out;
            continue;
        }
        /* Setext heading: one paragraph line underlined by === or ---. */
        if (m.block == MD_PARA && m.para_lines == 1 &&
            (md_is_rule(s, n, '=') || md_is_rule(s, n, '-'))) {
            char *t = silk_str_from_buf(&m.text, NULL);
            if (!t)
                goto out;
            m.block = MD_NONE;
            m.text.len = 0;
            int r = md_heading(&m, s[0] == '=' ? 1 : 2, t, strlen(t));
            free(t);
            if (r < 0)
                goto out;
            continue;
        }
        if (md_is_rule(s, n, '-') || md_is_rule(s, n, '*') || md_is_rule(s, n, '_')) {
            if (md_flush(&m) < 0)
                goto out;
            continue;
        }
        if (silk_str_starts(s, n, "```") || silk_str_starts(s, n, "~~~")) {
            if (md_flush(&m) < 0)
                goto out;
            m.block = MD_CODE;
            continue;
        }
        size_t lm = md_list_marker(s, n);
        if (lm && (raw[0] != ' ' || m.block != MD_ITEM)) {
            if (md_flush(&m) < 0)
                goto out;
            m.block = MD_ITEM;
            if (md_add_text(&m, s + lm, n - lm) < 0)
                goto out;
            continue;
        }
        if (m.block == MD_ITEM && (raw[0] == ' ' || raw[0] == '\t')) {
            if (md_add_text(&m, s, n) < 0)
                goto out;
            continue;
        }
        if (s[0] == '|' || (memchr(s, '|', n) && m.block == MD_TABLE)) {
            if (m.block != MD_TABLE && md_flush(&m) < 0)
                goto out;
            m.block = MD_TABLE;
            if (SILK_GROW(m.rows, m.rows_cap, m.nrows + 1) != SILK_OK)
                goto out;
            m.rows[m.nrows++] = (silk_line_t){s, n, lines[i].lineno};
            continue;
        }
        if (s[0] == '>') {
            s++, n--;
            silk_str_trim(&s, &n);
        }
        if (m.block != MD_PARA && md_flush(&m) < 0)
            goto out;
        if (m.block != MD_PARA)
            m.para_lines = 0;
        m.block = MD_PARA;
        m.para_lines++;
        if (md_add_text(&m, s, n) < 0)
            goto out;
    }
    if (md_flush(&m) < 0)
        goto out;
    rc = SILK_OK;
out:
    for (int l = 0; l < 7; l++)
        free(m.stack[l]);
    free(m.section);
    silk_buf_free(&m.text);
    free(m.rows);
    return rc;
}
