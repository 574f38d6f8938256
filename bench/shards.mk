# SPDX-License-Identifier: GPL-2.0-or-later
# bench-shards (issue 10): search latency of one database against the same corpus in 3
# shards (local, mixed with a xapian-tcpsrv shard, all remote), through silkd and loadgen.
# Included by bench/bench.mk. SHARDS_MB sets the generated corpus' size (default 30).
.PHONY: bench-shards

bench-shards: $(BIN)/silk-index $(BIN)/silkd $(BUILD)/bench/loadgen
	@BUILD=$(BUILD) BIN=$(BIN) ./bench/shards.sh
