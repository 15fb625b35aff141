#!/usr/bin/env bash
# The sample corpus: every file imports (Windows-1252, CRLF, BOM and NFD
# files included), cases map, positions cut out segment texts, re-importing
# is a no-op and an edited file becomes version 2.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
"$KODBOK" init >/dev/null || bad "init"
"$KODBOK" import --attrs "$C/cases.csv" "$C"/*.txt >"$TMP/out" 2>"$TMP/err" || bad "import"
grep -q "ip04.txt: not UTF-8; read as windows-1252" "$TMP/err" && ok || bad "no encoding notice: $(cat "$TMP/err")"
"$KODBOK" docs --format json >"$TMP/docs.json"
[ "$(jq '.documents | length' "$TMP/docs.json")" -ge 10 ] && ok || bad "fewer than 10 documents"
for doc in $(jq -r '.documents[].name' "$TMP/docs.json"); do
    for kind in turn paragraph sentence; do
        positions_ok "$doc" "$kind" && ok || bad "$doc: $kind positions"
    done
    # Every document has interviewer and respondent turns.
    roles=$("$KODBOK" show "$doc" --format json | jq -r '[.segments[].role] | unique | join(",")')
    [ "$roles" = "interviewer,respondent" ] && ok || bad "$doc: roles $roles"
done
# NFD input is stored as NFC: no combining ring or diaeresis left.
"$KODBOK" show ip09 --raw | grep -qP '\x{030A}|\x{0308}' && bad "ip09 not NFC" || ok
# CRLF is gone and the stored text equals the file with LF.
"$KODBOK" show ip06 --raw | cmp -s - <(tr -d '\r' <"$C/ip06.txt") && ok || bad "ip06 CRLF"
# Focus group speakers map to their cases; respondents elsewhere to theirs.
"$KODBOK" show fokusgrupp --format json >"$TMP/fg.json"
[ "$(jq -r '[.segments[] | select(.speaker == "Respondent 3") | .case] | unique | join(",")' "$TMP/fg.json")" = fg3 ] &&
    ok || bad "focus group case mapping"
[ "$(jq -r '[.segments[] | select(.role == "interviewer") | .case] | unique | join(",")' "$TMP/fg.json")" = "" ] &&
    ok || bad "moderator should have no case"
"$KODBOK" cases --format json | jq -e '.cases[] | select(.case == "ip07") | .attributes.level == "lokal"' >/dev/null &&
    ok || bad "case attributes"
# Timestamps of all styles become metadata.
"$KODBOK" show ip03 --format json | jq -e '[.segments[] | select(.time != null)] | length > 10' >/dev/null && ok || bad "ip03 times"
"$KODBOK" show ip05 --format json | jq -e '.segments[1].time == "00:00:13" and .segments[1].speaker == "Margareta"' >/dev/null &&
    ok || bad "ip05 bracket speaker and bare time"
"$KODBOK" show ip03 --raw >"$TMP/ip03"
"$KODBOK" show ip03 --format json | jq -e --rawfile t "$TMP/ip03" \
    '[.segments[] | .text | test("^\\(\\d")] | any | not' >/dev/null && ok || bad "timestamp left in text"

# Re-import: unchanged is a no-op; an edit makes version 2, version 1 stays.
"$KODBOK" import "$C/ip01.txt" | grep -q "ip01 *unchanged (v1)" && ok || bad "re-import not unchanged"
sed 's/VVG/Västra Götalands vårdsamverkansgrupp/' "$C/ip01.txt" >"$TMP/ip01.txt"
"$KODBOK" import "$TMP/ip01.txt" | grep -q "ip01 *changed v2" && ok || bad "edit not v2"
"$KODBOK" docs --format json | jq -e '.documents[] | select(.name == "ip01") | .version == 2 and .changed' >/dev/null &&
    ok || bad "docs does not show v2 changed"
"$KODBOK" show ip01 --version 1 --raw | cmp -s - "$C/ip01.txt" && ok || bad "version 1 lost"
finish
