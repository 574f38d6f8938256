/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target of the Markdown reader (indexer/read_md.c: md4c, then its callbacks): the input
 * is the file's contents (tests/fuzz/fuzz_reader.h). */
#define FUZZ_READER_NAME   "fuzz_md"
#define FUZZ_READER_FORMAT SILK_FORMAT_MD
#define FUZZ_READER_PATH   "asia/korea.md"
#include "fuzz_reader.h"
