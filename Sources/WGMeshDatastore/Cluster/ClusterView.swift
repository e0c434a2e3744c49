public import WGMeshCore
public import WGMeshResources

/// The cluster as the mesh may use it, decided from the stored nodes and
/// block claims alone (no I/O), the same way on every node.
///
/// - Each block belongs to the claim created first; later claims on the
///   same or an overlapping block lose.
/// - A node may use the blocks in its `spec.blocks` that it owns; the
///   rest are reported and not routed to it.
/// - Nodes that share a public key are all left out.
/// - A node without a WireGuard key is not a peer yet (``pendingNodes``).
///
/// Every contradiction is a ``ClusterConflict`` with a one-line message.
public struct ClusterView: Sendable {
    /// The owner's node name for every owned block.
    public private(set) var blockOwners: [IPNetwork: String] = [:]
    /// The nodes to program as peers, sorted by name, each with the blocks
    /// it may use.
    public private(set) var usableNodes: [UsableNode] = []
    /// Nodes that have not published a WireGuard key yet, sorted.
    public private(set) var pendingNodes: [String] = []
    /// What contradicts itself, in a stable order.
    public private(set) var conflicts: [ClusterConflict] = []

    /// Decides the view from every node and every claim (as a list returned them).
    public init(nodes: [Stored<Node>], affinities: [Stored<BlockAffinity>]) {
        let ownership = BlockOwnership(affinities)
        var owned: [String: Set<IPNetwork>] = [:]
        for claim in ownership.winners {
            blockOwners[claim.resource.spec.cidr] = claim.resource.spec.node
            owned[claim.resource.spec.node, default: []].insert(claim.resource.spec.cidr)
        }
        for loss in ownership.losses {
            conflicts.append(.blockClaimedTwice(
                block: loss.loser.resource.spec.cidr, loser: loss.loser.resource.spec.node,
                owner: loss.owner.resource.spec.node, ownerBlock: loss.owner.resource.spec.cidr))
        }
        let sorted = nodes.sorted { $0.resource.metadata.name < $1.resource.metadata.name }
        let shared = Self.sharedKeys(sorted)
        for (key, names) in shared.sorted(by: { $0.key < $1.key }) {
            conflicts.append(.duplicatePublicKey(key, nodes: names))
        }
        for stored in sorted {
            let node = stored.resource
            let name = node.metadata.name
            var usable: [IPNetwork] = []
            for block in node.spec.blocks {
                if owned[name]?.contains(block) == true {
                    usable.append(block)
                } else {
                    conflicts.append(.blockNotOwned(node: name, block: block, owner: owner(of: block)))
                }
            }
            guard let key = node.spec.wireguard?.publicKey else {
                pendingNodes.append(name)
                continue
            }
            guard shared[key] == nil else { continue }
            usableNodes.append(UsableNode(node: node, createRevision: stored.createRevision,
                                          modRevision: stored.modRevision, blocks: usable.sorted()))
        }
    }

    /// The node that owns `block`, or the owner of a block overlapping it.
    public func owner(of block: IPNetwork) -> String? {
        if let exact = blockOwners[block] { return exact }
        return blockOwners.first { $0.key.overlaps(block) }?.value
    }

    /// The usable node of that name, if it is one.
    public func usableNode(named name: String) -> UsableNode? {
        usableNodes.first { $0.name == name }
    }

    /// Public keys published by more than one node, with those nodes' names (sorted).
    private static func sharedKeys(_ nodes: [Stored<Node>]) -> [WireGuardKey: [String]] {
        var byKey: [WireGuardKey: [String]] = [:]
        for stored in nodes {
            guard let key = stored.resource.spec.wireguard?.publicKey else { continue }
            byKey[key, default: []].append(stored.resource.metadata.name)
        }
        return byKey.filter { $0.value.count > 1 }
    }
}

/// A node the mesh programs as a peer, with the blocks routed to it.
public struct UsableNode: Hashable, Sendable {
    /// The node as stored.
    public var node: Node
    /// The revision that created the node's record.
    public var createRevision: Revision
    /// The revision of the record's last change.
    public var modRevision: Revision
    /// The blocks of `spec.blocks` that the node owns, sorted.
    public var blocks: [IPNetwork]

    /// Creates an entry.
    public init(node: Node, createRevision: Revision, modRevision: Revision, blocks: [IPNetwork]) {
        self.node = node
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.blocks = blocks
    }

    /// The node's name.
    public var name: String { node.metadata.name }
}
