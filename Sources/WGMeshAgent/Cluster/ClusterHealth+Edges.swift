/// One peered pair, both views together: what `wgmesh graph` draws.
public struct ClusterEdge: Sendable, Equatable {
    /// How the edge is drawn, from the worse of the two views.
    public enum Style: String, Sendable, CaseIterable {
        /// Both reporting sides see a handshake (or one side ok, the other idle).
        case ok
        /// Both sides idle: peered but unused.
        case idle
        /// The worse view is stale.
        case stale
        /// The worse view is never, missing, unexpected or unknown.
        case broken
        /// At least one side does not report: its view is unknown.
        case silent
    }

    /// The node first by name.
    public var first: String
    /// The other node.
    public var second: String
    /// How `first` sees `second`.
    public var forward: PairHealth
    /// How `second` sees `first`.
    public var backward: PairHealth
    /// The worse of the views that were reported (`down` when neither was).
    public var worst: PairHealth
    /// How the edge is drawn.
    public var style: Style

    /// Creates an edge from the two views.
    public init(first: String, second: String, forward: PairHealth, backward: PairHealth) {
        self.first = first
        self.second = second
        self.forward = forward
        self.backward = backward
        let reported = [forward, backward].filter { $0 != .down && $0 != .excluded }
        worst = reported.max() ?? .down
        if forward == .down || backward == .down {
            style = .silent
        } else {
            switch worst {
            case .ok: style = .ok
            case .idle, .this, .excluded, .down: style = .idle
            case .stale: style = .stale
            case .never, .missing, .unexpected, .unknown: style = .broken
            }
        }
    }
}

extension ClusterHealth {
    /// Every peered pair once, in row order. A pair is peered when either
    /// side lists the other; when neither side reports, it is assumed
    /// peered if both nodes have a key (the default plan is a full mesh).
    public var edges: [ClusterEdge] {
        var edges: [ClusterEdge] = []
        let count = nodes.count
        for row in 0..<count {
            for column in (row + 1)..<count {
                let forward = cells[row * count + column], backward = cells[column * count + row]
                let listed = forward.report != nil || backward.report != nil
                let silent = forward.health == .down && backward.health == .down
                let keyed = nodes[row].publicKey != nil && nodes[column].publicKey != nil
                guard listed || (silent && keyed) else { continue }
                edges.append(ClusterEdge(first: forward.observer, second: forward.peer,
                                         forward: forward.health, backward: backward.health))
            }
        }
        return edges
    }
}
