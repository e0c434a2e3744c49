import Logging
import Synchronization
import WGMeshDatastore
import WGMeshWireGuard
import WGMeshCore

/// What the parts of a started node share, built once by start-up.
struct NodeContext: Sendable {
    /// The configuration.
    var config: AgentConfig
    /// The service's logger (node name in its metadata).
    var logger: Logger
    /// The typed store.
    var store: ResourceStore
    /// The kernel side.
    var dataplane: any Dataplane
    /// The reconciler.
    var reconciler: Reconciler
    /// Publishes this node's Node.
    var publisher: NodePublisher
    /// What is published; a rotation changes its key.
    var identity: IdentityCell
    /// The key now in use and its history.
    var keys: KeyState
    /// What `info` answers.
    var status: ServiceStatus
    /// The interface.
    var interfaceName: InterfaceName
    /// The implementation behind it.
    var backend: WireGuardBackendKind
    /// Reconcile progress, for readiness, health and the watchdog.
    var health: HealthMonitor
    /// The Prometheus registry and our own series.
    var metrics: AgentMetrics
    /// The node's one status reporter (its transmit baseline tells stale from idle).
    var statusReporter: StatusReporter
    /// The metrics listener, bound before start-up; nil when metrics are off.
    var metricsListener: MetricsListener?
}

/// The node's published identity, changed in place by a rotation.
final class IdentityCell: Sendable {
    private let value: Mutex<NodeIdentity>

    init(_ identity: NodeIdentity) { value = Mutex(identity) }

    /// The identity now.
    var current: NodeIdentity { value.withLock { $0 } }

    /// Changes the identity in place.
    func update(_ change: (inout NodeIdentity) -> Void) { value.withLock { change(&$0) } }
}

/// What one feature adds to a started node: control commands and tasks
/// that run until shutdown.
struct NodeParts: Sendable {
    /// Control-socket commands by request.
    var commands: [ControlRequest: ControlHandlers.Command] = [:]
    /// Tasks run beside the reconciler; the first to throw stops the node.
    var tasks: [@Sendable () async throws -> Void] = []

    /// Both parts' commands and tasks.
    static func + (lhs: NodeParts, rhs: NodeParts) -> NodeParts {
        NodeParts(commands: lhs.commands.merging(rhs.commands) { first, _ in first }, tasks: lhs.tasks + rhs.tasks)
    }
}
