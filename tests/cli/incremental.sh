#!/usr/bin/env bash
# Incremental equals from scratch: after a series of codebook edits, the
# quotes a project holds (text, concept, level) equal those of a fresh
# project coded once with the final codebook.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
CB="$SRC/codebooks/vardsamverkan.yaml"
quotes() { # the quotes alive at the last run of project $1, sorted
    local last
    last=$("$KODBOK" -p "$1" runs --format json | jq '.runs[-1].run')
    "$KODBOK" -p "$1" diff 0 "$last" --format json |
        jq -r '.changes[] | [.concept, .document, .start, .end, (.facets.level // [] | join(",")), .text] | @tsv' | sort
}
for p in inc fresh; do
    "$KODBOK" -p "$TMP/$p.db" init >/dev/null
    "$KODBOK" -p "$TMP/$p.db" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1
done
"$KODBOK" -p "$TMP/inc.db" code -q "$CB" >/dev/null || bad "first run"
# Edit 1: narrow one concept, widen another (few concepts: the re-run path).
sed -e "s/'\\\\bglapp\\\\w\*', //" -e "s/'\\\\bVVG\\\\b'/'\\\\bVVG\\\\b', '\\\\bvårdsamverkansgrupp\\\\w*'/" "$CB" >"$TMP/cb1.yaml"
cmp -s "$CB" "$TMP/cb1.yaml" && bad "edit 1 changed nothing"
"$KODBOK" -p "$TMP/inc.db" code -q "$TMP/cb1.yaml" >/dev/null || bad "run 2"
# Edit 2: a changed document and a changed level pattern.
sed 's/VVG/Västra Götalands vårdsamverkansgrupp/' "$C/ip02.txt" >"$TMP/ip02.txt"
"$KODBOK" -p "$TMP/inc.db" import -q "$TMP/ip02.txt" >/dev/null || bad "import ip02 v2"
"$KODBOK" -p "$TMP/fresh.db" import -q "$TMP/ip02.txt" >/dev/null || bad "import ip02 v2 (fresh)"
sed "s/'\\\\bvårdcentral\\\\w\*'/'\\\\bvårdcentral\\\\w*', '\\\\bhemsjukvård\\\\w*'/" "$TMP/cb1.yaml" >"$TMP/cb2.yaml"
"$KODBOK" -p "$TMP/inc.db" code -q "$TMP/cb2.yaml" >/dev/null || bad "run 3"
"$KODBOK" -p "$TMP/fresh.db" code -q "$TMP/cb2.yaml" >/dev/null || bad "fresh run"
quotes "$TMP/inc.db" >"$TMP/inc.tsv"
quotes "$TMP/fresh.db" >"$TMP/fresh.tsv"
[ -s "$TMP/fresh.tsv" ] && ok || bad "no quotes"
if cmp -s "$TMP/inc.tsv" "$TMP/fresh.tsv"; then ok; else
    bad "incremental and fresh differ: $(diff "$TMP/inc.tsv" "$TMP/fresh.tsv" | head -5)"
fi
finish
