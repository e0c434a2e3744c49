public import WGMeshResources

/// Every node's view of every other node, decided from the stored nodes
/// (with their published statuses), the set of live nodes and the time:
/// pure, so the matrix, the JSON and the graph come from one answer.
///
/// Rules:
/// - A row is believed only when its node reports: it holds a liveness key
///   and its status is at most ``reportWindow`` seconds old. Otherwise every
///   cell of the row is `down` and one node problem says why.
/// - The window defaults to 6 minutes: a daemon rewrites an unchanged
///   status every 5 minutes, plus two default status intervals (30 s) of
///   slack. A stopped daemon is caught sooner by its liveness key, which
///   goes when it stops (revoked) or within its TTL (crashed).
/// - A reporting node that does not list a peer leaves the pair unpeered
///   (`excluded`: its plan says so). When it lists the peer under several
///   keys (a rotation in flight), the worst entry counts.
/// - Cells are taken as the observer reported them; an unhealthy cell is a
///   pair problem. Two reporting nodes that disagree (one healthy, one not,
///   or one peered and one not) add an asymmetry problem.
public struct ClusterHealth: Sendable, Equatable {
    /// 5 minutes of unchanged-status rewrite plus 2 × 30 s of slack.
    public static let defaultReportWindow: Int64 = 360

    /// Every node, sorted by name: the matrix's rows and columns.
    public private(set) var nodes: [ClusterNode]
    /// Row-major cells: `cells[row * nodes.count + column]`.
    public private(set) var cells: [PairCell]
    /// Node problems, then pair problems, asymmetries and unknown peers.
    public private(set) var problems: [ClusterProblem]
    /// The moment the view was decided, seconds since the Unix epoch.
    public let observedAt: Int64
    /// The oldest status that still counts as a report, in seconds.
    public let reportWindow: Int64

    /// Whether nothing needs attention.
    public var isHealthy: Bool { problems.isEmpty }

    /// Decides the view from `nodes` (with ``Node/status`` attached), the
    /// names holding a liveness key, and the time `now` (Unix seconds).
    public init(nodes: [Node], live: Set<String>, now: Int64, reportWindow: Int64 = defaultReportWindow) {
        observedAt = now
        self.reportWindow = reportWindow
        let sorted = nodes.sorted { $0.metadata.name < $1.metadata.name }
        self.nodes = sorted.map { Self.entry($0, live: live.contains($0.metadata.name), now: now, window: reportWindow) }
        cells = []
        problems = []
        cells.reserveCapacity(sorted.count * sorted.count)
        for (row, observer) in sorted.enumerated() {
            let reporting = self.nodes[row].reporting.isReporting
            for peer in sorted {
                cells.append(Self.cell(observer, peer, reporting: reporting))
            }
        }
        problems = explain(statuses: sorted)
    }

    /// The cell for `observer`'s view of `peer`; nil when either is unknown.
    public func cell(_ observer: String, _ peer: String) -> PairCell? {
        guard let row = index(of: observer), let column = index(of: peer) else { return nil }
        return cells[row * nodes.count + column]
    }

    /// The position of `name` in ``nodes``.
    public func index(of name: String) -> Int? {
        nodes.firstIndex { $0.name == name }
    }

    /// Whether and why `node` reports.
    static func entry(_ node: Node, live: Bool, now: Int64, window: Int64) -> ClusterNode {
        let age = node.status.map { now - $0.updated }
        let reporting: ReportingState = switch (live, age) {
        case (false, nil): .absent
        case (false, _): .noLiveness
        case (true, nil): .noStatus
        case (true, let age?) where age > window: .oldStatus
        default: .reporting
        }
        let wireguard = node.spec.wireguard
        return ClusterNode(
            name: node.metadata.name, publicKey: wireguard?.publicKey,
            tunnelAddresses: [wireguard?.interfaceIPv4, wireguard?.interfaceIPv6].compactMap { $0 },
            underlayAddresses: node.spec.addresses, listenPort: wireguard?.listenPort ?? 51820,
            reporting: reporting, statusAge: age)
    }

    /// One cell; a silent observer's last entry is kept for the record.
    static func cell(_ observer: Node, _ peer: Node, reporting: Bool) -> PairCell {
        let (from, to) = (observer.metadata.name, peer.metadata.name)
        guard from != to else { return PairCell(observer: from, peer: to, health: .this, report: nil) }
        let entries = observer.status?.peers.filter { $0.node == to } ?? []
        let worst = entries.max { PairHealth(reported: $0.state) < PairHealth(reported: $1.state) }
        guard reporting else { return PairCell(observer: from, peer: to, health: .down, report: worst) }
        guard let worst else { return PairCell(observer: from, peer: to, health: .excluded, report: nil) }
        return PairCell(observer: from, peer: to, health: PairHealth(reported: worst.state), report: worst)
    }
}
