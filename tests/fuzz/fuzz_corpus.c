/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target of the article readers (.txt and .md: indexer/read_txt.c, read_md.c,
 * through silk_article_parse() of indexer/corpus.h, and the streamed line reader of .txt,
 * indexer/linein.c). The first input byte picks the format (even: .txt, odd: .md); the rest
 * is the file's contents. The invariants are those of tests/fuzz/fuzz_reader.h, among them
 * that the bytes fed in chunks of any size give the documents of the whole buffer. */
#define FUZZ_READER_CUSTOM
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_name = "fuzz_corpus";
    if (size < 1)
        return 0;
    silk_format_t fmt = (data[0] & 1) ? SILK_FORMAT_MD : SILK_FORMAT_TXT;
    check_reader(fmt, "asia/korea.txt", (const char *)data + 1, size - 1);
    return 0;
}
