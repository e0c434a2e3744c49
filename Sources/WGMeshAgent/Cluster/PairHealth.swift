public import WGMeshResources

/// One cell of the node × node matrix: how the row's node (the observer)
/// sees the column's node (the peer).
public enum PairHealth: String, Sendable, CaseIterable, Comparable {
    /// The diagonal: a node is not its own peer.
    case this = "self"
    /// The plan leaves the pair unpeered: the observer reports fresh and does not list the peer.
    case excluded
    /// As the observer reported it (see ``PeerState``).
    case ok
    /// As the observer reported it: no handshake and nothing sent yet.
    case idle
    /// As the observer reported it: the handshake is older than 3 minutes while traffic is sent.
    case stale
    /// As the observer reported it: no handshake although traffic was sent.
    case never
    /// As the observer reported it: wanted but not on the interface.
    case missing
    /// As the observer reported it: on the interface but not wanted.
    case unexpected
    /// The observer reported a state this wgmesh does not know (a newer daemon).
    case unknown
    /// The observer is not reporting (no liveness key, no status, or an old one).
    case down

    /// Whether the cell needs no attention.
    public var isHealthy: Bool {
        switch self {
        case .this, .excluded, .ok, .idle: true
        case .stale, .never, .missing, .unexpected, .unknown, .down: false
        }
    }

    /// Orders by severity: healthy first, then the reported problems, then silence.
    public static func < (lhs: PairHealth, rhs: PairHealth) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The cell for a peer state a daemon published (``PeerStatus/state``).
    public init(reported state: String) {
        switch PeerState(rawValue: state) {
        case .ok: self = .ok
        case .idle: self = .idle
        case .stale: self = .stale
        case .never: self = .never
        case .missing: self = .missing
        case .unexpected: self = .unexpected
        case nil: self = .unknown
        }
    }
}

/// One ordered pair: what `observer` reported about `peer`.
public struct PairCell: Sendable, Equatable {
    /// The row: the node whose view this is.
    public var observer: String
    /// The column: the node it sees.
    public var peer: String
    /// The cell's health.
    public var health: PairHealth
    /// The observer's published entry for the peer (its worst one when it
    /// listed several keys); nil for self, excluded, or a silent observer
    /// without a status.
    public var report: PeerStatus?

    /// Creates a cell.
    public init(observer: String, peer: String, health: PairHealth, report: PeerStatus?) {
        self.observer = observer
        self.peer = peer
        self.health = health
        self.report = report
    }
}
