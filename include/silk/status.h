/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — status codes shared by every module.
 *
 * Every function that can fail returns a silk_status_t; results go out through pointer
 * arguments and the human-readable message is kept on the handle that failed. */
#ifndef SILK_STATUS_H
#define SILK_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SILK_OK = 0,            /* success */
    SILK_ERR_NOMEM,         /* out of memory */
    SILK_ERR_NOT_FOUND,     /* database (or file) does not exist or cannot be opened */
    SILK_ERR_LOCKED,        /* another writer holds the database lock */
    SILK_ERR_MODIFIED,      /* the database changed under a reader: reopen and retry */
    SILK_ERR_INVALID,       /* an argument was invalid (the message says which) */
    SILK_ERR_TOO_BROAD,     /* a wildcard expanded to more terms than its cap */
    SILK_ERR_BAD_QUERY,     /* the query text does not parse (message has the position) */
    SILK_ERR_TOO_LARGE,     /* a bound was exceeded (length, depth, terms, limit) */
    SILK_ERR_CORRUPT,       /* the database is damaged */
    SILK_ERR_IO,            /* a read or write failed (disk full, permissions, ...) */
    SILK_ERR_NETWORK,       /* a remote shard could not be reached or timed out */
    SILK_ERR_INTERNAL,      /* anything else; the message has the details */
    SILK_STATUS_LAST_STATUS /* sentinel, not a status */
} silk_status_t;

/* A static English description of a status ("database is locked"). Never NULL. */
const char *silk_status_to_string(silk_status_t status);

#ifdef __cplusplus
}
#endif

#endif
