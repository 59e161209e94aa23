#!/usr/bin/env bash
# Builds the benchmarks and runs one of them (core_bench, the runtime core of issue 2, by
# default; BENCH=queue_bench for the loop's queue at every depth, issue 14), then prints the
# table of median ratios against the peers (Asio, libuv) that bench/README.md quotes.
#
# Usage: bench/run.sh [extra benchmark arguments, e.g. --benchmark_filter=timers]
# Env:   BENCH (default core_bench), BUILD_DIR (default build-bench), REPS (default 7, at
#        least 5), JOBS (default 2), RATIO_TIME=real to compare wall time instead of CPU time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build-bench}"
reps="${REPS:-7}"
jobs="${JOBS:-2}"
bench="${BENCH:-core_bench}"

generator=()
if [[ ! -f "$build/CMakeCache.txt" ]] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DUNTANGLE_BUILD_TOOL=OFF -DUNTANGLE_BUILD_TESTS=OFF -DUNTANGLE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j "$jobs" --target "$bench"

json="$build/$bench.json"
"$build/bench/$bench" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_out="$json" --benchmark_out_format=json "$@"
echo
ratio_args=()
[[ "${RATIO_TIME:-cpu}" == real ]] && ratio_args=(--real)
python3 "$root/bench/ratios.py" "${ratio_args[@]}" "$json"
