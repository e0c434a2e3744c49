public import WGMeshResources

/// A resource as the store holds it, with the revisions of its key.
///
/// The generic parameter is only `Sendable` so that a list of any kind
/// (`Stored<AnyResource>`) uses the same type as a typed one.
public struct Stored<R: Sendable>: Sendable {
    /// The decoded record; `metadata.resourceVersion` is `modRevision` as text.
    public var resource: R
    /// The revision that created the key.
    public var createRevision: Revision
    /// The revision of the key's last change: the compare-and-swap guard.
    public var modRevision: Revision

    /// Creates a stored record.
    public init(resource: R, createRevision: Revision, modRevision: Revision) {
        self.resource = resource
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

extension Stored: Equatable where R: Equatable {}
extension Stored: Hashable where R: Hashable {}

/// The records of one kind and the records that were skipped as bad.
public struct ResourceList<R: Sendable>: Sendable {
    /// The good records, sorted by name (then namespace, then node).
    public var items: [Stored<R>]
    /// Records that failed decoding, validation or the key/content match.
    public var rejected: [RejectedRecord]
    /// The store's revision when the list was read: watch from `revision + 1`.
    public var revision: Revision

    /// Creates a list.
    public init(items: [Stored<R>], rejected: [RejectedRecord], revision: Revision) {
        self.items = items
        self.rejected = rejected
        self.revision = revision
    }
}

/// A record found on read that the store refused to return, and why.
///
/// Someone wrote it around the CLI (a node's own credentials, a raw client):
/// it is skipped and reported so that it cannot disturb the records around it.
public struct RejectedRecord: Error, Hashable, Sendable, CustomStringConvertible {
    /// The full key of the record.
    public var key: String
    /// The record's mod revision (the write that made it bad).
    public var modRevision: Revision
    /// What is wrong with it, for the operator.
    public var reason: String

    /// Creates a report.
    public init(key: String, modRevision: Revision, reason: String) {
        self.key = key
        self.modRevision = modRevision
        self.reason = reason
    }

    public var description: String { "\(key) (revision \(modRevision)): \(reason)" }
}

/// What `apply` did with one resource.
public enum ApplyOutcome: Hashable, Sendable, CustomStringConvertible {
    /// The resource did not exist and was written.
    case created(kind: String, name: String)
    /// The resource existed with other content and was overwritten.
    case configured(kind: String, name: String)
    /// The resource existed with the same spec and labels; nothing was written.
    case unchanged(kind: String, name: String)

    public var description: String {
        switch self {
        case let .created(kind, name): "\(kind.lowercased())/\(name) created"
        case let .configured(kind, name): "\(kind.lowercased())/\(name) configured"
        case let .unchanged(kind, name): "\(kind.lowercased())/\(name) unchanged"
        }
    }
}

/// Changes of one kind delivered together by a watch.
public struct ResourceWatchBatch<R: Resource>: Sendable {
    /// Upserts and deletions in revision order.
    public var events: [ResourceWatchEvent<R>]
    /// Records in this batch that were skipped as bad.
    public var rejected: [RejectedRecord]
    /// The revision this batch brings the watcher up to; resume at `revision + 1`.
    public var revision: Revision

    /// Creates a batch.
    public init(events: [ResourceWatchEvent<R>], rejected: [RejectedRecord], revision: Revision) {
        self.events = events
        self.rejected = rejected
        self.revision = revision
    }
}

/// One change of a typed watch.
public enum ResourceWatchEvent<R: Resource>: Sendable {
    /// The record was created or changed.
    case upsert(Stored<R>)
    /// The record was deleted, or overwritten with a record that is rejected
    /// (so a watcher's view always equals what a fresh list returns).
    case deleted(name: String, namespace: String?, revision: Revision)
}
