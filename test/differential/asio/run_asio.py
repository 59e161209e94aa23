#!/usr/bin/env python3
"""Differential test of the rewrite to Asio's coroutines and to the runtime's (issue 13).

Each program in cases/ is an Asio or Beast client/server pair talking over 127.0.0.1 in
one process. Its leading comment lines say what each RewriteTarget must do:

  // differential <target>: rewrite
  // differential <target>: note (<reason>) <text the note contains>

(reason `asio-refused`: RewriteTarget auto took the runtime's form, the note says why not
Asio's).

Per case:

  1. the original is built once with g++ and once with clang++-22 and run; both outputs
     must agree (the targets share these builds);
  2. for each target named, a copy gets `untangle --fix` with that RewriteTarget (MaxDepth
     1 and MaxChainLength 0, so every nested and flat chain is a finding);
  3. the `no coroutine rewrite offered` notes must be exactly the declared ones (one
     declared line per note: reason and text);
  4. a target with a `rewrite` line: the copy must have changed, build with both compilers
     and print byte for byte what the original printed; a target with notes only (every
     chain refused): the copy must be byte-identical;
  5. a second `untangle --fix` must change nothing.

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
from differential_common import build_and_run, diff, run, write_untangle_config  # noqa: E402
FLAGS = ["-std=c++20", "-I", os.path.join(ROOT, "runtime", "include")]
# A refusal names its reason; RewriteTarget auto taking the runtime's form because Asio's
# was refused is declared as reason `asio-refused`.
NOTE = re.compile(r"note: (?:no coroutine rewrite offered \(([a-z-]+)\)|the rewrite targets "
                  r"the untangle runtime, not Asio's coroutines \(RewriteTarget auto\)): (.*)")
EXPECTATION = re.compile(r"// differential (auto|asio|untangle): (?:(rewrite)|note \(([a-z-]+)\) (.+))$")


def expectations(path):
    """{target: (rewrite?, [(reason, note text)...])} from the case's leading
    `// differential <target>: ...` lines, in the order the targets first appear."""
    targets = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("// differential"):
                break
            m = EXPECTATION.match(line.rstrip("\n"))
            if not m:
                raise SystemExit(f"{path}: '{line.strip()}' is neither '// differential <target>: "
                                 "rewrite' nor '// differential <target>: note (<reason>) <text>'")
            rewrite, notes = targets.get(m.group(1), (False, []))
            if m.group(2):
                rewrite = True
            else:
                notes = notes + [(m.group(3), m.group(4))]
            targets[m.group(1)] = (rewrite, notes)
    if not targets:
        raise SystemExit(f"{path}: no '// differential <target>: ...' line at the top")
    return targets


def unmatched_notes(declared, log):
    """The notes of `log` that no declared (reason, text) accounts for, and the declared
    ones no note matched: each declared line stands for exactly one note."""
    left = list(declared)
    extra = []
    for m in NOTE.finditer(log):
        reason = m.group(1) or "asio-refused"
        hit = next((d for d in left if d[0] == reason and d[1] in m.group(2)), None)
        if hit:
            left.remove(hit)
        else:
            extra.append(f"({reason}) {m.group(2)}")
    return extra, [f"({r}) {t}" for r, t in left]


def untangle_fix(untangle, directory, source, target):
    write_untangle_config(directory, {"MaxDepth": 1, "MaxChainLength": 0,
                                      "RewriteTarget": target})
    return run([untangle, "--fix", source, "--", *FLAGS], timeout=300)


def check_case(args, case, work):
    name = os.path.splitext(os.path.basename(case))[0]
    targets = expectations(case)
    with open(case, encoding="utf-8") as f:
        before = f.read()
    expected = None
    for compiler in (args.gxx, args.clangxx):
        out, error = build_and_run(compiler, FLAGS, case,
                                   os.path.join(work, f"{name}.orig.{os.path.basename(compiler)}"))
        if error:
            return "FAIL", f"the original: {error}"
        if expected is not None and out != expected:
            return "FAIL", "the original prints differently with g++ and clang++:\n" + diff(
                expected, out, "g++", "clang++")
        expected = out
    details = []
    for target, (rewrite, notes) in targets.items():
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
        extra, missing = unmatched_notes(notes, log)
        if extra or missing:
            return "FAIL", (f"[{target}] notes not as declared; unexpected: {extra}; "
                            f"missing: {missing}:\n{log[-3000:]}")
        refused = f"{len(notes)} noted ({', '.join(sorted({r for r, _ in notes}))})" if notes else ""
        if not rewrite:
            if after != before:
                return "FAIL", f"[{target}] a refused program was changed:\n" + diff(before, after)
            details.append(f"{target}: {refused}, byte-identical")
            continue
        if after == before:
            return "FAIL", f"[{target}] expected a rewrite, the file is unchanged:\n{log[-3000:]}"
        for compiler in (args.gxx, args.clangxx):
            out, error = build_and_run(
                compiler, FLAGS, copy, os.path.join(directory, os.path.basename(compiler)))
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
        details.append(f"{target}: rewritten{', ' + refused if refused else ''}, same output "
                       "with g++ and clang++, idempotent")
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
