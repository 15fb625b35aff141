#!/usr/bin/env bash
# Match-limit hits (issue 19, 11): many hits of a runaway pattern are one
# notice per concept, with their count and the first place, in `code` and
# in `trial`; `search` goes on past them and says so once.
source "$(dirname "$0")/lib/common.bash"
"$KODBOK" init >/dev/null
long=$(printf 'a%.0s' $(seq 60))
for d in lim1 lim2; do
    {
        for i in $(seq 15); do
            printf 'R: Vi pratade om rutinen.\n\nR: %sb\n\n' "$long"
        done
        printf 'R: Till sist kort aaa\n'
    } >"$TMP/$d.txt"
done
"$KODBOK" import -q "$TMP"/lim1.txt "$TMP"/lim2.txt >/dev/null || bad "import"
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Gränser
defaults: { scope: sentence, speakers: all }
themes:
  - id: t
    concepts:
      - id: ond
        patterns: ['(a+)+$']
      - id: rutin
        patterns: ['\brutin\w*']
      - id: ond2
        patterns: ['(?:a+)+$']
YAML
"$KODBOK" code "$TMP/cb.yaml" >"$TMP/out" 2>"$TMP/err" && ok || bad "code: $(cat "$TMP/err")"
n=$(grep -c "hit the match limit" "$TMP/err")
[ "$n" = 2 ] && ok || bad "$n limit lines, wanted one per concept: $(head -5 "$TMP/err")"
grep -q "^kodbok: lim1:[0-9]*: pattern '(a+)+\$' of concept 'ond' hit the match limit in a sentence, the first of 30 hits in 2 documents; they count as no match there$" "$TMP/err" &&
    ok || bad "aggregated line: $(cat "$TMP/err")"
grep -q "concept 'ond2' .* the first of 30 hits in 2 documents" "$TMP/err" && ok || bad "second concept: $(cat "$TMP/err")"
grep -q "match limit hit" "$TMP/out" && ok || bad "summary: $(cat "$TMP/out")"
# the short lines are quotes all the same
"$KODBOK" quotes --format json | jq -e '[.[] | select(.concept == "ond")] | length == 2' >/dev/null &&
    ok || bad "quotes past the limit: $("$KODBOK" quotes --format json | head -c 300)"
# codebook try: the same one line for the rule tried
"$KODBOK" codebook try rutin --pattern '(a+)+$' >"$TMP/out" 2>"$TMP/err" && ok || bad "try: $(cat "$TMP/err")"
[ "$(grep -c "hit the match limit" "$TMP/err")" = 1 ] && ok || bad "try notices: $(head -3 "$TMP/err")"
grep -q "pattern '(a+)+\$' of concept 'rutin' hit the match limit in a sentence, the first of 30 hits in 2 documents" "$TMP/err" &&
    ok || bad "try notice: $(cat "$TMP/err")"
grep -q "^rutin: 2 quotes in 2 documents" "$TMP/out" && ok || bad "try: $(cat "$TMP/out")"
# --strict: the error is that one line, and nothing is stored
KODBOK_PROJECT="$TMP/q.db" "$KODBOK" init >/dev/null
KODBOK_PROJECT="$TMP/q.db" "$KODBOK" import -q "$TMP"/lim1.txt "$TMP"/lim2.txt >/dev/null
KODBOK_PROJECT="$TMP/q.db" expect_fail 2 "the first of 30 hits in 2 documents; they count as no match there \(--strict\)" \
    "$KODBOK" code --strict "$TMP/cb.yaml"

# search: every line the limit leaves alone is searched, the others are
# told of once
"$KODBOK" search '(a+)+$' --format json >"$TMP/hits" 2>"$TMP/err" && ok || bad "search: $(cat "$TMP/err")"
jq -e 'length == 2 and all(.[]; .match == "aaa")' "$TMP/hits" >/dev/null && ok || bad "search hits: $(cat "$TMP/hits")"
[ "$(wc -l <"$TMP/err")" = 1 ] && ok || bad "search notices: $(cat "$TMP/err")"
grep -q "^kodbok: lim1:[0-9]*: the regex hit the match limit here, the first of 30 lines in 2 documents; no match is reported there$" "$TMP/err" &&
    ok || bad "search notice: $(cat "$TMP/err")"
"$KODBOK" search 'rutin\w*' --format json | jq -e 'length == 30' >/dev/null && ok || bad "plain search"
finish
