#!/usr/bin/env python3
"""Prints a Swift Testing --filter regex naming the suites that had skipped
tests in a host run (the ones gated on root, wireguard-go or the kernel).

  gated-filter.py host-swift-testing.xml [--exclude REGEX]

--exclude drops suites (by "Target.Suite") that are gated on root only and
already ran on the host in the netns phase: they need no kernel WireGuard,
and under emulation they only cost time.

The VM runs under software emulation, about ten times slower than the host,
so it runs only those suites. With nothing skipped it prints a pattern that
matches no test, so the VM run stays short.
"""
import re
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    suites = set()
    exclude = None
    if len(sys.argv) > 3 and sys.argv[2] == "--exclude":
        exclude = re.compile(sys.argv[3])
    try:
        root = ET.parse(sys.argv[1]).getroot()
        for case in root.iter("testcase"):
            name = case.get("classname")
            if case.find("skipped") is not None and name and not (exclude and exclude.search(name)):
                suites.add(name)
    except (OSError, ET.ParseError, IndexError):
        print(".")  # no host results: run everything
        return 0
    if not suites:
        print("^$no-gated-suites")
        return 0
    print("^(" + "|".join(re.escape(s) for s in sorted(suites)) + ")/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
