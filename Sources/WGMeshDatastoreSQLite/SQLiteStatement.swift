import CSQLite
import WGMeshDatastore

/// A compiled statement; finalized in `deinit`. Binds are 1-based and columns
/// 0-based, as in SQLite.
final class SQLiteStatement {
    private let statement: OpaquePointer
    // Keeps the connection open while the statement lives.
    private let connection: SQLiteConnection

    init(_ statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds an integer.
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
    }

    /// Binds an optional integer; nil is SQL NULL.
    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    /// Binds text from raw bytes, which need not be valid UTF-8: a prefix's
    /// successor may end in a byte that starts no character, and SQLite
    /// compares text bytewise anyway.
    func bindText(_ index: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            // A zero-length text needs a non-null pointer, or SQLite binds NULL.
            let pointer = buffer.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(bitPattern: 1)!
            _ = sqlite3_bind_text(
                statement, index, pointer.assumingMemoryBound(to: CChar.self), Int32(buffer.count),
                csqlite_transient())
        }
    }

    /// Binds a string as text.
    func bind(_ index: Int32, _ value: String) {
        bindText(index, Array(value.utf8))
    }

    /// Binds bytes as a blob; an empty array is an empty blob, not NULL.
    func bind(_ index: Int32, _ value: [UInt8]) {
        if value.isEmpty {
            sqlite3_bind_zeroblob(statement, index, 0)
            return
        }
        value.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(statement, index, buffer.baseAddress, Int32(buffer.count), csqlite_transient())
        }
    }

    /// Advances to the next row; false when done.
    func step() throws(DatastoreError) -> Bool {
        let rc = sqlite3_step(statement)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.lastError(rc)
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(DatastoreError) {
        while try step() {}
    }

    /// Clears the bindings' results so the statement can run again.
    func reset() {
        sqlite3_reset(statement)
    }

    /// An integer column.
    func int(_ column: Int32) -> Int64 {
        sqlite3_column_int64(statement, column)
    }

    /// Whether a column is SQL NULL.
    func isNull(_ column: Int32) -> Bool {
        sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    /// A text column, decoded as UTF-8 (invalid bytes become U+FFFD).
    func text(_ column: Int32) -> String {
        // Text first, then its length, as SQLite's documentation orders them.
        guard let pointer = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// A blob column; empty for NULL or a zero-length blob.
    func blob(_ column: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(statement, column) else { return [] }
        let count = Int(sqlite3_column_bytes(statement, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
