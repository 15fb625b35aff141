#!/usr/bin/env bash
# kodbok matrix, quotes and report on the sample corpus coded with its
# codebook. Counts are held against SQL over the store (kbsql); the CSV
# is read back by sqlite3's own CSV reader and compared with the JSON read
# by SQLite's JSON1; every quote is the stored text cut at its span (jq);
# the XLSX parts are unzipped and parsed by xmllint, and when LibreOffice is
# installed the quotes workbook converted to CSV equals quotes.csv; the
# report is parsed as XML and as HTML and its links are followed. Then the
# errors: one line, the documented exit code, an existing file untouched.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
DB=$KODBOK_PROJECT
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "coding run"

# kodbok's own tables of codings are read through kbsql (tests/tools).
sql() { "$KBSQL" "$DB" "$1"; }
# The quotes alive at the last run, with their concept's theme (k.parent).
ALIVE="FROM codings c JOIN run_codes k ON k.run_id = (SELECT MAX(id) FROM runs)
       AND k.kind = 'concept' AND k.code = c.concept WHERE c.to_run IS NULL"
LEVEL="JOIN coding_facets f ON f.coding_id = c.id AND f.facet = 'level'"
all=$(sql "SELECT COUNT(*) $ALIVE")
[ "$all" -gt 500 ] && ok || bad "only $all quotes in the store"

# --- matrix: theme x level, every cell and total against SQL -------------
"$KODBOK" matrix --format json >"$TMP/m.json" || bad "matrix --format json"
jq -e . "$TMP/m.json" >/dev/null && ok || bad "matrix JSON does not parse"
themes=$("$KODBOK" codebook check "$CB" --format json 2>/dev/null | jq '[.nodes[] | select(.kind == "theme")] | length')
[ "$(jq '.cells | length' "$TMP/m.json")" = $((themes * 4)) ] && ok || bad "not one cell per theme and level"
[ "$(jq -r '[.rows, .cols, .count] | join(" ")' "$TMP/m.json")" = "theme level quotes" ] && ok || bad "matrix axes"
jq -r '.cells[] | select(.count > 0) | "\(.row)|\(.col)|\(.count)"' "$TMP/m.json" | sort >"$TMP/cells.got"
sql "SELECT k.parent, f.value, COUNT(*) FROM codings c JOIN run_codes k ON k.run_id = (SELECT MAX(id) FROM runs)
     AND k.kind = 'concept' AND k.code = c.concept $LEVEL WHERE c.to_run IS NULL GROUP BY 1, 2" | sort >"$TMP/cells.want"
[ -s "$TMP/cells.want" ] && diff "$TMP/cells.want" "$TMP/cells.got" >/dev/null && ok ||
    bad "matrix cells differ from SQL: $(diff "$TMP/cells.want" "$TMP/cells.got" | head -3)"
jq -r '.row_totals[] | "\(.row)|\(.count)"' "$TMP/m.json" | sort >"$TMP/rows.got"
sql "SELECT k.code, (SELECT COUNT(*) FROM codings c JOIN run_codes x ON x.run_id = k.run_id
     AND x.kind = 'concept' AND x.code = c.concept WHERE c.to_run IS NULL AND x.parent = k.code)
     FROM run_codes k WHERE k.run_id = (SELECT MAX(id) FROM runs) AND k.kind = 'theme'" | sort >"$TMP/rows.want"
diff "$TMP/rows.want" "$TMP/rows.got" >/dev/null && ok || bad "row totals differ from SQL"
jq -r '.col_totals[] | "\(.col)|\(.count)"' "$TMP/m.json" | sort >"$TMP/cols.got"
sql "SELECT f.value, COUNT(*) $(echo "$ALIVE" | sed "s/WHERE/$LEVEL WHERE/") GROUP BY 1" | sort >"$TMP/cols.want"
diff "$TMP/cols.want" <(grep -v '|0$' "$TMP/cols.got") >/dev/null && ok || bad "column totals differ from SQL"
[ "$(jq .total "$TMP/m.json")" = "$all" ] && ok || bad "grand total $(jq .total "$TMP/m.json"), store $all"
# A quote with two levels counts in both columns, and once in the total.
sum=$(jq '[.cells[].count] | add' "$TMP/m.json")
two=$(sql "SELECT COUNT(*) FROM (SELECT c.id $(echo "$ALIVE" | sed "s/WHERE/$LEVEL WHERE/") GROUP BY c.id HAVING COUNT(*) > 1)")
[ "$sum" -gt "$all" ] && [ "$two" -gt 0 ] && ok || bad "no quote with two levels to test ($sum, $two)"

# Labels for people: text and Markdown show the labels and Totalt.
"$KODBOK" matrix >"$TMP/m.txt" || bad "matrix (text)"
head -1 "$TMP/m.txt" | grep -q '^Tema  *Regional nivå  *Delregional nivå  *Lokal nivå  *Nivåoberoende  *Totalt$' && ok ||
    bad "text header: $(head -1 "$TMP/m.txt")"
[ "$(tail -1 "$TMP/m.txt" | awk '{ print $1, $NF }')" = "Totalt $all" ] && ok || bad "text total row: $(tail -1 "$TMP/m.txt")"
"$KODBOK" matrix --format md -o "$TMP/m.md" || bad "matrix --format md"
grep -q '^| Struktur | [0-9]* | [0-9]* | [0-9]* | [0-9]* | [0-9]* |$' "$TMP/m.md" && ok || bad "md row of Struktur"
want=$(jq -r '[.row_totals[] | select(.row == "struktur") | .count][0]' "$TMP/m.json")
[ "$(grep '^| Struktur |' "$TMP/m.md" | awk -F'|' '{ gsub(/ /, "", $7); print $7 }')" = "$want" ] && ok || bad "md total of Struktur"
"$KODBOK" matrix --lang en | head -1 | grep -q '^Theme .* Total$' && ok || bad "--lang en"

# Data (CSV): ids, a label column and total, read by sqlite3's CSV reader.
"$KODBOK" matrix --format csv -o "$TMP/m.csv" || bad "matrix --format csv"
sqlite3 "$TMP/mc.db" ".import --csv $TMP/m.csv m" || bad "sqlite3 cannot read the matrix CSV"
cols=$(sqlite3 "$TMP/mc.db" "SELECT group_concat(name, ',') FROM pragma_table_info('m')")
[ "$cols" = "theme,label,regional,delregional,lokal,nivaoberoende,total" ] && ok || bad "matrix CSV header: $cols"
got=$(sqlite3 "$TMP/mc.db" "SELECT regional || ' ' || total FROM m WHERE theme = 'struktur'")
want=$(jq -r '"\([.cells[] | select(.row == "struktur" and .col == "regional") | .count][0]) \([.row_totals[] | select(.row == "struktur") | .count][0])"' "$TMP/m.json")
[ "$got" = "$want" ] && ok || bad "CSV struktur row '$got', JSON '$want'"
[ "$(sqlite3 "$TMP/mc.db" "SELECT label || ' ' || total FROM m WHERE theme = ''")" = "total $all" ] && ok || bad "CSV total row"

# Other counts and axes.
"$KODBOK" matrix --count documents --format json >"$TMP/md.json" || bad "--count documents"
got=$(jq -r '[.row_totals[] | select(.row == "ledarskap") | .count][0]' "$TMP/md.json")
want=$(sql "SELECT COUNT(DISTINCT c.version_id) $ALIVE AND k.parent = 'ledarskap'")
[ "$got" = "$want" ] && ok || bad "documents quoting ledarskap: $got, SQL $want"
"$KODBOK" matrix --rows dimension --cols document --format json >"$TMP/mdim.json" || bad "--rows dimension --cols document"
got=$(jq -r '[.cells[] | select(.row == "organisering" and .col == "ip03") | .count][0]' "$TMP/mdim.json")
want=$(sql "SELECT COUNT(*) $ALIVE AND k.parent IN (SELECT code FROM run_codes WHERE run_id = k.run_id
            AND kind = 'theme' AND parent = 'organisering') AND c.version_id = (SELECT v.id FROM versions v
            JOIN documents d ON d.id = v.document_id WHERE d.name = 'ip03')")
[ "$got" = "$want" ] && [ "$want" -gt 0 ] && ok || bad "organisering in ip03: $got, SQL $want"

# --- quotes: the columns, every row, read back two ways ------------------
"$KODBOK" quotes --format csv -o "$TMP/q.csv" || bad "quotes --format csv"
"$KODBOK" quotes --format json -o "$TMP/q.json" || bad "quotes --format json"
# Every column by default: the old ones still there, in their order, with
# the labels, role, time, memo and one per case attribute beside them.
COLS="document,case,attr:level,attr:gender,attr:method,attr:role,attr:area,speaker,role,time,start,end,dimension,dimension_label,theme,theme_label,concept,concept_label,level,source,coder,tagged_by,accepted_by,memo,text,featured_by"
head -n 1 "$TMP/q.csv" | grep -q "^$COLS"$'\r$' && ok ||
    bad "quotes CSV header: $(head -1 "$TMP/q.csv")"
Q="$TMP/q.db"
sqlite3 "$Q" ".import --csv $TMP/q.csv q" || bad "sqlite3 cannot read quotes.csv"
[ "$(sqlite3 "$Q" 'SELECT COUNT(*) FROM q')" = "$all" ] && ok || bad "quotes.csv has not the store's $all quotes"
[ "$(jq length "$TMP/q.json")" = "$all" ] && ok || bad "quotes JSON has not $all quotes"
[ "$(jq -r '.[0] | keys_unsorted | join(",")' "$TMP/q.json")" = "$COLS" ] &&
    ok || bad "quotes JSON keys"
# The CSV, as sqlite3 reads it, equals the JSON, as JSON1 reads it.
sqlite3 "$Q" "CREATE TABLE j AS SELECT $(for k in ${COLS//,/ }; do
    printf "CAST(coalesce(json_extract(value, '\$.\"%s\"'), '') AS TEXT) AS \"%s\"," "$k" "$k"; done | sed 's/,$//') FROM json_each(readfile('$TMP/q.json'))"
d=$(sqlite3 "$Q" "SELECT (SELECT COUNT(*) FROM (SELECT * FROM q EXCEPT SELECT * FROM j)) + (SELECT COUNT(*) FROM (SELECT * FROM j EXCEPT SELECT * FROM q))")
[ "$d" = 0 ] && ok || bad "$d rows differ between quotes.csv and the JSON"
[ "$(sqlite3 "$Q" "SELECT COUNT(*) FROM q WHERE source <> 'auto' OR coder <> '' OR level = ''")" = 0 ] && ok || bad "source, coder or level column"
# Every quote is the stored text of its document cut at [start, end).
for doc in $(jq -r '[.[].document] | unique | .[]' "$TMP/q.json"); do
    "$KODBOK" show "$doc" --raw >"$TMP/raw"
    jq -e --arg d "$doc" --rawfile t "$TMP/raw" '[.[] | select(.document == $d) | ($t[.start:.end] == .text)] | all' "$TMP/q.json" >/dev/null ||
        bad "a quote of $doc is not its text at [start, end)"
done
ok
# Ordered by document, then position.
jq -e '[.[] | [.document, .start]] as $v | $v == ($v | sort)' "$TMP/q.json" >/dev/null && ok || bad "quotes not in document order"

# Filters, against SQL and against the cases.
got=$("$KODBOK" quotes --facet level=lokal --format json | jq length)
want=$(sql "SELECT COUNT(*) $(echo "$ALIVE" | sed "s/WHERE/$LEVEL WHERE/") AND f.value = 'lokal'")
[ "$got" = "$want" ] && ok || bad "--facet level=lokal: $got, SQL $want"
got=$("$KODBOK" quotes --theme covid-19 --doc ip05 --format json | jq length)
want=$(sql "SELECT COUNT(*) $ALIVE AND k.parent = 'covid-19' AND c.version_id = (SELECT v.id FROM versions v
            JOIN documents d ON d.id = v.document_id WHERE d.name = 'ip05')")
[ "$got" = "$want" ] && [ "$want" -gt 0 ] && ok || bad "--theme covid-19 --doc ip05: $got, SQL $want"
"$KODBOK" cases --format json | jq -r '.cases[] | select(.attributes.gender == "kvinna") | .case' >"$TMP/women"
want=$(jq -r '.[].case' "$TMP/q.json" | grep -cxFf "$TMP/women")
got=$("$KODBOK" quotes --attr gender=kvinna --format json | jq length)
[ "$got" = "$want" ] && [ "$want" -gt 0 ] && ok || bad "--attr gender=kvinna: $got, the cases say $want"
got=$("$KODBOK" quotes --case fg3 --format json | jq -r '[.[].case] | unique | join(",")')
[ "$got" = fg3 ] && ok || bad "--case fg3 gave cases $got"

# --max-words: at most N words around the match, [...] where cut.
"$KODBOK" quotes --max-words 8 --format json >"$TMP/q8.json" || bad "--max-words 8"
jq -e '[.[] | .text | gsub("\\[…\\]"; "") | [scan("[\\p{L}\\p{M}\\p{N}]+")] | length <= 8] | all' "$TMP/q8.json" >/dev/null && ok ||
    bad "a quote has more than 8 words"
jq -e --slurpfile w "$TMP/q.json" '[., $w[0]] | transpose | map(select((.[0].text | contains("[…]")) != (.[0].text != .[1].text))) | length == 0' \
    "$TMP/q8.json" >/dev/null && ok || bad "a quote was shortened without […] or marked without being shortened"
[ "$(jq '[.[] | select(.text | contains("[…]"))] | length' "$TMP/q8.json")" -gt 50 ] && ok || bad "few quotes shortened"

# CSV for Excel: a BOM, or ';' between fields; TSV and Markdown one line a quote.
"$KODBOK" quotes --format csv --bom -o "$TMP/bom.csv" || bad "--bom"
[ "$(head -c 3 "$TMP/bom.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && ok || bad "no BOM"
cmp -s <(tail -c +4 "$TMP/bom.csv") "$TMP/q.csv" && ok || bad "the BOM file is not quotes.csv after the BOM"
"$KODBOK" quotes --format csv --delimiter ';' -o "$TMP/semi.csv" || bad "--delimiter ;"
[ "$(sqlite3 "$TMP/s.db" ".mode csv" ".separator ;" ".import $TMP/semi.csv s" "SELECT COUNT(*) FROM s")" = "$all" ] && ok || bad "';' CSV"
[ "$("$KODBOK" quotes --format tsv | wc -l)" = $((all + 1)) ] && ok || bad "TSV: not one line per quote"
[ "$("$KODBOK" quotes --format md | wc -l)" = $((all + 2)) ] && ok || bad "Markdown: not one line per quote"

# --- XLSX: well-formed parts, sheets, links; LibreOffice reads quotes.csv -
"$KODBOK" quotes --format xlsx -o "$TMP/q.xlsx" || bad "quotes --format xlsx"
"$KODBOK" matrix --quotes --format xlsx -o "$TMP/m.xlsx" || bad "matrix --quotes --format xlsx"
for book in q m; do
    mkdir "$TMP/$book.x" && (cd "$TMP/$book.x" && unzip -q "../$book.xlsx") || bad "unzip $book.xlsx"
    parts=0
    while IFS= read -r part; do
        xmllint --noout "$part" 2>/dev/null || bad "$book.xlsx: $part is not well-formed"
        parts=$((parts + 1))
    done < <(find "$TMP/$book.x" -name '*.xml' -o -name '*.rels')
    [ "$parts" -ge 8 ] && ok || bad "$book.xlsx has only $parts XML parts"
done
sheets() { xmllint --xpath "//*[local-name()='sheet']/@name" "$TMP/$1.x/xl/workbook.xml" | tr -d ' \n'; }
[ "$(sheets q)" = 'name="Quotes"' ] && ok || bad "quotes workbook sheets: $(sheets q)"
grep -q '<c r="A1"[^>]*><is><t>Dokument</t>' "$TMP/q.x/xl/worksheets/sheet1.xml" && ok || bad "quotes workbook header not in words"
[ "$(sheets m)" = 'name="Matrix"name="Quotes"' ] && ok || bad "matrix workbook sheets: $(sheets m)"
S1="$TMP/m.x/xl/worksheets/sheet1.xml" S2="$TMP/m.x/xl/worksheets/sheet2.xml"
grep -q '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' "$S2" && ok || bad "Quotes header not frozen"
[ "$(grep -o '<autoFilter ref="[^"]*"/>' "$S2")" = "<autoFilter ref=\"A1:AB$((sum + 1))\"/>" ] && ok ||
    bad "Quotes autofilter $(grep -o '<autoFilter[^>]*>' "$S2"), $sum quotes in cells"
links=$(grep -o '<hyperlink ' "$S1" | wc -l)
[ "$links" = "$(jq '[.cells[] | select(.count > 0)] | length' "$TMP/m.json")" ] && ok || bad "$links links for the non-empty cells"
grep -q '<hyperlink ref="B2" location="Quotes!A2"' "$S1" && ok || bad "the first cell does not link to the first quote"
office=$(office_cmd)
if [ -n "$office" ]; then
    (cd "$TMP" && HOME="$TMP" timeout 300 "$office" -env:UserInstallation="file://$TMP/lo" --headless \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true,false,false,false,-1' q.xlsx >lo.log 2>&1)
    if sqlite3 "$Q" ".import --csv $TMP/q-Quotes.csv lo" 2>/dev/null; then
        d=$(sqlite3 "$Q" "SELECT (SELECT COUNT(*) FROM (SELECT * FROM q EXCEPT SELECT * FROM lo)) + (SELECT COUNT(*) FROM (SELECT * FROM lo EXCEPT SELECT * FROM q))")
        [ "$d" = 0 ] && [ "$(sqlite3 "$Q" 'SELECT COUNT(*) FROM lo')" = "$all" ] && ok || bad "LibreOffice's CSV of q.xlsx differs from quotes.csv in $d rows"
    else
        bad "LibreOffice wrote no CSV of q.xlsx: $(tail -2 "$TMP/lo.log")"
    fi
else
    echo "note: no LibreOffice (soffice) here; XLSX not compared with quotes.csv"
fi

# --- the report: one page that needs nothing else -------------------------
"$KODBOK" report -o "$TMP/report.html" 2>"$TMP/err" && [ ! -s "$TMP/err" ] || bad "report: $(cat "$TMP/err")"
R="$TMP/report.html"
xmllint --noout "$R" && ok || bad "the report is not well-formed"
xmllint --html --noout "$R" 2>"$TMP/html.err" && [ ! -s "$TMP/html.err" ] && ok || bad "the report is not clean HTML: $(head -2 "$TMP/html.err")"
head -c 15 "$R" | grep -q '^<!DOCTYPE html>' && ok || bad "no doctype"
grep -qiE '<script|<link|<img|<iframe|src=|url\(|@import|https?:' "$R" && bad "the report loads something from elsewhere" || ok
x() { xmllint --xpath "$1" "$R" 2>/dev/null; }
# Every link is an anchor of the page; every non-empty cell links to its
# list, which holds exactly the cell's quotes.
for href in $(x '//*[local-name()="a"]/@href' | sed 's/ href="\([^"]*\)"/\1\n/g'); do
    [ "${href:0:1}" = "#" ] && [ "$(x "count(//*[@id='${href:1}'])")" = 1 ] || bad "link $href has no target"
done
[ "$(x 'count(//*[local-name()="td"]/*[local-name()="a"])')" = "$(jq '[.cells[] | select(.count > 0)] | length' "$TMP/m.json")" ] && ok ||
    bad "not one link per non-empty cell"
[ "$(x 'count(//*[@class="cell"]//*[local-name()="li"])')" = "$sum" ] && ok || bad "the cells do not list $sum quotes"
want=$(jq '[.cells[] | select(.row == "covid-19" and .col == "lokal") | .count][0]' "$TMP/m.json")
cell=$(x "//*[local-name()='a'][text()='$want']/@href" | head -1 | sed 's/.*"#\(.*\)"/\1/')
[ "$(x "count(//*[@id='$cell']//*[local-name()='li'])")" = "$want" ] && ok || bad "cell $cell does not list its $want quotes"
# The tree: every dimension, theme and concept of the codebook, by label.
"$KODBOK" codebook check "$CB" --format json 2>/dev/null |
    jq -r '.nodes[] | select(.kind == "dimension" or .kind == "theme" or .kind == "concept") | .label' >"$TMP/labels"
x '//*[@class="tree"]//*[local-name()="li"]/*[1]/text()' >"$TMP/tree" 2>/dev/null
missing=$(grep -cvxFf <(sed 's/&amp;/\&/g' "$TMP/tree") "$TMP/labels")
[ "$missing" = 0 ] && [ "$(wc -l <"$TMP/labels")" -gt 50 ] && ok || bad "$missing codebook labels missing from the tree"
grep -q 'Samverkan behövs på alla nivåer, med en röd tråd mellan dem.' "$R" && ok || bad "no concept descriptions"
"$KODBOK" matrix --quotes --format html -o "$TMP/mq.html" || bad "matrix --quotes --format html"
xmllint --noout "$TMP/mq.html" && [ "$(xmllint --xpath 'count(//*[@class="cell"])' "$TMP/mq.html")" = "$links" ] && ok ||
    bad "matrix --quotes html: not one section per non-empty cell"

# --- manual codings: counted, marked as such, cut from the text ----------
"$KODBOK" tags import "$C/tags/anna.tsv" >/dev/null 2>&1 && "$KODBOK" tags import "$C/tags/bo.tsv" >/dev/null 2>&1 ||
    bad "tags import"
# Every tag is a whole sentence and every concept quotes sentences: the
# tags of one code on one sentence, whoever made them, are one quote.
tags=$(awk -F'\t' 'FNR > 1 && $8 == "tag" { print $1, $7, $3 }' "$C"/tags/*.tsv | sort -u | wc -l)
"$KODBOK" quotes --source manual --format json >"$TMP/man.json" || bad "quotes --source manual"
[ "$(jq length "$TMP/man.json")" = "$tags" ] && [ "$tags" -gt 10 ] && ok || bad "$(jq length "$TMP/man.json") manual quotes, the tags files have $tags"
jq -e 'all(.coder != null and .coder == .tagged_by and (.coder | split(",") | all(. == "anna" or . == "bo")))' "$TMP/man.json" >/dev/null && ok || bad "manual quotes' coders"
jq -e 'any(.source == "auto") and any(.source == "manual") and any(.coder == "anna,bo")' "$TMP/man.json" >/dev/null && ok || bad "no tag on a rule's quote, or on one sentence by both coders"
# The memo column holds each tag's memo, as the tags files have it.
awk -F'\t' 'FNR > 1 && $8 == "tag" && $14 != "" { print $1 " " $3 " " $7 " " $14 }' "$C"/tags/*.tsv | sort >"$TMP/memos.want"
jq -r '.[] | select(.memo != null) | "\(.document) \(.start) \(.concept // .theme) \(.memo)"' "$TMP/man.json" | sort >"$TMP/memos.got"
[ -s "$TMP/memos.want" ] && cmp -s "$TMP/memos.want" "$TMP/memos.got" && ok || bad "memos: $(diff "$TMP/memos.want" "$TMP/memos.got")"
# Labels, role and time beside the ids, for writing: ip03 is timestamped.
jq -e 'all(.[]; .concept == null or (.concept_label | type == "string")) and any(.[]; .time != null and (.time | test("^[0-9]{2}:[0-9]{2}:[0-9]{2}")))' "$TMP/man.json" >/dev/null &&
    ok || bad "labels or times missing"
# --columns: chosen and ordered; an unknown name is one line with the nearest.
"$KODBOK" quotes --source manual --format csv --columns document,time,role,attr:role,concept_label,memo,text >"$TMP/chosen.csv" || bad "--columns"
head -n 1 "$TMP/chosen.csv" | grep -qx $'document,time,role,attr:role,concept_label,memo,text\r' && ok || bad "--columns header: $(head -1 "$TMP/chosen.csv")"
[ "$(wc -l <"$TMP/chosen.csv")" = $((tags + 1)) ] && ok || bad "--columns rows"
expect_fail 1 "^kodbok: unknown quote column 'concpet_label' \(did you mean 'concept_label'\?\)$" "$KODBOK" quotes --columns document,concpet_label
expect_fail 2 "^kodbok: no attribute 'age' \(the cases' attributes: level, gender, method, role, area\)$" "$KODBOK" quotes --columns attr:age
# For people the headers are words, in Swedish unless --lang en.
"$KODBOK" quotes --format md --columns document,concept_label,level,text | head -n 1 | grep -qx '| Dokument | Begrepp | Nivå | Citat |' && ok || bad "md headers"
"$KODBOK" quotes --format md --lang en --columns document,concept_label,text | head -n 1 | grep -qx '| Document | Concept | Quote |' && ok || bad "md headers in English"
"$KODBOK" show ip03 --raw >"$TMP/raw"
jq -e --rawfile t "$TMP/raw" 'all(.document != "ip03" or $t[.start:.end] == .text)' "$TMP/man.json" >/dev/null && ok ||
    bad "a manual quote is not its text"
"$KODBOK" quotes --source all --format json >"$TMP/both.json"
only=$(jq '[.[] | select(.source == "manual")] | length' "$TMP/man.json")
[ "$(jq length "$TMP/both.json")" = $((all + only)) ] && ok || bad "all sources: not the rules' quotes and the coders' others"
jq -e '[.[] | [.document, .start]] as $v | $v == ($v | sort)' "$TMP/both.json" >/dev/null && ok ||
    bad "manual quotes not merged in document order"
[ "$("$KODBOK" matrix --format json | jq .total)" -ge "$all" ] && ok || bad "matrix with manual codings"
"$KODBOK" report -o "$TMP/report2.html" && xmllint --noout "$TMP/report2.html" && grep -q 'manuell: anna' "$TMP/report2.html" && ok ||
    bad "the report does not mark manual codings"
if awk -F'\t' 'FNR > 1 && $6 == "theme"' "$C"/tags/*.tsv | grep -q .; then
    grep -q '(hela temat)</h4>' "$TMP/report2.html" && ok || bad "no group for a tag on a whole theme"
fi

# --- errors: one line, exit 1 for usage, 2 for input, 3 for I/O ---------
expect_fail 1 "unknown axis 'colour'" "$KODBOK" matrix --rows colour
expect_fail 1 "matrix: unknown count 'sentences'" "$KODBOK" matrix --count sentences
expect_fail 1 "matrix: unknown format 'pdf'" "$KODBOK" matrix --format pdf
expect_fail 1 "matrix: --quotes goes with html, json or xlsx" "$KODBOK" matrix --quotes --format csv
expect_fail 1 "quotes: --facet wants FACET=VALUE" "$KODBOK" quotes --facet level
expect_fail 1 "quotes: --facet wants FACET=VALUE" "$KODBOK" quotes --facet =lokal
expect_fail 1 "quotes: --attr wants NAME=VALUE" "$KODBOK" quotes --attr gender
expect_fail 1 "quotes: unknown source 'robot'" "$KODBOK" quotes --source robot
expect_fail 1 "quotes: --max-words wants a number" "$KODBOK" quotes --max-words many
expect_fail 1 "quotes: unknown option or missing value: '--rows'" "$KODBOK" quotes --rows theme
expect_fail 2 "no concept, theme or dimension 'nope' in the codebook of run 1" "$KODBOK" quotes --concept nope
expect_fail 2 "'helheten-viktig' is a concept, not a theme" "$KODBOK" quotes --theme helheten-viktig
expect_fail 2 "facet 'level' has no value 'lokl'" "$KODBOK" quotes --facet level=lokl
expect_fail 2 "no facet 'nivå' in run 1" "$KODBOK" matrix --facet nivå=lokal
expect_fail 2 "no document 'ip99'" "$KODBOK" quotes --doc ip99
expect_fail 2 "no run 7" "$KODBOK" matrix --run 7
expect_fail 3 "nodir/q\.csv: cannot write: No such file or directory" "$KODBOK" quotes --format csv -o "$TMP/nodir/q.csv"
expect_fail 3 "/dev/full: cannot write: No space left on device" "$KODBOK" quotes --format csv -o /dev/full
[ -c /dev/full ] && ok || bad "a failed write removed the device it wrote to"
cp "$TMP/q.csv" "$TMP/keep.csv"
expect_fail 2 "dimension 'nope'" "$KODBOK" quotes --concept nope -o "$TMP/keep.csv"
cmp -s "$TMP/q.csv" "$TMP/keep.csv" && ok || bad "a failed export changed the file it was to write"
[ -z "$(ls "$TMP" | grep '\.tmp$')" ] && ok || bad "a temporary file was left: $(ls "$TMP" | grep '\.tmp$')"
ln -s keep.csv "$TMP/link.csv"
"$KODBOK" quotes --format csv -o "$TMP/link.csv" && [ -L "$TMP/link.csv" ] &&
    "$KODBOK" quotes --format csv | cmp -s - "$TMP/keep.csv" && ok ||
    bad "writing through a link replaced the link"

# Without -f, -o FILE's extension names the format, in any case; -f wins,
# and an extension that names no format leaves the default, text.
"$KODBOK" quotes -o "$TMP/ext.CSV" && cmp -s "$TMP/ext.CSV" "$TMP/keep.csv" && ok ||
    bad "quotes -o ext.CSV is not the CSV"
"$KODBOK" matrix -o "$TMP/ext.json" && "$KODBOK" matrix -f json | cmp -s - "$TMP/ext.json" && ok ||
    bad "matrix -o ext.json is not the JSON"
"$KODBOK" matrix -o "$TMP/ext.xlsx" && [ "$(head -c 2 "$TMP/ext.xlsx")" = "PK" ] && ok ||
    bad "matrix -o ext.xlsx is not a workbook"
"$KODBOK" quotes -f text -o "$TMP/text.csv" && "$KODBOK" quotes | cmp -s - "$TMP/text.csv" && ok ||
    bad "-f text -o text.csv is not the text table"
"$KODBOK" quotes -o "$TMP/q.list" && "$KODBOK" quotes | cmp -s - "$TMP/q.list" && ok ||
    bad "-o q.list is not the text table"

"$KODBOK" init -p "$TMP/empty.db" >/dev/null
expect_fail 2 "no runs yet" "$KODBOK" -p "$TMP/empty.db" quotes
expect_fail 2 "no runs yet" "$KODBOK" -p "$TMP/empty.db" report

finish
