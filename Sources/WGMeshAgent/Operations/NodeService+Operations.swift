extension NodeService {
    /// Metrics on `--metrics-address`, `/healthz` and `/readyz`, the
    /// `health` command and systemd notifications (READY, WATCHDOG).
    /// (Contract stub: filled in by the operations work.)
    func operationsParts(_ node: NodeContext) -> NodeParts {
        NodeParts()
    }
}

/// Reconcile progress: ready after the first successful apply, healthy
/// while the loop keeps turning. (Contract stub.)
final class HealthMonitor: Sendable {
    init() {}
    /// Whether the first apply succeeded (start-up is over).
    var isReady: Bool { false }
    /// Why the node is unhealthy now; nil when healthy.
    var problem: String? { nil }
    /// Takes note of one apply.
    func record(_ outcome: ReconcileOutcome) {}
}

/// The Prometheus registry and wgmesh's own series. (Contract stub.)
final class AgentMetrics: Sendable {
    init(nodeName: String) {}
    /// Counts one apply.
    func record(_ outcome: ReconcileOutcome) {}
}
