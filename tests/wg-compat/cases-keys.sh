# shellcheck shell=bash
# Keys wg(8) passes on without judging them: Curve25519's low-order points as
# peer keys (the kernel and wireguard-go take them; a handshake never
# completes), a peer holding the device's own public key, and a private key
# whose public key an existing peer holds. wgmesh must do exactly what wg does.

LOW_ORDER_POINTS=(
    AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
    AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
    4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=
    X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEVc=
    7P///////////////////////////////////////38=
    7f///////////////////////////////////////38=
    7v///////////////////////////////////////38=
)

# Runs `VERB DEV ARGS...` with wgmesh on device $2 and with wg on device $3,
# and compares exit status, stderr and the devices' configurations afterwards.
both() {
    local verb="$1" x="$2" y="$3" label="$4"; shift 4
    capture set_wgmesh wgm "$verb" "$x" "$@"
    capture set_wg "$WG" "$verb" "$y" "$@"
    local ok=0
    if [ "$(cat "$WORK/set_wg.rc")" != "$(cat "$WORK/set_wgmesh.rc")" ]; then
        echo "    $label: exit status wg $(cat "$WORK/set_wg.rc"), wgmesh $(cat "$WORK/set_wgmesh.rc")"
        head -n 3 "$WORK/set_wgmesh.err" | sed 's/^/    wgmesh: /'
        ok=1
    fi
    same "$label: stderr" "$WORK/set_wg.err" "$WORK/set_wgmesh.err" || ok=1
    "$WG" showconf "$y" | canon_conf >"$WORK/y.conf"
    "$WG" showconf "$x" | canon_conf >"$WORK/x.conf"
    same "$label: showconf" "$WORK/y.conf" "$WORK/x.conf" || ok=1
    return "$ok"
}

# The command from the bug report, once per point, on devices without a
# private key and on devices with one.
case_keys_low_order_peers_by_set() {
    local x y key private ok=0
    private="$WORK/keys.private"
    (umask 077; "$WG" genkey >"$private")
    for with_key in no yes; do
        new_dev x && new_dev y || return 1
        if [ "$with_key" = yes ]; then
            "$WG" set "$x" private-key "$private" && "$WG" set "$y" private-key "$private" || return 1
        fi
        for key in "${LOW_ORDER_POINTS[@]}"; do
            both set "$x" "$y" "peer $key (device key: $with_key)" \
                peer "$key" persistent-keepalive 1 endpoint 127.0.0.1:1111 || ok=1
        done
        both set "$x" "$y" "remove ${LOW_ORDER_POINTS[0]}" peer "${LOW_ORDER_POINTS[0]}" remove || ok=1
    done
    return "$ok"
}

# All seven in one file through setconf and syncconf, and read back by both tools.
case_keys_low_order_peers_by_setconf() {
    local conf="$WORK/low-order.conf" i=0 key
    {
        printf '[Interface]\nPrivateKey = %s\n' "$("$WG" genkey)"
        for key in "${LOW_ORDER_POINTS[@]}"; do
            i=$((i + 1))
            printf '\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.77.%d.0/24\nEndpoint = 127.0.0.1:%d\n' "$key" "$i" $((1110 + i))
        done
    } >"$conf"
    setconf_both_ways "$conf" || return 1
    local x y
    new_dev x && new_dev y || return 1
    both syncconf "$x" "$y" "syncconf" "$conf" || return 1
    [ "$(cat "$WORK/set_wg.rc")" = 0 ] || { echo "    wg syncconf failed"; return 1; }
}

# A peer with the device's own public key: the kernel and wireguard-go ignore
# it without an error, and so must wgmesh.
case_keys_peer_with_the_devices_own_key() {
    local x y private public
    private="$WORK/own.private"
    (umask 077; "$WG" genkey >"$private")
    public="$("$WG" pubkey <"$private")"
    new_dev x && new_dev y || return 1
    "$WG" set "$x" private-key "$private" && "$WG" set "$y" private-key "$private" || return 1
    both set "$x" "$y" "peer with the device's key" peer "$public" allowed-ips 10.88.0.0/24
}

# A new private key whose public key a peer holds: that peer goes.
case_keys_private_key_of_an_existing_peer() {
    local x y private public other
    private="$WORK/taken.private"
    (umask 077; "$WG" genkey >"$private")
    public="$("$WG" pubkey <"$private")"
    other="$("$WG" genkey | "$WG" pubkey)"
    new_dev x && new_dev y || return 1
    for dev in "$x" "$y"; do
        "$WG" set "$dev" peer "$public" allowed-ips 10.89.0.0/24 peer "$other" allowed-ips 10.89.1.0/24 || return 1
    done
    both set "$x" "$y" "private key of a peer" private-key "$private"
}
