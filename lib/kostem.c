/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silk — the Korean light stemmer (include/silk/kostem.h).
 *
 * The table lists word endings by length in syllables, each with how many of its syllables
 * are stripped. Most entries strip all of them (a particle, 에서는, or an ending, 했다);
 * an entry that strips fewer keeps part of what it matches (적인 strips 인 only, so
 * 긍정적인 and 긍정적 meet), and an entry that strips nothing protects a noun whose last
 * syllable looks like a particle: 민주주의 would otherwise lose 의 while 민주주의를 keeps
 * it, and the two forms would no longer meet. The ending matched is always the longest one
 * in the table; when stripping it would leave fewer than two syllables the word is kept
 * whole rather than stripped by a shorter entry (것으로 is not 것으), because a one-syllable
 * stem is too ambiguous to search for and the word is probably not a noun plus particle.
 *
 * The entries were chosen on KorQuAD paragraphs (tests/data/korean.txt holds some, and
 * tests/unit/test_kostem.c the stems expected there). Each length's array is sorted by its
 * UTF-8 bytes (the order of code points), so that a word's ending is found by binary
 * search; test_kostem.c checks the order.
 */
#include "silk/kostem.h"

#include <string.h>

#include "silk/utf8.h"

typedef struct {
    const char *s; /* the ending, UTF-8: 3 bytes per syllable */
    int strip;     /* how many of its last syllables are stripped (0: none) */
} suffix_t;

/* clang-format off */
static const suffix_t suf1[] = {
    {"가", 1}, {"과", 1}, {"는", 1}, {"된", 1}, {"될", 1}, {"들", 1}, {"로", 1}, {"를", 1}, {"에", 1},
    {"와", 1}, {"은", 1}, {"을", 1}, {"의", 1}, {"이", 1}, {"한", 1}, {"할", 1},
};
static const suffix_t suf2[] = {
    {"강의", 0}, {"결과", 0}, {"경과", 0}, {"과는", 2}, {"과도", 2}, {"과의", 2}, {"국가", 0}, {"까지", 2},
    {"께서", 2}, {"남한", 0}, {"논의", 0}, {"대로", 2}, {"도로", 0}, {"동의", 0}, {"됐다", 2}, {"되고", 2},
    {"되기", 2}, {"되는", 2}, {"되며", 2}, {"되면", 2}, {"되어", 2}, {"되자", 2}, {"되지", 2}, {"된다", 2},
    {"들과", 2}, {"들도", 2}, {"들로", 2}, {"들만", 2}, {"들에", 2}, {"들은", 2}, {"들을", 2}, {"들의", 2},
    {"들이", 2}, {"라고", 2}, {"라는", 2}, {"라이", 0}, {"로는", 2}, {"로도", 2}, {"로서", 2}, {"로써", 2},
    {"로의", 2}, {"마다", 2}, {"마저", 2}, {"만큼", 2}, {"밖에", 2}, {"변이", 0}, {"보다", 2}, {"보이", 0},
    {"부터", 2}, {"북한", 0}, {"성과", 0}, {"시켜", 2}, {"시킨", 2}, {"에게", 2}, {"에는", 2}, {"에도", 2},
    {"에만", 2}, {"에서", 2}, {"에의", 2}, {"였고", 2}, {"였다", 2}, {"였던", 2}, {"였을", 2}, {"와는", 2},
    {"와도", 2}, {"와의", 2}, {"웨이", 0}, {"으로", 2}, {"의의", 0}, {"이고", 2}, {"이기", 2}, {"이나", 2},
    {"이다", 2}, {"이든", 2}, {"이라", 2}, {"이란", 2}, {"이며", 2}, {"이면", 2}, {"이자", 2}, {"적이", 1},
    {"적인", 1}, {"정의", 0}, {"제한", 0}, {"조차", 2}, {"주의", 0}, {"처럼", 2}, {"초과", 0}, {"카이", 0},
    {"통과", 0}, {"하게", 2}, {"하고", 2}, {"하기", 2}, {"하는", 2}, {"하다", 2}, {"하던", 2}, {"하며", 2},
    {"하면", 2}, {"하여", 2}, {"하자", 2}, {"하지", 2}, {"학과", 0}, {"한다", 2}, {"합의", 0}, {"해서", 2},
    {"했고", 2}, {"했다", 2}, {"했던", 2}, {"혐의", 0}, {"효과", 0},
};
static const suffix_t suf3[] = {
    {"건축가", 0}, {"경수로", 0}, {"고양이", 0}, {"까지는", 3}, {"까지의", 3}, {"되도록", 3}, {"되어서", 3},
    {"되었고", 3}, {"되었다", 3}, {"되었던", 3}, {"된다는", 3}, {"들과의", 3}, {"들까지", 3}, {"들로서", 3},
    {"들보다", 3}, {"들에게", 3}, {"들에서", 3}, {"들이나", 3}, {"들이다", 3}, {"들이며", 3}, {"들처럼", 3},
    {"로부터", 3}, {"보다는", 3}, {"부터는", 3}, {"부터의", 3}, {"사업가", 0}, {"소설가", 0}, {"스스로", 0},
    {"스캔들", 0}, {"시켰고", 3}, {"시켰다", 3}, {"시키고", 3}, {"시키기", 3}, {"시키는", 3}, {"시키다", 3},
    {"어린이", 0}, {"에게는", 3}, {"에게서", 3}, {"에까지", 3}, {"에서는", 3}, {"에서도", 3}, {"에서의", 3},
    {"였으며", 3}, {"예술가", 0}, {"운동가", 0}, {"원자로", 0}, {"으로는", 3}, {"으로도", 3}, {"으로서", 3},
    {"으로써", 3}, {"으로의", 3}, {"음악가", 0}, {"이기도", 3}, {"이라고", 3}, {"이라는", 3}, {"이므로", 3},
    {"이어서", 3}, {"이었고", 3}, {"이었다", 3}, {"이었던", 3}, {"이었을", 3}, {"이지만", 3}, {"작곡가", 0},
    {"적으로", 2}, {"적이다", 2}, {"전문가", 0}, {"처럼의", 3}, {"최대한", 0}, {"최소한", 0}, {"탐험가", 0},
    {"평론가", 0}, {"플레이", 0}, {"하기도", 3}, {"하도록", 3}, {"하려고", 3}, {"하려는", 3}, {"하면서", 3},
    {"하여서", 3}, {"하였고", 3}, {"하였다", 3}, {"하였던", 3}, {"하와이", 0}, {"하지만", 3}, {"한다는", 3},
    {"했다가", 3}, {"했다는", 3}, {"했으며", 3}, {"했지만", 3}, {"혁명가", 0},
};
static const suffix_t suf4[] = {
    {"되었다는", 4}, {"되었으며", 4}, {"되었지만", 4}, {"들로부터", 4}, {"들에게는", 4}, {"들이었다", 4},
    {"시켰으며", 4}, {"에서부터", 4}, {"우루과이", 0}, {"으로부터", 4}, {"이었으며", 4}, {"적이었다", 3},
    {"파라과이", 0}, {"하였다는", 4}, {"하였으며", 4}, {"하였지만", 4},
};
/* clang-format on */

typedef struct {
    const suffix_t *v; /* the entries of one length, sorted by bytes */
    size_t n;          /* how many */
} suffixes_t;

#define ENTRIES(a)                                                                                 \
    {                                                                                              \
        a, sizeof a / sizeof a[0]                                                                  \
    }
static const suffixes_t by_len[] = {
    {NULL, 0}, ENTRIES(suf1), ENTRIES(suf2), ENTRIES(suf3), ENTRIES(suf4),
};
#define MAX_SYLLABLES (sizeof by_len / sizeof by_len[0] - 1)

/* memcmp() for the few bytes of an ending, inline: a call per probe would cost more than
 * the comparison. */
static inline int bytes_cmp(const char *a, const char *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (a[k] != b[k])
            return (uint8_t)a[k] < (uint8_t)b[k] ? -1 : 1;
    return 0;
}

/* The entry of by_len[syl] whose ending is the bytes e[0..3*syl), or NULL. */
static const suffix_t *find(size_t syl, const char *e)
{
    const suffixes_t *t = &by_len[syl];
    size_t lo = 0, hi = t->n, nb = syl * SILK_KO_SYLLABLE_BYTES;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = bytes_cmp(t->v[mid].s, e, nb);
        if (c == 0)
            return &t->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool silk__ko_table_sorted(void)
{
    for (size_t k = 1; k <= MAX_SYLLABLES; k++)
        for (size_t i = 0; i < by_len[k].n; i++) {
            const suffix_t *e = &by_len[k].v[i];
            if (strlen(e->s) != k * SILK_KO_SYLLABLE_BYTES || e->strip < 0 || (size_t)e->strip > k)
                return false;
            if (i > 0 && bytes_cmp(by_len[k].v[i - 1].s, e->s, k * SILK_KO_SYLLABLE_BYTES) >= 0)
                return false;
            if (find(k, e->s) != e)
                return false;
        }
    return true;
}

size_t silk_ko_stem(const char *word, size_t len)
{
    size_t syl = len / SILK_KO_SYLLABLE_BYTES;
    if (syl < 3 || len % SILK_KO_SYLLABLE_BYTES != 0)
        return len;
    /* Only the syllables an ending may cover are checked: the tokenizer hands over
     * syllables only, and a longer look would cost a decode per syllable per word. */
    size_t look = syl < MAX_SYLLABLES ? syl : MAX_SYLLABLES;
    for (size_t k = 0; k < look; k++) {
        int32_t cp;
        size_t at = len - (k + 1) * SILK_KO_SYLLABLE_BYTES;
        if (silk_utf8_decode(word + at, SILK_KO_SYLLABLE_BYTES, &cp) != SILK_KO_SYLLABLE_BYTES ||
            !silk_ko_is_syllable(cp))
            return len;
    }
    for (size_t k = look; k > 0; k--) {
        const suffix_t *e = find(k, word + len - k * SILK_KO_SYLLABLE_BYTES);
        if (!e)
            continue;
        if (syl - (size_t)e->strip < 2)
            return len;
        return len - (size_t)e->strip * SILK_KO_SYLLABLE_BYTES;
    }
    return len;
}
