#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# silk-index end to end: the corpus article indexed and checked with xapian-delve; edits,
# removals and additions change exactly their documents; an unchanged re-run commits
# nothing; a JSONL corpus with a broken line; bad files; command-line errors.
. "$(dirname "$0")/lib.sh"

C="$T/corpus"
I="$T/var/index"
mkdir -p "$C"
cp "$SILK_ROOT/corpus/iran-north-korea-relations.txt" "$SILK_ROOT/corpus/synonyms.txt" "$C/"

delve() { xapian-delve "$@"; }
revision() { delve "$1" | sed -n 's/^revision = //p'; }
doc_count() { delve "$1" | sed -n 's/^number of documents = //p'; }
docid_of() { delve -1 -t "Q$2" "$1" | tail -n +2 | head -1; }
terms_of() { delve -1 -r "$(docid_of "$1" "$2")" "$1" | tail -n +2; }
has_term() { terms_of "$1" "$2" | grep -qxF -- "$3"; }
# snapshot INDEX FILE: one line per document, "<id> <md5 of its data and terms>".
snapshot() {
    local q id
    delve -1 -a "$1" | grep '^Q' | while read -r q; do
        id=$(docid_of "$1" "${q#Q}")
        printf '%s %s\n' "${q#Q}" "$(delve -1 -d -r "$id" "$1" | sed "s/record #[0-9]*//" | md5sum | cut -c1-32)"
    done | sort >"$2"
}
# changed_ids OLD NEW: ids added, removed or changed between two snapshots.
changed_ids() { { diff "$1" "$2" || true; } | sed -n 's/^[<>] \([^ ]*\) .*/\1/p' | sort -u | tr '\n' ' '; }

# --- first run: the corpus article ----------------------------------------------------------
out=$(index --corpus "$C" --index "$I")
assert_contains "$out" "1 added" "first run adds the file"
assert_contains "$out" "55 added" "first run adds 55 documents"
assert_contains "$out" "synonyms loaded" "first run loads synonyms.txt"
assert_eq "$(doc_count "$I")" 55 "document count (16 paragraphs, infobox, 34 refs, 4 readings)"
xapian-check "$I" >/dev/null || fail "xapian-check after the first run"
ok "xapian-check passes"
[ -n "$(docid_of "$I" 'iran-north-korea-relations#ref-10')" ] || fail "ref-10 missing"
has_term "$I" 'iran-north-korea-relations#ref-10' balazs || fail "ref-10 lacks balazs"
ok "Qiran-north-korea-relations#ref-10 exists and carries balazs"
has_term "$I" 'iran-north-korea-relations#ref-10' Aszalontai || fail "ref-10 lacks the author term"
ok "ref-10 has author term Aszalontai"
has_term "$I" 'iran-north-korea-relations#p1' '조선' || fail "lead lacks 조선"
has_term "$I" 'iran-north-korea-relations#p1' 'ایران' || fail "lead lacks ایران"
ok "lead carries the Hangul bigram 조선 and the Persian term ایران"
has_term "$I" 'iran-north-korea-relations#p1' Klead || fail "lead lacks Klead"
has_term "$I" 'iran-north-korea-relations#p15' XC32 || fail "p15 lacks XC32"
has_term "$I" 'iran-north-korea-relations#ref-2' Y2007 || fail "ref-2 lacks Y2007"
ok "kind, cites and year terms"
data=$(delve -1 -d -r "$(docid_of "$I" 'iran-north-korea-relations#p1')" "$I")
assert_contains "$data" '"cites":[1,2,3,4]' "p1 stores its cites"
[[ "$data" != *"[1]"* ]] || fail "p1 text keeps a citation marker"
ok "stored text has no [n] markers"
rev1=$(revision "$I")

# --- unchanged re-run: nothing committed ------------------------------------------------------
out=$(index --corpus "$C" --index "$I")
assert_contains "$out" "up to date" "unchanged re-run says up to date"
assert_eq "$(revision "$I")" "$rev1" "unchanged re-run keeps the revision"
touch "$C/iran-north-korea-relations.txt"
out=$(index --corpus "$C" --index "$I")
assert_contains "$out" "up to date" "touched but unchanged file: still up to date"
assert_eq "$(revision "$I")" "$rev1" "touch keeps the revision"

# --- a second article, then edit one paragraph of it ----------------------------------------
sed '1s/$/ (copy)/' "$C/iran-north-korea-relations.txt" >"$C/copy.txt"
out=$(index --corpus "$C" --index "$I")
assert_contains "$out" "55 added" "a new file adds its 55 documents"
assert_eq "$(doc_count "$I")" 110 "two articles: 110 documents"
snapshot "$I" "$T/snap1"
# Line 13 is the second History paragraph: p4.
sed -i '13s/a silver bowl/a bronze bowl/' "$C/copy.txt"
out=$(index --corpus "$C" --index "$I" --json)
assert_contains "$out" '"files_changed":1' "edited file counted as changed"
assert_contains "$out" '"docs_replaced":1' "one document replaced"
snapshot "$I" "$T/snap2"
assert_eq "$(changed_ids "$T/snap1" "$T/snap2")" "copy#p4 " "editing one paragraph changes exactly that document"
has_term "$I" 'copy#p4' bronze || fail "copy#p4 lacks the new word"
ok "copy#p4 has the new word"
[ "$(revision "$I")" -gt "$rev1" ] || fail "revision did not advance"

# --- delete a file, add a file --------------------------------------------------------------
rm "$C/copy.txt"
printf 'Added Article\nA brand new paragraph about kimchi diplomacy.\n' >"$C/added.txt"
index --corpus "$C" --index "$I" >/dev/null
snapshot "$I" "$T/snap3"
want="added#p1 $(grep -o '^copy#[^ ]*' "$T/snap2" | sort | tr '\n' ' ')"
got=$(changed_ids "$T/snap2" "$T/snap3")
assert_eq "$(echo "$got" | tr ' ' '\n' | sort | tr '\n' ' ')" "$(echo "$want" | tr ' ' '\n' | sort | tr '\n' ' ')" "removed file's documents gone, added file's document new, nothing else"
assert_eq "$(doc_count "$I")" 56 "document count after delete + add"
xapian-check "$I" >/dev/null || fail "xapian-check after incremental runs"
ok "xapian-check passes after incremental runs"

# --- --full switches atomically to a fresh database ------------------------------------------
ino_before=$(stat -c %i "$I")
out=$(index --corpus "$C" --index "$I" --full)
assert_contains "$out" "rebuilt" "--full rebuilds"
assert_eq "$(doc_count "$I")" 56 "--full keeps the same documents"
[ "$(stat -c %i "$I")" != "$ino_before" ] || fail "--full did not switch folders"
ok "--full switched to a new folder"
[ -z "$(ls -d "$I".new-* 2>/dev/null)" ] || fail "--full left a .new folder"
ok "no leftover .new folder"
snapshot "$I" "$T/snap4"
assert_eq "$(changed_ids "$T/snap3" "$T/snap4")" "" "--full gives identical documents"
out=$(index --corpus "$C" --index "$I")
assert_contains "$out" "up to date" "incremental run after --full is up to date"

# --- JSONL corpus with a broken line ---------------------------------------------------------
J="$T/jcorpus"
mkdir -p "$J"
cat >"$J/coll.jsonl" <<'EOF'
{"id":"d1","title":"One","text":"alpha bravo","year":2001,"author":["Ann Lee"]}
{"id":"d2","title":"Two","text":"charlie
{"id":"other#x","title":"Three","text":"delta echo","section":["A","B"],"kind":"reference"}
EOF
set +e
out=$(index --corpus "$J" --index "$T/jindex" 2>"$T/jerr")
rc=$?
set -e
assert_eq "$rc" 3 "broken JSONL line: exit status 3"
assert_contains "$(cat "$T/jerr")" "coll.jsonl:2:" "the broken line is named with file and line"
assert_eq "$(doc_count "$T/jindex")" 2 "the other lines are indexed"
has_term "$T/jindex" 'coll#d1' Alee || fail "coll#d1 lacks its author term"
has_term "$T/jindex" 'other#x' Kreference || fail "other#x lacks its kind"
ok "JSONL ids, authors and kinds"

# --- bad files: binary, empty, invalid UTF-8, symlink outside, ignored ------------------------
B="$T/bcorpus"
mkdir -p "$B/sub"
head -c 32 /dev/zero >"$B/blob.txt"
: >"$B/empty.txt"
printf 'Bad Bytes\nSome \xff\xfe bytes in a sentence.\n' >"$B/sub/utf8.txt"
printf 'x' >"$B/picture.png"
ln -s /etc/hostname "$B/outside.txt"
printf 'Big\nA paragraph that makes this file larger than the cap.\n' >"$B/big.txt"
set +e
index --corpus "$B" --index "$T/bindex" --max-size 45 >"$T/bout" 2>"$T/berr"
rc=$?
set -e
assert_eq "$rc" 3 "skipped files: exit status 3"
berr=$(cat "$T/berr")
assert_contains "$berr" "blob.txt: skipped: binary" "binary file skipped with its reason"
assert_contains "$berr" "outside.txt: skipped: symlink points outside the corpus" "outside symlink not followed"
assert_contains "$berr" "big.txt: skipped: larger than the size cap" "file over --max-size skipped"
assert_contains "$berr" "picture.png: ignored" "other files ignored with a note"
has_term "$T/bindex" 'sub/utf8#p1' bytes || fail "invalid UTF-8 file not indexed"
ok "invalid UTF-8 is indexed (article name sub/utf8)"
assert_eq "$(doc_count "$T/bindex")" 1 "only the valid text document is indexed"

# --- fatal errors and the command line -------------------------------------------------------
set +e
index --corpus "$T/nope" --index "$T/x" 2>"$T/err"
assert_eq "$?" 1 "missing corpus: exit status 1"
assert_contains "$(cat "$T/err")" "nope" "missing corpus named"
index --bogus 2>"$T/err"
assert_eq "$?" 2 "unknown option: exit status 2"
assert_contains "$(cat "$T/err")" "unknown option '--bogus'" "unknown option named"
index --help >"$T/help"
assert_eq "$?" 0 "--help exits 0"
set -e
assert_contains "$(cat "$T/help")" "--no-wait" "--help documents --no-wait"
out=$(SILK_CORPUS="$C" SILK_INDEX="$I" index --json)
assert_contains "$out" '"up_to_date":true' "SILK_CORPUS / SILK_INDEX and --json"
echo "all indexer tests passed"
