# silk — benchmarks (issue 8). Included by the top Makefile; every rule here is for
# `make bench` only, except the scorer's unit test, which `make test` builds and runs.
#
#   make bench                 everything, on the default 200 MB generated corpus
#   BENCH_QUICK=1 make bench   a smoke run (small corpus, short load runs), < 2 minutes
#
# The per-part rule files of the other engineers are optional; each adds its target.
-include bench/tokbench.mk
-include bench/searchbench.mk
-include bench/loadgen.mk
-include bench/cli.mk
-include bench/shards.mk

.PHONY: bench bench-build bench-deps

# The relevance scorer: a small module of its own, linked into its unit test and into the
# `score` command that bench/run.sh calls.
BENCH_SCORE_OBJ = $(BUILD)/bench/eval/score.o
$(BUILD)/tests/test_bench_eval: $(BENCH_SCORE_OBJ)

$(BUILD)/bench/score: $(BUILD)/bench/eval/score_main.o $(BENCH_SCORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SILK_LDFLAGS) -o $@ $^ -lm

# Helpers of the load generators and the peers (clock, process CPU, quantiles, words).
BENCH_COMMON_OBJ = $(BUILD)/bench/common.o

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

# The tuning sweep runs queries through the real search library, in process.
$(BUILD)/bench/tune: $(BUILD)/bench/eval/tune.o $(BENCH_SCORE_OBJ) $(BUILD)/bench/peers/peerutil.o \
		$(BENCH_COMMON_OBJ) $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS)
