#!/usr/bin/env bash
# Re-runs against runs from scratch: after each edit of one or more
# concepts, the incremental re-run (which matches a few edited concepts
# only where their literals occur) leaves exactly the quotes of a fresh
# project coded with the edited codebook. Edits cover literals inside
# words, across words, in other letter cases, each scope, excludes and
# speakers, several concepts at once, and patterns without literals; the
# re-runs alternate between one worker (the main thread reads the texts)
# and three (each worker reads its own, on a connection of its own). Texts:
# the sample corpus, the shared plays and debate, and a document of letters
# whose case folds change their length.
source "$(dirname "$0")/lib/common.bash"
need_shared
C="$SRC/corpora/vardsamverkan"
T="$SHARED/corpora-external/transcripts"
mkdir -p "$TMP/docs"
cp "$C"/*.txt "$TMP/docs/"
for f in swedracor_strindberg-paria swedracor_strindberg-froken-julie \
    swedracor_strindberg-den-starkare riksdagen_prot-202324-021_par8_interpellationsdebatt; do
    cp "$T/$f.txt" "$TMP/docs/$f.txt"
done
# Folds that change a length (ẞ -> ss, K (Kelvin) -> k, İ -> i̇, ΐ -> three
# code points) and Swedish capitals, each in its own sentence.
cat >"$TMP/docs/unicode.txt" <<'TXT'
I: Hur skriver ni namnen?

R: Vi skriver STRAẞE och Straße och strasse. Temperaturen var 300 K i labbet.
Sedan for vi till İSTANBUL och Istanbul. Ordet ΐ står för sig.
ÅTERKOMMANDE MÖTEN i VÅRDSAMVERKAN, återkommande möten i Vårdsamverkan.

R: Samverkan, SAMVERKAN, samVERKan: helhetssyn och röd tråd, RÖD TRÅD.
TXT

cb() { # cb FILE CONCEPT-LINES...: the base codebook with concept c1..c6 given
    {
        cat <<'YAML'
kodbok: 1
name: Index
defaults: { scope: sentence, speakers: all }
themes:
  - id: t1
    label: Ett
    concepts:
YAML
        shift
        printf '%s\n' "$@"
        cat <<'YAML'
facets:
  - id: level
    default: nivaoberoende
    values:
      - { id: regional, patterns: ['\bregion\w*'] }
      - { id: lokal, patterns: ['\bkommun\w*'] }
      - { id: nivaoberoende }
YAML
    } >"$1"
}
c1="      - { id: c1, patterns: ['\bsamverk\w*'] }"
c2="      - { id: c2, patterns: ['röd tråd'] }"
c3="      - { id: c3, scope: paragraph, patterns: ['\bhelhet\w*'] }"
c4="      - { id: c4, scope: turn, patterns: ['återkommande'] }"
c5="      - { id: c5, speakers: respondents, patterns: ['\bstrasse\b'] }"
c6="      - { id: c6, patterns: ['\bkärlek\w*'] }"
cb "$TMP/cb0.yaml" "$c1" "$c2" "$c3" "$c4" "$c5" "$c6"

"$KODBOK" init >/dev/null
"$KODBOK" import -q "$TMP"/docs/*.txt >/dev/null 2>&1 || bad "import"
ndocs=$(ls "$TMP"/docs/*.txt | wc -l)
"$KODBOK" code -q "$TMP/cb0.yaml" >"$TMP/run0" || bad "first run"

# same NAME CODEBOOK: the project's quotes equal a fresh project's.
same() {
    local name=$1 book=$2 fresh="$TMP/fresh-$1.db"
    "$KODBOK" quotes --format tsv | sort >"$TMP/got"
    KODBOK_PROJECT=$fresh "$KODBOK" init >/dev/null
    KODBOK_PROJECT=$fresh "$KODBOK" import -q "$TMP"/docs/*.txt >/dev/null 2>&1
    KODBOK_PROJECT=$fresh "$KODBOK" code -q "$book" >/dev/null
    KODBOK_PROJECT=$fresh "$KODBOK" quotes --format tsv | sort >"$TMP/want"
    if cmp -s "$TMP/got" "$TMP/want"; then
        ok
    else
        bad "$name: re-run differs from a fresh run: $(diff "$TMP/got" "$TMP/want" | head -5)"
    fi
    [ "$(wc -l <"$TMP/want")" -gt 1 ] || bad "$name: no quotes at all"
}
# edit NAME N CONCEPT-LINES...: re-run with c1..c6 replaced, N of them
# changed, with one worker or three in turn.
step=0
edit() {
    local name=$1 n=$2
    shift 2
    step=$((step + 1))
    cb "$TMP/cb$step.yaml" "$@"
    "$KODBOK" code -q --jobs $((step % 2 ? 1 : 3)) "$TMP/cb$step.yaml" >"$TMP/run" 2>&1 || bad "$name: run: $(cat "$TMP/run")"
    [ "$("$KODBOK" runs --format json | jq -r '.runs[-1] | "\(.documents) \(.concepts_matched)"')" = "$ndocs $n" ] &&
        ok || bad "$name: $(cat "$TMP/run")"
    same "$name" "$TMP/cb$step.yaml"
}
same base "$TMP/cb0.yaml"
# Inside words: "verkan" in samverkan, any case.
edit inside 1 "      - { id: c1, patterns: ['verkan'] }" "$c2" "$c3" "$c4" "$c5" "$c6"
# Across words, and two literals of one concept; c1 back as it was.
edit across 2 "$c1" "      - { id: c2, patterns: ['röd tråd|helhetssyn', 'tunnelbane\w+'] }" "$c3" "$c4" "$c5" "$c6"
# Paragraph and turn scopes, capitals, speakers: three concepts at once.
edit scopes 3 "$c1" "$c2" "      - { id: c3, scope: paragraph, patterns: ['\bhelheten\b|vårdsamverkan'] }" \
    "      - { id: c4, scope: turn, speakers: interviewers, patterns: ['\bnamnen|\bbakgrund'] }" "$c5" "$c6"
# Folds that change a length, and an exclude.
edit folds 4 "$c1" "$c2" "$c3" "$c4" \
    "      - { id: c5, speakers: respondents, patterns: ['stra(?:ss|ß)e', '\bistanbul', 'ΐ', 'temperaturen var 300 k\b'] }" \
    "      - { id: c6, patterns: ['\bkärlek\w*', '\bjulie\b'], exclude: ['\bfröken\b'] }"
# Short literals, and a pattern with none: read and matched the usual way.
edit short 3 "      - { id: c1, patterns: ['\bvg\b'] }" "$c2" "$c3" "$c4" "$c5" "$c6"
edit none 1 "      - { id: c1, patterns: ['\p{Lu}{4,}'] }" "$c2" "$c3" "$c4" "$c5" "$c6"
edit frequent 2 "$c1" "$c2" "$c3" "$c4" "$c5" "      - { id: c6, patterns: ['\bjean\b|\boch\b'] }"
# Many literals (more than eight: one alternation locates them), and
# literals located one at a time that overlap (samverk, verkan), one of
# them twice.
edit many 2 "      - { id: c1, patterns: ['\b(?:vård|omsorg|region|kommun|helhet|ledning|struktur|samverkan|uppdrag|mandat)\w*'] }" \
    "      - { id: c2, patterns: ['samverk', 'verkan', 'samverk\w+'] }" "$c3" "$c4" "$c5" \
    "      - { id: c6, patterns: ['\bjean\b|\boch\b'] }"

# A changed document: matched with every concept, the rest as they were.
echo "R: Ny text om samverkan och helheten." >>"$TMP/docs/ip03.txt"
"$KODBOK" import -q "$TMP/docs/ip03.txt" >/dev/null 2>&1 || bad "re-import"
"$KODBOK" code -q "$TMP/cb$step.yaml" | grep -q "^run [0-9]*: 1 document matched ([^ ]* changed), no concept changed" && ok || bad "run after re-import"
same reimport "$TMP/cb$step.yaml"
edit changed 2 "      - { id: c1, patterns: ['\bny text'] }" "$c2" "$c3" "$c4" "$c5" "      - { id: c6, patterns: ['\bjean\b|\boch\b'] }"
# A changed level pattern: no concept matched again, every quote's level
# worked out again.
sed "s/'\\\\bkommun\\\\w\*'/'\\\\bkommun\\\\w*', '\\\\bhemsjukvård\\\\w*'/" "$TMP/cb$step.yaml" >"$TMP/cbf.yaml"
cmp -s "$TMP/cb$step.yaml" "$TMP/cbf.yaml" && bad "the level edit changed nothing"
"$KODBOK" code -q "$TMP/cbf.yaml" | grep -q "no concept changed" && ok || bad "level edit re-matched concepts"
same levels "$TMP/cbf.yaml"
finish
