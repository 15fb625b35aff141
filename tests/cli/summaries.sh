#!/usr/bin/env bash
# Summaries say what was matched again and why, in correct grammar: the
# `code` line after a first run, a no-op, a changed document, a new one and
# a pattern edit; `runs` with the new and changed documents; one of each
# thing in `codebook check`, `code`'s quotes per theme, `cases` and
# `tags export`/`tags import`.
source "$(dirname "$0")/lib/common.bash"
D="$TMP/docs"
mkdir -p "$D"
cat >"$D/ip01.txt" <<'TXT'
I: Hur fungerar samverkan med kommunen?

R: Det är ofta vi och dom, tyvärr. Vi har ingen gemensam rutin.
TXT
cat >"$D/ip02.txt" <<'TXT'
I: Och ledningen?

R: Ledningen stöttar oss. Det finns en rutin för avvikelser.
TXT
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Enkel
dimensions:
  - id: samspel
    label: Samspel
    themes:
      - id: relationer
        label: Relationer
        concepts:
          - id: vi-och-dom
            label: Vi och dom
            patterns: ['\bvi och dom\b']
            exclude: ['\bvi och dom själva\b']
facets:
  - id: level
    label: Nivå
    values:
      - { id: lokal }
YAML
"$KODBOK" init >/dev/null
"$KODBOK" import -q "$D"/*.txt >/dev/null 2>&1 || bad "import"

# codebook check: one of each, in the singular.
"$KODBOK" codebook check "$TMP/cb.yaml" >"$TMP/out" 2>&1 || bad "check: $(cat "$TMP/out")"
grep -qx "1 dimension, 1 theme, 1 concept, 1 facet with 1 value; 1 pattern, 1 exclude" "$TMP/out" && ok || bad "check counts: $(sed -n 2p "$TMP/out")"
grep -qx "  theme relationer  Relationer  (1 concept)" "$TMP/out" && ok || bad "theme line: $(cat "$TMP/out")"
grep -qx "dimension samspel  Samspel  (1 theme)" "$TMP/out" && ok || bad "dimension line: $(cat "$TMP/out")"
grep -qx "facet level  Nivå  (1 value)" "$TMP/out" && ok || bad "facet line: $(cat "$TMP/out")"

# The first run: every document and concept is new; one quote.
"$KODBOK" code "$TMP/cb.yaml" >"$TMP/out" 2>/dev/null || bad "run 1"
grep -q "^run 1: 2 documents matched (ip01, ip02 new), 1 new concept, +1 -0 quotes found by the rules (1 in all), " "$TMP/out" && ok || bad "run 1: $(head -1 "$TMP/out")"
grep -qE "^  Relationer +1 quote$" "$TMP/out" && ok || bad "quotes per theme: $(cat "$TMP/out")"
# Nothing changed.
"$KODBOK" code -q "$TMP/cb.yaml" >"$TMP/out" 2>/dev/null
grep -q "^run 2: no document matched, no concept changed, +0 -0 quotes found by the rules (1 in all), " "$TMP/out" && ok || bad "run 2: $(cat "$TMP/out")"
# One document changed: it alone is matched, and named.
echo "R: Fast vi och dom är ju också vi." >>"$D/ip02.txt"
"$KODBOK" import -q "$D/ip02.txt" >/dev/null 2>&1
"$KODBOK" code -q "$TMP/cb.yaml" >"$TMP/out" 2>/dev/null
grep -q "^run 3: 1 document matched (ip02 changed), no concept changed, +1 -0 quotes found by the rules (2 in all), " "$TMP/out" && ok || bad "run 3: $(cat "$TMP/out")"
# A new document and a changed one.
printf 'I: Något mer?\n\nR: Nej, vi och dom räcker.\n' >"$D/ip03.txt"
echo "R: Vi och dom, som sagt." >>"$D/ip01.txt"
"$KODBOK" import -q "$D/ip01.txt" "$D/ip03.txt" >/dev/null 2>&1
"$KODBOK" code -q "$TMP/cb.yaml" >"$TMP/out" 2>/dev/null
grep -qE "^run 4: 2 documents matched \(ip01 changed; ip03 new\), no concept changed, \+[0-9]+ -[0-9]+ quotes found by the rules \(4 in all\), " "$TMP/out" && ok || bad "run 4: $(cat "$TMP/out")"
# A pattern edit: every document matched again for one changed concept.
sed "s/patterns: \['\\\\bvi och dom\\\\b'\]/patterns: ['\\\\bvi och dom\\\\b', '\\\\brutin\\\\b']/" "$TMP/cb.yaml" >"$TMP/cb2.yaml"
cmp -s "$TMP/cb.yaml" "$TMP/cb2.yaml" && bad "test setup: sed changed nothing"
"$KODBOK" code -q "$TMP/cb2.yaml" >"$TMP/out" 2>/dev/null
grep -q "^run 5: 3 documents matched, 1 concept changed, +2 -0 quotes found by the rules (6 in all), " "$TMP/out" && ok || bad "run 5: $(cat "$TMP/out")"
# Many changed documents are counted, not named.
for i in 4 5 6 7; do printf 'I: Fråga %s?\n\nR: Svar %s om rutin.\n' $i $i >"$D/ip0$i.txt"; done
"$KODBOK" import -q "$D"/ip0[4-7].txt >/dev/null 2>&1
"$KODBOK" code -q "$TMP/cb2.yaml" >"$TMP/out" 2>/dev/null
grep -q "^run 6: 4 documents matched (4 new), no concept changed, +4 -0 quotes found by the rules (10 in all), " "$TMP/out" && ok || bad "run 6: $(cat "$TMP/out")"

# runs: the documents matched in full, new and changed, per run.
"$KODBOK" runs --format json | jq -r '.runs[] | "\(.run) \(.documents) \(.documents_new) \(.documents_changed) \(.concepts_matched)"' >"$TMP/runs"
printf '1 2 2 0 1\n2 0 0 0 0\n3 1 0 1 0\n4 2 1 1 0\n5 3 0 0 1\n6 4 4 0 0\n' | diff - "$TMP/runs" >/dev/null && ok || bad "runs json: $(cat "$TMP/runs")"
"$KODBOK" runs >"$TMP/out"
head -1 "$TMP/out" | grep -qE "^ run +started +codebook +docs +new +changed +concepts +gained +lost +rule quotes$" && ok || bad "runs header: $(head -1 "$TMP/out")"
awk 'NR == 5 { exit !($4 == 2 && $5 == 1 && $6 == 1) }' "$TMP/out" && ok || bad "runs row 4: $(sed -n 5p "$TMP/out")"

# cases: "1 turn".
printf 'case,document,speaker,roll\nk1,ip01,R,chef\n' >"$TMP/cases.csv"
"$KODBOK" cases import "$TMP/cases.csv" >/dev/null 2>&1 || bad "cases import"
"$KODBOK" cases | grep -qE "^k1 +2 turns +ip01 / R +roll=chef$" && ok || bad "cases: $("$KODBOK" cases)"

# tags: one manual coding, in the singular.
"$KODBOK" tag ip03 vi-och-dom --quote "vi och dom räcker" --coder anna >/dev/null 2>&1 || bad "tag"
"$KODBOK" tags export -o "$TMP/t.tsv" >"$TMP/out" 2>&1
grep -qx "wrote 1 manual coding to $TMP/t.tsv" "$TMP/out" && ok || bad "tags export: $(cat "$TMP/out")"
"$KODBOK" tags import "$TMP/t.tsv" >"$TMP/out" 2>&1
grep -q ": 1 manual coding: 0 added, 1 already there, 0 conflicts (the project's kept), 0 kept aside$" "$TMP/out" && ok || bad "tags import: $(cat "$TMP/out")"
finish
