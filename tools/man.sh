#!/bin/sh
# The manual pages, made at build time from what they describe, so that
# they cannot drift from it: kodbok(1) and kodbok-COMMAND(1) from the
# commands' own --help (help2man; the commands and their one-line summaries
# from `kodbok --help`), kodbok-codebook(5) and kodbok-tags(5) from
# docs/codebook.md and docs/tags.md (go-md2man); gzipped.
# Usage: man.sh KODBOK SOURCE_DIR OUT_DIR VERSION
set -eu
KODBOK=$1
SRC=$2
OUT=$3
VERSION=$4
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT/man1" "$OUT/man5"

# help2man names a page after the program it runs and reads "Usage:" as
# the synopsis: a program named kodbok that capitalises it.
mkdir -p "$TMP/bin"
cat >"$TMP/bin/kodbok" <<SH
#!/bin/sh
"$KODBOK" "\$@" | sed '1s/^usage: /Usage: /'
SH
chmod +x "$TMP/bin/kodbok"

"$KODBOK" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit }
    on { name = $1; $1 = ""; sub(/^ +/, ""); print name "\t" $0 }' >"$TMP/commands"
[ -s "$TMP/commands" ] || { echo "man.sh: no commands in 'kodbok --help'" >&2; exit 1; }

see_also=$(awk -F'\t' '{ printf "%s\\fBkodbok-%s\\fR(1)", (NR > 1 ? ", " : ""), $1 }' "$TMP/commands")
formats='\fBkodbok-codebook\fR(5), \fBkodbok-tags\fR(5)'

# page NAME SUMMARY HELP_OPTION SEE_ALSO: NAME.1
page() {
    printf '[SEE ALSO]\n%s\n' "$4" >"$TMP/include"
    help2man --no-info --no-discard-stderr --version-string="$VERSION" \
        --name="$2" --help-option="$3" --include="$TMP/include" \
        --output="$TMP/page" "$TMP/bin/kodbok"
    upper=$(printf '%s' "$1" | tr 'a-z' 'A-Z')
    sed -e "s/^\.TH KODBOK /.TH $upper /" \
        -e "/^\.SH NAME/{n;s/^kodbok \\\\-/$1 \\\\-/;}" "$TMP/page" >"$OUT/man1/$1.1"
}

page kodbok "qualitative coding of interview transcripts" --help "$see_also, $formats"
while IFS="$(printf '\t')" read -r cmd summary; do
    page "kodbok-$cmd" "$summary" "$cmd --help" "\\fBkodbok\\fR(1), $formats"
done <"$TMP/commands"

# format NAME SOURCE SUMMARY: NAME.5 from a page of docs/, its title the
# manual's header and NAME section
format() {
    upper=$(printf '%s' "$1" | tr 'a-z' 'A-Z')
    {
        printf '%% %s 5 "" "kodbok %s" "File Formats"\n\n' "$upper" "$VERSION"
        printf '# NAME\n\n%s - %s\n\n' "$1" "$3"
        cat "$2"
        printf '\n# SEE ALSO\n\n**kodbok**(1)\n'
    } | go-md2man >"$OUT/man5/$1.5"
}
format kodbok-codebook "$SRC/docs/codebook.md" "the codebook: themes, concepts, patterns, facets"
format kodbok-tags "$SRC/docs/tags.md" "a coder's manual codings as a tab-separated file"

# compressed, as Debian installs manual pages (man reads them so anywhere)
gzip -9nf "$OUT"/man1/*.1 "$OUT"/man5/*.5
