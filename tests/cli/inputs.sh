#!/usr/bin/env bash
# Input bounds (issue 19, 7 and 11): every file read whole has a cap per
# kind of input (docs/limits.md, "Inputs"), met fast on /dev/zero and on a
# huge file, with one line naming the file and the cap; pipes and FIFOs
# keep working, and a FIFO import holds no lock while it waits for a
# writer; a file that is UTF-8 but for one line is refused at that line.
source "$(dirname "$0")/lib/common.bash"
"$KODBOK" init >/dev/null
printf 'I: Hur samverkar ni med kommunen?\nR: Vi har ett möte varje vecka om de äldre patienterna.\n' >"$TMP/ip01.txt"
"$KODBOK" import -q "$TMP/ip01.txt" >/dev/null || bad "import ip01"
cat >"$TMP/cb.yaml" <<'YAML'
kodbok: 1
name: Inputs
themes:
  - id: samverkan
    concepts:
      - id: mote
        patterns: ['\bmöte\w*']
YAML
"$KODBOK" code -q "$TMP/cb.yaml" >/dev/null || bad "code"
before=$(fingerprint)

# /dev/zero: the cap, fast, for every reader (default caps, and lowered ones
# so that the test reads little)
expect_fail 2 "^kodbok: /dev/zero: larger than the 64 MiB a codebook may have \(set KODBOK_MAX_CODEBOOK_MB" \
    timeout 20 "$KODBOK" codebook check /dev/zero
expect_fail 2 "^kodbok: /dev/zero: larger than the 256 MiB a transcript may have \(set KODBOK_MAX_TRANSCRIPT_MB" \
    timeout 20 "$KODBOK" import --name zero /dev/zero
KODBOK_MAX_TAGS_MB=1 expect_fail 2 "^kodbok: /dev/zero: larger than the 1 MiB a tags or memos file may have" \
    timeout 20 "$KODBOK" tags import /dev/zero
KODBOK_MAX_TAGS_MB=1 expect_fail 2 "^kodbok: /dev/zero: larger than the 1 MiB a tags or memos file may have" \
    timeout 20 "$KODBOK" memo import /dev/zero
KODBOK_MAX_CASES_MB=1 expect_fail 2 "^kodbok: /dev/zero: larger than the 1 MiB a cases file may have" \
    timeout 20 "$KODBOK" import --attrs /dev/zero "$TMP/ip01.txt"
KODBOK_MAX_CODEBOOK_MB=1 expect_fail 2 "^kodbok: /dev/zero: larger than the 1 MiB a codebook may have" \
    timeout 20 "$KODBOK" codebook import /dev/zero -o "$TMP/from-csv.yaml"
[ ! -e "$TMP/from-csv.yaml" ] && ok || bad "codebook import wrote a file"
KODBOK_MAX_INPUT_MB=1 expect_fail 2 "^kodbok: /dev/zero: larger than the 1 MiB this input may have \(set KODBOK_MAX_INPUT_MB" \
    timeout 20 "$KODBOK" memo add --file /dev/zero
KODBOK_MAX_INPUT_MB=1 expect_fail 2 "^kodbok: /dev/stdin: larger than the 1 MiB this input may have" \
    timeout 20 "$KODBOK" memo add - </dev/zero
printf 'Ett memo genom en pipe.\n' | "$KODBOK" memo add - >/dev/null && ok || bad "memo from stdin"
"$KODBOK" memo list --format json | grep -q "genom en pipe" && ok || bad "memo text from stdin"
"$KODBOK" memo rm 1 >/dev/null || bad "memo rm"

# a huge regular file is refused by its size, before it is read
truncate -s 300M "$TMP/huge.txt"
start=$(date +%s%N)
expect_fail 2 "^kodbok: $TMP/huge.txt: larger than the 256 MiB a transcript may have" \
    timeout 20 "$KODBOK" import "$TMP/huge.txt"
[ $((($(date +%s%N) - start) / 1000000)) -lt 5000 ] && ok || bad "a huge file took long"
truncate -s 100M "$TMP/huge.yaml"
expect_fail 2 "^kodbok: $TMP/huge.yaml: larger than the 64 MiB a codebook may have" \
    timeout 20 "$KODBOK" code "$TMP/huge.yaml"

# the caps can be raised and lowered; a bad value is an error
head -c 1500000 /dev/zero | tr '\0' 'a' | fold -w 70 | sed 's/^/R: /' >"$TMP/big.txt"
KODBOK_MAX_TRANSCRIPT_MB=1 expect_fail 2 "big.txt: larger than the 1 MiB a transcript may have" \
    "$KODBOK" import "$TMP/big.txt"
KODBOK_MAX_TRANSCRIPT_MB=abc expect_fail 1 "KODBOK_MAX_TRANSCRIPT_MB is 'abc', not a size in MiB" \
    "$KODBOK" import "$TMP/big.txt"
KODBOK_MAX_TRANSCRIPT_MB=0 expect_fail 1 "KODBOK_MAX_TRANSCRIPT_MB is '0'" \
    "$KODBOK" import "$TMP/big.txt"
[ "$(fingerprint)" = "$before" ] && ok || bad "a refused input changed the project"
KODBOK_MAX_TRANSCRIPT_MB=2 "$KODBOK" import -q "$TMP/big.txt" >/dev/null && ok || bad "raised cap"
"$KODBOK" docs rm big >/dev/null 2>&1 || "$KODBOK" docs rm --yes big >/dev/null 2>&1 || true

# pipes keep working: a transcript, a cases CSV, a codebook
"$KODBOK" import -q --name piped <(printf 'R: Vi ses på mötet i kommunen.\n') >/dev/null &&
    ok || bad "import from a pipe"
"$KODBOK" show piped --raw | grep -q "mötet i kommunen" && ok || bad "piped text"
"$KODBOK" codebook check <(cat "$TMP/cb.yaml") >/dev/null && ok || bad "codebook from a pipe"
"$KODBOK" import -q --attrs <(printf 'case,document\nk1,piped\n') \
    --name piped <(printf 'R: Vi ses på mötet i kommunen.\n') >/dev/null && ok || bad "cases from a pipe"

# A FIFO with no writer yet: the import waits without the write lock, so
# a coder can tag meanwhile; written to, the import completes.
mkfifo "$TMP/fifo" "$TMP/cfifo"
timeout 30 "$KODBOK" import -q --name fifo "$TMP/fifo" >"$TMP/fifo.out" 2>&1 &
imp=$!
sleep 1
kill -0 "$imp" 2>/dev/null && ok || bad "the import did not wait for its FIFO"
timeout 20 "$KODBOK" tag ip01 mote --quote "möte" --coder anna >/dev/null 2>"$TMP/tag.err" &&
    ok || bad "tag while an import waits on a FIFO: $(cat "$TMP/tag.err")"
printf 'R: Texten kom genom en FIFO till mötet.\n' >"$TMP/fifo"
wait "$imp" && ok || bad "FIFO import: $(cat "$TMP/fifo.out")"
"$KODBOK" show fifo --raw | grep -q "genom en FIFO" && ok || bad "FIFO text"
"$KODBOK" tags --format json | grep -q '"anna"' && ok || bad "the tag was not kept"
# and a cases CSV from a FIFO
timeout 30 "$KODBOK" import -q --attrs "$TMP/cfifo" --name fifo "$TMP/fifo" >"$TMP/fifo.out" 2>&1 &
imp=$!
sleep 1
timeout 20 "$KODBOK" memo add --text "Skrivet medan importen väntar." >/dev/null 2>"$TMP/memo.err" &&
    ok || bad "memo while an import waits on FIFOs: $(cat "$TMP/memo.err")"
printf 'case,document\nk2,fifo\n' >"$TMP/cfifo" &
printf 'R: Andra gången genom FIFO:n.\n' >"$TMP/fifo" &
wait "$imp" && ok || bad "FIFO import with cases: $(cat "$TMP/fifo.out")"
"$KODBOK" cases --format json | grep -q '"k2"' && ok || bad "cases from a FIFO"

# UTF-8 but for one Windows-1252 line: refused at its first bad byte unless
# an encoding is given; a file wholly in Windows-1252 is still detected.
{
    printf 'I: Hur är läget på vårdcentralen?\n'
    printf 'R: Det går bra, vi träffas på mötet.\n'
    printf 'R: Sen kom en rad fr\xe5n ett gammalt dokument.\n'
    printf 'I: Och nu då?\n'
} >"$TMP/mixed.txt"
expect_fail 2 "^kodbok: $TMP/mixed.txt:3:21: invalid UTF-8 \(byte 0xE5\) in a file that is UTF-8 elsewhere: .*--encoding" \
    "$KODBOK" import "$TMP/mixed.txt"
"$KODBOK" import -q --encoding windows-1252 "$TMP/mixed.txt" >/dev/null && ok || bad "mixed with --encoding"
"$KODBOK" show mixed --raw | grep -q "från ett gammalt" && ok || bad "the Windows-1252 line"
# (Windows-1252's “Ä” holds bytes C4 94, well-formed UTF-8 for U+0114: not
# taken for UTF-8 text)
printf 'I: Hur \xe4r l\xe4get p\xe5 v\xe5rdcentralen?\nR: Det g\xe5r bra \x96 vi kallar det \x93\xc4\x94.\n' >"$TMP/legacy.txt"
"$KODBOK" import "$TMP/legacy.txt" >"$TMP/out" 2>"$TMP/err" && ok || bad "legacy: $(cat "$TMP/err")"
grep -q "not UTF-8; read as windows-1252" "$TMP/err" && ok || bad "legacy notice: $(cat "$TMP/err")"
"$KODBOK" show legacy --raw | grep -q "vårdcentralen?" && ok || bad "legacy text"
"$KODBOK" show legacy --raw | grep -q "bra – vi kallar det “Ä”" && ok || bad "legacy punctuation"
finish
