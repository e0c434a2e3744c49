public import WGMeshCore

/// One indivisible operation the fake performed while applying a change,
/// in the order the kernel performs them.
///
/// The observer sees the device right after each step, which is every state
/// a packet could meet during a real apply.
public enum FakeStep: Sendable, Hashable, CustomStringConvertible {
    /// The fwmark was set.
    case fwmark
    /// The listen port was set.
    case listenPort
    /// REPLACE_PEERS removed every peer.
    case replacePeers
    /// The private key changed (a peer holding the new public key is removed first).
    case privateKey
    /// A peer was created.
    case peerCreated(WireGuardKey)
    /// A peer was removed, with all its allowed IPs.
    case peerRemoved(WireGuardKey)
    /// A peer entry was skipped: unknown with REMOVE_ME or UPDATE_ONLY, or the device's own key.
    case peerSkipped(WireGuardKey)
    /// The preshared key was set or cleared.
    case presharedKey(WireGuardKey)
    /// The endpoint was set.
    case endpoint(WireGuardKey)
    /// REPLACE_ALLOWEDIPS dropped every allowed IP of the peer.
    case allowedIPsReplaced(WireGuardKey)
    /// An allowed IP was added to the peer (moved off another peer if one held it).
    case allowedIPAdded(WireGuardKey, IPNetwork)
    /// An allowed IP was removed from the peer with the remove flag.
    case allowedIPRemoved(WireGuardKey, IPNetwork)
    /// The keepalive interval was set.
    case keepalive(WireGuardKey)

    /// A short text for failure messages, such as `add 10.0.0.0/24 to KEY`.
    public var description: String {
        switch self {
        case .fwmark: "fwmark"
        case .listenPort: "listen-port"
        case .replacePeers: "replace-peers"
        case .privateKey: "private-key"
        case .peerCreated(let key): "create \(key)"
        case .peerRemoved(let key): "remove \(key)"
        case .peerSkipped(let key): "skip \(key)"
        case .presharedKey(let key): "psk \(key)"
        case .endpoint(let key): "endpoint \(key)"
        case .allowedIPsReplaced(let key): "replace-allowed-ips \(key)"
        case .allowedIPAdded(let key, let network): "add \(network) to \(key)"
        case .allowedIPRemoved(let key, let network): "remove \(network) from \(key)"
        case .keepalive(let key): "keepalive \(key)"
        }
    }
}
