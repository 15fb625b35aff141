#!/usr/bin/env bash
# kodbok words: word frequencies of a selection counted by hand, stop words,
# speakers, keyness against the rest and against another selection (G²
# worked out in the comments), every table format read back, the bar chart
# rendered, and the errors.
source "$(dirname "$0")/lib/common.bash"

# Respondent words of a (one turn, two sentences):
#   s1 remissen kom sent till vårdcentralen                  (5)
#   s2 kommunen väntade på remissen och kommunen ringde      (7)
# of b: s1 kommunen har fått nya pengar (2019 is no word)   (5)
#       s2 pengar och remisser                               (3)
# 20 in all. The interviewers say berätta om remissen och vårdcentralen
# (5) and mhm pengar (2).
cat >"$TMP/a.txt" <<'TXT'
I: Berätta om remissen och vårdcentralen.
R: Remissen kom sent till vårdcentralen. Kommunen väntade på remissen och kommunen ringde.
TXT
cat >"$TMP/b.txt" <<'TXT'
R: Kommunen har 2019 fått nya pengar. Pengar och remisser!
I: Mhm, pengar?
TXT
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Ord
themes:
  - id: t
    label: Tema
    concepts:
      - id: remiss
        label: Remiss
        patterns: ['\bremiss\w*']
      - id: kommun
        label: Kommun
        patterns: ['\bkommun\w*']
YAML
"$KODBOK" init >/dev/null
"$KODBOK" import -q "$TMP/a.txt" "$TMP/b.txt" >/dev/null || bad "import"

# Without a run: the whole text needs none.
"$KODBOK" words --no-stop --format json >"$TMP/w.json" 2>"$TMP/err" || bad "words before a run: $(cat "$TMP/err")"
# count WORD [FILE]: the word's count in the JSON, or "none".
count() { jq -r --arg w "$1" '[.rows[] | select(.word == $w) | .count] | if length == 0 then "none" else .[0] end' "${2:-$TMP/w.json}"; }
field() { jq -r --arg w "$1" --arg f "$2" '.rows[] | select(.word == $w) | .[$f]' "${3:-$TMP/w.json}"; }
[ "$(jq .words "$TMP/w.json")" = 20 ] && ok || bad "respondents' words: $(jq .words "$TMP/w.json"), wanted 20"
[ "$(count kommunen)" = 3 ] && [ "$(field kommunen documents)" = 2 ] && ok || bad "kommunen: $(count kommunen) in $(field kommunen documents) documents"
[ "$(count remissen)" = 2 ] && [ "$(count pengar)" = 2 ] && ok || bad "remissen $(count remissen), pengar $(count pengar)"
[ "$(count 2019)" = none ] && [ "$(count berätta)" = none ] && ok || bad "a number or an interviewer's word counted"
# Folded: "Remissen" and "remissen" are one word, "Kommunen" and "kommunen".
[ "$(jq '[.rows[].word | select(test("[A-ZÅÄÖ]"))] | length' "$TMP/w.json")" = 0 ] && ok || bad "words not folded"
# per 10,000: 3 / 20 * 10000 = 1500.
[ "$(field kommunen per_10000)" = 1500 ] && ok || bad "kommunen per 10,000: $(field kommunen per_10000)"
# Rows by count, ties by word: kommunen 3, then och, pengar, remissen 2.
[ "$(jq -r '[.rows[0:4][].word] | join(" ")' "$TMP/w.json")" = "kommunen och pengar remissen" ] && ok ||
    bad "order: $(jq -r '[.rows[0:4][].word] | join(" ")' "$TMP/w.json")"

# Stop words: och, till and på are left out but still counted in the size.
"$KODBOK" words --format json >"$TMP/s.json" || bad "words"
[ "$(count och "$TMP/s.json")" = none ] && [ "$(count till "$TMP/s.json")" = none ] &&
    [ "$(count kommunen "$TMP/s.json")" = 3 ] && [ "$(jq .words "$TMP/s.json")" = 20 ] && ok || bad "stop words: $(jq -c '[.rows[].word]' "$TMP/s.json")"
printf '# mine\nkommunen\n\npengar  # a comment\n' >"$TMP/stop.txt"
"$KODBOK" words --stop "$TMP/stop.txt" --format json >"$TMP/s.json" || bad "words --stop"
[ "$(count kommunen "$TMP/s.json")" = none ] && [ "$(count pengar "$TMP/s.json")" = none ] &&
    [ "$(count och "$TMP/s.json")" = 2 ] && ok || bad "--stop: $(jq -c '[.rows[].word]' "$TMP/s.json")"

# Speakers: everyone 27 words (remissen 3, pengar 3); interviewers 7.
"$KODBOK" words --all-speakers --no-stop --format json >"$TMP/s.json" || bad "--all-speakers"
[ "$(jq .words "$TMP/s.json")" = 27 ] && [ "$(count remissen "$TMP/s.json")" = 3 ] && [ "$(count pengar "$TMP/s.json")" = 3 ] && ok ||
    bad "--all-speakers: $(jq .words "$TMP/s.json") words"
"$KODBOK" words --role interviewer --no-stop --format json >"$TMP/s.json" || bad "--role"
[ "$(jq .words "$TMP/s.json")" = 7 ] && [ "$(count mhm "$TMP/s.json")" = 1 ] && ok || bad "--role interviewer: $(jq .words "$TMP/s.json")"
"$KODBOK" words --doc b --no-stop --format json >"$TMP/s.json" || bad "--doc"
[ "$(jq .words "$TMP/s.json")" = 8 ] && ok || bad "--doc b: $(jq .words "$TMP/s.json")"
"$KODBOK" words --no-stop --top 2 --format json >"$TMP/s.json" || bad "--top"
[ "$(jq -r '[.rows[].word] | join(" ")' "$TMP/s.json")" = "kommunen och" ] && ok || bad "--top 2"
"$KODBOK" words --no-stop --min 2 --format json >"$TMP/s.json" || bad "--min"
[ "$(jq '.rows | length' "$TMP/s.json")" = 4 ] && ok || bad "--min 2: $(jq -c '[.rows[].word]' "$TMP/s.json")"

# Cases and their attributes: a is the local case ka (12 words), b the
# regional case kb (8).
printf 'case,document,level\nka,a,lokal\nkb,b,regional\n' >"$TMP/cases.csv"
"$KODBOK" cases import "$TMP/cases.csv" >/dev/null || bad "cases import"
"$KODBOK" words --case kb --no-stop --format json >"$TMP/s.json" || bad "--case"
[ "$(jq .words "$TMP/s.json")" = 8 ] && ok || bad "--case kb: $(jq .words "$TMP/s.json")"
"$KODBOK" words --attr level=lokal --no-stop --format json >"$TMP/s.json" || bad "--attr"
[ "$(jq .words "$TMP/s.json")" = 12 ] && ok || bad "--attr level=lokal: $(jq .words "$TMP/s.json")"
"$KODBOK" words --case-attr level=lokal --vs case-attr:level=regional --no-stop --format json >"$TMP/s.json" || bad "--case-attr --vs"
[ "$(jq -c '[.words, .reference_words]' "$TMP/s.json")" = "[12,8]" ] && [ "$(field kommunen ref_count "$TMP/s.json")" = 1 ] && ok ||
    bad "--case-attr with --vs: $(jq -c '[.words, .reference_words]' "$TMP/s.json")"

"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
# A concept's quotes: a s1, a s2 and b s2 hold remiss...: 5 + 7 + 3 = 15.
"$KODBOK" words --concept remiss --no-stop --format json >"$TMP/s.json" || bad "--concept"
[ "$(jq .words "$TMP/s.json")" = 15 ] && [ "$(count kommunen "$TMP/s.json")" = 2 ] && ok || bad "--concept remiss: $(jq .words "$TMP/s.json")"
# A theme: a s2 is a quote of both concepts and is counted once; every
# respondent sentence is a quote of one of them: 20 words, kommunen 3.
"$KODBOK" words --theme t --no-stop --format json >"$TMP/s.json" || bad "--theme"
[ "$(jq .words "$TMP/s.json")" = 20 ] && [ "$(count kommunen "$TMP/s.json")" = 3 ] && ok || bad "--theme t: $(jq .words "$TMP/s.json") words, kommunen $(count kommunen "$TMP/s.json")"

# Keyness of remiss's quotes (c = 15 words) against the rest (b s1: d = 5).
# kommunen: a = 2, b = 1. E1 = 15 * 3 / 20 = 2.25, E2 = 5 * 3 / 20 = 0.75,
#   G² = 2 (2 ln(2 / 2.25) + 1 ln(1 / 0.75))
#      = 2 (2 * -0.117783036 + 0.287682072) = 0.104232002,
# under-used (2/15 < 1/5); %DIFF = 100 (2/15 - 1/5) / (1/5) = -33.3333.
# remissen: a = 2, b = 0. E1 = 1.5: G² = 2 * 2 ln(2 / 1.5) = 1.150728290.
"$KODBOK" words --concept remiss --vs rest --no-stop --format json >"$TMP/k.json" || bad "--vs rest"
[ "$(jq .reference_words "$TMP/k.json")" = 5 ] && ok || bad "rest: $(jq .reference_words "$TMP/k.json") words, wanted 5"
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 0.0001 && d > -0.0001) }'; }
near "$(field kommunen g2 "$TMP/k.json")" 0.104232 && [ "$(field kommunen use "$TMP/k.json")" = - ] &&
    near "$(field kommunen pct_diff "$TMP/k.json")" -33.3333 && ok || bad "kommunen: $(jq -c '.rows[] | select(.word == "kommunen")' "$TMP/k.json")"
near "$(field remissen g2 "$TMP/k.json")" 1.150728 && [ "$(field remissen use "$TMP/k.json")" = + ] &&
    [ "$(field remissen pct_diff "$TMP/k.json")" = null ] && ok || bad "remissen: $(jq -c '.rows[] | select(.word == "remissen")' "$TMP/k.json")"
# Sorted by G²: fått, har, nya (only in the rest, G² = 2 ln 4 = 2.7726) first.
[ "$(jq -r '.rows[0].word' "$TMP/k.json")" = fått ] && near "$(jq '.rows[0].g2' "$TMP/k.json")" 2.772589 && ok || bad "G² order: $(jq -c '.rows[0]' "$TMP/k.json")"
# Against another selection: remiss's quotes (15) against kommun's (a s2,
# b s1: 7 + 5 = 12); kommunen a = 2, b = 3.
"$KODBOK" words --concept remiss --vs concept:kommun --no-stop --format json >"$TMP/k.json" || bad "--vs concept:kommun"
[ "$(jq .reference_words "$TMP/k.json")" = 12 ] && [ "$(field kommunen ref_count "$TMP/k.json")" = 3 ] && ok ||
    bad "--vs concept:kommun: $(jq .reference_words "$TMP/k.json")"
# The interviewers against the respondents, as terms: role and all-speakers.
"$KODBOK" words --role interviewer --vs role:respondent --no-stop --format json >"$TMP/k.json" || bad "--vs role:respondent"
[ "$(jq .words "$TMP/k.json")" = 7 ] && [ "$(jq .reference_words "$TMP/k.json")" = 20 ] && ok || bad "--vs role:"

# Every table format.
"$KODBOK" words --format csv >"$TMP/w.csv" && head -1 "$TMP/w.csv" | tr -d '\r' | grep -qx 'word,count,per_10000,documents' && ok || bad "csv: $(head -1 "$TMP/w.csv")"
"$KODBOK" words --concept remiss --vs rest --format tsv >"$TMP/w.tsv" &&
    head -1 "$TMP/w.tsv" | grep -q $'^word\tcount\tper_10000\tdocuments\tref_count\tref_per_10000\tref_documents\tg2\tp\tlog_ratio\tpct_diff\tbic\tuse$' && ok || bad "tsv: $(head -1 "$TMP/w.tsv")"
"$KODBOK" words --format md --lang en >"$TMP/w.md" && head -1 "$TMP/w.md" | grep -q '^| Word *| Count' && grep -q '^| kommunen' "$TMP/w.md" && ok || bad "md: $(head -2 "$TMP/w.md")"
"$KODBOK" words --format html >"$TMP/w.html" && xmllint --noout "$TMP/w.html" 2>/dev/null && grep -q '<td>kommunen</td>' "$TMP/w.html" && ok || bad "html"
"$KODBOK" words --format xlsx -o "$TMP/w.xlsx" && unzip -p "$TMP/w.xlsx" 'xl/*.xml' | grep -q kommunen && ok || bad "xlsx"
"$KODBOK" words --format text | grep -q '^kommunen  *3 ' && ok || bad "text"

# The bar chart: valid SVG, one bar per row, rendered by rsvg-convert.
"$KODBOK" words --concept remiss --vs rest --no-stop --format svg -o "$TMP/w.svg" || bad "svg"
xmllint --noout "$TMP/w.svg" && ok || bad "svg is not XML"
"$KODBOK" words --concept remiss --vs rest --no-stop --format json >"$TMP/k.json"
[ "$(grep -c '<rect x="180"' "$TMP/w.svg")" = "$(jq '.rows | length' "$TMP/k.json")" ] && grep -q '>kommunen<' "$TMP/w.svg" && ok || bad "bars"
if command -v rsvg-convert >/dev/null; then
    rsvg-convert -o "$TMP/w.png" "$TMP/w.svg" && [ -s "$TMP/w.png" ] && ok || bad "rsvg-convert"
fi

# Errors: one line, the exit code, the project as it was.
before=$(fingerprint)
expect_fail 1 "unknown format 'pdf'" "$KODBOK" words --format pdf
expect_fail 1 "unknown term 'tema'" "$KODBOK" words --vs tema:t
expect_fail 1 "not KEY:VALUE" "$KODBOK" words --vs regional
expect_fail 1 "unknown role 'patient'" "$KODBOK" words --role patient
expect_fail 1 "exclude each other" "$KODBOK" words --stop "$TMP/stop.txt" --no-stop
expect_fail 1 "--top wants" "$KODBOK" words --top 0
expect_fail 2 "nosuch" "$KODBOK" words --stop "$TMP/nosuch.txt"
printf 'och\ntvå ord\n' >"$TMP/bad.txt"
expect_fail 2 "bad.txt:2:1: one stop word a line" "$KODBOK" words --stop "$TMP/bad.txt"
expect_fail 2 "no document 'c'" "$KODBOK" words --doc c
expect_fail 2 "concept" "$KODBOK" words --concept nosuch
[ "$(fingerprint)" = "$before" ] && ok || bad "a failed words changed the project"

# An abbreviation's colon ending (VVG:s, KoK:en) is the abbreviation's, not
# a word of its own; a colon between words is not an ending.
export KODBOK_PROJECT="$TMP/colon.db"
printf 'R: VVG:s roll och KoK:en. VVG ska lösa det: en fråga.\n' >"$TMP/c.txt"
"$KODBOK" init >/dev/null && "$KODBOK" import -q "$TMP/c.txt" >/dev/null || bad "import c"
"$KODBOK" words --no-stop --format json >"$TMP/c.json" || bad "words c"
[ "$(count vvg "$TMP/c.json")" = 2 ] && [ "$(count kok "$TMP/c.json")" = 1 ] &&
    [ "$(count s "$TMP/c.json")" = none ] && [ "$(count en "$TMP/c.json")" = 1 ] &&
    [ "$(jq .words "$TMP/c.json")" = 10 ] && ok ||
    bad "colon endings: $(jq -c '[.words, [.rows[] | [.word, .count]]]' "$TMP/c.json")"
finish
