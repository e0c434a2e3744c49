import Logging

/// A retry that is due at some instant, with its backoff.
struct RetryTimer: Sendable {
    private var backoff: RetryBackoff
    /// When the retry is due; nil when nothing is waiting.
    private(set) var due: ContinuousClock.Instant?

    init(_ backoff: RetryBackoff) { self.backoff = backoff }

    /// Whether a retry is waiting.
    var isPending: Bool { due != nil }

    /// Whether the waiting retry is due at `now`.
    func isDue(at now: ContinuousClock.Instant) -> Bool { due.map { now >= $0 } ?? false }

    /// Schedules the next retry after a failure; returns its delay.
    mutating func failed(at now: ContinuousClock.Instant = .now) -> Duration {
        let delay = backoff.next()
        due = now + delay
        return delay
    }

    /// Clears the retry after a success.
    mutating func succeeded() {
        due = nil
        backoff.reset()
    }
}

/// A datastore outage as the reconciler logs it: one warning when it
/// starts, one line when it ends.
struct Outage: Sendable {
    private var backoff: RetryBackoff
    private var started: ContinuousClock.Instant?

    init(backoff: RetryBackoff) { self.backoff = backoff }

    /// Notes a failed read or watch; warns only for the first of an outage.
    mutating func begin(_ error: any Error, logger: Logger, watch kind: String? = nil) {
        guard started == nil else {
            logger.debug("datastore still unreachable: \(error)")
            return
        }
        started = .now
        let what = kind.map { "the \($0) watch failed" } ?? "reading the datastore failed"
        logger.warning("datastore unreachable: keeping the dataplane as it is (\(what): \(error))")
    }

    /// The delay before the next attempt.
    mutating func nextDelay() -> Duration { backoff.next() }

    /// Notes a successful load; logs how long the outage lasted, if there was one.
    mutating func end(logger: Logger) {
        backoff.reset()
        guard let started else { return }
        self.started = nil
        let seconds = (ContinuousClock.now - started).components.seconds
        logger.info("resynced after \(seconds) s")
    }
}
