public import WGMeshResources

extension ResourceStore {
    /// The record named `name` (in `namespace`, for namespaced kinds), or nil
    /// when there is none or the one there is rejected (and reported in logs).
    ///
    /// Node-scoped kinds are keyed by node first, so their get lists the
    /// kind's prefix and picks the record by name.
    public func get<R: Resource>(_ type: R.Type, name: String, namespace: String? = nil) async throws -> Stored<R>? {
        if R.kind.nodeScoped {
            let list = try await list(R.self)
            return list.items.first {
                $0.resource.metadata.name == name && (!R.kind.namespaced || $0.resource.metadata.namespace == namespace)
            }
        }
        guard let kv = try await datastore.get(key(kind: R.kind, node: nil, namespace: namespace, name: name)) else {
            return nil
        }
        switch decodeRecord(R.self, kv) {
        case .failure(let rejected):
            rejections.report(rejected, logger: logger)
            return nil
        case .success(var stored):
            if var node = stored as? Stored<Node> {
                node.resource.status = try await status(node: node.resource.metadata.name)
                stored = node as! Stored<R>
            }
            return stored
        }
    }

    /// Every good record of a kind, sorted by name, with the bad ones
    /// reported in `rejected`. Nodes come with their status.
    public func list<R: Resource>(_ type: R.Type) async throws -> ResourceList<R> {
        let result = try await datastore.list(prefix: prefix(for: R.self))
        var list = collect(R.self, result.items, revision: result.revision)
        if var nodes = list as? ResourceList<Node> {
            try await attachStatuses(&nodes)
            list = nodes as! ResourceList<R>
        }
        return list
    }

    /// ``list(_:)`` for a kind known only at run time (the CLI's `get KIND`).
    public func listAny(_ type: any Resource.Type) async throws -> ResourceList<AnyResource> {
        try await listErased(type)
    }

    /// ``get(_:name:namespace:)`` for a kind known only at run time (the CLI's `get KIND NAME`).
    public func getAny(_ type: any Resource.Type, name: String, namespace: String? = nil) async throws
        -> Stored<AnyResource>?
    {
        try await getErased(type, name: name, namespace: namespace)
    }

    private func getErased<R: Resource>(_ type: R.Type, name: String, namespace: String?) async throws
        -> Stored<AnyResource>?
    {
        try await get(R.self, name: name, namespace: namespace).map {
            Stored(resource: AnyResource($0.resource), createRevision: $0.createRevision, modRevision: $0.modRevision)
        }
    }

    private func listErased<R: Resource>(_ type: R.Type) async throws -> ResourceList<AnyResource> {
        let list = try await list(R.self)
        return ResourceList(
            items: list.items.map {
                Stored(resource: AnyResource($0.resource), createRevision: $0.createRevision,
                       modRevision: $0.modRevision)
            },
            rejected: list.rejected, revision: list.revision)
    }

    /// Decodes `items`, keeping the good ones and reporting the rest.
    func collect<R: Resource>(_ type: R.Type, _ items: [KeyValue], revision: Revision) -> ResourceList<R> {
        var good: [Stored<R>] = []
        var rejected: [RejectedRecord] = []
        good.reserveCapacity(items.count)
        for kv in items {
            switch decodeRecord(R.self, kv) {
            case .success(let stored): good.append(stored)
            case .failure(let record):
                rejections.report(record, logger: logger)
                rejected.append(record)
            }
        }
        good.sort { a, b in
            let (ma, mb) = (a.resource.metadata, b.resource.metadata)
            if ma.name != mb.name { return ma.name < mb.name }
            if ma.namespace != mb.namespace { return (ma.namespace ?? "") < (mb.namespace ?? "") }
            return (a.resource.owningNode ?? "") < (b.resource.owningNode ?? "")
        }
        return ResourceList(items: good, rejected: rejected, revision: revision)
    }

    /// Fills in each node's status; a bad status record is rejected on its
    /// own and its node is still returned, without a status.
    private func attachStatuses(_ nodes: inout ResourceList<Node>) async throws {
        let statuses = try await datastore.list(prefix: root + "nodestatus/")
        var byNode: [String: NodeStatus] = [:]
        for kv in statuses.items {
            switch decodeStatus(kv) {
            case .success(let (node, status)): byNode[node] = status
            case .failure(let record):
                rejections.report(record, logger: logger)
                nodes.rejected.append(record)
            }
        }
        for index in nodes.items.indices {
            nodes.items[index].resource.status = byNode[nodes.items[index].resource.metadata.name]
        }
    }

    private func status(node: String) async throws -> NodeStatus? {
        guard let kv = try await datastore.get(statusKey(node: node)) else { return nil }
        switch decodeStatus(kv) {
        case .success(let (_, status)): return status
        case .failure(let record):
            rejections.report(record, logger: logger)
            return nil
        }
    }

    /// Decodes a `nodestatus/<node>` record.
    func decodeStatus(_ kv: KeyValue) -> Result<(String, NodeStatus), RejectedRecord> {
        let prefix = root + "nodestatus/"
        let node = kv.key.dropFirst(prefix.count)
        guard kv.key.hasPrefix(prefix), !node.isEmpty, !node.contains("/") else {
            return .failure(RejectedRecord(
                key: kv.key, modRevision: kv.modRevision,
                reason: "the key does not have the layout of a node status key (nodestatus/<node>)"))
        }
        do {
            return .success((String(node), try NodeStatusCodec.decode(kv.value)))
        } catch {
            return .failure(RejectedRecord(
                key: kv.key, modRevision: kv.modRevision, reason: "not a valid node status record: \(error)"))
        }
    }
}
