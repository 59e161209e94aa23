#!/usr/bin/env python3
"""Background analysis of `untangle lsp` (lsp-background.test), standard library only.

A client that asks while the server analyzes a heavy document (Boost.Asio): requests
are answered before the analysis ends, a newer version cancels the older one, quick
changes are debounced into one analysis, analyses over a second report work-done
progress, pull diagnostics wait for the current text, code actions are never offered
for a text other than the one analyzed, and shutdown does not wait for an analysis.
Facts are printed one per line for FileCheck; what must hold is asserted here too.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lsp_client import Server, fail  # noqa: E402


def change(server, uri, version, text):
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})


def code_actions(server, uri):
    return server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}},
        "context": {"diagnostics": []}})["result"]


def pull(server, uri, previous=None):
    params = {"textDocument": {"uri": uri}}
    if previous is not None:
        params["previousResultId"] = previous
    return server.request("textDocument/diagnostic", params)["result"]


def progress_begun(server):
    """Answers the server's window/workDoneProgress/create, then waits for `begin`."""
    create = server.wait(lambda m: m.get("method") == "window/workDoneProgress/create",
                         "a work-done progress token")
    token = create["params"]["token"]
    server.send({"jsonrpc": "2.0", "id": create["id"], "result": None})
    server.wait(lambda m: m.get("method") == "$/progress" and m["params"]["token"] == token
                and m["params"]["value"]["kind"] == "begin", "progress begin")
    return token


def answer_progress_requests(server):
    """Answers the progress tokens the server asked for while nobody was looking."""
    for message in [m for m in server.unclaimed
                    if m.get("method") == "window/workDoneProgress/create"]:
        server.unclaimed.remove(message)
        server.send({"jsonrpc": "2.0", "id": message["id"], "result": None})


def progress_ended(server, token):
    server.wait(lambda m: m.get("method") == "$/progress" and m["params"]["token"] == token
                and m["params"]["value"]["kind"] == "end", "progress end")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--untangle", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()

    # A debounce long enough that the quick changes below always fall inside it.
    server = Server([args.untangle, "lsp", "--debounce=1000"], args.workdir)
    init = server.request("initialize", {
        "processId": os.getpid(), "rootUri": None,
        "capabilities": {"window": {"workDoneProgress": True}}})["result"]
    print(f'initialize: diagnosticProvider={init["capabilities"]["diagnosticProvider"]}')
    server.notify("initialized", {})

    with open(os.path.join(args.inputs, "lsp_heavy.cpp"), encoding="utf-8") as f:
        text = f.read()
    path = os.path.join(args.workdir, "lsp_heavy.cpp")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    uri = "file://" + path
    clean = text.replace("timer.async_wait([](boost::system::error_code) {});", "")

    # Requests while the first analysis runs are answered before it ends.
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": 1, "text": text}})
    actions = code_actions(server, uri)
    print(f"code actions before the first analysis: {len(actions)}, "
          f"answered before its diagnostics: {not server.published(uri, 1)}")
    hover = server.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})["result"]
    print(f"hover during the analysis: {hover}, "
          f"answered before its diagnostics: {not server.published(uri, 1)}")

    # Over a second: work-done progress. A change while it runs cancels it.
    token = progress_begun(server)
    print("version 1: progress begun")
    change(server, uri, 2, text + "// version 2\n")
    progress_ended(server, token)
    print("version 1: progress ended")
    diagnostics = server.diagnostics(uri, 2)
    print(f"version 2: {len(diagnostics)} diagnostic(s) "
          f"[{diagnostics[0].get('code') if diagnostics else ''}]; "
          f"version 1 published: {server.published(uri, 1)}")
    if server.published(uri, 1):
        fail("the cancelled analysis of version 1 was published")

    # Quick changes: one analysis, of the last.
    for version in (3, 4, 5):
        change(server, uri, version, text + f"// version {version}\n")
    diagnostics = server.diagnostics(uri, 5)
    skipped = [v for v in (3, 4) if server.published(uri, v)]
    print(f"version 5: {len(diagnostics)} diagnostic(s); versions 3 and 4 published: {skipped}")
    if skipped:
        fail("changes inside the debounce delay were analyzed one by one")

    # Pull diagnostics: the current analysis, then `unchanged` for the same result.
    first = pull(server, uri)
    print(f'pull: kind={first["kind"]} items={len(first["items"])}')
    again = pull(server, uri, first["resultId"])
    print(f'pull again: kind={again["kind"]} same id={again["resultId"] == first["resultId"]}')
    # A pull right after a change waits for the new text's analysis.
    change(server, uri, 6, clean)
    after = pull(server, uri, first["resultId"])
    print(f'pull after a change: kind={after["kind"]} items={len(after["items"])}')

    # Code actions: none while the document's text is not the analyzed one.
    change(server, uri, 7, text)
    print(f"code actions before version 7 is analyzed: {len(code_actions(server, uri))}")
    finding = server.diagnostics(uri, 7)[0]
    actions = code_actions(server, uri)
    print(f"code actions once version 7 is analyzed: {[a['title'] for a in actions]}")
    hover = server.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": finding["range"]["start"]})["result"]
    print(f'hover on the finding: {hover["contents"]["value"]}')

    # Shutdown while an analysis runs: answered at once, nothing published after it.
    answer_progress_requests(server)
    # A changed preamble: parsed again, over a second (an edit below the includes reuses
    # the preamble and may finish in less).
    change(server, uri, 8, "#define VERSION 8\n" + text)
    progress_begun(server)
    start = time.monotonic()
    reply = server.request("shutdown", None)
    print(f'shutdown during an analysis: result={reply.get("result")} '
          f'version 8 published: {server.published(uri, 8)}')
    server.notify("exit", None)
    print(f"exit code: {server.proc.wait(timeout=60)}")
    print(f"shutdown to exit in {time.monotonic() - start:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
