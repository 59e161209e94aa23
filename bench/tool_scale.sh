#!/usr/bin/env bash
# Whole-tree runs (issue 7): a tree of >= 50 translation units (the bundled examples, the
# differential suite's programs and the runtime's tests) with a compile database.
# Per round, interleaved: a cold run (empty cache, -j2), the warm re-run (same cache),
# and uncached runs with -j1 and -j2. Prints the median wall time of each and the two
# ratios the issue sets: warm/cold (target <= 5%) and time(-j1)/time(-j2) (>= 1.8).
# Usage: bench/tool_scale.sh [build dir] [rounds]    (default: build, 3)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
rounds="${2:-3}"
untangle="$build/tool/untangle"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$root" "$work/compile_commands.json" <<'PY'
import glob, json, os, sys
root, out = sys.argv[1], sys.argv[2]
inc = ["-I" + os.path.join(root, "runtime", "include")]
entries = []
def add(files, flags):
    for f in sorted(files):
        entries.append({"directory": os.path.dirname(f), "file": f,
                        "arguments": ["clang++", "-std=c++20", *inc, *flags, "-c", f]})
add(glob.glob(f"{root}/examples/*.cpp"), ["-pthread"])
add(glob.glob(f"{root}/test/differential/cases/*.cpp"), ["-I" + f"{root}/test/differential"])
add(glob.glob(f"{root}/test/runtime/*.cpp"), ["-pthread"])
json.dump(entries, open(out, "w"), indent=1)
print(f"{len(entries)} translation units", file=sys.stderr)
PY

# run <label> <untangle args...>: wall seconds of one run, appended to $work/<label>.
run() {
  local label=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$untangle" -p "$work" --quiet "$@" "$root/examples" "$root/test/differential/cases" \
    "$root/test/runtime" > /dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc >> "$work/$label"
}

for ((r = 1; r <= rounds; r++)); do
  rm -rf "$work/cache"
  run cold -j2 --cache-dir="$work/cache"
  run warm -j2 --cache-dir="$work/cache"
  run j1 -j1 --no-cache
  run j2 -j2 --no-cache
  echo "round $r: cold $(tail -1 "$work/cold") s, warm $(tail -1 "$work/warm") s," \
       "-j1 $(tail -1 "$work/j1") s, -j2 $(tail -1 "$work/j2") s" >&2
done

python3 - "$work" <<'PY'
import statistics, sys
work = sys.argv[1]
m = {k: statistics.median(float(x) for x in open(f"{work}/{k}")) for k in ("cold", "warm", "j1", "j2")}
print(f"median of runs: cold {m['cold']:.2f} s, warm {m['warm']:.2f} s, "
      f"-j1 {m['j1']:.2f} s, -j2 {m['j2']:.2f} s")
print(f"warm / cold = {100 * m['warm'] / m['cold']:.1f} %  (target <= 5 %)")
print(f"-j1 / -j2 = {m['j1'] / m['j2']:.2f}x  (target >= 1.8x)")
PY
