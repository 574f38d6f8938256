/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target of the JSON Lines reader (indexer/read_jsonl.c, SILK_FORMAT_JSONL).
 *
 * Invariants checked, beyond those of every document (corpus_check.h):
 *   - parsing never fails on any bytes (only out of memory);
 *   - the bytes fed in chunks of 1, 7, 4096 and 65536 bytes give the same documents and
 *     problems (the line reader, indexer/linein.c: check_chunks());
 *   - every non-blank line gives exactly one document or one problem, in line order;
 *   - a problem reads "docs.jsonl:LINE: reason" with LINE the 1-based number of a
 *     non-blank line of the input, and a non-empty reason;
 *   - documents keep the bounds of corpus.h: ids unique and within SILK_ID_MAX, no control
 *     characters in an id, a known kind, a year from 0 to 9999, cites >= 1. */
#include <stdint.h>

#include "corpus_check.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

/* 1 when the line is blank once trimmed as indexer/strutil.c trims (ASCII space at both
 * ends, also no-break spaces at the end). */
static int blank_line(const char *s, size_t n)
{
    while (n && is_space(*s))
        s++, n--;
    while (n) {
        if (is_space(s[n - 1]))
            n--;
        else if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xA0)
            n -= 2;
        else
            break;
    }
    return n == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_name = "fuzz_jsonl";
    /* Lines of the cleaned text (the parser's view: invalid bytes and NUL are U+FFFD, a
     * leading BOM dropped; neither changes where lines break). */
    size_t tl = 0;
    char *t = silk_corpus_clean_utf8((const char *)data, size, &tl);
    check(t != NULL, "clean");
    const char *p = t;
    if (tl >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3, tl -= 3;
    size_t nlines = 0, nonblank = 0;
    unsigned char *is_nonblank = calloc(tl + 2, 1); /* by line number */
    check(is_nonblank != NULL, "malloc");
    for (size_t i = 0; i < tl;) {
        const char *e = memchr(p + i, '\n', tl - i);
        size_t end = e ? (size_t)(e - p) : tl;
        nlines++;
        if (!blank_line(p + i, end - i)) {
            nonblank++;
            is_nonblank[nlines] = 1;
        }
        i = end + 1;
    }

    silk_article_t *a = NULL;
    silk_status_t st =
        silk_article_parse(SILK_FORMAT_JSONL, "docs", "docs.jsonl", (const char *)data, size, &a);
    check(st == SILK_OK && a != NULL, "JSONL parse succeeds on any bytes");
    check_docs_common(a);
    check_chunks(SILK_FORMAT_JSONL, "docs", "docs.jsonl", (const char *)data, size, a);

    size_t n = silk_article_count(a), np = silk_article_problem_count(a);
    check(n + np == nonblank, "each non-blank line is one document or one problem");
    unsigned long last = 0;
    for (size_t i = 0; i < np; i++) {
        const char *pr = silk_article_problem(a, i);
        check_str(pr, "problem");
        check(!strncmp(pr, "docs.jsonl:", 11), "problem starts with the file name");
        char *end = NULL;
        unsigned long line = strtoul(pr + 11, &end, 10);
        check(end != pr + 11 && end[0] == ':' && end[1] == ' ' && end[2] != '\0',
              "problem reads FILE:LINE: reason");
        check(line >= 1 && line <= nlines, "problem line within the input");
        check(is_nonblank[line], "problem line is a non-blank line");
        check(line > last, "problems in line order, one per line");
        last = line;
    }
    for (size_t i = 0; i < n; i++) {
        const silk_corpus_doc_t *d = silk_article_doc(a, i);
        for (const char *c = d->id; *c; c++)
            check((unsigned char)*c >= 0x20, "no control character in an id");
        check(d->year >= 0 && d->year <= 9999, "year from 0 to 9999");
    }
    if (n)
        check(!strcmp(silk_article_title(a), silk_article_doc(a, 0)->title),
              "the article title is the first document's");
    free(is_nonblank);
    free(t);
    silk_article_destroy(a);
    return 0;
}
