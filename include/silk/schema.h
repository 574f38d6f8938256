/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the index schema: term prefixes, value slots and document kinds.
 *
 * The indexer writes these and the query builder reads them; this header is the one
 * place both agree on. Prefixes follow Xapian's convention (capital letters, X for
 * multi-letter ones), so xapian-delve output reads naturally.
 */
#ifndef SILK_SCHEMA_H
#define SILK_SCHEMA_H

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Free-text terms have no prefix and carry positions. */
#define SILK_PREFIX_STEM    "Z"  /* English stem of a body word, no positions: Zweapon */
#define SILK_PREFIX_UNIQUE  "Q"  /* unique id: Qiran-north-korea-relations#p1 */
#define SILK_PREFIX_TITLE   "S"  /* article title word, positional: Siran; stems ZSiran */
#define SILK_PREFIX_SECTION "XS" /* section path word, positional: XShistory; ZXShistori */
#define SILK_PREFIX_KIND    "K"  /* boolean: Klead Kparagraph Kinfobox Kreference Kreading */
#define SILK_PREFIX_ARTICLE "XA" /* boolean: article name (file name without extension) */
#define SILK_PREFIX_AUTHOR  "A"  /* boolean: each normalized word of each author's name */
#define SILK_PREFIX_YEAR    "Y"  /* boolean: publication year, Y2007 */
#define SILK_PREFIX_CITES   "XC" /* boolean: a paragraph citing reference 27 has XC27 */
#define SILK_PREFIX_TITLEKEY                                                                       \
    "XT" /* boolean: the article's title as one key, its words' terms joined by one space          \
            (silk_qwords_key): XTiran north korea relations, for article:"<title>" */
#define SILK_TITLE_KEY_MAX 200 /* bytes of a title key (Xapian's terms stop at 245) */

#define SILK_SLOT_YEAR    0 /* sortable value: publication year */
#define SILK_SLOT_KIND    1 /* string value: the kind (lead, paragraph, ...), for facet counts */
#define SILK_SLOT_ARTICLE 2 /* string value: the article name (as article: filters it) */
#define SILK_SLOT_SECTION 3 /* string value: the section path ("" for none: no value) */

/* Within-document frequency increments: a title word counts more than a body word. */
#define SILK_WDF_BODY    1
#define SILK_WDF_SECTION 2
#define SILK_WDF_TITLE   3

/* Document kinds as stored in the "kind" field of the document data. */
#define SILK_KIND_LEAD      "lead"
#define SILK_KIND_PARAGRAPH "paragraph"
#define SILK_KIND_INFOBOX   "infobox"
#define SILK_KIND_REFERENCE "reference"
#define SILK_KIND_READING   "reading"

/* The kinds as the query language lists them (kind: is a closed field). */
#define SILK_KINDS_LIST "lead, paragraph, infobox, reference, reading"

/* Whether s[0, n) is one of the document kinds above. */
static inline int silk_kind_is_known(const char *s, size_t n)
{
    static const char *const kinds[] = {SILK_KIND_LEAD, SILK_KIND_PARAGRAPH, SILK_KIND_INFOBOX,
                                        SILK_KIND_REFERENCE, SILK_KIND_READING};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strlen(kinds[i]) == n && memcmp(kinds[i], s, n) == 0)
            return 1;
    return 0;
}

/* Index metadata keys. */
#define SILK_META_FILE_PREFIX "silk.file:"      /* + corpus-relative path: JSON {hash, size, ids} */
#define SILK_META_INDEXED_AT  "silk.indexed_at" /* ISO 8601 time of the last commit */
#define SILK_META_SCHEMA      "silk.schema"     /* the document layout the index was built with */

/* The document layout (terms, values, stored data) the indexer writes. An index whose
 * SILK_META_SCHEMA differs (or is unset: built before the marker) gets every document
 * rewritten by the next run, incremental or not. 2: value slots for facet counts. */
#define SILK_SCHEMA_VERSION "2"

#ifdef __cplusplus
}
#endif

#endif
