#!/bin/sh
# The pictures of docs/slides.md: the demo's deck (out/slides.pptx, from
# `make demo`) as LibreOffice renders it, one picture of each kind of
# slide, and the notes page of the first quote slide.
# Usage: tools/slide-shots.sh [DECK] [FOLDER]   (default docs/img)
set -eu
DECK=${1:-out/slides.pptx}
IMG=${2:-docs/img}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
office=$(command -v soffice || command -v libreoffice)
"$office" -env:UserInstallation="file://$TMP/profile" --headless \
    --convert-to pdf --outdir "$TMP" "$DECK" >/dev/null 2>&1
mkdir "$TMP/notes"
"$office" -env:UserInstallation="file://$TMP/profile" --headless \
    --convert-to 'pdf:impress_pdf_Export:{"ExportNotesPages":{"type":"boolean","value":"true"},"ExportOnlyNotesPages":{"type":"boolean","value":"true"}}' \
    --outdir "$TMP/notes" "$DECK" >/dev/null 2>&1
pdf="$TMP/$(basename "${DECK%.*}").pdf"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')

# The first page whose first line (its title) matches the pattern.
page() {
    i=1
    while [ "$i" -le "$pages" ]; do
        if pdftotext -f "$i" -l "$i" "$pdf" - | head -1 | grep -qE "$1"; then
            echo "$i"
            return
        fi
        i=$((i + 1))
    done
    echo "slide-shots: no slide titled like '$1' in $DECK" >&2
    exit 1
}

# shot NAME PAGE [PDF] [WIDTH]: page PAGE as docs/img/slides-NAME.png.
shot() {
    pdftoppm -png -singlefile -f "$2" -l "$2" -scale-to-x "${4:-1000}" \
        -scale-to-y -1 "${3:-$pdf}" "$IMG/slides-$1"
    echo "$IMG/slides-$1.png"
}

shot cover 1
shot outline "$(page '^Presentationens upplägg$')"
shot background "$(page '^Respondenternas bakgrund$')"
shot structure "$(page '^Kodningsstruktur$')"
shot overview "$(page '^Översikt: antal citat$')"
first=$(page ': .*nivå$')
shot quotes "$first"
shot continued "$(page ': .*\(forts\.\)$')"
shot notes "$first" "$TMP/notes/$(basename "$pdf")" 600
