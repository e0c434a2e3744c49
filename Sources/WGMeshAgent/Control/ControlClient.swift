/// Asks a running wgmeshd over its control socket.
public struct ControlClient: Sendable {
    /// The socket path.
    public let path: String

    /// Creates a client for `path`.
    public init(path: String) { self.path = path }

    /// The daemon's ``DaemonInfo``; throws `.controlSocket` naming the path
    /// and saying to start wgmeshd when nobody answers.
    public func info() throws -> DaemonInfo {
        throw AgentError(.controlSocket, "ControlClient.info: not implemented yet")
    }
}
