#!/usr/bin/env bash
# Runs INSIDE the virtme-ng guest (see scripts/vmtest): the Swift test bundle
# with WGMESH_KERNEL_TESTS=1 against the real wireguard.ko (and
# WGMESH_ROOT_TESTS=1: the guest is root and throwaway, and some root tests
# need a kernel with WireGuard), then the
# wg-compatibility suite in kernel mode, then the core multi-node mesh
# scenario (WGMeshE2ETests, 3 nodes in namespaces of this guest, SQLite) on
# kernel WireGuard.
#
#   scripts/vmtest -- tests/kernel/run-in-vm.sh [--quick]
#
# The guest root is the host's, read-only, so SwiftPM cannot run here: the
# bundle is run directly (`wgmeshPackageTests.xctest --testing-library
# swift-testing`), built beforehand on the host with `swift build --build-tests`.
# Results go to .vmtest-out/ (shared back to the host):
#   kernel-swift.xml     xunit of the bundle run
#   compat-kernel.txt    "passed failed skipped" of the compat suite
#   kernel-e2e.xml       xunit of the kernel mesh scenario
# Set WGMESH_VM_FILTER to a regex to run only some Swift tests.
set -uo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${VMTEST_OUT:-$REPO/.vmtest-out}"
BUNDLE="${WGMESH_TEST_BUNDLE:-$REPO/.build/debug/wgmeshPackageTests.xctest}"
quick=()
[ "${1:-}" != --quick ] || quick=(--quick)
mkdir -p "$OUT"
rm -f "$OUT/kernel-swift.xml" "$OUT/compat-kernel.txt" "$OUT/kernel-e2e.xml" "$OUT/kernel-e2e-mesh.log"
export TMPDIR=/tmp HOME=/tmp NO_COLOR=1

echo "==== VM: $(uname -r), wireguard module $(cat /sys/module/wireguard/version 2>/dev/null || echo 'not loaded') ===="
status=0

echo "==== VM: Swift tests with WGMESH_KERNEL_TESTS=1 WGMESH_ROOT_TESTS=1 ===="
if [ -x "$BUNDLE" ]; then
    filter=()
    [ -z "${WGMESH_VM_FILTER:-}" ] || filter=(--filter "$WGMESH_VM_FILTER")
    WGMESH_KERNEL_TESTS=1 WGMESH_ROOT_TESTS=1 "$BUNDLE" --testing-library swift-testing --xunit-output "$OUT/kernel-swift.xml" \
        "${filter[@]}" </dev/null 2>&1 | grep -v '^◇ '
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
else
    echo "FAIL: $BUNDLE missing; build with: swift build --build-tests"
    status=1
fi

echo "==== VM: wg-compat suite, kernel mode ===="
# Two shards at once: the guest has two emulated CPUs, and a case spends its
# time computing (each wgmesh start is ~2 s under emulation), not waiting.
"$REPO/tests/wg-compat/run.sh" --mode kernel --jobs 2 --results "$OUT/compat-kernel.txt" "${quick[@]}" || status=1

echo "==== VM: multi-node mesh on kernel WireGuard (3 nodes, SQLite) ===="
if [ -x "$BUNDLE" ]; then
    # mesh.sh copies its step lines to MESH_LOG: the host can see where a slow run is.
    WGMESH_E2E_TESTS=1 WGMESH_E2E_BACKEND=kernel MESH_LOG="$OUT/kernel-e2e-mesh.log" "$BUNDLE" --testing-library swift-testing --no-parallel \
        --filter '^WGMeshE2ETests\.MeshCoreTests/kernelCoreMesh' --xunit-output "$OUT/kernel-e2e.xml" \
        </dev/null 2>&1 | grep -v '^◇ '
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
fi

read -r p f s < <(python3 "$REPO/scripts/lib/xunit-count.py" "$OUT/kernel-swift.xml")
echo "VM Swift tests: $p passed, $f failed, $s skipped"
read -r p f s < <(python3 "$REPO/scripts/lib/xunit-count.py" "$OUT/kernel-e2e.xml")
echo "VM mesh scenario: $p passed, $f failed, $s skipped"
exit "$status"
