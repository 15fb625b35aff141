#!/usr/bin/env bash
# Coding runs: incremental re-runs and their diff, the level precedence
# rule, a catastrophic regex, dry runs, and manual-free carry-over.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"

# A small codebook of our own, so that expectations are exact.
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Test
defaults: { scope: sentence, speakers: respondents }
themes:
  - id: struktur
    label: Struktur
    concepts:
      - id: vvg
        label: VVG
        patterns: ['\bVVG\b']
      - id: kokbok
        label: Kokboken
        patterns: ['\bkok-?bok\w*', '\bKoK\b']
  - id: covid
    label: Covid-19
    concepts:
      - id: pandemi
        label: Pandemin
        patterns: ['\bpandemi\w*', '\bcovid\w*']
facets:
  - id: level
    label: Nivå
    attribute: level
    default: nivaoberoende
    values:
      - { id: regional, label: Regional nivå, patterns: ['\bVVG\b', '\blänsnivå\w*'] }
      - { id: delregional, label: Delregional nivå, patterns: ['\bdelregional\w*'] }
      - { id: lokal, label: Lokal nivå, patterns: ['\bvårdcentral\w*'] }
      - { id: nivaoberoende, label: Nivåoberoende, patterns: ['\bpå alla nivåer\b'] }
YAML
"$KODBOK" code "$TMP/cb.yaml" >"$TMP/run1" || bad "first run"
grep -q "^run 1: 11 documents matched (11 new), 3 new concepts, +" "$TMP/run1" && ok || bad "run 1 summary: $(head -1 "$TMP/run1")"
grep -q "Covid-19" "$TMP/run1" && ok || bad "no quotes per theme"

# The independent count: respondent sentences matching /\bVVG\b/ (case-
# insensitively, as codebooks default to) in the stored texts.
want=0
for doc in $("$KODBOK" docs --format json | jq -r '.documents[].name'); do
    n=$("$KODBOK" show "$doc" --segments sentence --format json |
        jq '[.segments[] | select(.role == "respondent") | select(.text | test("\\bVVG\\b"; "i"))] | length')
    want=$((want + n))
done
got=$("$KODBOK" diff --format json | jq '[.changes[] | select(.concept == "vvg" and .change == "gained")] | length')
[ "$got" = "$want" ] && ok || bad "vvg: $got quotes, $want respondent sentences with VVG"

# Threads change nothing: the same run with 3 jobs in a second project.
cp "$KODBOK_PROJECT" "$TMP/p1.db"
"$KODBOK" -p "$TMP/p1.db" diff 0 1 --format json | jq -c '.changes[]' >"$TMP/one.txt"
"$KODBOK" init -p "$TMP/p3.db" >/dev/null
"$KODBOK" -p "$TMP/p3.db" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1
"$KODBOK" -p "$TMP/p3.db" code -q --jobs 3 "$TMP/cb.yaml" >/dev/null || bad "--jobs 3"
"$KODBOK" -p "$TMP/p3.db" diff 0 1 --format json | jq -c '.changes[]' >"$TMP/three.txt"
[ -s "$TMP/one.txt" ] && cmp -s "$TMP/one.txt" "$TMP/three.txt" && ok || bad "--jobs 3 coded differently"
# A project taken out of WAL mode: the workers cannot read on connections of
# their own, the main thread reads for them, and the run is the same.
"$KODBOK" init -p "$TMP/pd.db" >/dev/null
"$KODBOK" -p "$TMP/pd.db" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1
[ "$(sqlite3 "$TMP/pd.db" 'PRAGMA journal_mode = DELETE')" = delete ] || bad "journal mode"
"$KODBOK" -p "$TMP/pd.db" code -q --jobs 3 "$TMP/cb.yaml" >/dev/null || bad "--jobs 3, no WAL"
"$KODBOK" -p "$TMP/pd.db" diff 0 1 --format json | jq -c '.changes[]' >"$TMP/delete.txt"
cmp -s "$TMP/one.txt" "$TMP/delete.txt" && ok || bad "--jobs 3 without WAL coded differently"
# What a run finds before it stores it waits in a temporary file in TMPDIR;
# where none can be made, in memory: the same run.
"$KODBOK" init -p "$TMP/pt.db" >/dev/null
"$KODBOK" -p "$TMP/pt.db" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1
TMPDIR="$TMP/no-such-folder" "$KODBOK" -p "$TMP/pt.db" code -q "$TMP/cb.yaml" >/dev/null || bad "code without a temporary folder"
"$KODBOK" -p "$TMP/pt.db" diff 0 1 --format json | jq -c '.changes[]' >"$TMP/notmp.txt"
cmp -s "$TMP/one.txt" "$TMP/notmp.txt" && ok || bad "a run without a temporary file coded differently"
expect_fail 1 "--jobs wants a number" "$KODBOK" code --jobs 0 "$TMP/cb.yaml"

# Unchanged codebook: nothing is matched again, nothing changes.
"$KODBOK" code -q "$TMP/cb.yaml" | grep -q "no document matched, no concept changed, +0 -0" && ok || bad "no-op re-run"
# A label-only edit re-matches nothing.
sed 's/label: Pandemin/label: Covid-pandemin/' "$TMP/cb.yaml" >"$TMP/cb2.yaml"
"$KODBOK" code -q "$TMP/cb2.yaml" | grep -q "no concept changed, +0 -0" && ok || bad "label edit re-matched"

# Edit one pattern: exactly the quotes of that concept change.
sed "s/patterns: \['\\\\bpandemi\\\\w\*', '\\\\bcovid\\\\w\*'\]/patterns: ['\\\\bpandemi\\\\w*']/" \
    "$TMP/cb2.yaml" >"$TMP/cb3.yaml"
grep -q "patterns: \['\\\\bpandemi\\\\w\*'\]" "$TMP/cb3.yaml" || bad "sed did not edit the pattern"
"$KODBOK" code -q "$TMP/cb3.yaml" | grep -q "11 documents matched, 1 concept changed, +0 -" && ok || bad "pattern edit summary"
"$KODBOK" diff --format json >"$TMP/diff.json"
[ "$(jq '[.changes[] | select(.concept != "pandemi")] | length' "$TMP/diff.json")" = 0 ] && ok || bad "other concepts changed"
[ "$(jq '[.changes[] | select(.change == "gained")] | length' "$TMP/diff.json")" = 0 ] && ok || bad "gains on narrowing"
# Every lost quote mentions covid and not a pandemic.
jq -e '[.changes[] | .text | (test("covid"; "i") and (test("\\bpandemi"; "i") | not))] | all' "$TMP/diff.json" >/dev/null &&
    ok || bad "lost quotes are not exactly the covid-only ones"
lost=$(jq '.changes | length' "$TMP/diff.json")
[ "$lost" -gt 0 ] && ok || bad "nothing lost"
# Restore: the same quotes come back, and diff 3 5 is empty.
"$KODBOK" code -q "$TMP/cb2.yaml" | grep -q "+$lost -0" && ok || bad "restore did not regain $lost"
[ "$("$KODBOK" diff 3 5 --format json | jq '.changes | length')" = 0 ] && ok || bad "runs 3 and 5 differ"
[ "$("$KODBOK" runs --format json | jq '.runs | length')" = 5 ] && ok || bad "runs list"

# The level precedence rule: a value's pattern in the quote wins, then the
# case attribute, then the facet default.
cat >"$TMP/level.txt" <<'TXT'
I: Hur är det?
R: Vi pratar om pandemin på vårdcentralen.
R: Pandemin märktes i VVG också.
R: Pandemin var tung.
TXT
printf 'case,level\nlevel,lokal\n' >"$TMP/lc.csv"
"$KODBOK" import -q --attrs "$TMP/lc.csv" "$TMP/level.txt" >/dev/null || bad "import level.txt"
"$KODBOK" code -q "$TMP/cb2.yaml" >/dev/null || bad "code level"
"$KODBOK" diff --format json | jq -r '.changes[] | select(.document == "level") | "\(.text)=\(.facets.level | join(","))"' >"$TMP/levels"
grep -qx "Vi pratar om pandemin på vårdcentralen.=lokal" "$TMP/levels" && ok || bad "pattern level: $(cat "$TMP/levels")"
grep -qx "Pandemin märktes i VVG också.=regional" "$TMP/levels" && ok || bad "pattern beats attribute"
grep -qx "Pandemin var tung.=lokal" "$TMP/levels" && ok || bad "attribute level"
# New case attributes reach the quotes coded before them.
printf 'case,level\nlevel,delregional\n' >"$TMP/lc2.csv"
"$KODBOK" cases import "$TMP/lc2.csv" >/dev/null || bad "cases import"
"$KODBOK" code -q "$TMP/cb2.yaml" | grep -q "no concept changed, +0 -0" && ok || bad "case edit re-matched"
last=$("$KODBOK" runs --format json | jq '.runs[-1].run')
"$KODBOK" diff 0 "$last" --format json | jq -r '.changes[] | select(.document == "level") | "\(.text)=\(.facets.level | join(","))"' >"$TMP/levels3"
grep -qx "Pandemin var tung.=delregional" "$TMP/levels3" && ok || bad "attribute change: $(cat "$TMP/levels3")"
grep -qx "Pandemin märktes i VVG också.=regional" "$TMP/levels3" && ok || bad "pattern still wins"
printf 'R: Pandemin igen.\n' >"$TMP/utan.txt"
"$KODBOK" import -q "$TMP/utan.txt" >/dev/null && "$KODBOK" code -q "$TMP/cb2.yaml" >/dev/null
"$KODBOK" diff --format json | jq -e '.changes[] | select(.document == "utan") | .facets.level == ["nivaoberoende"]' >/dev/null &&
    ok || bad "default level"

# Renaming an id with `was:` keeps its codings; without it, it is a remove
# and an add.
sed 's/      - id: vvg$/      - id: vvg-rollen\n        was: vvg/' "$TMP/cb2.yaml" >"$TMP/cb5.yaml"
grep -q "was: vvg" "$TMP/cb5.yaml" || bad "sed did not rename"
"$KODBOK" code -q "$TMP/cb5.yaml" | grep -q "no concept changed, +0 -0" && ok || bad "was: re-matched"
# The runs after the rename, with was: still in the codebook, match nothing.
"$KODBOK" code -q "$TMP/cb5.yaml" | grep -q "no document matched, no concept changed" && ok || bad "was: re-matched a run later"
n_vvg=$("$KODBOK" diff 0 "$("$KODBOK" runs --format json | jq '.runs[-1].run')" --format json |
    jq '[.changes[] | select(.concept == "vvg-rollen")] | length')
[ "$n_vvg" -gt 0 ] && ok || bad "renamed concept has no quotes"
"$KODBOK" code -q "$TMP/cb2.yaml" | grep -q "1 new concept, +$n_vvg -$n_vvg" && ok || bad "rename back without was:"

# New facet rules reach the quotes coded before them.
sed "s/values:/values:\n      - { id: covidtid, label: Covidtid, patterns: ['\\\\bpandemin\\\\b'] }/" \
    "$TMP/cb2.yaml" >"$TMP/cb4.yaml"
grep -q "id: covidtid" "$TMP/cb4.yaml" || bad "sed did not add a value"
"$KODBOK" code -q "$TMP/cb4.yaml" | grep -q "no concept changed, +0 -0" && ok || bad "facet edit re-matched concepts"
last=$("$KODBOK" runs --format json | jq '.runs[-1].run')
"$KODBOK" diff 0 "$last" --format json | jq -r '.changes[] | select(.document == "level") | "\(.text)=\(.facets.level | join(","))"' >"$TMP/levels2"
grep -qx "Pandemin var tung.=covidtid" "$TMP/levels2" && ok || bad "refaceted: $(cat "$TMP/levels2")"
grep -qx "Vi pratar om pandemin på vårdcentralen.=covidtid,lokal" "$TMP/levels2" && ok || bad "refaceted two values"

# A catastrophic pattern: reported with concept and place, the run completes;
# --strict makes it an error and stores nothing.
long=$(printf 'a%.0s' $(seq 60))
printf 'R: %sb\n' "$long" >"$TMP/aaa.txt"
"$KODBOK" import -q "$TMP/aaa.txt" >/dev/null
cat >"$TMP/bad.yaml" <<'YAML'
kodbok: 1
name: Katastrof
themes:
  - id: t
    concepts:
      - id: ond
        patterns: ['(a+)+$', 'vvg']
YAML
before=$(fingerprint; "$KODBOK" runs --format json | sha256sum)
"$KODBOK" code "$TMP/bad.yaml" >"$TMP/out" 2>"$TMP/err" && ok || bad "catastrophic run failed"
grep -q "aaa:3: pattern '(a+)+\\$' of concept 'ond' hit the match limit" "$TMP/err" && ok || bad "limit report: $(cat "$TMP/err")"
n=$("$KODBOK" runs --format json | jq '.runs | length')
# (a changed pattern, as an unchanged one is not matched again)
sed 's/(a+)+\$/(?:a+)+$/' "$TMP/bad.yaml" >"$TMP/bad2.yaml"
expect_fail 2 "hit the match limit .*--strict" "$KODBOK" code --strict "$TMP/bad2.yaml"
[ "$("$KODBOK" runs --format json | jq '.runs | length')" = "$n" ] && ok || bad "--strict stored a run"

# A run killed half-way leaves the project holding the previous run.
for i in 1 2 3 4 5 6; do
    for f in "$C"/ip0[1-3].txt; do for k in $(seq 64); do cat "$f"; done; done >"$TMP/stor$i.txt"
done
"$KODBOK" import -q "$TMP"/stor*.txt >/dev/null 2>&1 || bad "import big files"
sed 's/\\bVVG\\b/\\bVVG\\w*/' "$TMP/cb.yaml" >"$TMP/cb6.yaml"
before=$("$KODBOK" runs --format json | jq -c '[.runs[] | [.run, .quotes]]')
"$KODBOK" code -q --jobs 1 "$TMP/cb6.yaml" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
after=$("$KODBOK" runs --format json | jq -c '[.runs[] | [.run, .quotes]]')
if [ "$after" = "$before" ]; then
    ok
else
    # it may have finished first; then it is a whole run more
    [ "$(echo "$after" | jq length)" = "$(($(echo "$before" | jq length) + 1))" ] && ok ||
        bad "killed run left $after (was $before)"
fi
[ "$(sqlite3 "$KODBOK_PROJECT" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity after kill"
n=$("$KODBOK" runs --format json | jq '.runs | length')

# A dry run stores nothing.
"$KODBOK" code --dry-run "$TMP/cb.yaml" | grep -q "^dry run:" && ok || bad "dry run output"
[ "$("$KODBOK" runs --format json | jq '.runs | length')" = "$n" ] && ok || bad "dry run stored a run"
finish
