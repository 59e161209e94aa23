#!/usr/bin/env python3
"""Extracts the runnable examples of a Markdown page so ctest can compile and run them.

Every ```cpp block that defines `int main` is an example. When a ```text block follows it
directly (blank lines between are fine), that block is the program's expected stdout.
Writes <out>/<page>-<n>.cpp (and .expected) and prints one line per example:
`<name>|<cpp path>|<expected path or empty>`.
"""
import pathlib
import re
import sys

FENCE = re.compile(r"^```(\w*)\s*$")


def blocks(text):
    """Yields (language, body) for each fenced block, in order."""
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        lang, body, i = m.group(1), [], i + 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        if i == len(lines):
            sys.exit(f"extract_examples: unterminated ``` block ({lang or 'no language'})")
        i += 1
        yield lang, "".join(body)


def main():
    page, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    found = list(blocks(page.read_text()))
    n = 0
    for k, (lang, body) in enumerate(found):
        if lang != "cpp" or not re.search(r"\bint\s+main\s*\(", body):
            continue
        n += 1
        name = f"{page.stem}-{n}"
        cpp = out / f"{name}.cpp"
        cpp.write_text(body)
        expected = ""
        if k + 1 < len(found) and found[k + 1][0] == "text":
            exp = out / f"{name}.expected"
            exp.write_text(found[k + 1][1])
            expected = str(exp)
        print(f"{name}|{cpp}|{expected}")


if __name__ == "__main__":
    main()
