import Glibc
public import Testing

/// The one way tests wait for an event: poll `condition` until it holds, and fail the test
/// (recording what was awaited, then throwing) if it has not after `timeout`.
///
/// The timeout is a safety net for a broken loop, never a speed check: it is long, and a
/// passing test returns as soon as the condition holds.
public func eventually(_ what: Comment, timeout: Duration = .seconds(20), poll: Duration = .milliseconds(5),
                       sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool)
    async throws
{
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: poll)
    }
    if try await condition() { return }
    Issue.record("timed out after \(timeout) waiting: \(what)", sourceLocation: sourceLocation)
    throw EventuallyTimedOut(what: what)
}

/// ``eventually(_:timeout:poll:sourceLocation:_:)`` for synchronous tests that block their thread
/// anyway (the end-to-end suites drive processes and wait on them). A separate name: an async
/// test must never pick it by accident, since it sleeps on a cooperative-pool thread.
public func eventuallyBlocking(_ what: Comment, timeout: Duration = .seconds(20), poll: Duration = .milliseconds(100),
                       sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> Bool) throws
{
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if (try? condition()) == true { return }
        let (seconds, attoseconds) = poll.components
        var pause = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        nanosleep(&pause, nil)
    }
    if try condition() { return }
    Issue.record("timed out after \(timeout) waiting: \(what)", sourceLocation: sourceLocation)
    throw EventuallyTimedOut(what: what)
}

/// What ``eventually(_:timeout:poll:sourceLocation:_:)`` throws after recording the timeout.
public struct EventuallyTimedOut: Error, CustomStringConvertible {
    /// What was awaited.
    public var what: Comment
    public var description: String { "timed out waiting: \(what)" }
}
