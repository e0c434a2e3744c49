public import WGMeshCore

/// A node of the mesh, as it publishes itself.
public struct Node: Resource {
    public static let kind = ResourceKind(name: "Node", plural: "nodes", aliases: ["no"])
    public var metadata: ObjectMeta
    public var spec: NodeSpec
    /// Filled in by the node service; stored apart from the spec so that
    /// frequent status writes do not wake every node's watch on `nodes`.
    public var status: NodeStatus?

    /// Creates a node.
    public init(metadata: ObjectMeta, spec: NodeSpec = NodeSpec(), status: NodeStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// What a node publishes about itself.
public struct NodeSpec: Hashable, Sendable {
    /// Underlay addresses (IPv4 and IPv6) that peers send encrypted traffic to.
    public var addresses: [IPAddress]
    /// The node's WireGuard identity and interface; nil until it has a key.
    public var wireguard: NodeWireGuard?
    /// The pod CIDR blocks the node owns (each backed by a BlockAffinity).
    public var blocks: [IPNetwork]

    /// Creates a spec.
    public init(addresses: [IPAddress] = [], wireguard: NodeWireGuard? = nil, blocks: [IPNetwork] = []) {
        self.addresses = addresses
        self.wireguard = wireguard
        self.blocks = blocks
    }
}

/// A node's WireGuard interface as its peers need to know it.
public struct NodeWireGuard: Hashable, Sendable {
    /// The node's public key.
    public var publicKey: WireGuardKey
    /// The UDP port the interface listens on.
    public var listenPort: UInt16
    /// The interface's own IPv4 address, if any.
    public var interfaceIPv4: IPAddress?
    /// The interface's own IPv6 address, if any.
    public var interfaceIPv6: IPAddress?

    /// Creates the WireGuard part of a node's spec.
    public init(publicKey: WireGuardKey, listenPort: UInt16 = 51820, interfaceIPv4: IPAddress? = nil,
                interfaceIPv6: IPAddress? = nil)
    {
        self.publicKey = publicKey
        self.listenPort = listenPort
        self.interfaceIPv4 = interfaceIPv4
        self.interfaceIPv6 = interfaceIPv6
    }
}

/// What a node's service last saw of its peers.
public struct NodeStatus: Hashable, Sendable {
    /// When the status was written, in seconds since the Unix epoch.
    public var updated: Int64
    /// One entry per peer the node knows of.
    public var peers: [PeerStatus]

    /// Creates a status.
    public init(updated: Int64, peers: [PeerStatus] = []) {
        self.updated = updated
        self.peers = peers
    }
}

/// One peer as seen from a node.
public struct PeerStatus: Hashable, Sendable {
    /// The peer's node name.
    public var node: String
    /// The peer's public key as programmed.
    public var publicKey: WireGuardKey?
    /// The peer's endpoint as `address:port`, if known.
    public var endpoint: String?
    /// The latest handshake, in seconds since the Unix epoch; nil for never.
    public var latestHandshake: Int64?
    /// Bytes received from the peer.
    public var receivedBytes: UInt64
    /// Bytes sent to the peer.
    public var sentBytes: UInt64
    /// `ok`, `stale`, `never`, `missing` or `unexpected`.
    public var state: String

    /// Creates a peer status.
    public init(node: String, publicKey: WireGuardKey? = nil, endpoint: String? = nil, latestHandshake: Int64? = nil,
                receivedBytes: UInt64 = 0, sentBytes: UInt64 = 0, state: String)
    {
        self.node = node
        self.publicKey = publicKey
        self.endpoint = endpoint
        self.latestHandshake = latestHandshake
        self.receivedBytes = receivedBytes
        self.sentBytes = sentBytes
        self.state = state
    }
}
