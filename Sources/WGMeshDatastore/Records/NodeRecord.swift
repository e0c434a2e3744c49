/// One kind of record kept under a node's name: the one list that node deletion, the etcd node
/// role's grants, `add-node`'s help and the docs' grant tables come from.
///
/// Every key a node writes names the node, so etcd's key-range permissions can let node N write
/// its own records and nothing else's. A new per-node record is added here, and deleting a node,
/// its role and the documentation follow (a test checks the docs' tables against ``all``).
public struct NodeRecord: Sendable, Hashable, CustomStringConvertible {
    /// The first path element under the store's root (`nodes`, `blockaffinities`, ...).
    public let collection: String
    /// True when the node's records are every key under `<collection>/<node>/`, false for the
    /// single key `<collection>/<node>`.
    public let isPrefix: Bool
    /// What it holds, for help texts.
    public let summary: String

    /// The node's Node resource: spec and labels.
    public static let node = NodeRecord(collection: "nodes", isPrefix: false, summary: "the Node (spec and labels)")
    /// The node's published status, apart from the Node so status writes wake no Node watcher.
    public static let status = NodeRecord(collection: "nodestatus", isPrefix: false, summary: "the Node's status")
    /// Attached to the node's lease: gone when the node stops renewing it.
    public static let liveness = NodeRecord(collection: "liveness", isPrefix: false, summary: "the liveness record")
    /// The node's block claims, one key a block.
    public static let blockAffinities = NodeRecord(collection: "blockaffinities", isPrefix: true,
                                                   summary: "the block claims")
    /// The node's pods.
    public static let workloadEndpoints = NodeRecord(collection: "workloadendpoints", isPrefix: true,
                                                     summary: "the workload endpoints")
    /// An administrator's request that the node rotate its key; the node deletes it when done.
    public static let rotationRequest = NodeRecord(collection: "rotaterequests", isPrefix: false,
                                                   summary: "a pending key rotation request")

    /// Every per-node record, in the order the docs list them.
    public static let all: [NodeRecord] = [.node, .status, .liveness, .blockAffinities, .workloadEndpoints,
                                           .rotationRequest]

    /// The key (or prefix, ending in `/`) of `node`'s record under `root` (which ends in `/`).
    public func key(node: String, root: String) -> String {
        root + collection + "/" + node + (isPrefix ? "/" : "")
    }

    /// The path with `placeholder` for the node, as the docs write it: `nodes/N`, `blockaffinities/N/`.
    public func pattern(placeholder: String = "N") -> String {
        collection + "/" + placeholder + (isPrefix ? "/" : "")
    }

    /// ``pattern(placeholder:)`` with `N`.
    public var description: String { pattern() }
}
