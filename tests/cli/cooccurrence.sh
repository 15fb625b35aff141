#!/usr/bin/env bash
# Co-occurrence (docs/exports.md, "Co-occurrence"): the counts and Jaccard
# indexes of `kodbok matrix` with two code axes, in every unit, held to
# counts computed here with jq from `kodbok quotes --format json` and the
# segments of `kodbok show` alone; the quotes of a cell (--quotes); a tag
# whose passage spans two turns; the case axis with presence counts; the
# Jaccard index in csv and xlsx; the heat map (xmllint, rsvg-convert); and
# the errors. The corpus: the sample study with both coders' tags and a
# paragraph-scope concept, so that quotes of different scopes overlap.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
sed 's/^\(          - id: helheten-viktig\)$/\1\n            scope: paragraph/' \
    "$SRC/codebooks/vardsamverkan.yaml" >"$TMP/cb.yaml"
grep -q 'scope: paragraph' "$TMP/cb.yaml" || bad "test setup: no paragraph scope"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
"$KODBOK" tags import "$C/tags/anna.tsv" >/dev/null 2>&1 || bad "tags import anna"
"$KODBOK" tags import "$C/tags/bo.tsv" >/dev/null 2>&1 || bad "tags import bo"

# A tag of a concept whose passage runs from the last sentence of one turn
# into the first of the next: one quote, in two turns.
"$KODBOK" show ip02 --segments turn --format json >"$TMP/turns.json"
"$KODBOK" quotes --format json --doc ip02 --concept gott-klimat >"$TMP/gk.json"
read -r t1 s e < <(jq -r --slurpfile q "$TMP/gk.json" '
    [.segments as $t | range(1; $t | length - 1) | $t[.] as $a | $t[. + 1] as $b
     | select(all($q[0][]; .end <= $a.start or .start >= $b.end))
     | "\($a.index) \($a.end - 10) \($b.start + 10)"][2]' "$TMP/turns.json")
[ -n "$t1" ] && [ "$t1" != null ] || bad "test setup: no two turns without the concept"
turns_of() {
    "$KODBOK" matrix --rows concept --cols concept --unit turn --format json |
        jq '.row_totals[] | select(.row == "gott-klimat") | .count'
}
n0=$(turns_of)
"$KODBOK" tag ip02 gott-klimat --span "$s:$e" --coder cecilia >/dev/null || bad "tag over two turns"
[ "$(turns_of)" = $((n0 + 2)) ] && ok ||
    bad "a quote over two turns: the concept holds $n0 -> $(turns_of) turns, wanted two more"
"$KODBOK" quotes --format json --doc ip02 --concept gott-klimat |
    jq -e --argjson s "$s" 'map(select(.start == $s)) | length == 1' >/dev/null &&
    ok || bad "the tag over two turns is not one quote"

"$KODBOK" matrix --rows theme --cols theme --format json >"$TMP/tt.json"
# Every document's sentences and turns, by document.
"$KODBOK" quotes --format json >"$TMP/quotes.json"
for kind in sentence turn; do
    for d in $(jq -r '[.[].document] | unique[]' "$TMP/quotes.json"); do
        "$KODBOK" show "$d" --segments "$kind" --format json |
            jq --arg d "$d" '{($d): [.segments[] | {start: .start, end: .end, index: .index}]}'
    done | jq -s 'add' >"$TMP/$kind.json"
done

# The cells of a co-occurrence matrix computed from the quotes: a code holds
# a unit when one of its quotes lies in it (overlaps a sentence or turn by a
# character, is in the document, is the case's).
REFERENCE='
def units($q):
  if $unit == "document" then [$q.document]
  elif $unit == "case" then (if $q.case then [$q.case] else [] end)
  else [$segs[0][$q.document][] | select(.start < $q.end and .end > $q.start)
        | "\($q.document):\(.index)"] end;
def holds($axis):
  reduce (.[] | select(.[$axis] != null) | {k: .[$axis], u: units(.)[]})
    as $x ({}; .[$x.k][$x.u] = true);
holds($rows) as $R | holds($cols) as $C
| [$R | keys[] as $a | $C | keys[] as $b
   | ($R[$a] | keys | map(select($C[$b][.])) | length) as $n
   | select($n > 0)
   | {row: $a, col: $b, count: $n,
      jaccard: ($n / (($R[$a] | length) + ($C[$b] | length) - $n))}]
| {cells: ., rows: ($R | map_values(length)), cols: ($C | map_values(length))}'
COMPARE='
($ref[0].cells | map({key: "\(.row) \(.col)", value: .}) | from_entries) as $e
| [.cells[] | "\(.row) \(.col)" as $k
   | select((.count != ($e[$k].count // 0)) or
            ((.jaccard - ($e[$k].jaccard // 0)) | fabs) > 0.0000011)
   | "\($k): \(.count) \(.jaccard), wanted \($e[$k].count // 0) \($e[$k].jaccard // 0)"]
+ [.row_totals[] | select(.count != ($ref[0].rows[.row] // 0))
   | "row \(.row): \(.count), wanted \($ref[0].rows[.row] // 0)"]
+ [.col_totals[] | select(.count != ($ref[0].cols[.col] // 0))
   | "col \(.col): \(.count), wanted \($ref[0].cols[.col] // 0)"]
| .[:3][]'
for unit in segment turn document case; do
    segs="$TMP/sentence.json"
    [ "$unit" = turn ] && segs="$TMP/turn.json"
    for axes in "concept concept" "theme theme" "dimension dimension" "concept theme"; do
        read -r rows cols <<<"$axes"
        jq --arg unit "$unit" --arg rows "$rows" --arg cols "$cols" \
            --slurpfile segs "$segs" "$REFERENCE" "$TMP/quotes.json" >"$TMP/ref.json" &&
            jq -e '.cells | length > 0' "$TMP/ref.json" >/dev/null ||
            bad "test setup: no reference for $axes by $unit"
        "$KODBOK" matrix --rows "$rows" --cols "$cols" --unit "$unit" \
            --format json >"$TMP/m.json" || bad "matrix $axes by $unit"
        wrong=$(jq -r --slurpfile ref "$TMP/ref.json" "$COMPARE" "$TMP/m.json") ||
            wrong="jq failed"
        [ -z "$wrong" ] && ok || bad "$rows x $cols by $unit: $wrong"
        jq -e --arg u "$unit" '.count == "units" and .unit == $u and
            (.cells | length > 0 and all(has("row") and has("col") and
             has("count") and has("jaccard")))' "$TMP/m.json" >/dev/null &&
            ok || bad "$rows x $cols by $unit: JSON keys"
    done
    # something co-occurs off the diagonal, or the test proves little
    jq -e --arg u "$unit" '[.cells[] | select(.row != .col and .count > 0)] | length > 0' \
        <("$KODBOK" matrix --rows concept --cols concept --unit "$unit" --format json) \
        >/dev/null && ok || bad "no two concepts co-occur by $unit"
done
# The default unit is the segment; the diagonal is the units holding a code.
"$KODBOK" matrix --rows concept --cols concept --format json >"$TMP/def.json"
"$KODBOK" matrix --rows concept --cols concept --unit segment --format json |
    cmp -s - "$TMP/def.json" && ok || bad "the default unit is not segment"
jq -e '(.row_totals | map({key: .row, value: .count}) | from_entries) as $t
    | [.cells[] | select(.row == .col) | .count == $t[.row]] | all' \
    "$TMP/def.json" >/dev/null && ok || bad "the diagonal is not the units holding each concept"
# The filters of quotes select what counts: one case's quotes only.
jq '[.[] | select(.case == "ip03")]' "$TMP/quotes.json" |
    jq --arg unit segment --arg rows theme --arg cols theme \
        --slurpfile segs "$TMP/sentence.json" "$REFERENCE" >"$TMP/ref.json"
"$KODBOK" matrix --rows theme --cols theme --case ip03 --format json >"$TMP/m.json"
wrong=$(jq -r --slurpfile ref "$TMP/ref.json" "$COMPARE" "$TMP/m.json") || wrong="jq failed"
[ -z "$wrong" ] && ok || bad "--case ip03: $wrong"
jq -e '.total > 0 and .total < '"$(jq .total "$TMP/tt.json" 2>/dev/null || echo 1000000)" "$TMP/m.json" >/dev/null &&
    ok || bad "--case ip03 does not narrow the units"

# --quotes: a cell's quotes are those of its two codes in the units that
# hold both.
QUOTES='
def units($q): [$segs[0][$q.document][] | select(.start < $q.end and .end > $q.start)
                | "\($q.document):\(.index)"];
def key: "\(.document):\(.start):\(.end):\(.concept):\(.theme)";
. as $all
| [$cells[0].cells[] | select(.count > 0) | .row as $a | .col as $b
   | ([$all[] | select(.theme == $a) | units(.)[]] | unique) as $ua
   | ([$all[] | select(.theme == $b) | units(.)[]] | unique) as $ub
   | ($ua - ($ua - $ub)) as $both
   | ([$all[] | select((.theme == $a or .theme == $b) and
                       (units(.) - (units(.) - $both) | length > 0)) | key] | sort) as $want
   | ([.quotes[] | key] | sort) as $got
   | select($want != $got) | "\($a) \($b): \($got | length) quotes, wanted \($want | length)"]
| .[:3][]'
"$KODBOK" matrix --rows theme --cols theme --quotes --format json >"$TMP/mq.json" ||
    bad "matrix --quotes"
wrong=$(jq -r --slurpfile cells "$TMP/mq.json" --slurpfile segs "$TMP/sentence.json" \
    "$QUOTES" "$TMP/quotes.json") || wrong="jq failed"
[ -z "$wrong" ] && ok || bad "--quotes: $wrong"
jq -e '[.cells[] | select(.row != .col and .count > 0)] | length > 0' "$TMP/mq.json" \
    >/dev/null && ok || bad "test setup: no two themes share a sentence"
"$KODBOK" matrix --rows theme --cols theme --quotes --format html >"$TMP/mq.html" &&
    grep -q 'href="#c-0-' "$TMP/mq.html" && ok || bad "--quotes html: no links to the cells"
"$KODBOK" matrix --rows theme --cols theme --quotes --format xlsx -o "$TMP/mq.xlsx" &&
    unzip -l "$TMP/mq.xlsx" | grep -q 'sheet2.xml' && ok || bad "--quotes xlsx: no Quotes sheet"

# The Jaccard index in a table (three decimals) and as numbers in XLSX.
"$KODBOK" matrix --rows theme --cols theme --jaccard --format csv >"$TMP/j.csv" ||
    bad "matrix --jaccard csv"
row1=$(sed -n 2p "$TMP/j.csv" | tr -d '\r')
want=$(jq -r '(.cells[0].row) as $r | [.cells[] | select(.row == $r) | (.jaccard * 1000 + 0.5 | floor) as $m
    | "\($m / 1000 | floor).\($m % 1000 | tostring | ("00" + .) | .[-3:])"] | join(",")' "$TMP/tt.json")
[ "$(echo "$row1" | cut -d, -f3- | sed 's/,[0-9]*$//')" = "$want" ] && ok ||
    bad "--jaccard csv row '$row1', wanted the JSON's $want"
"$KODBOK" matrix --rows theme --cols theme --jaccard --format xlsx -o "$TMP/j.xlsx" || bad "--jaccard xlsx"
unzip -p "$TMP/j.xlsx" xl/worksheets/sheet1.xml | grep -q '<c r="B2"[^>]*><v>1</v>' &&
    ok || bad "--jaccard xlsx: B2 is not the number 1"
for f in text md html tsv; do
    "$KODBOK" matrix --rows theme --cols theme --jaccard --format "$f" >"$TMP/j.$f" &&
        grep -q '1\.000' "$TMP/j.$f" && ok || bad "--jaccard $f"
done

# The case axis: concept by case, presence (0/1) and counts, wide for R.
"$KODBOK" matrix --rows case --cols concept --count presence --format csv >"$TMP/p.csv" ||
    bad "presence csv"
head -1 "$TMP/p.csv" | grep -q '^case,label,helheten-viktig,' && ok || bad "presence csv header: $(head -1 "$TMP/p.csv")"
"$KODBOK" matrix --rows case --cols concept --format json >"$TMP/cc.json"
"$KODBOK" matrix --rows case --cols concept --count presence --format json >"$TMP/pc.json"
jq -e --slurpfile q "$TMP/quotes.json" --slurpfile c "$TMP/cc.json" '
    [.cells[] as $x | ([$q[0][] | select(.case == $x.row and .concept == $x.col)] | length) as $n
     | ($c[0].cells[] | select(.row == $x.row and .col == $x.col) | .count) as $k
     | $x.count == (if $n > 0 then 1 else 0 end) and $k == $n] | all' "$TMP/pc.json" >/dev/null &&
    ok || bad "case x concept: presence or counts differ from the quotes"
jq -e '(.row_totals[0].row) as $r | .row_totals[0].count ==
    ([.cells[] | select(.row == $r) | .count] | add)' "$TMP/pc.json" >/dev/null &&
    ok || bad "presence: a row's total is not its cells present"
if command -v Rscript >/dev/null; then
    Rscript -e 'm <- subset(read.csv(commandArgs(TRUE)[1], check.names = FALSE), case != "", select = -c(label, total)); stopifnot(all(as.matrix(m[-1]) %in% 0:1))' "$TMP/p.csv" &&
        ok || bad "R does not read the presence table"
fi

# The heat map: valid SVG, a cell and a number per pair, rendered.
"$KODBOK" matrix --rows theme --cols theme --format svg -o "$TMP/h.svg" || bad "svg"
xmllint --noout "$TMP/h.svg" && ok || bad "the heat map is not well-formed XML"
themes=$(jq '.row_totals | length' "$TMP/tt.json")
[ "$(xmllint --xpath 'count(//*[local-name()="g"][@class="cells"]/*[local-name()="text"])' "$TMP/h.svg")" = $((themes * themes)) ] &&
    ok || bad "the heat map has not one number per cell"
xmllint --xpath '//*[local-name()="g"][@class="cells"]/*[local-name()="text"]/text()' "$TMP/h.svg" |
    tr -s ' \n' '\n' | grep . >"$TMP/h.values"
jq -r '.cells[].count' "$TMP/tt.json" | diff -q - "$TMP/h.values" >/dev/null &&
    ok || bad "the heat map's numbers are not the matrix's"
grep -q 'width="[0-9]*pt"' "$TMP/h.svg" && ok || bad "the heat map is not sized in points"
if command -v rsvg-convert >/dev/null; then
    rsvg-convert "$TMP/h.svg" -o "$TMP/h.png" && [ -s "$TMP/h.png" ] && ok || bad "rsvg-convert"
fi
"$KODBOK" matrix --format svg | xmllint --noout - && ok || bad "an ordinary matrix as svg"
"$KODBOK" matrix --rows concept --cols concept --jaccard --format svg | xmllint --noout - &&
    ok || bad "a Jaccard heat map"

# Errors: one line each, in the CLI's words.
expect_fail 1 "--jaccard" "$KODBOK" matrix --jaccard
expect_fail 1 "--count words does not apply" "$KODBOK" matrix --rows concept --cols theme --count words
expect_fail 1 "--unit turn: units are counted in a matrix of two code axes" "$KODBOK" matrix --unit turn
expect_fail 1 "unknown unit 'sentences'" "$KODBOK" matrix --rows theme --cols theme --unit sentences
expect_fail 1 "svg is a format of the matrix" "$KODBOK" quotes --format svg
expect_fail 1 "--quotes" "$KODBOK" matrix --rows theme --cols theme --quotes --format svg
finish
