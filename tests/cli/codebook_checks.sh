#!/usr/bin/env bash
# Codebook checks of issue 19: a duplicate key in any mapping, control
# characters in labels, names and descriptions, YAML nested too deep, and a
# codebook of a few hundred thousand concepts checked in linear time (the
# duplicate ids found by a hash set). A run's stored codebook from before
# these checks is still read, its control characters shown as \xHH.
source "$(dirname "$0")/lib/common.bash"
D="$SRC/tests/cli/data/trial"
cd "$TMP" || exit 1

# head CONCEPT_EXTRA: a small codebook whose concept 'sip' ends with the
# lines given.
codebook() {
    cat <<YAML
kodbok: 1
name: Kontroll
themes:
  - id: forum
    label: Forum
    concepts:
      - id: sip
        label: SIP
        patterns: ['\bSIP\b']
$1
YAML
}

# cpu SECONDS CMD...: CMD with a bound on its processor time, the hang
# guard of the linear checks below (processor time, not wall time, so that
# a busy machine does not fail them; the wall bound is ten times that).
cpu() {
    local s=$1
    shift
    (ulimit -t "$s" && exec timeout $((s * 10)) "$@")
}

# Duplicate keys: the second one's line and column, in every mapping.
codebook "        caseless: true
        patterns: ['\bsamordnad individuell plan\b']" >dup1.yaml
expect_fail 2 "^kodbok: dup1\.yaml:11:9: duplicate key 'patterns' in a concept \(first on line 9\)$" \
    "$KODBOK" codebook check dup1.yaml
codebook "      - id: plan
        id: vardplan
        patterns: ['\bvårdplan\w*']" >dup2.yaml
expect_fail 2 "^kodbok: dup2\.yaml:11:9: duplicate key 'id' in a concept \(first on line 10\)$" \
    "$KODBOK" codebook check dup2.yaml
{ echo "kodbok: 1"; codebook "" | sed 1d; echo "name: Igen"; } >dup3.yaml
expect_fail 2 "^kodbok: dup3\.yaml:11:1: duplicate key 'name' in the codebook \(first on line 2\)$" \
    "$KODBOK" codebook check dup3.yaml
codebook "" | sed 's/^name: Kontroll$/&\ndefaults: { scope: turn, caseless: true, scope: sentence }/' >dup4.yaml
expect_fail 2 "^kodbok: dup4\.yaml:3:42: duplicate key 'scope' in defaults \(first on line 3\)$" \
    "$KODBOK" codebook check dup4.yaml
codebook "" | sed 's/^    label: Forum$/&\n    label: Forum igen/' >dup5.yaml
expect_fail 2 "^kodbok: dup5\.yaml:6:5: duplicate key 'label' in a theme \(first on line 5\)$" \
    "$KODBOK" codebook check dup5.yaml

# Control characters in texts that reach the outputs: at their character.
i=0
for esc in '\e' '\a' '\x01' '\x7f' '\u0085' '\t'; do
    i=$((i + 1))
    codebook "" | sed "s/^        label: SIP$/        label: \"SI${esc//\\/\\\\}P\"/" >ctl$i.yaml
    expect_fail 2 "^kodbok: ctl$i\.yaml:8:19: 'label' of concept has a control character \(U\+00[0-9A-F]{2}, [a-z ]+\): they hold none$" \
        "$KODBOK" codebook check ctl$i.yaml
done
codebook "" | sed 's/^name: Kontroll$/name: "Kontroll\\ebok"/' >ctl_name.yaml
expect_fail 2 "^kodbok: ctl_name\.yaml:2:16: 'name' of the codebook has a control character \(U\+001B, an escape\)" \
    "$KODBOK" codebook check ctl_name.yaml
codebook "        description: \"Rad ett\\nrad\\ttvå\\x01\"" >ctl_desc.yaml
expect_fail 2 "^kodbok: ctl_desc\.yaml:10:40: 'description' of concept has a control character \(U\+0001, a control character\): descriptions hold none but tabs and line breaks$" \
    "$KODBOK" codebook check ctl_desc.yaml
codebook "        description: \"Rad ett\\nrad\\ttvå\"" >ok_desc.yaml
"$KODBOK" codebook check ok_desc.yaml >/dev/null 2>"$TMP/err" && ok || bad "a description with a tab and a line break: $(cat "$TMP/err")"

# ... so that structure, code (and so matrix and report) never see them.
"$KODBOK" init >/dev/null || bad "init"
"$KODBOK" import -q "$D/ip2.txt" "$D/ip3.txt" >/dev/null 2>&1 || bad "import"
expect_fail 2 "ctl1\.yaml:8:19: 'label' of concept has a control character" "$KODBOK" structure ctl1.yaml -o s.svg
[ ! -e s.svg ] && ok || bad "structure wrote a figure"
expect_fail 2 "ctl1\.yaml:8:19: 'label' of concept has a control character" "$KODBOK" code ctl1.yaml
[ "$("$KODBOK" runs --format json | jq '.runs | length')" = 0 ] && ok || bad "a run was stored"

# A run stored before the checks, whose codebook has an escape in a label
# and a duplicate key (put there by hand): its readers still work, take the
# first value, and show the label as \x1b.
"$KODBOK" code -q ok_desc.yaml >/dev/null || bad "code"
sqlite3 "$KODBOK_PROJECT" "UPDATE runs SET codebook = CAST(replace(CAST(codebook AS TEXT), 'label: SIP', 'label: \"SI\\eP\"' || char(10) || '        label: Andra') AS BLOB);
  UPDATE run_codes SET label = 'SI' || char(27) || 'P' WHERE code = 'sip'" || bad "sqlite3"
sqlite3 "$KODBOK_PROJECT" "SELECT CAST(codebook AS TEXT) FROM runs" | grep -qF 'label: "SI\eP"' && ok || bad "test setup: the stored codebook was not changed"
"$KODBOK" matrix --rows concept --cols document >"$TMP/m" 2>"$TMP/err" || bad "matrix: $(cat "$TMP/err")"
grep -qF 'SI\x1bP' "$TMP/m" && ok || bad "matrix does not show the label escaped: $(cat "$TMP/m")"
"$KODBOK" report --rows concept --cols document -o r.html >/dev/null 2>"$TMP/err" || bad "report: $(cat "$TMP/err")"
grep -q $'\e' r.html && bad "report holds a raw escape" || ok
"$KODBOK" quotes --format json >/dev/null 2>"$TMP/err" && ok || bad "quotes: $(cat "$TMP/err")"

# Deep YAML: refused at the level past the limit, at once.
{ printf 'x: '; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; echo; } >deep.yaml
expect_fail 2 "^kodbok: deep\.yaml:1:67: YAML nested more than 64 levels deep$" cpu 10 "$KODBOK" codebook check deep.yaml
{ yes '{a: ' | head -n 100000 | tr -d '\n'; head -c 100000 /dev/zero | tr '\0' '}'; echo; } >deep2.yaml
expect_fail 2 "^kodbok: deep2\.yaml:1:257: YAML nested more than 64 levels deep$" cpu 10 "$KODBOK" codebook check deep2.yaml
printf 'kodbok: 1\nname: Djup\nthemes:\n%s\n' "$(awk 'BEGIN { s = "  - id: t\n    concepts:\n      - id: c\n        patterns: ["a"]\n        description: "x"\n"; printf "%s", s }')" >shallow.yaml
"$KODBOK" codebook check shallow.yaml >/dev/null 2>"$TMP/err" && ok || bad "a shallow codebook: $(cat "$TMP/err")"

# A codebook of about 10 MB: 60,000 concepts in 600 themes, checked in
# linear time (a hang guard, not a timing goal: a scan of the ids before
# each id, as there was, is quadratic); then the same with a duplicate id
# at the end, found and placed.
mb=10
if nm -D "$KODBOK" 2>/dev/null | grep -q __asan_init || nm "$KODBOK" 2>/dev/null | grep -q __asan_init; then
    mb=4 # under AddressSanitizer every allocation costs several times more
fi
awk -v n=$((mb * 6000)) 'BEGIN {
    print "kodbok: 1\nname: Stor kodbok\nthemes:"
    for (i = 0; i < n; i++) {
        if (i % 100 == 0)
            printf "  - id: tema%d\n    label: Tema %d om samverkan och ansvar i vården\n    concepts:\n", i / 100, i / 100
        printf "      - id: begrepp%d\n        label: Begrepp %d om vårdplanering\n", i, i
        printf "        description: Hur vårdplaneringen går till i kommunen, nummer %d\n", i
        printf "        patterns: [\"\\\\bord%d\\\\w*\"]\n", i
    }
}' >big.yaml
size=$(stat -c %s big.yaml)
[ "$size" -gt $((mb * 900000)) ] && ok || bad "test setup: big.yaml has $size bytes"
start=$(date +%s%N)
cpu 20 "$KODBOK" codebook check big.yaml >"$TMP/out" 2>"$TMP/err" && ok || bad "the big codebook: rc $?: $(head -c 300 "$TMP/err")"
echo "codebook check of $size bytes: $(( ($(date +%s%N) - start) / 1000000 )) ms (wall)"
grep -q "^$((mb * 60)) themes, $((mb * 6000)) concepts" "$TMP/out" ||
    grep -q "$((mb * 6000)) concepts" "$TMP/out" && ok || bad "the big codebook's counts: $(sed -n 2p "$TMP/out")"
printf '      - id: begrepp17\n        patterns: ["igen"]\n' >>big.yaml
last=$(wc -l <big.yaml)
first=$(grep -n -m1 ' id: begrepp17$' big.yaml | cut -d: -f1)
expect_fail 2 "^kodbok: big\.yaml:$((last - 1)):13: duplicate id 'begrepp17' \(first on line $first\)$" \
    cpu 20 "$KODBOK" codebook check big.yaml
finish
