#!/usr/bin/env bash
# kodbok serve: the server started on port 0 in the background, its link
# read from what it prints, and every endpoint asked with curl: with the
# token (query, cookie, bearer) and without; a wrong Host; writes without
# the CSRF token, from another origin, too large, malformed; path
# traversal; the API's answers against the CLI's own JSON; a tag added
# through the API in `kodbok tags`, one added by the CLI meanwhile in the
# API; SIGTERM stops it and the project is intact.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"
command -v curl >/dev/null || {
    echo "skipped: no curl"
    exit 77
}
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
export KODBOK_CODER=anna
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "code"

# Bad invocations: one line, nothing started.
expect_fail 1 "port" "$KODBOK" serve --port 70000
expect_fail 1 "unexpected argument" "$KODBOK" serve extra
expect_fail 2 "nosuch.db" "$KODBOK" -p "$TMP/nosuch.db" serve

start_server
[ "$PORT" -gt 0 ] && [ ${#TOKEN} -eq 32 ] && ok || bad "port $PORT, token $TOKEN"

AUTH=(-H "Authorization: Bearer $TOKEN")

# --- the token --------------------------------------------------------------
expect_status 401 "no token" "$BASE/api/documents"
expect_status 401 "no token, page" "$BASE/"
# the token with its last digit changed
WRONG=${TOKEN%?}$([ "${TOKEN: -1}" = 0 ] && echo 1 || echo 0)
expect_status 401 "wrong token" "$BASE/api/documents?token=$WRONG"
jq -e '.error | test("token")' "$TMP/body" >/dev/null && ok || bad "401 body: $(cat "$TMP/body")"
# The first visit by the link sets an HttpOnly, SameSite=Strict cookie ...
curl -s -D "$TMP/head" -c "$TMP/jar" -o "$TMP/page" "$URL"
grep -qi "^set-cookie: kodbok-$PORT=$TOKEN; Path=/; HttpOnly; SameSite=Strict" "$TMP/head" && ok || bad "cookie: $(cat "$TMP/head")"
grep -qi "^content-security-policy: default-src 'self'" "$TMP/head" && ok || bad "CSP: $(cat "$TMP/head")"
grep -q '<script type="module" src="/app.js"' "$TMP/page" && ! grep -q '<script>' "$TMP/page" && ok || bad "page: no inline script"
# ... that is enough afterwards.
expect_status 200 "cookie" -b "$TMP/jar" "$BASE/api/documents"
expect_status 200 "cookie, script" -b "$TMP/jar" "$BASE/app.js"
expect_status 200 "bearer" "${AUTH[@]}" "$BASE/api/documents"

# --- the Host header (DNS rebinding) ------------------------------------------
expect_status 403 "foreign host" "${AUTH[@]}" -H "Host: evil.example:$PORT" "$BASE/api/documents"
expect_status 403 "other port" "${AUTH[@]}" -H "Host: 127.0.0.1:1" "$BASE/api/documents"
expect_status 200 "localhost" "${AUTH[@]}" -H "Host: localhost:$PORT" "$BASE/api/documents"

# --- static files only from the table; no way out of it ----------------------
for path in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /app.js/../../etc/passwd \
    /..%2f..%2fetc%2fpasswd /tools/web/app.js /index.html%00; do
    expect_status 404 "traversal $path" --path-as-is "${AUTH[@]}" "$BASE$path"
done
! grep -q "root:" "$TMP/body" && ok || bad "a file outside the table was served"

# --- reads --------------------------------------------------------------------
curl -s "${AUTH[@]}" "$BASE/api/documents" | jq -S '.documents |= map(del(.progress))' >"$TMP/api_docs"
"$KODBOK" docs --format json | jq -S . >"$TMP/cli_docs"
cmp -s "$TMP/api_docs" "$TMP/cli_docs" && ok || bad "documents differ from 'docs --format json'"

# The cases with their attributes, as 'cases --format json' lists them.
curl -s "${AUTH[@]}" "$BASE/api/cases" | jq -S . >"$TMP/api_cases"
"$KODBOK" cases --format json | jq -S . >"$TMP/cli_cases"
jq -e '.cases | length > 0 and (map(.attributes | length) | add > 0)' "$TMP/api_cases" >/dev/null &&
    cmp -s "$TMP/api_cases" "$TMP/cli_cases" && ok || bad "cases differ from 'cases --format json'"

curl -s "${AUTH[@]}" "$BASE/api/documents/ip01" >"$TMP/ip01.json"
"$KODBOK" show ip01 --raw >"$TMP/ip01.txt"
jq -e --rawfile t "$TMP/ip01.txt" '.name == "ip01" and (.turns | length > 10)
    and ([.turns[] | $t[.start:.end] == .text] | all)
    and ([.turns[] | .speaker] | index("I")) != null
    and (.turns[0].role == "interviewer") and (.turns[0].time_ms | type == "number")' \
    "$TMP/ip01.json" >/dev/null && ok || bad "ip01 turns: $(head -c 300 "$TMP/ip01.json")"
n_api=$(jq '.quotes | length' "$TMP/ip01.json")
n_cli=$("$KODBOK" quotes --doc ip01 --format json | jq length)
[ "$n_api" -gt 0 ] && [ "$n_api" = "$n_cli" ] && ok || bad "ip01 quotes: $n_api, quotes --doc: $n_cli"
jq -e '[.quotes[] | .source == "auto" and (.concept | type == "string")] | all' "$TMP/ip01.json" >/dev/null && ok || bad "quote fields"
expect_status 404 "unknown document" "${AUTH[@]}" "$BASE/api/documents/ip99"
jq -e '.error | test("ip99")' "$TMP/body" >/dev/null && ok || bad "404 names the document: $(cat "$TMP/body")"
expect_status 404 "unknown resource" "${AUTH[@]}" "$BASE/api/nothing"

curl -s "${AUTH[@]}" "$BASE/api/matrix" | jq -S . >"$TMP/api_m"
"$KODBOK" matrix --format json | jq -S . >"$TMP/cli_m"
cmp -s "$TMP/api_m" "$TMP/cli_m" && ok || bad "matrix differs from 'matrix --format json'"
curl -s "${AUTH[@]}" "$BASE/api/matrix?rows=case&cols=theme&count=documents" | jq -S . >"$TMP/api_m"
"$KODBOK" matrix --rows case --cols theme --count documents --format json | jq -S . >"$TMP/cli_m"
cmp -s "$TMP/api_m" "$TMP/cli_m" && ok || bad "matrix case x theme differs"
expect_status 400 "unknown axis" "${AUTH[@]}" "$BASE/api/matrix?rows=nonsense"
expect_status 400 "unknown count" "${AUTH[@]}" "$BASE/api/matrix?count=nonsense"

# The codebook: the nodes as 'codebook check' lists them, each code's
# quotes as the matrix of its kind by level counts them.
curl -s "${AUTH[@]}" "$BASE/api/codebook" >"$TMP/api_cb"
jq -c '[.nodes[] | del(.quotes, .by_level)]' "$TMP/api_cb" >"$TMP/api_nodes"
"$KODBOK" codebook check "$CB" --format json | jq -c '.nodes' >"$TMP/cli_nodes"
cmp -s "$TMP/api_nodes" "$TMP/cli_nodes" && ok || bad "codebook nodes differ from 'codebook check'"
# ... and with counts=no the same nodes without their counts (and no levels).
curl -s "${AUTH[@]}" "$BASE/api/codebook?counts=no" >"$TMP/api_cb0"
jq -c '.nodes' "$TMP/api_cb0" | cmp -s - "$TMP/cli_nodes" && jq -e 'has("levels") | not' "$TMP/api_cb0" >/dev/null &&
    ok || bad "codebook?counts=no: $(head -c 300 "$TMP/api_cb0")"
jq -e '.levels == ["regional", "delregional", "lokal", "nivaoberoende"] and .run == 1 and .changed == false' \
    "$TMP/api_cb" >/dev/null && ok || bad "codebook levels: $(jq -c '{levels, run, changed}' "$TMP/api_cb")"
for kind in theme concept dimension; do
    "$KODBOK" matrix --rows $kind --format json |
        jq -c '[.cells[] | {id: .row, level: .col, n: .count}] | sort' >"$TMP/cli_counts"
    jq -c --arg k $kind '[.nodes[] | select(.kind == $k) | .id as $id | .by_level | to_entries[] | {id: $id, level: .key, n: .value}] | sort' \
        "$TMP/api_cb" >"$TMP/api_counts"
    [ -s "$TMP/cli_counts" ] && cmp -s "$TMP/api_counts" "$TMP/cli_counts" && ok || bad "$kind counts by level differ from the matrix"
done
"$KODBOK" matrix --rows concept --format json | jq -c '[.row_totals[] | {id: .row, n: .count}] | sort' >"$TMP/cli_tot"
jq -c '[.nodes[] | select(.kind == "concept") | {id, n: .quotes}] | sort' "$TMP/api_cb" >"$TMP/api_tot"
cmp -s "$TMP/api_tot" "$TMP/cli_tot" && ok || bad "concept totals differ from the matrix's row totals"

curl -s "${AUTH[@]}" "$BASE/api/session" >"$TMP/session"
CSRF=$(jq -r .csrf "$TMP/session")
[ ${#CSRF} -eq 32 ] && [ "$CSRF" != "$TOKEN" ] && jq -e '.coder == "anna"' "$TMP/session" >/dev/null && ok || bad "session: $(cat "$TMP/session")"

# --- the write -----------------------------------------------------------------
fp=$(fingerprint)
tags() { "$KODBOK" tags --format json 2>/dev/null | jq -c '[.tags[] | del(.created_at)]'; }
before=$(tags)
JSON=(-H "Content-Type: application/json")
BODY='{"document": "ip01", "code": "vvg-roll-oklar", "start": 200, "end": 260}'
expect_status 403 "write without CSRF" "${AUTH[@]}" "${JSON[@]}" -d "$BODY" "$BASE/api/tags"
expect_status 403 "write, wrong CSRF" "${AUTH[@]}" "${JSON[@]}" -H "X-CSRF-Token: $TOKEN" -d "$BODY" "$BASE/api/tags"
W=("${AUTH[@]}" "${JSON[@]}" -H "X-CSRF-Token: $CSRF")
expect_status 403 "cross-origin write" "${W[@]}" -H "Origin: http://evil.example" -d "$BODY" "$BASE/api/tags"
expect_status 403 "cross-site fetch" "${W[@]}" -H "Sec-Fetch-Site: cross-site" -d "$BODY" "$BASE/api/tags"
expect_status 401 "write without token" "${JSON[@]}" -H "X-CSRF-Token: $CSRF" -d "$BODY" "$BASE/api/tags"
head -c 70000 /dev/zero | tr '\0' ' ' >"$TMP/big"
expect_status 413 "oversized body" "${W[@]}" --data-binary @"$TMP/big" "$BASE/api/tags"
expect_status 413 "oversized chunked body" "${W[@]}" -H "Transfer-Encoding: chunked" --data-binary @"$TMP/big" "$BASE/api/tags"
expect_status 400 "malformed JSON" "${W[@]}" -d '{"document": "ip01",' "$BASE/api/tags"
jq -e '.error | test("line 1")' "$TMP/body" >/dev/null && ok || bad "malformed JSON names the place: $(cat "$TMP/body")"
expect_status 400 "missing end" "${W[@]}" -d '{"document": "ip01", "code": "vvg-roll-oklar", "start": 1}' "$BASE/api/tags"
expect_status 404 "unknown code" "${W[@]}" -d '{"document": "ip01", "code": "vvg-rol-oklar", "start": 200, "end": 260}' "$BASE/api/tags"
jq -e '.error | test("vvg-roll-oklar")' "$TMP/body" >/dev/null && ok || bad "unknown code names the nearest: $(cat "$TMP/body")"
expect_status 400 "span outside" "${W[@]}" -d '{"document": "ip01", "code": "vvg-roll-oklar", "start": 200, "end": 99999999}' "$BASE/api/tags"
expect_status 404 "write to a read" "${W[@]}" -d "$BODY" "$BASE/api/documents"
expect_status 405 "unknown method" -X OPTIONS "${AUTH[@]}" "$BASE/api/documents"
[ "$(tags)" = "$before" ] && ok || bad "a refused write changed the tags"

expect_status 201 "tag" "${W[@]}" -H "Origin: http://127.0.0.1:$PORT" -d "$BODY" "$BASE/api/tags"
id=$(jq .id "$TMP/body")
"$KODBOK" tags --format json | jq -e --argjson id "$id" \
    '.tags[] | select(.id == $id) | .document == "ip01" and .code == "vvg-roll-oklar" and .start == 200 and .end == 260 and .coder == "anna"' \
    >/dev/null && ok || bad "the API's tag is not in 'kodbok tags'"
# Exactly what 'kodbok tag --span' stores: the same one again is refused.
expect_fail 2 "already" "$KODBOK" tag ip01 vvg-roll-oklar --span 200:260
expect_status 409 "the same tag again" "${W[@]}" -d "$BODY" "$BASE/api/tags"
# The CLI writes while the server runs, and the API sees it.
"$KODBOK" tag ip01 vvg-roll-oklar --span 300:340 --coder bo >/dev/null || bad "CLI tag while serving"
curl -s "${AUTH[@]}" "$BASE/api/documents/ip01" |
    jq -e '[.tags[] | select(.coder == "bo" and .start == 300)] | length == 1' >/dev/null && ok || bad "the CLI's tag not in the API"
# The server keeps the quotes it counted between requests while the project
# is unchanged: a matrix asked before and after the CLI's tag counts both.
curl -s "${AUTH[@]}" "$BASE/api/matrix?rows=concept&cols=document" | jq -S . >"$TMP/api_m1"
"$KODBOK" tag ip02 vvg-roll-oklar --span 100:180 --coder bo >/dev/null || bad "second CLI tag"
curl -s "${AUTH[@]}" "$BASE/api/matrix?rows=concept&cols=document" | jq -S . >"$TMP/api_m2"
"$KODBOK" matrix --rows concept --cols document --format json | jq -S . >"$TMP/cli_m"
cmp -s "$TMP/api_m2" "$TMP/cli_m" && ! cmp -s "$TMP/api_m1" "$TMP/api_m2" && ok || bad "the matrix after a CLI tag is not the CLI's"
curl -s "${AUTH[@]}" "$BASE/api/codebook" |
    jq -e '[.nodes[] | select(.id == "vvg-roll-oklar")][0].quotes' >"$TMP/api_n"
"$KODBOK" matrix --rows concept --format json |
    jq '[.row_totals[] | select(.row == "vvg-roll-oklar")][0].count' >"$TMP/cli_n"
cmp -s "$TMP/api_n" "$TMP/cli_n" && ok || bad "the codebook's count after a CLI tag: $(cat "$TMP/api_n") vs $(cat "$TMP/cli_n")"

# --- SIGTERM stops it; the project is intact --------------------------------------
after=$(tags)
kill -TERM "$PID"
wait "$PID"
rc=$?
[ "$rc" -eq 0 ] && grep -q "stopped" "$TMP/serve.out" && ok || bad "SIGTERM: exit $rc, $(cat "$TMP/serve.out" "$TMP/serve.err")"
[ "$(tags)" = "$after" ] && [ "$(fingerprint)" = "$fp" ] && ok || bad "the project changed on stop"
[ "$(status "${AUTH[@]}" "$BASE/api/documents")" = "000" ] && ok || bad "still answering after SIGTERM"
[ ! -s "$TMP/serve.err" ] && ok || bad "stderr: $(cat "$TMP/serve.err")"
"$KODBOK" runs >/dev/null && ok || bad "project unreadable after stop"

# --- a project not coded yet: no codebook, no quotes, no tags ------------------
N="$TMP/new.db"
"$KODBOK" -p "$N" init >/dev/null
"$KODBOK" -p "$N" import -q "$C/ip01.txt" >/dev/null 2>&1 || bad "import into $N"
start_server -p "$N"
AUTH=(-H "Authorization: Bearer $TOKEN")
CSRF=$(curl -s "${AUTH[@]}" "$BASE/api/session" | jq -r .csrf)
expect_status 409 "codebook before a run" "${AUTH[@]}" "$BASE/api/codebook"
expect_status 200 "a document before a run" "${AUTH[@]}" "$BASE/api/documents/ip01"
jq -e '.quotes == [] and .tags == [] and (.turns | length > 10)' "$TMP/body" >/dev/null && ok || bad "before a run: $(head -c 200 "$TMP/body")"
expect_status 409 "tag before a run" "${AUTH[@]}" "${JSON[@]}" -H "X-CSRF-Token: $CSRF" -d "$BODY" "$BASE/api/tags"
jq -e '.error | test("no codebook|no run")' "$TMP/body" >/dev/null && ok || bad "tag before a run: $(cat "$TMP/body")"
kill -INT "$PID"
wait "$PID" && ok || bad "SIGINT: exit $?"
finish
