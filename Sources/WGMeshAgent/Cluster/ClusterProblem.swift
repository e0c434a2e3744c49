/// A broken node or pair, in one line with a next step.
public struct ClusterProblem: Sendable, Equatable {
    /// What kind of problem: the JSON's `kind`.
    public enum Kind: String, Sendable, CaseIterable {
        /// A node's daemon is not reporting.
        case node
        /// A reporting node shakes hands with none of its peers while other pairs work.
        case isolated
        /// An observer reports an unhealthy peer.
        case pair
        /// Two nodes disagree about their pair.
        case asymmetric
        /// An observer has a peer on its interface that no node owns.
        case unknownPeer = "unknown-peer"
    }

    /// What kind of problem.
    public var kind: Kind
    /// The nodes concerned: the observer first for pairs.
    public var nodes: [String]
    /// The cell's health for pair problems, the row's for node problems.
    public var health: PairHealth
    /// The sentence for the operator.
    public var message: String

    /// Creates a problem.
    public init(kind: Kind, nodes: [String], health: PairHealth, message: String) {
        self.kind = kind
        self.nodes = nodes
        self.health = health
        self.message = message
    }
}
