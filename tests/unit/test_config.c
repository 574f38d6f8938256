/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The configuration file (include/silk/config.h, lib/config.c): entries with their lines,
 * the vocabulary, FILE:LINE errors, the lookup order, booleans and paths. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "silk/config.h"
#include "support.h"

static silk_tmpdir_t tmp;

static int setup(void **state)
{
    (void)state;
    return silk_tmpdir_make(&tmp, "config");
}

static int teardown(void **state)
{
    (void)state;
    return silk_tmpdir_remove(&tmp);
}

/* Writes text as t->dir/name and returns its path (static buffer). */
static const char *conf_file(const char *name, const char *text)
{
    static char path[1024];
    silk_tmpdir_path(&tmp, path, sizeof path, "%s", name);
    silk_write_file(path, text);
    return path;
}

/* Loads text and expects it refused with a message containing want (after "PATH:"). */
static void expect_error(const char *text, const char *want)
{
    const char *path = conf_file("bad.conf", text);
    silk_config_t *cfg = (silk_config_t *)1;
    char *err = NULL;
    assert_int_equal(silk_config_load(path, &cfg, &err), SILK_ERR_INVALID);
    assert_null(cfg);
    assert_non_null(err);
    if (strncmp(err, path, strlen(path)) != 0 || !strstr(err, want)) {
        fprintf(stderr, "got: %s\nwant: %s: ...%s...\n", err, path, want);
        fail();
    }
    free(err);
}

static void test_load_entries(void **state)
{
    (void)state;
    const char *path = conf_file("good.conf", "# a comment\n"
                                              "; another\n"
                                              "\n"
                                              "[paths]\n"
                                              "index = /srv/silk/index\n"
                                              "  corpus=articles   ; inline comment\n"
                                              "[daemon]\n"
                                              "max-line = 1000\n"
                                              "listen = 127.0.0.1:7700\n"
                                              "log-level =\n"
                                              "[ranking]\n"
                                              "k1 = 1.2\n"
                                              "title-weight = 3 # kept: # is not inline\n");
    silk_config_t *cfg = NULL;
    char *err = NULL;
    assert_int_equal(silk_config_load(path, &cfg, &err), SILK_OK);
    assert_null(err);
    assert_string_equal(silk_config_file(cfg), path);

    const silk_config_entry_t *e = silk_config_get(cfg, "paths", "index");
    assert_non_null(e);
    assert_string_equal(e->value, "/srv/silk/index");
    assert_int_equal(e->line, 5);
    e = silk_config_get(cfg, "paths", "corpus"); /* indented: a key, not a continuation */
    assert_non_null(e);
    assert_string_equal(e->value, "articles");
    assert_int_equal(e->line, 6);
    e = silk_config_get(cfg, "daemon", "log-level");
    assert_non_null(e);
    assert_string_equal(e->value, "");
    assert_null(silk_config_get(cfg, "daemon", "threads"));
    assert_null(silk_config_get(cfg, "paths", "max-line")); /* keys are per section */
    assert_null(silk_config_get(NULL, "paths", "index"));

    /* Iterating one section, in file order, with lines: what the searcher gets. */
    e = silk_config_next(cfg, "ranking", NULL);
    assert_non_null(e);
    assert_string_equal(e->key, "k1");
    assert_string_equal(e->value, "1.2");
    assert_int_equal(e->line, 12);
    e = silk_config_next(cfg, "ranking", e);
    assert_non_null(e);
    assert_string_equal(e->key, "title-weight");
    assert_string_equal(e->value, "3 # kept: # is not inline");
    assert_null(silk_config_next(cfg, "ranking", e));
    assert_null(silk_config_next(cfg, "client", NULL));
    int n = 0;
    for (e = NULL; (e = silk_config_next(cfg, NULL, e));)
        n++;
    assert_int_equal(n, 7);

    char where[1200], want[1200];
    e = silk_config_get(cfg, "daemon", "max-line");
    snprintf(want, sizeof want, "%s:8", path);
    assert_string_equal(silk_config_where(cfg, e, where, sizeof where), want);
    silk_config_destroy(cfg);
    silk_config_destroy(NULL);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("[paths]\nindex = x\nnot a setting\n", ":3: not `key = value`");
    expect_error("[paths\nindex = x\n", ":1: not `key = value`");
    expect_error("index = x\n", ":1: 'index' is outside any section");
    expect_error("[paths]\nindex = a\n\n[daemon]\n[paths]\nindex = b\n",
                 ":6: 'index' is set twice in [paths] (first on line 2)");
    expect_error("[daemon]\nmax-line = 1\nmax-lines = 2\n",
                 ":3: unknown key 'max-lines' in [daemon]");
    expect_error("[client]\nlimit = 1\n[server]\nthreads = 2\n", ":4: unknown section [server]");
    expect_error("[paths]\n= x\n", ":2:");
    /* The daemon's keys belong in [daemon], not in [client]. */
    expect_error("[client]\nmax-line = 5\n", ":2: unknown key 'max-line' in [client]");

    /* A line too long for inih is refused, not cut in two. */
    char big[400];
    int n = snprintf(big, sizeof big, "[paths]\nindex = /");
    memset(big + n, 'a', 300);
    snprintf(big + n + 300, sizeof big - (size_t)n - 300, "\n");
    expect_error(big, ":2: the line is longer than");

    /* A NUL byte in a line. */
    char path[1024];
    silk_tmpdir_path(&tmp, path, sizeof path, "nul.conf");
    silk_write_bytes(path, "[paths]\nindex = a\0b\n", 20);
    silk_config_t *cfg = NULL;
    char *err = NULL;
    assert_int_equal(silk_config_load(path, &cfg, &err), SILK_ERR_INVALID);
    assert_non_null(strstr(err, ":2: a NUL byte"));
    free(err);

    /* The first error is the one reported. */
    expect_error("[paths]\nbogus = 1\nnot a setting\n", ":2: unknown key 'bogus'");
    expect_error("[paths]\nnot a setting\nbogus = 1\n", ":2: not `key = value`");

    /* A file that is not there, or not readable. */
    silk_tmpdir_path(&tmp, path, sizeof path, "missing.conf");
    assert_int_equal(silk_config_load(path, &cfg, &err), SILK_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "No such file"));
    free(err);
    if (geteuid() != 0) {
        const char *p = conf_file("secret.conf", "[paths]\n");
        assert_int_equal(chmod(p, 0), 0);
        assert_int_equal(silk_config_load(p, &cfg, &err), SILK_ERR_IO);
        free(err);
    }
}

static void test_bool(void **state)
{
    (void)state;
    const char *yes[] = {"true", "TRUE", "yes", "on", "1"};
    const char *no[] = {"false", "No", "off", "0"};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(silk_config_bool(yes[i]), 1);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(silk_config_bool(no[i]), 0);
    assert_int_equal(silk_config_bool(""), -1);
    assert_int_equal(silk_config_bool("2"), -1);
    assert_int_equal(silk_config_bool("truthy"), -1);
}

static void test_paths(void **state)
{
    (void)state;
    const char *path = conf_file("sub/p.conf", "[paths]\n"
                                               "index = ~/idx\n"
                                               "corpus = articles\n"
                                               "socket = /run/s.sock\n"
                                               "[daemon]\n"
                                               "token-file =\n"
                                               "indexer = ~\n");
    silk_config_t *cfg = NULL;
    char *err = NULL, *out = NULL, want[1200];
    assert_int_equal(silk_config_load(path, &cfg, &err), SILK_OK);
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", "/home/me", 1);

    assert_int_equal(silk_config_path(cfg, silk_config_get(cfg, "paths", "index"), &out, &err),
                     SILK_OK);
    assert_string_equal(out, "/home/me/idx");
    free(out);
    /* Relative: to the file's folder, whatever the current folder. */
    assert_int_equal(silk_config_path(cfg, silk_config_get(cfg, "paths", "corpus"), &out, &err),
                     SILK_OK);
    snprintf(want, sizeof want, "%s/sub/articles", tmp.dir);
    assert_string_equal(out, want);
    free(out);
    assert_int_equal(silk_config_path(cfg, silk_config_get(cfg, "paths", "socket"), &out, &err),
                     SILK_OK);
    assert_string_equal(out, "/run/s.sock");
    free(out);
    assert_int_equal(silk_config_path(cfg, silk_config_get(cfg, "daemon", "indexer"), &out, &err),
                     SILK_OK);
    assert_string_equal(out, "/home/me");
    free(out);
    /* Empty: an error naming the line. */
    assert_int_equal(
        silk_config_path(cfg, silk_config_get(cfg, "daemon", "token-file"), &out, &err),
        SILK_ERR_INVALID);
    assert_null(out);
    assert_non_null(strstr(err, ":6: token-file wants a path"));
    free(err);
    /* ~ without $HOME. */
    unsetenv("HOME");
    assert_int_equal(silk_config_path(cfg, silk_config_get(cfg, "paths", "index"), &out, &err),
                     SILK_ERR_INVALID);
    assert_non_null(strstr(err, ":2: index starts with ~"));
    free(err);

    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_home);
    silk_config_destroy(cfg);
}

/* Sets or (value NULL) unsets an environment variable. */
static void set_env(const char *name, const char *value)
{
    if (value)
        assert_int_equal(setenv(name, value, 1), 0);
    else
        assert_int_equal(unsetenv(name), 0);
}

static void test_locate(void **state)
{
    (void)state;
    const char *names[] = {"SILK_CONFIG", "XDG_CONFIG_HOME", "HOME"};
    char *old[3];
    for (int i = 0; i < 3; i++)
        old[i] = getenv(names[i]) ? strdup(getenv(names[i])) : NULL;
    char out[256];

    set_env("SILK_CONFIG", "/env/silk.conf");
    set_env("XDG_CONFIG_HOME", "/xdg");
    set_env("HOME", "/home/me");
    assert_int_equal(silk_config_locate("/arg.conf", out, sizeof out), 1);
    assert_string_equal(out, "/arg.conf");
    assert_int_equal(silk_config_locate(NULL, out, sizeof out), 1);
    assert_string_equal(out, "/env/silk.conf");
    set_env("SILK_CONFIG", "");
    assert_int_equal(silk_config_locate(NULL, out, sizeof out), 0);
    assert_string_equal(out, "/xdg/silk/silk.conf");
    set_env("XDG_CONFIG_HOME", "relative"); /* ignored, as the XDG rules say */
    assert_int_equal(silk_config_locate(NULL, out, sizeof out), 0);
    assert_string_equal(out, "/home/me/.config/silk/silk.conf");
    set_env("XDG_CONFIG_HOME", NULL);
    set_env("HOME", NULL);
    assert_int_equal(silk_config_locate(NULL, out, sizeof out), 0);
    assert_string_equal(out, SILK_CONFIG_SYSTEM);
    assert_int_equal(silk_config_locate("/a/long/name.conf", out, 5), -1);

    for (int i = 0; i < 3; i++) {
        set_env(names[i], old[i]);
        free(old[i]);
    }
}

static void test_open(void **state)
{
    (void)state;
    char *old_sc = getenv("SILK_CONFIG") ? strdup(getenv("SILK_CONFIG")) : NULL;
    char *old_xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
    silk_config_t *cfg = NULL;
    char *err = NULL, dir[1024], missing[1100];

    /* Asked for and missing: an error, whichever way it was asked for. */
    silk_tmpdir_path(&tmp, missing, sizeof missing, "nope.conf");
    set_env("SILK_CONFIG", NULL);
    assert_int_equal(silk_config_open(missing, &cfg, &err), SILK_ERR_NOT_FOUND);
    assert_non_null(strstr(err, "nope.conf"));
    free(err);
    set_env("SILK_CONFIG", missing);
    assert_int_equal(silk_config_open(NULL, &cfg, &err), SILK_ERR_NOT_FOUND);
    free(err);

    /* The default file, found through XDG_CONFIG_HOME. */
    set_env("SILK_CONFIG", NULL);
    silk_tmpdir_path(&tmp, dir, sizeof dir, "xdg");
    set_env("XDG_CONFIG_HOME", dir);
    conf_file("xdg/silk/silk.conf", "[client]\nlimit = 3\n");
    assert_int_equal(silk_config_open(NULL, &cfg, &err), SILK_OK);
    assert_non_null(silk_config_file(cfg));
    assert_string_equal(silk_config_get(cfg, "client", "limit")->value, "3");
    silk_config_destroy(cfg);
    /* A bad default file is an error too. */
    conf_file("xdg/silk/silk.conf", "[client]\nlimits = 3\n");
    assert_int_equal(silk_config_open(NULL, &cfg, &err), SILK_ERR_INVALID);
    assert_non_null(strstr(err, "silk.conf:2: unknown key 'limits'"));
    free(err);

    /* Missing default: the system file, and when that is missing too, an empty
     * configuration (which is the case here unless the machine has one). */
    silk_tmpdir_path(&tmp, dir, sizeof dir, "empty-xdg");
    set_env("XDG_CONFIG_HOME", dir);
    struct stat st;
    if (stat(SILK_CONFIG_SYSTEM, &st) != 0) {
        assert_int_equal(silk_config_open(NULL, &cfg, &err), SILK_OK);
        assert_null(err);
        assert_null(silk_config_file(cfg));
        assert_null(silk_config_next(cfg, NULL, NULL));
        assert_null(silk_config_get(cfg, "paths", "index"));
        silk_config_destroy(cfg);
    }

    set_env("SILK_CONFIG", old_sc);
    set_env("XDG_CONFIG_HOME", old_xdg);
    free(old_sc);
    free(old_xdg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_entries), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_bool),         cmocka_unit_test(test_paths),
        cmocka_unit_test(test_locate),       cmocka_unit_test(test_open),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
