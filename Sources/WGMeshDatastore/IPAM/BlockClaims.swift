public import WGMeshResources

/// Every block claim under a root, as read at one revision: the input to a
/// compare-and-swap claim and to ``ClusterView``.
public struct BlockClaims: Sendable {
    /// The claims that decoded, validated and matched their keys, sorted by key.
    public var claims: [Stored<BlockAffinity>]
    /// Records that were skipped, and why.
    public var rejected: [RejectedRecord]
    /// The revision the list was read at: the claim transaction's guard.
    public var revision: Revision

    /// Creates a listing.
    public init(claims: [Stored<BlockAffinity>], rejected: [RejectedRecord] = [], revision: Revision) {
        self.claims = claims
        self.rejected = rejected
        self.revision = revision
    }

    /// The claims that win: for each block, the claim with the lowest create
    /// revision (then the lower node name, so every reader agrees); a claim
    /// overlapping an earlier winner loses too.
    public var winners: [Stored<BlockAffinity>] { BlockOwnership(claims).winners }

    /// The blocks `node` effectively owns, sorted.
    public func owned(by node: String) -> [BlockAffinity] {
        winners.filter { $0.resource.spec.node == node }.map(\.resource).sorted { $0.spec.cidr < $1.spec.cidr }
    }
}
