#!/usr/bin/env python3
"""Builds bench-results/summary.md from hyperfine's JSON exports.

  bench-summary.py bench-results > bench-results/summary.md

One table row per mode and benchmark: mean +- standard deviation for wg and
for wgmesh, and the ratio wgmesh/wg (below 1 means wgmesh is faster), then
the message counts that WGMESH_STATS=1 reported.
"""
import glob
import json
import os
import sys


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.3f} s"


def main() -> int:
    folder = sys.argv[1] if len(sys.argv) > 1 else "bench-results"
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "*-*.json"))):
        base = os.path.basename(path)[:-5]
        if base.endswith("-messages"):
            continue
        mode, _, label = base.partition("-")
        try:
            results = {r["command"]: r for r in json.load(open(path))["results"]}
        except (OSError, ValueError, KeyError):
            continue
        wg, mine = results.get("wg"), results.get("wgmesh")
        if not wg or not mine:
            continue
        ratio = mine["mean"] / wg["mean"] if wg["mean"] else float("nan")
        rows.append((mode, label, wg, mine, ratio, len(mine.get("times", []))))
    print("# wgmesh vs wg benchmarks\n")
    print("Made by `make bench` (scripts/bench). Kernel rows ran in a virtme-ng VM under software")
    print("emulation, so compare within a row, not with bare-metal numbers. Userspace rows ran on the")
    print("host against wireguard-go. Ratio = wgmesh / wg (below 1: wgmesh is faster).\n")
    print("| backend | benchmark | runs | wg (mean ± sd) | wgmesh (mean ± sd) | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for mode, label, wg, mine, ratio, runs in rows:
        print(f"| {mode} | {label} | {runs} | {fmt(wg['mean'])} ± {fmt(wg['stddev'] or 0)} "
              f"| {fmt(mine['mean'])} ± {fmt(mine['stddev'] or 0)} | {ratio:.2f} |")
    counts = []
    for path in sorted(glob.glob(os.path.join(folder, "*-messages.json"))):
        try:
            counts.append(json.load(open(path)))
        except (OSError, ValueError):
            pass
    if counts:
        print("\nMessages sent by wgmesh (WGMESH_STATS=1), 10,000 peers:\n")
        print("| backend | full setconf | syncconf, one peer changed | syncconf, nothing changed |")
        print("| --- | --- | --- | --- |")
        for c in counts:
            print(f"| {c['mode']} | {c['setconf_10000']} | {c['syncconf_one_change']} | {c['syncconf_no_change']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
