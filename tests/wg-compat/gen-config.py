#!/usr/bin/env python3
"""Writes deterministic WireGuard configs (wg setconf format) for the compat
suite and the benchmarks.

Every key is real: private keys come from a seeded hash, public keys are
their X25519 public keys (via the `cryptography` package when present, else a
small RFC 7748 ladder here), so output is the same on every machine.

  gen-config.py --peers 1000 [--change 7] [--listen-port P] [--fwmark M]
  gen-config.py --big 5000                  # one peer with 5,000 allowed IPs
  gen-config.py --peers 3 --break cidr      # invalid on purpose (last peer)
"""
import argparse
import base64
import hashlib
import sys

P = 2**255 - 19
A24 = 121665


def clamp(k: bytes) -> bytes:
    b = bytearray(k)
    b[0] &= 248
    b[31] &= 127
    b[31] |= 64
    return bytes(b)


def x25519_base_slow(scalar: bytes) -> bytes:
    """RFC 7748 Montgomery ladder with u = 9; only used without `cryptography`."""
    k = int.from_bytes(clamp(scalar), "little")
    x1, x2, z2, x3, z3, swap = 9, 1, 0, 9, 1, 0
    for t in reversed(range(255)):
        kt = (k >> t) & 1
        swap ^= kt
        if swap:
            x2, x3, z2, z3 = x3, x2, z3, z2
        swap = kt
        a, b = (x2 + z2) % P, (x2 - z2) % P
        aa, bb = a * a % P, b * b % P
        e = (aa - bb) % P
        c, d = (x3 + z3) % P, (x3 - z3) % P
        da, cb = d * a % P, c * b % P
        x3 = (da + cb) ** 2 % P
        z3 = x1 * (da - cb) ** 2 % P
        x2 = aa * bb % P
        z2 = e * (aa + A24 * e) % P
    if swap:
        x2, z2 = x3, z3
    return (x2 * pow(z2, P - 2, P) % P).to_bytes(32, "little")


try:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    def public_key(secret: bytes) -> bytes:
        # public_bytes(Raw, Raw) rather than public_bytes_raw(): Debian 12's
        # python3-cryptography (38) predates the latter.
        key = X25519PrivateKey.from_private_bytes(secret).public_key()
        return key.public_bytes(Encoding.Raw, PublicFormat.Raw)
except ImportError:  # pragma: no cover - depends on the machine
    public_key = x25519_base_slow


def secret(label: str) -> bytes:
    return clamp(hashlib.sha256(("wgmesh-compat/" + label).encode()).digest())


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def peer_lines(i: int, changed: bool) -> list:
    """Peer i: 1-2 allowed IPs (v4 and sometimes v6), most with endpoints,
    some keepalives and PSKs. Loopback endpoints only: nothing leaves the host."""
    lines = ["[Peer]", "PublicKey = " + b64(public_key(secret(f"peer/{i}")))]
    if i % 3 == 0:
        lines.append("PresharedKey = " + b64(hashlib.sha256(f"psk/{i}".encode()).digest()))
    ips = [f"10.{(i >> 16) & 127}.{(i >> 8) & 255}.{i & 255}/32"]
    if i % 2 == 0:
        ips.append(f"fd00:{i >> 16:x}:{i & 0xffff:x}::/64")
    if changed:
        ips = [f"10.200.{(i >> 8) & 255}.{i & 255}/32", f"fd0c::{i:x}/128"]
    lines.append("AllowedIPs = " + ", ".join(ips))
    port = 1024 + (i * 7) % 60000
    if changed:
        lines.append(f"Endpoint = 127.9.{(i >> 8) & 255}.{i & 255}:{port + 1}")
    elif i % 4 == 1:
        lines.append(f"Endpoint = 127.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}:{port}")
    elif i % 4 == 2:
        lines.append(f"Endpoint = [::1]:{port}")
    if i % 5 == 0:
        lines.append("PersistentKeepalive = 25")
    elif i % 11 == 0:
        lines.append("PersistentKeepalive = 1")
    return lines


def big_peer_lines(count: int) -> list:
    """One peer owning `count` allowed IPs, half v4 /32s and half v6 /128s."""
    ips = []
    for j in range(count):
        if j % 2 == 0:
            ips.append(f"10.{100 + (j >> 16)}.{(j >> 8) & 255}.{j & 255}/32")
        else:
            ips.append(f"fd01::{j:x}/128")
    return ["[Peer]", "PublicKey = " + b64(public_key(secret("big"))),
            "Endpoint = 127.0.0.2:51820", "AllowedIPs = " + ", ".join(ips)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--peers", type=int, default=0)
    ap.add_argument("--big", type=int, default=0, help="one peer with this many allowed IPs")
    ap.add_argument("--change", type=int, action="append", default=[], help="peer index to change")
    ap.add_argument("--listen-port", type=int)
    ap.add_argument("--fwmark")
    ap.add_argument("--key", default="interface", help="label the private key is derived from")
    ap.add_argument("--break", dest="broken", choices=["key", "cidr", "unknown"])
    args = ap.parse_args()

    out = ["[Interface]", "PrivateKey = " + b64(secret(args.key))]
    if args.listen_port is not None:
        out.append(f"ListenPort = {args.listen_port}")
    if args.fwmark:
        out.append(f"FwMark = {args.fwmark}")
    if args.broken == "unknown":
        out.append("MysteryKnob = 1")
    for i in range(args.peers):
        out.append("")
        out.extend(peer_lines(i, i in args.change))
    if args.big:
        out.append("")
        out.extend(big_peer_lines(args.big))
    if args.broken == "key":
        out += ["", "[Peer]", "PublicKey = bm90LWEta2V5", "AllowedIPs = 10.250.0.1/32"]
    if args.broken == "cidr":
        out += ["", "[Peer]", "PublicKey = " + b64(public_key(secret("broken"))), "AllowedIPs = 10.250.0.1/33"]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
