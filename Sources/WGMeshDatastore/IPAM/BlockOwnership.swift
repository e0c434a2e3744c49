import WGMeshCore
import WGMeshResources

/// Which claim owns each block when claims collide.
///
/// The compare-and-swap in ``BlockAllocator`` keeps claims apart, but a
/// writer that bypassed it (or an old bug) can leave two claims on one
/// block, or a claim overlapping another. Then the claim created first
/// wins, the same way on every node, and the others are reported.
struct BlockOwnership {
    /// A claim that lost, and the claim that owns (part of) its addresses.
    struct Loss {
        var loser: Stored<BlockAffinity>
        var owner: Stored<BlockAffinity>
    }

    /// The winning claims, in the order they were decided (oldest first).
    private(set) var winners: [Stored<BlockAffinity>] = []
    /// The claims that lost.
    private(set) var losses: [Loss] = []

    init(_ claims: [Stored<BlockAffinity>]) {
        let ordered = claims.sorted { a, b in
            if a.createRevision != b.createRevision { return a.createRevision < b.createRevision }
            if a.resource.spec.node != b.resource.spec.node { return a.resource.spec.node < b.resource.spec.node }
            return a.resource.spec.cidr < b.resource.spec.cidr
        }
        // Accepted blocks per family, disjoint and sorted by first address,
        // so one binary search finds the only neighbours that can overlap.
        var accepted: [IPAddress.Family: [(range: ClosedRange<UInt128>, claim: Int)]] = [:]
        for claim in ordered {
            let family = claim.resource.spec.cidr.address.family
            let range = claim.resource.spec.cidr.integerRange
            // Read-only here: a `var` copy would make the insert below copy the whole list.
            let list = accepted[family, default: []]
            let slot = firstIndex(in: list) { $0.range.lowerBound > range.lowerBound }
            if slot > 0, list[slot - 1].range.upperBound >= range.lowerBound {
                losses.append(Loss(loser: claim, owner: winners[list[slot - 1].claim]))
            } else if slot < list.count, list[slot].range.lowerBound <= range.upperBound {
                losses.append(Loss(loser: claim, owner: winners[list[slot].claim]))
            } else {
                accepted[family, default: []].insert((range, winners.count), at: slot)
                winners.append(claim)
            }
        }
    }
}

/// The first index whose element satisfies `belongs`, in an array where
/// every such element comes after every other (a binary search).
private func firstIndex<Element>(in array: [Element], where belongs: (Element) -> Bool) -> Int {
    var low = 0
    var high = array.count
    while low < high {
        let middle = (low + high) / 2
        if belongs(array[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
}
