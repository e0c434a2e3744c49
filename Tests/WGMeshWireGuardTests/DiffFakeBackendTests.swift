import Glibc
import Synchronization
import Testing
import WGMeshCore
import WGMeshTestSupport
import WGMeshWireGuard

/// The fake must follow the kernel's SET rules, or the diff tests prove nothing.
@Suite struct DiffFakeBackendTests {
    typealias F = DiffFixtures

    static let a = F.key(0xA1)
    static let b = F.key(0xB2)

    static func twoPeers() -> WireGuardDevice {
        F.device(secret: F.secret(9), peers: [
            WireGuardPeer(publicKey: a, allowedIPs: [F.net("10.0.0.0/24"), F.net("10.0.1.0/24")]),
            WireGuardPeer(publicKey: b, allowedIPs: [F.net("10.0.2.0/24")]),
        ])
    }

    @Test func allowedIPsAreStoredMaskedAndAnAddMovesThem() throws {
        let fake = F.fake(Self.twoPeers())
        var steps: [FakeStep] = []
        try fake.configure(device: "wg0", with: DeviceConfig(peers: [
            PeerConfig(publicKey: Self.b, allowedIPs: [F.net("10.0.0.99/24")]),
        ])) { step, _ in steps.append(step) }
        let state = try #require(fake.state(of: "wg0"))
        #expect(state.owner(of: F.net("10.0.0.0/24")) == Self.b)
        #expect(state.peers[Self.a]?.allowedIPs == [F.net("10.0.1.0/24")])
        #expect(state.peers[Self.b]?.allowedIPs == [F.net("10.0.2.0/24"), F.net("10.0.0.0/24")])
        // One indivisible step: no instant where the IP had no peer.
        #expect(steps == [.allowedIPAdded(Self.b, F.net("10.0.0.0/24"))])
    }

    @Test func unknownPeersWithRemoveOrUpdateOnlyAreSkipped() throws {
        let fake = F.fake(Self.twoPeers())
        let ghost = F.key(0x77)
        try fake.configure(device: "wg0", with: DeviceConfig(peers: [
            PeerConfig(publicKey: ghost, remove: true),
            PeerConfig(publicKey: ghost, updateOnly: true, allowedIPs: [F.net("10.9.0.0/16")]),
        ]))
        let state = try #require(fake.state(of: "wg0"))
        #expect(state.peers[ghost] == nil && state.owner(of: F.net("10.9.0.0/16")) == nil)
        #expect(fake.configureCalls == 1)
    }

    @Test func aPeerWithTheDevicesKeyIsIgnored() throws {
        let fake = F.fake(Self.twoPeers())
        let own = try #require(Self.twoPeers().publicKey)
        try fake.configure(device: "wg0", with: DeviceConfig(peers: [PeerConfig(publicKey: own)]))
        #expect(fake.state(of: "wg0")?.peers[own] == nil)
    }

    @Test func replacePeersComesBeforeThePeerList() throws {
        let fake = F.fake(Self.twoPeers())
        try fake.configure(device: "wg0", with: DeviceConfig(replacePeers: true, peers: [
            PeerConfig(publicKey: Self.a, allowedIPs: [F.net("10.0.2.0/24")]),
        ]))
        let device = try fake.device(named: "wg0")
        #expect(device.peers.map(\.publicKey) == [Self.a])
        #expect(device.peers[0].allowedIPs == [F.net("10.0.2.0/24")])
    }

    @Test func aNewPrivateKeyRemovesThePeerHoldingItsPublicKey() throws {
        let victim = F.derive(F.secret(8))
        var device = Self.twoPeers()
        device.peers.append(WireGuardPeer(publicKey: victim, allowedIPs: [F.net("10.5.0.0/16")]))
        let fake = F.fake(device)
        var steps: [FakeStep] = []
        try fake.configure(device: "wg0", with: DeviceConfig(privateKey: F.secret(8))) { step, _ in steps.append(step) }
        let state = try #require(fake.state(of: "wg0"))
        #expect(state.peers[victim] == nil && state.owner(of: F.net("10.5.0.0/16")) == nil)
        #expect(state.publicKey == victim)
        #expect(state.privateKey == F.secret(8).clampedForCurve25519)
        #expect(steps == [.privateKey])
    }

    @Test func replaceAllowedIPsThenAddsAndRemovesInOrder() throws {
        let fake = F.fake(Self.twoPeers())
        var steps: [FakeStep] = []
        try fake.configure(device: "wg0", with: DeviceConfig(peers: [
            PeerConfig(publicKey: Self.a, replaceAllowedIPs: true, allowedIPs: [F.net("10.0.1.0/24")]),
            PeerConfig(publicKey: Self.b, removedAllowedIPs: [F.net("10.0.1.0/24"), F.net("10.0.2.0/24")]),
        ])) { step, _ in steps.append(step) }
        let state = try #require(fake.state(of: "wg0"))
        #expect(state.peers[Self.a]?.allowedIPs == [F.net("10.0.1.0/24")])
        // B's remove of A's IP does nothing; its own IP goes.
        #expect(state.owner(of: F.net("10.0.1.0/24")) == Self.a)
        #expect(state.peers[Self.b]?.allowedIPs == [])
        #expect(steps.prefix(2) == [.allowedIPsReplaced(Self.a), .allowedIPAdded(Self.a, F.net("10.0.1.0/24"))])
    }

    @Test func anErrorKeepsWhatWasAppliedBefore() throws {
        let fake = F.fake(Self.twoPeers(), removal: false)
        do {
            try fake.configure(device: "wg0", with: DeviceConfig(peers: [
                PeerConfig(publicKey: Self.a, persistentKeepalive: 5),
                PeerConfig(publicKey: Self.b, removedAllowedIPs: [F.net("10.0.2.0/24")]),
            ]))
            Issue.record("the remove flag should be refused")
        } catch {
            #expect(error.errno == EINVAL)
        }
        #expect(fake.state(of: "wg0")?.peers[Self.a]?.persistentKeepalive == 5)
        #expect(fake.state(of: "wg0")?.owner(of: F.net("10.0.2.0/24")) == Self.b)
    }

    @Test func theStoredObserverSeesStepsThroughTheProtocol() throws {
        let fake = F.fake(Self.twoPeers())
        let seen = Mutex<[String]>([])
        fake.setObserver { device, step, state in
            seen.withLock { $0.append("\(device) \(step) \(state.peers.count)") }
        }
        let backend: any WireGuardBackend = fake
        try backend.configure(device: "wg0", with: DeviceConfig(peers: [PeerConfig(publicKey: Self.b, remove: true)]))
        #expect(seen.withLock { $0 } == ["wg0 remove \(Self.b) 1"])
        fake.setObserver(nil)
        try backend.configure(device: "wg0", with: DeviceConfig(fwmark: 1))
        #expect(seen.withLock { $0.count } == 1)
        #expect(fake.configureCalls == 2)
    }

    @Test func concurrentChangesAreAllApplied() async throws {
        let fake = F.fake(F.device())
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<64 {
                group.addTask {
                    let network = try! IPNetwork(address: IPAddress(networkBytes: [10, 0, UInt8(index), 0]), prefixLength: 24)
                    _ = try? fake.configure(device: "wg0", with: DeviceConfig(peers: [
                        PeerConfig(publicKey: F.key(UInt8(index + 1)), allowedIPs: [network]),
                    ]))
                }
            }
        }
        let state = try #require(fake.state(of: "wg0"))
        #expect(state.peers.count == 64 && state.owners.count == 64 && state.peerOrder.count == 64)
        #expect(fake.configureCalls == 64)
    }

    @Test func aMissingDeviceIsNoSuchDevice() {
        let fake = F.fake(Self.twoPeers())
        #expect(throws: WireGuardError.self) { try fake.device(named: "wg1") }
        #expect(throws: WireGuardError.self) { try fake.configure(device: "wg1", with: DeviceConfig()) }
        #expect((try? fake.deviceNames()) == ["wg0"])
    }
}
