#!/usr/bin/env bash
# kodbok structure: the figure of a codebook as SVG and DOT, the codebook of
# the latest run by default, --counts against the run's quotes counted
# independently from `kodbok diff`, and the errors with their exit codes.
source "$(dirname "$0")/lib/common.bash"
CB="$SRC/codebooks/vardsamverkan.yaml"

# One box per dimension, theme and concept, as `codebook check` lists them.
"$KODBOK" structure "$CB" -o "$TMP/v.svg" || bad "structure -o v.svg"
xmllint --noout "$TMP/v.svg" && ok || bad "the SVG is not well-formed"
want=$("$KODBOK" codebook check "$CB" --format json 2>/dev/null |
    jq '[.nodes[] | select(.kind == "dimension" or .kind == "theme" or .kind == "concept")] | length')
got=$(grep -c '<g id="n-' "$TMP/v.svg")
[ "$got" = "$want" ] && [ "$want" -gt 50 ] && ok || bad "$got boxes for $want nodes"
grep -q 'Första ordningens begrepp' "$TMP/v.svg" && ok || bad "no Swedish headers"
"$KODBOK" structure "$CB" --lang en | grep -q 'First-order concepts' && ok || bad "--lang en"

# stdout and -o - give the same bytes as -o FILE.
"$KODBOK" structure "$CB" >"$TMP/stdout.svg" && cmp -s "$TMP/stdout.svg" "$TMP/v.svg" && ok || bad "stdout differs"
"$KODBOK" structure "$CB" -o - | cmp -s - "$TMP/v.svg" && ok || bad "-o - differs"

# DOT: by --format or by the file's extension.
"$KODBOK" structure "$CB" --format dot >"$TMP/f.dot" || bad "--format dot"
"$KODBOK" structure "$CB" -o "$TMP/x.gv" || bad "-o x.gv"
head -1 "$TMP/f.dot" | grep -q '^digraph structure {$' && ok || bad "not DOT: $(head -1 "$TMP/f.dot")"
cmp -s "$TMP/f.dot" "$TMP/x.gv" && ok || bad ".gv did not pick dot"
edges=$(grep -c '^  "n-[^"]*" -> "n-[^"]*";$' "$TMP/f.dot")
[ "$edges" = $((want - 3)) ] && ok || bad "$edges edges for $want nodes and 3 dimensions"
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$TMP/f.dot" -o "$TMP/dot.svg" && xmllint --noout "$TMP/dot.svg" && ok || bad "dot(1) rejects the DOT"
else
    echo "note: no Graphviz here; DOT not laid out"
fi

# Errors: one line, exit 1 usage, 2 input, 3 I/O.
printf 'kodbok: 1\nname: x\nthemes:\n  - id: t\n    label: T\n' >"$TMP/bad.yaml"
expect_fail 1 "structure: unknown format 'png' \(one of: svg, dot\)" "$KODBOK" structure "$CB" --format png
expect_fail 1 "structure: unknown language 'de'" "$KODBOK" structure "$CB" --lang de
expect_fail 1 "structure: one codebook at most" "$KODBOK" structure "$CB" "$CB"
expect_fail 1 "structure: unknown option or missing value: .--bogus." "$KODBOK" structure --bogus "$CB"
expect_fail 2 "missing\.yaml: no such file" "$KODBOK" structure "$TMP/missing.yaml"
expect_fail 2 "bad\.yaml:4:5: theme 't' has no concepts" "$KODBOK" structure "$TMP/bad.yaml"
expect_fail 2 "no project here" "$KODBOK" structure
expect_fail 3 "nodir/x\.svg: cannot write: No such file or directory" "$KODBOK" structure "$CB" -o "$TMP/nodir/x.svg"
expect_fail 3 "/dev/full: cannot write: No space left on device" "$KODBOK" structure "$CB" -o /dev/full
expect_fail 3 "/dev/full: cannot write: No space left on device" "$KODBOK" structure "$CB" --format dot -o /dev/full
[ -c /dev/full ] && ok || bad "a failed write removed the device it wrote to"
"$KODBOK" init >/dev/null
expect_fail 2 "no runs yet: name a codebook" "$KODBOK" structure
expect_fail 2 "no runs yet: run 'kodbok code' before --counts" "$KODBOK" structure "$CB" --counts

# A run with a codebook of our own: two dimensions, three themes.
C="$SRC/corpora/vardsamverkan"
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Test
defaults: { scope: sentence, speakers: respondents }
dimensions:
  - id: org
    label: Organisering
    themes:
      - id: struktur
        label: Struktur
        concepts:
          - { id: vvg, label: VVG, patterns: ['\bVVG\b'] }
          - { id: kokbok, label: Kokboken, patterns: ['\bkok-?bok\w*', '\bKoK\b'] }
      - id: dokument
        label: Dokument
        concepts:
          - { id: avtal, label: Avtalet, patterns: ['\bavtal\w*'] }
  - id: rel
    label: Relationer
    themes:
      - id: covid
        label: Covid-19
        concepts:
          - { id: pandemi, label: Pandemin, patterns: ['\bpandemi\w*', '\bcovid\w*'] }
          - { id: manuell, label: Manuellt }
YAML
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null 2>&1 || bad "coding run"

# Without a codebook: the run's.
"$KODBOK" structure >"$TMP/run.svg" 2>"$TMP/err" && [ ! -s "$TMP/err" ] || bad "structure without a codebook: $(cat "$TMP/err")"
"$KODBOK" structure "$TMP/cb.yaml" | cmp -s - "$TMP/run.svg" && ok || bad "not the run's codebook"

# --counts: each concept's quotes from the diff against no run, themes and
# dimensions their sums; a concept without quotes shows (0).
"$KODBOK" structure --counts -o "$TMP/counts.svg" 2>"$TMP/err" && [ ! -s "$TMP/err" ] || bad "--counts: $(cat "$TMP/err")"
"$KODBOK" diff 0 1 --format json >"$TMP/all.json"
quotes() { jq --arg c "$1" '[.changes[] | select(.change == "gained" and .concept == $c)] | length' "$TMP/all.json"; }
shown() {
    xmllint --xpath "string(//*[@id='n-$1']/*[local-name()='g']/*[local-name()='text'])" "$2" |
        sed -n 's/.*(\([0-9]*\))$/\1/p'
}
vvg=$(quotes vvg) kokbok=$(quotes kokbok) avtal=$(quotes avtal) pandemi=$(quotes pandemi)
[ "$vvg" -gt 0 ] && [ "$pandemi" -gt 0 ] && ok || bad "the run found no VVG or pandemic quotes"
for pair in "vvg $vvg" "kokbok $kokbok" "avtal $avtal" "pandemi $pandemi" "manuell 0" \
    "struktur $((vvg + kokbok))" "dokument $avtal" "covid $pandemi" \
    "org $((vvg + kokbok + avtal))" "rel $pandemi"; do
    set -- $pair
    got=$(shown "$1" "$TMP/counts.svg")
    [ "$got" = "$2" ] && ok || bad "$1 shows '$got', the run has $2 quotes"
done
grep -q '(' <(shown vvg "$TMP/run.svg") && bad "counts without --counts" || ok
nbsp=$'\xc2\xa0'
"$KODBOK" structure --counts --format dot | grep -qF "\"n-vvg\" [label=\"VVG$nbsp($vvg)\\l\"]" && ok || bad "DOT counts"

# A codebook changed since the run: its figure, the run's counts, a notice;
# a concept the run did not have gets no count.
sed -e 's/label: Struktur/label: Strukturen/' \
    -e 's/- { id: manuell, label: Manuellt }/- { id: ny, label: Nytt begrepp }/' "$TMP/cb.yaml" >"$TMP/cb2.yaml"
"$KODBOK" structure "$TMP/cb2.yaml" --counts -o "$TMP/c2.svg" 2>"$TMP/err" || bad "--counts with an edited codebook"
grep -q "cb2\.yaml has changed since run 1; the counts are that run's" "$TMP/err" && ok || bad "no notice: $(cat "$TMP/err")"
[ "$(shown vvg "$TMP/c2.svg")" = "$vvg" ] && ok || bad "vvg count with an edited codebook"
[ -z "$(shown ny "$TMP/c2.svg")" ] && ok || bad "a new concept shows a count"
grep -q 'Strukturen' "$TMP/c2.svg" && ok || bad "not the edited labels"

finish
