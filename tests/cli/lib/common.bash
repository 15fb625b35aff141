# Shared by the CLI tests: sourced with KODBOK, SRC and SHARED set from the
# arguments ctest passes (binary, source tree, shared folder).
set -u
KODBOK=$1
SRC=$2
SHARED=${3:-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export KODBOK_PROJECT="$TMP/p.db"
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}

# expect_fail CODE PATTERN CMD...: CMD exits with CODE and prints exactly one
# line on stderr, matching the grep -E PATTERN.
expect_fail() {
    local code=$1 pattern=$2
    shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    local lines
    lines=$(wc -l <"$TMP/err")
    if [ "$rc" -ne "$code" ]; then
        bad "'$*' exited $rc, wanted $code: $(cat "$TMP/err")"
    elif [ "$lines" -ne 1 ]; then
        bad "'$*' printed $lines lines on stderr: $(cat "$TMP/err")"
    elif ! grep -qE -- "$pattern" "$TMP/err"; then
        bad "'$*' said '$(cat "$TMP/err")', wanted /$pattern/"
    else
        ok
    fi
}

# A fingerprint of everything a project holds, to check it did not change.
fingerprint() {
    {
        "$KODBOK" docs --format json
        "$KODBOK" cases --format json
    } | sed 's/"imported_at": "[^"]*"//' | sha256sum
}

# Checks that every segment's code-point span cut out of the stored text
# gives back the segment's text (jq strings index by code point).
positions_ok() {
    local doc=$1 kind=$2
    "$KODBOK" show "$doc" --raw >"$TMP/raw"
    "$KODBOK" show "$doc" --segments "$kind" --format json |
        jq -e --rawfile t "$TMP/raw" \
            '[.segments[] | ($t[.start:.end] == .text)] | all' >/dev/null
}

# office_cmd: LibreOffice's command, or nothing where there is none or
# where the suite leaves it out (KODBOK_TEST_NO_OFFICE: the sanitized run,
# whose files are the plain run's bytes, rendered there already).
office_cmd() {
    [ -z "${KODBOK_TEST_NO_OFFICE:-}" ] || return 0
    command -v soffice || command -v libreoffice || true
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

need_shared() {
    if [ -z "$SHARED" ] || [ ! -d "$SHARED/corpora-external" ]; then
        echo "skipped: no shared folder at '$SHARED'"
        exit 77
    fi
}
