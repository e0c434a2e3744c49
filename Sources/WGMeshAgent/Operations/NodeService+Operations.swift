import Logging
import WGMeshCore
import WGMeshResources

extension NodeService {
    /// Metrics on `--metrics-address` with `/healthz` and `/readyz` (the
    /// listener, bound before start-up, now answers for the started node),
    /// and the `health` control command. (systemd's part is ``systemdParts(_:)``.)
    func operationsParts(_ node: NodeContext) -> NodeParts {
        node.health.expectApplies(every: node.config.resyncInterval)
        var parts = NodeParts(commands: [.health: { .result(node.health.json) }])
        if let listener = node.metricsListener {
            listener.serve(OperationsRoutes(health: node.health) { await Self.scrape(node) })
            node.logger.info("serving metrics on http://\(listener.address)/metrics, /healthz and /readyz")
        }
        return parts
    }

    /// Reads what the sampled series need and renders the registry. A
    /// device that cannot be read, or a status not ready, leaves its series
    /// out instead of failing the scrape.
    static func scrape(_ node: NodeContext) async -> [UInt8] {
        // The status reporter's reader: off the cooperative pool, one read at a time, and a
        // device that does not answer (a stopped wireguard-go) leaves its series out in time.
        let device: WireGuardDevice?
        do {
            device = try await node.statusReporter.readDevice()
        } catch {
            node.logger.debug("metrics: reading \(node.interfaceName) failed: \(error)")
            device = nil
        }
        // The same device read feeds the peer states: one read per scrape.
        var states: [PeerState]?
        if let device { states = try? await node.statusReporter.report(from: device).peers.map(\.state) }
        return node.metrics.scrape(device: device, peerStates: states, keys: KeyFacts(node.keys), now: KeyState.now())
    }
}

extension HealthMonitor {
    /// The `health` command's reply: `ready`, `healthy`, and `problem`
    /// (why it is unhealthy, else why it is not ready yet, else null).
    var json: JSONValue {
        let problem = problem
        let reason = problem ?? startupProblem
        return .object(DocumentObject([
            ("ready", .bool(isReady)),
            ("healthy", .bool(problem == nil)),
            ("problem", reason.map { .string($0) } ?? .null),
        ]))
    }
}
