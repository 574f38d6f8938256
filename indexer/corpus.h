/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the corpus: which files are articles, and the one entry point that reads a
 * file into documents (DESIGN.md § Documents). The writer (index.c) calls this header only.
 *
 * This layer only parses: it needs neither Xapian nor the tokenizer, so it is tested on
 * its own. indexer/index.c turns the documents into Xapian documents.
 *
 * Files and articles
 *   A corpus file's format comes from its extension: .txt (plain article, read_txt.h),
 *   .md (Markdown article, read_md.h), .jsonl (JSON Lines, one document a line,
 *   read_jsonl.h), .html/.htm (HTML article, read_html.h). `synonyms.txt` at the top of the corpus
 * is the synonym table (synonyms.h), never an article. Any other file is ignored. The article name
 * is the corpus-relative path without its extension: a file at the top
 *   (`iran-north-korea-relations.txt`) gives `iran-north-korea-relations`, one in a folder
 *   (`asia/korea.md`) gives `asia/korea`. Document ids are `<article>#<anchor>`
 *   (article.h); citations, years and authors follow cite.h.
 *
 * Text
 *   Every stored string is valid UTF-8: invalid sequences and NUL bytes are replaced by
 *   U+FFFD before parsing (strutil.h), a leading BOM and CR line ends are dropped. The
 *   stored "text" is exactly the text that is indexed, so token offsets are offsets into it.
 *
 * The modules below this one, in the order they call each other (none calls back):
 *   corpus.c → linein.c (the lines of .txt and .jsonl as their bytes come),
 *   corpus.c → read_txt.c / read_md.c / read_jsonl.c / read_html.c → article.c (the builder)
 *            → cite.c → doc.c, and all of them → strutil.c; synonyms.c → strutil.c.
 * This header includes the contracts the writer needs (article.h, doc.h, synonyms.h,
 * strutil.h), so that it finds every name it used to find here.
 */
#ifndef SILK_INDEXER_CORPUS_H
#define SILK_INDEXER_CORPUS_H

#include <stddef.h>

#include "article.h"
#include "doc.h"
#include "silk/status.h"
#include "strutil.h"
#include "synonyms.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SILK_FORMAT_NONE = 0, /* not a corpus file: ignored */
    SILK_FORMAT_TXT,      /* plain article */
    SILK_FORMAT_MD,       /* Markdown article */
    SILK_FORMAT_JSONL,    /* JSON Lines documents */
    SILK_FORMAT_HTML,     /* HTML article (a page saved from Wikipedia) */
} silk_format_t;

/* The format of a corpus-relative path by its extension (case-insensitive); NONE for
 * anything else, and for SILK_SYNONYMS_FILE at the top of the corpus. */
silk_format_t silk_corpus_format(const char *relpath);

/* The article name of a corpus-relative path: the path without its extension. Malloc'd
 * (the caller frees it); NULL when out of memory. */
char *silk_corpus_article_name(const char *relpath);

/* Bytes of the start of a file that silk_corpus_looks_binary() looks at. */
#define SILK_CORPUS_SNIFF_BYTES 65536

/* 1 when data looks binary rather than text (over 1% NUL bytes, or over 10% other control
 * bytes, in its first SILK_CORPUS_SNIFF_BYTES); 0 otherwise (empty data is text). */
int silk_corpus_looks_binary(const char *data, size_t len);

/* A file being parsed as its bytes come (in chunks of any size): .txt and .jsonl are cut
 * into lines as they come (linein.h) and read one line at a time, so that memory follows
 * the largest document, not the file; .md and .html are held whole and parsed at the end
 * (their parsers need the whole text). Every parse goes through it: the documents are
 * the same whatever the chunks. */
typedef struct silk_article_stream silk_article_stream_t;

/* A parse of a file of format fmt: `name` is the article name (silk_corpus_article_name()),
 * `path` names the file in problem messages (both borrowed until finish or destroy). Each
 * document goes to sink as it is built (silk_builder_set_sink()), or, with a NULL sink,
 * stays in the article. SILK_ERR_NOMEM; SILK_ERR_INVALID for SILK_FORMAT_NONE. */
silk_status_t silk_article_stream_new(silk_format_t fmt, const char *name, const char *path,
                                      silk_doc_sink_t sink, void *ud, silk_article_stream_t **out);

/* The next n bytes of the file. After a failure (SILK_ERR_NOMEM; a failing sink's own
 * status may come through) every later call fails too. */
silk_status_t silk_article_stream_feed(silk_article_stream_t *s, const char *data, size_t n);

/* The end of the file: the last documents are built and handed on, and *out gets the
 * article (free with silk_article_destroy()): every document when there is no sink, else
 * only its title and problems. s is destroyed, whatever the outcome. */
silk_status_t silk_article_stream_finish(silk_article_stream_t *s, silk_article_t **out);

/* Drops a parse that is not finished; NULL is a no-op. */
void silk_article_stream_destroy(silk_article_stream_t *s);

/* Parses a file's contents with the reader of its format (through the stream above, fed
 * at once). `name` is the article name (silk_corpus_article_name()); `path` names the file
 * in problem messages. Bad input never fails the parse: broken JSONL lines become
 * problems. On success *out owns the documents (free with silk_article_destroy()).
 * SILK_ERR_NOMEM when out of memory; SILK_ERR_INVALID for SILK_FORMAT_NONE. */
silk_status_t silk_article_parse(silk_format_t fmt, const char *name, const char *path,
                                 const char *data, size_t len, silk_article_t **out);

/* silk_article_parse() that hands each document to sink as it is built
 * (silk_builder_set_sink()); *out then holds the title and problems only. It takes data
 * over (malloc'd; for .md and .html freed as soon as its clean copy is made, so that the
 * file's bytes are not held twice while it is parsed). When the sink fails, so does the
 * parse (with SILK_ERR_NOMEM or the sink's status). */
silk_status_t silk_article_parse_to(silk_format_t fmt, const char *name, const char *path,
                                    char *data, size_t len, silk_doc_sink_t sink, void *ud,
                                    silk_article_t **out);

#ifdef __cplusplus
}
#endif

#endif
