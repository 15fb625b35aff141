#!/usr/bin/env bash
# WebVTT, SRT and HTML transcripts through `kodbok import`: the same
# conversation as text (data/subtitles/samtal.txt), as WebVTT with voice
# tags and a turn split over two cues, as SRT with labels and a cue without
# one, and as an HTML page with bold labels, a script, a style and a hidden
# paragraph gives the same turns, paragraphs and sentences, with the same
# speakers and times; the format is picked by content and kept with the
# version; --format overrides it; a malformed cue is one line naming the
# file, line and column, with nothing stored.
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/subtitles"
"$KODBOK" init >/dev/null

"$KODBOK" import "$D/samtal.txt" --name txt >/dev/null 2>&1 || bad "txt"
for f in vtt srt html; do
    "$KODBOK" import "$D/samtal.$f" --name $f >"$TMP/out" 2>&1 || bad "$f: $(cat "$TMP/out")"
    grep -q "^$f .* new v1: 2 speakers, 4 turns, .* ($f)\$" "$TMP/out" && ok || bad "$f line: $(cat "$TMP/out")"
    for kind in turn paragraph sentence; do
        a=$("$KODBOK" show txt --segments $kind --format json | jq -c '[.segments[] | {speaker, role, text, time}]')
        b=$("$KODBOK" show $f --segments $kind --format json | jq -c '[.segments[] | {speaker, role, text, time}]')
        [ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "$f: other ${kind}s than the text file: $b"
    done
    [ "$("$KODBOK" docs --format json | jq -r ".documents[] | select(.name == \"$f\") | .format")" = "$f" ] &&
        ok || bad "$f: the version does not keep its format"
done
"$KODBOK" show html --raw | grep -q "Dold\|var x\|color" && bad "hidden, script or style text stored" || ok
# the text table says what each version was read as
"$KODBOK" docs >"$TMP/docs.txt"
for f in vtt srt html; do
    grep -Eq "^$f +1 .* $f +\$" "$TMP/docs.txt" && ok || bad "docs: $f not read as $f: $(cat "$TMP/docs.txt")"
done
grep -Eq "^txt +1 .* utf-8 +\$" "$TMP/docs.txt" && ok || bad "docs: txt not utf-8"

# --format reads the WebVTT file as plain text: its cue lines are text then
"$KODBOK" import "$D/samtal.vtt" --name som-text --format text >/dev/null 2>&1 || bad "--format text"
"$KODBOK" show som-text --raw | grep -q -- '-->' && ok || bad "--format text did not read the cues as text"

# a malformed cue time: one line with file:line:column, nothing stored
printf 'WEBVTT\n\n00:00:01.000 --> 00:0x:03.500\n<v Anna>Hej.\n' >"$TMP/fel.vtt"
before=$("$KODBOK" docs --format json | jq '.documents | length')
expect_fail 2 "^kodbok: $TMP/fel.vtt:3:[0-9]+: " "$KODBOK" import "$TMP/fel.vtt"
[ "$("$KODBOK" docs --format json | jq '.documents | length')" = "$before" ] && ok || bad "a document stored after the error"

finish
