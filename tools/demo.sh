#!/bin/sh
# make demo: import the sample corpus into out/kodbok.db and write what
# kodbok can tell about it to out/. Usage: tools/demo.sh PATH/TO/kodbok
set -eu
KODBOK=${1:-build/tools/kodbok}
CORPUS=corpora/vardsamverkan
OUT=out
rm -rf "$OUT"
mkdir -p "$OUT"
export KODBOK_PROJECT="$OUT/kodbok.db"
"$KODBOK" init
"$KODBOK" import --attrs "$CORPUS/cases.csv" "$CORPUS"/*.txt
"$KODBOK" docs --format json >"$OUT/documents.json"
"$KODBOK" cases --format json >"$OUT/cases.json"
"$KODBOK" show ip01 --segments sentence --format json >"$OUT/ip01.sentences.json"
echo
"$KODBOK" codebook check codebooks/vardsamverkan.yaml | head -n 2
echo
"$KODBOK" code codebooks/vardsamverkan.yaml | tee "$OUT/run.txt"
"$KODBOK" diff --format json >"$OUT/diff.json"
echo
# Two coders' manual codings of ip03: how far they agree, and how the
# codebook's rules do against one of them.
"$KODBOK" tags import "$CORPUS/tags/anna.tsv"
"$KODBOK" tags import "$CORPUS/tags/bo.tsv"
echo
# A second run matches nothing again; its counts per theme now hold the
# coders' quotes too, as every output below counts them.
"$KODBOK" code codebooks/vardsamverkan.yaml | tee -a "$OUT/run.txt"
"$KODBOK" quotes --format json -o "$OUT/quotes.json"
"$KODBOK" structure --counts -o "$OUT/structure.svg"
"$KODBOK" structure --counts -o "$OUT/structure.dot"
echo
"$KODBOK" agree --coders anna,bo 2>/dev/null | tee "$OUT/agree.txt"
"$KODBOK" agree --coders anna,bo --format json 2>/dev/null >"$OUT/agree.json"
echo
"$KODBOK" eval --gold anna 2>/dev/null | tee "$OUT/eval.txt"
"$KODBOK" eval --gold anna --show fp --format json 2>/dev/null >"$OUT/eval.json"
echo
# The quotes (automatic, and the two coders' tags) as slides per theme and
# level.
"$KODBOK" slides -o "$OUT/slides.md"
"$KODBOK" slides -o "$OUT/slides.pptx"
# The same quotes as the theme x level matrix, a table and one HTML page.
"$KODBOK" matrix --format md -o "$OUT/matrix.md"
"$KODBOK" matrix --quotes --format xlsx -o "$OUT/matrix.xlsx"
"$KODBOK" quotes --format csv -o "$OUT/quotes.csv"
"$KODBOK" report -o "$OUT/report.html"
# Which concepts and themes occur together: the turns that hold both codes
# of a pair, as a heat map of the concepts and a table of the themes (the
# Jaccard index too in JSON).
"$KODBOK" matrix --rows concept --cols concept --unit turn --format svg \
    -o "$OUT/cooccurrence.svg"
"$KODBOK" matrix --rows theme --cols theme --unit turn --format md \
    -o "$OUT/themes.md"
"$KODBOK" matrix --rows theme --cols theme --unit turn --format json \
    -o "$OUT/themes.json"
# The codebook and the whole project for NVivo, MAXQDA, ATLAS.ti and the
# other REFI-QDA tools.
"$KODBOK" codebook export --format qdc -o "$OUT/codebook.qdc" \
    codebooks/vardsamverkan.yaml
"$KODBOK" export qdpx -o "$OUT/project.qdpx"
echo "demo: project in $OUT/kodbok.db; documents.json, cases.json," \
     "ip01.sentences.json, run.txt (the first run and a second after the" \
     "tags), diff.json (what the first run found), quotes.json (every quote" \
     "with its theme and level), the data-structure figure (structure.svg," \
     "structure.dot), agree.txt/.json (Anna and Bo on ip03)," \
     "eval.txt/.json (the rules against Anna), the quotes as slides per" \
     "theme and level (slides.md for Marp and Pandoc, slides.pptx), the" \
     "theme x level matrix (matrix.md, matrix.xlsx with its quotes), every" \
     "quote (quotes.csv), one page with all of it (report.html), which" \
     "concepts share turns (cooccurrence.svg, a heat map) and which" \
     "themes (themes.md, themes.json with the Jaccard index), and the" \
     "codebook and project for REFI-QDA tools (codebook.qdc, project.qdpx)" \
     "in $OUT/"
