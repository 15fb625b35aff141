#!/usr/bin/env bash
# The REFI-QDA round trip: the sample study (documents, cases with their
# attributes and the focus group's speaker cases, a run, two coders' tags
# and memos, the memos file's journal and memos) exported to QDPX and imported into an empty project has the
# same documents, codebook, cases, codings, coders and memos, and exporting
# that project again gives the same file, byte for byte (GUIDs included).
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
A="$TMP/a.db"
B="$TMP/b.db"

KODBOK_PROJECT=$A "$KODBOK" init >/dev/null
KODBOK_PROJECT=$A "$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
KODBOK_PROJECT=$A "$KODBOK" code -q "$SRC/codebooks/vardsamverkan.yaml" >/dev/null 2>&1 || bad "code"
for coder in anna bo; do
    KODBOK_PROJECT=$A "$KODBOK" tags import "$C/tags/$coder.tsv" >/dev/null 2>&1 || bad "tags import $coder"
done
KODBOK_PROJECT=$A "$KODBOK" memo import "$C/memos.tsv" >/dev/null || bad "memo import"
KODBOK_PROJECT=$A "$KODBOK" export qdpx --name studie -o "$TMP/a.qdpx" >/dev/null || bad "export a"

KODBOK_PROJECT=$B "$KODBOK" init >/dev/null
KODBOK_PROJECT=$B "$KODBOK" import "$TMP/a.qdpx" --codebook-out "$TMP/b.yaml" >"$TMP/imp" 2>&1 || bad "import the .qdpx: $(cat "$TMP/imp")"
KODBOK_PROJECT=$B "$KODBOK" code -q "$TMP/b.yaml" >/dev/null 2>&1 || bad "code b"
KODBOK_PROJECT=$B "$KODBOK" export qdpx --name studie -o "$TMP/b.qdpx" >/dev/null || bad "export b"

# each side of the comparison, as kodbok lists it
both() { # NAME JQ CMD...: the two projects' listings, filtered, equal
    local name=$1 filter=$2
    shift 2
    KODBOK_PROJECT=$A "$@" | jq -S "$filter" >"$TMP/$name.a" || bad "$name: a"
    KODBOK_PROJECT=$B "$@" | jq -S "$filter" >"$TMP/$name.b" || bad "$name: b"
    if cmp -s "$TMP/$name.a" "$TMP/$name.b" && [ -s "$TMP/$name.a" ]; then
        ok
    else
        bad "$name differ: $(diff "$TMP/$name.a" "$TMP/$name.b" | head -5)"
    fi
}
both documents '[.documents[] | {name, case, chars, turns, paragraphs, sentences}]' \
    "$KODBOK" docs --format json
both cases '.' "$KODBOK" cases --format json
both tags '[.tags[] | del(.id, .version, .created_at)]' "$KODBOK" tags --format json
both quotes '[.[] | del(.run)]' "$KODBOK" quotes --format json
# the memos on the journal, documents, cases and codes, with their authors
# and times (codings' memos are the tags' above)
both memos '[.memos[] | select(.target != "coding") | del(.id)]' "$KODBOK" memo list --format json
[ "$(KODBOK_PROJECT=$B "$KODBOK" memo export -o - | cmp - "$C/memos.tsv" && echo same)" = same ] && ok ||
    bad "the memos file of the imported project differs from the sample's"
for doc in ip01 ip04 fokusgrupp; do
    both "text-$doc" '.' sh -c "\"$KODBOK\" show $doc --raw | jq -Rs ."
done
"$KODBOK" codebook check "$SRC/codebooks/vardsamverkan.yaml" --format json 2>/dev/null |
    jq -S '[.nodes[] | del(.line)]' >"$TMP/cb.a"
"$KODBOK" codebook check "$TMP/b.yaml" --format json 2>/dev/null |
    jq -S '[.nodes[] | del(.line)]' >"$TMP/cb.b"
cmp -s "$TMP/cb.a" "$TMP/cb.b" && [ -s "$TMP/cb.a" ] && ok ||
    bad "the codebook differs: $(diff "$TMP/cb.a" "$TMP/cb.b" | head -5)"

# the memos and both coders came across
memos=$(KODBOK_PROJECT=$B "$KODBOK" tags --format json | jq '[.tags[] | select(.memo != null and .memo != "")] | length')
[ "$memos" -gt 0 ] && ok || bad "no memo came across"
coders=$(KODBOK_PROJECT=$B "$KODBOK" tags --format json | jq -r '[.tags[].coder] | unique | join(",")')
[ "$coders" = "anna,bo" ] && ok || bad "coders: $coders"

cmp -s "$TMP/a.qdpx" "$TMP/b.qdpx" && ok || bad "the second export differs from the first"

finish
