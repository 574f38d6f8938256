/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fixture of the unit tests that search the repo's corpus article: a temporary folder,
 * the article indexed there by the real silk-index ($SILK_BIN, else bin/), and a searcher
 * over it, made once per test group. Header-only: each test file is its own program. */
#ifndef SILK_TEST_CORPUS_FIXTURE_H
#define SILK_TEST_CORPUS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "silk/search.h"

typedef struct {
    char dir[256];      /* temporary folder */
    char index[300];    /* the index of the corpus article */
    silk_searcher_t *s; /* a searcher over it */
} fixture_t;

/* Indexes corpus/ into a folder named after `name` (the test) and opens a searcher. */
static inline int corpus_fixture_setup(void **state, const char *name)
{
    fixture_t *f = calloc(1, sizeof *f);
    const char *tmp = getenv("TMPDIR"), *bin = getenv("SILK_BIN");
    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof f->dir, "%s/silk-test-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->index, sizeof f->index, "%s/index", f->dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/silk-index --corpus corpus --index %s --quiet",
             bin && *bin ? bin : "bin", f->index);
    if (system(cmd) != 0 || silk_searcher_new(f->index, NULL, &f->s) != SILK_OK)
        return -1;
    *state = f;
    return 0;
}

static inline int corpus_fixture_teardown(void **state)
{
    fixture_t *f = *state;
    char cmd[400];
    silk_searcher_destroy(f->s);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

#endif
