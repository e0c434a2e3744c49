public import WGMeshResources

extension ResourceStore {
    /// Deletes a resource; returns false when there was none.
    ///
    /// Deleting a Node deletes, in one transaction, everything stored under
    /// its name (``NodeRecord/all``): its status, its liveness record, its block
    /// claims (which releases its blocks), its workload endpoints and a pending
    /// rotation request. Node-scoped kinds are
    /// found by name across nodes; every record with that name goes.
    public func delete(_ type: any Resource.Type, name: String, namespace: String? = nil) async throws -> Bool {
        if type == Node.self { return try await deleteNode(name) }
        if type.kind.nodeScoped { return try await deleteNodeScoped(type, name: name, namespace: namespace) }
        return try await datastore.delete(key(kind: type.kind, node: nil, namespace: namespace, name: name))
    }

    private func deleteNode(_ name: String) async throws -> Bool {
        guard !name.isEmpty, !name.contains("/") else { return false }
        let nodeKey = key(kind: Node.kind, node: nil, namespace: nil, name: name)
        let deletes: [Operation] = NodeRecord.all.map { record in
            let key = record.key(node: name, root: root)
            return record.isPrefix ? .deletePrefix(key) : .delete(key)
        }
        let result = try await datastore.transaction([.exists(nodeKey)], deletes)
        return result.succeeded
    }

    /// Node-scoped records are keyed by node first: find the keys by name,
    /// then delete exactly those revisions (a record rewritten meanwhile is
    /// a conflict, not silently lost).
    private func deleteNodeScoped(_ type: any Resource.Type, name: String, namespace: String?) async throws -> Bool {
        let kind = type.kind
        let listed = try await datastore.list(prefix: prefix(for: type))
        let matches = listed.items.filter { kv in
            guard case .success(let parsed) = RecordKey.parse(kv.key, prefix: prefix(for: type), kind: kind) else {
                return false
            }
            return parsed.name == name && (!kind.namespaced || parsed.namespace == namespace)
        }
        guard !matches.isEmpty else { return false }
        let result = try await datastore.transaction(
            matches.map { .modRevision($0.key, equals: $0.modRevision) }, matches.map { .delete($0.key) })
        guard result.succeeded else {
            throw DatastoreError(
                .conflict, key: matches[0].key, "\(kind.name) \(name) changed while it was being deleted: try again")
        }
        return true
    }
}
