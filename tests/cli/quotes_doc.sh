#!/usr/bin/env bash
# kodbok quotes --format docx and odt on the sample corpus: sound packages
# (every XML part well-formed, the ODT's mimetype first and stored, the same
# bytes twice), and, read back by LibreOffice as plain text, every quote of
# `quotes --format json` under the heading of its theme and level and of
# its concept, followed by its case, speaker, time and coders, its memo
# below it, the text exactly as stored.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$SRC/codebooks/vardsamverkan.yaml" >/dev/null || bad "code"
"$KODBOK" tags import "$C/tags/anna.tsv" >/dev/null || bad "tags anna"
"$KODBOK" tags import "$C/tags/bo.tsv" >/dev/null || bad "tags bo"
"$KODBOK" code -q "$SRC/codebooks/vardsamverkan.yaml" >/dev/null || bad "code again"

"$KODBOK" quotes --format docx -o "$TMP/qd.docx" || bad "docx"
"$KODBOK" quotes --format odt -o "$TMP/qo.odt" || bad "odt"
"$KODBOK" quotes --format json >"$TMP/q.json" || bad "json"
for f in qd.docx qo.odt; do
    unzip -tq "$TMP/$f" >/dev/null && ok || bad "$f is not a sound zip"
    mkdir "$TMP/$f.x" && (cd "$TMP/$f.x" && unzip -q "../$f") || bad "unzip $f"
    n=0
    while IFS= read -r part; do
        xmllint --noout "$TMP/$f.x/$part" 2>"$TMP/err" && n=$((n + 1)) || bad "$f: $part: $(head -2 "$TMP/err")"
    done < <(cd "$TMP/$f.x" && find . -name '*.xml' -o -name '*.rels' | sed 's|^\./||')
    [ "$n" -ge 3 ] && ok || bad "$f: only $n XML parts"
done
[ "$(unzip -Z1 "$TMP/qd.docx" | sort | tr '\n' ' ')" = "[Content_Types].xml _rels/.rels word/_rels/document.xml.rels word/document.xml word/styles.xml " ] &&
    ok || bad "docx parts: $(unzip -Z1 "$TMP/qd.docx")"
# ODF: "mimetype" is the first entry, stored, its bytes at offset 38
[ "$(unzip -Z1 "$TMP/qo.odt" | head -1)" = mimetype ] && ok || bad "mimetype is not first"
[ "$(head -c 77 "$TMP/qo.odt" | tail -c +31)" = "mimetypeapplication/vnd.oasis.opendocument.text" ] && ok ||
    bad "the mimetype is not stored at offset 38"
# the same quotes give the same bytes
"$KODBOK" quotes --format docx -o "$TMP/again.docx" && cmp -s "$TMP/qd.docx" "$TMP/again.docx" && ok || bad "two DOCX differ"
"$KODBOK" quotes --format odt -o "$TMP/again.odt" && cmp -s "$TMP/qo.odt" "$TMP/again.odt" && ok || bad "two ODT differ"
# the headings: one level-1 heading per non-empty theme x level cell (and
# the overview's), in both formats
cells=$("$KODBOK" matrix --format json | jq '[.cells[] | select(.count > 0)] | length')
h1=$(grep -o '<w:pStyle w:val="Heading1"/>' "$TMP/qd.docx.x/word/document.xml" | wc -l)
[ "$h1" = $((cells + 1)) ] && ok || bad "docx: $h1 headings for $cells cells"
h1=$(grep -o '<text:h [^>]*text:outline-level="1"' "$TMP/qo.odt.x/content.xml" | wc -l)
[ "$h1" = $((cells + 1)) ] && ok || bad "odt: $h1 headings for $cells cells"
# the quotes filters apply; the title is ours
"$KODBOK" quotes --format odt --theme ledarskap --title "Ledarskap i samverkan" -o "$TMP/led.odt" || bad "--theme"
unzip -p "$TMP/led.odt" content.xml >"$TMP/led.xml"
grep -q '>Ledarskap i samverkan</text:p>' "$TMP/led.xml" && ok || bad "--title"
[ "$(grep -o '<text:h [^>]*outline-level="1"[^>]*>[^<]*' "$TMP/led.xml" | sed 's/.*>//' | grep -vc '^Ledarskap: \|^Översikt')" = 0 ] &&
    ok || bad "--theme: other themes' headings"
# errors
expect_fail 1 "docx and odt are for quotes" "$KODBOK" matrix --format docx -o "$TMP/m.docx"
expect_fail 1 "a document has no columns" "$KODBOK" quotes --format odt --columns text -o "$TMP/c.odt"
[ ! -e "$TMP/m.docx" ] && [ ! -e "$TMP/c.odt" ] && ok || bad "a failed export left a file"
# a document is not written to a terminal (script(1) gives it one)
if command -v script >/dev/null 2>&1; then
    out=$(script -qec "'$KODBOK' quotes --format docx" /dev/null 2>&1)
    rc=$?
    [ "$rc" = 1 ] && [[ "$out" == *"not written to a terminal"* ]] && [[ "$out" != *PK* ]] && ok ||
        bad "a document went to a terminal: $rc $(printf '%s' "$out" | head -c 200)"
fi

# Spaces ODF would collapse (two in a row) and a project without a level
# facet (a heading per theme): a small project of our own.
cat >"$TMP/sp.yaml" <<'YAML'
kodbok: 1
name: Mellanrum
themes:
  - id: t1
    label: Arbetsmiljö
    concepts:
      - id: k1
        label: Tid för återhämtning
        patterns: ['\båterhämtning\b']
YAML
printf 'I: Hur ser det ut hos er?\nR: Vi behöver  mer tid för återhämtning,   säger alla – ”varje dag”.\n' >"$TMP/sp.txt"
(
    export KODBOK_PROJECT="$TMP/sp.db"
    "$KODBOK" init >/dev/null && "$KODBOK" import -q "$TMP/sp.txt" >/dev/null &&
        "$KODBOK" code -q "$TMP/sp.yaml" >/dev/null && "$KODBOK" quotes --format odt -o "$TMP/sp.odt" &&
        "$KODBOK" quotes --format docx -o "$TMP/sd.docx"
) || bad "the small project"
unzip -p "$TMP/sp.odt" content.xml | grep -q 'behöver <text:s/>mer tid för återhämtning, <text:s text:c="2"/>säger' && ok ||
    bad "ODT spaces: $(unzip -p "$TMP/sp.odt" content.xml | grep -o 'behöver.*säger')"

office=$(office_cmd)
if [ -z "$office" ]; then
    echo "note: no LibreOffice here; the documents were not read back"
    finish
fi
(cd "$TMP" && timeout 600 "$office" -env:UserInstallation="file://$TMP/profile" --headless \
    --convert-to txt:Text --outdir "$TMP/txt" "$TMP/qd.docx" "$TMP/qo.odt" "$TMP/sp.odt" "$TMP/sd.docx" \
    >/dev/null 2>&1) || bad "LibreOffice could not read them"
# the small project: a heading per theme, the text with its spaces as stored
for f in sp sd; do
    sed '1s/^\xEF\xBB\xBF//' "$TMP/txt/$f.txt" >"$TMP/$f.txt"
    grep -qx 'Arbetsmiljö' "$TMP/$f.txt" && grep -qx 'Tid för återhämtning' "$TMP/$f.txt" &&
        grep -qx 'Vi behöver  mer tid för återhämtning,   säger alla – ”varje dag”. (sp, R)' "$TMP/$f.txt" &&
        ok || bad "$f: $(cat "$TMP/$f.txt")"
done
# What the text should hold, from the JSON: per level of each quote, its
# heading "Theme: Level", its group (the concept, or "Theme (hela temat)")
# and its line, then its memo. Level labels from the matrix's two headers.
paste -d '\t' <("$KODBOK" matrix --format csv | head -1 | tr ',' '\n') \
    <("$KODBOK" matrix --format md | head -1 | sed 's/^| //; s/ |$//; s/ | /\n/g' | sed '1i label') |
    sed -n '3,$p' | jq -R 'split("\t") | {(.[0]): .[1]}' | jq -s add >"$TMP/levels.json"
jq -r --slurpfile L "$TMP/levels.json" '
  def coders(w; s): if s then ", \(w): " + (s | split(",") | join(", ")) else "" end;
  .[] | select(.level) |
  (.text + " (" + (.case // .document) + (if .speaker then ", " + .speaker else "" end) +
   (if .time then ", " + .time else "" end) +
   (if .coder and .source == "auto" then ", regel" else "" end) +
   coders("manuell"; .tagged_by) + coders("accepterat"; .accepted_by) + coders("utvald"; .featured_by) + ")") as $line |
  (.concept_label // (.theme_label + " (hela temat)")) as $group |
  .theme_label as $theme | .memo as $memo |
  .level | split(",")[] | "\($theme): \($L[0][.])" as $h |
  ("\($h)\t\($group)\t\($line)", if $memo then "\($h)\t\($group)\tMemo: \($memo)" else empty end)' \
    "$TMP/q.json" | sort >"$TMP/want"
[ "$(wc -l <"$TMP/want")" -gt 700 ] && ok || bad "test setup: $(wc -l <"$TMP/want") lines wanted"
grep -q '–' "$TMP/want" && ok || bad "test setup: no en dash among the quotes"
jq -r '.[] | .concept_label // (.theme_label + " (hela temat)")' "$TMP/q.json" | sort -u >"$TMP/groups"
cut -f1 "$TMP/want" | sort -u >"$TMP/heads"
for f in qd qo; do
    sed '1s/^\xEF\xBB\xBF//' "$TMP/txt/$f.txt" >"$TMP/$f.txt"
    awk -F'\t' -v OFS='\t' 'FILENAME == ARGV[1] {head[$0] = 1; next}
        FILENAME == ARGV[2] {group[$0] = 1; next}
        $0 in head {h = $0; g = ""; next}
        h != "" && ($0 in group) {g = $0; next}
        h != "" && g != "" {print h, g, $0}' "$TMP/heads" "$TMP/groups" "$TMP/$f.txt" | sort >"$TMP/$f.got"
    diff "$TMP/want" "$TMP/$f.got" >"$TMP/$f.diff" && ok || bad "$f: the text differs from the quotes: $(head -5 "$TMP/$f.diff")"
done
finish
