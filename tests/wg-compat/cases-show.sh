# shellcheck shell=bash
# Read-only commands on a device wg configured: wgmesh must print what wg
# prints, byte for byte (peer order aside for wireguard-go only).

SHOW_DEV=""

# One shared device for the show cases, configured once by wg (a port of
# its own in each shard).
show_device() {
    if [ -z "$SHOW_DEV" ] || ! ip link show "$SHOW_DEV" >/dev/null 2>&1; then
        new_dev SHOW_DEV || return 1
        # The runner deletes devices after each case, so this runs once per case.
        "$WG" setconf "$SHOW_DEV" "$(config --peers 40 --big 20 --listen-port $((41820 + SHARD_INDEX)) --fwmark 0x1f)" || return 1
    fi
}

# Compares `wg ARGS` with `wgmesh wg ARGS` (stdout, stderr, status); $1 is the
# canon.py mode used to drop wireguard-go's random order.
# The device is live: wireguard-go may send a handshake initiation between two
# reads, which moves a transfer counter. So wg reads before and after wgmesh,
# and the pair is taken again until wg's two reads agree (the device held
# still across wgmesh's read); only then are the outputs compared.
compare_command() {
    local order="$1"; shift
    local attempt
    for attempt in 1 2 3 4 5; do
        capture ref "$WG" "$@"
        capture mine wgm "$@"
        capture ref.after "$WG" "$@"
        cmp -s "$WORK/ref.out" "$WORK/ref.after.out" && break
        [ "$attempt" -lt 5 ] || echo "    '$*': the device kept changing across 5 reads; comparing the last"
        sleep 0.2
    done
    local ok=0
    if [ "$(cat "$WORK/ref.rc")" != "$(cat "$WORK/mine.rc")" ]; then
        echo "    '$*' exit status: wg $(cat "$WORK/ref.rc"), wgmesh $(cat "$WORK/mine.rc")"
        head -n 5 "$WORK/mine.err" | sed 's/^/    /'
        ok=1
    fi
    order_free "$order" <"$WORK/ref.out" >"$WORK/ref.sorted"
    order_free "$order" <"$WORK/mine.out" >"$WORK/mine.sorted"
    same "'$*' output" "$WORK/ref.sorted" "$WORK/mine.sorted" || ok=1
    return "$ok"
}

case_show_showconf() { show_device && compare_command conf showconf "$SHOW_DEV"; }
case_show_dump() { show_device && compare_command lines show "$SHOW_DEV" dump; }
case_show_pretty() { show_device && compare_command blocks show "$SHOW_DEV"; }

case_show_each_field() {
    show_device || return 1
    local field ok=0
    for field in public-key private-key listen-port fwmark peers preshared-keys endpoints \
        allowed-ips latest-handshakes persistent-keepalive transfer dump; do
        compare_command lines show "$SHOW_DEV" "$field" || ok=1
    done
    return "$ok"
}

case_show_all() {
    show_device || return 1
    local ok=0 field
    compare_command blocks show all || ok=1
    compare_command all-endpoints show all endpoints || ok=1
    for field in dump peers allowed-ips preshared-keys; do
        compare_command lines show all "$field" || ok=1
    done
    return "$ok"
}

case_show_interfaces() {
    show_device || return 1
    local other
    new_dev other || return 1
    # Another shard of a sharded run adds and deletes devices in this namespace at any moment:
    # take the pair again until wg's reads before and after wgmesh's agree.
    local attempt
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        capture ref "$WG" show interfaces
        capture mine wgm show interfaces
        capture ref.after "$WG" show interfaces
        cmp -s "$WORK/ref.out" "$WORK/ref.after.out" && break
        [ "$attempt" -lt 10 ] || echo "    the interface list kept changing across 10 reads; comparing the last"
        sleep 0.2
    done
    succeeded mine || return 1
    # wg lists userspace sockets in directory order: compare as sets there.
    if [ "$MODE" = userspace ]; then
        tr ' ' '\n' <"$WORK/ref.out" | sort >"$WORK/ref.sorted"
        tr ' ' '\n' <"$WORK/mine.out" | sort >"$WORK/mine.sorted"
    else
        cp "$WORK/ref.out" "$WORK/ref.sorted"; cp "$WORK/mine.out" "$WORK/mine.sorted"
    fi
    grep -qw "$other" "$WORK/ref.sorted" || { echo "    wg does not list $other"; return 1; }
    same "show interfaces" "$WORK/ref.sorted" "$WORK/mine.sorted"
}
