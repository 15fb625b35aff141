#!/usr/bin/env bash
# import --encoding: a file is decoded with the encoding given instead of a
# detected one; the version keeps it and the document's next imports use it
# until another is given ('' or auto: detect again); an unchanged file given
# another encoding is re-read; an unknown name, or bytes not valid in the
# encoding, store nothing. And a cases file naming the interviewer of a
# document read before it says so, once per document.
source "$(dirname "$0")/lib/common.bash"

"$KODBOK" init >/dev/null || bad "init"
doc() { "$KODBOK" docs --format json | jq -c --arg n "$1" ".documents[] | select(.name == \$n) | $2"; }

# Windows-1252 and ISO-8859-1 differ in 0x80-0x9F: the euro sign and curly
# quotes of a Word export are C1 controls in ISO-8859-1.
printf 'I: Vad kostar det?\r\nR: Vi betalar 40 \x80 i timmen, det \x93g\xe5r ihop\x94 ungef\xe4r.\r\n' >"$TMP/ip1.txt"
"$KODBOK" import "$TMP/ip1.txt" >"$TMP/out" 2>/dev/null || bad "import ip1"
grep -q '^ip1 .* new v1: 2 speakers, .* (windows-1252, detected)$' "$TMP/out" && ok || bad "ip1 v1: $(cat "$TMP/out")"
"$KODBOK" show ip1 --raw | grep -q 'Vi betalar 40 € i timmen, det “går ihop” ungefär.' && ok || bad "ip1 v1 text: $("$KODBOK" show ip1 --raw)"
[ "$(doc ip1 .encoding_given)" = false ] && ok || bad "ip1 v1 given"
# ISO-8859-1 given: those bytes are C1 controls, which no transcript
# holds: they are left out, and the import says how many and where.
"$KODBOK" import --encoding ISO-8859-1 "$TMP/ip1.txt" >"$TMP/out" 2>"$TMP/err" || bad "import ip1 as iso-8859-1"
grep -q "ip1.txt:2:18: 3 control characters (U+0080 to U+009F) left out, the first U+0080: bytes that Windows-1252 reads as quotation marks, dashes or the euro sign; if the file is in windows-1252, import it with that encoding$" "$TMP/err" &&
    ok || bad "C1 notice: $(cat "$TMP/err")"
[ "$("$KODBOK" show ip1 --raw | sed -n 2p)" = "R: Vi betalar 40  i timmen, det går ihop ungefär." ] && ok || bad "ip1 v2 text: $("$KODBOK" show ip1 --raw | od -c | head)"
[ "$(doc ip1 '[.version, .encoding, .encoding_given]')" = '[2,"iso-8859-1",true]' ] && ok || bad "ip1 v2 stored: $(doc ip1 .)"
# The same in UTF-8 (such a file once converted as ISO-8859-1): one left out.
printf 'I: Pris?\nR: 40 \xc2\x80 i timmen.\n' >"$TMP/c1.txt"
"$KODBOK" import "$TMP/c1.txt" >/dev/null 2>"$TMP/err" || bad "import c1"
grep -q "c1.txt:2:7: 1 control character (U+0080 to U+009F) left out, the first U+0080" "$TMP/err" && ok || bad "C1 notice in UTF-8: $(cat "$TMP/err")"
# The encoding given: the text of v1 again, kept as given.
"$KODBOK" import --encoding Windows-1252 "$TMP/ip1.txt" >"$TMP/out" 2>"$TMP/err" || bad "import ip1 as windows-1252"
grep -q '^ip1 .* changed v3: 2 speakers, .* (windows-1252, given)$' "$TMP/out" && ok || bad "ip1 v3: $(cat "$TMP/out")"
[ ! -s "$TMP/err" ] && ok || bad "a given encoding gave a notice: $(cat "$TMP/err")"
"$KODBOK" show ip1 --raw | grep -q 'Vi betalar 40 € i timmen, det “går ihop” ungefär.' && ok || bad "ip1 v3 text"
[ "$(doc ip1 '[.encoding, .encoding_given]')" = '["windows-1252",true]' ] && ok || bad "ip1 v3 stored: $(doc ip1 .)"
# The same file again: read as v3 was, so unchanged.
"$KODBOK" import "$TMP/ip1.txt" | grep -q '^ip1 .* unchanged (v3)$' && ok || bad "ip1 not unchanged"
# Edited: the next version keeps the encoding.
printf 'I: Och sedan?\r\nR: Det \x93fungerar\x94.\r\n' >>"$TMP/ip1.txt"
"$KODBOK" import "$TMP/ip1.txt" >"$TMP/out" 2>/dev/null || bad "import ip1 edited"
grep -q '^ip1 .* changed v4: 2 speakers, 4 turns, .* (windows-1252, kept from v3)$' "$TMP/out" && ok || bad "ip1 v4: $(cat "$TMP/out")"
"$KODBOK" show ip1 --raw | grep -q 'Det “fungerar”.' && ok || bad "ip1 v4 text"
# auto: detected again (the same text, so a re-read).
"$KODBOK" import --encoding auto "$TMP/ip1.txt" >"$TMP/out" 2>/dev/null || bad "import ip1 auto"
grep -q '^ip1 .* re-read v5 (same text): .* (windows-1252, detected)$' "$TMP/out" && ok || bad "ip1 v5: $(cat "$TMP/out")"
[ "$(doc ip1 '[.encoding, .encoding_given]')" = '["windows-1252",false]' ] && ok || bad "ip1 v5 stored: $(doc ip1 .)"

# Mac Roman (classic Mac line ends): detection takes å, ä, ö for Œ, Š, š.
printf 'I: Hur ser samverkan ut?\rR: Vi tr\x8affas p\x8c m\x8cndagar, och det \x8ar bra.\r' >"$TMP/ip2.txt"
"$KODBOK" import "$TMP/ip2.txt" >/dev/null 2>&1 || bad "import ip2"
"$KODBOK" show ip2 --raw | grep -q 'Vi trŠffas pŒ' && ok || bad "test setup: detection read Mac Roman right: $("$KODBOK" show ip2 --raw)"
"$KODBOK" import --encoding mac "$TMP/ip2.txt" >"$TMP/out" 2>/dev/null || bad "import ip2 as mac"
grep -q '^ip2 .* changed v2: 2 speakers, 2 turns, .* (mac, given)$' "$TMP/out" && ok || bad "ip2 v2: $(cat "$TMP/out")"
[ "$("$KODBOK" show ip2 --raw)" = $'I: Hur ser samverkan ut?\nR: Vi träffas på måndagar, och det är bra.' ] &&
    ok || bad "ip2 v2 text: $("$KODBOK" show ip2 --raw)"

# UTF-16 without a byte order mark: detection refuses it (NUL bytes).
printf 'I: Hur började det?\nR: Med en gemensam rutin för utskrivning.\n' >"$TMP/utf8.txt"
iconv -f utf-8 -t utf-16le "$TMP/utf8.txt" >"$TMP/ip3.txt"
iconv -f utf-8 -t utf-16be "$TMP/utf8.txt" >"$TMP/ip4.txt"
expect_fail 2 "ip3.txt:1:2: not a text file \(NUL byte" "$KODBOK" import "$TMP/ip3.txt"
"$KODBOK" import --encoding utf-16le "$TMP/ip3.txt" >"$TMP/out" || bad "import ip3 as utf-16le"
grep -q '^ip3 .* new v1: 2 speakers, 2 turns, .* (utf-16le, given)$' "$TMP/out" && ok || bad "ip3: $(cat "$TMP/out")"
"$KODBOK" import --encoding UTF-16BE "$TMP/ip4.txt" >"$TMP/out" || bad "import ip4 as utf-16be"
grep -q '^ip4 .* new v1: .* (utf-16be, given)$' "$TMP/out" && ok || bad "ip4: $(cat "$TMP/out")"
[ "$("$KODBOK" show ip3 --raw)" = "$(cat "$TMP/utf8.txt")" ] && [ "$("$KODBOK" show ip4 --raw)" = "$(cat "$TMP/utf8.txt")" ] &&
    ok || bad "utf-16 text: $("$KODBOK" show ip3 --raw)"
# Given again on the unchanged files: unchanged.
"$KODBOK" import --encoding utf-16le "$TMP/ip3.txt" | grep -q '^ip3 .* unchanged (v1)$' && ok || bad "ip3 not unchanged"

# An unchanged file given another encoding that reads the same text: re-read
# into a new version; '' goes back to detection, which re-reads it again.
printf 'I: Hej.\nR: Hej, kul att ses.\n' >"$TMP/ip5.txt"
"$KODBOK" import "$TMP/ip5.txt" >/dev/null || bad "import ip5"
"$KODBOK" import --encoding iso-8859-1 "$TMP/ip5.txt" >"$TMP/out" || bad "import ip5 as iso-8859-1"
grep -q '^ip5 .* re-read v2 (same text): .* (iso-8859-1, given)$' "$TMP/out" && ok || bad "ip5 v2: $(cat "$TMP/out")"
"$KODBOK" import "$TMP/ip5.txt" | grep -q '^ip5 .* unchanged (v2)$' && ok || bad "ip5 v2 not kept"
"$KODBOK" import --encoding '' "$TMP/ip5.txt" >"$TMP/out" || bad "import ip5 ''"
grep -q '^ip5 .* re-read v3 (same text): .* (utf-8, detected)$' "$TMP/out" && ok || bad "ip5 v3: $(cat "$TMP/out")"

# An unknown name, and bytes not valid in the encoding given: one line,
# nothing stored, also of the good files in the same import.
before=$(fingerprint)
expect_fail 1 "^kodbok: unknown encoding 'klingon' " "$KODBOK" import --encoding klingon "$TMP/ip5.txt"
printf 'I: Fr\xe5ga.\r\nR: Sv\x81r.\r\n' >"$TMP/bad.txt"
expect_fail 2 "^kodbok: .*/bad.txt:2:6: byte 0x81 is not valid windows-1252$" \
    "$KODBOK" import --encoding windows-1252 "$TMP/ip5.txt" "$TMP/bad.txt"
expect_fail 2 "^kodbok: .*/bad.txt:1:6: invalid UTF-8 \(byte 0xE5\)$" "$KODBOK" import --encoding utf-8 "$TMP/bad.txt"
printf '\x00I\x00:' >"$TMP/odd.txt"
printf '\x00' >>"$TMP/odd.txt"
expect_fail 2 "odd.txt:1:3: the file ends inside a utf-16be character" "$KODBOK" import --encoding utf-16be "$TMP/odd.txt"
[ "$(fingerprint)" = "$before" ] && ok || bad "a failed import changed the project"

# A cases file naming the interviewer of a document read before it: one
# notice per document, with the import that gives the role.
printf 'Johanna Lind: Vad gör du?\nKarin Ek: Jag leder en vårdenhet.\nJohanna Lind: Hur samverkar ni?\nKarin Ek: Genom ett gemensamt forum.\n' >"$TMP/ip6.txt"
"$KODBOK" import "$TMP/ip6.txt" >/dev/null 2>&1 || bad "import ip6"
printf 'case,document,interviewer\nip6,ip6,johanna lind\nip5,ip5,I\n' >"$TMP/cases.csv"
"$KODBOK" cases import "$TMP/cases.csv" >"$TMP/out" 2>"$TMP/err" || bad "cases import"
[ "$(cat "$TMP/err")" = "kodbok: ip6 v1 was read with Johanna Lind as respondent, but the cases name Johanna Lind interviewer: it takes the role when imported again (kodbok import --reread $TMP/ip6.txt)" ] &&
    ok || bad "notice: $(cat "$TMP/err")"
# import --attrs says so too, for the documents it does not read.
"$KODBOK" import --attrs "$TMP/cases.csv" "$TMP/ip5.txt" >"$TMP/out" 2>"$TMP/err" || bad "import --attrs"
[ "$(wc -l <"$TMP/err")" = 1 ] && grep -q '^kodbok: ip6 v1 was read with Johanna Lind as respondent' "$TMP/err" && ok || bad "--attrs notice: $(cat "$TMP/err")"
"$KODBOK" import --reread "$TMP/ip6.txt" >"$TMP/out" 2>&1 || bad "reread ip6"
grep -q 'interviewer: Johanna Lind (2 turns; named by the cases); respondent: Karin Ek (2 turns)' "$TMP/out" && ok || bad "ip6 v2: $(cat "$TMP/out")"
"$KODBOK" cases import "$TMP/cases.csv" >/dev/null 2>"$TMP/err" && [ ! -s "$TMP/err" ] && ok || bad "notice after the re-read: $(cat "$TMP/err")"
finish
