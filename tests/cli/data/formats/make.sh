#!/bin/sh
# Writes the .docx and .odt files here again with LibreOffice (Writer):
# intervju.* from intervju.txt (one paragraph per line, as LibreOffice
# reads plain text), delar.* from delar.fodt (a table, a tracked insertion
# and deletion, a footnote, a comment, a page header, bold labels before a
# tab). tests/cli/import_docx.sh reads them; the test does not need
# LibreOffice, only this script does.
set -eu
cd "$(dirname "$0")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
lo() { soffice -env:UserInstallation="file://$profile" --headless "$@" >/dev/null 2>&1; }
for f in docx odt; do
    lo --infilter="Text (encoded):UTF8,LF,,," --convert-to "$f" intervju.txt
    lo --convert-to "$f" delar.fodt
done
