#!/usr/bin/env bash
# Runs a transcript spec file (see transcripts.spec) through the kodbok CLI:
# import each case, `kodbok show --format json`, compare with jq's rendering.
# Usage: spec_cli.sh KODBOK FILE.spec
set -u
KODBOK=$1
SPEC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

run_case() {
    local dir=$1 name
    name=$(cat "$dir/name")
    rm -f "$TMP/case.db"*
    local args=()
    if [ -f "$dir/options" ]; then
        while IFS= read -r line; do
            case $line in
            speaker=*) args+=(--speaker "${line#speaker=}") ;;
            interviewer=*) args+=(--interviewer "${line#interviewer=}") ;;
            esac
        done <"$dir/options"
    fi
    cp "$dir/input" "$TMP/case.txt"
    if ! "$KODBOK" -p "$TMP/case.db" init >/dev/null ||
        ! "$KODBOK" -p "$TMP/case.db" import -q "${args[@]}" "$TMP/case.txt" >/dev/null; then
        echo "FAIL $name: import failed"
        return 1
    fi
    local ok=0 kind
    for kind in turn paragraph sentence; do
        [ -f "$dir/$kind" ] || continue
        "$KODBOK" -p "$TMP/case.db" show case --segments "$kind" --format json |
            jq -r '.segments[] | "\(.speaker // "-")|\(.role)|\(.time // "-")|\(.text | gsub("\n"; "\\n"))"' \
                >"$TMP/got"
        if ! diff -u "$dir/$kind" "$TMP/got"; then
            echo "FAIL $name: ${kind}s differ"
            ok=1
        fi
    done
    return $ok
}

# Split the spec into one folder per case.
n=0
section=
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
    "=== "*)
        n=$((n + 1))
        mkdir -p "$TMP/c$n"
        printf '%s\n' "${line#=== }" >"$TMP/c$n/name"
        section=
        continue
        ;;
    "--- "*)
        section=${line#--- }
        : >"$TMP/c$n/$section"
        continue
        ;;
    esac
    [ -n "$section" ] || continue
    if [ "$section" != input ]; then
        case $line in "#"* | "") continue ;; esac
    fi
    printf '%s\n' "$line" >>"$TMP/c$n/$section"
done <"$SPEC"

for ((i = 1; i <= n; i++)); do
    if run_case "$TMP/c$i"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
