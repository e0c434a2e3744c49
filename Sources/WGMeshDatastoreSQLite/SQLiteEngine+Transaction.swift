import WGMeshDatastore

extension SQLiteEngine {
    /// Checks `conditions` and applies `operations` under the write lock.
    /// Returns the result and whether the revision moved (so watchers should wake).
    func transaction(_ conditions: [Condition], _ operations: [Operation]) throws(DatastoreError)
        -> TransactionResult
    {
        try OperationCheck.requireDistinctKeys(operations)
        return try writing { () throws(DatastoreError) in
            let current = try meta()
            for condition in conditions {
                guard try holds(condition) else {
                    return TransactionResult(succeeded: false, revision: current.revision)
                }
            }
            var change = PendingRevision(current)
            for operation in operations {
                switch operation {
                case .put(let key, let value, let lease):
                    try put(key, value: value, lease: lease, into: &change)
                case .delete(let key):
                    try delete(key, into: &change)
                case .deletePrefix(let prefix):
                    try deletePrefix(prefix, into: &change)
                }
            }
            return TransactionResult(succeeded: true, revision: try finish(change))
        }
    }

    /// Whether one condition holds now.
    private func holds(_ condition: Condition) throws(DatastoreError) -> Bool {
        switch condition {
        case .modRevision(let key, let expected):
            return (try get(key)?.modRevision ?? 0) == expected
        case .exists(let key):
            return try get(key) != nil
        case .prefixUnchanged(let prefix, let since):
            let range = KeyRange(prefix: prefix)
            let statement = try connection.prepare(
                "SELECT EXISTS(SELECT 1 FROM kv WHERE " + range.sql(column: "key", firstParameter: 2)
                    + " AND mod_revision > ?1)")
            statement.bind(1, since)
            range.bind(statement, firstParameter: 2)
            _ = try statement.step()
            return statement.int(0) == 0
        }
    }

    private func put(_ key: String, value: [UInt8], lease: LeaseID?, into change: inout PendingRevision)
        throws(DatastoreError)
    {
        if let lease, try !leaseIsLive(lease) {
            throw DatastoreError(
                .leaseNotFound, key: key,
                "cannot attach \(key) to \(lease): it has expired or was revoked; grant a new lease")
        }
        let old = try get(key)
        let revision = change.revision
        let row = KeyValue(
            key: key, value: value, createRevision: old?.createRevision ?? revision, modRevision: revision,
            version: (old?.version ?? 0) + 1, lease: lease)
        let statement = try connection.prepare(
            "INSERT OR REPLACE INTO kv(key, value, create_revision, mod_revision, version, lease) "
                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        statement.bind(1, key)
        statement.bind(2, value)
        statement.bind(3, row.createRevision)
        statement.bind(4, revision)
        statement.bind(5, row.version)
        statement.bind(6, lease?.rawValue)
        try statement.run()
        try record(.put, row, into: &change)
    }

    private func delete(_ key: String, into change: inout PendingRevision) throws(DatastoreError) {
        let statement = try connection.prepare("DELETE FROM kv WHERE key = ?1")
        statement.bind(1, key)
        try statement.run()
        if connection.changes > 0 { try recordDeletion(key, into: &change) }
    }

    private func deletePrefix(_ prefix: String, into change: inout PendingRevision) throws(DatastoreError) {
        let range = KeyRange(prefix: prefix)
        let condition = range.sql(column: "key", firstParameter: 1)
        try deleteKeys(where: condition, bind: { range.bind($0, firstParameter: 1) }, into: &change)
    }

    /// Deletes the rows `condition` selects, with one delete event per key in key order.
    func deleteKeys(where condition: String, bind: (SQLiteStatement) -> Void, into change: inout PendingRevision)
        throws(DatastoreError)
    {
        let select = try connection.prepare("SELECT key FROM kv WHERE \(condition) ORDER BY key")
        bind(select)
        var keys: [String] = []
        while try select.step() { keys.append(select.text(0)) }
        guard !keys.isEmpty else { return }
        let remove = try connection.prepare("DELETE FROM kv WHERE \(condition)")
        bind(remove)
        try remove.run()
        for key in keys { try recordDeletion(key, into: &change) }
    }

    private func recordDeletion(_ key: String, into change: inout PendingRevision) throws(DatastoreError) {
        let tombstone = KeyValue(key: key, value: [], createRevision: 0, modRevision: change.revision, version: 0)
        try record(.delete, tombstone, into: &change)
    }

    /// Appends an event at the pending revision, after the ones before it.
    private func record(_ kind: WatchEvent.Kind, _ row: KeyValue, into change: inout PendingRevision)
        throws(DatastoreError)
    {
        let statement = try connection.prepare(
            "INSERT INTO events(revision, sub, key, kind, value, create_revision, version, lease) "
                + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        statement.bind(1, change.revision)
        statement.bind(2, change.events)
        statement.bind(3, row.key)
        statement.bind(4, kind == .put ? Int64(0) : 1)
        statement.bind(5, row.value)
        statement.bind(6, row.createRevision)
        statement.bind(7, row.version)
        statement.bind(8, row.lease?.rawValue)
        try statement.run()
        change.events += 1
    }

    /// Advances the revision if anything changed, compacts old history when
    /// it has grown past the retained window, and returns the revision now.
    func finish(_ change: PendingRevision) throws(DatastoreError) -> Revision {
        guard change.events > 0 else { return change.base.revision }
        let statement = try connection.prepare("UPDATE meta SET revision = ?1 WHERE id = 1")
        statement.bind(1, change.revision)
        try statement.run()
        // Compact in steps of a tenth of the window, not on every write, so
        // the DELETE stays rare and large.
        let step = max(1, min(1000, retainedRevisions / 10))
        let keepFrom = change.revision - retainedRevisions + 1
        if retainedRevisions > 0, keepFrom - change.base.compactRevision >= step {
            try compactEvents(before: keepFrom)
        }
        return change.revision
    }

    /// Deletes events before `revision` and records it as the oldest available.
    func compactEvents(before revision: Revision) throws(DatastoreError) {
        let remove = try connection.prepare("DELETE FROM events WHERE revision < ?1")
        remove.bind(1, revision)
        try remove.run()
        let update = try connection.prepare("UPDATE meta SET compact_revision = ?1 WHERE id = 1")
        update.bind(1, revision)
        try update.run()
    }
}

/// The revision a write transaction will create if it changes anything.
struct PendingRevision {
    /// The counters before the transaction.
    let base: SQLiteEngine.Meta
    /// Events recorded so far; each one's `sub` is its index.
    var events: Int64 = 0

    init(_ base: SQLiteEngine.Meta) { self.base = base }

    /// The revision every change in this transaction carries.
    var revision: Revision { base.revision + 1 }
}
