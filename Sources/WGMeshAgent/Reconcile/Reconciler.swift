public import WGMeshDatastore
public import Logging

/// Keeps the dataplane equal to the plan for the datastore's current state.
///
/// It loads a full snapshot, plans and applies (reading the kernel back),
/// then follows watches on nodes, claims, pools and the EncryptionConfig:
/// each batch updates the snapshot, replans and applies only the difference
/// against what it applied last. Every `resyncInterval` it re-reads the
/// kernel and repairs drift, changing nothing that is already right.
/// When the datastore is unreachable the dataplane stays as it is; on
/// reconnect (or a compacted watch) it reloads the snapshot and resyncs.
public actor Reconciler {
    /// The plan applied last, nil before the first apply.
    public private(set) var lastPlan: MeshPlan?

    private let store: ResourceStore
    private let dataplane: any Dataplane
    private let local: LocalNode
    private let logger: Logger

    /// Creates a reconciler; nothing runs until ``run(resyncInterval:)``.
    public init(store: ResourceStore, dataplane: any Dataplane, local: LocalNode, logger: Logger) {
        self.store = store
        self.dataplane = dataplane
        self.local = local
        self.logger = logger
    }

    /// Reconciles until the task is cancelled. Throws only for errors that
    /// retrying cannot fix.
    public func run(resyncInterval: Duration) async throws {
        throw AgentError(.dataplane, "Reconciler.run: not implemented yet")
    }
}
