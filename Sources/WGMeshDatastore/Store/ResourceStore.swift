public import Logging
public import WGMeshResources

/// Typed access to the datastore: resources in, resources out, with the
/// wgmesh key layout, write validation and read validation.
///
/// Keys (under ``root``): the per-node records of ``NodeRecord/all`` (`nodes/<node>`,
/// `nodestatus/<node>`, `liveness/<node>`, `blockaffinities/<node>/<name>`,
/// `workloadendpoints/<node>/<namespace>/<name>`, `rotaterequests/<node>`), and the cluster's
/// `ippools/<name>` and `encryptionconfigs/default`.
/// Values are the resource's compact JSON; a record's resourceVersion is its
/// key's mod revision.
///
/// Writes are checked before anything is written (the record's own rules and
/// the cross-record rules, see ``apply(_:)``). Reads never trust the store:
/// a record that does not decode, fails validation or does not match its key
/// is skipped, logged once and reported in `rejected`, and the records around
/// it are returned as usual.
public struct ResourceStore: Sendable {
    /// The root prefix every key lives under.
    public static let defaultRoot = "/wgmesh/v1/"

    /// The raw store underneath.
    public let datastore: any Datastore
    /// The root prefix of this store's keys, ending in `/`.
    public let root: String
    /// Where skipped records are reported (once each, at warning).
    public let logger: Logger
    let rejections: RejectionLog

    /// Creates a typed store over `datastore`; tests pass their own `root`.
    public init(datastore: any Datastore, root: String = ResourceStore.defaultRoot, logger: Logger) {
        self.datastore = datastore
        self.root = root.hasSuffix("/") ? root : root + "/"
        self.logger = logger
        self.rejections = RejectionLog()
    }

    /// The key `resource` is stored under.
    public func key(for resource: any Resource) -> String {
        let kind = type(of: resource).kind
        return key(kind: kind, node: resource.owningNode, namespace: resource.metadata.namespace,
                   name: resource.metadata.name)
    }

    /// The prefix holding every record of `kind`, or only `node`'s records
    /// of a node-scoped kind when `node` is given.
    public func prefix(for kind: any Resource.Type, node: String? = nil) -> String {
        let base = root + kind.kind.plural + "/"
        guard kind.kind.nodeScoped, let node else { return base }
        return base + node + "/"
    }

    /// The key of node `node`'s status record.
    public func statusKey(node: String) -> String { NodeRecord.status.key(node: node, root: root) }

    /// The key of node `node`'s liveness record (attached to its lease).
    public func livenessKey(node: String) -> String { NodeRecord.liveness.key(node: node, root: root) }

    func key(kind: ResourceKind, node: String?, namespace: String?, name: String) -> String {
        var key = root + kind.plural + "/"
        if kind.nodeScoped { key += (node ?? "") + "/" }
        if kind.namespaced { key += (namespace ?? "") + "/" }
        return key + name
    }
}
