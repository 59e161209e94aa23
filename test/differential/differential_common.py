"""What both differential runners share (run.py, the issue-5 suite; asio/run_asio.py, the
issue-13 Asio suite): running a command, building and running one program, writing the
`.untangle` configuration a `--fix` run reads, and showing a difference."""
import difflib
import os
import subprocess


def run(cmd, timeout=120, **kwargs):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, **kwargs)


def build_and_run(compiler, flags, source, exe):
    """Compiles `source` with `compiler` and `flags` into `exe` and runs it: (its output,
    None), or (None, why not) when it does not build, times out or exits non-zero."""
    c = run([compiler, *flags, "-pthread", "-o", exe, source], timeout=300)
    if c.returncode != 0:
        return None, f"{os.path.basename(compiler)} failed:\n{c.stderr[-3000:]}"
    try:
        r = run([exe], timeout=30)
    except subprocess.TimeoutExpired:
        return None, f"{exe} timed out"
    if r.returncode != 0:
        return None, f"{exe} exited with {r.returncode}:\n{r.stderr[-2000:]}"
    return r.stdout, None


def write_untangle_config(directory, options):
    """`.untangle` in `directory`: only untangle-callback-nesting, with `options`
    (option name -> value) as its CheckOptions."""
    with open(os.path.join(directory, ".untangle"), "w", encoding="utf-8") as f:
        f.write("Checks: '-*,untangle-callback-nesting'\nCheckOptions:\n")
        for name, value in options.items():
            f.write(f"  untangle-callback-nesting.{name}: {value}\n")


def diff(a, b, la="before", lb="after"):
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), la, lb))
