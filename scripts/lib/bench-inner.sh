#!/usr/bin/env bash
# Runs one mode's benchmarks (called by scripts/bench, inside the VM for
# kernel mode, inside scripts/netns for userspace mode).
#
#   bench-inner.sh MODE OUTDIR RUNS
# Expects OUTDIR/configs/*.conf (written by scripts/bench) and the release
# binary at $WGMESH. Writes OUTDIR/MODE-*.json (hyperfine) and
# OUTDIR/MODE-messages.json (netlink/UAPI message counts from WGMESH_STATS=1).
set -euo pipefail
mode="$1" out="$2" runs="$3"
here="$(cd "$(dirname "$0")" && pwd)"
dev="$here/bench-dev.sh"
WGMESH="${WGMESH:?set WGMESH to the release wgmesh binary}"
conf="$out/configs"
name=wgb0

# bench LABEL CONF-TO-PRELOAD CMD-SUFFIX...: wg vs wgmesh on a fresh device.
bench() {
    local label="$1" preload="$2"; shift 2
    echo "bench: $mode $label"
    # One warm-up run each (also after --prepare), so the first timed run does
    # not read the binary cold over the VM's 9p file system.
    hyperfine -N --runs "$runs" --warmup 1 --style basic \
        --prepare "$dev fresh $mode $name $preload" \
        --export-json "$out/$mode-$label.json" \
        -n wg "wg $*" -n wgmesh "$WGMESH wg $*"
}

bench setconf-1000 "" setconf "$name" "$conf/peers-1000.conf"
bench setconf-10000 "" setconf "$name" "$conf/peers-10000.conf"
bench setconf-1x5000 "" setconf "$name" "$conf/big-5000.conf"
bench syncconf-1-of-10000 "$conf/peers-10000.conf" syncconf "$name" "$conf/peers-10000-change.conf"

echo "bench: $mode showconf-10000"
"$dev" fresh "$mode" "$name" "$conf/peers-10000.conf"
hyperfine -N --runs "$runs" --warmup 1 --style basic --export-json "$out/$mode-showconf-10000.json" \
    -n wg "wg showconf $name" -n wgmesh "$WGMESH wg showconf $name"

# Message counts: a full setconf of 10,000 peers vs a one-peer syncconf.
count() { sed -n 's/.*sent \([0-9][0-9]*\) messages\{0,1\}.*/\1/p' | tail -n 1; }
"$dev" fresh "$mode" "$name"
full="$(WGMESH_STATS=1 "$WGMESH" wg setconf "$name" "$conf/peers-10000.conf" 2>&1 >/dev/null | count)"
sync="$(WGMESH_STATS=1 "$WGMESH" wg syncconf "$name" "$conf/peers-10000-change.conf" 2>&1 >/dev/null | count)"
again="$(WGMESH_STATS=1 "$WGMESH" wg syncconf "$name" "$conf/peers-10000-change.conf" 2>&1 >/dev/null | count)"
printf '{"mode": "%s", "setconf_10000": "%s", "syncconf_one_change": "%s", "syncconf_no_change": "%s"}\n' \
    "$mode" "${full:-?}" "${sync:-?}" "${again:-?}" >"$out/$mode-messages.json"
"$dev" delete "$name"
