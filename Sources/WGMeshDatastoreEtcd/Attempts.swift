internal import Synchronization

/// Counts a request's attempts, so that an answer to a repeat can be read
/// in the light of the first attempt perhaps having applied.
final class Attempts: Sendable {
    private let counter = Atomic<Int>(0)

    /// Records one attempt.
    func count() { counter.add(1, ordering: .relaxed) }

    /// The attempts so far.
    var value: Int { counter.load(ordering: .relaxed) }
}
