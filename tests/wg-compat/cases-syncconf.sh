# shellcheck shell=bash
# syncconf: the result must equal wg's, and wgmesh must send only what
# changed (WGMESH_STATS=1 makes it print "sent N messages" on stderr).

# Both devices start from BASE (set by wg); wgmesh syncs X to NEXT, wg syncs
# Y to NEXT; showconf must agree. Leaves the stderr of wgmesh's run in
# WORK/sync_wgmesh.err.
sync_and_compare() {
    local x="$1" y="$2" next="$3"
    capture sync_wgmesh env WGMESH_STATS=1 "$(command -v "$WGMESH")" $(self_check || echo wg) syncconf "$x" "$next"
    capture sync_wg "$WG" syncconf "$y" "$next"
    succeeded sync_wg && succeeded sync_wgmesh || return 1
    "$WG" showconf "$y" | canon_conf >"$WORK/y.conf"
    "$WG" showconf "$x" | canon_conf >"$WORK/x.conf"
    same "showconf after syncconf $(basename "$next")" "$WORK/y.conf" "$WORK/x.conf"
}

# Checks the stats line of the last wgmesh syncconf: at most $1 messages.
messages_at_most() {
    local n
    n="$(sent_messages "$WORK/sync_wgmesh.err")"
    [ -n "$n" ] || { echo "    no 'sent N messages' on stderr with WGMESH_STATS=1:"; head -n 5 "$WORK/sync_wgmesh.err" | sed 's/^/    /'; return 1; }
    [ "$n" -le "$1" ] || { echo "    sent $n messages, expected at most $1"; return 1; }
}

# A one-peer change among COUNT peers, then the same file again, then a peer removed.
syncconf_case() {
    local count="$1" x y ok=0
    new_dev x && new_dev y || return 1
    "$WG" setconf "$x" "$(config --peers "$count")" && "$WG" setconf "$y" "$(config --peers "$count")" || return 1
    sync_and_compare "$x" "$y" "$(config --peers "$count" --change 7)" || return 1
    if ! self_check; then messages_at_most 2 || ok=1; fi
    sync_and_compare "$x" "$y" "$(config --peers "$count" --change 7)" || return 1
    if ! self_check; then messages_at_most 0 || ok=1; fi
    sync_and_compare "$x" "$y" "$(config --peers $((count - 1)) --change 7)" || return 1
    return "$ok"
}

case_syncconf_1000_peers() { syncconf_case 1000; }

case_syncconf_10000_peers() {
    [ -z "${QUICK:-}" ] || return "$SKIP"
    syncconf_case 10000
}

# The statistics line itself only exists in wgmesh; skipped in self-check mode.
case_syncconf_stats_line() {
    self_check && return "$SKIP"
    local x y
    new_dev x && new_dev y || return 1
    "$WG" setconf "$x" "$(config --peers 100)" && "$WG" setconf "$y" "$(config --peers 100)" || return 1
    sync_and_compare "$x" "$y" "$(config --peers 100 --change 3)" || return 1
    messages_at_most 2 || return 1
    [ "$(sent_messages "$WORK/sync_wgmesh.err")" -ge 1 ] || { echo "    a real change sent 0 messages"; return 1; }
}
