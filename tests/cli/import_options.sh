#!/usr/bin/env bash
# A document keeps the rules it was read with: its next import uses them
# unless others are given; an unchanged file given other rules, or
# --reread, becomes a new version with the same text; a version that loses
# most of its turns or speakers warns (one line naming both rules); manual
# codings follow every new version. Uses the trial transcripts
# (tests/cli/data/trial).
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/trial"
export KODBOK_CODER=anna
TALARE='(?<name>Talare \d+)'

"$KODBOK" init >/dev/null || bad "init"
cp "$D/ip4.txt" "$TMP/ip4.txt"
"$KODBOK" import --speaker "$TALARE" "$TMP/ip4.txt" >"$TMP/out" 2>"$TMP/err" || bad "import"
grep -q '^ip4 .* new v1: 2 speakers, 10 turns' "$TMP/out" && ok || bad "v1: $(cat "$TMP/out")"
"$KODBOK" docs --format json | jq -e --arg r "$TALARE" '.documents[0].speaker_rule == $r and
    .documents[0].interviewers == null' >/dev/null && ok || bad "the rule is not stored"

# A small codebook, a run, and tags on the text to see them carried along.
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Försök
defaults: { scope: sentence, speakers: all, caseless: true }
dimensions:
  - id: samverkan
    label: Samverkan
    themes:
      - id: forum
        label: Forum
        concepts:
          - id: ledningsgrupp
            label: Ledningsgrupp
            patterns: ['\bledningsgrupp\w*']
          - id: rutin
            label: Rutin
            patterns: ['\brutin\w*']
YAML
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
"$KODBOK" tag ip4 ledningsgrupp --quote "Den träffas en gång i månaden." >/dev/null || bad "tag 1"
"$KODBOK" tag ip4 rutin --quote "Ja, vi har en gemensam rutin nu." --memo "länet" >/dev/null || bad "tag 2"
tags() { "$KODBOK" tags --format json | jq -c '[.tags[] | [.code, .start, .end, .placed, .version]]'; }

# The issue's case: the file is edited and imported again without options.
sed -i 's/sjuttio medarbetare/åttio medarbetare/' "$TMP/ip4.txt"
"$KODBOK" import "$TMP/ip4.txt" >"$TMP/out" 2>"$TMP/err" || bad "re-import"
grep -q '^ip4 .* changed v2: 2 speakers, 10 turns' "$TMP/out" && ok || bad "v2 lost its rule: $(cat "$TMP/out")"
# Its only warning: no interviewer among Talare 1 and Talare 2.
[ "$(cat "$TMP/err")" = "kodbok: warning: ip4 v2: no interviewer among its speakers (Talare 1, Talare 2); name one with --interviewer or an 'interviewer' column in the cases file" ] &&
    ok || bad "v2 warned: $(cat "$TMP/err")"
[ "$(tags | jq -c '[.[] | .[3:5]]')" = '[[true,2],[true,2]]' ] && ok || bad "tags not on v2: $(tags)"
# The same file, with the same rule given or none: unchanged.
"$KODBOK" import "$TMP/ip4.txt" | grep -q '^ip4 .* unchanged (v2)' && ok || bad "not unchanged"
"$KODBOK" import --speaker "$TALARE" "$TMP/ip4.txt" | grep -q 'unchanged (v2)' && ok || bad "same rule: not unchanged"

# A review decision too (on the quote of 'rutin').
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null && printf 'a\nq\n' | "$KODBOK" review --concept rutin --coder bo >"$TMP/out" 2>&1 || bad "review: $(cat "$TMP/out")"
[ "$(tags | jq length)" = 3 ] && ok || bad "test setup: no decision: $(tags)"
# --reread: a new version, the same text and segments, every tag and
# decision kept where it was.
before=$(tags | jq -c '[.[] | .[0:3]]')
"$KODBOK" import --reread "$TMP/ip4.txt" >"$TMP/out" 2>"$TMP/err" || bad "reread"
grep -q '^ip4 .* re-read v3 (same text): 2 speakers, 10 turns' "$TMP/out" && ok || bad "reread: $(cat "$TMP/out")"
grep -q '^imported 1 file: 0 new, 0 changed, 1 re-read, 0 unchanged; 10 turns$' "$TMP/out" && ok || bad "summary: $(cat "$TMP/out")"
[ "$(tags | jq -c '[.[] | .[0:3]]')" = "$before" ] && [ "$(tags | jq -c '[.[] | .[3:5]]')" = '[[true,3],[true,3],[true,3]]' ] &&
    ok || bad "reread moved tags: $(tags)"
[ "$("$KODBOK" show ip4 --version 2 --raw | sha256sum)" = "$("$KODBOK" show ip4 --raw | sha256sum)" ] && ok || bad "the text changed"

# Other rules on the unchanged file: re-read, and a loss of most turns warns
# in one line naming the rule used and the one before.
"$KODBOK" import --speaker '' "$TMP/ip4.txt" >"$TMP/out" 2>"$TMP/err" || bad "built-in rules"
grep -q '^ip4 .* re-read v4 (same text): 0 speakers, 0 turns' "$TMP/out" && ok || bad "v4: $(cat "$TMP/out")"
[ "$(wc -l <"$TMP/err")" = 1 ] &&
    grep -qF "kodbok: warning: ip4 v4 has 0 turns and 0 speakers, v3 had 10 and 2; v4 was read with the built-in speaker labels, v3 with --speaker '$TALARE'" "$TMP/err" &&
    ok || bad "loss warning: $(cat "$TMP/err")"
[ "$(tags | jq -c '[.[] | .[0:4]]')" = "$(echo "$before" | jq -c '[.[] | . + [true]]')" ] && ok || bad "tags lost on v4: $(tags)"
"$KODBOK" docs --format json | jq -e '.documents[0].speaker_rule == null' >/dev/null && ok || bad "'' did not store the built-in rule"
# The rule given last stays: the next import reads it alike.
"$KODBOK" import "$TMP/ip4.txt" | grep -q 'unchanged (v4)' && ok || bad "v4's rule not kept"
# And back: the speakers return, and the next code finds the quotes again.
"$KODBOK" import --speaker "$TALARE" "$TMP/ip4.txt" 2>"$TMP/err" | grep -q 're-read v5 (same text): 2 speakers, 10 turns' &&
    ! grep -q 'turns and' "$TMP/err" && ok || bad "v5: $(cat "$TMP/err")"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code v5"
"$KODBOK" show ip4 --format json | jq -e '[.segments[] | select(.speaker == "Talare 2")] | length == 5' >/dev/null &&
    ok || bad "v5 turns"

# Other interviewer labels on an unchanged file: re-read; the same: unchanged.
"$KODBOK" import --interviewer 'Talare 1' "$TMP/ip4.txt" >"$TMP/out" || bad "interviewer"
grep -q 're-read v6' "$TMP/out" && grep -q 'interviewer: Talare 1 (5 turns); respondent: Talare 2 (5 turns)' "$TMP/out" &&
    ok || bad "interviewer re-read: $(cat "$TMP/out")"
"$KODBOK" import --interviewer 'Talare 1' "$TMP/ip4.txt" | grep -q 'unchanged (v6)' && ok || bad "same interviewers"
"$KODBOK" docs --format json | jq -e '.documents[0] | .interviewers == "Talare 1" and .version == 6' >/dev/null &&
    ok || bad "interviewers not stored"

# A bad pattern stores nothing.
before=$(fingerprint)
expect_fail 1 "invalid regex" "$KODBOK" import --speaker '(' "$TMP/ip4.txt"
[ "$(fingerprint)" = "$before" ] && ok || bad "a bad pattern changed the project"
finish
