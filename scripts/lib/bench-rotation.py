#!/usr/bin/env python3
"""Key rotation disruption benchmark (run by scripts/bench, as root).

  bench-rotation.py [--rotations 20] [--datastore sqlite|etcd] [--out FILE] [--markdown FILE]
                    [--mesh-dir DIR --prefix P] [--rate 100] [--seconds 5] [--remote]

A 3-node mesh (scripts/lib/mesh.sh, wireguard-go, one pod a node; BUILD=release
picks the release binaries). For each rotation, pod 1 of every pair of nodes
that includes node 1 pings the other at RATE packets a second, both ways
(n1->n2, n2->n1, n1->n3, n3->n1): SECONDS of traffic, with `wgmesh rotate-key`
on node 1 one second in. Lost packets of a link = transmitted - received.
A rotation's disruption is its worst link; the target is at most 25 packets
(250 ms at 100 pps), p99 over the rotations. After each rotation, every
peer's `wg show` must list node 1's new key.

With --mesh-dir and --prefix it measures an existing mesh (the E2E test's)
and leaves it up; otherwise it makes its own (prefix wgbr) and tears it down.
--remote rotates through the datastore (`rotate-key --node n1`) instead of
the control socket. Prints one `rotation I: ...` line a rotation and, last,
`summary new_key=K lost_max=N lost_total=M` for the last rotation.
Writes FILE (JSON) and appends a markdown row to --markdown when given.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MESH = os.path.join(HERE, "mesh.sh")
TARGET = 25
LINKS = [(1, 2), (2, 1), (1, 3), (3, 1)]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))]


class Mesh:
    def __init__(self, directory, prefix):
        self.directory = directory
        self.prefix = prefix
        self.env = dict(os.environ, MESH_PREFIX=prefix, MESH_TIMEOUT="120")

    def run(self, *args):
        result = subprocess.run(["bash", MESH, "--dir", self.directory, *args], env=self.env, capture_output=True,
                                text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise RuntimeError(f"mesh.sh {' '.join(args)} failed:\n{result.stderr[-3000:]}{result.stdout[-1000:]}")
        return result.stdout

    def key(self, node):
        for line in self.run("nodes").splitlines():
            fields = line.split()
            if fields and fields[0] == f"n{node}":
                return fields[1]
        raise RuntimeError(f"node n{node} is not in the datastore")

    def peer_keys(self, node):
        """Public keys of node NODE's peers, from `wg show dump` (line 1 is the device)."""
        return {line.split("\t")[0] for line in self.run("wg-dump", str(node)).splitlines()[1:] if line}


def wgmesh_binary():
    return os.path.join(ROOT, ".build", "release" if os.environ.get("BUILD") == "release" else "debug", "wgmesh")


def start_pings(mesh, addresses, rate, seconds):
    count = int(rate * seconds)
    interval = f"{1.0 / rate:.3f}"
    pings = {}
    for source, destination in LINKS:
        namespace = f"{mesh.prefix}-n{source}p1"
        pings[(source, destination)] = subprocess.Popen(
            ["ip", "netns", "exec", namespace, "ping", "-n", "-q", "-i", interval, "-c", str(count), "-W", "1",
             addresses[destination]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            stdin=subprocess.DEVNULL)
    return pings


def lost(pings):
    result = {}
    for (source, destination), process in pings.items():
        output, _ = process.communicate(timeout=120)
        match = re.search(r"(\d+) packets transmitted, (\d+) received", output)
        if not match:
            raise RuntimeError(f"ping n{source}->n{destination} printed no statistics:\n{output}")
        result[f"n{source}->n{destination}"] = int(match.group(1)) - int(match.group(2))
    return result


def rotate(mesh, remote):
    if remote:
        before = mesh.key(1)
        mesh.run("wgmesh", "rotate-key", "--node", "n1")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            key = mesh.key(1)
            if key != before:
                return key, None
            time.sleep(0.05)
        raise RuntimeError("node n1 did not publish a new key within 30 s of the datastore request")
    socket = os.path.join(mesh.directory, "n1", "wgmeshd.sock")
    result = subprocess.run([wgmesh_binary(), "rotate-key", "--control-socket", socket], capture_output=True,
                            text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"wgmesh rotate-key failed: {result.stderr.strip()}")
    match = re.search(r"-> (\S+) \(published in (\d+) ms(?:, device switched in (\d+) ms)?", result.stdout)
    if not match:
        raise RuntimeError(f"wgmesh rotate-key printed {result.stdout!r}")
    return match.group(1), {"publish_ms": int(match.group(2)), "switch_ms": int(match.group(3) or 0)}


def wait_for_peers(mesh, key, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(key in mesh.peer_keys(node) for node in (2, 3)):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nodes n2 and n3 do not both show n1's new key {key} within {timeout} s")


def measure(mesh, args):
    addresses = {node: mesh.run("pod-ip", str(node), "1").strip() for node in (1, 2, 3)}
    samples = []
    for index in range(args.rotations):
        pings = start_pings(mesh, addresses, args.rate, args.seconds)
        time.sleep(1.0)
        key, timings = rotate(mesh, args.remote)
        links = lost(pings)
        wait_for_peers(mesh, key)
        sample = {"new_key": key, "lost": links, "lost_max": max(links.values()), "lost_total": sum(links.values())}
        if timings:
            sample.update(timings)
        samples.append(sample)
        print(f"rotation {index + 1}: lost {links} (worst link {sample['lost_max']})"
              + (f", published in {timings['publish_ms']} ms, switched in {timings['switch_ms']} ms" if timings else ""),
              flush=True)
        time.sleep(0.5)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rotations", type=int, default=20)
    parser.add_argument("--datastore", choices=["sqlite", "etcd"], default="sqlite")
    parser.add_argument("--out")
    parser.add_argument("--markdown")
    parser.add_argument("--mesh-dir")
    parser.add_argument("--prefix")
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--remote", action="store_true")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench-rotation.py needs root (network namespaces): run it through scripts/bench or sudo")

    own = args.mesh_dir is None
    if not own:
        # An existing mesh says which datastore it runs on.
        with open(os.path.join(args.mesh_dir, "mesh.env")) as handle:
            match = re.search(r"^DATASTORE=['\"]?(\w+)", handle.read(), re.MULTILINE)
            args.datastore = match.group(1) if match else args.datastore
    mesh = Mesh(args.mesh_dir or tempfile.mkdtemp(prefix="wgmesh-bench-rotation-"), args.prefix or "wgbr")
    if own:
        backend = os.environ.get("WGMESH_E2E_BACKEND", "userspace")
        mesh.run("up", "--nodes", "3", "--pods", "1", "--datastore", args.datastore, "--backend", backend)
    try:
        samples = measure(mesh, args)
    finally:
        if own:
            subprocess.run(["bash", MESH, "--dir", mesh.directory, "down"], env=mesh.env, capture_output=True)

    worst = [sample["lost_max"] for sample in samples]
    result = {
        "benchmark": "rotation-disruption", "nodes": 3, "datastore": args.datastore, "rate_pps": args.rate,
        "links": [f"n{a}->n{b}" for a, b in LINKS], "remote": args.remote, "rotations": samples,
        "lost_worst_link": {"p50": percentile(worst, 0.5), "p99": percentile(worst, 0.99), "max": max(worst)},
        "target_p99": TARGET,
    }
    result["met"] = result["lost_worst_link"]["p99"] <= TARGET
    if args.out:
        with open(args.out, "w") as handle:
            json.dump(result, handle, indent=2)
    row = (f"| Rotation disruption ({args.rotations} rotations, 3 nodes, {args.datastore}, {args.rate} pps each way "
           f"per link), lost packets on the worst link | p50 {result['lost_worst_link']['p50']} | "
           f"p99 {result['lost_worst_link']['p99']} | max {result['lost_worst_link']['max']} | "
           f"target p99 <= {TARGET}: {'met' if result['met'] else 'MISSED'} |")
    print(row)
    if args.markdown:
        with open(args.markdown, "a") as handle:
            handle.write(row + "\n")
    last = samples[-1]
    print(f"summary new_key={last['new_key']} lost_max={last['lost_max']} lost_total={last['lost_total']}")
    # The E2E test reads the summary and judges the loss itself; scripts/bench wants the verdict.
    sys.exit(0 if result["met"] or args.mesh_dir else 1)


if __name__ == "__main__":
    main()
