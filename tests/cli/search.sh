#!/usr/bin/env bash
# kodbok search on the sample corpus: the matches counted against grep -P
# on each document's stored text (`show --raw`), every position and context
# cut out of that text again, --context, --doc, the formats, and the errors.
source "$(dirname "$0")/lib/common.bash"
export LC_ALL=C.UTF-8
C="$SRC/corpora/vardsamverkan"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
docs=$("$KODBOK" docs --format json | jq -r '.documents[].name')
for d in $docs; do "$KODBOK" show "$d" --raw >"$TMP/$d.txt"; done

# Counts per pattern: grep -P, caseless, on the stored texts, one line at a
# time (none of these patterns can span a line).
for re in 'vårdcentral\w*' 'röd(?:a)? tråd' '\bVVG\b' 'kommun(?:en|erna)\b' 'över'; do
    want=0
    for d in $docs; do
        n=$(grep -oiP -- "$re" "$TMP/$d.txt" | wc -l)
        want=$((want + n))
    done
    got=$("$KODBOK" search "$re" --format json | jq length)
    [ "$want" -gt 0 ] && [ "$got" = "$want" ] && ok || bad "'$re': $got matches, grep finds $want"
    # text and tsv give a line per match too (tsv after its header)
    [ "$("$KODBOK" search "$re" | wc -l)" = "$want" ] && ok || bad "'$re': text lines"
    [ "$("$KODBOK" search "$re" --format tsv | wc -l)" = $((want + 1)) ] && ok || bad "'$re': tsv lines"
done

# Positions and context: the match and its context cut out of the stored
# text (jq counts code points, as kodbok does), at most 40 code points each.
"$KODBOK" search 'samverk\w*' --format json >"$TMP/hits.json"
for d in $docs; do
    jq -e --arg d "$d" --rawfile t "$TMP/$d.txt" '[.[] | select(.document == $d) | . as $h |
        ($t[$h.start:$h.end] == $h.match) and ($t[:$h.start] | endswith($h.left)) and
        ($t[$h.end:] | startswith($h.right)) and ($h.left | length) <= 40 and
        ($h.right | length) <= 40] | all' "$TMP/hits.json" >/dev/null &&
        ok || bad "positions or context of $d"
done
[ "$(jq length "$TMP/hits.json")" -gt 100 ] && ok || bad "few hits for samverk"
# context is cut at words: never a letter on both sides of its outer edge
jq -e --rawfile t "$TMP/ip01.txt" '[.[] | select(.document == "ip01" and .start > (.left | length)) |
    ($t[.start - (.left | length) - 1:.start - (.left | length) + 1] | test("^\\w\\w$") | not)] | all' \
    "$TMP/hits.json" >/dev/null && ok || bad "left context cut inside a word"
# a respondent's case and speaker, and the focus group's cases per speaker
jq -e '[.[] | select(.document == "ip01" and .speaker == "R")] | all(.case == "ip01")' "$TMP/hits.json" >/dev/null &&
    ok || bad "ip01's R is not case ip01"
[ "$(jq '[.[] | select(.document == "fokusgrupp") | .case] | unique | length' "$TMP/hits.json")" -gt 2 ] &&
    ok || bad "the focus group's matches are not on its speakers' cases"

# --context and --doc
"$KODBOK" search 'samverk\w*' --context 8 --doc ip03 --format json >"$TMP/c8.json"
jq -e 'length > 3 and all(.document == "ip03" and (.left | length) <= 8 and (.right | length) <= 8)' \
    "$TMP/c8.json" >/dev/null && ok || bad "--context 8 --doc ip03"
[ "$(jq length "$TMP/c8.json")" = "$(jq '[.[] | select(.document == "ip03")] | length' "$TMP/hits.json")" ] &&
    ok || bad "--doc ip03 gives other matches than all documents"

# Text: the matches stand in one column. Each line ends with the match
# and the right context, with white space runs made one space.
if command -v python3 >/dev/null 2>&1; then
    "$KODBOK" search '\bVVG\b|samverkan' --context 30 >"$TMP/kwic.txt"
    "$KODBOK" search '\bVVG\b|samverkan' --context 30 --format json >"$TMP/kwic.json"
    python3 - "$TMP/kwic.txt" "$TMP/kwic.json" <<'PY' && ok || bad "the matches are not in one column"
import json, re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]
hits = json.load(open(sys.argv[2], encoding="utf-8"))
flat = lambda s: re.sub(r"[ \t\n]+", " ", s)
cols = {len(l) - len(flat(h["match"] + h["right"])) for l, h in zip(lines, hits)}
assert len(lines) == len(hits) > 100 and len(cols) == 1, cols
assert all(l.endswith(flat(h["match"] + h["right"])) for l, h in zip(lines, hits))
PY
fi
# CSV parses back to as many records (csvkit-free: python's csv module)
if command -v python3 >/dev/null 2>&1; then
    n=$("$KODBOK" search 'samverk\w*' --format csv | python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(sys.stdin)) - 1)')
    [ "$n" = "$(jq length "$TMP/hits.json")" ] && ok || bad "CSV has $n records"
fi

# Errors: one line each.
expect_fail 2 "invalid regex at column 6: missing terminating \] for character class" "$KODBOK" search 'tråd['
expect_fail 2 "invalid regex at column 4: missing closing parenthesis" "$KODBOK" search 'a(b'
expect_fail 2 "can match the empty string" "$KODBOK" search 'x?'
expect_fail 2 "no document 'ip99'" "$KODBOK" search VVG --doc ip99
expect_fail 1 "search: unknown format 'xlsx'" "$KODBOK" search VVG --format xlsx
expect_fail 1 "search: --context wants a number" "$KODBOK" search VVG --context -1
expect_fail 1 "search: what to search for" "$KODBOK" search
expect_fail 1 "search: one REGEX only" "$KODBOK" search a b
for f in text json; do
    "$KODBOK" search VVG --format $f >/dev/full 2>"$TMP/err"
    rc=$?
    [ $rc = 3 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && ok || bad "search --format $f to /dev/full: exit $rc, $(cat "$TMP/err")"
done
finish
