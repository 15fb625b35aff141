#!/usr/bin/env bash
# make install into a temporary prefix, as `make install PREFIX=DIR` does:
# the files in their places, the installed kodbok runs its own commands and
# kodbok-full's, a small program builds against the installed library,
# shared (its soname, kb_ names alone exported) and static, with pkg-config
# and with CMake's find_package(kodbok), the manual pages are
# there and read by man, the completions in the shells' folders, and make
# uninstall's
# script removes it all. The build folder's install manifest is kept as
# it was.
# Usage: consumer.sh BUILD_DIR SOURCE_DIR [SANITIZERS]
# (SANITIZERS: the build's, which a program linking its library needs too)
BUILD=$1
SRC=$2
SAN=${3:+-fsanitize=$3}
export CFLAGS=$SAN LDFLAGS=$SAN # read by CMake when it configures
source "$(dirname "$0")/lib.bash"

P="$TMP/prefix with space"
cmake --install "$BUILD" --prefix "$P" >"$TMP/install.log" 2>&1 || { cat "$TMP/install.log"; exit 1; }
for f in bin/kodbok libexec/kodbok/kodbok-full include/kodbok.h; do
    [ -e "$P/$f" ] || bad "not installed: $f"
done
pc=$(find "$P" -name kodbok.pc)
cfg=$(find "$P" -name kodbokConfig.cmake)
lib=$(find "$P" -name libkodbok.a)
[ -n "$pc" ] && [ -n "$cfg" ] && [ -n "$lib" ] || bad "pkg-config file, CMake config or library missing"

# The installed programs.
"$P/bin/kodbok" --version | grep -q '^kodbok ' || bad "installed kodbok --version"
"$P/bin/kodbok" -p "$TMP/s.db" init >/dev/null || bad "installed kodbok init"
"$P/bin/kodbok" -p "$TMP/s.db" search samverkan >/dev/null 2>"$TMP/err" || bad "installed kodbok search (kodbok-full): $(cat "$TMP/err")"

# The manual: a page per command of `kodbok --help`, found by man as git's
# are (`man kodbok code`), and the two formats in section 5.
M="$P/share/man"
for cmd in $("$P/bin/kodbok" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }'); do
    [ -f "$M/man1/kodbok-$cmd.1.gz" ] || bad "no manual page kodbok-$cmd(1)"
done
if command -v man >/dev/null; then
    man -M "$M" kodbok code 2>/dev/null | grep -q "^NAME" &&
        man -M "$M" kodbok code 2>/dev/null | grep -q -- "--dry-run" || bad "man kodbok code"
    man -M "$M" 5 kodbok-codebook 2>/dev/null | grep -q "kodbok-codebook - the codebook" || bad "man 5 kodbok-codebook"
    man -M "$M" 5 kodbok-tags 2>/dev/null | grep -q "text_sha256" || bad "man 5 kodbok-tags"
    man -M "$M" kodbok 2>/dev/null | grep -q "kodbok-matrix(1)" || bad "man kodbok: no SEE ALSO of the commands"
else
    bad "no man program to read the pages with"
fi

# The shells' completions, where each shell looks for them.
bash -c 'source "$1"; complete -p kodbok' _ "$P/share/bash-completion/completions/kodbok" 2>/dev/null |
    grep -q -- "-F _kodbok kodbok" || bad "bash: complete -p kodbok after sourcing the installed completion"
[ -f "$P/share/zsh/site-functions/_kodbok" ] || bad "no zsh completion in share/zsh/site-functions"
[ -f "$P/share/fish/vendor_completions.d/kodbok.fish" ] || bad "no fish completion in share/fish/vendor_completions.d"

cat >"$TMP/consumer.c" <<'C'
#include <kodbok.h>
#include <stdio.h>
int main(void)
{
    printf("%s %d\n", KB_VERSION_STRING, kb_schema_version());
    return kb_schema_version() > 0 ? 0 : 1;
}
C
want=$("$P/bin/kodbok" --version | sed -E 's/^kodbok ([^ ]+) \(schema ([0-9]+)\)$/\1 \2/')

# pkg-config: the shared library by default, its soname in the program;
# the static one with --static (its own libraries) and the archive named.
libdir=$(dirname "$lib")
so=$(cd "$libdir" && ls libkodbok.so.*.* 2>/dev/null | head -1)
[ -n "$so" ] && [ -L "$libdir/libkodbok.so" ] || bad "no libkodbok.so with its version and link"
soname=$(readelf -d "$libdir/$so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[[ $soname == libkodbok.so.* ]] || bad "libkodbok.so has no soname: '$soname'"
exported=$(nm -D --defined-only "$libdir/$so" | awk '{ print $3 }')
[ -n "$exported" ] && ! grep -qv '^kb_' <<<"$exported" || bad "libkodbok.so exports more than kb_ names: $(grep -v '^kb_' <<<"$exported" | head -3)"
pcdir=$(dirname "$pc")
# as a Makefile's shell reads them: pkg-config escapes the spaces in paths
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs kodbok) || bad "pkg-config kodbok"
eval "cc $SAN -std=c11 -o \"\$TMP/by-pkg-config\" \"\$TMP/consumer.c\" $flags" 2>"$TMP/err" || bad "build with pkg-config: $(head -5 "$TMP/err")"
readelf -d "$TMP/by-pkg-config" | grep -q "NEEDED.*\[$soname\]" || bad "the pkg-config program does not load $soname"
[ "$(LD_LIBRARY_PATH="$libdir" "$TMP/by-pkg-config")" = "$want" ] || bad "pkg-config program printed '$(LD_LIBRARY_PATH="$libdir" "$TMP/by-pkg-config")', wanted '$want'"
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs --static kodbok | sed 's/-lkodbok/-l:libkodbok.a/') || bad "pkg-config --static kodbok"
eval "cc $SAN -std=c11 -o \"\$TMP/by-pkg-config-static\" \"\$TMP/consumer.c\" $flags" 2>"$TMP/err" || bad "static build with pkg-config: $(head -5 "$TMP/err")"
! readelf -d "$TMP/by-pkg-config-static" | grep -q "libkodbok" || bad "the static program loads libkodbok"
[ "$("$TMP/by-pkg-config-static")" = "$want" ] || bad "static pkg-config program printed '$("$TMP/by-pkg-config-static")'"

# CMake's find_package: kodbok::kodbok (static) and kodbok::shared.
mkdir -p "$TMP/cm"
cat >"$TMP/cm/CMakeLists.txt" <<'C'
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(kodbok REQUIRED)
add_executable(consumer ../consumer.c)
target_link_libraries(consumer PRIVATE kodbok::kodbok)
add_executable(consumer_shared ../consumer.c)
target_link_libraries(consumer_shared PRIVATE kodbok::shared)
C
if cmake -S "$TMP/cm" -B "$TMP/cm/build" -DCMAKE_PREFIX_PATH="$P" >"$TMP/cm.log" 2>&1 &&
    cmake --build "$TMP/cm/build" >>"$TMP/cm.log" 2>&1; then
    [ "$("$TMP/cm/build/consumer")" = "$want" ] || bad "find_package program printed '$("$TMP/cm/build/consumer")'"
    [ "$("$TMP/cm/build/consumer_shared")" = "$want" ] || bad "find_package shared program printed '$("$TMP/cm/build/consumer_shared")'"
    readelf -d "$TMP/cm/build/consumer_shared" | grep -q "NEEDED.*\[$soname\]" || bad "kodbok::shared does not load $soname"
else
    bad "build with find_package: $(tail -5 "$TMP/cm.log")"
fi

# Uninstall: nothing of kodbok's is left.
cmake -DMANIFEST="$MANIFEST" -P "$SRC/tools/uninstall.cmake" >/dev/null 2>"$TMP/err" || bad "uninstall: $(cat "$TMP/err")"
left=$(find "$P" -type f)
[ -z "$left" ] || bad "left after uninstall: $left"
[ ! -e "$P/libexec/kodbok" ] || bad "libexec/kodbok left after uninstall"

finish install/consumer
