# SPDX-License-Identifier: GPL-2.0-or-later
# silk — one Makefile for the library, the three programs, tests, fuzzers and benchmarks.
#
#   make            build bin/silk-index, bin/silkd, bin/silk (never installs anything: a
#                   missing package stops it with the apt-get line that fixes it)
#   make deps       install the Debian packages silk needs (only what is missing)
#   make run        build, index corpus/ into var/index, serve it on the default socket
#   make test       build and run every unit and end-to-end test
#   make asan       the same tests built with AddressSanitizer + UBSan (in build-asan/)
#   make valgrind   the end-to-end suite under valgrind memcheck
#   make fuzz       build the libFuzzer targets and run each for FUZZ_SECONDS
#   make bench      benchmarks against peers (not tests)
#   make format     clang-format the tree; make format-check fails when it is not formatted
#   make screenshot the browser test, also writing docs/screenshot-web.png (the README's)

CC ?= gcc
ifeq ($(origin CC),default)
CC = gcc
endif
CXX ?= g++
ifeq ($(origin CXX),default)
CXX = g++
endif
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local
OPT ?= -O2 -g
CLANG ?= clang
CLANGXX ?= clang++
CLANG_FORMAT ?= clang-format
FUZZ_SECONDS ?= 30

# Where objects and programs go. `make asan` re-invokes make with BUILD=build-asan; any
# other SANITIZER build gets a folder of its own, so objects of two builds never mix.
ifneq ($(SANITIZER),)
BUILD ?= build-$(SANITIZER)
BIN ?= $(BUILD)/bin
LIBSILK ?= $(BUILD)/lib/libsilk.a
endif
BUILD ?= build
BIN ?= bin
LIBSILK ?= lib/libsilk.a
SANITIZER ?=

PKGS := xapian-core libuv libutf8proc jansson gumbo md4c inih libsystemd
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS))

# A build never installs: when a package it needs is missing, make stops before compiling
# anything with the one command that fixes it. The goals that install first (deps, test,
# run, asan, valgrind, fuzz, bench) check in the `make build` they run after installing.
NO_CHECK_GOALS := deps clean format format-check test screenshot run asan valgrind fuzz bench bench-deps deb deb-test \
	help
ifneq ($(filter-out $(NO_CHECK_GOALS),$(or $(MAKECMDGOALS),all)),)
DEPS_MISSING := $(shell ./scripts/install-deps.sh --missing)
ifneq ($(DEPS_MISSING),)
$(error silk: missing Debian packages:$(DEPS_MISSING). Install them with: \
	apt-get install -y$(DEPS_MISSING)   (or run `make deps`))
endif
endif

WARN = -Wall -Wextra -Werror
CFLAGS ?= $(OPT)
CXXFLAGS ?= $(OPT)
SILK_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Wshadow -Wstrict-prototypes -Iinclude -Itests/support \
	$(PKG_CFLAGS) -MMD -MP $(SAN_FLAGS) $(CFLAGS)
SILK_CXXFLAGS = -std=c++17 $(WARN) -Iinclude $(PKG_CFLAGS) -MMD -MP $(SAN_FLAGS) $(CXXFLAGS)
SILK_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)
SILK_LIBS = $(PKG_LIBS) -lhttp_parser -lpthread -lm

# SANITIZER=address (AddressSanitizer + UBSan, what `make asan` uses), undefined (UBSan
# alone) or thread (ThreadSanitizer); any other value is refused rather than ignored.
ifeq ($(SANITIZER),address)
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SANITIZER),undefined)
SAN_FLAGS = -fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SANITIZER),thread)
SAN_FLAGS = -fsanitize=thread -fno-omit-frame-pointer
else ifneq ($(SANITIZER),)
$(error SANITIZER=$(SANITIZER) is not supported: use address, undefined or thread)
endif

# ---- sources -------------------------------------------------------------------------------
LIB_C_SRCS = $(wildcard lib/*.c)
LIB_OBJS = $(LIB_C_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/lib/xapian.o

INDEXER_SRCS = $(wildcard indexer/*.c)
SERVER_SRCS = $(wildcard server/*.c)
CLIENT_SRCS = $(wildcard client/*.c)
# Everything but main.c of each program is also linked into the unit tests.
INDEXER_OBJS = $(filter-out %/main.o,$(INDEXER_SRCS:%.c=$(BUILD)/%.o))
SERVER_OBJS = $(filter-out %/main.o,$(SERVER_SRCS:%.c=$(BUILD)/%.o)) $(BUILD)/server/page.o
CLIENT_OBJS = $(filter-out %/main.o,$(CLIENT_SRCS:%.c=$(BUILD)/%.o))

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TEST_SUPPORT_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/support/*.c))

PROGRAMS = $(BIN)/silk-index $(BIN)/silkd $(BIN)/silk

.PHONY: all build run test screenshot unit e2e asan valgrind fuzz fuzz-build bench clean deps format \
	format-check check-deps

all: build

build: $(PROGRAMS) $(UNIT_BINS) $(EXTRA_BUILD)

deps:
	@./scripts/install-deps.sh

$(LIBSILK): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# silk-index allocates through jemalloc (Debian's libjemalloc2): Xapian's in-memory
# inverter makes a tree node per posting, and with glibc's malloc a `--jobs 1` build spent
# about a third more CPU (docs/benchmarks.md, the indexing section). Sanitizer and valgrind
# builds keep the libc allocator those tools replace.
ifeq ($(SANITIZER)$(BUILD),build)
INDEX_ALLOC_LIBS = $(shell $(PKG_CONFIG) --libs jemalloc)
endif

$(BIN)/silk-index: $(INDEXER_OBJS) $(BUILD)/indexer/main.o $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(INDEX_ALLOC_LIBS) $(SILK_LIBS)

$(BIN)/silkd: $(SERVER_OBJS) $(BUILD)/server/main.o $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS)

# The client needs only jansson, utf8proc and inih (the configuration file). Its default build is static: process start-up
# is most of what a query from the shell costs (0.8 -> 0.6 ms for `silk --version` here).
# Sanitizer and valgrind builds link dynamically, as those tools need.
# It links the library objects it uses one by one, not libsilk.a (which would bring Xapian).
ifeq ($(SANITIZER)$(BUILD),build)
CLIENT_LIBS = -static -ljansson -lutf8proc -linih -lm
else
CLIENT_LIBS = -ljansson -lutf8proc -linih -lm
endif
CLIENT_LIB_OBJS = $(addprefix $(BUILD)/lib/,proto_client.o proto.o rank.o jsonw.o buf.o utf8.o fs.o \
	config.o)
$(BIN)/silk: $(CLIENT_OBJS) $(BUILD)/client/main.o $(CLIENT_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SILK_LDFLAGS) -o $@ $^ $(CLIENT_LIBS)

# A unit test links the library; test_indexer_* also the indexer's objects, test_server_*
# the daemon's, test_client_* the client's.
$(BUILD)/tests/test_indexer_%: $(BUILD)/tests/unit/test_indexer_%.o $(TEST_SUPPORT_OBJS) \
		$(INDEXER_OBJS) $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS) -lcmocka

$(BUILD)/tests/test_server_%: $(BUILD)/tests/unit/test_server_%.o $(TEST_SUPPORT_OBJS) \
		$(SERVER_OBJS) $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS) -lcmocka

# The connection and state tests link only the module under test and the log it writes to
# (the connection also its HTTP framing, which checks tokens).
$(BUILD)/tests/test_server_framing: $(BUILD)/server/conn.o $(BUILD)/server/http.o \
		$(BUILD)/server/token.o
$(BUILD)/tests/test_server_state: $(BUILD)/server/state.o
$(BUILD)/tests/test_server_framing $(BUILD)/tests/test_server_state: $(BUILD)/tests/%: \
		$(BUILD)/tests/unit/%.o $(TEST_SUPPORT_OBJS) $(BUILD)/server/log.o $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $(filter-out $(LIBSILK),$^) $(LIBSILK) $(SILK_LIBS) -lcmocka

$(BUILD)/tests/test_client_%: $(BUILD)/tests/unit/test_client_%.o $(TEST_SUPPORT_OBJS) \
		$(CLIENT_OBJS) $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS) -lcmocka

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(TEST_SUPPORT_OBJS) $(LIBSILK)
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_LDFLAGS) -o $@ $^ $(SILK_LIBS) -lcmocka

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SILK_CFLAGS) -c -o $@ $<

# The search page is embedded with the assembler's .incbin (server/page.S).
$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -c -o $@ $<
$(BUILD)/server/page.o build-fuzz/server/page.o: server/web/index.html

$(BUILD)/lib/xapian.o: lib/xapian.cc
	@mkdir -p $(dir $@)
	$(CXX) $(SILK_CXXFLAGS) -c -o $@ $<

# ---- tests ---------------------------------------------------------------------------------
# The runner executes every unit test binary, then every tests/e2e/*.sh with SILK_BIN
# pointing at the programs under test. TESTS=name limits it to matching tests.
test: deps
	@$(MAKE) --no-print-directory build
	@SILK_BIN=$(BIN) SILK_BUILD=$(BUILD) ./tests/run.sh

# The browser test alone, keeping its desktop screenshot as the README's picture.
screenshot: deps
	@$(MAKE) --no-print-directory build
	@SILK_BIN=$(BIN) SILK_BUILD=$(BUILD) SILK_WEB_SCREENSHOT=docs/screenshot-web.png TESTS=web_browser \
		./tests/run.sh

asan: deps
	@$(MAKE) --no-print-directory build BUILD=build-asan BIN=build-asan/bin \
		LIBSILK=build-asan/lib/libsilk.a SANITIZER=address OPT="-O1 -g"
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		SILK_BIN=build-asan/bin SILK_BUILD=build-asan SILK_SANITIZED=1 ./tests/run.sh

valgrind: deps
	@$(MAKE) --no-print-directory build BUILD=build-valgrind BIN=build-valgrind/bin \
		LIBSILK=build-valgrind/lib/libsilk.a OPT="-O1 -g"
	@SILK_BIN=build-valgrind/bin SILK_BUILD=build-valgrind SILK_VALGRIND=1 ./tests/run.sh

# ---- fuzzing -------------------------------------------------------------------------------
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS = $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)
FUZZ_LIB_OBJS = $(LIB_C_SRCS:%.c=build-fuzz/%.o) build-fuzz/lib/xapian.o \
	$(INDEXER_OBJS:$(BUILD)/%=build-fuzz/%) $(SERVER_OBJS:$(BUILD)/%=build-fuzz/%)
FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

build-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude $(PKG_CFLAGS) -MMD -MP $(FUZZ_FLAGS) \
		-c -o $@ $<

build-fuzz/%.o: %.S
	@mkdir -p $(dir $@)
	$(CLANG) -c -o $@ $<

build-fuzz/lib/xapian.o: lib/xapian.cc
	@mkdir -p $(dir $@)
	$(CLANGXX) -std=c++17 $(WARN) -Iinclude $(PKG_CFLAGS) -MMD -MP $(FUZZ_FLAGS) -c -o $@ $<

build-fuzz/fuzz_%: build-fuzz/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJS)
	$(CLANGXX) -fsanitize=fuzzer,address,undefined -o $@ $^ $(SILK_LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh $(FUZZ_BINS)

# ---- benchmarks ----------------------------------------------------------------------------
-include bench/bench.mk
-include dist/install.mk

# ---- housekeeping --------------------------------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory build
	@./scripts/run.sh

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' '*.cc' 2>/dev/null)

format:
	$(CLANG_FORMAT) -i $(FORMAT_FILES)

format-check:
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_FILES)

clean:
	rm -rf build build-asan build-undefined build-thread build-fuzz build-valgrind bin lib/libsilk.a

-include $(shell find $(BUILD) build-fuzz -name '*.d' 2>/dev/null)
