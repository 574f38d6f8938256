/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — the words of the command line that are not options (client/args.h). */
#include "args.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *silk_args_join(int n, char *const *words)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(words[i]) + 1;
    char *q = malloc(len), *p = q;
    if (!q)
        return NULL;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(words[i]);
        if (i)
            *p++ = ' ';
        memcpy(p, words[i], l);
        p += l;
    }
    *p = '\0';
    return q;
}

bool silk_args_looks_like_exclusion(const char *arg)
{
    if (!arg || arg[0] != '-' || arg[1] == '-' || arg[1] == '\0' || arg[2] == '\0')
        return false;
    unsigned char c = (unsigned char)arg[1];
    return isalnum(c) || c >= 0x80 || c == '"' || c == '(' || c == '\'';
}
