#!/usr/bin/env python3
"""Puts `wg` output in a canonical order so two outputs can be compared
"order aside": devices configured by different tools (or wireguard-go, whose
peer order follows a Go map) list the same peers in different orders.

  canon.py conf [--keep-listen-port] < showconf-output
      interface lines sorted (ListenPort dropped unless kept), each peer's
      lines sorted with AllowedIPs split and sorted, peer blocks sorted.
  canon.py blocks < wg-show-output     blank-line separated blocks sorted
  canon.py lines  < any-output         lines sorted, each line's
                                       comma/space-separated IP lists sorted
"""
import re
import sys


def conf(text: str, keep_listen_port: bool) -> str:
    sections, current = [], None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("["):
            current = [line]
            sections.append(current)
            continue
        if current is None:
            current = ["(preamble)"]
            sections.append(current)
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key == "ListenPort" and not keep_listen_port:
            continue
        if key == "AllowedIPs":
            value = ", ".join(sorted(v.strip() for v in value.split(",") if v.strip()))
        current.append(f"{key} = {value}")
    rendered = []
    for section in sections:
        rendered.append("\n".join([section[0]] + sorted(section[1:])))
    interface = [s for s in rendered if not s.startswith("[Peer]")]
    peers = sorted(s for s in rendered if s.startswith("[Peer]"))
    return "\n\n".join(interface + peers) + "\n"


def sort_list_fields(line: str) -> str:
    # "allowed ips: a, b" (pretty) and tab-separated "a,b" (dump / fields).
    m = re.match(r"^(\s*allowed ips: )(.*)$", line)
    if m:
        return m.group(1) + ", ".join(sorted(m.group(2).split(", ")))
    parts = line.split("\t")
    parts = [",".join(sorted(p.split(","))) if "/" in p and "," in p else p for p in parts]
    parts = [" ".join(sorted(p.split(" "))) if "/" in p and " " in p else p for p in parts]
    return "\t".join(parts)


def blocks(text: str) -> str:
    chunks = [c for c in re.split(r"\n\s*\n", text.strip("\n")) if c]
    chunks = ["\n".join(sort_list_fields(l) for l in c.splitlines()) for c in chunks]
    return "\n\n".join(chunks[:1] + sorted(chunks[1:])) + "\n"


def lines(text: str) -> str:
    return "\n".join(sorted(sort_list_fields(l) for l in text.splitlines())) + "\n"


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "conf"
    text = sys.stdin.read()
    if mode == "conf":
        sys.stdout.write(conf(text, "--keep-listen-port" in sys.argv))
    elif mode == "blocks":
        sys.stdout.write(blocks(text))
    elif mode == "lines":
        sys.stdout.write(lines(text))
    else:
        sys.stderr.write(f"canon.py: unknown mode {mode}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
