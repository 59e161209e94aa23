#!/usr/bin/env python3
"""Crash isolation and dependencies of `untangle lsp`, standard library only.

--crash-marker (lsp-crash.test): the server is started with the test-only
UNTANGLE_LSP_TEST_CRASH_MARKER, so the analysis worker crashes on any document that
contains the marker, as a bug in clang or a rule would. The server must keep serving:
the document gets one diagnostic saying the analysis crashed, other documents are
analyzed, and the next change is analyzed again.

Otherwise (lsp-dependencies.test): saving a header, a header changed on disk
(workspace/didChangeWatchedFiles) and a changed .untangle file analyze the documents
that depend on them again, and only those.
Facts are printed one per line for FileCheck; what must hold is asserted here too.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Server, fail, show_diagnostics  # noqa: E402


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def start(args, env=None):
    server = Server([args.untangle, "lsp", "--debounce=0"], args.workdir, env)
    server.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                  "capabilities": {}})
    server.notify("initialized", {})
    return server


def open_text(server, path, text, version=1):
    write(path, text)
    uri = "file://" + path
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": version, "text": text}})
    return uri


def change(server, uri, version, text):
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})


def stop(server):
    server.request("shutdown", None)
    server.notify("exit", None)
    print(f"exit code: {server.proc.wait(timeout=60)}")


def crash(args):
    marker = "UNTANGLE_TEST_CRASH"
    env = dict(os.environ, UNTANGLE_LSP_TEST_CRASH_MARKER=marker)
    server = start(args, env)
    with open(os.path.join(args.inputs, "lsp_pyramid.cpp"), encoding="utf-8") as f:
        pyramid = f.read()
    crashing = pyramid + f"// {marker}\n"
    uri = open_text(server, os.path.join(args.workdir, "crash.cpp"), crashing)
    diagnostics = server.diagnostics(uri, 1)
    show_diagnostics("crash.cpp v1", diagnostics)
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostics[0]["range"],
        "context": {"diagnostics": diagnostics}})["result"]
    print(f"code actions on the crashed document: {len(actions)}")
    pulled = server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})["result"]
    print(f'pulled: {len(pulled["items"])} item(s), crashed: {"crashed" in pulled["items"][0]["message"]}')

    # The server still serves: another document, then the next change of this one.
    with open(os.path.join(args.inputs, "lsp_race.cpp"), encoding="utf-8") as f:
        race_uri = open_text(server, os.path.join(args.workdir, "race.cpp"), f.read())
    show_diagnostics("race.cpp", server.diagnostics(race_uri, 1))
    change(server, uri, 2, pyramid)
    show_diagnostics("crash.cpp v2", server.diagnostics(uri, 2))
    # Each change tries again: a crash again, then a clean analysis again.
    change(server, uri, 3, crashing)
    show_diagnostics("crash.cpp v3", server.diagnostics(uri, 3))
    change(server, uri, 4, pyramid)
    show_diagnostics("crash.cpp v4", server.diagnostics(uri, 4))
    stop(server)


def published_since(server, mark, uri):
    return [m for m in server.seen[mark:] if m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri]


def dependencies(args):
    server = start(args)
    header = os.path.join(args.workdir, "api.h")
    unrelated = os.path.join(args.workdir, "unrelated.h")
    declarations = ("#include <functional>\n"
                    "void read_file(std::function<void(int)> done);\n"
                    "void write_file(std::function<void(int)> done);\n")
    write(header, declarations)
    write(unrelated, "int unrelated();\n")
    with open(os.path.join(args.inputs, "lsp_pyramid.cpp"), encoding="utf-8") as f:
        # The pyramid, with its first two functions declared in the header.
        text = f.read().replace("#include <functional>", '#include "api.h"')
    text = text.replace("void read_file(std::function<void(int)> done);\n", "")
    text = text.replace("void write_file(std::function<void(int)> done);\n", "")
    uri = open_text(server, os.path.join(args.workdir, "main.cpp"), text)
    show_diagnostics("main.cpp", server.diagnostics(uri, 1))

    # The header open in the editor: an unsaved change is not seen by main.cpp until
    # saved, then main.cpp is analyzed again.
    header_uri = open_text(server, header, declarations)
    server.diagnostics(header_uri, 1)
    broken = declarations.replace("read_file", "read_fiel")
    change(server, header_uri, 2, broken)
    server.diagnostics(header_uri, 2)
    mark = len(server.seen)
    write(header, broken)
    server.notify("textDocument/didSave", {"textDocument": {"uri": header_uri}})
    after_save = server.wait(
        lambda m: m.get("method") == "textDocument/publishDiagnostics"
        and m["params"]["uri"] == uri, "main.cpp after the header was saved")
    show_diagnostics("main.cpp after saving api.h", after_save["params"]["diagnostics"])
    server.notify("textDocument/didClose", {"textDocument": {"uri": header_uri}})

    # Changed on disk, not open: the watcher's notification. A file main.cpp does not
    # read changes nothing; the header it reads does.
    write(header, declarations)
    mark = len(server.seen)
    server.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": "file://" + unrelated, "type": 2}]})
    # Time for an analysis it would wrongly start to be under way, so that the header's
    # change would need a second one.
    time.sleep(1)
    server.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": "file://" + header, "type": 2}]})
    server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == uri, "main.cpp after api.h changed on disk")
    show_diagnostics("main.cpp after api.h changed on disk",
                     published_since(server, mark, uri)[-1]["params"]["diagnostics"])
    # A change of the unrelated file would have started an analysis of its own; a pull
    # is answered once no analysis of main.cpp is due or running, so all are counted.
    server.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
    print(f"analyses after the two changes: {len(published_since(server, mark, uri))}")

    # A new .untangle: the configuration is read again.
    write(os.path.join(args.workdir, ".untangle"),
          "CheckOptions:\n  untangle-callback-nesting.MaxDepth: 3\n")
    server.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": "file://" + os.path.join(args.workdir, ".untangle"), "type": 1}]})
    after = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                        and m["params"]["uri"] == uri, "main.cpp after .untangle changed")
    show_diagnostics("main.cpp with MaxDepth 3", after["params"]["diagnostics"])
    stop(server)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--untangle", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--crash", action="store_true")
    args = parser.parse_args()
    if args.crash:
        crash(args)
    else:
        dependencies(args)


if __name__ == "__main__":
    main()
