/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — error messages on stderr (client/errmsg.h). */
#include "errmsg.h"

#include <stdarg.h>
#include <stdio.h>

void silk_cli_errorf(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("silk: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
