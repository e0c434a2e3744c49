# shellcheck shell=bash
# setconf in both directions: what wgmesh writes, wg must read back as if wg
# had written it, and what wg writes, wgmesh must print as wg does.

# Sets CONF on one device with wgmesh and on another with wg, then compares
# both showconf outputs (order aside, ListenPort ignored); then checks that
# `wgmesh wg showconf` of wg's device equals `wg showconf` of it.
setconf_both_ways() {
    local conf="$1" x y
    new_dev x && new_dev y || return 1
    capture set_wgmesh wgm setconf "$x" "$conf"
    capture set_wg "$WG" setconf "$y" "$conf"
    succeeded set_wg && succeeded set_wgmesh || return 1
    "$WG" showconf "$y" | canon_conf >"$WORK/y.conf"
    "$WG" showconf "$x" | canon_conf >"$WORK/x.conf"
    [ -s "$WORK/y.conf" ] || { echo "    wg showconf $y printed nothing"; return 1; }
    same "wg showconf after wgmesh setconf" "$WORK/y.conf" "$WORK/x.conf" || return 1
    capture show_wgmesh wgm showconf "$y"
    succeeded show_wgmesh || return 1
    canon_conf <"$WORK/show_wgmesh.out" >"$WORK/y.by-wgmesh.conf"
    same "wgmesh showconf of a device wg set" "$WORK/y.conf" "$WORK/y.by-wgmesh.conf"
}

case_setconf_50_peers() { setconf_both_ways "$(config --peers 50 --fwmark 0x2a)"; }

case_setconf_10000_peers() {
    [ -z "${QUICK:-}" ] || return "$SKIP"
    setconf_both_ways "$(config --peers 10000)"
}

case_setconf_1_peer_5000_ips() { setconf_both_ways "$(config --big 5000)"; }

# setconf replaces: peers not in the new file go, the interface key changes.
case_setconf_replaces_previous_config() {
    local x y
    new_dev x && new_dev y || return 1
    "$WG" setconf "$x" "$(config --peers 30)" && "$WG" setconf "$y" "$(config --peers 30)" || return 1
    capture set_wgmesh wgm setconf "$x" "$(config --peers 5 --key other --big 10)"
    capture set_wg "$WG" setconf "$y" "$(config --peers 5 --key other --big 10)"
    succeeded set_wg && succeeded set_wgmesh || return 1
    "$WG" showconf "$y" | canon_conf >"$WORK/y.conf"
    "$WG" showconf "$x" | canon_conf >"$WORK/x.conf"
    same "showconf after a replacing setconf" "$WORK/y.conf" "$WORK/x.conf"
}
