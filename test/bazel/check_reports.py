#!/usr/bin/env python3
"""check_reports.py WORKSPACE BUILD_EVENTS SARIF: checks what the untangle aspect made of
the test workspace.
check_reports.py --without-config BUILD_EVENTS: the build of //lib_b without the .untangle
files as inputs; lib_b's own option unseen, no report names lib_b/b.cc.

The expected findings are the `// FINDING: <check>` comments of the workspace's sources.
- BUILD_EVENTS (--build_event_json_file of the build with the aspect and
  --output_groups=untangle): its files are the aspect's JSON reports, a report for every source,
  files named relative to the execution root (never a sandbox's absolute path), no clang
  error (an unknown gcc flag, a header missing from the sandbox), and the expected findings
  between them, the header's once per library that includes it.
- SARIF (the merge): a valid log (../lit/check_sarif.py) with each expected finding once,
  at its file in the workspace, and nothing else; lib_b's an error (its .untangle's
  WarningsAsErrors), lib_a's a warning.
Exits non-zero with what differs."""
import collections
import json
import os
import re
import subprocess
import sys

SOURCE_EXTENSIONS = (".c", ".cc", ".cpp")
# Packages that //app does not depend on: //undeclared is broken on purpose.
NOT_UNDER_APP = {"undeclared"}
MARKER = re.compile(r"//\s*FINDING:\s*(\S+)")


def fail(message):
    sys.exit(f"check_reports: {message}")


def workspace_files(workspace):
    for root, dirs, files in os.walk(workspace):
        dirs[:] = [d for d in dirs if not d.startswith("bazel-") and d not in NOT_UNDER_APP]
        for name in files:
            yield os.path.relpath(os.path.join(root, name), workspace)


def expected_findings(workspace):
    expected = set()
    for rel in workspace_files(workspace):
        if not rel.endswith(SOURCE_EXTENSIONS + (".h",)):
            continue
        with open(os.path.join(workspace, rel), encoding="utf-8") as f:
            for line_number, line in enumerate(f, 1):
                if match := MARKER.search(line):
                    expected.add((rel, line_number, match.group(1)))
    if not expected:
        fail(f"no '// FINDING:' comments in {workspace}")
    return expected


def built_files(build_events):
    """The files the build made, from its build event protocol in JSON (one event a line)."""
    paths = set()
    with open(build_events, encoding="utf-8") as f:
        for line in f:
            for built in json.loads(line).get("namedSetOfFiles", {}).get("files", []):
                if built.get("uri", "").startswith("file://"):
                    paths.add(built["uri"][len("file://"):])
    return paths


def check_json_reports(workspace, build_events, expected):
    reports = {}
    for path in built_files(build_events):
        with open(path, encoding="utf-8") as f:
            reports[path] = json.load(f)
    sources = [rel for rel in workspace_files(workspace) if rel.endswith(SOURCE_EXTENSIONS)]
    for source in sources:
        if not any(path.endswith("/" + os.path.basename(source) + ".json") for path in reports):
            fail(f"no JSON report for {source} among {sorted(reports)}")
    if len(reports) != len(sources):
        fail(f"{len(reports)} reports for {len(sources)} sources: {sorted(reports)}")
    seen = collections.Counter()
    for path, report in reports.items():
        for diagnostic in report["diagnostics"]:
            if diagnostic["check"].startswith("clang-diagnostic"):
                fail(f"{path}: clang: {diagnostic['message']}")
            if os.path.isabs(diagnostic["file"]):
                fail(f"{path}: an absolute path: {diagnostic['file']}")
            seen[(diagnostic["file"], diagnostic["line"], diagnostic["check"])] += 1
    if set(seen) != expected:
        fail(f"JSON reports: findings {sorted(seen)}, expected {sorted(expected)}")
    shared = [finding for finding, count in seen.items() if count > 1]
    if not shared:
        fail("no finding is in several reports: the merge has nothing to deduplicate")
    return len(reports), shared


def check_sarif(workspace, sarif, expected):
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run([sys.executable, os.path.join(here, "..", "lit", "check_sarif.py"), sarif],
                   check=True)
    with open(sarif, encoding="utf-8") as f:
        runs = json.load(f)["runs"]
    if len(runs) != 1:
        fail(f"{len(runs)} runs in {sarif}")
    prefix = "file://" + os.path.realpath(workspace) + "/"
    found = []
    for result in runs[0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        if not uri.startswith(prefix):
            fail(f"{sarif}: {uri} is not in the workspace {workspace}")
        found.append((uri[len(prefix):], location["region"]["startLine"], result["ruleId"]))
        # lib_b/.untangle promotes lib_b's findings to errors; lib_a's stay warnings.
        level = {"lib_a/a.cc": "warning", "lib_b/b.cc": "error"}.get(found[-1][0])
        if level and result.get("level") != level:
            fail(f"{sarif}: {found[-1]} is a {result.get('level')}, not a {level}")
    if sorted(found) != sorted(expected):
        fail(f"{sarif}: results {sorted(found)}, expected each of {sorted(expected)} once")


def check_without_config(build_events):
    reports = sorted(built_files(build_events))
    named = set()
    for path in reports:
        with open(path, encoding="utf-8") as f:
            named.update(d["file"] for d in json.load(f)["diagnostics"])
    if len(reports) != 2 or "lib_b/b.cc" in named:
        fail(f"without .untangle inputs: reports {reports} name {sorted(named)}; "
             "expected lib_b's and shared's, without lib_b/b.cc")
    print("check_reports: OK: a .untangle that is not an input is not seen in the sandbox")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--without-config":
        return check_without_config(sys.argv[2])
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    workspace, build_events, sarif = sys.argv[1:]
    expected = expected_findings(workspace)
    count, shared = check_json_reports(workspace, build_events, expected)
    check_sarif(workspace, sarif, expected)
    print(f"check_reports: OK: {count} reports, {len(expected)} findings in the merged SARIF; "
          f"reported by several actions, merged once: {sorted(shared)}")


if __name__ == "__main__":
    main()
