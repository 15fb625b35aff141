#!/usr/bin/env bash
# Document names: one rule wherever a name enters (import --name, names
# made from file names, tags files, docs mv, REFI-QDA sources); a name
# stored before the rule (put there with sqlite3) breaks no output and is
# shown escaped; 'docs mv' puts it right, with its codings, memos and
# cases following.
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/trial"
export KODBOK_CODER=anna
cd "$TMP" || exit 1

"$KODBOK" init >/dev/null || bad "init"
"$KODBOK" import -q --attrs "$D/cases.csv" "$D/ip2.txt" "$D/ip3.txt" >/dev/null 2>&1 || bad "import"
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Namn
themes:
  - id: forum
    label: Forum
    concepts:
      - id: hemtjanst
        label: Hemtjänst
        patterns: ['\bhemtjänst\w*']
YAML
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"

# Names that break the rule: refused with the character and its place,
# nothing stored.
before=$(fingerprint)
rule="names hold no control characters, tabs or line breaks$"
expect_fail 1 "^kodbok: document name 'x\\\\x1b\[31m' has a control character \(U\+001B, an escape\) at character 2: $rule" \
    "$KODBOK" import --name $'x\e[31m' "$D/ip4.txt"
expect_fail 1 "\(U\+000A, a line feed\) at character 4: $rule" "$KODBOK" import --name $'ip4\nx' "$D/ip4.txt"
expect_fail 1 "\(U\+0009, a tab\) at character 4: $rule" "$KODBOK" import --name $'ip4\tx' "$D/ip4.txt"
expect_fail 1 "\(U\+0007, a bell\) at character 1: " "$KODBOK" import --name $'\a' "$D/ip4.txt"
expect_fail 1 "\(U\+007F, a control character\) at character 2: " "$KODBOK" import --name $'a\x7f' "$D/ip4.txt"
expect_fail 1 "\(U\+0085, a control character\) at character 2: " "$KODBOK" import --name $'a\xc2\x85' "$D/ip4.txt"
expect_fail 1 "\(U\+2028, a line separator\) at character 2: " "$KODBOK" import --name $'a\xe2\x80\xa8' "$D/ip4.txt"
expect_fail 1 "^kodbok: document name ' ' is only white space$" "$KODBOK" import --name ' ' "$D/ip4.txt"
expect_fail 1 "^kodbok: a document name cannot be empty" "$KODBOK" import --name '' "$D/ip4.txt"
expect_fail 1 "^kodbok: document name ' ip4' begins with white space \(U\+0020, a space\) at character 1$" \
    "$KODBOK" import --name ' ip4' "$D/ip4.txt"
expect_fail 1 "^kodbok: document name 'ip4  ' ends with white space \(U\+0020, a space\) at character 4$" \
    "$KODBOK" import --name 'ip4  ' "$D/ip4.txt"
expect_fail 1 "document name 'ip4\\.[^']*' ends with white space \(U\+00A0, a no-break space\) at character 5" \
    "$KODBOK" import --name $'ip4.\xc2\xa0' "$D/ip4.txt"
expect_fail 1 "is not valid UTF-8 at byte 3$" "$KODBOK" import --name $'ip\xff' "$D/ip4.txt"
long=$(head -c 100000 /dev/zero | tr '\0' 'a')
expect_fail 1 "^kodbok: document name 'a{57}\.\.\.' has 100000 characters: at most 200$" \
    "$KODBOK" import --name "$long" "$D/ip4.txt"
[ "$(fingerprint)" = "$before" ] && ok || bad "a refused name stored something"

# A name made from a file name is held to the rule too: refused, naming
# the file, with the way out; --name gives it a good one.
cp "$D/ip4.txt" "$TMP/"$'ip4\e.txt'
expect_fail 1 "ip4.\.txt: document name 'ip4\\\\x1b' has a control character \(U\+001B, an escape\) at character 4: .* \(give the document a name with --name, or rename the file\)$" \
    "$KODBOK" import "$TMP/"$'ip4\e.txt'
"$KODBOK" import -q --name "Intervju 4 – Åsa" "$TMP/"$'ip4\e.txt' >/dev/null 2>"$TMP/err" && ok || bad "a good --name: $(cat "$TMP/err")"
"$KODBOK" docs --format json | jq -e '[.documents[].name] | index("Intervju 4 – Åsa") != null' >/dev/null && ok || bad "the good name is not listed"
long200=$(printf 'å%.0s' $(seq 200))
"$KODBOK" import -q --name "$long200" "$D/ip1.txt" >/dev/null 2>"$TMP/err" && ok || bad "200 characters refused: $(cat "$TMP/err")"

# A bad name stored before the rule (put there by hand), with a tag, a
# memo, and a case naming it.
"$KODBOK" tag ip3 hemtjanst --quote "Vi löste det på en eftermiddag." >/dev/null || bad "tag"
"$KODBOK" memo add --doc ip3 --text "Intervjun i Borås." >/dev/null || bad "memo"
sqlite3 "$KODBOK_PROJECT" "UPDATE documents SET name = 'ip3' || char(27) || '[31m' WHERE name = 'ip3';
  UPDATE memos SET name = 'ip3' || char(27) || '[31m' WHERE name = 'ip3';
  UPDATE cases SET document = 'ip3' || char(27) || '[31m' WHERE document = 'ip3';" || bad "sqlite3"
bad_name=$'ip3\e[31m'
for f in text csv tsv json md html; do
    "$KODBOK" quotes --format "$f" >"$TMP/q.$f" 2>"$TMP/err" || bad "quotes --format $f: $(cat "$TMP/err")"
    grep -q $'\e' "$TMP/q.$f" && bad "quotes --format $f wrote a raw escape" || ok
done
grep -q 'ip3\\x1b\[31m' "$TMP/q.text" && ok || bad "quotes text does not show the name escaped: $(head -3 "$TMP/q.text")"
for f in xlsx docx odt; do
    "$KODBOK" quotes --format "$f" -o "$TMP/q.$f" >/dev/null 2>"$TMP/err" || bad "quotes --format $f: $(cat "$TMP/err")"
done
"$KODBOK" matrix --rows document --cols theme >"$TMP/m" 2>"$TMP/err" || bad "matrix --rows document: $(cat "$TMP/err")"
grep -q '^ip3\\x1b\[31m ' "$TMP/m" && ok || bad "matrix rows: $(cat "$TMP/m")"
"$KODBOK" matrix --rows document --cols theme --format html >/dev/null 2>"$TMP/err" && ok || bad "matrix html: $(cat "$TMP/err")"
"$KODBOK" report --cols theme -o "$TMP/r.html" >/dev/null 2>"$TMP/err" && ok || bad "report: $(cat "$TMP/err")"
"$KODBOK" search hemtjänst >"$TMP/s" 2>"$TMP/err" || bad "search: $(cat "$TMP/err")"
grep -q '^ip3\\x1b\[31m ' "$TMP/s" && ok || bad "search: $(cat "$TMP/s")"
grep -q $'\e' "$TMP/s" && bad "search wrote a raw escape" || ok
"$KODBOK" docs >"$TMP/d" 2>"$TMP/err" || bad "docs: $(cat "$TMP/err")"
grep -q '^ip3\\x1b\[31m ' "$TMP/d" && ok || bad "docs: $(cat "$TMP/d")"
grep -q $'\e' "$TMP/d" && bad "docs printed a raw escape" || ok
"$KODBOK" docs --format json | jq -e --arg n "$bad_name" '[.documents[].name] | index($n) != null' >/dev/null && ok || bad "docs json"
"$KODBOK" show "$bad_name" >/dev/null 2>"$TMP/err" && ok || bad "show by the stored name: $(cat "$TMP/err")"
# Messages never carry the raw escape to a terminal either.
expect_fail 2 "^kodbok: no document 'nosuch\?\[31m'" "$KODBOK" show $'nosuch\e[31m'
cp "$D/ip3.txt" "$TMP/ip3b.txt"
echo "R: Vi pratar om hemtjänsten igen." >>"$TMP/ip3b.txt"
"$KODBOK" import -q --name "$bad_name" "$TMP/ip3b.txt" >/dev/null 2>&1 && bad "a new version under the bad name was taken" || ok

# A tags file naming it: its raw escape is refused as a control character
# in a text file; a name breaking the rule otherwise (an escaped tab, white
# space at the end) at its line, with the way out.
"$KODBOK" tags export -o "$TMP/tags.tsv" >/dev/null 2>"$TMP/err" || bad "tags export: $(cat "$TMP/err")"
expect_fail 2 "tags\.tsv:2:4: not a text file \(control character 0x1B\)$" "$KODBOK" tags import "$TMP/tags.tsv"
sed "s/ip3\x1b\[31m/ip3\\\\t/" "$TMP/tags.tsv" >"$TMP/tab.tsv"
expect_fail 2 "tab\.tsv:2: document name 'ip3\\\\x09' has a control character \(U\+0009, a tab\) at character 4: .* \(a stored name that breaks the rule is put right with 'kodbok docs mv'\)$" \
    "$KODBOK" tags import "$TMP/tab.tsv"
sed "s/ip3\x1b\[31m/ip3 /" "$TMP/tags.tsv" >"$TMP/space.tsv"
expect_fail 2 "space\.tsv:2: document name 'ip3 ' ends with white space" "$KODBOK" tags import "$TMP/space.tsv"

# docs mv: a bad new name, a taken one, an unknown old one; nothing moves.
before=$(fingerprint)
expect_fail 1 "^kodbok: document name 'ip 3 ' ends with white space" "$KODBOK" docs mv "$bad_name" 'ip 3 '
expect_fail 2 "^kodbok: document 'ip2' exists already$" "$KODBOK" docs mv "$bad_name" ip2
expect_fail 2 "^kodbok: no document 'ip9'$" "$KODBOK" docs mv ip9 ip10
expect_fail 1 "mv wants OLD NEW" "$KODBOK" docs mv ip2
[ "$(fingerprint)" = "$before" ] && ok || bad "a refused mv changed something"

# docs mv puts it right: quotes (no new run), manual codings, memos and the
# case follow.
auto_before=$("$KODBOK" quotes --source auto --format json | jq --arg n 'ip3\x1b[31m' '[.[] | select(.document == $n)] | length')
"$KODBOK" docs mv "$bad_name" ip3 >"$TMP/out" 2>"$TMP/err" || bad "docs mv: $(cat "$TMP/err")"
[ "$(cat "$TMP/out")" = 'renamed ip3\x1b[31m to ip3' ] && ok || bad "mv said: $(cat "$TMP/out")"
"$KODBOK" docs --format json | jq -e '[.documents[] | select(.name == "ip3")] | length == 1 and .[0].case == "ip3"' >/dev/null &&
    ok || bad "ip3 or its case after mv: $("$KODBOK" docs --format json)"
[ "$("$KODBOK" quotes --source auto --format json | jq '[.[] | select(.document == "ip3")] | length')" = "$auto_before" ] && [ "$auto_before" -gt 0 ] &&
    ok || bad "the automatic quotes did not follow ($auto_before before)"
"$KODBOK" tags --format json | jq -e '[.tags[] | select(.document == "ip3")] | length == 1' >/dev/null &&
    ok || bad "the tag did not follow: $("$KODBOK" tags --format json | head -c 400)"
"$KODBOK" memo list --doc ip3 | grep -q "Intervjun i Borås" && ok || bad "the memo did not follow: $("$KODBOK" memo list)"
"$KODBOK" tags import "$TMP/tags.tsv" >/dev/null 2>&1 && bad "the old tags file still names a bad document" || ok
sed -i "s/ip3\x1b\[31m/ip3/" "$TMP/tags.tsv"
"$KODBOK" tags import "$TMP/tags.tsv" >/dev/null 2>"$TMP/err" && ok || bad "tags import after mv: $(cat "$TMP/err")"
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null 2>"$TMP/err" && ok || bad "code after mv: $(cat "$TMP/err")"
"$KODBOK" docs mv ip3 "Intervju 3" >/dev/null 2>"$TMP/err" && ok || bad "mv to a name with a space: $(cat "$TMP/err")"

# REFI-QDA: a source name that breaks the rule is made into one that
# keeps it (another program's file has no --name), with a notice.
sqlite3 "$KODBOK_PROJECT" "UPDATE documents SET name = ' Intervju' || char(9) || '2 ' WHERE name = 'ip2'" || bad "sqlite3 2"
"$KODBOK" export qdpx -o "$TMP/p.qdpx" >/dev/null 2>"$TMP/err" || bad "export qdpx: $(cat "$TMP/err")"
KODBOK_PROJECT="$TMP/q.db" "$KODBOK" init >/dev/null || bad "init q"
KODBOK_PROJECT="$TMP/q.db" "$KODBOK" import "$TMP/p.qdpx" --codebook-out "$TMP/q.yaml" >"$TMP/out" 2>"$TMP/err" || bad "import qdpx: $(cat "$TMP/err")"
grep -q "is named 'Intervju 2'" "$TMP/err" && ok || bad "no notice of the name made: $(cat "$TMP/err")"
KODBOK_PROJECT="$TMP/q.db" "$KODBOK" docs --format json | jq -e '[.documents[].name] | index("Intervju 2") != null' >/dev/null &&
    ok || bad "qdpx names: $(KODBOK_PROJECT="$TMP/q.db" "$KODBOK" docs --format json | jq -c '[.documents[].name]')"
finish
