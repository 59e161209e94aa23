#!/usr/bin/env python3
"""Precision and recall of untangle-data-race on its own lit suite.

Every expected finding in test/lit/data-race is a `CHECK-MESSAGES: :[[@LINE-N]]:C:
warning: data race on 'X'` line; every race-free twin access carries `// no-race`.
This runs the check over each test file (with the options of its first RUN line) and
counts, per reported warning line:
  TP  a warning on a line a CHECK-MESSAGES line expects,
  FP  any other warning (on a `// no-race` line or anywhere else),
  FN  an expected line without a warning.
A `no-race` line that got no warning is a true negative (TN). Known limits count too:
a `// known-miss` line is an expected finding the rule misses, and a warning on a
`// known-false-positive` line is a false positive even though its CHECK-MESSAGES line
keeps the lit test passing.

Usage: score.py --untangle build/tool/untangle [--min 0.95]
Exits non-zero if precision or recall is below --min.
"""
import argparse
import glob
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = re.compile(r"CHECK-MESSAGES: :\[\[@LINE(?:-(\d+))?\]\]:\d+: warning: data race")
WARNING = re.compile(r"^(.*?):(\d+):\d+: warning: .*\[untangle-data-race\]$", re.M)


def tool_args(source, path):
    """The tool and compiler arguments of the file's first RUN line."""
    run = []
    for line in source.splitlines():
        m = re.match(r"\s*// RUN: (.*)", line)
        if m:
            run.append(m.group(1).rstrip("\\").strip())
        elif run:
            break
    words = shlex.split(" ".join(run).split("// RUN:")[0])
    words = [w.replace("%S", os.path.dirname(path)) for w in words]
    rest = words[words.index("--") + 1:] if "--" in words else []
    tool, compiler = (rest[:rest.index("--")], rest[rest.index("--") + 1:]) \
        if "--" in rest else (rest, [])
    if not any(a.startswith("-std=") for a in compiler):
        compiler.insert(0, "-std=gnu11" if path.endswith(".c") else "-std=c++20")
    return tool, compiler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--untangle", required=True)
    parser.add_argument("--min", type=float, default=0.95)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    tp = fp = fn = tn = 0
    for path in sorted(glob.glob(os.path.join(HERE, "*.c")) + glob.glob(os.path.join(HERE, "*.cpp"))):
        with open(path, encoding="utf-8") as f:
            source = f.read()
        lines = source.splitlines()
        expected = set()
        for number, line in enumerate(lines, 1):
            m = CHECK.search(line)
            if m and "CHECK-MESSAGES-" not in line:
                expected.add(number - int(m.group(1) or 0))
        def marked(marker):
            # A code line ending in the marker (not a comment that mentions it).
            return {n for n, line in enumerate(lines, 1)
                    if re.match(rf"\s*[^/\s].*// {marker}\s*$", line)}
        expected |= marked("known-miss")
        expected -= marked("known-false-positive")
        no_race = marked("no-race")
        tool, compiler = tool_args(source, path)
        proc = subprocess.run([args.untangle, path, "--checks=-*,untangle-data-race",
                               *tool, "--", *compiler],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        reported = {int(m.group(2)) for m in WARNING.finditer(proc.stdout)
                    if os.path.samefile(m.group(1), path)}
        file_tp, file_fp = len(reported & expected), len(reported - expected)
        file_fn = len(expected - reported)
        tp, fp, fn = tp + file_tp, fp + file_fp, fn + file_fn
        tn += len(no_race - reported)
        if args.verbose or file_fp or file_fn:
            print(f"{os.path.basename(path)}: TP={file_tp} FP={file_fp} FN={file_fn}"
                  + (f" false positives at {sorted(reported - expected)}" if file_fp else "")
                  + (f" missed at {sorted(expected - reported)}" if file_fn else ""))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"TP={tp} FP={fp} FN={fn} TN(no-race lines)={tn}")
    print(f"precision={precision:.3f} recall={recall:.3f}")
    return 0 if precision >= args.min and recall >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
