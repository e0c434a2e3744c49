# shellcheck shell=bash
# `wg set` equivalents: the same sequence of edits through both tools must
# leave both devices with the same configuration after every step.

case_set_sequence() {
    local x y priv psk p1 p2 p3 ok=0
    new_dev x && new_dev y || return 1
    priv="$WORK/set.private"; psk="$WORK/set.psk"
    (umask 077; "$WG" genkey >"$priv"; "$WG" genpsk >"$psk")
    p1="$("$WG" genkey | "$WG" pubkey)"; p2="$("$WG" genkey | "$WG" pubkey)"; p3="$("$WG" genkey | "$WG" pubkey)"
    local steps=(
        "private-key $priv fwmark 0x1234"
        "peer $p1 allowed-ips 10.1.0.1/32,fd00:1::1/128 endpoint 127.0.0.1:51000 persistent-keepalive 25"
        "peer $p1 preshared-key $psk"
        "peer $p2 endpoint [::1]:4000 allowed-ips 10.2.0.0/16"
        "peer $p1 allowed-ips 10.1.0.2/32"
        "peer $p1 persistent-keepalive off endpoint 127.0.0.3:5"
        "peer $p2 allowed-ips 10.1.0.2/32,10.9.0.0/24"
        "peer $p3 allowed-ips 10.3.0.0/24 peer $p2 remove"
        "peer $p1 preshared-key /dev/null"
        "fwmark off"
        "peer $p1 remove"
        "private-key /dev/null"
    )
    local step i=0
    for step in "${steps[@]}"; do
        i=$((i + 1))
        # shellcheck disable=SC2086 # each step is a word list on purpose
        capture set_wgmesh wgm set "$x" $step
        # shellcheck disable=SC2086
        capture set_wg "$WG" set "$y" $step
        succeeded set_wg && succeeded set_wgmesh || { echo "    at step $i: set $step"; return 1; }
        "$WG" showconf "$y" | canon_conf >"$WORK/y.conf"
        "$WG" showconf "$x" | canon_conf >"$WORK/x.conf"
        same "showconf after step $i (set ${step//$WORK\//})" "$WORK/y.conf" "$WORK/x.conf" || ok=1
    done
    return "$ok"
}

# Listen ports must differ between two devices, so check each one's value.
case_set_listen_port() {
    local x
    new_dev x || return 1
    capture set_wgmesh wgm set "$x" listen-port 41999
    succeeded set_wgmesh || return 1
    [ "$("$WG" show "$x" listen-port)" = 41999 ] || { echo "    listen-port is $("$WG" show "$x" listen-port), expected 41999"; return 1; }
    capture set_wgmesh wgm set "$x" listen-port 0
    succeeded set_wgmesh || return 1
    [ "$("$WG" show "$x" listen-port)" != 41999 ] || { echo "    listen-port 0 kept 41999"; return 1; }
}
