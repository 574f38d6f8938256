/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the configuration file (include/silk/config.h). */
#include "silk/config.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the vocabulary ------------------------------------------------------------------------ */

/* Every key of every section, so that all three programs refuse the same files: a key is
 * the long option it sets (silkd --max-line is `max-line` under [daemon]). A NULL list: the
 * section's keys are checked by the module that reads them (the searcher's [ranking]). */
static const char *const paths_keys[] = {"corpus", "index", "socket", NULL};
static const char *const daemon_keys[] = {
    "listen",
    "token-file",
    "threads",
    "watch",
    "watch-delay",
    "watch-max-delay",
    "reindex-timeout",
    "shutdown-timeout",
    "idle-timeout",
    "max-connections",
    "max-line",
    "max-inflight",
    "max-output",
    "max-output-total",
    "query-time-limit",
    "remote-timeout",
    "log-level",
    "indexer",
    "allow-remote-programs",
    NULL,
};
static const char *const indexer_keys[] = {"max-size", "shards",  "jobs", "flush-mb",
                                           "quiet",    "no-wait", NULL};
static const char *const client_keys[] = {"limit", "color", "any", "json", "format", "start", NULL};

static const struct {
    const char *name;
    const char *const *keys;
} sections[] = {
    {"paths", paths_keys},   {"daemon", daemon_keys}, {"indexer", indexer_keys},
    {"client", client_keys}, {"ranking", NULL},
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

/* ---- the loaded file ----------------------------------------------------------------------- */

struct silk_config {
    char *path;                   /* where it was loaded from; NULL: no file */
    silk_config_entry_t *entries; /* in file order; strings owned */
    size_t n, cap;                /* entries used and allocated */
};

/* What the reader and the handler share while inih parses. */
typedef struct {
    silk_config_t *cfg;
    FILE *f;
    unsigned line;  /* lines read so far: the line inih is handling */
    unsigned eline; /* the line of the first error found here, 0 none */
    char emsg[256]; /* its text */
    int nomem;      /* an allocation failed */
    char *buf;      /* getline's buffer */
    size_t buf_cap; /* its size */
} parse_t;

static void fail_at(parse_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail_at(parse_t *p, const char *fmt, ...)
{
    if (p->eline)
        return;
    p->eline = p->line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->emsg, sizeof p->emsg, fmt, ap);
    va_end(ap);
}

/* inih reads through this: one whole line per call, so that its line count and ours agree.
 * Leading blanks are dropped, because inih would take an indented line for the
 * continuation of the previous value; a line too long for inih's buffer is an error
 * (inih would split it in two). */
static char *read_line(char *str, int num, void *stream)
{
    parse_t *p = stream;
    ssize_t len = getline(&p->buf, &p->buf_cap, p->f);
    if (len < 0)
        return NULL;
    p->line++;
    const char *s = p->buf;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    if (n > 0 && s[n - 1] == '\n')
        n--;
    if (n > 0 && s[n - 1] == '\r')
        n--;
    if ((size_t)len != strlen(p->buf)) {
        fail_at(p, "a NUL byte in the line");
        s = "", n = 0;
    } else if (num < 2 || n > (size_t)num - 2) {
        fail_at(p, "the line is longer than %d bytes", num - 2);
        s = "", n = 0;
    }
    memcpy(str, s, n);
    str[n] = '\n';
    str[n + 1] = '\0';
    return str;
}

static int known_key(const char *const *keys, const char *key)
{
    for (; *keys; keys++)
        if (!strcmp(*keys, key))
            return 1;
    return 0;
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    parse_t *p = user;
    silk_config_t *cfg = p->cfg;
    if (!*section) {
        fail_at(p,
                "'%s' is outside any section (put it under [paths], [daemon], [indexer] or "
                "[client])",
                key);
        return 0;
    }
    if (!*key) {
        fail_at(p, "a value without a key");
        return 0;
    }
    size_t s;
    for (s = 0; s < NSECTIONS && strcmp(sections[s].name, section); s++)
        ;
    if (s == NSECTIONS) {
        fail_at(p,
                "unknown section [%s] (silk knows [paths], [daemon], [indexer], [client] and "
                "[ranking])",
                section);
        return 0;
    }
    if (sections[s].keys && !known_key(sections[s].keys, key)) {
        fail_at(p, "unknown key '%s' in [%s]", key, section);
        return 0;
    }
    const silk_config_entry_t *before = silk_config_get(cfg, section, key);
    if (before) {
        fail_at(p, "'%s' is set twice in [%s] (first on line %u)", key, section, before->line);
        return 0;
    }
    if (cfg->n == cfg->cap) {
        size_t ncap = cfg->cap ? 2 * cfg->cap : 16;
        silk_config_entry_t *e = realloc(cfg->entries, ncap * sizeof *e);
        if (!e) {
            p->nomem = 1;
            return 0;
        }
        cfg->entries = e;
        cfg->cap = ncap;
    }
    silk_config_entry_t *e = &cfg->entries[cfg->n];
    e->section = strdup(section);
    e->key = strdup(key);
    e->value = strdup(value);
    e->line = p->line;
    if (!e->section || !e->key || !e->value) {
        free((char *)e->section);
        free((char *)e->key);
        free((char *)e->value);
        p->nomem = 1;
        return 0;
    }
    cfg->n++;
    return 1;
}

static silk_status_t set_err(char **err, silk_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static silk_status_t set_err(char **err, silk_status_t st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        if (vasprintf(err, fmt, ap) < 0)
            *err = NULL;
        va_end(ap);
    }
    return st;
}

static silk_status_t new_config(const char *path, silk_config_t **out)
{
    silk_config_t *cfg = calloc(1, sizeof *cfg);
    if (!cfg || (path && !(cfg->path = strdup(path)))) {
        free(cfg);
        return SILK_ERR_NOMEM;
    }
    *out = cfg;
    return SILK_OK;
}

silk_status_t silk_config_load(const char *path, silk_config_t **out, char **err)
{
    *out = NULL;
    if (err)
        *err = NULL;
    FILE *f = fopen(path, "re");
    if (!f)
        return set_err(err, errno == ENOENT ? SILK_ERR_NOT_FOUND : SILK_ERR_IO,
                       "cannot read the configuration file %s: %s", path, strerror(errno));
    silk_config_t *cfg;
    if (new_config(path, &cfg) != SILK_OK) {
        fclose(f);
        return set_err(err, SILK_ERR_NOMEM, "out of memory");
    }
    parse_t p = {.cfg = cfg, .f = f};
    int rc = ini_parse_stream(read_line, &p, on_entry, &p);
    int read_error = ferror(f);
    free(p.buf);
    fclose(f);
    silk_status_t st = SILK_OK;
    if (p.nomem || rc == -2)
        st = set_err(err, SILK_ERR_NOMEM, "out of memory");
    else if (read_error)
        st = set_err(err, SILK_ERR_IO, "%s: read error", path);
    else if (p.eline && (rc <= 0 || (unsigned)rc >= p.eline))
        st = set_err(err, SILK_ERR_INVALID, "%s:%u: %s", path, p.eline, p.emsg);
    else if (rc > 0)
        st = set_err(err, SILK_ERR_INVALID,
                     "%s:%d: not `key = value`, `[section]` or a comment (a # or ; first)", path,
                     rc);
    else if (rc < 0)
        st = set_err(err, SILK_ERR_IO, "%s: cannot be parsed", path);
    if (st != SILK_OK) {
        silk_config_destroy(cfg);
        return st;
    }
    *out = cfg;
    return SILK_OK;
}

/* ---- where the file is --------------------------------------------------------------------- */

static const char *env_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

int silk_config_locate(const char *arg, char *out, size_t cap)
{
    const char *v;
    int n, asked = 1;
    if (arg)
        n = snprintf(out, cap, "%s", arg);
    else if ((v = env_set("SILK_CONFIG")))
        n = snprintf(out, cap, "%s", v);
    else {
        asked = 0;
        if ((v = env_set("XDG_CONFIG_HOME")) && v[0] == '/')
            n = snprintf(out, cap, "%s/silk/silk.conf", v);
        else if ((v = env_set("HOME")))
            n = snprintf(out, cap, "%s/.config/silk/silk.conf", v);
        else
            n = snprintf(out, cap, "%s", SILK_CONFIG_SYSTEM);
    }
    if (n < 0 || (size_t)n >= cap)
        return -1;
    return asked;
}

silk_status_t silk_config_open(const char *arg, silk_config_t **out, char **err)
{
    char path[4096];
    *out = NULL;
    if (err)
        *err = NULL;
    int asked = silk_config_locate(arg, path, sizeof path);
    if (asked < 0)
        return set_err(err, SILK_ERR_INVALID, "the configuration file's path is too long");
    silk_status_t st = silk_config_load(path, out, err);
    if (st != SILK_ERR_NOT_FOUND || asked)
        return st;
    if (err) {
        free(*err);
        *err = NULL;
    }
    if (strcmp(path, SILK_CONFIG_SYSTEM) != 0) {
        st = silk_config_load(SILK_CONFIG_SYSTEM, out, err);
        if (st != SILK_ERR_NOT_FOUND)
            return st;
        if (err) {
            free(*err);
            *err = NULL;
        }
    }
    return new_config(NULL, out) == SILK_OK ? SILK_OK
                                            : set_err(err, SILK_ERR_NOMEM, "out of memory");
}

/* ---- reading it ---------------------------------------------------------------------------- */

const char *silk_config_file(const silk_config_t *cfg)
{
    return cfg ? cfg->path : NULL;
}

const silk_config_entry_t *silk_config_get(const silk_config_t *cfg, const char *section,
                                           const char *key)
{
    for (size_t i = 0; cfg && i < cfg->n; i++)
        if (!strcmp(cfg->entries[i].section, section) && !strcmp(cfg->entries[i].key, key))
            return &cfg->entries[i];
    return NULL;
}

const silk_config_entry_t *silk_config_next(const silk_config_t *cfg, const char *section,
                                            const silk_config_entry_t *prev)
{
    if (!cfg || !cfg->n)
        return NULL;
    size_t i = prev ? (size_t)(prev - cfg->entries) + 1 : 0;
    for (; i < cfg->n; i++)
        if (!section || !strcmp(cfg->entries[i].section, section))
            return &cfg->entries[i];
    return NULL;
}

const char *silk_config_where(const silk_config_t *cfg, const silk_config_entry_t *e, char *buf,
                              size_t cap)
{
    if (cap)
        snprintf(buf, cap, "%s:%u", cfg && cfg->path ? cfg->path : "(config)", e ? e->line : 0);
    return buf;
}

int silk_config_bool(const char *value)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(value, yes[i]))
            return 1;
        if (!strcasecmp(value, no[i]))
            return 0;
    }
    return -1;
}

silk_status_t silk_config_path(const silk_config_t *cfg, const silk_config_entry_t *e, char **out,
                               char **err)
{
    char where[512];
    const char *v = e->value;
    int n;
    *out = NULL;
    if (err)
        *err = NULL;
    if (!*v)
        return set_err(err, SILK_ERR_INVALID, "%s: %s wants a path",
                       silk_config_where(cfg, e, where, sizeof where), e->key);
    if (v[0] == '~' && (v[1] == '\0' || v[1] == '/')) {
        const char *home = env_set("HOME");
        if (!home)
            return set_err(err, SILK_ERR_INVALID, "%s: %s starts with ~ but $HOME is not set",
                           silk_config_where(cfg, e, where, sizeof where), e->key);
        n = asprintf(out, "%s%s", home, v + 1);
    } else if (v[0] == '/' || !cfg || !cfg->path || !strchr(cfg->path, '/')) {
        n = asprintf(out, "%s", v);
    } else {
        /* Relative to the file's folder, so that the file means the same from any folder. */
        int dir_len = (int)(strrchr(cfg->path, '/') - cfg->path);
        n = asprintf(out, "%.*s/%s", dir_len, cfg->path, v);
    }
    if (n < 0) {
        *out = NULL;
        return set_err(err, SILK_ERR_NOMEM, "out of memory");
    }
    return SILK_OK;
}

void silk_config_destroy(silk_config_t *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n; i++) {
        free((char *)cfg->entries[i].section);
        free((char *)cfg->entries[i].key);
        free((char *)cfg->entries[i].value);
    }
    free(cfg->entries);
    free(cfg->path);
    free(cfg);
}
