import Logging
internal import WGMeshSystem
import WGMeshCore
import WGMeshDatastore
import WGMeshDatastoreConnect
import WGMeshKeys
import WGMeshResources

extension NodeService {
    /// Opens the datastore; an etcd that does not answer yet is waited for
    /// (one warning, then retries with backoff), anything else is an error.
    func connect() async throws -> any Datastore {
        let url: DatastoreURL
        do {
            url = try DatastoreURL(parsing: config.datastore)
        } catch {
            throw AgentError(.invalidConfiguration, "--datastore \(config.datastore): \(error.reason)")
        }
        let connector = connector ?? { config, logger in
            try await DatastoreConnector.connect(url: url, credentials: config.datastoreCredentials, logger: logger)
        }
        return try await retryingDatastore("connecting to the datastore \(url)") {
            try await connector(config, logger)
        }
    }

    /// Runs `body`, waiting out an unreachable etcd with backoff; other
    /// errors end start-up with a reason naming `what` failed.
    func retryingDatastore<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        var backoff = retryBackoff
        var warned = false
        while true {
            do {
                return try await body()
            } catch let error as DatastoreError where Self.isTransient(error) && !config.datastore.hasPrefix("sqlite") {
                if !warned {
                    logger.warning("\(what) failed: \(error); retrying until the datastore answers")
                    warned = true
                }
                try await Task.sleep(for: backoff.next())
            } catch let error as AgentError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw AgentError(.datastore, "\(what) failed: \(error)")
            }
        }
    }

    /// Whether waiting may fix `error`: the store did not answer, not "no".
    static func isTransient(_ error: DatastoreError) -> Bool {
        error.code == .unavailable || error.code == .timeout
    }

    /// Everything before the loop: the EncryptionConfig's defaults, the
    /// underlay, publishing and the interface.
    func start(datastore: any Datastore, key: Curve25519.KeyAgreement.PrivateKey,
               metricsListener: MetricsListener? = nil) async throws -> StartedNode
    {
        let store = ResourceStore(datastore: datastore, logger: logger)
        let encryption = try await retryingDatastore("reading the EncryptionConfig") {
            try await store.get(EncryptionConfig.self, name: EncryptionConfig.requiredName)?.resource.spec
        } ?? EncryptionConfigSpec()
        let interfaceName = config.interfaceName ?? encryption.interfaceName
        let listenPort = config.listenPort ?? encryption.listenPort
        let settings = DataplaneSettings(
            interfaceName: interfaceName, backend: config.backend, fwmark: config.fwmark,
            routingTable: config.routingTable, rulePriority: config.rulePriority, stateDirectory: config.stateDirectory)
        let dataplane = makeDataplane?(settings) ?? LinuxDataplane(settings: settings, logger: logger)

        let underlay = try await dataplaneStep("finding the underlay") { [addresses = config.addresses] in
            try dataplane.underlay(configured: addresses)
        }
        let publisher = NodePublisher(store: store, logger: logger)
        let identity = NodeIdentity(
            name: config.nodeName, labels: config.labels, addresses: underlay.addresses, publicKey: key.publicKey,
            listenPort: listenPort, podCIDRs: config.podCIDRs)
        let node = try await retryingDatastore("publishing node \(config.nodeName)") {
            try await publisher.publish(identity)
        }
        let prepared = try await dataplaneStep("preparing interface \(interfaceName)") { try dataplane.prepareInterface() }
        logger.info(
            "\(prepared.created ? "created" : "adopted") \(interfaceName) (\(prepared.kind) WireGuard)",
            metadata: ["peer.key": "\(key.publicKey)", "underlay.link": "\(underlay.linkName)"])

        let local = LocalNode(
            name: config.nodeName, privateKey: key.secret, listenPort: listenPort, underlayMTU: underlay.mtu,
            configuredMTU: config.mtu, fwmark: config.fwmark)
        // The planner's own rule, so `info` says from the start what the first apply sets.
        let mtu = MeshPlanner.mtu(local, encryption: encryption, underlay: underlay.addresses.first?.family)
        let status = ServiceStatus(DaemonInfo(
            nodeName: config.nodeName, interfaceName: interfaceName.description, mtu: mtu,
            blocks: node.resource.spec.blocks, publicKey: key.publicKey, backend: prepared.kind.rawValue))
        let published = IdentityCell(identity)
        let health = HealthMonitor()
        let metrics = AgentMetrics(nodeName: config.nodeName)
        let appliedPlan = AppliedPlan()
        let reconciler = Reconciler(
            store: store, dataplane: dataplane, local: local, logger: logger, retryBackoff: retryBackoff,
            republish: {
                let node = try await publisher.publish(published.current)
                status.update { $0.blocks = node.resource.spec.blocks }
                return node
            },
            onApply: { plan in
                appliedPlan.record(plan)
                status.update { $0.mtu = plan.mtu }
            },
            observe: { outcome in
                health.record(outcome)
                metrics.record(outcome)
            },
            heartbeat: { health.heartbeat() })
        let context = NodeContext(
            config: config, logger: logger, store: store, dataplane: dataplane, reconciler: reconciler,
            publisher: publisher, identity: published,
            keys: KeyState(key: key, createdAt: NodeKeyStore.createdAt(stateDirectory: config.stateDirectory)),
            status: status, interfaceName: interfaceName, backend: prepared.kind, health: health, metrics: metrics,
            statusReporter: StatusReporter(
                plan: { appliedPlan.current }, dataplane: dataplane,
                facts: { [name = config.nodeName, backend = prepared.kind.rawValue] in
                    LocalStatusBuilder(nodeName: name, backend: backend, mtu: status.info.mtu)
                },
                clock: StatusReporter.wallClock),
            metricsListener: metricsListener)
        let parts = rotationParts(context) + statusParts(context) + operationsParts(context) + systemdParts(context)
        let control = ControlServer(
            path: config.controlSocket, handlers: ControlHandlers(info: { status.info }, commands: parts.commands))
        return StartedNode(interfaceName: interfaceName.description, publisher: publisher, reconciler: reconciler,
                           control: control, tasks: parts.tasks)
    }

    /// Runs a blocking dataplane call on a blocking-work thread, giving an error that is not
    /// already an ``AgentError`` the step's name.
    func dataplaneStep<T: Sendable>(_ what: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingWork.run { try AgentError.naming(what, body) }
    }

}

/// The parts of a started node that run until shutdown.
struct StartedNode: Sendable {
    var interfaceName: String
    var publisher: NodePublisher
    var reconciler: Reconciler
    var control: ControlServer
    /// The features' own tasks (status publishing, metrics, schedules).
    var tasks: [@Sendable () async throws -> Void] = []

    /// Runs the control socket, the liveness lease and the reconciler
    /// together until cancelled; the first to fail stops the others.
    func runUntilCancelled(config: AgentConfig) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await control.run() }
            group.addTask { await publisher.keepAlive(node: config.nodeName, ttlSeconds: config.livenessTTL) }
            group.addTask { try await reconciler.run(resyncInterval: config.resyncInterval) }
            for task in tasks { group.addTask { try await task() } }
            // A task's error leaves the loop, and leaving the group cancels the others; while
            // shutting down, tasks ending with CancellationError are just stopping.
            while true {
                do {
                    guard try await group.next() != nil else { break }
                } catch where Task.isCancelled {
                    continue
                }
            }
        }
    }
}
