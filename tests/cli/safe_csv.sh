#!/usr/bin/env bash
# Issue 19, defect 11: CSV and TSV cells that begin with =, +, -, @ are
# written as they are (the text as said), and kodbok says once per file
# how many a spreadsheet would read as formulas; --safe-csv writes them
# with a ' first (OWASP), on every command that writes CSV or TSV.
source "$(dirname "$0")/lib/common.bash"
cat >"$TMP/ip90.txt" <<'TXT'
Intervjuare: Hur dokumenterar ni samverkan?

Respondent: =SUMMA(A1:A3) skrev någon i kalkylarket om samverkan.
+46 är numret vi ringer om samverkan över gränsen.
-Samverkan fungerar inte alltid, sa en kollega.
@regionen skrev om samverkan på sociala medier.
Samverkan kostar 1500 kronor per möte.
TXT
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Formler
defaults: { scope: sentence, speakers: respondents }
dimensions:
  - id: org
    label: Organisering
    themes:
      - id: samverkan
        label: Samverkan
        concepts:
          - id: samverkan-namnd
            label: Samverkan nämnd
            patterns: ['\bsamverkan\b']
YAML
"$KODBOK" init >/dev/null
"$KODBOK" import -q "$TMP/ip90.txt" >/dev/null 2>&1 || bad "import"
"$KODBOK" code "$TMP/cb.yaml" >/dev/null 2>&1 || bad "code"
NOTICE="^kodbok: 4 cells begin with =, \+, -, @, a tab or a carriage return, which a spreadsheet may read as formulas; --safe-csv writes them with a ' first$"

# out NAME CMD...: CMD's stdout in $TMP/NAME, its stderr in $TMP/NAME.err.
out() {
    local name=$1
    shift
    "$@" >"$TMP/$name" 2>"$TMP/$name.err" || bad "'$*' failed: $(cat "$TMP/$name.err")"
}

# quotes: the cells raw with the notice, once; with --safe-csv a ' first
# and no notice; to a file as to stdout.
for f in csv tsv; do
    out q.$f "$KODBOK" quotes -f "$f" --columns document,text
    [ "$(wc -l <"$TMP/q.$f.err")" = 1 ] && grep -qE "$NOTICE" "$TMP/q.$f.err" && ok || bad "quotes $f: notice '$(cat "$TMP/q.$f.err")'"
    grep -q '^ip90.=SUMMA' "$TMP/q.$f" && grep -q '^ip90.+46 är' "$TMP/q.$f" && ok || bad "quotes $f: not raw: $(cat "$TMP/q.$f")"
    out s.$f "$KODBOK" quotes -f "$f" --columns document,text --safe-csv
    [ ! -s "$TMP/s.$f.err" ] && ok || bad "quotes $f --safe-csv told: $(cat "$TMP/s.$f.err")"
    for cell in "'=SUMMA(A1:A3)" "'+46 är" "'-Samverkan" "'@regionen"; do
        grep -qF "$cell" "$TMP/s.$f" && ok || bad "quotes $f --safe-csv: no $cell in $(cat "$TMP/s.$f")"
    done
    grep -q '^ip90.Samverkan kostar 1500' "$TMP/s.$f" && ok || bad "quotes $f --safe-csv changed a plain cell"
    [ "$(grep -c "'" "$TMP/s.$f")" = 4 ] && ok || bad "quotes $f --safe-csv: $(grep -c "'" "$TMP/s.$f") lines with a ', wanted 4"
    "$KODBOK" quotes -f "$f" --columns document,text --safe-csv -o "$TMP/file.$f" 2>"$TMP/err" && cmp -s "$TMP/file.$f" "$TMP/s.$f" && ok || bad "quotes $f --safe-csv -o"
    "$KODBOK" quotes -f "$f" --columns document,text -o "$TMP/file.$f" 2>"$TMP/err" && grep -qE "$NOTICE" "$TMP/err" && ok || bad "quotes $f -o: no notice"
done
# CSV quoting keeps the ' inside the quotes of a quoted cell.
grep -qF "\"'-Samverkan fungerar inte alltid, sa en kollega.\"" "$TMP/s.csv" && ok || bad "a quoted cell: $(cat "$TMP/s.csv")"
# Other formats are not touched, and not told.
out j "$KODBOK" quotes -f json --safe-csv
[ ! -s "$TMP/j.err" ] && jq -e '[.[].text] | index("=SUMMA(A1:A3) skrev någon i kalkylarket om samverkan.") != null' "$TMP/j" >/dev/null && ok || bad "json with --safe-csv"

# search: the match column begins with =.
out k.csv "$KODBOK" search '=summa' -f csv
grep -qE "^kodbok: 1 cell begins with" "$TMP/k.csv.err" && grep -q ',=SUMMA,' "$TMP/k.csv" && ok || bad "search csv: $(cat "$TMP/k.csv.err")"
out k2.tsv "$KODBOK" search '=summa' -f tsv --safe-csv
[ ! -s "$TMP/k2.tsv.err" ] && grep -qP "\t'=SUMMA\t" "$TMP/k2.tsv" && ok || bad "search tsv --safe-csv: $(cat "$TMP/k2.tsv")"

# matrix and words take the option; their cells (ids, counts, words, a
# lone + or - of words' use column, negative numbers) are no formulas.
out m.csv "$KODBOK" matrix -f csv --cols document --safe-csv
[ ! -s "$TMP/m.csv.err" ] && grep -q '^samverkan,' "$TMP/m.csv" && ok || bad "matrix --safe-csv"
out w.csv "$KODBOK" words -f csv --vs rest --doc ip90 --safe-csv
[ ! -s "$TMP/w.csv.err" ] && ok || bad "words --safe-csv: $(cat "$TMP/w.csv.err")"
out w.tsv "$KODBOK" words -f tsv
[ ! -s "$TMP/w.tsv.err" ] && ok || bad "words told of formulas: $(cat "$TMP/w.tsv.err")"

finish
