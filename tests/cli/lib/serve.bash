# Shared by the kodbok serve tests (after common.bash): the server started
# in the background, and requests with their HTTP status.

# start_server [-p PROJECT]: starts it in the background and sets PID,
# URL, BASE, TOKEN and PORT from the link it prints.
start_server() {
    "$KODBOK" "$@" serve --port 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
    PID=$!
    for _ in $(seq 50); do
        grep -q 'http://' "$TMP/serve.out" 2>/dev/null && break
        sleep 0.1
    done
    URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*/?token=[0-9a-f]*' "$TMP/serve.out")
    [ -n "$URL" ] || {
        bad "no link printed: $(cat "$TMP/serve.out" "$TMP/serve.err")"
        kill "$PID"
        finish
    }
    BASE=${URL%%/\?*}
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
