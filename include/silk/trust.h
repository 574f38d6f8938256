/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — trust of paths: whether a file or folder silk is about to rely on could have been
 * written by another user.
 *
 * The model is OpenSSH's StrictModes: the path (after resolving symbolic links) and every
 * folder above it up to / must belong to the user or to root and must not be writable by
 * group or other. A folder above the path that is writable by all but has the sticky bit
 * (/tmp) is allowed, as others there can add names but not replace ours. A folder that
 * holds a XAPIANDB stub file gets that file checked too, since it names what is opened.
 */
#ifndef SILK_TRUST_H
#define SILK_TRUST_H

#include <sys/types.h>

#include "silk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SILK_TRUST_MAY_BE_MISSING                                                                  \
    1u /* a path that does not exist yet: check what exists above it */

/* Checks `path` for the user `uid` (normally geteuid()). SILK_OK when nobody else can have
 * written it; SILK_ERR_INVALID when someone may have, with a malloc'd message in *msg (the
 * caller frees it) that names the offending path and why ("/srv/x is writable by group");
 * SILK_ERR_NOT_FOUND when it does not exist (without SILK_TRUST_MAY_BE_MISSING);
 * SILK_ERR_NOMEM. `what` names the path in messages ("index", "corpus"). msg may be NULL. */
silk_status_t silk_trust_check(const char *what, const char *path, uid_t uid, unsigned flags,
                               char **msg);

#ifdef __cplusplus
}
#endif

#endif
