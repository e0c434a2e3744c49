#!/usr/bin/env python3
"""An exact loss counter for the mesh tests' background traffic.

  pinger.py DESTINATION [--interval 0.01] [--timeout 1]

Sends ICMP (or ICMPv6) echo requests to DESTINATION every INTERVAL seconds,
each with its own sequence number, until SIGINT or SIGTERM. Then it stops
sending and waits TIMEOUT seconds for the replies still in flight, so a
request counts as lost only when its reply never came within TIMEOUT of the
stop; ping(8) instead exits at once and counts a reply still on its way as
lost, which made 173 sent / 172 received a chance result at 100 pps.

Prints ping's summary line, "N packets transmitted, M received", and exits 0.
Replies are matched by identifier and sequence number; duplicates count once.
Needs root (a raw socket).
"""
import argparse
import ipaddress
import os
import select
import signal
import socket
import struct
import sys
import time

ECHO_REQUEST = {4: 8, 6: 128}
ECHO_REPLY = {4: 0, 6: 129}


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def request(version, ident, seq):
    payload = struct.pack("!d", time.time()) + bytes(48)
    header = struct.pack("!BBHHH", ECHO_REQUEST[version], 0, 0, ident, seq & 0xFFFF)
    if version == 4:
        header = struct.pack("!BBHHH", ECHO_REQUEST[4], 0, checksum(header + payload), ident, seq & 0xFFFF)
    # ICMPv6: the kernel fills in the checksum (it covers a pseudo-header).
    return header + payload


def parse_reply(version, packet, ident):
    """The sequence number of an echo reply of ours, else None."""
    if version == 4:
        if len(packet) < 20:
            return None
        packet = packet[(packet[0] & 0x0F) * 4:]
    if len(packet) < 8:
        return None
    kind, _, _, reply_ident, seq = struct.unpack("!BBHHH", packet[:8])
    if kind != ECHO_REPLY[version] or reply_ident != ident:
        return None
    return seq


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("destination")
    parser.add_argument("--interval", type=float, default=0.01)
    parser.add_argument("--timeout", type=float, default=1.0)
    args = parser.parse_args()
    version = ipaddress.ip_address(args.destination).version
    family, proto = (socket.AF_INET, socket.IPPROTO_ICMP) if version == 4 else (socket.AF_INET6, socket.IPPROTO_ICMPV6)
    sock = socket.socket(family, socket.SOCK_RAW, proto)
    ident = os.getpid() & 0xFFFF
    stopping = []
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    sent = 0
    replied = set()
    next_send = time.monotonic()
    # Sequence numbers wrap at 65536; at 100 pps that is 11 minutes, longer
    # than any test's traffic, so a wrapped reply is not expected, but a
    # reply is matched against the low 16 bits of what was sent all the same.
    while not stopping:
        now = time.monotonic()
        if now >= next_send:
            try:
                sock.sendto(request(version, ident, sent), (args.destination, 0))
            except OSError:
                pass  # no route for a moment: the request is sent, and lost
            sent += 1
            next_send += args.interval
            if next_send < now:
                next_send = now + args.interval
        wait = max(0.0, next_send - time.monotonic())
        try:
            ready, _, _ = select.select([sock], [], [], wait)
        except InterruptedError:
            continue
        if ready:
            seq = parse_reply(version, sock.recv(65535), ident)
            if seq is not None and seq < min(sent, 65536):
                replied.add(seq)

    deadline = time.monotonic() + args.timeout
    while len(replied) < min(sent, 65536):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([sock], [], [], left)
        if ready:
            seq = parse_reply(version, sock.recv(65535), ident)
            if seq is not None and seq < min(sent, 65536):
                replied.add(seq)
    print(f"{sent} packets transmitted, {len(replied)} received")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
