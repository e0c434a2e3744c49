import WGMeshCore
import WGMeshTestSupport
import WGMeshWireGuard

/// A random (actual, desired) pair drawn from small pools, so that peers and
/// allowed IPs overlap often: IPs move between peers, are dropped, kept, added.
struct DiffScenario {
    var actual: WireGuardDevice
    var desired: DesiredDevice

    // Host bits are set on purpose in some entries: both sides must be compared masked.
    static let networks: [IPNetwork] = [
        "10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32", "10.0.1.7/24", "10.0.2.0/24", "10.1.0.0/16",
        "10.1.0.0/24", "192.168.4.0/22", "0.0.0.0/0", "fd00::1/128", "fd00::2/128", "fd00:1::5/64",
        "fd00:2::/64", "fd00::/48", "2001:db8::/32", "::/0",
    ].map(DiffFixtures.net)
    static let endpoints: [Endpoint] = ["192.0.2.1:51820", "192.0.2.2:51820", "[2001:db8::9]:4500"]
        .map(DiffFixtures.endpoint)
    static let keepalives: [UInt16] = [0, 0, 25, 30]

    /// Draws one scenario; the same seed always gives the same scenario.
    init(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let keys = (0..<7).map { _ in rng.nextWireGuardKey() }
        let secrets = (0..<3).map { _ in rng.nextSecretKey() }
        let psks: [SecretKey?] = [nil, .zero, secrets[0], secrets[1]]
        let deviceSecret = secrets[2]

        var actualPeers: [WireGuardPeer] = []
        for (key, networks) in Self.assign(keys: keys, rng: &rng) {
            actualPeers.append(WireGuardPeer(
                publicKey: key, presharedKey: psks.randomElement(using: &rng)!,
                endpoint: Bool.random(using: &rng) ? Self.endpoints.randomElement(using: &rng) : nil,
                persistentKeepalive: Self.keepalives.randomElement(using: &rng)!, allowedIPs: networks))
        }
        actual = DiffFixtures.device(
            secret: deviceSecret, port: 51820, fwmark: rng.next() % 2 == 0 ? 0 : 0x1234, peers: actualPeers)

        var desiredPeers: [DesiredPeer] = []
        for (key, var networks) in Self.assign(keys: keys, rng: &rng) {
            // Now and then list a network twice, as a careless config file might.
            if let first = networks.first, rng.next() % 5 == 0 { networks.append(first) }
            desiredPeers.append(DesiredPeer(
                publicKey: key, presharedKey: psks.randomElement(using: &rng)!,
                endpoint: Bool.random(using: &rng) ? Self.endpoints.randomElement(using: &rng) : nil,
                persistentKeepalive: Self.keepalives.randomElement(using: &rng)!, allowedIPs: networks))
        }
        let privateKeys: [SecretKey?] = [nil, deviceSecret, rng.nextSecretKey()]
        desired = DesiredDevice(
            privateKey: privateKeys.randomElement(using: &rng)!,
            listenPort: [nil, 51820, 51821].randomElement(using: &rng)!,
            fwmark: [nil, 0, 0x1234].randomElement(using: &rng)!, peers: desiredPeers)
    }

    /// A random subset of `keys`, each with a disjoint random subset of ``networks``.
    static func assign(keys: [WireGuardKey], rng: inout SplitMix64) -> [(WireGuardKey, [IPNetwork])] {
        let chosen = keys.shuffled(using: &rng).prefix(Int(rng.next() % UInt64(keys.count + 1)))
        var result = chosen.map { ($0, [IPNetwork]()) }
        guard !result.isEmpty else { return result }
        for network in networks.shuffled(using: &rng) where rng.next() % 4 != 0 {
            result[Int(rng.next() % UInt64(result.count))].1.append(network)
        }
        return result
    }

    /// Every IP present on both sides, with the peer holding it before and after.
    var keptNetworks: [IPNetwork: (before: WireGuardKey, after: WireGuardKey)] {
        var before: [IPNetwork: WireGuardKey] = [:]
        for peer in actual.peers { for network in peer.allowedIPs { before[network.masked] = peer.publicKey } }
        var kept: [IPNetwork: (before: WireGuardKey, after: WireGuardKey)] = [:]
        for peer in desired.peers {
            for network in peer.allowedIPs {
                if let old = before[network.masked] { kept[network.masked] = (old, peer.publicKey) }
            }
        }
        return kept
    }
}
