/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk tests — shared fixtures (tests/support/support.h). */
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/buf.h"
#include "silk/fs.h"

int silk_tmpdir_make(silk_tmpdir_t *t, const char *tag)
{
    const char *tmp = getenv("TMPDIR");
    int n =
        snprintf(t->dir, sizeof t->dir, "%s/silk-test-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
    if (n < 0 || (size_t)n >= sizeof t->dir)
        return -1;
    return mkdtemp(t->dir) ? 0 : -1;
}

int silk_tmpdir_remove(silk_tmpdir_t *t)
{
    return silk_fs_rm_tree(t->dir);
}

void silk_tmpdir_path(const silk_tmpdir_t *t, char *out, size_t cap, const char *fmt, ...)
{
    char name[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof name);
    n = snprintf(out, cap, "%s/%s", t->dir, name);
    assert_true(n >= 0 && (size_t)n < cap);
}

void silk_write_bytes(const char *path, const void *data, size_t n)
{
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        assert_int_equal(silk_fs_mkdir_p(parent, 0755), 0);
    }
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

void silk_write_file(const char *path, const char *text)
{
    silk_write_bytes(path, text, strlen(text));
}

char *silk_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    silk_buf_t b = SILK_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (silk_buf_add(&b, chunk, n) != SILK_OK) {
            silk_buf_free(&b);
            fclose(fp);
            return NULL;
        }
    }
    fclose(fp);
    return silk_buf_steal(&b, len);
}
