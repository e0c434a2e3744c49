# shellcheck shell=bash
# Helpers for the wg-compatibility cases: devices, the two tools, comparison.
# Sourced by run.sh; every case is a function returning 0 (ok), 1 (FAIL) or
# 77 (skip, never counted as passed).

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
WG="${WG:-wg}"
WGMESH="${WGMESH:-$REPO/.build/debug/wgmesh}"
MODE="${MODE:-userspace}"
PY="${PY:-python3}"
WORK="${WORK:-$(mktemp -d /tmp/wg-compat.XXXXXX)}"
SKIP=77
DEVICES=()
DEVICE_COUNTER=0
# Set by run.sh in a sharded run (0 otherwise): keeps fixed ports and names apart.
SHARD_INDEX=0

# Runs `wgmesh wg ARGS`; when WGMESH is the real wg (the suite checking
# itself) the `wg` word is not inserted.
wgm() {
    case "$(basename "$WGMESH")" in
        wg) "$WGMESH" "$@" ;;
        *) "$WGMESH" wg "$@" ;;
    esac
}

# True when the suite compares wg with itself (self-check mode).
self_check() { [ "$(basename "$WGMESH")" = wg ]; }

# Creates a fresh WireGuard device in this mode and stores its name in the
# variable named $1 (no command substitution: the device list must persist).
new_dev() {
    DEVICE_COUNTER=$((DEVICE_COUNTER + 1))
    local name="wgc${DEVICE_COUNTER}"
    if [ "$MODE" = kernel ]; then
        ip link add "$name" type wireguard || return 1
    else
        wireguard-go "$name" >"$WORK/wireguard-go.$name.log" 2>&1 || { cat "$WORK/wireguard-go.$name.log" >&2; return 1; }
        local tries=0
        until [ -S "/var/run/wireguard/$name.sock" ]; do
            tries=$((tries + 1))
            [ "$tries" -lt 100 ] || { echo "wireguard-go $name: no socket after 5 s" >&2; return 1; }
            sleep 0.05
        done
    fi
    DEVICES+=("$name")
    printf -v "$1" '%s' "$name"
}

# Deletes a device made by new_dev (wireguard-go exits when its link goes).
# Kernel devices drop their peers first: one replace-peers message frees them
# in a batch, while deleting a link that still holds 10,000 peers takes about
# three minutes under the VM's emulation.
del_dev() {
    [ "$MODE" != kernel ] || "$WG" setconf "$1" /dev/null 2>/dev/null || true
    ip link del "$1" 2>/dev/null || true
}

cleanup_devices() {
    local d
    for d in "${DEVICES[@]}"; do del_dev "$d"; done
    DEVICES=()
}

# Writes a generated config (arguments as gen-config.py's) to WORK once and
# prints its path; later calls with the same arguments reuse the file.
config() {
    local file="$WORK/conf.$(printf '%s' "$*" | tr -c 'a-zA-Z0-9' '_').conf"
    [ -s "$file" ] || "$PY" "$HERE/gen-config.py" "$@" >"$file" || return 1
    printf '%s' "$file"
}

# Compares two files; on a difference prints a short unified diff and fails.
same() {
    local label="$1" expected="$2" actual="$3"
    if cmp -s "$expected" "$actual"; then return 0; fi
    echo "    $label differs (--- wg, +++ wgmesh):"
    diff -u "$expected" "$actual" | head -n 30 | sed 's/^/    /'
    return 1
}

# Puts showconf output in canonical order (ListenPort dropped).
canon_conf() { "$PY" "$HERE/canon.py" conf "$@"; }

# Output order of the same device: exact on the kernel, whose dump order is
# stable; sorted for wireguard-go, whose peer order follows a Go map.
# $1 is a canon.py mode (conf keeps ListenPort here: it is the same device).
order_free() {
    if [ "$MODE" = kernel ]; then
        cat
    elif [ "$1" = conf ]; then
        "$PY" "$HERE/canon.py" conf --keep-listen-port
    elif [ "$1" = all-endpoints ]; then
        # wg 1.0.20210914 prefixes only the first line of `show all endpoints`
        # with the interface name, so which peer gets it follows the order.
        sed -E 's/^wgc[0-9]+\t//' | "$PY" "$HERE/canon.py" lines
    else
        "$PY" "$HERE/canon.py" "$1"
    fi
}

# Runs CMD... capturing stdout, stderr and status into WORK/<tag>.{out,err,rc}.
capture() {
    local tag="$1"; shift
    local rc=0
    "$@" >"$WORK/$tag.out" 2>"$WORK/$tag.err" || rc=$?
    echo "$rc" >"$WORK/$tag.rc"
}

# Prints the message count from a WGMESH_STATS=1 run's stderr, or nothing.
sent_messages() {
    sed -n 's/.*sent \([0-9][0-9]*\) messages\{0,1\}.*/\1/p' "$1" | tail -n 1
}

# Fails (printing the command's stderr) unless capture TAG exited 0.
succeeded() {
    [ "$(cat "$WORK/$1.rc")" = 0 ] && return 0
    echo "    $1 exited $(cat "$WORK/$1.rc"):"
    head -n 10 "$WORK/$1.err" | sed 's/^/    /'
    return 1
}

# Fails unless captures A (wg) and B (wgmesh) have the same status and stderr.
same_failure() {
    local a="$1" b="$2" ok=0
    if [ "$(cat "$WORK/$a.rc")" != "$(cat "$WORK/$b.rc")" ]; then
        echo "    exit status: wg $(cat "$WORK/$a.rc"), wgmesh $(cat "$WORK/$b.rc")"
        ok=1
    fi
    [ "$(cat "$WORK/$a.rc")" != 0 ] || { echo "    wg unexpectedly succeeded"; ok=1; }
    same "stderr" "$WORK/$a.err" "$WORK/$b.err" || ok=1
    same "stdout" "$WORK/$a.out" "$WORK/$b.out" || ok=1
    return "$ok"
}
