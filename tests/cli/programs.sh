#!/usr/bin/env bash
# kodbok and kodbok-full: kodbok starts without the format and server
# libraries and hands the commands that need them to kodbok-full, found
# beside it (also through a link to kodbok); when kodbok-full cannot be
# found such a command is exit 3 and one line, and kodbok's own commands
# still work.
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/trial"
cd "$TMP" || exit 1
BIN=$(dirname "$KODBOK")

# What kodbok loads at start: none of the format or server libraries.
if command -v readelf >/dev/null; then
    needed=$(readelf -d "$KODBOK" | grep NEEDED) || bad "readelf"
    heavy=$(grep -E 'xml2|libzip|xlsxwriter|cmark|microhttpd|gnutls|jansson|icu' <<<"$needed")
    [ -z "$heavy" ] && ok || bad "kodbok loads at start: $heavy"
    grep -q 'xml2' <<<"$(readelf -d "$BIN/kodbok-full")" && ok || bad "kodbok-full without libxml2"
fi

"$KODBOK" init >/dev/null || bad "init"
# A command of kodbok-full through kodbok: arguments, exit code and output
# as if run in one program.
"$KODBOK" -p "$TMP/p.db" import -q "$D/ip2.txt" >/dev/null 2>&1 || bad "import through kodbok-full"
[ "$("$KODBOK" docs | wc -l)" -ge 1 ] && ok || bad "docs after import"
expect_fail 2 "^kodbok: " "$KODBOK" import "$TMP/no-such-file.txt"
expect_fail 1 "unknown option" "$KODBOK" matrix --no-such-option
"$KODBOK" matrix --help | grep -q "^usage: kodbok matrix" && ok || bad "matrix --help through kodbok-full"
"$KODBOK" --help | grep -q "^  serve " && ok || bad "kodbok --help lists serve"

# A link to kodbok from another folder finds kodbok-full beside kodbok.
mkdir -p "$TMP/links"
ln -s "$KODBOK" "$TMP/links/kodbok"
"$TMP/links/kodbok" search samverkan >/dev/null 2>"$TMP/err" &&
    ! grep -q "kodbok-full" "$TMP/err" && ok || bad "through a link: $(cat "$TMP/err")"

# kodbok copied alone: its own commands work, the others say what is missing.
mkdir -p "$TMP/alone"
cp "$KODBOK" "$TMP/alone/kodbok"
"$TMP/alone/kodbok" docs >/dev/null 2>"$TMP/err" && ok || bad "docs alone: $(cat "$TMP/err")"
expect_fail 3 "^kodbok: cannot run 'matrix': it is a command of kodbok-full, which is not beside kodbok nor at .*kodbok-full \(No such file or directory\)$" \
    "$TMP/alone/kodbok" matrix
# and both copied to one folder work again
cp "$BIN/kodbok-full" "$TMP/alone/kodbok-full"
"$TMP/alone/kodbok" search samverkan >/dev/null 2>"$TMP/err" && ok || bad "both copied: $(cat "$TMP/err")"

finish
