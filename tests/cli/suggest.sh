#!/usr/bin/env bash
# kodbok suggest on a corpus where the right rule is known: the coder tags
# every respondent sentence holding a form of "remiss" (remiss, remissen,
# remisser, remisserna, remissvaren) and no other, so \bremiss\w* finds
# exactly her units (precision 1, recall 1) and no other word does. Then
# the folds, the snippet pasted into the codebook and held to the coder by
# eval, and the errors.
source "$(dirname "$0")/lib/common.bash"

cat >"$TMP/d1.txt" <<'TXT'
I: Hur fungerar remisshanteringen hos er?
R: Vi skickar en remiss till specialistvården varje vecka. Väntetiderna har blivit längre sedan i fjol. Remissen fastnar ofta hos den som ska bedöma den. Samverkan med kommunen fungerar ändå bra.
TXT
cat >"$TMP/d2.txt" <<'TXT'
I: Berätta om ert arbetssätt.
R: Remisserna kommer i pappersform från vissa mottagningar. Det tar tid att skriva in allt i journalen. Vi har pratat om remisser på ledningsmötet. Sjuksköterskorna vill ha mer tid för patienterna.
TXT
cat >"$TMP/d3.txt" <<'TXT'
I: Vad oroar dig mest?
R: En remiss utan svar skapar oro hos patienten. Ledningen vill se kortare köer. Vårdcentralen har fått nya lokaler i år. Många remisser skickas tillbaka för komplettering.
TXT
cat >"$TMP/d4.txt" <<'TXT'
I: Och framåt?
R: Remissvaren dröjer ofta flera veckor. Vi behöver bättre stöd i journalsystemet. Kommunen och regionen träffas varje månad. Jag skrev en remiss i morse.
TXT
cbook() { # PATTERNS: the codebook, remisshantering with these patterns
    cat <<YAML
kodbok: 1
name: Remisser
themes:
  - id: flode
    label: Flöden
    concepts:
      - id: remisshantering
        label: Remisshantering
        $1
      - id: samverkan
        label: Samverkan
        patterns: ['\bsamverkan\b']
YAML
}
cbook "" >"$TMP/cb.yaml"
"$KODBOK" init >/dev/null
"$KODBOK" import -q "$TMP"/d[1-4].txt >/dev/null || bad "import"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
tagged=0
for d in d1 d2 d3 d4; do
    for s in $("$KODBOK" show $d --segments sentence --format json |
        jq -r '.segments[] | select(.role == "respondent") | select(.text | test("remiss"; "i")) | .index'); do
        "$KODBOK" tag $d remisshantering --segment "sentence:$s" --coder anna >/dev/null || bad "tag $d $s"
        tagged=$((tagged + 1))
    done
done
[ "$tagged" = 8 ] || bad "test setup: $tagged sentences tagged, wanted 8"
"$KODBOK" tag d1 samverkan --segment sentence:4 --coder bo >/dev/null || bad "tag bo"

"$KODBOK" suggest remisshantering --gold anna --format json >"$TMP/s.json" 2>"$TMP/err" || bad "suggest: $(cat "$TMP/err")"
[ "$(jq -c '[.units, .positives]' "$TMP/s.json")" = "[16,8]" ] && ok || bad "units: $(jq -c '[.units, .positives]' "$TMP/s.json")"
# The stem is found, first, with precision and recall 1: 8 of 8 coded
# sentences, no other (tp 8, fp 0, fn 0).
[ "$(jq -r '.candidates[0].pattern' "$TMP/s.json")" = '\bremiss\w*' ] && ok || bad "first candidate: $(jq -c '.candidates[0]' "$TMP/s.json")"
[ "$(jq -c '.candidates[0] | [.kind, .tp, .fp, .fn, .precision, .recall, .f1]' "$TMP/s.json")" = '["stem",8,0,0,1,1,1]' ] && ok ||
    bad "its scores: $(jq -c '.candidates[0]' "$TMP/s.json")"
# The whole word "remiss" (3 of the 8: d1 s1, d3 s1, d4 s4) is proposed
# too, precision 1, recall 3/8.
[ "$(jq -c '.candidates[] | select(.pattern == "\\bremiss\\b") | [.kind, .tp, .fp, .fn]' "$TMP/s.json")" = '["word",3,0,5]' ] && ok ||
    bad "\\bremiss\\b: $(jq -c '.candidates[] | select(.pattern == "\\bremiss\\b")' "$TMP/s.json")"
# And the phrase "en remiss" (d1 s1, d3 s1, d4 s4).
[ "$(jq -c '.candidates[] | select(.kind == "phrase") | [.pattern, .tp, .fp]' "$TMP/s.json")" = '["\\ben\\s+remiss\\b",3,0]' ] && ok ||
    bad "phrase: $(jq -c '[.candidates[] | select(.kind == "phrase")]' "$TMP/s.json")"
# Every candidate's figures are the engine's: each one's tp + fn is the 8.
[ "$(jq '[.candidates[] | .tp + .fn] | unique' -c "$TMP/s.json")" = "[8]" ] && ok || bad "tp + fn"
# The combined rule is the stem alone: nothing raises F1 above 1.
[ "$(jq -c '.patterns' "$TMP/s.json")" = '["\\bremiss\\w*"]' ] && [ "$(jq '.combined.f1' "$TMP/s.json")" = 1 ] && ok ||
    bad "combined: $(jq -c '.combined, .patterns' "$TMP/s.json")"

# Folds by document (d1, d3 | d2, d4): the stem is learnt from either half
# and holds on the other; "remiss" alone is too rare in either half (once
# in d2 and d4, twice in d1 and d3: G² below 3.84) to be proposed from it,
# so it finds nothing held out.
"$KODBOK" suggest remisshantering --gold anna --folds 2 --format json >"$TMP/f.json" 2>/dev/null || bad "--folds"
[ "$(jq -c '.candidates[0] | [.folds_found, .held_out.tp, .held_out.fp, .held_out.fn]' "$TMP/f.json")" = '[2,8,0,0]' ] && ok ||
    bad "stem held out: $(jq -c '.candidates[0]' "$TMP/f.json")"
[ "$(jq -c '.candidates[] | select(.pattern == "\\bremiss\\b") | [.folds_found, .held_out.tp, .held_out.fn]' "$TMP/f.json")" = '[0,0,8]' ] && ok ||
    bad "word held out: $(jq -c '.candidates[] | select(.pattern == "\\bremiss\\b")' "$TMP/f.json")"
[ "$(jq -c '.combined.held_out | [.tp, .fp, .fn]' "$TMP/f.json")" = '[8,0,0]' ] && ok || bad "combined held out: $(jq -c '.combined' "$TMP/f.json")"
"$KODBOK" suggest remisshantering --gold anna --folds 2 2>/dev/null | grep -q 'on the fold held out: *1.00  1.00  1.00' && ok || bad "text with folds"

# The snippet pasted under the concept codes what the coder coded: eval's
# F1 for the concept is 1.
"$KODBOK" suggest remisshantering --gold anna --format yaml >"$TMP/snippet.yaml" 2>/dev/null || bad "--format yaml"
grep -q "^  - '\\\\bremiss\\\\w\*'$" "$TMP/snippet.yaml" && ok || bad "snippet: $(cat "$TMP/snippet.yaml")"
{
    sed -n '1,7p' "$TMP/cb.yaml"
    sed 's/^/        /' "$TMP/snippet.yaml"
    sed -n '9,$p' "$TMP/cb.yaml"
} >"$TMP/cb2.yaml"
"$KODBOK" codebook check "$TMP/cb2.yaml" >/dev/null 2>&1 || bad "the pasted snippet is no codebook: $(cat "$TMP/cb2.yaml")"
"$KODBOK" code -q "$TMP/cb2.yaml" >/dev/null || bad "code with the snippet"
"$KODBOK" eval --gold anna --format json 2>/dev/null >"$TMP/e.json" || bad "eval"
[ "$(jq -c '.concepts[] | select(.concept == "remisshantering") | [.tp, .fp, .fn]' "$TMP/e.json")" = '[8,0,0]' ] && ok ||
    bad "eval after pasting: $(jq -c '.concepts' "$TMP/e.json")"

# Errors: one line each, the project unchanged.
before=$(fingerprint)
expect_fail 2 "no concept 'remisshantring' .*did you mean 'remisshantering'" "$KODBOK" suggest remisshantring --gold anna
expect_fail 2 "no coder 'ana' in the project \(did you mean 'anna'\?\)" "$KODBOK" suggest remisshantering --gold ana
expect_fail 2 "no coder 'zed' in the project \(coders: anna, bo\)" "$KODBOK" suggest remisshantering --gold zed
expect_fail 2 "coder 'bo' has no codings of concept 'remisshantering'" "$KODBOK" suggest remisshantering --gold bo
expect_fail 1 "5 folds need as many documents" "$KODBOK" suggest remisshantering --gold anna --folds 5
expect_fail 1 "--folds wants 2 or more" "$KODBOK" suggest remisshantering --gold anna --folds 1
expect_fail 1 "--gold CODER" "$KODBOK" suggest remisshantering
expect_fail 1 "which concept" "$KODBOK" suggest --gold anna
expect_fail 1 "unknown format 'csv'" "$KODBOK" suggest remisshantering --gold anna --format csv
[ "$(fingerprint)" = "$before" ] && ok || bad "a failed suggest changed the project"
finish
