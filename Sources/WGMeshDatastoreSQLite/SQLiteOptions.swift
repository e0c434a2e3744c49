/// How an embedded SQLite datastore waits, keeps history and polls.
public struct SQLiteOptions: Sendable {
    /// How long a write waits for another process's write lock before it
    /// fails with ``DatastoreError/Code-swift.struct/unavailable``.
    public var busyTimeout: Duration
    /// Auto-compaction keeps at least this many recent revisions of history,
    /// so a watcher that falls this far behind can still resume. 0 turns
    /// auto-compaction off.
    public var retainedRevisions: Int64
    /// How often the watcher thread checks the file when inotify says
    /// nothing: a safety net for file systems that do not report changes.
    public var pollInterval: Duration
    /// Whether opening creates a missing file (and its directories). The
    /// node service and `wgmesh apply` create the store; commands that only
    /// read or change what is there refuse a missing file, so a mistyped
    /// path is an error rather than an empty cluster.
    public var createIfMissing: Bool

    /// Creates options; the defaults suit a node's local store.
    public init(busyTimeout: Duration = .seconds(5), retainedRevisions: Int64 = 10_000,
                pollInterval: Duration = .seconds(2), createIfMissing: Bool = true)
    {
        self.busyTimeout = busyTimeout
        self.retainedRevisions = retainedRevisions
        self.pollInterval = pollInterval
        self.createIfMissing = createIfMissing
    }
}

extension Duration {
    /// The duration in (fractional) seconds, for SQLite's and poll's units.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
