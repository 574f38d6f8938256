/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — the records of the corpus files in the index metadata. See filemeta.h. */
#include "filemeta.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "silk/buf.h"
#include "silk/schema.h"

struct silk_files {
    silk_filemeta_t *v;   /* the records */
    size_t n, cap;        /* used, allocated */
    silk_strmap_t by_rel; /* rel -> index into v, + 1 */
    silk_strmap_t owner;  /* document id -> rel of the file that owns it */
};

void silk_filemeta_clear(silk_filemeta_t *m)
{
    free(m->rel);
    silk_strlist_free(&m->ids);
    silk_strlist_free(&m->probs);
    silk_buf_free(&m->ids_enc);
    memset(m, 0, sizeof *m);
}

/* Appends the strings of the JSON array a to l; 0, or -1 when out of memory. */
static int strings_from(silk_strlist_t *l, json_t *a)
{
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v) && silk_strlist_push(l, json_string_value(v)) < 0)
            rc = -1;
    }
    return rc;
}

/* Parses a file's metadata value; 0 when it is not what we wrote (ignored). */
static int parse(silk_filemeta_t *m, const char *json)
{
    json_t *o = json_loads(json, 0, NULL);
    if (!o)
        return 0;
    json_t *h = json_object_get(o, "hash"), *ids = json_object_get(o, "ids");
    json_t *probs = json_object_get(o, "problems");
    int ok = json_is_string(h) && json_is_array(ids) && strlen(json_string_value(h)) == 16;
    if (ok) {
        snprintf(m->hash, sizeof m->hash, "%s", json_string_value(h));
        m->size = (uint64_t)json_integer_value(json_object_get(o, "size"));
        m->mtime = (int64_t)json_integer_value(json_object_get(o, "mtime"));
        m->ctime = (int64_t)json_integer_value(json_object_get(o, "ctime"));
        m->ino = (uint64_t)json_integer_value(json_object_get(o, "ino"));
        ok = strings_from(&m->ids, ids) == 0 && strings_from(&m->probs, probs) == 0;
    }
    json_decref(o);
    return ok;
}

/* Appends s as a JSON string (encoded by jansson), after a ',' when `comma`. */
static int encode_one(silk_buf_t *out, const char *s, int comma)
{
    json_t *v = json_string(s);
    char *e = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    json_decref(v);
    int bad =
        !e || (comma && silk_buf_addc(out, ',') != SILK_OK) || silk_buf_adds(out, e) != SILK_OK;
    free(e);
    return bad ? -1 : 0;
}

/* Appends `,"key":[` and the strings of l to out, one at a time, so that a file of a
 * million documents does not build a million JSON values. */
static int strings_to(silk_buf_t *out, const char *key, const silk_strlist_t *l)
{
    if (silk_buf_adds(out, ",\"") != SILK_OK || silk_buf_adds(out, key) != SILK_OK ||
        silk_buf_adds(out, "\":[") != SILK_OK)
        return -1;
    for (size_t i = 0; i < l->n; i++)
        if (encode_one(out, l->v[i], i > 0) != 0)
            return -1;
    return 0;
}

int silk_filemeta_add_id(silk_filemeta_t *m, const char *id)
{
    return encode_one(&m->ids_enc, id, m->ids_enc.len > 0);
}

/* The record as compact JSON: hash, size, mtime, ctime, ino, ids, and problems when any
 * (exactly what json_dumps() of the whole object with JSON_PRESERVE_ORDER gives). The ids
 * encoded already (m->ids_enc) are not copied: the record is built around them, in their
 * buffer. */
static char *to_json(silk_filemeta_t *m)
{
    json_t *o = json_object();
    char *head = NULL;
    silk_buf_t pre = {0}, *out = &m->ids_enc;
    if (!o || json_object_set_new(o, "hash", json_string(m->hash)) != 0 ||
        json_object_set_new(o, "size", json_integer((json_int_t)m->size)) != 0 ||
        json_object_set_new(o, "mtime", json_integer((json_int_t)m->mtime)) != 0 ||
        json_object_set_new(o, "ctime", json_integer((json_int_t)m->ctime)) != 0 ||
        json_object_set_new(o, "ino", json_integer((json_int_t)m->ino)) != 0 ||
        !(head = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)))
        goto fail;
    /* head is "{...}": the lists go before its closing brace. */
    if (silk_buf_add(&pre, head, strlen(head) - 1) != SILK_OK || strings_to(&pre, "ids", &m->ids) ||
        (m->ids.n && out->len && silk_buf_addc(&pre, ',') != SILK_OK) ||
        silk_buf_reserve(out, pre.len) != SILK_OK)
        goto fail;
    if (out->len)
        memmove(out->data + pre.len, out->data, out->len);
    memcpy(out->data, pre.data, pre.len);
    out->len += pre.len;
    if (silk_buf_addc(out, ']') != SILK_OK ||
        (m->probs.n && (strings_to(out, "problems", &m->probs) || silk_buf_addc(out, ']'))) ||
        silk_buf_addc(out, '}') != SILK_OK)
        goto fail;
    free(head);
    json_decref(o);
    silk_buf_free(&pre);
    return silk_buf_steal(out, NULL);
fail:
    free(head);
    json_decref(o);
    silk_buf_free(&pre);
    return NULL;
}

silk_status_t silk_filemeta_store(silk_wdb_t *wdb, const char *rel, silk_filemeta_t *m, char **msg)
{
    char key[PATH_MAX + 32];
    snprintf(key, sizeof key, "%s%s", SILK_META_FILE_PREFIX, rel);
    char *val = m ? to_json(m) : NULL;
    if (m && !val)
        return SILK_ERR_NOMEM;
    silk_status_t st = silk_wdb_set_metadata(wdb, key, val ? val : "");
    free(val);
    if (st != SILK_OK)
        return silk_index_fail(msg, st, "cannot write metadata: %s", silk_wdb_error(wdb));
    return SILK_OK;
}

silk_files_t *silk_files_new(void)
{
    return calloc(1, sizeof(silk_files_t));
}

silk_filemeta_t *silk_files_add(silk_files_t *f, const char *rel)
{
    if (SILK_GROW(f->v, f->cap, f->n + 1) != SILK_OK)
        return NULL;
    silk_filemeta_t *m = &f->v[f->n];
    memset(m, 0, sizeof *m);
    if (!(m->rel = strdup(rel)))
        return NULL;
    silk_strmap_slot_t *s = silk_strmap_put(&f->by_rel, rel);
    if (!s) {
        free(m->rel);
        m->rel = NULL;
        return NULL;
    }
    s->val = (void *)(uintptr_t)(f->n + 1);
    f->n++;
    return m;
}

silk_filemeta_t *silk_files_get(silk_files_t *f, const char *rel)
{
    uintptr_t i = (uintptr_t)silk_strmap_get(&f->by_rel, rel);
    return i ? &f->v[i - 1] : NULL;
}

size_t silk_files_count(const silk_files_t *f)
{
    return f->n;
}

silk_filemeta_t *silk_files_at(silk_files_t *f, size_t i)
{
    return &f->v[i];
}

const char *silk_files_owner(const silk_files_t *f, const char *id)
{
    return silk_strmap_get(&f->owner, id);
}

int silk_files_set_owner(silk_files_t *f, const char *id, const char *rel)
{
    silk_strmap_slot_t *s = silk_strmap_put(&f->owner, id);
    if (!s)
        return -1;
    s->val = (void *)rel;
    return 0;
}

const char *silk_files_next_owned(const silk_files_t *f, size_t *at)
{
    for (; *at < f->owner.cap; (*at)++) {
        const silk_strmap_slot_t *s = &f->owner.slots[*at];
        if (s->key && s->val) {
            (*at)++;
            return s->key;
        }
    }
    return NULL;
}

static int collect_key(const char *key, size_t len, void *ud)
{
    return silk_strlist_pushn(ud, key, len) < 0;
}

silk_status_t silk_files_load(silk_files_t *f, silk_wdb_t *wdb, char **msg)
{
    silk_strlist_t keys = {0};
    silk_status_t st = silk_wdb_metadata_keys(wdb, SILK_META_FILE_PREFIX, collect_key, &keys);
    if (st != SILK_OK) {
        silk_strlist_free(&keys);
        return silk_index_fail(msg, st, "cannot read the index metadata: %s", silk_wdb_error(wdb));
    }
    size_t pl = strlen(SILK_META_FILE_PREFIX);
    for (size_t k = 0; k < keys.n && st == SILK_OK; k++) {
        char *val = NULL;
        if ((st = silk_wdb_get_metadata(wdb, keys.v[k], &val)) != SILK_OK) {
            silk_index_fail(msg, st, "cannot read the index metadata: %s", silk_wdb_error(wdb));
            break;
        }
        silk_filemeta_t tmp = {0};
        if (parse(&tmp, val)) {
            silk_filemeta_t *m = silk_files_add(f, keys.v[k] + pl);
            if (!m) {
                st = SILK_ERR_NOMEM;
            } else {
                char *rel = m->rel;
                *m = tmp;
                m->rel = rel;
                memset(&tmp, 0, sizeof tmp);
                for (size_t i = 0; i < m->ids.n && st == SILK_OK; i++)
                    if (silk_files_set_owner(f, m->ids.v[i], m->rel) < 0)
                        st = SILK_ERR_NOMEM;
            }
        }
        silk_filemeta_clear(&tmp);
        free(val);
    }
    silk_strlist_free(&keys);
    return st;
}

void silk_files_destroy(silk_files_t *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        silk_filemeta_clear(&f->v[i]);
    free(f->v);
    silk_strmap_free(&f->by_rel);
    silk_strmap_free(&f->owner);
    free(f);
}
