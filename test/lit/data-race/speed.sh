#!/usr/bin/env bash
# What untangle-data-race adds to a file's analysis time, on the callback-heavy cpprestsdk
# client of bench/tool_speed.sh: median wall time of N interleaved runs each of
# untangle with the nesting rule alone, the data-race rule alone, and both.
# The budget (issue 6): both <= 1.2 x nesting alone.
# Usage: test/lit/data-race/speed.sh [build dir] [runs]    (default: build, 7)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
build="${1:-$root/build}"
runs="${2:-7}"
untangle="$build/tool/untangle"
flags=(-std=c++20 -I"$root/runtime/include" -pthread)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The same file as the tool's own speed benchmark.
sed -n "/<<'CPP'$/,/^CPP$/p" "$root/bench/tool_speed.sh" | sed '1d;$d' > "$work/cpprest_client.cpp"
[[ -s "$work/cpprest_client.cpp" ]] || { echo "no bench file in bench/tool_speed.sh" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }

declare -A checks=([nesting]="-*,untangle-callback-nesting" [race]="-*,untangle-data-race"
                   [both]="-*,untangle-callback-nesting,untangle-data-race")
for ((i = 0; i < runs; i++)); do
  for name in nesting race both; do
    # --no-cache: the tool keeps results between runs, so every run after the first
    # would measure a cache hit.
    seconds "$untangle" --quiet --no-cache "--checks=${checks[$name]}" "$work/cpprest_client.cpp" \
      -- "${flags[@]}" >> "$work/$name"
  done
done
n=$(median < "$work/nesting"); r=$(median < "$work/race"); b=$(median < "$work/both")
printf 'median of %d runs: nesting %.3f s, data-race %.3f s, both %.3f s\n' "$runs" "$n" "$r" "$b"
printf 'data-race adds %.1f%% to the nesting run (budget 20%%)\n' "$(echo "($b - $n) * 100 / $n" | bc -l)"
