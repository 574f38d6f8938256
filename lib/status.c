/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — status code descriptions. */
#include "silk/status.h"

const char *silk_status_to_string(silk_status_t status)
{
    switch (status) {
    case SILK_OK:
        return "success";
    case SILK_ERR_NOMEM:
        return "out of memory";
    case SILK_ERR_NOT_FOUND:
        return "not found";
    case SILK_ERR_LOCKED:
        return "database is locked";
    case SILK_ERR_MODIFIED:
        return "database was modified";
    case SILK_ERR_INVALID:
        return "invalid argument";
    case SILK_ERR_TOO_BROAD:
        return "wildcard too broad";
    case SILK_ERR_BAD_QUERY:
        return "bad query";
    case SILK_ERR_TOO_LARGE:
        return "too large";
    case SILK_ERR_CORRUPT:
        return "database is corrupt";
    case SILK_ERR_IO:
        return "input/output error";
    case SILK_ERR_NETWORK:
        return "remote shard unavailable";
    case SILK_ERR_INTERNAL:
        return "internal error";
    case SILK_STATUS_LAST_STATUS:
        break;
    }
    return "unknown status";
}
