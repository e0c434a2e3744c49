/// A change to a WireGuard device: what to set, with nil meaning "leave as is".
///
/// This mirrors one SET_DEVICE request (or one UAPI `set=1`), before it is
/// split into messages that fit.
public struct DeviceConfig: Sendable, Equatable {
    /// The new private key; ``SecretKey/zero`` removes it.
    public var privateKey: SecretKey?
    /// The new listen port; 0 asks for a random one.
    public var listenPort: UInt16?
    /// The new fwmark; 0 turns it off.
    public var fwmark: UInt32?
    /// Remove every peer not listed in ``peers`` (and every listed one first).
    public var replacePeers: Bool
    /// Peers to add, change or remove, applied in order.
    public var peers: [PeerConfig]

    /// Creates a change.
    public init(
        privateKey: SecretKey? = nil, listenPort: UInt16? = nil, fwmark: UInt32? = nil,
        replacePeers: Bool = false, peers: [PeerConfig] = []
    ) {
        self.privateKey = privateKey
        self.listenPort = listenPort
        self.fwmark = fwmark
        self.replacePeers = replacePeers
        self.peers = peers
    }

    /// Whether applying this would send nothing.
    public var isEmpty: Bool {
        privateKey == nil && listenPort == nil && fwmark == nil && !replacePeers && peers.isEmpty
    }
}

/// A change to one peer.
public struct PeerConfig: Sendable, Equatable {
    /// Which peer; it is created unless ``updateOnly`` or ``remove`` is set.
    public var publicKey: WireGuardKey
    /// Remove the peer; every other field is ignored.
    public var remove: Bool
    /// Change the peer only if it exists; never create it.
    public var updateOnly: Bool
    /// The new preshared key; ``SecretKey/zero`` removes it.
    public var presharedKey: SecretKey?
    /// The new endpoint.
    public var endpoint: Endpoint?
    /// The new keepalive interval in seconds; 0 turns it off.
    public var persistentKeepalive: UInt16?
    /// Drop every allowed IP before adding ``allowedIPs``.
    public var replaceAllowedIPs: Bool
    /// Allowed IPs to add. Adding one that another peer holds moves it here.
    public var allowedIPs: [IPNetwork]
    /// Allowed IPs to remove without touching the others (needs kernel support).
    public var removedAllowedIPs: [IPNetwork]

    /// Creates a change to one peer.
    public init(
        publicKey: WireGuardKey, remove: Bool = false, updateOnly: Bool = false, presharedKey: SecretKey? = nil,
        endpoint: Endpoint? = nil, persistentKeepalive: UInt16? = nil, replaceAllowedIPs: Bool = false,
        allowedIPs: [IPNetwork] = [], removedAllowedIPs: [IPNetwork] = []
    ) {
        self.publicKey = publicKey
        self.remove = remove
        self.updateOnly = updateOnly
        self.presharedKey = presharedKey
        self.endpoint = endpoint
        self.persistentKeepalive = persistentKeepalive
        self.replaceAllowedIPs = replaceAllowedIPs
        self.allowedIPs = allowedIPs
        self.removedAllowedIPs = removedAllowedIPs
    }
}
