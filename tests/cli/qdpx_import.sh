#!/usr/bin/env bash
# kodbok import FILE.qdpx: a REFI-QDA project written as other tools write
# them (a byte order mark, CRLF sources in Sources/, GUIDs in braces and
# upper case, UTF-16 positions from NVivo, two users, a note) becomes
# documents, cases and manual codings on the right words; selections that
# split a character or leave their source are told and left out; hostile
# packages are one error line and store nothing.
source "$(dirname "$0")/lib/common.bash"
"$KODBOK" init >/dev/null || bad "init"

SRCGUID=3F2504E0-4F89-11D3-9A0C-0305E82C3301
mkdir -p "$TMP/pkg/Sources"
# The transcript, as NVivo for Windows writes it: BOM, CRLF.
printf '\xef\xbb\xbfI: Hur ser samverkan ut på din nivå? 😀\r\nR: Vi har en röd tråd på alla nivåer.\r\nR: Vårdcentralen 😀 och VVG samverkar väl.\r\n' \
    >"$TMP/pkg/Sources/$(echo $SRCGUID | tr A-F a-f).txt"
# Positions count UTF-16 units with each CRLF as two: "röd tråd" is 54-62
# (53-61 in code points), "VVG samverkar" 104-117 (102-115: the emoji
# before it is two units), 38 is inside the first emoji's surrogate pair.
qde() {
    printf '\xef\xbb\xbf'
    cat <<XML
<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Samverkan" origin="NVivo 14.23" creatingUserGUID="{AAAAAAAA-0000-4000-8000-000000000001}">
<Users>
  <User guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Anna Berg"/>
  <User guid="bbbbbbbb-0000-4000-8000-000000000002" name="bo"/>
</Users>
<CodeBook><Codes>
  <Code guid="{C0000000-0000-4000-8000-000000000001}" name="Organisering" isCodable="false">
    <Code guid="C0000000-0000-4000-8000-000000000002" name="Struktur" isCodable="false">
      <Code guid="C0000000-0000-4000-8000-000000000003" name="Röd tråd" isCodable="true" color="#F00"><Description>Helheten hänger ihop.</Description></Code>
      <Code guid="C0000000-0000-4000-8000-000000000004" name="VVG:s roll" isCodable="true"/>
    </Code>
  </Code>
</Codes></CodeBook>
<Variables><Variable guid="D0000000-0000-4000-8000-000000000001" name="level" typeOfVariable="Text"/></Variables>
<Cases><Case guid="E0000000-0000-4000-8000-000000000001" name="ip01">
  <VariableValue><VariableRef targetGUID="{d0000000-0000-4000-8000-000000000001}"/><TextValue>regional</TextValue></VariableValue>
  <SourceRef targetGUID="$SRCGUID"/>
</Case></Cases>
<Sources><TextSource guid="{$SRCGUID}" name="ip01" plainTextPath="internal://$SRCGUID.txt">
  <PlainTextSelection guid="F0000000-0000-4000-8000-000000000001" startPosition="54" endPosition="62" creatingUser="{aaaaaaaa-0000-4000-8000-000000000001}">
    <Coding guid="F1000000-0000-4000-8000-000000000001"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000003"/></Coding>
    <NoteRef targetGUID="A0000000-0000-4000-8000-000000000001"/>
  </PlainTextSelection>
  <PlainTextSelection guid="F0000000-0000-4000-8000-000000000002" startPosition="54" endPosition="62" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
    <Coding guid="F1000000-0000-4000-8000-000000000002"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000003"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="F0000000-0000-4000-8000-000000000003" startPosition="104" endPosition="117" creatingUser="bbbbbbbb-0000-4000-8000-000000000002">
    <Coding guid="F1000000-0000-4000-8000-000000000003"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000004"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="F0000000-0000-4000-8000-000000000004" startPosition="38" endPosition="50" creatingUser="bbbbbbbb-0000-4000-8000-000000000002">
    <Coding guid="F1000000-0000-4000-8000-000000000004"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000004"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="F0000000-0000-4000-8000-000000000005" startPosition="120" endPosition="130" creatingUser="bbbbbbbb-0000-4000-8000-000000000002">
    <Coding guid="F1000000-0000-4000-8000-000000000005"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000004"/></Coding>
  </PlainTextSelection>
  <PlainTextSelection guid="F0000000-0000-4000-8000-000000000006" startPosition="83" endPosition="103" creatingUser="cccccccc-0000-4000-8000-000000000003">
    <Coding guid="F1000000-0000-4000-8000-000000000006"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000003"/></Coding>
  </PlainTextSelection>
</TextSource></Sources>
<Notes><Note guid="{A0000000-0000-4000-8000-000000000001}" name="memo"><PlainTextContent>Tydlig metafor.</PlainTextContent></Note></Notes>
</Project>
XML
}
qde >"$TMP/pkg/Samverkan.qde"
(cd "$TMP/pkg" && zip -qr "$TMP/samverkan.qdpx" Samverkan.qde Sources) || bad "zip"

"$KODBOK" import "$TMP/samverkan.qdpx" --codebook-out "$TMP/cb.yaml" >"$TMP/out" 2>"$TMP/err" ||
    bad "import: $(cat "$TMP/err")"
grep -q 'positions in UTF-16 units, CRLF as two' "$TMP/out" && ok || bad "unit: $(cat "$TMP/out")"
grep -q 'selection 38:50 .* splits a character; left out' "$TMP/err" && ok || bad "split: $(cat "$TMP/err")"
grep -q 'selection 120:130 .* ends outside its source; left out' "$TMP/err" && ok || bad "outside"
grep -q "user cccccccc-0000-4000-8000-000000000003, who is not among .* 'user-cccccccc'" "$TMP/err" && ok || bad "unknown user"

# The stored text is LF, without the BOM.
"$KODBOK" show ip01 --raw >"$TMP/raw"
printf 'I: Hur ser samverkan ut på din nivå? 😀\nR: Vi har en röd tråd på alla nivåer.\nR: Vårdcentralen 😀 och VVG samverkar väl.\n' |
    cmp -s - "$TMP/raw" && ok || bad "stored text: $(od -c "$TMP/raw" | head -3)"

"$KODBOK" tags --format json >"$TMP/tags.json" || bad "tags"
tag() { jq -r --arg c "$1" --arg k "$2" '[.tags[] | select(.coder == $c and .code == $k)]' "$TMP/tags.json"; }
[ "$(tag Anna_Berg rod-trad | jq length)" = 1 ] && ok || bad "duplicate selection kept once: $(cat "$TMP/tags.json")"
[ "$(tag Anna_Berg rod-trad | jq -r '.[0].quote')" = "röd tråd" ] && ok || bad "UTF-16 positions"
[ "$(tag Anna_Berg rod-trad | jq -c '[.[0].start, .[0].end]')" = "[52,60]" ] && ok || bad "code points"
[ "$(tag Anna_Berg rod-trad | jq -r '.[0].memo')" = "Tydlig metafor." ] && ok || bad "note as memo"
[ "$(tag bo vvg-s-roll | jq -r '.[0].quote')" = "VVG samverkar" ] && ok || bad "after an emoji"
[ "$(tag user-cccccccc rod-trad | jq -r '.[0].quote')" = "Vårdcentralen 😀 och" ] && ok || bad "unknown user's coding"
[ "$(jq '.tags | length' "$TMP/tags.json")" = 3 ] && ok || bad "tags: $(jq -c . "$TMP/tags.json")"

# Cases and variables.
"$KODBOK" cases --format json >"$TMP/cases.json"
[ "$(jq -r '.. | objects | select(.case? == "ip01") | .attributes.level' "$TMP/cases.json" | head -1)" = regional ] &&
    ok || bad "case attribute: $(cat "$TMP/cases.json")"

# The codebook: the tree as tiers, names as labels, descriptions kept.
"$KODBOK" codebook check "$TMP/cb.yaml" --format json >"$TMP/cb.json" 2>/dev/null || bad "codebook check"
[ "$(jq -r '.nodes[] | select(.id == "rod-trad") | .parent' "$TMP/cb.json")" = struktur ] && ok || bad "theme"
[ "$(jq -r '.nodes[] | select(.id == "struktur") | .parent' "$TMP/cb.json")" = organisering ] && ok || bad "dimension"
[ "$(jq -r '.nodes[] | select(.id == "rod-trad") | .description' "$TMP/cb.json")" = "Helheten hänger ihop." ] && ok || bad "description"
grep -q "# color: '#ff0000'" "$TMP/cb.yaml" && ok || bad "colour"

# Imported again: nothing new, the same codings already there.
"$KODBOK" import "$TMP/samverkan.qdpx" --codebook-out "$TMP/cb2.yaml" >"$TMP/out" 2>/dev/null || bad "again"
grep -q '0 new or changed documents, 1 unchanged' "$TMP/out" && ok || bad "unchanged: $(cat "$TMP/out")"
grep -q '0 manual codings by 0 coders (0 with memos), 4 already there, 2 left out' "$TMP/out" && ok || bad "already: $(cat "$TMP/out")"

# --positions codepoints reads the same numbers as code points instead.
export KODBOK_PROJECT="$TMP/cp.db"
"$KODBOK" init >/dev/null
"$KODBOK" import "$TMP/samverkan.qdpx" --positions codepoints --crlf one --codebook-out "$TMP/cb3.yaml" >/dev/null 2>&1 || bad "codepoints"
[ "$(jq -r '.tags[] | select(.coder == "Anna_Berg") | .quote' <("$KODBOK" tags --format json))" = "d tråd p" ] &&
    ok || bad "codepoints, CRLF as one: $("$KODBOK" tags --format json)"

# Hostile packages: one line, nothing stored.
export KODBOK_PROJECT="$TMP/p.db"
before=$(fingerprint)
mkdir -p "$TMP/h1"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY a "aaaaaaaa">]>\n'; qde | sed '1,2d' | sed 's/name="ip01"/name="\&a;"/'; } >"$TMP/h1/project.qde"
(cd "$TMP/h1" && zip -q "$TMP/entity.qdpx" project.qde)
expect_fail 2 "entity\.qdpx:project\.qde:2:.*entit" "$KODBOK" import "$TMP/entity.qdpx"
mkdir -p "$TMP/h2/zz"
cp "$TMP/pkg/Samverkan.qde" "$TMP/h2/project.qde"
echo hej >"$TMP/h2/zz/evil.txt"
(cd "$TMP/h2" && zip -q "$TMP/climb.qdpx" project.qde zz/evil.txt)
LC_ALL=C sed -i 's|zz/evil|../evil|g' "$TMP/climb.qdpx"
expect_fail 2 "climb\.qdpx.*\.\./evil" "$KODBOK" import "$TMP/climb.qdpx"
mkdir -p "$TMP/h3/sources"
cp "$TMP/pkg/Samverkan.qde" "$TMP/h3/project.qde"
head -c 40000000 /dev/zero >"$TMP/h3/sources/bomb.txt"
(cd "$TMP/h3" && zip -q "$TMP/bomb.qdpx" project.qde sources/bomb.txt)
expect_fail 2 "bomb\.qdpx" "$KODBOK" import "$TMP/bomb.qdpx"
[ "$(fingerprint)" = "$before" ] && ok || bad "a refused package changed the project"

# A source whose text is only a Word document (as NVivo writes a source
# made from one) is read through the DOCX front end: the same text as the
# document imported on its own.
mkdir -p "$TMP/wd/sources"
G=b1000000-0000-4000-8000-000000000001
cp "$SRC/tests/cli/data/formats/intervju.docx" "$TMP/wd/sources/$G.docx"
cat >"$TMP/wd/project.qde" <<QDE
<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="ord" origin="NVivo for Mac 15.0.0">
<Sources><TextSource guid="$G" name="ordfil" richTextPath="internal://$G.docx"/></Sources>
</Project>
QDE
(cd "$TMP/wd" && zip -qr "$TMP/word.qdpx" project.qde sources) || bad "zip word"
"$KODBOK" import "$TMP/word.qdpx" --codebook-out "$TMP/word.yaml" >"$TMP/out" 2>&1 || bad "word: $(cat "$TMP/out")"
"$KODBOK" import "$SRC/tests/cli/data/formats/intervju.docx" --name som-docx >/dev/null 2>&1 || bad "docx"
"$KODBOK" show ordfil --raw | cmp -s - <("$KODBOK" show som-docx --raw) && ok ||
    bad "the Word source's text differs from the .docx imported alone"
finish
