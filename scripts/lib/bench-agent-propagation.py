#!/usr/bin/env python3
"""The node service's propagation benchmark (run by bench-agent.py, as root).

  bench-agent-propagation.py --dstool PATH --out FILE [--daemons 9] [--reps 50]

A 10-node mesh: 9 real wgmeshd daemons in network namespaces (started by
scripts/lib/mesh.sh with release binaries, wireguard-go, SQLite), plus one
simulated node, sim-00000, written into the datastore by
`wgmesh-dstool seed-mesh`. For each repetition one `wgmesh-dstool rekey`
process (started once) writes a fresh public key, chosen here, into
sim-00000's Node record; this process polls the 9 UAPI sockets every 2 ms
and notes when each device first lists the new key.

Latency of a repetition = the last of the 9 first sightings - the writer's
CLOCK_REALTIME just before its transaction (so the write itself is inside),
and also - the time the transaction returned (from the commit: a SQLite write
that waits on a lock or fsync is the datastore's time, not propagation).
Writes FILE (JSON).
"""
import argparse
import base64
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PREFIX = "wgbp"
PERIOD = 0.002


def load(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(HERE, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


probe = load("bench-agent-probe")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))]


def mesh(env, *args):
    result = subprocess.run([os.path.join(ROOT, "scripts/lib/mesh.sh"), *args], env=env, capture_output=True,
                            text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"mesh.sh {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def wait_for_key(interfaces, hex_key, timeout):
    """{interface: realtime ns of the first poll that listed HEX_KEY}; stops
    at TIMEOUT seconds with the interfaces seen so far."""
    seen = {}
    deadline = time.monotonic() + timeout
    while len(seen) < len(interfaces) and time.monotonic() < deadline:
        tick = time.monotonic()
        for ifname in interfaces:
            if ifname not in seen and hex_key in probe.uapi_public_keys(ifname):
                seen[ifname] = time.time_ns()
        time.sleep(max(0.0, PERIOD - (time.monotonic() - tick)))
    return seen


def measure(args, env, url, interfaces):
    nodes = subprocess.run([args.dstool, "seed-mesh", url, "1", "sim"], capture_output=True, text=True, check=True)
    first_key = base64.b64decode(nodes.stdout.split()[1]).hex()
    if len(wait_for_key(interfaces, first_key, 60)) < len(interfaces):
        raise RuntimeError("the simulated node did not reach every daemon within 60 s")
    rekey = subprocess.Popen([args.dstool, "rekey", url, "sim-00000"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True, bufsize=1)
    samples = []
    try:
        for rep in range(args.reps + 1):  # the first is a warm-up
            raw = os.urandom(32)
            rekey.stdin.write(base64.b64encode(raw).decode() + "\n")
            rekey.stdin.flush()
            seen = wait_for_key(interfaces, raw.hex(), 10)
            reply = rekey.stdout.readline().split()
            if len(reply) != 4:
                raise RuntimeError("wgmesh-dstool rekey stopped answering")
            started, committed = int(reply[2]), int(reply[3])
            if len(seen) < len(interfaces):
                missing = sorted(set(interfaces) - set(seen))
                raise RuntimeError(f"repetition {rep}: the new key did not reach {missing} within 10 s")
            if rep > 0:
                per_node = sorted((at - started) / 1e6 for at in seen.values())
                samples.append({"all_ms": per_node[-1], "first_ms": per_node[0], "median_node_ms": per_node[len(per_node) // 2],
                                "write_ms": (committed - started) / 1e6})
            time.sleep(args.gap)
    finally:
        rekey.stdin.close()
        rekey.wait(timeout=10)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dstool", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--daemons", type=int, default=9)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.3, help="seconds between repetitions")
    parser.add_argument("--build", default="release")
    args = parser.parse_args()
    work = f"/tmp/wgmesh-bench-mesh-{os.getpid()}"
    env = dict(os.environ, MESH_PREFIX=PREFIX, MESH_DIR=work, BUILD=args.build, MESH_TIMEOUT="120")
    interfaces = [f"{PREFIX}w{i}" for i in range(1, args.daemons + 1)]
    result = {"daemons": args.daemons, "simulated": 1, "reps": args.reps, "backend": "userspace", "datastore": "sqlite"}
    try:
        mesh(env, "up", "--nodes", str(args.daemons), "--pods", "0", "--datastore", "sqlite", "--backend", "userspace")
        samples = measure(args, env, f"sqlite://{work}/datastore.db", interfaces)
        latencies = [s["all_ms"] for s in samples]
        result.update({"p50_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99),
                       "max_ms": max(latencies), "min_ms": min(latencies),
                       "write_p50_ms": percentile([s["write_ms"] for s in samples], 0.5),
                       "write_max_ms": max(s["write_ms"] for s in samples)})
        from_commit = [s["all_ms"] - s["write_ms"] for s in samples]
        result.update({"commit_p50_ms": percentile(from_commit, 0.5), "commit_p99_ms": percentile(from_commit, 0.99),
                       "commit_max_ms": max(from_commit), "samples": samples})
    except (RuntimeError, subprocess.CalledProcessError) as error:
        result["error"] = str(error)
        logs = []
        for i in range(1, args.daemons + 1):
            path = f"{work}/n{i}/wgmeshd.log"
            if os.path.exists(path):
                logs.append(f"--- n{i}\n" + open(path, errors="replace").read()[-1500:])
        result["log_tail"] = "\n".join(logs)[-6000:]
    finally:
        try:
            mesh(env, "down")
        except RuntimeError as error:
            print(error, file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)
    json.dump(result, open(args.out, "w"), indent=2)
    print(json.dumps({k: v for k, v in result.items() if k not in ("samples", "log_tail")}))
    if "log_tail" in result:
        print(result["log_tail"], file=sys.stderr)
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
