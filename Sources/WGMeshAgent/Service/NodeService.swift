public import Logging
public import ServiceLifecycle
public import WGMeshDatastore

/// `wgmeshd`: the node service, run by a ServiceGroup.
///
/// Start-up, in order, failing early with a clear error before touching the
/// kernel when the config or the datastore is wrong: key (state dir), the
/// EncryptionConfig's defaults, underlay, publish (blocks, Node), interface
/// (create or adopt), control socket, liveness lease, reconciler.
/// On SIGTERM or SIGINT it stops its tasks and leaves the interface, peers,
/// routes and rules in place, so traffic keeps flowing while it restarts.
public struct NodeService: Service {
    /// Builds the dataplane from the settings start-up resolved.
    public typealias DataplaneFactory = @Sendable (DataplaneSettings) -> any Dataplane
    /// Opens the datastore the config names.
    public typealias Connector = @Sendable (AgentConfig, Logger) async throws -> any Datastore

    /// The configuration it runs with.
    public let config: AgentConfig
    let logger: Logger
    let makeDataplane: DataplaneFactory?
    let connector: Connector?
    let retryBackoff: RetryBackoff

    /// Creates the service.
    ///
    /// `makeDataplane` defaults to ``LinuxDataplane``, `connect` to
    /// `DatastoreConnector.connect` with the config's URL and credentials;
    /// tests pass a fake dataplane, and retries in milliseconds.
    public init(config: AgentConfig, logger: Logger, makeDataplane: DataplaneFactory? = nil,
                connect: Connector? = nil, retryBackoff: RetryBackoff = .standard)
    {
        self.config = config
        var logger = logger
        logger[metadataKey: "node.name"] = "\(config.nodeName)"
        self.logger = logger
        self.makeDataplane = makeDataplane
        self.connector = connect
        self.retryBackoff = retryBackoff
    }

    /// Starts up, then runs the control socket, the liveness lease and the
    /// reconciler until a graceful shutdown (or cancellation).
    ///
    /// Never removes kernel state on the way out. Throws ``AgentError``
    /// when start-up fails; returns when stopped.
    public func run() async throws {
        let interface: String
        do {
            interface = try await cancelWhenGracefulShutdown { try await self.serve() }
        } catch is CancellationError {
            logger.info("stopped during start-up; nothing wgmesh made was removed")
            return
        }
        logger.info("stopped; \(interface), its peers, routes and rules stay in place (wgmeshd --cleanup removes them)")
    }

    /// Starts up and runs until cancelled; returns the interface's name.
    private func serve() async throws -> String {
        // Bound first: a taken port stops wgmeshd before it touches the key, the datastore or the kernel.
        let listener = try await MetricsListener.bind(config.metricsAddress)
        return try await withThrowingTaskGroup(of: Void.self, returning: String.self) { group in
            // Answering from now on: probes hear "starting up" while the datastore is slow.
            if let listener { group.addTask { try await listener.run() } }
            defer { group.cancelAll() }
            let key = try NodeKeyStore.loadOrCreate(stateDirectory: config.stateDirectory, logger: logger)
            let datastore = try await connect()
            do {
                let started = try await start(datastore: datastore, key: key, metricsListener: listener)
                try await started.runUntilCancelled(config: config)
                await datastore.close()
                return started.interfaceName
            } catch {
                await datastore.close()
                throw error
            }
        }
    }
}
