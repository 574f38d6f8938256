/* silk-index — the corpus: article files parsed into documents (DESIGN.md § Documents).
 *
 * This module only parses: it needs neither Xapian nor the tokenizer, so it is tested on
 * its own. indexer/index.c turns the documents into Xapian documents.
 *
 * Files and articles
 *   A corpus file's format comes from its extension: .txt (plain article), .md (Markdown
 *   article), .jsonl (JSON Lines, one document a line). `synonyms.txt` at the top of the
 *   corpus is the synonym table, never an article. Any other file is ignored.
 *   The article name is the corpus-relative path without its extension: a file at the top
 *   (`iran-north-korea-relations.txt`) gives `iran-north-korea-relations`, one in a folder
 *   (`asia/korea.md`) gives `asia/korea`. Document ids are `<article>#<anchor>`.
 *
 * Plain articles (.txt)
 *   Line 1 is the title; then paragraphs, one per line (blank lines are ignored). A line
 *   of at most 80 characters that does not end in final punctuation (. ! ? : ; , " ” ) ]
 *   … and the like) is a heading candidate. In a run of consecutive candidates, the last
 *   one is a heading when prose or a `- ` list follows it; the first one is a heading when
 *   the run has three or more lines (heading, short list lines, heading); a candidate
 *   that is a standard section name (See also, References, Further reading, Notes,
 *   External links, Bibliography, ...) is always a heading. Every other candidate is a
 *   short paragraph of its section (the items of a list such as "See also"). A heading
 *   replaces the previous one: .txt sections do not nest.
 *   The run of lines containing `|` right after the lead (or right after the title) is
 *   the infobox: one document whose text is the non-empty cells, " | " between the cells
 *   of a row and "; " between rows (separator rows such as `---|---|` dropped).
 *   Under a References heading (also Citations, Footnotes, Notes and references) each
 *   `- ` line is a reference `#ref-<N>`, N from 1; under Further reading (also
 *   Bibliography) each `- ` line is a reading `#read-<N>`. Any other `- ` line is a
 *   paragraph (the marker removed).
 *   Paragraphs are numbered in file order `#p<N>` from 1; paragraphs before the first
 *   heading have kind "lead" (p1 always is the lead), later ones "paragraph".
 *
 * Markdown articles (.md)
 *   An optional front matter block (`---` ... `---`) is skipped (its `title:` is used).
 *   The title is the first line when it is a level-1 `#` heading, else the front matter
 *   title, else the article name. `#`..`######` headings (and setext `===`/`---`
 *   underlines) nest: the section path joins the open headings with " › " ("A › B").
 *   Paragraphs are blocks of non-blank lines (joined with one space); list items
 *   (`- `, `* `, `+ `, `1. `) and their indented continuation lines are one item each:
 *   references / readings under the headings above, else one paragraph each. A `|` table
 *   right after the lead is the infobox; elsewhere a table is a paragraph. Links
 *   `[text](url)` keep their text, images their alt text, `**`/`__` are removed.
 *
 * JSON Lines (.jsonl)
 *   Each non-blank line is an object {"id": str, "text": str} with optional "title"
 *   (str; default the article name), "section" (str, or array of str joined by " › "),
 *   "kind" (lead|paragraph|infobox|reference|reading; default paragraph), "year"
 *   (integer or digit string, 1..9999), "author" or "authors" (str or array of str),
 *   "cites" (array of integers >= 1), "cited_by" (array of str). The document id is
 *   "id" verbatim when it contains '#' (its article is the part before the first '#'),
 *   else `<article>#<id>` with the file's article name. An id longer than 240 bytes, a
 *   duplicate id, a wrong type or invalid JSON makes the line invalid: it is reported as
 *   "FILE:LINE: reason" (silk_article_problem()) and skipped; the other lines are kept.
 *   The text is stored as given (no citation stripping).
 *
 * Citations
 *   In .txt and .md prose, `[n]` markers (also `[n][m]`, and a marker right after a word,
 *   `Treaty[32]`) and `[citation needed]` are removed from the text; the numbers are kept
 *   in `cites` (deduplicated, in order of first appearance). Each reference N gets in
 *   `cited_by` the anchors ("p3", "infobox") that cite it, in document order. A cited
 *   number with no reference of that number stays in `cites`.
 *
 * Years and authors of references and readings
 *   year: the first 19xx/20xx year that is not inside a quoted title and comes before any
 *   "Retrieved" / "Archived" / "Accessed" clause (the publication date, not the access
 *   date); 0 when there is none.
 *   authors: a reference that starts with a quote has none. Else the text up to the first
 *   " (", ". " (not after an initial) or final "." is read as a list of names:
 *   "Last, First" (with ";" between several: "Choi, Lyong; Shin, Jong-dae; and Lee,
 *   Han-hyung"; "McEachern, Patrick and Jaclyn O'Brien McEachern") or natural order joined
 *   by "and" / "," ("John Larkin and Donald Macintyre"); failing that, the text up to the
 *   first ", " in natural order ("Balázs Szalontai, Cracks ..."). A name is 1 to 5 words,
 *   each capitalized (particles such as de, van, al allowed), letters, ' - . only. An
 *   organisation in the author position ("Congressional Research Service, ...") is
 *   taken as the author, consistently; publisher and work names elsewhere in the text
 *   are only text.
 *
 * Text
 *   Every stored string is valid UTF-8: invalid sequences and NUL bytes are replaced by
 *   U+FFFD before parsing, a leading BOM and CR line ends are dropped. The stored "text"
 *   is exactly the text that is indexed, so token offsets are offsets into it.
 */
#ifndef SILK_INDEXER_CORPUS_H
#define SILK_INDEXER_CORPUS_H

#include <stddef.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_SECTION_SEP   " \xe2\x80\xba " /* " › " between the parts of a section path */
#define SILK_SYNONYMS_FILE "synonyms.txt"   /* the synonym table at the top of the corpus */
#define SILK_ID_MAX        240              /* bytes of a document id (Xapian's term limit) */

typedef enum {
    SILK_FORMAT_NONE = 0, /* not a corpus file: ignored */
    SILK_FORMAT_TXT,      /* plain article */
    SILK_FORMAT_MD,       /* Markdown article */
    SILK_FORMAT_JSONL,    /* JSON Lines documents */
} silk_format_t;

/* One document, as stored (search.h) and indexed. All strings are valid UTF-8, owned by
 * the article that holds the document. */
typedef struct {
    char *id;           /* "<article>#<anchor>" */
    char *article_name; /* the article part of id: the XA term */
    char *title;        /* the article's title */
    char *kind;         /* SILK_KIND_* */
    char *section;      /* section path, parts joined by SILK_SECTION_SEP; "" for none */
    char *text;         /* the clean text (stored and indexed exactly) */
    size_t text_len;    /* its length in bytes */
    unsigned *cites;    /* reference numbers cited, deduplicated, in order */
    size_t ncites;      /* number of cites */
    char **cited_by;    /* anchors citing this reference ("p3") */
    size_t ncited_by;   /* number of cited_by */
    int year;           /* publication year, 0 when none */
    char **authors;     /* author names ("Con Coughlin") */
    size_t nauthors;    /* number of authors */
} silk_corpus_doc_t;

typedef struct silk_article silk_article_t; /* the documents of one parsed file */

/* The format of a corpus-relative path by its extension (case-insensitive); NONE for
 * anything else, and for SILK_SYNONYMS_FILE at the top of the corpus. */
silk_format_t silk_corpus_format(const char *relpath);

/* The article name of a corpus-relative path: the path without its extension. Malloc'd
 * (the caller frees it); NULL when out of memory. */
char *silk_corpus_article_name(const char *relpath);

/* 1 when data looks binary rather than text (over 1% NUL bytes, or over 10% other control
 * bytes, in its first 64 KiB); 0 otherwise (empty data is text). */
int silk_corpus_looks_binary(const char *data, size_t len);

/* A copy of s[0..len) with each invalid UTF-8 sequence and each NUL byte replaced by
 * U+FFFD. Malloc'd, NUL-terminated (the caller frees it); *out_len (may be NULL) gets its
 * length. NULL when out of memory. */
char *silk_corpus_clean_utf8(const char *s, size_t len, size_t *out_len);

/* Parses a file's contents. `name` is the article name (silk_corpus_article_name());
 * `path` names the file in problem messages. Bad input never fails the parse: broken
 * JSONL lines become problems. On success *out owns the documents (free with
 * silk_article_destroy()). SILK_ERR_NOMEM when out of memory; SILK_ERR_INVALID for
 * SILK_FORMAT_NONE. */
silk_status_t silk_article_parse(silk_format_t fmt, const char *name, const char *path,
                                 const char *data, size_t len, silk_article_t **out);
void silk_article_destroy(silk_article_t *a);

/* The article's title (the first document's for JSONL; "" when the file had none). */
const char *silk_article_title(const silk_article_t *a);
size_t silk_article_count(const silk_article_t *a);
/* Document i (< count), valid until the article is destroyed. */
const silk_corpus_doc_t *silk_article_doc(const silk_article_t *a, size_t i);
/* Problems found while parsing ("FILE:LINE: reason"), valid until the article is
 * destroyed. */
size_t silk_article_problem_count(const silk_article_t *a);
const char *silk_article_problem(const silk_article_t *a, size_t i);

/* The stored JSON data of a document (search.h's format: id, kind, article, section,
 * text, and cites / cited_by / year / authors when present). Malloc'd (the caller frees
 * it), *len gets its length; NULL when out of memory. */
char *silk_corpus_doc_json(const silk_corpus_doc_t *doc, size_t *len);

/* ---- synonyms ------------------------------------------------------------------------------ */

/* corpus/synonyms.txt: one group a line, members separated by '=', e.g.
 * `dprk = north korea = democratic people's republic of korea`; `#` starts a comment
 * line; blank lines are ignored; a line with fewer than two members is a problem. */
typedef struct silk_synonyms silk_synonyms_t;

/* Parses the synonym table; `path` names it in problem messages. *out owns the result
 * (silk_synonyms_destroy()). SILK_ERR_NOMEM when out of memory. */
silk_status_t silk_synonyms_parse(const char *path, const char *data, size_t len,
                                  silk_synonyms_t **out);
void silk_synonyms_destroy(silk_synonyms_t *syn);
size_t silk_synonyms_group_count(const silk_synonyms_t *syn);
/* Members of group g as written (trimmed, valid UTF-8), valid until destroy. */
size_t silk_synonyms_member_count(const silk_synonyms_t *syn, size_t g);
const char *silk_synonyms_member(const silk_synonyms_t *syn, size_t g, size_t m);
size_t silk_synonyms_problem_count(const silk_synonyms_t *syn);
const char *silk_synonyms_problem(const silk_synonyms_t *syn, size_t i);

#ifdef __cplusplus
}
#endif

#endif
