import WGMeshDatastore

typealias WatchContinuation = AsyncThrowingStream<WatchBatch, any Error>.Continuation

/// Everything an ``InMemoryDatastore`` holds, changed only under its lock.
struct InMemoryState {
    /// One open watch: what it looks at and where its batches go.
    struct Watcher {
        var prefix: String
        var continuation: WatchContinuation
    }

    /// One granted lease.
    struct Lease {
        var ttl: Int64
        var expiresAt: Double
        var keys: Set<String> = []
    }

    var revision: Revision = 1
    /// History before this revision is gone: watches from earlier fail.
    var compactRevision: Revision = 1
    var keys: [String: KeyValue] = [:]
    /// The events of every retained revision, oldest first.
    var history: [(revision: Revision, events: [WatchEvent])] = []
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 0
    var leases: [Int64: Lease] = [:]
    var nextLeaseID: Int64 = 1
    var clock: Double = 0
    var closed = false

    func checkOpen() throws {
        guard !closed else {
            throw DatastoreError(.closed, "the in-memory datastore was closed: open a new one")
        }
    }

    /// The keys under `prefix`, sorted bytewise as etcd and SQLite sort them.
    func items(prefix: String) -> [KeyValue] {
        keys.values.filter { $0.key.utf8.starts(with: prefix.utf8) }
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    func holds(_ condition: Condition) -> Bool {
        switch condition {
        case .modRevision(let key, let expected):
            return (keys[key]?.modRevision ?? 0) == expected
        case .exists(let key):
            return keys[key] != nil
        case .prefixUnchanged(let prefix, let since):
            // Deleted keys are not there to compare, so deletions do not count.
            return items(prefix: prefix).allSatisfy { $0.modRevision <= since }
        }
    }

    /// etcd refuses a transaction that writes one key twice (two puts, or a
    /// put inside a deleted range); so does the fake, so tests catch it early.
    func checkDistinctKeys(_ operations: [Operation]) throws {
        var puts: Set<String> = []
        var deletes: [String] = []
        var prefixes: [String] = []
        for operation in operations {
            switch operation {
            case .put(let key, _, _):
                guard puts.insert(key).inserted else { throw duplicate(key) }
            case .delete(let key): deletes.append(key)
            case .deletePrefix(let prefix): prefixes.append(prefix)
            }
        }
        for key in puts {
            if deletes.contains(key) || prefixes.contains(where: { key.utf8.starts(with: $0.utf8) }) {
                throw duplicate(key)
            }
        }
    }

    private func duplicate(_ key: String) -> DatastoreError {
        DatastoreError(
            .invalidRecord, key: key,
            "a transaction writes \(key) more than once (etcd refuses this): "
                + "put or delete each key once per transaction")
    }

    func checkLeases(_ operations: [Operation]) throws {
        for case .put(let key, _, let lease?) in operations where leases[lease.rawValue] == nil {
            throw DatastoreError(
                .leaseNotFound, key: key,
                "\(lease) does not exist (it expired or was revoked): grant a new lease and write \(key) again")
        }
    }

    /// Applies `operations` in one revision, if they change anything.
    mutating func commit(_ operations: [Operation]) {
        let next = revision + 1
        var events: [WatchEvent] = []
        for operation in operations {
            switch operation {
            case .put(let key, let value, let lease):
                events.append(put(key, value: value, lease: lease, at: next))
            case .delete(let key):
                if let event = delete(key, at: next) { events.append(event) }
            case .deletePrefix(let prefix):
                for item in items(prefix: prefix) {
                    if let event = delete(item.key, at: next) { events.append(event) }
                }
            }
        }
        guard !events.isEmpty else { return }
        revision = next
        history.append((next, events))
        publish(events, revision: next)
    }

    private mutating func put(_ key: String, value: [UInt8], lease: LeaseID?, at revision: Revision) -> WatchEvent {
        let old = keys[key]
        if let oldLease = old?.lease, oldLease != lease {
            leases[oldLease.rawValue]?.keys.remove(key)
        }
        if let lease { leases[lease.rawValue]?.keys.insert(key) }
        let stored = KeyValue(
            key: key, value: value, createRevision: old?.createRevision ?? revision, modRevision: revision,
            version: (old?.version ?? 0) + 1, lease: lease)
        keys[key] = stored
        return WatchEvent(kind: .put, keyValue: stored)
    }

    private mutating func delete(_ key: String, at revision: Revision) -> WatchEvent? {
        guard let old = keys.removeValue(forKey: key) else { return nil }
        if let lease = old.lease { leases[lease.rawValue]?.keys.remove(key) }
        // etcd's tombstone: the key and the deletion's revision, nothing else.
        let tombstone = KeyValue(key: key, value: [], createRevision: 0, modRevision: revision, version: 0)
        return WatchEvent(kind: .delete, keyValue: tombstone)
    }

    mutating func compact(before target: Revision) {
        guard target > compactRevision else { return }
        compactRevision = target
        history.removeAll { $0.revision < target }
    }
}
