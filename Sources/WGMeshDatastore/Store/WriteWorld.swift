import WGMeshCore
import WGMeshResources

/// The records the cross-record rules look at: what the store holds (good
/// records only), with the resources being written laid over it, so that a
/// file holding an IPPool and a BlockAffinity in it checks as a whole.
struct WriteWorld: Sendable {
    /// Nodes by name.
    var nodes: [String: Node] = [:]
    /// Pools by name.
    var pools: [String: IPPool] = [:]
    /// Block claims by key.
    var affinities: [String: BlockAffinity] = [:]
    /// The revision the claims were listed at, for the claim CAS.
    var affinitiesRevision: Revision?

    /// Which kinds the rules for `resources` need to read.
    static func kindsNeeded(by resources: [any Resource]) -> (nodes: Bool, pools: Bool, affinities: Bool) {
        var needs = (nodes: false, pools: false, affinities: false)
        for resource in resources {
            switch resource {
            case is Node: needs.nodes = true; needs.affinities = true
            case is BlockAffinity: needs.pools = true; needs.affinities = true
            case is IPPool: needs.pools = true
            case is WorkloadEndpoint: needs.nodes = true
            default: break
            }
        }
        return needs
    }

    /// Lays `resource` (stored under `key`) over what was read.
    mutating func overlay(_ resource: any Resource, key: String) {
        switch resource {
        case let node as Node: nodes[node.metadata.name] = node
        case let pool as IPPool: pools[pool.metadata.name] = pool
        case let affinity as BlockAffinity: affinities[key] = affinity
        default: break
        }
    }
}

extension ResourceStore {
    /// Reads the records the rules for `resources` need; rejected records
    /// are left out, as every reader leaves them out.
    func loadWorld(for resources: [any Resource]) async throws -> WriteWorld {
        let needs = WriteWorld.kindsNeeded(by: resources)
        var world = WriteWorld()
        if needs.nodes {
            let result = try await datastore.list(prefix: prefix(for: Node.self))
            for stored in collect(Node.self, result.items, revision: result.revision).items {
                world.nodes[stored.resource.metadata.name] = stored.resource
            }
        }
        if needs.pools {
            for stored in try await list(IPPool.self).items {
                world.pools[stored.resource.metadata.name] = stored.resource
            }
        }
        if needs.affinities {
            let list = try await list(BlockAffinity.self)
            for stored in list.items { world.affinities[key(for: stored.resource)] = stored.resource }
            world.affinitiesRevision = list.revision
        }
        return world
    }
}
