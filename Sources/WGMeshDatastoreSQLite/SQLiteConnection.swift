import CSQLite
import Glibc
import WGMeshDatastore

/// One open `sqlite3*`, used by one queue or thread at a time; closed in
/// `deinit` or by ``close()``.
///
/// Marked `@unchecked Sendable` because it is handed to the queue or thread
/// that confines it; it is never used from two places at once.
final class SQLiteConnection: @unchecked Sendable {
    /// The database file, for error messages.
    let path: String
    /// For the "locked for more than N s" message.
    let busyTimeout: Double
    private var handle: OpaquePointer?

    /// Opens `path` (which must exist) read-write and sets the pragmas every
    /// connection needs: WAL, `synchronous=FULL`, the busy timeout, no
    /// foreign keys.
    init(path: String, busyTimeout: Double) throws(DatastoreError) {
        self.path = path
        self.busyTimeout = busyTimeout
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        guard rc == SQLITE_OK else {
            let detail = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            throw SQLiteFailure.error(rc, path: path, busyTimeout: busyTimeout, detail: detail)
        }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Int32(min(busyTimeout * 1000, Double(Int32.max))))
        // journal_mode answers with a row; a file that is not a database
        // fails here first, with SQLITE_NOTADB.
        let mode = try switchToWAL()
        guard mode?.lowercased() == "wal" else {
            throw DatastoreError(
                .unavailable,
                "database \(path) cannot use write-ahead logging (journal mode is \(mode ?? "unknown")); "
                    + "keep it on a local file system")
        }
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=OFF")
    }

    deinit { close() }

    /// `PRAGMA journal_mode=WAL`, tried again while another process holds
    /// the lock, up to the busy timeout. Processes that open a new file at
    /// the same moment all want its exclusive lock to switch it to WAL, and
    /// SQLite answers SQLITE_BUSY at once there (waiting could deadlock), so
    /// the busy timeout alone does not cover this step.
    private func switchToWAL() throws(DatastoreError) -> String? {
        var waited = 0.0
        while true {
            do {
                return try scalarText("PRAGMA journal_mode=WAL")
            } catch {
                let code = handle.map { sqlite3_errcode($0) & 0xff } ?? SQLITE_OK
                guard code == SQLITE_BUSY || code == SQLITE_LOCKED, waited < busyTimeout else { throw error }
                usleep(20_000)
                waited += 0.02
            }
        }
    }

    /// Closes the handle now; later calls fail.
    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs SQL that returns no rows (several statements allowed).
    func execute(_ sql: String) throws(DatastoreError) {
        let db = try open()
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let detail = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(message)
            throw failure(rc, detail)
        }
    }

    /// Compiles one statement.
    func prepare(_ sql: String) throws(DatastoreError) -> SQLiteStatement {
        let db = try open()
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw lastError(rc) }
        return SQLiteStatement(statement, connection: self)
    }

    /// Touches the WAL file's times so that other processes' inotify wakes
    /// them now. Their wake-up on the WAL's data writes can come too early:
    /// SQLite writes the frames, syncs, and only then publishes the commit in
    /// the shared-memory index, which inotify cannot see.
    func announceCommit() {
        _ = utimensat(AT_FDCWD, path + "-wal", nil, 0)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    /// The error for `rc`, with SQLite's message for this connection.
    func lastError(_ rc: Int32) -> DatastoreError {
        failure(rc, handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")
    }

    private func failure(_ rc: Int32, _ detail: String) -> DatastoreError {
        SQLiteFailure.error(rc, path: path, busyTimeout: busyTimeout, detail: detail)
    }

    private func open() throws(DatastoreError) -> OpaquePointer {
        guard let handle else { throw DatastoreError(.closed, "the datastore \(path) is closed") }
        return handle
    }

    /// The first column of the first row, as text.
    func scalarText(_ sql: String) throws(DatastoreError) -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.text(0)
    }

    /// The first column of the first row, as an integer (0 when no row).
    func scalarInt(_ sql: String) throws(DatastoreError) -> Int64 {
        let statement = try prepare(sql)
        guard try statement.step() else { return 0 }
        return statement.int(0)
    }
}
