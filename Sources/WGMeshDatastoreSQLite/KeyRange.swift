internal import WGMeshDatastore

/// The keys under a prefix as a half-open byte range, `lower <= key < upper`,
/// so SQLite can use the primary-key index (a LIKE could not, and would treat
/// `%` and `_` in keys as wildcards).
struct KeyRange {
    /// The prefix's bytes.
    var lower: [UInt8]
    /// The first byte string after every key with the prefix, or nil when
    /// there is none (an empty prefix, or one made only of 0xFF bytes).
    var upper: [UInt8]?

    /// The range of keys that start with `prefix`.
    init(prefix: String) {
        lower = Array(prefix.utf8)
        upper = KeyPrefix.successor(of: lower)
    }

    /// `key >= ?n AND key < ?n+1` (or only the lower bound), for a column.
    func sql(column: String, firstParameter: Int32) -> String {
        let lowerSQL = "\(column) >= ?\(firstParameter)"
        return upper == nil ? lowerSQL : "\(lowerSQL) AND \(column) < ?\(firstParameter + 1)"
    }

    /// Binds the bounds at the parameters ``sql(column:firstParameter:)`` named.
    func bind(_ statement: SQLiteStatement, firstParameter: Int32) {
        statement.bindText(firstParameter, lower)
        if let upper { statement.bindText(firstParameter + 1, upper) }
    }
}
