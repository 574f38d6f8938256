# SPDX-License-Identifier: GPL-2.0-or-later
# silk — the end-to-end CLI latency benchmark (issue 7), included by bench/bench.mk.
#
#   make bench-cli                       silk vs quest vs sqlite3 FTS5 vs rg on corpus/
#   make bench-cli CLI_CORPUS=DIR        the same on another corpus (e.g. the generated one)
#   make bench-cli CLI_RUNS=500          more runs per command (default 200)
CLI_CORPUS ?= corpus
CLI_RUNS ?= 200

.PHONY: bench-cli

bench-cli: $(PROGRAMS)
	@BIN=$(BIN) ./bench/cli_latency.sh --corpus $(CLI_CORPUS) --runs $(CLI_RUNS)
