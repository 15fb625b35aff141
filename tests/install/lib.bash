# Shared by the install tests, sourced with BUILD set (the build folder):
# TMP, a folder removed at the end; the build's install manifest, which an
# install or a package rewrites, put back as it was; bad and finish.
set -u
TMP=$(mktemp -d)
MANIFEST="$BUILD/install_manifest.txt"
[ -e "$MANIFEST" ] && cp "$MANIFEST" "$TMP/manifest.saved"
restore() {
    if [ -e "$TMP/manifest.saved" ]; then cp "$TMP/manifest.saved" "$MANIFEST"; else rm -f "$MANIFEST"; fi
    rm -rf "$TMP"
}
trap restore EXIT
failed=0
bad() { echo "FAIL: $*"; failed=$((failed + 1)); }
# finish NAME: the test's end, exit 1 when a check failed
finish() {
    [ "$failed" -eq 0 ] && echo "$1: passed" || exit 1
}
