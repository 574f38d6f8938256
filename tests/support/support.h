/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk tests — fixtures the unit tests share: a private temporary folder, writing and
 * reading small files in it. Every helper fails the running cmocka test on error. */
#ifndef SILK_TEST_SUPPORT_H
#define SILK_TEST_SUPPORT_H

#include <stddef.h>

/* A temporary folder under $TMPDIR (else /tmp), created 0700, removed with its contents. */
typedef struct {
    char dir[512]; /* its path */
} silk_tmpdir_t;

/* Creates a new folder named after `tag` (e.g. "db"). 0, or -1 when it cannot. */
int silk_tmpdir_make(silk_tmpdir_t *t, const char *tag);

/* Removes the folder and everything below it. 0, or -1. */
int silk_tmpdir_remove(silk_tmpdir_t *t);

/* out[cap] = t->dir + "/" + the formatted name; fails the test when it does not fit. */
void silk_tmpdir_path(const silk_tmpdir_t *t, char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Writes text to path (creating its missing parent folders), replacing what was there. */
void silk_write_file(const char *path, const char *text);

/* Writes n bytes to path (creating its missing parent folders). */
void silk_write_bytes(const char *path, const void *data, size_t n);

/* The whole content of path, malloc'ed and NUL-terminated (*len may be NULL); NULL when
 * it cannot be read. */
char *silk_read_file(const char *path, size_t *len);

#endif
