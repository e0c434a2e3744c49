import Synchronization
import Testing
import WGMeshDatastore

/// Reads a watch in the background and keeps everything it delivered, so a
/// case can write, then wait for the events, then write again.
///
/// Waits are bounded (10 s by default) so a backend that drops an event fails
/// the test instead of hanging it; the bound is not a speed check.
final class WatchRecorder: Sendable {
    private struct State {
        var batches: [WatchBatch] = []
        var events: [WatchEvent] = []
        var ended = false
        var error: (any Error)?
    }

    /// A box, so the reading task and the recorder share one lock.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let shared = Shared()
    private let reader: Task<Void, Never>

    /// Starts reading `stream`.
    init(_ stream: AsyncThrowingStream<WatchBatch, any Error>) {
        let shared = self.shared
        reader = Task {
            do {
                for try await batch in stream {
                    shared.state.withLock {
                        $0.batches.append(batch)
                        $0.events += batch.events
                    }
                }
                shared.state.withLock { $0.ended = true }
            } catch {
                shared.state.withLock {
                    $0.ended = true
                    $0.error = error
                }
            }
        }
    }

    deinit { reader.cancel() }

    /// Every event so far.
    var events: [WatchEvent] { shared.state.withLock { $0.events } }

    /// Every batch so far.
    var batches: [WatchBatch] { shared.state.withLock { $0.batches } }

    /// The revision the last batch brought the watcher up to (0 before any).
    var lastRevision: Revision { shared.state.withLock { $0.batches.last?.revision ?? 0 } }

    /// Waits until at least `count` events arrived and returns them all;
    /// throws if the watch ends or the time runs out first.
    @discardableResult
    func waitForEvents(_ count: Int, seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation)
        async throws -> [WatchEvent]
    {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            let (events, ended, error) = shared.state.withLock { ($0.events, $0.ended, $0.error) }
            if events.count >= count { return events }
            if ended {
                Issue.record("the watch ended after \(events.count) of \(count) events: \(String(describing: error))",
                             sourceLocation: sourceLocation)
                throw WatchRecorderError.ended
            }
            if ContinuousClock.now > deadline {
                Issue.record("only \(events.count) of \(count) events after \(seconds) s: \(describe(events))",
                             sourceLocation: sourceLocation)
                throw WatchRecorderError.timedOut
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits until the watch ends and returns the error it ended with (nil
    /// for a plain finish); throws if it is still open after `seconds`.
    func waitForEnd(seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> (any Error)?
    {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            let (ended, error) = shared.state.withLock { ($0.ended, $0.error) }
            if ended { return error }
            if ContinuousClock.now > deadline {
                Issue.record("the watch is still open after \(seconds) s", sourceLocation: sourceLocation)
                throw WatchRecorderError.timedOut
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops reading; the stream's termination handler cancels the watch.
    func cancel() { reader.cancel() }
}

/// Why a recorder wait gave up (the details are in the recorded issue).
enum WatchRecorderError: Error {
    case ended
    case timedOut
}

/// A short, readable form of events for failure messages: "put a@5".
func describe(_ events: [WatchEvent]) -> String {
    events.map { "\($0.kind == .put ? "put" : "delete") \($0.keyValue.key)@\($0.keyValue.modRevision)" }
        .joined(separator: ", ")
}
