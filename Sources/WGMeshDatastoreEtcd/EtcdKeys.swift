internal import WGMeshDatastore

/// Key ranges as etcd spells them: a prefix is the range from the prefix to
/// its successor.
enum EtcdKeys {
    /// The smallest key greater than every key that starts with `prefix`;
    /// [0] (etcd's "to the end") when there is none, as for "" or all 0xff.
    static func rangeEnd(ofPrefix prefix: [UInt8]) -> [UInt8] {
        KeyPrefix.successor(of: prefix) ?? [0]
    }

    /// The start of the range for `prefix`: etcd reads an empty key as "no
    /// key", so the whole keyspace starts at [0].
    static func rangeStart(ofPrefix prefix: [UInt8]) -> [UInt8] {
        prefix.isEmpty ? [0] : prefix
    }

    /// The key right after `key`, for the next page of a list.
    static func after(_ key: [UInt8]) -> [UInt8] { key + [0] }
}
