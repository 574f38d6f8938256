#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every `silk` command line the documentation shows works: the lines starting with `silk `
# in code blocks and in backticks of docs/*.md, and in the code blocks and indented examples
# and the EXAMPLES of the man pages (docs/man/*.scd), each run with bash against a real silkd on the corpus
# article. Each must exit 0 or 1 (found something, or nothing): never 2, which would mean
# an option the docs show does not exist or a query they show does not parse. (README.md's
# commands are run by readme.sh; docs/benchmarks.md shows result tables, not commands.)
. "$(dirname "$0")/lib.sh"

corpus_article
index_corpus -3
sock="$T/silk.sock"
start_silkd "$sock" --corpus "$T/corpus"
export SILK_SOCKET="$sock"
export PATH="$SILK_BIN:$PATH"

python3 - "$SILK_ROOT" >"$T/cmds" <<'PY'
import glob, os, re, sys
root = sys.argv[1]
cmds = []
def add(src, line):
    line = line.strip()
    if re.match(r"^silk\s+\(", line):  # the module map of architecture.md
        return
    if re.match(r"^silk\s", line) and line not in [c for _, c in cmds]:
        cmds.append((src, line))
for path in sorted(glob.glob(os.path.join(root, "docs", "*.md"))):
    if path.endswith("benchmarks.md"):
        continue  # its code blocks are result tables whose rows start with "silk"
    text = open(path, encoding="utf-8").read()
    name = os.path.relpath(path, root)
    for block in re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M):
        for line in block.split("\n"):
            add(name, line[2:] if line.startswith("$ ") else line)
    for span in re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)):
        add(name, span)
for path in sorted(glob.glob(os.path.join(root, "docs", "man", "*.scd"))):
    name = os.path.relpath(path, root)
    text = open(path, encoding="utf-8").read()
    for block in re.findall(r"^```\n(.*?)^```", text, re.S | re.M):
        for line in block.split("\n"):
            add(name, line)
    examples = False
    for line in text.split("\n"):
        if line.startswith("# "):
            examples = line == "# EXAMPLES"
        elif examples and line.startswith("\tsilk "):
            add(name, line.replace("\\\\", "\\"))
for src, c in cmds:
    print(src + "\t" + c)
PY
n="$(wc -l <"$T/cmds")"
[ "$n" -ge 20 ] || fail "only $n silk command lines found in docs/"
while IFS=$'\t' read -r src cmd; do
    rc=0
    (cd "$T" && bash -o pipefail -c "$cmd") </dev/null >"$T/out" 2>&1 || rc=$?
    [ "$rc" -le 1 ] || fail "$src: '$cmd' exited $rc: $(head -c 600 "$T/out")"
    ok "$src: $cmd (exit $rc)"
done <"$T/cmds"
echo "doc_examples: the $n silk command lines of docs/ run"
