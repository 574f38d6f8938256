# SPDX-License-Identifier: GPL-2.0-or-later
# silk — tokenizer micro-benchmark (issue 3), included by bench/bench.mk.
#
#   make bench-tokenizer                        MB/s of silk_tokenize on the corpus article
#   make bench-tokenizer TOKBENCH_MB=10         on 10 MB per flavour instead of 50
# The corpus article: the shared copy when there is one, else the repository's own.
TOKBENCH_ARTICLE ?= $(firstword $(wildcard $(or $(SILK_SHARED),../shared)/corpus/iran-north-korea-relations.txt) corpus/iran-north-korea-relations.txt)
TOKBENCH_MB ?= $(if $(BENCH_QUICK),10,50)

.PHONY: bench-tokenizer

$(BUILD)/bench/tokbench: $(BUILD)/bench/tokbench.o $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS)

bench-tokenizer: $(BUILD)/bench/tokbench
	$(BUILD)/bench/tokbench $(TOKBENCH_ARTICLE) $(TOKBENCH_MB)
