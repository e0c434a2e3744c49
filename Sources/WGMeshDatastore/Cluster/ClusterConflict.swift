public import WGMeshCore
import WGMeshResources

/// Something in the cluster's records that contradicts itself, and what
/// wgmesh does about it; `description` is one line for the operator.
public enum ClusterConflict: Hashable, Sendable, CustomStringConvertible {
    /// A claim lost to an earlier claim on the same or an overlapping block:
    /// the loser's node does not get the block.
    case blockClaimedTwice(block: IPNetwork, loser: String, owner: String, ownerBlock: IPNetwork)
    /// A node lists a block in `spec.blocks` that it does not own (`owner`
    /// is who does, nil when nobody claims it): the block is not routed to it.
    case blockNotOwned(node: String, block: IPNetwork, owner: String?)
    /// Several nodes publish one public key: every one of them is left out,
    /// since WireGuard cannot tell them apart.
    case duplicatePublicKey(WireGuardKey, nodes: [String])

    /// The nodes the conflict concerns.
    public var nodes: [String] {
        switch self {
        case .blockClaimedTwice(_, let loser, let owner, _): [loser, owner]
        case .blockNotOwned(let node, _, let owner): [node] + (owner.map { [$0] } ?? [])
        case .duplicatePublicKey(_, let nodes): nodes
        }
    }

    public var description: String {
        switch self {
        case .blockClaimedTwice(let block, let loser, let owner, let ownerBlock):
            let what = block == ownerBlock ? "block \(block)" : "block \(block) overlaps \(ownerBlock), which"
            let claim = BlockAffinity.name(node: loser, cidr: block)
            return "\(what) was claimed first by node \(owner); node \(loser)'s claim is ignored: "
                + "delete it (wgmesh delete blockaffinity \(claim)); node \(loser) claims another block"
        case .blockNotOwned(let node, let block, let owner?):
            return "node \(node) lists block \(block), which node \(owner) owns: "
                + "it is not routed to \(node); remove it from node \(node)'s spec.blocks"
        case .blockNotOwned(let node, let block, nil):
            return "node \(node) lists block \(block) without a claim on it: "
                + "it is not routed to \(node) until the node claims it"
        case .duplicatePublicKey(let key, let nodes):
            return "nodes \(nodes.joined(separator: ", ")) share the public key \(key): all of them are left "
                + "out of the mesh; give each node its own key"
        }
    }
}
