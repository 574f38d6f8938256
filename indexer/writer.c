/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index — one run of the corpus into one database. See writer.h. */
#include "writer.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "corpus.h"
#include "filemeta.h"
#include "ingest.h"
#include "lock.h"
#include "scan.h"
#include "silk/db.h"
#include "silk/fs.h"
#include "silk/schema.h"
#include "spelling.h"
#include "strmap.h"
#include "syntable.h"
#include "terms.h"
#include "txn.h"

#define PROGRESS_EVERY 0.1 /* seconds between progress calls */
#define JOBS_MAX       64  /* parts of a parallel fresh build */

/* What every part of a run counts for the progress line (parts run in threads). */
typedef struct {
    _Atomic uint64_t files; /* files handled */
    _Atomic uint64_t docs;  /* documents written */
    _Atomic uint64_t bytes; /* bytes read */
} counts_t;

/* The state of one run, or of one part of a parallel fresh build (see parallel()). */
typedef struct {
    const silk_index_opts_t *o;     /* options */
    const silk_writer_part_t *part; /* the part of the corpus, NULL: all of it */
    silk_index_summary_t *sum;      /* the summary being filled */
    char *index;                    /* index path without trailing slashes */
    silk_scan_t *scan;              /* the corpus files */
    silk_files_t *files;            /* what the index knows about them */
    silk_txn_t *txn;                /* the writer and its transaction; NULL in a part */
    silk_wdb_t *wdb;                /* the database written: the txn's, or the part's */
    int fresh;                      /* a fresh database: nothing to compare or replace */
    size_t first, end;              /* the scan entries of this run or part */
    uint64_t pending;               /* the flush budget spent since the last flush */
    int changed;                    /* a part: something was written */
    silk_strlist_t *notes;          /* a part after the first: its notes, kept to be
                                     * reported in corpus order ("0msg" / "1msg") */
    counts_t *counts;               /* shared by the parts of the run */
    int reports;                    /* this one calls o->progress */
    size_t cur;                     /* the scan entry being indexed (SIZE_MAX: none) */
    size_t quiet_end;               /* notes of entries before it were reported already */
    silk_db_t *old;                 /* reader of the previous revision (spelling removal) */
    int old_tried;                  /* old was opened (or failed to) */
    silk_tokenizer_t *tok;          /* tokenizer with the stemmer */
    silk_stemmer_t *stem;           /* English stemmer */
    silk_spelling_t *spell;         /* spelling changes of the current file */
    char *msg;                      /* fatal message */
    struct timespec t0;             /* start */
    double last_progress;           /* elapsed time of the last progress call */
    uint64_t files_done;            /* files handled, for progress */
    unsigned vanished;              /* files that were gone when their turn came */
    int rewrite; /* every file read and every document written: --full, or an index built
                    with another document layout (SILK_META_SCHEMA, schema.h) */
} run_t;

/* Every note and problem of the run passes here: problems are counted, then reported. */
static void on_note(const char *msg, int skip, void *ud)
{
    run_t *r = ud;
    if (skip)
        r->sum->problems++;
    if (r->notes) {
        char *k = NULL;
        if (asprintf(&k, "%d%s", skip ? 1 : 0, msg) >= 0)
            silk_strlist_push(r->notes, k);
        free(k);
    } else if (r->o->note && r->cur >= r->quiet_end)
        r->o->note(msg, skip, r->o->ud);
}

static void note(run_t *r, int skip, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void note(run_t *r, int skip, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (skip)
            r->sum->problems++;
        return;
    }
    on_note(s, skip, r);
    free(s);
}

/* Reports the problems stored for an unchanged file again, and keeps a new one. */
static void note_again(run_t *r, const silk_filemeta_t *m)
{
    for (size_t i = 0; i < m->probs.n; i++)
        on_note(m->probs.v[i], 1, r);
}

static void progress(run_t *r, int force)
{
    if (!r->o->progress || !r->reports)
        return;
    double t = silk_index_since(&r->t0);
    if (!force && t - r->last_progress < PROGRESS_EVERY)
        return;
    r->last_progress = t;
    silk_index_progress_t p = {
        .files_done = atomic_load(&r->counts->files),
        .files_total = silk_scan_count(r->scan),
        .docs = atomic_load(&r->counts->docs),
        .bytes_done = atomic_load(&r->counts->bytes),
        .bytes_total = silk_scan_bytes(r->scan),
        .elapsed = t,
    };
    r->o->progress(&p, r->o->ud);
}

/* Begins the run's transaction (a part has none: it only notes that it changed). */
static silk_status_t begin(run_t *r)
{
    if (!r->txn) {
        r->changed = 1;
        return SILK_OK;
    }
    return silk_txn_begin(r->txn, &r->msg);
}

/* A fresh database: past the flush budget, the spelling counts gathered so far are
 * written (each word once, with its count) and everything is committed, so that the
 * writer's memory is bounded by the budget and not by the corpus or by one file. */
static silk_status_t maybe_flush(run_t *r, int force)
{
    uint64_t budget = r->o->flush_bytes ? r->o->flush_bytes : SILK_INDEX_FLUSH_BYTES;
    if (!r->fresh || (!force && r->pending < budget))
        return SILK_OK;
    r->pending = 0;
    silk_status_t st = silk_spelling_flush(r->spell, r->wdb, &r->msg);
    if (st != SILK_OK)
        return st;
    if (r->txn)
        return silk_txn_flush(r->txn, &r->msg);
    if ((st = silk_wdb_commit(r->wdb)) != SILK_OK)
        return silk_index_fail(&r->msg, st, "cannot commit: %s", silk_wdb_error(r->wdb));
    return SILK_OK;
}

/* ---- documents ----------------------------------------------------------------------------- */

/* The stored data of an indexed document as of the last commit (read through a reader
 * opened once per run); NULL when it has none. The writer's transaction is invisible to
 * the reader, and nothing is committed before the run ends, so what it reads stays valid. */
static char *old_data(run_t *r, const char *id, size_t *len)
{
    if (r->fresh)
        return NULL;
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
static void spell_forget(run_t *r, const char *id)
{
    size_t len = 0;
    char *data = old_data(r, id, &len);
    if (data)
        silk_spelling_forget(r->spell, data, len);
    free(data);
}

static silk_status_t delete_doc(run_t *r, const char *id)
{
    silk_wdb_t *wdb = r->wdb;
    char term[SILK_ID_MAX + 16];
    snprintf(term, sizeof term, "%s%s", SILK_PREFIX_UNIQUE, id);
    silk_status_t st = silk_wdb_delete(wdb, term);
    if (st != SILK_OK)
        return silk_index_fail(&r->msg, st, "cannot delete %s: %s", id, silk_wdb_error(wdb));
    r->sum->docs_deleted++;
    silk_files_set_owner(r->files, id, NULL);
    return SILK_OK;
}

/* Deletes the documents of a file that the corpus no longer has. */
static silk_status_t remove_file(run_t *r, const silk_filemeta_t *m)
{
    silk_status_t st;
    if ((st = begin(r)) != SILK_OK)
        return st;
    for (size_t k = 0; k < m->ids.n; k++)
        spell_forget(r, m->ids.v[k]);
    for (size_t k = 0; k < m->ids.n; k++)
        if ((st = delete_doc(r, m->ids.v[k])) != SILK_OK)
            return st;
    if ((st = silk_spelling_flush(r->spell, r->wdb, &r->msg)) != SILK_OK ||
        (st = silk_filemeta_store(r->wdb, m->rel, NULL, &r->msg)) != SILK_OK)
        return st;
    r->sum->files_removed++;
    return SILK_OK;
}

/* One file being written, document by document, as the parser hands them on. */
typedef struct {
    run_t *r;
    const silk_scan_entry_t *e;
    silk_filemeta_t *m;   /* its previous record, NULL when new */
    silk_filemeta_t *nm;  /* collects its ids and problems */
    silk_strlist_t later; /* problems of documents, reported after the parse's own */
    silk_status_t st;     /* why the sink stopped the parse */
} file_t;

/* A problem about one document of a file: reported after the parser's problems and kept
 * with the file. */
static void doc_problem(file_t *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void doc_problem(file_t *f, const char *fmt, ...)
{
    char *p = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&p, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    silk_strlist_push(&f->later, p);
    free(p);
}

/* Writes document d of the file at rel (the scan entry's; owner: the id's owner, NULL when
 * none). */
static silk_status_t write_doc(run_t *r, const char *rel, const silk_corpus_doc_t *d,
                               const char *owner)
{
    silk_status_t st;
    if (owner && !r->fresh) {
        /* A document that comes out exactly as it is stored is not written again, so
         * that editing one paragraph changes one document (unless every document is being
         * rewritten for a new layout: then its old spelling counts go first). */
        size_t olen = 0, nlen = 0;
        char *od = old_data(r, d->id, &olen);
        char *nd = od ? silk_corpus_doc_json(d, &nlen) : NULL;
        int same = od && nd && olen == nlen && memcmp(od, nd, olen) == 0 && !r->rewrite;
        if (od && !same)
            silk_spelling_forget(r->spell, od, olen);
        free(od);
        free(nd);
        if (same) {
            r->sum->docs_unchanged++;
            return SILK_OK;
        }
    }
    silk_wdb_t *wdb = r->wdb;
    silk_doc_t *doc = NULL;
    if ((st = silk_terms_build_doc(r->tok, d, silk_spelling_add, r->spell, &doc)) != SILK_OK)
        return silk_index_fail(&r->msg, st, "%s: cannot build document %s: %s", rel, d->id,
                               silk_status_to_string(st));
    char term[SILK_ID_MAX + 16];
    snprintf(term, sizeof term, "%s%s", SILK_PREFIX_UNIQUE, d->id);
    /* In a fresh database an id not yet owned in this run is new: no lookup. */
    st = r->fresh && !owner ? silk_wdb_add(wdb, doc) : silk_wdb_replace(wdb, term, doc);
    silk_doc_destroy(doc);
    r->pending += d->text_len + SILK_INDEX_DOC_COST;
    atomic_fetch_add(&r->counts->docs, 1);
    if (st != SILK_OK)
        return silk_index_fail(&r->msg, st, "%s: cannot write document %s: %s", rel, d->id,
                               silk_wdb_error(wdb));
    if (owner)
        r->sum->docs_replaced++;
    else
        r->sum->docs_added++;
    return SILK_OK;
}

/* The parser's sink (article.h): writes one document of the file into the open
 * transaction. */
static silk_status_t write_one(const silk_corpus_doc_t *d, void *ud)
{
    file_t *f = ud;
    run_t *r = f->r;
    silk_status_t st = SILK_OK;
    if (strlen(d->id) > SILK_ID_MAX) {
        doc_problem(f, "%s: document %.60s... skipped: id longer than %d bytes", f->e->rel, d->id,
                    SILK_ID_MAX);
        return SILK_OK;
    }
    const char *owner = silk_files_owner(r->files, d->id);
    if (owner && strcmp(owner, f->e->rel) != 0) {
        doc_problem(f, "%s: document %s skipped: the id is already used by %s", f->e->rel, d->id,
                    owner);
        return SILK_OK;
    }
    if (silk_filemeta_add_id(f->nm, d->id) < 0)
        st = SILK_ERR_NOMEM;
    else if ((st = write_doc(r, f->e->rel, d, owner)) == SILK_OK)
        st = maybe_flush(r, 0);
    /* Owned by the scan entry's rel (equal to the record's, but not the same pointer): that
     * marks the ids of this run's version, written or unchanged, so that the previous
     * version's documents that are gone are found without a set of the new ids
     * (finish_file()). */
    if (st == SILK_OK && silk_files_set_owner(r->files, d->id, f->e->rel) < 0)
        st = SILK_ERR_NOMEM;
    f->st = st;
    return st;
}

/* After the parse: reports the file's problems (the parser's, then its documents') and
 * deletes the documents of its previous version that are gone now. */
static silk_status_t finish_file(file_t *f, const silk_article_t *a)
{
    silk_status_t st = SILK_OK;
    for (size_t i = 0; i < silk_article_problem_count(a); i++) {
        on_note(silk_article_problem(a, i), 1, f->r);
        if (silk_strlist_push(&f->nm->probs, silk_article_problem(a, i)) < 0)
            return SILK_ERR_NOMEM;
    }
    for (size_t i = 0; i < f->later.n; i++) {
        on_note(f->later.v[i], 1, f->r);
        silk_strlist_push(&f->nm->probs, f->later.v[i]);
    }
    /* A document of the previous version not written now (its id is not owned by the
     * scan entry's rel, write_doc()) is gone. */
    for (size_t i = 0; f->m && i < f->m->ids.n; i++) {
        if (silk_files_owner(f->r->files, f->m->ids.v[i]) == f->e->rel)
            continue;
        spell_forget(f->r, f->m->ids.v[i]);
        if ((st = delete_doc(f->r, f->m->ids.v[i])) != SILK_OK)
            return st;
    }
    return SILK_OK;
}

/* Indexes one corpus file that is new or changed (or every file, with --full). */
static silk_status_t index_file(run_t *r, const silk_scan_entry_t *e)
{
    silk_filemeta_t *m = silk_files_get(r->files, e->rel);
    /* Size and mtime alone miss a same-size rewrite whose mtime was restored (cp -p, tar,
     * rsync -t); its ctime moved (or its inode is new), so it is read and hashed. A record
     * from before ctimes were kept is read once, and then keeps them. */
    int same_inode = m && m->ctime == e->ctime && m->ino == e->ino;
    if (!r->rewrite && m && m->size == e->size && m->mtime == e->mtime && same_inode) {
        r->sum->files_unchanged++;
        note_again(r, m);
        return SILK_OK;
    }
    const char *why = NULL;
    int err_no = 0;
    uint64_t cap = r->o->max_size ? r->o->max_size : SILK_INDEX_MAX_SIZE;
    const char *kept = m ? " (its indexed documents are kept)" : "";
    /* The one safe open; a record of the same size is compared by hash before parsing
     * (ingest.h), else the file is hashed while it is parsed. */
    silk_ingest_t in;
    silk_ingest_verdict_t v = SILK_INGEST_PARSE;
    if (silk_ingest_open(&in, e, cap, &why, &err_no) != 0 ||
        silk_ingest_check(&in, m && !r->rewrite ? m->hash : NULL, m ? m->size : 0, &v, &why,
                          &err_no) != 0) {
        silk_ingest_close(&in);
        r->sum->files_skipped++;
        if (err_no == ENOENT) {
            r->vanished++;
            note(r, 1, "%s: skipped: vanished during the run", e->rel);
        } else
            note(r, 1, "%s: skipped: %s%s", e->rel, why ? why : strerror(err_no), kept);
        return err_no == ENOMEM ? SILK_ERR_NOMEM : SILK_OK;
    }
    if (v == SILK_INGEST_BINARY) {
        silk_ingest_close(&in);
        r->sum->files_skipped++;
        note(r, 1, "%s: skipped: binary file, not text%s", e->rel, kept);
        return SILK_OK;
    }
    if (v == SILK_INGEST_SAME) {
        /* Touched but not changed: nothing to write for it. */
        silk_ingest_close(&in);
        r->sum->bytes += in.len;
        m->touched = 1;
        m->new_mtime = e->mtime;
        m->new_ctime = e->ctime;
        m->new_ino = e->ino;
        r->sum->files_unchanged++;
        note_again(r, m);
        return SILK_OK;
    }
    silk_status_t st;
    silk_article_t *a = NULL;
    char *name = silk_corpus_article_name(e->rel);
    silk_filemeta_t nm = {0};
    file_t f = {.r = r, .e = e, .m = m, .nm = &nm};
    if (!name) {
        st = SILK_ERR_NOMEM;
        goto out;
    }
    if ((st = begin(r)) != SILK_OK)
        goto out;
    if (m)
        r->sum->files_changed++;
    else
        r->sum->files_added++;
    /* The parser hands each document on as it is built (write_one()): memory follows the
     * largest document and the flush budget, not the file. A fresh build writes the
     * spelling counts at its flushes (maybe_flush()), a word once per flush; a live run
     * writes them per file (they net out removals too). */
    st = silk_ingest_parse(&in, name, e->rel, write_one, &f, &a);
    r->sum->bytes += in.len;
    if (st != SILK_OK && f.st != SILK_OK)
        st = f.st;
    if (st != SILK_OK)
        goto out;
    if (in.cut)
        doc_problem(&f, "%s: only its first %llu bytes are indexed: %s", e->rel,
                    (unsigned long long)in.len, in.cut_why ? in.cut_why : strerror(in.cut_errno));
    if ((st = finish_file(&f, a)) != SILK_OK ||
        (!r->fresh && (st = silk_spelling_flush(r->spell, r->wdb, &r->msg)) != SILK_OK))
        goto out;
    /* The documents are written: their memory goes before the file's record is built. */
    silk_article_destroy(a);
    a = NULL;
    memcpy(nm.hash, in.hash, sizeof in.hash);
    nm.size = in.len;
    nm.mtime = e->mtime;
    nm.ctime = e->ctime;
    nm.ino = e->ino;
    if (!m) {
        /* Remember the new file so that its ids have an owner for the files after it. */
        if (!(m = silk_files_add(r->files, e->rel))) {
            st = SILK_ERR_NOMEM;
            goto out;
        }
        m->seen = 1;
    }
    st = silk_filemeta_store(r->wdb, e->rel, &nm, &r->msg);
out:
    silk_strlist_free(&f.later);
    silk_filemeta_clear(&nm);
    silk_article_destroy(a);
    silk_ingest_close(&in);
    free(name);
    return st;
}

/* ---- the run ------------------------------------------------------------------------------- */

/* The tokenizer, stemmer, spelling counts and file records of a run or of one part. */
static silk_status_t tools_new(run_t *r)
{
    silk_status_t st;
    if ((st = silk_stemmer_new("english", &r->stem)) != SILK_OK ||
        (st = silk_tokenizer_new(&r->tok)) != SILK_OK)
        return silk_index_fail(&r->msg, st, "cannot create the tokenizer: %s",
                               silk_status_to_string(st));
    silk_tokenizer_set_stemmer(r->tok, r->stem);
    if (!(r->spell = silk_spelling_new(r->tok)) || !(r->files = silk_files_new()))
        return SILK_ERR_NOMEM;
    return SILK_OK;
}

static void tools_free(run_t *r)
{
    silk_files_destroy(r->files);
    silk_spelling_destroy(r->spell);
    silk_tokenizer_destroy(r->tok);
    silk_stemmer_destroy(r->stem);
    r->files = NULL;
    r->spell = NULL;
    r->tok = NULL;
    r->stem = NULL;
}

/* Indexes the scan entries first..end-1, then (a fresh database) flushes. */
static silk_status_t index_entries(run_t *r)
{
    for (size_t i = r->first; i < r->end; i++) {
        const silk_scan_entry_t *e = silk_scan_entry(r->scan, i);
        r->cur = i;
        silk_status_t st = index_file(r, e);
        if (st != SILK_OK)
            return silk_index_fail(&r->msg, st, "%s: %s", e->rel, silk_status_to_string(st));
        r->files_done++;
        /* Progress counts the bytes the scan saw of every file handled, read or skipped,
         * so that it ends at the total it estimates from. */
        atomic_fetch_add(&r->counts->files, 1);
        atomic_fetch_add(&r->counts->bytes, e->size);
        progress(r, 0);
    }
    r->cur = SIZE_MAX;
    return maybe_flush(r, 1);
}

/* ---- a parallel fresh build ---------------------------------------------------------------- */

/* One part: consecutive corpus files written by one thread into a database of its own. */
typedef struct {
    run_t r;                  /* its run (shares the scan, options and counts of the whole) */
    silk_index_summary_t sum; /* its counts */
    silk_strlist_t notes;     /* its notes, when it is not the first part */
    char *path;               /* its database, inside the fresh target */
    pthread_t th;             /* its thread (not the first part's: that runs in the caller) */
    int started;              /* th was created */
    silk_status_t st;         /* its outcome */
} part_t;

static void *part_main(void *ud)
{
    part_t *p = ud;
    run_t *r = &p->r;
    char *wmsg = NULL;
    silk_status_t st = tools_new(r);
    if (st == SILK_OK && (st = silk_wdb_open(p->path, SILK_WDB_OVERWRITE | SILK_WDB_NO_SYNC,
                                             &r->wdb, &wmsg)) != SILK_OK)
        silk_index_fail(&r->msg, st, "cannot create %s: %s", p->path,
                        wmsg ? wmsg : silk_status_to_string(st));
    free(wmsg);
    if (st == SILK_OK)
        st = index_entries(r); /* it ends with a commit of everything */
    silk_wdb_destroy(r->wdb);
    r->wdb = NULL;
    p->st = st;
    return NULL;
}

/* Whether scan entries i-1 and i have the same article name (asia/korea.md and
 * asia/korea.txt): their document ids collide by design, so a part never ends between them. */
static int same_article(const silk_scan_t *scan, size_t i)
{
    char *a = silk_corpus_article_name(silk_scan_entry(scan, i - 1)->rel);
    char *b = silk_corpus_article_name(silk_scan_entry(scan, i)->rel);
    int same = a && b && strcmp(a, b) == 0;
    free(a);
    free(b);
    return same;
}

/* Whether a part uses a document id that a part before it uses too: then the later file's
 * document must be skipped ("already used by"), as one writer does, and the build is done
 * again by one writer. */
static int ids_shared(part_t *parts, unsigned np)
{
    for (unsigned k = 1; k < np; k++) {
        size_t at = 0;
        const char *id;
        while ((id = silk_files_next_owned(parts[k].r.files, &at)) != NULL)
            for (unsigned q = 0; q < k; q++)
                if (silk_files_owner(parts[q].r.files, id))
                    return 1;
    }
    return 0;
}

/* Builds the fresh database in `jobs` parts at once: the corpus (in scan order) cut into
 * consecutive slices of about equal bytes, each written by its own thread into its own
 * database, then merged in order (silk_txn_merge()), so that documents, their ids and
 * their order are those of one writer. The first part runs in this thread and reports
 * progress and its notes as they come; the others' notes follow, in corpus order. When
 * parts share a document id, *again is set and nothing is kept: the caller builds on one
 * writer (and r->quiet_end keeps it from reporting the first part's notes twice). */
static silk_status_t parallel(run_t *r, unsigned jobs, int *again)
{
    *again = 0;
    size_t n = r->end;
    uint64_t total = silk_scan_bytes(r->scan), acc = 0;
    part_t *parts = calloc(jobs, sizeof *parts);
    unsigned np = 0;
    silk_status_t st;
    if (!parts)
        return SILK_ERR_NOMEM;
    if ((st = silk_txn_open(r->index, SILK_TXN_PARTS, r->o->no_wait, &r->txn, &r->msg)) != SILK_OK)
        goto out;
    for (size_t at = 0; np < jobs && at < n; np++) {
        size_t end = at;
        uint64_t want = total / jobs * (np + 1);
        while (end < n && (np == jobs - 1 || acc < want || end == at))
            acc += silk_scan_entry(r->scan, end++)->size;
        while (end < n && same_article(r->scan, end))
            acc += silk_scan_entry(r->scan, end++)->size;
        part_t *p = &parts[np];
        p->r = (run_t){.o = r->o,
                       .sum = &p->sum,
                       .index = r->index,
                       .scan = r->scan,
                       .fresh = 1,
                       .first = at,
                       .end = end,
                       .counts = r->counts,
                       .reports = np == 0,
                       .t0 = r->t0,
                       .cur = SIZE_MAX,
                       .notes = np ? &p->notes : NULL};
        if (!(p->path = silk_txn_part_path(r->txn, np))) {
            st = SILK_ERR_NOMEM;
            goto out;
        }
        at = end;
    }
    for (unsigned k = 1; k < np; k++) {
        if (pthread_create(&parts[k].th, NULL, part_main, &parts[k]) != 0) {
            /* Fewer threads: this one runs the part itself after the first. */
            continue;
        }
        parts[k].started = 1;
    }
    part_main(&parts[0]);
    for (unsigned k = 1; k < np; k++) {
        if (parts[k].started)
            pthread_join(parts[k].th, NULL);
        else
            part_main(&parts[k]);
    }
    for (unsigned k = 0; k < np; k++)
        if (parts[k].st != SILK_OK) {
            st = parts[k].st;
            silk_index_fail(&r->msg, st, "%s", parts[k].r.msg ? parts[k].r.msg : "");
            goto out;
        }
    if (ids_shared(parts, np)) {
        *again = 1;
        r->quiet_end = parts[0].r.end;
        atomic_store(&r->counts->files, 0);
        atomic_store(&r->counts->docs, 0);
        atomic_store(&r->counts->bytes, 0);
        silk_txn_destroy(r->txn); /* removes the parts */
        r->txn = NULL;
        st = SILK_OK;
        goto out;
    }
    for (unsigned k = 0; k < np; k++) {
        for (size_t i = 0; i < parts[k].notes.n && r->o->note; i++)
            r->o->note(parts[k].notes.v[i] + 1, parts[k].notes.v[i][0] == '1', r->o->ud);
        silk_index_summary_add(r->sum, &parts[k].sum);
        r->vanished += parts[k].r.vanished;
        r->files_done += parts[k].r.files_done;
    }
    if ((st = silk_txn_merge(r->txn, np, &r->msg)) != SILK_OK)
        goto out;
    r->wdb = silk_txn_wdb(r->txn);
    st = silk_txn_begin(r->txn, &r->msg);
out:
    for (unsigned k = 0; k < jobs; k++) {
        tools_free(&parts[k].r);
        free(parts[k].r.msg);
        silk_strlist_free(&parts[k].notes);
        free(parts[k].path);
    }
    free(parts);
    return st;
}

/* ---- the run ------------------------------------------------------------------------------- */

static silk_status_t run(run_t *r)
{
    const silk_index_opts_t *o = r->o;
    silk_status_t st;
    if ((st = tools_new(r)) != SILK_OK)
        return st;
    if ((st = silk_scan_corpus(o->corpus, r->part ? r->part->nparts : 0,
                               r->part ? r->part->part : 0, on_note, r, &r->scan, &r->msg)) !=
        SILK_OK)
        return st;
    size_t nents = silk_scan_count(r->scan);
    r->sum->files_scanned = nents;
    r->sum->files_skipped += silk_scan_skipped(r->scan);
    r->sum->files_ignored += silk_scan_ignored(r->scan);
    r->end = nents;

    /* A fresh database: --full, or a first build (no index yet). It is built beside the
     * index and published whole, so it can be written in parallel parts, without lookups,
     * and without a transaction or an fsync per commit. */
    struct stat sb;
    r->fresh = o->full || (lstat(r->index, &sb) != 0 && errno == ENOENT);
    unsigned jobs = o->jobs ? o->jobs : 1;
    if (jobs > JOBS_MAX)
        jobs = JOBS_MAX;
    int again = 0;
    if (r->fresh && jobs > 1 && nents > 1) {
        if ((st = parallel(r, jobs, &again)) != SILK_OK)
            return st;
        if (again)
            note(r, 0, "files far apart in the corpus share document ids: building on one writer");
    }
    if (!r->txn) {
        if ((st = silk_txn_open(r->index, r->fresh ? SILK_TXN_FRESH : SILK_TXN_LIVE, o->no_wait,
                                &r->txn, &r->msg)) != SILK_OK)
            return st;
        r->wdb = silk_txn_wdb(r->txn);
        if (!r->fresh && (st = silk_files_load(r->files, r->wdb, &r->msg)) != SILK_OK)
            return st;
        r->rewrite = r->fresh;
        if (!r->fresh) {
            char *schema = NULL;
            if (silk_wdb_get_metadata(r->wdb, SILK_META_SCHEMA, &schema) != SILK_OK)
                return silk_index_fail(&r->msg, SILK_ERR_IO, "cannot read metadata: %s",
                                       silk_wdb_error(r->wdb));
            /* Built with another layout (before facet slots, say): every document is written
             * again, so that none lacks what this version reads. An empty index has none. */
            r->rewrite = strcmp(schema, SILK_SCHEMA_VERSION) != 0 && silk_files_count(r->files) > 0;
            if (r->rewrite)
                note(r, 0,
                     "the index was built with document layout %s (now %s): rewriting every "
                     "document",
                     *schema ? schema : "1", SILK_SCHEMA_VERSION);
            free(schema);
        }
        if (r->fresh && (st = silk_txn_begin(r->txn, &r->msg)) != SILK_OK)
            return st;
        /* Files the index knows that the corpus no longer has go first, so that their
         * document ids are free for the files that take them over (a document moved to
         * another JSONL file). */
        for (size_t i = 0; i < nents; i++) {
            silk_filemeta_t *m = silk_files_get(r->files, silk_scan_entry(r->scan, i)->rel);
            if (m)
                m->seen = 1;
        }
        for (size_t i = 0; i < silk_files_count(r->files); i++) {
            silk_filemeta_t *m = silk_files_at(r->files, i);
            if (!m->seen && !silk_scan_kept(r->scan, m->rel) && (st = remove_file(r, m)) != SILK_OK)
                return st;
        }
        if ((st = index_entries(r)) != SILK_OK)
            return st;
    }
    silk_wdb_t *wdb = r->wdb;
    if ((st = silk_syntable_update(r->txn, r->tok, silk_scan_synonyms(r->scan), r->fresh, on_note,
                                   r, r->sum, &r->msg)) != SILK_OK)
        return st;
    /* Files that were only touched: their new mtime, ctime and inode save reading them next
     * time, but are not worth a commit of its own (a touched file stays "up to date"). */
    for (size_t i = 0; silk_txn_active(r->txn) && i < silk_files_count(r->files); i++) {
        silk_filemeta_t *m = silk_files_at(r->files, i);
        if (!m->touched)
            continue;
        m->mtime = m->new_mtime;
        m->ctime = m->new_ctime;
        m->ino = m->new_ino;
        if ((st = silk_filemeta_store(wdb, m->rel, m, &r->msg)) != SILK_OK)
            return st;
    }
    progress(r, 1);
    /* A corpus that vanished (or was replaced) under the run must not empty the index. A
     * folder being removed (rm -r) loses its files one by one before the folder itself: when
     * files vanished during the run, give such a removal a moment to finish before the check,
     * so that a corpus on its way out does not get half of its files committed. */
    if (r->vanished)
        usleep(200 * 1000);
    if (silk_scan_vanished(r->scan))
        return silk_index_fail(&r->msg, SILK_ERR_NOT_FOUND,
                               "corpus %s vanished during the run; nothing committed", o->corpus);
    if (!silk_txn_active(r->txn))
        r->sum->up_to_date = 1;
    else if ((st = silk_txn_commit(r->txn, r->part ? r->part->before_commit : NULL,
                                   r->part ? r->part->ud : NULL, &r->msg)) != SILK_OK)
        return st;
    return silk_txn_publish(r->txn, &r->sum->revision, &r->sum->docs_total, &r->msg);
}

silk_status_t silk_writer_run(const silk_index_opts_t *opts, const silk_writer_part_t *part,
                              silk_index_summary_t *sum, char **msg)
{
    run_t r = {0};
    counts_t counts = {0};
    silk_status_t st;
    int lock = -1;
    r.counts = &counts;
    r.reports = 1;
    r.cur = SIZE_MAX;
    if (msg)
        *msg = NULL;
    memset(sum, 0, sizeof *sum);
    r.o = opts;
    r.part = part;
    r.sum = sum;
    clock_gettime(CLOCK_MONOTONIC, &r.t0);
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
        if (silk_fs_mkdir_p(parent, 0777) != 0) {
            st = silk_index_fail(&r.msg, SILK_ERR_IO, "cannot create %s: %s", parent,
                                 strerror(errno));
            goto out;
        }
    }
    if ((st = silk_lock_take(r.index, opts->no_wait, on_note, &r, &lock, &r.msg)) != SILK_OK)
        goto out;
    silk_txn_clean_leftovers(r.index);
    st = run(&r);
out:
    silk_txn_destroy(r.txn);
    silk_db_destroy(r.old);
    if (lock >= 0)
        close(lock);
    silk_scan_destroy(r.scan);
    tools_free(&r);
    free(r.index);
    sum->elapsed = silk_index_since(&r.t0);
    if (st != SILK_OK && msg)
        *msg = r.msg ? r.msg : strdup(silk_status_to_string(st));
    else
        free(r.msg);
    return st;
}
