/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The client's part of the configuration file (client/cliconf.c): --config found among the
 * options (and not after `--`), [client] keys as the defaults of silk_cli_opts_t, the
 * [paths] socket made absolute, and a bad value refused with FILE:LINE and exit 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../client/cliconf.h"
#include "support.h"

static silk_tmpdir_t tmp;

static int setup(void **state)
{
    (void)state;
    unsetenv("SILK_CONFIG");
    return silk_tmpdir_make(&tmp, "cliconf");
}

static int teardown(void **state)
{
    (void)state;
    return silk_tmpdir_remove(&tmp);
}

static void test_defaults_from_file(void **state)
{
    (void)state;
    char path[1024], arg[1100], want[1100];
    silk_tmpdir_path(&tmp, path, sizeof path, "c.conf");
    silk_write_file(path, "[paths]\nsocket = run/s.sock\n[client]\nlimit = 7\ncolor = never\n"
                          "any = yes\njson = off\nstart = true\n[daemon]\nmax-line = 99\n");
    char *argv[] = {"silk", "--config", path, "missile", NULL};
    silk_cli_opts_t opt = {.limit = 10};
    silk_cli_conf_t cc;
    silk_cli_conf_load(4, argv, &opt, &cc);
    assert_int_equal(opt.limit, 7);
    assert_int_equal(opt.color_when, SILK_COLOR_NEVER);
    assert_true(opt.any);
    assert_int_equal(opt.format, SILK_FORMAT_TEXT);
    assert_true(opt.start);
    snprintf(want, sizeof want, "%s/run/s.sock", tmp.dir);
    assert_string_equal(cc.socket, want);
    assert_string_equal(silk_config_file(cc.conf), path);
    silk_cli_conf_free(&cc);

    /* --config=PATH and an abbreviation getopt_long accepts. */
    snprintf(arg, sizeof arg, "--conf=%s", path);
    char *argv2[] = {"silk", "missile", arg, NULL};
    opt = (silk_cli_opts_t){.limit = 10};
    silk_cli_conf_load(3, argv2, &opt, &cc);
    assert_int_equal(opt.limit, 7);
    silk_cli_conf_free(&cc);

    /* After `--` it is a query word; then $SILK_CONFIG is the file. */
    silk_tmpdir_path(&tmp, want, sizeof want, "env.conf");
    silk_write_file(want, "[client]\nlimit = 2\n");
    setenv("SILK_CONFIG", want, 1);
    char *argv3[] = {"silk", "--", "--config", path, NULL};
    opt = (silk_cli_opts_t){.limit = 10};
    silk_cli_conf_load(4, argv3, &opt, &cc);
    assert_int_equal(opt.limit, 2);
    assert_null(cc.socket);
    silk_cli_conf_free(&cc);
    unsetenv("SILK_CONFIG");
}

/* Runs silk_cli_conf_load on a file holding text in a child; returns its exit status and
 * its stderr in err[cap]. */
static int load_in_child(const char *text, char *err, size_t cap)
{
    char path[1024], errpath[1100];
    silk_tmpdir_path(&tmp, path, sizeof path, "bad.conf");
    silk_tmpdir_path(&tmp, errpath, sizeof errpath, "bad.err");
    silk_write_file(path, text);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        assert_non_null(freopen(errpath, "w", stderr));
        char *argv[] = {"silk", "--config", path, NULL};
        silk_cli_opts_t opt = {0};
        silk_cli_conf_t cc;
        silk_cli_conf_load(3, argv, &opt, &cc);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    char *e = silk_read_file(errpath, NULL);
    snprintf(err, cap, "%s", e ? e : "");
    free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_bad_values(void **state)
{
    (void)state;
    char err[1024];
    assert_int_equal(load_in_child("[client]\nlimit = -1\n", err, sizeof err), SILK_EXIT_ERROR);
    assert_non_null(strstr(err, "bad.conf:2: limit wants a number"));
    assert_int_equal(load_in_child("[client]\n\ncolor = sometimes\n", err, sizeof err), 2);
    assert_non_null(strstr(err, "bad.conf:3: color wants auto, always or never"));
    assert_int_equal(load_in_child("[client]\njson = maybe\n", err, sizeof err), 2);
    assert_non_null(strstr(err, "bad.conf:2: json wants true or false"));
    assert_int_equal(load_in_child("[client]\nlimits = 1\n", err, sizeof err), 2);
    assert_non_null(strstr(err, "bad.conf:2: unknown key 'limits' in [client]"));
    assert_int_equal(load_in_child("[client]\nlimit = 1\n", err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_from_file),
        cmocka_unit_test(test_bad_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
