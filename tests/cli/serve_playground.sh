#!/usr/bin/env bash
# The pattern playground of kodbok serve and `kodbok codebook try`: a
# concept tried with other patterns gives the quotes a codebook with those
# patterns gives after `kodbok code` (on a copy of the project) and the
# tp, fp and fn `kodbok eval` counts there; a bad regex is named by its
# index and byte offset; PUT writes the patterns into the codebook file as
# a minimal edit (one line changes) and codes again, after which the
# matrix is that of a fresh project coded with the edited file; a refused
# edit leaves the file as it was.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"
command -v curl >/dev/null || {
    echo "skipped: no curl"
    exit 77
}
C="$SRC/corpora/vardsamverkan"
CB="$TMP/cb.yaml"
cp "$SRC/codebooks/vardsamverkan.yaml" "$CB"
cp "$CB" "$TMP/cb.orig"
export KODBOK_CODER=anna
X=svart-forsta-samverkan
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "code"
"$KODBOK" tags import "$C/tags/anna.tsv" >/dev/null 2>&1 || bad "tags anna"
"$KODBOK" tags import "$C/tags/bo.tsv" >/dev/null 2>&1 || bad "tags bo"

# with_patterns FILE CONCEPT PATTERNS-FLOW: FILE with the patterns line
# after CONCEPT's id replaced (by the shell, not by kodbok), to code a copy
# with.
with_patterns() {
    local id n line
    id=$(grep -n -- "- id: $2\$" "$1" | cut -d: -f1)
    n=$(tail -n +"$id" "$1" | grep -n '^ *patterns:' | head -1 | cut -d: -f1)
    n=$((id + n - 1))
    line=$(sed -n "${n}p" "$1")
    head -n $((n - 1)) "$1"
    printf '%s\n' "${line%%patterns:*}patterns: $3"
    tail -n +$((n + 1)) "$1"
}

# --- codebook try against a real run on a copy --------------------------------
P1='\bförst\w*'
P2='\bwhiteboard\b'
"$KODBOK" codebook try $X --pattern "$P1" --pattern "$P2" --coder anna \
    --sample 100000 --format json >"$TMP/try.json" || bad "codebook try"
cp "$TMP/p.db" "$TMP/copy.db"
with_patterns "$CB" $X "['$P1', '$P2']" >"$TMP/cb2.yaml"
[ "$(diff "$CB" "$TMP/cb2.yaml" | grep -c '^>')" = 1 ] || bad "awk edit: $(diff "$CB" "$TMP/cb2.yaml")"
"$KODBOK" -p "$TMP/copy.db" code -q "$TMP/cb2.yaml" >/dev/null || bad "code the copy"
"$KODBOK" -p "$TMP/copy.db" quotes --concept $X --source auto --format json |
    jq -c '[.[] | [.document, .start, .end, .text]] | sort' >"$TMP/want"
jq -c '[.sample[] | [.document, .start, .end, .text]] | sort' "$TMP/try.json" >"$TMP/got"
[ "$(jq length "$TMP/want")" -gt 40 ] && cmp -s "$TMP/want" "$TMP/got" && ok ||
    bad "try's hits differ from the run's quotes: $(diff "$TMP/want" "$TMP/got" | head -5)"
jq -e --slurpfile w "$TMP/want" '.hits == ($w[0] | length) and
    .documents == ([$w[0][][0]] | unique | length)' "$TMP/try.json" >/dev/null &&
    ok || bad "try's counts: $(jq -c 'del(.sample)' "$TMP/try.json")"
"$KODBOK" -p "$TMP/copy.db" eval --gold anna --format json 2>/dev/null |
    jq -c --arg x $X '.concepts[] | select(.concept == $x) |
        [.tp, .fp, .fn, .precision, .recall, .f1]' >"$TMP/want_pr"
jq -c '[.tp, .fp, .fn, .precision, .recall, .f1]' "$TMP/try.json" >"$TMP/got_pr"
[ -s "$TMP/want_pr" ] && cmp -s "$TMP/want_pr" "$TMP/got_pr" && ok ||
    bad "try's scores $(cat "$TMP/got_pr"), eval's $(cat "$TMP/want_pr")"
jq -e '.coder == "anna" and .units > 0 and .tp + .fn > 0' "$TMP/try.json" >/dev/null &&
    ok || bad "try's coder: $(jq -c 'del(.sample)' "$TMP/try.json")"

# The text form, and its refusals.
"$KODBOK" codebook try $X --pattern "$P2" --coder bo >"$TMP/out" &&
    grep -q "^$X: 1 quote in 1 document" "$TMP/out" &&
    grep -q "^against bo on [0-9]* units: tp 0, fp 0, fn [1-9]" "$TMP/out" &&
    grep -q "^fokusgrupp [0-9]*:[0-9]*  .*whiteboard" "$TMP/out" && ok ||
    bad "try text: $(cat "$TMP/out")"
expect_fail 1 "^kodbok: --pattern:2:9: pattern 2: invalid regex at character 9: missing closing parenthesis" \
    "$KODBOK" codebook try $X --pattern ok --pattern '\bförst('
expect_fail 1 "pattern 1 'x\?' can match the empty string" \
    "$KODBOK" codebook try $X --pattern 'x?'
expect_fail 1 "try wants --pattern" "$KODBOK" codebook try $X
expect_fail 2 "no concept 'svart-forsta-samverka' in the run's codebook \(did you mean '$X'\?\)" \
    "$KODBOK" codebook try svart-forsta-samverka --pattern x
expect_fail 2 "did you mean 'anna'" "$KODBOK" codebook try $X --pattern x --coder anan

# --- the server -----------------------------------------------------------------
start_server
AUTH=(-H "Authorization: Bearer $TOKEN")
CSRF=$(curl -s "${AUTH[@]}" "$BASE/api/session" | jq -r .csrf)
WRITE=("${AUTH[@]}" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json')
# send METHOD PATH BODY: the status, the answer in $TMP/body
send() { curl -s -o "$TMP/body" -w '%{http_code}' "${WRITE[@]}" -X "$1" -d "$3" "$BASE$2"; }
# expect STATUS WHAT METHOD PATH BODY
expect() {
    local want=$1 what=$2 got
    shift 2
    got=$(send "$@")
    [ "$got" = "$want" ] && ok || bad "$what: $got, wanted $want ($(head -c 300 "$TMP/body"))"
}

# POST /api/playground: the same hits and scores as codebook try.
body=$(jq -nc --arg x $X --arg a "$P1" --arg b "$P2" '{concept: $x, patterns: [$a, $b], coder: "anna"}')
expect 200 "playground" POST /api/playground "$body"
jq -e --slurpfile t "$TMP/try.json" '
    ([.hits, .documents, .units, .coder, .tp, .fp, .fn, .precision, .recall, .f1] ==
     ($t[0] | [.hits, .documents, .units, .coder, .tp, .fp, .fn, .precision, .recall, .f1]))
    and (.sample | length) == ([.hits, 30] | min)
    and .sample == ($t[0].sample[:30]) and (.ms | type) == "number"' "$TMP/body" >/dev/null &&
    ok || bad "playground: $(jq -c 'del(.sample)' "$TMP/body")"
# The coder: the server's (anna) when she coded the concept; given: that one;
# a concept she never coded: the coder with most codings of it, or none.
body=$(jq -nc --arg x $X --arg a "$P1" '{concept: $x, patterns: [$a]}')
expect 200 "playground, default coder" POST /api/playground "$body"
jq -e '.coder == "anna" and .tp != null' "$TMP/body" >/dev/null && ok || bad "default coder: $(jq -c 'del(.sample)' "$TMP/body")"
body=$(jq -nc --arg x $X --arg a "$P1" '{concept: $x, patterns: [$a], coder: "bo"}')
expect 200 "playground, coder bo" POST /api/playground "$body"
"$KODBOK" codebook try $X --pattern "$P1" --coder bo --format json >"$TMP/bo.json"
jq -e --slurpfile t "$TMP/bo.json" '.coder == "bo" and [.tp, .fp, .fn] == ($t[0] | [.tp, .fp, .fn])' \
    "$TMP/body" >/dev/null && ok || bad "coder bo: $(jq -c 'del(.sample)' "$TMP/body")"
only_bo=$(cut -f5,7 "$C/tags/bo.tsv" | grep -v concept | sort -u | cut -f2 |
    while read -r code; do grep -q "	$code	" "$C/tags/anna.tsv" || echo "$code"; done | head -1)
if [ -n "$only_bo" ]; then
    body=$(jq -nc --arg x "$only_bo" '{concept: $x, patterns: ["\\bvi\\b"]}')
    expect 200 "playground, bo's concept" POST /api/playground "$body"
    jq -e '.coder == "bo" and .tp != null' "$TMP/body" >/dev/null && ok || bad "fallback coder: $(jq -c 'del(.sample)' "$TMP/body")"
fi
nobody=$("$KODBOK" codebook check "$CB" --format json 2>/dev/null |
    jq -r '.nodes[] | select(.kind == "concept" and (.patterns | length) > 0) | .id' |
    while read -r code; do
    grep -q "	$code	" "$C/tags/anna.tsv" "$C/tags/bo.tsv" || echo "$code"; done | tail -1)
body=$(jq -nc --arg x "$nobody" '{concept: $x, patterns: ["\\bvi\\b"]}')
expect 200 "playground, nobody's concept" POST /api/playground "$body"
jq -e '.coder == null and .tp == null and .precision == null and .hits > 0' "$TMP/body" >/dev/null &&
    ok || bad "no coder: $(jq -c 'del(.sample)' "$TMP/body")"

# Bad patterns: 400 with the pattern's index and the byte offset in it.
body=$(jq -nc --arg x $X '{concept: $x, patterns: ["ok", "åå\\bförst("]}')
expect 400 "bad regex" POST /api/playground "$body"
jq -e '.pattern == 1 and .offset == 13 and (.error | test("missing closing parenthesis"))' \
    "$TMP/body" >/dev/null && ok || bad "bad regex: $(cat "$TMP/body")"
body=$(jq -nc --arg x $X '{concept: $x, patterns: ["a*"]}')
expect 400 "empty match" POST /api/playground "$body"
jq -e '.pattern == 0 and (.error | test("empty string"))' "$TMP/body" >/dev/null && ok || bad "empty: $(cat "$TMP/body")"
expect 404 "unknown concept" POST /api/playground '{"concept": "nope", "patterns": ["x"]}'
expect 400 "no patterns list" POST /api/playground '{"concept": "x", "patterns": "x"}'
expect 400 "a number as pattern" POST /api/playground '{"concept": "x", "patterns": [1]}'
expect 400 "NUL in a pattern" POST /api/playground '{"concept": "x", "patterns": ["a\u0000b"]}'
expect 400 "malformed" POST /api/playground '{"concept": '
expect 404 "unknown coder" POST /api/playground "{\"concept\": \"$X\", \"patterns\": [\"x\"], \"coder\": \"anan\"}"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" -H 'Content-Type: application/json' \
    -d "{\"concept\": \"$X\", \"patterns\": [\"x\"]}" "$BASE/api/playground")" = 403 ] &&
    ok || bad "playground without CSRF token"

# PUT /api/codebook/concepts/ID: one line of the file changes, the project
# is coded again, and its matrix is a fresh project's with the edited file.
body=$(jq -nc --arg a "$P1" --arg b "$P2" '{patterns: [$a, $b]}')
expect 200 "put" PUT /api/codebook/concepts/$X "$body"
diff "$TMP/cb.orig" "$CB" >"$TMP/diff"
[ "$(grep -c '^<' "$TMP/diff")" = 1 ] && [ "$(grep -c '^>' "$TMP/diff")" = 1 ] &&
    grep -qF "> $(grep -F "'$P1', '$P2'" "$TMP/cb2.yaml" | head -1)" "$TMP/diff" &&
    cmp -s "$CB" "$TMP/cb2.yaml" && ok || bad "the edit: $(cat "$TMP/diff")"
"$KODBOK" -p "$TMP/copy.db" diff --format json >"$TMP/cdiff"
jq -e --arg x $X --slurpfile d "$TMP/cdiff" '.concept == $x and .run == 2 and
    .added == ([$d[0].changes[] | select(.concept == $x and .change == "gained")] | length) and
    .removed == ([$d[0].changes[] | select(.concept == $x and .change == "lost")] | length) and
    .added > 0 and .removed > 0' "$TMP/body" >/dev/null &&
    ok || bad "put answer: $(cat "$TMP/body"), the copy's diff: $(jq -c '[.changes[] | .change] | group_by(.) | map([.[0], length])' "$TMP/cdiff")"
"$KODBOK" quotes --concept $X --source auto --format json |
    jq -c '[.[] | [.document, .start, .end, .text]] | sort' >"$TMP/after"
cmp -s "$TMP/after" "$TMP/want" && ok || bad "quotes after put"
F="$TMP/fresh.db"
"$KODBOK" -p "$F" init >/dev/null
"$KODBOK" -p "$F" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1
"$KODBOK" -p "$F" code -q "$CB" >/dev/null
"$KODBOK" -p "$F" tags import "$C/tags/anna.tsv" >/dev/null 2>&1
"$KODBOK" -p "$F" tags import "$C/tags/bo.tsv" >/dev/null 2>&1
for axes in "" "--rows concept --cols level"; do
    # shellcheck disable=SC2086
    "$KODBOK" matrix $axes --format json >"$TMP/m1"
    # shellcheck disable=SC2086
    "$KODBOK" -p "$F" matrix $axes --format json >"$TMP/m2"
    cmp -s "$TMP/m1" "$TMP/m2" && ok || bad "matrix $axes after put differs from a fresh run"
done
curl -s "${AUTH[@]}" "$BASE/api/codebook" | jq -e --arg x $X --arg a "$P1" \
    '.changed == false and (.nodes[] | select(.id == $x) | .patterns[0] == $a)' >/dev/null &&
    ok || bad "codebook after put"

# A refused edit: 400 with file:line:col, the file and the project unchanged.
sum=$(sha256sum <"$CB")
runs=$("$KODBOK" quotes --format json | sha256sum)
expect 400 "put bad regex" PUT /api/codebook/concepts/$X '{"patterns": ["ok", "(vvg"]}'
jq -e '.error | test("cb.yaml:[0-9]+:[0-9]+: invalid regex")' "$TMP/body" >/dev/null && ok || bad "put bad: $(cat "$TMP/body")"
expect 400 "put two lines" PUT /api/codebook/concepts/$X '{"patterns": ["a\nb"]}'
expect 404 "put unknown concept" PUT /api/codebook/concepts/nope '{"patterns": ["x"]}'
expect 400 "put with a concept in the body" PUT /api/codebook/concepts/$X '{"concept": "x", "patterns": ["x"]}'
expect 404 "get a concept" GET /api/codebook/concepts/$X ''
[ "$(sha256sum <"$CB")" = "$sum" ] && ok || bad "the file changed after refused edits"
[ "$("$KODBOK" quotes --format json | sha256sum)" = "$runs" ] && ok || bad "the quotes changed after refused edits"
ls "$TMP" | grep -q 'tmp$' && bad "a temporary file left: $(ls "$TMP")" || ok

kill -TERM "$PID"
wait "$PID" && ok || bad "serve did not stop cleanly"
finish
