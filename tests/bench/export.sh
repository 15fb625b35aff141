#!/usr/bin/env bash
# make bench, exports: a project of at least CODINGS codings (default one
# million) and the time of `kodbok matrix` and `kodbok quotes` in each
# format, then the analyses and kodbok serve's matrix (serve.sh) over it.
# The corpus is the sample study copied as often as needed (every
# copy its own documents and cases); the codebook is the sample codebook
# plus a dimension of 80 concepts on the corpus' commonest words, so that
# a copy holds some 10,000 codings. Needs nothing outside the repository.
# Usage: export.sh KODBOK [CODINGS]
# EXPORT_KEEP=1 keeps the work folder (the project) to profile;
# EXPORT_PROJECT=FILE times the exports of that project instead of building
# one.
set -euo pipefail
KODBOK=$1
WANT=${2:-1000000}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
C="$SRC/corpora/vardsamverkan"
W=$(mktemp -d /tmp/kodbok-export-XXXXXX)
[ -n "${EXPORT_KEEP:-}" ] && echo "export bench: keeping $W" || trap 'rm -rf "$W"' EXIT
export KODBOK_PROJECT="${EXPORT_PROJECT:-$W/p.db}"
export LC_ALL=C.UTF-8

# --- the codebook: the sample's, and 8 themes of 10 frequent words -------
cat "$C"/*.txt | grep -oP '\b\p{Ll}{3,}\b' | sort | uniq -c | sort -k1,1nr -k2 |
    awk 'NR <= 80 { print $2 }' >"$W/words.txt"
{
    sed -n '/^facets:/q; p' "$SRC/codebooks/vardsamverkan.yaml"
    awk '
        NR == 1 { print "  - id: bench\n    label: Vanliga ord\n    themes:" }
        (NR - 1) % 10 == 0 { printf "      - id: ord%d\n        label: Ord %d\n        concepts:\n", (NR - 1) / 10, (NR - 1) / 10 }
        { printf "          - { id: w%02d, label: \"%s\", speakers: all, patterns: [\x27\\b%s\\b\x27] }\n", NR, $1, $1 }
    ' "$W/words.txt"
    sed -n '/^facets:/,$p' "$SRC/codebooks/vardsamverkan.yaml"
} >"$W/cb.yaml"

# --- copy K of the corpus: documents NAME-K, cases CASE-K -----------------
add_copies() { # add_copies FROM TO
    local k
    mkdir -p "$W/corpus"
    head -n 1 "$C/cases.csv" >"$W/cases.csv"
    for ((k = $1; k <= $2; k++)); do
        for f in "$C"/*.txt; do
            b=$(basename "$f" .txt)
            cp "$f" "$W/corpus/$b-$k.txt"
        done
        # case,document,speaker,...: suffix the case and the document
        tail -n +2 "$C/cases.csv" | awk -F, -v OFS=, -v k="$k" \
            '{ $1 = $1 "-" k; $2 = $2 "-" k; print }' >>"$W/cases.csv"
    done
    "$KODBOK" import -q --attrs "$W/cases.csv" "$W"/corpus/*-*.txt >/dev/null 2>&1
    rm -rf "$W/corpus"
}

if [ -z "${EXPORT_PROJECT:-}" ]; then
    "$KODBOK" init >/dev/null
    add_copies 1 1
    per=$("$KODBOK" code -q "$W/cb.yaml" 2>/dev/null | grep -o '[0-9]* in all' | cut -d' ' -f1)
    copies=$(((WANT + per - 1) / per))
    [ "$copies" -gt 1 ] && add_copies 2 "$copies"
    "$KODBOK" code -q "$W/cb.yaml" >/dev/null 2>&1
    echo "export bench: $copies copies of the sample corpus"
fi
quotes=$("$KODBOK" runs --format json | jq '.runs[-1].quotes')
echo "export bench: $quotes codings, $(du -h "$KODBOK_PROJECT" | cut -f1) project"

# --- the exports: each command in each format, to a file -----------------
# Wall seconds (the goal) and CPU seconds (user + system: steadier on a
# shared machine). matrix --quotes is shown for the formats that carry them.
timed() { # timed NAME CMD... -> prints wall and cpu
    /usr/bin/time -o "$W/t" -f '%e %U %S' "$@" >/dev/null 2>"$W/err" || {
        cat "$W/err" >&2
        exit 3
    }
    awk '{ printf "%8.2f %8.2f", $1, $2 + $3 }' "$W/t"
}
echo
printf '%-7s %19s %19s %19s\n' "" "matrix" "quotes" "matrix --quotes"
printf '%-7s %8s %8s   %8s %8s   %8s %8s\n' format wall cpu wall cpu wall cpu
for f in text csv tsv md html json xlsx; do
    m=$(timed "$KODBOK" matrix --format "$f" -o "$W/m.$f")
    q=$(timed "$KODBOK" quotes --format "$f" -o "$W/q.$f")
    mq=""
    case $f in html | json | xlsx) mq=$(timed "$KODBOK" matrix --quotes --format "$f" -o "$W/mq.$f") ;; esac
    printf '%-7s %s   %s   %s\n' "$f" "$m" "$q" "$mq"
    rm -f "$W/m.$f" "$W/q.$f" "$W/mq.$f"
done
echo "goal: matrix, quotes and report of 1 M codings <= 1 s (wall) in text, csv, json and html"

# --- the analyses over the same project ----------------------------------
# Co-occurrence in each unit, presence by case, the heat map, word
# frequencies (against a shell pipeline over the same text: the peer), the
# keyness of a theme's words, and one theme's quotes as a document.
echo
printf '%-50s %8s %8s\n' "analysis" wall cpu
row() { # row NAME CMD...
    local name=$1
    shift
    printf '%-50s %s\n' "$name" "$(timed "$@")"
}
for u in segment turn document; do
    row "matrix concept x concept by $u (csv)" "$KODBOK" matrix \
        --rows concept --cols concept --unit "$u" --format csv -o "$W/a.csv"
done
row "matrix case x concept, presence (csv)" "$KODBOK" matrix --rows case \
    --cols concept --count presence --format csv -o "$W/a.csv"
row "heat map, concept x concept by turn (svg)" "$KODBOK" matrix \
    --rows concept --cols concept --unit turn --format svg -o "$W/a.svg"
row "report (html)" "$KODBOK" report -o "$W/a.html"
words=$(timed "$KODBOK" words --all-speakers --no-stop --format csv -o "$W/a.csv")
row "words of a theme against the rest (csv)" "$KODBOK" words --theme ord1 \
    --vs rest --format csv -o "$W/a.csv"
row "quotes of one theme as a document (docx)" "$KODBOK" quotes \
    --theme struktur --format docx -o "$W/a.docx"
# The peer: every word of the same text, lower-cased, counted and sorted.
copies=$("$KODBOK" docs --format json | jq '[.documents[] | select(.name | test("^ip01-"))] | length')
peer() {
    for ((k = 1; k <= copies; k++)); do cat "$C"/*.txt; done |
        grep -oP '[\p{L}\p{N}\p{M}]+' | awk '{ print tolower($0) }' |
        sort | uniq -c | sort -k1,1nr >"$W/peer.txt"
}
export -f peer
export C W copies
peer_t=$(timed bash -c peer)
printf '%-50s %s\n' "words, every speaker, no stop words (csv)" "$words"
printf '%-50s %s\n' "  peer: grep -o | awk tolower | sort | uniq -c" "$peer_t"
awk -v a="$words" -v b="$peer_t" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "%-50s %8.1fx\n", "  words: peer wall / kodbok wall", y[1] / x[1] }'

# --- kodbok serve's matrix over the same project --------------------------
bash "$(dirname "$0")/serve.sh" "$KODBOK" matrix "$KODBOK_PROJECT"
