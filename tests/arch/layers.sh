#!/bin/bash
# The architecture test: the library's sources keep core/LAYERS (by
# their includes and by the symbols of the built library), and the checker
# catches each kind of breach in a copy of the tree.
# Usage: layers.sh LAYERS SRC ARCHIVE PUBLIC_HEADER
set -u
layers=$1
src=$2
archive=$3
public=$4
check=$(dirname "$0")/check.sh
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}

if out=$(bash "$check" "$layers" "$src" "$archive" "$public" 2>&1); then
    ok "core/src keeps LAYERS by includes and symbols"
else
    bad "core/src breaks LAYERS: $out"
fi

# Each breach below, made in a fresh copy, must be reported.
breach() { # NAME EXPECTED-TEXT COMMAND...
    local name=$1 expect=$2
    shift 2
    rm -rf "$WORK/src" "$WORK/LAYERS"
    cp -r "$src" "$WORK/src"
    cp "$layers" "$WORK/LAYERS"
    (cd "$WORK/src" && "$@")
    if out=$(bash "$check" "$WORK/LAYERS" "$WORK/src" 2>&1); then
        bad "$name: not caught"
    elif [[ $out == *"$expect"* ]]; then
        ok "$name: caught"
    else
        bad "$name: caught, but said: $out"
    fi
}
upward() { sed -i '0,/^#include/s||#include "export/table.h"\n#include|' base/hash.c; }
circle() {
    sed -i '0,/^#include/s||#include "base/hash.h"\n#include|' base/grow.h
    sed -i '0,/^#include/s||#include "base/grow.h"\n#include|' base/hash.h
}
stray() { echo 'int kbi_stray;' >stray.c; }
headless() { echo 'int kbi_lone;' >base/lone.c; }
twin() { cp base/hash.h store/hash.h; }
loose() { sed -i '0,/^#include/s||#include "hash.h"\n#include|' base/grow.c; }
order() { sed -i 's/^base:.*/base: export/' ../LAYERS; }
breach "an upward include" "base/ may not reach export/" upward
breach "two headers including each other" "files form a circle (#include)" circle
breach "a file outside the folders" "stray.c: not in a folder" stray
breach "a source without its header" "no header base/lone.h" headless
breach "one name in two folders" "the name hash.h is also in" twin
breach "an include without its folder" "is not \"folder/name.h\"" loose
breach "a folder allowed to reach one above it" "not a folder named above it" order

# The symbols: a call declared by hand, with no include, is still seen.
mkdir -p "$WORK/sym/low" "$WORK/sym/high"
printf 'low:\nhigh: low\n' >"$WORK/LAYERS.sym"
cat >"$WORK/sym/low/a.c" <<'EOF'
int kbi_b(void);
int kbi_a(void) { return kbi_b(); }
EOF
cat >"$WORK/sym/high/b.c" <<'EOF'
int kbi_b(void) { return 1; }
int kb_undeclared(void) { return 2; }
EOF
: >"$WORK/sym/low/a.h"
: >"$WORK/sym/high/b.h"
: >"$WORK/sym/public.h"
(cd "$WORK/sym" && cc -c low/a.c -o a.c.o && cc -c high/b.c -o b.c.o &&
    ar rc lib.a a.c.o b.c.o && rm a.c.o b.c.o)
out=$(bash "$check" "$WORK/LAYERS.sym" "$WORK/sym" "$WORK/sym/lib.a" "$WORK/sym/public.h" 2>&1)
[[ $out == *"low/a uses high/b (symbols): low/ may not reach high/"* ]] &&
    ok "a call upward without an include: caught" ||
    bad "a call upward without an include: $out"
[[ $out == *"defines kb_undeclared: a kb_ name kodbok.h does not declare"* ]] &&
    ok "a kb_ name missing from the public header: caught" ||
    bad "a kb_ name missing from the public header: $out"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
