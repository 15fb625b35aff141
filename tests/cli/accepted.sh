#!/usr/bin/env bash
# Accepted quotes do not vanish (docs/manual.md, "Review"): a quote two
# coders accepted in review stays their coding, marked accepted, when a
# pattern edit stops the rules finding it: in quotes, the matrix, the
# slides and the report; `diff` and `code` name it kept, not lost; `eval`
# keeps it in the coder's codings and counts the rules' miss; a re-import
# of its document carries it over.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
cp "$SRC/codebooks/vardsamverkan.yaml" "$TMP/cb.yaml"
mkdir "$TMP/docs" && cp "$C"/*.txt "$C/cases.csv" "$TMP/docs/"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$TMP/docs/cases.csv" "$TMP/docs"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
n=$("$KODBOK" quotes --format json --concept vvg-roll-oklar | jq length)
[ "$n" -ge 3 ] || bad "test setup: $n quotes of vvg-roll-oklar"
printf 'a\n' | "$KODBOK" review --concept vvg-roll-oklar --coder anna >/dev/null 2>&1 || bad "review anna"
printf 'a\n' | "$KODBOK" review --concept vvg-roll-oklar --coder bo >/dev/null 2>&1 || bad "review bo"
"$KODBOK" quotes --format json --concept vvg-roll-oklar | jq -c '[.[] | select(.accepted_by != null)]' >"$TMP/acc.json"
jq -e 'length == 1 and .[0].accepted_by == "anna,bo" and .[0].coder == "anna,bo" and .[0].source == "auto"' "$TMP/acc.json" >/dev/null &&
    ok || bad "the accepted quote: $(cat "$TMP/acc.json")"
doc=$(jq -r '.[0].document' "$TMP/acc.json") text=$(jq -r '.[0].text' "$TMP/acc.json")

# A pattern edit that finds none of them any more.
sed -i "s/^\(            patterns: \['\\\\bVVG\\\\W+(?:\\\\w+\\\\W+){0,3}?(?:roll\).*/            patterns: ['\\\\bzzqxv\\\\b']/" "$TMP/cb.yaml"
grep -q zzqxv "$TMP/cb.yaml" || bad "test setup: the pattern edit"
"$KODBOK" code "$TMP/cb.yaml" >"$TMP/code.out" || bad "code after the edit"
grep -qE "1 concept changed, \+0 -$((n - 1)) quotes found by the rules \([0-9]+ in all\), 1 no longer found but kept \(accepted in review\)" "$TMP/code.out" &&
    ok || bad "code's summary: $(head -1 "$TMP/code.out")"
"$KODBOK" quotes --format json --concept vvg-roll-oklar >"$TMP/q.json"
jq -e --arg t "$text" 'length == 1 and .[0].text == $t and .[0].source == "manual" and .[0].accepted_by == "anna,bo" and .[0].tagged_by == null' "$TMP/q.json" >/dev/null &&
    ok || bad "the accepted quote is not kept in quotes: $(cat "$TMP/q.json")"
"$KODBOK" matrix --rows concept --format json | jq -e '.row_totals[] | select(.row == "vvg-roll-oklar") | .count == 1' >/dev/null &&
    ok || bad "the matrix lost the accepted quote"
"$KODBOK" slides --cite full -o "$TMP/s.md" >/dev/null || bad "slides"
grep -F -- "- ${text:0:40}" "$TMP/s.md" | grep -q 'accepterat: anna, bo' && ok || bad "the slides lost the accepted quote"
"$KODBOK" report -o "$TMP/r.html" >/dev/null || bad "report"
grep -qF 'accepterat: anna, bo)' "$TMP/r.html" && ok || bad "the report lost the accepted quote"
# diff: kept, not lost
"$KODBOK" diff --format json >"$TMP/diff.json" || bad "diff"
jq -e --arg t "$text" '[.changes[] | select(.change == "kept")] | length == 1 and .[0].text == $t and .[0].kept_by == "anna,bo"' "$TMP/diff.json" >/dev/null &&
    ok || bad "diff json does not keep the accepted quote"
[ "$(jq '[.changes[] | select(.change == "lost")] | length' "$TMP/diff.json")" = $((n - 1)) ] && ok || bad "diff: lost is not the others"
"$KODBOK" diff | grep -qF "(no longer found by the rules, kept: accepted by anna,bo)" && ok || bad "diff text does not say kept"
"$KODBOK" runs --format json | jq -e --argjson n "$n" '.runs[-1].lost == $n - 1' >/dev/null && ok || bad "the run's lost counts the kept quote"
# eval: the accepted quote stays in anna's codings, and the rules miss it
"$KODBOK" eval --gold anna --format json 2>/dev/null >"$TMP/eval.json" || bad "eval"
jq -e '.concepts[] | select(.concept == "vvg-roll-oklar") | .tp == 0 and .fn == 1' "$TMP/eval.json" >/dev/null &&
    ok || bad "eval: the accepted quote is not a miss of the rules: $(jq -c '.concepts[] | select(.concept == "vvg-roll-oklar")' "$TMP/eval.json")"

# A re-import (a paragraph inserted at the start) carries it over.
{ printf 'INTERVJUARE: Vi börjar med en kort presentation.\n\n'; cat "$TMP/docs/$doc.txt"; } >"$TMP/new.txt"
mv "$TMP/new.txt" "$TMP/docs/$doc.txt"
"$KODBOK" import -q "$TMP/docs/$doc.txt" >/dev/null 2>&1 || bad "re-import"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code after the re-import"
"$KODBOK" show "$doc" --raw >"$TMP/raw"
"$KODBOK" quotes --format json --concept vvg-roll-oklar |
    jq -e --arg t "$text" --rawfile r "$TMP/raw" 'length == 1 and .[0].text == $t and $r[.[0].start:.[0].end] == $t and .[0].accepted_by == "anna,bo"' >/dev/null &&
    ok || bad "the accepted quote after a re-import"
"$KODBOK" tags --coder anna --format json | jq -e '[.tags[] | select(.decision == "accept" and .placed and .version == 2)] | length == 1' >/dev/null &&
    ok || bad "anna's acceptance is not on the new version"
finish
