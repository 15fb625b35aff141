#!/usr/bin/env bash
# Issue 19, defect 10: a long `code` does not keep others from writing. A
# run matches in a read transaction and takes the write lock only to store
# what it found. The test knob KODBOK_TEST_PAUSE=FILE holds a run in its
# matching pass (after its snapshot) while FILE exists, so that the test
# needs no timing: while a re-run waits there, a `tag` (on a concept the
# run renames), a review decision and an `import` of a new document all
# succeed, within the busy timeout they would have waited out before; then
# the run ends, complete: the tag renamed with its concept, the decision
# kept, the new document coded, and every quote as in a project that did
# the same one after the other. A run stored while another matches makes
# the other match again under the lock (it says so), and it lands whole.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
export KODBOK_CODER=anna

# The re-run's codebook: a concept renamed (`was:`), another one's
# patterns changed, so that the run has something to match.
sed -e 's/^\(          \)- id: helheten-viktig$/\1- id: helheten-viktigast\n\1  was: helheten-viktig/' \
    -e "s/'\\\\bbortglömda\\\\b'\]/'\\\\bbortglömda\\\\b', '\\\\bi kläm\\\\b']/" "$CB" >"$TMP/cb2.yaml"
grep -q "was: helheten-viktig" "$TMP/cb2.yaml" && grep -q 'i kläm' "$TMP/cb2.yaml" && ok || bad "cb2.yaml not made"
# A third, with a concept's patterns changed otherwise.
sed -e "s/'\\\\bglapp\\\\w\*'/'\\\\bglapp\\\\w*', '\\\\bluck\\\\w*'/" "$CB" >"$TMP/cb3.yaml"
grep -q 'luck' "$TMP/cb3.yaml" && ok || bad "cb3.yaml not made"

cat >"$TMP/ip99.txt" <<'EOF'
I: Hur ser samverkan ut hos er?
R: Vi försöker hålla en röd tråd från regionen ner till vårdcentralerna. Men de små kommunerna hamnar ofta i kläm när sjukhusområdet och kommunalförbundet har olika gränser.
I: Vad betyder det för patienterna?
R: Det blir ett glapp vid utskrivningen, och ingen vet riktigt vem som har mandat att lösa det.
EOF

# setup PROJECT: the corpus imported, coded, a first review decision
setup() {
    "$KODBOK" -p "$1" init >/dev/null &&
        "$KODBOK" -p "$1" import -q --attrs "$C/cases.csv" "$C"/ip0*.txt >/dev/null 2>&1 &&
        "$KODBOK" -p "$1" code -q "$CB" >/dev/null
}
# the writes made while the run matches (and, in the reference, before it)
TAG=(tag ip01 helheten-viktig --span 100:160)
writes() {
    "$KODBOK" -p "$1" "${TAG[@]}" >/dev/null &&
        echo a | "$KODBOK" -p "$1" review --concept vvg-roll-oklar >/dev/null &&
        "$KODBOK" -p "$1" import -q "$TMP/ip99.txt" >/dev/null 2>&1
}
# state PROJECT: what a run leaves, to compare
state() {
    {
        "$KODBOK" -p "$1" quotes --format json
        "$KODBOK" -p "$1" tags --format json | jq -c '[.tags[] | del(.created_at, .id)]'
        "$KODBOK" -p "$1" runs --format json | jq -c '[.runs[] | del(.started_at, .seconds)]'
    } 2>&1
}

# --- the reference: the same, one after the other ----------------------------
REF="$TMP/ref.db"
setup "$REF" || bad "reference setup"
writes "$REF" || bad "reference writes"
"$KODBOK" -p "$REF" code -q "$TMP/cb2.yaml" >/dev/null || bad "reference re-run"

# --- the writes while the run matches -----------------------------------------
P="$TMP/p.db"
setup "$P" || bad "setup"
# wait_paused FILE: until the run holding on FILE has made FILE.paused
wait_paused() {
    for _ in $(seq 600); do
        [ -e "$1.paused" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}
touch "$TMP/pause"
KODBOK_TEST_PAUSE="$TMP/pause" "$KODBOK" -p "$P" code "$TMP/cb2.yaml" >"$TMP/run.out" 2>"$TMP/run.err" &
RUN=$!
if wait_paused "$TMP/pause" $RUN; then
    ok
    # Each write would wait for the run's write lock and fail after 5 s.
    "$KODBOK" -p "$P" "${TAG[@]}" >/dev/null 2>"$TMP/err" && ok || bad "tag during a run: $(cat "$TMP/err")"
    echo a | "$KODBOK" -p "$P" review --concept vvg-roll-oklar >"$TMP/review" 2>"$TMP/err" &&
        grep -q "1 accepted" "$TMP/review" && ok || bad "review during a run: $(cat "$TMP/review" "$TMP/err")"
    "$KODBOK" -p "$P" import -q "$TMP/ip99.txt" >/dev/null 2>"$TMP/err" && ok || bad "import during a run: $(cat "$TMP/err")"
    # reads too
    "$KODBOK" -p "$P" quotes --doc ip01 >/dev/null 2>"$TMP/err" && ok || bad "quotes during a run: $(cat "$TMP/err")"
else
    bad "the run did not pause: $(cat "$TMP/run.err")"
fi
rm -f "$TMP/pause"
wait $RUN
rc=$?
[ $rc -eq 0 ] && ok || bad "the run failed ($rc): $(cat "$TMP/run.err")"
! grep -q "matched again" "$TMP/run.err" && ok || bad "the run matched again: $(cat "$TMP/run.err")"
grep -q "ip99" "$TMP/run.out" && ok || bad "the run does not name the new document: $(cat "$TMP/run.out")"

# The tag, on the old id when it was made, moved with its concept.
"$KODBOK" -p "$P" tags --format json |
    jq -e '[.tags[] | select(.document == "ip01" and .start == 100 and .end == 160)] |
        length == 1 and .[0].code == "helheten-viktigast"' >/dev/null && ok ||
    bad "the tag made during the run: $("$KODBOK" -p "$P" tags)"
# The new document, imported during the run, is coded by it.
"$KODBOK" -p "$P" quotes --doc ip99 --format json | jq -e '[.[] | .concept] |
    index("helheten-viktigast") != null and index("kommuner-i-klam") != null' >/dev/null && ok ||
    bad "ip99 not coded: $("$KODBOK" -p "$P" quotes --doc ip99)"
# Everything as in the project that did the same one after the other.
state "$REF" >"$TMP/want"
state "$P" >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" && ok || bad "the run differs from the reference: $(diff "$TMP/want" "$TMP/got" | head -5)"
"$KBSQL" "$P" "PRAGMA integrity_check" | grep -qx ok && ok || bad "integrity"

# --- a run stored while another matches ----------------------------------------
# The waiting run's matches belong to the run before: it matches again,
# under the lock, says so, and lands whole after the other.
touch "$TMP/pause2"
KODBOK_TEST_PAUSE="$TMP/pause2" "$KODBOK" -p "$P" code "$TMP/cb3.yaml" >"$TMP/run2.out" 2>"$TMP/run2.err" &
RUN=$!
if wait_paused "$TMP/pause2" $RUN; then
    "$KODBOK" -p "$P" code -q "$CB" >/dev/null 2>"$TMP/err" && ok || bad "a run during a run: $(cat "$TMP/err")"
else
    bad "the second run did not pause: $(cat "$TMP/run2.err")"
fi
rm -f "$TMP/pause2"
wait $RUN
rc=$?
[ $rc -eq 0 ] && ok || bad "the waiting run failed ($rc): $(cat "$TMP/run2.err")"
grep -q "matched again" "$TMP/run2.err" && ok || bad "no notice of matching again: $(cat "$TMP/run2.err")"
# Its quotes are those of a run of cb3 after one of the original codebook.
"$KODBOK" -p "$REF" code -q "$CB" >/dev/null && "$KODBOK" -p "$REF" code -q "$TMP/cb3.yaml" >/dev/null || bad "reference runs"
state "$REF" >"$TMP/want"
state "$P" >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" && ok || bad "the waiting run differs from the reference: $(diff "$TMP/want" "$TMP/got" | head -5)"
"$KBSQL" "$P" "PRAGMA integrity_check" | grep -qx ok && ok || bad "integrity"

finish
