#!/usr/bin/env python3
"""Precision and recall of untangle-data-race on its own lit suite or on a labelled corpus.

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

With --corpus DIR (the realistic corpus, realistic/) the ground truth is labels instead:
every racy access line ends in `// RACE`, chosen race-free accesses in `// NORACE`, both
sides of each race are labelled (ThreadSanitizer reports both, see
realistic/confirm_tsan.py). The rule reports one warning per location at one access and
names the other in a `conflicting ... here` note, so a line counts as reported when it
carries a warning or such a note:
  TP  a `// RACE` line reported,
  FN  a `// RACE` line not reported,
  FP  a reported line without `// RACE` (a `// NORACE` line or any other).

Usage: score.py --untangle build/tool/untangle [--min 0.95]
       score.py --untangle build/tool/untangle --corpus realistic --min-precision P --min-recall R
Exits non-zero if precision or recall is below its minimum.
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
CONFLICT = re.compile(r"^(.*?):(\d+):\d+: note: conflicting (?:read|write)", re.M)
C_STD, CXX_STD = "-std=gnu11", "-std=c++20"


def marked_lines(lines, marker):
    """Numbers of the code lines ending in `// <marker>` (not comments that mention it)."""
    return {n for n, line in enumerate(lines, 1)
            if re.match(rf"\s*[^/\s].*// {marker}\s*$", line)}


def sources(folder):
    return sorted(glob.glob(os.path.join(folder, "*.c")) + glob.glob(os.path.join(folder, "*.cpp")))


def reported_lines(output, path, pattern):
    return {int(m.group(2)) for m in pattern.finditer(output) if os.path.samefile(m.group(1), path)}


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
        compiler.insert(0, C_STD if path.endswith(".c") else CXX_STD)
    return tool, compiler


def run_rule(untangle, path, tool, compiler):
    proc = subprocess.run([untangle, path, "--checks=-*,untangle-data-race", *tool, "--", *compiler],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.stdout


def own_suite_counts(untangle, path, source, lines):
    """(expected, reported, no-race lines) of a lit test of the rule's own suite."""
    expected = set()
    for number, line in enumerate(lines, 1):
        m = CHECK.search(line)
        if m and "CHECK-MESSAGES-" not in line:
            expected.add(number - int(m.group(1) or 0))
    expected |= marked_lines(lines, "known-miss")
    expected -= marked_lines(lines, "known-false-positive")
    output = run_rule(untangle, path, *tool_args(source, path))
    return expected, reported_lines(output, path, WARNING), marked_lines(lines, "no-race")


def corpus_counts(untangle, path, source, lines):
    """(expected, reported, NORACE lines) of a labelled corpus program."""
    output = run_rule(untangle, path, [], [C_STD if path.endswith(".c") else CXX_STD])
    reported = reported_lines(output, path, WARNING) | reported_lines(output, path, CONFLICT)
    return marked_lines(lines, "RACE"), reported, marked_lines(lines, "NORACE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--untangle", required=True)
    parser.add_argument("--corpus", help="a folder of programs labelled // RACE and // NORACE")
    parser.add_argument("--min", type=float, default=0.95)
    parser.add_argument("--min-precision", type=float)
    parser.add_argument("--min-recall", type=float)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    folder = os.path.join(HERE, args.corpus) if args.corpus else HERE
    counts = corpus_counts if args.corpus else own_suite_counts

    totals = {}  # "all", and per language of the corpus: [TP, FP, FN, TN]
    for path in sources(folder):
        with open(path, encoding="utf-8") as f:
            source = f.read()
        expected, reported, no_race = counts(args.untangle, path, source, source.splitlines())
        file_tp, file_fp = len(reported & expected), len(reported - expected)
        file_fn = len(expected - reported)
        groups = ["all", "C" if path.endswith(".c") else "C++"] if args.corpus else ["all"]
        for group in groups:
            total = totals.setdefault(group, [0, 0, 0, 0])
            for i, n in enumerate((file_tp, file_fp, file_fn, len(no_race - reported))):
                total[i] += n
        if args.verbose or file_fp or file_fn:
            print(f"{os.path.basename(path)}: TP={file_tp} FP={file_fp} FN={file_fn}"
                  + (f" false positives at {sorted(reported - expected)}" if file_fp else "")
                  + (f" missed at {sorted(expected - reported)}" if file_fn else ""))
    def rates(group):
        tp, fp, fn, _ = totals.get(group, [0, 0, 0, 0])
        return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)
    for group in [g for g in totals if g != "all"] + ["all"]:  # the whole last
        tp, fp, fn, tn = totals.get(group, [0, 0, 0, 0])
        label = "" if group == "all" else f"{group}: "
        print(f"{label}TP={tp} FP={fp} FN={fn} TN({'NORACE' if args.corpus else 'no-race'} lines)={tn}")
        print(f"{label}precision={rates(group)[0]:.3f} recall={rates(group)[1]:.3f}")
    precision, recall = rates("all")
    min_precision = args.min if args.min_precision is None else args.min_precision
    min_recall = args.min if args.min_recall is None else args.min_recall
    return 0 if precision >= min_precision and recall >= min_recall else 1


if __name__ == "__main__":
    sys.exit(main())
