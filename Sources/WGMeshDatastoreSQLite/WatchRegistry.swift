import Synchronization
import WGMeshDatastore

/// The open watches of one store, shared by the callers that add and cancel
/// them and the watcher thread that feeds them.
final class WatchRegistry: Sendable {
    /// One watch: where it is and where its events go.
    struct Watch: Sendable {
        /// The prefix's bytes, as a range.
        var prefix: String
        /// The first revision not yet delivered.
        var next: Revision
        /// The caller's stream.
        var continuation: AsyncThrowingStream<WatchBatch, any Error>.Continuation
    }

    private struct State {
        var watches: [UInt64: Watch] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state = Mutex(State())

    /// Adds a watch; returns nil when the store is closed.
    func add(_ watch: Watch) -> UInt64? {
        state.withLock { state in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.watches[state.nextID] = watch
            return state.nextID
        }
    }

    /// Forgets a watch (its consumer went away).
    func remove(_ id: UInt64) {
        _ = state.withLock { $0.watches.removeValue(forKey: id) }
    }

    /// The watches as they are now, for the watcher thread to read events for.
    func snapshot() -> [(id: UInt64, prefix: String, next: Revision)] {
        state.withLock { state in state.watches.map { (id: $0.key, prefix: $0.value.prefix, next: $0.value.next) } }
    }

    /// Delivers `batch` to watch `id` if it is still open and still expects
    /// `from`, and moves it past `batch.revision`.
    func deliver(_ batch: WatchBatch, to id: UInt64, from: Revision) {
        state.withLock { state in
            guard var watch = state.watches[id], watch.next == from else { return }
            if !batch.events.isEmpty { watch.continuation.yield(batch) }
            watch.next = batch.revision + 1
            state.watches[id] = watch
        }
    }

    /// Ends watch `id` with `error`.
    func fail(_ id: UInt64, _ error: any Error) {
        let watch = state.withLock { $0.watches.removeValue(forKey: id) }
        watch?.continuation.finish(throwing: error)
    }

    /// Whether ``closeAll(_:)`` has run.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Refuses new watches and ends every open one with `error`.
    func closeAll(_ error: any Error) {
        let watches = state.withLock { state in
            state.closed = true
            defer { state.watches = [:] }
            return Array(state.watches.values)
        }
        for watch in watches { watch.continuation.finish(throwing: error) }
    }
}
