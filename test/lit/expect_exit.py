#!/usr/bin/env python3
"""expect_exit.py CODE COMMAND...: runs COMMAND, passes its output through, and
succeeds only if it exited with CODE (lit's shell has no `$?`)."""
import subprocess
import sys

expected = int(sys.argv[1])
code = subprocess.call(sys.argv[2:])
if code != expected:
    sys.exit(f"expect_exit: expected exit code {expected}, got {code}: {sys.argv[2:]}")
