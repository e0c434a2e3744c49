import WGMeshDatastore
import WGMeshResources

/// The reconciler's view of the datastore, kept by key so that watch events
/// apply one record at a time.
///
/// Every change is ordered by revision: an upsert older than what is held,
/// or a deletion older than the record it would remove, is ignored. So the
/// watches may start below a list's revision and replay events the list
/// already holds, and the view still ends equal to a fresh list.
struct MeshState: Sendable {
    var nodes: [String: Stored<Node>] = [:]
    /// Claims by name: a claim's name is derived from its node and block
    /// (validation enforces it), so names are unique across nodes.
    var claims: [String: Stored<BlockAffinity>] = [:]
    var pools: [String: Stored<IPPool>] = [:]
    var encryption: Stored<EncryptionConfig>?
    /// The highest revision folded in.
    var revision: Revision = 0

    /// The state as the planner reads it, sorted by name so that the same
    /// records give the same snapshot on every node.
    var snapshot: MeshSnapshot {
        MeshSnapshot(
            nodes: nodes.values.sorted { $0.resource.metadata.name < $1.resource.metadata.name },
            claims: claims.values.sorted { $0.resource.metadata.name < $1.resource.metadata.name },
            pools: pools.values.map(\.resource).sorted { $0.metadata.name < $1.metadata.name },
            encryption: encryption?.resource, revision: revision)
    }

    /// The pools' specs by name: what a change of pools is measured by.
    var poolSpecs: [String: IPPoolSpec] { pools.mapValues(\.resource.spec) }

    /// Folds a node batch in; returns the names of the nodes it touched.
    @discardableResult
    mutating func fold(_ batch: ResourceWatchBatch<Node>) -> Set<String> {
        revision = max(revision, batch.revision)
        return Self.fold(batch.events, into: &nodes)
    }

    /// Folds a claim batch in.
    mutating func fold(_ batch: ResourceWatchBatch<BlockAffinity>) {
        revision = max(revision, batch.revision)
        Self.fold(batch.events, into: &claims)
    }

    /// Folds a pool batch in.
    mutating func fold(_ batch: ResourceWatchBatch<IPPool>) {
        revision = max(revision, batch.revision)
        Self.fold(batch.events, into: &pools)
    }

    /// Folds an EncryptionConfig batch in; only `default` counts (the store
    /// rejects any other name, so none should arrive).
    mutating func fold(_ batch: ResourceWatchBatch<EncryptionConfig>) {
        revision = max(revision, batch.revision)
        var held: [String: Stored<EncryptionConfig>] = [:]
        if let encryption { held[EncryptionConfig.requiredName] = encryption }
        Self.fold(batch.events, into: &held)
        encryption = held[EncryptionConfig.requiredName]
    }

    /// Applies events by name in revision order; returns the names touched.
    @discardableResult
    private static func fold<R: Resource>(_ events: [ResourceWatchEvent<R>], into records: inout [String: Stored<R>])
        -> Set<String>
    {
        var touched: Set<String> = []
        for event in events {
            switch event {
            case .upsert(let stored):
                let name = stored.resource.metadata.name
                if let held = records[name], held.modRevision > stored.modRevision { continue }
                records[name] = stored
                touched.insert(name)
            case .deleted(let name, _, let revision):
                guard let held = records[name], held.modRevision < revision else { continue }
                records[name] = nil
                touched.insert(name)
            }
        }
        return touched
    }
}
