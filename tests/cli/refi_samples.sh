#!/usr/bin/env bash
# Real REFI-QDA exports of other tools from ../shared/refi-qda/samples
# (skipped without it): NVivo for Mac's project imports with its whole code
# tree, counted and checked against the file by xmllint, and its sources
# are named and left out (their plain text is empty, and so is the .docx
# beside it, which is read through the DOCX front end); Taguette's
# codebook, whose empty <Sets/> fails the schema, imports with a notice.
source "$(dirname "$0")/lib/common.bash"
SAMPLES=$SHARED/refi-qda/samples
[ -f "$SAMPLES/nvivo-mac15_project.qdpx" ] || exit 77
"$KODBOK" init >/dev/null || bad "init"

unzip -p "$SAMPLES/nvivo-mac15_project.qdpx" project.qde >"$TMP/project.qde"
"$KODBOK" import "$SAMPLES/nvivo-mac15_project.qdpx" --codebook-out "$TMP/nv.yaml" >"$TMP/out" 2>"$TMP/err" ||
    bad "import: $(cat "$TMP/err")"
codes=$(xmllint --xpath 'count(//*[local-name()="Code"])' "$TMP/project.qde")
[ "$codes" = 262 ] && ok || bad "xmllint counts $codes codes"
grep -q "codebook: $codes codes" "$TMP/out" && ok || bad "codes read: $(cat "$TMP/out")"
"$KODBOK" codebook check "$TMP/nv.yaml" --format json >"$TMP/nv.json" 2>/dev/null || bad "check"
# Every code is a node (no code is a non-codable leaf), plus the theme
# made for leaves directly under a dimension.
nodes=$(jq '[.nodes[] | select(.kind == "dimension" or .kind == "theme" or .kind == "concept")] | length' "$TMP/nv.json")
made=$(jq '[.nodes[] | select(.label | endswith(": övrigt") or . == "Okategoriserade koder" or . == "Okategoriserat")] | length' "$TMP/nv.json")
[ $((nodes - made)) = "$codes" ] && ok || bad "$nodes nodes, $made made, $codes codes"
# Each top-level code with grandchildren is a dimension; each code directly
# under one, with children, a theme of it; leaves sit in their theme.
label() { jq -r --arg l "$1" '.nodes[] | select(.label == $l) | "\(.kind) \(.parent)"' "$TMP/nv.json" | head -1; }
parent_of() { xmllint --xpath "string(//*[local-name()='Code'][@name='$1']/../@name)" "$TMP/project.qde"; }
[ "$(parent_of programming)" = competencies ] && [ "$(label programming)" = "concept competencies" ] &&
    ok || bad "programming: $(label programming)"
[ "$(parent_of competencies)" = rq1_definition ] && [ "$(label competencies)" = "theme rq1-definition" ] &&
    ok || bad "competencies: $(label competencies)"
[ "$(label restructure_curriculum)" = "concept defining-education" ] && ok || bad "deep code: $(label restructure_curriculum)"
# Codes below a concept's tier (three codes above them) are concepts of
# their theme, and the notice counts them as xmllint does.
deep=$(xmllint --xpath 'count(//*[local-name()="Code"][count(ancestor::*[local-name()="Code"]) >= 3])' "$TMP/project.qde")
grep -q "$deep codes deeper than kodbok's tiers" "$TMP/err" && ok || bad "deep: $deep"
# The two sources are named and left out: their plain text is empty and so
# is the Word document beside it.
sources=$(xmllint --xpath 'count(//*[local-name()="TextSource"])' "$TMP/project.qde")
[ "$(grep -c "source '.*' (.*\.docx) has no text; left out" "$TMP/err")" = "$sources" ] &&
    ok || bad "sources: $(cat "$TMP/err")"
grep -q "NVivo for Mac 15.0.0; positions in UTF-16 units" "$TMP/out" && ok || bad "origin"

"$KODBOK" codebook import "$SAMPLES/taguette-1.4.1_codebook.qdc" -o "$TMP/tag.yaml" >/dev/null 2>"$TMP/err" || bad "taguette"
grep -q 'an empty <Sets/>' "$TMP/err" && ok || bad "Sets notice: $(cat "$TMP/err")"
"$KODBOK" codebook check "$TMP/tag.yaml" --format json >"$TMP/tag.json" 2>/dev/null || bad "check taguette"
n=$(grep -o '<Code ' "$SAMPLES/taguette-1.4.1_codebook.qdc" | wc -l)
[ "$(jq '[.nodes[] | select(.kind == "concept")] | length' "$TMP/tag.json")" = "$n" ] && ok || bad "taguette concepts"
[ "$(jq -r '.nodes[] | select(.label == "xsd:element name") | .id' "$TMP/tag.json")" = xsd-element-name ] && ok || bad "taguette id"
finish
