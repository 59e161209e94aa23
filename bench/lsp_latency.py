#!/usr/bin/env python3
"""Editor latencies of `untangle lsp` (bench/README.md, "Editor latencies").

For each file, in a fresh server per run (the scripted client of test/lit/tool):
- cold analysis: didOpen to the first publishDiagnostics of a server run with
  --preamble=false (a new worker process, everything parsed, as `untangle` does);
- cold open: the same with the default server, which also builds the document's
  precompiled preamble (tool/lsp/PreambleAnalysis.h);
- warm edit: a line appended at the end (below the includes), didChange to its
  diagnostics (the preamble reused), once the open's analysis is whole (its first
  publication comes before the library's template instantiations are done);
- request during analysis: a code action request sent while the next edit is being
  analyzed, to its reply.
The server runs with --debounce=0, so the edit figures are the analysis alone (an editor
adds the 200 ms default on top). Prints a Markdown table of medians.

Usage: bench/lsp_latency.py <build dir> [runs] [files...]
(default: bench/lsp_beast.cpp and examples/*.cpp, 5 runs)
"""
import glob
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "test", "lit", "tool"))
from lsp_client import Server  # noqa: E402


def open_timed(untangle, workdir, name, text, *flags):
    """A fresh server with the document opened: (server, uri, seconds to its diagnostics)."""
    server = Server([untangle, "lsp", "--debounce=0", *flags], workdir)
    server.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                  "capabilities": {}})
    server.notify("initialized", {})
    uri = "file://" + os.path.join(workdir, name)
    start = time.monotonic()
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": 1, "text": text}})
    server.diagnostics(uri, 1)
    return server, uri, time.monotonic() - start


def shut_down(server):
    server.request("shutdown", None)
    server.notify("exit", None)
    server.proc.wait(timeout=60)


def cold_analysis(untangle, workdir, name, text):
    server, _, cold = open_timed(untangle, workdir, name, text, "--preamble=false")
    shut_down(server)
    return cold


def one_run(untangle, workdir, name, text):
    server, uri, cold = open_timed(untangle, workdir, name, text)
    # The first publication comes before the library's instantiations are done (an
    # early reply, tool/lsp/PreambleAnalysis.h); a pull request is answered once the
    # analysis is whole, so that the edit below meets an idle server.
    server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})

    start = time.monotonic()
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": text + "// edit\n"}]})
    server.diagnostics(uri, 2)
    warm = time.monotonic() - start

    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": text}]})
    time.sleep(0.1)  # The analysis of version 3 is under way.
    start = time.monotonic()
    server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": []}})
    request = time.monotonic() - start
    during = not server.published(uri, 3)
    shut_down(server)
    return cold, warm, request, during


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    untangle = os.path.join(os.path.abspath(sys.argv[1]), "tool", "untangle")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    files = sys.argv[3:] or ([os.path.join(ROOT, "bench", "lsp_beast.cpp")] +
                             sorted(glob.glob(os.path.join(ROOT, "examples", "*.cpp"))))
    print("| file | cold analysis, s | cold open (builds the preamble), s | warm edit, s | "
          "warm / cold analysis | request during analysis, ms |")
    print("|---|---|---|---|---|---|")
    for path in files:
        with tempfile.TemporaryDirectory() as workdir:
            name = os.path.basename(path)
            shutil.copy(path, os.path.join(workdir, name))
            with open(os.path.join(workdir, "compile_flags.txt"), "w") as f:
                f.write("-std=c++20\n-I" + os.path.join(ROOT, "runtime", "include") + "\n")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            results = [one_run(untangle, workdir, name, text) for _ in range(runs)]
            analysis = statistics.median(cold_analysis(untangle, workdir, name, text)
                                         for _ in range(runs))
        cold = statistics.median(r[0] for r in results)
        warm = statistics.median(r[1] for r in results)
        request = statistics.median(r[2] for r in results)
        during = sum(r[3] for r in results)
        print(f"| {os.path.relpath(path, ROOT)} | {analysis:.2f} | {cold:.2f} | {warm:.2f} | "
              f"{warm / analysis:.2f} | {request * 1000:.0f} ({during}/{runs} during) |",
              flush=True)


if __name__ == "__main__":
    main()
