#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Trust of paths after start-up (issue 14): silkd checks its index (StrictModes, lib/trust.c)
# not only when it starts but at every open and reopen — SIGHUP, a new revision, an index
# that appears later — and every local database a stub file names (relative lines resolved
# against the stub's folder); and it checks the corpus and the index again before each
# reindex child. A refusal is logged with the reason and answered as an error.
. "$(dirname "$0")/lib.sh"
python_helpers
corpus_article
index_corpus -3

search() { # search SOCK: the answer to one search for "korea"
    python3 - "$1" <<'EOF'
import json, sys
from daemon_client import Client
c = Client(sys.argv[1])
c.send({"id": 1, "q": "korea", "limit": 1, "fields": ["id"]})
print(json.dumps(c.read()))
EOF
}
# until_answer SOCK TEXT: searches until the answer contains TEXT (the workers reopen on
# their next request after the main loop's revision poll).
until_answer() {
    local a i
    for i in $(seq 1 50); do
        a="$(search "$1")"
        [[ "$a" == *"$2"* ]] && return 0
        sleep 0.1
    done
    fail "no answer with '$2' (last: $a)"
}

# ---- 1. the index folder becomes group-writable while silkd serves it -------------------------
start_silkd "$T/s.sock" --threads 2
until_answer "$T/s.sock" '"ok": true'
chmod 0770 "$T/index"
kill -HUP "$pid"
until_answer "$T/s.sock" '"code": "unavailable"'
a="$(search "$T/s.sock")"
assert_contains "$a" "is writable by its group" "a refused reopen answers unavailable with the reason"
assert_contains "$(cat "$T/silkd.log")" "is writable by its group" "the refusal is logged"
chmod 0700 "$T/index"
kill -HUP "$pid"
until_answer "$T/s.sock" '"ok": true'
ok "trusted again after the mode is fixed: served"
# A new revision (a --full run renames a new folder into place) is checked too.
index_corpus -3 --full
chmod 0777 "$T/index"
until_answer "$T/s.sock" '"code": "unavailable"'
ok "a new revision in an untrusted folder is refused"
chmod 0700 "$T/index"
stop_silkd

# ---- 2. an index that appears later -------------------------------------------------------------
mkdir -m 0700 "$T/late"
INDEX="$T/late/idx" start_silkd "$T/l.sock" --threads 1
until_answer "$T/l.sock" "no index at"
INDEX="$T/late/idx" index_corpus -3
chmod 0775 "$T/late/idx"
until_answer "$T/l.sock" "is writable by its group"
chmod 0755 "$T/late/idx"
until_answer "$T/l.sock" '"ok": true'
ok "an index that appears later is checked when it is first opened"
stop_silkd

# ---- 3. a stub's local shard in a folder others can write ---------------------------------------
mkdir -m 0700 "$T/st"
mkdir -m 0777 "$T/st/open"
# silk-index refuses an index under a 0777 folder: build it elsewhere and move it in.
INDEX="$T/st/shard0" index_corpus -3
mv "$T/st/shard0" "$T/st/open/shard"
printf 'auto open/shard\n' >"$T/st/stub"
chmod 0600 "$T/st/stub"
INDEX="$T/st/stub" start_silkd "$T/t.sock" --threads 1
a="$(search "$T/t.sock")"
assert_contains "$a" "unavailable" "a stub naming a shard under a 0777 folder is refused"
assert_contains "$a" "$T/st/open" "the refusal names the folder (the relative line resolved against the stub's folder)"
chmod 0755 "$T/st/open"
until_answer "$T/t.sock" '"ok": true'
ok "the same stub is served once the shard's folder is fixed"
stop_silkd

# ---- 4. the reindex child: corpus checked again before it starts ---------------------------------
cat >"$T/fake-indexer" <<EOS
#!/bin/sh
touch "$T/child-ran"
echo '{"ok":true}'
exit 0
EOS
chmod 0755 "$T/fake-indexer"
SILK_INDEXER="$T/fake-indexer" start_silkd "$T/r.sock" --threads 1 --corpus "$T/corpus"
chmod 0777 "$T/corpus"
r="$(python3 - "$T/r.sock" <<'EOF'
import json, sys
from daemon_client import Client
c = Client(sys.argv[1], timeout=30)
c.send({"id": 1, "op": "reindex"})
print(json.dumps(c.read()))
EOF
)"
assert_contains "$r" '"ok": false' "a reindex on a corpus made 0777 after start-up is refused"
assert_contains "$r" "reindex refused: " "with the reason"
assert_contains "$r" "writable by everyone" "naming what is wrong"
[ ! -e "$T/child-ran" ] || fail "the reindex child was started on an untrusted corpus"
ok "no child started"
assert_contains "$(cat "$T/silkd.log")" "reindex refused" "the refusal is logged"
chmod 0755 "$T/corpus"
r="$(python3 - "$T/r.sock" <<'EOF'
import json, sys
from daemon_client import Client
c = Client(sys.argv[1], timeout=30)
c.send({"id": 2, "op": "reindex"})
print(json.dumps(c.read()))
EOF
)"
[ -e "$T/child-ran" ] || fail "the reindex child did not run once the corpus was fixed: $r"
ok "the child runs once the corpus is trusted again"
stop_silkd
