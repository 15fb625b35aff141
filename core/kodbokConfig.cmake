# find_package(kodbok) support: the static library's private dependencies
# come from pkg-config, as in the build.
include(CMakeFindDependencyMacro)
find_dependency(PkgConfig)
find_dependency(Threads)
pkg_check_modules(PC_PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(PC_UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(PC_SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(PC_YAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(PC_CRYPTO REQUIRED IMPORTED_TARGET libcrypto)
pkg_check_modules(PC_XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
pkg_check_modules(PC_LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
pkg_check_modules(PC_LIBZIP REQUIRED IMPORTED_TARGET libzip)
include("${CMAKE_CURRENT_LIST_DIR}/kodbokTargets.cmake")
