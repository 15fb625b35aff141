# The libraries libkodbok links, found with pkg-config: read by the build
# (CMakeLists.txt) and by find_package(kodbok) users (kodbokConfig.cmake),
# so the list is kept once. Sets KODBOK_DEPS, the targets to link, and
# KODBOK_CORE_DEPS, the part of them every command needs.
pkg_check_modules(PC_PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(PC_UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(PC_SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(PC_YAML REQUIRED IMPORTED_TARGET yaml-0.1)
# SHA-256 of texts, codebooks and rules; SHA-1 of REFI-QDA GUIDs.
pkg_check_modules(PC_NETTLE REQUIRED IMPORTED_TARGET nettle)
# Table exports (XLSX, HTML), the figure and slide decks (XML, zip).
pkg_check_modules(PC_XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
pkg_check_modules(PC_LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
pkg_check_modules(PC_LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(PC_CMARK REQUIRED IMPORTED_TARGET libcmark)
# What every part of the library needs; the CLI's light program links these
# alone (tools/CMakeLists.txt).
set(KODBOK_CORE_DEPS Threads::Threads PkgConfig::PC_PCRE2 PkgConfig::PC_UTF8PROC
    PkgConfig::PC_SQLITE3 PkgConfig::PC_YAML PkgConfig::PC_NETTLE
    m) # libm: keyness (log, log2)
# The formats: DOCX, ODT, HTML, XLSX, PPTX, SVG, REFI-QDA, Markdown.
set(KODBOK_DEPS ${KODBOK_CORE_DEPS}
    PkgConfig::PC_XLSXWRITER PkgConfig::PC_LIBXML2 PkgConfig::PC_LIBZIP
    PkgConfig::PC_CMARK)
