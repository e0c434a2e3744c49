import CSQLite
import WGMeshDatastore

/// Turns SQLite result codes into ``DatastoreError``s an operator can act on.
enum SQLiteFailure {
    /// The error for a failed call on the database at `path`; `detail` is
    /// SQLite's own message.
    static func error(_ code: Int32, path: String, busyTimeout: Double, detail: String) -> DatastoreError {
        switch code & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return DatastoreError(
                .unavailable,
                "database \(path) is locked by another process for more than \(seconds(busyTimeout)) s: \(detail) "
                    + "(find the process holding it, or raise the busy timeout)")
        case SQLITE_NOTADB:
            return DatastoreError(
                .invalidConfiguration,
                "not a wgmesh datastore: \(path) is not an SQLite database (\(detail)); point the datastore URL at "
                    + "another file or move this one away")
        case SQLITE_CORRUPT:
            return DatastoreError(
                .unavailable,
                "database \(path) is corrupt: \(detail); restore it from a backup or move it away and start again")
        case SQLITE_FULL:
            return DatastoreError(.unavailable, "database \(path): the disk is full (\(detail)); free some space")
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN, SQLITE_AUTH:
            return DatastoreError(
                .unavailable,
                "cannot open database \(path) for writing: \(detail); check the file's and directory's owner and mode")
        case SQLITE_IOERR:
            return DatastoreError(.unavailable, "database \(path): I/O error (\(detail)); check the disk")
        default:
            return DatastoreError(.unavailable, "database \(path): \(detail) (SQLite error \(code))")
        }
    }

    /// `5.0` as "5", `0.5` as "0.5".
    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
