/// The script that captured KernelFixtures.swift: strace of `wg` and `ip` inside the VM.
///
/// Kept as a string, not a .sh file, so SwiftPM does not warn about an
/// unhandled resource. To recapture: write it to a file, then
///   vng --run /boot/vmlinuz-6.1.0-*-amd64 --user root --disable-kvm --cpus 2 --memory 2G \
///       --rwdir "$PWD/.vmtest-out" --exec "OUT=$PWD/.vmtest-out/capture sh capture-kernel.sh"
/// and convert each `-e write`/`-e read` hex dump to a fixture, zeroing seq and pid.
enum KernelCaptureScript {
    static let shell = #"""
#!/bin/sh
# Captures the netlink bytes `wg` exchanges with the kernel's WireGuard, for
# the fixtures in KernelFixtures.swift. Run inside the VM (see
# KernelConformanceTests.swift for the vng command) with OUT set to a --rwdir.
# Keys are fixed test keys, never used anywhere real.
set -eu
OUT=${OUT:?set OUT to a writable directory}
modprobe wireguard
DEV_PRIV=MJJ4LhbCpewZQxFKd1F2MWDbCE1aX0UOEcMZaet9/GQ=
PSK=Dq6N55joku2TZaMMAUeU6bMRv714Dr+rtTBrErEjWf4=
A=zHWOpYDR/CK0UH7cEtmVDCi2uuFdm8d6UH4ktfRtLgo=
B=7uc22WJYNq2AlFQIR6Nt5UldStonenedUQ7/YX16nQ8=
C=tNAOoJ9FcQtfT0/qaZLDioDNOWnr8zkEJnZxz5trWyY=
echo "$DEV_PRIV" > /tmp/priv
echo "$PSK" > /tmp/psk
trace() { name=$1; shift; strace -o "$OUT/$name.trace" -xx -e trace=sendto,sendmsg,recvmsg,recvfrom -e write=3,4,5,6,7,8 -e read=3,4,5,6,7,8 "$@" || true; }
ip link add wg0 type wireguard
trace set-all wg set wg0 private-key /tmp/priv listen-port 51820 fwmark 0x1234 \
  peer "$A" preshared-key /tmp/psk endpoint 192.0.2.1:51820 persistent-keepalive 25 allowed-ips 10.0.0.0/24,fd00::/64 \
  peer "$B" endpoint '[2001:db8::1%7]:51821' allowed-ips 10.1.0.0/16
trace get-small wg show wg0 dump
trace set-remove wg set wg0 peer "$B" remove
# 300 host routes on one peer: more than a 4 KiB dump message holds, so the
# kernel splits peer C across messages.
IPS=$(i=0; while [ $i -lt 300 ]; do printf '10.2.%d.%d/32,' $((i / 250)) $((i % 250 + 1)); i=$((i + 1)); done)
trace set-many wg set wg0 peer "$C" allowed-ips "${IPS%,}"
trace get-split wg show wg0 dump
wg show wg0 dump > "$OUT/get-split.wgdump"
ip link add dummy0 type dummy
trace get-notwg wg show dummy0 dump
trace get-missing wg show nosuch0 dump
trace set-badmtu ip link set wg0 mtu 10
echo done > "$OUT/capture.done"
"""#
}
