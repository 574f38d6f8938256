#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The shape docs/architecture.md promises: no include cycle between modules, no source
# file but the Xapian wrapper over 900 lines, and every module file named in the map.
. "$(dirname "$0")/lib.sh"
cd "$SILK_ROOT"

python3 - <<'PY'
import os, re, sys, glob

# A module is a .c/.cc file and its header, named by the file's base name within its
# folder (lib modules' headers live in include/silk/).
def module_of(path):
    d = os.path.dirname(path)
    base = os.path.splitext(os.path.basename(path))[0]
    if d == "include/silk" or d == "lib":
        return "lib/" + base
    return d + "/" + base

files = []
for pat in ("lib/*.c", "lib/*.cc", "include/silk/*.h", "server/*.[ch]", "indexer/*.[ch]",
            "client/*.[ch]"):
    files += glob.glob(pat)

inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
graph = {}
for f in files:
    m = module_of(f)
    graph.setdefault(m, set())
    for name in inc.findall(open(f, encoding="utf-8").read()):
        if name.startswith("silk/"):
            target = "lib/" + os.path.splitext(name[5:])[0]
        else:
            target = os.path.dirname(f) + "/" + os.path.splitext(os.path.basename(name))[0]
        if target != m:
            graph[m].add(target)

# Cycles: a depth-first search that reports the first back edge's cycle.
state, stack, cycles = {}, [], []
def visit(n):
    state[n] = 1
    stack.append(n)
    for t in sorted(graph.get(n, ())):
        if state.get(t) == 1:
            cycles.append(stack[stack.index(t):] + [t])
        elif t not in state:
            visit(t)
    stack.pop()
    state[n] = 2
for n in sorted(graph):
    if n not in state:
        visit(n)
bad = 0
for c in cycles:
    print("FAIL: include cycle: " + " -> ".join(c))
    bad = 1
if not cycles:
    print("ok: no include cycle among %d modules" % len(graph))

# File sizes.
limit = 900
big = []
for pat in ("lib/*.c", "include/silk/*.h", "server/*.[ch]", "indexer/*.[ch]", "client/*.[ch]",
            "tests/unit/*.c", "tests/fuzz/*.c", "tests/support/*.[ch]", "bench/*.c",
            "bench/*/*.c", "bench/*/*.cc"):
    for f in glob.glob(pat):
        n = sum(1 for _ in open(f, encoding="utf-8"))
        if n > limit:
            big.append((f, n))
for f, n in big:
    print("FAIL: %s has %d lines (limit %d; only lib/xapian.cc may be longer)" % (f, n, limit))
    bad = 1
if not big:
    print("ok: no source file but lib/xapian.cc over %d lines" % limit)

# The map names every module file.
doc = open("docs/architecture.md", encoding="utf-8").read()
missing = [f for f in sorted(glob.glob("lib/*.c") + glob.glob("server/*.c") +
                             glob.glob("indexer/*.c") + glob.glob("client/*.c"))
           if "`%s`" % f not in doc]
for f in missing:
    print("FAIL: docs/architecture.md does not name %s" % f)
    bad = 1
if not missing:
    print("ok: docs/architecture.md names every module file")
sys.exit(bad)
PY
