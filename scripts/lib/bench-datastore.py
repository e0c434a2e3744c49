#!/usr/bin/env python3
"""Datastore benchmarks for `make bench`: listing 5,000 Nodes and watch propagation.

  bench-datastore.py --wgmesh PATH --dstool PATH --out DIR [--runs N] [--updates N]

For each backend (the embedded SQLite file, and a one-member etcd on loopback):

* list: 5,000 Node records are seeded, then `wgmesh-dstool list-nodes` lists and
  decodes them in-process N times (target: under 200 ms). The same listing is
  timed end to end, as processes, against the reference tool in the same run:
  `wgmesh get nodes -o json` vs `etcdctl get --prefix -w json` (etcd) or
  `sqlite3 ... SELECT` (SQLite). Ratio = wgmesh / reference.
* watch: 20 watcher processes (`wgmesh-dstool watch`), one writer stamping
  CLOCK_REALTIME into the value; latency = receive time - stamp, p50 and p99
  over every (update, watcher) pair (target: p99 under 100 ms). For etcd, 20
  `etcdctl watch` processes see the same updates as the reference.

Writes DIR/datastore.json and DIR/datastore.md.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

NODES_PREFIX = "/wgmesh/v1/nodes/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


class Etcd:
    """One etcd member on loopback in a throwaway data dir."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="wgmesh-bench-etcd-")
        self.client, peer = free_port(), free_port()
        self.endpoint = f"127.0.0.1:{self.client}"
        log = open(os.path.join(self.dir, "etcd.log"), "w")
        self.proc = subprocess.Popen(
            ["etcd", "--name", "bench", "--data-dir", os.path.join(self.dir, "data"),
             "--listen-client-urls", f"http://{self.endpoint}", "--advertise-client-urls", f"http://{self.endpoint}",
             "--listen-peer-urls", f"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer}",
             "--initial-cluster", f"bench=http://127.0.0.1:{peer}", "--quota-backend-bytes", str(4 << 30)],
            stdout=log, stderr=log)
        deadline = time.time() + 30
        while time.time() < deadline:
            ok = subprocess.run(["etcdctl", "--endpoints", self.endpoint, "endpoint", "health"],
                                capture_output=True).returncode == 0
            if ok:
                return
            time.sleep(0.2)
        raise SystemExit(f"etcd did not start; see {self.dir}/etcd.log")

    def stop(self):
        self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def hyperfine(name, commands, out, runs):
    path = os.path.join(out, f"datastore-{name}.json")
    args = ["hyperfine", "--warmup", "1", "--runs", str(runs), "--export-json", path, "--style", "none"]
    for label, command in commands:
        args += ["--command-name", label, command]
    run(args)
    results = {r["command"]: r for r in json.load(open(path))["results"]}
    return results


def bench_list(backend, url, args, reference):
    run([args.dstool, "seed-nodes", url, str(args.nodes)])
    lines = run([args.dstool, "list-nodes", url, str(args.runs)]).split()
    in_process = [float(x) for x in lines]
    env_url = f"WGMESH_DATASTORE='{url}'"
    results = hyperfine(f"list-{backend}", [
        ("wgmesh", f"{env_url} {args.wgmesh} get nodes -o json > /dev/null"),
        ("reference", f"{reference} > /dev/null"),
    ], args.out, args.runs)
    mine, ref = results["wgmesh"], results["reference"]
    return {
        "backend": backend, "nodes": args.nodes,
        "in_process_ms_median": statistics.median(in_process), "in_process_ms_all": in_process,
        "cli_mean_s": mine["mean"], "cli_sd_s": mine["stddev"] or 0,
        "reference": reference.split()[0], "reference_mean_s": ref["mean"], "reference_sd_s": ref["stddev"] or 0,
        "ratio": mine["mean"] / ref["mean"],
    }


def collect(proc, sink, stamped):
    """Reads a watcher's lines; `stamped` tells whether the line carries its own receive time."""
    for line in proc.stdout:
        now = time.time_ns()
        parts = line.split()
        if stamped and len(parts) >= 5:
            sink.append((int(parts[4]), int(parts[3])))
        elif not stamped and parts and parts[-1].isdigit():
            sink.append((int(parts[-1]), now))


def bench_watch(backend, url, args, etcd_endpoint=None):
    key = f"/wgmesh/bench/watch-{backend}"
    total = args.updates + 1  # one warm-up event proves every watcher is connected
    samples = {"wgmesh": [], "etcdctl": []}
    procs, threads = [], []

    def start(cmd, sink, stamped):
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        thread = threading.Thread(target=collect, args=(proc, sink, stamped), daemon=True)
        thread.start()
        procs.append(proc)
        threads.append(thread)

    for _ in range(args.watchers):
        start([args.dstool, "watch", url, key, str(total)], samples["wgmesh"], True)
        if etcd_endpoint:
            start(["etcdctl", "--endpoints", etcd_endpoint, "watch", key], samples["etcdctl"], False)
    time.sleep(2)
    run([args.dstool, "stamp", url, key])
    deadline = time.time() + 20
    expected = args.watchers * (2 if etcd_endpoint else 1)
    while time.time() < deadline and len(samples["wgmesh"]) + len(samples["etcdctl"]) // 2 < expected:
        time.sleep(0.05)
    for sink in samples.values():
        sink.clear()
    for _ in range(args.updates):
        run([args.dstool, "stamp", url, key])
        time.sleep(0.1)
    deadline = time.time() + 20
    while time.time() < deadline and len(samples["wgmesh"]) < args.watchers * args.updates:
        time.sleep(0.05)
    time.sleep(0.5)
    for proc in procs:
        proc.kill()
        proc.wait()
    result = {"backend": backend, "watchers": args.watchers, "updates": args.updates}
    for tool, sink in samples.items():
        if not sink:
            continue
        latencies = [(received - sent) / 1e6 for sent, received in sink]
        result[tool] = {
            "events": len(latencies), "expected": args.watchers * args.updates,
            "p50_ms": percentile(latencies, 0.50), "p99_ms": percentile(latencies, 0.99),
            "max_ms": max(latencies),
        }
    return result


def markdown(lists, watches):
    out = ["## Datastore\n",
           "Made by `make bench` (scripts/lib/bench-datastore.py): 5,000 Node records listed and decoded;",
           "one update seen by 20 watcher processes. SQLite is the embedded file, watched across processes;",
           "etcd is one member on loopback. Ratio = wgmesh / reference tool, measured in the same run.\n",
           "| backend | list + decode 5,000 Nodes, in-process (median) | `wgmesh get nodes -o json` | reference | reference tool | ratio |",
           "| --- | --- | --- | --- | --- | --- |"]
    for r in lists:
        out.append(f"| {r['backend']} | {r['in_process_ms_median']:.1f} ms | {r['cli_mean_s'] * 1000:.1f} ms "
                   f"± {r['cli_sd_s'] * 1000:.1f} | {r['reference_mean_s'] * 1000:.1f} ms ± {r['reference_sd_s'] * 1000:.1f} "
                   f"| {r['reference']} | {r['ratio']:.2f} |")
    out += ["", "| backend | watchers | updates | wgmesh p50 | wgmesh p99 | events seen | etcdctl p50 | etcdctl p99 |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for w in watches:
        mine, ref = w.get("wgmesh", {}), w.get("etcdctl")
        refcols = f"{ref['p50_ms']:.1f} ms | {ref['p99_ms']:.1f} ms" if ref else "n/a | n/a"
        out.append(f"| {w['backend']} | {w['watchers']} | {w['updates']} | {mine.get('p50_ms', float('nan')):.1f} ms "
                   f"| {mine.get('p99_ms', float('nan')):.1f} ms | {mine.get('events', 0)}/{mine.get('expected', 0)} | {refcols} |")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wgmesh", required=True)
    parser.add_argument("--dstool", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--watchers", type=int, default=20)
    parser.add_argument("--updates", type=int, default=50)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="wgmesh-bench-sqlite-")
    etcd = Etcd()
    try:
        db = os.path.join(work, "datastore.db")
        sqlite_url = f"sqlite://{db}"
        etcd_url = f"etcd://{etcd.endpoint}"
        lists = [
            bench_list("sqlite", sqlite_url, args,
                       f"sqlite3 {db} \"SELECT value FROM kv WHERE key >= '{NODES_PREFIX}' AND key < '/wgmesh/v1/nodes0'\""),
            bench_list("etcd", etcd_url, args, f"etcdctl --endpoints {etcd.endpoint} get --prefix {NODES_PREFIX} -w json"),
        ]
        watches = [bench_watch("sqlite", sqlite_url, args), bench_watch("etcd", etcd_url, args, etcd.endpoint)]
    finally:
        etcd.stop()
        shutil.rmtree(work, ignore_errors=True)
    json.dump({"list": lists, "watch": watches}, open(os.path.join(args.out, "datastore.json"), "w"), indent=2)
    text = markdown(lists, watches)
    open(os.path.join(args.out, "datastore.md"), "w").write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
