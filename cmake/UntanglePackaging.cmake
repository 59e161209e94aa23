# Included last by the top-level CMakeLists.txt (UNTANGLE_INSTALL): the docs' install rules and
# the CPack configuration. `cpack -G DEB` in the build directory makes untangle_<version>_<arch>.deb
# of everything `cmake --install` installs, under /usr.

install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
  FILES_MATCHING PATTERN "*.md")

set(CPACK_PACKAGE_NAME untangle)
set(CPACK_PACKAGE_VENDOR untangle)
set(CPACK_PACKAGE_CONTACT "untangle maintainers <maintainers@users.noreply.r-seed-ec059b45.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "finds callback hell and data races in C++; header-only C++20 async runtime")
set(CPACK_PACKAGE_DESCRIPTION [[
untangle is a set of clang-tidy checks on LLVM/Clang 22, run by the `untangle` command
line tool or loaded into clang-tidy-22 as a plugin: untangle-callback-nesting finds nested
callback chains and rewrites them into coroutines or promise chains; untangle-data-race
finds shared state touched in parallel without a common lock. The package also has the
header-only C++20 runtime the rewrites target, with a CMake package (untangle::runtime)
and a pkg-config file.]])
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Debian ships binaries stripped; the build tree keeps its debug info.
set(CPACK_STRIP_FILES ON)
if(UNTANGLE_BUILD_TOOL)
  # The tool links libclang-cpp.so.22.1 and libLLVM.so.22.1: dpkg-shlibdeps (dpkg-dev) turns
  # them into Depends on libclang-cpp22 and libllvm22 (plus libc6, libstdc++6, libgcc-s1),
  # with the versions their shlibs files ask for.
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # Not a library dependency, so shlibdeps cannot see it: clang's own headers (stddef.h,
  # ...) under /usr/lib/llvm-22/lib/clang/22, without which no file can be parsed.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS libclang-common-22-dev)
  # The plugin takes clang-tidy and clang from the host clang-tidy-22 that loads it; the
  # `untangle` tool itself does not need clang-tidy-22 installed.
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS clang-tidy-22)
else()
  # Headers, CMake and pkg-config files only: the same package for every architecture.
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE all)
endif()
# `package_source` would otherwise pack the build directories and .git of the source tree.
# Regexes, with [.] for a dot: CPack copies them into CPackSourceConfig.cmake unescaped.
set(CPACK_SOURCE_IGNORE_FILES "/[.]git/" "/build[^/]*/" "/[.]cache/" "__pycache__/")
include(CPack)
