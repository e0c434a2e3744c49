internal import Glibc
import Synchronization

/// Whether the reconciler is inside a dataplane apply, and since when: readable from any thread
/// without waiting for the reconciler, which is blocked exactly when this matters.
final class ApplyClock: Sendable {
    /// CLOCK_MONOTONIC nanoseconds at the start of the running apply; 0 when none runs.
    private let startedAt = Atomic<Int64>(0)

    /// Marks an apply as running from now.
    func begin() { startedAt.store(Self.now(), ordering: .releasing) }

    /// Marks the apply as done.
    func end() { startedAt.store(0, ordering: .releasing) }

    /// How long the running apply has taken so far; nil when none runs.
    var running: Duration? {
        let started = startedAt.load(ordering: .acquiring)
        return started == 0 ? nil : .nanoseconds(Self.now() - started)
    }

    private static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
