#!/usr/bin/env bash
# Roles and header blocks, on the trial transcripts (tests/cli/data/trial):
# a header of "Key: value" lines before the talk is document metadata, not
# turns, and its Intervjuare names the interviewer; the cases file's
# interviewer column names one too; the summary says who was taken as the
# interviewer and each speaker's turns; no speaker, or no interviewer, warns.
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/trial"

"$KODBOK" init >/dev/null || bad "init"
"$KODBOK" import --attrs "$D/cases.csv" "$D/ip1.txt" "$D/ip2.txt" "$D/ip3.txt" >"$TMP/out" 2>"$TMP/err" ||
    bad "import: $(cat "$TMP/err")"
"$KODBOK" import --speaker '^(?<name>Talare \d+)' "$D/ip4.txt" >>"$TMP/out" 2>>"$TMP/err" || bad "import ip4"
cat >"$TMP/want" <<'OUT'
ip1              new v1: 2 speakers, 10 turns, 12 paragraphs, 16 sentences, 1006 chars (windows-1252, detected)
                 interviewer: Intervjuare (5 turns); respondent: Respondent (5 turns)
ip2              new v1: 2 speakers, 12 turns, 13 paragraphs, 17 sentences, 748 chars (utf-8, detected)
                 interviewer: I (6 turns); respondent: R (6 turns)
ip3              new v1: 2 speakers, 10 turns, 11 paragraphs, 15 sentences, 819 chars (utf-8, detected)
                 interviewer: Johanna Lind (5 turns; named in the header); respondent: Karin Ek (5 turns)
                 header: Respondent, Intervjuare, Datum
imported 3 files: 3 new, 0 changed, 0 unchanged; 32 turns
ip4              new v1: 2 speakers, 10 turns, 11 paragraphs, 15 sentences, 702 chars (utf-8, detected)
                 interviewer: Talare 1 (5 turns; named by the cases); respondent: Talare 2 (5 turns)
imported 1 file: 1 new, 0 changed, 0 unchanged; 10 turns
OUT
diff "$TMP/want" "$TMP/out" >"$TMP/diff" && ok || bad "summary: $(cat "$TMP/diff")"
# Only the encoding notices on stderr: nothing else warns.
[ "$(grep -vc 'not UTF-8; read as windows-1252' "$TMP/err")" = 0 ] && ok || bad "warnings: $(cat "$TMP/err")"

# The header block: metadata in show and docs, in no segment.
"$KODBOK" show ip3 --format json | jq -e '.header == {"Respondent": "Karin Ek, vårdenhetschef",
    "Intervjuare": "Johanna Lind", "Datum": "2025-03-04"}' >/dev/null && ok || bad "show header"
"$KODBOK" docs --format json | jq -e '[.documents[] | .header | length] == [0, 0, 3, 0]' >/dev/null &&
    ok || bad "docs header"
for kind in turn paragraph sentence; do
    "$KODBOK" show ip3 --segments $kind --format json |
        jq -e '[.segments[] | select(.text | test("Karin Ek, vård|2025-03-04|^Johanna Lind$"))] == []' >/dev/null &&
        ok || bad "a header line is in a $kind"
    positions_ok ip3 $kind && ok || bad "ip3 $kind positions"
done
"$KODBOK" show ip3 --format json | jq -e '.segments[0] | .speaker == "Johanna Lind" and .role == "interviewer"' >/dev/null &&
    ok || bad "first turn"
"$KODBOK" show ip3 | sed -n 2,4p | diff - <(printf 'Respondent: Karin Ek, vårdenhetschef\nIntervjuare: Johanna Lind\nDatum: 2025-03-04\n') >/dev/null &&
    ok || bad "show text header: $("$KODBOK" show ip3 | head -5)"

# Windows-1252 CRLF with [h:mm:ss] stamps: the title line has no speaker,
# every turn its time.
"$KODBOK" show ip1 --segments paragraph --format json | jq -e '.segments[0] |
    .text == "Intervju 1 – enhetschef i regionen" and .role == "none"' >/dev/null && ok || bad "ip1 title"
"$KODBOK" show ip1 --format json | jq -e '[.segments[].time][0:4] == ["00:00:04", "00:00:11", "00:01:23", "00:01:30"]' >/dev/null &&
    ok || bad "ip1 times"
# The ;-separated Windows-1252 cases file: attributes with å/ö, and the
# interviewer column is not an attribute.
"$KODBOK" cases --format json | jq -e '[.cases[] | select(.case == "ip4")][0] |
    .interviewer == "Talare 1" and .attributes == {"nivå": "nivåoberoende", "roll": "verksamhetschef", "kön": "kvinna"}' >/dev/null &&
    ok || bad "cases: $("$KODBOK" cases --format json)"
"$KODBOK" show ip4 --format json | jq -e '[.segments[] | select(.role == "respondent") | .case] | unique == ["ip4"]' >/dev/null &&
    ok || bad "ip4 respondent's case"

# An auto-transcript read by the built-in labels: no speaker, loud.
"$KODBOK" import --name ip4-auto "$D/ip4.txt" >"$TMP/out" 2>"$TMP/err" || bad "ip4-auto"
grep -q '^ip4-auto .* new v1: 0 speakers, 0 turns, 21 paragraphs' "$TMP/out" && grep -q '^ *no speakers$' "$TMP/out" &&
    ok || bad "ip4-auto summary: $(cat "$TMP/out")"
[ "$(cat "$TMP/err")" = "kodbok: warning: ip4-auto v1: no speaker found by the built-in speaker labels, so it has no turns; give its labels with --speaker REGEX (docs/transcripts.md)" ] &&
    ok || bad "no-speaker warning: $(cat "$TMP/err")"

# Full names without a header and no interviewer named: warned; the cases
# file's interviewer column then names her, and the next import re-reads
# the unchanged file because her role changed.
grep -v -e '^Respondent:' -e '^Intervjuare:' -e '^Datum:' "$D/ip3.txt" >"$TMP/ip5.txt"
"$KODBOK" import "$TMP/ip5.txt" >"$TMP/out" 2>"$TMP/err" || bad "ip5"
grep -q '^ *interviewer: none; respondents: Johanna Lind (5 turns), Karin Ek (5 turns)$' "$TMP/out" &&
    ok || bad "ip5 summary: $(cat "$TMP/out")"
[ "$(cat "$TMP/err")" = "kodbok: warning: ip5 v1: no interviewer among its speakers (Johanna Lind, Karin Ek); name one with --interviewer or an 'interviewer' column in the cases file" ] &&
    ok || bad "no-interviewer warning: $(cat "$TMP/err")"
printf 'case;interviewer;nivå\nip5;Johanna Lind;lokal\n' >"$TMP/cases5.csv"
"$KODBOK" import --attrs "$TMP/cases5.csv" "$TMP/ip5.txt" >"$TMP/out" 2>"$TMP/err" || bad "ip5 again"
grep -q '^ip5 .* re-read v2 (same text)' "$TMP/out" &&
    grep -q 'interviewer: Johanna Lind (5 turns; named by the cases); respondent: Karin Ek (5 turns)' "$TMP/out" &&
    [ ! -s "$TMP/err" ] && ok || bad "ip5 named by the cases: $(cat "$TMP/out" "$TMP/err")"
"$KODBOK" import "$TMP/ip5.txt" | grep -q 'unchanged (v2)' && ok || bad "ip5 not unchanged"

# "Key: value" lines that are talk stay talk: keys that speak again later,
# or no metadata among them.
printf 'Intervjuare: Hur länge har du arbetat här?\nRespondent: Sedan 2015.\n\nIntervjuare: Och innan dess?\nRespondent: Hemtjänsten.\n' >"$TMP/talk1.txt"
printf 'R: Jag har jobbat här i tio år.\n\nI: Okej. Berätta mer.\n' >"$TMP/talk2.txt"
printf 'Datum: 2025-03-04\n' >"$TMP/talk3.txt"
"$KODBOK" import -q "$TMP/talk1.txt" "$TMP/talk2.txt" "$TMP/talk3.txt" >/dev/null 2>&1 || bad "talk"
"$KODBOK" docs --format json | jq -e '[.documents[] | select(.name | startswith("talk")) | [.turns, (.header | length)]] ==
    [[4, 0], [2, 0], [0, 0]]' >/dev/null && ok || bad "talk taken for a header: $("$KODBOK" docs --format json | jq -c '.documents[]|[.name,.turns,.header]')"

# Counts in correct grammar: one of each is singular, in import, show and
# cases.
printf 'Datum: 2025-03-05\n\nR: Ja.\n' >"$TMP/one.txt"
printf 'case,interviewer\none,I\n' >"$TMP/one.csv"
"$KODBOK" import --attrs "$TMP/one.csv" "$TMP/one.txt" >"$TMP/out" 2>/dev/null || bad "one"
cat >"$TMP/want" <<'OUT'
one              new v1: 1 speaker, 1 turn, 1 paragraph, 1 sentence, 26 chars (utf-8, detected)
                 interviewer: none; respondent: R (1 turn)
                 header: Datum
imported 1 file: 1 new, 0 changed, 0 unchanged; 1 turn
OUT
diff "$TMP/want" "$TMP/out" >"$TMP/diff" && ok || bad "singular import: $(cat "$TMP/diff")"
"$KODBOK" show one | head -1 | grep -qx 'one v1, case one: 1 turn' && ok || bad "show: $("$KODBOK" show one | head -1)"
"$KODBOK" cases | grep -q '^one *1 turn  ' && ok || bad "cases: $("$KODBOK" cases | grep '^one')"
finish
