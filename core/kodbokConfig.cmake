# find_package(kodbok) support: the static library's private dependencies
# come from pkg-config, as in the build.
include(CMakeFindDependencyMacro)
find_dependency(PkgConfig)
find_dependency(Threads)
include("${CMAKE_CURRENT_LIST_DIR}/kodbokDeps.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/kodbokTargets.cmake")
