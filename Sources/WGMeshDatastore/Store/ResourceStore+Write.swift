public import WGMeshResources

extension ResourceStore {
    /// Writes a new resource; throws `alreadyExists` when its key exists and
    /// `invalidRecord` (naming the field and the fix) when a rule refuses it.
    public func create<R: Resource>(_ resource: R) async throws -> Stored<R> {
        let write = try prepare(resource)
        let (problems, world) = try await check([write])
        if !problems[0].isEmpty { throw invalid(write, problems[0]) }
        let result = try await datastore.transaction(
            [.modRevision(write.key, equals: 0)] + claimConditions([write], world),
            [.put(write.key, value: write.value, lease: nil)])
        guard result.succeeded else {
            if try await datastore.get(write.key) != nil {
                throw DatastoreError(
                    .alreadyExists, key: write.key,
                    "\(R.kind.name) \(resource.metadata.name) already exists: update it, or delete it first")
            }
            throw DatastoreError(
                .conflict, key: write.key,
                "another block claim was written while \(resource.metadata.name) was checked: try again")
        }
        return stored(write, R.self, created: result.revision, modified: result.revision)
    }

    /// Replaces a resource if it is still at `metadata.resourceVersion`
    /// (required: get it first); throws `conflict` when it changed since.
    public func update<R: Resource>(_ resource: R) async throws -> Stored<R> {
        let write = try prepare(resource)
        guard let expected = write.expected else {
            throw DatastoreError(
                .invalidRecord, key: write.key,
                "\(R.kind.name) \(resource.metadata.name): an update needs metadata.resourceVersion: "
                    + "get the resource, change it and update that")
        }
        guard let current = try await datastore.get(write.key) else {
            throw DatastoreError(
                .notFound, key: write.key, "\(R.kind.name) \(resource.metadata.name) does not exist: create it")
        }
        let (problems, world) = try await check([write])
        if !problems[0].isEmpty { throw invalid(write, problems[0]) }
        let result = try await datastore.transaction(
            [.modRevision(write.key, equals: expected)] + claimConditions([write], world),
            [.put(write.key, value: write.value, lease: nil)])
        guard result.succeeded else {
            throw DatastoreError(
                .conflict, key: write.key,
                "\(R.kind.name) \(resource.metadata.name) changed since resourceVersion \(expected) "
                    + "(or a block claim appeared meanwhile): get it again, redo the change and retry")
        }
        return stored(write, R.self, created: current.createRevision, modified: result.revision)
    }

    /// Writes node `node`'s status under `nodestatus/<node>`, apart from
    /// its spec so that status updates do not wake the watchers of nodes.
    public func writeStatus(_ status: NodeStatus, node: String) async throws {
        guard !node.isEmpty, !node.contains("/") else {
            throw DatastoreError(
                .invalidRecord, key: statusKey(node: node),
                "node name '\(clip(node))' cannot be part of a key: use the node's metadata.name")
        }
        try await datastore.put(statusKey(node: node), value: NodeStatusCodec.encode(status))
    }

    /// The stored form of a write that succeeded.
    func stored<R: Resource>(_ write: PreparedWrite, _ type: R.Type, created: Revision, modified: Revision)
        -> Stored<R>
    {
        var resource = write.resource as! R
        resource.metadata.resourceVersion = String(modified)
        return Stored(resource: resource, createRevision: created, modRevision: modified)
    }
}
