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

# --- the counts, from quotes --format json alone -------------------------
"$KODBOK" quotes --format json >"$TMP/q.json" || bad "quotes"
"$KODBOK" matrix --format json >"$TMP/m.json" || bad "matrix json"
"$KODBOK" matrix --rows concept --format json >"$TMP/mc.json" || bad "matrix concept"
"$KODBOK" matrix --rows dimension --format json >"$TMP/md.json" || bad "matrix dimension"
# Labels (not counts) come from the matrices: id -> label.
jq -r '(.row_totals[] | [.row, .label]), (.col_totals[] | [.col, .label]) | @tsv' \
    "$TMP/m.json" "$TMP/mc.json" "$TMP/md.json" | sort -u >"$TMP/labels"
levels=$(jq -c '[.col_totals[].col]' "$TMP/m.json")
themes=$(jq -c '[.row_totals[].row]' "$TMP/m.json")
# The theme × level table by labels: a row per theme with its cells and
# total, then "Totalt" (quotes with a theme).
jq -r --argjson L "$levels" --argjson T "$themes" --slurpfile lab <(jq -R 'split("\t") | {(.[0]): .[1]}' "$TMP/labels" | jq -s add) '
    def has($l): (.level // "") | split(",") | index($l) != null;
    . as $q | ($T[] as $t | [$lab[0][$t]] + [$L[] as $l | [$q[] | select(.theme == $t and has($l))] | length]
        + [[$q[] | select(.theme == $t)] | length]),
    (["Totalt"] + [$L[] as $l | [$q[] | select(.theme != null and has($l))] | length]
        + [[$q[] | select(.theme != null)] | length]) | @tsv' "$TMP/q.json" >"$TMP/want.tl"
# Per code id: concepts, themes (their concepts' and whole-theme tags),
# dimensions likewise.
jq -r '(group_by(.concept)[] | select(.[0].concept) | "\(.[0].concept)\t\(length)"),
       (group_by(.theme)[] | select(.[0].theme) | "\(.[0].theme)\t\(length)"),
       (group_by(.dimension)[] | select(.[0].dimension) | "\(.[0].dimension)\t\(length)")' \
    "$TMP/q.json" | sort >"$TMP/want.id"
# The same by label, for outputs that show labels.
join -t $'\t' "$TMP/labels" "$TMP/want.id" | cut -f2,3 | sort >"$TMP/want.label"
jq -r '.row_totals[].row' "$TMP/m.json" | sort | join -t $'\t' - "$TMP/labels" |
    join -t $'\t' - "$TMP/want.id" | cut -f2,3 | sort >"$TMP/want.theme"
[ "$(wc -l <"$TMP/want.tl")" -ge 9 ] && [ "$(wc -l <"$TMP/want.id")" -gt 60 ] || bad "test setup: few counts"

# same NAME FILE: FILE (got) equals the derived table (want.tl)
same() {
    if diff -u "$TMP/want.tl" "$2" >"$TMP/diff"; then ok; else bad "$1 differs from quotes json: $(head -20 "$TMP/diff")"; fi
}
# same_codes NAME FILE KEY: FILE's "key\tn" lines agree with want.KEY for
# every key FILE has, and it has them all but codes with no quotes.
same_codes() {
    sort "$2" >"$TMP/got.sorted"
    local missing
    missing=$(join -t $'\t' -v1 "$TMP/want.$3" "$TMP/got.sorted" | wc -l)
    if [ "$missing" = 0 ] && join -t $'\t' "$TMP/want.$3" "$TMP/got.sorted" | awk -F'\t' '$2 != $3 { print; bad = 1 } END { exit bad }' >"$TMP/diff"; then
        ok
    else
        bad "$1: $missing codes missing, differing: $(head -5 "$TMP/diff")"
    fi
}

# matrix json
jq -r --slurpfile lab <(jq -R 'split("\t") | {(.[0]): .[1]}' "$TMP/labels" | jq -s add) '
    . as $m | ($m.row_totals[] | .row as $r | [.label] + [$m.cells[] | select(.row == $r) | .count] + [.count]),
    (["Totalt"] + [$m.col_totals[].count] + [$m.total]) | @tsv' "$TMP/m.json" >"$TMP/got"
same "matrix --format json" "$TMP/got"
jq -r '.row_totals[] | "\(.row)\t\(.count)"' "$TMP/mc.json" "$TMP/md.json" | awk -F'\t' '$2 > 0' >"$TMP/got"
jq -r '.row_totals[] | "\(.row)\t\(.count)"' "$TMP/m.json" >>"$TMP/got"
same_codes "matrix json row totals (concept, theme, dimension)" "$TMP/got" id
# matrix csv (read by sqlite3: labels hold commas)
"$KODBOK" matrix --format csv -o "$TMP/m.csv" || bad "matrix csv"
sqlite3 -separator $'\t' :memory: ".import --csv $TMP/m.csv t" "SELECT * FROM t" | cut -f2- | sed 's/^total\t/Totalt\t/' >"$TMP/got"
same "matrix --format csv" "$TMP/got"
# matrix xlsx: the Matrix sheet's rows, values in order
"$KODBOK" matrix --format xlsx -o "$TMP/m.xlsx" || bad "matrix xlsx"
unzip -p "$TMP/m.xlsx" xl/worksheets/sheet1.xml | sed 's/<row /\n<row /g' | grep '^<row ' | tail -n +2 |
    sed -E 's#<t[^>]*>([^<]*)</t>#\t\1#g; s#<v>([^<]*)</v>#\t\1#g; s#<[^>]*>##g; s#^\t##' >"$TMP/got"
same "matrix --format xlsx" "$TMP/got"
# report: its matrix, and the codebook tree's counts
"$KODBOK" report -o "$TMP/r.html" || bad "report"
sed 's#<tr>#\n<tr>#g' "$TMP/r.html" | grep '^<tr><td>' | sed -n '1,/^<tr><td>Totalt</p' |
    sed -E 's#</tr>.*##; s#</td><td[^>]*>#\t#g; s#<[^>]*>##g; s#&amp;#\&#g' >"$TMP/got"
same "report's matrix" "$TMP/got"
grep -o '<li><\(strong\|span\)>[^<]*</\(strong\|span\)> <span class="n">([0-9]*)' "$TMP/r.html" |
    sed -E 's#<li><(strong|span)>([^<]*)</(strong|span)> <span class="n">\(([0-9]*)\)#\2\t\4#; s#&amp;#\&#g' | awk -F'\t' '$2 > 0' >"$TMP/got"
same_codes "report's codebook tree" "$TMP/got" label
# slides: the overview (md and pptx) and each theme-and-level slide
"$KODBOK" slides -o "$TMP/s.md" || bad "slides md"
sed -n '/^# Översikt: antal citat/,/^---/p' "$TMP/s.md" | grep '^| ' | tail -n +2 |
    sed -E 's/^\| //; s/ \|$//; s/ \| /\t/g' >"$TMP/got"
same "slides md overview" "$TMP/got"
"$KODBOK" slides -o "$TMP/s.pptx" || bad "slides pptx"
cols=$(($(jq length <<<"$levels") + 2))
unzip -p "$TMP/s.pptx" ppt/slides/slide2.xml | grep -o '<a:t>[^<]*</a:t>' | sed -E 's#</?a:t>##g; s#&amp;#\&#g' |
    tail -n +$((cols + 2)) | paste -d $'\t' $(yes - | head -"$cols") >"$TMP/got"
same "slides pptx overview" "$TMP/got"
# Each "Theme: Level" slide (with its "(forts.)" pages): quotes shown plus
# "+ N citat till" is its cell.
awk '/^# / { title = substr($0, 3); sub(/ \(forts\.\)$/, "", title) }
     /^- / && title ~ /: / { n[title]++ }
     /^  - \*\+ [0-9]+ citat till\*/ || /^- \*\+ [0-9]+ citat till\*/ { match($0, /[0-9]+/); n[title] += substr($0, RSTART, RLENGTH) - 1 }
     END { for (t in n) print t "\t" n[t] }' "$TMP/s.md" | sort >"$TMP/got"
awk -F'\t' -v L="$(jq -r --slurpfile lab <(jq -R 'split("\t") | {(.[0]): .[1]}' "$TMP/labels" | jq -s add) '[.[] | $lab[0][.]] | join("\t")' <<<"$levels")" '
    BEGIN { nl = split(L, lv, "\t") }
    $1 != "Totalt" { for (i = 1; i <= nl; i++) if ($(i + 1) > 0) print $1 ": " lv[i] "\t" $(i + 1) }' "$TMP/want.tl" | sort >"$TMP/want.slides"
diff -u "$TMP/want.slides" "$TMP/got" >"$TMP/diff" && ok || bad "slides' quotes per theme and level: $(head -20 "$TMP/diff")"
# structure --counts: svg and dot, per node id
"$KODBOK" structure --counts -o "$TMP/s.svg" || bad "structure svg"
awk '/<g id="n-/ { match($0, /id="n-[^"]*"/); id = substr($0, RSTART + 6, RLENGTH - 7); last = "" }
     /<text/ && id != "" { t = $0; sub(/<\/text>.*/, "", t); sub(/.*>/, "", t); last = t }
     /<\/g>/ && id != "" && last ~ /\([0-9]+\)$/ { match(last, /\([0-9]+\)$/); print id "\t" substr(last, RSTART + 1, RLENGTH - 2); id = "" }' \
    "$TMP/s.svg" | awk -F'\t' '$2 > 0' >"$TMP/got"
same_codes "structure --counts svg" "$TMP/got" id
"$KODBOK" structure --counts --format dot -o "$TMP/s.dot" || bad "structure dot"
grep -o '"n-[^"]*" \[label="[^"]*"' "$TMP/s.dot" | sed -E 's#^"n-([^"]*)" \[label=".*\(([0-9]+)\)(\\l)?"$#\1\t\2#' | awk -F'\t' '$2 > 0' >"$TMP/got"
same_codes "structure --counts dot" "$TMP/got" id
# kodbok code's per-theme summary (a run that matches nothing again)
"$KODBOK" code "$TMP/cb.yaml" | grep -E '^  .* [0-9]+ quotes$' | sed -E 's/^  (.*[^ ]) +([0-9]+) quotes$/\1\t\2/' | awk -F'\t' '$2 > 0' >"$TMP/got"
[ "$(wc -l <"$TMP/got")" -ge 8 ] || bad "code printed no counts per theme"
same_codes "code's quotes per theme" "$TMP/got" theme
finish
