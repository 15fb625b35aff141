#!/usr/bin/env bash
# Issue 19, defects 1, 4 and 11 (temporary files on signals): every file
# kodbok writes goes one way (kb_output). For each command that writes a
# file: a link planted at its temporary name is never followed, a FIFO and
# /dev/null are written in place and stay what they are, a symbolic link
# the user made stays a link to the file it names, and a write that fails
# (a file size limit, a folder that cannot be written) leaves the previous
# file as it was and no temporary file behind. SIGTERM and SIGINT in the
# middle of a write remove the temporary files.
source "$(dirname "$0")/lib/common.bash"
CB="$SRC/codebooks/vardsamverkan.yaml"
C="$SRC/corpora/vardsamverkan"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/ip0[1-3].txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code "$CB" >/dev/null 2>&1 || bad "code"
# Every output more than 1 KiB (the file size limit below): tags, memos,
# concepts enough.
for s in $(seq 1 20); do
    "$KODBOK" tag ip01 helheten-viktig --segment "sentence:$s" --coder anna >/dev/null || bad "tag $s"
    "$KODBOK" memo add --text "Memo $s: samverkan mellan regionen och kommunerna bär, men bara där cheferna känner varandra." >/dev/null || bad "memo $s"
done
{
    echo "theme,concept,patterns"
    for i in $(seq 1 30); do echo "Struktur,Begrepp nummer $i om helheten,\\bhelhet$i\\w*"; done
} >"$TMP/sheet.csv"

# write NAME OUT: runs the writer NAME with its output at OUT ($EXEC: exec,
# to run it in the shell's own process).
WRITERS="quotes-csv quotes-xlsx matrix words report slides-md slides-pptx
structure tags-export memo-export codebook-csv codebook-qdc export-qdpx
eval-save"
# shape FILE: a zip's parts and their sizes, or another file's size.
shape() {
    if [ "$(head -c 2 "$1")" = PK ]; then
        unzip -l "$1" | awk 'NR > 3 && $4 != "" { print $1, $4 }' | sort | tr '\n' ' '
    else
        wc -c <"$1"
    fi
}

write() {
    case $1 in
    quotes-csv) $EXEC "$KODBOK" quotes -f csv -o "$2" ;;
    quotes-xlsx) $EXEC "$KODBOK" quotes -f xlsx -o "$2" ;;
    matrix) $EXEC "$KODBOK" matrix -f csv -o "$2" ;;
    words) $EXEC "$KODBOK" words -f tsv -o "$2" ;;
    report) $EXEC "$KODBOK" report -o "$2" ;;
    slides-md) $EXEC "$KODBOK" slides -f md -o "$2" ;;
    slides-pptx) $EXEC "$KODBOK" slides -f pptx -o "$2" ;;
    structure) $EXEC "$KODBOK" structure "$CB" -o "$2" ;;
    tags-export) $EXEC "$KODBOK" tags export -o "$2" ;;
    memo-export) $EXEC "$KODBOK" memo export -o "$2" ;;
    codebook-csv) $EXEC "$KODBOK" codebook import "$TMP/sheet.csv" -o "$2" ;;
    codebook-qdc) $EXEC "$KODBOK" codebook export -o "$2" "$CB" ;;
    export-qdpx) $EXEC "$KODBOK" export qdpx -o "$2" ;;
    eval-save) $EXEC "$KODBOK" eval --gold anna --save "$2" ;;
    esac
}

# No temporary file left in folder $1 (after NAME $2).
no_temps() {
    local left
    left=$(find "$1" -name '*.tmp' | head -3)
    [ -z "$left" ] && ok || bad "$2 left $left"
}

EXEC=
export -f write
export KODBOK CB TMP
mkdir "$TMP/w"
# The project held open by another connection while the writers run, so
# that its shared-memory file is there already (SQLite could not make it
# under the file size limit below).
mkfifo "$TMP/hold"
sqlite3 "$KODBOK_PROJECT" <"$TMP/hold" >/dev/null &
holder=$!
exec 8>"$TMP/hold"
echo 'SELECT count(*) FROM documents;' >&8
for w in $WRITERS; do
    out="$TMP/w/$w.out"
    write "$w" "$out" >/dev/null 2>"$TMP/err" || bad "$w: $(cat "$TMP/err")"
    [ -s "$out" ] && ok || bad "$w wrote nothing"

    # A link planted at the temporary name this process will use (bash's
    # PID, which exec keeps) and at the name tags export used to write.
    echo victim >"$TMP/victim"
    ln -s "$TMP/victim" "$out.tmp"
    EXEC=exec bash -c 'ln -s "$0" "$2.$$-0.tmp"; write "$1" "$2"' \
        "$TMP/victim" "$w" "$out" >/dev/null 2>"$TMP/err" || bad "$w beside planted links: $(cat "$TMP/err")"
    [ "$(cat "$TMP/victim")" = victim ] && ok || bad "$w followed a planted link"
    [ -f "$out" ] && [ ! -L "$out" ] && ok || bad "$w: the output is not a file"
    rm -f "$out".*tmp "$out.tmp"

    # A FIFO is written in place, as cat reads it: the same bytes as a file
    # (a zip or a workbook: the same parts of the same sizes; they hold the
    # time, which can compress a byte shorter or longer).
    mkfifo "$TMP/w/fifo"
    cat "$TMP/w/fifo" >"$TMP/w/from-fifo" &
    reader=$!
    write "$w" "$TMP/w/fifo" >/dev/null 2>"$TMP/err" || bad "$w to a FIFO: $(cat "$TMP/err")"
    wait "$reader"
    [ -p "$TMP/w/fifo" ] && ok || bad "$w replaced the FIFO"
    [ "$(shape "$TMP/w/from-fifo")" = "$(shape "$out")" ] && ok ||
        bad "$w: $(shape "$TMP/w/from-fifo") through the FIFO, $(shape "$out") to a file"
    rm -f "$TMP/w/fifo" "$TMP/w/from-fifo"

    # /dev/null stays a device.
    write "$w" /dev/null >/dev/null 2>"$TMP/err" || bad "$w to /dev/null: $(cat "$TMP/err")"
    [ -c /dev/null ] && ok || bad "$w replaced /dev/null"

    # A link the user made stays a link; the file it names is written.
    echo old >"$TMP/w/real"
    ln -s real "$TMP/w/link"
    write "$w" "$TMP/w/link" >/dev/null 2>"$TMP/err" || bad "$w through a link: $(cat "$TMP/err")"
    [ -L "$TMP/w/link" ] && ok || bad "$w replaced the link"
    [ "$(head -c 4 "$TMP/w/real")" = "$(head -c 4 "$out")" ] && [ "$(cat "$TMP/w/real")" != old ] && ok ||
        bad "$w did not write the file the link names"
    rm -f "$TMP/w/link" "$TMP/w/real"

    # A write that fails (EFBIG under a file size limit of 0) keeps the
    # previous file whole, and says so in one line (eval adds its notices).
    echo previous >"$TMP/w/prev"
    (
        trap '' XFSZ
        ulimit -f 0
        write "$w" "$TMP/w/prev" 2>&1 >/dev/null
    ) | cat >"$TMP/err" # not a file written under the limit
    rc=${PIPESTATUS[0]}
    # (A workbook is built in TMPDIR first, under the same limit: that
    # fails first, and libxlsxwriter prints a line of its own.)
    want='prev: cannot write: File too large'
    [ "$w" = quotes-xlsx ] && want='writing the workbook failed'
    [ "$rc" = 3 ] && [ "$(grep '^kodbok:' "$TMP/err" | grep -vc 'anna:\|manual codings lie')" = 1 ] &&
        grep -q "$want" "$TMP/err" && ok ||
        bad "$w under ulimit -f: exit $rc, $(cat "$TMP/err")"
    [ "$(cat "$TMP/w/prev")" = previous ] && ok || bad "$w under ulimit -f changed the previous file"
    no_temps "$TMP/w" "$w under ulimit -f"

    # A folder where no temporary file can be made (not root: its mode;
    # root: a path through a file) fails before anything is written.
    mkdir -p "$TMP/ro"
    echo previous >"$TMP/ro/prev"
    if [ "$(id -u)" != 0 ]; then
        chmod a-w "$TMP/ro"
        write "$w" "$TMP/ro/prev" >/dev/null 2>"$TMP/err"
        rc=$?
        chmod u+w "$TMP/ro"
        [ "$rc" = 3 ] && grep -q 'ro/prev: cannot write: Permission denied' "$TMP/err" && ok ||
            bad "$w in a read-only folder: exit $rc, $(cat "$TMP/err")"
        [ "$(cat "$TMP/ro/prev")" = previous ] && ok || bad "$w changed a file in a read-only folder"
    fi
    write "$w" "$TMP/ro/prev/x" >/dev/null 2>"$TMP/err"
    rc=$?
    [ "$rc" = 3 ] && grep -q 'prev/x: cannot write: Not a directory' "$TMP/err" && ok ||
        bad "$w under a file: exit $rc, $(cat "$TMP/err")"
    no_temps "$TMP/w" "$w"
done
exec 8>&-
wait "$holder"

# docs rm: the tags file it saves goes the same way (a planted link at
# its temporary name is not followed).
echo victim >"$TMP/victim"
bash -c 'ln -s "$0" "$1.$$-0.tmp"; exec "$2" docs rm ip01 --force -o "$1"' \
    "$TMP/victim" "$TMP/w/removed.tsv" "$KODBOK" >/dev/null 2>"$TMP/err" || bad "docs rm: $(cat "$TMP/err")"
[ "$(cat "$TMP/victim")" = victim ] && ok || bad "docs rm followed a planted link"
grep -q helheten-viktig "$TMP/w/removed.tsv" && ok || bad "docs rm saved no tags"

# SIGTERM and SIGINT in the middle of a write: the temporary files (beside
# the output, and the workbook's own in TMPDIR) are removed, and kodbok
# ends by the signal. A larger project keeps the write going long enough to
# be caught; each try polls for a temporary file, then signals.
"$KODBOK" import -q "$C"/ip0[4-7].txt "$C"/fokusgrupp.txt >/dev/null 2>&1 || bad "import more"
"$KODBOK" code "$CB" >/dev/null 2>&1 || bad "code more"
mkdir -p "$TMP/sig" "$TMP/sigtmp"
set -m # background jobs get SIGINT (without job control, bash ignores it in them)
for sig in TERM INT; do
    rm -rf "${TMP:?}/sig/"* "${TMP:?}/sigtmp/"*
    caught=0
    for try in $(seq 1 20); do
        TMPDIR="$TMP/sigtmp" "$KODBOK" quotes -f xlsx -o "$TMP/sig/q.xlsx" 2>/dev/null &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do
            if compgen -G "$TMP/sig/q.xlsx.*.tmp" >/dev/null || [ -n "$(ls -A "$TMP/sigtmp")" ]; then
                kill -"$sig" "$pid" 2>/dev/null && caught=1
                break
            fi
        done
        wait "$pid"
        rc=$?
        # a signal sent as the write ended finds nothing left to remove
        [ "$rc" = 0 ] && caught=0
        [ "$caught" = 1 ] && break
    done
    if [ "$caught" = 1 ]; then
        want=$((128 + $(kill -l "$sig")))
        [ "$rc" = "$want" ] && ok || bad "SIG$sig: exit $rc, wanted $want"
        no_temps "$TMP/sig" "SIG$sig"
        [ -z "$(ls -A "$TMP/sigtmp")" ] && ok || bad "SIG$sig left $(ls -A "$TMP/sigtmp") in TMPDIR"
    else
        bad "SIG$sig: no temporary file seen in 20 tries"
    fi
done

finish
