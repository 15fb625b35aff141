#!/bin/sh
# Runs the libFuzzer programs of a KODBOK_FUZZ build (make fuzz), one after
# another, each for SECONDS from its saved corpus, nice'd: run.sh BUILD
# SECONDS [NAME...] (none: every target). New inputs go to BUILD/work/NAME,
# crashes to BUILD/crash/NAME-*, the log to BUILD/work/NAME.log. Prints a
# line per target (executions, coverage, features, crashes) and fails if
# any target crashed. docs/fuzzing.md says how to minimise a crash and
# merge new inputs into the saved corpus.
set -u
build=$1
seconds=$2
shift 2
src=$(dirname "$0")
bin=$build/tests/fuzz
if [ $# -eq 0 ]; then
    set -- $(ls "$bin" | sed -n 's/^fuzz_//p')
fi
mkdir -p "$build/work" "$build/crash"
failed=0
printf '%-13s %8s %12s %7s %7s %s\n' target seconds executions cov ft crashes
for name in "$@"; do
    work=$build/work/$name
    log=$work.log
    mkdir -p "$work"
    start=$(date +%s)
    nice -n 10 "$bin/fuzz_$name" -max_total_time="$seconds" -timeout=20 \
        -print_final_stats=1 -artifact_prefix="$build/crash/$name-" \
        "$work" "$src/corpus/$name" >"$log" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    crashes=$(ls "$build/crash" | grep -c "^$name-")
    printf '%-13s %8s %12s %7s %7s %s\n' "$name" "$took" "${execs:-?}" \
        "${cov:-?}" "${ft:-?}" "$crashes"
    [ "$rc" -eq 0 ] || failed=1
done
exit $failed
