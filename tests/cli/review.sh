#!/usr/bin/env bash
# kodbok review with scripted standard input: keys accept, reject, skip,
# quit; decisions stored as manual codings on the right quotes; a rejected
# quote left out of the counts, still rejected after re-runs that close and
# re-create its coding, and back once its text changes.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
K=vvg-roll-oklar
export KODBOK_CODER=anna
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code "$CB" >"$TMP/run1" || bad "code"
theme_count() { grep -E "^  Struktur +[0-9]+ quotes" "$1" | grep -oE "[0-9]+"; }
struktur=$(theme_count "$TMP/run1")

# The concept's quotes, independently: the run's gains, by document and start.
"$KODBOK" diff 0 1 --format json | jq -c "[.changes[] | select(.concept == \"$K\") | [.document, .start, .end]] | sort_by(.[0], .[1])" >"$TMP/quotes"
n=$(jq length "$TMP/quotes")
[ "$n" -ge 4 ] || bad "test setup: $n quotes of $K"

# accept, an unknown key (asked again), reject, skip, quit.
printf 'a\nx\nr\ns\nq\n' | "$KODBOK" review --concept "$K" >"$TMP/out" 2>"$TMP/err" || bad "review: $(cat "$TMP/err")"
grep -q "^\[1/$n\] " "$TMP/out" && ok || bad "first prompt: $(head -3 "$TMP/out")"
grep -q "^\[4/$n\] " "$TMP/out" && ! grep -q "^\[5/$n\] " "$TMP/out" && ok || bad "did not stop at quote 4"
[ "$(grep -c "a accept, f feature, r reject, s skip, u undo, q quit?" "$TMP/out")" = 5 ] && ok || bad "prompts: the unknown key was not asked again"
q4=$(jq -r '.[3] | "\(.[0]) \(.[1])-\(.[2])"' "$TMP/quotes")
grep -q "anna: 1 accepted, 1 rejected, 1 skipped; stopped at quote 4 of $n ($q4, $K); $((n - 2)) not reviewed" "$TMP/out" &&
    ok || bad "summary: $(tail -1 "$TMP/out")"
# The context marks the quote: the quote's text between » and «.
t1=$("$KODBOK" diff 0 1 --format json | jq -r --argjson q "$(jq -c '.[0]' "$TMP/quotes")" \
    ".changes[] | select(.concept == \"$K\" and .document == \$q[0] and .start == \$q[1]) | .text")
grep -qF "»$t1«" "$TMP/out" && ok || bad "context does not mark the first quote"

# The decisions are manual codings of the concept on the quotes' spans.
"$KODBOK" tags --format json | jq -c '[.tags[] | [.decision, .document, .start, .end, .kind, .code, .segment]]' >"$TMP/tags"
want=$(jq -c --arg k "$K" '[["accept", .[0][0], .[0][1], .[0][2], "concept", $k, "sentence"], ["reject", .[1][0], .[1][1], .[1][2], "concept", $k, "sentence"]]' "$TMP/quotes")
[ "$(cat "$TMP/tags")" = "$want" ] && ok || bad "decisions $(cat "$TMP/tags"), want $want"

# The next walk starts after them; end of input quits.
"$KODBOK" review --concept "$K" </dev/null >"$TMP/out"
grep -q "^\[1/$((n - 2))\] " "$TMP/out" && ok || bad "second walk: $(head -2 "$TMP/out")"
grep -q "stopped at quote 1 of $((n - 2))" "$TMP/out" && ok || bad "EOF did not quit: $(tail -1 "$TMP/out")"
# Another coder has reviewed nothing.
"$KODBOK" review --concept "$K" --coder bo </dev/null | grep -q "^\[1/$((n - 1))\] " && ok || bad "bo sees the quote anna rejected"

# Left out of counts: the theme has one quote fewer.
"$KODBOK" code "$CB" >"$TMP/run2"
[ "$(theme_count "$TMP/run2")" = $((struktur - 1)) ] && ok || bad "Struktur: $(theme_count "$TMP/run2"), want $((struktur - 1))"

# Re-runs that close the concept's codings and make them anew.
awk -v k="$K" '$0 ~ "- id: " k "$" { f = 1 } f && /patterns:/ { sub(/patterns: .*/, "patterns: [\x27\\\\bxyzzy\\\\b\x27]"); f = 0 } { print }' "$CB" >"$TMP/none.yaml"
# (the accepted one is kept: anna's judgement stays)
"$KODBOK" code -q "$TMP/none.yaml" | grep -qE -- "-$((n - 1)) quotes found by the rules \([0-9]+ in all\), 1 no longer found but kept" &&
    ok || bad "the concept's quotes were not closed"
"$KODBOK" code -q "$CB" | grep -q "+$n -0" && ok || bad "the concept's quotes did not come back"
"$KODBOK" review --concept "$K" </dev/null | grep -q "^\[1/$((n - 2))\] " && ok || bad "after re-runs the decided quotes came back"
"$KODBOK" code "$CB" >"$TMP/run3"
[ "$(theme_count "$TMP/run3")" = $((struktur - 1)) ] && ok || bad "after re-runs Struktur counts $(theme_count "$TMP/run3")"

# The rejected quote's text changes: the rejection lapses, the quote is back.
rq=$("$KODBOK" tags --format json | jq -r '.tags[] | select(.decision == "reject") | .quote')
rdoc=$("$KODBOK" tags --format json | jq -r '.tags[] | select(.decision == "reject") | .document')
new=$(printf '%s' "$rq" | sed 's/att VVG/nog att VVG/')
[ "$new" != "$rq" ] || bad "test setup: cannot edit '$rq'"
awk -v a="$rq" -v b="$new" '{ i = index($0, a); if (i) $0 = substr($0, 1, i - 1) b substr($0, i + length(a)); print }' "$C/$rdoc.txt" >"$TMP/$rdoc.txt"
"$KODBOK" import "$TMP/$rdoc.txt" >/dev/null 2>"$TMP/err" || bad "re-import"
grep -q "anna's reject of '$K'.*cannot be placed; kept aside" "$TMP/err" && ok || bad "lapsed rejection not reported: $(cat "$TMP/err")"
! grep -q "anna's accept" "$TMP/err" && ok || bad "the accepted quote was not re-anchored"
# Before the project is coded again, review fails at once, in one line,
# naming the document, and shows no quote.
expect_fail 1 "^kodbok: '$rdoc' was imported again since the run: code the project again before reviewing$" "$KODBOK" review --concept "$K"
! grep -q "^\[1/" "$TMP/out" && ok || bad "a quote was shown before the stale run was noticed: $(head -3 "$TMP/out")"
"$KODBOK" code -q "$CB" >/dev/null
"$KODBOK" review --concept "$K" </dev/null | grep -q "^\[1/$((n - 1))\] " && ok || bad "the edited quote did not come back"
"$KODBOK" code "$CB" >"$TMP/run4"
[ "$(theme_count "$TMP/run4")" = "$struktur" ] && ok || bad "Struktur counts $(theme_count "$TMP/run4"), want $struktur"

# --doc: only that document's quotes (those of the concept anna has not
# decided on, counted from the run's gains and her decisions).
d1=$(jq -r '.[0][0]' "$TMP/quotes")
nd=$("$KODBOK" quotes --concept "$K" --doc "$d1" --source auto --format json | jq length)
decided=$("$KODBOK" tags --format json | jq --arg d "$d1" '[.tags[] | select(.document == $d and .placed and .decision != "tag")] | length')
[ "$nd" -ge 2 ] || bad "test setup: $nd quotes of $K in $d1"
"$KODBOK" review --concept "$K" --doc "$d1" </dev/null >"$TMP/out"
grep -q "^\[1/$((nd - decided))\] $d1 " "$TMP/out" && ok || bad "--doc: $(head -2 "$TMP/out")"
! grep -E "^\[[0-9]+/[0-9]+\] " "$TMP/out" | grep -qv " $d1 " && ok || bad "--doc showed another document"
expect_fail 2 "no document 'nodoc'" "$KODBOK" review --doc nodoc

# Undo, as cecilia (who has decided nothing): u first (nothing to undo,
# asked again), accept quote 1, undo (back to quote 1, the accept
# removed), reject it, skip quote 2, undo (back to quote 2), accept it,
# quit at quote 3.
q12=$("$KODBOK" quotes --concept "$K" --doc "$d1" --source auto --format json | jq -c '[["reject", .[0].document, .[0].start], ["accept", .[1].document, .[1].start]]')
printf 'u\na\nu\nr\ns\nu\na\nq\n' | "$KODBOK" review --concept "$K" --doc "$d1" --coder cecilia >"$TMP/out" 2>"$TMP/err" || bad "undo walk: $(cat "$TMP/err")"
grep -q "nothing to undo in this review" "$TMP/out" && ok || bad "u at the start"
[ "$(grep -c "^undone: " "$TMP/out")" = 2 ] && grep -q "^undone: accept of $d1 " "$TMP/out" && grep -q "^undone: skip of $d1 " "$TMP/out" &&
    ok || bad "undone lines: $(grep undone "$TMP/out")"
# quote 1 shown twice (again after the undo), quote 2 three times
[ "$(grep -c "^\[1/" "$TMP/out")" = 2 ] && [ "$(grep -c "^\[2/" "$TMP/out")" = 3 ] && ok || bad "undo did not go back to the quote"
grep -q "cecilia: 1 accepted, 1 rejected, 0 skipped; stopped at quote 3 of " "$TMP/out" && ok || bad "undo summary: $(tail -1 "$TMP/out")"
"$KODBOK" tags --coder cecilia --format json | jq -c '[.tags[] | [.decision, .document, .start]]' >"$TMP/ctags"
[ "$(cat "$TMP/ctags")" = "$q12" ] && ok || bad "cecilia's decisions $(cat "$TMP/ctags"), want $q12"
# The help line names the undo key.
"$KODBOK" review --help | grep -q "u undo" && ok || bad "help does not name u"

expect_fail 2 "no concept, theme or dimension 'nope'" "$KODBOK" review --concept nope
expect_fail 2 "'struktur' is a theme, not a concept" "$KODBOK" review --concept struktur
finish
