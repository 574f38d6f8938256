/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — loading corpus/synonyms.txt into the synonym table. See syntable.h. */
#include "syntable.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "scan.h"
#include "silk/buf.h"

static int phrase_token(const silk_token_t *t, void *ud)
{
    silk_buf_t *b = ud;
    return (b->len && silk_buf_addc(b, ' ') != SILK_OK) ||
           silk_buf_add(b, t->term, t->len) != SILK_OK;
}

/* A synonym member as its normalized tokens joined by one space (malloc'd), NULL when out
 * of memory. */
static char *normalize_phrase(silk_tokenizer_t *tok, const char *s)
{
    silk_buf_t b = SILK_BUF_INIT;
    if (silk_tokenize(tok, s, strlen(s), 1, phrase_token, &b, NULL) != SILK_OK) {
        silk_buf_free(&b);
        return NULL;
    }
    return silk_buf_steal(&b, NULL);
}

/* Writes each member of every group as a synonym of every other member. */
static silk_status_t write_groups(silk_wdb_t *wdb, silk_tokenizer_t *tok,
                                  const silk_synonyms_t *syn, char **msg)
{
    silk_status_t st = SILK_OK;
    size_t ng = silk_synonyms_group_count(syn);
    for (size_t g = 0; g < ng && st == SILK_OK; g++) {
        size_t nmem = silk_synonyms_member_count(syn, g);
        char **keys = calloc(nmem, sizeof *keys);
        if (!keys)
            return SILK_ERR_NOMEM;
        for (size_t k = 0; k < nmem && st == SILK_OK; k++)
            if (!(keys[k] = normalize_phrase(tok, silk_synonyms_member(syn, g, k))))
                st = SILK_ERR_NOMEM;
        for (size_t k = 0; k < nmem && st == SILK_OK; k++)
            for (size_t j = 0; j < nmem && st == SILK_OK; j++) {
                if (j == k || !*keys[k] || !*keys[j] || strcmp(keys[k], keys[j]) == 0)
                    continue;
                if ((st = silk_wdb_add_synonym(wdb, keys[k], keys[j])) != SILK_OK)
                    silk_index_fail(msg, st, "cannot write synonyms: %s", silk_wdb_error(wdb));
            }
        for (size_t k = 0; k < nmem; k++)
            free(keys[k]);
        free(keys);
    }
    return st;
}

silk_status_t silk_syntable_update(silk_txn_t *txn, silk_tokenizer_t *tok, const char *path,
                                   int force, silk_index_note_cb note, void *ud,
                                   silk_index_summary_t *sum, char **msg)
{
    silk_wdb_t *wdb = silk_txn_wdb(txn);
    char *data = NULL, *old = NULL, *val = NULL, *m = NULL;
    silk_synonyms_t *syn = NULL;
    size_t len = 0;
    char hash[17] = "";
    silk_status_t st = SILK_OK;
    if (path) {
        const char *why;
        int err_no;
        data = silk_scan_read(path, SILK_INDEX_MAX_SIZE, &len, &why, &err_no);
        if (!data) {
            sum->files_skipped++;
            if (note && asprintf(&m, "%s: skipped: %s", SILK_SYNONYMS_FILE,
                                 why ? why : strerror(err_no)) >= 0) {
                note(m, 1, ud);
                free(m);
            }
            return SILK_OK;
        }
        silk_index_hash_hex(data, len, hash);
    }
    if ((st = silk_wdb_get_metadata(wdb, SILK_META_SYNONYMS, &old)) != SILK_OK) {
        silk_index_fail(msg, st, "cannot read the index metadata: %s", silk_wdb_error(wdb));
        goto out;
    }
    json_t *o = json_loads(old, 0, NULL);
    const char *oldhash = json_string_value(json_object_get(o, "hash"));
    int same = path ? (oldhash && strcmp(oldhash, hash) == 0) : *old == '\0';
    json_decref(o);
    if (same && !force)
        goto out;
    if ((st = silk_synonyms_parse(SILK_SYNONYMS_FILE, data ? data : "", len, &syn)) != SILK_OK)
        goto out;
    for (size_t i = 0; note && i < silk_synonyms_problem_count(syn); i++)
        note(silk_synonyms_problem(syn, i), 1, ud);
    if ((st = silk_txn_begin(txn, msg)) != SILK_OK)
        goto out;
    if ((st = silk_wdb_clear_all_synonyms(wdb)) != SILK_OK) {
        silk_index_fail(msg, st, "cannot clear synonyms: %s", silk_wdb_error(wdb));
        goto out;
    }
    if ((st = write_groups(wdb, tok, syn, msg)) != SILK_OK)
        goto out;
    if (path && asprintf(&val, "{\"hash\":\"%s\"}", hash) < 0) {
        val = NULL;
        st = SILK_ERR_NOMEM;
        goto out;
    }
    if ((st = silk_wdb_set_metadata(wdb, SILK_META_SYNONYMS, val ? val : "")) != SILK_OK) {
        silk_index_fail(msg, st, "cannot write metadata: %s", silk_wdb_error(wdb));
        goto out;
    }
    sum->synonyms_loaded = path != NULL;
out:
    silk_synonyms_destroy(syn);
    free(val);
    free(old);
    free(data);
    return st;
}
