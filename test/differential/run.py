#!/usr/bin/env python3
"""Differential test of untangle's rewrite (issue 5).

For each program in cases/ and each RewriteStyle: compile the original with g++ and run
it; copy it to a temporary directory; run `untangle --fix` there with MaxDepth 1 (so
depth-2 chains are rewritten too) and the style; then

  * `// differential: rewrite` cases: the file must have changed, compile with g++ AND
    clang++-22, and print byte-identical output with both. With RewriteStyle=promise a
    chain may instead be refused, with a note that says why (promise continuations run
    as microtasks, one loop hop later; where that could reorder events the promise
    rewrite is not offered) -- then the file must be byte-identical.
  * `// differential: refuse (<reason>)` cases: the file must be byte-identical, and the
    tool must name the reason in a note.
  * every case: a second `untangle --fix` must change nothing.

  run.py --untangle build/tool/untangle [--style coroutine|promise|both] [--case NAME]...

Prints one line per case and style, and a final summary line; exits 1 on any failure.

ctest splits the work (test/differential/CMakeLists.txt): the build precompiles
fake_io.hpp (with the runtime it includes) once per compiler (`--precompile`), a fixture
test per case builds and runs the original once (`--original`, its output kept in
`--expected-dir`), and one test per case and style does the rest with `--pch-dir` and
`--expected-dir`. Every program is compiled with the precompiled header preloaded,
original and rewrite alike; it holds only what every case includes first anyway, so the
rewrite is still checked for what it adds (the `#include <untangle/runtime.hpp>` is already
there through fake_io.hpp, with or without it).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from differential_common import build_and_run as build_and_run_with, diff, run, \
    write_untangle_config

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FLAGS = ["-std=c++20", "-I", os.path.join(ROOT, "runtime", "include"), "-I", HERE]

# The reason a refuse case names -> the reason name in the tool's note.
REASONS = {
    "fan-out": "fan-out",
    "not in tail position": "not-tail-position",
    "multi-shot": "multi-shot",
    "co_await in a catch handler": "inside-catch",
    "goto": "goto",
    "macro": "macro",
    "the api uses the callback's result": "callback-result-used",
}

NOTE = re.compile(r"note: no (coroutine|promise) rewrite offered \(([a-z-]+)\): (.*)")


def expectation(path):
    with open(path, encoding="utf-8") as f:
        first = f.readline()
    m = re.match(r"// differential: (rewrite|refuse)(?: \(([^)]*)\))?", first)
    if not m:
        raise SystemExit(f"{path}: first line must be '// differential: rewrite|refuse (...)'")
    return m.group(1), (m.group(2) or "").strip().lower()


PCH_HEADER = "differential_pch.hpp"


def pch_kind(compiler):
    """GCC finds `<header>.gch` beside the header it includes; clang takes `-include-pch`."""
    return "pch" if "clang" in os.path.basename(compiler) else "gch"


def precompile(compiler, directory):
    """Writes <directory>/differential_pch.hpp and precompiles it for `compiler`, with the
    flags every program of the suite is compiled with, and a depfile for the build."""
    os.makedirs(directory, exist_ok=True)
    header = os.path.join(directory, PCH_HEADER)
    with open(header, "w", encoding="utf-8") as f:
        f.write('#include "fake_io.hpp"\n')
    output = f"{header}.{pch_kind(compiler)}"
    c = run([compiler, *FLAGS, "-pthread", "-x", "c++-header", header, "-o", output,
             "-MD", "-MT", output, "-MF", os.path.join(directory, "differential_pch.d")],
            timeout=300)
    sys.stderr.write(c.stderr)
    return c.returncode


def pch_flags(args, compiler):
    if not args.pch_dir:
        return []
    directory = os.path.join(args.pch_dir, pch_kind(compiler))
    if pch_kind(compiler) == "pch":
        return ["-include-pch", os.path.join(directory, PCH_HEADER + ".pch")]
    # -Winvalid-pch: a header that cannot be used is said, not silently parsed again.
    return ["-Winvalid-pch", "-I", directory, "-include", PCH_HEADER]


def build_and_run(args, compiler, source, exe):
    return build_and_run_with(compiler, [*pch_flags(args, compiler), *FLAGS], source, exe)


def write_config(directory, style):
    write_untangle_config(directory, {"MaxDepth": 1, "RewriteStyle": style})


def untangle_fix(untangle, source):
    return run([untangle, "--fix", source, "--", *FLAGS], timeout=300)


def expected_path(args, case):
    name = os.path.splitext(os.path.basename(case))[0]
    return os.path.join(args.expected_dir, name + ".out")


def build_original(args, case, work):
    """The original's output, built with g++ (the reference every rewrite must print)."""
    name = os.path.splitext(os.path.basename(case))[0]
    return build_and_run(args, args.gxx, case, os.path.join(work, name + ".orig"))


def record_original(args, case, work):
    """--original: builds and runs the original once and keeps its output for the style
    tests (written whole or not at all; a stale file from an earlier run is removed first,
    so a failed build never leaves an old answer behind)."""
    path = expected_path(args, case)
    os.makedirs(args.expected_dir, exist_ok=True)
    if os.path.exists(path):
        os.remove(path)
    out, error = build_original(args, case, work)
    if error:
        return "FAIL", f"the original does not build or run: {error}"
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(out)
    os.replace(path + ".tmp", path)
    return "PASS", f"original built and run ({len(out.splitlines())} lines of output)"


def check_case(args, case, style, originals, work):
    name = os.path.splitext(os.path.basename(case))[0]
    kind, reason = expectation(case)
    if case not in originals:
        if args.expected_dir:
            try:
                with open(expected_path(args, case), encoding="utf-8") as f:
                    originals[case] = (f.read(), None)
            except OSError as e:
                originals[case] = (None, f"no recorded output ({e}); run --original first")
        else:
            originals[case] = build_original(args, case, work)
    expected, error = originals[case]
    if error:
        return "FAIL", f"the original does not build or run: {error}"

    directory = os.path.join(work, f"{name}.{style}")
    os.makedirs(directory)
    write_config(directory, style)
    copy = os.path.join(directory, os.path.basename(case))
    shutil.copyfile(case, copy)
    with open(case, encoding="utf-8") as f:
        before = f.read()

    fix = untangle_fix(args.untangle, copy)
    log = fix.stdout + fix.stderr
    if fix.returncode not in (0, 1):
        return "FAIL", f"untangle --fix exited with {fix.returncode}:\n{log[-3000:]}"
    with open(copy, encoding="utf-8") as f:
        after = f.read()
    notes = [(m.group(1), m.group(2), m.group(3)) for m in NOTE.finditer(log)]

    verdict, detail = "PASS", ""
    if kind == "refuse":
        if after != before:
            return "FAIL", "a refused program was changed:\n" + diff(before, after)
        want = REASONS.get(reason)
        if want and not any(r == want for _, r, _ in notes):
            return "FAIL", f"expected a note naming '{want}', got {notes or 'none'}:\n{log[-2000:]}"
        detail = f"refused ({', '.join(sorted({r for _, r, _ in notes}))})"
    else:
        if after == before:
            if style == "promise" and notes:
                detail = "promise style refused with a note: " + "; ".join(
                    f"({r}) {d}" for _, r, d in notes[:1])
                verdict = "PASS"
            else:
                return "FAIL", "expected a rewrite, the file is unchanged:\n" + log[-3000:]
        else:
            for compiler in (args.gxx, args.clangxx):
                out, error = build_and_run(args, compiler, copy,
                                           os.path.join(directory, os.path.basename(compiler)))
                if error:
                    return "FAIL", f"the rewritten program: {error}\n" + diff(before, after)
                if out != expected:
                    return "FAIL", (f"output differs with {os.path.basename(compiler)}:\n"
                                    + diff(expected, out, "original", "rewritten")
                                    + "\nrewrite:\n" + diff(before, after))
            detail = "rewritten, same output with g++ and clang++"

    # Idempotence: a second --fix changes nothing. An unchanged file is the same input
    # again, so only a rewritten one is run twice.
    if after == before:
        return verdict, detail
    second = untangle_fix(args.untangle, copy)
    with open(copy, encoding="utf-8") as f:
        again = f.read()
    if again != after:
        return "FAIL", "a second --fix changed the file:\n" + diff(after, again)
    if second.returncode not in (0, 1):
        return "FAIL", f"second untangle --fix exited with {second.returncode}"
    return verdict, detail


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--untangle")
    parser.add_argument("--style", choices=["coroutine", "promise", "both"], default="both")
    parser.add_argument("--case", action="append", default=[],
                        help="run only cases whose file name starts with this")
    parser.add_argument("--gxx", default="g++")
    parser.add_argument("--clangxx", default="clang++-22")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--pch-dir", help="compile with the headers --precompile wrote here "
                        "(gch/ for g++, pch/ for clang++)")
    parser.add_argument("--expected-dir", help="read each original's output from here "
                        "(written by --original) instead of building it")
    parser.add_argument("--original", action="store_true",
                        help="only build and run the selected originals and record their "
                        "output in --expected-dir")
    parser.add_argument("--precompile", metavar="DIR",
                        help="only precompile the suite's header for --compiler into DIR")
    parser.add_argument("--compiler", help="the compiler for --precompile")
    args = parser.parse_args()
    if args.precompile:
        if not args.compiler:
            parser.error("--precompile needs --compiler")
        return precompile(args.compiler, args.precompile)
    if args.original and not args.expected_dir:
        parser.error("--original needs --expected-dir")
    if not args.original and not args.untangle:
        parser.error("--untangle is required")

    cases = sorted(os.path.join(HERE, "cases", f) for f in os.listdir(os.path.join(HERE, "cases"))
                   if f.endswith(".cpp"))
    if args.case:
        cases = [c for c in cases if any(os.path.basename(c).startswith(p) for p in args.case)]
    if not cases:
        raise SystemExit("no case selected")
    styles = ["coroutine", "promise"] if args.style == "both" else [args.style]

    work = tempfile.mkdtemp(prefix="untangle-differential-")
    if args.original:
        try:
            failed = 0
            for case in cases:
                verdict, detail = record_original(args, case, work)
                failed += verdict == "FAIL"
                print(f"{verdict} [original] {os.path.basename(case)}: {detail}", flush=True)
            return 1 if failed else 0
        finally:
            shutil.rmtree(work, ignore_errors=True)
    originals = {}
    counts = {s: {"PASS": 0, "FAIL": 0, "rewritten": 0, "refused": 0} for s in styles}
    try:
        for style in styles:
            for case in cases:
                name = os.path.splitext(os.path.basename(case))[0]
                try:
                    verdict, detail = check_case(args, case, style, originals, work)
                except subprocess.TimeoutExpired as e:
                    verdict, detail = "FAIL", f"timed out: {e.cmd[0]}"
                counts[style][verdict] += 1
                if verdict == "PASS":
                    counts[style]["rewritten" if detail.startswith("rewritten") else "refused"] += 1
                first, _, rest = detail.partition("\n")
                print(f"{verdict} [{style}] {name}: {first}", flush=True)
                if rest:
                    print("    " + rest.replace("\n", "\n    "), flush=True)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    failed = sum(c["FAIL"] for c in counts.values())
    summary = "; ".join(
        f"{s}: {c['PASS']}/{c['PASS'] + c['FAIL']} passed ({c['rewritten']} rewritten, "
        f"{c['refused']} refused)" for s, c in counts.items())
    print(f"differential: {'FAILED' if failed else 'OK'} -- {summary}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
