/// Serves the control socket: one request line, one JSON reply, close.
///
/// The socket is created 0600 (root's commands only) in a 0755 folder made
/// if missing; a stale socket left by a dead daemon is replaced, a live one
/// (another daemon answering) is an error.
public final class ControlServer: @unchecked Sendable {
    /// The socket path.
    public let path: String
    private let info: @Sendable () -> DaemonInfo

    /// Creates a server that answers `info` with what `info` returns now.
    public init(path: String, info: @escaping @Sendable () -> DaemonInfo) {
        self.path = path
        self.info = info
    }

    /// Binds and serves until the task is cancelled; removes the socket after.
    public func run() async throws {
        throw AgentError(.controlSocket, "ControlServer.run: not implemented yet")
    }
}
