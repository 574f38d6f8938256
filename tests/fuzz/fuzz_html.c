/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target of the HTML reader (indexer/read_html.c: gumbo, then the walk over its tree):
 * the input is the file's contents (tests/fuzz/fuzz_reader.h). */
#define FUZZ_READER_NAME   "fuzz_html"
#define FUZZ_READER_FORMAT SILK_FORMAT_HTML
#define FUZZ_READER_PATH   "asia/korea.html"
#include "fuzz_reader.h"
