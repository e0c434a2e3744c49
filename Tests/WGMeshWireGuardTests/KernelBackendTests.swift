import Glibc
import Testing
import WGMeshCore
import WGMeshNetlink
import WGMeshWireGuard

/// The backend's apply loop over a fake kernel: ACK waits, first-error abort, validation, error texts.
@Suite struct KernelBackendTests {
    static func backend(
        removal: Bool = false, _ responder: @escaping (Int, [UInt8]) -> [[UInt8]]
    ) -> (KernelWireGuardBackend, KernelFakeTransport) {
        let fake = KernelFakeTransport(responder: responder)
        let backend = KernelWireGuardBackend(
            socket: NetlinkSocket(transport: fake), familyID: 0x20, supportsAllowedIPRemoval: removal)
        return (backend, fake)
    }

    @Test func everyFragmentIsSentAndAcknowledgedAndCounted() throws {
        let (backend, fake) = Self.backend { _, _ in [KernelFakeTransport.ack] }
        let report = try backend.configure(device: "wg0", with: KernelFragmentationTests.manyPeers(2000))
        #expect(report.messagesSent == fake.sent.count)
        #expect(report.messagesSent > 1)
        #expect(fake.sent.allSatisfy { $0.count <= KernelWireGuardBackend.defaultMessageSizeLimit })
        let flags = fake.sent[0].withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 6, as: UInt16.self) }
        #expect(flags == 0x5)  // REQUEST|ACK
    }

    @Test func theFirstErrorStopsTheApplyAndSaysHowMuchWasApplied() {
        let (backend, fake) = Self.backend { index, _ in
            [index == 1 ? KernelFakeTransport.error(22) : KernelFakeTransport.ack]
        }
        #expect {
            try backend.configure(device: "wg0", with: KernelFragmentationTests.manyPeers(2000))
        } throws: { error in
            let error = error as! WireGuardError
            return error.code == .rejected && error.errno == 22 && error.device == "wg0"
                && error.reason.contains("1 of ") && error.reason.contains("Invalid argument")
        }
        #expect(fake.sent.count == 2)
    }

    @Test(arguments: [
        (Int32(19), WireGuardError.Code.noSuchDevice, "Unable to modify interface wg0: No such device"),
        (Int32(95), WireGuardError.Code.notWireGuard, "not a WireGuard device"),
        (Int32(1), WireGuardError.Code.permissionDenied, "CAP_NET_ADMIN"),
    ])
    func kernelErrnosMapToCodes(errno: Int32, code: WireGuardError.Code, text: String) {
        let (backend, _) = Self.backend { _, _ in [KernelFakeTransport.error(errno)] }
        #expect {
            try backend.configure(device: "wg0", with: DeviceConfig(listenPort: 1))
        } throws: { error in
            let error = error as! WireGuardError
            return error.code == code && error.reason.contains(text)
        }
    }

    @Test func lowOrderPeerKeysAreSentAsTheKernelTakesThem() throws {
        let (backend, fake) = Self.backend { _, _ in [KernelFakeTransport.ack] }
        let config = DeviceConfig(peers: WireGuardKey.lowOrderPoints.map { PeerConfig(publicKey: $0) })
        try backend.configure(device: "wg0", with: config)
        #expect(fake.sent.count == 1)
    }

    @Test func allowedIPRemovalIsRefusedUpFrontWhenTheKernelLacksIt() throws {
        let config = DeviceConfig(peers: [PeerConfig(
            publicKey: KernelFragmentationTests.key(1), removedAllowedIPs: [KernelFragmentationTests.v4(1)])])
        let (old, oldFake) = Self.backend(removal: false) { _, _ in [KernelFakeTransport.ack] }
        #expect { try old.configure(device: "wg0", with: config) } throws: {
            ($0 as! WireGuardError).code == .unsupportedByImplementation
        }
        #expect(oldFake.sent.isEmpty)
        let (new, newFake) = Self.backend(removal: true) { _, _ in [KernelFakeTransport.ack] }
        try new.configure(device: "wg0", with: config)
        #expect(try KernelSetMessage(newFake.sent[0]).peers[0].removedIPs == [KernelFragmentationTests.v4(1)])
    }

    @Test func anImpossibleNameIsNoSuchDeviceWithoutAsking() {
        let (backend, fake) = Self.backend { _, _ in [KernelFakeTransport.ack] }
        #expect { try backend.device(named: "a-name-longer-than-15") } throws: {
            ($0 as! WireGuardError).code == .noSuchDevice
        }
        #expect(fake.sent.isEmpty)
    }

    @Test(arguments: [
        ("6.1.0-56-amd64", false), ("5.15.0", false), ("6.15.9", false), ("6.16.0", true),
        ("6.18.3-arch1", true), ("7.0.0", true), ("not-a-version", false),
    ])
    func allowedIPRemovalFollowsTheKernelRelease(release: String, supported: Bool) {
        #expect(KernelWireGuardBackend.allowedIPRemovalSupported(kernelRelease: release) == supported)
    }

    /// Live and unprivileged: open() is nil exactly when the kernel has no wireguard family
    /// (the host here has none; the VM loads the module first).
    @Test func openIsNilExactlyWhenTheModuleIsAbsent() throws {
        let loaded = access("/sys/module/wireguard", F_OK) == 0
        let backend = try KernelWireGuardBackend.open()
        #expect((backend != nil) == loaded)
        if let backend { #expect(backend.familyID >= 0x10) }
    }
}
