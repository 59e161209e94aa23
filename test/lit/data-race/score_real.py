#!/usr/bin/env python3
"""Findings of untangle-data-race on 8 real open-source thread pools and queues.

None of their code is in this project: fetch each repository into ROOT/<name>
(ROOT defaults to /work/scratch/real), e.g. for a mirror of Pithikos/C-Thread-Pool:
  mkdir -p ROOT/C-Thread-Pool
  git --git-dir=MIRROR archive HEAD | tar -x -C ROOT/C-Thread-Pool
This script only reads them there.

  ROOT/<name>          repository                      analyzed files; flags after `--`
  C-Thread-Pool        Pithikos/C-Thread-Pool          thpool.c, example.c, tests/**/*.c;
                                                       -std=gnu11 -pthread -I<p>
  threadpool           mbrossard/threadpool            src/threadpool.c, test(s)/*.c;
                                                       -std=gnu11 -pthread -D_REENTRANT -I<p>/src
  ThreadPool           progschj/ThreadPool             example.cpp; -std=c++17 -pthread -I<p>
  thread-pool          bshoshany/thread-pool           tests/*.cpp (or BS_thread_pool_test.cpp);
                                                       -std=c++17 -pthread -I<p>/include (or -I<p>)
  MPMCQueue            rigtorp/MPMCQueue               src/*.cpp; -std=c++17 -pthread -I<p>/include
  SPSCQueue            rigtorp/SPSCQueue               src/*.cpp; -std=c++17 -pthread -I<p>/include
  CTPL                 vit-vit/CTPL                    example.cpp; -std=c++17 -pthread -I<p>
  readerwriterqueue    cameron314/readerwriterqueue    tests/unittests/*.cpp, tests/stabtest/*.cpp,
                                                       benchmarks/*.cpp; -std=c++17 -pthread -I<p>
                                                       -I<p>/tests/common -I<folder of the file>
(<p> is ROOT/<name>.)

Each file is analyzed alone:
  untangle --checks=-*,untangle-data-race --header-filter=.* --no-cache FILE -- FLAGS
Printed per project: lines analyzed (wc -l of the analyzed files plus the project's
own headers they include, found by following `#include` lines through the file's
folder and the -I folders, each file counted once per project), the number of
findings (output lines `...: warning: ... [untangle-data-race]`, one per distinct
file:line:col and message) and each finding. A file untangle cannot parse (`clang
could not parse it`), that crashes or times out is reported and not counted.

Options: --untangle PATH, --root DIR, --project NAME (only that one), --timeout S.
Standard library only.
"""

import argparse
import glob
import os
import re
import subprocess
import sys

C_FLAGS = ["-std=gnu11", "-pthread"]
CXX_FLAGS = ["-std=c++17", "-pthread"]


def first_existing(*candidates):
    for c in candidates:
        if os.path.exists(c):
            return c
    return candidates[0]


def files(p, *patterns):
    out = []
    for pat in patterns:
        out += sorted(glob.glob(os.path.join(p, pat), recursive=True))
    return out


def c_thread_pool(p):
    return (files(p, "thpool.c", "example.c", "tests/**/*.c"),
            C_FLAGS + ["-I" + p])


def mbrossard(p):
    return (files(p, "src/threadpool.c", "test/*.c", "tests/*.c"),
            C_FLAGS + ["-D_REENTRANT", "-I" + os.path.join(p, "src")])


def progschj(p):
    return files(p, "example.cpp"), CXX_FLAGS + ["-I" + p]


def bshoshany(p):
    srcs = files(p, "tests/*.cpp") or files(p, "BS_thread_pool_test.cpp")
    inc = first_existing(os.path.join(p, "include"), p)
    return srcs, CXX_FLAGS + ["-I" + inc]


def rigtorp(p):
    return files(p, "src/*.cpp"), CXX_FLAGS + ["-I" + os.path.join(p, "include")]


def ctpl(p):
    return files(p, "example.cpp"), CXX_FLAGS + ["-I" + p]


def readerwriterqueue(p):
    return (files(p, "tests/unittests/*.cpp", "tests/stabtest/*.cpp", "benchmarks/*.cpp"),
            CXX_FLAGS + ["-I" + p, "-I" + os.path.join(p, "tests", "common")])


PROJECTS = [
    ("C-Thread-Pool", c_thread_pool),
    ("threadpool", mbrossard),
    ("ThreadPool", progschj),
    ("thread-pool", bshoshany),
    ("MPMCQueue", rigtorp),
    ("SPSCQueue", rigtorp),
    ("CTPL", ctpl),
    ("readerwriterqueue", readerwriterqueue),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
WARNING = re.compile(r"^(.*?):(\d+):(\d+): warning: (.*) \[untangle-data-race\]\s*$")


def line_count(path):
    with open(path, "rb") as f:
        return f.read().count(b"\n")


def own_files(src, include_dirs, root, seen):
    """Add src and the project headers it includes (transitively) to seen."""
    stack = [os.path.realpath(src)]
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen.add(path)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for name in INCLUDE.findall(text):
            for d in [os.path.dirname(path)] + include_dirs:
                cand = os.path.realpath(os.path.join(d, name))
                if os.path.isfile(cand):
                    if cand.startswith(root + os.sep):
                        stack.append(cand)
                    break


def run_project(name, make, args):
    p = os.path.realpath(os.path.join(args.root, name))
    if not os.path.isdir(p):
        print(f"== {name}: {p} missing (fetch it first)\n")
        return None
    srcs, flags = make(p)
    analyzed, failed, findings = [], [], []
    for src in srcs:
        file_flags = list(flags)
        if name == "readerwriterqueue":
            file_flags.append("-I" + os.path.dirname(src))
        cmd = [args.untangle, "--checks=-*,untangle-data-race", "--header-filter=.*",
               "--no-cache", src, "--"] + file_flags
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=args.timeout)
            out = r.stdout.decode("utf-8", errors="replace")
            code = r.returncode
        except subprocess.TimeoutExpired:
            failed.append((src, f"timeout after {args.timeout} s"))
            continue
        if "clang could not parse it" in out:
            failed.append((src, "clang could not parse it"))
            continue
        if code < 0:
            failed.append((src, f"killed by signal {-code}"))
            continue
        analyzed.append((src, file_flags))
        for line in out.splitlines():
            m = WARNING.match(line)
            if m:
                where = os.path.relpath(os.path.realpath(m.group(1)), p)
                key = (where, int(m.group(2)), int(m.group(3)), m.group(4))
                if key not in findings:
                    findings.append(key)
    seen = set()
    for src, file_flags in analyzed:
        dirs = [f[2:] for f in file_flags if f.startswith("-I")]
        own_files(src, dirs, p, seen)
    lines = sum(line_count(f) for f in seen)
    print(f"== {name}: {lines} lines in {len(seen)} files, {len(findings)} findings")
    print("   flags: " + " ".join(flags))
    for src, _ in analyzed:
        print("   analyzed: " + os.path.relpath(src, p))
    for f in sorted(seen):
        if f not in {os.path.realpath(s) for s, _ in analyzed}:
            print("   header:   " + os.path.relpath(f, p))
    for src, why in failed:
        print(f"   NOT COUNTED: {os.path.relpath(src, p)}: {why}")
    for where, line, col, msg in findings:
        print(f"   {where}:{line}:{col}: {msg}")
    print()
    return lines, len(findings)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--untangle", default="untangle")
    ap.add_argument("--root", default="/work/scratch/real")
    ap.add_argument("--project")
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()
    chosen = [(n, m) for n, m in PROJECTS if args.project in (None, n)]
    if not chosen:
        sys.exit("unknown project; one of: " + ", ".join(n for n, _ in PROJECTS))
    total_lines = total_findings = 0
    for name, make in chosen:
        res = run_project(name, make, args)
        if res:
            total_lines += res[0]
            total_findings += res[1]
    print(f"total: {total_lines} lines, {total_findings} findings")


if __name__ == "__main__":
    main()
