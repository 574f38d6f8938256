/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the configuration file that silk, silkd and silk-index share.
 *
 * One INI file (parsed by inih, not by hand) of sections of `key = value` lines. This
 * module finds it (silk_config_open: `--config PATH`, else $SILK_CONFIG, else
 * $XDG_CONFIG_HOME/silk/silk.conf, else /etc/silk/silk.conf), loads every entry with its
 * line number, checks every key against the file's one vocabulary (the table in
 * lib/config.c), and lets each program read the entries of its sections. Each program
 * checks the values it uses, with the same code as its flags, and names FILE:LINE in its
 * messages (silk_config_where). Precedence, for every setting: flags > environment
 * (SILK_INDEX, SILK_CORPUS, SILK_SOCKET, ...) > this file > built-in defaults.
 *
 * Sections: [paths] (corpus, index, socket: read by all three programs), [daemon] (silkd),
 * [indexer] (silk-index), [client] (silk), and [ranking], whose keys this module does not
 * check: they belong to the searcher, which gets them through silk_config_next with their
 * line numbers.
 */
#ifndef SILK_CONFIG_H
#define SILK_CONFIG_H

#include <stddef.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct silk_config silk_config_t;

/* One `key = value` line of the file. Valid as long as its silk_config_t. */
typedef struct {
    const char *section; /* the [section] it is under */
    const char *key;     /* the key, as written (keys are case-sensitive) */
    const char *value;   /* the value, trimmed; "" when empty */
    unsigned line;       /* its line in the file, from 1 */
} silk_config_entry_t;

#define SILK_CONFIG_SYSTEM "/etc/silk/silk.conf" /* the last place looked at */

/* Where the configuration file is, in the order every program uses: `arg` (a --config
 * option; may be NULL), $SILK_CONFIG, $XDG_CONFIG_HOME/silk/silk.conf (when that variable
 * is unset or not absolute: $HOME/.config/silk/silk.conf), else SILK_CONFIG_SYSTEM.
 * Empty variables count as unset. Writes the first candidate to out[cap] and returns 1 when
 * it was asked for (arg or $SILK_CONFIG: it must exist), 0 for the user's default (which may
 * be missing: then SILK_CONFIG_SYSTEM is the next candidate), -1 when it does not fit. */
int silk_config_locate(const char *arg, char *out, size_t cap);

/* Loads the file at path. A line that is not `[section]`, `key = value`, a comment (`#` or
 * `;` first) or blank, a key outside any section, a key set twice in one section, a line
 * longer than inih's line buffer (198 bytes), and a key or section the vocabulary does not
 * know are
 * errors: *err (malloc'ed, the caller frees; may be NULL) is "PATH:LINE: why", and
 * SILK_ERR_INVALID is returned. A file that cannot be read: SILK_ERR_NOT_FOUND or
 * SILK_ERR_IO with "PATH: strerror". On success *out is the loaded file (free with
 * silk_config_destroy). */
silk_status_t silk_config_load(const char *path, silk_config_t **out, char **err);

/* The file every program reads: silk_config_locate(arg), then silk_config_load. A missing
 * file that was asked for is an error; a missing default is not: the system file is tried,
 * and when it is missing too *out is an empty configuration (silk_config_file gives NULL). */
silk_status_t silk_config_open(const char *arg, silk_config_t **out, char **err);

/* The path the configuration was loaded from, or NULL for the empty one. */
const char *silk_config_file(const silk_config_t *cfg);

/* The entry of key in section, or NULL when the file does not set it (or cfg is NULL). */
const silk_config_entry_t *silk_config_get(const silk_config_t *cfg, const char *section,
                                           const char *key);

/* Iterates the entries of section (all sections when NULL) in file order: pass NULL first,
 * then the previous entry; NULL at the end. */
const silk_config_entry_t *silk_config_next(const silk_config_t *cfg, const char *section,
                                            const silk_config_entry_t *prev);

/* "PATH:LINE" of an entry, in buf[cap] (cut when it does not fit); returns buf. */
const char *silk_config_where(const silk_config_t *cfg, const silk_config_entry_t *e, char *buf,
                              size_t cap);

/* A boolean value: 1 for true/yes/on/1, 0 for false/no/off/0 (any case), -1 otherwise. */
int silk_config_bool(const char *value);

/* A path value made usable from any folder: `~` or `~/...` is under $HOME, a relative path
 * is relative to the configuration file's folder, an absolute one stays. *out is malloc'ed
 * (the caller frees). SILK_ERR_INVALID with *err "PATH:LINE: why" for an empty value or `~`
 * without $HOME; SILK_ERR_NOMEM. */
silk_status_t silk_config_path(const silk_config_t *cfg, const silk_config_entry_t *e, char **out,
                               char **err);

/* Frees cfg; NULL is a no-op. */
void silk_config_destroy(silk_config_t *cfg);

#ifdef __cplusplus
}
#endif

#endif
