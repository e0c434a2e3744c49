import WGMeshResources

/// A resource about to be written: the key and the bytes to store.
struct PreparedWrite: Sendable {
    /// The resource as the caller gave it (status and resourceVersion removed).
    var resource: any Resource
    /// Where it goes.
    var key: String
    /// Its compact JSON.
    var value: [UInt8]
    /// The revision the caller expects the key to have, from metadata.resourceVersion.
    var expected: Revision?
}

extension ResourceStore {
    /// Strips what is not stored with the spec and encodes the resource.
    ///
    /// A Node's status lives under `nodestatus/` and is written only by
    /// ``writeStatus(_:node:)``, so a status in a written Node is ignored;
    /// resourceVersion is the key's revision, never part of the value.
    /// `position` numbers the resource in an apply's error.
    func prepare(_ resource: any Resource, position: Int? = nil) throws(DatastoreError) -> PreparedWrite {
        var clean = resource
        if var node = clean as? Node {
            node.status = nil
            clean = node
        }
        let version = clean.metadata.resourceVersion
        clean.metadata.resourceVersion = nil
        var expected: Revision?
        if let version {
            guard let revision = Revision(version), revision > 0 else {
                throw DatastoreError(
                    .invalidRecord, key: key(for: clean),
                    (position.map { "resource \($0): " } ?? "")
                        + "\(type(of: clean).kind.name) \(clip(clean.metadata.name)): metadata.resourceVersion "
                        + "'\(clip(version))' is not a revision: remove it, or copy it from a get")
            }
            expected = revision
        }
        return PreparedWrite(resource: clean, key: key(for: clean), value: ResourceCodec.encodeJSON(clean),
                             expected: expected)
    }

    /// Every problem with each of `writes`, checked as one batch: the
    /// record's own rules, then the rules across records, with the batch
    /// laid over what the store holds. Index `i` of the result belongs to
    /// `writes[i]`.
    func check(_ writes: [PreparedWrite]) async throws -> (problems: [[String]], world: WriteWorld) {
        var problems = Array(repeating: [String](), count: writes.count)
        for (index, write) in writes.enumerated() {
            do {
                try write.resource.validate()
            } catch {
                problems[index].append("\(error)")
            }
            if let rule = storeRule(write.resource) { problems[index].append(rule) }
        }
        var world = try await loadWorld(for: writes.map(\.resource))
        for write in writes { world.overlay(write.resource, key: write.key) }
        for (index, write) in writes.enumerated() where problems[index].isEmpty {
            problems[index] += WriteRules.problems(write.resource, key: write.key, in: world)
        }
        return (problems, world)
    }

    /// The refusal of one resource, naming it and every problem.
    func invalid(_ write: PreparedWrite, _ problems: [String]) -> DatastoreError {
        let kind = type(of: write.resource).kind.name
        return DatastoreError(
            .invalidRecord, key: write.key,
            "\(kind) \(clip(write.resource.metadata.name)) is invalid: " + problems.joined(separator: "; "))
    }

    /// The claim CAS of layout.md: no block claim appeared since the claims
    /// were read, so "not already claimed" still holds when the write lands.
    func claimConditions(_ writes: [PreparedWrite], _ world: WriteWorld) -> [Condition] {
        guard writes.contains(where: { $0.resource is BlockAffinity }), let revision = world.affinitiesRevision else {
            return []
        }
        return [.prefixUnchanged(prefix(for: BlockAffinity.self), since: revision)]
    }
}
