#!/usr/bin/env python3
"""Merges every phase of scripts/test into one honest count.

  test-summary.py [--xunit FILE]... [--compat FILE]... [--phase NAME=STATUS[:FILE,...]]...

Swift test bundles run several times (host, netns, VM) with different gates
open, so a test is counted once, by its best-known outcome: failed if it
failed anywhere, passed if it ran and passed somewhere, else skipped. A
skipped test is never counted as passed. Compat results files hold
"passed failed skipped". A phase that exited non-zero without a failure in
its own results files (a build error, a VM that did not boot, a crash before
the results were written) counts as one failure. Prints the skipped count, then the closing line
"N passed, M failed".
"""
import argparse
import os
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--xunit", action="append", default=[])
    ap.add_argument("--compat", action="append", default=[])
    ap.add_argument("--phase", action="append", default=[])
    args = ap.parse_args()

    outcome = {}  # (classname, name) -> "failed" | "passed" | "skipped"
    rank = {"skipped": 0, "passed": 1, "failed": 2}
    passed = failed = skipped = 0
    notes = []
    failures_in = {}  # results file -> failures it reported
    for path in args.xunit:
        if not os.path.exists(path):
            continue  # reported through its phase's status
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as error:
            notes.append(f"{path}: unreadable ({error})")
            continue
        failures_in[path] = 0
        for case in root.iter("testcase"):
            key = (case.get("classname"), case.get("name"))
            if case.find("failure") is not None or case.find("error") is not None:
                state = "failed"
            elif case.find("skipped") is not None:
                state = "skipped"
            else:
                state = "passed"
            failures_in[path] += state == "failed"
            if key not in outcome or rank[state] >= rank[outcome[key]]:
                outcome[key] = state
    for state in outcome.values():
        if state == "passed":
            passed += 1
        elif state == "failed":
            failed += 1
        else:
            skipped += 1
    for path in args.compat:
        try:
            p, f, s = (int(x) for x in open(path).read().split())
        except (OSError, ValueError):
            continue  # reported through its phase's status
        passed, failed, skipped = passed + p, failed + f, skipped + s
        failures_in[path] = f
    for phase in args.phase:
        name, _, rest = phase.partition("=")
        status, _, files = rest.partition(":")
        if status == "0":
            continue
        if any(failures_in.get(f, 0) > 0 for f in files.split(",") if f):
            continue
        failed += 1
        notes.append(f"phase '{name}' exited {status} without a failure in its results")
    for note in notes:
        print(f"  counted as failed: {note}")
    print(f"{skipped} skipped (not counted as passed)")
    print(f"{passed} passed, {failed} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
