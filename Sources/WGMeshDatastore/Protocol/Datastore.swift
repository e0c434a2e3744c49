/// A key-value store with etcd's semantics: one store-wide revision that
/// every write advances, compare-and-swap transactions, watches that resume
/// from a revision, and leases that expire.
///
/// Both backends (the embedded SQLite file and etcd) implement it, and one
/// conformance suite holds them to the same rules:
///
/// - Every successful transaction that changes something advances the
///   revision by exactly one; all of its events carry that revision.
/// - A key's `createRevision` is the revision that created it (it resets if
///   the key is deleted and created again), `modRevision` the last change,
///   and `version` counts changes since creation (1 after creation).
/// - A watch delivers every change under its prefix whose revision is at
///   least the start revision, in revision order, each exactly once. If the
///   start revision has been compacted away, the stream ends with
///   ``DatastoreError/Code-swift.struct/compacted`` and the error's
///   `revision` is the oldest revision still available: relist and watch
///   again from the list's revision + 1.
/// - A key attached to a lease is deleted (with a delete event) when the
///   lease expires or is revoked.
public protocol Datastore: Sendable {
    /// The key's current value, or nil when it does not exist.
    func get(_ key: String) async throws -> KeyValue?

    /// Every key that starts with `prefix`, sorted by key, and the store's
    /// revision at the moment of the read.
    func list(prefix: String) async throws -> ListResult

    /// Applies `operations` atomically if every condition holds, in one
    /// revision; otherwise changes nothing. The result says which.
    func transaction(_ conditions: [Condition], _ operations: [Operation]) async throws -> TransactionResult

    /// Changes under `prefix` from `revision` (inclusive) on. The stream
    /// finishes with an error when the watch cannot go on (compacted,
    /// permission denied, store closed); transient disconnections are
    /// retried inside the backend without losing or repeating an event.
    func watch(prefix: String, from revision: Revision) -> AsyncThrowingStream<WatchBatch, any Error>

    /// Grants a lease that expires `ttlSeconds` after its last keep-alive.
    func grantLease(ttlSeconds: Int64) async throws -> LeaseID

    /// Renews a lease and returns its TTL in seconds. Throws
    /// ``DatastoreError/Code-swift.struct/leaseNotFound`` when it has expired.
    func keepAlive(_ lease: LeaseID) async throws -> Int64

    /// Revokes a lease now, deleting its keys.
    func revokeLease(_ lease: LeaseID) async throws

    /// Forgets the history before `revision`: watches from an earlier
    /// revision then fail with `compacted`.
    func compact(before revision: Revision) async throws

    /// Releases connections, files and threads. Open watches finish with
    /// ``DatastoreError/Code-swift.struct/closed``.
    func close() async
}

extension Datastore {
    /// Creates `key`; throws ``DatastoreError/Code-swift.struct/alreadyExists`` if it exists.
    @discardableResult
    public func create(_ key: String, value: [UInt8], lease: LeaseID? = nil) async throws -> Revision {
        let result = try await transaction(
            [.modRevision(key, equals: 0)], [.put(key, value: value, lease: lease)])
        guard result.succeeded else {
            throw DatastoreError(.alreadyExists, key: key, "\(key) already exists")
        }
        return result.revision
    }

    /// Replaces `key`'s value if its mod revision is still `expected`;
    /// throws ``DatastoreError/Code-swift.struct/conflict`` otherwise.
    @discardableResult
    public func update(_ key: String, value: [UInt8], expected: Revision, lease: LeaseID? = nil) async throws
        -> Revision
    {
        precondition(expected > 0, "update needs the revision that was read; use create for a new key")
        let result = try await transaction(
            [.modRevision(key, equals: expected)], [.put(key, value: value, lease: lease)])
        guard result.succeeded else {
            throw DatastoreError(
                .conflict, key: key,
                "\(key) changed since revision \(expected) (or was deleted): read it again and retry")
        }
        return result.revision
    }

    /// Writes `key` whatever it holds now.
    @discardableResult
    public func put(_ key: String, value: [UInt8], lease: LeaseID? = nil) async throws -> Revision {
        try await transaction([], [.put(key, value: value, lease: lease)]).revision
    }

    /// Deletes `key`, only if its mod revision is `expected` when one is
    /// given. Returns false when the key did not exist (and `expected` was nil).
    @discardableResult
    public func delete(_ key: String, expected: Revision? = nil) async throws -> Bool {
        if let expected {
            let result = try await transaction([.modRevision(key, equals: expected)], [.delete(key)])
            guard result.succeeded else {
                throw DatastoreError(
                    .conflict, key: key, "\(key) changed since revision \(expected): read it again and retry")
            }
            return true
        }
        let result = try await transaction([.exists(key)], [.delete(key)])
        return result.succeeded
    }
}

extension Datastore {
    /// Runs `body`, then closes the store whether `body` returned or threw:
    /// for short-lived users (a CLI command, a test) that own the store.
    public func closing<R>(after body: () async throws -> R) async throws -> R {
        do {
            let result = try await body()
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }
}
