#!/usr/bin/env bash
# What a coding run cannot find: a pattern that YAML's double quotes turned
# into a control character is refused by `codebook check` and by `code`
# alike; `code` names the concepts that match nothing in any document
# (counting every alive coding, not only what the run matched again), and
# `--strict` fails on them and stores nothing; `code` names the documents
# without turns of the speakers a concept is limited to.
source "$(dirname "$0")/lib/common.bash"
D="$TMP/docs"
mkdir -p "$D"
cat >"$D/ip01.txt" <<'TXT'
I: Hur ser samverkan ut mellan er och kommunen?

R: Ärligt talat är det ofta vi och dom. Vårdcentralen vet inte vad hemtjänsten gör.

I: Har det blivit bättre?

R: Lite grann. Vi har fått en gemensam rutin för utskrivningar nu.
TXT
cat >"$D/ip02.txt" <<'TXT'
I: Vad tänker du om ledningen?

R: Ledningen är långt borta. Det blir lätt vi och dom mellan förvaltningarna.
TXT
# Minnesanteckningar: no speaker labels, so no respondent turns.
cat >"$D/anteckning.txt" <<'TXT'
Minnesanteckningar från arbetsplatsträffen. Vi och dom nämndes flera gånger, och rutinen för utskrivningar diskuterades.
TXT
"$KODBOK" init >/dev/null
"$KODBOK" import -q "$D"/*.txt >/dev/null 2>&1 || bad "import"

# --- a control character in a pattern ------------------------------------
cat >"$TMP/dq.yaml" <<'YAML'
kodbok: 1
name: Dubbla citattecken
themes:
  - id: relationer
    concepts:
      - id: vi-och-dom
        patterns: ["\bvi och dom\b"]
YAML
want="kodbok: $TMP/dq.yaml:7:21: pattern of concept 'vi-och-dom' has a backspace (U+0008), which no text contains: in double quotes YAML reads \"\\b\" as that character; write the pattern in single quotes: '\\bvi och dom\\b'"
expect_fail 2 "dq.yaml:7:21: pattern of concept 'vi-och-dom' has a backspace" "$KODBOK" codebook check "$TMP/dq.yaml"
[ "$(cat "$TMP/err")" = "$want" ] && ok || bad "check said: $(cat "$TMP/err")"
expect_fail 2 "dq.yaml:7:21: pattern of concept 'vi-och-dom' has a backspace" "$KODBOK" code "$TMP/dq.yaml"
[ "$(cat "$TMP/err")" = "$want" ] && ok || bad "code said: $(cat "$TMP/err")"
[ "$("$KODBOK" runs --format json | jq '.runs | length')" = 0 ] && ok || bad "a refused codebook made a run"
# The same pattern in single quotes is fine.
sed "s/\"\\\\bvi och dom\\\\b\"/'\\\\bvi och dom\\\\b'/" "$TMP/dq.yaml" >"$TMP/sq.yaml"
grep -q "'\\\\bvi och dom\\\\b'" "$TMP/sq.yaml" || bad "test setup: sed changed nothing"
"$KODBOK" codebook check "$TMP/sq.yaml" >/dev/null 2>"$TMP/err" && ok || bad "single quotes refused: $(cat "$TMP/err")"
# Tab and newline stay allowed; any other C0 control is refused.
printf 'kodbok: 1\nname: T\nthemes:\n  - id: t\n    concepts:\n      - id: c\n        patterns: ["vi\\toch"]\n' >"$TMP/tab.yaml"
"$KODBOK" codebook check "$TMP/tab.yaml" >/dev/null 2>&1 && ok || bad "a tab was refused"
for esc in 'a:a bell .U\+0007.' 'e:an escape .U\+001B.' 'r:a carriage return .U\+000D.' 'x01:a control character .U\+0001.'; do
    printf 'kodbok: 1\nname: T\nthemes:\n  - id: t\n    concepts:\n      - id: c\n        patterns: ["vi \\%s och"]\n' "${esc%%:*}" >"$TMP/esc.yaml"
    expect_fail 2 "esc.yaml:7:24: pattern of concept 'c' has ${esc#*:}" "$KODBOK" codebook check "$TMP/esc.yaml"
done

# --- concepts that match nothing ------------------------------------------
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Relationer
themes:
  - id: relationer
    label: Relationer
    concepts:
      - id: vi-och-dom
        label: Vi och dom
        patterns: ['\bvi och dom\b']
      - id: rutin
        label: Rutiner
        patterns: ['\brutin\w*']
      - id: avtal
        label: Avtal
        patterns: ['\bavtal\w*']
      - id: handpalagt
        label: Bara manuell kodning
YAML
"$KODBOK" code "$TMP/cb.yaml" >"$TMP/out" 2>"$TMP/err" && ok || bad "code: $(cat "$TMP/err")"
grep -qx "kodbok: $TMP/cb.yaml:13: warning: concept 'avtal' matches nothing in any of the 3 documents" "$TMP/err" && ok || bad "avtal not named: $(cat "$TMP/err")"
[ "$(grep -c "matches nothing" "$TMP/err")" = 1 ] && ok || bad "other concepts named: $(cat "$TMP/err")"
grep -q "; 1 concept matches nothing (see above)$" "$TMP/out" && ok || bad "summary: $(head -1 "$TMP/out")"
# A re-run that matches nothing again still counts what earlier runs found:
# only avtal is named.
"$KODBOK" code "$TMP/cb.yaml" >"$TMP/out" 2>"$TMP/err"
grep -q "no document matched" "$TMP/out" || bad "test setup: the re-run matched again"
[ "$(grep -c "matches nothing" "$TMP/err")" = 1 ] && grep -q "'avtal'" "$TMP/err" && ok || bad "re-run: $(cat "$TMP/err")"
# An edit that kills a second concept's only pattern names it too.
sed "s/'\\\\brutin\\\\w\*'/'\\\\brutinerna\\\\b'/" "$TMP/cb.yaml" >"$TMP/cb2.yaml"
cmp -s "$TMP/cb.yaml" "$TMP/cb2.yaml" && bad "test setup: sed changed nothing"
"$KODBOK" code "$TMP/cb2.yaml" >"$TMP/out" 2>"$TMP/err"
grep -q "concept 'rutin' matches nothing" "$TMP/err" && grep -q "concept 'avtal' matches nothing" "$TMP/err" && ok || bad "rutin: $(cat "$TMP/err")"
grep -q "; 2 concepts match nothing (see above)$" "$TMP/out" && ok || bad "summary: $(head -1 "$TMP/out")"
# --strict: an error, and nothing stored.
runs=$("$KODBOK" runs --format json | jq '.runs | length')
"$KODBOK" code --strict "$TMP/cb2.yaml" >/dev/null 2>"$TMP/err"
[ $? = 2 ] && ok || bad "--strict with unmatched concepts exited 0"
[ "$(grep -c "matches nothing in any of" "$TMP/err")" = 2 ] && ok || bad "--strict did not name them: $(cat "$TMP/err")"
[ "$(tail -n 1 "$TMP/err")" = "kodbok: 2 concepts match nothing in any document, 'rutin' first (--strict)" ] && ok || bad "--strict error: $(tail -n 1 "$TMP/err")"
[ "$("$KODBOK" runs --format json | jq '.runs | length')" = "$runs" ] && ok || bad "--strict stored a run"
# With every concept matching, --strict passes.
grep -v "avtal\|Avtal" "$TMP/cb.yaml" | sed '/- id: handpalagt/,$d' >"$TMP/cb3.yaml"
"$KODBOK" code --strict "$TMP/cb3.yaml" >/dev/null 2>"$TMP/err" && ok || bad "--strict failed: $(cat "$TMP/err")"
grep -q "matches nothing" "$TMP/err" && bad "named a concept that matches: $(cat "$TMP/err")" || ok

# --- documents without the turns a concept is limited to ------------------
# anteckning has no speakers: concepts for respondents find nothing there.
grep -qx "kodbok: warning: anteckning has no respondent turns: concepts vi-och-dom, rutin (speakers: respondents) find nothing there" "$TMP/err" &&
    ok || bad "role gap not named: $(cat "$TMP/err")"
[ "$(grep -c "turns:" "$TMP/err")" = 1 ] && ok || bad "more than one role gap: $(cat "$TMP/err")"
# The warning is true: anteckning mentions "vi och dom" and has no quote.
"$KODBOK" quotes --doc anteckning --format json | jq -e 'length == 0' >/dev/null && ok || bad "anteckning has quotes"
# A concept for all speakers finds it there, and is not named.
sed "s/        patterns: \['\\\\bvi och dom\\\\b'\]/&\n        speakers: all/" "$TMP/cb3.yaml" >"$TMP/cb4.yaml"
grep -q "speakers: all" "$TMP/cb4.yaml" || bad "test setup: no speakers: all"
"$KODBOK" code "$TMP/cb4.yaml" >/dev/null 2>"$TMP/err" || bad "code cb4"
grep -qx "kodbok: warning: anteckning has no respondent turns: concept 'rutin' (speakers: respondents) finds nothing there" "$TMP/err" &&
    ok || bad "role gap with one concept: $(cat "$TMP/err")"
"$KODBOK" quotes --doc anteckning --concept vi-och-dom --format json | jq -e 'length == 1' >/dev/null && ok || bad "speakers: all found nothing in anteckning"
# Concepts for interviewers: ip01 and ip02 have interviewer turns, anteckning
# has none; documents listed in name order.
cat >>"$TMP/cb4.yaml" <<'YAML'
      - id: fraga
        patterns: ['\bhur\b', '\bvad\b']
        speakers: interviewers
YAML
"$KODBOK" code "$TMP/cb4.yaml" >/dev/null 2>"$TMP/err" || bad "code cb4 + fraga"
grep -qx "kodbok: warning: anteckning has no interviewer turns: concept 'fraga' (speakers: interviewers) finds nothing there" "$TMP/err" &&
    ok || bad "interviewer gap: $(cat "$TMP/err")"
finish
