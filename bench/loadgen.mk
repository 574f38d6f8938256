# SPDX-License-Identifier: GPL-2.0-or-later
# bench-load: builds the load generator for silkd, $(BUILD)/bench/loadgen (bench/loadgen.c,
# libuv). Included by bench/bench.mk. Run it against a running silkd, e.g.
#   $(BUILD)/bench/loadgen --socket SOCK --connections 8 --duration 5 --server-pid PID
.PHONY: bench-load

LOADGEN = $(BUILD)/bench/loadgen

bench-load: $(LOADGEN)

$(LOADGEN): $(BUILD)/bench/loadgen.o $(BUILD)/bench/common.o
	@mkdir -p $(dir $@)
	$(CC) $(SILK_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lhttp_parser -lm
