#!/usr/bin/env bash
# hyperfine --prepare helper for scripts/bench: gives a fresh device.
#
#   bench-dev.sh fresh MODE NAME [CONF]   recreate NAME (kernel link or
#                                         wireguard-go), then `wg setconf` CONF
#   bench-dev.sh delete NAME
# A script rather than a shell string so hyperfine can run with -N (no shell)
# and the timed commands carry no shell start-up cost.
set -euo pipefail
case "$1" in
    fresh)
        mode="$2" name="$3"
        # Emptying the device first frees its peers in one batch; deleting a
        # kernel link that still holds 10,000 peers takes minutes under emulation.
        wg setconf "$name" /dev/null 2>/dev/null || true
        ip link del "$name" 2>/dev/null || true
        # wireguard-go removes its socket as it exits; wait so the next one binds.
        for _ in $(seq 100); do [ -e "/var/run/wireguard/$name.sock" ] || break; sleep 0.02; done
        if [ "$mode" = kernel ]; then
            ip link add "$name" type wireguard
        else
            wireguard-go "$name" >/dev/null 2>&1
            for _ in $(seq 250); do [ -S "/var/run/wireguard/$name.sock" ] && break; sleep 0.02; done
        fi
        [ -z "${4:-}" ] || wg setconf "$name" "$4"
        ;;
    delete)
        wg setconf "$2" /dev/null 2>/dev/null || true
        ip link del "$2" 2>/dev/null || true
        ;;
    *) echo "usage: bench-dev.sh fresh MODE NAME [CONF] | delete NAME" >&2; exit 2 ;;
esac
