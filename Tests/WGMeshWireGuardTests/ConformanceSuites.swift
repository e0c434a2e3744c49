import Testing
import WGMeshWireGuard

// How to run the kernel suite (the host has no WireGuard module; the VM does):
//   swift build --build-tests
//   vng --run /boot/vmlinuz-6.1.0-*-amd64 --user root --disable-kvm --cpus 2 --memory 2G \
//       --rwdir "$PWD/.vmtest-out" --exec "modprobe wireguard && WGMESH_KERNEL_TESTS=1 \
//       .build/debug/wgmeshPackageTests.xctest --testing-library swift-testing --filter Conformance"
// The userspace suite runs on the host as root: WGMESH_USERSPACE_TESTS=1 swift test --filter Conformance

/// The conformance cases against the kernel module (inside the VM).
@Suite(.serialized, .enabled(if: ConformanceTarget.flag("WGMESH_KERNEL_TESTS")))
struct ConformanceKernelTests {
    let target = ConformanceTarget.kernel

    @Test func setAndGetEverything() throws { try ConformanceCases.setAndGetEverything(target) }
    @Test func tenThousandPeers() throws { try ConformanceCases.tenThousandPeers(target) }
    @Test func onePeerWithFiveThousandIPs() throws { try ConformanceCases.onePeerWithFiveThousandIPs(target) }
    @Test func removals() throws { try ConformanceCases.removals(target) }
    @Test func allowedIPMovesAreAtomicForReaders() throws {
        try ConformanceCases.allowedIPMovesAreAtomicForReaders(target, moves: 1000)
    }
    @Test func errors() throws { try ConformanceCases.missingAndForeignDevices(target, expectNotWireGuard: true) }
    @Test func lowOrderPeerKeysAreAccepted() throws {
        try ConformanceCases.lowOrderPeerKeysAreAccepted(target, target.makeBackend())
    }
    @Test func crossCheckWithWg() throws { try ConformanceCases.crossCheckWithWg(target) }

    @Test func theModuleIsFoundAndRemovalSupportMatchesThisKernel() throws {
        let backend = try #require(try KernelWireGuardBackend.open())
        // Debian 12's 6.1 kernel, which the VM boots, has no WGALLOWEDIP_A_FLAGS.
        #expect(!backend.supportsAllowedIPRemoval)
        #expect(backend.kind == .kernel)
    }
}

/// The same cases against wireguard-go on the host.
@Suite(.serialized, .enabled(if: ConformanceTarget.flag("WGMESH_USERSPACE_TESTS")))
struct ConformanceUserspaceTests {
    let target = ConformanceTarget.userspace

    @Test func setAndGetEverything() throws { try ConformanceCases.setAndGetEverything(target) }
    @Test func tenThousandPeers() throws { try ConformanceCases.tenThousandPeers(target) }
    @Test func onePeerWithFiveThousandIPs() throws { try ConformanceCases.onePeerWithFiveThousandIPs(target) }
    @Test func removals() throws { try ConformanceCases.removals(target) }
    @Test func allowedIPMovesAreAtomicForReaders() throws {
        try ConformanceCases.allowedIPMovesAreAtomicForReaders(target, moves: 1000)
    }
    @Test func errors() throws { try ConformanceCases.missingAndForeignDevices(target, expectNotWireGuard: false) }
    @Test func lowOrderPeerKeysAreAccepted() throws {
        try ConformanceCases.lowOrderPeerKeysAreAccepted(target, target.makeBackend())
    }
    @Test func crossCheckWithWg() throws { try ConformanceCases.crossCheckWithWg(target) }
}
