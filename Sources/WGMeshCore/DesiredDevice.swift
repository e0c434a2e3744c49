/// The state a device should be in, as a config file or the node service says.
///
/// Unlike ``DeviceConfig`` this is a whole picture, not a change: the diff
/// engine compares it with a ``WireGuardDevice`` and emits the change.
public struct DesiredDevice: Sendable, Equatable {
    /// The private key; nil leaves the device's key alone.
    public var privateKey: SecretKey?
    /// The listen port; nil leaves it alone.
    public var listenPort: UInt16?
    /// The fwmark; nil leaves it alone, 0 turns it off.
    public var fwmark: UInt32?
    /// Every peer the device should have; any other peer is removed.
    public var peers: [DesiredPeer]

    /// Creates a desired state.
    public init(privateKey: SecretKey? = nil, listenPort: UInt16? = nil, fwmark: UInt32? = nil, peers: [DesiredPeer] = []) {
        self.privateKey = privateKey
        self.listenPort = listenPort
        self.fwmark = fwmark
        self.peers = peers
    }
}

/// One peer as it should be.
public struct DesiredPeer: Sendable, Equatable {
    /// The peer's public key.
    public var publicKey: WireGuardKey
    /// The preshared key; nil means none.
    public var presharedKey: SecretKey?
    /// The endpoint; nil leaves whatever the device learned by roaming.
    public var endpoint: Endpoint?
    /// The keepalive interval in seconds; 0 means off.
    public var persistentKeepalive: UInt16
    /// Exactly the networks this peer should hold.
    public var allowedIPs: [IPNetwork]

    /// Creates a desired peer.
    public init(
        publicKey: WireGuardKey, presharedKey: SecretKey? = nil, endpoint: Endpoint? = nil,
        persistentKeepalive: UInt16 = 0, allowedIPs: [IPNetwork] = []
    ) {
        self.publicKey = publicKey
        self.presharedKey = presharedKey
        self.endpoint = endpoint
        self.persistentKeepalive = persistentKeepalive
        self.allowedIPs = allowedIPs
    }
}
