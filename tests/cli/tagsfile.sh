#!/usr/bin/env bash
# Tags files: kodbok tags export / import. Sorted and stable (checked with
# sort(1)), escaping round trips, two coders in two projects merged, import
# idempotent, conflicts reported, featuring carried (files without the
# featured column still read), and every bad line named by number with the
# project unchanged.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
new_project() {
    "$KODBOK" -p "$1" init >/dev/null
    "$KODBOK" -p "$1" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import into $1"
    "$KODBOK" -p "$1" code -q "$CB" >/dev/null || bad "code $1"
}
A="$TMP/a.db"
B="$TMP/b.db"
new_project "$A"
new_project "$B"
# Without ids and times, a project's manual codings.
tags_of() { "$KODBOK" -p "$1" tags --format json "${@:2}" | jq -c '[.tags[] | del(.id, .created_at)]'; }

# Anna codes in project A, Bo in project B, partly the same passages.
export KODBOK_CODER=anna
"$KODBOK" -p "$A" tag ip05 vvg-roll-oklar --quote "VVG" --nth 1 --facet level=regional --facet level=lokal >/dev/null || bad "tag 1"
"$KODBOK" -p "$A" tag ip05 struktur --segment turn:3 --memo $'två rader\nmed\ttab och \\ snedstreck' >/dev/null || bad "tag 2"
"$KODBOK" -p "$A" tag ip01 helheten-viktig --quote "det löper en röd tråd" >/dev/null || bad "tag 3"
"$KODBOK" -p "$A" tag ip01 organisering --span 100:140 >/dev/null || bad "tag 4"
export KODBOK_CODER=bo
"$KODBOK" -p "$B" tag ip05 vvg-roll-oklar --quote "VVG" --nth 1 >/dev/null || bad "bo tag 1"
"$KODBOK" -p "$B" tag ip01 helheten-viktig --quote "på alla nivåer och mellan nivåerna" >/dev/null || bad "bo tag 2"

"$KODBOK" -p "$A" tags export -o "$TMP/anna.tsv" | grep -q "wrote 4 manual codings" && ok || bad "export count"
# A header and a line per coding, sorted by document, start, end, coder.
head -1 "$TMP/anna.tsv" | cmp -s - <(printf 'document\ttext_sha256\tstart\tend\tcoder\tkind\tcode\tdecision\tsegment\tfacets\tquote\tbefore\tafter\tmemo\tfeatured\n') &&
    ok || bad "header: $(head -1 "$TMP/anna.tsv")"
[ "$(wc -l <"$TMP/anna.tsv")" = 5 ] && ok || bad "lines: $(wc -l <"$TMP/anna.tsv")"
tail -n +2 "$TMP/anna.tsv" | LC_ALL=C sort -t $'\t' -k1,1 -k3,3n -k4,4n -k5,5 -k6,6 -k7,7 -c && ok || bad "not sorted"
# Every line has 15 fields; the escaped memo is one line; none featured.
awk -F '\t' 'NF != 15 || (NR > 1 && $15 != "0") { exit 1 }' "$TMP/anna.tsv" && ok || bad "field count"
grep -qF 'två rader\nmed\ttab och \\ snedstreck' "$TMP/anna.tsv" && ok || bad "escaping"
# The text hash is the start of the document's SHA-256.
h=$("$KODBOK" -p "$A" docs --format json | jq -r '.documents[] | select(.name == "ip05") | .hash[:16]')
awk -F '\t' -v h="$h" '$1 == "ip05" && $2 != h { exit 1 }' "$TMP/anna.tsv" && ok || bad "text hash"
# --format tsv prints the same; exporting again gives the same bytes.
"$KODBOK" -p "$A" tags --format tsv | cmp -s - "$TMP/anna.tsv" && ok || bad "--format tsv differs"
"$KODBOK" -p "$A" tags export -o "$TMP/again.tsv" >/dev/null
cmp -s "$TMP/anna.tsv" "$TMP/again.tsv" && ok || bad "export not stable"
"$KODBOK" -p "$B" tags export --coder bo -o "$TMP/bo.tsv" >/dev/null || bad "export bo"

# Merge: Bo's file into A, Anna's into B (as a file written before the
# featured column, which reads as before). Both projects then hold the same.
"$KODBOK" -p "$A" tags import "$TMP/bo.tsv" | grep -q "2 manual codings: 2 added, 0 already there, 0 conflicts" && ok || bad "import bo into A"
cut -f1-14 "$TMP/anna.tsv" >"$TMP/anna-old.tsv"
"$KODBOK" -p "$B" tags import "$TMP/anna-old.tsv" | grep -q "4 added" && ok || bad "import anna (without featured) into B"
[ "$(tags_of "$A")" = "$(tags_of "$B")" ] && ok || bad "A and B differ after the merge"
tags_of "$A" --coder anna | jq -e '.[] | select(.code == "struktur") | .memo == "två rader\nmed\ttab och \\ snedstreck"' >/dev/null &&
    ok || bad "memo did not round-trip"
tags_of "$B" --coder anna | jq -e '.[] | select(.code == "vvg-roll-oklar") | .facets == "level=lokal;level=regional"' >/dev/null &&
    ok || bad "facets did not round-trip"
"$KODBOK" -p "$A" tags export -o "$TMP/all-a.tsv" >/dev/null
"$KODBOK" -p "$B" tags export -o "$TMP/all-b.tsv" >/dev/null
cmp -s "$TMP/all-a.tsv" "$TMP/all-b.tsv" && ok || bad "merged exports differ"
# The merged file is the two files' lines, sorted: what a git merge of two
# sorted files gives.
(tail -n +2 "$TMP/anna.tsv"; tail -n +2 "$TMP/bo.tsv") | LC_ALL=C sort -t $'\t' -k1,1 -k3,3n -k4,4n -k5,5 -k6,6 -k7,7 >"$TMP/merged"
tail -n +2 "$TMP/all-a.tsv" | cmp -s - "$TMP/merged" && ok || bad "merged export is not the sorted union"

# Idempotent: importing again adds nothing and changes nothing.
before=$(tags_of "$A")
"$KODBOK" -p "$A" tags import "$TMP/all-b.tsv" | grep -q "6 manual codings: 0 added, 6 already there, 0 conflicts" && ok || bad "second import"
[ "$(tags_of "$A")" = "$before" ] && ok || bad "second import changed A"

# A conflict: the same coding with another memo. Reported, the project's kept.
awk -F '\t' -v OFS='\t' 'NR == 1 || $7 == "organisering" { if (NR > 1) $14 = "annan anteckning"; print }' "$TMP/anna.tsv" >"$TMP/conflict.tsv"
"$KODBOK" -p "$A" tags import "$TMP/conflict.tsv" >"$TMP/out" 2>"$TMP/err" || bad "conflict import failed"
grep -q "1 conflict (the project's kept)" "$TMP/out" && ok || bad "conflict count: $(cat "$TMP/out")"
grep -qE "conflict.tsv:2: conflict: anna's tag of 'organisering' on 'ip01' 100:140" "$TMP/err" && ok || bad "conflict notice: $(cat "$TMP/err")"
[ "$(tags_of "$A")" = "$before" ] && ok || bad "a conflict changed A"

# Featuring travels: anna features her tag in A; her file features it in B
# (and says so), again changes nothing, and a line that does not feature
# it (the file before) leaves B's featuring as it is.
"$KODBOK" -p "$A" feature ip01 organisering --span 100:140 --coder anna >/dev/null || bad "feature in A"
"$KODBOK" -p "$A" tags export --coder anna -o "$TMP/anna-f.tsv" >/dev/null
[ "$(awk -F '\t' '$15 == "1" { print $7 }' "$TMP/anna-f.tsv")" = organisering ] && ok || bad "featured column: $(cut -f7,15 "$TMP/anna-f.tsv")"
"$KODBOK" -p "$B" tags import "$TMP/anna-f.tsv" >"$TMP/out" || bad "import featured"
grep -q "4 manual codings: 0 added, 3 already there, 0 conflicts" "$TMP/out" && grep -q "^1 of the codings already there featured now" "$TMP/out" &&
    ok || bad "featured import: $(cat "$TMP/out")"
[ "$(tags_of "$A")" = "$(tags_of "$B")" ] && ok || bad "A and B differ after featuring"
tags_of "$B" --coder anna | jq -e '[.[] | select(.featured) | .code] == ["organisering"]' >/dev/null && ok || bad "featured in B: $(tags_of "$B" --coder anna)"
"$KODBOK" -p "$B" tags import "$TMP/anna-f.tsv" | grep -q "0 added, 4 already there, 0 conflicts" && ok || bad "featured import again"
"$KODBOK" -p "$B" tags import "$TMP/anna.tsv" | grep -q "0 added, 4 already there, 0 conflicts" && ok || bad "unfeatured line"
[ "$(tags_of "$A")" = "$(tags_of "$B")" ] && ok || bad "an unfeatured line took B's featuring"
before=$(tags_of "$A")

# Bad lines: one error naming the file and line; A unchanged.
line2() { tail -n +2 "$TMP/anna.tsv" | head -1; }
bad_file() { # NAME LINE-TEXT: the header, a good line, then LINE-TEXT
    { head -1 "$TMP/anna.tsv"; line2; printf '%s\n' "$2"; } >"$TMP/$1.tsv"
}
rejects() { # NAME PATTERN
    expect_fail 2 "$TMP/$1.tsv:${3:-3}: $2" "$KODBOK" -p "$A" tags import "$TMP/$1.tsv"
    [ "$(tags_of "$A")" = "$before" ] && ok || bad "$1 changed A"
}
good=$(line2)
field() { echo "$good" | awk -F '\t' -v OFS='\t' -v k="$1" -v v="$2" '{ $k = v; print }'; }
bad_file fields "$(echo "$good" | cut -f1-13)"
rejects fields "13 fields, want 15"
bad_file escape "$(field 14 'a\qb')"
rejects escape "a backslash that is not"
bad_file span "$(field 3 999999)"
rejects span "bad span"
bad_file coder "$(field 5 'a b')"
rejects coder "coder name 'a b' has a space"
bad_file concept "$(field 7 'ingen-sadan')"
rejects concept "no concept, theme or dimension 'ingen-sadan'"
bad_file kind "$(field 6 theme)"
rejects kind "'[a-z-]+' is a (concept|dimension) in the codebook"
bad_file decision "$(field 8 maybe)"
rejects decision "decision 'maybe' is not tag, accept or reject"
bad_file doc "$(field 1 ip99)"
rejects doc "no document 'ip99'"
bad_file hash "$(field 2 0000000000000000)"
rejects hash "document 'ip01' has no version with text hash 0000000000000000"
bad_file quote "$(field 11 'fel text')"
rejects quote "the quote is not the text at"
bad_file facet "$(field 10 'level=kommunal')"
rejects facet "facet 'level' has no value 'kommunal'"
bad_file featured "$(field 15 ja)"
rejects featured "featured 'ja' is not 0 or 1"
bad_file rejection "$(field 8 reject | awk -F '\t' -v OFS='\t' '{ $9 = "sentence"; $15 = 1; print }')"
rejects rejection "a rejection cannot be featured"
printf 'document\tfel\n' >"$TMP/header.tsv"
rejects header "not a kodbok tags file" 1

finish
