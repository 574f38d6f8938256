/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of the client's command line (client/options.c, client/args.c): GNU-style
 * options anywhere (getopt_long permuting), `--` ending them, unknown options refused with
 * their name, the values of --mode, --format, --facets, --limit and --offset, the show
 * command, and the words joined into the query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../client/args.h"
#include "../../client/options.h"

/* Parses the space-separated `line` (after "silk") with standard input a terminal unless
 * `piped`. */
static silk_cli_parsed_t parse(const char *line, bool piped, silk_cli_opts_t *o, char **why)
{
    static char copy[1024];
    static char *argv[64];
    int argc = 0;
    snprintf(copy, sizeof copy, "%s", line);
    argv[argc++] = "silk";
    char *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    memset(o, 0, sizeof *o);
    o->op = SILK_REQ_SEARCH;
    o->limit = 10;
    return silk_cli_parse_args(argc, argv, !piped, o, why);
}

/* `line` parses, to the query `query` (NULL: none). */
static void ok_query(const char *line, const char *query, silk_cli_opts_t *o)
{
    char *why = NULL;
    silk_cli_parsed_t got = parse(line, false, o, &why);
    if (got != SILK_CLI_RUN)
        fail_msg("'%s' did not parse: %s", line, why ? why : "?");
    if (query == NULL)
        assert_null(o->query);
    else if (!o->query || strcmp(o->query, query))
        fail_msg("'%s' gave the query '%s', want '%s'", line, o->query ? o->query : "(none)",
                 query);
    free(o->query);
    o->query = NULL;
}

/* `line` is refused with a message containing each of the NULL-ended strings. */
static void refused(const char *line, ...)
{
    silk_cli_opts_t o;
    char *why = NULL;
    if (parse(line, false, &o, &why) != SILK_CLI_BAD)
        fail_msg("'%s' was not refused", line);
    assert_non_null(why);
    va_list ap;
    va_start(ap, line);
    for (const char *want; (want = va_arg(ap, const char *)) != NULL;)
        if (!strstr(why, want))
            fail_msg("'%s': message '%s' lacks '%s'", line, why, want);
    va_end(ap);
    free(why);
    free(o.query);
}

static void test_options_anywhere(void **state)
{
    (void)state;
    silk_cli_opts_t o;
    ok_query("axis of evil", "axis of evil", &o);
    assert_int_equal(o.limit, 10);
    ok_query("-n 3 korea", "korea", &o);
    assert_int_equal(o.limit, 3);
    ok_query("korea -n 3", "korea", &o);
    assert_int_equal(o.limit, 3);
    ok_query("korea -n2 --json", "korea", &o);
    assert_int_equal(o.limit, 2);
    assert_int_equal(o.format, SILK_FORMAT_JSON);
    ok_query("iran OR syria --mode any", "iran OR syria", &o);
    assert_true(o.any);
    ok_query("--mode=all iran --any", "iran", &o);
    assert_true(o.any);
    ok_query("--any iran --mode all", "iran", &o);
    assert_false(o.any);
    ok_query("korea --limit=5 --offset 10", "korea", &o);
    assert_int_equal(o.limit, 5);
    assert_int_equal(o.offset, 10);
    ok_query("--lim 4 korea", "korea", &o); /* an unambiguous abbreviation, as GNU */
    assert_int_equal(o.limit, 4);
    /* `--` ends the options: a word starting with '-' is then the query's. */
    ok_query("-- missile -nuclear", "missile -nuclear", &o);
    ok_query("missile -- -nuclear", "missile -nuclear", &o);
    ok_query("-n 1 -- --json -x", "--json -x", &o);
    assert_int_equal(o.format, SILK_FORMAT_TEXT);
    ok_query("--socket /tmp/x.sock iran --color=never", "iran", &o);
    assert_string_equal(o.socket, "/tmp/x.sock");
    assert_int_equal(o.color_when, SILK_COLOR_NEVER);
    ok_query("--colour always iran", "iran", &o);
    assert_int_equal(o.color_when, SILK_COLOR_ALWAYS);
}

static void test_formats_and_facets(void **state)
{
    (void)state;
    silk_cli_opts_t o;
    ok_query("--format ids korea", "korea", &o);
    assert_int_equal(o.format, SILK_FORMAT_IDS);
    ok_query("korea --format=text", "korea", &o);
    assert_int_equal(o.format, SILK_FORMAT_TEXT);
    ok_query("--json --format ids korea", "korea", &o); /* the last one wins */
    assert_int_equal(o.format, SILK_FORMAT_IDS);
    ok_query("korea --facets kind,year", "korea", &o);
    assert_int_equal(o.nfacets, 2);
    assert_string_equal(o.facets[0], "kind");
    assert_string_equal(o.facets[1], "year");
    ok_query("korea --facets=section,article,year,kind", "korea", &o);
    assert_int_equal(o.nfacets, 4);
    assert_string_equal(o.facets[0], "section");
    refused("korea --facets kind,bogus", "unknown facet 'bogus'", "kind, year", NULL);
    refused("korea --facets kind,kind", "'kind' is named twice", NULL);
    refused("korea --facets ,kind", "unknown facet ''", NULL);
    refused("korea --format xml", "--format wants text, json or ids", "'xml'", NULL);
    refused("korea --mode some", "--mode wants all or any", NULL);
}

static void test_refused(void **state)
{
    (void)state;
    refused("iran --bogus", "unknown option '--bogus'", NULL);
    refused("--bogus=1 iran", "unknown option '--bogus'", NULL);
    refused("iran -x", "unknown option '-x'", NULL);
    /* A word meant as an exclusion gets the hint about `--`. */
    refused("missile -nuclear", "--limit wants a number", "'uclear'", "silk -- missile", NULL);
    refused("missile -kind:reference", "unknown option '-k'", "after '--'", NULL);
    refused("-n abc missile", "--limit wants a number from 0, got 'abc'", NULL);
    refused("--offset -1 missile", "--offset wants a number", NULL);
    refused("korea --limit", "option '--limit' wants a value", NULL);
    refused("korea -n", "option '-n' wants a value", NULL);
    refused("--color=sometimes missile", "--color wants auto, always or never", NULL);
    refused("--ping --stats", "one at a time", NULL);
    refused("--ping missile", "a query makes no sense", NULL);
    refused("", "no query given", NULL);
    refused("--s iran", "unknown option '--s'", NULL); /* ambiguous: --socket, --stats, ... */
}

static void test_show(void **state)
{
    (void)state;
    silk_cli_opts_t o;
    char *why = NULL;
    assert_int_equal(parse("show a#p1", false, &o, &why), SILK_CLI_RUN);
    assert_int_equal(o.op, SILK_REQ_DOC);
    assert_int_equal(o.nids, 1);
    assert_string_equal(o.ids[0], "a#p1");
    assert_null(o.query);
    assert_int_equal(parse("--json show a#p1 b#ref-2 --socket s", false, &o, &why), SILK_CLI_RUN);
    assert_int_equal(o.nids, 2);
    assert_string_equal(o.ids[1], "b#ref-2");
    assert_int_equal(o.format, SILK_FORMAT_JSON);
    assert_string_equal(o.socket, "s");
    /* Ids from standard input when none is given and it is not a terminal. */
    assert_int_equal(parse("show", true, &o, &why), SILK_CLI_RUN);
    assert_true(o.batch);
    assert_int_equal(o.nids, 0);
    refused("show", "show wants a document id", NULL);
    refused("--stats show a#p1", "show makes no sense", NULL);
    refused("show a#p1 --facets kind", "--facets counts the matches of a search", NULL);
    /* "show" later in a query is a word. */
    ok_query("trial show", "trial show", &o);
    assert_int_equal(o.op, SILK_REQ_SEARCH);
}

static void test_batch_and_actions(void **state)
{
    (void)state;
    silk_cli_opts_t o;
    char *why = NULL;
    assert_int_equal(parse("-n 1", true, &o, &why), SILK_CLI_RUN);
    assert_true(o.batch);
    assert_null(o.query);
    assert_int_equal(parse("--start", false, &o, &why), SILK_CLI_RUN);
    assert_int_equal(o.op, SILK_REQ_PING);
    assert_int_equal(parse("--stats --json", false, &o, &why), SILK_CLI_RUN);
    assert_int_equal(o.op, SILK_REQ_STATS);
    assert_int_equal(parse("iran --help", false, &o, &why), SILK_CLI_HELP);
    free(o.query);
    assert_int_equal(parse("--version", false, &o, &why), SILK_CLI_VERSION);
}

static void test_join_and_hint(void **state)
{
    (void)state;
    char *w[] = {"axis", "of", "evil"};
    char *q = silk_args_join(3, w);
    assert_string_equal(q, "axis of evil");
    free(q);
    q = silk_args_join(0, w);
    assert_string_equal(q, "");
    free(q);
    assert_true(silk_args_looks_like_exclusion("-nuclear"));
    assert_true(silk_args_looks_like_exclusion("-\"axis of evil\""));
    assert_true(silk_args_looks_like_exclusion("-조선"));
    assert_false(silk_args_looks_like_exclusion("-x"));
    assert_false(silk_args_looks_like_exclusion("--bogus"));
    assert_false(silk_args_looks_like_exclusion("-"));
    assert_false(silk_args_looks_like_exclusion("nuclear"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_anywhere),  cmocka_unit_test(test_formats_and_facets),
        cmocka_unit_test(test_refused),           cmocka_unit_test(test_show),
        cmocka_unit_test(test_batch_and_actions), cmocka_unit_test(test_join_and_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
