#!/usr/bin/env bash
# kodbok serve in team mode: coders' tokens made, replaced, listed and
# removed; TLS with a self-signed certificate made here (curl --cacert);
# anna's token acts as anna and bo's as bo (tags added through the API are
# theirs in `kodbok tags`, whatever the body says); a removed coder's token
# and a loopback server's token refused; plain HTTP to the TLS port fails;
# the cookie is Secure; Host and Origin checked against the --listen
# address; starting off the loopback without TLS or without coders, and
# bad certificate or key files, refused with one line.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"
for tool in curl openssl; do
    command -v $tool >/dev/null || {
        echo "skipped: no $tool"
        exit 77
    }
done
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
unset KODBOK_CODER
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "code"

# An address of this machine off the loopback, if it has one.
ADDR=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9.]+$' | grep -v '^127\.' | head -n 1)
SAN="IP:127.0.0.1,DNS:kodbok.example${ADDR:+,IP:$ADDR}"
cert() { # cert NAME: NAME.pem and NAME.key, self-signed for 127.0.0.1 (and ADDR)
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext "subjectAltName=$SAN" -keyout "$TMP/$1.key" -out "$TMP/$1.pem" 2>/dev/null ||
        bad "openssl req"
}
cert tls
cert other
CERT=(--cert "$TMP/tls.pem" --key "$TMP/tls.key")

# --- refused before anything starts: one line each --------------------------
expect_fail 1 "IP address" "$KODBOK" serve --listen nosuch.example
expect_fail 1 "go together" "$KODBOK" serve --listen 127.0.0.1 --cert "$TMP/tls.pem"
expect_fail 1 "--host goes with --listen" "$KODBOK" serve --host team.example
expect_fail 1 "DNS name" "$KODBOK" serve --listen 127.0.0.1 --host 'a b'
expect_fail 1 "each coder opens their own" "$KODBOK" serve --listen 127.0.0.1 --open
expect_fail 1 "one at a time" "$KODBOK" serve --add-coder anna --coders
expect_fail 1 "coder is empty" "$KODBOK" serve --add-coder ''
"$KODBOK" serve --coders >"$TMP/out" && grep -q "no coder has a token" "$TMP/out" && ok || bad "--coders, none: $(cat "$TMP/out")"
# Off the loopback: TLS first, then at least one coder.
expect_fail 1 "0\.0\.0\.0 is off this computer.*--cert FILE --key FILE" "$KODBOK" serve --listen 0.0.0.0
expect_fail 1 "no coder has a token.*--add-coder" "$KODBOK" serve --listen 0.0.0.0 "${CERT[@]}"
expect_fail 1 "no coder has a token" "$KODBOK" serve --listen 127.0.0.1 "${CERT[@]}"

# --- coders' tokens -----------------------------------------------------------
link() { grep -o "https://127\.0\.0\.1:[A-Z0-9]*/?token=[0-9a-f]*" "$TMP/out"; }
"$KODBOK" serve --add-coder anna --listen 127.0.0.1 --cert "$TMP/tls.pem" >"$TMP/out" || bad "add anna"
OLD_ANNA=$(link)
OLD_ANNA=${OLD_ANNA##*token=}
[ ${#OLD_ANNA} -eq 32 ] && grep -q "PORT is the port" "$TMP/out" && ok || bad "anna's link: $(cat "$TMP/out")"
"$KODBOK" serve --add-coder anna --listen 127.0.0.1 --port 8443 "${CERT[@]}" >"$TMP/out" || bad "add anna again"
ANNA=$(link)
[[ $ANNA == https://127.0.0.1:8443/\?token=* ]] && grep -q "anna had a token: it no longer works" "$TMP/out" && ok || bad "anna's new link: $(cat "$TMP/out")"
ANNA=${ANNA##*token=}
[ "$ANNA" != "$OLD_ANNA" ] && ok || bad "the same token again"
"$KODBOK" serve --add-coder bo --listen 127.0.0.1 --cert "$TMP/tls.pem" >"$TMP/out" && BO=$(link) && BO=${BO##*token=} || bad "add bo"
"$KODBOK" serve --add-coder cilla >"$TMP/out" && grep -q "works when the server runs with --listen" "$TMP/out" &&
    grep -q "http://127.0.0.1:PORT/?token=" "$TMP/out" && ok || bad "a link without --listen: $(cat "$TMP/out")"
CILLA=$(grep -o 'token=[0-9a-f]*' "$TMP/out")
CILLA=${CILLA#token=}
"$KODBOK" serve --coders >"$TMP/out" || bad "--coders"
[ "$(cut -f1 "$TMP/out" | tr '\n' ' ')" = "anna bo cilla " ] && ok || bad "--coders: $(cat "$TMP/out")"
grep -qE "$ANNA|$BO|$CILLA" "$TMP/out" "$KODBOK_PROJECT" && bad "a token in the listing or the project" || ok
expect_fail 2 "'dag' has no token" "$KODBOK" serve --remove-coder dag

# --- bad certificate or key files: one line naming the file ------------------
echo "not a certificate" >"$TMP/junk.pem"
expect_fail 2 "nosuch\.pem: No such file" "$KODBOK" serve --listen 127.0.0.1 --cert "$TMP/nosuch.pem" --key "$TMP/tls.key"
expect_fail 2 "junk\.pem: not a PEM certificate" "$KODBOK" serve --listen 127.0.0.1 --cert "$TMP/junk.pem" --key "$TMP/tls.key"
expect_fail 2 "junk\.pem: not a PEM private key" "$KODBOK" serve --listen 127.0.0.1 --cert "$TMP/tls.pem" --key "$TMP/junk.pem"
expect_fail 2 "other\.key: .*is it the key of .*tls\.pem" "$KODBOK" serve --listen 127.0.0.1 --cert "$TMP/tls.pem" --key "$TMP/other.key"

# --- the team server on 127.0.0.1 with TLS -----------------------------------
start_server -- --listen 127.0.0.1 "${CERT[@]}"
grep -q "to 3 coders at https://127.0.0.1:$PORT/" "$TMP/serve.out" && ! grep -q "token=" "$TMP/serve.out" && ok ||
    bad "the team's start line: $(cat "$TMP/serve.out")"

# Requests trust the test's certificate (expect_status asks through this).
status() { curl -s --cacert "$TMP/tls.pem" -o "$TMP/body" -w '%{http_code}' "$@"; }
session() { # session TOKEN: the coder /api/session names
    curl -s --cacert "$TMP/tls.pem" -H "Authorization: Bearer $1" "$BASE/api/session" | jq -r .coder
}
[ "$(session "$ANNA")" = anna ] && ok || bad "anna's token is not anna's"
[ "$(session "$BO")" = bo ] && ok || bad "bo's token is not bo's"
expect_status 401 "anna's replaced token" -H "Authorization: Bearer $OLD_ANNA" "$BASE/api/session"
expect_status 401 "no token" "$BASE/api/documents"
# The server's own random token is never printed, and a loopback server's
# token means nothing here.
"$KODBOK" serve --port 0 >"$TMP/loop.out" 2>&1 &
LOOP=$!
for _ in $(seq 50); do grep -q token= "$TMP/loop.out" && break; sleep 0.1; done
LOOP_TOKEN=$(grep -o 'token=[0-9a-f]*' "$TMP/loop.out")
LOOP_TOKEN=${LOOP_TOKEN#token=}
[ ${#LOOP_TOKEN} -eq 32 ] && ok || bad "the loopback server's token: $(cat "$TMP/loop.out")"
expect_status 401 "the loopback token in team mode" -H "Authorization: Bearer $LOOP_TOKEN" "$BASE/api/documents"
expect_status 401 "the loopback token by query" "$BASE/?token=$LOOP_TOKEN"
# ... nor a coder's token on the loopback server.
LOOP_BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$TMP/loop.out")
got=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ANNA" "$LOOP_BASE/api/documents")
[ "$got" = 401 ] && ok || bad "a coder's token on the loopback server: $got"
kill -TERM "$LOOP"
wait "$LOOP"

# Plain HTTP to the TLS port gets no answer.
got=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $ANNA" "http://127.0.0.1:$PORT/api/documents")
[ "$got" = 000 ] && ok || bad "plain HTTP to the TLS port answered $got"
# The link sets a Secure cookie, which then is enough.
curl -s --cacert "$TMP/tls.pem" -D "$TMP/head" -c "$TMP/jar" -o /dev/null "$BASE/?token=$BO"
grep -qi "^set-cookie: kodbok-$PORT=$BO; Path=/; HttpOnly; SameSite=Strict; Secure" "$TMP/head" && ok || bad "cookie: $(cat "$TMP/head")"
[ "$(curl -s --cacert "$TMP/tls.pem" -b "$TMP/jar" "$BASE/api/session" | jq -r .coder)" = bo ] && ok || bad "bo's cookie"
# The Host header names the --listen address.
expect_status 403 "foreign host" -H "Authorization: Bearer $ANNA" -H "Host: evil.example:$PORT" "$BASE/api/documents"
expect_status 200 "localhost" -H "Authorization: Bearer $ANNA" -H "Host: localhost:$PORT" "$BASE/api/documents"

# --- writes: the token's coder, never the body's ------------------------------
csrf() { curl -s --cacert "$TMP/tls.pem" -H "Authorization: Bearer $1" "$BASE/api/session" | jq -r .csrf; }
CSRF=$(csrf "$ANNA")
write() { # write TOKEN BODY [CURL ARGS...]: POST /api/tags; prints the status
    local token=$1 body=$2
    shift 2
    status -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
        -H "X-CSRF-Token: $CSRF" "$@" -d "$body" "$BASE/api/tags"
}
A='{"document": "ip01", "code": "vvg-roll-oklar", "start": 200, "end": 260, "coder": "bo"}'
B='{"document": "ip01", "code": "vvg-roll-oklar", "start": 300, "end": 340}'
got=$(write "$ANNA" "$B" -H "Origin: http://127.0.0.1:$PORT")
[ "$got" = 403 ] && ok || bad "an http:// origin to an https server: $got"
got=$(write "$ANNA" "$A" -H "Origin: https://127.0.0.1:$PORT")
[ "$got" = 201 ] && jq -e '.coder == "anna"' "$TMP/body" >/dev/null && ok || bad "anna's tag: $got $(cat "$TMP/body")"
got=$(write "$BO" "$B")
[ "$got" = 201 ] && jq -e '.coder == "bo"' "$TMP/body" >/dev/null && ok || bad "bo's tag: $got $(cat "$TMP/body")"
BO_TAG=$(jq .id "$TMP/body")
# The other writes act as the token's coder too: anna may not remove bo's
# coding, and her memo is hers.
expect_status 403 "anna removing bo's coding" -X DELETE -H "Authorization: Bearer $ANNA" -H "X-CSRF-Token: $CSRF" "$BASE/api/tags/$BO_TAG"
got=$(status -H "Authorization: Bearer $ANNA" -H "X-CSRF-Token: $CSRF" -H "Content-Type: application/json" \
    -d '{"about": "document", "name": "ip01", "text": "Mandatet är oklart på delregional nivå."}' "$BASE/api/memos")
[ "$got" = 201 ] && jq -e '.author == "anna"' "$TMP/body" >/dev/null && ok || bad "anna's memo: $got $(cat "$TMP/body")"
"$KODBOK" tags --format json | jq -c '[.tags[] | select(.document == "ip01") | [.coder, .start, .end]] | sort' >"$TMP/tags"
[ "$(cat "$TMP/tags")" = '[["anna",200,260],["bo",300,340]]' ] && ok || bad "kodbok tags: $(cat "$TMP/tags")"

# A coder removed while the server runs is refused at once.
"$KODBOK" serve --remove-coder bo >"$TMP/out" && grep -q "bo's token removed" "$TMP/out" && ok || bad "remove bo: $(cat "$TMP/out")"
expect_status 401 "a removed coder's token" -H "Authorization: Bearer $BO" "$BASE/api/session"
expect_status 401 "a removed coder's cookie" -b "$TMP/jar" "$BASE/api/documents"
got=$(write "$BO" '{"document": "ip01", "code": "vvg-roll-oklar", "start": 400, "end": 440}')
[ "$got" = 401 ] && ok || bad "a removed coder's write: $got"
[ "$(session "$ANNA")" = anna ] && ok || bad "anna after bo's removal"
kill -TERM "$PID"
wait "$PID" && ok || bad "SIGTERM: exit $?"

# --- a DNS name (--host): in the links, the Host and the Origin ---------------
"$KODBOK" serve --add-coder dag --listen 127.0.0.1 --host kodbok.example --port 9 >"$TMP/out" &&
    grep -q "dag's link: http://kodbok.example:9/?token=" "$TMP/out" && ok || bad "a link by --host: $(cat "$TMP/out")"
start_server -- --listen 127.0.0.1 --host kodbok.example "${CERT[@]}"
PORT=${BASE##*:}
[ "$BASE" = "https://kodbok.example:$PORT" ] && ok || bad "the name served: $BASE"
RESOLVE=(--resolve "kodbok.example:$PORT:127.0.0.1")
[ "$(curl -s --cacert "$TMP/tls.pem" "${RESOLVE[@]}" -H "Authorization: Bearer $ANNA" "$BASE/api/session" | jq -r .coder)" = anna ] &&
    ok || bad "anna by the DNS name"
CSRF=$(curl -s --cacert "$TMP/tls.pem" "${RESOLVE[@]}" -H "Authorization: Bearer $ANNA" "$BASE/api/session" | jq -r .csrf)
expect_status 200 "the address too" -H "Authorization: Bearer $ANNA" "https://127.0.0.1:$PORT/api/session"
got=$(write "$ANNA" '{"document": "ip02", "code": "vvg-roll-oklar", "start": 100, "end": 140}' "${RESOLVE[@]}" -H "Origin: https://kodbok.example:$PORT")
[ "$got" = 201 ] && ok || bad "a write from the DNS name's origin: $got $(cat "$TMP/body")"
got=$(write "$ANNA" '{"document": "ip02", "code": "vvg-roll-oklar", "start": 200, "end": 240}' "${RESOLVE[@]}" -H "Origin: https://other.example:$PORT")
[ "$got" = 403 ] && ok || bad "a write from another name's origin: $got"
kill -TERM "$PID"
wait "$PID" && ok || bad "SIGTERM: exit $?"

# --- off the loopback, on an address of this machine -------------------------
if [ -n "$ADDR" ]; then
    start_server -- --listen "$ADDR" "${CERT[@]}"
    [ "$BASE" = "https://$ADDR:${BASE##*:}" ] && ok || bad "the address served: $BASE"
    [ "$(session "$ANNA")" = anna ] && ok || bad "anna off the loopback"
    expect_status 403 "the loopback's name off it" -H "Authorization: Bearer $ANNA" -H "Host: 127.0.0.1:${BASE##*:}" "$BASE/api/session"
    kill -INT "$PID"
    wait "$PID" && ok || bad "SIGINT: exit $?"
else
    echo "note: no address off the loopback; that part skipped"
fi
finish
