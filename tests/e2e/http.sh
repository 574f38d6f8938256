#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# HTTP on silkd's own listeners (docs/protocol.md § HTTP): every endpoint and every error
# status through curl --unix-socket and raw socat/Python bytes, the same JSON as NDJSON,
# keep-alive and pipelining in order, Connection: close and HTTP/1.0, 100-continue; on TCP
# the token (header or cookie), the Host check against DNS rebinding and the Origin check
# of POST; NDJSON still served beside it.
. "$(dirname "$0")/lib.sh"

corpus_article
index_corpus --quiet
mkdir -m 700 "$T/run"
sock="$T/run/s.sock"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_silkd -w 60 "$sock" --threads 2 --corpus "$T/corpus" --listen ":$port" --max-line 8192
token=$(cat "$sock.token")
U=(curl -sS --max-time 20 --unix-socket "$sock")

# req ARGS...: curl over the Unix socket; prints "STATUS\n" then the body.
req() { "${U[@]}" -o "$T/body" -w '%{http_code}\n' "$@" && cat "$T/body"; }
status_of() { head -1 <<<"$1"; }
body_of() { tail -n +2 <<<"$1"; }
# expect STATUS CODE ARGS...: the request answers STATUS with JSON error code CODE ("-" ok).
expect() {
    local want="$1" code="$2" r
    shift 2
    r=$(req "$@")
    assert_eq "$(status_of "$r")" "$want" "status of $*"
    if [ "$code" = - ]; then
        assert_contains "$(body_of "$r")" '"ok":true' "$* answers ok"
    else
        assert_contains "$(body_of "$r")" "\"code\":\"$code\"" "$* answers $code"
    fi
}

# ---- endpoints over the Unix socket -------------------------------------------------------
r=$(req 'http://localhost/search?q=axis+of+evil&limit=2&fields=id,score')
assert_eq "$(status_of "$r")" 200 "GET /search status"
http_ids=$(body_of "$r" | python3 -c 'import json,sys; print([h["id"] for h in json.load(sys.stdin)["hits"]])')
nd=$(echo '{"q":"axis of evil","limit":2,"fields":["id","score"]}' | socat -t 5 - "UNIX-CONNECT:$sock")
nd_ids=$(python3 -c 'import json,sys; print([h["id"] for h in json.loads(sys.argv[1])["hits"]])' "$nd")
assert_eq "$http_ids" "$nd_ids" "GET /search answers the hits NDJSON answers"
[ "$http_ids" != "[]" ] || fail "no hits for axis of evil"
ok "GET /search is the NDJSON search"

r=$(req -X POST -H 'Content-Type: application/json' \
    -d '{"id":5,"q":"missile","limit":1,"fields":["id"]}' http://localhost/search)
assert_eq "$(status_of "$r")" 200 "POST /search status"
assert_contains "$(body_of "$r")" '"id":5,"ok":true' "POST /search echoes the id"
assert_contains "$(body_of "$r")" '"hits":[{"id":"' "POST /search has hits"
r=$(req 'http://localhost/search?q=nucelar&limit=1&mode=any&snippets=false')
assert_contains "$(body_of "$r")" '"did_you_mean":"nuclear"' "GET /search passes the options on"
expect 200 - 'http://localhost/search?q=iran&limit=0&facets=kind,year&facet_limit=3'
nd=$(echo '{"q":"iran","limit":0,"facets":["kind","year"],"facet_limit":3}' | socat -t 5 - "UNIX-CONNECT:$sock")
facets() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])["facets"])' "$1"; }
assert_eq "$(facets "$(cat "$T/body")")" "$(facets "$nd")" "GET /search facets= are NDJSON's facets"
expect 400 bad_request 'http://localhost/search?q=iran&facets=colour'
expect 200 - http://localhost/stats
assert_contains "$(cat "$T/body")" '"docs":55' "GET /stats has the index's documents"
expect 200 - http://localhost/ping
expect 200 - -X POST http://localhost/reindex
assert_contains "$(cat "$T/body")" '"exit_status":0' "POST /reindex runs the indexer"

# GET /doc/ID answers what the NDJSON doc op answers (mapped to 200, 404 or 400).
doc_status() {
    python3 -c 'import json,sys
a = json.loads(sys.argv[1])
print(200 if a["ok"] else {"not_found": 404, "bad_request": 400}.get(a["error"]["code"], 500))' "$1"
}
for id in 'iran-north-korea-relations#p1' 'no-such-article#p1'; do
    nd=$(printf '{"op":"doc","doc":"%s"}\n' "$id" | socat -t 5 - "UNIX-CONNECT:$sock")
    r=$(req "http://localhost/doc/${id//#/%23}")
    assert_eq "$(status_of "$r")" "$(doc_status "$nd")" "GET /doc/$id status mirrors the doc op ($nd)"
    assert_eq "$(body_of "$r")" "$nd" "GET /doc/$id body is the doc op's answer"
done
assert_eq "$(status_of "$(req 'http://localhost/doc/iran-north-korea-relations%23p1')")" 200 \
    "GET /doc/ID of a document: 200"
assert_contains "$(cat "$T/body")" '"cites":[{"n":1' "and its cites resolved"
expect 404 not_found 'http://localhost/doc/no-such-article%23p1'
ok "GET /doc/ID is the doc op: 200, or 404 not_found"

# The page.
"${U[@]}" -D "$T/head" -o "$T/page" http://localhost/
assert_contains "$(cat "$T/head")" "200 OK" "GET / status"
assert_contains "$(cat "$T/head")" "Content-Type: text/html; charset=utf-8" "GET / is HTML"
assert_contains "$(cat "$T/head")" "Content-Security-Policy: default-src 'none'" "the page's CSP"
cmp -s "$T/page" "$SILK_ROOT/server/web/index.html" || fail "GET / is not server/web/index.html"
"${U[@]}" -I -o /dev/null -D "$T/head" http://localhost/
assert_contains "$(cat "$T/head")" "Content-Length: $(stat -c %s "$SILK_ROOT/server/web/index.html")" \
    "HEAD / has the page's length"
ok "GET / serves the embedded page; HEAD / its headers"

# ---- error statuses ----------------------------------------------------------------------------
expect 400 bad_query 'http://localhost/search?q=axis+%22of+evil'
expect 400 bad_request 'http://localhost/search?q=iran&limit=ten'
expect 400 bad_request 'http://localhost/search?limit=1'
expect 400 bad_request 'http://localhost/search?q=%ff'
expect 400 bad_request -X POST -d 'not json' http://localhost/search
expect 400 bad_request -X POST -d '{"op":"reindex"}' http://localhost/search
expect 404 not_found http://localhost/nowhere
"${U[@]}" -o /dev/null -D "$T/head" http://localhost/reindex
assert_contains "$(cat "$T/head")" "405 Method Not Allowed" "GET /reindex is 405"
assert_contains "$(cat "$T/head")" "Allow: POST" "405 says Allow"
expect 405 bad_request -X DELETE http://localhost/search
python3 -c 'print("{\"q\":\"" + "x" * 9000 + "\"}")' >"$T/big.json"
expect 413 too_large -X POST --data-binary @"$T/big.json" http://localhost/search
expect 414 too_large "http://localhost/search?q=$(printf 'a%.0s' $(seq 9000))"
expect 431 too_large -H "X-Pad: $(printf 'a%.0s' $(seq 9000))" http://localhost/ping
ok "400 bad_query/bad_request, 404, 405 + Allow, 413, 414, 431"

# An answer over --max-output is 413; no index is 503 with Retry-After.
start_silkd -p pid2 "$T/run/small.sock" --threads 1 --max-output 4096
r=$(curl -sS --unix-socket "$T/run/small.sock" -o "$T/body" -w '%{http_code}' \
    'http://localhost/search?q=iran&limit=100&fields=text')
assert_eq "$r" 413 "an answer over --max-output is 413"
assert_contains "$(cat "$T/body")" '"code":"too_large"' "and says too_large"
stop_silkd "$pid2" "silkd (small) exit status"
INDEX="$T/none" start_silkd -p pid3 "$T/run/none.sock" --threads 1
curl -sS --unix-socket "$T/run/none.sock" -o "$T/body" -D "$T/head" 'http://localhost/search?q=iran'
assert_contains "$(cat "$T/head")" "503 Service Unavailable" "no index: 503"
assert_contains "$(cat "$T/head")" "Retry-After: 1" "503 says Retry-After"
assert_contains "$(cat "$T/body")" '"code":"unavailable"' "no index: unavailable"
stop_silkd "$pid3" "silkd (no index) exit status"
# At the connection bound, an HTTP client is refused with an HTTP 503 (overloaded).
start_silkd -p pid4 "$T/run/one.sock" --threads 1 --max-connections 1
r=$(python3 - "$T/run/one.sock" <<'PY'
import socket, subprocess, sys
held = socket.socket(socket.AF_UNIX)
held.connect(sys.argv[1])
held.sendall(b'{"op":"ping"}\n')
held.recv(100)  # admitted and served: it holds the one slot
print(subprocess.run(["curl", "-sS", "-i", "--max-time", "20", "--unix-socket", sys.argv[1],
                      "http://localhost/ping"], capture_output=True, text=True).stdout)
PY
)
assert_contains "$r" "HTTP/1.1 503 Service Unavailable" "over the connection bound: 503"
assert_contains "$r" '"code":"overloaded"' "and overloaded"
assert_contains "$r" "Retry-After: 1" "with Retry-After"
stop_silkd "$pid4" "silkd (one connection) exit status"
ok "413 for an answer over the bound, 503 + Retry-After for unavailable and overloaded"

# Malformed HTTP: 400 and the connection closes.
r=$(printf 'GET / HTTP/1.1\r\nHost localhost\r\n\r\nGET /ping HTTP/1.1\r\n\r\n' |
    socat -t 5 - "UNIX-CONNECT:$sock")
assert_contains "$r" "HTTP/1.1 400 Bad Request" "a malformed header is 400"
assert_contains "$r" "Connection: close" "and closes"
[[ "$r" != *pong* ]] || fail "a request after a malformed one was answered"
ok "malformed HTTP: 400, then closed"

# ---- keep-alive, pipelining, Connection: close, HTTP/1.0, 100-continue -------------------------
python3 - "$sock" <<'PY' || fail "keep-alive and pipelining"
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(10)
f = s.makefile("rb")

def response():
    line = f.readline()
    assert line.startswith(b"HTTP/1.1 "), line
    status = int(line.split()[1])
    headers = {}
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        k, v = h.decode().split(":", 1)
        headers[k.strip().lower()] = v.strip()
    body = f.read(int(headers["content-length"]))
    return status, headers, body

# Three pipelined requests in one write: three answers, in order.
s.sendall(b"GET /search?q=iran&limit=0&id=1 HTTP/1.1\r\nHost: localhost\r\n\r\n"
          b"GET /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n"
          b"POST /search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 30\r\n\r\n"
          b'{"id":3,"q":"korea","limit":0}')
a = [response() for _ in range(3)]
assert a[0][0] == 200 and b'"id":"1"' in a[0][2], a[0]
assert a[1][0] == 404, a[1]
assert a[2][0] == 200 and b'"id":3,' in a[2][2], a[2]
# The connection is still open: another request on it.
s.sendall(b"GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
st, h, b = response()
assert st == 200 and b'"pong":true' in b and "connection" not in h, (st, h, b)
# Connection: close is honoured: answered, then EOF.
s.sendall(b"GET /ping HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          b"GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
st, h, b = response()
assert st == 200 and h.get("connection") == "close", h
assert f.read() == b"", "a request after Connection: close was answered"

# A reindex answers when its run ends; a request pipelined behind it waits its turn.
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(30); f = s.makefile("rb")
s.sendall(b"POST /reindex HTTP/1.1\r\nHost: localhost\r\n\r\nGET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
st, h, b = response()
assert st == 200 and b'"exit_status":0' in b, (st, b)
st, h, b = response()
assert st == 200 and b'"pong":true' in b, (st, b)
# ... and with Connection: close, the connection ends after the reindex answer.
s.sendall(b"POST /reindex HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          b"GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
st, h, b = response()
assert st == 200 and b'"exit_status":0' in b and h.get("connection") == "close", (st, h)
assert f.read() == b"", "a request after Connection: close was answered"

# HTTP/1.0: closed after one answer, unless it asks keep-alive.
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(10); f = s.makefile("rb")
s.sendall(b"GET /ping HTTP/1.0\r\n\r\n")
st, h, b = response()
assert st == 200 and h.get("connection") == "close" and f.read() == b""
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(10); f = s.makefile("rb")
s.sendall(b"GET /ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
st, h, b = response()
assert st == 200 and h.get("connection") == "keep-alive", h
s.sendall(b"GET /ping HTTP/1.0\r\n\r\n")
st, h, b = response()
assert st == 200 and h.get("connection") == "close"

# Expect: 100-continue: the interim answer comes before the body is sent.
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(10); f = s.makefile("rb")
s.sendall(b"POST /search HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
          b"Content-Length: 12\r\n\r\n")
assert f.readline() == b"HTTP/1.1 100 Continue\r\n" and f.readline() == b"\r\n"
s.sendall(b'{"q":"iran"}')
st, h, b = response()
assert st == 200 and b'"total":' in b, (st, b)
# Backpressure: 200 large answers pipelined and left unread for a second are all delivered
# once the client reads (reading pauses; nothing is dropped or cut).
import time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(30); f = s.makefile("rb")
s.sendall(b"GET /search?q=iran&limit=100&fields=id,text HTTP/1.1\r\nHost: localhost\r\n\r\n" * 200)
time.sleep(1)
sizes = set()
for i in range(200):
    st, h, b = response()
    assert st == 200 and b.endswith(b"\n"), (i, st, b[:200])
    sizes.add(len(b))
# The same answer each time (only took_us varies), 3 MB in all: over the quarter of
# --max-output (1 MiB) at which reading pauses.
assert min(sizes) > 15000 and max(sizes) - min(sizes) < 10, sizes

print("python: pipelining, keep-alive, close, reindex in order, HTTP/1.0, 100-continue, "
      "backpressure")
PY
r=$("${U[@]}" -v http://localhost/ping http://localhost/stats 2>&1 >/dev/null)
assert_contains "$r" "Re-using existing connection" "curl reuses the kept-alive connection"
ok "keep-alive, pipelining in order, Connection: close, HTTP/1.0, 100-continue"

# NDJSON on the same socket is unchanged.
r=$(echo 'axis of evil' | socat -t 5 - "UNIX-CONNECT:$sock")
assert_contains "$r" '"ok":true' "a raw NDJSON line on the same socket"

# ---- TCP: token, Host, Origin ------------------------------------------------------------------
base="http://127.0.0.1:$port"
tcp() { curl -sS --max-time 20 -o "$T/body" -w '%{http_code}' "$@"; }
assert_eq "$(tcp "$base/search?q=iran")" 401 "TCP without the token: 401"
assert_contains "$(cat "$T/body")" "unauthorized" "and says unauthorized"
assert_eq "$(tcp -H "Authorization: Bearer 0000$token" "$base/search?q=iran")" 401 "a wrong token: 401"
assert_eq "$(tcp -H "Authorization: Bearer $token" "$base/search?q=iran&limit=1")" 200 "Bearer token: 200"
assert_contains "$(cat "$T/body")" '"hits":[' "and answers"
assert_eq "$(tcp -b "silk_token=$token" "$base/stats")" 200 "cookie token: 200"
assert_eq "$(tcp "http://localhost:$port/")" 200 "the page needs no token"
ok "TCP: every request but the page needs the token (header or cookie)"
assert_eq "$(tcp -H "Authorization: Bearer $token" -H "Host: evil.example:$port" "$base/stats")" 421 \
    "a foreign Host: 421 (DNS rebinding)"
assert_eq "$(tcp -H "Host: evil.example:$port" "$base/")" 421 "even for the page"
assert_eq "$(tcp -H "Authorization: Bearer $token" -H "Host: localhost:1" "$base/stats")" 421 \
    "another port: 421"
assert_eq "$(tcp -H "Authorization: Bearer $token" -H "Host: [::1]:$port" "$base/stats")" 200 \
    "[::1] with the port is this host"
assert_eq "$(tcp -H "Authorization: Bearer $token" -H "Host: localhost:$port" "$base/stats")" 200 \
    "localhost with the port is this host"
assert_eq "$(tcp -X POST -H "Authorization: Bearer $token" -H 'Origin: http://evil.example' \
    "$base/reindex")" 403 "POST from another origin: 403"
assert_eq "$(tcp -X POST -H "Authorization: Bearer $token" -H "Origin: http://127.0.0.1:$port" \
    -d '{"q":"iran","limit":0}' "$base/search")" 200 "POST from the same origin: 200"
ok "TCP: Host must be this daemon's, POST's Origin must be absent or this host"
r=$(python3 - "$port" "$token" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
f = s.makefile("rwb")
f.write(b'{"op":"auth","token":"%s"}\n{"op":"ping"}\n' % sys.argv[2].encode())
f.flush()
print(f.readline().decode().strip(), f.readline().decode().strip())
PY
)
assert_contains "$r" '"pong":true' "NDJSON over TCP with its auth line still works"

stop_silkd "$pid" "silkd exit status"
ok "http"
