# Shared by the kodbok serve tests (after common.bash): the server started
# in the background, and requests with their HTTP status.

# start_server [ARGS...]: starts `kodbok ARGS serve --port 0` in the
# background (options of serve after a "--": start_server -- --listen …)
# and sets PID, BASE (scheme, address, port) and PORT from what it prints,
# and URL and TOKEN from the link with a token, when it prints one (team
# mode prints none).
start_server() {
    local before=() after=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        before+=("$1")
        shift
    done
    [ $# -gt 0 ] && shift && after=("$@")
    "$KODBOK" "${before[@]}" serve --port 0 "${after[@]}" >"$TMP/serve.out" 2>"$TMP/serve.err" &
    PID=$!
    for _ in $(seq 50); do
        grep -q '://' "$TMP/serve.out" 2>/dev/null && break
        sleep 0.1
    done
    BASE=$(grep -o 'https\?://[^ /]*:[0-9]*' "$TMP/serve.out" | head -n 1)
    [ -n "$BASE" ] || {
        bad "no address printed: $(cat "$TMP/serve.out" "$TMP/serve.err")"
        kill "$PID"
        finish
    }
    URL=$(grep -o 'https\?://[^ ]*/?token=[0-9a-f]*' "$TMP/serve.out" || true)
    TOKEN=${URL##*token=}
    PORT=${BASE##*:}
}
# status [CURL ARGS...]: the HTTP status of a request.
status() { curl -s -o "$TMP/body" -w '%{http_code}' "$@"; }
# expect_status CODE WHAT CURL ARGS...
expect_status() {
    local want=$1 what=$2 got
    shift 2
    got=$(status "$@")
    [ "$got" = "$want" ] && ok || bad "$what: $got, wanted $want ($(head -c 200 "$TMP/body"))"
}
