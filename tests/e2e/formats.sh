#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The HTML and Markdown readers end to end: bin/silk-index on a corpus of the corpus
# article saved from Wikipedia (.html) and a Markdown note full of inline markup (.md);
# xapian-delve checks the documents and terms (the page's chrome and scripts leave no
# term, markup leaves no character in the stored text); silkd answers searches on both.
. "$(dirname "$0")/lib.sh"

C="$T/corpus"
I="$T/index"
mkdir -p "$C"
cp "$SILK_ROOT/tests/data/formats/iran-north-korea-relations.html" "$C/"
cat >"$C/notes.md" <<'MD'
---
title: "Field notes"
---
# Field *notes* on `zygomorphic` flowers

The **zygomorphic** flower of the [orchid](https://example.org/orchid) is *bilateral*,
with ![a drawing](d.png) <span class="x">quinquefid</span> petals &amp; sepals.[1]

## References
- Darwin, Charles (1862). *On the various contrivances by which orchids are fertilised*.
MD

delve() { xapian-delve "$@"; }
docid_of() { delve -1 -t "Q$2" "$1" | tail -n +2 | head -1; }
terms_of() { delve -1 -r "$(docid_of "$1" "$2")" "$1" | tail -n +2; }
has_term() { terms_of "$1" "$2" | grep -qxF -- "$3"; }
data_of() { delve -1 -d -r "$(docid_of "$1" "$2")" "$1"; }

out=$(index --corpus "$C" --index "$I")
assert_contains "$out" "2 added" "both files added"
# 55 documents from the page (as from the .txt form: 16 paragraphs, infobox, 34 refs,
# 4 readings) and 2 from the note (lead, one reference).
assert_eq "$(delve "$I" | sed -n 's/^number of documents = //p')" 57 "document count"
xapian-check "$I" >/dev/null || fail "xapian-check"
ok "xapian-check passes"

A=iran-north-korea-relations
for id in p1 p16 infobox ref-1 ref-34 read-4; do
    [ -n "$(docid_of "$I" "$A#$id")" ] || fail "$A#$id missing"
done
ok "the page's paragraphs, infobox, references and readings are there"
has_term "$I" "$A#ref-10" balazs || fail "ref-10 lacks balazs"
has_term "$I" "$A#ref-10" Aszalontai || fail "ref-10 lacks its author term"
ok "references carry their words and authors"
assert_contains "$(data_of "$I" "$A#ref-10")" '"cited_by":["p6"]' "ref-10 is cited by p6"
ok "citation markers link paragraphs to references"
all_terms=$(delve -1 -a "$I")
if grep -qi -e wgbackendresponsetime -e '^jump$' -e liechtenstein -e zanzibar -e wgtitle <<<"$all_terms"; then
    fail "script, jump link or navbox text was indexed"
fi
ok "scripts, styles, navboxes and edit links leave no term"

d=$(data_of "$I" "notes#p1")
assert_contains "$d" "The zygomorphic flower of the orchid is bilateral, with a drawing quinquefid petals & sepals." \
    "the note's text is the rendered plain text"
case "$d" in *'**'* | *'](http'* | *'<span'* | *'&amp;'*) fail "markup left in the note: $d" ;; esac
ok "no Markdown or HTML markup in the stored text"
assert_contains "$d" '"article":"Field notes on zygomorphic flowers"' "the # title without markup"
has_term "$I" "notes#p1" quinquefid || fail "inline HTML text not indexed"
assert_contains "$(data_of "$I" "notes#ref-1")" '"cited_by":["p1"],"authors":["Charles Darwin"]' "the note's reference: cited by p1, its author"
ok "the note's reference is linked and has its author"

sock="$T/silk.sock"
INDEX="$I" start_silkd "$sock"
r=$(printf 'Anahita\n' | socat -t 5 - UNIX-CONNECT:"$sock")
assert_contains "$r" '"ok":true' "search on the page answered"
assert_contains "$r" "$A#p" "search finds the page's paragraph"
r=$(printf 'zygomorphic bilateral\n' | socat -t 5 - UNIX-CONNECT:"$sock")
assert_contains "$r" 'notes#p1' "search finds the note"
case "$r" in *'**'* | *'*bilateral*'*) fail "markup in the note's snippet: $r" ;; esac
ok "the note's snippet holds no markup"
stop_silkd
echo "formats: all passed"
