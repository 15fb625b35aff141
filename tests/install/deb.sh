#!/usr/bin/env bash
# The Debian package (CPack, as make deb builds it, here from the test
# build): its control fields and dependencies (each a Debian package this
# machine has), its contents, and installed with dpkg -i into a throwaway
# root: kodbok runs there, its own commands and kodbok-full's, the manual
# is read, and dpkg -r removes it all. The build folder's install manifest
# is kept as it was.
# Usage: deb.sh BUILD_DIR
BUILD=$1
source "$(dirname "$0")/lib.bash"
for t in cpack dpkg-deb dpkg dpkg-shlibdeps; do
    command -v $t >/dev/null || { echo "deb: no $t (tools/install-deps.sh installs it)"; exit 1; }
done

(cd "$BUILD" && cpack -G DEB -B "$TMP/pkg") >"$TMP/cpack.log" 2>&1 || { cat "$TMP/cpack.log"; exit 1; }
deb=$(ls "$TMP"/pkg/kodbok_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "FAIL: no kodbok_*.deb"; exit 1; }

field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = kodbok ] || bad "Package: $(field Package)"
[ "$(field Version)" = "$("$BUILD/tools/kodbok" --version | awk '{ print $2 }')" ] || bad "Version: $(field Version)"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || bad "Architecture: $(field Architecture)"
depends=$(field Depends)
for lib in libc6 libpcre2-8-0 libsqlite3-0 libutf8proc2 libyaml-0-2 libnettle8 libxml2 libzip4 libxlsxwriter4 libmicrohttpd12 libgnutls30 libjansson4; do
    grep -q "\(^\|, \)$lib\( \|,\|$\)" <<<"$depends" || bad "Depends lacks $lib: $depends"
done
# every dependency is a Debian package, installed here
for pkg in $(tr ',' '\n' <<<"$depends" | sed 's/(.*//; s/ //g'); do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || bad "Depends names $pkg, not installed here"
done

# the shared library's shlibs entry, and ldconfig by trigger
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./shlibs 2>/dev/null | grep -q "^libkodbok " || bad "no shlibs entry for libkodbok"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./triggers 2>/dev/null | grep -q "ldconfig" || bad "no ldconfig trigger"

contents=$(dpkg-deb --contents "$deb" | awk '{ print $6 }')
for f in bin/kodbok libexec/kodbok/kodbok-full include/kodbok.h share/man/man1/kodbok-code.1.gz \
    share/man/man5/kodbok-codebook.5.gz share/bash-completion/completions/kodbok \
    share/fish/vendor_completions.d/kodbok.fish pkgconfig/kodbok.pc; do
    grep -q "/$f\$" <<<"$contents" || bad "the package lacks $f"
done
grep -q '/libkodbok\.so\.[0-9.]*$' <<<"$contents" || bad "the package lacks libkodbok.so.VERSION"

# dpkg -i into a throwaway root (the libraries are the host's)
R="$TMP/root"
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
touch "$R/var/lib/dpkg/status" "$R/var/lib/dpkg/available"
dpkg --root="$R" --force-depends --force-not-root --force-script-chrootless -i "$deb" >"$TMP/dpkg.log" 2>&1 ||
    bad "dpkg -i: $(tail -3 "$TMP/dpkg.log")"
k=$(find "$R" -path '*/bin/kodbok' | head -1)
if [ -n "$k" ]; then
    "$k" --version | grep -q "^kodbok " || bad "the installed kodbok --version"
    "$k" -p "$TMP/p.db" init >/dev/null && "$k" -p "$TMP/p.db" search samverkan >/dev/null 2>"$TMP/err" ||
        bad "the installed kodbok: init and search (kodbok-full): $(cat "$TMP/err")"
    M=$(dirname "$(dirname "$k")")/share/man
    if command -v man >/dev/null; then
        man -M "$M" kodbok code 2>/dev/null | grep -q -- "--dry-run" || bad "man kodbok code from the package"
    fi
else
    bad "dpkg -i put no bin/kodbok in the root"
fi
dpkg --root="$R" -l kodbok 2>/dev/null | grep -q "^ii  kodbok" || bad "dpkg does not list kodbok as installed"
dpkg --root="$R" --force-not-root --force-script-chrootless -r kodbok >>"$TMP/dpkg.log" 2>&1 || bad "dpkg -r"
[ -z "$(find "$R" -name 'kodbok*' -not -path '*/var/lib/dpkg/*')" ] || bad "dpkg -r left files: $(find "$R" -name 'kodbok*' -not -path '*/var/lib/dpkg/*' | head -3)"

finish install/deb
