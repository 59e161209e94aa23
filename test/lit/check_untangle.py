#!/usr/bin/env python3
"""Runs one check on a test file and verifies it with FileCheck.

The convention of LLVM's check_clang_tidy.py (which Debian's clang-tidy does not ship):

  %check_untangle [--frontend=untangle|plugin] [-check-suffix=S] <file> <check> <temp>
                  [-- <tool args> [-- <compiler args>]]

Expected findings are `// CHECK-MESSAGES[-S]: :[[@LINE-1]]:3: warning: ...` lines in
<file>, matched against the tool's output with no other warning or error allowed;
expected code after --fix is `// CHECK-FIXES[-S]: ...`. A file without CHECK-MESSAGES
must produce no finding at all. The check lines are blanked in the copy that is
analyzed, so line numbers stay the same.

--frontend=plugin runs the same test through `clang-tidy -load libuntangle-tidy.so`.
"""
import argparse
import os
import re
import subprocess
import sys


def run(cmd, **kwargs):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kwargs)


def filecheck(check_file, prefix, input_text, extra=()):
    proc = subprocess.run(["FileCheck", "-input-file=-", check_file,
                           f"-check-prefix={prefix}", *extra],
                          input=input_text, text=True)
    if proc.returncode != 0:
        sys.exit(f"FileCheck failed for {prefix}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--untangle", required=True)
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--frontend", choices=["untangle", "plugin"], default="untangle")
    parser.add_argument("-check-suffix", default="")
    parser.add_argument("input")
    parser.add_argument("check")
    parser.add_argument("temp")
    argv = sys.argv[1:]
    rest = []
    if "--" in argv:
        split = argv.index("--")
        argv, rest = argv[:split], argv[split + 1:]
    args = parser.parse_args(argv)

    tool_args, compiler_args = [], ["-std=c++20"]
    if "--" in rest:
        split = rest.index("--")
        tool_args, compiler_args = rest[:split], rest[split + 1:]
        if not any(a.startswith("-std=") for a in compiler_args):
            compiler_args.insert(0, "-std=c++20")
    else:
        tool_args = rest

    suffix = f"-{args.check_suffix}" if args.check_suffix else ""
    messages_prefix, fixes_prefix = "CHECK-MESSAGES" + suffix, "CHECK-FIXES" + suffix
    with open(args.input, encoding="utf-8") as f:
        source = f.read()
    has_messages = re.search(rf"\b{re.escape(messages_prefix)}:", source) is not None
    has_fixes = re.search(rf"\b{re.escape(fixes_prefix)}:", source) is not None

    temp = args.temp + os.path.splitext(args.input)[1]
    os.makedirs(os.path.dirname(os.path.abspath(temp)), exist_ok=True)
    with open(temp, "w", encoding="utf-8") as f:
        f.write(re.sub(r"// *CHECK-[A-Z0-9\-]*:[^\r\n]*", "//", source))

    common = [temp, f"--checks=-*,{args.check}", *(["--fix"] if has_fixes else []),
              *tool_args, "--", *compiler_args]
    if args.frontend == "plugin":
        cmd = [args.clang_tidy, f"-load={args.plugin}", *common]
    else:
        cmd = [args.untangle, *common]
    print("Running:", " ".join(cmd))
    proc = run(cmd)
    print(proc.stdout)
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed with exit code {proc.returncode}")

    if has_messages:
        filecheck(args.input, messages_prefix, proc.stdout,
                  ["-implicit-check-not={{warning|error}}:"])
    elif re.search(r"(warning|error):", proc.stdout):
        sys.exit("expected no finding, got some (see above)")
    if has_fixes:
        with open(temp, encoding="utf-8") as f:
            filecheck(args.input, fixes_prefix, f.read(), ["-strict-whitespace"])


if __name__ == "__main__":
    main()
