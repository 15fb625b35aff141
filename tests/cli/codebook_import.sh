#!/usr/bin/env bash
# kodbok codebook import: a spreadsheet (CSV) becomes a codebook that
# checks; a bad sheet is one error line naming the sheet and its line, and
# leaves an existing output file as it was.
source "$(dirname "$0")/lib/common.bash"
cat >"$TMP/sheet.csv" <<'CSV'
dimension,theme,concept,description,patterns,exclude,scope
Organisering,Struktur,Helheten viktig,Röd tråd.,"\bröd tråd\w*
\bpå alla nivåer\b",\binte alls\b,turn
,,VVG:s roll oklar,,\bVVG\b,,
,Ledarskap,Värderingsstyrning,"Styra med ""värden"".",\bvärdering\w*,,
Förutsättningar,Resurser,Vems ansvar?,,\bvems ansvar\b,,
CSV
"$KODBOK" codebook import "$TMP/sheet.csv" -o "$TMP/cb.yaml" --name "Kalkylblad" >/dev/null || bad "import"
"$KODBOK" codebook check "$TMP/cb.yaml" --format json >"$TMP/cb.json" || bad "check"
[ "$(jq -r '.name' "$TMP/cb.json")" = Kalkylblad ] && ok || bad "name"
[ "$(jq '[.nodes[] | select(.kind == "concept")] | length' "$TMP/cb.json")" = 4 ] && ok || bad "concepts"
[ "$(jq -r '.nodes[] | select(.id == "vvg-s-roll-oklar") | .parent' "$TMP/cb.json")" = struktur ] && ok || bad "carried theme"
[ "$(jq -r '.nodes[] | select(.id == "vems-ansvar") | .parent' "$TMP/cb.json")" = resurser ] && ok || bad "theme"
[ "$(jq -r '.nodes[] | select(.id == "resurser") | .parent' "$TMP/cb.json")" = forutsattningar ] && ok || bad "dimension"
[ "$(jq -c '.nodes[] | select(.id == "helheten-viktig") | [.patterns, .scope]' "$TMP/cb.json")" = '[["\\bröd tråd\\w*","\\bpå alla nivåer\\b"],"turn"]' ] &&
    ok || bad "patterns: $(jq -c '.nodes[] | select(.id == "helheten-viktig")' "$TMP/cb.json")"
[ "$(jq -r '.nodes[] | select(.id == "varderingsstyrning") | .description' "$TMP/cb.json")" = 'Styra med "värden".' ] && ok || bad "quotes"

cp "$TMP/cb.yaml" "$TMP/before.yaml"
printf 'theme,concept,patterns\nStruktur,Trasig,\\b(?:vvg\n' >"$TMP/bad.csv"
expect_fail 2 "bad\.csv:2: concept 'Trasig': invalid regex" \
    "$KODBOK" codebook import "$TMP/bad.csv" -o "$TMP/cb.yaml"
printf 'theme,concept,mönster\nStruktur,X,x\n' >"$TMP/col.csv"
expect_fail 2 "col\.csv:1:15: unknown column 'mönster'" \
    "$KODBOK" codebook import "$TMP/col.csv" -o "$TMP/cb.yaml"
printf 'theme,concept\nStruktur,Helhet\nStruktur,Helhet\n' >"$TMP/dup.csv"
expect_fail 2 "dup\.csv:3:1: concept id 'helhet' is also that of line 2" \
    "$KODBOK" codebook import "$TMP/dup.csv" -o "$TMP/cb.yaml"
cmp -s "$TMP/cb.yaml" "$TMP/before.yaml" && ok || bad "a failed import changed the output"
[ -z "$(ls "$TMP" | grep '\.tmp')" ] && ok || bad "temporary file left"
# docs/codebook.md's example: its sheet gives exactly the YAML shown there.
awk '/^## From a spreadsheet/ { on = 1 } on && /^```$/ { n++; next } on && n == 1 { print } n >= 2 { exit }' \
    "$SRC/docs/codebook.md" >"$TMP/doc-sheet.csv"
awk '/^## From a spreadsheet/ { on = 1 } on && /^```/ { n++; next } on && n == 3 { print } n >= 4 { exit }' \
    "$SRC/docs/codebook.md" >"$TMP/doc-want.yaml"
[ -s "$TMP/doc-sheet.csv" ] && [ -s "$TMP/doc-want.yaml" ] || bad "docs/codebook.md: no example found"
"$KODBOK" codebook import "$TMP/doc-sheet.csv" -o "$TMP/doc.yaml" --name Vårdsamverkan >/dev/null || bad "docs example: import"
diff "$TMP/doc-want.yaml" "$TMP/doc.yaml" >/dev/null && ok || bad "docs example differs: $(diff "$TMP/doc-want.yaml" "$TMP/doc.yaml" | head -5)"
finish
