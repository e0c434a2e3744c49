/// A WireGuard device as read back from the kernel or a userspace process.
public struct WireGuardDevice: Sendable, Equatable {
    /// The interface name.
    public var name: String
    /// The interface index; 0 for a userspace device that does not report one.
    public var ifindex: UInt32
    /// The device's private key, when one is set.
    public var privateKey: SecretKey?
    /// The public key derived from ``privateKey``.
    public var publicKey: WireGuardKey?
    /// The UDP port the device listens on.
    public var listenPort: UInt16
    /// The mark put on the device's own UDP packets; 0 means none.
    public var fwmark: UInt32
    /// The peers, each with every allowed IP (fragments already merged).
    public var peers: [WireGuardPeer]

    /// Creates a device description.
    public init(
        name: String, ifindex: UInt32 = 0, privateKey: SecretKey? = nil, publicKey: WireGuardKey? = nil,
        listenPort: UInt16 = 0, fwmark: UInt32 = 0, peers: [WireGuardPeer] = []
    ) {
        self.name = name
        self.ifindex = ifindex
        self.privateKey = privateKey
        self.publicKey = publicKey
        self.listenPort = listenPort
        self.fwmark = fwmark
        self.peers = peers
    }
}

/// One peer of a device, with its live counters.
public struct WireGuardPeer: Sendable, Equatable {
    /// The peer's public key, which identifies it.
    public var publicKey: WireGuardKey
    /// The preshared key, when one is set.
    public var presharedKey: SecretKey?
    /// Where the peer was last seen or was configured to be.
    public var endpoint: Endpoint?
    /// Seconds between keepalives; 0 means off.
    public var persistentKeepalive: UInt16
    /// The wall-clock time of the latest handshake; nil if none yet.
    public var lastHandshake: Timestamp?
    /// Bytes received from the peer.
    public var rxBytes: UInt64
    /// Bytes sent to the peer.
    public var txBytes: UInt64
    /// The networks routed to this peer, in the order the device reports them.
    public var allowedIPs: [IPNetwork]
    /// The protocol version; 1 for every implementation today.
    public var protocolVersion: UInt32

    /// Creates a peer description.
    public init(
        publicKey: WireGuardKey, presharedKey: SecretKey? = nil, endpoint: Endpoint? = nil,
        persistentKeepalive: UInt16 = 0, lastHandshake: Timestamp? = nil, rxBytes: UInt64 = 0,
        txBytes: UInt64 = 0, allowedIPs: [IPNetwork] = [], protocolVersion: UInt32 = 1
    ) {
        self.publicKey = publicKey
        self.presharedKey = presharedKey
        self.endpoint = endpoint
        self.persistentKeepalive = persistentKeepalive
        self.lastHandshake = lastHandshake
        self.rxBytes = rxBytes
        self.txBytes = txBytes
        self.allowedIPs = allowedIPs
        self.protocolVersion = protocolVersion
    }
}

/// A wall-clock time in seconds and nanoseconds since the Unix epoch.
public struct Timestamp: Hashable, Sendable, Comparable {
    /// Whole seconds since 1970-01-01 UTC.
    public var seconds: Int64
    /// Nanoseconds past ``seconds``.
    public var nanoseconds: Int64

    /// Creates a timestamp.
    public init(seconds: Int64, nanoseconds: Int64 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}
