#!/usr/bin/env bash
# Manual codings: kodbok tag / untag / tags. Positions are checked against
# the stored text itself (jq slices strings by code point), occurrence
# counts against grep, and every bad input against one line, its exit code
# and an unchanged project.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
export KODBOK_CODER=anna
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"

# Everything a project holds that tagging could change.
state() {
    {
        fingerprint
        "$KODBOK" tags --format json 2>/dev/null
        "$KODBOK" runs --format json | jq -c '[.runs[] | del(.started_at)]'
    } | sha256sum
}
# unchanged CODE PATTERN CMD...: expect_fail, and the project is as before.
unchanged() {
    local before
    before=$(state)
    expect_fail "$@"
    [ "$(state)" = "$before" ] && ok || bad "'${*:3}' changed the project"
}

# Codes are checked against the last run's codebook: none yet.
unchanged 2 "no codebook in the project yet" "$KODBOK" tag ip01 vvg-roll-oklar --quote "VVG" --nth 1
"$KODBOK" code -q "$CB" >/dev/null || bad "code"

"$KODBOK" show ip01 --raw >"$TMP/ip01.txt"
tags_json() { "$KODBOK" tags --format json "$@"; }
# The stored text cut at a tag's span.
cut_of() { jq -r --rawfile t "$TMP/ip01.txt" ".tags[] | select(.id == $1) | \$t[.start:.end]"; }

# A quote that occurs once: its span gives back the quote.
q="det löper en röd tråd, på alla nivåer"
n=$(grep -oF -- "$q" "$TMP/ip01.txt" | wc -l)
[ "$n" = 1 ] || bad "test setup: '$q' occurs $n times"
"$KODBOK" tag ip01 helheten-viktig --quote "$q" --memo "första" >/dev/null || bad "tag by quote"
id=$(tags_json | jq '.tags[] | select(.code == "helheten-viktig") | .id')
[ "$(tags_json | cut_of "$id")" = "$q" ] && ok || bad "quote span does not give back the quote"
tags_json | jq -e '.tags[0] | .coder == "anna" and .kind == "concept" and .decision == "tag" and .memo == "första" and .placed' >/dev/null &&
    ok || bad "tag record: $(tags_json)"

# A quote that occurs several times needs --nth; the count is grep's.
nv=$(grep -o "VVG" "$TMP/ip01.txt" | wc -l)
[ "$nv" -gt 2 ] || bad "test setup: VVG occurs $nv times"
unchanged 1 "occurs $nv times in 'ip01': choose one with --nth 1 to $nv" "$KODBOK" tag ip01 vvg-roll-oklar --quote VVG
unchanged 2 "occurs only $nv times in 'ip01', not $((nv + 1))" "$KODBOK" tag ip01 vvg-roll-oklar --quote VVG --nth $((nv + 1))
"$KODBOK" tag ip01 vvg-roll-oklar --quote VVG --nth 2 --facet level=regional >/dev/null || bad "tag --nth 2"
id=$(tags_json | jq '.tags[] | select(.code == "vvg-roll-oklar") | .id')
[ "$(tags_json | cut_of "$id")" = "VVG" ] && ok || bad "--nth 2 span"
# exactly one VVG before the second
before=$(tags_json | jq -r --rawfile t "$TMP/ip01.txt" ".tags[] | select(.id == $id) | \$t[:.start]")
[ "$(printf '%s' "$before" | grep -o VVG | wc -l)" = 1 ] && ok || bad "--nth 2 is not the second occurrence"
tags_json | jq -e ".tags[] | select(.id == $id) | .facets == \"level=regional\"" >/dev/null && ok || bad "facet"

# By segment: the span of 'kodbok show' for that sentence; a theme.
"$KODBOK" tag ip01 struktur --segment sentence:5 >/dev/null || bad "tag --segment"
want=$("$KODBOK" show ip01 --segments sentence --format json | jq -c '.segments[5] | [.start, .end]')
got=$(tags_json | jq -c '.tags[] | select(.code == "struktur") | [.start, .end]')
[ "$got" = "$want" ] && ok || bad "segment span $got, want $want"
tags_json | jq -e '.tags[] | select(.code == "struktur") | .kind == "theme"' >/dev/null && ok || bad "theme kind"
# A bare number is a sentence; the same passage twice is refused.
unchanged 2 "anna has coded 'struktur' on [0-9]+:[0-9]+ already" "$KODBOK" tag ip01 struktur --segment 5
# By span: exactly that span.
"$KODBOK" tag ip01 organisering --span 10:20 --coder bo >/dev/null || bad "tag --span"
tags_json --coder bo | jq -e '.tags | length == 1 and .[0].start == 10 and .[0].end == 20 and .[0].kind == "dimension"' >/dev/null &&
    ok || bad "span tag"

# The coder: --coder, else KODBOK_CODER, else the login name.
login=$(id -un)
env -u KODBOK_CODER "$KODBOK" tag ip02 struktur --segment turn:1 >/dev/null || bad "tag without KODBOK_CODER"
tags_json --coder "$login" | jq -e '.tags | length == 1' >/dev/null && ok || bad "login name as coder"

# Bad input: one line, non-zero, nothing changed.
unchanged 2 "no document 'ip99'" "$KODBOK" tag ip99 struktur --span 1:2
unchanged 2 "no concept, theme or dimension 'strukturr'" "$KODBOK" tag ip01 strukturr --span 1:2
unchanged 2 "does not occur in 'ip01'" "$KODBOK" tag ip01 struktur --quote "ingen sådan mening finns"
unchanged 1 "span 10:99999 is not inside 'ip01' \(0:[0-9]+" "$KODBOK" tag ip01 struktur --span 10:99999
unchanged 1 "span 20:10 is not inside" "$KODBOK" tag ip01 struktur --span 20:10
unchanged 2 "'ip01' has no sentence 99999" "$KODBOK" tag ip01 struktur --segment 99999
unchanged 2 "facet 'level' has no value 'kommunal'" "$KODBOK" tag ip01 struktur --span 1:9 --facet level=kommunal
unchanged 2 "no facet 'nivå'" "$KODBOK" tag ip01 struktur --span 1:9 --facet nivå=lokal
unchanged 1 "coder name 'a b' has a space" "$KODBOK" tag ip01 struktur --span 1:9 --coder "a b"
unchanged 1 "give the passage once" "$KODBOK" tag ip01 struktur --span 1:9 --segment 3
unchanged 1 "--nth goes with --quote" "$KODBOK" tag ip01 struktur --span 1:9 --nth 2
unchanged 2 "no coder 'cecilia' in the project \(coders: anna, bo, $login\)" "$KODBOK" tags --coder cecilia

# A span may not split a character from its combining mark: q + U+0303
# has no precomposed form, so NFC keeps two code points.
printf 'R: Ett aq\xcc\x83b här.\n' >"$TMP/mark.txt"
"$KODBOK" import -q "$TMP/mark.txt" >/dev/null || bad "import mark.txt"
"$KODBOK" show mark --raw | jq -e -Rrs '.[8:9] == "q" and (.[9:10] | explode) == [771]' >/dev/null || bad "test setup: no q + U+0303 at 8"
unchanged 1 "split a character from its combining mark at 9 in 'mark'" "$KODBOK" tag mark struktur --span 7:9
unchanged 1 "split a character from its combining mark at 9 in 'mark'" "$KODBOK" tag mark struktur --span 9:11
"$KODBOK" tag mark struktur --span 7:10 >/dev/null && ok || bad "a span keeping the mark"

# untag: by passage, by id; a second time is an error.
"$KODBOK" untag ip01 struktur --segment 5 >/dev/null && ok || bad "untag by segment"
tags_json | jq -e '[.tags[] | select(.code == "struktur" and .document == "ip01")] | length == 0' >/dev/null && ok || bad "untag left the tag"
unchanged 2 "anna has no coding of 'struktur'" "$KODBOK" untag ip01 struktur --segment 5
id=$(tags_json --coder bo | jq '.tags[0].id')
"$KODBOK" untag --id "$id" >/dev/null && ok || bad "untag --id"
unchanged 2 "no manual coding $id" "$KODBOK" untag --id "$id"

# Runs never touch manual codings: a re-run with an edited codebook.
before=$(tags_json)
sed 's/\\bglapp\\w\*/\\bglappet\\b/' "$CB" >"$TMP/cb2.yaml"
cmp -s "$CB" "$TMP/cb2.yaml" && bad "test setup: sed changed nothing"
"$KODBOK" code -q "$TMP/cb2.yaml" | grep -q "1 concept changed" || bad "re-run"
[ "$(tags_json)" = "$before" ] && ok || bad "a run changed manual codings"
"$KODBOK" tags | grep -q "helheten-viktig" && ok || bad "text listing"

# A rename with `was:` carries the manual codings (concepts and themes) over;
# nothing else about them changes.
sed -e 's/^\(  *\)- id: helheten-viktig$/\1- id: helheten\n\1  was: helheten-viktig/' \
    -e 's/^\(  *\)- id: struktur$/\1- id: strukturen\n\1  was: struktur/' "$TMP/cb2.yaml" >"$TMP/cb3.yaml"
[ "$(grep -c "was: helheten-viktig\|was: struktur" "$TMP/cb3.yaml")" = 2 ] || bad "test setup: rename"
"$KODBOK" code -q "$TMP/cb3.yaml" >/dev/null || bad "re-run with renames"
renamed() { jq -S '[.tags[] | .code |= (if . == "helheten-viktig" then "helheten" elif . == "struktur" then "strukturen" else . end)]'; }
want=$(echo "$before" | renamed)
tags_json | jq -e '[.tags[] | select(.code == "helheten")] | length > 0' >/dev/null && ok || bad "no tag moved to helheten"
[ "$(tags_json | jq -S '[.tags[]]')" = "$want" ] && ok || bad "a rename changed more than the codes"
finish
