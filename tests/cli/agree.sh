#!/usr/bin/env bash
# kodbok agree and kodbok eval on a corpus small enough to count by hand,
# and the units the coders disagree on.
# Every expected figure is derived in the comments from the 2x2 tables
# (a both coded, b only the first, c only the second, d neither), with
# P_o = (a + d) / N, kappa = 2(ad - bc) / ((a + b)(b + d) + (a + c)(c + d))
# and alpha = 1 - (n - 1)(b + c) / (n0 n1), n = 2N, n1 = 2a + b + c
# (docs/agreement.md), and precision, recall, F1 from tp, fp, fn.
source "$(dirname "$0")/lib/common.bash"

cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Alfa och beta
themes:
  - id: t1
    label: Tema
    concepts:
      - id: k1
        label: Alfa
        patterns: ['\balfa\b']
      - id: k2
        label: Beta
        patterns: ['\bbeta\b']
YAML
# Document a: an interviewer's sentence, then ten respondent sentences
# r0..r9. The run codes k1 in r0, r1, r4 (alfa) and k2 in r4, r5, r6 (beta).
cat >"$TMP/a.txt" <<'TXT'
I: Hur ser det ut med alfa?
R: Första meningen nämner alfa. Andra meningen nämner också alfa. Tredje meningen handlar om något annat. Fjärde meningen är tom. Femte meningen har både alfa och beta. Sjätte meningen har beta. Sjunde meningen har också beta. Åttonde meningen. Nionde meningen. Tionde meningen.
TXT
# Document b: five respondent sentences; the run codes k1 in the first.
cat >"$TMP/b.txt" <<'TXT'
R: Här finns alfa också. Men inte här. Inte heller här. Eller här. Sista meningen.
TXT
"$KODBOK" init >/dev/null
"$KODBOK" import -q "$TMP/a.txt" "$TMP/b.txt" >/dev/null || bad "import"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
[ "$("$KODBOK" show a --segments sentence --format json | jq '[.segments[] | select(.role == "respondent")] | length')" = 10 ] ||
    bad "test setup: a does not have 10 respondent sentences"
[ "$("$KODBOK" show b --segments sentence --format json | jq '.segments | length')" = 5 ] || bad "test setup: b"

# r<i> is sentence i + 1 of a (sentence 0 is the interviewer's).
tag() { # CODER DOC CODE SENTENCE...
    local coder=$1 doc=$2 code=$3 s
    shift 3
    for s in "$@"; do
        "$KODBOK" tag "$doc" "$code" --segment "sentence:$s" --coder "$coder" >/dev/null || bad "tag $coder $doc $code $s"
    done
}
# k1: anna r0 r1 r2, bo r0 r1 r3 -> a = 2, b = 1, c = 1, d = 6.
# k2: anna r4, bo r4 r5 -> a = 1, b = 0, c = 1, d = 8.
tag anna a k1 1 2 3
tag bo a k1 1 2 4
tag anna a k2 5
tag bo a k2 5 6
# Anna also codes b (bo never does: b is missing for bo) and the
# interviewer's sentence, which k1 cannot apply to (respondents only).
tag anna b k1 0
tag anna a k1 0

"$KODBOK" agree --coders anna,bo --format json >"$TMP/agree.json" 2>"$TMP/err" || bad "agree: $(cat "$TMP/err")"
near() { # JQ-EXPR WANT: |value - want| < 1e-6
    jq -e --argjson w "$2" "($1) as \$v | (\$v - \$w) | fabs < 1e-6" "$TMP/json" >/dev/null && ok ||
        bad "$1 = $(jq "$1" "$TMP/json"), want $2"
}
cp "$TMP/agree.json" "$TMP/json"
# k1: units 15 (a's ten and b's five respondent sentences), pairable 10.
# P_o = 8/10; kappa = 2(2*6 - 1*1) / (3*7 + 3*7) = 22/42;
# n1 = 6, n0 = 14: alpha = 1 - 19*2/84 = 46/84; positive 2a/(2a+b+c) = 4/6.
jq -e '.codes[0] | .concept == "k1" and .units == 15 and .pairable == 10 and .present == 5' "$TMP/json" >/dev/null && ok || bad "k1 counts: $(jq -c '.codes[0]' "$TMP/json")"
near '.codes[0].agreement' 0.8
near '.codes[0].kappa' "$(jq -n '22/42')"
near '.codes[0].alpha' "$(jq -n '46/84')"
near '.codes[0].positive' "$(jq -n '4/6')"
# k2: P_o = 9/10; kappa = 2(1*8 - 0) / (1*8 + 2*9) = 16/26;
# n1 = 3, n0 = 17: alpha = 1 - 19*1/51 = 32/51.
jq -e '.codes[1] | .concept == "k2" and .units == 15 and .pairable == 10 and .present == 2' "$TMP/json" >/dev/null && ok || bad "k2 counts"
near '.codes[1].agreement' 0.9
near '.codes[1].kappa' "$(jq -n '16/26')"
near '.codes[1].alpha' "$(jq -n '32/51')"
# Pooled: a = 3, b = 1, c = 2, d = 14 over 20 pairable rows. P_o = 17/20;
# kappa = 2(3*14 - 1*2) / (4*15 + 5*16) = 80/140; n = 40, n1 = 9, n0 = 31:
# alpha = 1 - 39*3/279 = 162/279.
jq -e '.overall | .concept == null and .units == 30 and .pairable == 20' "$TMP/json" >/dev/null && ok || bad "overall counts"
near '.overall.agreement' 0.85
near '.overall.kappa' "$(jq -n '80/140')"
near '.overall.alpha' "$(jq -n '162/279')"
# The disagreements: k1 r2 (anna only) and r3 (bo only), k2 r5 (bo only);
# b, which bo did not rate, has none.
jq -e '[.disagreements[] | [.code, .document, .marked_by, .text]] == [
    ["k1", "a", "anna", "Tredje meningen handlar om något annat."],
    ["k1", "a", "bo", "Fjärde meningen är tom."],
    ["k2", "a", "bo", "Sjätte meningen har beta."]]' "$TMP/json" >/dev/null && ok ||
    bad "disagreements: $(jq -c '.disagreements' "$TMP/json")"
"$KODBOK" show a --raw >"$TMP/a.raw"
jq -e --rawfile t "$TMP/a.raw" '[.disagreements[] | $t[.start:.end] == .text] | all' "$TMP/json" >/dev/null && ok ||
    bad "disagreement spans"
# What was left out is said.
grep -q "bo: no manual codings in b: counted as not rated" "$TMP/err" && ok || bad "missing notice: $(cat "$TMP/err")"
grep -q "1 manual coding lies only on sentences their code cannot apply to" "$TMP/err" && ok || bad "universe notice: $(cat "$TMP/err")"

# By theme: anna r0 r1 r2 r4, bo r0 r1 r3 r4 r5 -> a = 3, b = 1, c = 2,
# d = 4. P_o = 7/10; kappa = 2(3*4 - 1*2) / (4*5 + 5*6) = 20/50;
# n1 = 9, n0 = 11: alpha = 1 - 19*3/99 = 42/99.
"$KODBOK" agree --coders anna,bo --by theme --format json >"$TMP/json" 2>/dev/null || bad "agree --by theme"
jq -e '.by == "theme" and (.codes | length) == 1 and .codes[0].concept == "t1"' "$TMP/json" >/dev/null && ok || bad "by theme"
near '.codes[0].agreement' 0.7
near '.codes[0].kappa' 0.4
near '.codes[0].alpha' "$(jq -n '42/99')"
# By turn: a's respondent turn is one unit both coded, b's one only anna
# rated: units 2, pairable 1, and full agreement on one category leaves
# kappa and alpha undefined (null, "n/a").
"$KODBOK" agree --coders anna,bo --unit turn --format json >"$TMP/json" 2>/dev/null || bad "agree --unit turn"
jq -e '.codes[0] | .units == 2 and .pairable == 1 and .agreement == 1 and .kappa == null and .alpha == null' "$TMP/json" >/dev/null &&
    ok || bad "by turn: $(jq -c '.codes[0]' "$TMP/json")"
"$KODBOK" agree --coders anna,bo --unit turn 2>/dev/null | grep -qE "^k1 .* n/a +n/a" && ok || bad "n/a in text"
"$KODBOK" agree --coders anna,bo 2>/dev/null | grep -qE "^overall \(pooled\) +30 +20 +7 +0\.850 +0\.571 +0\.581" && ok || bad "text overall row"

# eval against anna. k1: a tp r0 r1, fp r4, fn r2; b tp its first sentence:
# tp 3, fp 1, fn 1 -> P = R = F1 = 3/4. k2: tp r4, fp r5 r6: P = 1/3, R = 1,
# F1 = 2/4. Micro: tp 4, fp 3, fn 1 -> P = 4/7, R = 4/5, F1 = 8/12.
"$KODBOK" eval --gold anna --format json >"$TMP/json" 2>/dev/null || bad "eval"
jq -e '.concepts[0] | .concept == "k1" and .tp == 3 and .fp == 1 and .fn == 1' "$TMP/json" >/dev/null && ok || bad "k1 eval: $(jq -c '.concepts[0]' "$TMP/json")"
near '.concepts[0].precision' 0.75
near '.concepts[0].recall' 0.75
near '.concepts[0].f1' 0.75
jq -e '.concepts[1] | .concept == "k2" and .tp == 1 and .fp == 2 and .fn == 0' "$TMP/json" >/dev/null && ok || bad "k2 eval"
near '.concepts[1].precision' "$(jq -n '1/3')"
near '.concepts[1].recall' 1
near '.concepts[1].f1' 0.5
jq -e '.overall | .tp == 4 and .fp == 3 and .fn == 1' "$TMP/json" >/dev/null && ok || bad "overall eval"
near '.overall.precision' "$(jq -n '4/7')"
near '.overall.recall' 0.8
near '.overall.f1' "$(jq -n '8/12')"
# --show fp: k1 in r4, k2 in r5 and r6, with their texts.
"$KODBOK" eval --gold anna --show fp --format json 2>/dev/null |
    jq -c '[.passages[] | [.concept, .document, .text]]' >"$TMP/fp"
[ "$(cat "$TMP/fp")" = '[["k1","a","Femte meningen har både alfa och beta."],["k2","a","Sjätte meningen har beta."],["k2","a","Sjunde meningen har också beta."]]' ] &&
    ok || bad "--show fp: $(cat "$TMP/fp")"
"$KODBOK" eval --gold anna --show fn 2>/dev/null | grep -q "^  k1 a [0-9]*-[0-9]*: Tredje meningen handlar om något annat.$" && ok || bad "--show fn"
# Against bo, b is left out (bo did not rate it): k1 tp r0 r1, fp r4, fn r3.
"$KODBOK" eval --gold bo --format json 2>/dev/null | jq -e '.concepts[0] | .tp == 2 and .fp == 1 and .fn == 1' >/dev/null && ok || bad "eval bo"
# A review decision counts: bo accepts the run's k1 quote in r4 -> tp 3.
printf 's\ns\na\nq\n' | "$KODBOK" review --coder bo --concept k1 >/dev/null
"$KODBOK" eval --gold bo --format json 2>/dev/null | jq -e '.concepts[0] | .tp == 3 and .fp == 0 and .fn == 1' >/dev/null && ok || bad "accepted quote not counted"

# Bad input.
expect_fail 2 "no coder 'cecilia' in the project \(coders: anna, bo\)" "$KODBOK" agree --coders anna,cecilia
expect_fail 1 "--coders wants two coders or more" "$KODBOK" agree --coders anna
expect_fail 1 "coder 'anna' named twice" "$KODBOK" agree --coders anna,anna
expect_fail 1 "--unit is sentence, turn or paragraph" "$KODBOK" agree --coders anna,bo --unit word
expect_fail 2 "no coder 'cecilia'" "$KODBOK" eval --gold cecilia
# a near name is told as every command tells a near code
expect_fail 2 "no coder 'ana' in the project \\(did you mean 'anna'\\?\\)" "$KODBOK" eval --gold ana
expect_fail 2 "no coder 'bo2' in the project \\(did you mean 'bo'\\?\\)" "$KODBOK" agree --coders anna,bo2
expect_fail 2 "no coder 'ana' in the project \\(did you mean 'anna'\\?\\)" "$KODBOK" quotes --coder ana
expect_fail 2 "no run 9" "$KODBOK" eval --gold anna --run 9
expect_fail 1 "--show is fp or fn" "$KODBOK" eval --gold anna --show tp
finish
