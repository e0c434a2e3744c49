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
    /// Takes note of one apply.
    func record(_ outcome: ReconcileOutcome) {}
}

/// The Prometheus registry and wgmesh's own series. (Contract stub.)
final class AgentMetrics: Sendable {
    init(nodeName: String) {}
    /// Counts one apply.
    func record(_ outcome: ReconcileOutcome) {}
}
