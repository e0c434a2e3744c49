#!/usr/bin/env python3
"""One cold-start run of the node service's benchmark (run by bench-agent.py
inside scripts/netns, so each run has a fresh network namespace and a
private /run/wireguard).

  bench-agent-cold.py --mode wgmeshd|reference --nodes-file F --work DIR
                      [--db SEEDED.db --wgmeshd PATH] [--backend userspace|kernel] [--timeout S]

Both modes end when the device holds every seeded peer and table 51821
routes every seeded block, seen by the same observer (bench-agent-probe.py):
a netlink dump of the table every 20 ms until the routes are complete, then
a UAPI `get=1` every 20 ms until the peers are (a 5,000-peer get is the
costly probe, so it polls at 20 ms only when it decides the end; before
that, every 250 ms to note roughly when the peers were complete).

* wgmeshd: the clock starts as wgmeshd is started on a copy of the seeded
  SQLite file, with no interface and a new state folder.
* reference: on a fresh device (wireguard-go, or a kernel link), the clock starts as
  `wg setconf` loads the same peers (keys, endpoints, allowed IPs), then
  `ip -batch` sets the link up and adds the same routes (dev IF, table 51821).

With --backend kernel (inside the VM) the peers are read with `wg show IF
peers`, a process per poll, since a kernel device has no UAPI socket.

Prints one JSON object on stdout.
"""
import argparse
import base64
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TABLE = 51821
FAST, SLOW = 0.020, 0.250


def load(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(HERE, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


probe = load("bench-agent-probe")


def sh(*args):
    result = subprocess.run(list(args), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def underlay():
    """A link with an address and a default route, as a node has; nothing leaves it."""
    # A veth pair: the host kernel has no dummy driver.
    sh("ip", "link", "add", "ul0", "type", "veth", "peer", "name", "ul1")
    sh("ip", "addr", "add", "10.99.0.1/24", "dev", "ul0")
    sh("ip", "link", "set", "ul1", "up")
    sh("ip", "link", "set", "ul0", "up")
    sh("ip", "route", "add", "default", "via", "10.99.0.254", "dev", "ul0")


def read_nodes(path):
    """[(key base64, endpoint, block)] from `wgmesh-dstool seed-mesh` output."""
    nodes = []
    for line in open(path):
        parts = line.split()
        if len(parts) == 4:
            nodes.append((parts[1], parts[2], parts[3]))
    return nodes


def peer_keys(ifname, backend):
    """The device's peer keys in hex, read the cheapest way its backend allows."""
    if backend != "kernel":
        return probe.uapi_public_keys(ifname)
    result = subprocess.run(["wg", "show", ifname, "peers"], capture_output=True, text=True)
    return {base64.b64decode(line).hex() for line in result.stdout.split()} if result.returncode == 0 else set()


def wait_converged(ifname, backend, keys, blocks, started, timeout, proc=None):
    """Polls until every key is a peer of IFNAME and every block is routed;
    returns the observation times (seconds after STARTED) and final counts."""
    dumper = probe.RouteDumper()
    routes_at = peers_at = peers_rough = None
    routed = have = 0
    next_slow = started
    try:
        while True:
            tick = time.monotonic()
            if routes_at is None:
                routed = probe.covered(blocks, dumper.routes(TABLE))
                if routed == len(blocks):
                    routes_at = time.monotonic()
            if peers_rough is None and (routes_at is not None or tick >= next_slow):
                next_slow = tick + SLOW
                have = len(keys & peer_keys(ifname, backend))
                if have == len(keys):
                    peers_rough = time.monotonic()
                    if routes_at is not None:
                        peers_at = peers_rough
            if routes_at is not None and peers_rough is not None:
                peers_at = peers_at or time.monotonic()
                break
            if proc is not None and proc.poll() is not None:
                return {"error": f"wgmeshd exited with status {proc.returncode}", "peers": have, "routes": routed}
            if tick - started > timeout:
                return {"error": f"not converged after {timeout} s", "peers": have, "routes": routed}
            time.sleep(max(0.0, FAST - (time.monotonic() - tick)))
        table = dumper.routes(TABLE)
    finally:
        dumper.close()
    return {"seconds": max(routes_at, peers_at) - started, "routes_seen_s": routes_at - started,
            "peers_seen_s": peers_rough - started, "peers": have, "routes": routed, "table_routes": len(table)}


def wireguard_go_kib():
    """VmHWM/VmRSS of the wireguard-go in this namespace (there is one)."""
    mine = os.readlink("/proc/self/ns/net")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if open(f"/proc/{pid}/comm").read().strip() == "wireguard-go" and os.readlink(f"/proc/{pid}/ns/net") == mine:
                return probe.memory_kib(int(pid))
        except OSError:
            continue
    return {}


def run_wgmeshd(args, nodes, keys, blocks, ifname):
    db = os.path.join(args.work, "datastore.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(args.db + suffix):
            shutil.copy(args.db + suffix, db + suffix)
    log_path = os.path.join(args.work, "wgmeshd.log")
    cmd = [args.wgmeshd, "--node-name", "bench-cold", "--datastore", f"sqlite://{db}", "--interface", ifname,
           "--wireguard-backend", args.backend, "--state-dir", os.path.join(args.work, "state"),
           "--control-socket", os.path.join(args.work, "wgmeshd.sock"), "--labels", "bench=daemon"]
    with open(log_path, "w") as log:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        try:
            result = wait_converged(ifname, args.backend, keys, blocks, started, args.timeout, proc)
            if "error" not in result:
                at_convergence = probe.memory_kib(proc.pid)
                time.sleep(2)  # what it keeps once the start-up work is over
                settled = probe.memory_kib(proc.pid)
                result.update({"wgmeshd_vmhwm_kib": settled["VmHWM"], "wgmeshd_vmrss_kib": settled["VmRSS"],
                               "wgmeshd_vmrss_at_convergence_kib": at_convergence["VmRSS"],
                               "wireguard_go_kib": wireguard_go_kib() if args.backend != "kernel" else {}})
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    if "error" in result:
        result["log_tail"] = open(log_path, errors="replace").read()[-3000:]
    return result


def run_reference(args, nodes, keys, blocks, ifname):
    # Not on the clock (the brief's reference is a fresh device), but noted:
    # wgmeshd's time includes making its device.
    device_started = time.monotonic()
    if args.backend == "kernel":
        sh("ip", "link", "add", ifname, "type", "wireguard")
    else:
        subprocess.run(["wireguard-go", ifname], check=True, capture_output=True)
        sock = f"/var/run/wireguard/{ifname}.sock"
        for _ in range(500):
            if os.path.exists(sock):
                break
            time.sleep(0.01)
    device_s = time.monotonic() - device_started
    conf, batch = os.path.join(args.work, "ref.conf"), os.path.join(args.work, "ref.batch")
    private = sh("wg", "genkey").strip()
    with open(conf, "w") as f:
        f.write(f"[Interface]\nPrivateKey = {private}\nListenPort = 51820\nFwMark = 0x100000\n")
        for key, endpoint, block in nodes:
            f.write(f"\n[Peer]\nPublicKey = {key}\nEndpoint = {endpoint}\nAllowedIPs = {block}\n")
    with open(batch, "w") as f:
        f.write(f"link set dev {ifname} up\n")
        for _, _, block in nodes:
            f.write(f"route add {block} dev {ifname} table {TABLE} proto 119\n")
    started = time.monotonic()
    sh("wg", "setconf", ifname, conf)
    sh("ip", "-batch", batch)
    commands = time.monotonic() - started
    result = wait_converged(ifname, args.backend, keys, blocks, started, args.timeout)
    result.update({"commands_s": commands, "device_create_s": device_s})
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["wgmeshd", "reference"], required=True)
    parser.add_argument("--nodes-file", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--db")
    parser.add_argument("--wgmeshd")
    parser.add_argument("--backend", choices=["userspace", "kernel"], default="userspace")
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()
    if args.mode == "wgmeshd" and not (args.db and args.wgmeshd):
        parser.error("--mode wgmeshd needs --db and --wgmeshd")
    os.makedirs(args.work, exist_ok=True)
    underlay()
    nodes = read_nodes(args.nodes_file)
    keys = {base64.b64decode(key).hex() for key, _, _ in nodes}
    blocks = {probe.ipv4_prefix(block) for _, _, block in nodes}
    ifname = f"wgbc{os.getpid() % 100000}"
    run = run_wgmeshd if args.mode == "wgmeshd" else run_reference
    result = run(args, nodes, keys, blocks, ifname)
    result.update({"mode": args.mode, "nodes": len(nodes), "interface": ifname})
    print(json.dumps(result))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
