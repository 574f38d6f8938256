/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the TCP token: a secret file only its owner can read; a TCP client proves it may
 * use the daemon by sending its content first (docs/protocol.md § TCP authentication). */
#ifndef SILKD_TOKEN_H
#define SILKD_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define SILKD_TOKEN_LEN 64 /* hex digits of 32 random bytes */

/* Reads the token at path into out (SILKD_TOKEN_LEN hex digits and a NUL), or, when no file
 * is there, creates it (0600, O_EXCL|O_NOFOLLOW) with 32 bytes from getrandom(). Refuses a
 * symlink, a file that is not regular, not ours, readable or writable by others, or not a
 * token. Returns 0, or -1 after logging why. */
int silkd_token_load(const char *path, char out[SILKD_TOKEN_LEN + 1]);

/* True when given[0..len) is the token; takes the same time whatever the bytes. */
bool silkd_token_equal(const char *token, const char *given, size_t len);

#endif
