/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — error messages and answers, as a person at a terminal reads them
 * (client/print.h). */
#include "print.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "render.h"
#include "silk/buf.h"

const char *silk_cli_where(const silk_cli_opts_t *opt, long line)
{
    static char s[48];
    if (!opt->batch)
        return "";
    snprintf(s, sizeof s, "line %ld: ", line);
    return s;
}

static const char *color(const silk_cli_opts_t *opt, const char *esc)
{
    return opt->color ? esc : "";
}

void silk_cli_print_error(const silk_cli_opts_t *opt, long line, const char *query,
                          const silk_response_t *resp)
{
    char what[64];
    snprintf(what, sizeof what, "%s", resp->code_name ? resp->code_name : "error");
    for (char *c = what; *c; c++)
        if (*c == '_')
            *c = ' ';
    silk_cli_errorf("%s%s: %s", silk_cli_where(opt, line), what,
                    resp->message ? resp->message : "(no message)");
    if (resp->position >= 0 && query && isatty(2)) {
        size_t at = (size_t)resp->position, qlen = strlen(query);
        if (at <= qlen) {
            fputs("  ", stderr);
            silk_render_cut(stderr, query, qlen, 0);
            fprintf(stderr, "\n  %*s^\n", (int)silk_text_width(query, at), "");
        }
    }
}

/* Writes a line of the footer wrapped at the width, bold from byte `bold_from` on (when
 * non-zero and colour is on). */
static void print_line(const silk_cli_opts_t *opt, const char *text, size_t bold_from)
{
    silk_render_opts_t ro = {.width = opt->width, .color = opt->color};
    size_t len = strlen(text);
    silk_hl_t hl = {bold_from, len};
    silk_render_wrap(stdout, text, len, &hl, bold_from ? 1 : 0, &ro);
}

/* Writes a one-line header: rank, id, article › section, cut to the terminal width. */
static void print_hit_header(const silk_cli_opts_t *opt, const silk_resp_hit_t *hit, int rank_cols)
{
    const char *id = hit->id ? hit->id : "?";
    int width = opt->width;
    char *title = NULL;

    printf("%*lld  ", rank_cols, hit->rank);
    int col = rank_cols + 2;
    int left = width > 0 ? width - col : 0;
    if (width > 0 && left < 1)
        left = 1;
    fputs(color(opt, SILK_ANSI_CYAN), stdout);
    int used = silk_render_cut(stdout, id, strlen(id), left);
    fputs(color(opt, SILK_ANSI_RESET), stdout);
    if (hit->article && *hit->article) {
        if (hit->section && *hit->section) {
            if (asprintf(&title, "%s › %s", hit->article, hit->section) < 0)
                title = NULL;
        } else {
            title = strdup(hit->article);
        }
    }
    if (title && (width <= 0 || left - used > 3)) {
        fputs("  ", stdout);
        silk_render_cut(stdout, title, strlen(title), width > 0 ? left - used - 2 : 0);
    }
    fputc('\n', stdout);
    free(title);
}

/* The footer's count: "3 hits", "Hits 11–20 of about 64", "No hits". */
static void format_count(const silk_cli_opts_t *opt, const silk_response_t *resp, char *out,
                         size_t cap)
{
    long long total = resp->total, nhits = (long long)resp->nhits;
    long long first = opt->offset + 1, last = opt->offset + nhits;
    const char *about = resp->exact ? "" : "about ";
    if (total <= 0 && nhits == 0)
        snprintf(out, cap, "No hits");
    else if (opt->offset == 0 && nhits == total && resp->exact)
        snprintf(out, cap, "%lld hit%s", total, total == 1 ? "" : "s");
    else if (nhits == 0 && opt->limit == 0)
        snprintf(out, cap, "%s%lld hit%s", about, total, total == 1 ? "" : "s");
    else if (nhits == 0)
        snprintf(out, cap, "No hits past %lld of %s%lld", opt->offset, about, total);
    else
        snprintf(out, cap, "Hits %lld–%lld of %s%lld", first, last, about, total);
}

/* The dim line under a hit naming its links: "cites [32] [33]" for a paragraph, "cited by
 * p1 p4" for a reference (anchors inside the hit's article; `silk show ID` opens them). */
static void print_links(const silk_cli_opts_t *opt, const silk_resp_hit_t *hit, int indent)
{
    silk_buf_t b = SILK_BUF_INIT;
    char num[32];
    if (hit->ncites > 0) {
        silk_buf_add(&b, "cites", 5);
        for (size_t i = 0; i < hit->ncites; i++) {
            int n = snprintf(num, sizeof num, " [%lld]", hit->cites[i]);
            silk_buf_add(&b, num, (size_t)n);
        }
    }
    if (hit->ncited_by > 0) {
        if (b.len)
            silk_buf_add(&b, " · ", strlen(" · "));
        silk_buf_add(&b, "cited by", 8);
        for (size_t i = 0; i < hit->ncited_by; i++) {
            silk_buf_add(&b, " ", 1);
            silk_buf_add(&b, hit->cited_by[i], strlen(hit->cited_by[i]));
        }
    }
    if (b.len > 0) {
        /* One line, cut with "…" at the width: a compact pointer, `silk show` has them all. */
        printf("%*s%s", indent, "", color(opt, SILK_ANSI_DIM));
        silk_render_cut(stdout, b.data, b.len, opt->width > indent ? opt->width - indent : 0);
        printf("%s\n", color(opt, SILK_ANSI_RESET));
    }
    silk_buf_free(&b);
}

/* "(matched misile → missile, nuclar → nuclear)": the typo corrections silkd made. */
static void print_corrections(const silk_cli_opts_t *opt, const silk_response_t *resp)
{
    if (resp->ncorrections == 0)
        return;
    silk_buf_t b = SILK_BUF_INIT;
    silk_buf_add(&b, "(matched ", 9);
    for (size_t i = 0; i < resp->ncorrections; i++) {
        const char *from = resp->corrections[2 * i], *to = resp->corrections[2 * i + 1];
        if (i)
            silk_buf_add(&b, ", ", 2);
        silk_buf_add(&b, from, strlen(from));
        silk_buf_add(&b, " → ", strlen(" → "));
        silk_buf_add(&b, to, strlen(to));
    }
    silk_buf_add(&b, ")", 1);
    if (silk_buf_add(&b, "", 1) == SILK_OK) /* the NUL */
        print_line(opt, b.data, 0);
    silk_buf_free(&b);
}

/* One line per facet: "kind: paragraph 12 · reference 3". */
static void print_facets(const silk_cli_opts_t *opt, const silk_response_t *resp)
{
    for (size_t f = 0; f < resp->nfacets; f++) {
        const silk_resp_facet_t *fa = &resp->facets[f];
        silk_buf_t b = SILK_BUF_INIT;
        char num[32];
        silk_buf_add(&b, fa->name, strlen(fa->name));
        silk_buf_add(&b, ":", 1);
        for (size_t i = 0; i < fa->nvalues; i++) {
            if (i)
                silk_buf_add(&b, " ·", strlen(" ·"));
            silk_buf_add(&b, " ", 1);
            silk_buf_add(&b, fa->values[i].value, strlen(fa->values[i].value));
            int n = snprintf(num, sizeof num, " %lld", fa->values[i].count);
            silk_buf_add(&b, num, (size_t)n);
        }
        if (fa->nvalues == 0)
            silk_buf_add(&b, " (none)", 7);
        if (silk_buf_add(&b, "", 1) == SILK_OK)
            print_line(opt, b.data, 0);
        silk_buf_free(&b);
    }
}

int silk_cli_print_search(const silk_cli_opts_t *opt, long answered, const char *query,
                          const silk_response_t *resp)
{
    int rank_cols = 1;

    if (opt->format == SILK_FORMAT_IDS) {
        /* For scripts: the ids alone, nothing else (not even in batch mode). */
        for (size_t i = 0; i < resp->nhits; i++)
            if (resp->hits[i].id) {
                silk_render_cut(stdout, resp->hits[i].id, strlen(resp->hits[i].id), 0);
                fputc('\n', stdout);
            }
        return (resp->total > 0 || resp->nhits > 0) ? SILK_EXIT_HITS : SILK_EXIT_NO_HITS;
    }

    if (opt->batch) {
        if (answered > 1)
            fputc('\n', stdout);
        printf("%squery:%s ", color(opt, SILK_ANSI_BOLD), color(opt, SILK_ANSI_RESET));
        silk_render_cut(stdout, query, strlen(query), 0);
        fputs("\n\n", stdout);
    }
    for (size_t i = 0; i < resp->nhits; i++) {
        int cols = snprintf(NULL, 0, "%lld", resp->hits[i].rank);
        if (cols > rank_cols)
            rank_cols = cols;
    }
    for (size_t i = 0; i < resp->nhits; i++) {
        const silk_resp_hit_t *hit = &resp->hits[i];
        silk_hl_t ranges[64];
        size_t nr = 0;

        print_hit_header(opt, hit, rank_cols);
        for (size_t k = 0; k < hit->nspans && nr < 64; k++)
            ranges[nr++] = (silk_hl_t){hit->spans[k].start, hit->spans[k].end};
        if (hit->snippet) {
            silk_render_opts_t ro = {
                .width = opt->width, .indent = rank_cols + 2, .color = opt->color};
            silk_render_wrap(stdout, hit->snippet, hit->snippet_len, ranges, nr, &ro);
        }
        print_links(opt, hit, rank_cols + 2);
        fputc('\n', stdout);
    }

    /* The footer: how many, how fast, and what silkd did to the query. */
    char count[96];
    format_count(opt, resp, count, sizeof count);
    char *line = NULL;
    if (asprintf(&line, "%s · silkd took %.2f ms", count, (double)resp->took_us / 1000.0) >= 0)
        print_line(opt, line, 0);
    free(line);
    if (resp->relaxed && (resp->total > 0 || resp->nhits > 0))
        print_line(opt, "No document has every word; showing documents with any of them.", 0);
    print_corrections(opt, resp);
    if (resp->did_you_mean && *resp->did_you_mean) {
        line = NULL;
        if (asprintf(&line, "Did you mean: %s", resp->did_you_mean) >= 0)
            print_line(opt, line, strlen("Did you mean: "));
        free(line);
    }
    print_facets(opt, resp);
    return (resp->total > 0 || resp->nhits > 0) ? SILK_EXIT_HITS : SILK_EXIT_NO_HITS;
}

/* A heading of silk show: bold on a terminal. */
static void print_heading(const silk_cli_opts_t *opt, const char *text)
{
    printf("%s%s%s\n", color(opt, SILK_ANSI_BOLD), text, color(opt, SILK_ANSI_RESET));
}

void silk_cli_print_doc(const silk_cli_opts_t *opt, long answered, const silk_resp_doc_t *d)
{
    const char *id = d->id ? d->id : "?";
    silk_render_opts_t ro = {.width = opt->width, .indent = 2, .color = opt->color};
    if (opt->format == SILK_FORMAT_IDS) {
        /* For scripts walking the graph: the documents it links to, one id a line. */
        for (size_t i = 0; i < d->ncites; i++)
            printf("%s\n", d->cites[i].id);
        for (size_t i = 0; i < d->ncited_by; i++)
            printf("%s\n", d->cited_by[i].id);
        return;
    }
    if (answered > 1)
        fputc('\n', stdout);
    fputs(color(opt, SILK_ANSI_CYAN), stdout);
    silk_render_cut(stdout, id, strlen(id), opt->width);
    fputs(color(opt, SILK_ANSI_RESET), stdout);
    fputc('\n', stdout);
    /* What and where: "paragraph · Iran–North Korea relations › Military weapons". */
    char *where = NULL;
    const char *sec = d->section && *d->section ? d->section : NULL;
    if (asprintf(&where, "%s · %s%s%s", d->kind ? d->kind : "?", d->article ? d->article : "",
                 sec ? " › " : "", sec ? sec : "") >= 0) {
        silk_render_cut(stdout, where, strlen(where), opt->width);
        fputc('\n', stdout);
    }
    free(where);
    if (d->has_year || d->nauthors > 0) {
        silk_buf_t b = SILK_BUF_INIT;
        char num[32];
        for (size_t i = 0; i < d->nauthors; i++) {
            if (i)
                silk_buf_add(&b, "; ", 2);
            silk_buf_add(&b, d->authors[i], strlen(d->authors[i]));
        }
        if (d->has_year) {
            int n = snprintf(num, sizeof num, "%s%lld", b.len ? " · " : "", d->year);
            silk_buf_add(&b, num, (size_t)n);
        }
        silk_render_cut(stdout, b.data, b.len, opt->width);
        fputc('\n', stdout);
        silk_buf_free(&b);
    }
    fputc('\n', stdout);
    if (d->text)
        silk_render_wrap(stdout, d->text, d->text_len, NULL, 0, &ro);

    if (d->ncites > 0) {
        fputc('\n', stdout);
        print_heading(opt, "Cites");
        for (size_t i = 0; i < d->ncites; i++) {
            const silk_resp_cite_t *c = &d->cites[i];
            const char *text = c->text ? c->text : "(not in the index)";
            char mark[32];
            int w = snprintf(mark, sizeof mark, "  [%lld] ", c->n);
            /* A hanging indent: the text wrapped under itself, then the first line's indent
             * replaced by the [n] mark (ASCII, exactly as wide as the spaces it replaces). */
            char *item = NULL;
            size_t n = 0;
            FILE *mem = open_memstream(&item, &n);
            silk_render_opts_t rc = {.width = opt->width, .indent = w, .color = opt->color};
            if (mem)
                silk_render_wrap(mem, text, strlen(text), NULL, 0, &rc);
            if (mem && fclose(mem) == 0 && n >= (size_t)w) {
                memcpy(item, mark, (size_t)w);
                fwrite(item, 1, n, stdout);
            } else {
                printf("%s%s\n", mark, text);
            }
            free(item);
        }
        if (d->cites_more > 0)
            printf("  … and %lld more\n", d->cites_more);
    }
    if (d->ncited_by > 0) {
        fputc('\n', stdout);
        print_heading(opt, "Cited by");
        silk_render_opts_t ri = {.width = opt->width, .indent = 4, .color = opt->color};
        for (size_t i = 0; i < d->ncited_by; i++) {
            const silk_resp_citer_t *c = &d->cited_by[i];
            char *head = NULL;
            const char *anchor = strrchr(c->id, '#');
            const char *csec = c->section && *c->section ? c->section : NULL;
            if (asprintf(&head, "%s%s%s", anchor ? anchor + 1 : c->id, csec ? "  " : "",
                         csec ? csec : "") >= 0) {
                fputs("  ", stdout);
                fputs(color(opt, SILK_ANSI_CYAN), stdout);
                silk_render_cut(stdout, head, strlen(head), opt->width > 2 ? opt->width - 2 : 0);
                fputs(color(opt, SILK_ANSI_RESET), stdout);
                fputc('\n', stdout);
            }
            free(head);
            if (c->text)
                silk_render_wrap(stdout, c->text, strlen(c->text), NULL, 0, &ri);
            else
                silk_render_wrap(stdout, "(not in the index)", 18, NULL, 0, &ri);
        }
        if (d->cited_by_more > 0)
            printf("  … and %lld more\n", d->cited_by_more);
    }
}

void silk_cli_print_fields(const silk_response_t *resp)
{
    for (size_t i = 0; i < resp->nmembers; i++) {
        const silk_resp_member_t *m = &resp->members[i];
        /* The answer's own "id" and "ok" say nothing to a person (a member inside an
         * object has a longer name). */
        if (!strcmp(m->name, "id") || !strcmp(m->name, "ok"))
            continue;
        if (m->kind == SILK_RESP_OBJECT && m->children > 0)
            continue; /* its members follow, each on its own line */
        if (m->kind == SILK_RESP_STRING) {
            printf("%s: ", m->name);
            silk_render_cut(stdout, m->str, m->str_len, 0);
            fputc('\n', stdout);
        } else if (m->kind == SILK_RESP_REAL) {
            printf("%s: %.6g\n", m->name, m->real); /* not 221.19999999999999 */
        } else {
            printf("%s: %s\n", m->name, m->json ? m->json : "?");
        }
    }
}

void silk_cli_print_reindex(const silk_response_t *resp)
{
    const silk_resp_member_t *sum = silk_response_find(resp, "summary");
    const silk_resp_member_t *up = silk_response_find(resp, "summary.up_to_date");
    const silk_resp_member_t *took = silk_response_find(resp, "took_ms");
    if (!sum || sum->kind != SILK_RESP_OBJECT) {
        silk_cli_print_fields(resp);
        return;
    }
#define NUM(key) silk_response_int(resp, "summary." key)
    long long problems = NUM("problems_count");
    if (up && up->kind == SILK_RESP_TRUE)
        printf("Index up to date: %lld documents, revision %lld", NUM("docs_total"),
               NUM("revision"));
    else
        printf("Re-indexed %lld changed, %lld new and %lld removed files: %lld documents added, "
               "%lld replaced, %lld deleted; %lld in all, revision %lld",
               NUM("files_changed"), NUM("files_added"), NUM("files_removed"), NUM("docs_added"),
               NUM("docs_replaced"), NUM("docs_deleted"), NUM("docs_total"), NUM("revision"));
    if (took && took->kind == SILK_RESP_INT)
        printf(" (%lld ms)", took->integer);
    printf(".\n");
    if (problems > 0)
        printf("The indexer reported %lld problem%s; `silk --reindex --json` lists them.\n",
               problems, problems == 1 ? "" : "s");
#undef NUM
}
