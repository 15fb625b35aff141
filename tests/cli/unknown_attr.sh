#!/usr/bin/env bash
# An attribute no case has, wherever one is named (matrix axes, quote
# columns and filters, the report's axes, word selections): exit 2 and one
# line listing the attributes the cases have, never an empty table.
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/trial"
cd "$TMP" || exit 1

"$KODBOK" init >/dev/null || bad "init"
"$KODBOK" import -q "$D/ip2.txt" "$D/ip3.txt" >/dev/null 2>&1 || bad "import"
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Attribut
themes:
  - id: forum
    label: Forum
    concepts:
      - id: hemtjanst
        label: Hemtjänst
        patterns: ['\bhemtjänst\w*']
YAML
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"

# No cases yet: the message says there are no attributes.
expect_fail 2 "^kodbok: no attribute 'nosuch': the project's cases have no attributes$" \
    "$KODBOK" matrix --rows attr:nosuch --cols theme

"$KODBOK" cases import "$D/cases.csv" >/dev/null 2>&1 || bad "cases import"
known="\(the cases' attributes: nivå, roll, kön\)$"
expect_fail 2 "^kodbok: no attribute 'nosuch' $known" "$KODBOK" matrix --rows attr:nosuch --cols theme
expect_fail 2 "^kodbok: no attribute 'nosuch' $known" "$KODBOK" matrix --rows theme --cols attr:nosuch
expect_fail 2 "^kodbok: no attribute 'nosuch' $known" "$KODBOK" matrix --rows attr:nosuch --cols theme --format json
expect_fail 2 "^kodbok: no attribute 'nosuch' $known" "$KODBOK" quotes --columns document,attr:nosuch
expect_fail 2 "^kodbok: no attribute 'nosuch' $known" "$KODBOK" quotes --attr nosuch=x
expect_fail 2 "^kodbok: no attribute 'nosuch' $known" "$KODBOK" report --rows attr:nosuch --cols theme -o "$TMP/r.html"
[ ! -e "$TMP/r.html" ] && ok || bad "report wrote a file for an unknown attribute"
expect_fail 2 "^kodbok: no attribute 'nosuch' $known" "$KODBOK" words --attr nosuch=x

# A known attribute still works, on either axis and as a filter.
"$KODBOK" matrix --rows attr:nivå --cols theme --format json >"$TMP/m.json" 2>"$TMP/err" || bad "matrix attr:nivå: $(cat "$TMP/err")"
jq -e '.rows | length > 0' "$TMP/m.json" >/dev/null && ok || bad "attr:nivå rows: $(cat "$TMP/m.json")"
"$KODBOK" quotes --attr nivå=lokal --format json >/dev/null 2>"$TMP/err" && ok || bad "quotes --attr nivå=lokal: $(cat "$TMP/err")"
finish
