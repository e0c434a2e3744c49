import WGMeshDatastore

/// The rule etcd applies to a transaction before anything else: no key is
/// put twice, and no key that is put is also deleted (singly or by a
/// prefix). The SQLite store refuses the same requests so that code written
/// against it works against etcd.
enum OperationCheck {
    /// Throws ``DatastoreError/Code-swift.struct/invalidRecord`` naming the first key written twice.
    static func requireDistinctKeys(_ operations: [Operation]) throws(DatastoreError) {
        var puts: Set<String> = []
        var deletes: Set<String> = []
        var prefixes: [String] = []
        for operation in operations {
            switch operation {
            case .put(let key, _, _):
                guard puts.insert(key).inserted else { throw writtenTwice(key) }
            case .delete(let key):
                deletes.insert(key)
            case .deletePrefix(let prefix):
                prefixes.append(prefix)
            }
        }
        for key in puts.sorted()
        where deletes.contains(key) || prefixes.contains(where: { key.utf8.starts(with: $0.utf8) }) {
            throw writtenTwice(key)
        }
    }

    private static func writtenTwice(_ key: String) -> DatastoreError {
        DatastoreError(
            .invalidRecord, key: key,
            "a transaction writes \(key) more than once (etcd refuses this): put or delete each key once per transaction")
    }
}
