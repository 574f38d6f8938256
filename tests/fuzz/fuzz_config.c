/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target of the configuration file: arbitrary bytes loaded with silk_config_load
 * (through a memfd, as a file is).
 *
 * Invariants checked (include/silk/config.h):
 *   - the load answers SILK_OK, or SILK_ERR_INVALID with a message "PATH:LINE: why" whose
 *     line is at most the number of lines of the input;
 *   - a loaded file's entries are each in a known section, with a non-empty key, a line within
 *     the input, no key twice in one section, and silk_config_get finds each one;
 *   - the same bytes give the same answer twice. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "silk/config.h"

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_config: invariant violated: %s\n", what);
        abort();
    }
}

static int load(const uint8_t *data, size_t size, silk_config_t **cfg, char **err, char *path,
                size_t cap)
{
    int fd = memfd_create("silk.conf", MFD_CLOEXEC);
    check(fd >= 0, "memfd_create");
    check(write(fd, data, size) == (ssize_t)size, "write");
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    int st = silk_config_load(path, cfg, err);
    close(fd);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    silk_config_t *cfg = NULL, *again = NULL;
    char *err = NULL, *err2 = NULL;
    int st = load(data, size, &cfg, &err, path, sizeof path);
    unsigned lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    if (st == SILK_OK) {
        check(cfg != NULL && err == NULL, "ok: a configuration and no message");
        static const char *const known[] = {"paths", "daemon", "indexer", "client", "ranking"};
        for (const silk_config_entry_t *e = NULL; (e = silk_config_next(cfg, NULL, e));) {
            int k = 0;
            for (size_t i = 0; i < 5; i++)
                k |= !strcmp(e->section, known[i]);
            check(k, "entry in a known section");
            check(e->key[0] != '\0', "non-empty key");
            check(e->line >= 1 && e->line <= lines, "line within the input");
            check(silk_config_get(cfg, e->section, e->key) == e, "get finds the one entry");
        }
    } else {
        check(st == SILK_ERR_INVALID || st == SILK_ERR_NOMEM, "invalid or out of memory");
        check(cfg == NULL, "no configuration on error");
        if (st == SILK_ERR_INVALID) {
            check(err && !strncmp(err, path, strlen(path)) && err[strlen(path)] == ':',
                  "message starts with PATH:");
            unsigned long line = strtoul(err + strlen(path) + 1, NULL, 10);
            check(line >= 1 && line <= lines, "error line within the input");
        }
    }
    int st2 = load(data, size, &again, &err2, path, sizeof path);
    check(st2 == st, "deterministic");
    silk_config_destroy(cfg);
    silk_config_destroy(again);
    free(err);
    free(err2);
    return 0;
}
