#!/usr/bin/env bash
# Issue 19, defect 2: a write to standard output that fails (a full disk:
# /dev/full) ends every command with exit 3 and one line, "kodbok: error
# writing standard output: No space left on device", never exit 0 with a
# truncated output. A reader that closes the pipe early (| head -1) is
# normal: kodbok ends quietly by SIGPIPE, as any Unix tool does, also when
# SIGPIPE was ignored by whoever started it.
source "$(dirname "$0")/lib/common.bash"
CB="$SRC/codebooks/vardsamverkan.yaml"
C="$SRC/corpora/vardsamverkan"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code "$CB" >/dev/null 2>&1 || bad "code"
"$KODBOK" code "$CB" >/dev/null 2>&1 || bad "code again" # a second run for diff
for s in 1 2 3 4 5 6; do
    "$KODBOK" tag ip01 helheten-viktig --segment "sentence:$s" --coder anna >/dev/null || bad "tag anna $s"
    "$KODBOK" tag ip01 helheten-viktig --segment "sentence:$((s + 2))" --coder bo >/dev/null || bad "tag bo $s"
done
"$KODBOK" memo add --text "Samverkan bär där cheferna känner varandra." >/dev/null || bad "memo"
WANT='^kodbok: error writing standard output: No space left on device$'

# full CMD...: CMD >/dev/full exits 3 with the one line (notices a command
# prints on the way, such as eval's, may come before it).
full() {
    "$@" >/dev/full 2>"$TMP/err"
    local rc=$?
    if [ "$rc" = 3 ] && [ "$(grep -c 'standard output' "$TMP/err")" = 1 ] &&
        tail -1 "$TMP/err" | grep -qE "$WANT"; then
        ok
    else
        bad "'$*' >/dev/full: exit $rc, $(cat "$TMP/err")"
    fi
}

full "$KODBOK" show ip01 --raw
full "$KODBOK" show ip01
full "$KODBOK" show ip01 --format json
full "$KODBOK" docs
full "$KODBOK" diff
full "$KODBOK" runs
full "$KODBOK" cases
full "$KODBOK" agree --coders anna,bo
full "$KODBOK" eval --gold anna
full "$KODBOK" codebook check "$CB"
full "$KODBOK" tags
full "$KODBOK" tags export -o -
full "$KODBOK" review --coder anna </dev/null
full "$KODBOK" quotes
full "$KODBOK" quotes -f csv
full "$KODBOK" quotes -f html
full "$KODBOK" quotes -f json
full "$KODBOK" matrix
full "$KODBOK" matrix -f svg
full "$KODBOK" search 'samverk\w*'
full "$KODBOK" search 'samverk\w*' -f csv
full "$KODBOK" words
full "$KODBOK" report
full "$KODBOK" structure "$CB"
full "$KODBOK" slides -f md
full "$KODBOK" memo list
full "$KODBOK" --help
full "$KODBOK" --version

# Standard output written whole: exit 0 and nothing on stderr.
"$KODBOK" docs >"$TMP/docs" 2>"$TMP/err" && [ ! -s "$TMP/err" ] && grep -q '^ip01 ' "$TMP/docs" && ok || bad "docs to a file"

# A closed pipe: no word on stderr; killed by SIGPIPE (141) when the
# output outgrew the pipe before head closed it.
"$KODBOK" quotes -f json 2>"$TMP/err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
[ "$rc" = 141 ] && [ ! -s "$TMP/err" ] && ok || bad "quotes | head -1: exit $rc, $(cat "$TMP/err")"
# SIGPIPE ignored by the caller: the write fails with EPIPE, and kodbok
# still ends as by SIGPIPE, quietly.
(
    trap '' PIPE
    "$KODBOK" quotes -f json 2>"$TMP/err" | head -1 >/dev/null
    exit "${PIPESTATUS[0]}"
)
rc=$?
[ "$rc" = 141 ] && [ ! -s "$TMP/err" ] && ok || bad "quotes | head -1, SIGPIPE ignored: exit $rc, $(cat "$TMP/err")"

finish
