/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — corpus files: formats, article names, and the dispatcher that hands a
 * file to the reader of its format (corpus.h). */
#include "corpus.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "linein.h"
#include "read_html.h"
#include "read_jsonl.h"
#include "read_md.h"
#include "read_txt.h"

#define BINARY_SAMPLE SILK_CORPUS_SNIFF_BYTES

/* The extension of the last path component (from its last '.'), or NULL when it has none
 * (a name that starts with its only dot, ".txt", has none). */
static const char *extension(const char *relpath)
{
    const char *base = strrchr(relpath, '/');
    base = base ? base + 1 : relpath;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : NULL;
}

silk_format_t silk_corpus_format(const char *relpath)
{
    if (strcmp(relpath, SILK_SYNONYMS_FILE) == 0)
        return SILK_FORMAT_NONE;
    const char *dot = extension(relpath);
    if (!dot)
        return SILK_FORMAT_NONE;
    if (strcasecmp(dot, ".txt") == 0)
        return SILK_FORMAT_TXT;
    if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0)
        return SILK_FORMAT_MD;
    if (strcasecmp(dot, ".jsonl") == 0)
        return SILK_FORMAT_JSONL;
    if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
        return SILK_FORMAT_HTML;
    return SILK_FORMAT_NONE;
}

char *silk_corpus_article_name(const char *relpath)
{
    const char *dot = extension(relpath);
    size_t n = dot ? (size_t)(dot - relpath) : strlen(relpath);
    return strndup(relpath, n);
}

int silk_corpus_looks_binary(const char *data, size_t len)
{
    size_t n = len < BINARY_SAMPLE ? len : BINARY_SAMPLE;
    size_t nul = 0, ctrl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == 0)
            nul++;
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
                 c != 0x1b)
            ctrl++;
    }
    return n > 0 && (nul * 100 > n || ctrl * 10 > n);
}

struct silk_article_stream {
    silk_format_t fmt;      /* the file's format */
    silk_builder_t *b;      /* the article being built */
    silk_linein_t li;       /* .txt, .jsonl: the lines as the bytes come */
    silk_txt_reader_t *txt; /* .txt: its reader */
    silk_buf_t whole;       /* .md, .html: the bytes, parsed at the end */
    silk_status_t st;       /* the first failure: every later call gives it */
};

/* One clean line of a .txt or .jsonl file (linein.h). */
static silk_status_t on_line(const char *s, size_t n, size_t lineno, void *ud)
{
    silk_article_stream_t *as = ud;
    if (as->fmt == SILK_FORMAT_TXT)
        return silk_txt_reader_line(as->txt, s, n);
    return silk_read_jsonl_line(as->b, s, n, lineno);
}

silk_status_t silk_article_stream_new(silk_format_t fmt, const char *name, const char *path,
                                      silk_doc_sink_t sink, void *ud, silk_article_stream_t **out)
{
    *out = NULL;
    if (fmt == SILK_FORMAT_NONE)
        return SILK_ERR_INVALID;
    silk_article_stream_t *as = calloc(1, sizeof *as);
    if (!as)
        return SILK_ERR_NOMEM;
    as->fmt = fmt;
    silk_linein_init(&as->li, on_line, as);
    if (silk_builder_create(name, path, &as->b) != SILK_OK ||
        (fmt == SILK_FORMAT_TXT && silk_txt_reader_new(as->b, &as->txt) != SILK_OK)) {
        silk_article_stream_destroy(as);
        return SILK_ERR_NOMEM;
    }
    silk_builder_set_sink(as->b, sink, ud);
    *out = as;
    return SILK_OK;
}

void silk_article_stream_destroy(silk_article_stream_t *as)
{
    if (!as)
        return;
    silk_txt_reader_destroy(as->txt);
    silk_builder_destroy(as->b);
    silk_linein_free(&as->li);
    silk_buf_free(&as->whole);
    free(as);
}

/* .md and .html: data (taken over) parsed whole: cleaned, its BOM dropped, then the
 * Markdown reader over its lines or the HTML reader over the text. */
static silk_status_t parse_whole(silk_article_stream_t *as, char *data, size_t len)
{
    silk_line_t *lines = NULL;
    size_t nl = 0, tlen = 0;
    char *text = silk_corpus_clean_utf8(data ? data : "", len, &tlen);
    free(data);
    if (!text)
        return SILK_ERR_NOMEM;
    const char *t = text;
    if (tlen >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0)
        t += 3, tlen -= 3;
    silk_status_t rc = SILK_ERR_NOMEM;
    if (as->fmt == SILK_FORMAT_HTML)
        rc = silk_read_html(as->b, t, tlen);
    else if (silk_lines_split(t, tlen, &lines, &nl) == SILK_OK)
        rc = silk_read_md(as->b, lines, nl);
    free(lines);
    free(text);
    return rc;
}

static int whole_format(silk_format_t fmt)
{
    return fmt == SILK_FORMAT_MD || fmt == SILK_FORMAT_HTML;
}

silk_status_t silk_article_stream_feed(silk_article_stream_t *as, const char *data, size_t n)
{
    if (as->st == SILK_OK)
        as->st = whole_format(as->fmt) ? silk_buf_add(&as->whole, data, n)
                                       : silk_linein_feed(&as->li, data, n);
    return as->st;
}

/* Ends the parse of as (destroyed); data (taken over), when not NULL, is the whole file of
 * a .md or .html parse. */
static silk_status_t finish(silk_article_stream_t *as, char *data, size_t len, silk_article_t **out)
{
    silk_status_t rc = as->st;
    *out = NULL;
    if (whole_format(as->fmt)) {
        if (!data) {
            len = as->whole.len;
            data = silk_buf_steal(&as->whole, NULL);
        }
        rc = rc != SILK_OK ? (free(data), rc) : parse_whole(as, data, len);
    } else {
        if (rc == SILK_OK)
            rc = silk_linein_end(&as->li);
        if (rc == SILK_OK && as->txt)
            rc = silk_txt_reader_end(as->txt);
    }
    if (rc == SILK_OK) {
        /* JSON Lines documents carry their own cited_by; the prose formats get it from the
         * cites of their paragraphs. */
        rc = silk_builder_finish(as->b, as->fmt != SILK_FORMAT_JSONL, out);
        as->b = NULL;
    }
    silk_article_stream_destroy(as);
    return rc;
}

silk_status_t silk_article_stream_finish(silk_article_stream_t *as, silk_article_t **out)
{
    return finish(as, NULL, 0, out);
}

silk_status_t silk_article_parse(silk_format_t fmt, const char *name, const char *path,
                                 const char *data, size_t len, silk_article_t **out)
{
    silk_article_stream_t *as = NULL;
    silk_status_t rc = silk_article_stream_new(fmt, name, path, NULL, NULL, &as);
    *out = NULL;
    if (rc != SILK_OK)
        return rc;
    silk_article_stream_feed(as, data, len);
    return silk_article_stream_finish(as, out);
}

silk_status_t silk_article_parse_to(silk_format_t fmt, const char *name, const char *path,
                                    char *data, size_t len, silk_doc_sink_t sink, void *ud,
                                    silk_article_t **out)
{
    silk_article_stream_t *as = NULL;
    silk_status_t rc = silk_article_stream_new(fmt, name, path, sink, ud, &as);
    *out = NULL;
    if (rc != SILK_OK) {
        free(data);
        return rc;
    }
    if (whole_format(fmt))
        return finish(as, data, len, out);
    silk_article_stream_feed(as, data, len);
    free(data);
    return silk_article_stream_finish(as, out);
}
