#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every command shown in README.md, so that the README cannot rot.
#
# A command is a line starting with "$ " inside a ```sh block; the lines after it, up to
# the next command or the end of the block, are its output as the README shows it. Each
# command runs with bash in a sandbox laid out like a checkout after `make` (bin/ is the
# programs under test, corpus/ and scripts/run.sh are the repo's), with SILK_SOCKET
# pointing into the test's temporary folder, HOME a folder of the test's own (so that
# ~/.config/silk/silk.conf is the sandbox's; the XDG variables are unset), and must exit 0, or N when the line ends with
# "# exit N". When the README shows hits, the same ids in the same order must come out now,
# and a "Did you mean" line shown must be printed; output of silk that holds no timing (silk
# show, --format ids, an error) must come out exactly as shown, at COLUMNS=88. Special cases:
#   make run      runs scripts/run.sh (what `make run` runs after its build) in the
#                 background, and waits for the daemon's socket;
#   make test     not run: it is the suite this test is part of;
#   make install, make uninstall
#                 run in the checkout with the programs under test, staged in the test's
#                 own DESTDIR (so `make install PREFIX=~/.local` installs nothing anywhere);
#   make bench*   not run: benchmarks take minutes (bench/ has their own checks);
#   silkd ...     a daemon in the foreground: started on another socket, must come up, then
#                 stopped (unless it only prints, like --print-socket or --help); with
#                 --listen HOST:PORT it listens on a free port instead and must serve the
#                 search page at GET / there.
# Every ```python block is run too (the README's protocol client), after the commands,
# and must print hits.
. "$(dirname "$0")/lib.sh"
readme="${SILK_README:-$SILK_ROOT/README.md}" # SILK_README: check a draft instead

sb="$T/repo"
mkdir -p "$sb/scripts"
ln -s "$SILK_BIN" "$sb/bin"
cp -r "$SILK_ROOT/corpus" "$sb/corpus"
cp "$SILK_ROOT/scripts/run.sh" "$sb/scripts/run.sh"
mkdir -p "$sb/dist" "$T/home"
cp "$SILK_ROOT/dist/silk.conf.example" "$sb/dist/"
export SILK_SOCKET="$T/silk.sock" HOME="$T/home"
unset SILK_CONFIG XDG_CONFIG_HOME XDG_DATA_HOME
export PATH="$SILK_BIN:$PATH"
export COLUMNS=88 # the width the README's outputs are shown at
unset SILK_INDEX SILK_CORPUS NO_COLOR

# The README, cut into entries: $T/entries/NNN/{kind,cmd,status,shown,code}.
python3 - "$readme" "$T/entries" <<'EOF'
import os, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
block, entries, py = None, [], None
for line in lines:
    if block is None:
        m = re.match(r"^```(\w*)\s*$", line)
        if m:
            block = m.group(1)
            py = [] if block == "python" else None
        continue
    if line.startswith("```"):
        if block == "python":
            entries.append({"kind": "python", "code": "\n".join(py) + "\n"})
        block = None
        continue
    if block == "python":
        py.append(line)
    elif block == "sh":
        if line.startswith("$ "):
            cmd = line[2:]
            m = re.search(r"\s+#\s*exit\s+(\d+)\s*$", cmd)
            entries.append({"kind": "sh", "cmd": cmd, "status": m.group(1) if m else "0",
                            "shown": ""})
        elif entries and entries[-1]["kind"] == "sh":
            entries[-1]["shown"] += line + "\n"
# Python blocks run last, when the daemon of `make run` is up.
entries.sort(key=lambda e: e["kind"] == "python")
for i, e in enumerate(entries):
    d = os.path.join(sys.argv[2], "%03d" % i)
    os.makedirs(d)
    for k, v in e.items():
        with open(os.path.join(d, k), "w", encoding="utf-8") as f:
            f.write(v if k in ("shown", "code") else v + "\n")
EOF
ncmd="$(cat "$T"/entries/*/kind | grep -c '^sh$' || true)"
[ "$ncmd" -ge 10 ] || fail "README.md shows only $ncmd commands in \`\`\`sh blocks"
grep -qx 'make run' "$T"/entries/*/cmd || fail "README.md does not show \`make run\`"
grep -qx 'make test' "$T"/entries/*/cmd || fail "README.md does not show \`make test\`"
grep -qx 'python' "$T"/entries/*/kind || fail "README.md has no Python client"
ok "README.md: $ncmd commands and a Python client"

hit_ids() { sed -n 's/^ *[0-9][0-9]*  \([^ ]*#[^ ]*\).*/\1/p'; }
daemon=0
n=0
for e in "$T"/entries/*; do
    kind="$(cat "$e/kind")"
    if [ "$kind" = python ]; then
        rc=0
        (cd "$sb" && python3 "$e/code" "axis of evil") </dev/null >"$T/out" 2>&1 || rc=$?
        assert_eq "$rc" 0 "python client: exit 0 ($(head -c 300 "$T/out"))"
        grep -q '#' "$T/out" || fail "python client printed no hit ids: $(cat "$T/out")"
        ok "python client: $(head -n 1 "$T/out" | cut -c1-100)"
        continue
    fi
    cmd="$(cat "$e/cmd")"
    want="$(cat "$e/status")"
    n=$((n + 1))
    case "$cmd" in
    "make install"* | "make uninstall"*)
        rc=0
        # The command as the README writes it (the shell expands its $HOME), with the
        # staging and the programs under test added.
        (cd "$SILK_ROOT" && bash -c "$cmd"' DESTDIR="$1" BIN="$2" BUILD="$3" INSTALL_PREREQS=man' \
            _ "$T/destdir" "$SILK_BIN" "${SILK_BUILD:-build}") </dev/null >"$T/out" 2>&1 || rc=$?
        [ "$rc" = "$want" ] || fail "[$n] '$cmd' exited $rc, the README says $want: $(tail -c 1500 "$T/out")"
        if [[ "$cmd" == "make install"* ]]; then
            [ -n "$(find "$T/destdir" -name silk.conf.example)" ] ||
                fail "[$n] '$cmd' did not install the example configuration"
        fi
        ok "[$n] $cmd (in a DESTDIR of the test's own)"
        continue
        ;;
    "make test" | "make bench"*)
        ok "[$n] $cmd: not run here (see the header of this script)"
        continue
        ;;
    "make run")
        (cd "$sb" && exec bash scripts/run.sh) </dev/null >"$T/run.log" 2>&1 &
        track_pid $!
        wait_for_socket "$SILK_SOCKET" 60
        assert_contains "$(cat "$T/run.log")" "bin/silk" "[$n] make run: tells what to try next"
        daemon=1
        continue
        ;;
    *silkd\ --print-socket* | *silkd\ --help* | *silkd\ --version*) ;;
    bin/silkd* | silkd*)
        other="$T/other-$n.sock"
        # A TCP port shown in the README may be taken on this machine: the daemon listens on
        # a free one instead, and must serve the search page there.
        run="$cmd" port=""
        if [[ "$cmd" =~ --listen[\ =]([0-9.]*):([0-9]+) ]]; then
            port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
            run="${cmd/${BASH_REMATCH[1]}:${BASH_REMATCH[2]}/${BASH_REMATCH[1]}:$port}"
        fi
        (cd "$sb" && SILK_SOCKET="$other" exec bash -c "exec $run") </dev/null >"$T/daemon-$n.log" 2>&1 &
        dpid=$!
        track_pid "$dpid"
        wait_for_socket "$other" 30
        if [ -n "$port" ]; then
            page=$(python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=30).read().decode())' "http://127.0.0.1:$port/") ||
                fail "[$n] $cmd: no page at GET / (on port $port): $(cat "$T/daemon-$n.log")"
            assert_contains "$page" '<input id="q"' "[$n] $cmd: serves the search page (on port $port)"
        fi
        kill "$dpid"
        wait "$dpid" 2>/dev/null || true
        ok "[$n] $cmd: came up, stopped"
        continue
        ;;
    esac
    [ "$daemon" = 1 ] || fail "[$n] '$cmd' comes before \`make run\` in the README"
    rc=0
    (cd "$sb" && bash -o pipefail -c "$cmd") </dev/null >"$T/out" 2>&1 || rc=$?
    [ "$rc" = "$want" ] || fail "[$n] '$cmd' exited $rc, the README says $want: $(head -c 1500 "$T/out")"
    shown_ids="$(hit_ids <"$e/shown")"
    if [ -n "$shown_ids" ]; then
        got_ids="$(hit_ids <"$T/out")"
        [ "$shown_ids" = "$got_ids" ] ||
            fail "[$n] '$cmd': the README shows hits [${shown_ids//$'\n'/ }], now [${got_ids//$'\n'/ }]"
    fi
    dym="$(grep -m1 '^Did you mean' "$e/shown" || true)"
    if [ -n "$dym" ]; then
        grep -qF "$dym" "$T/out" || fail "[$n] '$cmd': '$dym' not printed: $(cat "$T/out")"
    fi
    exact=""
    # The README's examples show the home folder as /home/me (HOME is a folder of the test's).
    if [[ "$cmd" == *bin/silk\ * && "$cmd" != *--json* && "$cmd" != *--reindex* ]] &&
        [ -s "$e/shown" ] && ! grep -q 'took' "$e/shown"; then
        diff <(sed -e '$a\' "$e/shown" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}') \
            <(sed -e "s|$HOME/|/home/me/|g" -e '$a\' "$T/out") >"$T/diff" ||
            fail "[$n] '$cmd': the output differs from the README's: $(cat "$T/diff")"
        exact=", output exactly as shown"
    fi
    ok "[$n] $cmd (exit $rc${shown_ids:+, same hits as shown}$exact)"
done
echo "readme: every command in README.md ran as shown"
