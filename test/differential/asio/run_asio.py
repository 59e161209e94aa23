#!/usr/bin/env python3
"""Differential test of the rewrite to Asio's coroutines (issue 13).

Each program in cases/ is an Asio or Beast client/server pair talking over 127.0.0.1 in
one process. Per case:

  1. the original is built with g++ and clang++-22 and run; both outputs must agree;
  2. for each target the first line names, a copy gets `untangle --fix` with that
     RewriteTarget (MaxDepth 1 and MaxChainLength 0, so every nested and flat chain is a
     finding);
  3. `// differential: rewrite (<targets>)`: the copy must have changed, build with both
     compilers and print byte for byte what the original printed; `// differential:
     refuse (<reason>)`: the copy must be byte-identical and a note must name the reason;
  4. a second `untangle --fix` must change nothing.

  run_asio.py --untangle build/tool/untangle [--case PREFIX]... [--keep]

One line per case and a summary; exit 1 on any failure. Programs are built once per
compiler and variant: a Boost.Beast compile takes seconds.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.dirname(HERE))
from run import diff  # noqa: E402  (the issue-5 suite's runner)
FLAGS = ["-std=c++20", "-I", os.path.join(ROOT, "runtime", "include")]
NOTE = re.compile(r"note: no coroutine rewrite offered \(([a-z-]+)\): (.*)")


def run(cmd, timeout=300):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout)


def expectation(path):
    with open(path, encoding="utf-8") as f:
        first = f.readline()
    m = re.match(r"// differential: (rewrite|refuse) \(([^)]*)\)", first)
    if not m:
        raise SystemExit(f"{path}: first line must be '// differential: rewrite (<targets>)' "
                         "or '// differential: refuse (<reason>)'")
    return m.group(1), m.group(2).split()


def build_and_run(compiler, source, exe):
    c = run([compiler, *FLAGS, "-pthread", "-o", exe, source])
    if c.returncode != 0:
        return None, f"{os.path.basename(compiler)} failed:\n{c.stderr[-3000:]}"
    try:
        r = run([exe], timeout=30)
    except subprocess.TimeoutExpired:
        return None, f"{exe} timed out"
    if r.returncode != 0:
        return None, f"{exe} exited with {r.returncode}:\n{r.stderr[-2000:]}"
    return r.stdout, None


def untangle_fix(untangle, directory, source, target):
    with open(os.path.join(directory, ".untangle"), "w", encoding="utf-8") as f:
        f.write("Checks: '-*,untangle-callback-nesting'\n"
                "CheckOptions:\n"
                "  untangle-callback-nesting.MaxDepth: 1\n"
                "  untangle-callback-nesting.MaxChainLength: 0\n"
                f"  untangle-callback-nesting.RewriteTarget: {target}\n")
    return run([untangle, "--fix", source, "--", *FLAGS])


def check_case(args, case, work):
    name = os.path.splitext(os.path.basename(case))[0]
    kind, words = expectation(case)
    with open(case, encoding="utf-8") as f:
        before = f.read()
    expected = None
    for compiler in (args.gxx, args.clangxx):
        out, error = build_and_run(compiler, case,
                                   os.path.join(work, f"{name}.orig.{os.path.basename(compiler)}"))
        if error:
            return "FAIL", f"the original: {error}"
        if expected is not None and out != expected:
            return "FAIL", "the original prints differently with g++ and clang++:\n" + diff(
                expected, out, "g++", "clang++")
        expected = out
    targets = words if kind == "rewrite" else ["auto"]
    details = []
    for target in targets:
        directory = os.path.join(work, f"{name}.{target}")
        os.makedirs(directory)
        copy = os.path.join(directory, os.path.basename(case))
        shutil.copyfile(case, copy)
        fix = untangle_fix(args.untangle, directory, copy, target)
        log = fix.stdout + fix.stderr
        if fix.returncode not in (0, 1):
            return "FAIL", f"[{target}] untangle --fix exited with {fix.returncode}:\n{log[-3000:]}"
        with open(copy, encoding="utf-8") as f:
            after = f.read()
        reasons = sorted({m.group(1) for m in NOTE.finditer(log)})
        if kind == "refuse":
            if after != before:
                return "FAIL", "a refused program was changed:\n" + diff(before, after)
            if words[0] not in reasons:
                return "FAIL", f"expected a note naming '{words[0]}', got {reasons}:\n{log[-2000:]}"
            details.append(f"refused ({', '.join(reasons)})")
            continue
        if after == before:
            return "FAIL", f"[{target}] expected a rewrite, the file is unchanged:\n{log[-3000:]}"
        if reasons:
            return "FAIL", f"[{target}] a chain was left with a note: {reasons}:\n{log[-2000:]}"
        for compiler in (args.gxx, args.clangxx):
            out, error = build_and_run(
                compiler, copy, os.path.join(directory, os.path.basename(compiler)))
            if error:
                return "FAIL", f"[{target}] the rewritten program: {error}\n" + diff(before, after)
            if out != expected:
                return "FAIL", (f"[{target}] output differs with {os.path.basename(compiler)}:\n"
                                + diff(expected, out, "original", "rewritten")
                                + "\nrewrite:\n" + diff(before, after))
        untangle_fix(args.untangle, directory, copy, target)
        with open(copy, encoding="utf-8") as f:
            again = f.read()
        if again != after:
            return "FAIL", f"[{target}] a second --fix changed the file:\n" + diff(after, again)
        details.append(f"{target}: rewritten, same output with g++ and clang++, idempotent")
    return "PASS", "; ".join(details)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--untangle", required=True)
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--gxx", default="g++-12")
    parser.add_argument("--clangxx", default="clang++-22")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    cases = sorted(os.path.join(HERE, "cases", f) for f in os.listdir(os.path.join(HERE, "cases"))
                   if f.endswith(".cpp"))
    if args.case:
        cases = [c for c in cases if any(os.path.basename(c).startswith(p) for p in args.case)]
    if not cases:
        raise SystemExit("no case selected")
    work = tempfile.mkdtemp(prefix="untangle-asio-differential-")
    failed = 0
    try:
        for case in cases:
            try:
                verdict, detail = check_case(args, case, work)
            except subprocess.TimeoutExpired as e:
                verdict, detail = "FAIL", f"timed out: {e.cmd[0]}"
            failed += verdict == "FAIL"
            first, _, rest = detail.partition("\n")
            print(f"{verdict} {os.path.basename(case)}: {first}", flush=True)
            if rest:
                print("    " + rest.replace("\n", "\n    "), flush=True)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"asio differential: {'FAILED' if failed else 'OK'} -- "
          f"{len(cases) - failed}/{len(cases)} passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
