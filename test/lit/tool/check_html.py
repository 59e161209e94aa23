#!/usr/bin/env python3
"""Checks an `untangle --format=html` report the way a reader gets it: in a browser.

Usage: check_html.py [--chromium=PATH] --screenshot=OUT.png REPORT.html

- the file is one page that loads nothing from elsewhere (every src/href is a fragment);
- headless Chromium loads it without any console message (script errors, CSP
  violations and failed loads all print one), and the page's script ran
  (<body data-ready="true">);
- the summary counts agree with the findings on the page;
- a screenshot is saved and is a non-empty PNG.

Then it prints what the rendered DOM holds, one line per fact, for FileCheck: the
summaries, each finding with its locations (the marked source line) and its diff rows.
Text is printed as the DOM has it after unescaping, so escaped source text reads as in
the source, and markup that leaked from the source would show as extra elements.
Exits 1 with a message on stderr when a check fails, or when Chromium is missing.
"""
import argparse
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile


def fail(message):
    print(f"check_html: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children = []  # Nodes and strings

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self):
        return self.attrs.get("class", "").split()

    def find_all(self, predicate):
        for child in self.children:
            if isinstance(child, Node):
                if predicate(child):
                    yield child
                yield from child.find_all(predicate)

    def find(self, predicate):
        return next(self.find_all(predicate), None)


VOID = {"meta", "link", "br", "hr", "img", "input", "col", "wbr", "source", "area", "base"}


class TreeBuilder(html.parser.HTMLParser):
    """A forgiving tree: the pages are well-formed, and Chromium's dump is normalized."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(text):
    builder = TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def has_class(name):
    return lambda n: name in n.classes()


def check_self_contained(page):
    for node in page.find_all(lambda n: True):
        for attribute in ("src", "href", "action", "srcset", "poster"):
            value = node.attrs.get(attribute)
            if value is not None and not value.startswith("#"):
                fail(f"<{node.tag} {attribute}=\"{value}\"> refers to something outside "
                     "the page")
        if re.search(r"url\(|@import", node.attrs.get("style") or ""):
            fail(f"<{node.tag} style=...> loads an external resource")
        if node.tag in ("link", "iframe", "img", "object", "embed"):
            fail(f"<{node.tag}> in a page that must be self-contained")
    for style in page.find_all(lambda n: n.tag == "style"):
        if re.search(r"url\(|@import", style.text()):
            fail("the style loads an external resource")
    scripts = list(page.find_all(lambda n: n.tag == "script"))
    if len(scripts) != 1 or "src" in scripts[0].attrs:
        fail(f"expected one inline script, found {len(scripts)} script elements "
             "(unescaped source text?)")


def find_chromium(requested):
    path = shutil.which(requested)
    if not path:
        fail(f"'{requested}' not found: the HTML report is checked in headless Chromium; "
             "install Debian's chromium package (bash scripts/deps.sh tool)")
    return path


def run_chromium(chromium, profile, url, *flags):
    # Running as root needs --no-sandbox; a profile of its own per run lets tests run
    # in parallel. --enable-logging=stderr --v=0 prints every console message of the
    # page as an "INFO:CONSOLE" line, uncaught exceptions included.
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
               "--no-first-run", "--disable-extensions", f"--user-data-dir={profile}",
               "--enable-logging=stderr", "--v=0", *flags, url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        fail("chromium did not finish in 120 s")
    if done.returncode != 0:
        fail(f"chromium exited with {done.returncode}:\n{done.stderr[-3000:]}")
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    if console:
        fail("the page wrote to the console:\n" + "\n".join(console))
    return done.stdout


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    if len(header) < 24 or header[:8] != b"\x89PNG\r\n\x1a\n" or header[12:16] != b"IHDR":
        fail(f"{path} is not a PNG")
    return struct.unpack(">II", header[16:24])


def count_of(row):
    cell = row.find(has_class("count"))
    if cell is None:
        fail(f"summary row without a count: {row.text()!r}")
    return int(cell.text())


def describe(dom):
    """The lines printed for FileCheck, after checking the summaries against the page."""
    out = []
    body = dom.find(lambda n: n.tag == "body")
    if body is None or body.attrs.get("data-ready") != "true":
        fail("the page's script did not run (no <body data-ready=\"true\">)")
    findings = list(dom.find_all(lambda n: n.tag == "article" and "finding" in n.classes()))
    total = int(dom.find(lambda n: n.attrs.get("id") == "total").text())
    if total != len(findings):
        fail(f"the header says {total} findings, the page shows {len(findings)}")
    out.append(f"total: {total}")

    rules = dom.find(lambda n: n.attrs.get("id") == "rules")
    for row in rules.find_all(lambda n: n.tag == "tr" and "data-rule" in n.attrs):
        rule, count = row.attrs["data-rule"], count_of(row)
        shown = [f for f in findings if f.attrs.get("data-check") == rule]
        links = [a.attrs["href"] for a in row.find_all(lambda n: n.tag == "a")]
        if count != len(shown) or links != ["#" + f.attrs["id"] for f in shown]:
            fail(f"rule {rule}: summary says {count} ({links}), the page has {len(shown)}")
        out.append(f"rule {rule}: {count}")

    files = dom.find(lambda n: n.attrs.get("id") == "files")
    listed = 0
    for row in files.find_all(lambda n: n.tag == "tr" and "data-file" in n.attrs):
        count = count_of(row)
        target = row.find(lambda n: n.tag == "a").attrs["href"][1:]
        section = dom.find(lambda n: n.attrs.get("id") == target)
        if section is None:
            fail(f"file link #{target} leads nowhere")
        inside = list(section.find_all(has_class("finding")))
        if count != len(inside):
            fail(f"file {row.attrs['data-file']}: summary says {count}, its section has "
                 f"{len(inside)}")
        listed += count
        out.append(f"file {os.path.basename(row.attrs['data-file'])}: {count}")
    if listed != total:
        fail(f"the files' counts add up to {listed}, not {total}")

    def squeeze(text):
        return " ".join(text.split())

    for finding in findings:
        heading = finding.find(lambda n: n.tag == "h3")
        out.append(f"finding {finding.attrs['id']} {finding.attrs['data-check']} "
                   f"{finding.attrs['data-severity']}: "
                   f"{squeeze(heading.find(has_class('message')).text())}")
        for figure in finding.find_all(lambda n: n.tag == "figure"):
            kind = [c for c in figure.classes() if c != "location"][0]
            marked = figure.find(lambda n: n.tag == "tr" and "at" in n.classes())
            token = figure.find(lambda n: n.tag == "mark")
            out.append(f"  {kind} {figure.find(has_class('where')).text()} "
                       f"{squeeze(figure.find(has_class('what')).text())}")
            if marked is not None:
                out.append(f"    at [{token.text() if token else ''}] "
                           f"{marked.find(has_class('code')).text().strip()}")
        for table in finding.find_all(lambda n: n.tag == "table" and "diff" in n.classes()):
            out.append("  diff")
            for hunk in table.find_all(lambda n: n.tag == "tbody"):
                out.append("  @@")
                for row in hunk.find_all(lambda n: n.tag == "tr"):
                    cells = list(row.find_all(lambda n: n.tag == "td"))
                    old_n, old, new_n, new = (c.text() for c in cells)
                    old_classes, new_classes = cells[1].classes(), cells[3].classes()
                    if "del" not in old_classes and "add" not in new_classes:
                        out.append(f"    = {old_n}|{new_n} {old.strip()}")
                        continue
                    if "del" in old_classes:
                        out.append(f"    - {old_n} {old.rstrip()}")
                    if "add" in new_classes:
                        out.append(f"    + {new_n} {new.rstrip()}")
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chromium", default="chromium")
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("report")
    args = parser.parse_args()

    with open(args.report, encoding="utf-8") as f:
        source = f.read()
    if not source.startswith("<!DOCTYPE html>"):
        fail("not an HTML document")
    check_self_contained(parse(source))

    chromium = find_chromium(args.chromium)
    url = "file://" + os.path.abspath(args.report)
    with tempfile.TemporaryDirectory() as profile:
        dom = parse(run_chromium(chromium, profile, url, "--dump-dom"))
    lines = describe(dom)

    if os.path.exists(args.screenshot):
        os.remove(args.screenshot)
    with tempfile.TemporaryDirectory() as profile:
        run_chromium(chromium, profile, url, "--window-size=1400,1800",
                     f"--screenshot={os.path.abspath(args.screenshot)}")
    if not os.path.exists(args.screenshot) or os.path.getsize(args.screenshot) == 0:
        fail("chromium saved no screenshot")
    width, height = png_size(args.screenshot)

    print("check_html: OK (loaded without console messages, script ran)")
    print("\n".join(lines))
    print(f"screenshot: PNG {width}x{height}")


if __name__ == "__main__":
    main()
