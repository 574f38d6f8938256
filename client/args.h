/* silk client — where the options end and the query begins.
 *
 * A query may contain words that look like options: `-nuclear` is the exclusion operator.
 * getopt_long either permutes them into options (GNU) or stops at the first word (POSIX),
 * and both are wrong for silk: `silk missile -nuclear` must keep -nuclear in the query,
 * and `silk axis of evil --json` should still mean --json. This module decides, and hands
 * getopt_long a vector it can parse with "+" (stop at "--"). */
#ifndef SILK_CLIENT_ARGS_H
#define SILK_CLIENT_ARGS_H

#include <getopt.h>

/* Returns a new vector: argv[0], the options (each with its value when that is the next
 * argument), "--", then the words of the query, in their order; *new_argc is its length.
 * Before the first query word every argument starting with '-' is an option. After it
 * only a long option named in full ("--json", "--limit=3", "--limit 3") and a short
 * option that takes a value given as a number ("-n 3", "-n3") are options; anything else
 * is a query word. An explicit "--" makes all that follows query words.
 *
 * `shorts` lists the short options getopt-style ("hn:": -h, and -n with a value); `longs`
 * is getopt_long's table (abbreviations are recognized before the query, as getopt_long
 * does). The caller frees the returned array (not its strings, which are argv's).
 * Returns NULL when an option that wants a value ends the line (or out of memory), with a
 * message in *why (malloc'ed; the caller frees it). */
char **silk_args_reorder(int argc, char **argv, const char *shorts, const struct option *longs,
                         int *new_argc, char **why);

#endif
