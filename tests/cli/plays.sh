#!/usr/bin/env bash
# Speaker turns in real dialogue (shared/corpora-external): every play must
# yield exactly as many turns as an independent count of its "SPEAKER:"
# lines (all lines but blank ones, stage directions "[...]", headings "=="
# and play separators "#####"), and code-point positions must cut out each
# segment's text. The riksdag debate needs a --speaker regex: 7 speeches.
source "$(dirname "$0")/lib/common.bash"
need_shared
T="$SHARED/corpora-external/transcripts"
"$KODBOK" init >/dev/null || bad "init"
for play in "$T"/swedracor_*.txt; do
    name=$(basename "$play" .txt)
    want=$(grep -cvE '^(\[|==|#####|$)' "$play")
    "$KODBOK" import -q "$play" >/dev/null || { bad "import $name"; continue; }
    got=$("$KODBOK" docs --format json |
        jq --arg n "$name" '.documents[] | select(.name == $n) | .turns')
    if [ "$got" = "$want" ]; then ok; else bad "$name: $got turns, $want speaker lines"; fi
    # The stored text of these NFC UTF-8 files is the file itself.
    "$KODBOK" show "$name" --raw | cmp -s - "$play" && ok || bad "$name: stored text differs"
    # jq slices strings in linear time: check positions on the single plays.
    [ "$name" = swedracor_all_68_plays ] && continue
    for kind in turn sentence; do
        positions_ok "$name" "$kind" && ok || bad "$name: $kind positions"
    done
done

debate="$T/riksdagen_prot-202324-021_par8_interpellationsdebatt.txt"
"$KODBOK" import -q --name debatt \
    --speaker 'Anf\. \d+ [^:]*?(?<name>\p{Lu}[\p{Lu} ]+\p{Lu}) \(\w+\):' \
    --interviewer 'TOBIAS ANDERSSON' "$debate" >/dev/null || bad "import debate"
"$KODBOK" show debatt --format json >"$TMP/debatt.json"
[ "$(jq '.segments | length' "$TMP/debatt.json")" = 7 ] && ok || bad "debate: not 7 speeches"
[ "$(jq -r '[.segments[].speaker] | unique | join(",")' "$TMP/debatt.json")" = "EBBA BUSCH,TOBIAS ANDERSSON" ] &&
    ok || bad "debate speakers: $(jq -c '[.segments[].speaker] | unique' "$TMP/debatt.json")"
[ "$(jq -r '.segments[1].role' "$TMP/debatt.json")" = interviewer ] && ok || bad "debate roles"
positions_ok debatt paragraph && ok || bad "debate positions"
finish
