#!/usr/bin/env bash
# kodbok serve's API beyond reading and tagging: removing a coding and
# setting its memo, review, memos, a matrix cell's quotes, the documents'
# progress, agreement with its disagreements, the data version, and 503
# while another process holds the project's write lock. Each answer is
# held to the CLI's own (tags, review, memo list, matrix --quotes, agree
# --format json), and each refusal (no CSRF token, unknown id, another
# coder's coding or memo, a bad body, decided already) leaves the project
# as it was.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/serve.bash"
command -v curl >/dev/null && command -v sqlite3 >/dev/null || {
    echo "skipped: no curl or sqlite3"
    exit 77
}
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
export KODBOK_CODER=anna
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$CB" >/dev/null || bad "code"
# Bo codes by the CLI: his codings are not anna's to change.
"$KODBOK" tag ip01 vvg-roll-oklar --span 300:360 --coder bo >/dev/null || bad "tag bo"
"$KODBOK" tag ip02 vvg-roll-oklar --span 300:360 --coder bo --memo "Bos memo" >/dev/null || bad "tag bo 2"
"$KODBOK" memo add --doc ip01 --author bo --text "Bos anteckning" >/dev/null || bad "memo bo"
BO_TAG=$("$KODBOK" tags --coder bo --format json | jq '.tags[] | select(.document == "ip01") | .id')

start_server
AUTH=(-H "Authorization: Bearer $TOKEN")
CSRF=$(curl -s "${AUTH[@]}" "$BASE/api/session" | jq -r .csrf)
WRITE=("${AUTH[@]}" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json')
tags_of() { "$KODBOK" tags --coder "$1" --format json 2>/dev/null | jq -c .tags; }
# alive WHERE: the server still runs and answers (else says how it ended).
alive() {
    if ! kill -0 "$PID" 2>/dev/null; then
        wait "$PID"
        bad "$1: the server ended (status $?): $(cat "$TMP/serve.out" "$TMP/serve.err")"
        finish
    fi
    [ "$(status "${AUTH[@]}" "$BASE/api/version")" = 200 ] && ok ||
        bad "$1: the server does not answer ($(ls /proc/"$PID"/fd | wc -l) files open): $(cat "$TMP/serve.err")"
}

# --- the version: changes with every write, by the API or the CLI ----------
version() { curl -s "${AUTH[@]}" "$BASE/api/version" | jq -r .version; }
V0=$(version)
[ -n "$V0" ] && [ "$V0" = "$(version)" ] && ok || bad "version unstable: $V0"

# --- DELETE /api/tags/ID, PUT and DELETE /api/tags/ID/memo -------------------
expect_status 201 "tag" "${WRITE[@]}" -d '{"document": "ip01", "code": "vvg-roll-oklar", "start": 500, "end": 560}' "$BASE/api/tags"
ID=$(jq .id "$TMP/body")
V1=$(version)
[ "$V1" != "$V0" ] && ok || bad "version unchanged by a tag"
expect_status 200 "memo set" "${WRITE[@]}" -X PUT -d '{"text": "Oklart mandat  "}' "$BASE/api/tags/$ID/memo"
jq -e --argjson id "$ID" '. == {"id": $id, "memo": "Oklart mandat"}' "$TMP/body" >/dev/null && ok || bad "memo set: $(cat "$TMP/body")"
expect_status 200 "memo changed" "${WRITE[@]}" -X PUT -d '{"text": "Oklart mandat, igen"}' "$BASE/api/tags/$ID/memo"
tags_of anna | jq -e --argjson id "$ID" '[.[] | select(.id == $id) | .memo] == ["Oklart mandat, igen"]' >/dev/null && ok || bad "memo not in tags: $(tags_of anna)"
"$KODBOK" memo list --coding "$ID" --format json | jq -e '.memos[0].text == "Oklart mandat, igen"' >/dev/null && ok || bad "memo list --coding"
# With a memo the coding is not removed (409), and is still there.
expect_status 409 "remove with a memo" "${WRITE[@]}" -X DELETE "$BASE/api/tags/$ID"
jq -e '.error | test("memo")' "$TMP/body" >/dev/null && ok || bad "409 says why: $(cat "$TMP/body")"
# Refusals, each leaving the codings as they were.
BEFORE=$("$KODBOK" tags --format json)
expect_status 403 "remove without CSRF" "${AUTH[@]}" -X DELETE "$BASE/api/tags/$ID/memo"
expect_status 403 "remove cross-site" "${WRITE[@]}" -H "Origin: http://evil.example" -X DELETE "$BASE/api/tags/$ID/memo"
expect_status 404 "remove unknown" "${WRITE[@]}" -X DELETE "$BASE/api/tags/999999"
expect_status 404 "remove no id" "${WRITE[@]}" -X DELETE "$BASE/api/tags/abc"
expect_status 404 "remove a part" "${WRITE[@]}" -X DELETE "$BASE/api/tags/$ID/other"
expect_status 403 "remove bo's" "${WRITE[@]}" -X DELETE "$BASE/api/tags/$BO_TAG"
jq -e '.error | test("another coder")' "$TMP/body" >/dev/null && ok || bad "403 says why: $(cat "$TMP/body")"
expect_status 403 "memo on bo's" "${WRITE[@]}" -X PUT -d '{"text": "x"}' "$BASE/api/tags/$BO_TAG/memo"
expect_status 400 "memo no text" "${WRITE[@]}" -X PUT -d '{"memo": "x"}' "$BASE/api/tags/$ID/memo"
expect_status 400 "memo text a number" "${WRITE[@]}" -X PUT -d '{"text": 5}' "$BASE/api/tags/$ID/memo"
expect_status 400 "memo empty" "${WRITE[@]}" -X PUT -d '{"text": "  "}' "$BASE/api/tags/$ID/memo"
expect_status 400 "memo malformed" "${WRITE[@]}" -X PUT -d '{"text": ' "$BASE/api/tags/$ID/memo"
expect_status 404 "put a coding" "${WRITE[@]}" -X PUT -d '{"text": "x"}' "$BASE/api/tags/$ID"
[ "$("$KODBOK" tags --format json)" = "$BEFORE" ] && ok || bad "a refusal changed the codings"
# The memo removed, then the coding.
expect_status 200 "memo removed" "${WRITE[@]}" -X DELETE "$BASE/api/tags/$ID/memo"
jq -e '.memo == null' "$TMP/body" >/dev/null && ok || bad "memo removed: $(cat "$TMP/body")"
expect_status 404 "memo removed twice" "${WRITE[@]}" -X DELETE "$BASE/api/tags/$ID/memo"
expect_status 200 "coding removed" "${WRITE[@]}" -X DELETE "$BASE/api/tags/$ID"
jq -e --argjson id "$ID" '. == {"removed": $id}' "$TMP/body" >/dev/null && ok || bad "removed: $(cat "$TMP/body")"
"$KODBOK" tags --format json | jq -e --argjson id "$ID" '[.tags[] | select(.id == $id)] == []' >/dev/null && ok ||
    bad "coding still listed: $(tags_of anna)"
expect_status 404 "removed twice" "${WRITE[@]}" -X DELETE "$BASE/api/tags/$ID"
tags_of bo | jq -e 'length == 2' >/dev/null && ok || bad "bo's codings touched"

alive "before review"
# --- review -----------------------------------------------------------------
# The quotes, their count and order as `kodbok review` walks them.
"$KODBOK" review </dev/null >"$TMP/walk"
first=$(grep -m1 '^\[1/' "$TMP/walk")
curl -s "${AUTH[@]}" "$BASE/api/review?limit=3" >"$TMP/review"
total=$(jq .total "$TMP/review")
[ "$first" != "" ] && [[ "$first" == "[1/$total] "* ]] && ok || bad "review total $total, CLI: $first"
q=$(jq -c '.quotes[0]' "$TMP/review")
doc=$(jq -r .document <<<"$q"); s=$(jq .start <<<"$q"); e=$(jq .end <<<"$q"); k=$(jq -r .concept <<<"$q")
[[ "$first" == "[1/$total] $doc $s-$e  $k ("* ]] && ok || bad "first quote $q, CLI: $first"
jq -e '.coder == "anna" and (.quotes | length) == 3' "$TMP/review" >/dev/null && ok || bad "review: limit"
# Its context: the turn it is in, the turn before it (the question).
curl -s "${AUTH[@]}" "$BASE/api/documents/$doc" >"$TMP/doc"
jq -e --argjson q "$q" '.turns as $t | ($t | map(select(.index == $q.turn.index)) | .[0]) as $turn
    | $turn.start == $q.turn.start and $turn.start <= $q.start and $q.end <= $turn.end
    and ($t | map(select(.index == $q.turn.index - 1)) | .[0].text) == $q.before.text
    and ($turn.text | contains($q.text))' "$TMP/doc" >/dev/null && ok || bad "review context: $q"
n_ip01=$("$KODBOK" review --doc ip01 </dev/null | grep -m1 -o '^\[1/[0-9]*' | cut -d/ -f2)
curl -s "${AUTH[@]}" "$BASE/api/review?doc=ip01&concept=vvg-roll-oklar" | jq -e '[.quotes[] | .document == "ip01" and .concept == "vvg-roll-oklar"] | all' >/dev/null && ok || bad "review filters"
[ "$(curl -s "${AUTH[@]}" "$BASE/api/review?doc=ip01" | jq .total)" = "$n_ip01" ] && ok || bad "review --doc ip01 total"
expect_status 400 "review limit" "${AUTH[@]}" "$BASE/api/review?limit=x"
# Decisions: accept, accept again (409), undo, undo again (409), reject.
body() { jq -nc --argjson q "$q" --arg d "$1" '{document: $q.document, start: $q.start, end: $q.end, concept: $q.concept, decision: $d}'; }
expect_status 200 "accept" "${WRITE[@]}" -d "$(body accept)" "$BASE/api/review"
jq -e '.decision == "accept"' "$TMP/body" >/dev/null && ok || bad "accept: $(cat "$TMP/body")"
tags_of anna | jq -e --argjson q "$q" '[.[] | select(.decision == "accept" and .document == $q.document and .code == $q.concept)] | length == 1' >/dev/null && ok || bad "accept not in tags"
[ "$(curl -s "${AUTH[@]}" "$BASE/api/review" | jq .total)" = $((total - 1)) ] && ok || bad "accepted quote still unreviewed"
expect_status 409 "accept twice" "${WRITE[@]}" -d "$(body accept)" "$BASE/api/review"
expect_status 409 "reject decided" "${WRITE[@]}" -d "$(body reject)" "$BASE/api/review"
expect_status 200 "undo" "${WRITE[@]}" -d "$(body undo)" "$BASE/api/review"
jq -e '.decision == "none"' "$TMP/body" >/dev/null && ok || bad "undo: $(cat "$TMP/body")"
expect_status 409 "undo twice" "${WRITE[@]}" -d "$(body undo)" "$BASE/api/review"
BEFORE=$("$KODBOK" tags --format json)
expect_status 400 "decision unknown" "${WRITE[@]}" -d "$(body skip)" "$BASE/api/review"
expect_status 400 "decision missing" "${WRITE[@]}" -d '{"document": "ip01", "start": 1, "end": 2, "concept": "x"}' "$BASE/api/review"
expect_status 404 "no such quote" "${WRITE[@]}" -d "$(jq -c '.start += 1' <<<"$(body accept)")" "$BASE/api/review"
expect_status 403 "review without CSRF" "${AUTH[@]}" -H 'Content-Type: application/json' -d "$(body accept)" "$BASE/api/review"
[ "$("$KODBOK" tags --format json)" = "$BEFORE" ] && ok || bad "a refused decision changed the codings"
expect_status 200 "reject" "${WRITE[@]}" -d "$(body reject)" "$BASE/api/review"
"$KODBOK" quotes --doc "$doc" --concept "$k" --format json | jq -e --argjson s "$s" '[.[] | select(.start == $s)] | length == 0' >/dev/null && ok || bad "rejected quote still in quotes"
expect_status 400 "feature rejected" "${WRITE[@]}" -d "$(body feature)" "$BASE/api/review"
jq -e '.error | test("rejected")' "$TMP/body" >/dev/null && ok || bad "400 says why: $(cat "$TMP/body")"
# Feature: the second quote accepted and featured, featured again 409, undo
# removes the acceptance; on a quote anna tagged, feature marks the tag
# and undo takes the featuring back, the tag kept.
q=$(jq -c '.quotes[1]' "$TMP/review")
expect_status 200 "feature" "${WRITE[@]}" -d "$(body feature)" "$BASE/api/review"
jq -e '.decision == "feature"' "$TMP/body" >/dev/null && ok || bad "feature: $(cat "$TMP/body")"
tags_of anna | jq -e --argjson q "$q" '[.[] | select(.document == $q.document and .start == $q.start and .code == $q.concept)] | length == 1 and .[0].decision == "accept" and .[0].featured' >/dev/null &&
    ok || bad "feature not in tags: $(tags_of anna)"
"$KODBOK" feature --list --coder anna --format json | jq -e --argjson q "$q" '.featured | length == 1 and .[0].start == $q.start' >/dev/null && ok || bad "feature --list"
expect_status 409 "feature twice" "${WRITE[@]}" -d "$(body feature)" "$BASE/api/review"
expect_status 200 "undo feature" "${WRITE[@]}" -d "$(body undo)" "$BASE/api/review"
tags_of anna | jq -e --argjson q "$q" '[.[] | select(.document == $q.document and .start == $q.start and .code == $q.concept)] | length == 0' >/dev/null &&
    ok || bad "undo feature left: $(tags_of anna)"
"$KODBOK" tag "$(jq -r .document <<<"$q")" "$(jq -r .concept <<<"$q")" --span "$(jq -r '"\(.start):\(.end)"' <<<"$q")" >/dev/null || bad "tag the second quote"
expect_status 200 "feature a tagged quote" "${WRITE[@]}" -d "$(body feature)" "$BASE/api/review"
expect_status 200 "undo its feature" "${WRITE[@]}" -d "$(body undo)" "$BASE/api/review"
tags_of anna | jq -e --argjson q "$q" '[.[] | select(.document == $q.document and .start == $q.start and .code == $q.concept)] | length == 1 and .[0].decision == "tag" and (.[0].featured | not)' >/dev/null &&
    ok || bad "the tag after feature and undo: $(tags_of anna)"
expect_status 409 "undo with nothing" "${WRITE[@]}" -d "$(body undo)" "$BASE/api/review"

alive "before the documents' progress"
# --- the documents' progress -------------------------------------------------
curl -s "${AUTH[@]}" "$BASE/api/documents" >"$TMP/docs"
"$KODBOK" tags --format json | jq -c '[.tags[] | select(.placed)] | group_by([.document, .coder])
    | map({key: "\(.[0].document)/\(.[0].coder)", value: {tags: map(select(.decision == "tag")) | length,
      accepted: map(select(.decision == "accept")) | length, rejected: map(select(.decision == "reject")) | length}})
    | from_entries' >"$TMP/want"
jq -e --slurpfile w "$TMP/want" '[.documents[] | .name as $n | .progress | to_entries[]
    | select(.value.tags + .value.accepted + .value.rejected > 0)
    | {key: "\($n)/\(.key)", value: (.value | del(.unreviewed))}] | from_entries == $w[0]' "$TMP/docs" >/dev/null && ok ||
    bad "progress differs from tags: $(jq -c '[.documents[] | {name, progress}]' "$TMP/docs")"
for d in ip01 "$doc"; do
    for coder in anna bo; do
        want=$(KODBOK_CODER=$coder "$KODBOK" review --doc "$d" </dev/null | grep -m1 -o '^\[1/[0-9]*' | cut -d/ -f2)
        got=$(jq --arg d "$d" --arg c "$coder" '.documents[] | select(.name == $d) | .progress[$c].unreviewed' "$TMP/docs")
        [ "$got" = "${want:-0}" ] && ok || bad "$d $coder unreviewed $got, review: $want"
    done
done
jq -e '[.documents[] | .progress | keys == ["anna", "bo"]] | all' "$TMP/docs" >/dev/null && ok || bad "progress coders"

alive "before memos"
# --- memos -------------------------------------------------------------------
expect_status 201 "journal memo" "${WRITE[@]}" -d '{"about": "journal", "text": "Första intrycket: **mandat** återkommer."}' "$BASE/api/memos"
J=$(jq .id "$TMP/body")
jq -e '.about == "journal" and .author == "anna" and .target == "project"' "$TMP/body" >/dev/null && ok || bad "journal memo: $(cat "$TMP/body")"
expect_status 201 "document memo" "${WRITE[@]}" -d '{"about": "document", "name": "ip01", "text": "Lång intervju"}' "$BASE/api/memos"
M=$(jq .id "$TMP/body")
expect_status 201 "code memo" "${WRITE[@]}" -d '{"about": "code", "name": "vvg-roll-oklar", "text": "Se även mandat"}' "$BASE/api/memos"
expect_status 201 "code memo at a level" "${WRITE[@]}" -d '{"about": "code", "name": "vvg-roll-oklar", "at": "level=lokal", "text": "Lokalt om VVG"}' "$BASE/api/memos"
jq -e '.at == "level=lokal" and .name == "vvg-roll-oklar"' "$TMP/body" >/dev/null && ok || bad "the cell memo: $(cat "$TMP/body")"
curl -s "${AUTH[@]}" "$BASE/api/memos?about=code&at=level%3Dlokal" | jq -e '[.memos[] | .text] == ["Lokalt om VVG"]' >/dev/null && ok || bad "memos at level=lokal"
curl -s "${AUTH[@]}" "$BASE/api/memos" | jq -S '.memos | map(del(.about))' >"$TMP/api_memos"
"$KODBOK" memo list --format json | jq -S .memos >"$TMP/cli_memos"
cmp -s "$TMP/api_memos" "$TMP/cli_memos" && ok || bad "memos differ from 'memo list --format json'"
curl -s "${AUTH[@]}" "$BASE/api/memos?about=document&name=ip01" | jq -S '.memos | map(del(.about))' >"$TMP/api_memos"
"$KODBOK" memo list --doc ip01 --format json | jq -S .memos >"$TMP/cli_memos"
cmp -s "$TMP/api_memos" "$TMP/cli_memos" && [ "$(jq length "$TMP/api_memos")" = 2 ] && ok || bad "memos of ip01"
curl -s "${AUTH[@]}" "$BASE/api/memos?about=coding" | jq -e '[.memos[] | .about == "coding" and .text == "Bos memo"] == [true]' >/dev/null && ok || bad "coding memos"
expect_status 200 "memo edited" "${WRITE[@]}" -X PUT -d '{"text": "Lång intervju, två timmar"}' "$BASE/api/memos/$M"
jq -e '.text == "Lång intervju, två timmar" and .changed_at >= .created_at' "$TMP/body" >/dev/null && ok || bad "edit: $(cat "$TMP/body")"
BO_MEMO=$("$KODBOK" memo list --doc ip01 --author bo --format json | jq '.memos[0].id')
BEFORE=$("$KODBOK" memo list --format json)
expect_status 403 "edit bo's memo" "${WRITE[@]}" -X PUT -d '{"text": "x"}' "$BASE/api/memos/$BO_MEMO"
expect_status 403 "remove bo's memo" "${WRITE[@]}" -X DELETE "$BASE/api/memos/$BO_MEMO"
expect_status 404 "edit unknown" "${WRITE[@]}" -X PUT -d '{"text": "x"}' "$BASE/api/memos/999999"
expect_status 400 "memo about nothing" "${WRITE[@]}" -d '{"about": "planet", "name": "x", "text": "x"}' "$BASE/api/memos"
expect_status 400 "journal with a name" "${WRITE[@]}" -d '{"about": "journal", "name": "x", "text": "x"}' "$BASE/api/memos"
expect_status 404 "memo on unknown doc" "${WRITE[@]}" -d '{"about": "document", "name": "ip99", "text": "x"}' "$BASE/api/memos"
expect_status 404 "memo at an unknown level" "${WRITE[@]}" -d '{"about": "code", "name": "struktur", "at": "level=lokl", "text": "x"}' "$BASE/api/memos"
expect_status 400 "journal memo at a level" "${WRITE[@]}" -d '{"about": "journal", "at": "level=lokal", "text": "x"}' "$BASE/api/memos"
expect_status 400 "memo without text" "${WRITE[@]}" -d '{"about": "journal"}' "$BASE/api/memos"
expect_status 403 "memo without CSRF" "${AUTH[@]}" -H 'Content-Type: application/json' -d '{"about": "journal", "text": "x"}' "$BASE/api/memos"
expect_status 403 "memo on bo's coding" "${WRITE[@]}" -d "{\"about\": \"coding\", \"name\": \"$BO_TAG\", \"text\": \"x\"}" "$BASE/api/memos"
expect_status 400 "memos filter" "${AUTH[@]}" "$BASE/api/memos?name=ip01"
[ "$("$KODBOK" memo list --format json)" = "$BEFORE" ] && ok || bad "a refused memo write changed the memos"
expect_status 200 "memo removed" "${WRITE[@]}" -X DELETE "$BASE/api/memos/$J"
jq -e --argjson id "$J" '. == {"removed": $id}' "$TMP/body" >/dev/null && ok || bad "removed: $(cat "$TMP/body")"
"$KODBOK" memo list --journal --format json | jq -e '.memos == []' >/dev/null && ok || bad "journal memo still there"

alive "before a matrix cell's quotes"
# --- a matrix cell's quotes ---------------------------------------------------
check_cell() { # QUERY ROW COL CLI-ARGS...
    local query=$1 row=$2 col=$3
    shift 3
    curl -s "${AUTH[@]}" "$BASE/api/matrix/quotes?$query&row=$row&col=$col" >"$TMP/cell"
    "$KODBOK" matrix "$@" --quotes --format json |
        jq --arg r "$row" --arg c "$col" '.cells[] | select(.row == $r and .col == $c)' >"$TMP/cli_cell"
    jq -e --slurpfile w "$TMP/cli_cell" '.count == $w[0].count and (.quotes | length) > 0
        and ([.quotes[] | [.document, .start, .end, .concept]] ==
             [$w[0].quotes[] | [.document, .start, .end, .concept]])
        and ([.quotes[] | (.text | type) == "string" and (.source | type) == "string"] | all)' \
        "$TMP/cell" >/dev/null && ok || bad "cell $query $row $col: $(head -c 300 "$TMP/cell")"
}
check_cell "" struktur regional
check_cell "rows=concept&cols=case" vvg-roll-oklar "$(curl -s "${AUTH[@]}" "$BASE/api/matrix?rows=concept&cols=case" |
    jq -r '[.cells[] | select(.row == "vvg-roll-oklar" and .count > 0)][0].col')" --rows concept --cols case
check_cell "rows=theme&cols=theme&unit=turn" struktur struktur --rows theme --cols theme --unit turn
expect_status 404 "no such cell" "${AUTH[@]}" "$BASE/api/matrix/quotes?row=nothing&col=regional"
expect_status 400 "cell not named" "${AUTH[@]}" "$BASE/api/matrix/quotes?row=struktur"
expect_status 400 "cell of an unknown axis" "${AUTH[@]}" "$BASE/api/matrix/quotes?rows=nonsense&row=a&col=b"

alive "before agreement"
# --- agreement -----------------------------------------------------------------
# Anna codes where bo did, and once where he did not.
"$KODBOK" tag ip01 vvg-roll-oklar --span 300:360 >/dev/null || bad "tag anna"
"$KODBOK" tag ip01 vvg-roll-oklar --span 900:960 >/dev/null || bad "tag anna 2"
curl -s "${AUTH[@]}" "$BASE/api/agree" >"$TMP/agree"
"$KODBOK" agree --coders anna,bo --format json 2>/dev/null >"$TMP/cli_agree"
jq -e --slurpfile w "$TMP/cli_agree" '.coders == ["anna", "bo"] and .kind == "concept"
    and .codes == $w[0].codes and .overall == $w[0].overall
    and ([.disagreements[] | del(.text)] == [$w[0].disagreements[] | del(.text)])
    and (.disagreements | length) > 0' "$TMP/agree" >/dev/null && ok || bad "agree differs: $(head -c 400 "$TMP/agree")"
jq -e '[.disagreements[] | .document == "ip01" and .code == "vvg-roll-oklar"
    and (.marked_by == "anna" or .marked_by == "bo") and (.text | length) <= 301] | all' "$TMP/agree" >/dev/null && ok || bad "disagreements: $(jq -c .disagreements "$TMP/agree")"
curl -s "${AUTH[@]}" "$BASE/api/agree?coders=bo,anna&unit=turn&kind=theme" >"$TMP/agree"
"$KODBOK" agree --coders bo,anna --unit turn --by theme --format json 2>/dev/null >"$TMP/cli_agree"
jq -e --slurpfile w "$TMP/cli_agree" '.coders == ["bo", "anna"] and .unit == "turn" and .kind == "theme"
    and .codes == $w[0].codes and (.disagreements | length) == ($w[0].disagreements | length)' "$TMP/agree" >/dev/null && ok || bad "agree by theme"
expect_status 400 "agree unit" "${AUTH[@]}" "$BASE/api/agree?unit=page"
expect_status 400 "agree kind" "${AUTH[@]}" "$BASE/api/agree?kind=dimension"
expect_status 404 "agree unknown coder" "${AUTH[@]}" "$BASE/api/agree?coders=anna,cilla"
expect_status 400 "agree one coder" "${AUTH[@]}" "$BASE/api/agree?coders=anna"

alive "before the version sees"
# --- the version sees the CLI's writes -------------------------------------
V2=$(version)
"$KODBOK" memo add --journal --text "Från terminalen" >/dev/null || bad "memo add"
V3=$(version)
[ "$V3" != "$V2" ] && [ "$(version)" = "$V3" ] && ok || bad "version $V2 -> $V3 after a CLI write"

alive "before busy"
# --- busy: another process holds the write lock --------------------------------
BEFORE=$("$KODBOK" tags --format json)
mkfifo "$TMP/sql"
sqlite3 "$KODBOK_PROJECT" <"$TMP/sql" >"$TMP/sql.out" &
SQL=$!
exec 3>"$TMP/sql"
printf 'BEGIN IMMEDIATE;\nSELECT 42;\n' >&3
for _ in $(seq 50); do grep -q 42 "$TMP/sql.out" && break; sleep 0.1; done
start=$(date +%s%N)
got=$(curl -s -D "$TMP/head" -o "$TMP/body" -w '%{http_code}' "${WRITE[@]}" \
    -d '{"document": "ip01", "code": "vvg-roll-oklar", "start": 1500, "end": 1560}' "$BASE/api/tags")
ms=$((($(date +%s%N) - start) / 1000000))
[ "$got" = 503 ] && ok || bad "busy: $got $(cat "$TMP/body")"
grep -qi '^retry-after: 1' "$TMP/head" && ok || bad "no Retry-After: $(cat "$TMP/head")"
jq -e '.error | test("busy")' "$TMP/body" >/dev/null && ok || bad "busy says so: $(cat "$TMP/body")"
[ "$ms" -lt 2000 ] && ok || bad "busy answered after $ms ms"
expect_status 503 "memo while busy" "${WRITE[@]}" -d '{"about": "journal", "text": "x"}' "$BASE/api/memos"
expect_status 200 "reads while busy" "${AUTH[@]}" "$BASE/api/documents/ip01"
expect_status 200 "version while busy" "${AUTH[@]}" "$BASE/api/version"
printf 'COMMIT;\n' >&3
exec 3>&-
wait "$SQL"
[ "$("$KODBOK" tags --format json)" = "$BEFORE" ] && ok || bad "the busy write was stored"
expect_status 201 "tag after the lock" "${WRITE[@]}" -d '{"document": "ip01", "code": "vvg-roll-oklar", "start": 1500, "end": 1560}' "$BASE/api/tags"

kill -TERM "$PID"
wait "$PID" && ok || bad "server did not stop cleanly"
finish
