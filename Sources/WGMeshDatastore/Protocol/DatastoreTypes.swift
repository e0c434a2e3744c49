/// A store-wide revision: etcd's cluster revision, or the SQLite file's counter.
public typealias Revision = Int64

/// A lease's identifier, as the store assigned it.
public struct LeaseID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The store's number for the lease; never 0 (etcd's "no lease").
    public var rawValue: Int64
    /// Wraps a store's number.
    public init(rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { "lease \(rawValue)" }
}

/// One key as the store holds it.
public struct KeyValue: Hashable, Sendable {
    /// The full key, prefix included.
    public var key: String
    /// The stored bytes (a resource's JSON, for the typed layer).
    public var value: [UInt8]
    /// The revision that created the key.
    public var createRevision: Revision
    /// The revision of the key's last change.
    public var modRevision: Revision
    /// Changes since creation: 1 after the create.
    public var version: Int64
    /// The lease the key is attached to, if any.
    public var lease: LeaseID?

    /// Creates a value as a backend read it.
    public init(key: String, value: [UInt8], createRevision: Revision, modRevision: Revision, version: Int64,
                lease: LeaseID? = nil)
    {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
        self.version = version
        self.lease = lease
    }
}

/// The keys under a prefix and the revision they were read at.
public struct ListResult: Sendable {
    /// The keys, sorted by key.
    public var items: [KeyValue]
    /// The store's revision when the list was read: watch from `revision + 1`.
    public var revision: Revision

    /// Creates a result.
    public init(items: [KeyValue], revision: Revision) {
        self.items = items
        self.revision = revision
    }
}

/// A condition of a transaction.
public enum Condition: Hashable, Sendable {
    /// The key's mod revision equals the given one; 0 means "does not exist".
    case modRevision(String, equals: Revision)
    /// The key exists.
    case exists(String)
    /// No key under the prefix was created or changed after the revision.
    /// Deletions do not count. This is how a node claims a block under its
    /// own key (so etcd's per-node permissions can allow it) and still
    /// compares-and-swaps against every other node's claims.
    case prefixUnchanged(String, since: Revision)
}

/// A change inside a transaction.
public enum Operation: Hashable, Sendable {
    /// Writes the key, attached to a lease or to none.
    case put(String, value: [UInt8], lease: LeaseID?)
    /// Deletes the key if it exists.
    case delete(String)
    /// Deletes every key under the prefix.
    case deletePrefix(String)
}

/// Whether a transaction's conditions held, and the revision after it.
public struct TransactionResult: Hashable, Sendable {
    /// True when the conditions held and the operations were applied.
    public var succeeded: Bool
    /// The store's revision after the transaction (unchanged if it failed or
    /// changed nothing).
    public var revision: Revision

    /// Creates a result.
    public init(succeeded: Bool, revision: Revision) {
        self.succeeded = succeeded
        self.revision = revision
    }
}

/// One change seen by a watch.
public struct WatchEvent: Hashable, Sendable {
    /// A write or a deletion.
    public enum Kind: Hashable, Sendable {
        /// The key was created or changed.
        case put
        /// The key was deleted (by a request, a prefix delete or a lease).
        case delete
    }

    /// What happened.
    public var kind: Kind
    /// The key after a put. After a delete: the key, empty value, version 0,
    /// and `modRevision` set to the revision of the deletion.
    public var keyValue: KeyValue

    /// Creates an event.
    public init(kind: Kind, keyValue: KeyValue) {
        self.kind = kind
        self.keyValue = keyValue
    }
}

/// Events delivered together, all of whose revisions are at most `revision`.
public struct WatchBatch: Sendable {
    /// Events in revision order (and, within a revision, in the order the
    /// transaction applied them).
    public var events: [WatchEvent]
    /// The store's revision this batch brings the watcher up to; a resumed
    /// watch starts at `revision + 1`. A batch may have no events (progress).
    public var revision: Revision

    /// Creates a batch.
    public init(events: [WatchEvent], revision: Revision) {
        self.events = events
        self.revision = revision
    }
}
