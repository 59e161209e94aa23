#!/usr/bin/env python3
"""Prints a Markdown table of median ratios, ours vs each peer, from Google Benchmark JSON.

Benchmarks are named "<group>:<implementation>"; `untangle` is ours. The ratio is
peer time / our time (the same as our throughput / the peer's), from the medians of the
repetitions (--benchmark_repetitions=N). CPU time by default, since the cores are shared
and a preempted run inflates wall time; --real uses wall time instead.

Usage: ratios.py [--real] RESULT.json
"""
import json
import sys

# group -> (peer, minimum ratio) for the targets; every other pair is reported only.
TARGETS = {
    ("timers_1M", "libuv_init_start"): 1.2,
    ("timers_1M", "libuv_start_only"): 1.2,
    # issue 14 (queue_bench): every depth, both patterns, against io_context(1) and the default
    **{(f"{pattern}_{depth}", peer): 3.0
       for pattern in ("post_in_loop", "post_before_run")
       for depth in ("1", "1k", "100k", "1M", "10M")
       for peer in ("asio_hint1", "asio")},
    ("post_cross_thread_4x", "asio"): 1.5,
}
# Groups whose work runs on several threads: CPU time would count only the benchmark's own
# thread, so they are always compared in wall time.
WALL_TIME_GROUPS = ("post_cross_thread",)
OURS = "untangle"


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main(argv):
    real = "--real" in argv
    paths = [a for a in argv[1:] if not a.startswith("--")]
    if len(paths) != 1:
        sys.exit(__doc__)
    with open(paths[0]) as f:
        data = json.load(f)
    key = "real_time" if real else "cpu_time"
    scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
    medians, items, reps, memory = {}, {}, {}, {}
    for b in data["benchmarks"]:
        if b.get("run_type") != "aggregate" or b.get("aggregate_name") != "median":
            continue
        name = b["run_name"].split("/")[0]  # "group:impl/real_time" when timed in wall time
        if ":" not in name:
            continue
        group, impl = name.split(":", 1)
        group_key = "real_time" if group.startswith(WALL_TIME_GROUPS) else key
        medians[(group, impl)] = b[group_key] * scale[b["time_unit"]]
        items[(group, impl)] = b.get("items_per_second")
        reps[(group, impl)] = b.get("repetitions")
        if "heap_B_per_cb" in b:
            memory[(group, impl)] = (b["heap_B_per_cb"], b.get("rss_B_per_cb", 0.0))
    groups = []
    for group, _ in medians:
        if group not in groups:
            groups.append(group)

    print(f"Medians of {max(reps.values(), default=0)} repetitions, {key.replace('_', ' ')} per iteration; "
          "ratio = peer time / our time (> 1: ours is faster).\n")
    print("| benchmark | ours (median) | ours items/s | peer or reference | peer (median) | ratio | target | met |")
    print("|---|---|---|---|---|---|---|---|")
    for group in groups:
        ours = medians.get((group, OURS))
        if ours is None:
            continue
        rate = items.get((group, OURS))
        rate_s = f"{rate / 1e6:.3g} M/s" if rate else ""
        peers = [impl for (g, impl) in medians if g == group and impl != OURS]
        if not peers:
            print(f"| {group} | {fmt_time(ours)} | {rate_s} | — | — | — | — | — |")
        for impl in peers:
            peer = medians[(group, impl)]
            ratio = peer / ours
            target = TARGETS.get((group, impl))
            target_s = f"≥ {target:g}×" if target else "—"
            met = ("yes" if ratio >= target else "**no**") if target else "—"
            print(f"| {group} | {fmt_time(ours)} | {rate_s} | {impl} | {fmt_time(peer)} | {ratio:.2f}× | {target_s} | {met} |")

    if memory:
        print("\nMemory of a first backlog on a fresh loop or context, per queued callback "
              "(heap in use: mallinfo2; RSS growth: /proc/self/statm):\n")
        print("| benchmark | implementation | heap B/callback | RSS B/callback |")
        print("|---|---|---|---|")
        for (group, impl), (heap, rss) in memory.items():
            print(f"| {group} | {impl} | {heap:.1f} | {rss:.1f} |")


if __name__ == "__main__":
    main(sys.argv)
