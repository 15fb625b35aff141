#!/usr/bin/env bash
# Bad input: each gets one line on stderr naming the file (and line), the
# documented exit code, and leaves the project exactly as it was.
source "$(dirname "$0")/lib/common.bash"

expect_fail 2 "kodbok\.db: no project here" "$KODBOK" -p "$TMP/none/kodbok.db" docs
"$KODBOK" init >/dev/null || bad "init"
expect_fail 2 "p\.db: already exists" "$KODBOK" init
"$KODBOK" import -q --attrs "$SRC/corpora/vardsamverkan/cases.csv" \
    "$SRC/corpora/vardsamverkan/ip01.txt" >/dev/null || bad "first import"
before=$(fingerprint)

printf 'R: bra\n' >"$TMP/good.txt"
printf 'R: \000\001binary\n' >"$TMP/bin.txt"
: >"$TMP/empty.txt"
mkdir "$TMP/dir"
printf 'R: hemligt\n' >"$TMP/locked.txt"
chmod 000 "$TMP/locked.txt"
printf 'case,level\nip01,lokal\nip02\n' >"$TMP/short.csv"
printf 'case,level\nip01,"lokal\n' >"$TMP/quote.csv"
printf 'level,gender\nlokal,man\n' >"$TMP/nocase.csv"

expect_fail 2 "missing\.txt: no such file" "$KODBOK" import "$TMP/good.txt" "$TMP/missing.txt"
expect_fail 2 "bin\.txt:1:4: not a text file" "$KODBOK" import "$TMP/good.txt" "$TMP/bin.txt"
expect_fail 2 "empty\.txt: empty file" "$KODBOK" import "$TMP/good.txt" "$TMP/empty.txt"
expect_fail 3 "dir: is a directory" "$KODBOK" import "$TMP/good.txt" "$TMP/dir"
if [ "$(id -u)" != 0 ]; then
    expect_fail 3 "locked\.txt: Permission denied" "$KODBOK" import "$TMP/locked.txt"
fi
expect_fail 2 "short\.csv:3:1: 1 fields where the header has 2" \
    "$KODBOK" import --attrs "$TMP/short.csv" "$TMP/good.txt"
expect_fail 2 "quote\.csv:2:6: unterminated quoted field" \
    "$KODBOK" import --attrs "$TMP/quote.csv" "$TMP/good.txt"
expect_fail 2 "nocase\.csv:1:1: no 'case' column" \
    "$KODBOK" cases import "$TMP/nocase.csv"
expect_fail 2 "no case 'ip99'" "$KODBOK" import --case ip99 "$TMP/good.txt"
expect_fail 1 "import: unknown option or missing value: .--bogus." "$KODBOK" import --bogus "$TMP/good.txt"
expect_fail 1 "--speaker:1:5: invalid regex" "$KODBOK" import --speaker 'Anf(' "$TMP/good.txt"
expect_fail 1 "unknown command 'frobnicate'" "$KODBOK" frobnicate
expect_fail 1 "show: unknown segment kind 'word'" "$KODBOK" show ip01 --segments word
expect_fail 1 "docs: unknown format 'xml'" "$KODBOK" docs --format xml
expect_fail 2 "no document 'ip77'" "$KODBOK" show ip77
expect_fail 1 "one file only" "$KODBOK" import --name x "$TMP/good.txt" "$TMP/good.txt"

# A failing file after good ones in the same command stores nothing either.
cp "$SRC/corpora/vardsamverkan/ip02.txt" "$TMP/ip02.txt"
expect_fail 2 "bin\.txt:1:4" "$KODBOK" import "$TMP/ip02.txt" "$TMP/bin.txt"

after=$(fingerprint)
[ "$before" = "$after" ] && ok || bad "the project changed after failed commands"
[ "$("$KODBOK" docs --format json | jq '.documents | length')" = 1 ] && ok || bad "document count"

# Killed half-way through a large import, the project holds all or nothing
# of it and stays intact.
for i in 1 2 3 4 5 6; do
    for f in "$SRC"/corpora/vardsamverkan/ip0[1-3].txt; do
        for k in $(seq 64); do cat "$f"; done
    done >"$TMP/big$i.txt"
done
before=$(fingerprint)
"$KODBOK" import -q "$TMP"/big*.txt >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
n=$("$KODBOK" docs --format json | jq '.documents | length')
if [ "$n" = 1 ]; then
    [ "$(fingerprint)" = "$before" ] && ok || bad "killed import changed the project"
elif [ "$n" = 7 ]; then
    ok # it finished before the kill
else
    bad "killed import left $n documents"
fi
[ "$(sqlite3 "$KODBOK_PROJECT" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity"
finish
