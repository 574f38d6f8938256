# SPDX-License-Identifier: GPL-2.0-or-later
# silk — benchmarks (issue 8). Included by the top Makefile; every rule here is for
# `make bench` only, except the scorer's unit test, which `make test` builds and runs.
#
#   make bench                 everything, on the default 200 MB generated corpus
#   BENCH_QUICK=1 make bench   a smoke run (small corpus, short load runs), < 2 minutes
#   make bench-update-results  copies the last run's results over the checked-in figures
#
# Every benchmark writes its results to $(BENCH_OUT) (bench/data/results, ignored by git), so
# that running them never changes a tracked file; bench/results/ holds the checked-in
# figures, updated only by bench-update-results.
#
# The per-part rule files of the other engineers are optional; each adds its target.
-include bench/tokbench.mk
-include bench/searchbench.mk
-include bench/loadgen.mk
-include bench/cli.mk
-include bench/shards.mk

.PHONY: bench bench-build bench-deps bench-update-results

BENCH_OUT ?= bench/data/results
export BENCH_OUT

# The relevance scorer: a small module of its own, linked into its unit test and into the
# `score` command that bench/run.sh calls.
BENCH_SCORE_OBJ = $(BUILD)/bench/eval/score.o
$(BUILD)/tests/test_bench_eval: $(BENCH_SCORE_OBJ)

$(BUILD)/bench/score: $(BUILD)/bench/eval/score_main.o $(BENCH_SCORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SILK_LDFLAGS) -o $@ $^ -lm

# Helpers of the load generators and the peers (clock, process CPU, quantiles, words), with
# a unit test of their own.
BENCH_COMMON_OBJ = $(BUILD)/bench/common.o
$(BUILD)/tests/test_bench_common: $(BENCH_COMMON_OBJ)

# The peers: SQLite FTS5 (C) and Xapian's own QueryParser + TermGenerator (C++). They are
# benchmark programs, not silk code, so the Xapian one includes <xapian.h> directly.
$(BUILD)/bench/fts5peer: $(BUILD)/bench/peers/fts5peer.o $(BUILD)/bench/peers/peerutil.o \
		$(BENCH_COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SILK_LDFLAGS) -o $@ $^ -lsqlite3 $(SILK_LIBS)

$(BUILD)/bench/xapianpeer: $(BUILD)/bench/peers/xapianpeer.o $(BUILD)/bench/peers/peerutil.o \
		$(BENCH_COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS)

$(BUILD)/bench/peers/%.o: bench/peers/%.cc
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_CXXFLAGS) -c -o $@ $<

# A load generator for the two peer daemons (SphinxQL and HTTP), built like ours: it waits
# for each answer and keeps every latency sample.
$(BUILD)/bench/peerload: $(BUILD)/bench/peers/peerload.o $(BENCH_COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SILK_LDFLAGS) -o $@ $^ -lpthread -lm

BENCH_TOOLS = $(BUILD)/bench/score $(BUILD)/bench/fts5peer $(BUILD)/bench/xapianpeer \
	$(BUILD)/bench/peerload $(BUILD)/bench/tune $(LOADGEN)

bench-deps:
	@./scripts/install-deps.sh --bench

bench-build: $(PROGRAMS) $(BENCH_TOOLS)

# The benchmark-only packages are installed after the others (one apt at a time).
bench: deps
	@./scripts/install-deps.sh --bench
	@$(MAKE) --no-print-directory bench-build
	@BUILD=$(BUILD) BIN=$(BIN) ./bench/run.sh

# The explicit step that changes the checked-in figures. A smoke run's (BENCH_QUICK=1) are
# refused unless FORCE=1.
bench-update-results:
	@ls $(BENCH_OUT)/*.json $(BENCH_OUT)/*.md >/dev/null 2>&1 || \
		{ echo "bench-update-results: no results in $(BENCH_OUT); run make bench first" >&2; exit 1; }
	@if [ -f $(BENCH_OUT)/QUICK ] && [ -z "$(FORCE)" ]; then \
		echo "bench-update-results: the last make bench was a BENCH_QUICK=1 smoke run;" \
			"FORCE=1 to copy its figures anyway" >&2; exit 1; fi
	@for f in $(BENCH_OUT)/*.json $(BENCH_OUT)/*.md; do \
		[ -f "$$f" ] || continue; \
		cp "$$f" bench/results/ && echo "bench/results/$$(basename "$$f") <- $$f"; \
	done

# The tuning sweep runs queries through the real search library, in process.
$(BUILD)/bench/tune: $(BUILD)/bench/eval/tune.o $(BENCH_SCORE_OBJ) $(BUILD)/bench/peers/peerutil.o \
		$(BENCH_COMMON_OBJ) $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS)
