import Glibc

/// The keys a UAPI `get=1` reply can carry, matched straight from the reply bytes.
///
/// Matching bytes instead of building a String per line keeps a 10,000-peer read
/// (about 130,000 lines) close to wg(8)'s own speed.
enum UAPIKey: CaseIterable {
    case errno, privateKey, ownPublicKey, listenPort, fwmark, publicKey
    case presharedKey, endpoint, lastHandshakeSeconds, lastHandshakeNanoseconds
    case txBytes, rxBytes, persistentKeepalive, allowedIP, protocolVersion

    /// The key as it appears on the wire.
    var text: StaticString {
        switch self {
        case .errno: "errno"
        case .privateKey: "private_key"
        case .ownPublicKey: "own_public_key"
        case .listenPort: "listen_port"
        case .fwmark: "fwmark"
        case .publicKey: "public_key"
        case .presharedKey: "preshared_key"
        case .endpoint: "endpoint"
        case .lastHandshakeSeconds: "last_handshake_time_sec"
        case .lastHandshakeNanoseconds: "last_handshake_time_nsec"
        case .txBytes: "tx_bytes"
        case .rxBytes: "rx_bytes"
        case .persistentKeepalive: "persistent_keepalive_interval"
        case .allowedIP: "allowed_ip"
        case .protocolVersion: "protocol_version"
        }
    }

    /// Whether the key belongs to a peer section.
    var isPeerKey: Bool {
        switch self {
        case .errno, .privateKey, .ownPublicKey, .listenPort, .fwmark, .publicKey: false
        default: true
        }
    }

    /// The key spelled by `bytes`, or nil for one we do not know.
    static func match(_ bytes: UnsafeRawBufferPointer) -> UAPIKey? {
        // Lengths rule out most keys; memcmp on the static text does the rest.
        for key in allCases where key.text.utf8CodeUnitCount == bytes.count {
            if memcmp(key.text.utf8Start, bytes.baseAddress!, bytes.count) == 0 { return key }
        }
        return nil
    }
}
