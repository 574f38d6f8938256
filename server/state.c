/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — server-wide state (see state.h). */
#include "state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct silkd_server {
    const silkd_config_t *cfg;          /* immutable after start */
    uint64_t start_ns;                  /* uv_hrtime() at start */
    _Atomic uint64_t generation;        /* bumped when the index may have changed */
    _Atomic uint64_t fresh;             /* bumped when readers must open the index afresh */
    _Atomic uint64_t fresh_opens;       /* fresh opens the workers made */
    _Atomic unsigned connections;       /* connections open now */
    _Atomic uint64_t connections_total; /* connections accepted since start */
    _Atomic uint64_t rejected;          /* connections refused as overloaded */
    _Atomic int admit_waiting;          /* the main loop holds connections for a slot */
    _Atomic size_t output;              /* unsent answer bytes of every connection */
    _Atomic unsigned workers_done;      /* worker threads that finished */
    uv_async_t *main_wake;              /* wakes the main loop (owned by main) */
    uv_mutex_t lock;                    /* guards last_reindex */
    char *last_reindex;                 /* JSON object text of the reindex state, or NULL */
    silkd_counters_t *counters;         /* cfg->threads sets, one per worker */
};

/* ---- histogram ----------------------------------------------------------------------------- */

unsigned silkd_hist_bucket(uint64_t ns)
{
    if (ns < 16)
        return (unsigned)ns;
    unsigned e = 63u - (unsigned)__builtin_clzll(ns);
    unsigned sub = (unsigned)(ns >> (e - 3)) & (SILKD_HIST_SUB - 1);
    unsigned b = 16 + (e - 4) * SILKD_HIST_SUB + sub;
    return b < SILKD_HIST_BUCKETS ? b : SILKD_HIST_BUCKETS - 1;
}

double silkd_hist_value(unsigned b)
{
    if (b < 16)
        return b;
    unsigned e = (b - 16) / SILKD_HIST_SUB + 4, sub = (b - 16) % SILKD_HIST_SUB;
    double step = ldexp(1.0, (int)e - 3);
    return ldexp(1.0, (int)e) + sub * step + step / 2;
}

double silkd_totals_quantile(const silkd_totals_t *t, double q)
{
    if (!t->samples)
        return 0;
    uint64_t want = (uint64_t)ceil(q * (double)t->samples), cum = 0;
    for (unsigned b = 0; b < SILKD_HIST_BUCKETS; b++) {
        cum += t->hist[b];
        if (cum >= want)
            return silkd_hist_value(b);
    }
    return silkd_hist_value(SILKD_HIST_BUCKETS - 1);
}

/* ---- lifetime ------------------------------------------------------------------------------ */

silk_status_t silkd_server_new(const silkd_config_t *cfg, silkd_server_t **out)
{
    *out = NULL;
    silkd_server_t *s = calloc(1, sizeof *s);
    if (!s)
        return SILK_ERR_NOMEM;
    s->counters = calloc(cfg->threads ? cfg->threads : 1, sizeof *s->counters);
    if (!s->counters || uv_mutex_init(&s->lock) != 0) {
        free(s->counters);
        free(s);
        return SILK_ERR_NOMEM;
    }
    s->cfg = cfg;
    s->start_ns = uv_hrtime();
    *out = s;
    return SILK_OK;
}

void silkd_server_destroy(silkd_server_t *s)
{
    if (!s)
        return;
    uv_mutex_destroy(&s->lock);
    free(s->last_reindex);
    free(s->counters);
    free(s);
}

const silkd_config_t *silkd_server_config(const silkd_server_t *s)
{
    return s->cfg;
}

uint64_t silkd_server_uptime_ns(const silkd_server_t *s)
{
    return uv_hrtime() - s->start_ns;
}

/* ---- generation ---------------------------------------------------------------------------- */

void silkd_server_bump(silkd_server_t *s, const char *why)
{
    uint64_t g = atomic_fetch_add_explicit(&s->generation, 1, memory_order_release) + 1;
    silkd_log(SILKD_LOG_INFO, "%s: index generation %llu", why, (unsigned long long)g);
}

void silkd_server_force_fresh(silkd_server_t *s, const char *why)
{
    atomic_fetch_add_explicit(&s->fresh, 1, memory_order_release);
    silkd_server_bump(s, why);
}

uint64_t silkd_server_fresh(const silkd_server_t *s)
{
    return atomic_load_explicit(&s->fresh, memory_order_acquire);
}

void silkd_server_count_fresh_open(silkd_server_t *s)
{
    atomic_fetch_add_explicit(&s->fresh_opens, 1, memory_order_relaxed);
}

uint64_t silkd_server_fresh_opens(const silkd_server_t *s)
{
    return atomic_load_explicit(&s->fresh_opens, memory_order_relaxed);
}

uint64_t silkd_server_generation(const silkd_server_t *s)
{
    /* Acquire pairs with the bump's release: whatever the bumper wrote before (a commit's
     * revision) is visible to the reader that sees the new number. */
    return atomic_load_explicit(&s->generation, memory_order_acquire);
}

/* ---- connections --------------------------------------------------------------------------- */

int silkd_server_conn_admit(silkd_server_t *s)
{
    /* Only the main loop admits, so the check and the increment need not be one step:
     * workers only ever lower the count meanwhile. */
    if (atomic_load(&s->connections) >= s->cfg->max_connections)
        return 0;
    atomic_fetch_add(&s->connections, 1);
    atomic_fetch_add(&s->connections_total, 1);
    return 1;
}

void silkd_server_conn_refused(silkd_server_t *s)
{
    atomic_fetch_add(&s->rejected, 1);
}

void silkd_server_conn_closed(silkd_server_t *s)
{
    atomic_fetch_sub(&s->connections, 1);
    /* A slot is free: a connection the main loop holds can have it now. Only then, so the
     * common close costs no wake-up. */
    if (atomic_load_explicit(&s->admit_waiting, memory_order_relaxed))
        silkd_server_wake_main(s);
}

void silkd_server_set_admit_waiting(silkd_server_t *s, int waiting)
{
    atomic_store(&s->admit_waiting, waiting);
}

unsigned silkd_server_conns_open(const silkd_server_t *s)
{
    return atomic_load(&s->connections);
}

uint64_t silkd_server_conns_total(const silkd_server_t *s)
{
    return atomic_load(&s->connections_total);
}

uint64_t silkd_server_conns_rejected(const silkd_server_t *s)
{
    return atomic_load(&s->rejected);
}

/* ---- counters ------------------------------------------------------------------------------ */

_Atomic size_t *silkd_server_output(silkd_server_t *s)
{
    return &s->output;
}

silkd_counters_t *silkd_server_counters(silkd_server_t *s, unsigned index)
{
    return &s->counters[index];
}

void silkd_server_totals(silkd_server_t *s, silkd_totals_t *out)
{
    memset(out, 0, sizeof *out);
    for (unsigned i = 0; i < s->cfg->threads; i++) {
        silkd_counters_t *k = &s->counters[i];
        out->requests += atomic_load_explicit(&k->requests, memory_order_relaxed);
        out->queries += atomic_load_explicit(&k->queries, memory_order_relaxed);
        for (unsigned c = 0; c < SILK_PROTO_NCODES; c++)
            out->errors[c] += atomic_load_explicit(&k->errors[c], memory_order_relaxed);
        for (unsigned b = 0; b < SILKD_HIST_BUCKETS; b++) {
            uint64_t v = atomic_load_explicit(&k->hist[b], memory_order_relaxed);
            out->hist[b] += v;
            out->samples += v;
        }
    }
    /* A refused connection got an overloaded answer from the main loop, which has no
     * counters of its own: count it with the errors, so `stats` shows every refusal. */
    out->errors[SILK_PROTO_OVERLOADED] += atomic_load(&s->rejected);
}

/* ---- reindex state ------------------------------------------------------------------------- */

void silkd_server_set_reindex(silkd_server_t *s, char *json)
{
    uv_mutex_lock(&s->lock);
    char *old = s->last_reindex;
    s->last_reindex = json;
    uv_mutex_unlock(&s->lock);
    free(old);
}

char *silkd_server_reindex(silkd_server_t *s)
{
    uv_mutex_lock(&s->lock);
    char *copy = s->last_reindex ? strdup(s->last_reindex) : NULL;
    uv_mutex_unlock(&s->lock);
    return copy;
}

/* ---- shutdown ------------------------------------------------------------------------------ */

void silkd_server_set_wake(silkd_server_t *s, uv_async_t *wake)
{
    s->main_wake = wake;
}

void silkd_server_wake_main(silkd_server_t *s)
{
    if (s->main_wake)
        uv_async_send(s->main_wake);
}

void silkd_server_worker_done(silkd_server_t *s)
{
    atomic_fetch_add(&s->workers_done, 1);
    silkd_server_wake_main(s);
}

unsigned silkd_server_workers_done(const silkd_server_t *s)
{
    return atomic_load(&s->workers_done);
}
