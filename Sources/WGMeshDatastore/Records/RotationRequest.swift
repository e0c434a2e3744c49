internal import WGMeshResources

/// A request, written by an administrator, that node `node` rotate its key.
///
/// Stored at `<root>/rotaterequests/<node>` as `{"requestedAt": <unix
/// seconds>, "by": "<who>"}`; the node's daemon follows that key, rotates
/// and deletes it. With etcd RBAC the admin role writes it and each node
/// role may read and delete its own.
public struct RotationRequest: Sendable, Equatable {
    /// When it was written, seconds since the Unix epoch.
    public var requestedAt: Int64
    /// Who asked (user and host), for the node's log.
    public var by: String

    /// Creates a request.
    public init(requestedAt: Int64, by: String) {
        self.requestedAt = requestedAt
        self.by = by
    }

    /// The key of `node`'s request under `store`'s root.
    public static func key(node: String, in store: ResourceStore) -> String {
        NodeRecord.rotationRequest.key(node: node, root: store.root)
    }

    /// The record's bytes.
    public var encoded: [UInt8] {
        Array(JSONWriter.string(.object(DocumentObject([
            ("requestedAt", .integer(requestedAt)), ("by", .string(by)),
        ]))).utf8)
    }

    /// Reads a record; a value that is not one still counts as a request
    /// (from "unknown"), since the only thing it can ask for is a rotation.
    public init(decoding bytes: [UInt8]) {
        let value = try? JSONParser.parse(bytes, limits: JSONParser.Limits(maxDepth: 4, maxBytes: 4096))
        if case .integer(let time)? = value?["requestedAt"] { requestedAt = time } else { requestedAt = 0 }
        if case .string(let who)? = value?["by"] { by = who } else { by = "unknown" }
    }
}
