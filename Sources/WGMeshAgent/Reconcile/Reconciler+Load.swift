import WGMeshDatastore
import WGMeshResources

extension Reconciler {
    /// Reads every node, claim, pool and the EncryptionConfig into ``state``;
    /// returns the revision the watches start from.
    ///
    /// The four lists are read one after another, each at its own revision,
    /// so the watches start after the lowest of them: the events replayed
    /// between the lowest and the others are already in some list, and
    /// ``MeshState`` ignores what it already holds.
    func load() async throws -> Revision {
        let nodes = try await store.list(Node.self)
        let claims = try await store.list(BlockAffinity.self)
        let pools = try await store.list(IPPool.self)
        let configs = try await store.list(EncryptionConfig.self)

        var fresh = MeshState()
        for var node in nodes.items {
            // Watches carry no status; a list does. Drop it so both read the same.
            node.resource.status = nil
            fresh.nodes[node.resource.metadata.name] = node
        }
        for claim in claims.items { fresh.claims[claim.resource.metadata.name] = claim }
        for pool in pools.items { fresh.pools[pool.resource.metadata.name] = pool }
        fresh.encryption = configs.items.first { $0.resource.metadata.name == EncryptionConfig.requiredName }
        let revisions = [nodes.revision, claims.revision, pools.revision, configs.revision]
        fresh.revision = revisions.max() ?? 0

        let previousPools = state.poolSpecs
        let reloaded = loadedOnce
        state = fresh
        loadedOnce = true
        if reloaded, previousPools != fresh.poolSpecs { poolsChanged() }
        checkOwnNode()
        return (revisions.min() ?? 0) + 1
    }

    /// Asks for a republish when the pools changed: the node may now be
    /// selected by a pool it holds no block of, or hold one of a pool gone.
    func poolsChanged() {
        guard republishHook != nil else { return }
        if !republishNeeded { logger.info("the IP pools changed: publishing this node again") }
        republishNeeded = true
    }

    /// Asks for a republish when this node's Node is gone or no longer says
    /// what this node published.
    func checkOwnNode() {
        guard republishHook != nil else { return }
        guard let own = state.nodes[local.name] else {
            if !republishNeeded { logger.warning("this node's Node is gone from the datastore: publishing it again") }
            republishNeeded = true
            return
        }
        let seen = PublishedNode(own.resource)
        guard let published = publishedNode else {
            publishedNode = seen
            return
        }
        guard seen != published else { return }
        if !republishNeeded {
            logger.warning("this node's Node was changed by another writer: publishing it again")
        }
        republishNeeded = true
    }

    /// Runs the republish hook when one is needed and its retry is due.
    func republishIfNeeded() async {
        guard republishNeeded, let republishHook else { return }
        guard !republishRetry.isPending || republishRetry.isDue(at: .now) else { return }
        do {
            let stored = try await republishHook()
            publishedNode = PublishedNode(stored.resource)
            republishNeeded = false
            republishRetry.succeeded()
            logger.info("published this node again", metadata: ["datastore.revision": "\(stored.modRevision)"])
        } catch {
            if Task.isCancelled { return }
            let delay = republishRetry.failed()
            logger.warning("publishing this node again failed: \(error); retrying in \(describe(delay))")
        }
    }
}

/// A delay for a log line: milliseconds below a second, else whole seconds.
func describe(_ delay: Duration) -> String {
    let (seconds, attoseconds) = delay.components
    if seconds == 0 { return "\(attoseconds / 1_000_000_000_000_000) ms" }
    return "\(seconds) s"
}
