/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fixture of the indexer's writing tests (test_indexer_index, test_indexer_shard,
 * test_indexer_writer): a temporary folder (tests/support) holding corpus/, with the paths
 * of a single-database index and of a sharded one beside it. Header-only, since each
 * unit test is one program; include it after <cmocka.h>. */
#ifndef SILK_TEST_INDEXER_FIXTURE_H
#define SILK_TEST_INDEXER_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

typedef struct {
    silk_tmpdir_t tmp; /* the temporary folder */
    char corpus[300];  /* tmp/corpus */
    char index[300];   /* tmp/index: one database */
    char sh[300];      /* tmp/sh: a sharded index */
} fixture_t;

static inline int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    if (!f || silk_tmpdir_make(&f->tmp, "ix") != 0)
        return -1;
    silk_tmpdir_path(&f->tmp, f->corpus, sizeof f->corpus, "corpus");
    silk_tmpdir_path(&f->tmp, f->index, sizeof f->index, "index");
    silk_tmpdir_path(&f->tmp, f->sh, sizeof f->sh, "sh");
    *state = f;
    return mkdir(f->corpus, 0755);
}

static inline int teardown(void **state)
{
    fixture_t *f = *state;
    int rc = silk_tmpdir_remove(&f->tmp);
    free(f);
    return rc;
}

/* The path of corpus file `rel` into p[600]. */
static inline void corpus_path(const fixture_t *f, const char *rel, char p[600])
{
    int n = snprintf(p, 600, "%s/%s", f->corpus, rel);
    assert_true(n > 0 && n < 600);
}

/* Writes corpus file `rel` (creating its folders). */
static inline void write_file(const fixture_t *f, const char *rel, const char *text)
{
    char p[600];
    corpus_path(f, rel, p);
    silk_write_file(p, text);
}

/* Removes corpus file `rel`. */
static inline void remove_file(const fixture_t *f, const char *rel)
{
    char p[600];
    corpus_path(f, rel, p);
    assert_int_equal(unlink(p), 0);
}

#endif
