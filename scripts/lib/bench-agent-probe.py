"""Cheap observers for the node service's benchmarks (imported by bench-agent.py).

The benches poll every few milliseconds while the daemon works, so the
observers must cost little next to what they watch: no `wg` or `ip` process
per poll, one UAPI request or one netlink dump in this process instead.
"""
import socket
import struct

# Linux constants (include/uapi/linux/netlink.h, rtnetlink.h).
NETLINK_ROUTE = 0
SOL_NETLINK = 270
NETLINK_GET_STRICT_CHK = 12
NLMSG_ERROR, NLMSG_DONE = 2, 3
RTM_NEWROUTE, RTM_GETROUTE = 24, 26
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
RTA_DST, RTA_OIF, RTA_TABLE = 1, 4, 15
RTN_UNICAST = 1


def uapi_public_keys(ifname: str, run_dir: str = "/var/run/wireguard") -> set:
    """The peers' public keys (lowercase hex) of wireguard-go device IFNAME,
    from one `get=1` on its UAPI socket; an empty set while the socket is absent."""
    data = uapi_get(ifname, run_dir)
    if data is None:
        return set()
    keys = set()
    for line in data.split(b"\n"):
        if line.startswith(b"public_key="):
            keys.add(line[11:].decode())
    return keys


def uapi_get(ifname: str, run_dir: str = "/var/run/wireguard"):
    """The raw `get=1` answer of IFNAME's UAPI socket, or None when there is no
    device (yet); the answer ends with "errno=0" and an empty line."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(f"{run_dir}/{ifname}.sock")
            s.sendall(b"get=1\n\n")
            chunks = []
            while True:
                chunk = s.recv(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                # wireguard-go keeps the connection open for the next request.
                if chunk.endswith(b"\n\n") and b"errno=" in b"".join(chunks[-2:]):
                    break
            return b"".join(chunks)
    except (FileNotFoundError, ConnectionRefusedError):
        return None


class RouteDumper:
    """Dumps one routing table of this network namespace over rtnetlink.

    The socket asks for strict checking, so the kernel sends only the
    table's routes (older kernels send all; the table is filtered here too).
    """

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
        try:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1)
        except OSError:
            pass
        self.sock.bind((0, 0))
        self.seq = 0

    def close(self):
        self.sock.close()

    def routes(self, table: int, family: int = socket.AF_INET) -> list:
        """[(destination bytes, prefix length, route type, output ifindex)] of TABLE."""
        self.seq += 1
        rtmsg = struct.pack("=BBBBBBBBI", family, 0, 0, 0, 0, 0, 0, 0, 0)
        attr = struct.pack("=HHI", 8, RTA_TABLE, table)
        body = rtmsg + attr
        header = struct.pack("=IHHII", 16 + len(body), RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, self.seq, 0)
        self.sock.send(header + body)
        found = []
        while True:
            data = self.sock.recv(1 << 20)
            offset = 0
            while offset + 16 <= len(data):
                length, kind, _, seq, _ = struct.unpack_from("=IHHII", data, offset)
                if length < 16:
                    return found
                if seq == self.seq:
                    if kind == NLMSG_DONE:
                        return found
                    if kind == NLMSG_ERROR:
                        # A table that does not exist yet answers ENOENT: no routes.
                        return found
                    if kind == RTM_NEWROUTE:
                        route = self._parse(data[offset + 16:offset + length], table)
                        if route is not None:
                            found.append(route)
                offset += (length + 3) & ~3

    @staticmethod
    def _parse(body: bytes, want_table: int):
        family, dst_len, _, _, table, _, _, rtype, _ = struct.unpack_from("=BBBBBBBBI", body, 0)
        dst, oif = b"\0" * (4 if family == socket.AF_INET else 16), 0
        offset = 12
        while offset + 4 <= len(body):
            alen, atype = struct.unpack_from("=HH", body, offset)
            if alen < 4:
                break
            value = body[offset + 4:offset + alen]
            if atype == RTA_TABLE:
                table = struct.unpack("=I", value[:4])[0]
            elif atype == RTA_DST:
                dst = bytes(value)
            elif atype == RTA_OIF:
                oif = struct.unpack("=I", value[:4])[0]
            offset += (alen + 3) & ~3
        if table != want_table:
            return None
        return dst, dst_len, rtype, oif


def ipv4_prefix(text: str):
    """"10.64.0.0/26" -> (b"\\x0a\\x40\\x00\\x00", 26)."""
    address, _, length = text.partition("/")
    return socket.inet_aton(address), int(length or 32)


def covered(blocks: set, routes: list) -> int:
    """How many of BLOCKS ({(dst bytes, length)}) a route of ROUTES sends out
    an interface: an exact route, or a shorter unicast route containing the
    block (a daemon may route a whole pool at once)."""
    unicast = {(dst, length) for dst, length, rtype, _ in routes if rtype == RTN_UNICAST}
    count = len(blocks & unicast)
    shorter = {length for _, length in unicast if length < 32}
    if count == len(blocks) or not shorter:
        return count
    for dst, length in blocks - unicast:
        value = int.from_bytes(dst, "big")
        for prefix in shorter:
            if prefix <= length:
                masked = (value >> (32 - prefix) << (32 - prefix)) if prefix else 0
                if (masked.to_bytes(4, "big"), prefix) in unicast:
                    count += 1
                    break
    return count


def memory_kib(pid: int) -> dict:
    """VmHWM (peak) and VmRSS of PID in KiB, from /proc/PID/status."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                values[name] = int(rest.split()[0])
    return values
