/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — tokenizer micro-benchmark (issue 3): MB/s of silk_tokenize on one core.
 *
 *   tokbench [ARTICLE] [MB]
 *
 * ARTICLE (default ../shared/corpus/iran-north-korea-relations.txt, from the repository
 * root) is repeated to MB megabytes (default 50; 10 when BENCH_QUICK is set) in three
 * flavours, each tokenized line by line as the indexer does with paragraphs:
 *   ascii  the article's lines that are pure ASCII
 *   latin  its lines without Hangul or Arabic script (accents and dashes kept)
 *   mixed  the whole article plus extra Korean and Persian paragraphs
 * each without and with the English stemmer. The best of two runs is reported. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "silk/text.h"

/* Extra non-Latin text for the mixed flavour (written for this benchmark). clang-format
 * counts the width of Persian text with ZWNJs differently on each pass, so it is kept out. */
/* clang-format off */
static const char korean[] =
    "이란과 조선민주주의인민공화국의 관계는 양국의 공식 통신사에 의해 긍정적인 것으로 "
    "묘사된다. 두 나라는 1979년 이란 혁명 이후 외교 관계를 개선하였고, 교육, 과학, 문화 "
    "분야에서 협력을 약속하였다. 미국은 북한이 이란에 미사일과 무기를 판매하는 것에 대해 "
    "크게 우려하고 있다.\n";
static const char persian[] =
    "روابط ایران و کره شمالی از سوی خبرگزاری\u200cهای رسمی دو کشور مثبت توصیف "
    "می\u200cشود. روابط دیپلماتیک پس از انقلاب ۱۳۵۷ ایران بهبود یافت و دو کشور در "
    "زمینه\u200cهای آموزشی، علمی و فرهنگی همکاری می\u200cکنند. ایالات متحده از فروش "
    "موشک کره شمالی به ایران نگران است.\n";
/* clang-format on */

typedef struct {
    size_t tokens; /* tokens seen */
    size_t bytes;  /* term bytes seen, so that nothing is optimized away */
    size_t stems;  /* stems seen */
} count_t;

static int count(const silk_token_t *t, void *ud)
{
    count_t *c = ud;
    c->tokens++;
    c->bytes += t->len;
    if (t->stem)
        c->stems++;
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A line is "Latin" when it holds no Hangul (U+1100.., U+3130.., U+AC00..) and no Arabic
 * script (U+0600..U+06FF), i.e. no lead byte 0xD8..0xDB and no 0xE1 0x84-0x87, 0xE3 0x84-0x86,
 * 0xEA..0xED. */
static bool latin_line(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= 0xD8 && s[i] <= 0xDB)
            return false;
        if (s[i] >= 0xEA && s[i] <= 0xED)
            return false;
        if ((s[i] == 0xE1 || s[i] == 0xE3) && i + 1 < n && s[i + 1] >= 0x84 && s[i + 1] <= 0x87)
            return false;
    }
    return true;
}

static bool ascii_line(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 0x80)
            return false;
    return true;
}

/* Appends the lines of src that `keep` accepts (all when keep is NULL) to dst. */
static size_t filter(char *dst, const char *src, size_t n,
                     bool (*keep)(const unsigned char *, size_t))
{
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        const char *e = memchr(src + i, '\n', n - i);
        size_t len = e ? (size_t)(e - (src + i)) + 1 : n - i;
        if (!keep || keep((const unsigned char *)src + i, len)) {
            memcpy(dst + out, src + i, len);
            out += len;
        }
        i += len;
    }
    return out;
}

/* Repeats unit (ending in a newline) into a new buffer of about `size` bytes. */
static char *repeat(const char *unit, size_t ulen, size_t size, size_t *out_len)
{
    char *buf = malloc(size + ulen);
    if (!buf) {
        perror("malloc");
        exit(1);
    }
    size_t n = 0;
    while (n < size) {
        memcpy(buf + n, unit, ulen);
        n += ulen;
    }
    *out_len = n;
    return buf;
}

static double run(silk_tokenizer_t *tok, const char *buf, size_t n, count_t *c)
{
    double best = 0;
    for (int r = 0; r < 2; r++) {
        count_t cc = {0};
        uint32_t pos = 0;
        double t0 = now();
        for (size_t i = 0; i < n;) {
            const char *e = memchr(buf + i, '\n', n - i);
            size_t len = e ? (size_t)(e - (buf + i)) : n - i;
            if (silk_tokenize(tok, buf + i, len, pos, count, &cc, &pos) != SILK_OK) {
                fprintf(stderr, "tokbench: silk_tokenize failed\n");
                exit(1);
            }
            i += len + 1;
        }
        double mbs = (double)n / 1e6 / (now() - t0);
        if (mbs > best)
            best = mbs;
        *c = cc;
    }
    return best;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../shared/corpus/iran-north-korea-relations.txt";
    double mb = argc > 2 ? atof(argv[2]) : (getenv("BENCH_QUICK") ? 10 : 50);
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    static char article[1 << 22];
    size_t alen = fread(article, 1, sizeof article - 2, f);
    fclose(f);
    if (alen == 0) {
        fprintf(stderr, "tokbench: %s is empty\n", path);
        return 1;
    }
    if (article[alen - 1] != '\n')
        article[alen++] = '\n';

    /* The three units to repeat. */
    size_t extra = 5 * (sizeof korean - 1 + sizeof persian - 1);
    char *unit = malloc(alen + extra);
    if (!unit)
        return 1;
    struct {
        const char *name;
        char *text;
        size_t len;
        size_t unit_len;
    } flavours[3] = {{"ascii", NULL, 0, 0}, {"latin", NULL, 0, 0}, {"mixed", NULL, 0, 0}};
    size_t size = (size_t)(mb * 1e6);
    for (int k = 0; k < 3; k++) {
        size_t ulen;
        if (k == 0) {
            ulen = filter(unit, article, alen, ascii_line);
        } else if (k == 1) {
            ulen = filter(unit, article, alen, latin_line);
        } else {
            ulen = filter(unit, article, alen, NULL);
            for (int r = 0; r < 5; r++) {
                memcpy(unit + ulen, korean, sizeof korean - 1);
                ulen += sizeof korean - 1;
                memcpy(unit + ulen, persian, sizeof persian - 1);
                ulen += sizeof persian - 1;
            }
        }
        flavours[k].unit_len = ulen;
        flavours[k].text = repeat(unit, ulen, size, &flavours[k].len);
    }
    free(unit);

    silk_tokenizer_t *tok = NULL;
    silk_stemmer_t *st = NULL;
    if (silk_tokenizer_new(&tok) != SILK_OK || silk_stemmer_new("english", &st) != SILK_OK) {
        fprintf(stderr, "tokbench: cannot create the tokenizer or stemmer\n");
        return 1;
    }
    printf("tokbench: %s repeated to %.0f MB per flavour, line by line, one thread, best of 2\n",
           path, mb);
    printf("%-6s %-8s %10s %12s %12s  %s\n", "text", "stemming", "MB/s", "tokens", "stems", "unit");
    for (int s = 0; s < 2; s++) {
        silk_tokenizer_set_stemmer(tok, s ? st : NULL);
        for (int k = 0; k < 3; k++) {
            count_t c;
            double mbs = run(tok, flavours[k].text, flavours[k].len, &c);
            printf("%-6s %-8s %10.1f %12zu %12zu  %zu bytes\n", flavours[k].name,
                   s ? "english" : "none", mbs, c.tokens, c.stems, flavours[k].unit_len);
            fflush(stdout);
        }
    }
    printf("targets: latin >= 60 MB/s, mixed >= 20 MB/s (without stemming)\n");
    for (int k = 0; k < 3; k++)
        free(flavours[k].text);
    silk_tokenizer_destroy(tok);
    silk_stemmer_destroy(st);
    return 0;
}
