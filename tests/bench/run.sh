#!/usr/bin/env bash
# make bench: kodbok against its peers, measured in the same run.
# Builds two corpora from the Swedish text in shared/corpora-external, a
# >= MB transcript corpus of turns and a running text of 3/10 of MB (the
# Riksdag interpellations, no speaker labels), and for each a deterministic
# 200-concept codebook from its vocabulary; prints for each its ingest and
# coding throughput, a one-concept re-run, peak RSS, the pattern
# playground (over the sample study and the corpus), and the same patterns
# through pcre2grep and the naive loop.
# Then the memory of every step at 1 GB, kodbok serve's answers
# (serve.sh), and the table exports, the analyses and the server's matrix
# of a million codings (export.sh).
# Usage: run.sh KODBOK BENCH_NAIVE SHARED [MB]
set -euo pipefail
KODBOK=$1
NAIVE=$2
SHARED=$3
MB=${4:-100}
EXT="$SHARED/corpora-external"
[ -d "$EXT" ] || { echo "bench: no $EXT" >&2; exit 2; }
# BENCH_KEEP=1 keeps the work folder (corpus, codebook, project) to profile.
W=$(mktemp -d /tmp/kodbok-bench-XXXXXX)
[ -n "${BENCH_KEEP:-}" ] && echo "bench: keeping $W" || trap 'rm -rf "$W"' EXIT
export LC_ALL=C.UTF-8

# split_corpus SOURCE DIR BYTES DOCBYTES PREFIX LABELS: SOURCE's lines, repeated
# until they hold BYTES, as paragraphs of files DIR/PREFIXNNNN.txt of about
# DOCBYTES each; with LABELS, each a turn, "R:" when long and "I:" when short.
split_corpus() {
    awk -v dir="$2" -v target="$3" -v docsize="$4" -v prefix="$5" -v labels="$6" '
        BEGIN { doc = 0; size = 0; total = 0; file = sprintf("%s/%s%04d.txt", dir, prefix, doc) }
        function para(line,   out) {
            out = labels ? ((length(line) < 90) ? "I" : "R") ": " line : line
            printf "%s\n\n", out > file
            size += length(out) + 2; total += length(out) + 2
            if (size > docsize) { close(file); doc++; size = 0
                file = sprintf("%s/%s%04d.txt", dir, prefix, doc) }
        }
        { lines[NR] = $0 }
        END { while (total < target) for (i = 1; i <= NR && total < target; i++) para(lines[i]) }
    ' "$1"
}

# --- corpus one, turns: paragraphs become turns, ~2 MB per document -----
mkdir -p "$W/turns/corpus" "$W/running/corpus"
cat "$EXT"/running-text/*.txt "$EXT"/transcripts/*.txt |
    sed -E 's/^[^:]{1,40}: //' | grep -v '^\s*$' >"$W/turns/source.txt"
split_corpus "$W/turns/source.txt" "$W/turns/corpus" $((MB * 1000 * 1000)) 2000000 d 1

# --- corpus two, running text: the Riksdag interpellations' paragraphs,
# shuffled (the same way each time) into documents of about 95 KB with no
# speaker labels, 3/10 of MB: dense quotes, sentence by sentence ---------
grep -v '^\s*$' "$EXT/running-text/riksdagen_interpellationer.txt" |
    awk 'BEGIN { srand(19) } { printf "%.9f\t%s\n", rand(), $0 }' | sort -k1,1 |
    cut -f2- >"$W/running/source.txt"
split_corpus "$W/running/source.txt" "$W/running/corpus" $((MB * 300 * 1000)) 95000 r 0

# --- the codebook: 200 concepts of realistic shapes ---------------------
# codebook DIR: DIR/cb.yaml from the vocabulary of DIR/source.txt.
codebook() {
local D=$1
grep -oP '\b\p{Ll}{5,}\b' "$D/source.txt" | sort | uniq -c | sort -k1,1nr -k2 |
    awk 'NR > 150 && NR <= 1350 { print $2 }' >"$D/vocab.txt"
LC_ALL=C awk -v n=200 '
    # the first five bytes of w, and the rest of a character they cut
    function stem(w,   k, c) {
        for (k = 5; k < length(w); k++) {
            c = substr(w, k + 1, 1)
            if (c < "\200" || c >= "\300") break
        }
        return substr(w, 1, k)
    }
    { w[NR - 1] = $0 } 
    END {
        print "kodbok: 1\nname: Bench\ndefaults: { scope: sentence, speakers: all }\nthemes:"
        for (c = 0; c < n; c++) {
            if (c % 20 == 0) printf "  - id: t%d\n    concepts:\n", c / 20
            a = w[(c * 6) % NR]; b = w[(c * 6 + 1) % NR]; d = w[(c * 6 + 2) % NR]
            printf "      - id: c%03d\n        patterns:\n", c
            s = c % 5
            if (s == 0) printf "          - '\''\\b%s\\w*'\''\n", stem(a)
            if (s == 1) printf "          - '\''\\b(?:%s|%s|%s)\\b'\''\n", a, b, d
            if (s == 2) printf "          - '\''%s\\W+(?:\\w+\\W+){0,3}?%s'\''\n", a, b
            if (s == 3) printf "          - '\''(?<!inte )\\b%s\\b'\''\n", a
            if (s == 4) printf "          - '\''\\p{Lu}\\p{Ll}+\\s+%s\\w*'\''\n", stem(a)
        }
        print "facets:\n  - id: level\n    default: nivaoberoende\n    values:"
        print "      - { id: regional, patterns: ['\''\\bregion\\w*'\''] }"
        print "      - { id: lokal, patterns: ['\''\\bkommun\\w*'\''] }"
        print "      - { id: nivaoberoende }"
    }' "$D/vocab.txt" >"$D/cb.yaml"
"$KODBOK" codebook check "$D/cb.yaml" 2>/dev/null | sed -n 2p || { "$KODBOK" codebook check "$D/cb.yaml" >/dev/null; exit 3; }
}

measure() { # measure NAME CMD... -> sets SECS (to the millisecond) and RSS_KB
    local name=$1 t0 t1
    shift
    t0=$(date +%s%N)
    /usr/bin/time -o "$W/$name.time" -f '%M' "$@" >"$W/$name.out" 2>"$W/$name.err" || {
        cat "$W/$name.err" >&2
        exit 3
    }
    t1=$(date +%s%N)
    SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    RSS_KB=$(tail -n 1 "$W/$name.time")
}
# reruns PROJECT [ARGS...]: the median of five one-concept re-runs (c007
# edited, the edit undone, edited again...), each timed to the millisecond
# around kodbok alone (no /usr/bin/time or env started with it, a few ms
# each); sets SECS.
reruns() {
    local db=$1 i t0 t1 book
    shift
    SECS=$(for i in 1 2 3 4 5; do
        book="$D/cb2.yaml"
        [ $((i % 2)) = 0 ] && book="$D/cb.yaml"
        t0=$(date +%s%N)
        "$KODBOK" -p "$db" code -q "$@" "$book" >/dev/null 2>"$W/rerun.err" ||
            { cat "$W/rerun.err" >&2; exit 3; }
        t1=$(date +%s%N)
        echo $((t1 - t0))
    done | sort -n | awk 'NR == 3 { printf "%.3f", $1 / 1e9 }')
    [ -n "$SECS" ] || exit 3
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / (s > 0 ? s : 0.001) }'; }

# The pattern playground as the page asks it: POST /api/playground to a
# `kodbok serve` of the project, five times; the median of the server's
# time (`ms`: the request read, the project opened, kb_project_try, the
# answer written) and of curl's round trip. Over the sample study (anna's
# codings scored) and over this corpus.
playground() { # playground PROJECT BODY: sets TRY_MS and TRY_RT_MS
    local db=$1 body=$2 url base token csrf i pid
    "$KODBOK" -p "$db" serve --port 0 >"$W/serve.out" 2>"$W/serve.err" &
    pid=$!
    for i in $(seq 100); do grep -q 'http://' "$W/serve.out" 2>/dev/null && break; sleep 0.1; done
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/?token=[0-9a-f]*' "$W/serve.out") ||
        { cat "$W/serve.err" >&2; kill "$pid"; exit 3; }
    base=${url%%/\?*} token=${url##*token=}
    csrf=$(curl -s -H "Authorization: Bearer $token" "$base/api/session" | jq -r .csrf)
    for i in 1 2 3 4 5; do
        curl -s -o "$W/try.json" -w '%{time_total}\n' -H "Authorization: Bearer $token" \
            -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
            -d "$body" "$base/api/playground" >>"$W/try.rt"
        jq -e .ms "$W/try.json" >>"$W/try.ms" || { cat "$W/try.json" >&2; kill "$pid"; exit 3; }
    done
    kill -TERM "$pid"
    wait "$pid" || true
    TRY_MS=$(sort -n "$W/try.ms" | awk 'NR == 3 { printf "%.0f", $1 }')
    TRY_RT_MS=$(sort -n "$W/try.rt" | awk 'NR == 3 { printf "%.0f", $1 * 1000 }')
    rm -f "$W/try.ms" "$W/try.rt"
}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
SAMPLE_DB="$W/sample.db"
"$KODBOK" -p "$SAMPLE_DB" init >/dev/null
"$KODBOK" -p "$SAMPLE_DB" import -q --attrs "$SRC/corpora/vardsamverkan/cases.csv" \
    "$SRC"/corpora/vardsamverkan/*.txt >/dev/null 2>&1
"$KODBOK" -p "$SAMPLE_DB" code -q "$SRC/codebooks/vardsamverkan.yaml" >/dev/null
"$KODBOK" -p "$SAMPLE_DB" tags import "$SRC/corpora/vardsamverkan/tags/anna.tsv" >/dev/null 2>&1
playground "$SAMPLE_DB" '{"concept": "svart-forsta-samverkan", "coder": "anna",
    "patterns": ["\\bförst\\w*", "\\bförvirr\\w*"]}'
try_sample="$TRY_MS / $TRY_RT_MS"

# bench DIR TITLE: every measure on the corpus in DIR/corpus, with the
# codebook made from DIR/source.txt, in a project of its own; prints the
# table.
bench() {
D=$1 title=$2
export KODBOK_PROJECT="$D/bench.db"
codebook "$D"
corpus_bytes=$(cat "$D"/corpus/*.txt | wc -c)
largest=$(ls -l "$D"/corpus/*.txt | awk '{ if ($5 > m) m = $5 } END { print m }')
ndocs=$(ls "$D"/corpus/*.txt | wc -l)
"$KODBOK" init >/dev/null
measure import "$KODBOK" import -q "$D"/corpus/*.txt
ingest_s=$SECS ingest_rss=$RSS_KB
measure code "$KODBOK" code -q "$D/cb.yaml"
code_s=$SECS code_rss=$RSS_KB
# Edit one concept's pattern and run again.
awk '/id: c007/ { hit = 1 } hit && /patterns:/ { print; getline; sub(/'\''$/, "|zzqx'\''"); hit = 0 } { print }' \
    "$D/cb.yaml" >"$D/cb2.yaml"
reruns "$KODBOK_PROJECT"
rerun_s=$SECS
# The same two runs on one core (the issue's goals are per core): the
# re-run on a copy of the project with the edit undone, the full run on a
# new import.
cp "$KODBOK_PROJECT" "$D/one.db"
KODBOK_PROJECT="$D/one.db" "$KODBOK" code -q "$D/cb.yaml" >/dev/null 2>&1
reruns "$D/one.db" --jobs 1
rerun1_s=$SECS
# A run with nothing to match again (the five re-runs ended edited): what
# any run costs.
t0=$(date +%s%N)
"$KODBOK" -p "$D/one.db" code -q --jobs 1 "$D/cb2.yaml" 2>/dev/null | grep -q 'no concept changed' || exit 3
t1=$(date +%s%N)
idle_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
# The same run as a user sees it, with its quotes per theme (no -q): the
# counts of every quote, and their memory.
measure themes "$KODBOK" -p "$D/one.db" code --jobs 1 "$D/cb2.yaml"
themes_s=$SECS themes_rss=$RSS_KB
rm -f "$D/one.db"*
KODBOK_PROJECT="$D/one.db" "$KODBOK" init >/dev/null
KODBOK_PROJECT="$D/one.db" "$KODBOK" import -q "$D"/corpus/*.txt >/dev/null 2>&1
measure full1 env KODBOK_PROJECT="$D/one.db" "$KODBOK" code -q --jobs 1 "$D/cb.yaml"
code1_s=$SECS
# The most workers there are (--jobs 8), for their memory.
rm -f "$D/one.db"*
KODBOK_PROJECT="$D/one.db" "$KODBOK" init >/dev/null
KODBOK_PROJECT="$D/one.db" "$KODBOK" import -q "$D"/corpus/*.txt >/dev/null 2>&1
measure code8 env KODBOK_PROJECT="$D/one.db" "$KODBOK" code -q --jobs 8 "$D/cb.yaml"
code8_rss=$RSS_KB
rm -f "$D/one.db"*
quotes=$(grep -o '[0-9]* in all' "$W/code.out" | cut -d' ' -f1)
# The run's own time, as its summary line gives it, against the process's.
self_s=$(grep -o '[0-9.]* s, [0-9.]* MB/s' "$W/code.out" | cut -d' ' -f1)

# Peers on a sample: pcre2grep with the same patterns, and the naive loop.
SAMPLE_MB=4
sed -n "s/^          - '\(.*\)'$/\1/p" "$D/cb.yaml" | sed "s/''/'/g" >"$D/patterns.txt"
head -c $((SAMPLE_MB * 1000 * 1000)) "$(ls "$D"/corpus/*.txt | head -1)" >"$D/sample.txt"
sample_bytes=$(wc -c <"$D/sample.txt")
measure grep pcre2grep -o -i -u -f "$D/patterns.txt" "$D/sample.txt"
grep_s=$SECS
"$NAIVE" "$KODBOK_PROJECT" "$D/cb.yaml" "$SAMPLE_MB" >"$D/naive.out" || { echo "bench: engines disagree" >&2; exit 4; }
naive_mbps=$(sed -n 's/^naive \([0-9.]*\) MB\/s.*/\1/p' "$D/naive.out")
engine_mbps=$(sed -n 's/^engine \([0-9.]*\) MB\/s.*/\1/p' "$D/naive.out")

c007=$(sed -n '/id: c007/{n;n;s/^ *- '\''\(.*\)'\''$/\1/p}' "$D/cb.yaml")
playground "$KODBOK_PROJECT" "$(jq -nc --arg p "$c007" '{concept: "c007", patterns: [$p]}')"
try_bench="$TRY_MS / $TRY_RT_MS"

code_mbps=$(mbps "$corpus_bytes" "$code_s")
grep_mbps=$(mbps "$sample_bytes" "$grep_s")
share() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f %%", 100 * a / b }'; }
limit=$(( largest / 1000000 + 64 ))
echo
echo "$title: $ndocs documents, $(mbps "$corpus_bytes" 1) MB, largest $(mbps "$largest" 1) MB; codebook: 200 concepts; $quotes quotes"
row() { printf '%-46s %12s %10s\n' "$@"; }
row "measure" "value" "goal"
row "ingest (kodbok import), MB/s" "$(mbps "$corpus_bytes" "$ingest_s")" ">= 50"
row "full coding (kodbok code, in SQLite), MB/s" "$code_mbps" ">= 150"
row "  the run's own time / the process's, s" "$self_s / $code_s" ""
row "  the process's wall over the run's own" "$(awk -v a="$code_s" -v b="$self_s" 'BEGIN { printf "%+.1f %%", 100 * (a - b) / b }')" "<= +10 %"
row "  matching only (engine, no store), MB/s" "$engine_mbps" ""
row "re-run after editing one concept, s" "$rerun_s" ""
row "  as a share of the full run" "$(share "$rerun_s" "$code_s")" ""
row "full coding on one core (--jobs 1), MB/s" "$(mbps "$corpus_bytes" "$code1_s")" ""
row "re-run on one core, s" "$rerun1_s" ""
row "  as a share of the full run on one core" "$(share "$rerun1_s" "$code1_s")" "<= 5 %"
row "a run that matches nothing, s" "$idle_s" ""
row "  as a share of the full run on one core" "$(share "$idle_s" "$code1_s")" "<= 2 %"
row "the same with quotes per theme (no -q), s" "$themes_s" ""
row "peak RSS import / code, MB" "$((ingest_rss / 1024)) / $((code_rss / 1024))" "<= $limit"
row "  code --jobs 8 / with quotes per theme, MB" "$((code8_rss / 1024)) / $((themes_rss / 1024))" "<= $limit"
row "playground, sample study: server / trip, ms" "$try_sample" "<= 100"
row "playground, this corpus: server / trip, ms" "$try_bench" ""
row "peer: pcre2grep -o -i -u -f, MB/s" "$grep_mbps" ""
row "peer: naive loop (every pattern), MB/s" "$naive_mbps" ""
row "kodbok code / pcre2grep" "$(awk -v a="$code_mbps" -v b="$grep_mbps" 'BEGIN { printf "%.0fx", a / b }')" ""
row "kodbok code / naive loop" "$(awk -v a="$code_mbps" -v b="$naive_mbps" 'BEGIN { printf "%.0fx", a / b }')" ">= 50x"
}

bench "$W/turns" "corpus one, turns"
bench "$W/running" "corpus two, running text"

# Memory at scale: corpus one's documents over again, under other names,
# until they hold BENCH_BIG_MB (1,000 by default, 0: this step is left
# out), imported, coded with --jobs 8, and their tables written; the peak
# RSS and wall time of each command.
BIG_MB=${BENCH_BIG_MB:-1000}
if [ "$BIG_MB" -gt 0 ]; then
    mkdir -p "$W/big/corpus"
    for k in $(seq 1 $(( (BIG_MB + MB - 1) / MB ))); do
        for f in "$W"/turns/corpus/*.txt; do ln -s "$f" "$W/big/corpus/c${k}_${f##*/}"; done
    done
    export KODBOK_PROJECT="$W/big/bench.db"
    "$KODBOK" init >/dev/null
    big_bytes=$(cat "$W"/big/corpus/*.txt | wc -c)
    largest=$(ls -lL "$W"/big/corpus/*.txt | awk '{ if ($5 > m) m = $5 } END { print m }')
    echo
    echo "memory at scale: $(ls "$W"/big/corpus | wc -l) documents, $(mbps "$big_bytes" 1) MB, largest $(mbps "$largest" 1) MB"
    printf '%-46s %12s %10s %10s\n' "command" "wall s" "RSS MB" "goal MB"
    bigrow() { # bigrow NAME LABEL CMD...
        local name=$1 label=$2
        shift 2
        measure "$name" "$@"
        printf '%-46s %12s %10s %10s\n' "$label" "$SECS" "$((RSS_KB / 1024))" "$(( largest / 1000000 + 64 ))"
    }
    bigrow bigimport "kodbok import" "$KODBOK" import -q "$W"/big/corpus/*.txt
    bigrow bigcode "kodbok code --jobs 8" "$KODBOK" code -q --jobs 8 "$W/turns/cb.yaml"
    bigrow bigmatrix "kodbok matrix (csv)" "$KODBOK" matrix --format csv -o "$W/big/m.csv"
    bigrow bigquotes "kodbok quotes (csv)" "$KODBOK" quotes --format csv -o "$W/big/q.csv"
    bigrow bigreport "kodbok report (html)" "$KODBOK" report -o "$W/big/r.html"
    rm -rf "$W/big"
fi
export KODBOK_PROJECT="$W/turns/bench.db"

# kodbok serve: the reader and a coding round trip on the sample study and
# on this project, each with a transcript of about 100 KB added (the first
# turns of the first document here); the matrix follows in export.sh.
bash "$(dirname "$0")/serve.sh" "$KODBOK" reader "$KODBOK_PROJECT" "$W/turns/cb2.yaml" "$W/turns/corpus/d0000.txt"

# Exports of a project of a million codings (EXPORT_CODINGS to change it).
bash "$(dirname "$0")/export.sh" "$KODBOK" "${EXPORT_CODINGS:-1000000}"
