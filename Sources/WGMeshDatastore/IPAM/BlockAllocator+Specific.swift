public import WGMeshCore
public import WGMeshResources

extension BlockAllocator {
    /// Makes sure `node` owns exactly the blocks `cidrs` (an operator's
    /// `--pod-cidr`), claiming the ones it does not own yet, and returns the
    /// claims for them, sorted.
    ///
    /// Each CIDR must be exactly one block of an enabled pool (inside it,
    /// aligned, of its block size), else ``DatastoreError/Code-swift.struct/invalidRecord``
    /// naming the pool and the fix; a block another node owns is a
    /// ``DatastoreError/Code-swift.struct/conflict`` naming that node. Nothing
    /// is claimed unless every CIDR can be. Other blocks the node owns are
    /// left alone.
    public func claimSpecificBlocks(node: Node, cidrs: [IPNetwork], pools: [IPPool]) async throws
        -> [BlockAffinity]
    {
        let name = try Self.checkName(node.metadata.name)
        let wanted = Array(Set(cidrs)).sorted()
        for cidr in wanted { try Self.checkSpecific(cidr, pools: pools) }
        return try await withClaimRetries(node: name) { snapshot throws(DatastoreError) in
            let winners = snapshot.winners.map(\.resource)
            var picks: [BlockAffinity] = []
            var kept: [BlockAffinity] = []
            for cidr in wanted {
                if let own = winners.first(where: { $0.spec.node == name && $0.spec.cidr == cidr }) {
                    kept.append(own)
                    continue
                }
                if let other = winners.first(where: { $0.spec.cidr.overlaps(cidr) }) {
                    return ClaimPlan(picks: [], drops: [], result: [], failure: DatastoreError(
                        .conflict, key: key(for: other),
                        "block \(cidr) is already claimed by node \(other.spec.node) (\(other.spec.cidr)): "
                            + "a block has one owner; pick another --pod-cidr or remove node \(other.spec.node)"))
                }
                picks.append(BlockAffinity(node: name, cidr: cidr))
            }
            return ClaimPlan(picks: picks, drops: [], result: kept + picks, failure: nil)
        }
    }

    /// Checks that `cidr` is one whole block of an enabled pool.
    static func checkSpecific(_ cidr: IPNetwork, pools: [IPPool]) throws(DatastoreError) {
        let containing = pools.filter { $0.spec.cidr.covers(cidr) }.sorted { $0.metadata.name < $1.metadata.name }
        guard let pool = containing.first else {
            let known = pools.map { "\($0.metadata.name) \($0.spec.cidr)" }.sorted().joined(separator: ", ")
            throw DatastoreError(
                .invalidRecord,
                "pod CIDR \(cidr) is not inside any IPPool (pools: \(known.isEmpty ? "none" : known)): "
                    + "create a pool that covers it, or use a block of an existing pool")
        }
        guard !pool.spec.disabled else {
            throw DatastoreError(
                .invalidRecord,
                "pod CIDR \(cidr) is in IPPool \(pool.metadata.name), which is disabled: "
                    + "enable the pool, or use a block of an enabled pool")
        }
        let blocks = try PoolBlocks(pool)
        guard blocks.contains(cidr) else {
            throw DatastoreError(
                .invalidRecord,
                "pod CIDR \(cidr) is not a block of IPPool \(pool.metadata.name) (\(pool.spec.cidr) is cut into "
                    + "/\(pool.spec.blockSize) blocks): use an aligned /\(pool.spec.blockSize) such as "
                    + "\(cidr.address.masked(to: pool.spec.blockSize))/\(pool.spec.blockSize)")
        }
    }
}
