#!/usr/bin/env bash
# diff after transcript edits (docs/codebook.md, "Runs and re-runs"): a
# quote whose text is unchanged on a new version of its document is moved,
# not gained and lost. A typo fixed in an unquoted sentence changes no
# quote; one fixed in a quoted sentence changes that quote only; an
# inserted paragraph gains only its own quotes. `diff --moves` lists the
# moved ones, and `code`'s summary agrees with diff every time.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
mkdir "$TMP/docs" && cp "$C"/*.txt "$C/cases.csv" "$TMP/docs/"
CB="$SRC/codebooks/vardsamverkan.yaml"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$TMP/docs/cases.csv" "$TMP/docs"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "code"

# code after re-importing $1: its summary's +G -L, then diff's counts
recode() {
    "$KODBOK" import -q "$TMP/docs/$1.txt" >/dev/null 2>&1 || bad "re-import $1"
    "$KODBOK" code -q "$CB" >"$TMP/code.out" || bad "code after editing $1"
    sed -E 's/.*, \+([0-9]+) -([0-9]+) quotes.*/\1 \2/' "$TMP/code.out" >"$TMP/summary"
    "$KODBOK" diff --format json >"$TMP/diff.json" || bad "diff"
    "$KODBOK" diff --moves --format json >"$TMP/moves.json" || bad "diff --moves"
    jq -r '"\([.changes[] | select(.change == "gained")] | length) \([.changes[] | select(.change == "lost")] | length)"' \
        "$TMP/diff.json" >"$TMP/counted"
    cmp -s "$TMP/summary" "$TMP/counted" && ok || bad "code says $(cat "$TMP/summary"), diff $(cat "$TMP/counted")"
}
# replace DOC OLD NEW: the first OLD in the document's file becomes NEW
replace() {
    OLD=$2 NEW=$3 perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/' "$TMP/docs/$1.txt"
    grep -qF -- "$3" "$TMP/docs/$1.txt" || bad "test setup: $2 not replaced in $1"
}

# 1. A typo fixed in a sentence no concept quotes.
"$KODBOK" quotes --format json --doc ip03 >"$TMP/q3.json"
n3=$(jq length "$TMP/q3.json")
"$KODBOK" show ip03 --segments sentence --format json >"$TMP/s3.json"
plain=$(jq -r --slurpfile q "$TMP/q3.json" '[.segments[] | select(.role == "respondent" and (.text | test("^[A-ZÅÄÖ][a-zåäö]+ [a-zåäö]+ [a-zåäö]+ "))) | . as $s
    | select(all($q[0][]; .end <= $s.start or .start >= $s.end))][0].text' "$TMP/s3.json")
[ -n "$plain" ] && [ "$plain" != null ] || bad "test setup: no unquoted sentence"
word=$(cut -d' ' -f2 <<<"$plain")
replace ip03 "$plain" "${plain/ $word / ${word}x }"
recode ip03
grep -q "no concept changed, +0 -0 quotes" "$TMP/code.out" && ok || bad "a typo in an unquoted sentence: $(cat "$TMP/code.out")"
jq -e '.changes == []' "$TMP/diff.json" >/dev/null && ok || bad "diff lists changes after a typo: $(jq -c '.changes[:2]' "$TMP/diff.json")"
"$KODBOK" diff | head -1 | grep -qx "run 1 -> run 2: 0 quotes changed (+0 -0), $n3 unchanged on a new version (--moves lists them)" &&
    ok || bad "diff text: $("$KODBOK" diff | head -1)"
jq -e --argjson n "$n3" '[.changes[] | select(.change == "moved" and .document == "ip03" and .from_version == 1 and .version == 2)] | length == $n' \
    "$TMP/moves.json" >/dev/null && ok || bad "--moves does not list the $n3 quotes of ip03"
[ "$("$KODBOK" quotes --format json --doc ip03 | jq length)" = "$n3" ] && ok || bad "ip03's quotes changed in number"

# 2. A typo fixed in a quoted sentence (not in its match): that quote only.
q=$(jq -r '[.[] | select(.source == "auto" and (.text | test("[.]$")))][2].text' "$TMP/q3.json")
[ -n "$q" ] && [ "$q" != null ] || bad "test setup: no quote ending in a full stop"
replace ip03 "$q" "${q%.}!"
recode ip03
n=$(jq --arg t "$q" '[.[] | select(.text == $t)] | length' "$TMP/q3.json")
[ "$(cat "$TMP/counted")" = "$n $n" ] && ok || bad "a typo in a quoted sentence: $(cat "$TMP/counted"), wanted $n $n"
jq -e --arg t "$q" '[.changes[] | select(.change == "lost")] | all(.text == $t)' "$TMP/diff.json" >/dev/null && ok || bad "diff lost other quotes"

# 3. An inserted paragraph: only its quotes are gained.
"$KODBOK" quotes --format json --doc ip05 --source auto >"$TMP/q5.json"
n5=$(jq length "$TMP/q5.json")
para="Det måste finnas en röd tråd på alla nivåer, och det saknas i dag."
sed -i "5a $para" "$TMP/docs/ip05.txt" # inside the turn of line 5
grep -qxF "$para" "$TMP/docs/ip05.txt" || bad "test setup: no paragraph inserted"
recode ip05
jq -e --arg p "$para" '(.changes | length) > 0 and all(.changes[]; .change == "gained" and .text == $p)' "$TMP/diff.json" >/dev/null &&
    ok || bad "an inserted paragraph: $(jq -c '[.changes[:6][] | [.change, .concept, .text[:40]]]' "$TMP/diff.json")"
jq -e --argjson n "$n5" '[.changes[] | select(.change == "moved")] | length == $n' "$TMP/moves.json" >/dev/null &&
    ok || bad "the other $n5 quotes of ip05 are not moves"
finish
