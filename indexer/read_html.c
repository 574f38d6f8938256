/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the HTML article reader (read_html.h). gumbo builds the tree; this file
 * only decides what each element is to the article, in one pass over the tree. */
#include "read_html.h"

#include <ctype.h>
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "silk/buf.h"
#include "strutil.h"

#define HTML_MAX_ERRORS 16  /* gumbo keeps no more error records than this */
#define TABLE_LOOKUP    64  /* ancestors looked at to find a cell's table */
#define HTML_MAX_DEPTH  512 /* deeper nesting (as the tags say) is refused before parsing */

/* What one walk over a subtree calls: enter() says whether to go into the children (leave()
 * comes only for the elements entered so); a non-OK status stops the walk. */
typedef int (*enter_fn)(void *ctx, const GumboNode *n);
typedef void (*leave_fn)(void *ctx, const GumboNode *n);

static const GumboVector *children(const GumboNode *n)
{
    if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE)
        return &n->v.element.children;
    if (n->type == GUMBO_NODE_DOCUMENT)
        return &n->v.document.children;
    return NULL;
}

/* Walks the subtree at root in document order without recursion: a page of a million
 * nested elements must not take a million stack frames. *stop ends the walk early. */
static void walk(const GumboNode *root, enter_fn enter, leave_fn leave, void *ctx, const int *stop)
{
    const GumboNode *n = root;
    while (!*stop) {
        if (enter(ctx, n)) {
            const GumboVector *c = children(n);
            if (c && c->length) {
                n = c->data[0];
                continue;
            }
            if (leave)
                leave(ctx, n);
        }
        for (;;) {
            if (n == root || *stop)
                return;
            const GumboNode *p = n->parent;
            const GumboVector *c = children(p);
            size_t i = n->index_within_parent + 1;
            if (c && i < c->length) {
                n = c->data[i];
                break;
            }
            n = p;
            if (leave)
                leave(ctx, n);
        }
    }
}

static const char *attr(const GumboNode *n, const char *name)
{
    const GumboAttribute *a = gumbo_get_attribute(&n->v.element.attributes, name);
    return a ? a->value : NULL;
}

/* 1 when the class attribute of element n holds the token `cls`. */
static int has_class(const GumboNode *n, const char *cls)
{
    const char *v = attr(n, "class");
    size_t k = strlen(cls);
    while (v && *v) {
        while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r' || *v == '\f')
            v++;
        size_t w = strcspn(v, " \t\n\r\f");
        if (w == k && memcmp(v, cls, k) == 0)
            return 1;
        v += w;
    }
    return 0;
}

static int is_element(const GumboNode *n, GumboTag tag)
{
    return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == tag;
}

/* Elements that are page furniture, not article text: skipped with their contents. */
static int is_skipped(const GumboNode *n)
{
    static const char *const classes[] = {"navbox",
                                          "vertical-navbox",
                                          "navbox-styles",
                                          "mw-editsection",
                                          "toc",
                                          "noprint",
                                          "hatnote",
                                          "catlinks",
                                          "mw-cite-backlink",
                                          "mw-jump-link",
                                          "infobox-above",
                                          "infobox-image",
                                          "metadata",
                                          "sistersitebox",
                                          "mw-empty-elt",
                                          "reflist-lower-alpha-backlinks",
                                          "printfooter",
                                          "navigation-not-searchable"};
    switch (n->v.element.tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
        return 1;
    default:
        break;
    }
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++)
        if (has_class(n, classes[i]))
            return 1;
    const char *id = attr(n, "id");
    return id && (strcmp(id, "toc") == 0 || strcmp(id, "siteSub") == 0 ||
                  strcmp(id, "contentSub") == 0 || strcmp(id, "catlinks") == 0 ||
                  strcmp(id, "footer") == 0 || strcmp(id, "mw-navigation") == 0);
}

static int heading_level(const GumboNode *n)
{
    if (n->type != GUMBO_NODE_ELEMENT)
        return 0;
    switch (n->v.element.tag) {
    case GUMBO_TAG_H1:
        return 1;
    case GUMBO_TAG_H2:
        return 2;
    case GUMBO_TAG_H3:
        return 3;
    case GUMBO_TAG_H4:
        return 4;
    case GUMBO_TAG_H5:
        return 5;
    case GUMBO_TAG_H6:
        return 6;
    default:
        return 0;
    }
}

/* Elements that end the paragraph before them and start a new one. */
static int is_block(const GumboNode *n)
{
    switch (n->v.element.tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_CAPTION:
        return 1;
    default:
        return 0;
    }
}

/* 1 when the NUL-terminated s is valid UTF-8. */
static int utf8_ok(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        size_t k = c < 0x80                 ? 0
                   : c >= 0xC2 && c <= 0xDF ? 1
                   : c >= 0xE0 && c <= 0xEF ? 2
                   : c >= 0xF0 && c <= 0xF4 ? 3
                                            : 4;
        if (k == 4)
            return 0;
        for (size_t i = 1; i <= k; i++) /* stops at the NUL, which is no continuation */
            if ((s[i] & 0xC0) != 0x80)
                return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0) ||
            (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0;
        s += k + 1;
    }
    return 1;
}

static silk_status_t add_clean_text(silk_buf_t *out, const char *s);

/* Appends text with every run of white space as one space (none at the start). gumbo can
 * hand back invalid UTF-8 (a numeric character reference past 32 bits overflows into a
 * 0xFF byte), so text that is not valid UTF-8 is cleaned first (strutil.h). */
static silk_status_t add_text(silk_buf_t *out, const char *s)
{
    if (!utf8_ok((const unsigned char *)s)) {
        char *c = silk_corpus_clean_utf8(s, strlen(s), NULL);
        if (!c)
            return SILK_ERR_NOMEM;
        silk_status_t rc = add_clean_text(out, c);
        free(c);
        return rc;
    }
    return add_clean_text(out, s);
}

static silk_status_t add_clean_text(silk_buf_t *out, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            if (out->len && out->data[out->len - 1] != ' ' && silk_buf_addc(out, ' ') != SILK_OK)
                return SILK_ERR_NOMEM;
        } else if (silk_buf_addc(out, c) != SILK_OK) {
            return SILK_ERR_NOMEM;
        }
    }
    return SILK_OK;
}

/* ---- the title ------------------------------------------------------------------------- */

/* What the first pass finds. */
typedef struct {
    const GumboNode *first_heading; /* h1#firstHeading or h1.firstHeading */
    const GumboNode *h1;            /* the first <h1> */
    const GumboNode *title;         /* <title> */
    const GumboNode *output;        /* div.mw-parser-output */
    const GumboNode *body;          /* <body> */
} landmarks_t;

static int find_enter(void *ctx, const GumboNode *n)
{
    landmarks_t *l = ctx;
    if (n->type == GUMBO_NODE_DOCUMENT)
        return 1;
    if (n->type != GUMBO_NODE_ELEMENT)
        return 0;
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_H1) {
        const char *id = attr(n, "id");
        if (!l->first_heading &&
            ((id && strcmp(id, "firstHeading") == 0) || has_class(n, "firstHeading")))
            l->first_heading = n;
        if (!l->h1)
            l->h1 = n;
    } else if (t == GUMBO_TAG_TITLE && !l->title) {
        l->title = n;
    } else if (t == GUMBO_TAG_BODY && !l->body) {
        l->body = n;
    } else if (t == GUMBO_TAG_DIV && !l->output && has_class(n, "mw-parser-output")) {
        l->output = n;
    }
    return t != GUMBO_TAG_SCRIPT && t != GUMBO_TAG_STYLE;
}

/* The text under one node. */
typedef struct {
    silk_buf_t *out; /* where it goes */
    int stop;        /* out of memory */
} text_t;

static int text_enter(void *ctx, const GumboNode *n)
{
    text_t *t = ctx;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
        if (add_text(t->out, n->v.text.text) != SILK_OK)
            t->stop = 1;
        return 0;
    }
    return n->type == GUMBO_NODE_ELEMENT && !is_skipped(n);
}

static silk_status_t text_of(const GumboNode *n, silk_buf_t *out)
{
    text_t t = {out, 0};
    out->len = 0;
    walk(n, text_enter, NULL, &t, &t.stop);
    return t.stop ? SILK_ERR_NOMEM : SILK_OK;
}

static silk_status_t set_title(silk_builder_t *b, const landmarks_t *l, silk_buf_t *tmp)
{
    const GumboNode *src[] = {l->first_heading, l->h1, l->title};
    for (size_t i = 0; i < sizeof src / sizeof *src; i++) {
        if (!src[i])
            continue;
        if (text_of(src[i], tmp) != SILK_OK)
            return SILK_ERR_NOMEM;
        const char *s = tmp->data ? tmp->data : "";
        size_t n = tmp->len;
        silk_str_trim(&s, &n);
        if (src[i] == l->title && silk_str_ends(s, n, " - Wikipedia"))
            n -= strlen(" - Wikipedia");
        silk_str_trim(&s, &n);
        if (n)
            return silk_builder_set_title(b, s, n);
    }
    const char *name = silk_builder_name(b);
    return silk_builder_set_title(b, name, strlen(name));
}

/* ---- the documents ---------------------------------------------------------------------- */

/* State of the walk over the article's content. */
typedef struct {
    silk_builder_t *b;      /* the builder */
    const GumboNode *skip;  /* the title's heading, not read again as a heading */
    silk_buf_t cur;         /* text of the open paragraph, item, heading or cell */
    char *section;          /* the current heading text (NULL before the first) */
    silk_section_kind_t sk; /* what the items of the current section are */
    int heading;            /* inside a heading */
    int seen_heading;       /* a heading came: a table now is not the infobox */
    int refs_ol;            /* open <ol class="references"> */
    int items;              /* open <li> */
    const GumboNode *table; /* the outermost table being read (inner ones are text) */
    int table_infobox;      /* that table is the infobox */
    int infobox_done;       /* the infobox was read */
    silk_buf_t rows;        /* its rows so far, one a line, " | " between cells */
    size_t row_cells;       /* cells in the open row */
    silk_status_t rc;       /* the first failure */
    int stop;               /* rc is not OK */
} html_t;

static void failed(html_t *m, silk_status_t rc)
{
    if (rc != SILK_OK && m->rc == SILK_OK) {
        m->rc = rc;
        m->stop = 1;
    }
}

/* Ends the open paragraph or item: a document when it has text. */
static void flush(html_t *m)
{
    const char *s = m->cur.data ? m->cur.data : "";
    size_t n = m->cur.len;
    silk_str_trim(&s, &n);
    if (n) {
        int ref = m->refs_ol > 0 || m->sk == SILK_SECTION_REFS;
        if (m->items > 0 && (ref || m->sk == SILK_SECTION_READING))
            failed(m, silk_builder_item(m->b, ref, s, n, m->section));
        else
            failed(m, silk_builder_paragraph(m->b, s, n, m->section));
    }
    m->cur.len = 0;
}

/* 1 when cell or row n belongs to the table being read (not to a table inside it). */
static int in_our_table(const html_t *m, const GumboNode *n)
{
    const GumboNode *p = n->parent;
    for (int i = 0; p && i < TABLE_LOOKUP; i++, p = p->parent)
        if (is_element(p, GUMBO_TAG_TABLE))
            return p == m->table;
    return 0;
}

static int walk_enter(void *ctx, const GumboNode *n)
{
    html_t *m = ctx;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
        failed(m, add_text(&m->cur, n->v.text.text));
        return 0;
    }
    if (n->type != GUMBO_NODE_ELEMENT || n == m->skip || is_skipped(n))
        return 0;
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_BR || t == GUMBO_TAG_WBR) {
        failed(m, add_text(&m->cur, " "));
        return 0;
    }
    if (m->table) {
        if ((t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) && in_our_table(m, n))
            m->cur.len = 0;
        else if (!m->heading)
            failed(m, add_text(&m->cur, " ")); /* inner blocks and tables separate words */
        return 1;
    }
    if (m->heading)
        return 1;
    if (heading_level(n)) {
        flush(m);
        m->heading = 1;
        return 1;
    }
    if (t == GUMBO_TAG_TABLE) {
        flush(m);
        m->table = n;
        m->table_infobox = !m->infobox_done && !m->seen_heading && has_class(n, "infobox");
        m->rows.len = 0;
        m->row_cells = 0;
        return 1;
    }
    if (t == GUMBO_TAG_LI) {
        flush(m);
        m->items++;
        return 1;
    }
    if (is_block(n))
        flush(m);
    if (t == GUMBO_TAG_OL && has_class(n, "references"))
        m->refs_ol++;
    return 1;
}

/* Ends a cell: its text, trimmed, is the row's next cell. A '|' in it would split the
 * cell when the builder reads the row, so it becomes '/'. */
static void end_cell(html_t *m)
{
    const char *s = m->cur.data ? m->cur.data : "";
    size_t n = m->cur.len;
    silk_str_trim(&s, &n);
    if (n) {
        if (m->row_cells && silk_buf_adds(&m->rows, " | ") != SILK_OK)
            failed(m, SILK_ERR_NOMEM);
        size_t at = m->rows.len;
        if (silk_buf_add(&m->rows, s, n) != SILK_OK)
            failed(m, SILK_ERR_NOMEM);
        else
            for (size_t i = at; i < m->rows.len; i++)
                if (m->rows.data[i] == '|')
                    m->rows.data[i] = '/';
        m->row_cells++;
    }
    m->cur.len = 0;
}

/* Ends the table: its rows go to the builder as lines. */
static void end_table(html_t *m)
{
    silk_line_t *lines = NULL;
    size_t nl = 0;
    if (m->row_cells && silk_buf_addc(&m->rows, '\n') != SILK_OK)
        failed(m, SILK_ERR_NOMEM);
    if (m->rc == SILK_OK && m->rows.len) {
        if (silk_lines_split(m->rows.data, m->rows.len, &lines, &nl) != SILK_OK)
            failed(m, SILK_ERR_NOMEM);
        else
            failed(m, silk_builder_table(m->b, lines, nl, m->table_infobox,
                                         m->table_infobox ? NULL : m->section));
        free(lines);
        if (m->table_infobox)
            m->infobox_done = 1;
    }
    m->table = NULL;
    m->rows.len = 0;
    m->row_cells = 0;
    m->cur.len = 0;
}

static void end_heading(html_t *m)
{
    const char *s = m->cur.data ? m->cur.data : "";
    size_t n = m->cur.len;
    silk_str_trim(&s, &n);
    char *h = strndup(s, n);
    if (!h) {
        failed(m, SILK_ERR_NOMEM);
        return;
    }
    free(m->section);
    m->section = h;
    m->sk = silk_section_kind(h, n);
    silk_builder_heading_seen(m->b);
    m->seen_heading = 1;
    m->heading = 0;
    m->cur.len = 0;
}

static void walk_leave(void *ctx, const GumboNode *n)
{
    html_t *m = ctx;
    if (n->type != GUMBO_NODE_ELEMENT)
        return;
    GumboTag t = n->v.element.tag;
    if (m->table) {
        if (n == m->table)
            end_table(m);
        else if ((t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) && in_our_table(m, n))
            end_cell(m);
        else if (t == GUMBO_TAG_TR && in_our_table(m, n)) {
            if (m->row_cells && silk_buf_addc(&m->rows, '\n') != SILK_OK)
                failed(m, SILK_ERR_NOMEM);
            m->row_cells = 0;
        }
        return;
    }
    if (m->heading) {
        if (heading_level(n))
            end_heading(m);
        return;
    }
    if (t == GUMBO_TAG_LI) {
        flush(m);
        m->items--;
        return;
    }
    if (is_block(n))
        flush(m);
    if (t == GUMBO_TAG_OL && has_class(n, "references"))
        m->refs_ol--;
}

/* 1 for the elements that never nest in the tree gumbo builds: void elements, and those
 * whose end tag may be left out (a new one closes the open one). */
static int never_nests(const char *name, size_t n)
{
    static const char *const tags[] = {
        "area", "base",  "br",     "col",    "embed",    "hr",      "img",   "input", "link",
        "meta", "param", "source", "track",  "wbr",      "p",       "li",    "dt",    "dd",
        "tr",   "td",    "th",     "option", "optgroup", "tbody",   "thead", "tfoot", "colgroup",
        "rt",   "rp",    "html",   "head",   "body",     "!doctype"};
    for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
        if (strlen(tags[i]) == n && strncasecmp(tags[i], name, n) == 0)
            return 1;
    return 0;
}

/* The deepest nesting the tags of s[0..n) open, counted without parsing: gumbo's time grows
 * faster than the square of the nesting depth (10,000 nested <div>s take 1.5 s, 20,000 take
 * 12 s), so a page nested deeper than any real one is refused before it reaches gumbo.
 * Comments and the bodies of <script> and <style> open nothing. Over-counts only pages with
 * unclosed elements that do nest (<b>, <div>), which gumbo nests too. */
static size_t tag_depth(const char *s, size_t n)
{
    size_t depth = 0, max = 0;
    const char *end = s + n;
    for (const char *p = memchr(s, '<', n); p && p < end; p = memchr(p, '<', (size_t)(end - p))) {
        p++;
        if (end - p >= 3 && memcmp(p, "!--", 3) == 0) {
            const char *c = memmem(p, (size_t)(end - p), "-->", 3);
            if (!c)
                break;
            p = c + 3;
            continue;
        }
        int closing = p < end && *p == '/';
        const char *name = p + closing;
        const char *q = name;
        while (q < end && (isalnum((unsigned char)*q) || *q == '!' || *q == '-'))
            q++;
        size_t nn = (size_t)(q - name);
        if (nn == 0)
            continue;
        const char *gt = memchr(q, '>', (size_t)(end - q));
        if (!gt)
            break;
        p = gt + 1;
        if (never_nests(name, nn))
            continue;
        if (closing) {
            depth -= depth > 0;
            continue;
        }
        if (gt[-1] == '/')
            continue;
        if ((nn == 6 && strncasecmp(name, "script", 6) == 0) ||
            (nn == 5 && strncasecmp(name, "style", 5) == 0)) {
            const char *c =
                memmem(p, (size_t)(end - p), nn == 6 ? "</script" : "</style", nn == 6 ? 8 : 7);
            if (!c)
                break;
            p = c;
            continue;
        }
        if (++depth > max)
            max = depth;
    }
    return max;
}

/* Records why the file gives no documents; the article keeps its name as title. */
static silk_status_t refuse(silk_builder_t *b, const char *why)
{
    const char *name = silk_builder_name(b);
    silk_status_t rc = silk_builder_set_title(b, name, strlen(name));
    return rc != SILK_OK ? rc : silk_builder_problem(b, 1, why);
}

silk_status_t silk_read_html(silk_builder_t *b, const char *s, size_t n)
{
    if (n > SILK_HTML_MAX_BYTES)
        return refuse(b, "HTML file larger than the HTML size cap (32 MiB); skipped");
    if (tag_depth(s, n) > HTML_MAX_DEPTH)
        return refuse(b, "HTML elements nested deeper than 512; skipped");
    GumboOptions opt = kGumboDefaultOptions;
    opt.max_errors = HTML_MAX_ERRORS;
    GumboOutput *out = gumbo_parse_with_options(&opt, s, n);
    if (!out)
        return SILK_ERR_NOMEM;
    landmarks_t l = {0};
    int never = 0;
    walk(out->document, find_enter, NULL, &l, &never);
    html_t m = {.b = b, .rc = SILK_OK};
    m.rc = set_title(b, &l, &m.cur);
    m.cur.len = 0;
    m.skip = l.first_heading ? l.first_heading : l.h1;
    if (m.rc == SILK_OK) {
        const GumboNode *root = l.output ? l.output : l.body ? l.body : out->root;
        walk(root, walk_enter, walk_leave, &m, &m.stop);
        if (m.rc == SILK_OK && m.table)
            end_table(&m);
        if (m.rc == SILK_OK)
            flush(&m);
    }
    free(m.section);
    silk_buf_free(&m.cur);
    silk_buf_free(&m.rows);
    gumbo_destroy_output(&opt, out);
    return m.rc;
}
