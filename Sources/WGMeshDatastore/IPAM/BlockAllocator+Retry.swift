import Logging
import WGMeshResources

/// What one attempt decided: the claims to write, the node's own losing
/// claims to delete with them, the blocks to return once they are
/// written, and an error to throw after writing them.
struct ClaimPlan {
    var picks: [BlockAffinity]
    var drops: [BlockAffinity]
    var result: [BlockAffinity]
    var failure: DatastoreError?
}

extension BlockAllocator {
    /// Lists the claims, lets `plan` pick blocks, and writes the picks in
    /// one transaction guarded by `prefixUnchanged` since the list. When
    /// another claim landed in between, waits a little (with jitter, so
    /// racing nodes spread out) and starts over from a fresh list.
    func withClaimRetries(
        node: String, _ plan: (BlockClaims) throws(DatastoreError) -> ClaimPlan
    ) async throws -> [BlockAffinity] {
        for attempt in 1...maxAttempts {
            let snapshot = try await claims()
            let decided = try plan(snapshot)
            var written = decided.picks
            if !decided.picks.isEmpty || !decided.drops.isEmpty {
                let writes = decided.picks.map { claim in
                    Operation.put(key(for: claim), value: ResourceCodec.encodeJSON(claim), lease: nil)
                } + decided.drops.map { Operation.delete(key(for: $0)) }
                let result = try await datastore.transaction(
                    [.prefixUnchanged(claimsPrefix, since: snapshot.revision)], writes)
                guard result.succeeded else {
                    logger.debug("lost a block claim race; retrying",
                                 metadata: ["node.name": "\(node)", "attempt": "\(attempt)"])
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...min(2 * attempt, 50))))
                    continue
                }
                // As a read would return them: the resource version is the write's revision.
                for index in written.indices { written[index].metadata.resourceVersion = String(result.revision) }
                for claim in decided.picks {
                    logger.info("claimed a block", metadata: ["node.name": "\(node)",
                                                              "block": "\(claim.spec.cidr)"])
                }
                for claim in decided.drops {
                    logger.warning("deleted a claim that lost to an earlier claim on the same block",
                                   metadata: ["node.name": "\(node)", "block": "\(claim.spec.cidr)"])
                }
            }
            if let failure = decided.failure { throw failure }
            let picked = Set(decided.picks.map(\.spec.cidr))
            return (decided.result.filter { !picked.contains($0.spec.cidr) } + written)
                .sorted { $0.spec.cidr < $1.spec.cidr }
        }
        throw DatastoreError(
            .conflict,
            "gave up claiming a block for node \(node) after \(maxAttempts) attempts: other nodes kept claiming "
                + "blocks at the same moment; try again")
    }
}
