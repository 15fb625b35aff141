#!/usr/bin/env bash
# One count everywhere (docs/exports.md, "What a quote is"): the counts per
# theme × level, per theme, per concept and per dimension are derived here
# from `kodbok quotes --format json` alone, and every other output is held
# to them: matrix (json, csv, xlsx), report (matrix and codebook tree),
# slides (the overview in md and pptx, and each slide's quotes), structure
# --counts (svg, dot) and the per-theme summary of `kodbok code`. The
# corpus has two coders on one sentence (the sample tags), a tag inside a
# rule's quote of the same concept, a paragraph-scope concept with several
# tags in one paragraph, theme tags by two coders on one sentence, a
# rejected quote and an accepted one.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/counts.bash"
C="$SRC/corpora/vardsamverkan"
# helheten-viktig quotes paragraphs
sed 's/^\(          - id: helheten-viktig\)$/\1\n            scope: paragraph/' \
    "$SRC/codebooks/vardsamverkan.yaml" >"$TMP/cb.yaml"
grep -q 'scope: paragraph' "$TMP/cb.yaml" || bad "test setup: no paragraph scope"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
"$KODBOK" tags import "$C/tags/anna.tsv" >/dev/null 2>&1 || bad "tags import anna"
"$KODBOK" tags import "$C/tags/bo.tsv" >/dev/null 2>&1 || bad "tags import bo"
total() { "$KODBOK" quotes --format json | jq length; }

# A tag inside a rule's quote of the same concept is part of that quote.
n0=$(total)
read -r doc s e concept < <("$KODBOK" quotes --format json --source auto |
    jq -r '[.[] | select(.coder == null and .concept != "helheten-viktig" and .end - .start > 20)][3] | "\(.document) \(.start) \(.end) \(.concept)"')
"$KODBOK" tag "$doc" "$concept" --span "$((s + 3)):$((e - 2))" --coder cecilia >/dev/null || bad "tag inside a quote"
[ "$(total)" = "$n0" ] && ok || bad "a tag inside a rule's quote added a quote ($n0 -> $(total))"
"$KODBOK" quotes --format json --doc "$doc" --concept "$concept" |
    jq -e --argjson s "$s" '[.[] | select(.start == $s)] | length == 1 and .[0].source == "auto" and .[0].coder == "cecilia" and .[0].tagged_by == "cecilia"' >/dev/null &&
    ok || bad "the rule's quote does not list the tag's coder"

# A paragraph-scope concept: two tags on two sentences of one paragraph
# (with no rule's quote there) are one quote, on both their passages.
"$KODBOK" show ip02 --segments paragraph --format json >"$TMP/par.json"
"$KODBOK" show ip02 --segments sentence --format json >"$TMP/sen.json"
"$KODBOK" quotes --format json --doc ip02 --concept helheten-viktig >"$TMP/hv.json"
read -r p1 p2 < <(jq -r --slurpfile s "$TMP/sen.json" --slurpfile h "$TMP/hv.json" '
    [.segments[] | select(.role == "respondent") | . as $p
     | select(all($h[0][]; .start < $p.start or .start >= $p.end))
     | [$s[0].segments[] | select(.start >= $p.start and .end <= $p.end)]
     | select(length >= 3)][0] | "\(.[0].index) \(.[2].index)"' "$TMP/par.json")
[ -n "$p1" ] && [ "$p1" != null ] || bad "test setup: no paragraph of three sentences"
n0=$(total)
"$KODBOK" tag ip02 helheten-viktig --segment "sentence:$p1" --coder cecilia >/dev/null || bad "tag sentence $p1"
"$KODBOK" tag ip02 helheten-viktig --segment "sentence:$p2" --coder dora >/dev/null || bad "tag sentence $p2"
[ "$(total)" = $((n0 + 1)) ] && ok || bad "two tags in one paragraph: $n0 -> $(total) quotes, wanted one more"
a=$(jq -r ".segments[$p1].start" "$TMP/sen.json") b=$(jq -r ".segments[$p2].end" "$TMP/sen.json")
"$KODBOK" quotes --format json --doc ip02 --concept helheten-viktig |
    jq -e --argjson a "$a" --argjson b "$b" 'any(.start == $a and .end == $b and .coder == "cecilia,dora" and .source == "manual")' >/dev/null &&
    ok || bad "the paragraph quote is not on both passages with both coders"
# No two quotes of that concept in one paragraph, anywhere.
for d in ip01 ip02 ip03 ip04 ip05; do
    "$KODBOK" show "$d" --segments paragraph --format json >"$TMP/p.json"
    "$KODBOK" quotes --format json --doc "$d" --concept helheten-viktig |
        jq -e --slurpfile p "$TMP/p.json" '[.[] | .start as $q | $p[0].segments[] | select(.start <= $q and $q < .end) | .index] | length == (unique | length)' >/dev/null ||
        bad "$d: two quotes of a paragraph-scope concept in one paragraph"
done
ok

# A theme tagged by two coders on one sentence: one quote of the theme.
n0=$(total)
"$KODBOK" tag ip04 ledarskap --segment sentence:5 --coder cecilia >/dev/null || bad "theme tag cecilia"
"$KODBOK" tag ip04 ledarskap --segment sentence:5 --coder dora >/dev/null || bad "theme tag dora"
[ "$(total)" = $((n0 + 1)) ] && ok || bad "a theme tagged twice on a sentence: $n0 -> $(total)"

# A rejected quote is counted nowhere; an accepted one stays one quote.
n0=$(total)
printf 'r\n' | "$KODBOK" review --concept vvg-roll-oklar --coder dora >/dev/null 2>&1 || bad "review reject"
[ "$(total)" = $((n0 - 1)) ] && ok || bad "a rejection: $n0 -> $(total) quotes"
printf 'a\n' | "$KODBOK" review --concept behov-att-harmoniera --coder dora >/dev/null 2>&1 || bad "review accept"
[ "$(total)" = $((n0 - 1)) ] && ok || bad "an acceptance changed the count"
"$KODBOK" quotes --format json --concept behov-att-harmoniera |
    jq -e '[.[] | select(.accepted_by == "dora")] | length == 1 and .[0].source == "auto"' >/dev/null &&
    ok || bad "the accepted quote is not one quote of the rules, accepted by dora"

check_counts "$TMP/cb.yaml"
finish
