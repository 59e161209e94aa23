#!/usr/bin/env bash
# Memory of the loop's queue against Asio (issue 14): for each implementation and depth, a
# fresh process posts <depth> callbacks before run() and reports heap bytes and RSS growth
# per queued callback, and its peak RSS. Prints a Markdown table (bench/README.md).
# Usage: bench/queue_memory.sh [build dir]   (default build-bench; build queue_bench first,
#        e.g. BENCH=queue_bench bench/run.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-$root/build-bench}/bench/queue_bench"
echo "| depth | implementation | heap B/callback | RSS growth B/callback | peak RSS MB |"
echo "|---|---|---|---|---|"
for depth in 1000 100000 1000000 10000000; do
  for impl in untangle asio_hint1 asio; do
    "$bin" --memory="$impl:$depth" |
      sed -E 's/^([a-z_0-9]+) ([0-9]+) heap_B_per_cb=([0-9.]+) rss_B_per_cb=([0-9.]+) peak_rss_MB=([0-9.]+)$/| \2 | \1 | \3 | \4 | \5 |/'
  done
done
