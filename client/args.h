/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk client — the words of the command line that are not options: the query they make,
 * and whether a word that getopt_long took for an option was perhaps meant as a query word.
 *
 * Options are GNU-style (client/options.c, getopt_long permuting): they may come anywhere,
 * and `--` ends them. So a query word starting with '-' (the exclusion `-nuclear`) must
 * follow `--`: `silk -- missile -nuclear`. */
#ifndef SILK_CLIENT_ARGS_H
#define SILK_CLIENT_ARGS_H

#include <stdbool.h>

/* The n words joined by single spaces, as one query; malloc'ed (the caller frees it), NULL
 * when out of memory. n may be 0 (""). */
char *silk_args_join(int n, char *const *words);

/* Whether arg, refused as an option, reads like an exclusion the user meant for the query
 * ("-nuclear", "-kind:reference", "-\"axis of evil\""): a single '-' followed by a letter,
 * a digit, a quote or a parenthesis, and more than one character after it (so "-x" and
 * "--bogus" do not). */
bool silk_args_looks_like_exclusion(const char *arg);

#endif
