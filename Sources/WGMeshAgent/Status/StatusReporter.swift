import Glibc
import Synchronization
import WGMeshCore

/// Builds this node's ``LocalStatus`` from the plan applied last and the
/// device as the interface reports it now.
///
/// It keeps each peer's transmit count from an earlier report, which is
/// how `stale` tells "traffic is expected" from an idle session. A started
/// node has one reporter (``NodeContext/statusReporter``), which the status
/// command, publishing, metrics and systemd's STATUS line all use, so each
/// of them sees the counts the others read.
final class StatusReporter: Sendable {
    /// The plan applied last; nil before the first apply.
    typealias PlanSource = @Sendable () async -> MeshPlan?

    private let plan: PlanSource
    private let reader: DeviceReader
    private let facts: @Sendable () -> LocalStatusBuilder
    private let clock: @Sendable () -> Int64
    private let baseline: StatusBaseline

    /// Creates a reporter from its parts; tests give a fixed clock.
    init(plan: @escaping PlanSource, dataplane: any Dataplane, facts: @escaping @Sendable () -> LocalStatusBuilder,
         clock: @escaping @Sendable () -> Int64, baseline: StatusBaseline = StatusBaseline())
    {
        self.baseline = baseline
        self.plan = plan
        self.reader = DeviceReader(dataplane: dataplane)
        self.facts = facts
        self.clock = clock
    }

    /// Reads the device and reports every peer.
    func report() async throws -> LocalStatus {
        let plan = try await appliedPlan()
        return report(plan: plan, device: try await reader.read())
    }

    /// The device now, through the shared, deadline-bound ``DeviceReader`` (metrics use it too).
    func readDevice() async throws -> WireGuardDevice { try await reader.read() }

    /// Reports every peer of `device`, read by the caller (a metrics scrape
    /// that needs the device for its own series too).
    func report(from device: WireGuardDevice) async throws -> LocalStatus {
        report(plan: try await appliedPlan(), device: device)
    }

    /// The plan applied last; an error before the first apply.
    private func appliedPlan() async throws -> MeshPlan {
        guard let plan = await plan() else {
            throw AgentError(.dataplane, "wgmeshd has not applied its first plan yet (it is still reading the "
                + "datastore): try again in a few seconds")
        }
        return plan
    }

    /// Classifies `device` against `plan`, updating the transmit baseline.
    private func report(plan: MeshPlan, device: WireGuardDevice) -> LocalStatus {
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
}
