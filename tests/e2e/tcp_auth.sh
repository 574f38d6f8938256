#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# TCP needs the token: silkd creates <socket>.token (0600) or reads --token-file, a TCP
# connection's first line must be {"op":"auth","token":...}, anything else is answered
# unauthorized and closed; the Unix socket needs no token; no usable token, no TCP.
. "$(dirname "$0")/lib.sh"

corpus_article
index_corpus --quiet
mkdir -m 700 "$T/run"
sock="$T/run/s.sock"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_silkd -w 60 "$sock" --threads 1 --listen ":$port"
[ -f "$sock.token" ] || fail "no token file at $sock.token"
assert_eq "$(stat -c %a "$sock.token")" 600 "the token file is mode 0600"
token=$(cat "$sock.token")
[[ "$token" =~ ^[0-9a-f]{64}$ ]] || fail "the token is not 64 hex digits: $token"
ok "the token is 32 random bytes in hex"

# tcp LINES...: sends the lines on one TCP connection, prints every answer until EOF.
tcp() {
    python3 - "$port" "$@" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall("".join(l + "\n" for l in sys.argv[2:]).encode())
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
print(data.decode(), end="")
PY
}
search='{"op":"search","q":"missile"}'
r=$(tcp "$search" '{"op":"ping"}')
assert_contains "$r" unauthorized "no token: unauthorized"
[ "$(wc -l <<<"$r")" -eq 1 ] || fail "no token: more than one answer: $r"
[[ "$r" != *hits* ]] || fail "no token: the search was answered"
ok "no token: one error answer, then closed"
r=$(tcp '{"op":"auth","token":"0000000000000000000000000000000000000000000000000000000000000000"}' "$search")
assert_contains "$r" unauthorized "wrong token: unauthorized"
[[ "$r" != *hits* ]] || fail "wrong token: the search was answered"
r=$(tcp '{"op":"auth","token":"'"${token:0:63}"'"}' "$search")
assert_contains "$r" unauthorized "a token too short: unauthorized"
r=$(timeout 20 python3 - "$port" "$token" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rwb")
f.write(b'{"op":"auth","token":"%s"}\n{"op":"search","q":"missile"}\n' % sys.argv[2].encode())
f.flush()
print(f.readline().decode(), end="")
print(f.readline().decode(), end="")
PY
)
assert_contains "$(head -1 <<<"$r")" '"ok":true' "right token: auth answered ok"
assert_contains "$(tail -1 <<<"$r")" '"hits"' "right token: the search is answered"
r=$(python3 -c "
import socket
s = socket.socket(socket.AF_UNIX); s.connect('$sock'); s.sendall(b'{\"op\":\"ping\"}\n')
print(s.recv(200).decode())")
assert_contains "$r" '"pong":true' "the Unix socket needs no token"
stop_silkd "$pid" "silkd exit status"

# The token is read back, not replaced, on the next start.
start_silkd -w 60 "$sock" --threads 1 --listen ":$port"
assert_eq "$(cat "$sock.token")" "$token" "a restart keeps the token"
stop_silkd "$pid" "silkd (restart) exit status"

# No usable token: no TCP.
refused() {
    local rc=0
    timeout 30 "$SILK_BIN/silkd" --index "$T/index" --socket "$sock" --threads 1 --listen ":$port" \
        "$@" 2>"$T/refused.log" || rc=$?
    assert_eq "$rc" 2 "silkd $* exits 2"
    assert_contains "$(cat "$T/refused.log")" "without a token" "and says it has no token"
}
chmod 644 "$sock.token"
refused
assert_contains "$(cat "$T/refused.log")" "others can read" "a token others can read is refused"
chmod 600 "$sock.token"
ln -s "$sock.token" "$T/run/link.token"
refused --token-file "$T/run/link.token"
ok "a symlinked token file is refused"
refused --token-file "$T/run/missing/t.token"
# --token-file names the file.
start_silkd -w 60 "$sock" --threads 1 --listen ":$port" --token-file "$T/run/my.token"
assert_eq "$(stat -c %a "$T/run/my.token")" 600 "--token-file is created 0600"
stop_silkd "$pid" "silkd (--token-file) exit status"
ok "done"
