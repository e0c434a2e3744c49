#!/usr/bin/env bash
# The wg-compatibility suite: runs the real `wg` and `wgmesh wg` against live
# WireGuard devices and compares what they print and what they configure.
#
#   tests/wg-compat/run.sh [--mode userspace|kernel] [--quick] [--results FILE] [CASE-REGEX]
#
#   userspace  devices are wireguard-go processes (the host default)
#   kernel     devices are `ip link add NAME type wireguard` (inside the VM)
#   --quick    skips the 10,000-peer cases (reported as skipped)
#   WGMESH     binary under test (default .build/debug/wgmesh); WGMESH=/usr/bin/wg
#              compares wg with itself, which must pass: the suite's self-check.
#
# Runs itself inside a throwaway network + mount namespace (scripts/netns),
# so nothing is sent off the machine and the host's devices are untouched.
# Prints "ok", "FAIL" (with a diff) or "skip" per case, then
# "wg-compat: N passed, M failed, K skipped"; exits non-zero on any failure.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
export MODE="${MODE:-userspace}" QUICK="${QUICK:-}"
results=""
filter=""
while [ $# -gt 0 ]; do
    case "$1" in
        --mode) MODE="$2"; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --results) results="$(realpath -m "$2")"; shift 2 ;;
        -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
        *) filter="$1"; shift ;;
    esac
done
case "$MODE" in userspace|kernel) ;; *) echo "run.sh: --mode is userspace or kernel" >&2; exit 2 ;; esac

if [ -z "${WGCOMPAT_IN_NETNS:-}" ]; then
    args=(--mode "$MODE")
    [ -z "$QUICK" ] || args+=(--quick)
    [ -z "$results" ] || args+=(--results "$results")
    [ -z "$filter" ] || args+=("$filter")
    WGCOMPAT_IN_NETNS=1 exec "$HERE/../../scripts/netns" "$0" "${args[@]}"
fi

# shellcheck source=lib.sh
. "$HERE/lib.sh"
# shellcheck source=../../scripts/lib/common.sh
. "$REPO/scripts/lib/common.sh"
PY="$(pick_python)"
for file in "$HERE"/cases-*.sh; do
    # shellcheck disable=SC1090
    . "$file"
done

passed=0; failed=0; skipped=0
write_results() {
    [ -z "$results" ] || printf '%s %s %s\n' "$passed" "$failed" "$skipped" >"$results"
}

echo "wg-compat: mode $MODE, wg $("$WG" --version 2>&1 | awk '{print $2}'), wgmesh $WGMESH"
if [ ! -x "$WGMESH" ] && ! command -v "$WGMESH" >/dev/null 2>&1; then
    echo "FAIL setup: $WGMESH not found; build it first (swift build --product wgmesh)"
    failed=1; write_results
    echo "wg-compat: $passed passed, $failed failed, $skipped skipped"
    exit 1
fi
[ "$MODE" = kernel ] || command -v wireguard-go >/dev/null || { echo "FAIL setup: wireguard-go missing: run scripts/setup"; exit 1; }

trap 'cleanup_devices; rm -rf "$WORK"' EXIT
for name in $(declare -F | awk '{print $3}' | grep '^case_'); do
    short="${name#case_}"
    [ -z "$filter" ] || [[ "$short" =~ $filter ]] || continue
    start=$SECONDS
    "$name" >"$WORK/case.log" 2>&1
    status=$?
    cleanup_devices
    took=$((SECONDS - start))
    case "$status" in
        0) passed=$((passed + 1)); printf 'ok   %s (%ss)\n' "$short" "$took" ;;
        "$SKIP") skipped=$((skipped + 1)); printf 'skip %s\n' "$short" ;;
        *) failed=$((failed + 1)); printf 'FAIL %s (%ss)\n' "$short" "$took"; cat "$WORK/case.log" ;;
    esac
done
write_results
echo "wg-compat ($MODE): $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
