import WGMeshDatastore

/// The tables, and the `PRAGMA user_version` that says which layout a file has.
enum SQLiteSchema {
    /// The layout this code writes and understands.
    static let version: Int64 = 1

    // Keys are TEXT compared bytewise (SQLite's BINARY collation), so ranges
    // and ORDER BY match etcd's byte order. `events` is keyed by revision and
    // the order within it; watches scan it by revision range. A new store is
    // at revision 1, as a new etcd cluster is, so both backends count alike.
    private static let createSQL = """
        CREATE TABLE kv(
            key TEXT PRIMARY KEY NOT NULL,
            value BLOB NOT NULL,
            create_revision INTEGER NOT NULL,
            mod_revision INTEGER NOT NULL,
            version INTEGER NOT NULL,
            lease INTEGER
        ) WITHOUT ROWID;
        CREATE INDEX kv_lease ON kv(lease) WHERE lease IS NOT NULL;
        CREATE TABLE events(
            revision INTEGER NOT NULL,
            sub INTEGER NOT NULL,
            key TEXT NOT NULL,
            kind INTEGER NOT NULL,
            value BLOB NOT NULL,
            create_revision INTEGER NOT NULL,
            version INTEGER NOT NULL,
            lease INTEGER,
            PRIMARY KEY(revision, sub)
        ) WITHOUT ROWID;
        CREATE TABLE meta(
            id INTEGER PRIMARY KEY CHECK (id = 1),
            revision INTEGER NOT NULL,
            compact_revision INTEGER NOT NULL
        );
        INSERT INTO meta(id, revision, compact_revision) VALUES (1, 1, 0);
        CREATE TABLE leases(
            id INTEGER PRIMARY KEY NOT NULL,
            ttl INTEGER NOT NULL,
            expires_at_ms INTEGER NOT NULL
        );
        CREATE INDEX leases_expiry ON leases(expires_at_ms);
        """

    /// Creates the tables in an empty file, or checks that an existing one is
    /// ours and not from a newer wgmesh. Safe when processes race to do it:
    /// the write lock serialises them and the loser sees the winner's tables.
    static func prepare(_ connection: SQLiteConnection) throws(DatastoreError) {
        try connection.execute("BEGIN IMMEDIATE")
        do throws(DatastoreError) {
            let found = try connection.scalarInt("PRAGMA user_version")
            if found == 0 {
                try checkEmpty(connection)
                try connection.execute(createSQL)
                try connection.execute("PRAGMA user_version = \(version)")
            } else if found > version {
                throw DatastoreError(
                    .invalidConfiguration,
                    "schema version \(found) of \(connection.path) is newer than this wgmesh understands "
                        + "(it knows version \(version)): upgrade wgmesh")
            } else if found < 1 {
                throw notOurs(connection, "its user_version is \(found)")
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// A file with tables but no version belongs to someone else: never add
    /// ours beside theirs.
    private static func checkEmpty(_ connection: SQLiteConnection) throws(DatastoreError) {
        let statement = try connection.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1")
        if try statement.step() {
            throw notOurs(connection, "it holds a table named '\(statement.text(0))'")
        }
    }

    private static func notOurs(_ connection: SQLiteConnection, _ why: String) -> DatastoreError {
        DatastoreError(
            .invalidConfiguration,
            "not a wgmesh datastore: \(connection.path) is an SQLite database of another program (\(why)); "
                + "point the datastore URL at another file")
    }
}
