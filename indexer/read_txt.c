/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the plain-text article reader (read_txt.h). */
#include "read_txt.h"

#include <stdlib.h>
#include <string.h>

#define HEADING_MAX_CHARS 80   /* a longer line is prose, never a heading */
#define RUN_MAX           4096 /* heading candidates of one run that are decided */

/* Characters (not bytes) of the UTF-8 text s[0..n). */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static int is_standard_section(const char *s, size_t n)
{
    static const char *const names[] = {"see also", "notes", "external links"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (silk_str_eq_nocase(s, n, names[i]))
            return 1;
    /* References and further reading, in every language silk_section_kind knows. */
    return silk_section_kind(s, n) != SILK_SECTION_PROSE;
}

typedef enum {
    L_BLANK,
    L_PROSE,
    L_CAND,    /* heading candidate: short, no final punctuation */
    L_HEADING, /* decided heading */
    L_SHORT,   /* decided: a candidate that is a short paragraph */
    L_LIST,    /* "- item" */
    L_INFOBOX, /* part of the infobox run */
} line_class_t;

static int ends_final_punct(const char *s, size_t n)
{
    static const char *const finals[] = {".",
                                         "!",
                                         "?",
                                         ":",
                                         ";",
                                         ",",
                                         "\"",
                                         ")",
                                         "]",
                                         "\xe2\x80\x9d", /* ” */
                                         "\xe2\x80\xa6", /* … */
                                         "\xe3\x80\x82", /* 。 */
                                         "\xef\xbc\x81", /* ！ */
                                         "\xef\xbc\x9f", /* ？ */
                                         "\xc2\xbb",     /* » */
                                         "\xe2\x80\x99", /* ’ */
                                         "'"};
    for (size_t i = 0; i < sizeof finals / sizeof *finals; i++)
        if (silk_str_ends(s, n, finals[i]))
            return 1;
    return 0;
}

static int is_list_line(const char *s, size_t n)
{
    return (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') ||
           silk_str_starts(s, n, "\xe2\x80\xa2 "); /* • */
}

static size_t list_marker_len(const char *s, size_t n)
{
    if (silk_str_starts(s, n, "\xe2\x80\xa2 "))
        return 4;
    return 2;
}

/* Classifies the lines after the title: prose, list line or heading candidate. */
static void classify(const silk_line_t *lines, size_t nl, size_t first, line_class_t *cls)
{
    for (size_t i = first + 1; i < nl; i++) {
        if (cls[i] == L_BLANK && lines[i].n == 0)
            continue;
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        if (is_list_line(s, n))
            cls[i] = L_LIST;
        else if (utf8_chars(s, n) <= HEADING_MAX_CHARS && !ends_final_punct(s, n))
            cls[i] = L_CAND;
        else
            cls[i] = L_PROSE;
    }
}

/* Marks the infobox: the run of lines with '|' right after the lead or the title. */
static void mark_infobox(const silk_line_t *lines, size_t nl, size_t first, line_class_t *cls)
{
    size_t k = first + 1;
    while (k < nl && lines[k].n == 0)
        k++;
    for (int attempt = 0; attempt < 2 && k < nl; attempt++) {
        if (memchr(lines[k].s, '|', lines[k].n) && cls[k] != L_LIST) {
            for (size_t j = k; j < nl; j++) {
                if (lines[j].n == 0)
                    continue;
                if (!memchr(lines[j].s, '|', lines[j].n) || cls[j] == L_LIST)
                    break;
                cls[j] = L_INFOBOX;
            }
            break;
        }
        k++;
        while (k < nl && lines[k].n == 0)
            k++;
    }
}

/* Decides each run of heading candidates: heading or short paragraph. */
static void decide_headings(const silk_line_t *lines, size_t nl, size_t first, line_class_t *cls)
{
    for (size_t i = first + 1; i < nl;) {
        if (cls[i] != L_CAND) {
            i++;
            continue;
        }
        size_t run[RUN_MAX];
        size_t nr = 0, j = i;
        while (j < nl && (cls[j] == L_CAND || (cls[j] == L_BLANK && lines[j].n == 0))) {
            if (cls[j] == L_CAND && nr < sizeof run / sizeof *run)
                run[nr++] = j;
            j++;
        }
        line_class_t next = j < nl ? cls[j] : L_BLANK;
        /* Standard section names are headings and split the run into segments; each
         * segment is decided on its own. */
        size_t seg = 0;
        while (seg < nr) {
            size_t e = seg;
            while (e < nr && !is_standard_section(lines[run[e]].s, lines[run[e]].n))
                e++;
            line_class_t after = e < nr ? L_HEADING : next;
            size_t len = e - seg;
            for (size_t r = seg; r < e; r++) {
                int heading = 0;
                if (r == e - 1 && (after == L_PROSE || after == L_LIST || after == L_INFOBOX))
                    heading = 1;
                if (r == seg && len >= 3)
                    heading = 1;
                cls[run[r]] = heading ? L_HEADING : L_SHORT;
            }
            if (e < nr)
                cls[run[e]] = L_HEADING;
            seg = e + 1;
        }
        i = j;
    }
}

/* Builds the documents in file order. */
static silk_status_t emit(silk_builder_t *b, const silk_line_t *lines, size_t nl, size_t first,
                          const line_class_t *cls)
{
    silk_status_t rc = SILK_ERR_NOMEM;
    char *section = NULL;
    silk_section_kind_t sk = SILK_SECTION_PROSE;
    int infobox_done = 0;
    for (size_t i = first + 1; i < nl; i++) {
        const char *s = lines[i].s;
        size_t n = lines[i].n;
        if (n == 0)
            continue;
        switch (cls[i]) {
        case L_HEADING:
            free(section);
            if (!(section = strndup(s, n)))
                goto out;
            sk = silk_section_kind(s, n);
            silk_builder_heading_seen(b);
            break;
        case L_INFOBOX:
            if (!infobox_done) {
                size_t j = i;
                while (j < nl && (cls[j] == L_INFOBOX || lines[j].n == 0))
                    j++;
                if (silk_builder_table(b, lines + i, j - i, 1, NULL) != SILK_OK)
                    goto out;
                infobox_done = 1;
                i = j - 1;
            }
            break;
        case L_LIST: {
            size_t m = list_marker_len(s, n);
            silk_status_t r =
                sk == SILK_SECTION_PROSE
                    ? silk_builder_paragraph(b, s + m, n - m, section)
                    : silk_builder_item(b, sk == SILK_SECTION_REFS, s + m, n - m, section);
            if (r != SILK_OK)
                goto out;
            break;
        }
        default:
            if (silk_builder_paragraph(b, s, n, section) != SILK_OK)
                goto out;
            break;
        }
    }
    rc = SILK_OK;
out:
    free(section);
    return rc;
}

silk_status_t silk_read_txt(silk_builder_t *b, silk_line_t *lines, size_t nl)
{
    silk_status_t rc = SILK_OK;
    line_class_t *cls = calloc(nl ? nl : 1, sizeof *cls);
    if (!cls)
        return SILK_ERR_NOMEM;
    /* Trim every line; the first non-blank one is the title. */
    size_t first = nl;
    for (size_t i = 0; i < nl; i++) {
        silk_str_trim(&lines[i].s, &lines[i].n);
        if (lines[i].n == 0)
            cls[i] = L_BLANK;
        else if (first == nl)
            first = i, cls[i] = L_BLANK;
    }
    if (first < nl) {
        rc = silk_builder_set_title(b, lines[first].s, lines[first].n);
        if (rc == SILK_OK) {
            classify(lines, nl, first, cls);
            mark_infobox(lines, nl, first, cls);
            decide_headings(lines, nl, first, cls);
            rc = emit(b, lines, nl, first, cls);
        }
    }
    free(cls);
    return rc;
}
