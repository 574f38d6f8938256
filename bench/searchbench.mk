# SPDX-License-Identifier: GPL-2.0-or-later
# silk — in-process search latency (issue 5), included by bench/bench.mk.
#
#   make bench-search                         the corpus article (built-in query mix)
#   make bench-search SEARCH_JSONL=F SEARCH_QUERIES=Q
#                                             also a JSONL corpus F with queries Q (one a
#                                             line, or "qid<TAB>text"), in `any` mode
# Cranfield, once bench/eval/convert.py made it:
#   make bench-search SEARCH_JSONL=bench/data/eval/cranfield/docs.jsonl \
#        SEARCH_QUERIES=bench/data/eval/cranfield/queries.tsv
SEARCHBENCH = $(BUILD)/bench/searchbench
SEARCHBENCH_DIR = $(BUILD)/bench-search
SEARCH_ROUNDS ?= $(if $(BENCH_QUICK),50,200)
SEARCH_JSONL ?=
SEARCH_QUERIES ?=

.PHONY: bench-search

$(SEARCHBENCH): $(BUILD)/bench/searchbench.o $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS)

bench-search: $(SEARCHBENCH) $(BIN)/silk-index
	@rm -rf $(SEARCHBENCH_DIR) && mkdir -p $(SEARCHBENCH_DIR)/jsonl
	$(BIN)/silk-index --corpus corpus --index $(SEARCHBENCH_DIR)/article --quiet
	$(SEARCHBENCH) --index $(SEARCHBENCH_DIR)/article --rounds $(SEARCH_ROUNDS)
	@if [ -n "$(SEARCH_JSONL)" ]; then \
		cp "$(SEARCH_JSONL)" $(SEARCHBENCH_DIR)/jsonl/docs.jsonl && \
		echo "$(BIN)/silk-index --corpus $(SEARCHBENCH_DIR)/jsonl --index $(SEARCHBENCH_DIR)/jsonl-index --quiet" && \
		$(BIN)/silk-index --corpus $(SEARCHBENCH_DIR)/jsonl --index $(SEARCHBENCH_DIR)/jsonl-index \
			--quiet && \
		echo "$(SEARCHBENCH) --index $(SEARCHBENCH_DIR)/jsonl-index --queries $(SEARCH_QUERIES) --mode any" && \
		$(SEARCHBENCH) --index $(SEARCHBENCH_DIR)/jsonl-index --queries $(SEARCH_QUERIES) \
			--mode any --rounds $(SEARCH_ROUNDS); \
	fi
