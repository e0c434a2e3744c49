public import WGMeshDatastore
public import WGMeshResources
public import Logging
internal import WGMeshSystem

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
    /// Turns a snapshot into a plan; ``MeshPlanner/plan(_:local:)`` unless a test gives its own.
    public typealias Planner = @Sendable (MeshSnapshot, LocalNode) -> MeshPlan
    /// Writes this node's Node again (claims, spec) and returns what is stored.
    public typealias Republish = @Sendable () async throws -> Stored<Node>

    /// The plan applied last, nil before the first apply.
    public internal(set) var lastPlan: MeshPlan?

    /// A thread of its own (``DedicatedThread``): the dataplane calls inside apply and key
    /// switch block on netlink or wireguard-go, and must stay atomic with the actor's state (a
    /// switch must never interleave with an apply), so they run inline here, never on the
    /// cooperative pool, which the control socket, metrics and health need.
    private nonisolated let thread = DedicatedThread()
    /// Whether an apply runs now, and for how long: what a caller checks before it waits for
    /// the actor, which a blocked apply holds.
    nonisolated let applyClock = ApplyClock()
    /// Runs the actor on ``thread``.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.executor.asUnownedSerialExecutor() }

    let store: ResourceStore
    let dataplane: any Dataplane
    /// This node; its key changes when the key is rotated.
    var local: LocalNode
    let logger: Logger
    let planner: Planner
    let republishHook: Republish?
    let onApply: (@Sendable (MeshPlan) -> Void)?
    let observe: (@Sendable (ReconcileOutcome) -> Void)?
    let heartbeat: (@Sendable () -> Void)?
    let backoff: RetryBackoff

    /// The datastore as last read and followed.
    var state = MeshState()
    /// The plan for ``state``; differs from ``lastPlan`` while an apply is due.
    var desiredPlan: MeshPlan?
    /// Conflicts already logged, so each is logged once when it appears and once when it clears.
    var loggedConflicts: Set<ClusterConflict> = []
    /// A failed apply waits here for its retry.
    var applyRetry: RetryTimer
    /// A failed republish waits here for its retry.
    var republishRetry: RetryTimer
    /// Whether this node's Node or the pools changed so the node must publish again.
    var republishNeeded = false
    /// This node's Node (spec and labels) as it last published it; nil until first seen.
    var publishedNode: PublishedNode?
    /// When the next drift check is due.
    var nextResync: ContinuousClock.Instant = .now
    /// How often drift is checked, as ``run(resyncInterval:)`` was given it.
    var resyncInterval: Duration = .seconds(90)
    /// Whether a load succeeded before (a reload compares pools with it).
    var loadedOnce = false

    /// Creates a reconciler; nothing runs until ``run(resyncInterval:)``.
    ///
    /// `republish` is called when the pools change, or when this node's
    /// Node was deleted or no longer says what was published; `onApply`
    /// after every successful apply (the service keeps its status with it);
    /// `observe` after every apply, failed ones too (metrics and health);
    /// `heartbeat` each time the loop turns, also while the datastore is
    /// away, so health can tell a stuck loop from a quiet or cut-off one.
    public init(store: ResourceStore, dataplane: any Dataplane, local: LocalNode, logger: Logger,
                planner: @escaping Planner = MeshPlanner.plan, retryBackoff: RetryBackoff = .standard,
                republish: Republish? = nil, onApply: (@Sendable (MeshPlan) -> Void)? = nil,
                observe: (@Sendable (ReconcileOutcome) -> Void)? = nil, heartbeat: (@Sendable () -> Void)? = nil)
    {
        self.observe = observe
        self.heartbeat = heartbeat
        self.store = store
        self.dataplane = dataplane
        self.local = local
        self.planner = planner
        self.backoff = retryBackoff
        self.republishHook = republish
        self.onApply = onApply
        applyRetry = RetryTimer(retryBackoff)
        republishRetry = RetryTimer(retryBackoff)
        var logger = logger
        logger[metadataKey: "node.name"] = "\(local.name)"
        self.logger = logger
    }

    /// Reconciles until the task is cancelled. Throws only for errors that
    /// retrying cannot fix.
    ///
    /// Returns when cancelled. A datastore that cannot be read or watched
    /// leaves the dataplane exactly as it is while the loop retries with
    /// backoff, then reloads everything and resyncs.
    public func run(resyncInterval: Duration) async throws {
        self.resyncInterval = resyncInterval
        var outage = Outage(backoff: backoff)
        while !Task.isCancelled {
            heartbeat?()
            let watchFrom: Revision
            do {
                watchFrom = try await load()
            } catch {
                if Task.isCancelled { break }
                outage.begin(error, logger: logger)
                guard await sleep(outage.nextDelay()) else { break }
                continue
            }
            outage.end(logger: logger)
            replan()
            reconcile(verify: true, reason: .load)
            await republishIfNeeded()

            let end = await follow(from: watchFrom, resyncInterval: resyncInterval)
            if Task.isCancelled { break }
            switch end {
            case .compacted(let kind):
                logger.info("the \(kind) watch fell behind compaction: reloading everything")
            case .failed(let kind, let error):
                outage.begin(error, logger: logger, watch: kind)
                guard await sleep(outage.nextDelay()) else { break }
            }
        }
        logger.debug("reconciler stopped")
    }

    /// Sleeps `delay`; false when the task was cancelled meanwhile.
    func sleep(_ delay: Duration) async -> Bool {
        do {
            try await Task.sleep(for: delay)
            return true
        } catch {
            return false
        }
    }
}

/// What a node published about itself, as the reconciler compares it.
struct PublishedNode: Equatable, Sendable {
    var spec: NodeSpec
    var labels: [String: String]

    init(_ node: Node) {
        spec = node.spec
        labels = node.metadata.labels
    }
}
