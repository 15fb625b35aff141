#!/usr/bin/env bash
# The crash-consistency test (docs/torture.md): import, code, tags import,
# docs rm and the exports killed with SIGKILL at their Kth kill point
# (KODBOK_TEST_KILL_AT: each row written, each commit, each file about to
# replace another), K = 1, 2, ... and then sparser, until the command
# finishes; the exports written through the CLI's stream also after stepped
# delays. After each kill: PRAGMA integrity_check is ok; the project holds
# what it held before the command or, where the command had committed,
# what it holds after the command run whole (the last run and every manual
# coding among it); a previous output file is as it was; and the command
# run again works and leaves what the whole run leaves.
# Usage: kill.sh KODBOK SOURCE_DIR
set -u
KODBOK=$1
SRC=$2
# In memory where there is a tmpfs: a kill loses what the process had not
# written, not what the kernel had not synced, so a disk adds only waiting.
TMP=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$TMP"' EXIT
D="$SRC/tests/cli/data/trial"
export KODBOK_PROJECT="$TMP/p.db" KODBOK_CODER=anna
cd "$TMP" || exit 1
passed=0
failed=0
kills=0
ok() { passed=$((passed + 1)); }
bad() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}

# What the project holds: every table but the virtual ones, without the
# times of day (imported_at, started_at, ...) and a run's seconds.
state() {
    sqlite3 "$1" "SELECT 'SELECT ' || quote(name) || '; SELECT ' ||
        (SELECT group_concat('quote(\"' || c.name || '\")', ',') FROM
         pragma_table_info(t.name) c WHERE c.name NOT LIKE '%\_at' ESCAPE
         '\' AND c.name <> 'seconds') || ' FROM \"' || name || '\"' ||
        CASE WHEN sql LIKE '%WITHOUT ROWID%' THEN '' ELSE ' ORDER BY rowid'
        END || ';' FROM sqlite_schema t WHERE type = 'table' AND sql NOT LIKE
        'CREATE VIRTUAL%' ORDER BY name" | sqlite3 "$1" | sha256sum
}

# Whether two outputs are the same: a workbook by its sheets (its
# properties hold the time it was written).
same() {
    case $1 in
    *.xlsx) cmp -s <(unzip -p "$1" 'xl/worksheets/*') \
        <(unzip -p "$2" 'xl/worksheets/*') ;;
    *) cmp -s "$1" "$2" ;;
    esac
}

# docs rm --force writes a new tags file: the one of the run before goes.
docs_rm_force() {
    rm -f ip2-tags.tsv
    "$KODBOK" docs rm ip2 --force -o ip2-tags.tsv
}

# The project every command starts from: three interviews with their cases,
# coded, with manual codings of two coders (a memo on one), and a tags file
# of a third coder's, made in a copy.
"$KODBOK" init >/dev/null || bad "init"
"$KODBOK" import -q --attrs "$D/cases.csv" "$D/ip1.txt" "$D/ip2.txt" \
    "$D/ip3.txt" >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$D/codebook.yaml" >/dev/null || bad "code"
"$KODBOK" tag ip3 gemensamma-forum --quote "Vi löste det på en eftermiddag." \
    --memo "snabbt" >/dev/null || bad "tag 1"
"$KODBOK" tag ip2 mellan-stolarna --quote "Sedan har vi tre dagar på oss." \
    >/dev/null || bad "tag 2"
"$KODBOK" tag ip3 sip-oklar --quote "Vad tänker du om SIP?" --coder bo \
    >/dev/null || bad "tag 3"
cp p.db other.db
KODBOK_PROJECT=other.db "$KODBOK" tag ip1 vi-och-dom --segment sentence:3 \
    --coder cilla >/dev/null || bad "tag cilla"
KODBOK_PROJECT=other.db "$KODBOK" tags export --coder cilla -o cilla.tsv \
    >/dev/null || bad "tags export"
rm -f other.db*
# A new version of ip3 (its manual codings re-anchored) and a new ip4.
iconv -f windows-1252 -t utf-8 "$D/ip3.txt" |
    sed 's/tolvtusen/elvatusen/' >ip3.txt
iconv -f windows-1252 -t utf-8 "$D/ip4.txt" >ip4.txt
# A codebook with one concept more, and every concept's rule changed (a
# pattern more), so that the run matches every document again.
sed -e 's/^          - id: vi-och-dom$/          - id: helger\
            label: Helger\
            patterns: ['"'"'\\bhelg\\w*'"'"']\
          - id: vi-och-dom/' -e "s/patterns: \\['/patterns: ['\\\\bveckoslut\\\\b', '/" \
    "$D/codebook.yaml" >cb2.yaml
grep -q 'id: helger' cb2.yaml || bad "test setup: cb2.yaml"
[ -e p.db-wal ] && bad "test setup: a WAL left after the commands"
cp p.db base.db
printf 'previous\n' >previous
manual=$(sqlite3 base.db "SELECT COUNT(*) FROM manual_codings")
[ "$manual" -ge 3 ] && ok || bad "test setup: $manual manual codings"

# The K of the kill points tried: every one up to 8, then about 1.4 times
# the one before.
next_k() {
    local k=$1
    if [ "$k" -lt 8 ]; then echo $((k + 1)); else echo $((k * 7 / 5)); fi
}

# after_state NAME CMD...: the state CMD leaves when it runs whole on the
# base project, and its output file (for an export) as NAME.whole.
whole() {
    local name=$1
    shift
    cp base.db p.db
    rm -f p.db-wal p.db-shm
    "$@" >/dev/null 2>&1 || bad "$name: fails without a kill"
    state p.db
}

# check_after NAME KILLED_AT BEFORE AFTER OUT CMD...: the checks after CMD
# was killed; OUT is the output file ("" if none), which holds "previous"
# before the command or the whole output after it.
check_after() {
    local name=$1 k=$2 before=$3 after=$4 out=$5
    shift 5
    local s
    [ "$(sqlite3 p.db 'PRAGMA integrity_check')" = ok ] && ok ||
        bad "$name killed at $k: integrity_check fails"
    s=$(state p.db)
    [ "$s" = "$before" ] || [ "$s" = "$after" ] && ok ||
        bad "$name killed at $k: the project is neither as before nor as after"
    if [ -n "$out" ]; then
        if cmp -s "$out" previous || same "$out" "$name.whole"; then ok; else
            bad "$name killed at $k: $out is neither the previous file nor the whole new one"
        fi
    fi
    # The next command: the same again, whole.
    if "$@" >/dev/null 2>err; then ok; else
        bad "$name killed at $k: run again: $(cat err)"
    fi
    [ "$(state p.db)" = "$after" ] && ok ||
        bad "$name killed at $k: run again, the project is not as after a whole run"
    [ -z "$out" ] || same "$out" "$name.whole" && ok ||
        bad "$name killed at $k: run again, $out is not the whole output"
}

# kill_points NAME OUT CMD...: CMD killed at its kill points K = 1, 2, ...
# until it finishes; OUT as for check_after.
kill_points() {
    local name=$1 out=$2
    shift 2
    local before after k=1 rc n=0
    before=$(state base.db)
    after=$(whole "$name" "$@")
    [ -z "$out" ] || cp "$out" "$name.whole"
    while :; do
        cp base.db p.db
        rm -f p.db-wal p.db-shm
        [ -z "$out" ] || cp previous "$out"
        { KODBOK_TEST_KILL_AT=$k "$@" >/dev/null 2>&1; } 2>/dev/null
        rc=$?
        if [ "$rc" -eq 0 ]; then
            break
        elif [ "$rc" -ne 137 ]; then
            bad "$name at kill point $k: exit $rc, not killed"
            break
        fi
        n=$((n + 1))
        check_after "$name" "$k" "$before" "$after" "$out" "$@"
        k=$(next_k "$k")
    done
    [ "$n" -gt 0 ] || bad "$name: no kill point"
    kills=$((kills + n))
    echo "$name: $n kills at kill points"
}

# kill_delays NAME OUT CMD...: CMD killed after 5 to 60 ms; a kill
# that came too late is no kill.
kill_delays() {
    local name=$1 out=$2
    shift 2
    local before after ms rc n=0
    before=$(state base.db)
    after=$(whole "$name" "$@")
    [ -z "$out" ] || cp "$out" "$name.whole"
    for ms in 5 10 20 30 45 60; do
        cp base.db p.db
        rm -f p.db-wal p.db-shm
        [ -z "$out" ] || cp previous "$out"
        { timeout -s KILL "0.0$(printf %02d "$ms")" "$@" >/dev/null 2>&1; } 2>/dev/null
        rc=$?
        [ "$rc" -eq 0 ] && continue
        [ "$rc" -eq 137 ] || bad "$name after $ms ms: exit $rc"
        n=$((n + 1))
        check_after "$name" "${ms}ms" "$before" "$after" "$out" "$@"
    done
    kills=$((kills + n))
    echo "$name: $n kills after a delay"
}

kill_points import "" "$KODBOK" import -q ip3.txt ip4.txt
kill_points code "" "$KODBOK" code -q cb2.yaml
kill_points tags-import "" "$KODBOK" tags import cilla.tsv
kill_points docs-rm "" docs_rm_force
kill_points docs-rm-plain "" "$KODBOK" docs rm ip1
kill_points slides out.pptx "$KODBOK" slides -o out.pptx
kill_points quotes-xlsx out.xlsx "$KODBOK" quotes --format xlsx -o out.xlsx
kill_delays quotes-csv out.csv "$KODBOK" quotes --format csv -o out.csv
kill_delays matrix out.json "$KODBOK" matrix --format json -o out.json
kill_delays structure out.svg "$KODBOK" structure "$D/codebook.yaml" -o out.svg

[ "$kills" -ge 50 ] && ok || bad "only $kills kills"
echo "$kills kills; $passed passed, $failed failed"
[ "$failed" -eq 0 ]
