/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the search page served at GET / (server/web/index.html, embedded by page.S at
 * build time: one self-contained file, no other resource). */
#ifndef SILKD_PAGE_H
#define SILKD_PAGE_H

#include <stdint.h>

extern const char silkd_page[];        /* the page's bytes (a NUL follows them) */
extern const uint64_t silkd_page_size; /* their number, without the NUL */

#endif
