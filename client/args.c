/* silk client — where the options end and the query begins. */
#include "args.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The long option that `arg` (after its "--", up to any "=") names: an exact name, or, when
 * `prefix_ok`, an unambiguous abbreviation as getopt_long accepts it. NULL if none. */
static const struct option *find_long(const struct option *longs, const char *arg, bool prefix_ok)
{
    size_t len = strcspn(arg, "=");
    const struct option *found = NULL;
    for (const struct option *o = longs; o->name; o++) {
        if (strlen(o->name) == len && !strncmp(o->name, arg, len))
            return o;
        if (prefix_ok && len > 0 && !strncmp(o->name, arg, len)) {
            if (found && found->val != o->val)
                return NULL; /* ambiguous: getopt_long will say so */
            found = o;
        }
    }
    return found;
}

/* 1 when short option c takes a value, 0 when it is a flag, -1 when unknown. */
static int short_kind(const char *shorts, char c)
{
    const char *p = c && c != ':' ? strchr(shorts, c) : NULL;
    if (!p)
        return -1;
    return p[1] == ':';
}

static bool is_number(const char *s)
{
    return *s && strspn(s, "0123456789") == strlen(s);
}

/* For a cluster of short options such as "-hn" or "-n5": whether its last option wants
 * the next argument as its value. */
static bool cluster_takes_next(const char *shorts, const char *a)
{
    for (const char *c = a + 1; *c; c++) {
        int k = short_kind(shorts, *c);
        if (k < 0)
            return false; /* unknown: getopt_long reports it */
        if (k == 1)
            return c[1] == '\0'; /* the value is the rest, or the next argument */
    }
    return false;
}

/* After the query: "-n 5" or "-n5", a short option with a numeric value. As query words
 * they would mean "not n" and "not n5", which nobody means. */
static bool numeric_short(const char *shorts, const char *a, const char *next)
{
    if (a[0] != '-' || short_kind(shorts, a[1]) != 1)
        return false;
    return a[2] ? is_number(a + 2) : next && is_number(next);
}

char **silk_args_reorder(int argc, char **argv, const char *shorts, const struct option *longs,
                         int *new_argc, char **why)
{
    char **out = calloc((size_t)argc + 2, sizeof *out);
    char **words = calloc((size_t)argc + 1, sizeof *words);
    int n = 0, nw = 0;
    bool in_query = false;

    *why = NULL;
    if (!out || !words)
        goto fail;
    out[n++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--")) {
            while (++i < argc)
                words[nw++] = argv[i];
            break;
        }
        bool is_long = !strncmp(a, "--", 2);
        bool option =
            in_query ? (is_long && find_long(longs, a + 2, false)) || numeric_short(shorts, a, next)
                     : a[0] == '-' && a[1] != '\0';
        if (!option) {
            words[nw++] = argv[i];
            in_query = true;
            continue;
        }
        out[n++] = argv[i];
        bool takes_next;
        if (is_long) {
            const struct option *o = find_long(longs, a + 2, true);
            takes_next = o && o->has_arg == required_argument && !strchr(a, '=');
        } else {
            takes_next = cluster_takes_next(shorts, a);
        }
        if (takes_next && !next) {
            if (asprintf(why, "option '%s' wants a value", a) < 0)
                *why = NULL;
            goto fail;
        }
        if (takes_next)
            out[n++] = argv[++i];
    }
    out[n++] = "--";
    for (int k = 0; k < nw; k++)
        out[n++] = words[k];
    free(words);
    *new_argc = n;
    return out;
fail:
    free(out);
    free(words);
    return NULL;
}
