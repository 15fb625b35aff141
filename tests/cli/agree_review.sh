#!/usr/bin/env bash
# kodbok agree keeps review decisions apart from independent tags: the
# pooled figures (tags and accepted quotes as present, the keys agree has
# always had), the same units over tags only (`tags`), and the decisions on
# the same automatic quotes (`review`: a row per quote, 1 accept, 0
# reject). Every figure is hand-computed from the 2x2 tables (a both, b the
# first only, c the second only, d neither) as in agree.sh:
# P_o = (a + d) / N, kappa = 2(ad - bc) / ((a + b)(b + d) + (a + c)(c + d)),
# alpha = 1 - (n - 1)(b + c) / (n0 n1), n = 2N, n1 = 2a + b + c.
source "$(dirname "$0")/lib/common.bash"

cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Alfa
themes:
  - id: t1
    label: Tema
    concepts:
      - id: k1
        label: Alfa
        patterns: ['\balfa\b']
YAML
# Ten respondent sentences r0..r9; the run codes k1 in r0..r5 (alfa).
cat >"$TMP/a.txt" <<'TXT'
R: Första meningen nämner alfa. Andra meningen nämner också alfa. Tredje meningen har alfa. Fjärde meningen har alfa. Femte meningen har alfa. Sjätte meningen har alfa. Sjunde meningen handlar om annat. Åttonde meningen är tom. Nionde meningen. Tionde meningen.
TXT
# Each coder reviews in a project of their own (a walk leaves out quotes
# another coder rejected), and bo's tags file is merged into anna's.
for proj in "$TMP/p.db" "$TMP/bo.db"; do
    KODBOK_PROJECT=$proj "$KODBOK" init >/dev/null
    KODBOK_PROJECT=$proj "$KODBOK" import -q "$TMP/a.txt" >/dev/null || bad "import"
    KODBOK_PROJECT=$proj "$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
done
[ "$("$KODBOK" quotes --source auto --format json | jq length)" = 6 ] || bad "test setup: the run does not code r0..r5"

# Review: anna accepts q0..q3 and rejects q4, q5; bo accepts q0..q4 and
# rejects q5.
printf 'a\na\na\na\nr\nr\n' | "$KODBOK" review --coder anna >/dev/null || bad "anna's review"
printf 'a\na\na\na\na\nr\n' | KODBOK_PROJECT="$TMP/bo.db" "$KODBOK" review --coder bo >/dev/null || bad "bo's review"
KODBOK_PROJECT="$TMP/bo.db" "$KODBOK" tags export -o "$TMP/bo.tsv" >/dev/null || bad "bo's export"
"$KODBOK" tags import "$TMP/bo.tsv" >/dev/null || bad "merging bo's decisions"
[ "$("$KODBOK" tags --format json | jq '[.tags[] | select(.decision != "tag")] | length')" = 12 ] || bad "test setup: not 12 decisions"
# Tags of their own: anna r6, r7; bo r6, r8 (sentence N is rN).
for t in anna:6 anna:7 bo:6 bo:8; do
    "$KODBOK" tag a k1 --segment "sentence:${t#*:}" --coder "${t%%:*}" >/dev/null || bad "tag $t"
done

"$KODBOK" agree --coders anna,bo --format json >"$TMP/json" 2>"$TMP/err" || bad "agree: $(cat "$TMP/err")"
near() { # JQ-EXPR WANT
    jq -e --argjson w "$2" "($1) as \$v | (\$v - \$w) | fabs < 1e-6" "$TMP/json" >/dev/null && ok ||
        bad "$1 = $(jq "$1" "$TMP/json"), want $2"
}
# Together (the keys agree always had): anna present r0..r3, r6, r7; bo
# r0..r4, r6, r8: a = 5, b = 1 (r7), c = 2 (r4, r8), d = 2 (r5, r9), N = 10.
# P_o = 7/10; kappa = 2(10 - 2) / (6*3 + 7*4) = 16/46; n1 = 13, n0 = 7:
# alpha = 1 - 19*3/91 = 34/91; positive 10/13; present 8.
jq -e '.codes[0] | .concept == "k1" and .units == 10 and .pairable == 10 and .present == 8' "$TMP/json" >/dev/null && ok || bad "together: $(jq -c '.codes[0]' "$TMP/json")"
near '.codes[0].agreement' 0.7
near '.codes[0].kappa' "$(jq -n '16/46')"
near '.codes[0].alpha' "$(jq -n '34/91')"
near '.codes[0].positive' "$(jq -n '10/13')"
# Tags only: anna r6, r7; bo r6, r8: a = 1, b = 1, c = 1, d = 7.
# P_o = 8/10; kappa = 2(7 - 1) / (2*8 + 2*8) = 12/32; n1 = 4, n0 = 16:
# alpha = 1 - 19*2/64 = 26/64; positive 2/4; present 3.
jq -e '.codes[0].tags | .units == 10 and .pairable == 10 and .present == 3' "$TMP/json" >/dev/null && ok || bad "tags: $(jq -c '.codes[0].tags' "$TMP/json")"
near '.codes[0].tags.agreement' 0.8
near '.codes[0].tags.kappa' "$(jq -n '12/32')"
near '.codes[0].tags.alpha' "$(jq -n '26/64')"
near '.codes[0].tags.positive' 0.5
# Review: six quotes both decided on: a = 4 (q0..q3 accepted by both),
# b = 0, c = 1 (q4), d = 1 (q5). P_o = 5/6; kappa = 2(4 - 0) / (4*1 + 5*2)
# = 8/14; n = 12, n1 = 9, n0 = 3: alpha = 1 - 11*1/27 = 16/27; 5 quotes
# accepted by someone.
jq -e '.codes[0].review | .quotes == 6 and .pairable == 6 and .accepted == 5' "$TMP/json" >/dev/null && ok || bad "review: $(jq -c '.codes[0].review' "$TMP/json")"
near '.codes[0].review.agreement' "$(jq -n '5/6')"
near '.codes[0].review.kappa' "$(jq -n '8/14')"
near '.codes[0].review.alpha' "$(jq -n '16/27')"
# One code: overall is the same in each kind.
near '.overall.kappa' "$(jq -n '16/46')"
near '.overall.tags.kappa' "$(jq -n '12/32')"
near '.overall.review.kappa' "$(jq -n '8/14')"
jq -e '.overall.review.quotes == 6 and .overall.tags.present == 3 and .overall.present == 8' "$TMP/json" >/dev/null && ok || bad "overall counts: $(jq -c .overall "$TMP/json")"

# The text says the figures pool decisions, and gives both apart.
"$KODBOK" agree --coders anna,bo >"$TMP/text" 2>/dev/null || bad "agree text"
grep -q "^tags and accepted quotes together (an accepted quote is a decision on a machine" "$TMP/text" && ok || bad "no note: $(cat "$TMP/text")"
grep -q "^tags only" "$TMP/text" && grep -q "^review decisions on the same automatic quotes" "$TMP/text" && ok || bad "sections: $(cat "$TMP/text")"
grep -qE "^k1 +10 +10 +8 +0\.700 +0\.348 +0\.374 +0\.769$" "$TMP/text" && ok || bad "together row: $(cat "$TMP/text")"
grep -qE "^k1 +10 +10 +3 +0\.800 +0\.375 +0\.406 +0\.500$" "$TMP/text" && ok || bad "tags row: $(cat "$TMP/text")"
grep -qE "^k1 +6 +6 +5 +0\.833 +0\.571 +0\.593$" "$TMP/text" && ok || bad "review row: $(cat "$TMP/text")"

# Without review decisions the text is the one table it always was.
for id in $("$KODBOK" tags --format json | jq '.tags[] | select(.decision != "tag") | .id'); do
    "$KODBOK" untag --id "$id" >/dev/null || bad "untag $id"
done
"$KODBOK" agree --coders anna,bo >"$TMP/text" 2>/dev/null
! grep -q "^tags only" "$TMP/text" && grep -qE "^k1 +10 +10 +3 +0\.800 +0\.375" "$TMP/text" && ok || bad "no decisions: $(cat "$TMP/text")"
"$KODBOK" agree --coders anna,bo --format json 2>/dev/null | jq -e '.codes[0] | .review.quotes == 0 and .review.kappa == null and .kappa == .tags.kappa' >/dev/null &&
    ok || bad "no decisions, json"
finish
