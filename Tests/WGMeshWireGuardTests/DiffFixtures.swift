import WGMeshCore
import WGMeshKeys
import WGMeshTestSupport
import WGMeshWireGuard

/// Shorthands and checks shared by the diff tests.
enum DiffFixtures {
    /// A CIDR from text; the tests only use literals that parse.
    static func net(_ text: String) -> IPNetwork { try! IPNetwork(text) }

    /// A fixed, readable public key per number.
    static func key(_ number: UInt8) -> WireGuardKey {
        try! WireGuardKey(rawBytes: [UInt8](repeating: number, count: 31) + [0x01])
    }

    /// A fixed secret per number, deliberately not clamped.
    static func secret(_ number: UInt8) -> SecretKey {
        try! SecretKey(rawBytes: [UInt8](repeating: number, count: 32))
    }

    /// An endpoint from text.
    static func endpoint(_ text: String) -> Endpoint { try! Endpoint(text) }

    /// The real X25519 derivation, so the fake and the diff agree on the device's key.
    static let derive: @Sendable (SecretKey) -> WireGuardKey = { Curve25519.KeyAgreement.PrivateKey(secret: $0).publicKey }

    /// A device named wg0 with a real key pair made from `secret` (if any) and `peers`.
    static func device(secret: SecretKey? = nil, port: UInt16 = 51820, fwmark: UInt32 = 0,
                       peers: [WireGuardPeer] = []) -> WireGuardDevice {
        WireGuardDevice(
            name: "wg0", ifindex: 7, privateKey: secret?.clampedForCurve25519, publicKey: secret.map(derive),
            listenPort: port, fwmark: fwmark, peers: peers)
    }

    /// A fake holding `device`, deriving public keys with real X25519.
    static func fake(_ device: WireGuardDevice, removal: Bool = true) -> FakeWireGuardBackend {
        FakeWireGuardBackend(devices: [device], supportsAllowedIPRemoval: removal, derivePublicKey: derive)
    }

    /// Every way `device` differs from `desired`; empty when it is exactly as desired.
    static func mismatches(_ device: WireGuardDevice, _ desired: DesiredDevice) -> [String] {
        var problems: [String] = []
        if let key = desired.privateKey, key.clampedForCurve25519 != (device.privateKey ?? .zero) {
            problems.append("private key differs")
        }
        if let port = desired.listenPort, port != 0, port != device.listenPort {
            problems.append("listen port \(device.listenPort), want \(port)")
        }
        if let mark = desired.fwmark, mark != device.fwmark { problems.append("fwmark \(device.fwmark), want \(mark)") }
        let actual = Dictionary(device.peers.map { ($0.publicKey, $0) }, uniquingKeysWith: { first, _ in first })
        if actual.count != device.peers.count { problems.append("a peer is listed twice") }
        let wantedKeys = Set(desired.peers.map(\.publicKey))
        for key in actual.keys where !wantedKeys.contains(key) { problems.append("extra peer \(key)") }
        for peer in desired.peers {
            guard let have = actual[peer.publicKey] else {
                problems.append("missing peer \(peer.publicKey)")
                continue
            }
            if (peer.presharedKey ?? .zero) != (have.presharedKey ?? .zero) { problems.append("psk of \(peer.publicKey)") }
            if let endpoint = peer.endpoint, endpoint != have.endpoint { problems.append("endpoint of \(peer.publicKey)") }
            if peer.persistentKeepalive != have.persistentKeepalive { problems.append("keepalive of \(peer.publicKey)") }
            let want = Set(peer.allowedIPs.map(\.masked))
            let got = Set(have.allowedIPs.map(\.masked))
            if want != got || got.count != have.allowedIPs.count {
                problems.append("allowed IPs of \(peer.publicKey): \(have.allowedIPs.sorted()), want \(want.sorted())")
            }
        }
        return problems
    }
}
