#!/usr/bin/env bash
# Runs a spec file (see transcripts.spec and coding.spec) through the kodbok
# CLI: import each case, `kodbok show --format json`, and for a case with a
# codebook `kodbok code` and `kodbok quotes --format json`; compare with
# jq's rendering.
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
    if [ -f "$dir/cases" ]; then
        args+=(--attrs "$dir/cases")
    fi
    cp "$dir/input" "$TMP/intervju.txt"
    if ! "$KODBOK" -p "$TMP/case.db" init >/dev/null ||
        ! "$KODBOK" -p "$TMP/case.db" import -q "${args[@]}" "$TMP/intervju.txt" >/dev/null 2>"$TMP/err"; then
        echo "FAIL $name: import failed: $(cat "$TMP/err")"
        return 1
    fi
    local ok=0 kind
    for kind in turn paragraph sentence; do
        [ -f "$dir/$kind" ] || continue
        "$KODBOK" -p "$TMP/case.db" show intervju --segments "$kind" --format json |
            jq -r '.segments[] | "\(.speaker // "-")|\(.role)|\(.time // "-")|\(.text | gsub("\n"; "\\n"))"' \
                >"$TMP/got"
        if ! diff -u "$dir/$kind" "$TMP/got"; then
            echo "FAIL $name: ${kind}s differ"
            ok=1
        fi
    done
    if [ -f "$dir/quotes" ]; then
        if ! "$KODBOK" -p "$TMP/case.db" code "$dir/codebook" >/dev/null 2>"$TMP/err"; then
            echo "FAIL $name: code failed: $(cat "$TMP/err")"
            return 1
        fi
        # the facets are the columns between concept_label and source
        "$KODBOK" -p "$TMP/case.db" quotes --format json |
            jq -r '.[] | to_entries as $e | [$e[].key] as $k
                | ($e[($k | index("concept_label")) + 1:($k | index("source"))]
                   | map("\(.key)=\(.value // "-")") | join(";")) as $f
                | "\(.concept // "-")|\(.speaker // "-")|\(if $f == "" then "-" else $f end)|\(.text | gsub("\n"; "\\n"))"' \
                >"$TMP/got"
        if ! diff -u "$dir/quotes" "$TMP/got"; then
            echo "FAIL $name: quotes differ"
            ok=1
        fi
    fi
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
    # the input, codebook and cases are files, kept as written
    case $section in
    input | codebook | cases) ;;
    *) case $line in "#"* | "") continue ;; esac ;;
    esac
    printf '%s\n' "$line" >>"$TMP/c$n/$section"
done <"$SPEC"

for ((i = 1; i <= n; i++)); do
    if run_case "$TMP/c$i"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
