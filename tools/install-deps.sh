#!/bin/sh
# Installs the Debian packages kodbok needs to build and test, if any are missing.
# Says what it installs; does nothing when everything is present. Needs root (or sudo)
# only when something is missing.
set -eu

PKGS="build-essential cmake pkg-config libpcre2-dev libutf8proc-dev libxml2-dev \
libsqlite3-dev sqlite3 nettle-dev libzip-dev libxlsxwriter-dev libyaml-dev libcmark-dev libcmocka-dev \
pcre2-utils libxml2-utils clang-format jq time \
libmicrohttpd-dev libjansson-dev curl chromium \
libgnutls28-dev openssl \
help2man go-md2man man-db zsh fish cppcheck clang dpkg-dev \
libreoffice-impress libreoffice-calc libreoffice-writer poppler-utils"
# `make fuzz` (tools/install-deps.sh fuzz): clang and its libFuzzer.
if [ "${1:-}" = fuzz ]; then
    PKGS="$PKGS clang libclang-rt-dev"
fi

missing=""
# Node.js with npm, for the browser tests: Debian's packages unless a
# Node.js that brings its own npm is installed already.
command -v npm >/dev/null 2>&1 || missing="nodejs npm"
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing="$missing $p"
    fi
done
# The browser tests' npm packages (tests/web: playwright-core, which drives
# Debian's chromium), installed from the lock file when absent or stale.
npm_ci() {
    web="$(dirname "$0")/../tests/web"
    if [ ! -f "$web/node_modules/.package-lock.json" ] ||
        [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
        echo "kodbok: installing the browser tests' npm packages (tests/web)" >&2
        npm ci --prefix "$web" --no-audit --no-fund >/dev/null
    fi
}
if [ -z "$missing" ]; then
    npm_ci
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "kodbok: missing packages:$missing (install them with your package manager)" >&2
    exit 3
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "kodbok: missing packages:$missing (run as root to install them)" >&2
        exit 3
    fi
fi
echo "kodbok: installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "kodbok: installed:$missing" >&2
npm_ci
