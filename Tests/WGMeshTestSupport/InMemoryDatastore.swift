public import WGMeshDatastore
import Synchronization

/// A `Datastore` held in memory that follows every rule of the protocol,
/// for fast unit tests and as a third backend of the conformance suite.
///
/// It behaves as etcd does: the store starts at revision 1, a transaction
/// that changes something advances the revision by exactly one, watches
/// replay history from their start revision (0 or less means "from now"),
/// and `compact(before:)` makes older start revisions fail with
/// `compacted`. Leases run on a manual clock: ``advanceClock(seconds:)``
/// expires them, deleting their keys with delete events.
///
/// Thread-safe: all state sits behind one lock, and watch batches are
/// handed to their streams while it is held, so every watch sees the
/// revisions in order.
public final class InMemoryDatastore: Datastore {
    let state = Mutex(InMemoryState())

    /// Creates an empty store at revision 1, with its clock at 0.
    public init() {}

    /// The store's current revision.
    public var currentRevision: Revision { state.withLock { $0.revision } }

    /// The number of open watches (to check that cancelled watches are let go).
    public var openWatchCount: Int { state.withLock { $0.watchers.count } }

    public func get(_ key: String) async throws -> KeyValue? {
        try state.withLock { state in
            try state.checkOpen()
            return state.keys[key]
        }
    }

    public func list(prefix: String) async throws -> ListResult {
        try state.withLock { state in
            try state.checkOpen()
            return ListResult(items: state.items(prefix: prefix), revision: state.revision)
        }
    }

    public func transaction(_ conditions: [Condition], _ operations: [Operation]) async throws -> TransactionResult {
        try state.withLock { state in
            try state.checkOpen()
            try state.checkDistinctKeys(operations)
            guard conditions.allSatisfy({ state.holds($0) }) else {
                return TransactionResult(succeeded: false, revision: state.revision)
            }
            try state.checkLeases(operations)
            state.commit(operations)
            return TransactionResult(succeeded: true, revision: state.revision)
        }
    }

    public func compact(before revision: Revision) async throws {
        try state.withLock { state in
            try state.checkOpen()
            guard revision <= state.revision else {
                throw DatastoreError(
                    .invalidRecord, revision: revision,
                    "cannot compact before revision \(revision): the store is only at revision \(state.revision); "
                        + "pass a revision that has been reached")
            }
            state.compact(before: revision)
        }
    }

    public func close() async {
        let finished = state.withLock { state -> [WatchContinuation] in
            state.closed = true
            let open = Array(state.watchers.values.map(\.continuation))
            state.watchers.removeAll()
            return open
        }
        // Outside the lock: finishing runs onTermination, which takes the lock.
        for continuation in finished {
            continuation.finish(throwing: DatastoreError(.closed, "the in-memory datastore was closed"))
        }
    }
}
