#!/usr/bin/env python3
"""Preamble reuse of `untangle lsp` (lsp-preamble.test), standard library only.

Two servers over the same files: one reuses a precompiled preamble of each document's
includes (the default), the other runs with --preamble=false and parses everything on
every analysis, as the command line does. Each document is opened in the first server
and edited below its includes (the analysis that reuses the preamble); then its
includes are edited (the preamble is rebuilt); for a document that includes a header
of the work directory, the header changes on disk; two quick edits check that a
newer text cancels the older one's analysis without killing the worker that keeps the
preamble; a document whose only error is inside the library's code (an instantiation
of a standard template for the document's type, which the first server performs after
it published the checks' findings) gets it in a second publication. After every step,
the findings, messages, notes and fix-its the first server published last must be
those the second server reports on the same text, opened there from scratch. The preamble each analysis of
the first server used is read from its log (--log=info) and printed for FileCheck.
"""
import argparse
import json
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Server, fail  # noqa: E402

HEADER = """// A header of the work directory, changed on disk by the test.
#pragma once
#include <functional>
void read_file(std::function<void(int)> done);
void parse(int data, std::function<void(int)> done);
void store(int data, std::function<void(int)> done);
"""

# A constructor called with the wrong arguments, noticed only where std::make_unique is
# instantiated for the type, in the library's header.
LIBRARY_ERROR = """#include <memory>

struct Widget {
  explicit Widget(int size);
};

std::unique_ptr<Widget> make() { return std::make_unique<Widget>(); }
"""

USES_HEADER = """#include "api.h"

void load() {
  read_file([](int data) {
    parse(data, [](int parsed) {
      store(parsed, [](int) {});
    });
  });
}
"""


def start(untangle, workdir, log, *flags):
    server = Server([untangle, "lsp", "--debounce=0", *flags], workdir, stderr=log)
    server.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                  "capabilities": {}})
    server.notify("initialized", {})
    return server


def findings(server, uri, version):
    """The diagnostics of a version and the code actions offered on the whole text."""
    return findings_of(server, uri, server.diagnostics(uri, version))


def findings_of(server, uri, diagnostics):
    """\p diagnostics and the code actions offered on the whole text."""
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0},
                  "end": {"line": 10000, "character": 0}},
        "context": {"diagnostics": diagnostics}})["result"]
    return {"diagnostics": diagnostics, "actions": actions}


class Comparison:
    def __init__(self, untangle, workdir):
        self.workdir = workdir
        self.untangle = untangle
        self.log_path = os.path.join(workdir, "preamble-server.log")
        self.log = open(self.log_path, "w")
        self.warm = start(untangle, workdir, self.log, "--log=info")
        self.versions = {}
        self.cold_runs = 0

    def uri(self, name):
        return "file://" + os.path.join(self.workdir, name)

    def cold(self, name, text):
        """Findings of a fresh --preamble=false server on the text."""
        self.cold_runs += 1
        server = start(self.untangle, self.workdir, None, "--preamble=false")
        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri(name), "languageId": "cpp", "version": 1, "text": text}})
        result = findings(server, self.uri(name), 1)
        server.request("shutdown", None)
        server.notify("exit", None)
        server.proc.wait(timeout=60)
        return result

    def compare(self, label, name, text, warm):
        cold = self.cold(name, text)
        same = json.dumps(warm, sort_keys=True) == json.dumps(cold, sort_keys=True)
        codes = sorted(str(d.get("code")) for d in warm["diagnostics"])
        fixes = sum(1 for a in warm["actions"] if a.get("edit"))
        print(f"{label}: {len(warm['diagnostics'])} diagnostic(s) {codes}, "
              f"{fixes} fix-it(s), same as a cold run: {same}", flush=True)
        if not same:
            print(json.dumps({"warm": warm, "cold": cold}, indent=1, sort_keys=True),
                  file=sys.stderr)
            fail(f"{label}: the findings differ from a cold run's")

    def open(self, name, text):
        self.versions[name] = 1
        self.warm.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri(name), "languageId": "cpp", "version": 1, "text": text}})
        return findings(self.warm, self.uri(name), 1)

    def change(self, name, text):
        self.versions[name] += 1
        version = self.versions[name]
        self.warm.notify("textDocument/didChange", {
            "textDocument": {"uri": self.uri(name), "version": version},
            "contentChanges": [{"text": text}]})
        return findings(self.warm, self.uri(name), version)

    def uses(self):
        """The preamble use of each analysis so far, from the server's log."""
        self.log.flush()
        with open(self.log_path, encoding="utf-8") as f:
            return [(os.path.basename(m.group(1)), m.group(2)) for m in
                    re.finditer(r"analysis of (\S+): preamble (\w+)", f.read())]

    def finish(self):
        self.warm.request("shutdown", None)
        self.warm.notify("exit", None)
        code = self.warm.proc.wait(timeout=60)
        self.log.close()
        return code


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--untangle", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("files", nargs="+", help="documents to open, copied to --workdir")
    args = parser.parse_args()

    run = Comparison(args.untangle, args.workdir)
    for path in args.files:
        name = os.path.basename(path)
        shutil.copy(path, os.path.join(args.workdir, name))
        with open(path, encoding="utf-8") as f:
            text = f.read()
        run.compare(f"{name} opened", name, text, run.open(name, text))
        edited = text + "\nint edited_below_the_includes;\n"
        run.compare(f"{name} edited below its includes", name, edited,
                    run.change(name, edited))
        # A new include at the top: the preamble's text changed.
        included = "#include <vector>\n" + edited
        run.compare(f"{name} with a new include", name, included,
                    run.change(name, included))

    # Two quick edits below the includes of the last document: the second cancels the
    # analysis of the first, but the worker that keeps the preamble is not killed (both
    # reuse it; a new worker would build it again), and only the second is published.
    name = os.path.basename(args.files[-1])
    first = included + "int first_edit;\n"
    second = included + "int second_edit;\n"
    run.versions[name] += 1
    run.warm.notify("textDocument/didChange", {
        "textDocument": {"uri": run.uri(name), "version": run.versions[name]},
        "contentChanges": [{"text": first}]})
    time.sleep(0.3)  # The analysis of the first edit is under way.
    second_findings = run.change(name, second)
    # Whether the checks' findings of the first edit were published before the second
    # came depends on timing; the rest of its analysis is abandoned either way.
    run.compare(f"{name} after the second edit", name, second, second_findings)

    # The findings first, then the library's instantiations: the error inside them comes
    # in a second publication. A pull request is answered once the analysis is whole.
    name = "library_error.cpp"
    with open(os.path.join(args.workdir, name), "w", encoding="utf-8") as f:
        f.write(LIBRARY_ERROR)
    first = run.open(name, LIBRARY_ERROR)
    run.warm.request("textDocument/diagnostic", {"textDocument": {"uri": run.uri(name)}})
    published = [m["params"]["diagnostics"] for m in run.warm.seen
                 if m.get("method") == "textDocument/publishDiagnostics"
                 and m["params"]["uri"] == run.uri(name)]
    print(f"{name} opened: published {len(published)} time(s), first with "
          f"{len(first['diagnostics'])} diagnostic(s)")
    run.compare(f"{name} when whole", name, LIBRARY_ERROR,
                findings_of(run.warm, run.uri(name), published[-1]))

    # A header of the work directory, changed on disk while the document is open:
    # the preamble read it and is rebuilt. The header grows, so that its size changes
    # whatever the file system's time resolution (PrecompiledPreamble compares both).
    header = os.path.join(args.workdir, "api.h")
    with open(header, "w", encoding="utf-8") as f:
        f.write(HEADER)
    run.compare("main.cpp opened", "main.cpp", USES_HEADER, run.open("main.cpp", USES_HEADER))
    with open(header, "w", encoding="utf-8") as f:
        f.write(HEADER.replace("void parse(int data,", "void parse_data(int data,"))
    run.warm.notify("workspace/didChangeWatchedFiles", {
        "changes": [{"uri": "file://" + header, "type": 2}]})
    run.compare("main.cpp after api.h changed on disk", "main.cpp", USES_HEADER,
                findings(run.warm, run.uri("main.cpp"), 1))

    for name, use in run.uses():
        print(f"preamble {name}: {use}")
    print(f"exit code: {run.finish()}")


if __name__ == "__main__":
    main()
