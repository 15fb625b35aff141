#!/usr/bin/env bash
# kodbok feature: a quote featured by a passage of it (span, quote,
# segment), accepted for the coder when the rules found it, a theme's tag
# featured, two coders' featurings, --remove, --list in text and JSON,
# featured_by in the quote table; every bad address one line with the
# project unchanged; review's key f, and u undoing it.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
K=vvg-roll-oklar
export KODBOK_CODER=anna
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "code"
tags() { "$KODBOK" tags --format json "$@" | jq -c '[.tags[] | del(.id, .created_at)]'; }
# The quote of K at START, as the quote table has it.
quote_at() { "$KODBOK" quotes --concept "$K" --format json | jq -c --argjson s "$1" '[.[] | select(.start == $s)] | .[0]'; }

# A document with three quotes of K or more (one is rejected below, and
# review then walks two), from the quote table.
"$KODBOK" quotes --concept "$K" --source auto --format json >"$TMP/q.json"
d=$(jq -r 'group_by(.document) | map(select(length >= 3)) | .[0][0].document' "$TMP/q.json")
read -r s0 e0 s1 e1 < <(jq -r --arg d "$d" '[.[] | select(.document == $d)] | "\(.[0].start) \(.[0].end) \(.[1].start) \(.[1].end)"' "$TMP/q.json")
[ -n "$d" ] && [ "$e0" -le "$s1" ] || bad "test setup: two quotes of $K in one document"

# By its span: featured, and accepted for anna.
"$KODBOK" feature "$d" "$K" --span "$s0:$e0" >"$TMP/out" 2>"$TMP/err" || bad "feature: $(cat "$TMP/err")"
grep -q "^featured $K on $d $s0-$e0 (anna): " "$TMP/out" && ok || bad "feature said: $(cat "$TMP/out")"
quote_at "$s0" | jq -e '.source == "auto" and .featured_by == "anna" and .accepted_by == "anna" and .coder == "anna"' >/dev/null &&
    ok || bad "quote table: $(quote_at "$s0")"
# the report marks it as the slides' notes do
"$KODBOK" report -o "$TMP/r.html" >/dev/null || bad "report"
grep -qF 'accepterat: anna · utvald: anna)' "$TMP/r.html" && ok || bad "the report does not mark the featured quote"
tags | jq -e --arg d "$d" --argjson s "$s0" '. == [.[0]] and .[0].decision == "accept" and .[0].featured and .[0].document == $d and .[0].start == $s' >/dev/null &&
    ok || bad "tags: $(tags)"
"$KODBOK" tags | grep -q "(featured)$" && ok || bad "tags text does not mark it"
# The other quote is not featured.
quote_at "$s1" | jq -e '.featured_by == null' >/dev/null && ok || bad "the second quote: $(quote_at "$s1")"

before=$(tags)
expect_fail 2 "^kodbok: anna has featured the quote of '$K' at $s0-$e0 of '$d' already$" "$KODBOK" feature "$d" "$K" --span "$s0:$e0"
# Bad addresses: one line, the project unchanged.
expect_fail 2 "no document 'ip99'" "$KODBOK" feature ip99 "$K" --span "$s0:$e0"
expect_fail 2 "^kodbok: no concept, theme or dimension 'nope' in the last run's codebook$" "$KODBOK" feature "$d" nope --span "$s0:$e0"
expect_fail 2 "^kodbok: 2 quotes of '$K' in '$d' lie inside $s0:$e1 \($s0-$e0, $s1-$e1\): give a passage of one of them$" "$KODBOK" feature "$d" "$K" --span "$s0:$e1"
expect_fail 2 "^kodbok: no quote of '$K' in '$d' holds 0:5 or lies inside it" "$KODBOK" feature "$d" "$K" --span 0:5
expect_fail 2 "the quote \"xyzzy plugh\" does not occur in '$d'" "$KODBOK" feature "$d" "$K" --quote "xyzzy plugh"
expect_fail 1 "give the passage once" "$KODBOK" feature "$d" "$K"
expect_fail 1 "a document and a code, or --list" "$KODBOK" feature "$d"
expect_fail 1 "--list takes only --coder and --format" "$KODBOK" feature --list "$d" "$K"
expect_fail 1 "--format goes with --list" "$KODBOK" feature "$d" "$K" --span "$s0:$e0" --format json
expect_fail 1 "coder name 'a b' has a space" "$KODBOK" feature "$d" "$K" --coder "a b" --span "$s0:$e0"
[ "$(tags)" = "$before" ] && ok || bad "a failed feature changed the project"

# By a piece of its text, as bo: the two coders in name order.
piece=$(quote_at "$s0" | jq -r '.text[0:30]')
"$KODBOK" feature "$d" "$K" --quote "$piece" --coder bo >/dev/null 2>"$TMP/err" || bad "feature by quote: $(cat "$TMP/err")"
quote_at "$s0" | jq -e '.featured_by == "anna,bo" and .accepted_by == "anna,bo"' >/dev/null && ok || bad "two coders: $(quote_at "$s0")"

# --remove: anna's featuring taken back, her acceptance kept.
"$KODBOK" feature "$d" "$K" --span "$s0:$e0" --remove | grep -q "^unfeatured $K on $d $s0-$e0 (anna)" && ok || bad "--remove"
quote_at "$s0" | jq -e '.featured_by == "bo" and .accepted_by == "anna,bo"' >/dev/null && ok || bad "after --remove: $(quote_at "$s0")"
expect_fail 2 "^kodbok: anna has not featured the quote of '$K' at $s0-$e0 of '$d'$" "$KODBOK" feature "$d" "$K" --span "$s0:$e0" --remove

# A theme's tag featured by its segment; only its coder can feature it.
"$KODBOK" tag ip05 struktur --segment turn:12 >/dev/null || bad "tag"
"$KODBOK" feature ip05 struktur --segment turn:12 >/dev/null || bad "feature the tag"
"$KODBOK" tags --coder anna --format json | jq -e '[.tags[] | select(.code == "struktur")] | length == 1 and .[0].decision == "tag" and .[0].featured' >/dev/null &&
    ok || bad "the tag is not featured"
expect_fail 1 "cecilia has no coding in the quote of 'struktur'.*which only other coders found" "$KODBOK" feature ip05 struktur --segment turn:12 --coder cecilia

# --list: text and JSON, all coders or one.
"$KODBOK" feature --list >"$TMP/list"
[ "$(grep -c "^$d .* $K .* bo " "$TMP/list")" = 1 ] && grep -q "^ip05 .* struktur .* anna " "$TMP/list" && [ "$(wc -l <"$TMP/list")" = 3 ] &&
    ok || bad "--list: $(cat "$TMP/list")"
"$KODBOK" feature --list --format json >"$TMP/list.json"
jq -e --arg d "$d" --argjson s "$s0" '.featured | length == 2 and .[0].document == $d and .[0].start == $s and .[0].featured_by == "bo" and .[0].concept == "vvg-roll-oklar" and .[1].featured_by == "anna" and .[1].theme == "struktur" and .[1].concept == null' "$TMP/list.json" >/dev/null &&
    ok || bad "--list json: $(cat "$TMP/list.json")"
"$KODBOK" feature --list --coder bo --format json | jq -e '.featured | length == 1 and .[0].featured_by == "bo"' >/dev/null && ok || bad "--list --coder bo"
expect_fail 2 "no coder 'nobody'" "$KODBOK" feature --list --coder nobody
# The same featurings in the quote table.
"$KODBOK" quotes --format json | jq -c '[.[] | select(.featured_by != null) | [.document, .start, .featured_by]]' >"$TMP/table"
jq -c '[.featured[] | [.document, .start, .featured_by]]' "$TMP/list.json" | cmp -s - "$TMP/table" && ok || bad "quote table $(cat "$TMP/table")"
"$KODBOK" quotes --format csv | head -1 | grep -q ",text,featured_by"$'\r$' && ok || bad "CSV header"

# A quote cecilia rejected cannot be featured by her.
printf 'r\nq\n' | "$KODBOK" review --concept "$K" --doc "$d" --coder cecilia >/dev/null || bad "review reject"
rs=$("$KODBOK" tags --coder cecilia --format json | jq -r '.tags[0] | "\(.start):\(.end)"')
before=$(tags)
expect_fail 1 "cecilia rejected the quote of '$K' at ${rs/:/-} of '$d': a rejected quote cannot be featured" "$KODBOK" feature "$d" "$K" --span "$rs" --coder cecilia
[ "$(tags)" = "$before" ] && ok || bad "the refused feature changed the project"

# review: f features the quote (accepting it) and moves on; u undoes it.
"$KODBOK" review --help | grep -q "f feature" && ok || bad "review --help does not name f"
"$KODBOK" --help | grep -q "^  feature " && ok || bad "kodbok --help does not list feature"
printf 'f\nu\nf\nq\n' | "$KODBOK" review --concept "$K" --doc "$d" --coder dora >"$TMP/out" 2>"$TMP/err" || bad "review f: $(cat "$TMP/err")"
[ "$(grep -c "a accept, f feature, r reject, s skip, u undo, q quit?" "$TMP/out")" = 4 ] && ok || bad "prompts: $(grep -c quit "$TMP/out")"
grep -q "^undone: feature of $d " "$TMP/out" && ok || bad "undone line: $(grep undone "$TMP/out")"
grep -q "dora: 0 accepted, 0 rejected, 0 skipped, 1 featured; stopped at quote 2 of " "$TMP/out" && ok || bad "summary: $(tail -1 "$TMP/out")"
"$KODBOK" tags --coder dora --format json | jq -e '.tags | length == 1 and .[0].decision == "accept" and .[0].featured' >/dev/null &&
    ok || bad "dora's codings: $(tags --coder dora)"
# A quote the reviewer tagged: f features the tag (no acceptance), u takes
# the featuring back and keeps the tag.
first=$("$KODBOK" review --concept "$K" --doc "$d" --coder erik </dev/null | grep -m1 "^\[1/" | awk '{ print $3 }')
"$KODBOK" tag "$d" "$K" --span "${first/-/:}" --coder erik >/dev/null || bad "erik's tag on $first"
printf 'f\nu\nq\n' | "$KODBOK" review --concept "$K" --doc "$d" --coder erik >/dev/null || bad "review f u"
"$KODBOK" tags --coder erik --format json | jq -e '.tags | length == 1 and .[0].decision == "tag" and (.[0].featured | not)' >/dev/null &&
    ok || bad "after f u: $(tags --coder erik)"
printf 'f\nq\n' | "$KODBOK" review --concept "$K" --doc "$d" --coder erik >/dev/null || bad "review f"
"$KODBOK" tags --coder erik --format json | jq -e '.tags | length == 1 and .[0].decision == "tag" and .[0].featured' >/dev/null &&
    ok || bad "after f: $(tags --coder erik)"
finish
