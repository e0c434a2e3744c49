public import Logging
import WGMeshCore
public import WGMeshResources

/// Claims pod address blocks for nodes from the pools that select them.
///
/// A claim is a compare-and-swap over every node's claims: list
/// `<root>blockaffinities/` at revision R, pick the lowest block nobody
/// claims, then write the node's own key only if nothing under the prefix
/// was created or changed since R. The write goes under the node's own
/// prefix, so etcd's per-node permissions allow it; the condition covers
/// every node, so a block never gets two owners. A lost race lists again.
public struct BlockAllocator: Sendable {
    /// The typed store the claims are read through (so hostile records are
    /// skipped by the same rules as everywhere else).
    public let store: ResourceStore
    /// How many times a claim is tried before giving up on contention.
    public let maxAttempts: Int

    /// Creates an allocator over the claims under `root`.
    public init(datastore: any Datastore, root: String = ResourceStore.defaultRoot, logger: Logger,
                maxAttempts: Int = 64)
    {
        self.init(store: ResourceStore(datastore: datastore, root: root, logger: logger), maxAttempts: maxAttempts)
    }

    /// Creates an allocator over a typed store's claims.
    public init(store: ResourceStore, maxAttempts: Int = 64) {
        precondition(maxAttempts > 0, "an allocator needs at least one attempt")
        self.store = store
        self.maxAttempts = maxAttempts
    }

    var datastore: any Datastore { store.datastore }
    var logger: Logger { store.logger }

    /// The prefix of every node's claims.
    public var claimsPrefix: String { store.prefix(for: BlockAffinity.self) }

    /// The key of one claim: `<root>blockaffinities/<node>/<name>`.
    public func key(for claim: BlockAffinity) -> String { store.key(for: claim) }

    /// Every good claim and the store's revision at the read. Bad records
    /// (undecodable, invalid, or under another node's key) are skipped, so
    /// they claim nothing, and reported in `rejected` and the log.
    public func claims() async throws -> BlockClaims {
        let list = try await store.list(BlockAffinity.self)
        return BlockClaims(claims: list.items, rejected: list.rejected, revision: list.revision)
    }

    /// Makes sure `node` owns a block in every enabled pool that selects it,
    /// claiming the lowest free block where it has none, and returns every
    /// block it owns (in any pool), sorted.
    ///
    /// A node keeps the blocks it already owns. A full pool throws
    /// ``DatastoreError/Code-swift.struct/conflict`` naming the pool, after
    /// the blocks from the other pools have been claimed.
    public func ensureBlocks(node: Node, pools: [IPPool]) async throws -> [BlockAffinity] {
        let name = try Self.checkName(node.metadata.name)
        let eligible = try pools.filter { !$0.spec.disabled && $0.spec.nodeSelector.matches(node.metadata.labels) }
            .map { (pool: $0, blocks: try PoolBlocks($0)) }
        return try await withClaimRetries(node: name) { snapshot throws(DatastoreError) in
            let owned = snapshot.owned(by: name)
            let missing = eligible.filter { entry in !owned.contains { entry.blocks.pool.covers($0.spec.cidr) } }
            var picks: [BlockAffinity] = []
            var full: DatastoreError?
            let taken = snapshot.claims.map(\.resource.spec.cidr)
            for entry in missing {
                if let block = entry.blocks.firstFree(claimed: taken + picks.map(\.spec.cidr)) {
                    picks.append(BlockAffinity(node: name, cidr: block))
                } else if full == nil {
                    full = Self.poolFull(entry.pool, entry.blocks)
                }
            }
            // The node's own claims that lost to earlier ones only mislead readers.
            let lost = BlockOwnership(snapshot.claims).losses.map(\.loser.resource).filter { $0.spec.node == name }
            return ClaimPlan(picks: picks, drops: lost, result: owned, failure: full)
        }
    }

    /// Claims one more block of `pool` for `node` (its blocks there are
    /// full) and returns it; throws `conflict` when the pool is full.
    public func claimAdditionalBlock(node: Node, pool: IPPool) async throws -> BlockAffinity {
        let name = try Self.checkName(node.metadata.name)
        let blocks = try PoolBlocks(pool)
        guard !pool.spec.disabled, pool.spec.nodeSelector.matches(node.metadata.labels) else {
            throw DatastoreError(
                .invalidRecord,
                "IPPool \(pool.metadata.name) is disabled or does not select node \(name): "
                    + "claim from a pool whose nodeSelector matches the node")
        }
        let owned = try await withClaimRetries(node: name) { snapshot throws(DatastoreError) in
            let taken = snapshot.claims.map(\.resource.spec.cidr)
            guard let block = blocks.firstFree(claimed: taken) else {
                return ClaimPlan(picks: [], drops: [], result: [], failure: Self.poolFull(pool, blocks))
            }
            let pick = BlockAffinity(node: name, cidr: block)
            return ClaimPlan(picks: [pick], drops: [], result: [pick], failure: nil)
        }
        // The plan's result is the one pick; the retry loop only returns it once written.
        return owned[0]
    }

    /// Deletes every claim of `node` (its Node was deleted), freeing the blocks.
    public func release(node: String) async throws {
        let name = try Self.checkName(node)
        _ = try await datastore.transaction([], [.deletePrefix(store.prefix(for: BlockAffinity.self, node: name))])
        logger.info("released the node's blocks", metadata: ["node.name": "\(name)"])
    }

    /// A node name that is safe as a key segment.
    static func checkName(_ name: String) throws(DatastoreError) -> String {
        guard !name.isEmpty, !name.contains("/") else {
            throw DatastoreError(
                .invalidRecord, "node name '\(name)' cannot own blocks: use a DNS name without '/'")
        }
        return name
    }

    static func poolFull(_ pool: IPPool, _ blocks: PoolBlocks) -> DatastoreError {
        DatastoreError(
            .conflict,
            "pool \(pool.metadata.name) is full: \(blocks.countDescription) blocks of /\(blocks.blockSize) are all "
                + "claimed; add a pool or delete unused nodes")
    }
}
