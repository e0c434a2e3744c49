import WGMeshDatastore

/// The datastore's operations over one connection, run synchronously by the
/// queue or thread that confines it.
///
/// `@unchecked Sendable` for the same reason as ``SQLiteConnection``: it is
/// handed to one queue or thread and used only there.
final class SQLiteEngine: @unchecked Sendable {
    /// The connection every call uses.
    let connection: SQLiteConnection
    /// Auto-compaction keeps at least this many revisions.
    let retainedRevisions: Int64

    /// The store-wide counters in the `meta` row.
    struct Meta: Equatable {
        /// The revision of the last change.
        var revision: Revision
        /// Events before this revision are gone.
        var compactRevision: Revision
    }

    init(connection: SQLiteConnection, retainedRevisions: Int64) {
        self.connection = connection
        self.retainedRevisions = retainedRevisions
    }

    /// Reads the counters.
    func meta() throws(DatastoreError) -> Meta {
        let statement = try connection.prepare("SELECT revision, compact_revision FROM meta WHERE id = 1")
        guard try statement.step() else {
            throw DatastoreError(.malformedReply, "database \(connection.path) has lost its meta row: restore it from a backup")
        }
        return Meta(revision: statement.int(0), compactRevision: statement.int(1))
    }

    /// One key, or nil.
    func get(_ key: String) throws(DatastoreError) -> KeyValue? {
        let statement = try connection.prepare(
            "SELECT key, value, create_revision, mod_revision, version, lease FROM kv WHERE key = ?1")
        statement.bind(1, key)
        return try statement.step() ? Self.keyValue(statement) : nil
    }

    /// The keys under `prefix` and the revision, read in one snapshot.
    func list(prefix: String) throws(DatastoreError) -> ListResult {
        try reading { () throws(DatastoreError) in
            let range = KeyRange(prefix: prefix)
            let statement = try connection.prepare(
                "SELECT key, value, create_revision, mod_revision, version, lease FROM kv WHERE "
                    + range.sql(column: "key", firstParameter: 1) + " ORDER BY key")
            range.bind(statement, firstParameter: 1)
            var items: [KeyValue] = []
            while try statement.step() { items.append(Self.keyValue(statement)) }
            return ListResult(items: items, revision: try meta().revision)
        }
    }

    /// Runs `body` in a read transaction, so every read sees one snapshot.
    func reading<T>(_ body: () throws(DatastoreError) -> T) throws(DatastoreError) -> T {
        try connection.execute("BEGIN DEFERRED")
        do throws(DatastoreError) {
            let result = try body()
            try connection.execute("COMMIT")
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` holding the file's write lock (`BEGIN IMMEDIATE`, waiting
    /// up to the busy timeout); commits if it returns, rolls back if it throws.
    func writing<T>(_ body: () throws(DatastoreError) -> T) throws(DatastoreError) -> T {
        try connection.execute("BEGIN IMMEDIATE")
        do throws(DatastoreError) {
            let result = try body()
            try connection.execute("COMMIT")
            connection.announceCommit()
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// A `kv` row from columns key, value, create_revision, mod_revision, version, lease.
    static func keyValue(_ statement: SQLiteStatement) -> KeyValue {
        KeyValue(
            key: statement.text(0), value: statement.blob(1), createRevision: statement.int(2),
            modRevision: statement.int(3), version: statement.int(4),
            lease: statement.isNull(5) ? nil : LeaseID(rawValue: statement.int(5)))
    }
}
