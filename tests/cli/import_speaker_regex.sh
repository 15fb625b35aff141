#!/usr/bin/env bash
# A --speaker pattern is matched at the start of each line (after any
# timestamp): written with '^' it finds the same turns as without, and '$'
# ends the line. The Riksdag debate has 7 speeches (SOURCES.md).
source "$(dirname "$0")/lib/common.bash"
need_shared
DEBATE="$SHARED/corpora-external/transcripts/riksdagen_prot-202324-021_par8_interpellationsdebatt.txt"

"$KODBOK" init >/dev/null || bad "init"
turns() { "$KODBOK" show "$1" --format json | jq -c '[.segments[] | [.speaker, .start, .end]]'; }
n=0
for pat in 'Anf\. \d+ ([^:]+):' '^Anf\. \d+ ([^:]+):' '(?m)^Anf\. \d+ ([^:]+):' \
    '^Anf\. \d+ [^:]*?(?<name>\p{Lu}[\p{Lu} ]+\p{Lu}) \(\w+\):'; do
    n=$((n + 1))
    "$KODBOK" import -q --name "d$n" --speaker "$pat" "$DEBATE" >/dev/null || bad "import with '$pat'"
    count=$("$KODBOK" show "d$n" --format json | jq '.segments | length')
    [ "$count" = 7 ] && ok || bad "'$pat' gave $count turns, wanted 7"
done
# The same turns, spans and speakers with '^' as without.
[ "$(turns d1)" = "$(turns d2)" ] && ok || bad "'^' changed the turns"
[ "$(turns d1)" = "$(turns d3)" ] && ok || bad "'(?m)^' changed the turns"
"$KODBOK" show d4 --format json | jq -e '[.segments[].speaker] | unique ==
    ["EBBA BUSCH", "TOBIAS ANDERSSON"]' >/dev/null && ok || bad "named group with '^'"

# '^' holds after a timestamp, and '$' at the end of the line: a label alone
# on its line ("Talare 1 00:00:05") is followed by its speech.
printf 'Talare 1 00:00:05\nVi började med ett möte.\nTalare 2 00:00:09\nOch sedan?\nTalare 1 00:00:12\nSedan kom SIP. Talare 2 00:00:20 sa nej.\n' >"$TMP/auto.txt"
printf '[00:00:01] Anf. 1 EBBA: Fru talman!\n[00:00:09] Anf. 2 TOBIAS: Tack.\n' >"$TMP/stamped.txt"
"$KODBOK" import -q --speaker '^(?<name>Talare \d+)(?= [\d:]+$)' "$TMP/auto.txt" >/dev/null &&
    "$KODBOK" import -q --speaker '^Anf\. \d+ ([^:]+):' "$TMP/stamped.txt" >/dev/null || bad "import"
"$KODBOK" show auto --format json | jq -e '[.segments[] | [.speaker, .time, .text]] ==
    [["Talare 1", "00:00:05", "Vi började med ett möte."], ["Talare 2", "00:00:09", "Och sedan?"],
     ["Talare 1", "00:00:12", "Sedan kom SIP. Talare 2 00:00:20 sa nej."]]' >/dev/null &&
    ok || bad "'^...\$' on a label's own line: $("$KODBOK" show auto --format json | jq -c '[.segments[] | [.speaker, .time, .text]]')"
"$KODBOK" show stamped --format json | jq -e '[.segments[] | [.speaker, .time]] ==
    [["EBBA", "00:00:01"], ["TOBIAS", "00:00:09"]]' >/dev/null && ok || bad "'^' after a timestamp"
finish
