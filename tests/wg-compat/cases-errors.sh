# shellcheck shell=bash
# Failures must look like wg's (exit status and message), and a config that
# fails validation must leave the device exactly as it was.

case_error_missing_device() {
    local ok=0 args good
    good="$(config --peers 2)"
    for args in "show wgnosuch0" "showconf wgnosuch0" "show wgnosuch0 dump" "setconf wgnosuch0 $good" \
        "syncconf wgnosuch0 $good" "set wgnosuch0 fwmark 1"; do
        # shellcheck disable=SC2086
        capture err_wg "$WG" $args
        # shellcheck disable=SC2086
        capture err_wgmesh wgm $args
        same_failure err_wg err_wgmesh || { echo "    for: ${args//$WORK\//}"; ok=1; }
    done
    return "$ok"
}

case_error_long_interface_name() {
    local ok=0 args
    for args in "show wgmesh0123456789x" "showconf wgmesh0123456789x" "set wgmesh0123456789x fwmark 1" \
        "setconf wgmesh0123456789x $(config --peers 1)"; do
        # shellcheck disable=SC2086
        capture err_wg "$WG" $args
        # shellcheck disable=SC2086
        capture err_wgmesh wgm $args
        same_failure err_wg err_wgmesh || { echo "    for: ${args//$WORK\//}"; ok=1; }
    done
    return "$ok"
}

# A bad config (broken last peer, after valid ones) fails like wg and changes nothing.
bad_config_case() {
    local kind="$1" x ok=0 verb
    new_dev x || return 1
    "$WG" setconf "$x" "$(config --peers 20)" || return 1
    "$WG" showconf "$x" | order_free conf >"$WORK/before.conf"
    for verb in setconf syncconf; do
        capture err_wg "$WG" "$verb" "$x" "$(config --peers 5 --key changed --break "$kind")"
        capture err_wgmesh wgm "$verb" "$x" "$(config --peers 5 --key changed --break "$kind")"
        same_failure err_wg err_wgmesh || { echo "    for: $verb with a bad $kind"; ok=1; }
        "$WG" showconf "$x" | order_free conf >"$WORK/after.conf"
        same "device after a failed $verb" "$WORK/before.conf" "$WORK/after.conf" || ok=1
    done
    return "$ok"
}

case_error_bad_key_in_config() { bad_config_case key; }
case_error_unknown_config_key() { bad_config_case unknown; }
case_error_bad_cidr_in_config() { bad_config_case cidr; }
