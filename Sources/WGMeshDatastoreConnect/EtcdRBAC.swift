public import Logging
public import WGMeshDatastore
internal import WGMeshDatastoreEtcd

/// etcd users and roles that give each node write access to its own records
/// only, and the CLI access to everything.
///
/// Node N (user `node-N`, or a client certificate with CN `node-N`) gets role
/// `wgmesh-node-N`: read on the whole `/wgmesh/v1/` prefix, and readwrite on
/// exactly its own records (``NodeRecord/all``: the key layout the typed store
/// uses). Role `wgmesh-admin` has readwrite on all of `/wgmesh/`.
public enum EtcdRBAC {
    /// The role for people and tools that manage the whole mesh.
    public static let adminRole = "wgmesh-admin"
    /// etcd's superuser, which must exist (with role root) before auth can be enabled.
    public static let rootUser = "root"
    /// Every wgmesh key starts with this.
    public static let wgmeshPrefix = "/wgmesh/"
    /// The version-1 key space the roles are written for.
    public static let keyRoot = "/wgmesh/v1/"

    /// What a grant allows.
    public enum Access: String, Hashable, Sendable {
        /// Read and watch.
        case read
        /// Read, write and delete.
        case readWrite = "readwrite"
    }

    /// One permission of a role: a key or every key under a prefix.
    public struct Grant: Hashable, Sendable, CustomStringConvertible {
        /// The key, or the prefix when `isPrefix`.
        public var key: String
        /// True when `key` is a prefix.
        public var isPrefix: Bool
        /// What the role may do there.
        public var access: Access

        /// Creates a grant.
        public init(key: String, isPrefix: Bool, access: Access) {
            self.key = key
            self.isPrefix = isPrefix
            self.access = access
        }

        /// `readwrite /wgmesh/v1/nodes/a` or `read /wgmesh/v1/*`.
        public var description: String { "\(access.rawValue) \(key)\(isPrefix ? "*" : "")" }
    }

    /// The user name of node `node`; also the CN its client certificate needs.
    public static func nodeUser(_ node: String) -> String { "node-" + node }

    /// The role of node `node`.
    public static func nodeRole(_ node: String) -> String { "wgmesh-node-" + node }

    /// The admin role's permissions.
    public static let adminGrants = [Grant(key: wgmeshPrefix, isPrefix: true, access: .readWrite)]

    /// Node `node`'s permissions; `node` must be a valid node name: read on everything, readwrite
    /// on each of its own records (``NodeRecord/all``).
    ///
    /// etcd has no delete-only permission, so the node may also write its own rotation request:
    /// that can only make the node itself rotate.
    public static func nodeGrants(_ node: String) -> [Grant] {
        [Grant(key: keyRoot, isPrefix: true, access: .read)]
            + NodeRecord.all.map { Grant(key: $0.key(node: node, root: keyRoot), isPrefix: $0.isPrefix, access: .readWrite) }
    }

    /// Checks a node name before it becomes part of a key range: a '/' or a
    /// '*' would widen what the node may write.
    public static func checkNodeName(_ node: String) throws(DatastoreError) {
        let allowed = node.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."): true
            default: false
            }
        }
        guard allowed, !node.isEmpty, node.utf8.count <= 253, node.first != "-", node.first != ".",
              node.last != "-", node.last != "."
        else {
            throw DatastoreError(
                .invalidConfiguration,
                "'\(node)' is not a node name: use lower-case letters, digits, '-' and '.', starting and ending "
                    + "with a letter or digit, as in the Node's metadata.name")
        }
    }
}
