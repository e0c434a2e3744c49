import WGMeshCore
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

extension BlockClaims {
    /// Decodes the listing of `<root>blockaffinities/`. A record that does
    /// not decode or validate, or whose content names another node or name
    /// than its key (a node writing under its own prefix on another's
    /// behalf), is skipped and reported: it claims nothing.
    init(listing: ListResult, prefix: String) {
        var claims: [Stored<BlockAffinity>] = []
        var rejected: [RejectedRecord] = []
        for item in listing.items {
            do throws(BlockClaimError) {
                claims.append(try Self.decode(item, prefix: prefix))
            } catch {
                rejected.append(RejectedRecord(key: item.key, modRevision: item.modRevision, reason: error.reason))
            }
        }
        self.init(claims: claims, rejected: rejected, revision: listing.revision)
    }

    private struct BlockClaimError: Error { var reason: String }

    private static func decode(_ item: KeyValue, prefix: String) throws(BlockClaimError) -> Stored<BlockAffinity> {
        let path = item.key.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard path.count == 2 else {
            throw BlockClaimError(reason: "a block claim's key must be \(prefix)<node>/<name>")
        }
        let affinity: BlockAffinity
        do {
            affinity = try ResourceCodec.decode(BlockAffinity.self, json: item.value, strict: false)
            try affinity.validate()
        } catch {
            throw BlockClaimError(reason: "not a valid BlockAffinity: \(error.reason)")
        }
        guard affinity.spec.node == path[0], affinity.metadata.name == path[1] else {
            throw BlockClaimError(
                reason: "the claim names node '\(affinity.spec.node)' and name '\(affinity.metadata.name)' "
                    + "but is stored under node '\(path[0])' as '\(path[1])': ignored, delete it")
        }
        return Stored(resource: affinity, createRevision: item.createRevision, modRevision: item.modRevision)
    }
}
