#!/usr/bin/env python3
"""Precision and recall of untangle-data-race on public race suites written by others.

None of their code is in this project: fetch them into a scratch folder (ROOT, default
/work/scratch/public) and this script only reads them there:
  ROOT/goblint      goblint/analyzer (tests/regression, lib/goblint/runtime/include)
  ROOT/compiler-rt  llvm-mirror/compiler-rt (test/tsan, include, test/sanitizer_common)
  ROOT/juliet       arichardson/juliet-test-suite-c (testcases/CWE366_*, testcasesupport)
  ROOT/itc          regehr/itc-benchmarks (01.w_Defects, 02.wo_Defects, include)
e.g. git --git-dir=MIRROR archive HEAD tests/regression | tar -x -C ROOT/goblint.

Each file is analyzed alone: untangle --checks=-*,untangle-data-race --header-filter=.* --no-cache
FILE -- -std=gnu11 -pthread (C) or -std=c++17 -pthread (C++), -I of the file's folder
and the suite's include folders. A line counts as reported when the output has a
`FILE:LINE:COL: warning: ... [untangle-data-race]` or `FILE:LINE:COL: note: conflicting
(read|write)` on it. Lines are counted once per suite (a line of std_thread.c reported
in all 36 Juliet runs is one line). A timeout (120 s), crash or unparsable file is an
error: counted apart, its labels still scored as not reported.

Ground truth per suite:
- goblint: the C files of tests/regression that call pthread_create and carry a label.
  Labels are read from comments on code lines (a line that is only a comment, e.g.
  commented-out code, is skipped as Goblint's own update_suite.rb does). `RACE!` must be
  reported (TP, else FN); `NORACE`/`NORACE!` must not (FP if reported); `RACE` without
  `!` (Goblint's intended imprecision) is not scored, nor is any unlabelled line. In a
  file whose PARAM line has `--disable ana.race.free` (NORACE there means "no race but
  with a free") or `--disable ana.race.volatile` (volatile accesses not counted as
  races), every NORACE label of the file is dropped; a file left without labels is not
  scored.
- tsan-c / tsan-cpp: compiler-rt test/tsan, top-level, Linux/ and libcxx/ *.c, *.cpp
  (Darwin/ and libdispatch/ are other platforms). Kept: programs that start a thread
  (pthread_create or std::thread in code) and use no TSan API that changes what TSan
  sees or reports (Annotate*, __tsan_java/mutex/atomic/unaligned/read/write/acquire/
  release/ignore*, __sanitizer_unaligned*, __tsan_default_options), no dlopen, fork()
  or pthread_atfork, no RUN with suppressions, blacklists or -D macros. Racy: a CHECK
  (-NEXT/-DAG/-SAME) line containing `data race` and no `CHECK-NOT:` of it. Race-free:
  no such CHECK and a RUN that expects no report at all (no %deflake, no `not %run`).
  Per program: racy -> TP if anything is reported in it, else FN; race-free -> FP if
  anything is reported, else TN (stack_sync_reuse.cpp is race-free by its CHECK-NOT,
  though its comment says the program does race: TSan misses it). Include paths: compiler-rt's include/ and test/ (for
  sanitizer_common/*.h), and /usr/include/tirpc when present.
- juliet: testcases/CWE366_Race_Condition_Within_Thread/*.c. Racy lines: in each file's
  `helperBad` body, the lines updating the shared int (`x = x + 1` form: `gBadInt =
  gBadInt + 1;`, `*pIntArgs = *pIntArgs + 1;`). Any other reported line (in helperGood,
  good*/bad functions, or in std_thread.c) is FP. Three modes, scored apart: the file
  alone; with `-include testcasesupport/std_thread.c`; and alone with the wrappers
  configured (ParallelSpawnFunctions stdThreadCreate, JoinFunctions stdThreadJoin,
  AcquireFunctions stdThreadLockAcquire, ReleaseFunctions stdThreadLockRelease).
- itc: 01.w_Defects/race_condition.c: lines with `Tool should detect this line as error`
  are racy (TP/FN), other reported lines there are not scored (they may be the racy
  lines' partners); 02.wo_Defects/race_condition.c is the race-free twin: every line
  reported there is FP (its `Tool should not detect` lines included).

Usage: score_public.py --untangle build/tool/untangle
           [--suite {all,goblint,tsan-c,tsan-cpp,juliet,itc}] [--root DIR] [-j N] [-v]
           [--dump out.json]
Prints one line per suite: `suite: TP n FP n FN n precision x% recall y%`; -v adds
the FP and FN lines (or programs) per file.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys

REPORT = re.compile(r"^(.*?):(\d+):\d+: (?:warning: .*\[untangle-data-race\]$|"
                    r"note: conflicting (?:read|write))", re.M)
TIMEOUT = 120
CHECKS = ["--checks=-*,untangle-data-race", "--header-filter=.*", "--no-cache"]  # each run measures this binary


def std(path):
    return ["-std=gnu11"] if path.endswith(".c") else ["-std=c++17"]


def read(path):
    with open(path, errors="replace") as f:
        return f.read()


def code_of(text):
    """The text without // comments (enough to tell code from labels and CHECKs)."""
    return "\n".join(line.split("//")[0] for line in text.split("\n"))


class Task:
    """One untangle run and its ground truth.

    race: set of (realpath, line) that must be reported. norace: set that must not be,
    or None when every other reported line is a false one. program: True/False for a
    per-program suite (racy or race-free), else None."""

    def __init__(self, suite, path, flags, tool=(), race=(), norace=(), program=None):
        self.suite, self.path = suite, os.path.realpath(path)
        self.flags, self.tool = list(flags), list(tool)
        self.race = {(self.path, n) for n in race}
        self.norace = None if norace is None else {(self.path, n) for n in norace}
        self.program, self.reported, self.error = program, set(), None

    def command(self, untangle):
        return ([untangle] + CHECKS + self.tool + [self.path, "--"] + std(self.path) +
                ["-pthread", "-I", os.path.dirname(self.path)] + self.flags)


# ---------------------------------------------------------------- goblint
GOBLINT_LABEL = re.compile(r"(?://|/\*).*?\b(NO)?RACE(!?)")


def goblint_labels(text):
    """(racy lines, race-free lines) of a Goblint regression test."""
    lines = text.split("\n")
    drop_norace = bool(re.search(r"--disable\s+ana\.race\.(free|volatile)\b", lines[0]))
    race, norace = set(), set()
    for n, line in enumerate(lines, 1):
        if line.strip().startswith(("//", "/*")):
            continue  # a comment-only line (e.g. commented-out code) is no code
        m = GOBLINT_LABEL.search(line)
        if not m:
            continue
        if m.group(1):
            if not drop_norace:
                norace.add(n)
        elif m.group(2):
            race.add(n)
    return race, norace


def goblint_tasks(root):
    base = os.path.join(root, "goblint")
    inc = ["-I", os.path.join(base, "lib", "goblint", "runtime", "include")]
    tasks = []
    for path in sorted(glob.glob(os.path.join(base, "tests", "regression", "**", "*.c"),
                            recursive=True)):
        text = read(path)
        if "pthread_create" not in code_of(text):
            continue
        race, norace = goblint_labels(text)
        if race or norace:
            tasks.append(Task("goblint", path, inc, race=race, norace=norace))
    return tasks


# ---------------------------------------------------------------- tsan
TSAN_API = re.compile(r"Annotate|__tsan_(?:java|mutex|atomic|unaligned|read|write|acquire|"
                      r"release|ignore|default_options)|__sanitizer_unaligned|\bdlopen\b|"
                      r"\bfork\s*\(|pthread_atfork")
TSAN_RUN_SKIP = re.compile(r"blacklist|suppressions=|\s-D\w")


def tsan_verdict(text):
    """True (racy), False (race-free) or None (not scored) for a test/tsan program."""
    code = code_of(text)
    if not re.search(r"pthread_create|std::thread", code) or TSAN_API.search(code):
        return None
    runs = " ".join(line for line in text.split("\n") if "RUN:" in line)
    if TSAN_RUN_SKIP.search(runs):
        return None
    race = re.search(r"\bCHECK(?:-NEXT|-DAG|-SAME)?:.*data race", text)
    race_not = re.search(r"\bCHECK-NOT:.*data race", text)
    if race and not race_not:
        return True
    if not race and not re.search(r"%deflake|not %run", runs):
        return False
    return None


def tsan_tasks(root, lang):
    base = os.path.join(root, "compiler-rt")
    tsan = os.path.join(base, "test", "tsan")
    inc = ["-I", os.path.join(base, "include"), "-I", os.path.join(base, "test")]
    if os.path.isdir("/usr/include/tirpc"):  # sunrpc.cpp: glibc no longer has <rpc/*.h>
        inc += ["-I", "/usr/include/tirpc"]
    ext = ".c" if lang == "c" else ".cpp"
    tasks = []
    for sub in ("", "Linux", "libcxx"):
        for path in sorted(glob.glob(os.path.join(tsan, sub, "*" + ext))):
            verdict = tsan_verdict(read(path))
            if verdict is not None:
                tasks.append(Task("tsan-" + lang, path, inc, program=verdict))
    return tasks


# ---------------------------------------------------------------- juliet
def juliet_racy(lines):
    """The `x = x + 1` lines of helperBad's body."""
    racy, inside, depth = set(), False, 0
    for n, line in enumerate(lines, 1):
        if re.match(r"\s*static void helperBad\s*\(", line):
            inside, depth = True, 0
        if inside:
            depth += line.count("{") - line.count("}")
            if re.match(r"\s*(\*?\w+)\s*=\s*\1\s*\+\s*1\s*;", line):
                racy.add(n)
            if depth == 0 and "}" in line:
                inside = False
    return racy


def juliet_tasks(root):
    base = os.path.join(root, "juliet")
    support = os.path.join(base, "testcasesupport")
    sup = ["-I", support]
    wrappers = ("--config={CheckOptions: {"
                "untangle-data-race.ParallelSpawnFunctions: '^stdThreadCreate$', "
                "untangle-data-race.JoinFunctions: '^stdThreadJoin$', "
                "untangle-data-race.AcquireFunctions: '^stdThreadLockAcquire$', "
                "untangle-data-race.ReleaseFunctions: '^stdThreadLockRelease$'}}")
    modes = [("juliet (file alone)", sup, []),
             ("juliet (std_thread.c included)",
              sup + ["-include", os.path.join(support, "std_thread.c")], []),
             ("juliet (wrappers configured)", sup, [wrappers])]
    tasks = []
    for path in sorted(glob.glob(os.path.join(base, "testcases", "CWE366_*", "*.c"))):
        racy = juliet_racy(read(path).split("\n"))
        for name, flags, tool in modes:
            tasks.append(Task(name, path, flags, tool, race=racy, norace=None))
    return tasks


# ---------------------------------------------------------------- itc
def itc_tasks(root):
    base = os.path.join(root, "itc")
    inc = ["-I", os.path.join(base, "include")]
    bad = os.path.join(base, "01.w_Defects", "race_condition.c")
    good = os.path.join(base, "02.wo_Defects", "race_condition.c")
    racy = {n for n, line in enumerate(read(bad).split("\n"), 1)
            if "Tool should detect this line as error" in line}
    return [Task("itc", bad, inc, race=racy, norace=set()),
            Task("itc", good, inc, race=(), norace=None)]


SUITES = {"goblint": goblint_tasks,
          "tsan-c": lambda root: tsan_tasks(root, "c"),
          "tsan-cpp": lambda root: tsan_tasks(root, "cpp"),
          "juliet": juliet_tasks, "itc": itc_tasks}


# ---------------------------------------------------------------- running and scoring
def run(task, untangle):
    try:
        proc = subprocess.run(task.command(untangle), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace",
                              timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        task.error = "timeout"
        return task
    out = proc.stdout
    if proc.returncode < 0 or "Stack dump" in out or "PLEASE submit a bug report" in out:
        task.error = "crash (%d)" % proc.returncode
    elif "no input could be analyzed" in out:
        task.error = "not parsed: " + next((line for line in out.split("\n")
                                            if " error: " in line), "?")
    for m in REPORT.finditer(out):
        path = m.group(1)
        if os.path.exists(path):
            task.reported.add((os.path.realpath(path), int(m.group(2))))
    return task


def score(task):
    """Fills task.tp/fp/fn (lists of (path, line), or of the program's path)."""
    rep = task.reported
    if task.program is not None:
        hit = [task.path] if rep else []
        task.tp, task.fn = (hit, [task.path][len(hit):]) if task.program else ([], [])
        task.fp = [] if task.program else hit
    else:
        task.tp = sorted(task.race & rep)
        task.fn = sorted(task.race - rep)
        task.fp = sorted(rep - task.race if task.norace is None else rep & task.norace)


def pct(num, den):
    return "%.1f%%" % (100.0 * num / den) if den else "-"


def where(item, task):
    if isinstance(item, str):
        return os.path.basename(item)
    path, line = item
    return str(line) if path == task.path else "%s:%d" % (os.path.basename(path), line)


def totals(tasks):
    """TP, FP, FN of a suite. Per program, or per distinct line: a line of a file shared
    by the runs (std_thread.c included in every Juliet file) counts once."""
    if tasks and tasks[0].program is not None:
        return tuple(sum(len(getattr(t, k)) for t in tasks) for k in ("tp", "fp", "fn"))
    tp, fp, fn = (set().union(*(getattr(t, k) for t in tasks)) for k in ("tp", "fp", "fn"))
    return len(tp), len(fp), len(fn - tp)


def report(name, tasks, verbose, root):
    tp, fp, fn = totals(tasks)
    errors = [t for t in tasks if t.error]
    extra = ""
    if tasks and tasks[0].program is not None:
        racy = sum(1 for t in tasks if t.program)
        extra = " TN %d (%d racy, %d race-free programs)" % (
            len(tasks) - racy - fp, racy, len(tasks) - racy)
    else:
        extra = " (%d files, %d racy lines, %d race-free labels)" % (
            len(tasks), sum(len(t.race) for t in tasks),
            sum(len(t.norace) for t in tasks if t.norace is not None))
    print("%s: TP %d FP %d FN %d precision %s recall %s%s, errors %d" % (
        name, tp, fp, fn, pct(tp, tp + fp), pct(tp, tp + fn), extra, len(errors)))
    for t in errors:
        print("  error %s: %s" % (os.path.relpath(t.path, root), t.error))
    if verbose:
        for t in tasks:
            for kind in ("fp", "fn"):
                items = getattr(t, kind)
                if items:
                    print("  %s %s: %s" % (kind.upper(), os.path.relpath(t.path, root),
                                           " ".join(where(i, t) for i in items)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--untangle", help="the untangle binary (without it: label counts only)")
    ap.add_argument("--suite", default="all", choices=["all"] + list(SUITES))
    ap.add_argument("--root", default="/work/scratch/public")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1)
    ap.add_argument("-v", action="store_true", help="list FP and FN per file")
    ap.add_argument("--dump", help="write per-file results as JSON")
    args = ap.parse_args()

    names = list(SUITES) if args.suite == "all" else [args.suite]
    tasks = [t for name in names for t in SUITES[name](args.root)]
    if not args.untangle:
        for t in tasks:
            score(t)
        groups = {}
        for t in tasks:
            groups.setdefault(t.suite, []).append(t)
        for name, group in groups.items():
            print("%s: %d files, %d racy lines, %d race-free labels, %d racy/%d race-free "
                  "programs" % (name, len(group), sum(len(t.race) for t in group),
                                sum(len(t.norace or ()) for t in group),
                                sum(1 for t in group if t.program is True),
                                sum(1 for t in group if t.program is False)))
        return 0
    untangle = os.path.abspath(args.untangle)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        done = list(pool.map(lambda t: run(t, untangle), tasks))
    groups = {}
    for t in done:
        score(t)
        groups.setdefault(t.suite, []).append(t)
    for name, group in groups.items():
        report(name, group, args.v, args.root)
    if args.dump:
        with open(args.dump, "w") as f:
            json.dump([{"suite": t.suite, "file": t.path, "error": t.error,
                        "program": t.program,
                        "reported": sorted([p, n] for p, n in t.reported),
                        "tp": t.tp, "fp": t.fp, "fn": t.fn} for t in done], f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
