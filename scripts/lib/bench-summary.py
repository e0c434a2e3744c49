#!/usr/bin/env python3
"""Builds bench-results/summary.md from hyperfine's JSON exports.

  bench-summary.py bench-results > bench-results/summary.md

One table row per mode and benchmark: mean +- standard deviation for wg and
for wgmesh, and the ratio wgmesh/wg (below 1 means wgmesh is faster), then
the message counts that WGMESH_STATS=1 reported, then the node service's
rows (bench-results/agent-*.json, from scripts/lib/bench-agent.py).
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
        if base.endswith("-messages") or base.startswith("agent-"):
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
    agent_rows(folder)
    return 0


def load(path):
    try:
        return json.load(open(path))
    except (OSError, ValueError):
        return None


def agent_rows(folder):
    """The node service's table: what, wgmesh, reference, ratio, target, met?"""
    colds = [c for c in (load(os.path.join(folder, name)) for name in
                         ("agent-coldstart.json", "agent-coldstart-kernel.json")) if c]
    prop = load(os.path.join(folder, "agent-propagation.json"))
    if not colds and not prop:
        return
    print("\n## Node service (wgmeshd)\n")
    print("Reference for the cold start: `wg setconf` of the same peers + `ip -batch` of the same routes on a")
    print("fresh device, timed by the same observer in the same run. Ratio = wgmesh / reference.\n")
    print("| what | wgmesh | reference | ratio | target | met? |")
    print("| --- | --- | --- | --- | --- | --- |")
    for cold in colds:
        backend = cold.get("backend", "userspace")
        if "error" in cold:
            print(f"| cold start, {cold.get('nodes', '?')} nodes, {backend} | failed: {cold['error'][:120]} | | | ≤ 1.5× | no |")
            continue
        mine, ref, n, runs = cold["wgmeshd"], cold["reference"], cold["nodes"], cold["runs"]
        print(f"| cold start, {n:,} nodes, {backend}: all peers and routes (median of {runs}) | {fmt(mine['median_s'])} "
              f"| {fmt(ref['median_s'])} | {cold['ratio_median']:.2f} | ≤ 1.5× | {met(cold['ratio_median'] <= 1.5)} |")
        print(f"| cold start, {n:,} nodes, {backend} (min of {runs}) | {fmt(mine['min_s'])} | {fmt(ref['min_s'])} "
              f"| {cold['ratio_min']:.2f} | ≤ 1.5× | {met(cold['ratio_min'] <= 1.5)} |")
        hwm, rss = cold["vmhwm_kib_max"] / 1024, cold["vmrss_kib_max"] / 1024
        print(f"| wgmeshd memory at {n:,} peers, {backend}: VmHWM / VmRSS (max of runs) | {hwm:.1f} MiB / {rss:.1f} MiB "
              f"| | | ≤ 64 MiB | {met(hwm <= 64)} |")
    if prop and "error" in prop:
        print(f"| key propagation, 10-node mesh | failed: {prop['error'][:120]} | | | p99 < 250 ms | no |")
    elif prop:
        nodes = prop["daemons"] + prop["simulated"]
        print(f"| a new key reaches all {prop['daemons']} daemons ({nodes}-node mesh, {prop['reps']} reps): "
              f"p50 / p99 / max | {prop['p50_ms']:.1f} / {prop['p99_ms']:.1f} / {prop['max_ms']:.1f} ms "
              f"| | | p99 < 250 ms | {met(prop['p99_ms'] < 250)} |")
        if "commit_p99_ms" in prop:
            print(f"| the same, from the write's commit (the SQLite write itself left out; write max "
                  f"{prop['write_max_ms']:.1f} ms) | {prop['commit_p50_ms']:.1f} / {prop['commit_p99_ms']:.1f} / "
                  f"{prop['commit_max_ms']:.1f} ms | | | p99 < 250 ms | {met(prop['commit_p99_ms'] < 250)} |")


def met(ok):
    return "yes" if ok else "**no**"

if __name__ == "__main__":
    sys.exit(main())
