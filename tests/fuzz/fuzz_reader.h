/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The body of the libFuzzer targets of the article readers (fuzz_corpus.c, fuzz_html.c,
 * fuzz_md.c): the input is a whole file, read through silk_article_parse() of
 * indexer/corpus.h. A target of one reader defines FUZZ_READER_NAME, FUZZ_READER_FORMAT and
 * FUZZ_READER_PATH, then includes this file; fuzz_corpus.c defines FUZZ_READER_CUSTOM and
 * calls check_reader() itself.
 *
 * Invariants checked, beyond those of every document (corpus_check.h):
 *   - silk_article_parse never fails on any bytes (only out of memory);
 *   - the bytes fed in chunks of 1, 7, 4096 and 65536 bytes give the same documents,
 *     title and problems (check_chunks());
 *   - silk_corpus_clean_utf8 yields valid UTF-8 without NUL, and leaves valid text as is;
 *   - anchors: paragraphs p1..pN, references ref-1..ref-N and readings read-1..read-N are
 *     numbered contiguously in document order, there is at most one infobox, and each
 *     anchor's kind matches (p1 is the lead, p<N> lead or paragraph);
 *   - every document belongs to the article (article_name, title) and no text holds a
 *     line break (paragraphs are lines or joined blocks);
 *   - cites and cited_by agree: reference N is cited_by exactly the anchors, in document
 *     order, of the documents whose cites hold N; only references have cited_by;
 *   - years of references and readings are 0 or 19xx/20xx, authors non-empty. */
#include <stdint.h>

#include "corpus_check.h"

static void check_clean(const char *data, size_t size)
{
    size_t n = 0;
    char *c = silk_corpus_clean_utf8(data, size, &n);
    check(c != NULL && strlen(c) == n, "clean_utf8 output is a C string of its length");
    check(valid_utf8(c, n), "clean_utf8 output is valid UTF-8 without NUL");
    if (valid_utf8(data, size))
        check(n == size && !memcmp(c, data, size), "clean_utf8 keeps valid text");
    free(c);
}

/* N when anchor is prefix followed by a decimal number without leading zero, else 0. */
static unsigned anchor_num(const char *anchor, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (strncmp(anchor, prefix, pl) != 0)
        return 0;
    const char *p = anchor + pl;
    if (*p < '1' || *p > '9')
        return 0;
    unsigned long v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000000)
            return 0;
        v = v * 10 + (unsigned)(*p - '0');
    }
    return (unsigned)v;
}

/* Parses text[0..len) as a file of format fmt at path and checks every invariant. */
static void check_reader(silk_format_t fmt, const char *path, const char *text, size_t len)
{
    const char *name = "asia/korea";
    check_clean(text, len);

    silk_article_t *a = NULL;
    silk_status_t st = silk_article_parse(fmt, name, path, text, len, &a);
    check(st == SILK_OK && a != NULL, "article parse succeeds on any bytes");
    check_docs_common(a);
    check_chunks(fmt, name, path, text, len, a);

    size_t n = silk_article_count(a);
    unsigned np = 0, nref = 0, nread = 0, ninfobox = 0;
    size_t *ref_doc = calloc(n + 1, sizeof *ref_doc); /* ref number -> doc index */
    check(ref_doc != NULL, "malloc");
    for (size_t i = 0; i < n; i++) {
        const silk_corpus_doc_t *d = silk_article_doc(a, i);
        const char *anchor = strchr(d->id, '#') + 1;
        check(!strcmp(d->article_name, name), "document of this article");
        check(!strcmp(d->title, silk_article_title(a)), "document carries the article title");
        check(d->text_len > 0, "no empty document");
        check(memchr(d->text, '\n', d->text_len) == NULL, "no line break in a text");
        unsigned k;
        if ((k = anchor_num(anchor, "p"))) {
            check(k == ++np, "paragraphs numbered p1..pN in order");
            check(!strcmp(d->kind, SILK_KIND_LEAD) || !strcmp(d->kind, SILK_KIND_PARAGRAPH),
                  "p<N> is a lead or a paragraph");
            check(k != 1 || !strcmp(d->kind, SILK_KIND_LEAD), "p1 is the lead");
        } else if ((k = anchor_num(anchor, "ref-"))) {
            check(k == ++nref, "references numbered ref-1..ref-N in order");
            check(!strcmp(d->kind, SILK_KIND_REFERENCE), "ref-N is a reference");
            ref_doc[k] = i;
        } else if ((k = anchor_num(anchor, "read-"))) {
            check(k == ++nread, "readings numbered read-1..read-N in order");
            check(!strcmp(d->kind, SILK_KIND_READING), "read-N is a reading");
        } else {
            check(!strcmp(anchor, "infobox") && ++ninfobox == 1, "at most one infobox");
            check(!strcmp(d->kind, SILK_KIND_INFOBOX), "the infobox is of kind infobox");
        }
        int item = !strcmp(d->kind, SILK_KIND_REFERENCE) || !strcmp(d->kind, SILK_KIND_READING);
        check(item || (d->year == 0 && d->nauthors == 0), "only items have years and authors");
        check(d->year == 0 || (d->year >= 1900 && d->year <= 2099), "year is 19xx or 20xx");
        for (size_t c = 0; c < d->nauthors; c++)
            check(d->authors[c][0] != '\0', "authors non-empty");
        check(!item || d->ncites == 0, "items cite nothing");
        check(!strcmp(d->kind, SILK_KIND_REFERENCE) || d->ncited_by == 0,
              "only references are cited");
    }
    /* cited_by of reference r == anchors (in order) of the documents citing r. */
    for (unsigned r = 1; r <= nref; r++) {
        const silk_corpus_doc_t *ref = silk_article_doc(a, ref_doc[r]);
        size_t next = 0;
        for (size_t i = 0; i < n; i++) {
            const silk_corpus_doc_t *d = silk_article_doc(a, i);
            int cites_r = 0;
            for (size_t c = 0; c < d->ncites; c++)
                cites_r |= d->cites[c] == r;
            if (!cites_r)
                continue;
            check(next < ref->ncited_by, "a citing document is in cited_by");
            check(!strcmp(ref->cited_by[next], strchr(d->id, '#') + 1),
                  "cited_by lists the citing anchors in order");
            next++;
        }
        check(next == ref->ncited_by, "cited_by lists only citing documents");
    }
    for (size_t i = 0; i < silk_article_problem_count(a); i++)
        check_str(silk_article_problem(a, i), "problem");
    free(ref_doc);
    silk_article_destroy(a);
}

#ifndef FUZZ_READER_CUSTOM
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_name = FUZZ_READER_NAME;
    check_reader(FUZZ_READER_FORMAT, FUZZ_READER_PATH, (const char *)data, size);
    return 0;
}
#endif
