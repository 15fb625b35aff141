#!/usr/bin/env bash
# The sample corpus's two coders (corpora/vardsamverkan/tags/): both files
# import cleanly and idempotently, and kodbok agree's kappa and alpha for
# every concept equal the closed forms of docs/agreement.md computed here
# with awk from the two files alone (every coding is one whole sentence of
# ip03; the units are ip03's respondent sentences).
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
"$KODBOK" code -q "$SRC/codebooks/vardsamverkan.yaml" >/dev/null || bad "code"
na=$(($(wc -l <"$C/tags/anna.tsv") - 1))
nb=$(($(wc -l <"$C/tags/bo.tsv") - 1))
"$KODBOK" tags import "$C/tags/anna.tsv" 2>"$TMP/err" | grep -q "$na manual codings: $na added, 0 already there, 0 conflicts" && ok || bad "anna.tsv: $(cat "$TMP/err")"
"$KODBOK" tags import "$C/tags/bo.tsv" 2>"$TMP/err" | grep -q "$nb manual codings: $nb added" && ok || bad "bo.tsv: $(cat "$TMP/err")"
"$KODBOK" tags import "$C/tags/bo.tsv" | grep -q "0 added, $nb already there" && ok || bad "second import of bo.tsv"
# The files are exactly what the project exports again.
"$KODBOK" tags export --coder anna -o "$TMP/anna.tsv" >/dev/null
cmp -s "$TMP/anna.tsv" "$C/tags/anna.tsv" && ok || bad "anna.tsv is not as kodbok writes it"

N=$("$KODBOK" show ip03 --segments sentence --format json | jq '[.segments[] | select(.role == "respondent")] | length')
"$KODBOK" agree --coders anna,bo --format json 2>/dev/null >"$TMP/agree.json" || bad "agree"
# Per concept: a (both), b (anna only), c (bo only), d = N - a - b - c.
awk -F '\t' -v N="$N" '
    FNR == 1 || $6 != "concept" { next }
    { key = $7 SUBSEP $3; if (FILENAME ~ /anna/) A[key] = 1; else B[key] = 1; codes[$7] = 1 }
    END {
        for (k in codes) {
            a = b = c = 0
            for (key in A) { split(key, p, SUBSEP); if (p[1] == k) { if (key in B) a++; else b++ } }
            for (key in B) { split(key, p, SUBSEP); if (p[1] == k && !(key in A)) c++ }
            d = N - a - b - c
            kappa = 2 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d))
            n = 2 * N; n1 = 2 * a + b + c; n0 = n - n1
            alpha = 1 - (n - 1) * (b + c) / (n0 * n1)
            printf "%s %.9f %.9f\n", k, kappa, alpha
        }
    }' "$C/tags/anna.tsv" "$C/tags/bo.tsv" | sort >"$TMP/want"
jq -r '.codes[] | select(.pairable > 0) | "\(.concept) \(.kappa) \(.alpha)"' "$TMP/agree.json" | sort >"$TMP/got"
[ "$(wc -l <"$TMP/want")" -gt 20 ] || bad "test setup: few concepts"
[ "$(wc -l <"$TMP/got")" = "$(wc -l <"$TMP/want")" ] && ok || bad "concepts: $(wc -l <"$TMP/got") reported, $(wc -l <"$TMP/want") coded"
[ "$(join "$TMP/want" "$TMP/got" | wc -l)" = "$(wc -l <"$TMP/want")" ] && ok || bad "the coded and reported concepts differ"
join "$TMP/want" "$TMP/got" | awk '{ if ((($2 - $4) ^ 2) > 1e-10 || (($3 - $5) ^ 2) > 1e-10) { print "differs: " $0; bad = 1 } } END { exit bad }' &&
    ok || bad "kappa or alpha differ from the closed form"
# Every concept's units: ip03's respondent sentences (the others not rated).
jq -e --argjson n "$N" '[.codes[] | .pairable == $n] | all' "$TMP/agree.json" >/dev/null && ok || bad "pairable is not $N"
"$KODBOK" eval --gold anna --format json 2>/dev/null | jq -e '.overall.tp > 0 and .overall.precision > 0' >/dev/null && ok || bad "eval"
finish
