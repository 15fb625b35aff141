#!/usr/bin/env bash
# kodbok eval --save and --baseline: an evaluation saved as a baseline and
# the rules held to it. Anna codes k1 on the three sentences with "alfa"
# and k2 on the two with "beta", so the first codebook scores F1 1 on
# both; the edited one finds only "alfa ett": k1 tp 1, fp 0, fn 2, so
# F1 = 2 / (2 + 2) = 0.5, a fall of exactly 0.5.
source "$(dirname "$0")/lib/common.bash"

cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Gate
themes:
  - id: t1
    label: Tema
    concepts:
      - id: k2
        label: Beta
        patterns: ['\bbeta\b']
      - id: k1
        label: Alfa
        patterns: ['\balfa\b']
YAML
sed 's/\\balfa\\b/\\balfa ett\\b/' "$TMP/cb.yaml" >"$TMP/narrow.yaml"
grep -q 'alfa ett' "$TMP/narrow.yaml" || bad "test setup: the narrowed codebook"
cat >"$TMP/a.txt" <<'TXT'
I: Hur fungerar samverkan i regionen?
R: Vi pratar om alfa ett i ledningsgruppen. Sedan kom alfa två på bordet. Till sist alfa tre, som ingen ville ta i. Beta handlar om budgeten. Beta igen, samma sak. Inget av det andra.
TXT
"$KODBOK" init >/dev/null
"$KODBOK" import -q "$TMP/a.txt" >/dev/null || bad "import"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
for s in 1 2 3; do "$KODBOK" tag a k1 --segment "sentence:$s" --coder anna >/dev/null || bad "tag k1 $s"; done
for s in 4 5; do "$KODBOK" tag a k2 --segment "sentence:$s" --coder anna >/dev/null || bad "tag k2 $s"; done
"$KODBOK" tag a k1 --segment sentence:1 --coder bo >/dev/null || bad "tag bo"

# --save: the same evaluation gives the same bytes; a line per concept,
# sorted by id (k1 before k2, though the codebook lists k2 first).
"$KODBOK" eval --gold anna --save "$TMP/base.json" >"$TMP/out" 2>"$TMP/err" || bad "save: $(cat "$TMP/err")"
grep -q "saved the baseline to $TMP/base.json" "$TMP/out" && ok || bad "save says where"
"$KODBOK" eval --gold anna --save "$TMP/again.json" >/dev/null 2>&1 || bad "save again"
cmp -s "$TMP/base.json" "$TMP/again.json" && ok || bad "two saves differ"
jq -e '.gold == "anna" and .unit == "sentence" and .by == "concept" and (.codebook.hash | length) == 64' "$TMP/base.json" >/dev/null && ok ||
    bad "baseline header: $(head -3 "$TMP/base.json")"
[ "$(grep -c '"concept": "k' "$TMP/base.json")" = 2 ] && ok || bad "not a line per concept: $(cat "$TMP/base.json")"
grep -n '"concept": "k' "$TMP/base.json" | head -1 | grep -q '"k1"' && ok || bad "not sorted by id"
grep -q '{"concept": "k1", "label": "Alfa", "tp": 3, "fp": 0, "fn": 0, "precision": 1.000000, "recall": 1.000000, "f1": 1.000000}' "$TMP/base.json" &&
    ok || bad "k1's line: $(grep k1 "$TMP/base.json")"
# the figures are those of eval's JSON
"$KODBOK" eval --gold anna --format json 2>/dev/null >"$TMP/eval.json"
jq -e --slurpfile b "$TMP/base.json" '[.concepts[] | {concept, tp, fp, fn, f1}] | sort_by(.concept) == [$b[0].concepts[] | {concept, tp, fp, fn, f1}]' "$TMP/eval.json" >/dev/null &&
    ok || bad "the baseline's figures are not eval's"

# the unchanged codebook passes
"$KODBOK" eval --gold anna --baseline "$TMP/base.json" >"$TMP/out" 2>"$TMP/err" && ok || bad "unchanged: $(cat "$TMP/err")"
grep -q "passed" "$TMP/out" && ok || bad "unchanged: no 'passed': $(cat "$TMP/out")"

# a codebook edit that lowers k1's F1 from 1 to 0.5 fails the gate, exit 4,
# naming k1 and not k2
"$KODBOK" code -q "$TMP/narrow.yaml" >/dev/null || bad "code narrow"
expect_fail 4 "gate failed.*k1 1.000 -> 0.500" "$KODBOK" eval --gold anna --baseline "$TMP/base.json"
grep -q "k2" "$TMP/err" && bad "k2 did not fall but is named: $(cat "$TMP/err")" || ok
grep -Eq "^  fell +k1 +1.000 -> 0.500$" "$TMP/out" && ok || bad "the fall not listed: $(cat "$TMP/out")"
grep -q "FAILED, 1 code fell" "$TMP/out" && ok || bad "no FAILED line: $(cat "$TMP/out")"
# JSON: the eval object with a member "gate"
"$KODBOK" eval --gold anna --baseline "$TMP/base.json" --format json >"$TMP/gate.json" 2>/dev/null
[ $? = 4 ] && ok || bad "json: not exit 4"
jq -e '.gate.passed == false and .gate.fell == 1 and .gate.margin == 0.05 and
       (.gate.concepts[] | select(.concept == "k1") | .status == "fell" and .old_f1 == 1 and .new_f1 == 0.5) and
       (.gate.concepts[] | select(.concept == "k2") | .status == "same") and .concepts[0].tp >= 0' "$TMP/gate.json" >/dev/null &&
    ok || bad "gate json: $(cat "$TMP/gate.json")"
# a fall of exactly the margin passes; a larger margin passes
"$KODBOK" eval --gold anna --baseline "$TMP/base.json" --margin 0.5 >"$TMP/out" 2>&1 && ok || bad "margin 0.5: $(cat "$TMP/out")"
grep -Eq "^  within +k1" "$TMP/out" && ok || bad "a fall within the margin not listed: $(cat "$TMP/out")"
"$KODBOK" eval --gold anna --baseline "$TMP/base.json" --margin 0.6 >/dev/null 2>&1 && ok || bad "margin 0.6 fails"
expect_fail 4 "gate failed" "$KODBOK" eval --gold anna --baseline "$TMP/base.json" --margin 0.49
# --save with --baseline saves only when the gate passes
cp "$TMP/base.json" "$TMP/keep.json"
"$KODBOK" eval --gold anna --baseline "$TMP/keep.json" --save "$TMP/keep.json" >/dev/null 2>&1
cmp -s "$TMP/base.json" "$TMP/keep.json" && ok || bad "a failed gate replaced the baseline"
"$KODBOK" eval --gold anna --baseline "$TMP/keep.json" --margin 0.6 --save "$TMP/keep.json" >/dev/null 2>&1 || bad "ratchet"
grep -q '"f1": 0.500000' "$TMP/keep.json" && ok || bad "a passed gate did not save"

# back to the first codebook, with k2 renamed: k2 gone, k3 new (anna's k2
# tags are not k3's: F1 0), and neither fails the gate
sed 's/id: k2/id: k3/' "$TMP/cb.yaml" >"$TMP/renamed.yaml"
"$KODBOK" code -q "$TMP/renamed.yaml" >/dev/null 2>&1 || bad "code renamed"
"$KODBOK" eval --gold anna --baseline "$TMP/base.json" >"$TMP/out" 2>&1 && ok || bad "rename fails the gate: $(cat "$TMP/out")"
grep -Eq "^  gone +k2 +1.000 -> +n/a$" "$TMP/out" && grep -Eq "^  new +k3 +n/a -> 0.000$" "$TMP/out" && ok ||
    bad "gone and new: $(cat "$TMP/out")"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null 2>&1 || bad "code again"

# a baseline of another gold coder, unit or by is an error at its place
expect_fail 2 "base.json:2:10: the baseline is of gold coder 'anna', not 'bo'" "$KODBOK" eval --gold bo --baseline "$TMP/base.json"
expect_fail 2 "base.json:3:[0-9]+: .*unit 'sentence', not 'turn'" "$KODBOK" eval --gold anna --unit turn --baseline "$TMP/base.json"
expect_fail 2 "base.json:4:[0-9]+: .*'concept', not 'theme'" "$KODBOK" eval --gold anna --by theme --baseline "$TMP/base.json"
# malformed baselines: file:line:col
sed '7s/"tp": 3,/"tp": 3/' "$TMP/base.json" >"$TMP/bad1.json"
expect_fail 2 "bad1.json:7:[0-9]+: not JSON" "$KODBOK" eval --gold anna --baseline "$TMP/bad1.json"
sed '7s/"f1": 1.000000/"f1": "hög"/' "$TMP/base.json" >"$TMP/bad2.json"
expect_fail 2 "bad2.json:7:[0-9]+: \"f1\" should be a number or null" "$KODBOK" eval --gold anna --baseline "$TMP/bad2.json"
sed '7s/"concept": "k1"/concept: k1/' "$TMP/base.json" >"$TMP/bad3.json"
expect_fail 2 "bad3.json:7:4: not JSON" "$KODBOK" eval --gold anna --baseline "$TMP/bad3.json"
sed '8s/"k2"/"k1"/' "$TMP/base.json" >"$TMP/bad4.json"
expect_fail 2 "bad4.json:8:[0-9]+: concept 'k1' is in the baseline twice" "$KODBOK" eval --gold anna --baseline "$TMP/bad4.json"
printf '[1, 2]\n' >"$TMP/bad5.json"
expect_fail 2 "bad5.json:1:1: a baseline is an object" "$KODBOK" eval --gold anna --baseline "$TMP/bad5.json"
: >"$TMP/empty.json"
expect_fail 2 "empty.json: an empty file is no baseline" "$KODBOK" eval --gold anna --baseline "$TMP/empty.json"
expect_fail 2 "nosuch.json" "$KODBOK" eval --gold anna --baseline "$TMP/nosuch.json"
# usage
expect_fail 1 "--margin goes with --baseline" "$KODBOK" eval --gold anna --margin 0.1
expect_fail 1 "--margin wants a number from 0 to 1" "$KODBOK" eval --gold anna --baseline "$TMP/base.json" --margin 2
# a failed save leaves no file and says why
expect_fail 3 "nodir/b.json" "$KODBOK" eval --gold anna --save "$TMP/nodir/b.json"
finish
