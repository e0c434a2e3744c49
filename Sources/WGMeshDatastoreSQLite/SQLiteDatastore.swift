import Dispatch
public import Logging
public import WGMeshDatastore

/// The embedded datastore: one SQLite file that several processes on a
/// machine share (WAL mode, a busy timeout, a revision counter and an event
/// log), with etcd's semantics.
///
/// Every SQLite call runs on the store's own serial queue or its watcher
/// thread, never on Swift's cooperative pool. The class is
/// `@unchecked Sendable` because `engine` is touched only on that queue.
public final class SQLiteDatastore: Datastore, @unchecked Sendable {
    /// The database file.
    public let path: String
    private let queue: DispatchQueue
    private var engine: SQLiteEngine?
    private let registry: WatchRegistry
    private let watcher: StoreWatcher
    private let logger: Logger

    private init(path: String, engine: SQLiteEngine, registry: WatchRegistry, watcher: StoreWatcher, logger: Logger) {
        self.path = path
        self.queue = DispatchQueue(label: "wgmesh.sqlite")
        self.engine = engine
        self.registry = registry
        self.watcher = watcher
        self.logger = logger
    }

    /// Opens the store at `path`, creating the file (mode 0600) and any
    /// missing parent directory (mode 0700) and the tables if needed.
    public static func open(path: String, options: SQLiteOptions = SQLiteOptions(), logger: Logger)
        throws(DatastoreError) -> SQLiteDatastore
    {
        try DatabaseFile.prepare(path: path, create: options.createIfMissing)
        let connection = try SQLiteConnection(path: path, busyTimeout: options.busyTimeout.inSeconds)
        try SQLiteSchema.prepare(connection)
        let engine = SQLiteEngine(connection: connection, retainedRevisions: options.retainedRevisions)
        let watcherEngine = SQLiteEngine(
            connection: try SQLiteConnection(path: path, busyTimeout: options.busyTimeout.inSeconds),
            retainedRevisions: options.retainedRevisions)
        let registry = WatchRegistry()
        let watcher = StoreWatcher(
            engine: watcherEngine, registry: registry, signal: try ChangeSignal(path: path),
            pollIntervalSeconds: options.pollInterval.inSeconds, logger: logger)
        try watcher.start()
        logger.debug("opened the SQLite datastore", metadata: ["path": "\(path)"])
        return SQLiteDatastore(path: path, engine: engine, registry: registry, watcher: watcher, logger: logger)
    }

    deinit {
        registry.closeAll(closedError)
        watcher.stop()
    }

    /// The key's current value, or nil; a plain read that never waits for writers.
    public func get(_ key: String) async throws -> KeyValue? {
        try await run { engine throws(DatastoreError) in try engine.get(key) }
    }

    /// The keys under `prefix` and the revision, read in one snapshot.
    public func list(prefix: String) async throws -> ListResult {
        try await run { engine throws(DatastoreError) in try engine.list(prefix: prefix) }
    }

    /// Checks the conditions and applies the operations under the file's write lock.
    public func transaction(_ conditions: [Condition], _ operations: [Operation]) async throws -> TransactionResult {
        try await run(wakingWatcher: true) { engine throws(DatastoreError) in
            try engine.transaction(conditions, operations)
        }
    }

    /// Grants a lease with a random id that every process sharing the file sees.
    public func grantLease(ttlSeconds: Int64) async throws -> LeaseID {
        // The watcher thread sweeps leases: wake it to recompute the earliest expiry.
        try await run(wakingWatcher: true) { engine throws(DatastoreError) in
            try engine.grantLease(ttlSeconds: ttlSeconds)
        }
    }

    /// Renews a lease for a full TTL from now.
    public func keepAlive(_ lease: LeaseID) async throws -> Int64 {
        try await run(wakingWatcher: true) { engine throws(DatastoreError) in try engine.keepAlive(lease) }
    }

    /// Revokes a lease now, deleting its keys in one revision.
    public func revokeLease(_ lease: LeaseID) async throws {
        try await run(wakingWatcher: true) { engine throws(DatastoreError) in try engine.revokeLease(lease) }
    }

    /// Forgets the events before `revision`.
    public func compact(before revision: Revision) async throws {
        try await run(wakingWatcher: true) { engine throws(DatastoreError) in try engine.compact(before: revision) }
    }

    /// Changes under `prefix` from `revision` on, delivered by the store's watcher thread.
    public func watch(prefix: String, from revision: Revision) -> AsyncThrowingStream<WatchBatch, any Error> {
        let (stream, continuation) = AsyncThrowingStream<WatchBatch, any Error>.makeStream()
        if revision > 0 {
            register(prefix: prefix, from: revision, continuation)
            return stream
        }
        // Like etcd, revision 0 means "from the next change". Resolving it on
        // the queue orders it before any write this process issues afterwards.
        queue.async {
            guard let engine = self.engine, let meta = try? engine.meta() else {
                continuation.finish(throwing: self.closedError)
                return
            }
            self.register(prefix: prefix, from: meta.revision + 1, continuation)
        }
        return stream
    }

    /// Ends every watch with `closed`, stops the watcher thread and closes the file.
    public func close() async {
        registry.closeAll(closedError)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async {
                self.watcher.stop()
                self.engine?.connection.close()
                self.engine = nil
                done.resume()
            }
        }
        logger.debug("closed the SQLite datastore", metadata: ["path": "\(path)"])
    }

    private func register(
        prefix: String, from revision: Revision, _ continuation: AsyncThrowingStream<WatchBatch, any Error>.Continuation
    ) {
        let watch = WatchRegistry.Watch(prefix: prefix, next: revision, continuation: continuation)
        guard let id = registry.add(watch) else {
            continuation.finish(throwing: closedError)
            return
        }
        continuation.onTermination = { [registry] _ in registry.remove(id) }
        watcher.wake()
    }

    /// Runs `body` on the queue and resumes the caller with its result.
    private func run<T: Sendable>(
        wakingWatcher: Bool = false, _ body: @escaping @Sendable (SQLiteEngine) throws(DatastoreError) -> T
    ) async throws(DatastoreError) -> T {
        let result: Result<T, DatastoreError> = await withCheckedContinuation { continuation in
            queue.async {
                guard let engine = self.engine else {
                    continuation.resume(returning: .failure(self.closedError))
                    return
                }
                let result = Result { () throws(DatastoreError) in try body(engine) }
                if wakingWatcher { self.watcher.wake() }
                continuation.resume(returning: result)
            }
        }
        return try result.get()
    }

    private var closedError: DatastoreError {
        DatastoreError(.closed, "the datastore \(path) is closed: open it again")
    }
}
