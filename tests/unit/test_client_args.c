/* Unit tests of the client's argument split (client/args.c): which arguments are options
 * and which are words of the query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../client/args.h"

static const struct option longs[] = {
    {"limit", required_argument, NULL, 'n'}, {"offset", required_argument, NULL, 1},
    {"json", no_argument, NULL, 2},          {"socket", required_argument, NULL, 3},
    {"color", required_argument, NULL, 4},   {"colour", required_argument, NULL, 4},
    {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
};

/* Splits the space-separated `line` and checks the result, also space-separated (with
 * "--" where the query starts); want NULL: must fail with a message containing `err`. */
static void check(const char *line, const char *want, const char *err)
{
    char *copy = strdup(line), *save = NULL, *argv[32];
    int argc = 0;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    int n = -1;
    char *why = NULL;
    char **out = silk_args_reorder(argc, argv, "hn:", longs, &n, &why);
    if (!want) {
        assert_null(out);
        assert_non_null(why);
        assert_non_null(strstr(why, err));
        free(why);
        free(copy);
        return;
    }
    assert_non_null(out);
    assert_null(why);
    char got[512] = "";
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(got, " ");
        strcat(got, out[i]);
    }
    if (strcmp(got, want))
        fail_msg("'%s' gave '%s', want '%s'", line, got, want);
    free(out);
    free(copy);
}

static void test_plain(void **state)
{
    (void)state;
    check("silk", "silk --", NULL);
    check("silk missile", "silk -- missile", NULL);
    check("silk axis of evil", "silk -- axis of evil", NULL);
    check("silk - x", "silk -- - x", NULL); /* a lone minus is a word */
}

static void test_options_before(void **state)
{
    (void)state;
    check("silk -n 3 missile", "silk -n 3 -- missile", NULL);
    check("silk -n3 --json missile", "silk -n3 --json -- missile", NULL);
    check("silk -hn 5 x", "silk -hn 5 -- x", NULL);
    check("silk --limit 3 x", "silk --limit 3 -- x", NULL);
    check("silk --limit=3 x", "silk --limit=3 -- x", NULL);
    check("silk --lim 3 x", "silk --lim 3 -- x", NULL); /* abbreviation, as getopt_long */
    check("silk --bogus x", "silk --bogus -- x", NULL); /* getopt_long will refuse it */
    check("silk --socket /tmp/s x", "silk --socket /tmp/s -- x", NULL);
    check("silk --socket -weird x", "silk --socket -weird -- x", NULL); /* a value */
}

static void test_minus_words_stay_in_query(void **state)
{
    (void)state;
    check("silk missile -nuclear", "silk -- missile -nuclear", NULL);
    check("silk -n 2 missile -nuclear -syria", "silk -n 2 -- missile -nuclear -syria", NULL);
    check("silk missile -n x", "silk -- missile -n x", NULL); /* -n without a number */
    check("silk missile -h", "silk -- missile -h", NULL);
    check("silk x --jso", "silk -- x --jso", NULL);     /* no abbreviations after the query */
    check("silk x --bogus", "silk -- x --bogus", NULL); /* unknown: a word */
    check("silk -- -nuclear missile", "silk -- -nuclear missile", NULL);
    check("silk -- --json x", "silk -- --json x", NULL);
}

static void test_options_after(void **state)
{
    (void)state;
    check("silk axis of evil --json -n 2", "silk --json -n 2 -- axis of evil", NULL);
    check("silk korea -n2", "silk -n2 -- korea", NULL);
    check("silk korea --limit=2 nuclear", "silk --limit=2 -- korea nuclear", NULL);
    check("silk korea --offset 5 --color never", "silk --offset 5 --color never -- korea", NULL);
    check("silk x -- --json", "silk -- x --json", NULL);
}

static void test_missing_value(void **state)
{
    (void)state;
    check("silk -n", NULL, "'-n' wants a value");
    check("silk x --limit", NULL, "'--limit' wants a value");
    check("silk --socket", NULL, "'--socket' wants a value");
    check("silk -hn", NULL, "'-hn' wants a value");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),
        cmocka_unit_test(test_options_before),
        cmocka_unit_test(test_minus_words_stay_in_query),
        cmocka_unit_test(test_options_after),
        cmocka_unit_test(test_missing_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
