public import Logging
public import ServiceLifecycle

/// `wgmeshd`: the node service, run by a ServiceGroup.
///
/// Start-up, in order, failing early with a clear error before touching the
/// kernel when the config or the datastore is wrong: key (state dir), the
/// EncryptionConfig's defaults, underlay, publish (blocks, Node), interface
/// (create or adopt), control socket, liveness lease, reconciler.
/// On SIGTERM or SIGINT it stops its tasks and leaves the interface, peers,
/// routes and rules in place, so traffic keeps flowing while it restarts.
public struct NodeService: Service {
    /// The configuration it runs with.
    public let config: AgentConfig
    private let logger: Logger

    /// Creates the service.
    public init(config: AgentConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws {
        throw AgentError(.dataplane, "NodeService.run: not implemented yet")
    }
}
