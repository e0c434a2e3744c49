#!/usr/bin/env python3
"""The node service's benchmarks for `make bench` (issue 4), on the host, as root.

  bench-agent.py --wgmeshd PATH --dstool PATH --out DIR [--runs N] [--nodes 5000]
                 [--reps 50] [--no-cold] [--no-propagation] [--backend userspace|kernel]

* Cold start: a SQLite datastore seeded with N simulated nodes (a key, an
  address and a claimed /26 each: `wgmesh-dstool seed-mesh`); time from
  starting wgmeshd, in a fresh network namespace, until its wireguard-go
  device holds all N peers and table 51821 routes all N blocks. Reference, in
  the same run and timed by the same observer: `wg setconf` of the same peers
  plus `ip -batch` of the same routes on a fresh wireguard-go device.
  Runs alternate reference / wgmeshd, N runs each (bench-agent-cold.py).
  Also wgmeshd's VmHWM and VmRSS at N peers. Targets: ratio of medians at
  most 1.5; RSS at most 64 MiB.
* Propagation: 9 wgmeshd daemons plus one simulated node; time from a
  write of the simulated node's new key to the key on all 9 devices
  (bench-agent-propagation.py). Target: p99 under 250 ms.

--backend kernel (inside the VM) runs the cold start only, on kernel WireGuard.

Writes DIR/agent-coldstart[-kernel].json and DIR/agent-propagation.json; exits 1 when
a bench could not run (a missed target is reported, not an error).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def cold_run(args, mode, nodes_file, db, work):
    cmd = [os.path.join(ROOT, "scripts/netns"), sys.executable, os.path.join(HERE, "bench-agent-cold.py"),
           "--mode", mode, "--nodes-file", nodes_file, "--work", work, "--timeout", str(args.timeout),
           "--backend", args.backend]
    if mode == "wgmeshd":
        cmd += ["--db", db, "--wgmeshd", args.wgmeshd]
    result = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"mode": mode, "error": f"no result (exit {result.returncode}): {result.stderr.strip()[-2000:]}"}
    return json.loads(lines[-1])


def summarize(times):
    return {"median_s": statistics.median(times), "min_s": min(times), "all_s": times}


def bench_cold(args):
    # Under the output folder: inside the VM it is the one writable share.
    work = tempfile.mkdtemp(prefix="cold-work-", dir=args.out)
    try:
        db, nodes_file = os.path.join(work, "seed.db"), os.path.join(work, "nodes.txt")
        with open(nodes_file, "w") as out:
            subprocess.run([args.dstool, "seed-mesh", f"sqlite://{db}", str(args.nodes)], stdout=out, check=True)
        runs = {"reference": [], "wgmeshd": []}
        for index in range(args.runs):
            for mode in ("reference", "wgmeshd"):
                result = cold_run(args, mode, nodes_file, db, os.path.join(work, f"{mode}-{index}"))
                print(f"bench: cold start {mode} run {index + 1}: "
                      + (f"{result['seconds']:.3f} s" if "error" not in result else result["error"]), flush=True)
                if "error" in result:
                    return {"nodes": args.nodes, "error": f"{mode} run {index + 1}: {result['error']}",
                            "log_tail": result.get("log_tail", ""), "runs": runs}
                runs[mode].append(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mine = summarize([r["seconds"] for r in runs["wgmeshd"]])
    ref = summarize([r["seconds"] for r in runs["reference"]])
    hwm = max(r["wgmeshd_vmhwm_kib"] for r in runs["wgmeshd"])
    rss = max(r["wgmeshd_vmrss_kib"] for r in runs["wgmeshd"])
    return {"nodes": args.nodes, "backend": args.backend, "runs": args.runs, "wgmeshd": mine, "reference": ref,
            "ratio_median": mine["median_s"] / ref["median_s"], "ratio_min": mine["min_s"] / ref["min_s"],
            "vmhwm_kib_max": hwm, "vmrss_kib_max": rss, "details": runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wgmeshd", required=True)
    parser.add_argument("--dstool", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=180, help="seconds one cold start may take")
    parser.add_argument("--backend", choices=["userspace", "kernel"], default="userspace",
                        help="kernel: the cold start only, inside the VM (scripts/vmtest)")
    parser.add_argument("--no-cold", action="store_true")
    parser.add_argument("--no-propagation", action="store_true")
    parser.add_argument("--build", default="release", help="mesh.sh BUILD (release or debug)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("bench-agent.py needs root: it creates network namespaces")
    os.makedirs(args.out, exist_ok=True)
    status = 0
    if not args.no_cold:
        cold = bench_cold(args)
        name = "agent-coldstart.json" if args.backend == "userspace" else f"agent-coldstart-{args.backend}.json"
        json.dump(cold, open(os.path.join(args.out, name), "w"), indent=2)
        if "error" in cold:
            print(f"cold start failed: {cold['error']}\n{cold.get('log_tail', '')}", file=sys.stderr)
            status = 1
        else:
            print(f"bench: cold start, {args.nodes} nodes: wgmeshd median {cold['wgmeshd']['median_s']:.3f} s, "
                  f"reference {cold['reference']['median_s']:.3f} s, ratio {cold['ratio_median']:.2f}; "
                  f"VmHWM {cold['vmhwm_kib_max'] / 1024:.1f} MiB", flush=True)
    if not args.no_propagation and args.backend == "userspace":
        result = subprocess.run([sys.executable, os.path.join(HERE, "bench-agent-propagation.py"), "--dstool", args.dstool,
                                 "--out", os.path.join(args.out, "agent-propagation.json"), "--reps", str(args.reps),
                                 "--build", args.build], stdin=subprocess.DEVNULL)
        status = status or (1 if result.returncode != 0 else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
