#!/usr/bin/env bash
# Re-anchoring: a transcript re-imported with edits takes its manual codings
# along. Text inserted before a coding moves it by exactly the inserted
# length; a coded passage that was edited is kept aside and named; a quote
# that occurs twice is told apart by its context; a tags file made on the old
# version is re-anchored the same way; reverting the edit places the coding
# kept aside again.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
export KODBOK_CODER=anna
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "code"
cp "$C/ip03.txt" "$TMP/ip03.txt"

A="Vilka frågor ska hanteras där och vilka hör hemma någon annanstans?"
B="Vi blandar strategiskt och operativt hela tiden."
CQ="regionövergripande"
grep -qF "$A" "$TMP/ip03.txt" && grep -qF "$B" "$TMP/ip03.txt" || bad "test setup: quotes missing"
n=$(grep -oF "$CQ" "$TMP/ip03.txt" | wc -l)
[ "$n" -ge 3 ] || bad "test setup: '$CQ' occurs $n times"
"$KODBOK" tag ip03 vvg-roll-oklar --quote "$A" >/dev/null || bad "tag A"
"$KODBOK" tag ip03 struktur --quote "$B" --memo "blandning" >/dev/null || bad "tag B"
"$KODBOK" tag ip03 organisering --quote "$CQ" --nth 3 >/dev/null || bad "tag C"
"$KODBOK" tags export -o "$TMP/v1.tsv" >/dev/null || bad "export v1"
span() { "$KODBOK" tags --format json | jq -c ".tags[] | select(.code == \"$1\") | [.start, .end, .version, .placed]"; }
a1=$(span vvg-roll-oklar)

# The edit: a sentence inserted at the start of the first turn (before every
# coding), a word changed inside B.
INS="Jag vill först säga att det här är en ny mening. "
sed -i "0,/ANNIKA BERG: Ja, gärna. /s//ANNIKA BERG: Ja, gärna. $INS/" "$TMP/ip03.txt"
sed -i "s/Vi blandar strategiskt och operativt hela tiden./Vi blandar strategiskt och taktiskt hela tiden./" "$TMP/ip03.txt"
grep -qF "$INS" "$TMP/ip03.txt" && ! grep -qF "$B" "$TMP/ip03.txt" || bad "test setup: the edit failed"
"$KODBOK" import "$TMP/ip03.txt" >"$TMP/out" 2>"$TMP/err" || bad "re-import: $(cat "$TMP/err")"
grep -q "ip03.*changed v2" "$TMP/out" && ok || bad "not a new version: $(cat "$TMP/out")"
# B is named: document, coder, decision, code, quote, where it was.
grep -qE "ip03 v2: anna's tag of 'struktur' \(\"Vi blandar strategiskt och operativt hela tiden.\", [0-9]+:[0-9]+ in v1\) cannot be placed; kept aside" "$TMP/err" &&
    ok || bad "unplaced not reported: $(cat "$TMP/err")"
[ "$(grep -c "cannot be placed" "$TMP/err")" = 1 ] && ok || bad "more than B reported"

# A moved by exactly the inserted code points and still holds its quote.
ins=$(printf '%s' "$INS" | jq -Rrs 'length')
a2=$(span vvg-roll-oklar)
[ "$(jq -n --argjson a "$a1" --argjson b "$a2" --argjson k "$ins" '$b == [$a[0] + $k, $a[1] + $k, 2, true]')" = true ] &&
    ok || bad "A: $a1 -> $a2, want +$ins on v2"
"$KODBOK" show ip03 --raw >"$TMP/v2.txt"
cut_at() { jq -r --rawfile t "$TMP/v2.txt" ".tags[] | select(.code == \"$1\") | \$t[.start:.end]"; }
[ "$("$KODBOK" tags --format json | cut_at vvg-roll-oklar)" = "$A" ] && ok || bad "A's span is not its quote"
# C is still the third occurrence.
pre=$("$KODBOK" tags --format json | jq -r --rawfile t "$TMP/v2.txt" '.tags[] | select(.code == "organisering") | $t[:.start]')
[ "$(printf '%s' "$pre" | grep -oF "$CQ" | wc -l)" = 2 ] && ok || bad "C is not the third occurrence"
# B: kept aside on v1, listed with --unplaced, left out of exports.
"$KODBOK" tags --format json | jq -e --argjson s "$(grep -F "	struktur	" "$TMP/v1.tsv" | cut -f3,4 | tr '\t' ',' | sed 's/^/[/; s/$/]/')" \
    '.tags[] | select(.code == "struktur") | [.start, .end] == $s and .version == 1 and (.placed | not)' >/dev/null &&
    ok || bad "B: $(span struktur)"
"$KODBOK" tags --unplaced --format json | jq -e '.tags | length == 1 and .[0].code == "struktur" and .[0].memo == "blandning"' >/dev/null &&
    ok || bad "--unplaced"
"$KODBOK" tags --unplaced | grep -q "kept aside" && ok || bad "text listing of kept aside"
"$KODBOK" tags export -o "$TMP/v2.tsv" | grep -q "wrote 2 manual codings" && ok || bad "export left B in"

# A tags file made on v1, imported into a project at v2: re-anchored alike.
P2="$TMP/p2.db"
"$KODBOK" -p "$P2" init >/dev/null
"$KODBOK" -p "$P2" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1
"$KODBOK" -p "$P2" import -q "$TMP/ip03.txt" >/dev/null 2>&1 || bad "p2 v2"
"$KODBOK" -p "$P2" code -q "$CB" >/dev/null
"$KODBOK" -p "$P2" tags import "$TMP/v1.tsv" >"$TMP/out" 2>"$TMP/err" || bad "import v1 tags: $(cat "$TMP/err")"
grep -q "3 manual codings: 2 added, 0 already there, 0 conflicts (the project's kept), 1 kept aside" "$TMP/out" && ok || bad "v1 tags: $(cat "$TMP/out")"
grep -qE "v1.tsv:[0-9]+: anna's tag of 'struktur' \(\"Vi blandar.*cannot be placed in 'ip03' as it is now; kept aside" "$TMP/err" && ok || bad "v1 tags notice: $(cat "$TMP/err")"
[ "$("$KODBOK" -p "$P2" tags --format json | jq -c '[.tags[] | select(.placed) | [.code, .start, .end]]')" = \
  "$("$KODBOK" tags --format json | jq -c '[.tags[] | select(.placed) | [.code, .start, .end]]')" ] && ok || bad "file and re-import placed differently"
before=$("$KODBOK" -p "$P2" tags --format json | jq -c '[.tags[] | del(.created_at)]')
"$KODBOK" -p "$P2" tags import "$TMP/v1.tsv" >"$TMP/out" 2>/dev/null
grep -q "0 added, 2 already there, 0 conflicts (the project's kept), 1 kept aside" "$TMP/out" && ok || bad "v1 tags again: $(cat "$TMP/out")"
[ "$("$KODBOK" -p "$P2" tags --format json | jq -c '[.tags[] | del(.created_at)]')" = "$before" ] && ok || bad "importing v1 tags again changed the project"

# The edit reverted: a third version, and B is placed again.
"$KODBOK" import "$C/ip03.txt" >"$TMP/out" 2>"$TMP/err" || bad "revert"
[ ! -s "$TMP/err" ] && ok || bad "revert reported: $(cat "$TMP/err")"
"$KODBOK" tags --format json | jq -e '[.tags[] | .version == 3 and .placed] | all and length == 3' >/dev/null && ok || bad "after revert: $("$KODBOK" tags --format json)"
"$KODBOK" tags --format json | jq -c '[.tags[] | [.code, .start, .end]] | sort' >"$TMP/v3"
"$KODBOK" -p "$TMP/p3.db" init >/dev/null
"$KODBOK" -p "$TMP/p3.db" import -q "$C"/*.txt >/dev/null 2>&1
"$KODBOK" -p "$TMP/p3.db" code -q "$CB" >/dev/null
"$KODBOK" -p "$TMP/p3.db" tags import "$TMP/v1.tsv" >/dev/null 2>&1
"$KODBOK" -p "$TMP/p3.db" tags --format json | jq -c '[.tags[] | [.code, .start, .end]] | sort' | cmp -s - "$TMP/v3" && ok || bad "reverted spans are not the original ones"
finish
