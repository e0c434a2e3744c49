public import WGMeshCore

/// A range of pod addresses, carved into blocks that nodes claim.
public struct IPPool: Resource {
    public static let kind = ResourceKind(name: "IPPool", plural: "ippools", aliases: ["pool", "pools"])
    public var metadata: ObjectMeta
    public var spec: IPPoolSpec

    /// Creates a pool.
    public init(metadata: ObjectMeta, spec: IPPoolSpec) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// A pool's settings.
public struct IPPoolSpec: Hashable, Sendable {
    /// Whether traffic to addresses in this pool is encrypted.
    public enum Encryption: String, Hashable, Sendable, CaseIterable {
        /// Encrypted through the WireGuard mesh.
        case wireGuard = "WireGuard"
        /// Sent in plaintext.
        case none = "None"
    }

    /// The pool's range.
    public var cidr: IPNetwork
    /// The prefix length of each block (default 26 for IPv4, 122 for IPv6).
    public var blockSize: Int
    /// Encryption for destinations in this pool (default WireGuard).
    public var encryption: Encryption
    /// The nodes that may claim blocks from this pool (default all()).
    public var nodeSelector: LabelSelector
    /// A disabled pool gives no new blocks; existing ones keep working.
    public var disabled: Bool

    /// Creates a pool spec; the block size defaults by family.
    public init(cidr: IPNetwork, blockSize: Int? = nil, encryption: Encryption = .wireGuard,
                nodeSelector: LabelSelector = .all, disabled: Bool = false)
    {
        self.cidr = cidr
        self.blockSize = blockSize ?? (cidr.address.family == .v4 ? 26 : 122)
        self.encryption = encryption
        self.nodeSelector = nodeSelector
        self.disabled = disabled
    }
}
