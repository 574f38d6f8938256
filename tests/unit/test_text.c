/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The text pipeline (lib/text.c) against DESIGN.md § Text: a table of inputs and the tokens
 * they must give (terms, positions, byte offsets, kinds), stems and silk_normalize. The
 * invariants over the corpus article and random bytes are in test_text_invariants.c. */
#include "text_fixture.h"

static const tcase_t cases[] = {
    /* Latin words, case, accents, compatibility forms */
    {"empty", "", 0, ""},
    {"spaces only", " \t\n\r ", 0, ""},
    {"punctuation only", "—, . ; ! ? ( ) [ ] \" ' -", 0, ""},
    {"one word", "Iran", 0, "iran@0-4#W"},
    {"case folds", "IRAN Iran iran", 0, "iran@0-4 iran@5-9 iran@10-14"},
    {"whitespace offsets", "  a\n\tb  ", 0, "a@2-3 b@5-6"},
    {"Balázs precomposed", "Balázs", 0, "balazs@0-7#W"},
    {"Balazs plain", "Balazs", 0, "balazs@0-6#W"},
    {"BALÁZS upper", "BALÁZS", 0, "balazs@0-7#W"},
    {"Balázs decomposed", "Bala\xcc\x81zs", 0, "balazs@0-8#W"},
    {"Pyŏngyang breve", "Pyŏngyang", 0, "pyongyang@0-10#W"},
    {"fullwidth IRAN", "ＩＲＡＮ", 0, "iran@0-12#W"},
    {"fullwidth in sentence", "the ＵＳＡ way", 0, "the@0-3 usa@4-13 way@14-17"},
    {"sharp s folds", "Straße", 0, "strasse@0-7#W"},
    {"o with stroke", "Søren", 0, "soren@0-6#W"},
    {"l with stroke", "Łódź", 0, "lodz@0-7#W"},
    {"ae ligature", "encyclopædia", 0, "encyclopaedia@0-13#W"},
    {"Latin letters without decomposition", "Þórr Đorđe Œuvre ıı Ħ ŧ ŀ ŋ ĸ Ǿ Ǣ ŉ", 0,
     "thorr@0-6#W dorde@7-14 oeuvre@15-21 ii@22-26 h@27-29 t@30-32 l@33-35 n@36-38 q@39-41 "
     "o@42-44 ae@45-47 n@48-50#W"},
    {"fi ligature", "ﬁnance", 0, "finance@0-8#W"},
    {"DZ digraph", "Ǆemal", 0, "dzemal@0-6#W"},
    {"dotted capital I", "İstanbul", 0, "istanbul@0-9#W"},
    {"roman numeral", "Ⅻ", 0, "xii@0-3#W"},
    {"superscript digit", "km²", 0, "km2@0-4#W"},
    {"circled digits", "①②", 0, "12@0-6#N"},
    {"Greek accents stripped", "Ελληνικά", 0, "ελληνικα@0-16#W"},
    {"Greek final sigma", "ΟΔΟΣ οδος", 0, "οδοσ@0-8 οδοσ@9-17"},
    {"Cyrillic", "Москва", 0, "москва@0-12#W"},
    {"Cyrillic yo", "Ёлка", 0, "елка@0-8#W"},
    {"Cheonmachong", "Cheonmachong Tomb", 0, "cheonmachong@0-12 tomb@13-17"},
    /* apostrophes */
    {"possessive", "Bush's", 0, "bush's@0-6#W"},
    {"curly possessive", "Bush’s", 0, "bush's@0-8#W"},
    {"North Korea's", "North Korea's arms", 0, "north@0-5 korea's@6-13 arms@14-18"},
    {"quotes are not joiners", "'quoted'", 0, "quoted@1-7"},
    {"curly quotes", "‘Axis of evil’", 0, "axis@3-7 of@8-10 evil@11-15"},
    {"inner apostrophes", "rock'n'roll", 0, "rock'n'roll@0-11#W"},
    {"digit apostrophe", "1980's", 0, "1980's@0-6#W"},
    {"apostrophe before digit", "a'1", 0, "a@0-1 1@2-3#N"},
    {"double apostrophe", "a''b", 0, "a@0-1 b@3-4"},
    /* acronyms */
    {"U.S.", "U.S.", 0, "us@0-3#W"},
    {"U.S. government", "official U.S. government", 0, "official@0-8 us@9-12 government@14-24"},
    {"U.S.A.", "U.S.A.", 0, "usa@0-5"},
    {"U.S.-led", "U.S.-led", 0, "us@0-3 led@5-8"},
    {"e.g.", "e.g. this", 0, "eg@0-3 this@5-9"},
    {"middle initial", "George W. Bush", 0, "george@0-6 w@7-8 bush@10-14"},
    {"not single after dot", "U.Sx", 0, "u@0-1 sx@2-4"},
    {"acronym then word", "A.B.CD", 0, "ab@0-3 cd@4-6"},
    {"word dot word", "example.com", 0, "example@0-7 com@8-11"},
    {"dot after digit letter", "1.a", 0, "1@0-1#N a@2-3"},
    {"acronym with accents", "É.U.", 0, "eu@0-4#W"},
    {"acronym possessive", "U.S's", 0, "us's@0-5"},
    /* hyphens and dashes */
    {"Hwasong-14", "Hwasong-14", 0, "hwasong@0-7#W 14@8-10#N"},
    {"en dash", "Iran–North Korea", 0, "iran@0-4 north@7-12 korea@13-18"},
    {"em dash", "Iran—Syria", 0, "iran@0-4 syria@7-12"},
    {"co-operation", "co-operation", 0, "co@0-2 operation@3-12"},
    {"F-16s", "F-16s", 0, "f@0-1 16s@2-5#W"},
    {"minus number", "-5", 0, "5@1-2#N"},
    {"underscore splits", "snake_case", 0, "snake@0-5 case@6-10"},
    {"symbols split", "C++ and C#", 0, "c@0-1 and@4-7 c@8-9"},
    {"email", "ab@example.com", 0, "ab@0-2 example@3-10 com@11-14"},
    /* numbers */
    {"747s", "747s", 0, "747s@0-4#W"},
    {"1,600", "1,600", 0, "1,600@0-5#N"},
    {"3.5", "3.5", 0, "3.5@0-3#N"},
    {"big number, final dot", "1,600,000.", 0, "1,600,000@0-9#N"},
    {"year at sentence end", "in 1979.", 0, "in@0-2 1979@3-7#N"},
    {"version", "3.5.2", 0, "3.5.2@0-5#N"},
    {"letter digit dot", "v1.2", 0, "v1.2@0-4#W"},
    {"money", "$1,600.50", 0, "1,600.50@1-9#N"},
    {"comma between letters", "a,b", 0, "a@0-1 b@2-3"},
    {"leading comma", ",5", 0, "5@1-2#N"},
    {"trailing comma", "5, 6", 0, "5@0-1 6@3-4"},
    /* Hangul, Han, Kana */
    {"DPRK bigrams", "조선민주주의인민공화국", 0,
     "조선@0-6#C 선민@3-9 민주@6-12 주주@9-15 주의@12-18 의인@15-21 인민@18-24 "
     "민공@21-27 공화@24-30 화국@27-33"},
    {"Korean title", "이란-조선민주주의인민공화국 관계", 0,
     "이란@0-6#C 조선@7-13 선민@10-16 민주@13-19 주주@16-22 주의@19-25 의인@22-28 "
     "인민@25-31 민공@28-34 공화@31-37 화국@34-40 관계@41-47"},
    {"particle bigrams", "북한의", 0, "북한@0-6#C 한의@3-9#C"},
    {"lone syllable", "북", 0, "북@0-3#C"},
    {"syllable between words", "Iran 북 Korea", 0, "iran@0-4 북@5-8#C korea@9-14"},
    {"Latin then Hangul", "Korea한국", 0, "korea@0-5#W 한국@5-11#C"},
    {"Hangul then digits", "한국2", 0, "한국@0-6#C 2@6-7#N"},
    {"conjoining jamo compose", "\u1112\u1161\u11ab\u1100\u1173\u11af", 0, "한글@0-18#C"},
    {"jamo then syllable", "\u1112\u1161\u11ab글", 0, "한글@0-12#C"},
    {"compatibility jamo", "ㄱㄴ", 0, "\u1100\u1102@0-6#C"},
    {"Han", "日本語", 0, "日本@0-6#C 本語@3-9#C"},
    {"Hiragana", "ひらがな", 0, "ひら@0-6 らが@3-9 がな@6-12"},
    {"Katakana", "カタカナ", 0, "カタ@0-6 タカ@3-9 カナ@6-12"},
    {"halfwidth Katakana", "ｶﾀｶﾅ", 0, "カタ@0-6 タカ@3-9 カナ@6-12"},
    {"halfwidth voiced mark", "ｶﾞ", 0, "ガ@0-6#C"},
    {"bidi mark inside Han", "日\u200e本", 0, "日本@0-9#C"},
    {"ideographic space splits", "日本\u3000語", 0, "日本@0-6 語@9-12"},
    {"CJK punctuation splits", "北韓、伊朗", 0, "北韓@0-6 伊朗@9-15"},
    /* Arabic script */
    {"Persian title", "روابط ایران و کرهی شمالی", 0,
     "روابط@0-10#O ایران@11-21#O و@22-24 کرهی@25-33 شمالی@34-44"},
    {"Arabic yeh", "ايران", 0, "ایران@0-10#O"},
    {"Arabic kaf", "كره", 0, "کره@0-6#O"},
    {"teh marbuta", "مدرسة", 0, "مدرسه@0-10"},
    {"alef hamza below", "إيران", 0, "ایران@0-10"},
    {"alef hamza above", "أحمد", 0, "احمد@0-8"},
    {"alef madda", "آب", 0, "اب@0-4"},
    {"alef maksura", "على", 0, "علی@0-6"},
    {"tatweel", "ايـــران", 0, "ایران@0-16"},
    {"tatweel only", "ـــ Iran", 0, "iran@7-11"},
    {"harakat", "كَتَبَ", 0, "کتب@0-12"},
    {"Persian digits", "۱۳۵۷", 0, "1357@0-8#N"},
    {"Arabic-Indic digits", "١٣٥٧", 0, "1357@0-8#N"},
    {"Persian thousands separator", "۱٬۶۰۰", 0, "1,600@0-10#N"},
    {"Persian decimal separator", "۳٫۵", 0, "3.5@0-6#N"},
    {"ZWNJ joins", "می\u200cخواهم", 0, "میخواهم@0-17#O"},
    {"verbal prefix, space", "می شود", 0, "میشود@0-11#O"},
    {"negative prefix in a sentence", "او نمی داند که", 0, "او@0-4 نمیداند@5-20#O که@21-25"},
    {"prefix with no-break space", "می\u00a0شود", 0, "میشود@0-12#O"},
    {"prefix alone", "می .شود", 0, "می@0-4 شود@6-12"},
    {"prefix before a number", "می ۵", 0, "می@0-4 5@5-7#N"},
    {"prefix before Latin", "می Iran", 0, "می@0-4 iran@5-9"},
    {"prefix inside a word", "ومی شود", 0, "ومی@0-6 شود@7-13"},
    {"two spaces", "می  شود", 0, "می@0-4 شود@6-12"},
    {"without ZWNJ", "میخواهم", 0, "میخواهم@0-14#O"},
    {"RLM around", "\u200fایران\u200f", 0, "ایران@3-13"},
    {"ALM", "\u061cایران", 0, "ایران@2-12"},
    {"LRM inside word", "Ir\u200ean", 0, "iran@0-7#W"},
    {"embedding", "\u202bایران\u202c", 0, "ایران@3-13"},
    {"isolates", "\u2067Iran\u2069", 0, "iran@3-7"},
    {"soft hyphen", "inter\u00adnational", 0, "international@0-15"},
    {"byte order mark", "\ufeffIran", 0, "iran@3-7"},
    {"Arabic then Latin", "ایرانIran", 0, "ایرانiran@0-14#O"},
    /* other scripts */
    {"Devanagari keeps vowel signs", "हिन्दी", 0, "हिन्दी@0-18#O"},
    {"Tamil composes", "\u0b95\u0bc6\u0bbe", 0, "\u0b95\u0bca@0-9#O"},
    {"Hebrew", "שלום", 0, "שלום@0-8#O"},
    {"Hebrew marks reordered", "\u05e9\u05c1\u05bc", 0, "\u05e9\u05bc\u05c1@0-6#O"},
    {"Devanagari digits", "१२", 0, "१२@0-6#N"},
    /* invalid UTF-8, NUL, emoji */
    {"lone continuation",
     "ab\x80"
     "cd",
     0, "ab@0-2 cd@3-5"},
    {"overlong slash",
     "\xc0\xaf"
     "ab",
     0, "ab@2-4"},
    {"overlong 3 bytes",
     "a\xe0\x80\xaf"
     "b",
     0, "a@0-1 b@4-5"},
    {"surrogate",
     "a\xed\xa0\x80"
     "b",
     0, "a@0-1 b@4-5"},
    {"above U+10FFFF",
     "\xf4\x90\x80\x80"
     "x",
     0, "x@4-5"},
    {"truncated at end", "abc\xe2\x82", 0, "abc@0-3"},
    {"truncated in middle",
     "abc\xe2\x82"
     "def",
     0, "abc@0-3 def@5-8"},
    {"invalid inside word",
     "Ba\xff"
     "lazs",
     0, "ba@0-2 lazs@3-7"},
    {"0xFE byte",
     "\xfe\xfe"
     "a",
     0, "a@2-3"},
    {"NUL between words", "foo\0bar", 7, "foo@0-3 bar@4-7"},
    {"leading NULs", "\0\0x", 3, "x@2-3"},
    {"NUL inside digits",
     "1\0"
     "2",
     3, "1@0-1 2@2-3"},
    {"emoji", "I ❤️ Iran 🇮🇷", 0, "i@0-1 iran@9-13"},
    {"emoji ZWJ", "👨\u200d👩\u200d👧 family", 0, "family@19-25"},
    {"emoji inside word", "a😀b", 0, "a@0-1 b@5-6"},
    {"stray combining mark",
     "\xcc\x81"
     "abc",
     0, "abc@2-5"},
    {"enclosed letter is a symbol", "Ⓐ", 0, ""},
    {"fraction", "½", 0, "1⁄2@0-2#O"},
};

static bool parse_expect(const char *spec, size_t *pos, char *term, size_t *start, size_t *end,
                         char *kind)
{
    while (spec[*pos] == ' ')
        (*pos)++;
    if (!spec[*pos])
        return false;
    size_t b = *pos;
    while (spec[*pos] && spec[*pos] != ' ')
        (*pos)++;
    char item[512];
    size_t n = *pos - b;
    assert_true(n < sizeof item);
    memcpy(item, spec + b, n);
    item[n] = 0;
    *kind = 0;
    *start = *end = (size_t)-1;
    char *h = strrchr(item, '#');
    if (h && h[1] && !h[2] && h != item) {
        *kind = h[1];
        *h = 0;
    }
    char *at = strrchr(item, '@');
    if (at && at != item) {
        assert_int_equal(sscanf(at + 1, "%zu-%zu", start, end), 2);
        *at = 0;
    }
    strcpy(term, item);
    return true;
}

static char kind_letter(silk_tok_kind_t k)
{
    switch (k) {
    case SILK_TOK_WORD:
        return 'W';
    case SILK_TOK_NUMBER:
        return 'N';
    case SILK_TOK_OTHER:
        return 'O';
    case SILK_TOK_CJK:
        return 'C';
    }
    return '?';
}

static void print_tokens(const toks_t *ts)
{
    for (size_t i = 0; i < ts->n; i++)
        print_message("    got [%u] '%s'@%zu-%zu#%c\n", ts->v[i].pos, ts->v[i].term, ts->v[i].start,
                      ts->v[i].end, kind_letter(ts->v[i].kind));
}

static void test_table(void **state)
{
    (void)state;
    silk_tokenizer_t *tok = NULL;
    int failures = 0;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    assert_true(sizeof cases / sizeof cases[0] >= 80);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const tcase_t *tc = &cases[c];
        size_t len = tc->len ? tc->len : strlen(tc->input);
        toks_t ts = tokenize(tok, tc->input, len);
        size_t p = 0, i = 0;
        char term[512], kind;
        size_t start, end;
        bool ok = true;
        while (parse_expect(tc->expect, &p, term, &start, &end, &kind)) {
            if (i >= ts.n) {
                print_message("  %s: missing token '%s'\n", tc->name, term);
                ok = false;
                break;
            }
            const tok_t *t = &ts.v[i];
            if (strcmp(t->term, term) != 0 || t->pos != i ||
                (start != (size_t)-1 && (t->start != start || t->end != end)) ||
                (kind && kind_letter(t->kind) != kind)) {
                print_message("  %s: token %zu: want '%s'@%zd-%zd#%c\n", tc->name, i, term,
                              (ssize_t)start, (ssize_t)end, kind ? kind : '-');
                ok = false;
            }
            i++;
        }
        if (ok && i != ts.n) {
            print_message("  %s: %zu tokens, want %zu\n", tc->name, ts.n, i);
            ok = false;
        }
        if (!ok) {
            print_message("  case '%s' failed\n", tc->name);
            print_tokens(&ts);
            failures++;
        }
        free(ts.v);
    }
    silk_tokenizer_destroy(tok);
    assert_int_equal(failures, 0);
}

/* ---- specific behaviour ----------------------------------------------------------------- */

/* The same word typed in the ways a person would type it gives one term. */
static void test_equivalent_spellings(void **state)
{
    (void)state;
    static const char *groups[][4] = {
        {"Balázs", "Balazs", "BALÁZS", "Bala\xcc\x81zs"},
        {"ＩＲＡＮ", "Iran", "IRAN", "ir\u200ban"},
        {"ايران", "ایران", "إيران", "ايـران"},
        {"كره", "کره", "كَره", "كـره"},
        {"می\u200cخواهم", "میخواهم", "مي\u200cخواهم", "\u200fمیخواهم"},
        {"می شود", "می\u200cشود", "میشود", "مي شود"},
        {"Søren", "Soren", "SØREN", "Sören"},
        {"Łódź", "Lodz", "ŁÓDŹ", "lodz"},
        {"encyclopædia", "encyclopaedia", "ENCYCLOPÆDIA", "Encyclopaedia"},
        {"۱۳۵۷", "١٣٥٧", "1357", "1357"},
        {"한글", "\u1112\u1161\u11ab\u1100\u1173\u11af", "한\u200e글", "\u1112\u1161\u11ab글"},
    };
    silk_tokenizer_t *tok = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        toks_t first = tokenize(tok, groups[g][0], strlen(groups[g][0]));
        assert_int_equal(first.n, 1);
        for (size_t k = 1; k < 4; k++) {
            toks_t o = tokenize(tok, groups[g][k], strlen(groups[g][k]));
            assert_int_equal(o.n, 1);
            assert_string_equal(o.v[0].term, first.v[0].term);
            assert_int_equal(o.v[0].end, strlen(groups[g][k]));
            free(o.v);
        }
        free(first.v);
    }
    silk_tokenizer_destroy(tok);
}

static void test_positions_and_stop(void **state)
{
    (void)state;
    silk_tokenizer_t *tok = NULL;
    uint32_t next = 0;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);

    /* first_pos carries on from a previous field; next_pos continues it. */
    toks_t ts = {0};
    assert_int_equal(silk_tokenize(tok, "Hwasong-14 조선 x", 19, 100, collect, &ts, &next),
                     SILK_OK);
    assert_int_equal(ts.n, 4);
    for (size_t i = 0; i < ts.n; i++)
        assert_int_equal(ts.v[i].pos, 100 + i);
    assert_int_equal(next, 104);
    free(ts.v);

    /* The callback stops the run: no more calls, still SILK_OK. */
    toks_t st = {.stop_after = 2};
    assert_int_equal(silk_tokenize(tok, "one two three four", 18, 0, collect, &st, &next), SILK_OK);
    assert_int_equal(st.n, 2);
    assert_int_equal(next, 2);
    free(st.v);
    /* ... also inside a CJK run. */
    toks_t sc = {.stop_after = 1};
    assert_int_equal(
        silk_tokenize(tok, "조선민주주의", strlen("조선민주주의"), 0, collect, &sc, NULL), SILK_OK);
    assert_int_equal(sc.n, 1);
    free(sc.v);

    /* Empty input: no call, next_pos = first_pos. */
    toks_t e = {0};
    assert_int_equal(silk_tokenize(tok, NULL, 0, 7, collect, &e, &next), SILK_OK);
    assert_int_equal(e.n, 0);
    assert_int_equal(next, 7);

    /* Bad arguments. */
    assert_int_equal(silk_tokenize(NULL, "a", 1, 0, collect, &e, NULL), SILK_ERR_INVALID);
    assert_int_equal(silk_tokenize(tok, NULL, 1, 0, collect, &e, NULL), SILK_ERR_INVALID);
    assert_int_equal(silk_tokenize(tok, "a", 1, 0, NULL, &e, NULL), SILK_ERR_INVALID);
    assert_int_equal(silk_tokenizer_new(NULL), SILK_ERR_INVALID);
    silk_tokenizer_destroy(NULL);
    silk_tokenizer_destroy(tok);
}

/* Words longer than SILK_TERM_MAX bytes are cut at a character boundary, and the cut word's
 * offsets cover exactly what its term came from. */
static void test_long_words(void **state)
{
    (void)state;
    silk_tokenizer_t *tok = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);

    /* A 1 MB run of letters, then one more word. */
    size_t big = 1 << 20;
    char *s = malloc(big + 8);
    assert_non_null(s);
    memset(s, 'a', big);
    memcpy(s + big, " Iran", 6);
    toks_t ts = tokenize(tok, s, big + 5);
    assert_int_equal(ts.n, 2);
    assert_int_equal(strlen(ts.v[0].term), SILK_TERM_MAX);
    assert_int_equal(ts.v[0].start, 0);
    assert_int_equal(ts.v[0].end, SILK_TERM_MAX);
    assert_string_equal(ts.v[1].term, "iran");
    assert_int_equal(ts.v[1].start, big + 1);
    assert_int_equal(ts.v[1].pos, 1);
    free(ts.v);

    /* A 1 MB run of é: each folds to one byte, so 64 of them (128 input bytes). */
    for (size_t i = 0; i + 1 < big; i += 2)
        memcpy(s + i, "é", 2);
    ts = tokenize(tok, s, big);
    assert_int_equal(ts.n, 1);
    assert_int_equal(strlen(ts.v[0].term), SILK_TERM_MAX);
    assert_int_equal(ts.v[0].end, 2 * SILK_TERM_MAX);
    free(ts.v);

    /* Persian letters are two bytes: 32 of them fit. */
    size_t n = 0;
    for (int i = 0; i < 40; i++, n += 2)
        memcpy(s + n, "ب", 2);
    ts = tokenize(tok, s, n);
    assert_int_equal(ts.n, 1);
    assert_int_equal(strlen(ts.v[0].term), SILK_TERM_MAX);
    assert_int_equal(ts.v[0].end, SILK_TERM_MAX);
    free(ts.v);

    /* Three-byte letters never split: 21 of them (63 bytes). */
    n = 0;
    for (int i = 0; i < 30; i++, n += 3)
        memcpy(s + n, "ࠀ", 3); /* U+0800 Samaritan letter alaf */
    ts = tokenize(tok, s, n);
    assert_int_equal(ts.n, 1);
    assert_int_equal(strlen(ts.v[0].term), 63);
    assert_int_equal(ts.v[0].end, 63);
    free(ts.v);

    /* 100 Latin letters each with a bidi mark: the cut falls between letters. */
    n = 0;
    for (int i = 0; i < 100; i++) {
        s[n++] = 'x';
        memcpy(s + n, "\u200e", 3);
        n += 3;
    }
    ts = tokenize(tok, s, n);
    assert_int_equal(ts.n, 1);
    assert_true(strlen(ts.v[0].term) <= SILK_TERM_MAX);
    assert_true(strlen(ts.v[0].term) >= 32);
    assert_int_equal(s[ts.v[0].end - 1], 'x');
    free(ts.v);

    /* A 1 MB run of Hangul: bigrams all the way. */
    size_t hn = 0;
    while (hn + 3 <= big) {
        memcpy(s + hn, "한", 3);
        hn += 3;
    }
    ts = tokenize(tok, s, hn);
    assert_int_equal(ts.n, hn / 3 - 1);
    assert_string_equal(ts.v[ts.n - 1].term, "한한");
    assert_int_equal(ts.v[ts.n - 1].end, hn);
    free(ts.v);
    free(s);
    silk_tokenizer_destroy(tok);
}

static void test_normalize(void **state)
{
    (void)state;
    static const char *pairs[][2] = {
        {"Szalontai, Balázs", "szalontai, balazs"},
        {"ＩＲＡＮ", "iran"},
        {"U.S. Department of State", "us. department of state"},
        {"Bush’s", "bush's"},
        {"روابط ایران و كرهی شمالی", "روابط ایران و کرهی شمالی"},
        {"می\u200cخواهم", "میخواهم"},
        {"او می شود", "او میشود"},
        {"Søren Kierkegaard, Łódź", "soren kierkegaard, lodz"},
        {"조선민주주의인민공화국", "조선민주주의인민공화국"},
        {"\u1112\u1161\u11ab", "한"},
        {"۱۳۵۷", "1357"},
        {"", ""},
    };
    silk_tokenizer_t *tok = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *out = NULL;
        size_t len = 0;
        assert_int_equal(silk_normalize(tok, pairs[i][0], strlen(pairs[i][0]), &out, &len),
                         SILK_OK);
        assert_string_equal(out, pairs[i][1]);
        assert_int_equal(len, strlen(pairs[i][1]));
    }
    /* Marks are put in canonical order (dagesh, class 21, before shin dot, class 24), also
     * in a run long enough for the counting sort. */
    char in[256], want[256];
    size_t il = 0, wl = 0;
    memcpy(in, "\u05e9", 2);
    memcpy(want, "\u05e9", 2);
    il = wl = 2;
    for (int i = 0; i < 20; i++, il += 4) {
        memcpy(in + il, "\u05c1\u05bc", 4);
        memcpy(want + wl + 2 * i, "\u05bc", 2);
        memcpy(want + wl + 40 + 2 * i, "\u05c1", 2);
    }
    wl += 80;
    const char *got = NULL;
    size_t glen = 0;
    assert_int_equal(silk_normalize(tok, in, il, &got, &glen), SILK_OK);
    assert_int_equal(glen, wl);
    assert_memory_equal(got, want, wl);
    assert_int_equal(silk_normalize(tok, in, 6, &got, &glen), SILK_OK);
    assert_string_equal(got, "\u05e9\u05bc\u05c1");

    /* Invalid bytes become U+FFFD; a NUL is kept. */
    const char *out = NULL;
    size_t len = 0;
    assert_int_equal(silk_normalize(tok, "A\xff\0B", 4, &out, &len), SILK_OK);
    assert_int_equal(len, 6);
    assert_memory_equal(out, "a\xef\xbf\xbd\0b", 6);
    assert_int_equal(silk_normalize(tok, NULL, 0, &out, &len), SILK_OK);
    assert_int_equal(len, 0);
    assert_int_equal(silk_normalize(tok, "x", 1, NULL, &len), SILK_ERR_INVALID);
    silk_tokenizer_destroy(tok);
}

static void test_stems(void **state)
{
    (void)state;
    silk_tokenizer_t *tok = NULL;
    silk_stemmer_t *st = NULL;
    assert_int_equal(silk_tokenizer_new(&tok), SILK_OK);
    assert_int_equal(silk_stemmer_new("english", &st), SILK_OK);

    /* Without a stemmer: no stems. */
    toks_t ts = tokenize(tok, "weapons", 7);
    assert_int_equal(ts.n, 1);
    assert_false(ts.v[0].has_stem);
    free(ts.v);

    silk_tokenizer_set_stemmer(tok, st);
    const char *text = "Weapons weapon Bush's running relations relation 747s 1,600 ایران 조선 "
                       "Москва nuclear";
    ts = tokenize(tok, text, strlen(text));
    assert_int_equal(ts.n, 12);
    assert_string_equal(ts.v[0].term, "weapons");
    assert_string_equal(ts.v[0].stem, "weapon");
    assert_string_equal(ts.v[1].stem, "weapon");
    assert_string_equal(ts.v[2].term, "bush's");
    assert_string_equal(ts.v[2].stem, "bush");
    assert_string_equal(ts.v[3].stem, "run");
    assert_true(ts.v[4].has_stem && ts.v[5].has_stem);
    assert_string_equal(ts.v[4].stem, ts.v[5].stem);
    assert_false(ts.v[6].has_stem); /* 747s: has digits */
    assert_false(ts.v[7].has_stem); /* number */
    assert_false(ts.v[8].has_stem); /* Persian */
    assert_false(ts.v[9].has_stem); /* CJK */
    assert_int_equal(ts.v[9].kind, SILK_TOK_CJK);
    assert_true(ts.v[10].has_stem); /* Cyrillic is a word; the English stemmer leaves it */
    assert_string_equal(ts.v[11].stem, "nuclear");
    free(ts.v);

    /* Over the whole article (twice, so the stem cache answers the second time), every
     * stem is what the stemmer itself says. */
    size_t clen = 0;
    char *corpus = read_corpus(&clen);
    for (int round = 0; round < 2; round++) {
        ts = tokenize(tok, corpus, clen);
        size_t stems = 0;
        for (size_t i = 0; i < ts.n; i++) {
            char want[4 * SILK_TERM_MAX + 1];
            size_t wlen = 0;
            if (!ts.v[i].has_stem || ts.v[i].kind == SILK_TOK_CJK)
                continue; /* Korean stems: test_kostem.c */
            assert_int_equal(ts.v[i].kind, SILK_TOK_WORD);
            assert_int_equal(
                silk_stemmer_stem(st, ts.v[i].term, strlen(ts.v[i].term), want, sizeof want, &wlen),
                SILK_OK);
            assert_string_equal(ts.v[i].stem, want);
            stems++;
        }
        assert_true(stems > 1500);
        free(ts.v);
    }
    free(corpus);

    /* Another stemmer: no stem cached for the first one is reused. */
    silk_stemmer_t *de = NULL;
    assert_int_equal(silk_stemmer_new("german", &de), SILK_OK);
    ts = tokenize(tok, "katzen", 6);
    assert_string_equal(ts.v[0].stem, "katzen");
    free(ts.v);
    silk_tokenizer_set_stemmer(tok, de);
    ts = tokenize(tok, "katzen", 6);
    assert_string_equal(ts.v[0].stem, "katz");
    free(ts.v);

    silk_tokenizer_set_stemmer(tok, NULL);
    silk_stemmer_destroy(de);
    ts = tokenize(tok, "weapons", 7);
    assert_false(ts.v[0].has_stem);
    free(ts.v);
    silk_tokenizer_destroy(tok);
    silk_stemmer_destroy(st);
}

/* ---- invariants ------------------------------------------------------------------------- */

/* inside[i] is true when byte i is a continuation byte of a valid UTF-8 sequence (decoded
 * independently of lib/text.c, by utf8proc). */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_equivalent_spellings),
        cmocka_unit_test(test_positions_and_stop),
        cmocka_unit_test(test_long_words),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_stems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
