#!/usr/bin/env python3
"""Counts Swift Testing results from --xunit-output files.

  xunit-count.py FILE...   prints "PASSED FAILED SKIPPED"

A test case passes only when it has neither <failure> nor <skipped>; a missing
or unreadable file (the bundle crashed before writing it) counts as one
failure, so a crash can never look like success.
"""
import sys
import xml.etree.ElementTree as ET


def count(path: str):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        sys.stderr.write(f"xunit-count: {path}: {error}\n")
        return 0, 1, 0
    passed = failed = skipped = 0
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main() -> int:
    totals = [0, 0, 0]
    for path in sys.argv[1:]:
        for i, n in enumerate(count(path)):
            totals[i] += n
    print(*totals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
