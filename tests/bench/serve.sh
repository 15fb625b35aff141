#!/usr/bin/env bash
# make bench, kodbok serve: the server's time for what the page asks, by
# curl's time_total (the request on the loopback, without curl's start).
#   serve.sh KODBOK reader PROJECT CODEBOOK TEXT
#     on the sample study (built here) and on PROJECT (coded with CODEBOOK):
#     a transcript of about 100 KB added (the sample's interviews one after
#     another; TEXT's first turns for PROJECT) and coded, manual codings
#     added through POST /api/tags until it has about 500 codings (each
#     POST timed: the coding round trip), then the reader's GET
#     /api/documents/NAME, GET /api/codebook and, when the server has
#     DELETE /api/tags/ID, POST + DELETE pairs; on the sample, GET
#     /api/session and the reader again in team mode over TLS.
#   serve.sh KODBOK matrix PROJECT
#     GET /api/matrix (theme x level, concept x level) and GET /api/codebook
#     on PROJECT (the export bench's million codings): the first request,
#     which reads the codings, and the later ones, which the server answers
#     from the codings it keeps counted while the project is unchanged.
# Prints the median wall time in milliseconds beside the issue's goals, and
# the server's CPU time per request (its user + system time over the
# requests, from /proc: steadier on a shared machine).
set -euo pipefail
KODBOK=$1
MODE=$2
SRC=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /tmp/kodbok-serve-XXXXXX)
PID=
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$W"
}
trap cleanup EXIT
export LC_ALL=C.UTF-8
ROUNDS=${SERVE_ROUNDS:-7}

# start PROJECT [team]: kodbok serve on it, on the loopback or in team
# mode over TLS (a self-signed certificate, a coder's token); sets PID,
# BASE, AUTH (curl's arguments for the token), W_ARGS (a write's).
start() {
    local team=() url
    if [ -n "${2:-}" ]; then
        [ -f "$W/tls.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
            -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
            -keyout "$W/tls.key" -out "$W/tls.pem" 2>/dev/null
        team=(--listen 127.0.0.1 --cert "$W/tls.pem" --key "$W/tls.key")
        url=$("$KODBOK" -p "$1" serve --add-coder bench "${team[@]}" | grep -o 'token=[0-9a-f]*')
    fi
    "$KODBOK" -p "$1" serve --port 0 "${team[@]}" >"$W/serve.out" 2>"$W/serve.err" &
    PID=$!
    for _ in $(seq 100); do
        grep -q 'http' "$W/serve.out" 2>/dev/null && break
        sleep 0.1
    done
    [ -n "${2:-}" ] && url="$(grep -o 'https://127\.0\.0\.1:[0-9]*/' "$W/serve.out")?$url" ||
        url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/?token=[0-9a-f]*' "$W/serve.out") || {
        cat "$W/serve.out" "$W/serve.err" >&2
        exit 3
    }
    BASE=${url%%/\?*}
    LINK=$url
    AUTH=(-H "Authorization: Bearer ${url##*token=}")
    [ -n "${2:-}" ] && AUTH+=(--cacert "$W/tls.pem")
    local csrf
    csrf=$(curl -s "${AUTH[@]}" "$BASE/api/session" | jq -r .csrf)
    W_ARGS=("${AUTH[@]}" -H "Content-Type: application/json" -H "X-CSRF-Token: $csrf")
}
stop() {
    kill "$PID"
    wait "$PID" || true
    PID=
}
# ms CURL ARGS...: one request's time in ms (its status must be 2xx).
ms() {
    local out
    out=$(curl -s -o "$W/body" -w '%{http_code} %{time_total}' "$@")
    case $out in
    2*) awk -v t="${out#* }" 'BEGIN { printf "%.1f\n", t * 1000 }' ;;
    *)
        echo "serve bench: $* answered $out: $(head -c 300 "$W/body")" >&2
        exit 3
        ;;
    esac
}
# median: the median of the numbers on stdin.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# cpu: the server's user + system time so far, in ms.
TICK=$(getconf CLK_TCK)
cpu() { awk -v t="$TICK" '{ print ($14 + $15) * 1000 / t }' "/proc/$PID/stat"; }
# per C0 N: the CPU ms per request of N requests since cpu gave C0.
per() { awk -v a="$1" -v b="$(cpu)" -v n="$2" 'BEGIN { printf "%.1f", (b - a) / n }'; }
# timed CURL ARGS...: the median wall ms of ROUNDS requests, and their
# CPU ms each.
timed() {
    local c0 wall
    c0=$(cpu)
    wall=$(for _ in $(seq "$ROUNDS"); do ms "$@"; done | median)
    echo "$wall $(per "$c0" "$ROUNDS")"
}
row() { printf '%-58s %9s %7s %7s\n' "$1" "$2" "$3" "$4"; }
# trow NAME GOAL CURL ARGS...: a timed row.
trow() {
    local name=$1 goal=$2 t
    shift 2
    t=$(timed "$@")
    row "$name" "${t% *}" "${t#* }" "$goal"
}

# reader NAME PROJECT TRANSCRIPT CODEBOOK: the rows for one project.
reader() {
    local name=$1 db=$2 text=$3 cb=$4
    cp "$text" "$W/serve100k.txt"
    "$KODBOK" -p "$db" import -q "$W/serve100k.txt" >/dev/null 2>&1
    "$KODBOK" -p "$db" code -q "$cb" >/dev/null 2>&1
    start "$db"
    local doc="$BASE/api/documents/serve100k" doc_path=/api/documents/serve100k
    curl -s "${AUTH[@]}" "$doc" >"$W/doc.json"
    curl -s "${AUTH[@]}" "$BASE/api/codebook" | jq -r '.nodes[] | select(.kind == "concept") | .id' >"$W/concepts"
    local auto want nturns ncon
    auto=$(jq '[.quotes[] | select(.source == "auto")] | length' "$W/doc.json")
    want=$((500 - auto))
    [ "$want" -lt 100 ] && want=100
    nturns=$(jq '.turns | length' "$W/doc.json")
    ncon=$(wc -l <"$W/concepts")
    # Manual codings, each a turn's first 80 code points (or fewer) under
    # a concept: turn i mod nturns, concept i div nturns, so none repeats.
    jq -r '.turns[] | "\(.start) \([.end, .start + 80] | min)"' "$W/doc.json" >"$W/spans"
    : >"$W/post.ms"
    local c0
    c0=$(cpu)
    for ((i = 0; i < want; i++)); do
        read -r s e < <(sed -n "$((i % nturns + 1))p" "$W/spans")
        code=$(sed -n "$((i / nturns % ncon + 1))p" "$W/concepts")
        ms "${W_ARGS[@]}" -d "{\"document\": \"serve100k\", \"code\": \"$code\", \"start\": $s, \"end\": $e}" \
            "$BASE/api/tags" >>"$W/post.ms"
    done
    local post_cpu
    post_cpu=$(per "$c0" "$want")
    curl -s "${AUTH[@]}" "$doc" >"$W/doc.json"
    local kb codings
    kb=$(($(wc -c <"$W/serve100k.txt") / 1000))
    codings=$(jq '([.quotes[] | select(.source == "auto")] | length) + (.tags | length)' "$W/doc.json")
    echo
    echo "$name: a $kb KB transcript of $nturns turns with $codings codings ($auto automatic), $(du -h "$db" | cut -f1) project"
    row "request" "wall ms" "cpu ms" "goal"
    trow "reader: GET /api/documents/NAME ($(($(wc -c <"$W/doc.json") / 1000)) KB of JSON)" 300 "${AUTH[@]}" "$doc"
    # The same in Chromium: the page loaded until the reader is painted.
    if [ -d "$SRC/tests/web/node_modules/playwright-core" ] && [ -x /usr/bin/chromium ]; then
        read -r open load < <(node "$SRC/tests/web/render.bench.mjs" "$LINK" serve100k "$ROUNDS")
        row "reader in Chromium: opened from the list, painted" "$open" "" 300
        row "reader in Chromium: a fresh page load, painted" "$load" "" ""
    else
        row "reader in Chromium" "no chromium" "" 300
    fi
    row "coding: POST /api/tags (median of $want)" "$(median <"$W/post.ms")" "$post_cpu" 50
    # POST + DELETE, as the page's code-and-undo, once DELETE is served.
    if ! curl -s "${W_ARGS[@]}" -X DELETE "$BASE/api/tags/999999999" | grep -q 'no such resource'; then
        local s e code pair
        read -r s e < <(sed -n 1p "$W/spans")
        code=$(sed -n "$((want / nturns % ncon + 2))p" "$W/concepts")
        c0=$(cpu)
        for _ in $(seq "$ROUNDS"); do
            pair=$(ms "${W_ARGS[@]}" -d "{\"document\": \"serve100k\", \"code\": \"$code\", \"start\": $s, \"end\": $e}" "$BASE/api/tags")
            id=$(jq .id "$W/body")
            echo "$pair $(ms "${W_ARGS[@]}" -X DELETE "$BASE/api/tags/$id")" | awk '{ print $1 + $2 }'
        done | median >"$W/pair.ms"
        row "coding round trip: POST + DELETE /api/tags" "$(cat "$W/pair.ms")" "$(per "$c0" "$ROUNDS")" 50
    else
        row "coding round trip: POST + DELETE /api/tags" "no DELETE" "" 50
    fi
    trow "codebook: GET /api/codebook" "" "${AUTH[@]}" "$BASE/api/codebook"
    [ -z "${5:-}" ] && stop && return
    # What team mode (a token looked up in the project) and TLS (a
    # handshake per connection: curl opens one per request) add.
    ROUNDS=50 trow "session: GET /api/session" "" "${AUTH[@]}" "$BASE/api/session"
    stop
    start "$db" team
    ROUNDS=50 trow "team mode over TLS: GET /api/session" "" "${AUTH[@]}" "$BASE/api/session"
    trow "team mode over TLS: GET /api/documents/NAME" 300 "${AUTH[@]}" "$BASE$doc_path"
    stop
}

case $MODE in
reader)
    DB=$3 CB=$4 TEXT=$5
    # The sample study, and a transcript of its interviews one after another.
    C="$SRC/corpora/vardsamverkan"
    "$KODBOK" -p "$W/sample.db" init >/dev/null
    "$KODBOK" -p "$W/sample.db" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1
    # (their texts as stored: one of them is in Windows-1252)
    { echo "Intervjuer ip01-ip07 efter varandra"; echo; for i in 1 2 3 4 5 6 7; do
        "$KODBOK" -p "$W/sample.db" show "ip0$i" --raw | tail -n +2; echo; done; } >"$W/sample100k.txt"
    reader "sample study" "$W/sample.db" "$W/sample100k.txt" "$SRC/codebooks/vardsamverkan.yaml" team
    # The bench project: TEXT's first turns, about 100 KB.
    awk 'BEGIN { RS = ""; ORS = "\n\n" } { n += length($0) + 2; print; if (n > 100000) exit }' "$TEXT" >"$W/bench100k.txt"
    reader "bench project" "$DB" "$W/bench100k.txt" "$CB"
    ;;
matrix)
    DB=$3
    start "$DB"
    echo
    echo "serve: $("$KODBOK" -p "$DB" runs --format json | jq '.runs[-1].quotes') codings, $(du -h "$DB" | cut -f1) project"
    row "request" "wall ms" "cpu ms" "goal"
    # The first request reads the codings; the server keeps them counted
    # until the project changes, so the ones after only build the matrix.
    c0=$(cpu)
    row "matrix: the first GET /api/matrix (reads the codings)" "$(ms "${AUTH[@]}" "$BASE/api/matrix")" "$(per "$c0" 1)" 1000
    trow "matrix: GET /api/matrix (theme x level)" 1000 "${AUTH[@]}" "$BASE/api/matrix"
    trow "matrix: GET /api/matrix?rows=concept (concept x level)" 1000 "${AUTH[@]}" "$BASE/api/matrix?rows=concept"
    trow "codebook: GET /api/codebook (three matrices)" "" "${AUTH[@]}" "$BASE/api/codebook"
    stop
    ;;
*)
    echo "usage: serve.sh KODBOK reader PROJECT CODEBOOK TEXT | serve.sh KODBOK matrix PROJECT" >&2
    exit 2
    ;;
esac
