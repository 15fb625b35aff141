#!/usr/bin/env bash
# Word processor, spreadsheet and PDF files that kodbok does not read are
# named by their format with what to save them as (one line, exit 2), and
# nothing is stored; a file that only looks alike (its first bytes differ)
# is read as text.
source "$(dirname "$0")/lib/common.bash"

"$KODBOK" init >/dev/null || bad "init"
printf 'I: Hur började samarbetet?\nR: Med ett möte på vårdcentralen.\n' >"$TMP/ok.txt"
"$KODBOK" import -q "$TMP/ok.txt" >/dev/null || bad "first import"
before=$(fingerprint)

# The first bytes of each format, as its writers put them: a ZIP package
# (local header, then the first part's name and, for ODF, its media type
# stored as it is), RTF, PDF and the OLE2 compound file of DOC and XLS.
zip_part() { printf 'PK\003\004\024\000\000\000\000\000'; printf '\000%.0s' {1..16}; printf '%s' "$1"; }
zip_part 'mimetypeapplication/vnd.oasis.opendocument.text' >"$TMP/intervju.odt"
{ zip_part '[Content_Types].xml'; printf '<Types/>'; zip_part 'word/document.xml'; } >"$TMP/intervju.docx"
{ zip_part '[Content_Types].xml'; zip_part 'xl/workbook.xml'; } >"$TMP/cases.xlsx"
zip_part 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet' >"$TMP/cases.ods"
zip_part 'bilder/foto.jpg' >"$TMP/arkiv.zip"
printf '{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} I: Hej}\n' >"$TMP/intervju.rtf"
printf '%%PDF-1.7\n%%\342\343\317\323\n1 0 obj\n' >"$TMP/intervju.pdf"
printf '\320\317\021\340\241\261\032\341\000\000' >"$TMP/intervju.doc"

# Documents kodbok does not read are told to be saved as one it reads.
for f in rtf:'a Rich Text document \(RTF\)' pdf:'a PDF file' \
    doc:'an Office 97-2003 document \(DOC or XLS\)'; do
    ext=${f%%:*} what=${f#*:}
    expect_fail 2 "^kodbok: .*intervju\.$ext: $what; save it as a Word document \(\.docx\) or plain text \(\.txt\) and import that$" \
        "$KODBOK" import "$TMP/ok.txt" "$TMP/intervju.$ext"
done
# Word and OpenDocument files are read (import_docx.sh); these are only
# their first bytes, so they are damaged packages.
for ext in docx odt; do
    expect_fail 2 "^kodbok: .*intervju\.$ext: not a zip package$" \
        "$KODBOK" import "$TMP/ok.txt" "$TMP/intervju.$ext"
done
# Read as text by force, a Word document is named as such.
expect_fail 2 "intervju\.docx: a Word document \(DOCX\); save it as plain text" \
    "$KODBOK" import --format text "$TMP/intervju.docx"
expect_fail 2 "arkiv\.zip: a ZIP archive; save it as plain text" "$KODBOK" import "$TMP/arkiv.zip"
# A cases file saved as a workbook is told to be saved as CSV.
expect_fail 2 "cases\.xlsx: an Excel workbook \(XLSX\); save it as CSV and import that" \
    "$KODBOK" import --attrs "$TMP/cases.xlsx" "$TMP/ok.txt"
expect_fail 2 "cases\.ods: an OpenDocument spreadsheet \(ODS\); save it as CSV" \
    "$KODBOK" cases import "$TMP/cases.ods"
[ "$(fingerprint)" = "$before" ] && ok || bad "a refused file changed the project"

# Text that merely starts like one of them is text.
printf 'PK: Vi började med ett möte.\nPK: Sedan kom SIP.\n' >"$TMP/pk.txt"
"$KODBOK" import "$TMP/pk.txt" >"$TMP/out" 2>&1 && grep -q '^pk .* new v1: 1 speaker, 2 turns' "$TMP/out" &&
    ok || bad "a text starting 'PK' was not read: $(cat "$TMP/out")"
finish
