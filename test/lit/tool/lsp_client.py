#!/usr/bin/env python3
"""A scripted LSP client for `untangle lsp` (lsp.test), standard library only.

It plays an editor: initialize, open documents (saved in --workdir, next to the
compile_flags.txt the test writes), wait for the published diagnostics, ask for the
code actions on a finding, apply the returned WorkspaceEdit, compile the result with
--cxx, send the fixed text as an unsaved change, then send bad input, and shut down.
What it sees is printed, one line per fact, for FileCheck; what must hold whatever the
output says is asserted here as well.
"""
import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time

# Seconds per reply; one analysis takes about a second, but the machine may be busy.
TIMEOUT = int(os.environ.get("LSP_CLIENT_TIMEOUT", "300"))


def fail(message):
    print(f"lsp_client: FAILED: {message}")
    sys.exit(1)


class Server:
    def __init__(self, command, cwd, env=None):
        self.proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE)
        self.incoming = queue.Queue()
        self.unclaimed = []
        # Every message received so far, in order, claimed or not.
        self.seen = []
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            self._read_messages()
        except Exception as e:  # A malformed message: the waiting side fails with it.
            self.incoming.put(e)

    def _read_messages(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.incoming.put(None)
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.incoming.put(json.loads(out.read(length)))

    def send_raw(self, body):
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message):
        self.send_raw(json.dumps(message).encode("utf-8"))

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == request_id and "method" not in m,
                         f"the reply to {method}")

    def wait(self, wanted, what):
        for i, message in enumerate(self.unclaimed):
            if wanted(message):
                return self.unclaimed.pop(i)
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                message = self.incoming.get(timeout=max(0, deadline - time.monotonic()))
            except queue.Empty:
                fail(f"timed out waiting for {what}")
            if message is None:
                fail(f"the server closed its output while waiting for {what}")
            if isinstance(message, Exception):
                fail(f"malformed message from the server while waiting for {what}: "
                     f"{message}")
            self.seen.append(message)
            if wanted(message):
                return message
            self.unclaimed.append(message)

    def published(self, uri, version):
        """Whether diagnostics of that version were received so far."""
        return any(m.get("method") == "textDocument/publishDiagnostics"
                   and m["params"]["uri"] == uri and m["params"].get("version") == version
                   for m in self.seen)

    def diagnostics(self, uri, version):
        message = self.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri and m["params"].get("version") == version,
            f"diagnostics of {uri} version {version}")
        return message["params"]["diagnostics"]


def offset_at(text, position):
    """LSP position (line, UTF-16 column) to an index in a Python string."""
    start = 0
    for _ in range(position["line"]):
        start = text.index("\n", start) + 1
    index, units = start, 0
    while index < len(text) and text[index] != "\n" and units < position["character"]:
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


def apply_edits(text, edits):
    spans = sorted(((offset_at(text, e["range"]["start"]), offset_at(text, e["range"]["end"]),
                     e["newText"]) for e in edits), reverse=True)
    for begin, end, new_text in spans:
        text = text[:begin] + new_text + text[end:]
    return text


def show_range(r):
    return (f'{r["start"]["line"]}:{r["start"]["character"]}-'
            f'{r["end"]["line"]}:{r["end"]["character"]}')


def show_diagnostics(name, diagnostics):
    print(f"{name}: {len(diagnostics)} diagnostic(s)")
    severities = {1: "error", 2: "warning", 3: "information", 4: "hint"}
    for d in diagnostics:
        print(f'diagnostic {name} {show_range(d["range"])} {severities[d["severity"]]} '
              f'[{d.get("code")}] source={d.get("source")}: {d["message"]}')
        for related in d.get("relatedInformation", []):
            location = related["location"]
            print(f'  related {os.path.basename(location["uri"])} '
                  f'{show_range(location["range"])}: {related["message"]}')


def code_actions(server, uri, diagnostic):
    reply = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostic["range"],
        "context": {"diagnostics": [diagnostic]}})
    actions = reply["result"]
    for action in actions:
        edits = action["edit"]["changes"]
        print(f'action "{action["title"]}" kind={action["kind"]} '
              f'preferred={action.get("isPreferred", False)} '
              f'edits={",".join(f"{os.path.basename(u)}:{len(e)}" for u, e in edits.items())}')
    return actions


def compile_fixed(args, name, text):
    path = os.path.join(args.workdir, "fixed_" + name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    result = subprocess.run([args.cxx, "-fsyntax-only", "-std=c++20",
                             "-I", args.runtime_include, path],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        print(result.stdout)
        fail(f"the fixed {name} does not compile")
    print(f"compiled the fixed {name}: OK")


def open_document(server, args, name, version=1, directory=""):
    """Saves the input in the work directory, as an editor opens saved files."""
    with open(os.path.join(args.inputs, name), encoding="utf-8") as f:
        text = f.read()
    path = os.path.join(args.workdir, directory, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    uri = "file://" + path
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": version, "text": text}})
    return uri, text, server.diagnostics(uri, version)


def fix_and_check(server, args, name, uri, text, diagnostic, title):
    actions = code_actions(server, uri, diagnostic)
    chosen = [a for a in actions if a["title"] == title]
    if len(chosen) != 1:
        fail(f'expected one "{title}" action for {name}')
    if list(chosen[0]["edit"]["changes"]) != [uri]:
        fail(f"the edit of {name} should change {uri} only")
    fixed = apply_edits(text, chosen[0]["edit"]["changes"][uri])
    compile_fixed(args, name, fixed)
    return fixed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--untangle", required=True)
    parser.add_argument("--cxx", required=True)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--runtime-include", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()

    server = Server([args.untangle, "lsp"], args.workdir)
    init = server.request("initialize", {"processId": os.getpid(), "rootUri": None,
                                         "capabilities": {}})["result"]
    capabilities = init["capabilities"]
    print(f'initialize: server={init["serverInfo"]["name"]} '
          f'change={capabilities["textDocumentSync"]["change"]} '
          f'codeActionKinds={capabilities["codeActionProvider"]["codeActionKinds"]}')
    server.notify("initialized", {})

    # The pyramid: one finding, its fix-it turns the chain into a coroutine.
    uri, text, diagnostics = open_document(server, args, "lsp_pyramid.cpp")
    show_diagnostics("lsp_pyramid.cpp", diagnostics)
    finding = [d for d in diagnostics if d.get("code") == "untangle-callback-nesting"]
    if len(finding) != 1:
        fail("expected one untangle-callback-nesting finding")
    # Line 11, byte column 24 (1-based): `[` after the non-ASCII comment, UTF-16 column 20.
    if finding[0]["range"]["start"] != {"line": 10, "character": 20}:
        fail(f'wrong range {finding[0]["range"]}')
    fixed = fix_and_check(server, args, "lsp_pyramid.cpp", uri, text, finding[0],
                          "Convert callback chain to coroutine")
    # The fixed text, unsaved (the file on disk still has the pyramid): no finding left.
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]})
    after = server.diagnostics(uri, 2)
    show_diagnostics("lsp_pyramid.cpp v2", after)
    if after:
        fail("the fixed pyramid still has diagnostics")
    # Ranged changes: the pyramid back (the end, past the text, is clamped), then
    # `later([] {})` replaced by `(void)0` at UTF-16 columns 14-26 of line 10, after the
    # non-ASCII comment: the callbacks are two deep, below the maximum.
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 3},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                      "end": {"line": 10000, "character": 0}},
                            "text": text}]})
    show_diagnostics("lsp_pyramid.cpp v3", server.diagnostics(uri, 3))
    server.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 4},
        "contentChanges": [{"range": {"start": {"line": 10, "character": 14},
                                      "end": {"line": 10, "character": 26}},
                            "text": "(void)0"}]})
    show_diagnostics("lsp_pyramid.cpp v4", server.diagnostics(uri, 4))

    # The data race: its fix-it makes the counter std::atomic.
    race_uri, race_text, diagnostics = open_document(server, args, "lsp_race.cpp")
    show_diagnostics("lsp_race.cpp", diagnostics)
    race = [d for d in diagnostics if d.get("code") == "untangle-data-race"]
    if len(race) != 1:
        fail("expected one untangle-data-race finding")
    fix_and_check(server, args, "lsp_race.cpp", race_uri, race_text, race[0],
                  "Make the counter std::atomic")

    # Code that does not compile: clang's errors are diagnostics too.
    _, _, diagnostics = open_document(server, args, "broken.cpp")
    show_diagnostics("broken.cpp", diagnostics)

    # A configuration mistake, and a compile database that cannot be read, are errors
    # on the document's first line.
    for directory, name, content in (
            ("badconfig", ".untangle", "CheckOptions:\n  untangle-callback-nesting.MaxDepht: 3\n"),
            ("baddb", "compile_commands.json", '[{"directory": "/tmp", "file": ')):
        os.makedirs(os.path.join(args.workdir, directory))
        with open(os.path.join(args.workdir, directory, name), "w", encoding="utf-8") as f:
            f.write(content)
        _, _, diagnostics = open_document(server, args, "lsp_pyramid.cpp",
                                          directory=directory)
        show_diagnostics(f"{directory}/lsp_pyramid.cpp", diagnostics)

    # Bad input: text that is not JSON, JSON that is not JSON-RPC, an unknown method,
    # malformed parameters. The server answers what it can and keeps serving.
    server.send_raw(b"{this is not json")
    server.send({"hello": "world"})
    server.send({"jsonrpc": "2.0"})
    error = server.request("untangle/noSuchMethod", {})["error"]
    print(f'unknown method: error {error["code"]}: {error["message"]}')
    error = server.request("textDocument/codeAction", {"textDocument": {"uri": uri}})["error"]
    print(f'malformed codeAction: error {error["code"]}')
    print(f"still serving: {len(code_actions(server, race_uri, race[0]))} action(s)")

    server.notify("textDocument/didClose", {"textDocument": {"uri": race_uri}})
    closed = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == race_uri, "diagnostics after didClose")
    print(f'closed lsp_race.cpp: {len(closed["params"]["diagnostics"])} diagnostic(s)')

    reply = server.request("shutdown", None)
    print(f'shutdown: result={json.dumps(reply.get("result"))}')
    server.notify("exit", None)
    try:
        print(f"exit code: {server.proc.wait(timeout=TIMEOUT)}")
    except subprocess.TimeoutExpired:
        server.proc.kill()
        fail("the server did not exit")


if __name__ == "__main__":
    main()
