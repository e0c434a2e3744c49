/// How an embedded SQLite datastore waits, keeps history and polls.
public struct SQLiteOptions: Sendable {
    /// How long a write waits for another process's write lock before it
    /// fails with ``DatastoreError/Code-swift.struct/unavailable``.
    public var busyTimeoutSeconds: Double
    /// Auto-compaction keeps at least this many recent revisions of history,
    /// so a watcher that falls this far behind can still resume.
    public var retainedRevisions: Int64
    /// How often the watcher thread checks the file when inotify says
    /// nothing: a safety net for file systems that do not report changes.
    public var pollIntervalSeconds: Double

    /// Creates options; the defaults suit a node's local store.
    public init(busyTimeoutSeconds: Double = 5, retainedRevisions: Int64 = 10_000, pollIntervalSeconds: Double = 2) {
        self.busyTimeoutSeconds = busyTimeoutSeconds
        self.retainedRevisions = retainedRevisions
        self.pollIntervalSeconds = pollIntervalSeconds
    }
}
