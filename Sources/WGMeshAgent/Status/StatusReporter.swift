import Glibc
import Synchronization
import WGMeshCore

/// Builds this node's ``LocalStatus`` from the plan applied last and the
/// device as the interface reports it now.
///
/// It keeps each peer's transmit count from an earlier report, which is
/// how `stale` tells "traffic is expected" from an idle session. Every
/// reporter of one node (the status command, metrics, systemd's STATUS
/// line) shares that baseline, so a reporter made per scrape still sees it.
final class StatusReporter: Sendable {
    /// The plan applied last; nil before the first apply.
    typealias PlanSource = @Sendable () async -> MeshPlan?

    private let plan: PlanSource
    private let dataplane: any Dataplane
    private let facts: @Sendable () -> LocalStatusBuilder
    private let clock: @Sendable () -> Int64
    private let baseline: StatusBaseline

    /// Creates a reporter for the started node.
    convenience init(node: NodeContext) {
        let reconciler = node.reconciler, status = node.status, name = node.config.nodeName
        let backend = node.backend.rawValue
        self.init(plan: { await reconciler.lastPlan }, dataplane: node.dataplane,
                  facts: { LocalStatusBuilder(nodeName: name, backend: backend, mtu: status.info.mtu) },
                  clock: StatusReporter.wallClock, baseline: StatusBaseline.shared(by: reconciler))
    }

    /// Creates a reporter from its parts; tests give a fixed clock.
    init(plan: @escaping PlanSource, dataplane: any Dataplane, facts: @escaping @Sendable () -> LocalStatusBuilder,
         clock: @escaping @Sendable () -> Int64, baseline: StatusBaseline = StatusBaseline())
    {
        self.baseline = baseline
        self.plan = plan
        self.dataplane = dataplane
        self.facts = facts
        self.clock = clock
    }

    /// Reads the device and reports every peer.
    func report() async throws -> LocalStatus {
        guard let plan = await plan() else {
            throw AgentError(.dataplane, "wgmeshd has not applied its first plan yet (it is still reading the "
                + "datastore): try again in a few seconds")
        }
        let device = try AgentError.naming("reading the WireGuard device") { try dataplane.readDevice() }
        let now = clock()
        let builder = facts()
        return baseline.samples.withLock { samples in
            let (status, kept) = builder.build(plan: plan, device: device, samples: samples, now: now)
            samples = kept
            return status
        }
    }

    /// Seconds since the Unix epoch, the clock handshake times use.
    static let wallClock: @Sendable () -> Int64 = { Int64(time(nil)) }

    /// The sentence for a failed report, as the control socket sends it.
    static func message(for error: any Error) -> String {
        (error as? AgentError)?.reason ?? "\(error)"
    }
}

/// Each peer's transmit count at an earlier report, shared by the
/// reporters of one node.
final class StatusBaseline: Sendable {
    /// The counts by peer key.
    let samples = Mutex<[WireGuardKey: LocalStatusBuilder.Sample]>([:])

    /// Creates an empty baseline.
    init() {}

    /// One node's baseline, found by its reconciler (one per started node).
    private struct Entry: Sendable {
        weak let owner: Reconciler?
        let baseline: StatusBaseline
    }

    private static let registry = Mutex<[ObjectIdentifier: Entry]>([:])

    /// The baseline of the node `owner` reconciles; made on first use,
    /// forgotten once that node's reconciler is gone.
    static func shared(by owner: Reconciler) -> StatusBaseline {
        registry.withLock { entries in
            entries = entries.filter { $0.value.owner != nil }
            if let entry = entries[ObjectIdentifier(owner)], entry.owner === owner { return entry.baseline }
            let baseline = StatusBaseline()
            entries[ObjectIdentifier(owner)] = Entry(owner: owner, baseline: baseline)
            return baseline
        }
    }
}
