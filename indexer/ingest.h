/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — one corpus file read into its documents, from the one descriptor that
 * scan.h opened and checked: the binary sniff, the content hash, the "touched but not
 * changed" pass, and the bytes handed to the parser (corpus.h).
 *
 * A .txt or .jsonl file is streamed: read SILK_INGEST_CHUNK bytes at a time and parsed as
 * it comes (silk_article_stream_feed()), so that memory follows its largest document, not
 * the file. Its first chunk is the binary sniff's sample (SILK_CORPUS_SNIFF_BYTES); its
 * hash is FNV-1a 64 of the raw bytes as they are read, the value silk_index_hash_hex()
 * gives of the whole file. When the index has a record of the same size, the file is
 * hashed first in a pass of its own, and parsed (from the start again) only when its
 * hash differs: a file that was only touched is read once and written not at all.
 * Otherwise it is hashed while it is parsed, in one pass.
 * A .md or .html file is read whole (their parsers need the whole text), as before.
 *
 * The size cap (--max-size) holds for the bytes read. A streamed file that grows past it,
 * or fails to read, while it is being parsed is indexed up to there: its documents so far
 * are written already, and they are what the record then says (silk_ingest_t.cut says
 * why; its size and hash are those of the bytes read, so the next run reads it again).
 */
#ifndef SILK_INDEXER_INGEST_H
#define SILK_INDEXER_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "scan.h"
#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_INGEST_CHUNK SILK_CORPUS_SNIFF_BYTES /* bytes read at a time */

/* What silk_ingest_check() found. */
typedef enum {
    SILK_INGEST_PARSE,  /* new or changed: parse it (silk_ingest_parse()) */
    SILK_INGEST_SAME,   /* the bytes of the record (hash and size): touched, not changed */
    SILK_INGEST_BINARY, /* it looks binary: skip it */
} silk_ingest_verdict_t;

/* One file being read. */
typedef struct {
    silk_scan_file_t f;  /* the descriptor (scan.h) */
    silk_format_t fmt;   /* its format */
    char *whole;         /* .md, .html: the whole file */
    char *chunk;         /* .txt, .jsonl: SILK_INGEST_CHUNK bytes */
    size_t held;         /* bytes in chunk read and not parsed yet (the first chunk) */
    uint64_t len;        /* bytes read (of the whole file once parsed or checked) */
    char hash[17];       /* their content hash, silk_index_hash_hex() */
    int cut;             /* after silk_ingest_parse(): it stopped before the end ... */
    const char *cut_why; /* ... because of this (static), or NULL and ... */
    int cut_errno;       /* ... this errno */
} silk_ingest_t;

/* Opens the scan entry e (silk_scan_open_entry(): every check of the safe open), with the
 * size cap `cap`. 0, or -1 with *why (static) or *err_no; in is closed then. */
int silk_ingest_open(silk_ingest_t *in, const silk_scan_entry_t *e, uint64_t cap, const char **why,
                     int *err_no);

/* Reads what the decision needs: the binary sniff, and, when the record of the file
 * (old_hash, NULL when there is none or it must not be used, and old_size) has the size of
 * the file, the whole file's hash. 0 with *v, or -1 with *why or *err_no (a read failure:
 * nothing was parsed; skip the file). */
int silk_ingest_check(silk_ingest_t *in, const char *old_hash, uint64_t old_size,
                      silk_ingest_verdict_t *v, const char **why, int *err_no);

/* Parses the file (after a SILK_INGEST_PARSE verdict) as silk_article_parse_to() does,
 * handing each document to sink; in->len and in->hash then describe the bytes parsed, and
 * in->cut says when that is not the whole file (and why). */
silk_status_t silk_ingest_parse(silk_ingest_t *in, const char *name, const char *path,
                                silk_doc_sink_t sink, void *ud, silk_article_t **out);

/* Closes the file and frees what in holds (again is a no-op). */
void silk_ingest_close(silk_ingest_t *in);

#ifdef __cplusplus
}
#endif

#endif
