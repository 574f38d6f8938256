/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the bounds of the reindex runner. See rxbound.h.
 *
 * The summary reader is a small JSON scanner rather than a parser: it only needs to know
 * where strings, nesting and list entries begin and end, so that it can drop entries as
 * they stream past without ever holding more than the bound. What it keeps is parsed with
 * jansson at the end of each line.
 */
#include "rxbound.h"

#include <stdio.h>
#include <string.h>

void silkd_summary_init(silkd_summary_t *s, size_t keep, size_t max_bytes)
{
    silkd_summary_free(s);
    memset(s, 0, sizeof *s);
    s->keep = keep;
    s->max_bytes = max_bytes;
}

void silkd_summary_free(silkd_summary_t *s)
{
    silk_buf_free(&s->line);
    silk_buf_free(&s->elem);
    json_decref(s->summary);
    s->summary = NULL;
}

/* Tracks strings and nesting for one character that is not structural to the reader. */
static void scan(silkd_summary_t *s, char c)
{
    if (s->in_str) {
        if (s->esc)
            s->esc = 0;
        else if (c == '\\')
            s->esc = 1;
        else if (c == '"')
            s->in_str = 0;
        return;
    }
    if (c == '"')
        s->in_str = 1;
    else if (c == '{' || c == '[')
        s->depth++;
    else if ((c == '}' || c == ']') && s->depth > 0)
        s->depth--;
}

static void reset_line(silkd_summary_t *s)
{
    s->line.len = 0;
    s->elem.len = 0;
    s->depth = s->in_str = s->esc = s->top_obj = s->in_list = 0;
    s->elem_big = s->elem_any = s->overflow = s->key_next = s->in_key = 0;
    s->key_len = s->kept = 0;
    s->nlists = 0;
}

static void end_line(silkd_summary_t *s)
{
    if (s->top_obj && s->overflow) {
        s->lines_lost++;
        char msg[128];
        snprintf(msg, sizeof msg, "the summary line was over %zu bytes", s->max_bytes);
        json_decref(s->summary);
        s->summary = json_pack("{s:n, s:s}", "ok", "summary_lost", msg);
    } else if (s->top_obj) {
        json_t *j = json_loadb(s->line.data, s->line.len, 0, NULL);
        if (j && json_is_object(j)) {
            for (unsigned i = 0; i < s->nlists; i++) {
                char k[80];
                snprintf(k, sizeof k, "%s_more", s->list_key[i]);
                json_object_set_new(j, k, json_integer((json_int_t)s->dropped[i]));
            }
            json_decref(s->summary);
            s->summary = j;
        } else {
            json_decref(j);
        }
    }
    reset_line(s);
}

static void drop_entry(silkd_summary_t *s)
{
    /* The list takes a slot at its first dropped entry; past SILKD_SUMMARY_LISTS lists the
     * entries are still dropped, only not counted. */
    if (s->slot < 0) {
        if (s->nlists >= SILKD_SUMMARY_LISTS)
            return;
        s->slot = (int)s->nlists++;
        snprintf(s->list_key[s->slot], sizeof s->list_key[0], "%s", s->key);
        s->dropped[s->slot] = 0;
    }
    s->dropped[s->slot]++;
}

static void finish_entry(silkd_summary_t *s)
{
    if (s->elem_any) {
        size_t need = s->elem.len + (s->kept ? 1 : 0);
        if (s->kept < s->keep && !s->elem_big && s->line.len + need + 2 <= s->max_bytes) {
            if (s->kept)
                silk_buf_addc(&s->line, ',');
            silk_buf_add(&s->line, s->elem.data, s->elem.len);
            s->kept++;
        } else {
            drop_entry(s);
        }
    }
    s->elem.len = 0;
    s->elem_any = s->elem_big = 0;
}

static void feed_entry(silkd_summary_t *s, char c)
{
    if (!s->elem_any && !s->in_str && (c == ' ' || c == '\t' || c == '\r'))
        return;
    s->elem_any = 1;
    if (s->elem.len < s->max_bytes) {
        if (silk_buf_addc(&s->elem, c) != SILK_OK)
            s->elem_big = 1;
    } else {
        s->elem_big = 1;
    }
    scan(s, c);
}

static void feed_line(silkd_summary_t *s, char c)
{
    /* Closing characters are always kept so that a cut line still parses. */
    if (s->line.len + 2 > s->max_bytes && c != '}' && c != ']')
        s->overflow = 1;
    else if (silk_buf_addc(&s->line, c) != SILK_OK)
        s->overflow = 1;
    if (s->in_str) {
        if (s->in_key && !s->esc && c == '"')
            s->in_key = 0;
        else if (s->in_key && s->key_len + 1 < sizeof s->key)
            s->key[s->key_len++] = c, s->key[s->key_len] = '\0';
        scan(s, c);
        return;
    }
    int depth = s->depth;
    scan(s, c);
    if (c == '"' && depth == 1 && s->key_next) {
        s->in_key = 1;
        s->key_next = 0;
        s->key_len = 0;
        s->key[0] = '\0';
    } else if (c == '{' && depth == 0) {
        s->top_obj = 1;
        s->key_next = 1;
    } else if (c == ',' && depth == 1) {
        s->key_next = 1;
    } else if (c == '[' && depth == 1 && s->top_obj) {
        s->in_list = 1;
        s->kept = 0;
        s->slot = -1;
    }
}

void silkd_summary_feed(silkd_summary_t *s, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\n') {
            /* JSON strings hold no raw newline: every newline ends a line. */
            if (s->in_list)
                finish_entry(s);
            end_line(s);
        } else if (s->in_list && !s->in_str && s->depth == 2 && (c == ',' || c == ']')) {
            finish_entry(s);
            if (c == ']') {
                s->in_list = 0;
                s->depth = 1;
                silk_buf_addc(&s->line, ']');
            }
        } else if (s->in_list) {
            feed_entry(s, c);
        } else {
            feed_line(s, c);
        }
    }
}

json_t *silkd_summary_finish(silkd_summary_t *s)
{
    if (s->in_list)
        finish_entry(s);
    end_line(s);
    json_t *j = s->summary;
    s->summary = NULL;
    return j;
}

uint64_t silkd_watch_wait(uint64_t now_ms, uint64_t first_ms, uint64_t delay_ms, uint64_t max_ms)
{
    if (max_ms == 0)
        return delay_ms;
    uint64_t waited = now_ms > first_ms ? now_ms - first_ms : 0;
    if (waited >= max_ms)
        return 0;
    uint64_t left = max_ms - waited;
    return delay_ms < left ? delay_ms : left;
}

/* ---- the child's progress lines ------------------------------------------------------------ */

void silkd_progress_init(silkd_progress_t *p)
{
    json_decref(p->last);
    memset(p, 0, sizeof *p);
}

void silkd_progress_free(silkd_progress_t *p)
{
    json_decref(p->last);
    p->last = NULL;
}

int silkd_progress_is_line(const char *s, size_t n)
{
    size_t k = strlen(SILKD_PROGRESS_PREFIX);
    return n >= k && memcmp(s, SILKD_PROGRESS_PREFIX, k) == 0;
}

/* A complete line: kept when it is a progress line holding a JSON object. */
static int progress_line(silkd_progress_t *p)
{
    size_t k = strlen(SILKD_PROGRESS_PREFIX);
    if (!silkd_progress_is_line(p->line, p->len))
        return 0;
    json_t *o = json_loadb(p->line + k, p->len - k, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return 0;
    }
    json_decref(p->last);
    p->last = o;
    return 1;
}

int silkd_progress_feed(silkd_progress_t *p, const char *s, size_t n)
{
    int got = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            if (!p->skip)
                got |= progress_line(p);
            p->len = 0;
            p->skip = 0;
        } else if (p->skip) {
            continue;
        } else if (p->len == sizeof p->line) {
            p->skip = 1;
        } else {
            p->line[p->len++] = s[i];
        }
    }
    return got;
}
