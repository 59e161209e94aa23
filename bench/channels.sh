#!/usr/bin/env bash
# Channel benchmarks of issue 3: builds bench/channel_bench.cpp (untangle + Asio) and
# bench/go/channel_pingpong.go, runs each RUNS times (default 5), prints the median ns per
# operation and the ratios against the targets. Usage: bench/channels.sh [RUNS]
#
# Single-thread numbers are CPU time (the benchmark machines are shared by several jobs, and
# wall time would measure them too); cross-thread numbers are wall time.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cxx="${CXX:-g++}"
echo "building channel_bench with $cxx -O2 ..." >&2
"$cxx" -std=c++20 -O2 -DNDEBUG -I "$root/runtime/include" "$root/bench/channel_bench.cpp" \
  -o "$work/channel_bench" -lbenchmark -pthread
echo "building the Go program with $(go version | cut -d' ' -f3) ..." >&2
mkdir -p "$work/go"
cp "$root/bench/go/channel_pingpong.go" "$work/go/"
(cd "$work/go" && GOCACHE="$work/gocache" GO111MODULE=off GOFLAGS= go build -o channel_pingpong channel_pingpong.go)

for ((i = 1; i <= runs; i++)); do
  echo "run $i/$runs ..." >&2
  "$work/channel_bench" --benchmark_format=json --benchmark_min_time=0.5 --benchmark_filter=channel_ > "$work/cpp-$i.json"
  GOMAXPROCS=1 "$work/go/channel_pingpong" > "$work/go1-$i.txt"
  GOMAXPROCS=2 "$work/go/channel_pingpong" > "$work/go2-$i.txt"
done

python3 - "$work" "$runs" <<'PY'
import json, statistics, sys
work, runs = sys.argv[1], int(sys.argv[2])
cpp = {}
for i in range(1, runs + 1):
    for b in json.load(open(f"{work}/cpp-{i}.json"))["benchmarks"]:
        name = b["name"].split("/")[0]
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
        t = b["real_time"] if "real_time" in b["name"] else b["cpu_time"]
        cpp.setdefault(name, []).append(t * scale / b["ops"])
def go(prefix, column):
    out = {}
    for i in range(1, runs + 1):
        for line in open(f"{work}/{prefix}-{i}.txt"):
            name, cpu, wall = line.split()
            out.setdefault(name, []).append(float(cpu if column == "cpu" else wall))
    return out
go1, go2 = go("go1", "cpu"), go("go2", "wall")
med = {k: statistics.median(v) for k, v in cpp.items()}
g1 = {k: statistics.median(v) for k, v in go1.items()}
g2 = {k: statistics.median(v) for k, v in go2.items()}
print(f"median of {runs} runs, ns per operation")
for k in sorted(med): print(f"  {k:42s} {med[k]:9.1f}")
for k in sorted(g1): print(f"  {k + ' (GOMAXPROCS=1, cpu)':42s} {g1[k]:9.1f}")
print(f"  {'go_buffered100_spsc (GOMAXPROCS=2, wall)':42s} {g2['go_buffered100_spsc']:9.1f}")
pp = med["channel_pingpong:untangle"] / g1["go_pingpong_unbuffered"]
asio = med["channel_buffered100_spsc:asio"] / med["channel_buffered100_spsc:untangle"]
gob = g1["go_buffered100_spsc"] / med["channel_buffered100_spsc:untangle"]
print("ratios")
print(f"  ping-pong, untangle / Go (GOMAXPROCS=1):       {pp:5.2f}x  (target <= 0.25)  {'OK' if pp <= 0.25 else 'MISSED'}")
print(f"  buffered(100) SPSC, untangle speed-up vs Asio:  {asio:5.2f}x  (target >= 2)     {'OK' if asio >= 2 else 'MISSED'}")
print(f"  buffered(100) SPSC, untangle speed-up vs Go:    {gob:5.2f}x  (target >= 1)     {'OK' if gob >= 1 else 'MISSED'}")
ppa = med["channel_pingpong:asio"] / med["channel_pingpong:untangle"]
print(f"  ping-pong, untangle speed-up vs Asio:           {ppa:5.2f}x  (reported)")
ct = g2["go_buffered100_spsc"] / med["channel_cross_thread_buffered100:untangle"]
print(f"  cross-thread buffered(100), speed-up vs Go (GOMAXPROCS=2, wall): {ct:5.2f}x  (reported)")
PY
