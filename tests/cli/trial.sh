#!/usr/bin/env bash
# A researcher's first own study, replayed (issue 14): four transcripts in
# four styles (Windows-1252 with CRLF and [hh:mm:ss] stamps; I:/R:; full
# names under a header block; an auto-transcript with "Talare 1 00:00:05"
# on a line of its own), a Windows-1252 cases file with ';' that names one
# interviewer, a codebook of her own, tags by two coders, review decisions,
# a codebook edit (a pattern that stops matching an accepted quote, a
# rename with was:, a concept moved to another theme) and three transcript
# edits (a typo fixed, a paragraph inserted, a turn added to the document
# read with a speaker rule). After every step: no turn, tag, decision or
# accepted quote is lost, every output counts as the quote list does, and
# diff names only the real changes.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/counts.bash"
D="$SRC/tests/cli/data/trial"
W="$TMP/study"
mkdir -p "$W"
cp "$D"/* "$W/"
cd "$W" || exit 1
# The first version of ip2 has a typo, fixed later.
sed -i 's/^R: Tack själv\.$/R: Tack sjäv./' ip2.txt
grep -q "Tack sjäv" ip2.txt || bad "test setup: no typo"

turns() { "$KODBOK" docs --format json | jq -r '[.documents[] | "\(.name)=\(.turns)"] | join(" ")'; }
tags() { "$KODBOK" tags --format json | jq '[.tags[] | select(.decision == "tag" and .placed)] | length'; }
decisions() { "$KODBOK" tags --format json | jq -r '[.tags[] | select(.decision != "tag" and .placed) | "\(.coder):\(.decision):\(.code)"] | sort | join(" ")'; }
total() { "$KODBOK" quotes --format json | jq length; }

# --- import: every style read right, roles said -------------------------
"$KODBOK" init >/dev/null
"$KODBOK" import --attrs cases.csv ip1.txt ip2.txt ip3.txt >"$TMP/out" 2>"$TMP/err" || bad "import: $(cat "$TMP/err")"
"$KODBOK" import --speaker '^(?<name>Talare \d+)' ip4.txt >>"$TMP/out" 2>>"$TMP/err" || bad "import ip4: $(cat "$TMP/err")"
[ "$(turns)" = "ip1=10 ip2=12 ip3=10 ip4=10" ] && ok || bad "turns: $(turns)"
grep -q "interviewer: Johanna Lind (5 turns; named in the header); respondent: Karin Ek (5 turns)" "$TMP/out" && ok ||
    bad "ip3's roles: $(cat "$TMP/out")"
grep -q "interviewer: Talare 1 (5 turns; named by the cases); respondent: Talare 2 (5 turns)" "$TMP/out" && ok ||
    bad "ip4's roles: $(cat "$TMP/out")"
grep -q "cases.csv: not UTF-8; read as windows-1252" "$TMP/err" && grep -q "ip1.txt: not UTF-8; read as windows-1252" "$TMP/err" &&
    ok || bad "encodings not said: $(cat "$TMP/err")"
# The header block is metadata, not talk.
"$KODBOK" show ip3 --segments turn --format json |
    jq -e '(.header | length == 3) and .header.Intervjuare == "Johanna Lind" and ([.segments[] | select(.speaker == "Respondent" or (.text | test("vårdenhetschef$")))] | length == 0)' >/dev/null &&
    ok || bad "ip3's header block"
"$KODBOK" show ip1 --segments turn --format json | jq -e '[.segments[] | .time] | all(. != null)' >/dev/null && ok || bad "ip1's timestamps"

# --- code, tags by two coders, review -----------------------------------
"$KODBOK" code codebook.yaml >"$TMP/out" 2>"$TMP/err" || bad "code: $(cat "$TMP/err")"
n0=$(total)
# anna inside a rule's quote of the same concept: still one quote
"$KODBOK" tag ip3 personliga-kontakter --quote "de personliga kontakterna som bär" --coder anna >/dev/null || bad "tag inside"
[ "$(total)" = "$n0" ] && ok || bad "a tag inside a rule's quote made a quote ($n0 -> $(total))"
# anna and bo on one sentence: one quote, both coders
# (bo's memo is a part of anna's: both are kept)
"$KODBOK" tag ip2 gott-exempel --quote "Vi har en fast kontaktperson där, och det gör stor skillnad." --coder anna --memo "inte viktig" >/dev/null || bad "tag anna"
"$KODBOK" tag ip2 gott-exempel --quote "Vi har en fast kontaktperson där, och det gör stor skillnad." --coder bo --memo "viktig" >/dev/null || bad "tag bo"
[ "$(total)" = $((n0 + 1)) ] && ok || bad "two coders on one sentence: $n0 -> $(total)"
"$KODBOK" quotes --format json --concept gott-exempel | jq -e 'length == 1 and .[0].coder == "anna,bo"' >/dev/null && ok || bad "the shared tag's coders"
"$KODBOK" quotes --format json --concept gott-exempel | jq -e '.[0].memo | split("; ") | sort == ["inte viktig", "viktig"]' >/dev/null &&
    ok || bad "the two coders' memos: $("$KODBOK" quotes --format json --concept gott-exempel | jq -c '.[0].memo')"
# bo types the quote as he reads it: lower case, no full stop, a straight
# quote for nothing curly here, his own line break
"$KODBOK" tag ip1 mellan-stolarna --quote "det fungerar bra när alla kommer,
men ibland saknas kommunens sjuksköterska" --coder bo >/dev/null || bad "loose tag"
"$KODBOK" show ip1 --raw >"$TMP/ip1.raw"
"$KODBOK" tags --format json | jq -e --rawfile t "$TMP/ip1.raw" '[.tags[] | select(.coder == "bo" and .code == "mellan-stolarna")][0] | $t[.start:.end] == "Det fungerar bra när alla kommer, men ibland saknas kommunens sjuksköterska"' >/dev/null &&
    ok || bad "the loose tag's exact span"
# Both accept the rules' SIP quote; anna rejects one time quote.
printf 'a\n' | "$KODBOK" review --concept sip-oklar --doc ip3 --coder anna >/dev/null 2>&1 || bad "review anna"
printf 'a\n' | "$KODBOK" review --concept sip-oklar --doc ip3 --coder bo >/dev/null 2>&1 || bad "review bo"
printf 'r\n' | "$KODBOK" review --concept tidsbrist --doc ip2 --coder anna >/dev/null 2>&1 || bad "review reject"
"$KODBOK" quotes --format json --concept sip-oklar | jq -e 'length == 1 and .[0].accepted_by == "anna,bo"' >/dev/null && ok || bad "accepted by both"
"$KODBOK" quotes --format json --concept tidsbrist --doc ip2 | jq -e 'length == 1 and (.[0].text | test("trångt"))' >/dev/null && ok || bad "the rejected quote still counted"
T0=$(tags) D0=$(decisions)
[ "$T0" = 4 ] && [ "$D0" = "anna:accept:sip-oklar anna:reject:tidsbrist bo:accept:sip-oklar" ] && ok || bad "test setup: tags $T0, decisions $D0"
check_counts codebook.yaml

# --- the codebook edited -------------------------------------------------
# sip-oklar's pattern no longer finds the accepted quote; tidsbrist is
# renamed with was:; vi-och-dom moves from Struktur to Samarbete.
python3 - codebook.yaml <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace("patterns: ['\\bSIP\\b']", "patterns: ['\\bSIP-möte\\w*']")
s = s.replace("          - id: tidsbrist\n", "          - id: tid-och-takt\n            was: tidsbrist\n")
block = "          - id: vi-och-dom\n            label: Vi och dom\n            patterns: ['\\bvi och dom\\b']\n"
assert block in s
s = s.replace(block, "")
s = s.replace("        label: Samarbete\n        concepts:\n", "        label: Samarbete\n        concepts:\n" + block)
open(p, "w", encoding="utf-8").write(s)
PY
grep -q "SIP-möte" codebook.yaml && grep -q "was: tidsbrist" codebook.yaml || bad "test setup: the edit"
"$KODBOK" code codebook.yaml >"$TMP/out" 2>"$TMP/err" || bad "code after the edit: $(cat "$TMP/err")"
grep -q "concept 'sip-oklar' matches nothing" "$TMP/err" && ok || bad "the dead pattern not named: $(cat "$TMP/err")"
grep -q "1 no longer found but kept (accepted in review)" "$TMP/out" && ok || bad "code's summary: $(cat "$TMP/out")"
"$KODBOK" quotes --format json --concept sip-oklar | jq -e 'length == 1 and .[0].accepted_by == "anna,bo" and .[0].document == "ip3"' >/dev/null &&
    ok || bad "the accepted quote vanished"
"$KODBOK" diff --format json | jq -e '[.changes[] | select(.change == "kept")] | length == 1 and .[0].kept_by == "anna,bo"' >/dev/null &&
    ok || bad "diff does not keep the accepted quote"
"$KODBOK" diff | grep -q "no longer found by the rules, kept: accepted by anna,bo" && ok || bad "diff's text"
"$KODBOK" diff --format json | jq -e '[.changes[] | select(.change == "gained" or .change == "lost")] | length == 0' >/dev/null &&
    ok || bad "a rename or a move counted as a change: $("$KODBOK" diff)"
"$KODBOK" quotes --format json --concept vi-och-dom | jq -e 'length == 3 and all(.theme == "samarbete")' >/dev/null && ok || bad "the moved concept"
"$KODBOK" quotes --format json --concept tid-och-takt | jq -e 'length == 2' >/dev/null && ok || bad "the renamed concept (the rejection kept)"
[ "$(tags)" = "$T0" ] && ok || bad "tags lost by the codebook edit: $(tags) of $T0"
[ "$(decisions)" = "${D0//tidsbrist/tid-och-takt}" ] && ok || bad "decisions after the edit: $(decisions)"
check_counts codebook.yaml

# --- a typo fixed --------------------------------------------------------
sed -i 's/^R: Tack sjäv\.$/R: Tack själv./' ip2.txt
"$KODBOK" import ip2.txt >"$TMP/out" 2>"$TMP/err" || bad "re-import ip2: $(cat "$TMP/err")"
grep -q "ip2 .*changed v2" "$TMP/out" && ok || bad "ip2 v2: $(cat "$TMP/out")"
"$KODBOK" code codebook.yaml >"$TMP/out" 2>/dev/null || bad "code after the typo"
grep -q "1 document matched (ip2 changed), no concept changed, +0 -0 quotes" "$TMP/out" && ok || bad "code after the typo: $(cat "$TMP/out")"
"$KODBOK" diff --format json | jq -e '[.changes[] | select(.change == "gained" or .change == "lost")] | length == 0' >/dev/null &&
    ok || bad "a typo fix gained or lost quotes: $("$KODBOK" diff)"
"$KODBOK" diff | head -1 | grep -q ": 0 quotes changed (+0 -0), [0-9]* unchanged on a new version" && ok || bad "diff's first line: $("$KODBOK" diff | head -1)"
"$KODBOK" diff --moves --format json | jq -e '[.changes[] | select(.change == "moved")] | length > 0' >/dev/null && ok || bad "moves not listed on request"
[ "$(tags)" = "$T0" ] && [ "$(decisions)" = "${D0//tidsbrist/tid-och-takt}" ] && ok || bad "the typo fix lost tags or decisions"
check_counts codebook.yaml

# --- a paragraph inserted ------------------------------------------------
sed -i 's/^Men i praktiken är det de personliga kontakterna som bär\.$/&\nVi har också en gemensam rutin för läkemedel, men den tar tid att få på plats./' ip3.txt
grep -q "gemensam rutin för läkemedel" ip3.txt || bad "test setup: the paragraph"
"$KODBOK" import ip3.txt >"$TMP/out" 2>"$TMP/err" || bad "re-import ip3: $(cat "$TMP/err")"
! grep -q "cannot be placed" "$TMP/err" && ok || bad "a coding could not be placed: $(cat "$TMP/err")"
"$KODBOK" code codebook.yaml >"$TMP/out" 2>/dev/null || bad "code after the paragraph"
"$KODBOK" diff --format json | jq -r '[.changes[] | select(.change == "gained" or .change == "lost") | "\(.change) \(.concept)"] | sort | join(", ")' >"$TMP/got"
[ "$(cat "$TMP/got")" = "gained gemensamma-forum, gained tid-och-takt" ] && ok || bad "diff after the paragraph: $(cat "$TMP/got")"
grep -q "+2 -0 quotes" "$TMP/out" && ok || bad "code after the paragraph: $(cat "$TMP/out")"
"$KODBOK" quotes --format json --concept sip-oklar | jq -e 'length == 1 and .[0].accepted_by == "anna,bo"' >/dev/null && ok || bad "the accepted quote after the paragraph"
[ "$(tags)" = "$T0" ] && [ "$(decisions)" = "${D0//tidsbrist/tid-och-takt}" ] && ok || bad "the paragraph lost tags or decisions"
check_counts codebook.yaml

# --- ip4 edited and imported again without its speaker rule --------------
printf 'Talare 1 00:02:20\nEn sista fråga: vem kallar till mötena?\nTalare 2 00:02:26\nDet gör vi, oftast. Vi och dom turas om att leda dem.\n' >>ip4.txt
"$KODBOK" import ip4.txt >"$TMP/out" 2>"$TMP/err" || bad "re-import ip4: $(cat "$TMP/err")"
[ "$(turns)" = "ip1=10 ip2=12 ip3=10 ip4=12" ] && ok || bad "ip4 forgot its speaker rule: $(turns)"
! grep -q "warning" "$TMP/err" && ok || bad "re-import warned: $(cat "$TMP/err")"
"$KODBOK" code codebook.yaml >"$TMP/out" 2>/dev/null || bad "code after ip4"
"$KODBOK" diff --format json | jq -r '[.changes[] | select(.change == "gained" or .change == "lost") | "\(.change) \(.concept)"] | join(", ")' >"$TMP/got"
[ "$(cat "$TMP/got")" = "gained vi-och-dom" ] && ok || bad "diff after ip4: $(cat "$TMP/got")"
"$KODBOK" quotes --format json --doc ip4 | jq -e 'length == 4 and all(.role == "respondent")' >/dev/null && ok || bad "ip4's quotes"
[ "$(tags)" = "$T0" ] && [ "$(decisions)" = "${D0//tidsbrist/tid-och-takt}" ] && ok || bad "ip4's edit lost tags or decisions"
check_counts codebook.yaml
finish
