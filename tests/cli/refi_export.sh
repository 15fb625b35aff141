#!/usr/bin/env bash
# kodbok codebook export --format qdc and kodbok export qdpx: the files
# validate against REFI-QDA's schemas (xmllint, skipped without ../shared),
# hold what the project holds (counted by kodbok's own listings), are the
# same bytes when written again, and the errors with their exit codes.
source "$(dirname "$0")/lib/common.bash"
CB="$SRC/codebooks/vardsamverkan.yaml"
C="$SRC/corpora/vardsamverkan"
XSD="$SHARED/refi-qda"
have_xsd=0
[ -n "$SHARED" ] && [ -r "$XSD/Project.xsd" ] && have_xsd=1

# The codebook: one Code per node, dimensions and themes not codable.
"$KODBOK" codebook export --format qdc -o "$TMP/cb.qdc" "$CB" >/dev/null || bad "codebook export"
if [ $have_xsd = 1 ]; then
    xmllint --noout --schema "$XSD/Codebook.xsd" "$TMP/cb.qdc" 2>/dev/null && ok || bad "the .qdc does not validate"
fi
nodes=$("$KODBOK" codebook check "$CB" --format json 2>/dev/null | jq '.nodes | length')
codes=$(grep -c '<Code ' "$TMP/cb.qdc")
[ "$codes" = "$nodes" ] && ok || bad "$codes codes for $nodes nodes"
concepts=$("$KODBOK" codebook check "$CB" --format json 2>/dev/null | jq '[.nodes[] | select(.kind == "concept" or .kind == "value")] | length')
codable=$(grep -c 'isCodable="true"' "$TMP/cb.qdc")
[ "$codable" = "$concepts" ] && ok || bad "$codable codable codes for $concepts concepts and values"
"$KODBOK" codebook export -o - "$CB" | cmp -s - "$TMP/cb.qdc" && ok || bad "-o - differs"

# The project: sources, selections and users as the project has them.
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code "$CB" >/dev/null 2>&1 || bad "code"
"$KODBOK" tags import "$C/tags/anna.tsv" >/dev/null 2>&1 || bad "tags import"
"$KODBOK" memo import "$C/memos.tsv" >/dev/null || bad "memo import"
"$KODBOK" codebook export -o "$TMP/run.qdc" && cmp -s "$TMP/run.qdc" "$TMP/cb.qdc" && ok || bad "the run's codebook differs"
"$KODBOK" export qdpx -o "$TMP/p.qdpx" | grep -q "^wrote $TMP/p.qdpx$" && ok || bad "export qdpx"
mkdir "$TMP/x" && (cd "$TMP/x" && unzip -q "$TMP/p.qdpx") || bad "unzip"
if [ $have_xsd = 1 ]; then
    xmllint --noout --schema "$XSD/Project.xsd" "$TMP/x/project.qde" 2>/dev/null && ok || bad "project.qde does not validate"
fi
docs=$("$KODBOK" docs --format json | jq '.documents | length')
[ "$(ls "$TMP/x/sources" | wc -l)" = "$docs" ] && ok || bad "not one source per document"
[ ! -e "$TMP/x/Sources" ] && ok || bad "a capital Sources/ folder"
[ "$(grep -c '<TextSource ' "$TMP/x/project.qde")" = "$docs" ] && ok || bad "TextSources"
auto=$("$KODBOK" quotes --source auto --format json | jq 'length')
tags=$("$KODBOK" tags --format json | jq '.tags | length')
sel=$(grep -c '<PlainTextSelection ' "$TMP/x/project.qde")
[ "$sel" = $((auto + tags)) ] && [ "$auto" -gt 0 ] && ok || bad "$sel selections for $auto quotes and $tags tags"
grep -q '<User [^>]*name="kodbok rules"' "$TMP/x/project.qde" && ok || bad "no rules user"
grep -q '<User [^>]*name="anna"' "$TMP/x/project.qde" && ok || bad "no user anna"
grep -q 'positions: code points, end exclusive; line ends: LF' "$TMP/x/project.qde" && ok || bad "the unit is not said"
# Memos as notes: one per coding's memo and per memo of the memos file, each
# referred to from what it is on (a case by its kodbok block: a Case has no
# NoteRef), the memos' authors among the users.
cmemos=$("$KODBOK" tags --format json | jq '[.tags[] | select(.memo != "")] | length')
fmemos=$(($(wc -l <"$C/memos.tsv") - 1))
[ "$(grep -c '<Note ' "$TMP/x/project.qde")" = $((cmemos + fmemos)) ] && ok || bad "notes: $(grep -c '<Note ' "$TMP/x/project.qde") for $cmemos + $fmemos memos"
[ "$(xmllint --xpath "count(/*[local-name()='Project']/*[local-name()='NoteRef'])" "$TMP/x/project.qde")" = 3 ] && ok || bad "the journal's NoteRefs"
[ "$(xmllint --xpath "count(//*[local-name()='TextSource'][@name='ip05']/*[local-name()='NoteRef'])" "$TMP/x/project.qde")" = 1 ] && ok || bad "ip05's NoteRef"
# the theme's memo as a whole first, then its cells' (at level=lokal, at
# level=regional), notes of the theme too
[ "$(xmllint --xpath "count(//*[local-name()='Code'][@name='Struktur']/*[local-name()='NoteRef'])" "$TMP/x/project.qde")" = 3 ] && ok || bad "the theme's NoteRefs"
cell=$(xmllint --xpath "string(//*[local-name()='Code'][@name='Struktur']/*[local-name()='NoteRef'][3]/@targetGUID)" "$TMP/x/project.qde")
xmllint --xpath "string(//*[local-name()='Note'][@guid='$cell']/@name)" "$TMP/x/project.qde" |
    grep -qx "theme struktur at level=regional" && ok || bad "the cell's note"
guid=$(xmllint --xpath "string(//*[local-name()='Code'][@name='Struktur']/*[local-name()='NoteRef']/@targetGUID)" "$TMP/x/project.qde")
xmllint --xpath "string(//*[local-name()='Note'][@guid='$guid']/*[local-name()='PlainTextContent'])" "$TMP/x/project.qde" |
    grep -q "^Temat samlar talet om nivåer, gränser och roller" && ok || bad "the theme's note"
xmllint --xpath "string(//*[local-name()='Note'][@name='case fg3']/*[local-name()='Description'])" "$TMP/x/project.qde" |
    grep -qx "  memo: case" && ok || bad "the case's note says what it is on"
[ "$(xmllint --xpath "string(//*[local-name()='Note'][@name='case fg3']/@creationDateTime)" "$TMP/x/project.qde")" = 2026-09-12T14:20:00.000Z ] && ok || bad "the note's time"
grep -q '<User [^>]*name="bo"' "$TMP/x/project.qde" && ok || bad "no user bo (a memo's author)"
"$KODBOK" export qdpx -o "$TMP/again.qdpx" >/dev/null && cmp -s "$TMP/p.qdpx" "$TMP/again.qdpx" && ok || bad "a second export differs"

# --line-ends crlf: the texts with CRLF, the unit said.
"$KODBOK" export qdpx --line-ends crlf --name Studie -o "$TMP/c.qdpx" >/dev/null || bad "--line-ends crlf"
unzip -p "$TMP/c.qdpx" project.qde | grep -q '<Project [^>]*name="Studie"' && ok || bad "--name"
unzip -p "$TMP/c.qdpx" project.qde | grep -q 'line ends: CRLF' && ok || bad "CRLF not said"
crs=$(unzip -p "$TMP/c.qdpx" 'sources/*' | tr -cd '\r' | wc -c)
lfs=$(unzip -p "$TMP/c.qdpx" 'sources/*' | tr -cd '\n' | wc -c)
[ "$crs" = "$lfs" ] && [ "$crs" -gt 0 ] && ok || bad "$crs CRs for $lfs LFs"

# Errors: one line, exit 1 usage, 2 input, 3 I/O; nothing half-written.
expect_fail 1 "export: unknown format 'nvp' \(qdpx\)" "$KODBOK" export nvp -o "$TMP/x.nvp"
expect_fail 1 "export: qdpx wants -o FILE.qdpx" "$KODBOK" export qdpx
expect_fail 1 "export: --line-ends wants lf or crlf" "$KODBOK" export qdpx --line-ends cr -o "$TMP/x.qdpx"
expect_fail 1 "codebook: unknown format 'csv' \(qdc\)" "$KODBOK" codebook export --format csv -o "$TMP/x" "$CB"
expect_fail 1 "codebook: export wants -o FILE.qdc" "$KODBOK" codebook export "$CB"
expect_fail 2 "missing\.yaml: no such file" "$KODBOK" codebook export -o "$TMP/m.qdc" "$TMP/missing.yaml"
[ ! -e "$TMP/m.qdc" ] && ok || bad "a failed codebook export left a file"
expect_fail 3 "nodir/p\.qdpx" "$KODBOK" export qdpx -o "$TMP/nodir/p.qdpx"
cp "$TMP/p.qdpx" "$TMP/keep.qdpx"
chmod a-w "$TMP"
if [ ! -w "$TMP" ]; then
    expect_fail 3 "keep\.qdpx" "$KODBOK" export qdpx -o "$TMP/keep.qdpx"
fi
chmod u+w "$TMP"
cmp -s "$TMP/keep.qdpx" "$TMP/p.qdpx" && ok || bad "a failed export changed the file"
KODBOK_PROJECT="$TMP/none.db" expect_fail 2 "no project here" "$KODBOK" export qdpx -o "$TMP/n.qdpx"
finish
