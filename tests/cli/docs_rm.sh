#!/usr/bin/env bash
# kodbok docs rm: removes a document with its versions, speakers, header,
# codings and runs' coverage in one transaction; refuses while it has manual
# codings unless --force, which first saves them to a tags file that reads
# back; code, runs and diff go on without it.
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/trial"
export KODBOK_CODER=anna
cd "$TMP" || exit 1

"$KODBOK" init >/dev/null || bad "init"
"$KODBOK" import -q --attrs "$D/cases.csv" "$D/ip2.txt" "$D/ip3.txt" >/dev/null 2>&1 || bad "import"
cp "$D/ip3.txt" "$TMP/ip3.txt"
sed -i 's/tolvtusen/elvatusen/' "$TMP/ip3.txt"
"$KODBOK" import -q "$TMP/ip3.txt" >/dev/null 2>&1 || bad "ip3 v2"
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Försök
defaults: { scope: sentence, speakers: respondents, caseless: true }
dimensions:
  - id: samverkan
    label: Samverkan
    themes:
      - id: forum
        label: Forum
        concepts:
          - id: sip
            label: SIP
            patterns: ['\bSIP\b']
          - id: hemtjanst
            label: Hemtjänst
            patterns: ['\bhemtjänst\w*', '\bhemsjukvård\w*']
YAML
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code 1"
quotes() { "$KODBOK" quotes --format json | jq -c "[.[] | select(.document == \"$1\")] | length"; }
[ "$(quotes ip3)" -gt 0 ] && ok || bad "test setup: ip3 has no quotes"
ip2_quotes=$(quotes ip2)

# Bad names and a document with manual codings: refused, nothing changed.
"$KODBOK" tag ip3 hemtjanst --quote "Vi löste det på en eftermiddag." --memo "snabbt" >/dev/null || bad "tag"
"$KODBOK" tag ip3 sip --quote "Problemet är: ingen vet riktigt vem som äger planen." --coder bo >/dev/null || bad "tag bo"
before=$(fingerprint)
expect_fail 2 "no document 'ip9'" "$KODBOK" docs rm ip9
expect_fail 2 "^kodbok: document 'ip3' has 2 manual codings \(tags or review decisions\), which removing it would lose; 'kodbok docs rm ip3 --force' saves them to a tags file first$" \
    "$KODBOK" docs rm ip3
expect_fail 1 "rm: which document" "$KODBOK" docs rm
expect_fail 1 "-o goes with --force" "$KODBOK" docs rm ip3 -o x.tsv
touch "$TMP/taken.tsv"
expect_fail 2 "taken\.tsv: exists already" "$KODBOK" docs rm ip3 --force -o "$TMP/taken.tsv"
[ "$(fingerprint)" = "$before" ] && [ ! -s "$TMP/taken.tsv" ] && ok || bad "a refused rm changed something"

# --force: the tags saved first (the file tags export writes), then gone.
"$KODBOK" tags export -o "$TMP/all.tsv" >/dev/null || bad "export"
"$KODBOK" docs rm ip3 --force >"$TMP/out" 2>"$TMP/err" || bad "rm --force: $(cat "$TMP/err")"
saved=$(sed -n 's/^removed ip3: 2 versions, 2 manual codings (2 saved to \(.*\))$/\1/p' "$TMP/out")
[ -n "$saved" ] && [ -f "$saved" ] && ok || bad "rm output: $(cat "$TMP/out")"
case "$saved" in "$TMP"/ip3-removed-*.tsv) ok ;; *) bad "saved to $saved, not beside the project" ;; esac
cmp -s "$saved" "$TMP/all.tsv" && ok || bad "the saved file differs from tags export: $(diff "$saved" "$TMP/all.tsv")"
"$KODBOK" docs --format json | jq -e '[.documents[].name] == ["ip2"]' >/dev/null && ok || bad "ip3 still listed"
expect_fail 2 "no document 'ip3'" "$KODBOK" show ip3
for t in versions speakers version_texts version_segments version_header manual_codings manual_facets coding_packs run_versions; do
    n=$(sqlite3 "$KODBOK_PROJECT" "SELECT COUNT(*) FROM $t WHERE $(case $t in
        versions) echo "document_id NOT IN (SELECT id FROM documents)" ;;
        manual_codings) echo "document_id NOT IN (SELECT id FROM documents)" ;;
        manual_facets) echo "coding_id NOT IN (SELECT id FROM manual_codings)" ;;
        *) echo "version_id NOT IN (SELECT id FROM versions)" ;; esac)")
    [ "$n" = 0 ] && ok || bad "$n rows of $t left behind"
done
sqlite3 "$KODBOK_PROJECT" "PRAGMA foreign_key_check" | grep -q . && bad "foreign keys broken" || ok
"$KODBOK" cases --format json | jq -e '[.cases[].case] | index("ip3") != null' >/dev/null && ok || bad "the case went too"

# The next run: ip3's quotes are gone, ip2's stay; runs and diff work.
[ "$(quotes ip3)" = 0 ] && ok || bad "ip3 quotes still listed before the run"
"$KODBOK" code "$TMP/cb.yaml" >"$TMP/out" 2>"$TMP/err" || bad "code after rm: $(cat "$TMP/err")"
[ "$(quotes ip3)" = 0 ] && [ "$(quotes ip2)" = "$ip2_quotes" ] && ok || bad "quotes after rm"
"$KODBOK" runs >/dev/null 2>"$TMP/err" && ok || bad "runs: $(cat "$TMP/err")"
"$KODBOK" diff >/dev/null 2>"$TMP/err" && ok || bad "diff: $(cat "$TMP/err")"
"$KODBOK" diff 1 2 >/dev/null 2>"$TMP/err" && ok || bad "diff 1 2: $(cat "$TMP/err")"
for f in matrix report; do
    "$KODBOK" "$f" --cols document >/dev/null 2>"$TMP/err" && ok || bad "$f after rm: $(cat "$TMP/err")"
done

# Imported again, the saved tags read back onto it.
"$KODBOK" import -q "$TMP/ip3.txt" >/dev/null 2>&1 || bad "re-import"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code 3"
"$KODBOK" tags import "$saved" >/dev/null 2>"$TMP/err" || bad "tags import: $(cat "$TMP/err")"
"$KODBOK" tags export -o "$TMP/back.tsv" >/dev/null || bad "export back"
cmp -s "$TMP/back.tsv" "$TMP/all.tsv" && ok || bad "tags did not come back: $(diff "$TMP/back.tsv" "$TMP/all.tsv")"

# Without manual codings no --force is needed and no file is written.
"$KODBOK" docs rm ip2 >"$TMP/out" || bad "rm ip2"
[ "$(cat "$TMP/out")" = "removed ip2: 1 version, 0 manual codings" ] && ok || bad "rm ip2: $(cat "$TMP/out")"
[ "$(ls "$TMP"/ip2-removed-* 2>/dev/null | wc -l)" = 0 ] && ok || bad "a file for nothing"
finish
