/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk-index --shards: runs the single-database writer once per shard, in parallel threads
 * that commit together, then brings the local metadata database up to date. See shard.h. */
#include "shard.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "silk/db.h"
#include "silk/fs.h"
#include "lock.h"
#include "silk/schema.h"
#include "writer.h"

typedef struct shared shared_t;

/* One shard's run. */
typedef struct {
    shared_t *sh;               /* what the runs share */
    unsigned k;                 /* shard number */
    char path[PATH_MAX];        /* <index>/shard-K */
    silk_index_opts_t o;        /* the run's options (callbacks go through us) */
    silk_writer_part_t part;    /* its files and the commit barrier */
    silk_index_summary_t sum;   /* its summary */
    silk_status_t st;           /* its outcome */
    char *msg;                  /* its failure message (malloc'd) */
    int arrived;                /* reached the commit point (or finished) */
    silk_index_progress_t prog; /* its last progress */
    pthread_t th;               /* its thread */
    int started;                /* th was created */
} job_t;

/* State shared by the runs: the commit barrier and the user's callbacks. */
struct shared {
    pthread_mutex_t mu;          /* guards everything below */
    pthread_cond_t cv;           /* arrived or failed changed */
    unsigned njobs;              /* runs */
    unsigned arrived;            /* runs at the commit point or finished */
    int failed;                  /* a run failed before the commit point */
    const silk_index_opts_t *uo; /* the caller's options */
    json_t *notes;               /* notes already passed on (every shard scans the corpus) */
    uint64_t dup_problems;       /* repeats of a problem note: counted by several shards */
    uint64_t dup_notes;          /* repeats of another note (an ignored file) */
    job_t *jobs;                 /* njobs runs */
    struct timespec t0;          /* start */
};

unsigned silk_shard_count(const char *index)
{
    char p[PATH_MAX], line[128];
    if ((size_t)snprintf(p, sizeof p, "%s/%s", index, SILK_SHARD_STUB) >= sizeof p)
        return 0;
    FILE *f = fopen(p, "re");
    if (!f)
        return 0;
    unsigned n = 0;
    size_t hl = strlen(SILK_SHARD_STUB_HEAD);
    if (fgets(line, sizeof line, f) && strncmp(line, SILK_SHARD_STUB_HEAD, hl) == 0) {
        char *end = NULL;
        unsigned long v = strtoul(line + hl, &end, 10);
        if (end != line + hl && v >= 1 && v <= SILK_SHARD_MAX)
            n = (unsigned)v;
    }
    fclose(f);
    return n;
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

int silk_shard_not_plain(const char *index)
{
    char meta[PATH_MAX];
    if (is_file(index))
        return 1;
    if ((size_t)snprintf(meta, sizeof meta, "%s/%s", index, SILK_SHARD_META) >= sizeof meta)
        return 0;
    return !silk_index_is_db(index) && silk_index_is_db(meta) && !silk_shard_count(index);
}

/* ---- the runs ------------------------------------------------------------------------------ */

static void on_note(const char *msg, int skip, void *ud)
{
    job_t *j = ud;
    shared_t *sh = j->sh;
    pthread_mutex_lock(&sh->mu);
    /* Notes about the corpus as a whole (an ignored file, an unreadable folder) come from
     * every shard's scan: pass each on once. */
    if (!json_object_getn(sh->notes, msg, strlen(msg))) {
        json_object_setn_new_nocheck(sh->notes, msg, strlen(msg), json_true());
        if (sh->uo->note)
            sh->uo->note(msg, skip, sh->uo->ud);
    } else if (skip) {
        sh->dup_problems++;
    } else {
        sh->dup_notes++;
    }
    pthread_mutex_unlock(&sh->mu);
}

static void on_progress(const silk_index_progress_t *p, void *ud)
{
    job_t *j = ud;
    shared_t *sh = j->sh;
    pthread_mutex_lock(&sh->mu);
    j->prog = *p;
    silk_index_progress_t all = {0};
    for (unsigned i = 0; i < sh->njobs; i++) {
        all.files_done += sh->jobs[i].prog.files_done;
        all.files_total += sh->jobs[i].prog.files_total;
        all.docs += sh->jobs[i].prog.docs;
        all.bytes_done += sh->jobs[i].prog.bytes_done;
        all.bytes_total += sh->jobs[i].prog.bytes_total;
    }
    all.elapsed = silk_index_since(&sh->t0);
    if (sh->uo->progress)
        sh->uo->progress(&all, sh->uo->ud);
    pthread_mutex_unlock(&sh->mu);
}

/* Marks j as arrived at the commit point; the caller holds sh->mu. */
static void arrive(job_t *j)
{
    if (j->arrived)
        return;
    j->arrived = 1;
    j->sh->arrived++;
    pthread_cond_broadcast(&j->sh->cv);
}

/* The commit barrier: every run with changes waits here until all runs have staged theirs
 * (or finished with nothing to commit); a run that failed first cancels the others. */
static int before_commit(void *ud)
{
    job_t *j = ud;
    shared_t *sh = j->sh;
    pthread_mutex_lock(&sh->mu);
    arrive(j);
    while (!sh->failed && sh->arrived < sh->njobs)
        pthread_cond_wait(&sh->cv, &sh->mu);
    int failed = sh->failed;
    pthread_mutex_unlock(&sh->mu);
    return failed;
}

static void *run_job(void *arg)
{
    job_t *j = arg;
    j->st = silk_writer_run(&j->o, &j->part, &j->sum, &j->msg);
    pthread_mutex_lock(&j->sh->mu);
    if (!j->arrived && j->st != SILK_OK)
        j->sh->failed = 1;
    arrive(j);
    pthread_cond_broadcast(&j->sh->cv);
    pthread_mutex_unlock(&j->sh->mu);
    return NULL;
}

/* ---- the metadata database ----------------------------------------------------------------- */

/* State of the metadata update. */
typedef struct {
    json_t *want;     /* word -> summed frequency over the shards */
    json_t *have;     /* word -> frequency in meta/ now */
    silk_wdb_t *wdb;  /* meta/ writer */
    int changed;      /* something was written */
    silk_status_t st; /* first failure */
} meta_t;

static int spell_into(const char *word, size_t len, unsigned freq, void *ud)
{
    json_t *map = ud;
    json_t *v = json_object_getn(map, word, len);
    json_int_t n = (v ? json_integer_value(v) : 0) + (json_int_t)freq;
    return json_object_setn_new_nocheck(map, word, len, json_integer(n)) != 0;
}

typedef struct {
    silk_db_t *src; /* shard the synonyms come from */
    silk_wdb_t *wdb;
    silk_status_t st;
    char *key; /* the key being copied */
} syncopy_t;

static int copy_syn(const char *s, size_t len, void *ud)
{
    syncopy_t *c = ud;
    char *v = strndup(s, len);
    if (!v || (c->st = silk_wdb_add_synonym(c->wdb, c->key, v)) != SILK_OK) {
        if (!v)
            c->st = SILK_ERR_NOMEM;
        free(v);
        return 1;
    }
    free(v);
    return 0;
}

static int copy_key(const char *s, size_t len, void *ud)
{
    syncopy_t *c = ud;
    if (!(c->key = strndup(s, len))) {
        c->st = SILK_ERR_NOMEM;
        return 1;
    }
    silk_status_t st = silk_db_synonyms(c->src, c->key, copy_syn, c);
    if (st != SILK_OK && c->st == SILK_OK)
        c->st = st;
    free(c->key);
    c->key = NULL;
    return c->st != SILK_OK;
}

/* Sets meta key `key` to `val` when it differs. */
static silk_status_t meta_set(meta_t *m, const char *key, const char *val)
{
    char *old = NULL;
    silk_status_t st = silk_wdb_get_metadata(m->wdb, key, &old);
    if (st == SILK_OK && strcmp(old, val) != 0) {
        st = silk_wdb_set_metadata(m->wdb, key, val);
        m->changed = 1;
    }
    free(old);
    return st;
}

/* Brings <index>/meta up to date with the shards present under <index>: spelling as the
 * sum of theirs, synonyms as the first shard's (every shard loads the same synonyms.txt),
 * the number of shards and the newest indexing time. Writes only differences, in one
 * transaction; commits nothing when there are none. */
static silk_status_t update_meta(const char *index, unsigned nshards, int *changed, uint64_t *rev,
                                 char **msg)
{
    char path[PATH_MAX], lock[PATH_MAX];
    meta_t m = {0};
    silk_db_t *src = NULL, *cur = NULL;
    char *syn_src = NULL, *syn_meta = NULL, *when = NULL, *wmsg = NULL;
    int lockfd = -1;
    silk_status_t st = SILK_OK;
    *changed = 0;
    *rev = 0;
    snprintf(path, sizeof path, "%s/%s", index, SILK_SHARD_META);
    snprintf(lock, sizeof lock, "%s/%s.lock", index, SILK_SHARD_META);
    /* Runs of different shards (--shard K/N) may finish together: one update at a time. */
    if ((lockfd = silk_lock_open(lock)) < 0 || flock(lockfd, LOCK_EX) != 0) {
        st = silk_index_fail(msg, SILK_ERR_IO, "cannot lock %s: %s", lock, strerror(errno));
        goto out;
    }
    if (!(m.want = json_object()) || !(m.have = json_object())) {
        st = SILK_ERR_NOMEM;
        goto out;
    }
    unsigned present = 0;
    for (unsigned k = 0; k < nshards; k++) {
        char sp[PATH_MAX];
        snprintf(sp, sizeof sp, "%s/shard-%u", index, k);
        if (!silk_index_is_db(sp))
            continue;
        silk_db_t *db = NULL;
        char *omsg = NULL;
        if ((st = silk_db_open(sp, NULL, &db, &omsg)) != SILK_OK) {
            st = silk_index_fail(msg, st, "cannot open %s: %s", sp,
                                 omsg ? omsg : silk_status_to_string(st));
            free(omsg);
            goto out;
        }
        char *w = NULL;
        if ((st = silk_db_spellings(db, spell_into, m.want)) != SILK_OK ||
            (st = silk_db_metadata(db, SILK_META_INDEXED_AT, &w)) != SILK_OK) {
            st = silk_index_fail(msg, st, "cannot read %s: %s", sp, silk_db_error(db));
            silk_db_destroy(db);
            goto out;
        }
        if (!when || strcmp(w, when) > 0) {
            free(when);
            when = w;
        } else {
            free(w);
        }
        if (!src)
            src = db;
        else
            silk_db_destroy(db);
        present++;
    }
    if (!present)
        goto out; /* nothing to describe (yet) */
    if (silk_index_is_db(path)) {
        char *omsg = NULL;
        if ((st = silk_db_open(path, NULL, &cur, &omsg)) != SILK_OK ||
            (st = silk_db_spellings(cur, spell_into, m.have)) != SILK_OK) {
            st = silk_index_fail(msg, st, "cannot read %s: %s", path,
                                 omsg  ? omsg
                                 : cur ? silk_db_error(cur)
                                       : silk_status_to_string(st));
            free(omsg);
            goto out;
        }
    }
    if ((st = silk_wdb_open(path, SILK_WDB_RETRY_LOCK, &m.wdb, &wmsg)) != SILK_OK) {
        st = silk_index_fail(msg, st, "cannot open %s for writing: %s", path,
                             wmsg ? wmsg : silk_status_to_string(st));
        goto out;
    }
    if ((st = silk_wdb_begin(m.wdb)) != SILK_OK)
        goto werr;
    const char *word;
    size_t wlen;
    json_t *v;
    json_object_keylen_foreach(m.want, word, wlen, v)
    {
        json_t *h = json_object_getn(m.have, word, wlen);
        json_int_t d = json_integer_value(v) - (h ? json_integer_value(h) : 0);
        char *w = d ? strndup(word, wlen) : NULL;
        if (d && !w) {
            st = SILK_ERR_NOMEM;
            goto werr;
        }
        if (d > 0)
            st = silk_wdb_add_spelling(m.wdb, w, (unsigned)d);
        else if (d < 0)
            st = silk_wdb_remove_spelling(m.wdb, w, (unsigned)-d);
        free(w);
        if (st != SILK_OK)
            goto werr;
        m.changed |= d != 0;
    }
    json_object_keylen_foreach(m.have, word, wlen, v)
    {
        if (json_object_getn(m.want, word, wlen))
            continue;
        char *w = strndup(word, wlen);
        if (!w) {
            st = SILK_ERR_NOMEM;
            goto werr;
        }
        st = silk_wdb_remove_spelling(m.wdb, w, (unsigned)json_integer_value(v));
        free(w);
        if (st != SILK_OK)
            goto werr;
        m.changed = 1;
    }
    /* Synonyms: copied again whenever the table's hash differs from the one copied. */
    if ((st = silk_db_metadata(src, SILK_META_SYNONYMS, &syn_src)) != SILK_OK) {
        st = silk_index_fail(msg, st, "cannot read a shard: %s", silk_db_error(src));
        goto out;
    }
    if ((st = silk_wdb_get_metadata(m.wdb, SILK_META_SYNONYMS, &syn_meta)) != SILK_OK)
        goto werr;
    if (strcmp(syn_src, syn_meta) != 0 || !cur) {
        syncopy_t c = {src, m.wdb, SILK_OK, NULL};
        if ((st = silk_wdb_clear_all_synonyms(m.wdb)) != SILK_OK)
            goto werr;
        if ((st = silk_db_synonym_keys(src, copy_key, &c)) == SILK_OK)
            st = c.st;
        if (st != SILK_OK) {
            st = silk_index_fail(msg, st, "cannot copy synonyms into %s: %s", path,
                                 silk_wdb_error(m.wdb));
            goto out;
        }
        if ((st = silk_wdb_set_metadata(m.wdb, SILK_META_SYNONYMS, syn_src)) != SILK_OK)
            goto werr;
        m.changed = 1;
    }
    char n[16];
    snprintf(n, sizeof n, "%u", nshards);
    if ((st = meta_set(&m, SILK_META_SHARDS, n)) != SILK_OK ||
        (m.changed && (st = meta_set(&m, SILK_META_INDEXED_AT, when ? when : "")) != SILK_OK))
        goto werr;
    if (m.changed) {
        if ((st = silk_wdb_commit_transaction(m.wdb)) != SILK_OK)
            goto werr;
    } else if ((st = silk_wdb_cancel(m.wdb)) != SILK_OK) {
        goto werr;
    }
    *changed = m.changed;
    if ((st = silk_wdb_revision(m.wdb, rev)) != SILK_OK)
        goto werr;
    goto out;
werr:
    st = silk_index_fail(msg, st, "cannot write %s: %s", path, m.wdb ? silk_wdb_error(m.wdb) : "");
out:
    silk_wdb_destroy(m.wdb);
    silk_db_destroy(src);
    silk_db_destroy(cur);
    json_decref(m.want);
    json_decref(m.have);
    free(syn_src);
    free(syn_meta);
    free(when);
    free(wmsg);
    if (lockfd >= 0)
        close(lockfd);
    return st;
}

/* ---- the stub ------------------------------------------------------------------------------ */

/* Writes <index>/XAPIANDB listing meta/ and the shards, unless it already says exactly that
 * (a rewrite would make every reader open the index afresh). */
static silk_status_t write_stub(const char *index, unsigned nshards, char **msg)
{
    char path[PATH_MAX], tmp[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", index, SILK_SHARD_STUB);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp-%ld", index, SILK_SHARD_STUB, (long)getpid());
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return SILK_ERR_NOMEM;
    fprintf(mem,
            "%s%u\n# Written by silk-index: the shards of this index as one database. To add\n"
            "# remote shards, write a stub of your own (docs/scale-out.md).\n%s %s\n",
            SILK_SHARD_STUB_HEAD, nshards, "meta", SILK_SHARD_META);
    for (unsigned k = 0; k < nshards; k++)
        fprintf(mem, "glass shard-%u\n", k);
    if (fclose(mem) != 0) {
        free(text);
        return SILK_ERR_NOMEM;
    }
    silk_status_t st = SILK_OK;
    char old[4096];
    FILE *f = fopen(path, "re");
    size_t n = f ? fread(old, 1, sizeof old, f) : 0;
    if (f)
        fclose(f);
    if (f && n == len && memcmp(old, text, len) == 0)
        goto out;
    /* A fresh file, never a link planted under the temporary name. */
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && !f)
        close(fd);
    if (!f || fwrite(text, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0) {
        st = silk_index_fail(msg, SILK_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
        if (f)
            fclose(f);
        unlink(tmp);
        goto out;
    }
    fclose(f);
    if (rename(tmp, path) != 0) {
        st = silk_index_fail(msg, SILK_ERR_IO, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
out:
    free(text);
    return st;
}

/* ---- the run ------------------------------------------------------------------------------- */

silk_status_t silk_shard_run(const silk_index_opts_t *opts, unsigned nshards, int only,
                             silk_index_summary_t *sum, char **msg)
{
    shared_t sh = {0};
    silk_status_t st = SILK_OK;
    char *err = NULL;
    struct stat sb;
    if (msg)
        *msg = NULL;
    memset(sum, 0, sizeof *sum);
    clock_gettime(CLOCK_MONOTONIC, &sh.t0);
    pthread_mutex_init(&sh.mu, NULL);
    pthread_cond_init(&sh.cv, NULL);
    if (is_file(opts->index)) {
        st = silk_index_fail(&err, SILK_ERR_INVALID,
                             "%s is a file (a stub?): index the folder of the shards instead",
                             opts->index);
        goto out;
    }
    if (!nshards && silk_shard_not_plain(opts->index)) {
        st = silk_index_fail(&err, SILK_ERR_INVALID,
                             "%s holds shards built one by one: say which with --shard K/N",
                             opts->index);
        goto out;
    }
    if (nshards < 1 || nshards > SILK_SHARD_MAX || (only >= 0 && (unsigned)only >= nshards)) {
        st = silk_index_fail(&err, SILK_ERR_INVALID,
                             "bad shard numbers (%d of %u; at most %d shards)", only, nshards,
                             SILK_SHARD_MAX);
        goto out;
    }
    const char *index = opts->index;
    if (silk_index_is_db(index)) {
        st = silk_index_fail(
            &err, SILK_ERR_INVALID,
            "%s is a single-database index: shard into another folder (or remove it)", index);
        goto out;
    }
    char stub[PATH_MAX];
    snprintf(stub, sizeof stub, "%s/%s", index, SILK_SHARD_STUB);
    unsigned had = silk_shard_count(index);
    if (!had && lstat(stub, &sb) == 0) {
        st = silk_index_fail(&err, SILK_ERR_INVALID,
                             "%s was not written by silk-index: not touching that index", stub);
        goto out;
    }
    if (had && had != nshards && (only >= 0 || !opts->full)) {
        st = silk_index_fail(&err, SILK_ERR_INVALID,
                             "%s has %u shards, not %u: changing the number of shards needs --full",
                             index, had, nshards);
        goto out;
    }
    if (silk_fs_mkdir_p(index, 0777) != 0) {
        st = silk_index_fail(&err, SILK_ERR_IO, "cannot create %s: %s", index, strerror(errno));
        goto out;
    }
    sh.uo = opts;
    sh.njobs = only >= 0 ? 1 : nshards;
    if (!(sh.notes = json_object()) || !(sh.jobs = calloc(sh.njobs, sizeof *sh.jobs))) {
        st = SILK_ERR_NOMEM;
        goto out;
    }
    for (unsigned i = 0; i < sh.njobs; i++) {
        job_t *j = &sh.jobs[i];
        j->sh = &sh;
        j->k = only >= 0 ? (unsigned)only : i;
        snprintf(j->path, sizeof j->path, "%s/shard-%u", index, j->k);
        j->o = *opts;
        j->o.index = j->path;
        j->o.progress = on_progress;
        j->o.jobs = 1; /* the shards are the parallel parts */
        j->o.note = on_note;
        j->o.ud = j;
        j->part.nparts = nshards;
        j->part.part = j->k;
        j->part.before_commit = before_commit;
        j->part.ud = j;
    }
    /* Threads are started under the lock so that a run failing at once cannot see a
     * partial set (the barrier counts on njobs). */
    pthread_mutex_lock(&sh.mu);
    for (unsigned i = 0; i < sh.njobs; i++) {
        if (pthread_create(&sh.jobs[i].th, NULL, run_job, &sh.jobs[i]) != 0) {
            sh.failed = 1;
            pthread_cond_broadcast(&sh.cv);
            st = silk_index_fail(&err, SILK_ERR_NOMEM, "cannot start a thread for shard %u", i);
            break;
        }
        sh.jobs[i].started = 1;
    }
    pthread_mutex_unlock(&sh.mu);
    sum->up_to_date = 1;
    for (unsigned i = 0; i < sh.njobs; i++) {
        job_t *j = &sh.jobs[i];
        if (!j->started)
            continue;
        pthread_join(j->th, NULL);
        silk_index_summary_add(sum, &j->sum);
        /* The first real failure is the message; "another shard failed" is its echo. */
        if (j->st != SILK_OK && (st == SILK_OK || (err && strstr(err, "another shard")))) {
            st = j->st;
            free(err);
            err = NULL;
            silk_index_fail(&err, j->st, "shard %u: %s", j->k,
                            j->msg ? j->msg : silk_status_to_string(st));
        }
    }
    /* What the corpus scan found outside any shard's files (an ignored file, an unreadable
     * folder) was counted by every shard: once is right. */
    sum->files_skipped -= sh.dup_problems;
    sum->problems -= sh.dup_problems;
    sum->files_ignored -= sh.dup_notes;
    if (st != SILK_OK)
        goto out;
    /* meta/ first, then the stub: a first build becomes openable only once it is whole. */
    int meta_changed = 0;
    uint64_t meta_rev = 0;
    if ((st = update_meta(index, nshards, &meta_changed, &meta_rev, &err)) != SILK_OK)
        goto out;
    if (meta_changed)
        sum->up_to_date = 0;
    sum->revision += meta_rev;
    if (only < 0) {
        if ((st = write_stub(index, nshards, &err)) != SILK_OK)
            goto out;
        /* Shards beyond a smaller new number (a --full reshard) are no longer listed. */
        for (unsigned k = nshards; k < had; k++) {
            char p[PATH_MAX];
            snprintf(p, sizeof p, "%s/shard-%u", index, k);
            silk_fs_rm_tree(p);
        }
    }
out:
    sum->elapsed = silk_index_since(&sh.t0);
    for (unsigned i = 0; sh.jobs && i < sh.njobs; i++)
        free(sh.jobs[i].msg);
    free(sh.jobs);
    json_decref(sh.notes);
    pthread_cond_destroy(&sh.cv);
    pthread_mutex_destroy(&sh.mu);
    if (st != SILK_OK && msg)
        *msg = err ? err : strdup(silk_status_to_string(st));
    else
        free(err);
    return st;
}
