/* silk-index — documents into the index, incremental runs, --full switch. See index.h. */
#include "index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shard.h"
#include "silk/schema.h"

#define TERM_BUF       (SILK_TERM_MAX + 16) /* a prefix, "Z", a term and the NUL */
#define SCAN_MAX_DEPTH 64                   /* folders nested deeper are not entered */
#define PROGRESS_EVERY 0.1                  /* seconds between progress calls */

/* ---- hashing ------------------------------------------------------------------------------- */

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

void silk_index_hash_hex(const char *data, size_t len, char hex[17])
{
    snprintf(hex, 17, "%016llx", (unsigned long long)fnv1a(data, len));
}

unsigned silk_index_db_for_file(const char *relpath, unsigned ndbs)
{
    if (ndbs <= 1)
        return 0;
    /* By article name, as silk_corpus_article_name() strips it: a.txt renamed a.md stays. */
    const char *base = strrchr(relpath, '/');
    base = base ? base + 1 : relpath;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - relpath) : strlen(relpath);
    return (unsigned)(fnv1a(relpath, n) % ndbs);
}

/* ---- a string-keyed hash map --------------------------------------------------------------- */

/* One slot: key NULL when empty. */
typedef struct {
    char *key; /* owned copy of the key */
    void *val; /* the value (not owned) */
} slot_t;

/* Open addressing with linear probing; nothing is ever deleted (a value is cleared). */
typedef struct {
    slot_t *slots; /* cap slots */
    size_t cap;    /* a power of two, or 0 */
    size_t n;      /* keys held */
} strmap_t;

static slot_t *map_slot(const strmap_t *m, const char *key)
{
    size_t h = (size_t)fnv1a(key, strlen(key)) & (m->cap - 1);
    while (m->slots[h].key && strcmp(m->slots[h].key, key) != 0)
        h = (h + 1) & (m->cap - 1);
    return &m->slots[h];
}

static void *map_get(const strmap_t *m, const char *key)
{
    if (!m->cap)
        return NULL;
    slot_t *s = map_slot(m, key);
    return s->key ? s->val : NULL;
}

/* The slot of key, created (with val NULL) when absent; NULL when out of memory. */
static slot_t *map_put(strmap_t *m, const char *key)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        slot_t *v = calloc(cap, sizeof *v);
        if (!v)
            return NULL;
        strmap_t nm = {v, cap, m->n};
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *map_slot(&nm, m->slots[i].key) = m->slots[i];
        free(m->slots);
        *m = nm;
    }
    slot_t *s = map_slot(m, key);
    if (!s->key) {
        if (!(s->key = strdup(key)))
            return NULL;
        s->val = NULL;
        m->n++;
    }
    return s;
}

static void map_free(strmap_t *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---- growable string arrays ---------------------------------------------------------------- */

typedef struct {
    char **v;   /* owned strings */
    size_t n;   /* used */
    size_t cap; /* allocated */
} strs_t;

static int strs_push(strs_t *a, const char *s)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        char **v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return -1;
        a->v = v;
        a->cap = cap;
    }
    if (!(a->v[a->n] = strdup(s)))
        return -1;
    a->n++;
    return 0;
}

static void strs_free(strs_t *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i]);
    free(a->v);
    memset(a, 0, sizeof *a);
}

/* ---- documents ----------------------------------------------------------------------------- */

enum { EMIT_BODY, EMIT_FIELD, EMIT_AUTHOR };

/* State of the token callback while one document is built. */
typedef struct {
    silk_doc_t *doc;           /* the document */
    int mode;                  /* EMIT_* */
    const char *prefix;        /* field prefix (EMIT_FIELD) */
    unsigned wdf;              /* wdf of the unprefixed copy of a field word */
    uint32_t base;             /* position offset of the unprefixed copy */
    silk_index_spell_cb spell; /* spelling sink (EMIT_BODY), may be NULL */
    void *ud;                  /* its argument */
    silk_status_t st;          /* first failure */
} emit_t;

static silk_status_t add_pfx(silk_doc_t *doc, const char *p1, const char *p2, const char *t,
                             size_t n, uint32_t pos, unsigned wdf, int boolean)
{
    char term[TERM_BUF];
    int len = snprintf(term, sizeof term, "%s%s%.*s", p1, p2, (int)n, t);
    if (len < 0 || (size_t)len >= sizeof term)
        return SILK_ERR_TOO_LARGE;
    if (boolean)
        return silk_doc_add_boolean_term(doc, term, (size_t)len);
    if (pos)
        return silk_doc_add_posting(doc, term, (size_t)len, pos, wdf);
    return silk_doc_add_term(doc, term, (size_t)len, wdf);
}

static size_t utf8_len(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int emit_token(const silk_token_t *t, void *ud)
{
    emit_t *e = ud;
    silk_status_t st = SILK_OK;
    switch (e->mode) {
    case EMIT_BODY:
        st = silk_doc_add_posting(e->doc, t->term, t->len, t->pos, SILK_WDF_BODY);
        if (st == SILK_OK && t->stem)
            st = add_pfx(e->doc, SILK_PREFIX_STEM, "", t->stem, t->stem_len, 0, SILK_WDF_BODY, 0);
        if (st == SILK_OK && e->spell && (t->kind == SILK_TOK_WORD || t->kind == SILK_TOK_OTHER) &&
            utf8_len(t->term, t->len) >= 3 && e->spell(t->term, t->len, e->ud) != 0)
            st = SILK_ERR_NOMEM;
        break;
    case EMIT_FIELD:
        st = add_pfx(e->doc, e->prefix, "", t->term, t->len, t->pos, 1, 0);
        if (st == SILK_OK)
            st = silk_doc_add_posting(e->doc, t->term, t->len, e->base + t->pos, e->wdf);
        if (st == SILK_OK && t->stem) {
            st = add_pfx(e->doc, SILK_PREFIX_STEM, e->prefix, t->stem, t->stem_len, 0, 1, 0);
            if (st == SILK_OK)
                st = add_pfx(e->doc, SILK_PREFIX_STEM, "", t->stem, t->stem_len, 0, e->wdf, 0);
        }
        break;
    default:
        st = add_pfx(e->doc, SILK_PREFIX_AUTHOR, "", t->term, t->len, 0, 0, 1);
        break;
    }
    if (st != SILK_OK) {
        e->st = st;
        return 1;
    }
    return 0;
}

silk_status_t silk_index_build_doc(silk_tokenizer_t *tok, const silk_corpus_doc_t *d,
                                   silk_index_spell_cb spell, void *ud, silk_doc_t **out)
{
    *out = NULL;
    silk_doc_t *doc = silk_doc_new();
    char *json = NULL;
    silk_status_t st = SILK_ERR_NOMEM;
    if (!doc)
        goto fail;
    emit_t e = {doc, EMIT_BODY, "", 0, 0, spell, ud, SILK_OK};
    uint32_t next = 1;
    if ((st = silk_tokenize(tok, d->text, d->text_len, 1, emit_token, &e, &next)) != SILK_OK ||
        (st = e.st) != SILK_OK)
        goto fail;
    /* The title, then the section: prefixed for field queries, and unprefixed (boosted)
     * after the body with a gap so that no phrase spans them. */
    e.mode = EMIT_FIELD;
    e.prefix = SILK_PREFIX_TITLE;
    e.wdf = SILK_WDF_TITLE;
    e.base = next + SILK_INDEX_GAP;
    uint32_t fnext = 1;
    if ((st = silk_tokenize(tok, d->title, strlen(d->title), 1, emit_token, &e, &fnext)) !=
            SILK_OK ||
        (st = e.st) != SILK_OK)
        goto fail;
    e.prefix = SILK_PREFIX_SECTION;
    e.wdf = SILK_WDF_SECTION;
    e.base += fnext + SILK_INDEX_GAP;
    if ((st = silk_tokenize(tok, d->section, strlen(d->section), 1, emit_token, &e, NULL)) !=
            SILK_OK ||
        (st = e.st) != SILK_OK)
        goto fail;
    e.mode = EMIT_AUTHOR;
    for (size_t i = 0; i < d->nauthors; i++)
        if ((st = silk_tokenize(tok, d->authors[i], strlen(d->authors[i]), 1, emit_token, &e,
                                NULL)) != SILK_OK ||
            (st = e.st) != SILK_OK)
            goto fail;
    if ((st = add_pfx(doc, SILK_PREFIX_KIND, "", d->kind, strlen(d->kind), 0, 0, 1)) != SILK_OK)
        goto fail;
    char term[SILK_ID_MAX + 16];
    int n = snprintf(term, sizeof term, "%s%s", SILK_PREFIX_ARTICLE, d->article_name);
    if (n < 0 || (size_t)n >= sizeof term) {
        st = SILK_ERR_TOO_LARGE;
        goto fail;
    }
    if ((st = silk_doc_add_boolean_term(doc, term, (size_t)n)) != SILK_OK)
        goto fail;
    if (d->year) {
        n = snprintf(term, sizeof term, "%s%d", SILK_PREFIX_YEAR, d->year);
        if ((st = silk_doc_add_boolean_term(doc, term, (size_t)n)) != SILK_OK ||
            (st = silk_doc_add_value(doc, SILK_SLOT_YEAR, d->year)) != SILK_OK)
            goto fail;
    }
    for (size_t i = 0; i < d->ncites; i++) {
        n = snprintf(term, sizeof term, "%s%u", SILK_PREFIX_CITES, d->cites[i]);
        if ((st = silk_doc_add_boolean_term(doc, term, (size_t)n)) != SILK_OK)
            goto fail;
    }
    n = snprintf(term, sizeof term, "%s%s", SILK_PREFIX_UNIQUE, d->id);
    if (n < 0 || (size_t)n >= sizeof term) {
        st = SILK_ERR_TOO_LARGE;
        goto fail;
    }
    if ((st = silk_doc_add_boolean_term(doc, term, (size_t)n)) != SILK_OK)
        goto fail;
    size_t jlen = 0;
    st = SILK_ERR_NOMEM;
    if (!(json = silk_corpus_doc_json(d, &jlen)))
        goto fail;
    if ((st = silk_doc_set_data(doc, json, jlen)) != SILK_OK)
        goto fail;
    free(json);
    *out = doc;
    return SILK_OK;
fail:
    free(json);
    silk_doc_destroy(doc);
    return st;
}

/* ---- the state of one run ------------------------------------------------------------------ */

/* What the index knows about one corpus file. */
typedef struct {
    char *rel;         /* corpus-relative path */
    char hash[17];     /* content hash */
    uint64_t size;     /* bytes */
    int64_t mtime;     /* modification time, ns */
    strs_t ids;        /* its document ids */
    strs_t probs;      /* its problems (reported again while the file is unchanged) */
    int seen;          /* found in this run's scan (or kept: unreadable folder) */
    int touched;       /* same content under a new mtime: refresh it if we commit anyway */
    int64_t new_mtime; /* that new mtime */
} fmeta_t;

/* A corpus file found by the scan. */
typedef struct {
    char *rel;         /* corpus-relative path */
    char *full;        /* path to open */
    uint64_t size;     /* bytes at scan time */
    int64_t mtime;     /* ns at scan time */
    silk_format_t fmt; /* article format */
    unsigned db;       /* the database it goes into (silk_index_db_for_file()) */
} entry_t;

typedef struct {
    const silk_index_opts_t *o; /* options */
    silk_index_summary_t *sum;  /* the summary being filled */
    char *corpus_real;          /* realpath of the corpus */
    dev_t corpus_dev;           /* identity of the corpus folder ... */
    ino_t corpus_ino;           /* ... to notice it vanishing */
    char *index;                /* index path without trailing slashes */
    char *target;               /* database being written (index, or the .new folder) */
    entry_t *ents;              /* scanned corpus files */
    size_t nents, ents_cap;     /* used, allocated */
    strs_t bad_dirs;            /* folders that could not be read: keep their files */
    char *synonyms_full;        /* path of synonyms.txt when present */
    fmeta_t *metas;             /* files known to the index */
    size_t nmetas, metas_cap;   /* used, allocated */
    strmap_t meta_by_rel;       /* rel -> fmeta_t index + 1 */
    strmap_t owner;             /* document id -> rel of the file that owns it */
    silk_wdb_t *wdb;            /* the writer */
    int in_txn;                 /* a transaction is open */
    silk_db_t *old;             /* reader of the previous revision (spelling removal) */
    int old_tried;              /* old was opened (or failed to) */
    silk_tokenizer_t *tok;      /* tokenizer with the stemmer */
    silk_stemmer_t *stem;       /* English stemmer */
    strmap_t spell;             /* word -> (intptr_t) count change of the current file */
    char *msg;                  /* fatal message */
    struct timespec t0;         /* start */
    double last_progress;       /* elapsed time of the last progress call */
    uint64_t files_done;        /* files handled, for progress */
} run_t;

static double elapsed(const run_t *r)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - r->t0.tv_sec) + (double)(t.tv_nsec - r->t0.tv_nsec) / 1e9;
}

static silk_status_t fatal(run_t *r, silk_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static silk_status_t fatal(run_t *r, silk_status_t st, const char *fmt, ...)
{
    if (!r->msg) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(&r->msg, fmt, ap) < 0)
            r->msg = NULL;
        va_end(ap);
    }
    return st;
}

static void note(run_t *r, int skip, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void note(run_t *r, int skip, const char *fmt, ...)
{
    if (skip)
        r->sum->problems++;
    if (!r->o->note)
        return;
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        r->o->note(s, skip, r->o->ud);
        free(s);
    }
}

static void progress(run_t *r, int force)
{
    if (!r->o->progress)
        return;
    double t = elapsed(r);
    if (!force && t - r->last_progress < PROGRESS_EVERY)
        return;
    r->last_progress = t;
    r->o->progress(r->files_done, r->nents, r->sum->bytes, t, r->o->ud);
}

static int64_t mtime_ns(const struct stat *sb)
{
    return (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
}

/* ---- scanning the corpus ------------------------------------------------------------------- */

static int add_entry(run_t *r, const char *rel, const char *full, const struct stat *sb,
                     silk_format_t fmt)
{
    /* A shard's run (indexer/shard.c) sees only its own files as the corpus. */
    if (r->o->nshards > 1 && silk_index_db_for_file(rel, r->o->nshards) != r->o->shard)
        return 0;
    if (r->nents == r->ents_cap) {
        size_t cap = r->ents_cap ? r->ents_cap * 2 : 64;
        entry_t *v = realloc(r->ents, cap * sizeof *v);
        if (!v)
            return -1;
        r->ents = v;
        r->ents_cap = cap;
    }
    entry_t *e = &r->ents[r->nents];
    if (!(e->rel = strdup(rel)) || !(e->full = strdup(full))) {
        free(e->rel);
        return -1;
    }
    e->size = (uint64_t)sb->st_size;
    e->mtime = mtime_ns(sb);
    e->fmt = fmt;
    /* One database for now; sharding (--shards N) will open one writer per database and
     * route each file by this number. */
    e->db = silk_index_db_for_file(rel, 1);
    r->nents++;
    return 0;
}

static int is_database_dir(const char *full)
{
    char p[PATH_MAX];
    if ((size_t)snprintf(p, sizeof p, "%s/iamglass", full) >= sizeof p)
        return 0;
    return access(p, F_OK) == 0;
}

/* Walks the folder `full` (corpus-relative `rel`, "" at the top). */
static silk_status_t scan_dir(run_t *r, const char *full, const char *rel, int depth)
{
    DIR *d = opendir(full);
    if (!d) {
        if (depth == 0)
            return fatal(r, SILK_ERR_NOT_FOUND, "cannot read the corpus %s: %s", full,
                         strerror(errno));
        r->sum->files_skipped++;
        note(r, 1, "%s/: skipped: cannot read the folder (%s); its indexed files are kept", rel,
             strerror(errno));
        return strs_push(&r->bad_dirs, rel) < 0 ? SILK_ERR_NOMEM : SILK_OK;
    }
    silk_status_t st = SILK_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        /* Hidden files and folders (.git, editor swap files) are not corpus files. */
        if (de->d_name[0] == '.')
            continue;
        char cfull[PATH_MAX], crel[PATH_MAX];
        if ((size_t)snprintf(cfull, sizeof cfull, "%s/%s", full, de->d_name) >= sizeof cfull ||
            (size_t)snprintf(crel, sizeof crel, "%s%s%s", rel, *rel ? "/" : "", de->d_name) >=
                sizeof crel) {
            r->sum->files_skipped++;
            note(r, 1, "%s/%s: skipped: path too long", rel, de->d_name);
            continue;
        }
        struct stat sb;
        if (lstat(cfull, &sb) != 0) {
            if (errno == ENOENT)
                continue; /* removed while we looked */
            r->sum->files_skipped++;
            note(r, 1, "%s: skipped: %s", crel, strerror(errno));
            continue;
        }
        if (S_ISLNK(sb.st_mode)) {
            char *target = realpath(cfull, NULL);
            size_t cl = strlen(r->corpus_real);
            if (!target) {
                r->sum->files_skipped++;
                note(r, 1, "%s: skipped: broken symlink", crel);
                continue;
            }
            int inside = strncmp(target, r->corpus_real, cl) == 0 && target[cl] == '/';
            int ok = inside && stat(target, &sb) == 0;
            free(target);
            if (!inside) {
                r->sum->files_skipped++;
                note(r, 1, "%s: skipped: symlink points outside the corpus (not followed)", crel);
                continue;
            }
            if (!ok || S_ISDIR(sb.st_mode)) {
                r->sum->files_ignored++;
                note(r, 0, "%s: ignored: symlinked folder (not followed)", crel);
                continue;
            }
        }
        if (S_ISDIR(sb.st_mode)) {
            if (is_database_dir(cfull))
                continue; /* an index kept inside the corpus folder */
            if (depth + 1 >= SCAN_MAX_DEPTH) {
                r->sum->files_skipped++;
                note(r, 1, "%s/: skipped: folders nested too deep", crel);
                continue;
            }
            if ((st = scan_dir(r, cfull, crel, depth + 1)) != SILK_OK)
                break;
            continue;
        }
        if (!S_ISREG(sb.st_mode)) {
            r->sum->files_ignored++;
            note(r, 0, "%s: ignored: not a regular file", crel);
            continue;
        }
        if (depth == 0 && strcmp(de->d_name, SILK_SYNONYMS_FILE) == 0) {
            if (!(r->synonyms_full = strdup(cfull))) {
                st = SILK_ERR_NOMEM;
                break;
            }
            continue;
        }
        silk_format_t fmt = silk_corpus_format(crel);
        if (fmt == SILK_FORMAT_NONE) {
            r->sum->files_ignored++;
            note(r, 0, "%s: ignored: not a .txt, .md or .jsonl file", crel);
            continue;
        }
        if (add_entry(r, crel, cfull, &sb, fmt) < 0) {
            st = SILK_ERR_NOMEM;
            break;
        }
    }
    closedir(d);
    return st;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry_t *)a)->rel, ((const entry_t *)b)->rel);
}

/* ---- file metadata ------------------------------------------------------------------------- */

static void fmeta_free(fmeta_t *m)
{
    free(m->rel);
    strs_free(&m->ids);
    strs_free(&m->probs);
}

/* Parses a file's metadata value; 0 when it is not what we wrote (ignored). */
static int fmeta_parse(fmeta_t *m, const char *json)
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
        size_t i;
        json_t *v;
        json_array_foreach(ids, i, v) if (json_is_string(v)) ok &=
            strs_push(&m->ids, json_string_value(v)) == 0;
        if (json_is_array(probs))
            json_array_foreach(probs, i, v) if (json_is_string(v)) ok &=
                strs_push(&m->probs, json_string_value(v)) == 0;
    }
    json_decref(o);
    return ok;
}

static char *fmeta_json(const fmeta_t *m)
{
    json_t *o = json_object(), *ids = json_array(), *probs = json_array();
    char *s = NULL;
    if (!o || !ids || !probs)
        goto out;
    for (size_t i = 0; i < m->ids.n; i++)
        if (json_array_append_new(ids, json_string(m->ids.v[i])) != 0)
            goto out;
    for (size_t i = 0; i < m->probs.n; i++)
        if (json_array_append_new(probs, json_string(m->probs.v[i])) != 0)
            goto out;
    if (json_object_set_new(o, "hash", json_string(m->hash)) != 0 ||
        json_object_set_new(o, "size", json_integer((json_int_t)m->size)) != 0 ||
        json_object_set_new(o, "mtime", json_integer((json_int_t)m->mtime)) != 0 ||
        json_object_set(o, "ids", ids) != 0 ||
        (m->probs.n && json_object_set(o, "problems", probs) != 0))
        goto out;
    s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
out:
    json_decref(ids);
    json_decref(probs);
    json_decref(o);
    return s;
}

static int collect_key(const char *key, size_t len, void *ud)
{
    strs_t *keys = ud;
    char *k = strndup(key, len);
    if (!k || strs_push(keys, k) < 0) {
        free(k);
        return 1;
    }
    free(k);
    return 0;
}

static fmeta_t *meta_new(run_t *r, const char *rel)
{
    if (r->nmetas == r->metas_cap) {
        size_t cap = r->metas_cap ? r->metas_cap * 2 : 64;
        fmeta_t *v = realloc(r->metas, cap * sizeof *v);
        if (!v)
            return NULL;
        r->metas = v;
        r->metas_cap = cap;
    }
    fmeta_t *m = &r->metas[r->nmetas];
    memset(m, 0, sizeof *m);
    if (!(m->rel = strdup(rel)))
        return NULL;
    slot_t *s = map_put(&r->meta_by_rel, rel);
    if (!s) {
        free(m->rel);
        return NULL;
    }
    s->val = (void *)(uintptr_t)(r->nmetas + 1);
    r->nmetas++;
    return m;
}

static fmeta_t *meta_of(run_t *r, const char *rel)
{
    uintptr_t i = (uintptr_t)map_get(&r->meta_by_rel, rel);
    return i ? &r->metas[i - 1] : NULL;
}

/* Loads every file's metadata and who owns which document id. */
static silk_status_t load_metas(run_t *r)
{
    strs_t keys = {0};
    silk_status_t st = silk_wdb_metadata_keys(r->wdb, SILK_META_FILE_PREFIX, collect_key, &keys);
    if (st != SILK_OK) {
        strs_free(&keys);
        return fatal(r, st, "cannot read the index metadata: %s", silk_wdb_error(r->wdb));
    }
    size_t pl = strlen(SILK_META_FILE_PREFIX);
    for (size_t k = 0; k < keys.n && st == SILK_OK; k++) {
        char *val = NULL;
        if ((st = silk_wdb_get_metadata(r->wdb, keys.v[k], &val)) != SILK_OK) {
            fatal(r, st, "cannot read the index metadata: %s", silk_wdb_error(r->wdb));
            break;
        }
        fmeta_t tmp = {0};
        if (fmeta_parse(&tmp, val)) {
            fmeta_t *m = meta_new(r, keys.v[k] + pl);
            if (!m) {
                st = SILK_ERR_NOMEM;
            } else {
                char *rel = m->rel;
                *m = tmp;
                m->rel = rel;
                memset(&tmp, 0, sizeof tmp);
                for (size_t i = 0; i < m->ids.n && st == SILK_OK; i++) {
                    slot_t *s = map_put(&r->owner, m->ids.v[i]);
                    if (!s)
                        st = SILK_ERR_NOMEM;
                    else
                        s->val = m->rel;
                }
            }
        }
        fmeta_free(&tmp);
        free(val);
    }
    strs_free(&keys);
    return st;
}

/* ---- writing ------------------------------------------------------------------------------- */

static silk_status_t begin(run_t *r)
{
    if (r->in_txn)
        return SILK_OK;
    silk_status_t st = silk_wdb_begin(r->wdb);
    if (st != SILK_OK)
        return fatal(r, st, "cannot start a transaction: %s", silk_wdb_error(r->wdb));
    r->in_txn = 1;
    return SILK_OK;
}

static int spell_add(const char *word, size_t len, void *ud)
{
    run_t *r = ud;
    char w[TERM_BUF];
    if (len >= sizeof w)
        return 0;
    memcpy(w, word, len);
    w[len] = '\0';
    slot_t *s = map_put(&r->spell, w);
    if (!s)
        return 1;
    s->val = (void *)((intptr_t)s->val + 1);
    return 0;
}

static int spell_sub(const silk_token_t *t, void *ud)
{
    run_t *r = ud;
    if ((t->kind != SILK_TOK_WORD && t->kind != SILK_TOK_OTHER) || utf8_len(t->term, t->len) < 3 ||
        t->len >= TERM_BUF)
        return 0;
    slot_t *s = map_put(&r->spell, t->term);
    if (!s)
        return 1;
    s->val = (void *)((intptr_t)s->val - 1);
    return 0;
}

/* The stored data of an indexed document as of the last commit (read through a reader
 * opened once per run); NULL when it has none. The writer's transaction is invisible to
 * the reader, and nothing is committed before the run ends, so what it reads stays valid. */
static char *old_data(run_t *r, const char *id, size_t *len)
{
    if (!r->old_tried) {
        r->old_tried = 1;
        if (silk_db_open(r->index, NULL, &r->old, NULL) != SILK_OK)
            r->old = NULL;
    }
    if (!r->old)
        return NULL;
    char term[SILK_ID_MAX + 16];
    snprintf(term, sizeof term, "%s%s", SILK_PREFIX_UNIQUE, id);
    char *data = NULL;
    if (silk_db_document_data(r->old, term, &data, len) != SILK_OK)
        return NULL;
    return data;
}

/* Takes the spelling counts of an indexed document's stored text away. */
static void spell_forget_data(run_t *r, const char *data, size_t len)
{
    json_t *o = json_loadb(data, len, JSON_ALLOW_NUL, NULL);
    json_t *text = json_object_get(o, "text");
    if (json_is_string(text))
        silk_tokenize(r->tok, json_string_value(text), json_string_length(text), 1, spell_sub, r,
                      NULL);
    json_decref(o);
}

static void spell_forget(run_t *r, const char *id)
{
    size_t len = 0;
    char *data = old_data(r, id, &len);
    if (data)
        spell_forget_data(r, data, len);
    free(data);
}

/* Writes the spelling changes of the current file and clears them. */
static silk_status_t spell_flush(run_t *r)
{
    silk_status_t st = SILK_OK;
    for (size_t i = 0; i < r->spell.cap && st == SILK_OK; i++) {
        slot_t *s = &r->spell.slots[i];
        if (!s->key)
            continue;
        intptr_t c = (intptr_t)s->val;
        if (c > 0)
            st = silk_wdb_add_spelling(r->wdb, s->key, (unsigned)c);
        else if (c < 0)
            st = silk_wdb_remove_spelling(r->wdb, s->key, (unsigned)-c);
    }
    map_free(&r->spell);
    if (st != SILK_OK)
        return fatal(r, st, "cannot write spelling data: %s", silk_wdb_error(r->wdb));
    return SILK_OK;
}

static silk_status_t set_meta(run_t *r, const char *rel, const fmeta_t *m)
{
    char key[PATH_MAX + 32];
    snprintf(key, sizeof key, "%s%s", SILK_META_FILE_PREFIX, rel);
    char *val = m ? fmeta_json(m) : NULL;
    if (m && !val)
        return SILK_ERR_NOMEM;
    silk_status_t st = silk_wdb_set_metadata(r->wdb, key, val ? val : "");
    free(val);
    if (st != SILK_OK)
        return fatal(r, st, "cannot write metadata: %s", silk_wdb_error(r->wdb));
    return SILK_OK;
}

static silk_status_t delete_doc(run_t *r, const char *id)
{
    char term[SILK_ID_MAX + 16];
    snprintf(term, sizeof term, "%s%s", SILK_PREFIX_UNIQUE, id);
    silk_status_t st = silk_wdb_delete(r->wdb, term);
    if (st != SILK_OK)
        return fatal(r, st, "cannot delete %s: %s", id, silk_wdb_error(r->wdb));
    r->sum->docs_deleted++;
    slot_t *s = map_put(&r->owner, id);
    if (s)
        s->val = NULL;
    return SILK_OK;
}

/* Reads a whole file; on failure returns NULL with *why set (static text or errno text). */
static char *read_file(const char *path, uint64_t cap, size_t *len, const char **why, int *err_no)
{
    *why = NULL;
    *err_no = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *err_no = errno;
        return NULL;
    }
    struct stat sb;
    char *buf = NULL;
    if (fstat(fd, &sb) != 0) {
        *err_no = errno;
        goto fail;
    }
    if (!S_ISREG(sb.st_mode)) {
        *why = "not a regular file";
        goto fail;
    }
    if ((uint64_t)sb.st_size > cap) {
        *why = "larger than the size cap (--max-size)";
        goto fail;
    }
    size_t want = (size_t)sb.st_size, got = 0, bcap = want + 1;
    if (!(buf = malloc(bcap))) {
        *err_no = ENOMEM;
        goto fail;
    }
    for (;;) {
        if (got == bcap) {
            /* The file grew while we read it. */
            if (bcap > cap) {
                *why = "larger than the size cap (--max-size)";
                goto fail;
            }
            char *nb = realloc(buf, bcap * 2);
            if (!nb) {
                *err_no = ENOMEM;
                goto fail;
            }
            buf = nb;
            bcap *= 2;
        }
        ssize_t n = read(fd, buf + got, bcap - got);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *err_no = errno;
            goto fail;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    *len = got;
    return buf;
fail:
    free(buf);
    close(fd);
    return NULL;
}

/* Indexes one corpus file that is new or changed (or every file, with --full). */
static silk_status_t index_file(run_t *r, entry_t *e)
{
    fmeta_t *m = meta_of(r, e->rel);
    if (!r->o->full && m && m->size == e->size && m->mtime == e->mtime) {
        r->sum->files_unchanged++;
        for (size_t i = 0; i < m->probs.n; i++)
            note(r, 1, "%s", m->probs.v[i]);
        return SILK_OK;
    }
    const char *why;
    int err_no;
    size_t len = 0;
    uint64_t cap = r->o->max_size ? r->o->max_size : SILK_INDEX_MAX_SIZE;
    char *data = read_file(e->full, cap, &len, &why, &err_no);
    if (!data) {
        r->sum->files_skipped++;
        if (err_no == ENOENT)
            note(r, 1, "%s: skipped: vanished during the run", e->rel);
        else
            note(r, 1, "%s: skipped: %s%s", e->rel, why ? why : strerror(err_no),
                 m ? " (its indexed documents are kept)" : "");
        return err_no == ENOMEM ? SILK_ERR_NOMEM : SILK_OK;
    }
    if (silk_corpus_looks_binary(data, len)) {
        free(data);
        r->sum->files_skipped++;
        note(r, 1, "%s: skipped: binary file, not text%s", e->rel,
             m ? " (its indexed documents are kept)" : "");
        return SILK_OK;
    }
    char hash[17];
    silk_index_hash_hex(data, len, hash);
    r->sum->bytes += len;
    if (!r->o->full && m && m->size == len && strcmp(m->hash, hash) == 0) {
        /* Touched but not changed: nothing to write for it. */
        m->touched = 1;
        m->new_mtime = e->mtime;
        free(data);
        r->sum->files_unchanged++;
        for (size_t i = 0; i < m->probs.n; i++)
            note(r, 1, "%s", m->probs.v[i]);
        return SILK_OK;
    }
    silk_status_t st;
    silk_article_t *a = NULL;
    char *name = silk_corpus_article_name(e->rel);
    fmeta_t nm = {0};
    strmap_t newids = {0};
    if (!name) {
        st = SILK_ERR_NOMEM;
        goto out;
    }
    if ((st = silk_article_parse(e->fmt, name, e->rel, data, len, &a)) != SILK_OK)
        goto out;
    free(data);
    data = NULL;
    if ((st = begin(r)) != SILK_OK)
        goto out;
    if (m)
        r->sum->files_changed++;
    else
        r->sum->files_added++;
    for (size_t i = 0; i < silk_article_problem_count(a); i++) {
        note(r, 1, "%s", silk_article_problem(a, i));
        if (strs_push(&nm.probs, silk_article_problem(a, i)) < 0) {
            st = SILK_ERR_NOMEM;
            goto out;
        }
    }
    for (size_t i = 0; i < silk_article_count(a); i++) {
        const silk_corpus_doc_t *d = silk_article_doc(a, i);
        if (strlen(d->id) > SILK_ID_MAX) {
            char *p = NULL;
            if (asprintf(&p, "%s: document %.60s... skipped: id longer than %d bytes", e->rel,
                         d->id, SILK_ID_MAX) >= 0) {
                note(r, 1, "%s", p);
                strs_push(&nm.probs, p);
                free(p);
            }
            continue;
        }
        const char *owner = map_get(&r->owner, d->id);
        if (owner && strcmp(owner, e->rel) != 0) {
            char *p = NULL;
            if (asprintf(&p, "%s: document %s skipped: the id is already used by %s", e->rel, d->id,
                         owner) >= 0) {
                note(r, 1, "%s", p);
                strs_push(&nm.probs, p);
                free(p);
            }
            continue;
        }
        slot_t *s2 = map_put(&newids, d->id);
        if (!s2 || strs_push(&nm.ids, d->id) < 0) {
            st = SILK_ERR_NOMEM;
            goto out;
        }
        s2->val = (void *)1;
        if (owner && !r->o->full) {
            /* A document that comes out exactly as it is stored is not written again, so
             * that editing one paragraph changes one document. */
            size_t olen = 0, nlen = 0;
            char *od = old_data(r, d->id, &olen);
            char *nd = od ? silk_corpus_doc_json(d, &nlen) : NULL;
            int same = od && nd && olen == nlen && memcmp(od, nd, olen) == 0;
            if (od && !same)
                spell_forget_data(r, od, olen);
            free(od);
            free(nd);
            if (same) {
                r->sum->docs_unchanged++;
                continue;
            }
        }
        silk_doc_t *doc = NULL;
        if ((st = silk_index_build_doc(r->tok, d, spell_add, r, &doc)) != SILK_OK) {
            fatal(r, st, "%s: cannot build document %s: %s", e->rel, d->id,
                  silk_status_to_string(st));
            goto out;
        }
        char term[SILK_ID_MAX + 16];
        snprintf(term, sizeof term, "%s%s", SILK_PREFIX_UNIQUE, d->id);
        st = silk_wdb_replace(r->wdb, term, doc);
        silk_doc_destroy(doc);
        if (st != SILK_OK) {
            fatal(r, st, "%s: cannot write document %s: %s", e->rel, d->id, silk_wdb_error(r->wdb));
            goto out;
        }
        if (owner)
            r->sum->docs_replaced++;
        else
            r->sum->docs_added++;
        slot_t *s = map_put(&r->owner, d->id);
        if (!s) {
            st = SILK_ERR_NOMEM;
            goto out;
        }
        s->val = m ? m->rel : NULL;
    }
    /* Documents of the previous version that are gone now. */
    if (m)
        for (size_t i = 0; i < m->ids.n; i++) {
            if (map_get(&newids, m->ids.v[i]))
                continue;
            spell_forget(r, m->ids.v[i]);
            if ((st = delete_doc(r, m->ids.v[i])) != SILK_OK)
                goto out;
        }
    if ((st = spell_flush(r)) != SILK_OK)
        goto out;
    memcpy(nm.hash, hash, sizeof hash);
    nm.size = len;
    nm.mtime = e->mtime;
    if (!m) {
        /* Remember the new file so that its ids have an owner for the files after it. */
        if (!(m = meta_new(r, e->rel))) {
            st = SILK_ERR_NOMEM;
            goto out;
        }
        m->seen = 1;
        for (size_t i = 0; i < nm.ids.n; i++) {
            slot_t *s = map_put(&r->owner, nm.ids.v[i]);
            if (s)
                s->val = m->rel;
        }
    }
    st = set_meta(r, e->rel, &nm);
out:
    map_free(&newids);
    fmeta_free(&nm);
    silk_article_destroy(a);
    free(name);
    free(data);
    return st;
}

static int phrase_token(const silk_token_t *t, void *ud)
{
    strs_t *words = ud;
    char w[TERM_BUF];
    snprintf(w, sizeof w, "%.*s", (int)t->len, t->term);
    return strs_push(words, w) < 0;
}

/* A synonym member as its normalized tokens joined by one space (malloc'd). */
static char *normalize_phrase(run_t *r, const char *s)
{
    strs_t words = {0};
    char *out = NULL;
    if (silk_tokenize(r->tok, s, strlen(s), 1, phrase_token, &words, NULL) == SILK_OK) {
        size_t n = 1;
        for (size_t i = 0; i < words.n; i++)
            n += strlen(words.v[i]) + 1;
        if ((out = malloc(n)) != NULL) {
            char *p = out;
            *p = '\0';
            for (size_t i = 0; i < words.n; i++)
                p += sprintf(p, "%s%s", i ? " " : "", words.v[i]);
        }
    }
    strs_free(&words);
    return out;
}

/* Loads corpus/synonyms.txt into the synonym table when it changed (or vanished). */
static silk_status_t load_synonyms(run_t *r)
{
    char *data = NULL, *old = NULL, *val = NULL;
    silk_synonyms_t *syn = NULL;
    size_t len = 0;
    char hash[17] = "";
    silk_status_t st = SILK_OK;
    if (r->synonyms_full) {
        const char *why;
        int err_no;
        data = read_file(r->synonyms_full, SILK_INDEX_MAX_SIZE, &len, &why, &err_no);
        if (!data) {
            r->sum->files_skipped++;
            note(r, 1, "%s: skipped: %s", SILK_SYNONYMS_FILE, why ? why : strerror(err_no));
            return SILK_OK;
        }
        silk_index_hash_hex(data, len, hash);
    }
    if ((st = silk_wdb_get_metadata(r->wdb, SILK_META_SYNONYMS, &old)) != SILK_OK) {
        fatal(r, st, "cannot read the index metadata: %s", silk_wdb_error(r->wdb));
        goto out;
    }
    json_t *o = json_loads(old, 0, NULL);
    const char *oldhash = json_string_value(json_object_get(o, "hash"));
    int same = r->synonyms_full ? (oldhash && strcmp(oldhash, hash) == 0) : *old == '\0';
    json_decref(o);
    if (same && !r->o->full)
        goto out;
    if ((st = silk_synonyms_parse(SILK_SYNONYMS_FILE, data ? data : "", len, &syn)) != SILK_OK)
        goto out;
    for (size_t i = 0; i < silk_synonyms_problem_count(syn); i++)
        note(r, 1, "%s", silk_synonyms_problem(syn, i));
    if ((st = begin(r)) != SILK_OK)
        goto out;
    if ((st = silk_wdb_clear_all_synonyms(r->wdb)) != SILK_OK) {
        fatal(r, st, "cannot clear synonyms: %s", silk_wdb_error(r->wdb));
        goto out;
    }
    size_t ng = silk_synonyms_group_count(syn);
    for (size_t g = 0; g < ng && st == SILK_OK; g++) {
        size_t nmem = silk_synonyms_member_count(syn, g);
        char **keys = calloc(nmem, sizeof *keys);
        if (!keys) {
            st = SILK_ERR_NOMEM;
            break;
        }
        /* Each member as its normalized tokens joined by one space. */
        for (size_t k = 0; k < nmem && st == SILK_OK; k++) {
            const char *mem = silk_synonyms_member(syn, g, k);
            if (!(keys[k] = normalize_phrase(r, mem)))
                st = SILK_ERR_NOMEM;
        }
        for (size_t k = 0; k < nmem && st == SILK_OK; k++)
            for (size_t j = 0; j < nmem && st == SILK_OK; j++) {
                if (j == k || !*keys[k] || !*keys[j] || strcmp(keys[k], keys[j]) == 0)
                    continue;
                if ((st = silk_wdb_add_synonym(r->wdb, keys[k], keys[j])) != SILK_OK)
                    fatal(r, st, "cannot write synonyms: %s", silk_wdb_error(r->wdb));
            }
        for (size_t k = 0; k < nmem; k++)
            free(keys[k]);
        free(keys);
    }
    if (st != SILK_OK)
        goto out;
    if (r->synonyms_full) {
        if (asprintf(&val, "{\"hash\":\"%s\"}", hash) < 0) {
            val = NULL;
            st = SILK_ERR_NOMEM;
            goto out;
        }
    }
    if ((st = silk_wdb_set_metadata(r->wdb, SILK_META_SYNONYMS, val ? val : "")) != SILK_OK) {
        fatal(r, st, "cannot write metadata: %s", silk_wdb_error(r->wdb));
        goto out;
    }
    r->sum->synonyms_loaded = r->synonyms_full != NULL;
out:
    silk_synonyms_destroy(syn);
    free(val);
    free(old);
    free(data);
    return st;
}

/* ---- locking and switching ----------------------------------------------------------------- */

static int mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* Takes the writers' lock `<index>.lock` (waiting unless no_wait) and writes our pid in it.
 * Returns the descriptor (closing it releases the lock) or -1 with r->msg set. */
static int take_lock(run_t *r, silk_status_t *st)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s.lock", r->index);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        *st = fatal(r, SILK_ERR_IO, "cannot create the lock %s: %s", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        if (r->o->no_wait || errno != EWOULDBLOCK) {
            if (errno == EWOULDBLOCK)
                *st = fatal(r, SILK_ERR_LOCKED,
                            "index %s is being written by another silk-index (pid %s)", r->index,
                            *pid ? pid : "?");
            else
                *st = fatal(r, SILK_ERR_IO, "cannot lock %s: %s", path, strerror(errno));
            close(fd);
            return -1;
        }
        note(r, 0, "waiting for another silk-index (pid %s) to finish with %s", *pid ? pid : "?",
             r->index);
        while (flock(fd, LOCK_EX) != 0) {
            if (errno != EINTR) {
                *st = fatal(r, SILK_ERR_IO, "cannot lock %s: %s", path, strerror(errno));
                close(fd);
                return -1;
            }
        }
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        /* The pid is only for messages; the lock itself holds. */
    }
    return fd;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void rm_rf(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Removes `<index>.new-*` folders left by killed --full runs (we hold the lock). */
static void clean_leftovers(run_t *r)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", r->index);
    char *slash = strrchr(dir, '/');
    char base[PATH_MAX];
    snprintf(base, sizeof base, "%s", slash ? slash + 1 : dir);
    if (slash)
        *slash = '\0';
    const char *parent = slash ? (*dir ? dir : "/") : ".";
    DIR *d = opendir(parent);
    if (!d)
        return;
    struct dirent *de;
    size_t bl = strlen(base);
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        /* <index>.new-<pid> of a killed --full, <index>.old-<pid> of a killed switch. */
        if (strncmp(n, base, bl) != 0 ||
            (strncmp(n + bl, ".new-", 5) != 0 && strncmp(n + bl, ".old-", 5) != 0) || !n[bl + 5] ||
            strspn(n + bl + 5, "0123456789") != strlen(n + bl + 5))
            continue;
        char p[PATH_MAX];
        if ((size_t)snprintf(p, sizeof p, "%s/%s", parent, n) >= sizeof p)
            continue;
        /* A switch killed between its two renames left no index: the old one comes back. */
        struct stat sb;
        if (n[bl + 1] == 'o' && lstat(r->index, &sb) != 0 && errno == ENOENT &&
            rename(p, r->index) == 0)
            continue;
        rm_rf(p);
    }
    closedir(d);
}

/* Puts the freshly built database in place of the index, atomically for readers. */
static silk_status_t switch_to_new(run_t *r)
{
    struct stat sb;
    if (lstat(r->index, &sb) != 0) {
        if (rename(r->target, r->index) != 0)
            return fatal(r, SILK_ERR_IO, "cannot move %s to %s: %s", r->target, r->index,
                         strerror(errno));
        return SILK_OK;
    }
    if (renameat2(AT_FDCWD, r->target, AT_FDCWD, r->index, RENAME_EXCHANGE) != 0) {
        if (errno != EINVAL && errno != ENOSYS)
            return fatal(r, SILK_ERR_IO, "cannot switch %s to the new database: %s", r->index,
                         strerror(errno));
        /* A file system without RENAME_EXCHANGE: two renames, with a short moment in which
         * a reader opening the path finds no index (it keeps the one it has open). */
        char aside[PATH_MAX];
        snprintf(aside, sizeof aside, "%s.old-%ld", r->index, (long)getpid());
        if (rename(r->index, aside) != 0 || rename(r->target, r->index) != 0)
            return fatal(r, SILK_ERR_IO, "cannot switch %s to the new database: %s", r->index,
                         strerror(errno));
        rm_rf(aside);
        return SILK_OK;
    }
    /* The old database now lives under the temporary name. */
    rm_rf(r->target);
    return SILK_OK;
}

/* ---- the run ------------------------------------------------------------------------------- */

static silk_status_t run(run_t *r)
{
    const silk_index_opts_t *o = r->o;
    silk_status_t st;
    struct stat sb;
    if (stat(o->corpus, &sb) != 0)
        return fatal(r, SILK_ERR_NOT_FOUND, "corpus %s: %s", o->corpus, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return fatal(r, SILK_ERR_NOT_FOUND, "corpus %s: not a folder", o->corpus);
    r->corpus_dev = sb.st_dev;
    r->corpus_ino = sb.st_ino;
    if (!(r->corpus_real = realpath(o->corpus, NULL)))
        return fatal(r, SILK_ERR_NOT_FOUND, "corpus %s: %s", o->corpus, strerror(errno));
    if ((st = silk_stemmer_new("english", &r->stem)) != SILK_OK ||
        (st = silk_tokenizer_new(&r->tok)) != SILK_OK)
        return fatal(r, st, "cannot create the tokenizer: %s", silk_status_to_string(st));
    silk_tokenizer_set_stemmer(r->tok, r->stem);

    if ((st = scan_dir(r, o->corpus, "", 0)) != SILK_OK)
        return r->msg ? st : fatal(r, st, "scanning the corpus: %s", silk_status_to_string(st));
    qsort(r->ents, r->nents, sizeof *r->ents, cmp_entry);
    r->sum->files_scanned = r->nents;

    if (o->full) {
        if (lstat(r->index, &sb) == 0 && !(S_ISDIR(sb.st_mode) && is_database_dir(r->index)))
            return fatal(r, SILK_ERR_INVALID, "%s exists and is not a silk index: not replacing it",
                         r->index);
        if (asprintf(&r->target, "%s.new-%ld", r->index, (long)getpid()) < 0) {
            r->target = NULL;
            return SILK_ERR_NOMEM;
        }
        rm_rf(r->target);
    } else if (!(r->target = strdup(r->index))) {
        return SILK_ERR_NOMEM;
    }
    char *wmsg = NULL;
    int flags = (o->full ? SILK_WDB_OVERWRITE : 0) | (o->no_wait ? 0 : SILK_WDB_RETRY_LOCK);
    if ((st = silk_wdb_open(r->target, flags, &r->wdb, &wmsg)) != SILK_OK) {
        /* We already hold <index>.lock, so a refused Xapian lock is rarely another
         * silk-index: a read-only folder or a foreign writer. Xapian's message says which. */
        if (st == SILK_ERR_LOCKED)
            fatal(r, st, "cannot lock the index %s for writing: %s", r->target,
                  wmsg ? wmsg : silk_status_to_string(st));
        else
            fatal(r, st, "cannot open the index %s for writing: %s", r->target,
                  wmsg ? wmsg : silk_status_to_string(st));
        free(wmsg);
        return st;
    }
    if (!o->full && (st = load_metas(r)) != SILK_OK)
        return st;
    if (o->full && (st = begin(r)) != SILK_OK)
        return st;

    /* Files the index knows that the corpus no longer has go first, so that their
     * document ids are free for the files that take them over (a document moved to
     * another JSONL file). */
    for (size_t i = 0; i < r->nents; i++) {
        fmeta_t *m = meta_of(r, r->ents[i].rel);
        if (m)
            m->seen = 1;
    }
    for (size_t i = 0; i < r->nmetas; i++) {
        fmeta_t *m = &r->metas[i];
        if (m->seen)
            continue;
        int kept = 0;
        for (size_t k = 0; k < r->bad_dirs.n && !kept; k++) {
            size_t bl = strlen(r->bad_dirs.v[k]);
            kept = strncmp(m->rel, r->bad_dirs.v[k], bl) == 0 && m->rel[bl] == '/';
        }
        if (kept)
            continue;
        if ((st = begin(r)) != SILK_OK)
            return st;
        for (size_t k = 0; k < m->ids.n; k++)
            spell_forget(r, m->ids.v[k]);
        for (size_t k = 0; k < m->ids.n; k++)
            if ((st = delete_doc(r, m->ids.v[k])) != SILK_OK)
                return st;
        if ((st = spell_flush(r)) != SILK_OK || (st = set_meta(r, m->rel, NULL)) != SILK_OK)
            return st;
        r->sum->files_removed++;
    }
    for (size_t i = 0; i < r->nents; i++) {
        if ((st = index_file(r, &r->ents[i])) != SILK_OK)
            return r->msg ? st : fatal(r, st, "%s: %s", r->ents[i].rel, silk_status_to_string(st));
        r->files_done++;
        progress(r, 0);
    }
    if ((st = load_synonyms(r)) != SILK_OK)
        return st;
    /* Files that were only touched: their new mtime saves reading them next time, but is
     * not worth a commit of its own. */
    if (r->in_txn)
        for (size_t i = 0; i < r->nmetas; i++) {
            fmeta_t *m = &r->metas[i];
            if (!m->touched)
                continue;
            m->mtime = m->new_mtime;
            if ((st = set_meta(r, m->rel, m)) != SILK_OK)
                return st;
        }
    progress(r, 1);

    /* A corpus that vanished (or was replaced) under the run must not empty the index. */
    if (stat(o->corpus, &sb) != 0 || !S_ISDIR(sb.st_mode) || sb.st_dev != r->corpus_dev ||
        sb.st_ino != r->corpus_ino)
        return fatal(r, SILK_ERR_NOT_FOUND, "corpus %s vanished during the run; nothing committed",
                     o->corpus);

    if (r->in_txn) {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
        if ((st = silk_wdb_set_metadata(r->wdb, SILK_META_INDEXED_AT, when)) != SILK_OK)
            return fatal(r, st, "cannot write metadata: %s", silk_wdb_error(r->wdb));
        if (o->before_commit && o->before_commit(o->ud) != 0)
            return fatal(r, SILK_ERR_INTERNAL, "%s: nothing committed: another shard failed",
                         r->index);
        r->in_txn = 0;
        if ((st = silk_wdb_commit_transaction(r->wdb)) != SILK_OK)
            return fatal(r, st, "cannot commit: %s", silk_wdb_error(r->wdb));
    } else {
        r->sum->up_to_date = 1;
    }
    if ((st = silk_wdb_revision(r->wdb, &r->sum->revision)) != SILK_OK ||
        (st = silk_wdb_doc_count(r->wdb, &r->sum->docs_total)) != SILK_OK)
        return fatal(r, st, "cannot read the index: %s", silk_wdb_error(r->wdb));
    silk_wdb_destroy(r->wdb);
    r->wdb = NULL;
    if (o->full && (st = switch_to_new(r)) != SILK_OK)
        return st;
    return SILK_OK;
}

silk_status_t silk_index_run(const silk_index_opts_t *opts, silk_index_summary_t *sum, char **msg)
{
    run_t r = {0};
    silk_status_t st;
    int lock = -1;
    if (msg)
        *msg = NULL;
    memset(sum, 0, sizeof *sum);
    r.o = opts;
    r.sum = sum;
    clock_gettime(CLOCK_MONOTONIC, &r.t0);
    /* A sharded index (silk-index --shards): every shard, then its metadata; a stub file
     * or a folder of shards built one by one is refused there (it must not become one
     * database holding the whole corpus). */
    unsigned nshards = opts->nshards ? 0 : silk_shard_count(opts->index);
    if (nshards || (!opts->nshards && silk_shard_not_plain(opts->index)))
        return silk_shard_run(opts, nshards, -1, sum, msg);
    if (!(r.index = strdup(opts->index))) {
        st = SILK_ERR_NOMEM;
        goto out;
    }
    size_t il = strlen(r.index);
    while (il > 1 && r.index[il - 1] == '/')
        r.index[--il] = '\0';
    /* The index's parent folder must exist for the lock file and the database. */
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", r.index);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        if (mkdir_p(parent) != 0) {
            st = fatal(&r, SILK_ERR_IO, "cannot create %s: %s", parent, strerror(errno));
            goto out;
        }
    }
    if ((lock = take_lock(&r, &st)) < 0)
        goto out;
    clean_leftovers(&r);
    st = run(&r);
out:
    if (r.wdb && r.in_txn)
        silk_wdb_cancel(r.wdb);
    silk_wdb_destroy(r.wdb);
    if (st != SILK_OK && opts->full && r.target)
        rm_rf(r.target);
    silk_db_destroy(r.old);
    if (lock >= 0)
        close(lock);
    for (size_t i = 0; i < r.nents; i++) {
        free(r.ents[i].rel);
        free(r.ents[i].full);
    }
    free(r.ents);
    for (size_t i = 0; i < r.nmetas; i++)
        fmeta_free(&r.metas[i]);
    free(r.metas);
    map_free(&r.meta_by_rel);
    map_free(&r.owner);
    map_free(&r.spell);
    strs_free(&r.bad_dirs);
    silk_tokenizer_destroy(r.tok);
    silk_stemmer_destroy(r.stem);
    free(r.synonyms_full);
    free(r.corpus_real);
    free(r.target);
    free(r.index);
    sum->elapsed = elapsed(&r);
    if (st != SILK_OK && msg)
        *msg = r.msg ? r.msg : strdup(silk_status_to_string(st));
    else
        free(r.msg);
    return st;
}
