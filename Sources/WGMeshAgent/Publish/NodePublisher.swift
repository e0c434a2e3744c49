public import WGMeshCore
public import WGMeshDatastore
public import WGMeshResources
public import Logging

/// What this node publishes about itself.
public struct NodeIdentity: Sendable, Equatable {
    /// The node's name.
    public var name: String
    /// Labels selectors match.
    public var labels: [String: String]
    /// Underlay addresses.
    public var addresses: [IPAddress]
    /// The WireGuard public key.
    public var publicKey: WireGuardKey
    /// The WireGuard port.
    public var listenPort: UInt16
    /// Pod CIDRs to claim instead of picking from pools (may be empty).
    public var podCIDRs: [IPNetwork]

    /// Creates an identity.
    public init(name: String, labels: [String: String] = [:], addresses: [IPAddress], publicKey: WireGuardKey,
                listenPort: UInt16, podCIDRs: [IPNetwork] = [])
    {
        self.name = name
        self.labels = labels
        self.addresses = addresses
        self.publicKey = publicKey
        self.listenPort = listenPort
        self.podCIDRs = podCIDRs
    }
}

/// Publishes this node: claims its blocks, writes its Node (key, addresses,
/// blocks, interface IPs) and keeps a liveness lease alive.
public struct NodePublisher: Sendable {
    /// The typed store.
    public let store: ResourceStore
    /// The allocator claiming blocks.
    public let allocator: BlockAllocator
    let logger: Logger

    /// Creates a publisher over `store`.
    public init(store: ResourceStore, logger: Logger) {
        self.store = store
        allocator = BlockAllocator(store: store)
        self.logger = logger
    }

    /// The tunnel address of a node with these blocks: the first address of
    /// its first block in each family (index 0 of a block is reserved for it).
    /// "First" is in address order, so every node computes the same one.
    public static func interfaceAddresses(blocks: [IPNetwork]) -> (v4: IPAddress?, v6: IPAddress?) {
        let sorted = blocks.map(\.masked).sorted()
        let v4 = sorted.first { $0.address.family == .v4 }
        let v6 = sorted.first { $0.address.family == .v6 }
        return (v4?.address, v6?.address)
    }

    /// The Node record `identity` and `blocks` call for (no resourceVersion).
    public static func desiredNode(_ identity: NodeIdentity, blocks: [IPNetwork]) -> Node {
        let interface = interfaceAddresses(blocks: blocks)
        let wireguard = NodeWireGuard(publicKey: identity.publicKey, listenPort: identity.listenPort,
                                      interfaceIPv4: interface.v4, interfaceIPv6: interface.v6)
        return Node(metadata: ObjectMeta(name: identity.name, labels: identity.labels),
                    spec: NodeSpec(addresses: identity.addresses, wireguard: wireguard,
                                   blocks: blocks.map(\.masked).sorted()))
    }

    /// Claims blocks (the configured pod CIDRs, else one per selecting pool)
    /// and creates or updates the Node so it says exactly `identity` plus its
    /// blocks and interface IPs. Leaves the record alone when it already says
    /// that. Returns the stored Node.
    public func publish(_ identity: NodeIdentity) async throws -> Stored<Node> {
        let blocks = try await claimBlocks(for: identity)
        return try await writeNode(Self.desiredNode(identity, blocks: blocks))
    }
}
