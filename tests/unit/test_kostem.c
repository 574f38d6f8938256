/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The Korean light stemmer (include/silk/kostem.h, lib/kostem.c): the examples of issue 15,
 * the protected nouns, the two-syllable rule, input that is not Hangul, the order of the
 * table, and every word it changes in three KorQuAD paragraphs (tests/data/korean.txt,
 * with the reviewed stems in tests/data/korean-stems.txt); and what the tokenizer reports
 * for Korean words: the stem on a word's first bigram, the word's span on each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "silk/db.h"
#include "silk/kostem.h"
#include "silk/text.h"
#include "silk/utf8.h"

static void check(const char *word, const char *want)
{
    size_t n = silk_ko_stem(word, strlen(word));
    if (n != strlen(want) || memcmp(word, want, n) != 0)
        fail_msg("%s: stem %.*s, want %s", word, (int)n, word, want);
}

static void test_examples(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        /* issue 15 and the brief */
        {"대통령이", "대통령"},
        {"대통령은", "대통령"},
        {"대통령", "대통령"},
        {"천안함이", "천안함"}, /* 함 is the ship, not an ending */
        {"침몰했다", "침몰"},
        {"조선민주주의인민공화국", "조선민주주의인민공화국"},
        {"조선민주주의인민공화국의", "조선민주주의인민공화국"},
        {"이란은", "이란"},
        {"북한과", "북한"},
        /* particles, longest first */
        {"서울에서는", "서울"},
        {"정부에게", "정부"},
        {"대통령께서", "대통령"},
        {"사람들이", "사람"}, /* plural and particle */
        {"미국으로부터", "미국"},
        {"러시아처럼", "러시아"},
        /* verbal endings of 하다 / 되다 verbs */
        {"발표하였다", "발표"},
        {"비판하면서", "비판"},
        {"설치된", "설치"},
        {"제거되지", "제거"},
        {"주장했던", "주장"},
        {"학생이었다", "학생"},
        /* an entry that strips part of what it matches: the adjective keeps 적 */
        {"긍정적인", "긍정적"},
        {"정치적으로", "정치적"},
        /* protected nouns: the last syllable only looks like a particle */
        {"민주주의", "민주주의"},
        {"민주주의를", "민주주의"},
        {"복지국가", "복지국가"},
        {"조사결과", "조사결과"},
        {"남북한", "남북한"},
        {"경수로", "경수로"},
        /* two syllables are never stemmed, and no stem is shorter than two */
        {"북한", "북한"},
        {"국가", "국가"},
        {"것으로", "것으로"}, /* 으로 would leave one syllable: kept whole, not 것으 */
        {"일에는", "일에는"},
        {"무엇", "무엇"},
        {"", ""},
        /* nothing matches */
        {"인민공화국", "인민공화국"},
        {"모스크바", "모스크바"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(cases[i][0], cases[i][1]);
}

/* Not Hangul syllables, or not whole ones: the word is returned whole, nothing is read
 * past its end. */
static void test_not_hangul(void **state)
{
    (void)state;
    check("Iran", "Iran");
    check("abcdefghi", "abcdefghi");
    check("日本語の", "日本語の");
    check("대통령\xec\x9d", "대통령\xec\x9d"); /* a cut syllable */
    /* Conjoining jamo (이 as U+110B U+1175) are not precomposed: no stem. */
    check("대통령\xe1\x84\x8b\xe1\x85\xb5", "대통령\xe1\x84\x8b\xe1\x85\xb5");
    /* The ending is looked up in the last syllables only: a heap copy, exactly sized. */
    char *w = malloc(12);
    assert_non_null(w);
    memcpy(w, "대통령이", 12);
    assert_int_equal(silk_ko_stem(w, 12), 9);
    assert_int_equal(silk_ko_stem(w + 3, 9), 6); /* 통령이: two syllables remain */
    assert_int_equal(silk_ko_stem(w + 6, 6), 6); /* 령이: two syllables, never stemmed */
    free(w);
}

/* Long words: only the end is read, the stem is a prefix. */
static void test_long_word(void **state)
{
    (void)state;
    char buf[3 * 400 + 1];
    size_t n = 0;
    for (int i = 0; i < 399; i++, n += 3)
        memcpy(buf + n, "한", 3);
    memcpy(buf + n, "을", 3);
    n += 3;
    assert_int_equal(silk_ko_stem(buf, n), n - 3);
}

static void test_table(void **state)
{
    (void)state;
    assert_true(silk__ko_table_sorted());
}

static char *read_file(const char *rel, size_t *len)
{
    const char *root = getenv("SILK_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root ? root : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repository root or set SILK_ROOT)", path);
    char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = 0;
    fclose(f);
    return buf;
}

/* Every run of Hangul syllables in the paragraphs is stemmed; the words that change, with
 * their stems, must be exactly the reviewed list. */
static void test_real_text(void **state)
{
    (void)state;
    size_t tlen = 0, elen = 0;
    char *text = read_file("tests/data/korean.txt", &tlen);
    char *want = read_file("tests/data/korean-stems.txt", &elen);
    char *got = malloc(1 << 20);
    assert_non_null(got);
    size_t glen = 0, words = 0, changed = 0;
    for (size_t i = 0; i < tlen;) {
        int32_t cp;
        size_t l = silk_utf8_decode(text + i, tlen - i, &cp);
        if (!silk_ko_is_syllable(cp)) {
            i += l;
            continue;
        }
        size_t j = i;
        while (j < tlen && silk_utf8_decode(text + j, tlen - j, &cp) == 3 &&
               silk_ko_is_syllable(cp))
            j += 3;
        size_t s = silk_ko_stem(text + i, j - i);
        assert_true(s <= j - i && s % 3 == 0);
        assert_true(s == j - i || s >= 6);
        words++;
        if (s != j - i) {
            changed++;
            glen += (size_t)snprintf(got + glen, (1 << 20) - glen, "%.*s %.*s\n", (int)(j - i),
                                     text + i, (int)s, text + i);
        }
        i = j;
    }
    if (glen != elen || memcmp(got, want, glen) != 0) {
        print_message("stems of tests/data/korean.txt:\n%s", got);
        fail_msg("the stems differ from tests/data/korean-stems.txt");
    }
    /* About a third of the words in running text carry a particle or an ending. */
    assert_true(words > 300);
    assert_true(changed * 4 > words && changed * 2 < words);
    free(got);
    free(want);
    free(text);
}

/* ---- through the tokenizer --------------------------------------------------------------- */

typedef struct {
    char term[SILK_TERM_MAX + 1]; /* the term */
    char stem[SILK_TERM_MAX + 1]; /* its stem, "" when none */
    bool has_stem;                /* a stem was reported */
    size_t start, end;            /* its byte offsets */
    size_t word_start, word_end;  /* the offsets of its whole word */
    silk_tok_kind_t kind;         /* its kind */
} tok_t;

typedef struct {
    tok_t *v;      /* the tokens */
    size_t n, cap; /* how many, room for */
} toks_t;

static int collect(const silk_token_t *t, void *ud)
{
    toks_t *ts = ud;
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 64;
        ts->v = realloc(ts->v, ts->cap * sizeof *ts->v);
        assert_non_null(ts->v);
    }
    tok_t *k = &ts->v[ts->n++];
    memcpy(k->term, t->term, t->len + 1);
    k->has_stem = t->stem != NULL;
    k->stem[0] = 0;
    if (t->stem) {
        assert_true(t->stem_len < sizeof k->stem);
        assert_int_equal(strlen(t->stem), t->stem_len);
        memcpy(k->stem, t->stem, t->stem_len + 1);
    }
    k->start = t->start;
    k->end = t->end;
    k->word_start = t->word_start;
    k->word_end = t->word_end;
    k->kind = t->kind;
    return 0;
}

static toks_t tokenize(silk_tokenizer_t *tok, const char *s, size_t len)
{
    toks_t ts = {0};
    assert_int_equal(silk_tokenize(tok, s, len, 0, collect, &ts, NULL), SILK_OK);
    return ts;
}

/* Korean: the bigrams stay as they were; the first bigram of a Hangul word of three or more
 * syllables reports the word's stem, and every bigram the word's span (text.h). */
static void test_korean_stems(void **state)
{
    (void)state;
    silk_tokenizer_t *tok = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    /* 0 대통령이 13 천안함이 26 침몰했다 39 북한과 49 조선민주주의인민공화국 83 中國대통령은
     * 102 북 106 북한 */
    const char *text =
        "대통령이 천안함이 침몰했다 북한과 조선민주주의인민공화국 中國대통령은 북 북한";
    static const struct {
        const char *term, *stem; /* stem NULL: none */
        size_t ws, we;           /* the word's span */
    } want[] = {
        {"대통", "대통령", 0, 12},
        {"통령", NULL, 0, 12},
        {"령이", NULL, 0, 12},
        {"천안", "천안함", 13, 25},
        {"안함", NULL, 13, 25},
        {"함이", NULL, 13, 25},
        {"침몰", "침몰", 26, 38},
        {"몰했", NULL, 26, 38},
        {"했다", NULL, 26, 38},
        {"북한", "북한", 39, 48}, /* a two-syllable stem is reported like any other */
        {"한과", NULL, 39, 48},
        {"조선", "조선민주주의인민공화국", 49, 82},
        {"선민", NULL, 49, 82},
        {"민주", NULL, 49, 82},
        {"주주", NULL, 49, 82},
        {"주의", NULL, 49, 82},
        {"의인", NULL, 49, 82},
        {"인민", NULL, 49, 82},
        {"민공", NULL, 49, 82},
        {"공화", NULL, 49, 82},
        {"화국", NULL, 49, 82},
        {"中國", NULL, 83, 89}, /* Han: its own word */
        {"國대", NULL, 86, 92},
        {"대통", "대통령", 89, 101}, /* a Hangul word after Han in one run */
        {"통령", NULL, 89, 101},
        {"령은", NULL, 89, 101},
        {"북", NULL, 102, 105},   /* a lone syllable */
        {"북한", NULL, 106, 112}, /* a two-syllable word: one bigram, no stem */
    };
    toks_t ts = tokenize(tok, text, strlen(text));
    assert_int_equal(ts.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < ts.n; i++) {
        const tok_t *t = &ts.v[i];
        assert_string_equal(t->term, want[i].term);
        assert_int_equal(t->kind, SILK_TOK_CJK);
        if (want[i].stem) {
            assert_true(t->has_stem);
            assert_string_equal(t->stem, want[i].stem);
        } else {
            assert_false(t->has_stem);
        }
        assert_int_equal(t->word_start, want[i].ws);
        assert_int_equal(t->word_end, want[i].we);
    }
    free(ts.v);

    /* Other tokens are their own word. */
    ts = tokenize(tok, "Iran 1,600 ایران", strlen("Iran 1,600 ایران"));
    assert_int_equal(ts.n, 3);
    for (size_t i = 0; i < ts.n; i++) {
        assert_int_equal(ts.v[i].word_start, ts.v[i].start);
        assert_int_equal(ts.v[i].word_end, ts.v[i].end);
    }
    free(ts.v);

    /* A bidi mark or a conjoining jamo ends the word the stemmer reads; the bigrams go on. */
    ts = tokenize(tok, "대통령\u200e이야", strlen("대통령\u200e이야"));
    assert_int_equal(ts.n, 4);
    assert_string_equal(ts.v[0].stem, "대통령");
    assert_int_equal(ts.v[0].word_end, 9);
    assert_string_equal(ts.v[2].term, "령이");
    assert_int_equal(ts.v[3].word_start, 12); /* 이야: a word of its own, two syllables */
    assert_false(ts.v[3].has_stem);
    free(ts.v);
    const char *jamo = "대통령\u110b\u1175";
    ts = tokenize(tok, jamo, strlen(jamo));
    assert_int_equal(ts.n, 3);
    assert_string_equal(ts.v[2].term, "령이");
    assert_string_equal(ts.v[0].stem, "대통령"); /* the word is 대통령, without the jamo */
    assert_int_equal(ts.v[0].word_end, 9);
    free(ts.v);

    /* A word longer than a term has no stem; its bigrams are as always. */
    char big[3 * 30 + 1];
    for (int i = 0; i < 30; i++)
        memcpy(big + 3 * i, "한", 3);
    ts = tokenize(tok, big, 90);
    assert_int_equal(ts.n, 29);
    assert_false(ts.v[0].has_stem);
    assert_int_equal(ts.v[28].word_end, 90);
    free(ts.v);

    /* The stems are the stemmer's, with or without an English stemmer set; positions
     * and bigrams do not change. Over the Korean paragraphs of tests/data. */
    silk_stemmer_t *st = NULL;
    assert_int_equal(silk_stemmer_new("english", &st), SILK_OK);
    const char *root = getenv("SILK_ROOT");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/korean.txt", root ? root : ".");
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (run from the repository root or set SILK_ROOT)", path);
    static char ko[1 << 16];
    size_t klen = fread(ko, 1, sizeof ko, f);
    fclose(f);
    for (int round = 0; round < 2; round++) {
        silk_tokenizer_set_stemmer(tok, round ? st : NULL);
        ts = tokenize(tok, ko, klen);
        size_t stems = 0;
        for (size_t i = 0; i < ts.n; i++) {
            const tok_t *t = &ts.v[i];
            assert_true(t->word_start <= t->start && t->start < t->word_end);
            if (t->kind != SILK_TOK_CJK || !t->has_stem)
                continue;
            size_t wl = t->word_end - t->word_start;
            assert_int_equal(t->start, t->word_start);
            assert_true(wl >= 9);
            size_t sl = silk_ko_stem(ko + t->word_start, wl);
            assert_int_equal(strlen(t->stem), sl);
            assert_memory_equal(t->stem, ko + t->word_start, sl);
            stems++;
        }
        assert_true(stems > 150);
        free(ts.v);
    }
    silk_tokenizer_set_stemmer(tok, NULL);
    silk_stemmer_destroy(st);
    silk_tokenizer_destroy(tok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),  cmocka_unit_test(test_not_hangul),
        cmocka_unit_test(test_long_word), cmocka_unit_test(test_table),
        cmocka_unit_test(test_real_text), cmocka_unit_test(test_korean_stems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
