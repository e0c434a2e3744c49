import Testing
import WGMeshCore
import WGMeshTestSupport
import WGMeshWireGuard

/// One case per rule of the diff: what it sends, and what it leaves out.
@Suite struct DiffTableTests {
    typealias F = DiffFixtures

    static let a = F.key(0xA1)
    static let b = F.key(0xB2)
    static let c = F.key(0xC3)

    /// A device with peer A holding two IPs, an endpoint and a keepalive.
    static func base() -> WireGuardDevice {
        F.device(secret: F.secret(9), peers: [
            WireGuardPeer(publicKey: a, presharedKey: .zero, endpoint: F.endpoint("192.0.2.1:51820"),
                          persistentKeepalive: 25, allowedIPs: [F.net("10.0.0.0/24"), F.net("fd00::1/128")]),
        ])
    }

    /// The desired state that matches ``base()`` exactly.
    static func same() -> DesiredPeer {
        DesiredPeer(publicKey: a, endpoint: F.endpoint("192.0.2.1:51820"), persistentKeepalive: 25,
                    allowedIPs: [F.net("10.0.0.0/24"), F.net("fd00::1/128")])
    }

    @Test func nothingDiffersMeansAnEmptyChange() throws {
        let config = try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice(peers: [Self.same()]))
        #expect(config.isEmpty)
        #expect(config == DeviceConfig())
    }

    @Test func maskingAndDuplicatesInDesiredAreIgnored() throws {
        var peer = Self.same()
        // Host bits set, the v6 host listed twice, in another order: the same set once masked.
        peer.allowedIPs = [F.net("fd00::1/128"), F.net("10.0.0.77/24"), F.net("fd00::1"), F.net("10.0.0.1/24")]
        #expect(try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice(peers: [peer])).isEmpty)
    }

    @Test func actualAllowedIPsAreMaskedBeforeComparing() throws {
        // A userspace implementation may report host bits; the networks are still the same.
        var device = Self.base()
        device.peers[0].allowedIPs = [F.net("10.0.0.9/24"), F.net("fd00::1/128")]
        #expect(try WireGuardDiff.changes(from: device, to: DesiredDevice(peers: [Self.same()])).isEmpty)
    }

    @Test func aNilEndpointMeansDoNotCare() throws {
        var peer = Self.same()
        peer.endpoint = nil
        #expect(try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice(peers: [peer])).isEmpty)
    }

    @Test func aNewPeerCarriesOnlyWhatIsNotDefault() throws {
        let desired = DesiredDevice(peers: [
            Self.same(),
            DesiredPeer(publicKey: Self.b, presharedKey: .zero, allowedIPs: [F.net("10.1.0.9/16")]),
            DesiredPeer(publicKey: Self.c, presharedKey: F.secret(3), endpoint: F.endpoint("[2001:db8::1]:1"),
                        persistentKeepalive: 10),
        ])
        let config = try WireGuardDiff.changes(from: Self.base(), to: desired)
        #expect(config.peers == [
            PeerConfig(publicKey: Self.b, allowedIPs: [F.net("10.1.0.0/16")]),
            PeerConfig(publicKey: Self.c, presharedKey: F.secret(3), endpoint: F.endpoint("[2001:db8::1]:1"),
                       persistentKeepalive: 10),
        ])
        #expect(config.privateKey == nil && config.listenPort == nil && config.fwmark == nil && !config.replacePeers)
    }

    @Test func aRemovedPeerIsOneRemoveMe() throws {
        let config = try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice())
        #expect(config.peers == [PeerConfig(publicKey: Self.a, remove: true)])
    }

    @Test func attributeChangesAreSentAlone() throws {
        var peer = Self.same()
        peer.endpoint = F.endpoint("192.0.2.2:51820")
        peer.persistentKeepalive = 0
        peer.presharedKey = F.secret(4)
        let config = try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice(peers: [peer]))
        #expect(config.peers == [
            PeerConfig(publicKey: Self.a, presharedKey: F.secret(4), endpoint: F.endpoint("192.0.2.2:51820"),
                       persistentKeepalive: 0),
        ])
    }

    @Test func aPresharedKeyIsRemovedWithZeros() throws {
        var device = Self.base()
        device.peers[0].presharedKey = F.secret(5)
        let config = try WireGuardDiff.changes(from: device, to: DesiredDevice(peers: [Self.same()]))
        #expect(config.peers == [PeerConfig(publicKey: Self.a, presharedKey: .zero)])
        #expect(config.peers[0].presharedKey?.isZero == true)
    }

    @Test func deviceFieldsAreSentOnlyWhenGivenAndDifferent() throws {
        let device = Self.base()
        // Same key but unclamped, same port, fwmark not given: nothing.
        let unchanged = DesiredDevice(privateKey: F.secret(9), listenPort: 51820, peers: [Self.same()])
        #expect(try WireGuardDiff.changes(from: device, to: unchanged).isEmpty)
        // Port 0 asks for any port, which the device already has.
        #expect(try WireGuardDiff.changes(from: device, to: DesiredDevice(listenPort: 0, peers: [Self.same()])).isEmpty)

        let changed = DesiredDevice(privateKey: F.secret(8), listenPort: 4000, fwmark: 0x51, peers: [Self.same()])
        let config = try WireGuardDiff.changes(from: device, to: changed)
        #expect(config.privateKey == F.secret(8).clampedForCurve25519)
        #expect(config.privateKey != F.secret(8))
        #expect(config.listenPort == 4000 && config.fwmark == 0x51 && config.peers.isEmpty)
    }

    @Test func removingThePrivateKeySendsZeros() throws {
        let config = try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice(privateKey: .zero, peers: [Self.same()]))
        #expect(config.privateKey?.isZero == true)
        let keyless = F.device(peers: Self.base().peers)
        #expect(try WireGuardDiff.changes(from: keyless, to: DesiredDevice(privateKey: .zero, peers: [Self.same()])).isEmpty)
    }

    @Test func aKeyChangeConvergesWhenAPeerHoldsTheNewPublicKey() throws {
        // The kernel drops that peer as it sets the key; our REMOVE_ME for it is then skipped.
        var device = Self.base()
        device.peers.append(WireGuardPeer(publicKey: F.derive(F.secret(8)), allowedIPs: [F.net("10.8.0.0/16")]))
        let desired = DesiredDevice(privateKey: F.secret(8), peers: [Self.same()])
        let fake = F.fake(device)
        let config = try WireGuardDiff.changes(from: device, to: desired)
        #expect(config.peers == [PeerConfig(publicKey: F.derive(F.secret(8)), remove: true)])
        try fake.configure(device: "wg0", with: config)
        let after = try fake.device(named: "wg0")
        #expect(F.mismatches(after, desired).isEmpty)
        #expect(after.publicKey == F.derive(F.secret(8)))
        #expect(try WireGuardDiff.changes(from: after, to: desired).isEmpty)
    }

    @Test func newAllowedIPsAreAppendedWithoutReplace() throws {
        var peer = Self.same()
        peer.allowedIPs.insert(F.net("10.9.0.0/16"), at: 1)
        let config = try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice(peers: [peer]))
        #expect(config.peers == [PeerConfig(publicKey: Self.a, allowedIPs: [F.net("10.9.0.0/16")])])
    }

    @Test func aMoveIsAnAddOnTheNewPeerOnly() throws {
        var device = Self.base()
        device.peers.append(WireGuardPeer(publicKey: Self.b, allowedIPs: [F.net("10.2.0.0/16")]))
        var keep = Self.same()
        keep.allowedIPs = [F.net("fd00::1/128")]
        let desired = DesiredDevice(peers: [
            keep, DesiredPeer(publicKey: Self.b, allowedIPs: [F.net("10.2.0.0/16"), F.net("10.0.0.0/24")]),
        ])
        for removal in AllowedIPRemoval.allCases {
            let config = try WireGuardDiff.changes(from: device, to: desired, allowedIPRemoval: removal)
            #expect(config.peers == [PeerConfig(publicKey: Self.b, allowedIPs: [F.net("10.0.0.0/24")])])
        }
    }

    @Test func aDroppedIPWithTheRemoveFlagTouchesNothingElse() throws {
        var peer = Self.same()
        peer.allowedIPs = [F.net("10.0.0.0/24")]
        let config = try WireGuardDiff.changes(
            from: Self.base(), to: DesiredDevice(peers: [peer]), allowedIPRemoval: .removeFlag)
        #expect(config.peers == [PeerConfig(publicKey: Self.a, removedAllowedIPs: [F.net("fd00::1/128")])])
    }

    @Test func aDroppedIPGoesToASinkPeerThatIsRemovedRightAfter() throws {
        var peer = Self.same()
        peer.allowedIPs = [F.net("10.0.0.0/24")]
        let config = try WireGuardDiff.changes(
            from: Self.base(), to: DesiredDevice(peers: [peer]), allowedIPRemoval: .sinkPeer)
        try #require(config.peers.count == 2)
        let sink = config.peers[0].publicKey
        #expect(sink != Self.a && !sink.isZero)
        #expect(config.peers[0] == PeerConfig(publicKey: sink, allowedIPs: [F.net("fd00::1/128")]))
        #expect(config.peers[1] == PeerConfig(publicKey: sink, remove: true))
        // A fresh key every time: nobody can hold its private key.
        let again = try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice(peers: [peer]))
        #expect(again.peers[0].publicKey != sink)
    }

    @Test func replaceSendsTheWholeListAsALastResort() throws {
        var peer = Self.same()
        peer.allowedIPs = [F.net("10.0.0.0/24"), F.net("10.3.0.0/16")]
        let config = try WireGuardDiff.changes(
            from: Self.base(), to: DesiredDevice(peers: [peer]), allowedIPRemoval: .replace)
        #expect(config.peers == [
            PeerConfig(publicKey: Self.a, replaceAllowedIPs: true, allowedIPs: [F.net("10.0.0.0/24"), F.net("10.3.0.0/16")]),
        ])
    }

    @Test(arguments: AllowedIPRemoval.allCases)
    func peersAreOrderedGainersThenLosersThenRemoved(removal: AllowedIPRemoval) throws {
        // A keeps one IP and drops one; B is removed and its IP moves to new peer C.
        var device = Self.base()
        device.peers.append(WireGuardPeer(publicKey: Self.b, allowedIPs: [F.net("10.2.0.0/16")]))
        var keep = Self.same()
        keep.allowedIPs = [F.net("10.0.0.0/24")]
        let desired = DesiredDevice(peers: [keep, DesiredPeer(publicKey: Self.c, allowedIPs: [F.net("10.2.0.0/16")])])
        let config = try WireGuardDiff.changes(from: device, to: desired, allowedIPRemoval: removal)
        let keys = config.peers.map(\.publicKey)
        #expect(keys.first == Self.c)
        #expect(config.peers.last == PeerConfig(publicKey: Self.b, remove: true))
        #expect(config.peers.dropFirst().dropLast().allSatisfy { $0.publicKey != Self.b && $0.publicKey != Self.c })
        #expect(!config.peers.contains { $0.replaceAllowedIPs } || removal == .replace)
    }

    @Test func removeFlagOnAWireGuardWithoutItFailsLoudly() throws {
        var peer = Self.same()
        peer.allowedIPs = [F.net("10.0.0.0/24")]
        let fake = F.fake(Self.base(), removal: false)
        let config = try WireGuardDiff.changes(
            from: Self.base(), to: DesiredDevice(peers: [peer]), allowedIPRemoval: .removeFlag)
        #expect(throws: WireGuardError.self) { try fake.configure(device: "wg0", with: config) }
        // The same change by sink peer works on the same device.
        let sink = try WireGuardDiff.changes(from: Self.base(), to: DesiredDevice(peers: [peer]))
        try fake.configure(device: "wg0", with: sink)
        #expect(DiffFixtures.mismatches(try fake.device(named: "wg0"), DesiredDevice(peers: [peer])).isEmpty)
    }
}
