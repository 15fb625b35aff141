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
# The analysts' memos: a dated journal, memos on two themes, a document and
# a case, and the lead statements of theme x level cells (shown in the
# report, under their codes and as the journal).
"$KODBOK" memo import "$CORPUS/memos.tsv"
"$KODBOK" memo list --format md >"$OUT/memos.md"
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
# The quotes (automatic, and the two coders' tags) as the seed study's
# deck: the outline, the respondents' background, the coding structure, the
# overview, then a slide per theme and level led by the analysts' memo on
# that cell, three quotes per concept at most (featured and representative
# ones), where each quote is from in the speaker notes.
"$KODBOK" slides --max-quotes 3 --background method,level,gender -o "$OUT/slides.md"
"$KODBOK" slides --max-quotes 3 --background method,level,gender -o "$OUT/slides.pptx"
# The same deck with the themes' and concepts' memos in the notes too.
"$KODBOK" slides --max-quotes 3 --background method,level,gender --notes \
    -o "$OUT/slides-notes.pptx"
# The same quotes as the theme x level matrix, a table and one HTML page.
"$KODBOK" matrix --format md -o "$OUT/matrix.md"
"$KODBOK" matrix --quotes --format xlsx -o "$OUT/matrix.xlsx"
"$KODBOK" quotes --format csv -o "$OUT/quotes.csv"
# The quotes grouped as the slides are, as a document for a manuscript.
"$KODBOK" quotes --format docx -o "$OUT/quotes.docx"
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
# Words: the local level's quotes against the regional level's (keyness,
# G²), as a table and a bar chart; patterns for one concept learnt from
# Anna's tags, scored against her.
"$KODBOK" words --facet level=lokal --vs facet:level=regional --top 30 \
    --format md -o "$OUT/words.md"
"$KODBOK" words --facet level=lokal --vs facet:level=regional --top 20 \
    --format svg -o "$OUT/words.svg"
"$KODBOK" suggest regional-organisation-resurser --gold anna 2>/dev/null |
    tee "$OUT/suggest.txt"
echo
# The codebook and the whole project for NVivo, MAXQDA, ATLAS.ti and the
# other REFI-QDA tools.
"$KODBOK" codebook export --format qdc -o "$OUT/codebook.qdc" \
    codebooks/vardsamverkan.yaml
"$KODBOK" export qdpx -o "$OUT/project.qdpx"
cat <<EOF
demo: written to $OUT/:
  kodbok.db              the project (kodbok -p $OUT/kodbok.db ...)
  documents.json, cases.json, ip01.sentences.json
                         the documents, the cases, ip01's sentences
  run.txt, diff.json     the first run and a second after the tags; what
                         the first run found
  quotes.json, quotes.csv
                         every quote with its theme and level
  quotes.docx            the quotes by theme and level, for a manuscript
  structure.svg, .dot    the data-structure figure (Gioia)
  agree.txt, agree.json  Anna and Bo on ip03
  eval.txt, eval.json    the rules against Anna
  slides.md, slides.pptx the study as a deck: outline, background, coding
                         structure, overview, quotes per theme and level
  slides-notes.pptx      the same with the memos in the speaker notes too
  matrix.md, matrix.xlsx the theme x level matrix (the workbook with quotes)
  report.html            one page with all of it, memos and journal too
  memos.md               the memos: the journal, on themes and their cells, documents, cases
  cooccurrence.svg       which concepts share turns, as a heat map
  themes.md, themes.json which themes share turns (JSON: Jaccard too)
  words.md, words.svg    the local level's words against the regional's
  suggest.txt            patterns for a concept learnt from Anna's tags
  codebook.qdc, project.qdpx
                         the codebook and project for REFI-QDA tools
To read and code the sample in the browser:
  $KODBOK -p $OUT/kodbok.db serve --open
EOF
