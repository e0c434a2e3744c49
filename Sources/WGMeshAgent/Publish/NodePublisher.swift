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
    private let logger: Logger

    /// Creates a publisher over `store`.
    public init(store: ResourceStore, logger: Logger) {
        self.store = store
        allocator = BlockAllocator(store: store)
        self.logger = logger
    }

    /// The tunnel address of a node with these blocks: the first address of
    /// its first block in each family (index 0 of a block is reserved for it).
    public static func interfaceAddresses(blocks: [IPNetwork]) -> (v4: IPAddress?, v6: IPAddress?) {
        let v4 = blocks.sorted { $0.description < $1.description }.first { $0.address.family == .v4 }
        let v6 = blocks.sorted { $0.description < $1.description }.first { $0.address.family == .v6 }
        return (v4?.address, v6?.address)
    }

    /// Claims blocks (the configured pod CIDRs, else one per selecting pool)
    /// and creates or updates the Node so it says exactly `identity` plus its
    /// blocks and interface IPs. Leaves the record alone when it already says
    /// that. Returns the stored Node.
    public func publish(_ identity: NodeIdentity) async throws -> Stored<Node> {
        throw AgentError(.datastore, "NodePublisher.publish: not implemented yet")
    }

    /// Writes the liveness key under a lease of `ttlSeconds` and keeps the
    /// lease alive until the task is cancelled (then revokes it). Survives a
    /// datastore outage: it retries, and re-grants when the lease expired.
    public func keepAlive(node: String, ttlSeconds: Int64) async {
    }
}
