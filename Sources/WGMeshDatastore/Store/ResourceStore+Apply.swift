public import WGMeshResources

extension ResourceStore {
    /// The most resources one ``apply(_:)`` takes: etcd refuses a
    /// transaction of more than 128 operations, and the claim check needs room.
    public static let applyLimit = 100

    /// Creates or updates `resources` all together or not at all.
    ///
    /// The rule (the CLI quotes it): every resource is checked first, its
    /// own rules and the rules across records, with the other resources of
    /// the same batch counted (a file holding an IPPool and a BlockAffinity
    /// in it works). If any is invalid, nothing is written and the error
    /// lists every invalid resource by position, kind and name. Otherwise
    /// one transaction writes them all: each on the condition that it is
    /// still at the revision that was read (or absent, or at the
    /// `metadata.resourceVersion` given), so if anyone changed one of them
    /// in between, the error is a conflict and nothing is written.
    /// Resources whose spec and labels are already stored are not written.
    /// At most ``applyLimit`` resources per call.
    public func apply(_ resources: [AnyResource]) async throws -> [ApplyOutcome] {
        guard resources.count <= Self.applyLimit else {
            throw DatastoreError(
                .invalidRecord,
                "\(resources.count) resources in one apply: at most \(Self.applyLimit) are applied together "
                    + "(etcd allows 128 operations in one transaction): split the file")
        }
        var writes: [PreparedWrite] = []
        for (index, resource) in resources.enumerated() {
            writes.append(try prepare(resource.base, position: index + 1))
        }
        var (problems, world) = try await check(writes)
        for (index, write) in writes.enumerated() {
            if let first = writes.firstIndex(where: { $0.key == write.key }), first != index {
                problems[index].append("the same record as resource \(first + 1): keep only one of them")
            }
        }
        let bad = problems.indices.filter { !problems[$0].isEmpty }
        if !bad.isEmpty {
            let lines = bad.map { index in
                let write = writes[index]
                return "  resource \(index + 1) (\(type(of: write.resource).kind.name) "
                    + "\(clip(write.resource.metadata.name))): " + problems[index].joined(separator: "; ")
            }
            throw DatastoreError(
                .invalidRecord, key: writes[bad[0]].key,
                "\(bad.count) of \(writes.count) resources are invalid, so nothing was applied:\n"
                    + lines.joined(separator: "\n"))
        }
        return try await commit(writes, world)
    }

    /// The one transaction of ``apply(_:)``.
    private func commit(_ writes: [PreparedWrite], _ world: WriteWorld) async throws -> [ApplyOutcome] {
        var conditions: [Condition] = []
        var operations: [Operation] = []
        var outcomes: [ApplyOutcome] = []
        for write in writes {
            let kind = type(of: write.resource).kind.name
            let name = write.resource.metadata.name
            let current = try await datastore.get(write.key)
            if let expected = write.expected, expected != current?.modRevision {
                let now = current.map { "it is at \($0.modRevision)" } ?? "it no longer exists"
                throw DatastoreError(
                    .conflict, key: write.key,
                    "\(kind) \(name) changed since resourceVersion \(expected) (\(now)), so nothing was applied: "
                        + "get it again, redo the change and apply again")
            }
            conditions.append(.modRevision(write.key, equals: current?.modRevision ?? 0))
            if let current, isUnchanged(write, current) {
                outcomes.append(.unchanged(kind: kind, name: name))
                continue
            }
            operations.append(.put(write.key, value: write.value, lease: nil))
            outcomes.append(current == nil ? .created(kind: kind, name: name) : .configured(kind: kind, name: name))
        }
        guard !operations.isEmpty else { return outcomes }
        let result = try await datastore.transaction(conditions + claimConditions(writes, world), operations)
        guard result.succeeded else {
            throw DatastoreError(
                .conflict,
                "the datastore changed while the resources were applied (another writer changed one of them, "
                    + "or claimed a block), so nothing was applied: apply again")
        }
        return outcomes
    }

    /// Whether the stored record already holds what `write` would store.
    /// Compares the encoding of the decoded record, not the raw bytes, so a
    /// record written with another field order still counts as unchanged; a
    /// record that does not decode is overwritten (that is how it is fixed).
    private func isUnchanged(_ write: PreparedWrite, _ current: KeyValue) -> Bool {
        guard let stored = decodeSameKind(as: write.resource, current) else { return false }
        return ResourceCodec.encodeJSON(stored) == write.value
    }

    /// Decodes `kv` as a record of `sample`'s kind, without its resourceVersion.
    private func decodeSameKind<R: Resource>(as sample: R, _ kv: KeyValue) -> R? {
        guard case .success(var stored) = decodeRecord(R.self, kv) else { return nil }
        stored.resource.metadata.resourceVersion = nil
        return stored.resource
    }
}
