import Synchronization

/// What the control socket reports, kept current by the reconciler (MTU)
/// and republishing (blocks), read from the socket's own thread.
final class ServiceStatus: Sendable {
    private let current: Mutex<DaemonInfo>

    init(_ info: DaemonInfo) { current = Mutex(info) }

    /// The info as it is now.
    var info: DaemonInfo { current.withLock { $0 } }

    /// Changes the info in place.
    func update(_ change: (inout DaemonInfo) -> Void) { current.withLock { change(&$0) } }
}
