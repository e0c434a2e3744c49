import Glibc
import Logging
import Synchronization
import WGMeshDatastore

/// One thread per store that delivers watch events and sweeps expired
/// leases, with its own connection so it never waits behind the store's queue.
///
/// It sleeps in `poll` until inotify reports a write to the file (another
/// process or connection), ``wake()`` is called (this process), the earliest
/// lease expires, or the fallback interval passes.
final class StoreWatcher: @unchecked Sendable {
    private let engine: SQLiteEngine
    private let registry: WatchRegistry
    private let signal: ChangeSignal
    private let pollMilliseconds: Int64
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let thread = Mutex<pthread_t?>(nil)
    /// At most this many revisions go into one batch, so a watcher far behind
    /// does not load the whole history at once.
    static let revisionsPerBatch: Int64 = 1000

    /// Prepares the watcher; ``start()`` launches its thread.
    init(engine: SQLiteEngine, registry: WatchRegistry, signal: ChangeSignal, pollIntervalSeconds: Double,
         logger: Logger)
    {
        self.engine = engine
        self.registry = registry
        self.signal = signal
        self.pollMilliseconds = max(10, Int64(pollIntervalSeconds * 1000))
        self.logger = logger
    }

    /// Starts the thread.
    func start() throws(DatastoreError) {
        let box = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let rc = pthread_create(&handle, nil, { argument in
            let watcher = Unmanaged<StoreWatcher>.fromOpaque(argument!).takeRetainedValue()
            watcher.run()
            return nil
        }, box)
        guard rc == 0 else {
            Unmanaged<StoreWatcher>.fromOpaque(box).release()
            throw DatastoreError(.unavailable, "cannot start the datastore's watcher thread: \(rc)")
        }
        thread.withLock { $0 = handle }
    }

    /// Makes the thread look at the file now (a write or a new watch here).
    func wake() { signal.poke() }

    /// Stops the thread and waits for it. Safe to call twice.
    func stop() {
        stopping.store(true, ordering: .releasing)
        signal.poke()
        if let handle = thread.withLock({ state in defer { state = nil }; return state }) {
            pthread_join(handle, nil)
        }
        engine.connection.close()
    }

    private func run() {
        while !stopping.load(ordering: .acquiring) {
            var deadline = WallClock.nowMilliseconds() + pollMilliseconds
            do {
                let now = WallClock.nowMilliseconds()
                let expiry = try catchUp()
                if let expiry, expiry <= now {
                    if try engine.sweepExpiredLeases(now: now) {
                        logger.debug("swept expired leases", metadata: ["path": "\(engine.connection.path)"])
                    }
                    continue  // deliver the deletions at once
                }
                if let expiry { deadline = min(deadline, expiry) }
            } catch {
                // Usually another process holding the lock too long; the
                // next wake-up tries again.
                logger.warning("datastore watcher: \(error)")
            }
            signal.wait(untilMilliseconds: deadline)
        }
    }

    /// Delivers every new event to every watch, in one snapshot of the file,
    /// and returns the earliest lease expiry.
    private func catchUp() throws(DatastoreError) -> Int64? {
        try engine.reading { () throws(DatastoreError) in
            let meta = try engine.meta()
            for watch in registry.snapshot() {
                if watch.next < meta.compactRevision {
                    registry.fail(watch.id, Self.compacted(watch.prefix, watch.next, meta.compactRevision))
                    continue
                }
                var from = watch.next
                let range = KeyRange(prefix: watch.prefix)
                while from <= meta.revision {
                    let to = min(meta.revision, from + Self.revisionsPerBatch - 1)
                    let events = try engine.events(in: range, revisions: from...to)
                    registry.deliver(WatchBatch(events: events, revision: to), to: watch.id, from: from)
                    from = to + 1
                }
            }
            return try engine.earliestLeaseExpiry()
        }
    }

    private static func compacted(_ prefix: String, _ from: Revision, _ oldest: Revision) -> DatastoreError {
        DatastoreError(
            .compacted, revision: oldest,
            "the watch on '\(prefix)' from revision \(from) needs history that was compacted (the oldest revision "
                + "kept is \(oldest)): list again and watch from the list's revision + 1")
    }
}
