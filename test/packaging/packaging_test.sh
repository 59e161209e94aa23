#!/usr/bin/env bash
# The packaging test (see CMakeLists.txt here; ctest passes the build's settings in the
# environment). Steps:
#  1. cmake --install the build into $WORK_DIR/prefix; every promised file is there;
#  2. consumer/ configures with find_package(untangle) against that prefix only, builds and
#     runs; then the same consumer with add_subdirectory() of the source tree;
#  3. consumer/main.cpp compiled by g++ with nothing but `pkg-config --cflags --libs untangle`;
#  4. (tool builds) the installed `untangle --version`, and clang-tidy loading the installed
#     plugin lists the untangle checks;
#  5. cpack -G DEB: the .deb holds the same files under /usr, its CMake package works where it
#     is unpacked, and its control fields (Depends from dpkg-shlibdeps) are right.
# Exit 77 (skipped) when pkg-config or dpkg-deb is missing.
set -euo pipefail

for v in BUILD_DIR SOURCE_DIR CONSUMER_DIR WORK_DIR VERSION LIBDIR INCLUDEDIR BINDIR DOCDIR DATADIR \
  CMAKE CPACK GENERATOR CXX GXX TOOL; do
  [[ -n ${!v:-} ]] || { echo "packaging_test.sh: $v is not set (run it through ctest)" >&2; exit 2; }
done
for v in PKG_CONFIG DPKG_DEB; do
  [[ -n ${!v:-} && ${!v} != *-NOTFOUND ]] || { echo "skipped: ${v,,} not found"; exit 77; }
done

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
# run <log> <command...>: runs quietly, shows the log if the command fails.
run() {
  local log=$1; shift
  local rc=0
  "$@" >"$log" 2>&1 || rc=$?
  ((rc == 0)) || { cat "$log" >&2; fail "$* (exit $rc)"; }
}

expected="untangle consumer: sum of squares 1..10 = 385"
# A fixed scratch directory (not mktemp): the install writes one untangle.pc per prefix into
# the build tree, so a new prefix per run would pile them up. Kept after a failure to look at.
rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
prefix=$WORK_DIR/prefix
cmakedir=$LIBDIR/cmake/untangle

step "1. cmake --install into $prefix"
run "$WORK_DIR/install.log" "$CMAKE" --install "$BUILD_DIR" --prefix "$prefix"
files=("$INCLUDEDIR/untangle/runtime.hpp" "$INCLUDEDIR/untangle/channel.hpp"
  "$INCLUDEDIR/untangle/detail/callback.hpp" "$cmakedir/untangleConfig.cmake"
  "$cmakedir/untangleConfigVersion.cmake" "$cmakedir/untangleTargets.cmake"
  "$LIBDIR/pkgconfig/untangle.pc" "$DOCDIR/README.md" "$DOCDIR/usage.md"
  "$DOCDIR/rules/untangle-data-race.md")
tool_files=("$BINDIR/untangle" "$LIBDIR/untangle/libuntangle-tidy.so"
  "$cmakedir/untangleToolTargets.cmake" "$DATADIR/untangle/bazel/untangle.bzl"
  "$DATADIR/untangle/bazel/repositories.bzl" "$DATADIR/untangle/bazel/BUILD"
  "$DATADIR/untangle/bazel/WORKSPACE")
if [[ $TOOL == ON ]]; then
  files+=("${tool_files[@]}")
else
  for f in "${tool_files[@]}"; do [[ ! -e $prefix/$f ]] || fail "runtime-only install has $f"; done
fi
for f in "${files[@]}"; do [[ -f $prefix/$f ]] || fail "not installed: $f"; done
# Every header of the source tree, and nothing else, is installed.
diff <(cd "$SOURCE_DIR/runtime/include" && find untangle -type f | sort) \
  <(cd "$prefix/$INCLUDEDIR" && find untangle -type f | sort) || fail "installed headers differ"

consumer_flags=(-G "$GENERATOR" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_BUILD_TYPE=Release)
[[ -z ${MAKE_PROGRAM:-} ]] || consumer_flags+=(-DCMAKE_MAKE_PROGRAM="$MAKE_PROGRAM")
# check_app <binary> <what>: the consumer prints the expected line and exits 0.
check_app() {
  local out
  out=$("$1") || fail "$2: the consumer exited with $?"
  [[ $out == "$expected" ]] || fail "$2: the consumer printed '$out', expected '$expected'"
}

step "2. find_package(untangle) consumer"
dir=$WORK_DIR/consumer-find-package
# Only this prefix: no package registry, no system-wide untangle (an installed .deb).
run "$WORK_DIR/consumer-find-package.log" "$CMAKE" -S "$CONSUMER_DIR" -B "$dir" "${consumer_flags[@]}" \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF \
  -DUNTANGLE_CONSUMER_TOOL="$TOOL"
found=$(sed -n 's/^untangle_DIR:PATH=//p' "$dir/CMakeCache.txt")
[[ $found -ef $prefix/$cmakedir ]] || fail "find_package used $found, not $prefix/$cmakedir"
grep -qx "include=$prefix/$INCLUDEDIR" "$dir/untangle-paths.txt" ||
  fail "untangle::runtime's include path is not the installed one: $(cat "$dir/untangle-paths.txt")"
if [[ $TOOL == ON ]]; then
  grep -qx "untangle=$prefix/$BINDIR/untangle" "$dir/untangle-paths.txt" &&
    grep -qx "plugin=$prefix/$LIBDIR/untangle/libuntangle-tidy.so" "$dir/untangle-paths.txt" ||
    fail "the tool targets are not the installed files: $(cat "$dir/untangle-paths.txt")"
fi
run "$WORK_DIR/consumer-find-package-build.log" "$CMAKE" --build "$dir"
check_app "$dir/app" "find_package"

step "2b. add_subdirectory(untangle) consumer"
dir=$WORK_DIR/consumer-add-subdirectory
run "$WORK_DIR/consumer-add-subdirectory.log" "$CMAKE" -S "$CONSUMER_DIR" -B "$dir" "${consumer_flags[@]}" \
  -DUNTANGLE_SOURCE_DIR="$SOURCE_DIR"
run "$WORK_DIR/consumer-add-subdirectory-build.log" "$CMAKE" --build "$dir" --target app
check_app "$dir/app" "add_subdirectory"
# A subproject installs nothing of untangle's (UNTANGLE_INSTALL is off below the top level).
run "$WORK_DIR/consumer-add-subdirectory-install.log" "$CMAKE" --install "$dir" --prefix "$dir/prefix"
[[ ! -e $dir/prefix ]] || fail "add_subdirectory consumer installed untangle's files: $(find "$dir/prefix" -type f | head -3)"

step "3. g++ with pkg-config"
# PKG_CONFIG_LIBDIR, not PKG_CONFIG_PATH: the system's .pc directories are left out.
export PKG_CONFIG_LIBDIR=$prefix/$LIBDIR/pkgconfig
[[ $("$PKG_CONFIG" --modversion untangle) == "$VERSION" ]] || fail "pkg-config --modversion untangle"
[[ $("$PKG_CONFIG" --variable=prefix untangle) == "$prefix" ]] ||
  fail "untangle.pc has prefix $("$PKG_CONFIG" --variable=prefix untangle), not $prefix"
read -ra pc_flags <<<"$("$PKG_CONFIG" --cflags --libs untangle)"
echo "pkg-config --cflags --libs untangle: ${pc_flags[*]}"
# No -std= of our own: g++ 12 defaults to C++17, so C++20 has to come from the .pc file.
run "$WORK_DIR/pkg-config-build.log" "$GXX" "$CONSUMER_DIR/main.cpp" "${pc_flags[@]}" \
  -Wall -Wextra -Werror -o "$WORK_DIR/app-pkg-config"
check_app "$WORK_DIR/app-pkg-config" "pkg-config"
unset PKG_CONFIG_LIBDIR

if [[ $TOOL == ON ]]; then
  step "4. the installed tool and plugin"
  version=$("$prefix/$BINDIR/untangle" --version) || fail "installed untangle --version exited with $?"
  [[ $version == "untangle $VERSION" ]] || fail "untangle --version printed '$version'"
  checks=$("$CLANG_TIDY" -load "$prefix/$LIBDIR/untangle/libuntangle-tidy.so" \
    --checks='-*,untangle-*' --list-checks) || fail "clang-tidy -load <installed plugin> exited with $?"
  for c in untangle-callback-nesting untangle-data-race; do
    grep -qx "  *$c" <<<"$checks" || fail "the installed plugin does not list $c: $checks"
  done
fi

step "5. cpack -G DEB"
run "$WORK_DIR/cpack.log" "$CPACK" --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$WORK_DIR/cpack"
debs=("$WORK_DIR"/cpack/*.deb)
((${#debs[@]} == 1)) && [[ -f ${debs[0]} ]] || fail "expected one .deb, got: ${debs[*]}"
deb=${debs[0]}
"$DPKG_DEB" -I "$deb"
field() { "$DPKG_DEB" -f "$deb" "$1"; }
[[ $(field Package) == untangle ]] || fail "Package: $(field Package)"
[[ $(field Version) == "$VERSION" ]] || fail "Version: $(field Version)"
"$DPKG_DEB" -c "$deb" | awk '{print $6}' | sed 's|^\./||' >"$WORK_DIR/deb-contents.txt"
# The .deb installs under /usr what `cmake --install` installed under the prefix.
for f in "${files[@]}"; do
  grep -qx "usr/$f" "$WORK_DIR/deb-contents.txt" || fail ".deb lacks /usr/$f"
done
pc=$("$DPKG_DEB" --fsys-tarfile "$deb" | tar -xO "./usr/$LIBDIR/pkgconfig/untangle.pc")
grep -qx 'prefix=/usr' <<<"$pc" || fail "the .deb's untangle.pc does not have prefix=/usr: $pc"
# Its CMake package is relocatable: unpacked anywhere, it points into the unpacked tree (and
# with the tool, the imported targets' files exist there: the targets file checks them).
root=$WORK_DIR/deb-root
"$DPKG_DEB" -x "$deb" "$root"
dir=$WORK_DIR/consumer-deb
run "$WORK_DIR/consumer-deb.log" "$CMAKE" -S "$CONSUMER_DIR" -B "$dir" "${consumer_flags[@]}" \
  -DCMAKE_PREFIX_PATH="$root/usr" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF \
  -DUNTANGLE_CONSUMER_TOOL="$TOOL"
grep -qx "include=$root/usr/$INCLUDEDIR" "$dir/untangle-paths.txt" ||
  fail "the .deb's untangle::runtime does not point into it: $(cat "$dir/untangle-paths.txt")"
if [[ $TOOL == ON ]]; then
  # Stripped by CPack, and still runs.
  version=$("$root/usr/$BINDIR/untangle" --version) || fail "the .deb's untangle --version exited with $?"
  [[ $version == "untangle $VERSION" ]] || fail "the .deb's untangle --version printed '$version'"
fi
depends=$(field Depends)
if [[ $TOOL == ON ]]; then
  [[ $(field Architecture) == "$(dpkg --print-architecture)" ]] || fail "Architecture: $(field Architecture)"
  # dpkg-shlibdeps found the packages of the libraries the tool links; clang's headers are
  # named by hand.
  depends_names=$(sed -E 's/ *\([^)]*\)//g; s/, */\n/g' <<<"$depends")
  for p in libclang-cpp22 libllvm22 libstdc++6 libc6 libclang-common-22-dev; do
    grep -qxF "$p" <<<"$depends_names" || fail "Depends lacks $p: $depends"
  done
  [[ $(field Recommends) == clang-tidy-22 ]] || fail "Recommends: $(field Recommends)"
else
  [[ $(field Architecture) == all ]] || fail "a runtime-only .deb is Architecture: all, not $(field Architecture)"
  [[ -z $depends ]] || fail "a runtime-only .deb needs nothing, but Depends: $depends"
  ! grep -q "usr/$BINDIR/untangle" "$WORK_DIR/deb-contents.txt" || fail "the runtime-only .deb has the tool"
fi

echo "packaging: OK"
