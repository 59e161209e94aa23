#!/usr/bin/env python3
"""Confirms the labels of the realistic corpus with ThreadSanitizer.

Each program is built once with -fsanitize=thread and run:
  - a program with `// RACE` lines is run up to --runs times, stopping once every
    `// RACE` line has been reported; each line must appear as an access of some
    ThreadSanitizer report (the first frame of the access's stack inside the program);
  - a program without them must run clean (no report, exit 0) --clean-runs times.
In every run, any line ThreadSanitizer reports must be labelled `// RACE` (so no race
goes unlabelled) and none may be labelled `// NORACE` (an allocation, which
ThreadSanitizer takes as a write of the block, is no labelled access); a report other than a data race
or a use after free fails the program, and so does a crash or a timeout, unless a racy
program's run reported a race before it (a race is undefined behaviour; the run counts
with the reports it printed).

Usage: confirm_tsan.py --cc clang --cxx clang++ --work DIR [--runs 20] [--clean-runs 100] [-j 2]
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from score import C_STD, CXX_STD, marked_lines, sources  # noqa: E402  (one home for labels)

# Every report is shown, also a second one on the same address or with the same stacks.
TSAN_OPTIONS = "halt_on_error=0:suppress_equal_stacks=0:suppress_equal_addresses=0:exitcode=66"
REPORT = re.compile(r"WARNING: ThreadSanitizer: (.*?) \(pid=\d+\)\n(.*?)\n(?:SUMMARY|={18})", re.S)
ACCESS = re.compile(r"^  (?:Previous )?(?:[Aa]tomic )?(?:[Ww]rite|[Rr]ead) of size")
FRAME = re.compile(r"^    #\d+ .* (\S+?):(\d+)(?::\d+)?(?: \(|$)")
# ThreadSanitizer takes an allocation as a write of the new block, so a read of an
# object allocated by another thread names the allocating line; that is not an access
# the program's labels speak of (the racing store to the field is reported too).
ALLOCATOR = re.compile(r"^    #0 (?:malloc|calloc|aligned_alloc|posix_memalign|valloc|operator new(?:\[\])?)[ (]")
RACE_KINDS = ("data race", "heap-use-after-free")
RUN_TIMEOUT = 20


def build(path, work, cc, cxx):
    binary = os.path.join(work, os.path.basename(path) + ".tsan")
    compiler, std = (cc, C_STD) if path.endswith(".c") else (cxx, CXX_STD)
    proc = subprocess.run([compiler, std, "-fsanitize=thread", "-g", "-O0", "-pthread", path,
                           "-o", binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return binary, (proc.stdout if proc.returncode else None)


def reported(stderr, path):
    """(kinds of reports, program lines named as accesses) of one run's output."""
    kinds, lines = [], set()
    real = os.path.realpath(path)
    for kind, body in REPORT.findall(stderr):
        kinds.append(kind)
        in_access = False
        for line in body.splitlines():
            if ACCESS.match(line):
                in_access, found = True, False
            elif in_access and ALLOCATOR.match(line):
                in_access = False
            elif not line.startswith("    #"):
                in_access = False
            elif in_access and not found:
                m = FRAME.match(line)
                if m and os.path.realpath(m.group(1)) == real:
                    lines.add(int(m.group(2)))
                    found = True
    return kinds, lines


def confirm(path, args):
    """Problems with the program's labels (none when confirmed), its run count and seconds."""
    start = time.monotonic()
    problems, runs = check_labels(path, args)
    return problems, runs, time.monotonic() - start


def run_once(binary, env):
    """(what the run wrote to stderr, its exit code or None when it timed out)."""
    try:
        proc = subprocess.run([binary], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=env, timeout=RUN_TIMEOUT)
        return proc.stderr.decode(errors="replace"), proc.returncode
    except subprocess.TimeoutExpired as hung:
        return (hung.stderr or b"").decode(errors="replace"), None


def describe(ending):
    return f"timed out after {RUN_TIMEOUT} s" if ending is None else f"exited with {ending}"


def check_labels(path, args):
    with open(path, encoding="utf-8") as f:
        labels = f.read().splitlines()
    race, no_race = marked_lines(labels, "RACE"), marked_lines(labels, "NORACE")
    binary, error = build(path, args.work, args.cc, args.cxx)
    if error:
        return [f"does not build:\n{error}"], 0
    env = dict(os.environ, TSAN_OPTIONS=TSAN_OPTIONS)
    seen, problems = set(), []
    runs = args.runs if race else args.clean_runs
    for run in range(1, runs + 1):
        stderr, ending = run_once(binary, env)
        kinds, lines = reported(stderr, path)
        # A race is undefined behaviour: after one, a racy program may hang or crash (two
        # inserts can leave a hash table's buckets in a loop). Such a run counts with the
        # reports printed before it went wrong; without one, the program itself is at fault.
        ended_as_reported = ending == (66 if kinds else 0)
        damaged_by_race = ending not in (0, 66) and race and kinds
        if not ended_as_reported and not damaged_by_race:
            return problems + [f"run {run} {describe(ending)}:\n{stderr[-3000:]}"], run
        if not race and kinds:
            return [f"race-free program reported in run {run}:\n{stderr[-3000:]}"], run
        other = [k for k in kinds if not k.startswith(RACE_KINDS)]
        if other:
            return [f"run {run}: reports other than races: {sorted(set(other))}\n{stderr[-3000:]}"], run
        if lines - race:
            return [f"run {run}: lines reported by ThreadSanitizer but not labelled RACE: "
                    f"{sorted(lines - race)} (NORACE among them: {sorted((lines - race) & no_race)})"], run
        seen |= lines
        if race and race <= seen:
            return [], run
    if race - seen:
        problems.append(f"RACE lines never reported in {runs} runs: {sorted(race - seen)}")
    return problems, runs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cc", required=True)
    parser.add_argument("--cxx", required=True)
    parser.add_argument("--work", required=True, help="where the instrumented programs go")
    parser.add_argument("--runs", type=int, default=20, help="at most this many runs of a racy program")
    parser.add_argument("--clean-runs", type=int, default=100, help="clean runs of a race-free program")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("programs", nargs="*", help="only these (default: the whole corpus)")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    programs = [os.path.abspath(p) for p in args.programs] or sources(HERE)
    start, failures = time.monotonic(), []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = {path: pool.submit(confirm, path, args) for path in programs}
        for path, future in results.items():
            problems, runs, seconds = future.result()
            name = os.path.basename(path)
            if problems:
                failures.append(f"FAIL {name} ({runs} runs, {seconds:.1f} s)\n  " + "\n  ".join(problems))
            else:
                print(f"ok   {name} ({runs} runs, {seconds:.1f} s)")
    # Failures last, next to the summary, where a shortened CI log still shows them.
    for failure in failures:
        print(failure)
    print(f"{len(programs) - len(failures)} of {len(programs)} programs confirmed "
          f"in {time.monotonic() - start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
