#!/usr/bin/env python3
"""check_sarif.py FILE: checks a SARIF log against the properties that the SARIF 2.1.0
schema requires (sarif-schema-2.1.0.json, "required" of each object used) and those
GitHub code scanning needs on top (a rule id, a message and a physical location per
result; an id per rule). Exits non-zero with the first violation."""
import json
import sys


def fail(path, message):
    sys.exit(f"check_sarif: {path}: {message}")


def require(obj, keys, path):
    if not isinstance(obj, dict):
        fail(path, "expected an object")
    for key in keys:
        if key not in obj:
            fail(path, f"missing required property '{key}'")


def check_physical_location(loc, path):
    require(loc, ["artifactLocation"], path)
    require(loc["artifactLocation"], ["uri"], path + ".artifactLocation")
    if "region" in loc:
        region = loc["region"]
        if "startLine" not in region and "charOffset" not in region:
            fail(path + ".region", "a region needs startLine or charOffset")
        if region.get("startLine", 1) < 1:
            fail(path + ".region", "startLine must be >= 1")


def check_location(loc, path):
    if "physicalLocation" in loc:
        check_physical_location(loc["physicalLocation"], path + ".physicalLocation")
    if "message" in loc:
        require(loc["message"], ["text"], path + ".message")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        log = json.load(f)
    require(log, ["version", "runs"], "$")
    if log["version"] != "2.1.0":
        fail("$.version", "must be 2.1.0")
    if "$schema" not in log:
        fail("$", "missing $schema")
    for r, run in enumerate(log["runs"]):
        rp = f"$.runs[{r}]"
        require(run, ["tool"], rp)
        require(run["tool"], ["driver"], rp + ".tool")
        driver = run["tool"]["driver"]
        require(driver, ["name"], rp + ".tool.driver")
        rule_ids = []
        for i, rule in enumerate(driver.get("rules", [])):
            require(rule, ["id"], f"{rp}.tool.driver.rules[{i}]")
            for text in ("shortDescription", "fullDescription", "help"):
                if text in rule:
                    require(rule[text], ["text"], f"{rp}.tool.driver.rules[{i}].{text}")
            rule_ids.append(rule["id"])
        for i, result in enumerate(run.get("results", [])):
            path = f"{rp}.results[{i}]"
            require(result, ["message", "ruleId", "locations"], path)
            require(result["message"], ["text"], path + ".message")
            if result["ruleId"] not in rule_ids:
                fail(path, f"ruleId '{result['ruleId']}' is not a rule of the driver")
            if "ruleIndex" in result and rule_ids[result["ruleIndex"]] != result["ruleId"]:
                fail(path, "ruleIndex does not match ruleId")
            if result.get("level", "warning") not in ("none", "note", "warning", "error"):
                fail(path, "bad level")
            if not result["locations"]:
                fail(path, "code scanning needs at least one location")
            for j, loc in enumerate(result["locations"]):
                check_location(loc, f"{path}.locations[{j}]")
            for j, loc in enumerate(result.get("relatedLocations", [])):
                check_location(loc, f"{path}.relatedLocations[{j}]")
            for j, fix in enumerate(result.get("fixes", [])):
                require(fix, ["artifactChanges"], f"{path}.fixes[{j}]")
                for k, change in enumerate(fix["artifactChanges"]):
                    cp = f"{path}.fixes[{j}].artifactChanges[{k}]"
                    require(change, ["artifactLocation", "replacements"], cp)
                    for m, rep in enumerate(change["replacements"]):
                        require(rep, ["deletedRegion"], f"{cp}.replacements[{m}]")
        for i, artifact in enumerate(run.get("artifacts", [])):
            if "location" in artifact:
                require(artifact["location"], ["uri"], f"{rp}.artifacts[{i}].location")
    print("check_sarif: OK")


if __name__ == "__main__":
    main()
