/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — spelling count changes of a run. See spelling.h. */
#include "spelling.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "strmap.h"
#include "terms.h"

struct silk_spelling {
    silk_tokenizer_t *tok; /* for stored text (not owned) */
    silk_strmap_t words;   /* word -> (intptr_t) count change */
};

silk_spelling_t *silk_spelling_new(silk_tokenizer_t *tok)
{
    silk_spelling_t *sp = calloc(1, sizeof *sp);
    if (sp)
        sp->tok = tok;
    return sp;
}

/* Adds d to the count change of the NUL-terminated word; nonzero when out of memory. */
static int change(silk_spelling_t *sp, const char *word, intptr_t d)
{
    silk_strmap_slot_t *s = silk_strmap_put(&sp->words, word);
    if (!s)
        return 1;
    s->val = (void *)((intptr_t)s->val + d);
    return 0;
}

int silk_spelling_add(const char *word, size_t len, void *ud)
{
    char w[SILK_TERM_BUF];
    if (len >= sizeof w)
        return 0;
    memcpy(w, word, len);
    w[len] = '\0';
    return change(ud, w, 1);
}

static int sub_token(const silk_token_t *t, void *ud)
{
    if (!silk_terms_spelled(t) || t->len >= SILK_TERM_BUF)
        return 0;
    return change(ud, t->term, -1);
}

void silk_spelling_forget(silk_spelling_t *sp, const char *data, size_t len)
{
    json_t *o = json_loadb(data, len, JSON_ALLOW_NUL, NULL);
    json_t *text = json_object_get(o, "text");
    if (json_is_string(text))
        silk_tokenize(sp->tok, json_string_value(text), json_string_length(text), 1, sub_token, sp,
                      NULL);
    json_decref(o);
}

silk_status_t silk_spelling_flush(silk_spelling_t *sp, silk_wdb_t *wdb, char **msg)
{
    silk_status_t st = SILK_OK;
    for (size_t i = 0; i < sp->words.cap && st == SILK_OK; i++) {
        silk_strmap_slot_t *s = &sp->words.slots[i];
        if (!s->key)
            continue;
        intptr_t c = (intptr_t)s->val;
        if (c > 0)
            st = silk_wdb_add_spelling(wdb, s->key, (unsigned)c);
        else if (c < 0)
            st = silk_wdb_remove_spelling(wdb, s->key, (unsigned)-c);
    }
    silk_strmap_free(&sp->words);
    if (st != SILK_OK)
        return silk_index_fail(msg, st, "cannot write spelling data: %s", silk_wdb_error(wdb));
    return SILK_OK;
}

void silk_spelling_destroy(silk_spelling_t *sp)
{
    if (!sp)
        return;
    silk_strmap_free(&sp->words);
    free(sp);
}
