#!/usr/bin/env bash
# Word (DOCX) and OpenDocument (ODT) transcripts. The files under
# data/formats/ were written by LibreOffice (make.sh there): intervju.docx
# and intervju.odt from intervju.txt, delar.docx and delar.odt from
# delar.fodt. The same transcript as text, DOCX and ODT gives the same
# document text and segments; a document's tables, tracked changes, bold
# labels, footnotes and comments are read as docs/transcripts.md says; the
# format is picked by content, --format overrides it; a changed .docx is a
# new version with its tags re-anchored; a hostile package is refused in
# one line with nothing stored.
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/formats"
export KODBOK_CODER=anna
"$KODBOK" init >/dev/null

# --- the same transcript in three formats -------------------------------
"$KODBOK" import "$D/intervju.txt" --name som-txt >"$TMP/out" 2>&1 || bad "txt: $(cat "$TMP/out")"
"$KODBOK" import "$D/intervju.docx" --name som-docx >"$TMP/out" 2>&1 || bad "docx: $(cat "$TMP/out")"
grep -q '^som-docx .* new v1: 2 speakers, 6 turns, .* (docx)$' "$TMP/out" && ok || bad "docx line: $(cat "$TMP/out")"
"$KODBOK" import "$D/intervju.odt" --name som-odt >"$TMP/out" 2>&1 || bad "odt: $(cat "$TMP/out")"
grep -q '^som-odt .* (odt)$' "$TMP/out" && ok || bad "odt line: $(cat "$TMP/out")"
"$KODBOK" show som-txt --raw >"$TMP/txt.raw"
cmp -s "$TMP/txt.raw" "$D/intervju.txt" && ok || bad "the text file is not stored as it is"
for f in docx odt; do
    "$KODBOK" show "som-$f" --raw | cmp -s - "$TMP/txt.raw" && ok || bad "$f: another text than the text file"
    for kind in turn paragraph sentence; do
        a=$("$KODBOK" show som-txt --segments $kind --format json | jq -c '.segments, .header')
        b=$("$KODBOK" show "som-$f" --segments $kind --format json | jq -c '.segments, .header')
        [ -n "$a" ] && [ "$a" = "$b" ] && ok || bad "$f: other ${kind}s than the text file"
    done
done
"$KODBOK" docs --format json | jq -e '[.documents[] | [.name, .format, .encoding]] ==
    [["som-docx","docx","utf-8"],["som-odt","odt","utf-8"],["som-txt","text","utf-8"]]' >/dev/null &&
    ok || bad "docs json: $("$KODBOK" docs --format json | jq -c '[.documents[] | [.name, .format]]')"
# Smart quotes and the non-breaking space are kept, not straightened.
grep -qF '”det här har vi provat förut”' "$TMP/txt.raw" && grep -qF $'kl.\u00a09' "$TMP/txt.raw" &&
    ok || bad "test setup: the quotes or the no-break space are missing"

# --- what is kept and what is left out -----------------------------------
cat >"$TMP/delar.expected" <<'TXT'
Respondent: Per Ek, verksamhetschef
Datum: 2025-03-05

Intervjuare: Hur organiserar ni utskrivningarna i dag?
IP3: Vi har en samordnare som inte bara ringer, utan träffar patienterna.
Det fungerar ”rätt bra”, säger personalen, kl. 8 varje morgon.
Intervjuare: Och samarbetet med kommunen?
00:04:10	IP3: Det har blivit bättre. Vi ses varje vecka nu.
00:05:02	Intervjuare: Tack, det var allt.
TXT
sed -i $'s/kl\\. 8/kl.\u00a08/' "$TMP/delar.expected"
for f in docx odt; do
    "$KODBOK" import "$D/delar.$f" --name "delar-$f" >"$TMP/out" 2>"$TMP/err" || bad "delar.$f: $(cat "$TMP/err")"
    "$KODBOK" show "delar-$f" --raw | cmp -s - "$TMP/delar.expected" && ok ||
        bad "delar.$f read as: $("$KODBOK" show "delar-$f" --raw | diff - "$TMP/delar.expected")"
    "$KODBOK" show "delar-$f" --segments turn --format json |
        jq -e '[.segments[] | [.speaker, .role, .time]] == [["Intervjuare","interviewer",null],
            ["IP3","respondent",null],["Intervjuare","interviewer",null],["IP3","respondent","00:04:10"],
            ["Intervjuare","interviewer","00:05:02"]]' >/dev/null && ok || bad "delar.$f: turns"
done
# One notice each, naming what was left out (LibreOffice writes the page
# header of an ODT to styles.xml, which is not read at all).
grep -qx "kodbok: .*delar\.odt: left out: 1 footnote, 1 comment (only the body's text is read)" "$TMP/err" &&
    [ "$(wc -l <"$TMP/err")" -eq 1 ] && ok || bad "odt notice: $(cat "$TMP/err")"
"$KODBOK" import --reread "$D/delar.docx" --name delar-docx >/dev/null 2>"$TMP/err"
grep -qx "kodbok: .*delar\.docx: left out: 1 footnote, 1 comment, the headers and footers (only the body's text is read)" "$TMP/err" &&
    [ "$(wc -l <"$TMP/err")" -eq 1 ] && ok || bad "docx notice: $(cat "$TMP/err")"
# A file with none of them gives no notice.
"$KODBOK" import "$D/intervju.docx" --name tyst >/dev/null 2>"$TMP/err"
[ ! -s "$TMP/err" ] && ok || bad "a notice for nothing left out: $(cat "$TMP/err")"

# --- by content, not by extension; --format ------------------------------
cp "$D/intervju.docx" "$TMP/utskrift.bin"
"$KODBOK" import "$TMP/utskrift.bin" >"$TMP/out" 2>&1 && grep -q '^utskrift .* (docx)$' "$TMP/out" &&
    ok || bad "a .docx under another name: $(cat "$TMP/out")"
cp "$D/intervju.txt" "$TMP/fel.docx"
"$KODBOK" import "$TMP/fel.docx" >"$TMP/out" 2>&1 && grep -q '^fel .* (utf-8, detected)$' "$TMP/out" &&
    ok || bad "text named .docx: $(cat "$TMP/out")"
before=$(fingerprint)
expect_fail 2 "^kodbok: .*intervju\.txt: not a zip package$" "$KODBOK" import --format docx "$D/intervju.txt" --name x
expect_fail 2 "intervju\.docx: a Word document \(DOCX\); save it as plain text" \
    "$KODBOK" import --format text "$D/intervju.docx" --name x
expect_fail 1 "^kodbok: unknown format 'pdf' given as --format \(auto, docx, odt, vtt, srt, html, text\)$" \
    "$KODBOK" import --format pdf "$D/intervju.txt"
[ "$(fingerprint)" = "$before" ] && ok || bad "a refused import changed the project"
"$KODBOK" import --format ODT "$D/intervju.odt" --name tvingad >"$TMP/out" 2>&1 &&
    grep -q '^tvingad .* (odt)$' "$TMP/out" && ok || bad "--format ODT: $(cat "$TMP/out")"
# The encoding given is for plain text; a DOCX says so and is read alike.
"$KODBOK" import --encoding windows-1252 "$D/intervju.docx" --name kodad >"$TMP/out" 2>"$TMP/err" &&
    grep -qx "kodbok: .*intervju\.docx: a Word document (DOCX) has an encoding of its own; the encoding given applies to plain text" "$TMP/err" &&
    "$KODBOK" show kodad --raw | cmp -s - "$TMP/txt.raw" && ok || bad "--encoding with a docx: $(cat "$TMP/err")"
# The same text read as another format is a new version (re-read).
cp "$D/intervju.docx" "$TMP/som-txt.docx"
"$KODBOK" import "$TMP/som-txt.docx" >"$TMP/out" 2>&1 &&
    grep -q '^som-txt .* re-read v2 (same text): .* (docx)$' "$TMP/out" && ok || bad "txt then docx: $(cat "$TMP/out")"

# --- a changed .docx: version 2, tags re-anchored ------------------------
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Samverkan
themes:
  - id: samverkan
    label: Samverkan
    concepts:
      - id: journal
        label: Journalsystem
        patterns: ['\bjournal\w*']
YAML
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
Q="Vi ser inte varandras anteckningar"
"$KODBOK" tag som-docx journal --quote "$Q" >/dev/null || bad "tag"
# The edit: a sentence put before the tagged one, inside word/document.xml.
INS="Det tog två år att se det. "
python3 - "$D/intervju.docx" "$TMP/som-docx.docx" "$INS" <<'PY' || bad "test setup: docx edit"
import sys, zipfile
src, dst, ins = sys.argv[1:]
with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
    for item in zi.infolist():
        data = zi.read(item.filename)
        if item.filename == "word/document.xml":
            old = "Journalsystemen. ".encode()
            assert data.count(old) == 1
            data = data.replace(old, old + ins.encode())
        zo.writestr(item, data)
PY
"$KODBOK" import "$TMP/som-docx.docx" >"$TMP/out" 2>"$TMP/err" || bad "re-import: $(cat "$TMP/err")"
grep -q '^som-docx .* changed v2: .* (docx)$' "$TMP/out" && ok || bad "not a new version: $(cat "$TMP/out")"
"$KODBOK" show som-docx --raw >"$TMP/v2.raw"
"$KODBOK" tags --format json | jq -r --rawfile t "$TMP/v2.raw" \
    '.tags[] | select(.document == "som-docx") | [.version, .placed, $t[.start:.end]] | @tsv' >"$TMP/tags"
[ "$(cat "$TMP/tags")" = $'2\ttrue\t'"$Q" ] && ok || bad "the tag did not follow: $(cat "$TMP/tags")"

# --- hostile packages: one line, nothing stored ---------------------------
before=$(fingerprint)
python3 - "$D/intervju.docx" "$TMP" <<'PY' || bad "test setup: hostile packages"
import sys, zipfile
src, tmp = sys.argv[1:]
def package(name, change):
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(f"{tmp}/{name}", "w") as zo:
        for item in zi.infolist():
            data = change(item.filename, zi.read(item.filename))
            if data is not None:
                zo.writestr(item.filename, data)
bomb = b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
def entity(name, data):
    if name == "word/document.xml":
        head, sep, rest = data.partition(b"?>")
        return head + sep + b"\n" + bomb + rest.replace(b"Journalsystemen", b"&b;")
    return data
package("entity.docx", entity)
xxe = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
package("xxe.docx", lambda n, d: d.partition(b"?>")[0] + b"?>\n" + xxe + d.partition(b"?>")[2]
        .replace(b"Journalsystemen", b"&x;") if n == "word/document.xml" else d)
def climb(name, data):
    return data
package("climb.docx", climb)
with zipfile.ZipFile(f"{tmp}/climb.docx", "a") as z:
    z.writestr("../../utanfor.txt", b"R: ut")
PY
expect_fail 2 "^kodbok: .*entity\.docx:word/document\.xml:2:[0-9]+: the document declares an entity: refused$" \
    "$KODBOK" import "$TMP/entity.docx"
expect_fail 2 "^kodbok: .*xxe\.docx:word/document\.xml:2:[0-9]+: the document declares an entity: refused$" \
    "$KODBOK" import "$D/intervju.txt" "$TMP/xxe.docx"
expect_fail 2 "^kodbok: .*climb\.docx: .*\.\./\.\./utanfor\.txt" "$KODBOK" import "$TMP/climb.docx"
[ "$(fingerprint)" = "$before" ] && ok || bad "a hostile package changed the project"
finish
