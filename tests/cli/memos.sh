#!/usr/bin/env bash
# Memos: kodbok memo add, edit (in $EDITOR), list, rm on the journal, a
# document, a case, a code and a manual coding; every bad target or id an
# error naming it with nothing stored; the memos file (sorted, escaped,
# idempotent, conflicts, bad lines); the document's memos in `show`; a
# coding's memo one and the same in tag --memo, memo --coding, the tags file
# and the quote table; memos on a code at a facet value (--at level=regional,
# a theme x level cell): added, listed, filtered, checked, in the memos file
# and REFI-QDA notes; a code's memos, its cells' too, follow a rename with
# was:.
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
export KODBOK_PROJECT="$A" KODBOK_CODER=anna
memos() { "$KODBOK" memo list --format json "$@" | jq -c '[.memos[] | del(.created_at, .changed_at)]'; }
# All memos and their times, to check that a failure stored nothing.
state() { "$KODBOK" memo list --format json | sha256sum; }

# --- add, on each target --------------------------------------------------
"$KODBOK" memo add --text $'Första veckan: **samverkan** betyder olika saker.\n\n- regionen: struktur\n- kommunerna: relationer' | grep -qx "memo 1 by anna" && ok || bad "journal entry"
printf 'Läst om ip01: tydlig röd tråd.\n' | "$KODBOK" memo add --doc ip01 - >/dev/null && ok || bad "doc memo from stdin"
printf 'Fallet ip02 talar som politiker.\n' >"$TMP/memo.md"
"$KODBOK" memo add --case ip02 --author bo --file "$TMP/memo.md" >/dev/null && ok || bad "case memo from a file"
"$KODBOK" memo add --code struktur --text "Temat samlar det formella." >/dev/null && ok || bad "theme memo"
"$KODBOK" memo add --code vvg-roll-oklar --text "Begreppet: VVG:s roll." >/dev/null && ok || bad "concept memo"
"$KODBOK" memo add --journal --text "Andra anteckningen." >/dev/null && ok || bad "--journal"
[ "$(memos | jq -r '[.[] | .target + ":" + (.kind // "") + ":" + .name + ":" + .author] | join(" ")')" = \
    "project:::anna project:::anna document::ip01:anna case::ip02:bo code:theme:struktur:anna code:concept:vvg-roll-oklar:anna" ] &&
    ok || bad "listed: $(memos)"
[ "$(memos --journal | jq -r '.[0].text')" = $'Första veckan: **samverkan** betyder olika saker.\n\n- regionen: struktur\n- kommunerna: relationer' ] &&
    ok || bad "markdown kept: $(memos --journal)"
[ "$(memos --doc ip01 | jq -r '.[0].text')" = "Läst om ip01: tydlig röd tråd." ] && ok || bad "trailing newline dropped"
[ "$(memos --author bo | jq length)" = 1 ] && ok || bad "--author filter"
[ "$(memos --code vvg-roll-oklar | jq -r '.[0].kind')" = concept ] && ok || bad "--code filter"
"$KODBOK" memo list --format json | jq -e '.memos[0] | (.created_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{3}Z$")) and .created_at == .changed_at' >/dev/null &&
    ok || bad "times"
"$KODBOK" memo list | grep -q "^memo 3: case ip02, bo, " && ok || bad "text listing"
"$KODBOK" memo list --format md --journal | grep -q "^## journal, .*, anna$" && ok || bad "md listing"

# --- on a code at a facet value: the cell of a theme x level slide ----------
"$KODBOK" memo add --code struktur --at level=regional --text "Regionalt: strukturen inifrån." | grep -qx "memo 7 by anna" && ok || bad "cell memo"
printf 'Lokalt: strukturen utifrån.\n' | "$KODBOK" memo add --code struktur --at level=lokal --author bo - >/dev/null && ok || bad "cell memo from stdin"
printf 'Delregionalt: förbunden.\n' >"$TMP/cell.md"
"$KODBOK" memo add --at level=delregional --code covid-19 --file "$TMP/cell.md" >/dev/null && ok || bad "cell memo from a file"
# a code's memos: the whole-code memo first, then its cells by facet=value
[ "$(memos --code struktur | jq -r '[.[] | .name + "@" + .at + ":" + .author] | join(" ")')" = "struktur@:anna struktur@level=lokal:bo struktur@level=regional:anna" ] &&
    ok || bad "a code's memos: $(memos --code struktur)"
[ "$(memos --code struktur --at level=regional | jq -r '[.[] | .text] | join("|")')" = "Regionalt: strukturen inifrån." ] && ok || bad "--at filter"
[ "$(memos --code struktur --at '' | jq -r '[.[] | .text] | join("|")')" = "Temat samlar det formella." ] && ok || bad "--at '': the code as a whole"
[ "$(memos --at level=delregional | jq -r '[.[] | .name + ":" + .text] | join("|")')" = "covid-19:Delregionalt: förbunden." ] && ok || bad "--at alone: every code's"
[ "$(memos --journal | jq -r '[.[] | .at] | unique | join(",")')" = "" ] && ok || bad "a journal entry's at is empty"
"$KODBOK" memo list --code struktur | grep -qx "memo 7: theme struktur at level=regional, anna, .*" && ok || bad "text listing of a cell: $("$KODBOK" memo list --code struktur)"
"$KODBOK" memo list --format md --code covid-19 | grep -qx "## theme covid-19 at level=delregional, .*, anna" && ok || bad "md listing of a cell"
"$KODBOK" memo edit 7 --text "Regionalt: strukturen sedd inifrån." | grep -qx "memo 7 changed" && ok || bad "edit a cell memo by id"
[ "$(memos --code struktur --at level=regional | jq -r '.[0].text')" = "Regionalt: strukturen sedd inifrån." ] && ok || bad "edited cell memo"
before=$(state)
expect_fail 2 "facet 'level' has no value 'regonal' \(did you mean 'regional'\?\)" "$KODBOK" memo add --code struktur --at level=regonal --text x
expect_fail 2 "facet 'level' has no value 'kommunal' \(values: delregional, lokal, nivaoberoende, regional\)" "$KODBOK" memo add --code struktur --at level=kommunal --text x
expect_fail 2 "no facet 'levle' in the codebook of run 1 \(did you mean 'level'\?\)" "$KODBOK" memo add --code struktur --at levle=lokal --text x
expect_fail 1 "--at 'level' is not FACET=VALUE" "$KODBOK" memo add --code struktur --at level --text x
expect_fail 1 "--at '=lokal' is not FACET=VALUE" "$KODBOK" memo add --code struktur --at =lokal --text x
expect_fail 1 "--at goes with --code" "$KODBOK" memo add --at level=lokal --text x
expect_fail 1 "--at goes with --code" "$KODBOK" memo add --doc ip01 --at level=lokal --text x
expect_fail 1 "--at goes with --code" "$KODBOK" memo list --journal --at level=lokal
expect_fail 1 "--at 'lokal' is not FACET=VALUE" "$KODBOK" memo list --at lokal
expect_fail 2 "no concept, theme or dimension 'strukture'" "$KODBOK" memo add --code strukture --at level=lokal --text x
[ "$(state)" = "$before" ] && ok || bad "a failed cell memo stored something"
"$KODBOK" memo rm 8 | grep -qx "removed memo 8" && ok || bad "rm a cell memo by id"
[ "$(memos --code struktur --at level=lokal)" = "[]" ] && ok || bad "removed cell memo listed"

# --- targets that do not exist, and other errors: nothing stored ----------
before=$(state)
expect_fail 2 "no document 'ip1' in the project \(did you mean 'ip01'\?\)" "$KODBOK" memo add --doc ip1 --text x
expect_fail 2 "no case 'ip2' in the project \(did you mean 'ip02'\?\)" "$KODBOK" memo add --case ip2 --text x
expect_fail 2 "no document 'zzzzzz' in the project$" "$KODBOK" memo add --doc zzzzzz --text x
expect_fail 2 "no concept, theme or dimension 'strukture' .*did you mean 'struktur'" "$KODBOK" memo add --code strukture --text x
expect_fail 2 "no manual coding 99 in the project" "$KODBOK" memo add --coding 99 --text x
expect_fail 1 "an empty memo text" "$KODBOK" memo add --text $' \n\t '
expect_fail 1 "the text, please" "$KODBOK" memo add --doc ip01
expect_fail 1 "one of --journal, --doc" "$KODBOK" memo add --doc ip01 --case ip02 --text x
expect_fail 1 "author name 'a b' has a space, comma" "$KODBOK" memo add --author "a b" --text x
expect_fail 2 "no memo 99 in the project" "$KODBOK" memo rm 99
expect_fail 2 "no memo 99 in the project" "$KODBOK" memo edit 99 --text x
expect_fail 1 "'x' is not a memo's id" "$KODBOK" memo rm x
expect_fail 2 "no manual coding 99 with a memo" "$KODBOK" memo rm --coding 99
expect_fail 2 "nosuch.md" "$KODBOK" memo add --file "$TMP/nosuch.md"
[ "$(state)" = "$before" ] && ok || bad "a failed memo command stored something"

# --- edit in $EDITOR ---------------------------------------------------------
# The editor: a script that replaces the file with $NEWTEXT (unset: leaves it).
cat >"$TMP/ed.sh" <<'EOF'
#!/bin/sh
[ -n "${NEWTEXT+x}" ] && printf '%s' "$NEWTEXT" >"$1"
cp "$1" "$(dirname "$0")/seen.md"
exit 0
EOF
chmod +x "$TMP/ed.sh"
export TMPDIR="$TMP/edits" # where the editor's files go, to see them go
mkdir "$TMPDIR"
id=$("$KODBOK" memo list --format json --doc ip01 | jq '.memos[0].id')
made=$("$KODBOK" memo list --format json --doc ip01 | jq -r '.memos[0].created_at')
out=$(EDITOR="$TMP/ed.sh" VISUAL= "$KODBOK" memo edit "$id") && ok || bad "edit unchanged failed"
[ "$out" = "memo $id unchanged: nothing stored" ] && ok || bad "unchanged: $out"
grep -qx "Läst om ip01: tydlig röd tråd." "$TMP/seen.md" && ok || bad "the editor saw: $(cat "$TMP/seen.md")"
[ "$("$KODBOK" memo list --format json --doc ip01 | jq -r '.memos[0].changed_at')" = "$made" ] && ok || bad "unchanged but changed_at moved"
NEWTEXT=$'Läst om ip01: tydlig röd tråd.\nOch en rad till.\n' EDITOR="$TMP/ed.sh" VISUAL= "$KODBOK" memo edit "$id" | grep -qx "memo $id changed" && ok || bad "edit"
"$KODBOK" memo list --format json --doc ip01 | jq -e --arg m "$made" '.memos[0] | .text == "Läst om ip01: tydlig röd tråd.\nOch en rad till." and .created_at == $m and .changed_at > $m' >/dev/null &&
    ok || bad "edited: $("$KODBOK" memo list --format json --doc ip01)"
# VISUAL before EDITOR
NEWTEXT="Via VISUAL." VISUAL="$TMP/ed.sh" EDITOR=false "$KODBOK" memo edit "$id" >/dev/null && ok || bad "VISUAL"
[ "$(memos --doc ip01 | jq -r '.[0].text')" = "Via VISUAL." ] && ok || bad "VISUAL text"
before=$(state)
NEWTEXT=$'\n  \n' EDITOR="$TMP/ed.sh" VISUAL= expect_fail 1 "an empty memo text" "$KODBOK" memo edit "$id"
EDITOR=false VISUAL= expect_fail 2 "the editor 'false' failed; nothing stored" "$KODBOK" memo edit "$id"
[ "$(state)" = "$before" ] && ok || bad "a failed edit stored something"
[ -z "$(ls -A "$TMPDIR")" ] && ok || bad "temporary files left: $(ls -A "$TMPDIR")"
# what cannot be stored (not UTF-8) is kept where the editor saved it
NEWTEXT=$'Halvf\xe4rdig text' EDITOR="$TMP/ed.sh" VISUAL= "$KODBOK" memo edit "$id" >/dev/null 2>"$TMP/err"
[ $? = 1 ] && ok || bad "bad UTF-8 from the editor: exit $?"
kept=$(sed -n 's/^kodbok: nothing stored; your text is kept in \(.*\)$/\1/p' "$TMP/err")
[ -n "$kept" ] && [ "$(cat "$kept")" = $'Halvf\xe4rdig text' ] && ok || bad "not kept: $(cat "$TMP/err")"
[ "$(state)" = "$before" ] && ok || bad "a failed edit stored something"
"$KODBOK" memo edit "$id" --text "Via --text." | grep -qx "memo $id changed" && ok || bad "edit --text"

# --- rm ----------------------------------------------------------------------
"$KODBOK" memo rm "$id" | grep -qx "removed memo $id" && ok || bad "rm"
[ "$(memos --doc ip01)" = "[]" ] && ok || bad "still there after rm"
expect_fail 2 "no memo $id in the project" "$KODBOK" memo rm "$id"

# --- a coding's memo: one text, wherever it is seen ---------------------------
"$KODBOK" tag ip05 struktur --segment turn:3 --memo "Från tag --memo." >/dev/null || bad "tag"
"$KODBOK" tag ip01 organisering --span 100:140 >/dev/null || bad "tag 2"
c1=$("$KODBOK" tags --format json | jq '.tags[] | select(.document == "ip05") | .id')
c2=$("$KODBOK" tags --format json | jq '.tags[] | select(.document == "ip01") | .id')
[ "$(memos --coding "$c1" | jq -c '.[0] | [.target, .coding, .code, .name, .author, .text]')" = "[\"coding\",$c1,\"struktur\",\"ip05\",\"anna\",\"Från tag --memo.\"]" ] &&
    ok || bad "tag --memo as a memo: $(memos --coding "$c1")"
expect_fail 2 "manual coding $c1 has a memo already \(change it with 'kodbok memo edit'\)" "$KODBOK" memo add --coding "$c1" --text x
"$KODBOK" memo edit --coding "$c1" --text $'Ändrad i memo edit.\nTvå rader.' | grep -qx "memo of manual coding $c1 changed" && ok || bad "edit --coding"
[ "$("$KODBOK" tags --format json | jq -r ".tags[] | select(.id == $c1) | .memo")" = $'Ändrad i memo edit.\nTvå rader.' ] && ok || bad "tags list memo"
"$KODBOK" tags export -o "$TMP/tags.tsv" >/dev/null
grep -qF 'Ändrad i memo edit.\nTvå rader.' "$TMP/tags.tsv" && ok || bad "tags file memo"
"$KODBOK" quotes --source manual --format json | jq -e --arg m $'Ändrad i memo edit.\nTvå rader.' '[.[] | select(.memo == $m)] | length == 1' >/dev/null &&
    ok || bad "quote table memo"
# a coding with a memo is not removed with it: the memo goes first
expect_fail 2 "manual coding $c1 has a memo \\(\"Ändrad i memo edit\\.…|manual coding $c1 has a memo .*remove the memo first" "$KODBOK" untag --id "$c1"
expect_fail 2 "manual coding $c1 has a memo .*remove the memo first" "$KODBOK" untag ip05 struktur --segment turn:3
[ "$("$KODBOK" tags --format json | jq ".tags | map(select(.id == $c1)) | length")" = 1 ] && ok || bad "untag removed a coding with a memo"
"$KODBOK" memo add --coding "$c2" --author bo --text "Bos memo på annas kodning." | grep -qx "memo of manual coding $c2 by bo" && ok || bad "add --coding"
[ "$(memos --coding "$c2" | jq -r '.[0].author')" = bo ] && ok || bad "coding memo author"
"$KODBOK" memo rm --coding "$c2" >/dev/null && ok || bad "rm --coding"
[ "$("$KODBOK" tags --format json | jq ".tags | length")" = 2 ] && ok || bad "rm --coding removed the coding"
[ "$("$KODBOK" tags --format json | jq -r ".tags[] | select(.id == $c2) | .memo")" = "" ] && ok || bad "rm --coding kept the memo"
# the tags file carries it to another project, where it is the coding's memo
"$KODBOK" -p "$B" tags import "$TMP/tags.tsv" >/dev/null || bad "tags import"
[ "$("$KODBOK" -p "$B" memo list --format json | jq -r '.memos[] | select(.target == "coding" and .name == "ip05") | .text')" = $'Ändrad i memo edit.\nTvå rader.' ] &&
    ok || bad "the memo travelled with its coding"

# --- the document's memos in show -------------------------------------------
"$KODBOK" memo add --doc ip03 --text $'Ip03 om dokumenten.\n\nAndra stycket.' >/dev/null
"$KODBOK" show ip03 | sed -n 3,7p | cmp -s - <(printf 'memo %s (anna, %s):\n  Ip03 om dokumenten.\n\n  Andra stycket.\n\n' \
    "$("$KODBOK" memo list --doc ip03 --format json | jq '.memos[0].id')" "$(date -u +%F)") && ok || bad "show: $("$KODBOK" show ip03 | head -8)"
"$KODBOK" show ip03 --format json | jq -e '.memos | length == 1 and .[0].author == "anna" and .[0].text == "Ip03 om dokumenten.\n\nAndra stycket."' >/dev/null &&
    ok || bad "show json memos"
"$KODBOK" show ip04 --format json | jq -e '.memos == []' >/dev/null && ok || bad "show json without memos"

# --- the memos file -------------------------------------------------------------
"$KODBOK" memo export -o "$TMP/memos.tsv" | grep -qx "wrote 8 memos to $TMP/memos.tsv" && ok || bad "export: $(cat "$TMP/memos.tsv")"
head -1 "$TMP/memos.tsv" | cmp -s - <(printf 'target\tname\tat\tauthor\tcreated\tchanged\ttext\n') && ok || bad "header"
awk -F '\t' 'NF != 7 { exit 1 }' "$TMP/memos.tsv" && ok || bad "a memo is one line of 7 fields"
grep -q $'^theme\tstruktur\tlevel=regional\tanna\t.*\tRegionalt: strukturen sedd inifrån.$' "$TMP/memos.tsv" && ok || bad "a cell memo's line"
grep -qF 'betyder olika saker.\n\n- regionen' "$TMP/memos.tsv" && ok || bad "escaped"
grep -q "^coding" "$TMP/memos.tsv" && bad "a coding's memo in the memos file" || ok
# sorted by target (in the order project, document, case, dimension, theme,
# concept), name, at, created, author
tail -n +2 "$TMP/memos.tsv" | awk -F '\t' 'BEGIN { r["project"]=1; r["document"]=2; r["case"]=3; r["dimension"]=4; r["theme"]=5; r["concept"]=6 }
    { printf "%d\t%s\t%s\t%s\t%s\n", r[$1], $2, $3, $5, $4 }' | LC_ALL=C sort -c -t $'\t' -k1,1n -k2,2 -k3,3 -k4,4 -k5,5 && ok || bad "not sorted"
"$KODBOK" memo export -o - | cmp -s - "$TMP/memos.tsv" && ok || bad "export -o - differs"
# into B: added, then already there; B's export is A's
"$KODBOK" -p "$B" memo import "$TMP/memos.tsv" | grep -qx "$TMP/memos.tsv: 8 memos: 8 added, 0 already there, 0 conflicts (the project's kept)" && ok || bad "import"
"$KODBOK" -p "$B" memo import "$TMP/memos.tsv" | grep -qx "$TMP/memos.tsv: 8 memos: 0 added, 8 already there, 0 conflicts (the project's kept)" && ok || bad "import twice"
"$KODBOK" -p "$B" memo export -o "$TMP/b.tsv" >/dev/null
cmp -s "$TMP/memos.tsv" "$TMP/b.tsv" && ok || bad "B's memos file differs from A's"
# a memo edited in B and one added there: a conflict in A, and the new one
bid=$("$KODBOK" -p "$B" memo list --case ip02 --format json | jq '.memos[0].id')
"$KODBOK" -p "$B" memo edit "$bid" --text "Bo ändrade sig." >/dev/null
KODBOK_CODER=bo "$KODBOK" -p "$B" memo add --text "Bos anteckning." >/dev/null
"$KODBOK" -p "$B" memo export -o "$TMP/b.tsv" >/dev/null
diff "$TMP/memos.tsv" "$TMP/b.tsv" | grep -c '^[<>]' | grep -qx 3 && ok || bad "one memo changed, one added: $(diff "$TMP/memos.tsv" "$TMP/b.tsv")"
"$KODBOK" memo import "$TMP/b.tsv" >"$TMP/out" 2>"$TMP/err"
grep -qx "$TMP/b.tsv: 9 memos: 1 added, 7 already there, 1 conflict (the project's kept)" "$TMP/out" && ok || bad "merge: $(cat "$TMP/out")"
grep -q "^kodbok: $TMP/b.tsv:[0-9]*: conflict: bo's memo of .* on case ip02 differs from the project's; kept the project's$" "$TMP/err" && ok || bad "conflict notice: $(cat "$TMP/err")"
[ "$(memos --case ip02 | jq -r '.[0].text')" = "Fallet ip02 talar som politiker." ] && ok || bad "the project's kept"
# a cell memo is known by its cell too: the same author and time on the
# code as a whole, or at another value, is another memo; changed, a conflict
# naming the cell
cell=$(grep $'^theme\tstruktur\tlevel=regional\t' "$TMP/memos.tsv")
{ head -1 "$TMP/memos.tsv"; printf '%s\n' "${cell/level=regional/}" "${cell/level=regional/level=nivaoberoende}" "${cell/inifrån/utifrån}"; } >"$TMP/cells.tsv"
"$KODBOK" memo import "$TMP/cells.tsv" >"$TMP/out" 2>"$TMP/err"
grep -qx "$TMP/cells.tsv: 3 memos: 2 added, 0 already there, 1 conflict (the project's kept)" "$TMP/out" && ok || bad "cells: $(cat "$TMP/out" "$TMP/err")"
grep -q "^kodbok: $TMP/cells.tsv:4: conflict: anna's memo of .* on theme struktur at level=regional differs from the project's; kept the project's$" "$TMP/err" && ok || bad "cell conflict notice: $(cat "$TMP/err")"
[ "$(memos --code struktur | jq -r '[.[] | .at] | join(",")')" = ",,level=nivaoberoende,level=regional" ] && ok || bad "cells imported: $(memos --code struktur)"
# a file written before the column at: its memos on things as a whole
printf 'target\tname\tauthor\tcreated\tchanged\ttext\n%s\n%s\n' \
    $'theme\tstruktur\tbo\t2026-10-01T08:00:00.000Z\t2026-10-01T08:00:00.000Z\tUr en äldre fil.' \
    $'case\tip02\tbo\t2026-10-01T08:00:00.000Z\t2026-10-02T08:00:00Z\tOckså äldre.' >"$TMP/older.tsv"
"$KODBOK" memo import "$TMP/older.tsv" | grep -qx "$TMP/older.tsv: 2 memos: 2 added, 0 already there, 0 conflicts (the project's kept)" && ok || bad "older file"
[ "$(memos --code struktur --at '' --author bo | jq -r '.[0].text')" = "Ur en äldre fil." ] && ok || bad "older file's code memo is on the code as a whole"
"$KODBOK" memo import "$TMP/older.tsv" | grep -q ": 0 added, 2 already there" && ok || bad "older file again"
# bad lines: the file and line, nothing stored
before=$(state)
H=$'target\tname\tauthor\tcreated\tchanged\ttext'
T=2026-12-01T10:00:00.000Z
G=$'project\t\tanna\t2026-11-01T09:00:00.000Z\t2026-11-01T09:00:00.000Z\tgod' # a good line
badfile() { printf '%s\n%s\n%s\n' "$H" "$G" "$1" >"$TMP/bad.tsv"; }
badfile $'document\tip9\tanna\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: no document 'ip9' in the project \(did you mean" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'theme\tvvg-roll-oklar\tanna\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: 'vvg-roll-oklar' is a concept in the codebook, not a theme" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'coding\t\tanna\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: target 'coding'" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'project\tip01\tanna\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: a memo on the project names nothing" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'project\t\tanna\t2026-12-01 10:00\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: bad times" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'project\t\tanna\t'$T$'\t2026-11-01T10:00:00Z\tx'
expect_fail 2 "bad.tsv:3: bad times" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'project\t\ta b\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: author name 'a b' has a space" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'project\t\tanna\t'$T$'\t'$T$'\t  '
expect_fail 2 "bad.tsv:3: an empty memo text" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'project\t\tanna\t'$T$'\t'$T$'\ta\\qb'
expect_fail 2 "bad.tsv:3: a backslash" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'project\t\tanna\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: 5 fields, want 6" "$KODBOK" memo import "$TMP/bad.tsv"
# in the form with at
H=$'target\tname\tat\tauthor\tcreated\tchanged\ttext'
G=$'project\t\t\tanna\t2026-11-01T09:00:00.000Z\t2026-11-01T09:00:00.000Z\tgod'
badfile $'theme\tstruktur\tlevel=lokal\tanna\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: 6 fields, want 7" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'theme\tstruktur\tlevel=lokl\tanna\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: facet 'level' has no value 'lokl' \(did you mean 'lokal'\?\)" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'theme\tstruktur\tnivå=lokal\tanna\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: no facet 'nivå' in the codebook" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'theme\tstruktur\tlokal\tanna\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: 'lokal' is not FACET=VALUE" "$KODBOK" memo import "$TMP/bad.tsv"
badfile $'case\tip02\tlevel=lokal\tanna\t'$T$'\t'$T$'\tx'
expect_fail 2 "bad.tsv:3: a memo on a case is on it as a whole" "$KODBOK" memo import "$TMP/bad.tsv"
printf 'document\ttext_sha256\n' >"$TMP/bad.tsv"
expect_fail 2 "bad.tsv:1: not a kodbok memos file" "$KODBOK" memo import "$TMP/bad.tsv"
[ "$(state)" = "$before" ] && ok || bad "a bad memos file stored something"

# --- REFI-QDA notes ---------------------------------------------------------------
# The sample's memos file in a fresh project, exported, imported elsewhere:
# the same memos (refi_roundtrip.sh holds the whole project to it).
R="$TMP/r.db"
new_project "$R"
"$KODBOK" -p "$R" memo import "$C/memos.tsv" >/dev/null || bad "memo import into r"
"$KODBOK" -p "$R" export qdpx -o "$TMP/r.qdpx" >/dev/null || bad "export r"
"$KODBOK" -p "$TMP/s.db" init >/dev/null
"$KODBOK" -p "$TMP/s.db" import "$TMP/r.qdpx" --codebook-out "$TMP/s.yaml" >"$TMP/out" 2>/dev/null || bad "import r.qdpx"
n=$(($(wc -l <"$C/memos.tsv") - 1))
grep -qx "$n memos from notes (journal, documents, cases, codes), 0 left out" "$TMP/out" && ok || bad "import said: $(cat "$TMP/out")"
[ "$(grep -c $'^theme\t[^\t]*\tlevel=' "$C/memos.tsv")" -ge 6 ] && ok || bad "the sample has memos on six cells"
"$KODBOK" -p "$TMP/s.db" memo export -o - | cmp -s - "$C/memos.tsv" && ok || bad "the memos came back otherwise"
# imported again: nothing new
"$KODBOK" -p "$TMP/s.db" import "$TMP/r.qdpx" --codebook-out "$TMP/s2.yaml" >"$TMP/out" 2>/dev/null || bad "import r.qdpx again"
grep -q "[1-9][0-9]* memos\{0,1\} from notes" "$TMP/out" && bad "again: $(cat "$TMP/out")" || ok
[ "$("$KODBOK" -p "$TMP/s.db" memo list --format json | jq '.memos | length')" = "$n" ] && ok || bad "memos doubled"
# a cell memo's note names its cell, in its name and its kodbok block
unzip -p "$TMP/r.qdpx" project.qde >"$TMP/r.qde"
grep -q '<Note [^>]*name="theme struktur at level=regional"' "$TMP/r.qde" && ok || bad "the cell's note name"
grep -qx "  at: 'level=regional'" "$TMP/r.qde" && ok || bad "the cell in the note's kodbok block"
# Another tool's notes have no kodbok block: each is on what refers to it
# (the project, a source, a code), or the journal when nothing does; its
# times as the tool wrote them (an offset read as UTC, none: the import's).
mkdir "$TMP/o" && (cd "$TMP/o" && unzip -q "$TMP/r.qdpx") || bad "unzip r"
perl -0pi -e 's#<Description>kodbok:\n  memo: [a-z]+\n(  name: [^\n]*\n)?(  at: [^\n]*\n)?</Description>\s*##g' "$TMP/o/project.qde"
sed -i -e 's#creationDateTime="2026-09-12T14:20:00.000Z"#creationDateTime="2026-09-12T16:20:00+02:00"#' \
    -e 's# modifiedDateTime="2026-09-03T11:00:00.000Z"##; s# creationDateTime="2026-09-03T11:00:00.000Z"##' \
    "$TMP/o/project.qde"
grep -q "memo: " "$TMP/o/project.qde" && bad "kodbok blocks left in the notes" || ok
(cd "$TMP/o" && zip -qr "$TMP/o.qdpx" project.qde sources) || bad "zip o"
"$KODBOK" -p "$TMP/o.db" init >/dev/null
"$KODBOK" -p "$TMP/o.db" import "$TMP/o.qdpx" --codebook-out "$TMP/o.yaml" >/dev/null 2>&1 || bad "import o.qdpx"
"$KODBOK" -p "$TMP/o.db" memo list --format json | jq -c '[.memos[] | [.target, .kind, .name, .author, .created_at[0:19]]]' >"$TMP/o.json"
[ "$(jq -c '[.[] | select(.[0] == "project")] | length' "$TMP/o.json")" = 4 ] && ok || bad "journal: $(cat "$TMP/o.json")"
jq -e 'any(.[]; . == ["project", null, "", "bo", "2026-09-12T16:20:00"])' "$TMP/o.json" >/dev/null && ok || bad "the case's note, unreferenced: $(cat "$TMP/o.json")"
jq -e 'any(.[]; . == ["document", null, "ip05", "anna", "2026-09-05T09:30:00"])' "$TMP/o.json" >/dev/null && ok || bad "the source's note: $(cat "$TMP/o.json")"
jq -e 'any(.[]; .[0:4] == ["code", "theme", "struktur", "anna"] and .[4] > "2026-12")' "$TMP/o.json" >/dev/null && ok || bad "the code's note, timed at the import: $(cat "$TMP/o.json")"
jq -e 'any(.[]; .[0:3] == ["code", "theme", "covid-19"])' "$TMP/o.json" >/dev/null && ok || bad "the other code's note"

# --- a code renamed with was: keeps its memos -----------------------------------
sed 's/- id: struktur$/- id: strukturen\n        was: struktur/' "$CB" >"$TMP/renamed.yaml"
grep -q "was: struktur" "$TMP/renamed.yaml" || bad "rename codebook"
"$KODBOK" code -q "$TMP/renamed.yaml" >/dev/null || bad "code renamed"
memos --code strukturen --at '' | jq -e 'any(.[]; .text == "Temat samlar det formella.")' >/dev/null && ok || bad "renamed: $(memos --code strukturen)"
[ "$(memos --code strukturen --at level=regional | jq -r '.[0].text')" = "Regionalt: strukturen sedd inifrån." ] && ok || bad "the cell memo renamed: $(memos --code strukturen)"
[ "$(memos --code struktur)" = "[]" ] && ok || bad "old id left"

finish
