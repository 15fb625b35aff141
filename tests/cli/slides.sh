#!/usr/bin/env bash
# kodbok slides on the sample corpus: the PPTX unzipped with every XML part
# well-formed, as many slides as the Markdown has pages, the seed's titles,
# per theme, max-quotes counted against `kodbok diff`'s quotes, and the
# errors. With LibreOffice, the PPTX as PDF has one page per slide.
source "$(dirname "$0")/lib/common.bash"
C="$SRC/corpora/vardsamverkan"
"$KODBOK" init >/dev/null
"$KODBOK" import -q --attrs "$C/cases.csv" "$C"/*.txt >/dev/null 2>&1 || bad "import"
expect_fail 2 "no runs yet" "$KODBOK" slides -o "$TMP/x.md"
"$KODBOK" code -q "$SRC/codebooks/vardsamverkan.yaml" >/dev/null 2>&1 || bad "code"

# Markdown: one "# " heading per page, the seed's titles, continuations.
"$KODBOK" slides -o "$TMP/deck.md" || bad "slides -o deck.md"
head -2 "$TMP/deck.md" | grep -qx 'marp: true' && ok || bad "no Marp front matter"
for t in 'Struktur: Regional nivå' 'Struktur: Delregional nivå' 'Struktur: Lokal nivå' \
    'Struktur: Nivåoberoende' 'Dokument, strategi, vision: Delregional nivå' \
    'Översikt: antal citat'; do
    grep -qx "# $t" "$TMP/deck.md" && ok || bad "no slide '# $t'"
done
grep -qx '# Struktur: Regional nivå (forts.)' "$TMP/deck.md" && ok || bad "no continuation"
pages=$(grep -c '^# ' "$TMP/deck.md")
# stdout (no -o, or -o -) gives the same bytes
"$KODBOK" slides | cmp -s - "$TMP/deck.md" && ok || bad "stdout differs from -o"
"$KODBOK" slides -o - --format md | cmp -s - "$TMP/deck.md" && ok || bad "-o - differs"

# By default no quote shows where it is from; each page's notes name the
# case of each quote on it, a line per quote.
grep -qE '^- .*\*\((ip|fg)[0-9]+' "$TMP/deck.md" && bad "a quote shows its case on the slide" || ok
awk '/^---$/ {if (on) {if (q != nl) bad++}; q = 0; nl = 0; on = 0}
     /^# .*: / && !/Översikt/ {on = 1}
     on && /^- / && !/citat till/ {q++}
     /^<!--$/ {c = 1; next} /^-->$/ {c = 0}
     c && /^(ip|fg)[0-9]+/ {nl++}
     END {exit bad > 0}' "$TMP/deck.md" && ok || bad "the notes do not name each quote on their page"
# --cite case: "*(ip03)*" after each quote
"$KODBOK" slides --cite case -o "$TMP/cased.md" || bad "--cite case"
citems=$(grep '^- ' "$TMP/cased.md" | grep -vc ' (bild [0-9–]*)$')
cased=$(grep -cE '^- .* \*\((ip[0-9]+|fg[0-9]+)\)\*$' "$TMP/cased.md")
more=$(grep -c '^- \*\\+ [0-9]* citat till\*$' "$TMP/cased.md")
[ "$citems" -gt 700 ] && [ "$citems" = "$((cased + more))" ] && ok || bad "$cased of $citems quotes end with their case"

# PPTX: a zip whose XML parts are all well-formed, one slide part per page.
"$KODBOK" slides -o "$TMP/deck.pptx" || bad "slides -o deck.pptx"
unzip -tq "$TMP/deck.pptx" >/dev/null && ok || bad "the PPTX is not a sound zip"
mkdir "$TMP/x" && (cd "$TMP/x" && unzip -q "$TMP/deck.pptx") || bad "unzip"
parts=0
while IFS= read -r -d '' f; do
    parts=$((parts + 1))
    xmllint --noout "$f" 2>/dev/null || bad "not well-formed: ${f#"$TMP"/x/}"
done < <(find "$TMP/x" -type f \( -name '*.xml' -o -name '*.rels' \) -print0)
[ "$parts" -gt 10 ] && ok || bad "only $parts XML parts"
slides=$(find "$TMP/x/ppt/slides" -maxdepth 1 -name 'slide*.xml' | wc -l)
[ "$slides" = "$pages" ] && ok || bad "$slides PPTX slides, $pages Markdown pages"
# the slide of the Markdown's page of that title
n=$(grep '^# ' "$TMP/deck.md" | grep -nx '# Struktur: Regional nivå' | cut -d: -f1)
grep -q 'Struktur: Regional niv' "$TMP/x/ppt/slides/slide$n.xml" && ok || bad "slide $n is not Struktur: Regional nivå"
# --format pptx overrides the extension
"$KODBOK" slides --format pptx -o "$TMP/deck.bin" && cmp -s <(unzip -Z1 "$TMP/deck.bin") <(unzip -Z1 "$TMP/deck.pptx") && ok || bad "--format pptx"

# Per theme: one slide series per theme, the level after each case.
"$KODBOK" slides --per theme --cite full -o "$TMP/theme.md" || bad "--per theme"
grep -qx '# Struktur' "$TMP/theme.md" && ok || bad "no '# Struktur' slide"
grep -q '^# Struktur: ' "$TMP/theme.md" && bad "per theme has level slides" || ok
grep -qE '^- .* \*\(ip[0-9]+, (Regional|Delregional|Lokal) nivå' "$TMP/theme.md" && ok || bad "no level after the case"

# --max-quotes 1: each concept shows one quote and counts the rest. The
# rest of a theme and level adds up with the shown ones to the quotes that
# `kodbok diff` (the first run against nothing) lists for it.
"$KODBOK" slides --max-quotes 1 --max-words 12 -o "$TMP/short.md" || bad "--max-quotes"
"$KODBOK" diff --format json >"$TMP/diff.json" 2>/dev/null
want=$(jq '[.changes[] | select(.theme_label == "Struktur" and (.facets.level | index("regional")))] | length' "$TMP/diff.json")
got=$(awk '/^# /{on = ($0 == "# Struktur: Regional nivå" || $0 == "# Struktur: Regional nivå (forts.)")}
    on && /^- \*\\\+ [0-9]+ citat till\*$/ {n += $3; next}
    on && /^- / {n++}
    END {print n + 0}' "$TMP/short.md")
[ "$want" -gt 10 ] && [ "$got" = "$want" ] && ok || bad "Struktur: Regional nivå has $got quotes, diff says $want"
[ "$(grep -c '^# ' "$TMP/short.md")" -lt "$pages" ] && ok || bad "--max-quotes did not shorten the deck"
grep -qF '\[...\]' "$TMP/short.md" && ok || bad "--max-words did not shorten quotes"

# --source manual: no manual codings yet, so no quote slides.
"$KODBOK" slides --source manual -o "$TMP/manual.md" || bad "--source manual"
grep '^# ' "$TMP/manual.md" | grep -v '^# Översikt' | grep -q ': ' && bad "manual-only deck has quote slides" || ok

# Errors: one line; 1 usage, 2 input, 3 I/O.
expect_fail 1 "slides: a PPTX deck needs -o FILE" "$KODBOK" slides --format pptx
expect_fail 1 "slides: unknown format 'odp'" "$KODBOK" slides --format odp -o x.odp
expect_fail 1 "slides: unknown --per 'level'" "$KODBOK" slides --per level -o "$TMP/y.md"
expect_fail 1 "slides: --max-quotes wants a whole number, not 'all'" "$KODBOK" slides --max-quotes all
expect_fail 1 "slides: unknown source 'both'" "$KODBOK" slides --source both
expect_fail 1 "slides: unexpected argument 'x'" "$KODBOK" slides x
expect_fail 1 "slides: unknown --cite 'id'" "$KODBOK" slides --cite id
expect_fail 1 "slides: unknown --quote-marks 'en'" "$KODBOK" slides --quote-marks en
expect_fail 1 "the label names '{roll}', an attribute no case has" "$KODBOK" slides --cite label --label '{roll}' -o "$TMP/y.md"
expect_fail 1 "the background names 'metod', an attribute no case has" "$KODBOK" slides --background metod -o "$TMP/y.md"
expect_fail 2 "no run 9" "$KODBOK" slides --run 9 -o "$TMP/y.md"
expect_fail 3 "nodir/y\.pptx" "$KODBOK" slides -o "$TMP/nodir/y.pptx"
expect_fail 3 "nodir/y\.md: cannot write" "$KODBOK" slides -o "$TMP/nodir/y.md"
# A device is written in place, never renamed over (as root, that would
# replace /dev/full with a file), and a PPTX can go down a pipe.
expect_fail 3 "/dev/full: cannot write: No space left on device" "$KODBOK" slides -o /dev/full
expect_fail 3 "/dev/full: cannot write" "$KODBOK" slides -o /dev/full --format pptx
[ -c /dev/full ] && ok || bad "writing to /dev/full replaced the device"
"$KODBOK" slides --format pptx -o /dev/stdout | cat >"$TMP/piped.pptx"
cmp -s <(unzip -p "$TMP/piped.pptx" ppt/slides/slide3.xml) <(unzip -p "$TMP/deck.pptx" ppt/slides/slide3.xml) &&
    ok || bad "a PPTX down a pipe differs"
ln -s "$TMP/deck.md" "$TMP/link.md"
"$KODBOK" slides --per theme --cite full -o "$TMP/link.md" && [ -L "$TMP/link.md" ] && cmp -s "$TMP/deck.md" "$TMP/theme.md" &&
    ok || bad "a symbolic link was replaced, not written through"
[ -e "$TMP/y.md" ] && bad "a failed deck left a file" || ok

# LibreOffice: one PDF page per slide.

# With the sample's two coders: a passage that the rules and coders coded
# alike is one item, naming who coded it, and a coder's tag on a whole
# theme comes after the theme's concepts.
"$KODBOK" tags import "$C/tags/anna.tsv" >/dev/null || bad "tags import anna"
"$KODBOK" tags import "$C/tags/bo.tsv" >/dev/null || bad "tags import bo"
"$KODBOK" slides --cite full -o "$TMP/coded.md" || bad "slides with tags"
# (the same words from two cases are two passages)
dups=$(awk '/^\*\*/ {delete seen} /^- / {t = $0; sub(/(, regel)?(, manuell: [^)]*)?\)\*$/, ")*", t); if (seen[t]++) n++} END {print n + 0}' "$TMP/coded.md")
[ "$dups" = 0 ] && ok || bad "$dups quotes twice in one group"
# the texts both coders tagged with the same code on the same span, from
# the tags files, are the items marked "anna, bo"
both_tsv=$(awk -F'\t' 'FNR > 1 {k = $6 FS $7 FS $3 FS $4; if (FILENAME ~ /anna/) a[k] = $11; else if (k in a) print a[k]}' \
    "$C/tags/anna.tsv" "$C/tags/bo.tsv" | sort -u)
both_md=$(grep -E '^- .* \*\(ip03, (regel, )?manuell: anna, bo(, utvald: anna)?\)\*$' "$TMP/coded.md" |
    sed -E 's/^- //; s/ \*\(.*\)\*$//' | sort -u)
[ -n "$both_tsv" ] && [ "$both_md" = "$both_tsv" ] && ok || bad "the items marked 'anna, bo' are not the passages both tagged"
# a theme tag: "**<theme> (hela temat)**" with its quote
theme_tags=$(awk -F'\t' 'FNR > 1 && $6 == "theme"' "$C/tags/"*.tsv | wc -l)
groups=$(grep -c ' (hela temat)\*\*$' "$TMP/coded.md")
[ "$theme_tags" -gt 0 ] && [ "$groups" -gt 0 ] && ok || bad "no group for the $theme_tags theme tags"
office=$(office_cmd)
if [ -n "$office" ]; then
    (cd "$TMP" && timeout 600 "$office" -env:UserInstallation="file://$TMP/profile" \
        --headless --convert-to pdf --outdir "$TMP" "$TMP/deck.pptx" >/dev/null 2>&1) ||
        bad "LibreOffice could not convert the PPTX"
    if command -v pdfinfo >/dev/null 2>&1; then
        pdf=$(pdfinfo "$TMP/deck.pdf" | awk '/^Pages:/ {print $2}')
    else
        pdf=$(grep -ac '/Type */Page[^s]' "$TMP/deck.pdf")
    fi
    [ "$pdf" = "$slides" ] && ok || bad "the PDF has $pdf pages for $slides slides"
    # The deck as the demo makes it, with the coders' quotes and the
    # analysts' memos: every word LibreOffice draws lies within its page.
    "$KODBOK" memo import "$C/memos.tsv" >/dev/null || bad "memo import"
    "$KODBOK" slides --max-quotes 3 --background method,level,gender -o "$TMP/demo.pptx" || bad "demo deck"
    "$KODBOK" slides --max-quotes 3 --background method,level,gender -o "$TMP/demo.md" || bad "demo deck md"
    # its leads (the memos on cells), its structure, and no page whose
    # first quote line is the count of those left out
    [ "$(grep -c '^\*[^*].*\*$' "$TMP/demo.md")" -ge 8 ] && ok || bad "the demo deck has no leads"
    grep -q '^# Kodningsstruktur$' "$TMP/demo.md" && grep -q '^!\[Kodningsstruktur\](data:image/svg+xml;base64,' "$TMP/demo.md" &&
        ok || bad "the demo deck has no structure figure"
    awk '/^# / {first = 1} /^- / && first {first = 0; if ($0 ~ /citat till\*$/) n++} END {exit n > 0}' "$TMP/demo.md" &&
        ok || bad "a page of the demo deck starts with the count of quotes left out"
    # no split slide with fewer than three quotes on a page
    awk '/^# / {if (t != "") {q[t "#" p] = n}; t = $0; sub(/ \(forts\.\)$/, "", t); if ($0 ~ /\(forts\.\)$/) p++; else p = 0; pages[t] = p + 1; n = 0}
         /^- / && !/citat till\*$/ && !/\(bild / {n++}
         END {q[t "#" p] = n; for (k in q) {split(k, a, "#"); if (pages[a[1]] > 1 && q[k] < 3 && a[1] ~ /: / && a[1] !~ /Översikt/) bad++}; exit bad > 0}' "$TMP/demo.md" &&
        ok || bad "a split slide of the demo deck has fewer than three quotes on a page"
    (cd "$TMP" && timeout 600 "$office" -env:UserInstallation="file://$TMP/profile" \
        --headless --convert-to pdf --outdir "$TMP" "$TMP/demo.pptx" >/dev/null 2>&1) ||
        bad "LibreOffice could not convert the demo deck"
    if command -v pdftotext >/dev/null 2>&1; then
        pdftotext -bbox "$TMP/demo.pdf" "$TMP/demo.html"
        awk -F'"' '/<page / {w = $2; h = $4; pages++}
            /<word / {words++; if ($2 < 0 || $4 < 0 || $6 > w + 0.5 || $8 > h + 0.5) {out++; print "outside: " $0}}
            END {print pages, words, out + 0}' "$TMP/demo.html" >"$TMP/bbox"
        read -r bp bw bo < <(tail -1 "$TMP/bbox")
        [ "$bp" -gt 20 ] && [ "$bw" -gt 3000 ] && [ "$bo" = 0 ] && ok ||
            bad "demo deck: $bo of $bw words outside their page ($bp pages): $(head -3 "$TMP/bbox")"
    else
        echo "note: no pdftotext here; the words' places were not checked"
    fi
else
    echo "note: no LibreOffice here; the PPTX was not rendered"
fi
finish
