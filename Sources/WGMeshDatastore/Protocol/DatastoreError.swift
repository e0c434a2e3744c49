/// A datastore request that failed, from either backend.
///
/// The reason is a sentence for the operator: what happened and what to do.
public struct DatastoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable name for tests and logs.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable name.
        public let name: String
        /// Creates a code.
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The key or resource does not exist.
        public static let notFound = Code("not found")
        /// A create found the key already there.
        public static let alreadyExists = Code("already exists")
        /// A compare-and-swap lost: the record changed since it was read.
        public static let conflict = Code("conflict")
        /// A watch asked for history that compaction removed; `revision` is
        /// the oldest revision still available.
        public static let compacted = Code("compacted")
        /// The lease expired or was revoked.
        public static let leaseNotFound = Code("lease not found")
        /// No endpoint answered (etcd), or the file could not be opened.
        public static let unavailable = Code("unavailable")
        /// The credentials may not do this (etcd RBAC).
        public static let permissionDenied = Code("permission denied")
        /// The user name, password or certificate was refused.
        public static let authenticationFailed = Code("authentication failed")
        /// A datastore URL or option that cannot be used.
        public static let invalidConfiguration = Code("invalid configuration")
        /// A record or request that breaks the rules (validation).
        public static let invalidRecord = Code("invalid record")
        /// The store replied with something it should not have.
        public static let malformedReply = Code("malformed reply")
        /// The store was closed.
        public static let closed = Code("closed")
        /// A request did not finish in time.
        public static let timeout = Code("timeout")
    }

    /// What went wrong.
    public var code: Code
    /// The key concerned, when there is one.
    public var key: String?
    /// For `compacted`: the oldest revision still available.
    public var revision: Revision?
    /// A sentence for the operator.
    public var reason: String

    /// Creates an error.
    public init(_ code: Code, key: String? = nil, revision: Revision? = nil, _ reason: String) {
        self.code = code
        self.key = key
        self.revision = revision
        self.reason = reason
    }

    public var description: String { reason }
}
