# Sourced by the CLI tests that hold every output's counts to the quotes:
# check_counts CODEBOOK derives the counts per theme × level, per theme,
# per concept and per dimension from `kodbok quotes --format json` alone
# (docs/exports.md, "What a quote is") and holds every other output of the
# project in $KODBOK_PROJECT to them: matrix (json, csv, xlsx), report
# (matrix and codebook tree), slides (the overview in md and pptx, and each
# slide's quotes), structure --counts (svg, dot) and the per-theme summary
# of `kodbok code CODEBOOK` (a run that matches nothing again). Needs
# common.bash first.
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

check_counts() {
    local cb=$1
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
    [ "$(wc -l <"$TMP/want.tl")" -ge 2 ] && [ -s "$TMP/want.id" ] || bad "test setup: no counts"

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
    # the overview is the slide with the table titled so
    overview=$(for f in $(unzip -Z1 "$TMP/s.pptx" 'ppt/slides/slide*.xml'); do
        unzip -p "$TMP/s.pptx" "$f" | grep -q '<a:tbl>.*' &&
            unzip -p "$TMP/s.pptx" "$f" | grep -q '<a:t>Översikt: antal citat</a:t>' && echo "$f"
    done | head -1)
    unzip -p "$TMP/s.pptx" "$overview" | grep -o '<a:t>[^<]*</a:t>' | sed -E 's#</?a:t>##g; s#&amp;#\&#g' |
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
    "$KODBOK" code "$cb" 2>/dev/null | grep -E '^  .* [0-9]+ quotes$' | sed -E 's/^  (.*[^ ]) +([0-9]+) quotes$/\1\t\2/' | awk -F'\t' '$2 > 0' >"$TMP/got"
    [ "$(wc -l <"$TMP/got")" = "$(wc -l <"$TMP/want.theme")" ] || bad "code printed counts for $(wc -l <"$TMP/got") themes, the quotes have $(wc -l <"$TMP/want.theme")"
    same_codes "code's quotes per theme" "$TMP/got" theme
}
