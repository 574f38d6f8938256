/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The file-system helpers (include/silk/fs.h, lib/fs.c): mkdir_p, rm_tree (which must
 * never follow a link out of the tree it removes), the daemon's socket-path
 * resolution that silkd and silk share, its private folder, and the XDG data path. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "silk/fs.h"
#include "support.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static void test_mkdir_p(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char p[1024];
    assert_int_equal(silk_tmpdir_make(&t, "fs"), 0);

    silk_tmpdir_path(&t, p, sizeof p, "a/b/c/d");
    assert_int_equal(silk_fs_mkdir_p(p, 0755), 0);
    assert_true(is_dir(p));
    silk_tmpdir_path(&t, p, sizeof p, "a/b");
    assert_true(is_dir(p));

    /* Existing folders are fine, the whole path or a part of it. */
    silk_tmpdir_path(&t, p, sizeof p, "a/b/c/d");
    assert_int_equal(silk_fs_mkdir_p(p, 0755), 0);
    silk_tmpdir_path(&t, p, sizeof p, "a/b/e");
    assert_int_equal(silk_fs_mkdir_p(p, 0755), 0);
    assert_true(is_dir(p));
    assert_int_equal(silk_fs_mkdir_p(t.dir, 0755), 0);
    silk_tmpdir_path(&t, p, sizeof p, "f/g/");
    assert_int_equal(silk_fs_mkdir_p(p, 0755), 0); /* a trailing slash */
    assert_true(is_dir(p));

    /* The mode is used (before umask). */
    silk_tmpdir_path(&t, p, sizeof p, "private/x");
    assert_int_equal(silk_fs_mkdir_p(p, 0700), 0);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0077, 0);

    /* A parent that is a file fails with errno set. */
    silk_tmpdir_path(&t, p, sizeof p, "file");
    silk_write_file(p, "x");
    silk_tmpdir_path(&t, p, sizeof p, "file/sub");
    errno = 0;
    assert_int_equal(silk_fs_mkdir_p(p, 0755), -1);
    assert_int_equal(errno, ENOTDIR);

    /* The path itself is a file: not a folder, so not "already there". */
    silk_tmpdir_path(&t, p, sizeof p, "file");
    errno = 0;
    assert_int_equal(silk_fs_mkdir_p(p, 0755), -1);
    assert_int_equal(errno, ENOTDIR);

    /* Too long for PATH_MAX. */
    char *longp = malloc(PATH_MAX + 16);
    assert_non_null(longp);
    memset(longp, 'a', PATH_MAX + 15);
    longp[0] = '/';
    longp[PATH_MAX + 15] = '\0';
    errno = 0;
    assert_int_equal(silk_fs_mkdir_p(longp, 0755), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    free(longp);

    assert_int_equal(silk_tmpdir_remove(&t), 0);
}

static void test_rm_tree(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char p[1024], root[1024];
    assert_int_equal(silk_tmpdir_make(&t, "fs"), 0);
    silk_tmpdir_path(&t, root, sizeof root, "tree");
    silk_tmpdir_path(&t, p, sizeof p, "tree/a/b/c/file.txt");
    silk_write_file(p, "deep");
    silk_tmpdir_path(&t, p, sizeof p, "tree/a/top.txt");
    silk_write_file(p, "top");
    silk_tmpdir_path(&t, p, sizeof p, "tree/empty");
    assert_int_equal(silk_fs_mkdir_p(p, 0755), 0);
    silk_tmpdir_path(&t, p, sizeof p, "tree/.hidden");
    silk_write_file(p, "dot");

    assert_int_equal(silk_fs_rm_tree(root), 0);
    assert_false(exists(root));
    assert_true(is_dir(t.dir)); /* only what was named */

    /* A missing path is not an error; a single file is removed. */
    assert_int_equal(silk_fs_rm_tree(root), 0);
    silk_tmpdir_path(&t, p, sizeof p, "lone.txt");
    silk_write_file(p, "x");
    assert_int_equal(silk_fs_rm_tree(p), 0);
    assert_false(exists(p));

    assert_int_equal(silk_tmpdir_remove(&t), 0);
}

static void test_rm_tree_links(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char root[1024], outside[1024], kept[1024], link[1024], p[1024];
    assert_int_equal(silk_tmpdir_make(&t, "fs"), 0);
    silk_tmpdir_path(&t, outside, sizeof outside, "outside");
    silk_tmpdir_path(&t, kept, sizeof kept, "outside/sub/precious.txt");
    silk_write_file(kept, "keep me");
    silk_tmpdir_path(&t, root, sizeof root, "tree");
    silk_tmpdir_path(&t, p, sizeof p, "tree/inner/file.txt");
    silk_write_file(p, "x");

    /* A link to the outside folder inside the tree, and one to a file. */
    silk_tmpdir_path(&t, link, sizeof link, "tree/inner/to-outside");
    assert_int_equal(symlink(outside, link), 0);
    silk_tmpdir_path(&t, p, sizeof p, "tree/to-file");
    assert_int_equal(symlink(kept, p), 0);
    assert_int_equal(silk_fs_rm_tree(root), 0);
    assert_false(exists(root));
    char *text = silk_read_file(kept, NULL);
    assert_non_null(text);
    assert_string_equal(text, "keep me");
    free(text);

    /* Removing the link itself removes the link, not the folder it points to. */
    silk_tmpdir_path(&t, link, sizeof link, "link");
    assert_int_equal(symlink(outside, link), 0);
    assert_int_equal(silk_fs_rm_tree(link), 0);
    assert_false(exists(link));
    assert_true(exists(kept));

    /* A dangling link goes too. */
    assert_int_equal(symlink("/nonexistent/silk-test", link), 0);
    assert_int_equal(silk_fs_rm_tree(link), 0);
    assert_false(exists(link));

    assert_int_equal(silk_tmpdir_remove(&t), 0);
}

/* Sets or (value NULL) unsets an environment variable. */
static void set_env(const char *name, const char *value)
{
    if (value)
        assert_int_equal(setenv(name, value, 1), 0);
    else
        assert_int_equal(unsetenv(name), 0);
}

static void test_socket_path(void **state)
{
    (void)state;
    char out[256], want[256];
    char *old_sock = getenv("SILK_SOCKET") ? strdup(getenv("SILK_SOCKET")) : NULL;
    char *old_xdg = getenv("XDG_RUNTIME_DIR") ? strdup(getenv("XDG_RUNTIME_DIR")) : NULL;

    /* 1. The argument wins over everything. */
    set_env("SILK_SOCKET", "/env/silk.sock");
    set_env("XDG_RUNTIME_DIR", "/run/user/1234");
    assert_int_equal(silk_socket_path("/arg/s.sock", "/conf/s.sock", out, sizeof out), 0);
    assert_string_equal(out, "/arg/s.sock");

    /* 2. Then $SILK_SOCKET, over the configuration file. */
    assert_int_equal(silk_socket_path(NULL, "/conf/s.sock", out, sizeof out), 0);
    assert_string_equal(out, "/env/silk.sock");

    /* 3. Then the file's [paths] socket (an empty $SILK_SOCKET counts as unset). */
    set_env("SILK_SOCKET", "");
    assert_int_equal(silk_socket_path(NULL, "/conf/s.sock", out, sizeof out), 0);
    assert_string_equal(out, "/conf/s.sock");

    /* 4. Then $XDG_RUNTIME_DIR/silk/silk.sock, a default (1: its folder must be private);
     * an empty value from the file counts as unset. */
    assert_int_equal(silk_socket_path(NULL, "", out, sizeof out), 1);
    assert_string_equal(out, "/run/user/1234/silk/silk.sock");
    set_env("SILK_SOCKET", NULL);
    assert_int_equal(silk_socket_path(NULL, NULL, out, sizeof out), 1);
    assert_string_equal(out, "/run/user/1234/silk/silk.sock");

    /* 5. Else the /tmp default: XDG_RUNTIME_DIR unset, empty, or relative (which the XDG
     * rules say to ignore). */
    snprintf(want, sizeof want, "/tmp/silk-%u/silk.sock", (unsigned)getuid());
    set_env("XDG_RUNTIME_DIR", "");
    assert_int_equal(silk_socket_path(NULL, NULL, out, sizeof out), 1);
    assert_string_equal(out, want);
    set_env("XDG_RUNTIME_DIR", "run/user/1234");
    assert_int_equal(silk_socket_path(NULL, NULL, out, sizeof out), 1);
    assert_string_equal(out, want);
    set_env("XDG_RUNTIME_DIR", NULL);
    assert_int_equal(silk_socket_path(NULL, NULL, out, sizeof out), 1);
    assert_string_equal(out, want);

    /* -1 when it does not fit, whichever source it comes from; exactly fitting is fine. */
    assert_int_equal(silk_socket_path(NULL, NULL, out, strlen(want)), -1);
    assert_int_equal(silk_socket_path(NULL, NULL, out, strlen(want) + 1), 1);
    assert_int_equal(silk_socket_path("/arg/s.sock", NULL, out, 5), -1);
    assert_int_equal(silk_socket_path("/arg/s.sock", NULL, out, 12), 0);
    assert_string_equal(out, "/arg/s.sock");
    assert_int_equal(silk_socket_path(NULL, "/conf/s.sock", out, 6), -1);
    set_env("SILK_SOCKET", "/a/very/long/path/to/the/socket");
    assert_int_equal(silk_socket_path(NULL, NULL, out, 8), -1);
    set_env("SILK_SOCKET", NULL);
    set_env("XDG_RUNTIME_DIR", "/run/user/1234");
    assert_int_equal(silk_socket_path(NULL, NULL, out, 20), -1); /* the folder fits, not the name */

    set_env("SILK_SOCKET", old_sock);
    set_env("XDG_RUNTIME_DIR", old_xdg);
    free(old_sock);
    free(old_xdg);
}

/* The socket's private folder: created 0700, then refused unless it is a folder of the
 * user's own that nobody else may use. */
static void test_private_dir(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char d[1024], link[1024];
    char *why = NULL;
    struct stat st;
    assert_int_equal(silk_tmpdir_make(&t, "fs-private"), 0);

    silk_tmpdir_path(&t, d, sizeof d, "silk");
    mode_t old = umask(0);
    assert_int_equal(silk_fs_private_dir(d, &why), 0); /* created, 0700 whatever the umask */
    umask(old);
    assert_null(why);
    assert_int_equal(lstat(d, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(silk_fs_private_dir(d, &why), 0); /* already there: fine */

    /* Group or other access of any kind is refused, with the fix in the message. */
    assert_int_equal(chmod(d, 0750), 0);
    assert_int_equal(silk_fs_private_dir(d, &why), -1);
    assert_non_null(why);
    assert_non_null(strstr(why, "750"));
    assert_non_null(strstr(why, "chmod 700"));
    free(why);
    assert_int_equal(chmod(d, 0701), 0);
    assert_int_equal(silk_fs_private_dir(d, &why), -1);
    free(why);
    assert_int_equal(chmod(d, 0700), 0);

    /* A symbolic link to a private folder is not the folder. */
    silk_tmpdir_path(&t, link, sizeof link, "link");
    assert_int_equal(symlink(d, link), 0);
    assert_int_equal(silk_fs_private_dir(link, &why), -1);
    assert_non_null(strstr(why, "symbolic link"));
    free(why);

    /* A file in its place, and a missing parent. */
    silk_tmpdir_path(&t, d, sizeof d, "file");
    silk_write_file(d, "x");
    assert_int_equal(silk_fs_private_dir(d, &why), -1);
    assert_non_null(strstr(why, "not a folder"));
    free(why);
    silk_tmpdir_path(&t, d, sizeof d, "no/such");
    assert_int_equal(silk_fs_private_dir(d, &why), -1);
    assert_non_null(strstr(why, "cannot create"));
    free(why);

    /* Owned by another user (only root can make one to test with). */
    if (geteuid() == 0) {
        silk_tmpdir_path(&t, d, sizeof d, "theirs");
        assert_int_equal(mkdir(d, 0700), 0);
        assert_int_equal(chown(d, 65534, 65534), 0);
        assert_int_equal(silk_fs_private_dir(d, &why), -1);
        assert_non_null(strstr(why, "belongs to uid 65534"));
        free(why);
    }
    assert_int_equal(silk_tmpdir_remove(&t), 0);
}

static void test_data_path(void **state)
{
    (void)state;
    char out[256];
    char *old_data = getenv("XDG_DATA_HOME") ? strdup(getenv("XDG_DATA_HOME")) : NULL;
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

    set_env("XDG_DATA_HOME", "/data");
    set_env("HOME", "/home/me");
    assert_int_equal(silk_data_path("index", out, sizeof out), 0);
    assert_string_equal(out, "/data/silk/index");
    set_env("XDG_DATA_HOME", "relative"); /* ignored, as the XDG rules say */
    assert_int_equal(silk_data_path("index", out, sizeof out), 0);
    assert_string_equal(out, "/home/me/.local/share/silk/index");
    set_env("XDG_DATA_HOME", NULL);
    assert_int_equal(silk_data_path("corpus", out, sizeof out), 0);
    assert_string_equal(out, "/home/me/.local/share/silk/corpus");
    assert_int_equal(silk_data_path("corpus", out, 10), -1);
    set_env("HOME", NULL);
    assert_int_equal(silk_data_path("index", out, sizeof out), -1);

    set_env("XDG_DATA_HOME", old_data);
    set_env("HOME", old_home);
    free(old_data);
    free(old_home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mkdir_p),       cmocka_unit_test(test_rm_tree),
        cmocka_unit_test(test_rm_tree_links), cmocka_unit_test(test_socket_path),
        cmocka_unit_test(test_private_dir),   cmocka_unit_test(test_data_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
