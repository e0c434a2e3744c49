#!/usr/bin/env bash
# The wg-compatibility suite: runs the real `wg` and `wgmesh wg` against live
# WireGuard devices and compares what they print and what they configure.
#
#   tests/wg-compat/run.sh [--mode userspace|kernel] [--quick] [--jobs N] [--results FILE] [CASE-REGEX]
#
#   userspace  devices are wireguard-go processes (the host default)
#   kernel     devices are `ip link add NAME type wireguard` (inside the VM)
#   --quick    skips the 10,000-peer cases (reported as skipped)
#   --jobs N   runs the cases in N shards at once, each with its own devices
#              and files, taking cases from one queue (slowest first); output
#              is printed shard by shard when all end. The VM uses 2: under
#              emulation a case waits on the CPU, not on I/O.
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
jobs=1
while [ $# -gt 0 ]; do
    case "$1" in
        --mode) MODE="$2"; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --results) results="$(realpath -m "$2")"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) filter="$1"; shift ;;
    esac
done
case "$MODE" in userspace|kernel) ;; *) echo "run.sh: --mode is userspace or kernel" >&2; exit 2 ;; esac
[[ "$jobs" =~ ^[1-9]$ ]] || { echo "run.sh: --jobs is a number from 1 to 9, not '$jobs'" >&2; exit 2; }

if [ -z "${WGCOMPAT_IN_NETNS:-}" ]; then
    args=(--mode "$MODE")
    [ -z "$QUICK" ] || args+=(--quick)
    [ -z "$results" ] || args+=(--results "$results")
    args+=(--jobs "$jobs")
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

# The cases to run, slowest first: a sharded run hands them out in this order,
# so the long ones start at once and the shards end close together.
SLOWEST=(syncconf_10000_peers setconf_10000_peers syncconf_1000_peers set_sequence show_all show_each_field)
cases=()
for short in "${SLOWEST[@]}" $(declare -F | awk '{print $3}' | grep '^case_' | sed 's/^case_//'); do
    declare -F "case_$short" >/dev/null || continue
    [ -z "$filter" ] || [[ "$short" =~ $filter ]] || continue
    [[ " ${cases[*]} " == *" $short "* ]] || cases+=("$short")
done
[ ${#cases[@]} -gt 0 ] || { echo "FAIL no case matches '$filter'"; failed=1; write_results; exit 1; }

# The parent of a sharded run: writes the queue, starts one copy of this
# script a shard (same netns, own WORK and device names), waits, prints their
# outputs in order and adds up.
if [ "$jobs" -gt 1 ] && [ -z "${WGCOMPAT_SHARD:-}" ]; then
    queue="$WORK/queue"
    printf '%s\n' "${cases[@]}" >"$queue"
    echo 0 >"$queue.next"
    for shard in $(seq 1 "$jobs"); do
        WORK="" WGCOMPAT_SHARD="$shard" WGCOMPAT_QUEUE="$queue" "$0" --mode "$MODE" ${QUICK:+--quick} \
            --jobs "$jobs" --results "$queue.$shard.results" >"$queue.$shard.out" 2>&1 &
    done
    wait
    for shard in $(seq 1 "$jobs"); do
        grep -v '^wg-compat' "$queue.$shard.out"
        read -r p f s <"$queue.$shard.results" 2>/dev/null || { p=0; f=1; s=0; echo "FAIL shard $shard/$jobs wrote no results"; }
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    done
    # A broken runner must not pass by running nothing.
    if [ $((passed + failed + skipped)) -ne "${#cases[@]}" ]; then
        echo "FAIL the shards reported $((passed + failed + skipped)) of ${#cases[@]} cases"
        failed=$((failed + 1))
    fi
    write_results
    echo "wg-compat ($MODE): $passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
    exit
fi

# A shard's next case from the shared queue, under a lock so each case runs
# once; prints nothing when none is left.
next_case() {
    local lock index
    exec {lock}>>"$WGCOMPAT_QUEUE.lock"
    flock "$lock"
    read -r index <"$WGCOMPAT_QUEUE.next"
    echo $((index + 1)) >"$WGCOMPAT_QUEUE.next"
    exec {lock}>&-
    sed -n "$((index + 1))p" "$WGCOMPAT_QUEUE"
}

# Runs one case and prints its line (and, on failure, its log).
run_case() {
    local short="$1" start status took
    start=$SECONDS
    "case_$short" >"$WORK/case.log" 2>&1
    status=$?
    cleanup_devices
    took=$((SECONDS - start))
    case "$status" in
        0) passed=$((passed + 1)); printf 'ok   %s (%ss)\n' "$short" "$took" ;;
        "$SKIP") skipped=$((skipped + 1)); printf 'skip %s\n' "$short" ;;
        *) failed=$((failed + 1)); printf 'FAIL %s (%ss)\n' "$short" "$took"; cat "$WORK/case.log" ;;
    esac
}

if [ -n "${WGCOMPAT_SHARD:-}" ]; then
    # A shard names its devices (and fixed ports) from its own range.
    SHARD_INDEX=$((WGCOMPAT_SHARD - 1))
    DEVICE_COUNTER=$((SHARD_INDEX * 100))
    while short="$(next_case)" && [ -n "$short" ]; do run_case "$short"; done
else
    for short in "${cases[@]}"; do run_case "$short"; done
fi
write_results
echo "wg-compat ($MODE): $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
