/// Delays between retries that double from `initial` up to `maximum`.
///
/// Shared by the reconciler (failed applies, an unreachable datastore) and
/// the service's start-up (connecting), so both back off the same way.
public struct RetryBackoff: Sendable, Equatable {
    /// The first delay.
    public var initial: Duration
    /// The longest delay.
    public var maximum: Duration
    /// The delay ``next()`` returns next.
    private var current: Duration

    /// 1 s doubling to 30 s, as the service uses it.
    public static let standard = RetryBackoff(initial: .seconds(1), maximum: .seconds(30))

    /// Creates a backoff; tests pass milliseconds.
    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        current = initial
    }

    /// The delay to wait now; each call doubles the following one.
    public mutating func next() -> Duration {
        let delay = current
        current = min(current * 2, maximum)
        return delay
    }

    /// Starts again from ``initial`` after a success.
    public mutating func reset() { current = initial }
}
