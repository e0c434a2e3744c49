public import WGMeshCore

/// A node's claim on one block of a pool. Stored under the node's key
/// prefix and created by compare-and-swap, so a block never has two owners.
public struct BlockAffinity: Resource {
    public static let kind = ResourceKind(
        name: "BlockAffinity", plural: "blockaffinities", aliases: ["affinity", "affinities"], nodeScoped: true)
    public var metadata: ObjectMeta
    public var spec: BlockAffinitySpec
    public var owningNode: String? { spec.node }

    /// Creates a claim; its name is derived from the node and the block.
    public init(node: String, cidr: IPNetwork, labels: [String: String] = [:]) {
        self.metadata = ObjectMeta(name: BlockAffinity.name(node: node, cidr: cidr), labels: labels)
        self.spec = BlockAffinitySpec(cidr: cidr, node: node)
    }

    /// Creates a claim from decoded parts.
    public init(metadata: ObjectMeta, spec: BlockAffinitySpec) {
        self.metadata = metadata
        self.spec = spec
    }

    /// The name a claim must have: the node, then the block with '.', ':'
    /// and '/' turned into '-' (e.g. `node-a-10-65-0-0-26`).
    public static func name(node: String, cidr: IPNetwork) -> String {
        let block = cidr.masked.description.map { "./:".contains($0) ? "-" : $0 }
        return node + "-" + String(block)
    }
}

/// The block and its owner.
public struct BlockAffinitySpec: Hashable, Sendable {
    /// The block.
    public var cidr: IPNetwork
    /// The owning node's name.
    public var node: String

    /// Creates a spec.
    public init(cidr: IPNetwork, node: String) {
        self.cidr = cidr
        self.node = node
    }
}
