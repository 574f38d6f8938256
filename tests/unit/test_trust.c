/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Trust of paths (include/silk/trust.h, lib/trust.c): the StrictModes walk that refuses an
 * index or corpus another user could have written, and allows sticky folders such as /tmp
 * above it. */
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

#include "silk/db.h"
#include "silk/trust.h"
#include "support.h"

/* check() == SILK_OK, or the message contains `needle`. */
static void expect(const char *path, uid_t uid, unsigned flags, const char *needle)
{
    char *msg = NULL;
    silk_status_t st = silk_trust_check("index", path, uid, flags, &msg);
    if (!needle) {
        if (st != SILK_OK)
            fail_msg("%s refused: %s", path, msg ? msg : "?");
    } else {
        assert_int_not_equal(st, SILK_OK);
        assert_non_null(msg);
        if (!strstr(msg, needle))
            fail_msg("'%s' not in '%s'", needle, msg);
    }
    free(msg);
}

static void test_private_folder(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char p[1024];
    assert_int_equal(silk_tmpdir_make(&t, "trust"), 0);
    silk_tmpdir_path(&t, p, sizeof p, "idx");
    assert_int_equal(mkdir(p, 0755), 0);
    /* The temporary folder lies under /tmp (sticky, writable by all): allowed above. */
    expect(p, geteuid(), 0, NULL);
    /* Missing: refused unless it may be missing, then its nearest existing folder counts. */
    silk_tmpdir_path(&t, p, sizeof p, "idx/not/yet");
    char *msg = NULL;
    assert_int_equal(silk_trust_check("index", p, geteuid(), 0, &msg), SILK_ERR_NOT_FOUND);
    free(msg);
    expect(p, geteuid(), SILK_TRUST_MAY_BE_MISSING, NULL);
    silk_tmpdir_remove(&t);
}

static void test_writable_by_others(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char p[1024], q[1024];
    assert_int_equal(silk_tmpdir_make(&t, "trust"), 0);
    silk_tmpdir_path(&t, p, sizeof p, "shared");
    silk_tmpdir_path(&t, q, sizeof q, "shared/idx");
    assert_int_equal(mkdir(p, 0755), 0);
    assert_int_equal(mkdir(q, 0700), 0);
    expect(q, geteuid(), 0, NULL);
    /* A group-writable parent: another member could rename the index away. */
    assert_int_equal(chmod(p, 0775), 0);
    expect(q, geteuid(), 0, "is writable by its group");
    expect(q, geteuid(), 0, p);
    /* Sticky parent: allowed, as OpenSSH and /tmp. */
    assert_int_equal(chmod(p, 01777), 0);
    expect(q, geteuid(), 0, NULL);
    /* But the path itself may never be writable by others, sticky or not. */
    assert_int_equal(chmod(q, 01777), 0);
    expect(q, geteuid(), 0, "writable by everyone");
    assert_int_equal(chmod(q, 0700), 0);
    assert_int_equal(chmod(p, 0755), 0);
    /* A stub folder's XAPIANDB is part of the index. */
    silk_tmpdir_path(&t, p, sizeof p, "shared/idx/XAPIANDB");
    silk_write_file(p, "auto shard-0\n");
    assert_int_equal(chmod(p, 0666), 0);
    expect(q, geteuid(), 0, "XAPIANDB is writable");
    assert_int_equal(chmod(p, 0644), 0);
    expect(q, geteuid(), 0, NULL);
    /* A symlink is judged by what it leads to. */
    silk_tmpdir_path(&t, p, sizeof p, "link");
    assert_int_equal(symlink(q, p), 0);
    expect(p, geteuid(), 0, NULL);
    silk_tmpdir_path(&t, p, sizeof p, "shared");
    assert_int_equal(chmod(p, 0757), 0);
    silk_tmpdir_path(&t, p, sizeof p, "link");
    expect(p, geteuid(), 0, "writable by everyone");
    silk_tmpdir_path(&t, p, sizeof p, "shared");
    assert_int_equal(chmod(p, 0755), 0);
    silk_tmpdir_remove(&t);
}

static void test_other_owner(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char p[1024];
    assert_int_equal(silk_tmpdir_make(&t, "trust"), 0);
    silk_tmpdir_path(&t, p, sizeof p, "idx");
    assert_int_equal(mkdir(p, 0755), 0);
    if (geteuid() == 0) {
        /* Root may hand the folder to nobody: then root must not trust it. */
        assert_int_equal(chown(p, 65534, 65534), 0);
        expect(p, 0, 0, "belongs to another user (uid 65534)");
    } else {
        /* As another user (uid + 1) our folder is not theirs, nor root's. */
        expect(p, geteuid() + 1, 0, "belongs to another user");
    }
    /* Folders owned by root are trusted by everyone. */
    expect("/", geteuid() + 1, 0, NULL);
    silk_tmpdir_remove(&t);
}

/* A stub file whose `remote :PROGRAM` line names a program: never run unless the caller
 * asked for it (silkd --allow-remote-programs), refused with a message that says why. The
 * program here would leave a marker file behind. */
static void test_stub_program_refused(void **state)
{
    (void)state;
    silk_tmpdir_t t;
    char stub[1024], marker[1024], text[3000];
    assert_int_equal(silk_tmpdir_make(&t, "trust"), 0);
    silk_tmpdir_path(&t, stub, sizeof stub, "index");
    silk_tmpdir_path(&t, marker, sizeof marker, "ran");
    snprintf(text, sizeof text, "remote :/bin/sh -c 'touch %s'\n", marker);
    silk_write_file(stub, text);
    silk_db_t *db = NULL;
    char *msg = NULL;
    assert_int_equal(silk_db_open(stub, NULL, &db, &msg), SILK_ERR_INVALID);
    assert_null(db);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "refusing to run the program '/bin/sh'"));
    free(msg);
    /* The same in a stub folder (XAPIANDB), and behind an `auto` line naming a stub file
     * (which Xapian's own reader would have followed). */
    silk_tmpdir_path(&t, stub, sizeof stub, "dir");
    assert_int_equal(mkdir(stub, 0700), 0);
    silk_tmpdir_path(&t, stub, sizeof stub, "dir/XAPIANDB");
    silk_write_file(stub, text);
    silk_tmpdir_path(&t, stub, sizeof stub, "dir");
    assert_int_not_equal(silk_db_open(stub, NULL, &db, NULL), SILK_OK);
    silk_tmpdir_path(&t, stub, sizeof stub, "outer");
    silk_write_file(stub, "auto index\n");
    assert_int_not_equal(silk_db_open(stub, NULL, &db, NULL), SILK_OK);
    /* A stub with a NUL byte past the first 512 bytes is not taken for a glass file. */
    char big[2048];
    memset(big, '#', sizeof big);
    big[0] = '\n';
    big[600] = '\0';
    int n = snprintf(big + 1000, sizeof big - 1000, "\n%s", text);
    silk_tmpdir_path(&t, stub, sizeof stub, "nul");
    silk_write_bytes(stub, big, 1000 + (size_t)n);
    assert_int_not_equal(silk_db_open(stub, NULL, &db, NULL), SILK_OK);
    /* The writer never opens a stub either. */
    silk_wdb_t *w = NULL;
    silk_tmpdir_path(&t, stub, sizeof stub, "index");
    assert_int_not_equal(silk_wdb_open(stub, 0, &w, NULL), SILK_OK);
    /* A stub folder is made a glass database of its own, its XAPIANDB left unread. */
    silk_tmpdir_path(&t, stub, sizeof stub, "dir");
    if (silk_wdb_open(stub, 0, &w, NULL) == SILK_OK)
        silk_wdb_destroy(w);
    usleep(100 * 1000);
    assert_int_not_equal(access(marker, F_OK), 0);
    silk_tmpdir_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_private_folder),
        cmocka_unit_test(test_writable_by_others),
        cmocka_unit_test(test_other_owner),
        cmocka_unit_test(test_stub_program_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
