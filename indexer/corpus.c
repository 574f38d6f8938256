/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — corpus files: formats, article names, and the dispatcher that hands a
 * file to the reader of its format (corpus.h). */
#include "corpus.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "read_html.h"
#include "read_jsonl.h"
#include "read_md.h"
#include "read_txt.h"

#define BINARY_SAMPLE 65536 /* bytes looked at by silk_corpus_looks_binary() */

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

silk_status_t silk_article_parse(silk_format_t fmt, const char *name, const char *path,
                                 const char *data, size_t len, silk_article_t **out)
{
    char *copy = malloc(len ? len : 1);
    *out = NULL;
    if (!copy)
        return SILK_ERR_NOMEM;
    if (len)
        memcpy(copy, data, len);
    return silk_article_parse_to(fmt, name, path, copy, len, NULL, NULL, out);
}

silk_status_t silk_article_parse_to(silk_format_t fmt, const char *name, const char *path,
                                    char *data, size_t len, silk_doc_sink_t sink, void *ud,
                                    silk_article_t **out)
{
    *out = NULL;
    if (fmt == SILK_FORMAT_NONE) {
        free(data);
        return SILK_ERR_INVALID;
    }
    silk_status_t rc = SILK_ERR_NOMEM;
    silk_builder_t *b = NULL;
    silk_line_t *lines = NULL;
    size_t nl = 0, tlen = 0;
    char *text = silk_corpus_clean_utf8(data, len, &tlen);
    free(data);
    if (!text)
        goto out;
    const char *t = text;
    if (tlen >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0)
        t += 3, tlen -= 3;
    /* HTML is read as one text (gumbo), the other formats line by line. */
    if ((fmt != SILK_FORMAT_HTML && silk_lines_split(t, tlen, &lines, &nl) != SILK_OK) ||
        silk_builder_create(name, path, &b) != SILK_OK)
        goto out;
    silk_builder_set_sink(b, sink, ud);
    switch (fmt) {
    case SILK_FORMAT_TXT:
        rc = silk_read_txt(b, lines, nl);
        break;
    case SILK_FORMAT_MD:
        rc = silk_read_md(b, lines, nl);
        break;
    case SILK_FORMAT_HTML:
        rc = silk_read_html(b, t, tlen);
        break;
    default:
        rc = silk_read_jsonl(b, lines, nl);
        break;
    }
    if (rc == SILK_OK) {
        /* JSON Lines documents carry their own cited_by; the prose formats get it from the
         * cites of their paragraphs. */
        rc = silk_builder_finish(b, fmt != SILK_FORMAT_JSONL, out);
        b = NULL;
    }
out:
    silk_builder_destroy(b);
    free(lines);
    free(text);
    return rc;
}
