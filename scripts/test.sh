#!/usr/bin/env bash
# README command (2): installs what is missing, builds everything once, and runs every test:
# the main build's ctest (runtime GoogleTest, compile-and-run programs with g++ and clang-22,
# docs examples, the tool's lit suite), then the runtime tests again under ASan+UBSan and
# under TSan. The last line is the total: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
jobs=${JOBS:-$(nproc)}

scripts/deps.sh all || exit 2

total_pass=0
total_fail=0
status=0

# run_suite <build dir> <cmake args...>: configure, build, ctest; adds to the totals.
run_suite() {
  local dir=$1
  shift
  echo "== ${dir}: configure and build"
  mkdir -p "$dir"
  if ! cmake -S "$root" -B "$dir" -G Ninja "$@" >"$dir/configure.log" 2>&1; then
    cat "$dir/configure.log"
    echo "== ${dir}: configure FAILED"
    total_fail=$((total_fail + 1)); status=1; return
  fi
  if ! ninja -C "$dir" -j "$jobs" >"$dir/build.log" 2>&1; then
    grep -E -B2 -A12 'error|FAILED' "$dir/build.log" | head -150
    echo "== ${dir}: build FAILED"
    total_fail=$((total_fail + 1)); status=1; return
  fi
  echo "== ${dir}: ctest"
  local log="$dir/ctest.log"
  ctest --test-dir "$dir" -j "$jobs" --output-on-failure >"$log" 2>&1
  local rc=$?
  grep -E '^[0-9]+% tests passed|The following tests FAILED|^\s+[0-9]+ - .*\(' "$log"
  if ((rc != 0)); then
    # With --output-on-failure ctest prints a failed test's output right after its status
    # line; show it up to the next status line, so that a failure in CI can be read.
    awk '/^ *[0-9]+\/[0-9]+ Test +#/ { show = /\*\*\*(Failed|Exception|Timeout)|Not Run/ }
         show' "$log" | head -300
    status=1
  fi
  # "97% tests passed, 3 tests failed out of 100"
  local line
  line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -1)
  if [[ -n $line ]]; then
    local failed all
    failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
    all=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
    total_pass=$((total_pass + all - failed))
    total_fail=$((total_fail + failed))
  elif ((rc != 0)); then
    total_fail=$((total_fail + 1))
  fi
}

# Line tables only (-g1): stack traces and sanitizer reports still name file and line, and the
# clang-dependent objects compile about 30 % faster than with full debug info.
line_tables=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")
run_suite "$root/build" "${line_tables[@]}"
run_suite "$root/build-asan" -DUNTANGLE_BUILD_TOOL=OFF -DUNTANGLE_BUILD_BENCH=OFF \
  -DUNTANGLE_SANITIZE=address,undefined "${line_tables[@]}"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  run_suite "$root/build-tsan" -DUNTANGLE_BUILD_TOOL=OFF -DUNTANGLE_BUILD_BENCH=OFF \
  -DUNTANGLE_SANITIZE=thread "${line_tables[@]}"

echo "${total_pass} passed, ${total_fail} failed"
exit $status
