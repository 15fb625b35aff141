#!/usr/bin/env bash
# Codebook errors, one file each: `kodbok codebook check` must exit 2 and
# print exactly one line, "kodbok: FILE:LINE:COLUMN: message", matching the
# file's first line "# expect: LINE:COLUMN: message" (message as a prefix).
# Usage: run.sh KODBOK
KODBOK=$1
DIR=$(dirname "$0")/errors
passed=0
failed=0
for f in "$DIR"/*.yaml; do
    want=$(head -n 1 "$f" | sed 's/^# expect: //')
    "$KODBOK" codebook check "$f" >/dev/null 2>"$f.err.tmp"
    rc=$?
    got=$(cat "$f.err.tmp")
    rm -f "$f.err.tmp"
    if [ "$rc" -eq 2 ] && [ "$(printf '%s\n' "$got" | wc -l)" -eq 1 ] &&
        [[ "$got" == "kodbok: $f:$want"* ]]; then
        passed=$((passed + 1))
    else
        echo "FAIL $(basename "$f"): exit $rc"
        echo "  want: kodbok: $f:$want"
        echo "  got:  $got"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
