#!/usr/bin/env bash
# Issue 19, defect 9: a project that cannot be written is opened read-only.
# Three ways it cannot be: a folder and file the user cannot write (as
# root, the commands run as `nobody`, whom the permissions do bind), a
# read-only mount, and a full disk (both in a mount namespace of our own,
# `unshare -rm`, with a tmpfs; skipped where there is none). In each,
# reading and exporting elsewhere work and give what the writable project
# gives; every command that writes fails with one line saying the project
# can only be read, exit 3, and changes nothing. `serve` on it: reads work,
# a write is refused (403) and the session tells the page.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
export KODBOK_CODER=anna
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "code"
"$KODBOK" tag ip01 vvg-roll-oklar --span 200:260 >/dev/null || bad "tag"

# What the writable project reads: the reference.
reads() { # reads PROJECT OUTDIR: every read the test compares
    "$KODBOK" -p "$1" docs --format json >"$2/docs" &&
        "$KODBOK" -p "$1" show ip01 --raw >"$2/show" &&
        "$KODBOK" -p "$1" quotes --format json >"$2/quotes" &&
        "$KODBOK" -p "$1" tags --format json >"$2/tags" &&
        "$KODBOK" -p "$1" tags export -o "$2/tags.tsv" >/dev/null &&
        "$KODBOK" -p "$1" matrix --format csv -o "$2/matrix.csv" >/dev/null
}
mkdir -p "$TMP/want"
reads "$KODBOK_PROJECT" "$TMP/want" || bad "reads of the writable project"

# The commands that write, each refused.
WRITES=(
    "import $C/ip01.txt"
    "tag ip02 vvg-roll-oklar --span 100:160"
    "code $CB"
    "docs rm ip03"
    "untag --id 1"
)
# same_reads DIR WHAT: DIR holds what `reads` gave, and it is the reference.
same_reads() {
    local f
    for f in docs show quotes tags tags.tsv matrix.csv; do
        cmp -s "$TMP/want/$f" "$1/$f" || {
            bad "$2: '$f' differs from the writable project's"
            return
        }
    done
    ok
}

# --- a folder and a file the user cannot write -------------------------------
RO="$TMP/ro"
mkdir -p "$RO" "$TMP/got"
cp "$KODBOK_PROJECT" "$RO/p.db"
chmod 755 "$TMP"
chmod 777 "$TMP/got"
chmod 444 "$RO/p.db"
chmod 555 "$RO"
# kb: kodbok as a user the permissions bind (root is not one)
cat >"$TMP/kb" <<EOF
#!/bin/sh
exec $([ "$(id -u)" -eq 0 ] && echo "setpriv --reuid=nobody --regid=nogroup --clear-groups") "$KODBOK" "\$@"
EOF
chmod 755 "$TMP/kb"
OWN=$KODBOK
if "$TMP/kb" --version >/dev/null 2>&1 && "$TMP/kb" -p "$RO/p.db" docs >/dev/null 2>&1 ||
    [ "$(id -u)" -ne 0 ]; then
    KODBOK="$TMP/kb"
    reads "$RO/p.db" "$TMP/got" && ok || bad "reads of a project in a folder that cannot be written"
    same_reads "$TMP/got" "read-only folder"
    fp_ro=$(sha256sum <"$RO/p.db")
    for w in "${WRITES[@]}"; do
        # shellcheck disable=SC2086
        expect_fail 3 "p\.db: the project can be read but not changed here" "$KODBOK" -p "$RO/p.db" $w
    done
    [ "$(sha256sum <"$RO/p.db")" = "$fp_ro" ] && ok || bad "a refused write changed the file"
    [ ! -e "$RO/p.db-wal" ] && [ ! -e "$RO/p.db-shm" ] && ok || bad "files made beside the project"

    # serve: reads, a refused write, the session says read-only
    command -v curl >/dev/null && {
        start_server -p "$RO/p.db"
        grep -q "can only be read" "$TMP/serve.err" && ok || bad "serve says nothing of read-only: $(cat "$TMP/serve.err")"
        AUTH=(-H "Authorization: Bearer $TOKEN")
        curl -s "${AUTH[@]}" "$BASE/api/session" >"$TMP/session"
        jq -e '.read_only == true' "$TMP/session" >/dev/null && ok || bad "session: $(cat "$TMP/session")"
        CSRF=$(jq -r .csrf "$TMP/session")
        expect_status 200 "read on a read-only project" "${AUTH[@]}" "$BASE/api/documents/ip01"
        expect_status 403 "write on a read-only project" "${AUTH[@]}" -H "Content-Type: application/json" \
            -H "X-CSRF-Token: $CSRF" -d '{"document": "ip01", "code": "vvg-roll-oklar", "start": 300, "end": 340}' \
            "$BASE/api/tags"
        jq -e '.error | test("can be read but not changed")' "$TMP/body" >/dev/null && ok || bad "refusal: $(cat "$TMP/body")"
        curl -s "${AUTH[@]}" "$BASE/" | grep -q 'id="readonly"' && ok || bad "the page has no read-only mark"
        kill "$PID"
        wait "$PID" 2>/dev/null
    }
    [ "$(sha256sum <"$RO/p.db")" = "$fp_ro" ] && ok || bad "serve changed the file"
    KODBOK=$OWN
    # The writable project serves read_only false.
    command -v curl >/dev/null && {
        start_server
        curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/session" | jq -e '.read_only == false' >/dev/null &&
            ok || bad "a writable project's session says read-only"
        kill "$PID"
        wait "$PID" 2>/dev/null
    }
else
    echo "note: cannot run kodbok as nobody; the folder case skipped"
fi
chmod 755 "$RO"

# --- a read-only mount, and a full disk (a mount namespace of our own) --------
if unshare -rm true 2>/dev/null; then
    # in the namespace: each command's status, output and errors into $TMP/ns
    mkdir -p "$TMP/ns/ro" "$TMP/ns/full" "$TMP/mnt"
    cat >"$TMP/ns.sh" <<'EOF'
set -u
K=$1 TMP=$2 C=$3 CB=$4
source "$5"
run() { # run NAME ARGS...: kodbok ARGS, its status and stderr kept
    local name=$1
    shift
    "$K" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
    echo $? >"$OUT/$name.rc"
}
try_all() { # the reads, then every write
    reads "$TMP/mnt/p.db" "$OUT"
    echo $? >"$OUT/reads.rc"
    local i=0 w
    for w in "${WRITES[@]}"; do
        # shellcheck disable=SC2086
        run "w$i" -p "$TMP/mnt/p.db" $w
        i=$((i + 1))
    done
    sha256sum <"$TMP/mnt/p.db" >"$OUT/after"
}
mount -t tmpfs -o size=8m tmpfs "$TMP/mnt" || exit 1
cp "$TMP/p.db" "$TMP/mnt/p.db"
sha256sum <"$TMP/mnt/p.db" >"$TMP/ns/before"
# a full disk: not one byte free
OUT=$TMP/ns/full
dd if=/dev/zero of="$TMP/mnt/fill" bs=4k 2>/dev/null
try_all
rm "$TMP/mnt/fill" "$TMP/mnt/p.db-wal" "$TMP/mnt/p.db-shm" 2>/dev/null
# read-only media
OUT=$TMP/ns/ro
mount -o remount,ro "$TMP/mnt" || exit 1
try_all
EOF
    # the functions and lists the namespace's script uses
    {
        declare -f reads
        declare -p WRITES
        echo 'KODBOK=$K'
    } >"$TMP/ns.lib"
    if unshare -rm bash "$TMP/ns.sh" "$KODBOK" "$TMP" "$C" "$CB" "$TMP/ns.lib"; then
        for kind in ro full; do
            D="$TMP/ns/$kind"
            [ "$(cat "$D/reads.rc")" = 0 ] && ok || bad "$kind: reads failed: $(cat "$D"/*.err 2>/dev/null | head -3)"
            same_reads "$D" "$kind"
            for i in "${!WRITES[@]}"; do
                [ "$(cat "$D/w$i.rc")" = 3 ] && [ "$(wc -l <"$D/w$i.err")" = 1 ] &&
                    grep -q "the project can be read but not changed here" "$D/w$i.err" && ok ||
                    bad "$kind: '${WRITES[$i]}' gave $(cat "$D/w$i.rc"): $(cat "$D/w$i.err")"
            done
            cmp -s "$TMP/ns/before" "$D/after" && ok || bad "$kind: a refused write changed the file"
        done
    else
        bad "the mount namespace's script failed"
    fi
else
    echo "note: no mount namespace here (unshare -rm); read-only media and a full disk skipped"
fi

finish
