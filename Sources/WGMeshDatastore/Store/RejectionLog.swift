import Logging
import Synchronization

/// Remembers which bad records were already logged, so that a record that
/// every list and watch skips is logged once per (key, revision) rather than
/// on every read.
final class RejectionLog: Sendable {
    private struct Seen: Hashable {
        var key: String
        var modRevision: Revision
    }

    /// Bounded so that a flood of hostile writes cannot grow memory without
    /// limit; forgetting only means logging a record again.
    private static let capacity = 4096
    private let seen = Mutex<Set<Seen>>([])

    /// Logs `record` at warning unless it was logged before.
    func report(_ record: RejectedRecord, logger: Logger) {
        let isNew = seen.withLock { seen in
            if seen.count >= Self.capacity { seen.removeAll(keepingCapacity: true) }
            return seen.insert(Seen(key: record.key, modRevision: record.modRevision)).inserted
        }
        guard isNew else { return }
        logger.warning(
            "skipping a bad datastore record: \(record.reason)",
            metadata: ["datastore.key": "\(record.key)", "datastore.revision": "\(record.modRevision)"])
    }
}
