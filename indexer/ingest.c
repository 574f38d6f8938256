/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — one corpus file read into its documents (ingest.h). */
#include "ingest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int streamed(silk_format_t fmt)
{
    return fmt == SILK_FORMAT_TXT || fmt == SILK_FORMAT_JSONL;
}

static void set_hash(silk_ingest_t *in)
{
    in->len = in->f.done;
    snprintf(in->hash, sizeof in->hash, "%016llx", (unsigned long long)in->f.hash);
}

int silk_ingest_open(silk_ingest_t *in, const silk_scan_entry_t *e, uint64_t cap, const char **why,
                     int *err_no)
{
    memset(in, 0, sizeof *in);
    in->fmt = e->fmt;
    if (silk_scan_open_entry(e, cap, &in->f, why, err_no) != 0)
        return -1;
    if (streamed(in->fmt) && !(in->chunk = malloc(SILK_INGEST_CHUNK))) {
        *err_no = ENOMEM;
        silk_ingest_close(in);
        return -1;
    }
    return 0;
}

void silk_ingest_close(silk_ingest_t *in)
{
    silk_scan_file_close(&in->f);
    free(in->whole);
    free(in->chunk);
    in->whole = in->chunk = NULL;
    in->held = 0;
}

int silk_ingest_check(silk_ingest_t *in, const char *old_hash, uint64_t old_size,
                      silk_ingest_verdict_t *v, const char **why, int *err_no)
{
    *why = NULL;
    *err_no = 0;
    if (!streamed(in->fmt)) {
        size_t len = 0;
        if (!(in->whole = silk_scan_file_read_all(&in->f, &len, why, err_no)))
            return -1;
        set_hash(in);
        if (silk_corpus_looks_binary(in->whole, len))
            *v = SILK_INGEST_BINARY;
        else if (old_hash && old_size == in->len && strcmp(old_hash, in->hash) == 0)
            *v = SILK_INGEST_SAME;
        else
            *v = SILK_INGEST_PARSE;
        return 0;
    }
    /* The first chunk: the sniff's sample (a read fills the chunk unless the file ends). */
    long n = silk_scan_file_read(&in->f, in->chunk, SILK_INGEST_CHUNK, why, err_no);
    if (n < 0)
        return -1;
    in->held = (size_t)n;
    if (silk_corpus_looks_binary(in->chunk, in->held)) {
        *v = SILK_INGEST_BINARY;
        return 0;
    }
    *v = SILK_INGEST_PARSE;
    if (!old_hash || old_size != in->f.size)
        return 0; /* hashed while it is parsed */
    /* A record of the same size: hash the rest first; parse only when it differs. */
    while ((n = silk_scan_file_read(&in->f, in->chunk, SILK_INGEST_CHUNK, why, err_no)) > 0)
        ;
    if (n < 0)
        return -1;
    set_hash(in);
    if (old_size == in->len && strcmp(old_hash, in->hash) == 0) {
        *v = SILK_INGEST_SAME;
        return 0;
    }
    in->held = 0;
    return silk_scan_file_rewind(&in->f, err_no);
}

silk_status_t silk_ingest_parse(silk_ingest_t *in, const char *name, const char *path,
                                silk_doc_sink_t sink, void *ud, silk_article_t **out)
{
    *out = NULL;
    in->cut = 0;
    if (!streamed(in->fmt)) {
        char *data = in->whole;
        in->whole = NULL;
        return silk_article_parse_to(in->fmt, name, path, data, (size_t)in->len, sink, ud, out);
    }
    silk_article_stream_t *as = NULL;
    silk_status_t st = silk_article_stream_new(in->fmt, name, path, sink, ud, &as);
    if (st != SILK_OK)
        return st;
    /* The first chunk is held from the check, unless it rewound for this pass. */
    size_t n = in->held;
    in->held = 0;
    for (;;) {
        if (n && (st = silk_article_stream_feed(as, in->chunk, n)) != SILK_OK) {
            silk_article_stream_destroy(as);
            return st;
        }
        const char *why = NULL;
        int err_no = 0;
        long k = silk_scan_file_read(&in->f, in->chunk, SILK_INGEST_CHUNK, &why, &err_no);
        if (k == 0)
            break;
        if (k < 0) {
            /* Documents were handed on already: what was read is the file now. */
            in->cut = 1;
            in->cut_why = why;
            in->cut_errno = err_no;
            break;
        }
        n = (size_t)k;
    }
    set_hash(in);
    return silk_article_stream_finish(as, out);
}
