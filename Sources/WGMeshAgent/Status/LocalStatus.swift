public import WGMeshCore

/// A peer's health, as `wgmesh status` shows it and metrics count it.
public enum PeerState: String, Sendable, CaseIterable, Comparable {
    /// A handshake in the last 3 minutes, or an older one with nothing sent since.
    case ok
    /// No handshake yet, and nothing was sent to it: healthy, just unused.
    case idle
    /// The latest handshake is older than 3 minutes while traffic is sent to it.
    case stale
    /// No handshake ever, although this node sent to it.
    case never
    /// Wanted (in the datastore) but not on the interface.
    case missing
    /// On the interface but not wanted.
    case unexpected

    /// Whether the state needs no attention.
    public var isHealthy: Bool { self == .ok || self == .idle }

    /// Orders by severity, healthy first.
    public static func < (lhs: PeerState, rhs: PeerState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One peer of this node: what the datastore wants and what the interface has.
public struct PeerReport: Sendable, Equatable {
    /// The node behind the key; nil for a peer no node owns (unexpected).
    public var nodeName: String?
    /// The peer's public key.
    public var publicKey: WireGuardKey
    /// `address:port` as the interface has it (or as planned, when missing).
    public var endpoint: String?
    /// Allowed IPs as the interface has them (or as planned, when missing).
    public var allowedIPs: [IPNetwork]
    /// The latest handshake, seconds since the Unix epoch; nil for never.
    public var latestHandshake: Int64?
    /// Bytes received from the peer.
    public var receivedBytes: UInt64
    /// Bytes sent to the peer.
    public var sentBytes: UInt64
    /// The health.
    public var state: PeerState
    /// One line saying why the state is what it is, with a next step when unhealthy.
    public var reason: String

    /// Creates a report.
    public init(nodeName: String?, publicKey: WireGuardKey, endpoint: String?, allowedIPs: [IPNetwork],
                latestHandshake: Int64?, receivedBytes: UInt64, sentBytes: UInt64, state: PeerState, reason: String)
    {
        self.nodeName = nodeName
        self.publicKey = publicKey
        self.endpoint = endpoint
        self.allowedIPs = allowedIPs
        self.latestHandshake = latestHandshake
        self.receivedBytes = receivedBytes
        self.sentBytes = sentBytes
        self.state = state
        self.reason = reason
    }
}

/// This node's interface and every peer, at one moment: what `wgmesh
/// status` prints, what the node publishes for `--cluster`, and what the
/// Calico-compatible metrics are made from.
public struct LocalStatus: Sendable, Equatable {
    /// The node's name.
    public var nodeName: String
    /// The WireGuard interface.
    public var interfaceName: String
    /// The node's public key (on the interface).
    public var publicKey: WireGuardKey?
    /// The UDP port.
    public var listenPort: UInt16
    /// The device's fwmark.
    public var fwmark: UInt32
    /// `kernel` or `userspace`.
    public var backend: String
    /// The interface MTU.
    public var mtu: Int
    /// When it was read, seconds since the Unix epoch.
    public var observedAt: Int64
    /// Every peer, wanted or on the interface, by node name then key.
    public var peers: [PeerReport]

    /// Creates a status.
    public init(nodeName: String, interfaceName: String, publicKey: WireGuardKey?, listenPort: UInt16, fwmark: UInt32,
                backend: String, mtu: Int, observedAt: Int64, peers: [PeerReport])
    {
        self.nodeName = nodeName
        self.interfaceName = interfaceName
        self.publicKey = publicKey
        self.listenPort = listenPort
        self.fwmark = fwmark
        self.backend = backend
        self.mtu = mtu
        self.observedAt = observedAt
        self.peers = peers
    }

    /// Whether every peer is healthy.
    public var isHealthy: Bool { peers.allSatisfy { $0.state.isHealthy } }
}
