#!/usr/bin/env bash
# Text listings pad by display width, not bytes: with names holding å, ä
# and ö (two bytes each in UTF-8), the columns of `import`, `docs`, `code`,
# `runs`, `tags`, `cases` and `quotes` still line up. Column positions are
# measured in terminal cells by python3, independently of kodbok.
source "$(dirname "$0")/lib/common.bash"
command -v python3 >/dev/null || { echo "skipped: no python3"; exit 77; }

# aligned FILE FIELD start|end [SKIP]: in every line of FILE after the first
# SKIP lines, whitespace-separated field FIELD (0-based; negative counts
# from the end) starts (or ends) at the same terminal cell.
aligned() {
    python3 - "$@" <<'PY'
import re, sys, unicodedata
path, field, edge = sys.argv[1], int(sys.argv[2]), sys.argv[3]
skip = int(sys.argv[4]) if len(sys.argv) > 4 else 0
def width(s):
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
cols = set()
lines = open(path, encoding="utf-8").read().splitlines()[skip:]
for line in lines:
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    if not tokens:
        continue
    start, end = tokens[field]
    cols.add(width(line[:start]) if edge == "start" else width(line[:end]))
if len(cols) != 1 or len(lines) < 2:
    print("columns at", sorted(cols), "in", len(lines), "lines")
    sys.exit(1)
PY
}
check() { # check NAME FILE FIELD EDGE [SKIP]
    local name=$1
    shift
    if aligned "$@" >"$TMP/why"; then ok; else bad "$name misaligned: $(cat "$TMP/why")"; cat "$1"; fi
}

D="$TMP/docs"
mkdir -p "$D"
for n in ip1 åsa-öberg ärende-två; do
    cat >"$D/$n.txt" <<'TXT'
I: Hur ser förtroendet ut mellan förvaltningarna?

R: Förtroendet är bättre nu. Målstyrningen hjälper, men ekonomin styr det mesta.
TXT
done
"$KODBOK" init >/dev/null
"$KODBOK" import "$D"/*.txt 2>/dev/null | grep -v "^imported\|^ " >"$TMP/import" || bad "import"
check import "$TMP/import" 1 start
"$KODBOK" import "$D"/*.txt 2>/dev/null | grep -v "^imported" >"$TMP/import2"
grep -c unchanged "$TMP/import2" | grep -qx 3 || bad "test setup: not unchanged"
check "import unchanged" "$TMP/import2" 1 start
"$KODBOK" docs >"$TMP/docs.txt"
check "docs (ver)" "$TMP/docs.txt" 1 end
check "docs (case)" "$TMP/docs.txt" 2 start

# Codebooks by relative paths, which fit the runs listing's column.
cd "$TMP" || exit 1
cat >"$TMP/kodbok-vård.yaml" <<'YAML'
kodbok: 1
name: Förtroende
themes:
  - id: fortroende
    label: Förtroende
    concepts:
      - { id: tillit, label: Tillit, patterns: ['\bförtroende\w*'] }
  - id: styrning
    label: Målstyrning
    concepts:
      - { id: mal, label: Mål, patterns: ['\bmålstyrning\w*'] }
  - id: ekonomi
    label: Ekonomi
    concepts:
      - { id: pengar, label: Pengar, patterns: ['\bekonomi\w*'] }
YAML
"$KODBOK" code kodbok-vård.yaml >"$TMP/code" 2>/dev/null || bad "code"
check "code (quotes per theme)" "$TMP/code" -2 end 2
"$KODBOK" code kodbok-vård.yaml >/dev/null 2>&1
cp "$TMP/kodbok-vård.yaml" "$TMP/cb.yaml"
"$KODBOK" code cb.yaml >/dev/null 2>&1
"$KODBOK" runs >"$TMP/runs"
check "runs (docs)" "$TMP/runs" 4 end

printf 'case,document,speaker,ort\nÅsa,åsa-öberg,R,Göteborg\nBo,ip1,R,Borås\nÄrende,ärende-två,R,Umeå\n' >"$TMP/cases.csv"
"$KODBOK" cases import "$TMP/cases.csv" >/dev/null 2>&1 || bad "cases import"
"$KODBOK" cases >"$TMP/cases"
check "cases (turns)" "$TMP/cases" 1 end
"$KODBOK" docs >"$TMP/docs.txt"
check "docs with cases (turns)" "$TMP/docs.txt" 3 end

"$KODBOK" tag åsa-öberg tillit --quote "Förtroendet är bättre nu." --coder "göran" >/dev/null 2>&1 || bad "tag 1"
"$KODBOK" tag ip1 mal --quote "Målstyrningen hjälper" --coder "bo" >/dev/null 2>&1 || bad "tag 2"
"$KODBOK" tag ärende-två pengar --quote "ekonomin styr det mesta" --coder "åke" >/dev/null 2>&1 || bad "tag 3"
"$KODBOK" tags >"$TMP/tags"
check "tags (span)" "$TMP/tags" 2 start
check "tags (what)" "$TMP/tags" 4 start
check "tags (code)" "$TMP/tags" 5 start

# The library's text tables (quotes, matrix) pad the same way.
"$KODBOK" quotes --format text --columns document,concept,speaker 2>/dev/null >"$TMP/quotes" ||
    "$KODBOK" quotes --format text >"$TMP/quotes"
check "quotes (text)" "$TMP/quotes" 1 start
finish
